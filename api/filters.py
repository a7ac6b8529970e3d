"""The filters of the API's lists: those of the web lists, by the same names and values. The
assignment list goes through the web list's own selector, so the API and the page give the
same rows for the same filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from accounts.models import Body
from indicators.models import YearlyFigure
from reports.models import GeneratedReport
from review.models import ReviewState
from tasks.dashboards.assignment_list import AssignmentFilters, assignment_list_queryset
from tasks.dashboards.base import REPORTING, ReportFilter
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.status import Status

# The largest id a database key holds: a larger number names no row, and must not reach SQL.
ID_MAX = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A row's id: a whole number in the range of a key, else a 400 naming the parameter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class AssignmentFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, help_text=_("One or more statuses (repeat the parameter).")
    )
    group = IdFilter(help_text=_("The task group (III.1 … III.10): its item id."))
    body = IdFilter()
    role = filters.ChoiceFilter(
        choices=[(REPORTING, _("Every role that reports")), *Assignment.Role.choices]
    )
    programme = IdFilter()
    period = IdFilter(help_text=_("Only the assignments that owe a report for this period."))
    report = filters.ChoiceFilter(
        choices=ReportFilter.choices,
        help_text=_("How the report for the chosen period stands (needs period)."),
    )

    class Meta:
        model = Assignment
        fields: list[str] = []

    # The period filtered on, once the rows are asked for: the view shows each row's status for it.
    chosen_period: ReportingPeriod | None = None

    def filter_queryset(self, queryset):
        """The web list's selector (it starts from the same policy queryset as `queryset`)."""
        data = self.form.cleaned_data
        period = None
        if data.get("period") is not None:
            period = ReportingPeriod.objects.filter(pk=data["period"]).first()
            if period is None:
                raise ValidationError({"period": [_("There is no such reporting period.")]})
        if data.get("report") and period is None:
            raise ValidationError({"report": [_("Choose the reporting period as well.")]})
        self.chosen_period = period
        return assignment_list_queryset(
            user=self.request.user,
            filters=AssignmentFilters(
                statuses=tuple(data.get("status") or ()),
                group_id=data.get("group"),
                body_id=data.get("body"),
                role=data.get("role") or "",
                programme_id=data.get("programme"),
                period=period,
                report=data.get("report") or "",
            ),
            today=timezone.localdate(),
        )


class ReportFilterSet(filters.FilterSet):
    assignment = IdFilter(field_name="assignment_id")
    period = IdFilter(field_name="period_id")
    body = IdFilter(field_name="assignment__body_id")
    state = filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = ProgressReport
        fields: list[str] = []


class PeriodFilterSet(filters.FilterSet):
    programme = IdFilter(field_name="programme_id")
    state = filters.ChoiceFilter(choices=ReportingPeriod.State.choices)
    kind = filters.ChoiceFilter(choices=ReportingPeriod.Kind.choices)

    class Meta:
        model = ReportingPeriod
        fields: list[str] = []


class BodyFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Body.Kind.choices)

    class Meta:
        model = Body
        fields: list[str] = []


class FigureFilterSet(filters.FilterSet):
    target = IdFilter(field_name="target_id")
    industrial_area = IdFilter(field_name="industrial_area_id")
    body = IdFilter(field_name="body_id")
    year = IdFilter(field_name="year", min_value=1990, max_value=2100)
    state = filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = YearlyFigure
        fields: list[str] = []


class GeneratedReportFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=GeneratedReport.Kind.choices)
    period = IdFilter(field_name="period_id")
    body = IdFilter(field_name="body_id")
    state = filters.ChoiceFilter(choices=GeneratedReport.State.choices)

    class Meta:
        model = GeneratedReport
        fields: list[str] = []
