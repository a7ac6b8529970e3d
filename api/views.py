"""The API's endpoints. Reads start from the apps' policies and selectors; a row the caller may
not see is a 404, as on the pages (another body's draft is not admitted to exist), and a step
they may not take on a row they see is a 403, both written to the security log by the policy.
Writes call the same services as the pages, one each."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import SecurityEvent
from accounts.permissions import AccountsPolicy, accounts_policy
from accounts.security import security_event_record
from indicators.models import YearlyFigure
from indicators.permissions import figure_policy
from indicators.selectors import figures_for_display
from programme.models import Item
from programme.selectors import programme_list
from reports.models import GeneratedReport
from reports.permissions import generated_report_policy
from tasks.dashboards.assignment_list import visibility_key
from tasks.dashboards.base import visible_assignments, with_status
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.permissions import Action, assignment_policy, report_policy
from tasks.reporting import owed_in_periods
from tasks.services import reports as report_services
from tasks.status import assignment_status
from versions.data import fragment_cached

from . import filters, serializers
from .access import SignedIn, TokenMayWrite
from .authentication import TokenAuthentication
from .models import ApiToken
from .pagination import IdCursorPagination
from .throttling import TokenRateThrottle

# Ids as the database keeps them: anything longer names no row and never reaches SQL.
ID = r"[0-9]{1,18}"

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_("Refused: each field named with its messages, in the caller's language."),
)
REFUSED = OpenApiResponse(description=_("The step is not yours to take (403)."))
NOT_FOUND = OpenApiResponse(description=_("No such row, or not one you may see (404)."))


class ApiView:
    """What every endpoint shares: a token or a signed-in session (with CSRF), the caller's
    throttle, cursor pages, the web lists' filters, and a line in the security log for every
    write. The site's sign-in redirect is not for API callers: they get a 401 instead."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [SignedIn, TokenMayWrite]
    throttle_classes = [TokenRateThrottle]
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = ID

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.user.is_authenticated:
            token = request.auth if isinstance(request.auth, ApiToken) else None
            via = f"token #{token.pk} “{token.name}”" if token else "session"
            security_event_record(
                kind=SecurityEvent.Kind.API_WRITE,
                request=request,
                detail=f"{request.method} answered {response.status_code}, via {via}",
            )
        return response


def _found(request, queryset: QuerySet, pk, policy, action: str = "view"):
    """The row, or a 404 alike for one that does not exist and one the caller may not see
    (the refusal logged), as the pages find theirs."""
    row = get_object_or_404(queryset, pk=pk)
    policy.require(request, action, row, hide=True)
    return row


@extend_schema_view(
    list=extend_schema(summary=_("Programmes"), tags=["programme"]),
    retrieve=extend_schema(summary=_("A programme with its items"), tags=["programme"]),
)
class ProgrammeViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ProgrammeSerializer

    def get_queryset(self):
        # Every signed-in member reads the programmes, as on the pages.
        queryset = programme_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("items", queryset=Item.objects.order_by("sequence"))
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProgrammeDetailSerializer
        return serializers.ProgrammeSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Responsible bodies"), tags=["programme"]),
    retrieve=extend_schema(summary=_("A responsible body"), tags=["programme"]),
)
class BodyViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.BodySerializer
    filterset_class = filters.BodyFilterSet

    def get_queryset(self):
        return accounts_policy.instances_user_has_permission_for(
            self.request.user, AccountsPolicy.VIEW
        ).select_related("parent", "successor")


@extend_schema_view(
    list=extend_schema(summary=_("Reporting periods"), tags=["tracking"]),
    retrieve=extend_schema(summary=_("A reporting period"), tags=["tracking"]),
)
class PeriodViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilterSet

    def get_queryset(self):
        # Periods are public to every signed-in member (the period pages show them all).
        return ReportingPeriod.objects.select_related("programme")


def _open_periods() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN))


def _attach_owed(assignments: list[Assignment], periods: list[ReportingPeriod]) -> None:
    """Each assignment's reporting status for the periods, in one query for them all (none if
    none of them owes a report). Only the reporting assignments owe, and only for the periods of
    their task's programme (tasks.reporting.owing_filter): the query asks for no others, a
    branch fewer for each period of a programme the page does not hold."""
    owed: dict[int, list] = {a.pk: [] for a in assignments}
    reporting = [a for a in assignments if a.role in Assignment.REPORTING_ROLES]
    programmes = {a.item.programme_id for a in reporting}
    periods = [period for period in periods if period.programme_id in programmes]
    if reporting and periods:
        for row in owed_in_periods(
            periods,
            today=timezone.localdate(),
            assignments=Assignment.objects.filter(pk__in=[a.pk for a in reporting]),
        ):
            owed[row.assignment_id].append(row)
    for assignment in assignments:
        assignment.owed = sorted(owed[assignment.pk], key=lambda row: row.period_id)


@extend_schema_view(
    list=extend_schema(
        summary=_("Assignments, with status and reporting status"),
        description=_(
            "The assignment list's rows (not cancelled) and filters, as on the web page; in "
            "order of id."
        ),
        tags=["tracking"],
    ),
    retrieve=extend_schema(
        summary=_("An assignment"),
        tags=["tracking"],
        responses={200: serializers.AssignmentDetailSerializer, 404: NOT_FOUND},
    ),
)
class AssignmentViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AssignmentSerializer
    filterset_class = filters.AssignmentFilterSet

    def get_queryset(self):
        return with_status(visible_assignments(self.request.user), today=timezone.localdate())

    def list(self, request, *args, **kwargs):
        """A page of the list, cached as serialized under the data version and all it depends
        on besides: whose rows the caller sees, the URL (its host and scheme too, which the
        page links carry; the filters, cursor and page size), the day and the time zone."""
        data = fragment_cached(
            "api-assignment-list",
            (
                visibility_key(request.user),
                request.build_absolute_uri(),
                timezone.localdate().isoformat(),
                timezone.get_current_timezone_name(),
            ),
            self._list_data,
        )
        return Response(data)

    def _list_data(self) -> dict:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        periods = _open_periods()
        chosen = self.chosen_period
        if chosen is not None and chosen.pk not in {p.pk for p in periods}:
            periods.append(chosen)
        _attach_owed(page, periods)
        return self.get_paginated_response(serializers.assignment_rows(page)).data

    def filter_queryset(self, queryset):
        """Through the web list's selector (filters.AssignmentFilterSet); keeps the period
        filtered on, whose reporting status the rows then carry."""
        filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        queryset = filterset.qs
        self.chosen_period = filterset.chosen_period
        return queryset

    def retrieve(self, request, *args, **kwargs):
        assignment = _found(
            request,
            Assignment.objects.select_related("item__programme", "body"),
            kwargs["pk"],
            assignment_policy,
        )
        assignment.status = assignment_status(assignment, today=timezone.localdate())
        assignment.visible_reports = list(
            report_policy.instances_user_has_permission_for(request.user)
            .filter(assignment=assignment)
            .order_by("period__due_on", "pk")
        )
        _attach_owed([assignment], _open_periods())
        return Response(serializers.AssignmentDetailSerializer(assignment).data)


def _report_queryset() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related(
        "assignment__item__programme",
        "assignment__body",
        "period",
        "drafted_by",
        "submitted_by",
        "reviewed_by",
    )


def _report_detail(pk: int) -> dict:
    report = _report_queryset().prefetch_related("documents", "attachments").get(pk=pk)
    return serializers.ReportDetailSerializer(report).data


REPORT_WRITTEN = {
    200: serializers.ReportDetailSerializer,
    400: FIELD_ERRORS,
    403: REFUSED,
    404: NOT_FOUND,
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Progress reports you may see"),
        description=_("Sent reports of the assignments you see, and your own body's drafts."),
        tags=["reports"],
    ),
    retrieve=extend_schema(
        summary=_("A progress report, with its evidence"),
        tags=["reports"],
        responses={200: serializers.ReportDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Draft a progress report"),
        description=_(
            "For an assignment of your body and an open period. Officers and leaders of the "
            "body may draft."
        ),
        tags=["reports"],
        request=serializers.ReportCreateSerializer,
        responses={**REPORT_WRITTEN, 201: serializers.ReportDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Revise a draft or returned report"),
        description=_(
            "Send the version you read; if someone saved the report since, nothing is saved "
            "and the answer is 409, naming who and what they changed."
        ),
        tags=["reports"],
        request=serializers.ReportUpdateSerializer,
        responses={
            **REPORT_WRITTEN,
            409: OpenApiResponse(
                OpenApiTypes.OBJECT, description=_("Saved by someone else since.")
            ),
        },
    ),
)
class ReportViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return report_policy.instances_user_has_permission_for(self.request.user).select_related(
            "period", "drafted_by", "submitted_by", "reviewed_by"
        )

    def _report_for(self, pk, action: str = Action.VIEW) -> ProgressReport:
        report = _found(self.request, _report_queryset(), pk, report_policy)
        if action != Action.VIEW:
            report_policy.require(self.request, action, report)
        return report

    def retrieve(self, request, *args, **kwargs):
        report = self._report_for(kwargs["pk"])
        return Response(_report_detail(report.pk))

    def create(self, request, *args, **kwargs):
        data = serializers.ReportCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        assignment = data.validated_data["assignment"]
        assignment_policy.require(request, Action.DRAFT, assignment)
        report = report_services.report_create(
            assignment=assignment,
            period=data.validated_data["period"],
            data=data.report_data(),
            acting_user=request.user,
        )
        return Response(_report_detail(report.pk), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        report = self._report_for(kwargs["pk"], Action.DRAFT)
        data = serializers.ReportUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report_services.report_update(
            report=report,
            data=data.report_data(report),
            expected_version=data.validated_data["version"],
            acting_user=request.user,
        )
        return Response(_report_detail(report.pk))

    @extend_schema(
        summary=_("Attach evidence to a draft"),
        tags=["reports"],
        request={"multipart/form-data": serializers.AttachmentUploadSerializer},
        responses={**REPORT_WRITTEN, 201: serializers.ReportDetailSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        report = self._report_for(pk, Action.DRAFT)
        data = serializers.AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report_services.attachment_add(
            report=report, upload=data.validated_data["file"], acting_user=request.user
        )
        return Response(_report_detail(report.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Cite a document as evidence on a draft"),
        tags=["reports"],
        request=serializers.DocumentCiteSerializer,
        responses={**REPORT_WRITTEN, 201: serializers.ReportDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        report = self._report_for(pk, Action.DRAFT)
        data = serializers.DocumentCiteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report_services.document_cite(
            report=report, acting_user=request.user, **data.validated_data
        )
        return Response(_report_detail(report.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Submit the report to the Party Office"),
        description=_("The body's leader submits (or resubmits a returned report)."),
        tags=["reports"],
        request=None,
        responses=REPORT_WRITTEN,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self._report_for(pk, Action.SUBMIT)
        report_services.report_submit(report=report, acting_user=request.user)
        return Response(_report_detail(report.pk))

    @extend_schema(
        summary=_("Accept the report (Party Office)"),
        description=_("Accepting locks the report; one saying the task is done completes it."),
        tags=["reports"],
        request=None,
        responses=REPORT_WRITTEN,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self._report_for(pk, Action.REVIEW)
        report_services.report_accept(report=report, acting_user=request.user)
        return Response(_report_detail(report.pk))

    @extend_schema(
        summary=_("Return the report to its body (Party Office)"),
        tags=["reports"],
        request=serializers.ReturnSerializer,
        responses=REPORT_WRITTEN,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = self._report_for(pk, Action.REVIEW)
        data = serializers.ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report_services.report_return(
            report=report, reason=data.validated_data["reason"], acting_user=request.user
        )
        return Response(_report_detail(report.pk))


@extend_schema_view(
    list=extend_schema(summary=_("Indicator figures you may see"), tags=["indicators"]),
    retrieve=extend_schema(
        summary=_("An indicator figure"),
        tags=["indicators"],
        responses={200: serializers.FigureSerializer, 404: NOT_FOUND},
    ),
)
class FigureViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilterSet

    def get_queryset(self):
        return figures_for_display(
            figure_policy.instances_user_has_permission_for(self.request.user)
        )

    def retrieve(self, request, *args, **kwargs):
        figure = _found(
            request, figures_for_display(YearlyFigure.objects.all()), kwargs["pk"], figure_policy
        )
        return Response(self.get_serializer(figure).data)


@extend_schema_view(
    list=extend_schema(summary=_("Generated reports you may read"), tags=["reports"]),
    retrieve=extend_schema(
        summary=_("A generated report"),
        tags=["reports"],
        responses={200: serializers.GeneratedReportSerializer, 404: NOT_FOUND},
    ),
)
class GeneratedReportViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.GeneratedReportSerializer
    filterset_class = filters.GeneratedReportFilterSet

    def get_queryset(self):
        return generated_report_policy.instances_user_has_permission_for(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        report = _found(
            request, GeneratedReport.objects.all(), kwargs["pk"], generated_report_policy
        )
        return Response(self.get_serializer(report).data)
