"""What the API reads and writes. Reads are plain: ids for rows the caller can fetch on their
own, names where a person would want them. Writes are parsed here and carried out by the apps'
services (never `serializer.save()`), so history, notices and constraints are the web's."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Body
from indicators.models import YearlyFigure
from programme.models import Item, Programme
from reports.models import GeneratedReport
from review.models import ReviewState
from tasks.dashboards.base import visible_assignments
from tasks.models import (
    Assignment,
    Attachment,
    CitedDocument,
    ProgressReport,
    ReportingPeriod,
)
from tasks.models.reports import DOCUMENT_NUMBER_RE
from tasks.reporting import ReportingStatus, report_reporting_status
from tasks.services.reports import ReportData
from tasks.status import Status


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# Reads


class BodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "code", "name", "short_name"]


class BodySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Body
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "name_en",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
        ]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "key", "parent", "sequence", "kind", "section", "marker", "number", "text"]


class ProgrammeSerializer(serializers.ModelSerializer):
    group_count = serializers.IntegerField(read_only=True, help_text=_("Numbered task groups."))
    task_count = serializers.IntegerField(
        read_only=True, help_text=_("Tasks (bullets and sub-items).")
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "document_type",
            "short_title",
            "title",
            "document_number",
            "issued_on",
            "resolution_number",
            "resolution_date",
            "horizon_year",
            "vision_year",
            "group_count",
            "task_count",
        ]


class ProgrammeDetailSerializer(ProgrammeSerializer):
    items = ItemSerializer(many=True, read_only=True, help_text=_("In document order."))

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "items"]


class ItemRefSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Item
        fields = ["id", "programme", "key", "text"]


class PeriodSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "programme",
            "code",
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "due_on",
            "state",
        ]


class OwedSerializer(serializers.Serializer):
    """An assignment's report for one period: whether it was sent on time (tasks.reporting)."""

    period = serializers.IntegerField(source="period_id")
    reporting_status = serializers.ChoiceField(choices=ReportingStatus.choices)
    report = serializers.IntegerField(
        source="report_id", allow_null=True, help_text=_("The sent report, if any.")
    )
    report_state = serializers.ChoiceField(choices=ReviewState.choices, allow_null=True)
    first_sent_at = serializers.DateTimeField(allow_null=True)


class AssignmentSerializer(serializers.ModelSerializer):
    item = ItemRefSerializer(read_only=True)
    body = BodyRefSerializer(read_only=True)
    status = serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text=_("Computed from dates and accepted reports."),
    )
    effective_deadline = serializers.DateField(read_only=True, allow_null=True)
    reporting = OwedSerializer(
        source="owed",
        many=True,
        read_only=True,
        help_text=_(
            "For each open reporting period (and the one filtered on) for which the assignment "
            "owes a report: its reporting status and the sent report."
        ),
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "item",
            "body",
            "role",
            "parent",
            "predecessor",
            "note",
            "deadline_kind",
            "deadline",
            "extended_deadline",
            "effective_deadline",
            "completed_on",
            "cancelled_on",
            "status",
            "reporting",
        ]


_SENT_AT = serializers.DateTimeField()


def _day(value) -> str | None:
    # As serializers.DateField writes a date.
    return value.isoformat() if value else None


def _text(value) -> str | None:
    return None if value is None else str(value)


def assignment_rows(assignments) -> list[dict]:
    """`AssignmentSerializer(assignments, many=True).data`, written out: a page of the list
    is fifty rows of two nested serializers and a list each, and the field machinery per value
    was most of the page's time. api/tests/test_list_cache.py holds the two to the same JSON.
    Each assignment carries its status and `owed` (as the list view annotates them)."""
    return [
        {
            "id": a.pk,
            "item": {
                "id": a.item.pk,
                "programme": a.item.programme.code,
                "key": _text(a.item.key),
                "text": _text(a.item.text),
            },
            "body": {
                "id": a.body.pk,
                "code": _text(a.body.code),
                "name": _text(a.body.name),
                "short_name": _text(a.body.short_name),
            },
            "role": _text(a.role),
            "parent": a.parent_id,
            "predecessor": a.predecessor_id,
            "note": _text(a.note),
            "deadline_kind": _text(a.deadline_kind),
            "deadline": _day(a.deadline),
            "extended_deadline": _day(a.extended_deadline),
            "effective_deadline": _day(a.effective_deadline),
            "completed_on": _day(a.completed_on),
            "cancelled_on": _day(a.cancelled_on),
            "status": _text(a.status),
            "reporting": [
                {
                    "period": owed.period_id,
                    "reporting_status": _text(owed.reporting_status),
                    "report": owed.report_id,
                    "report_state": _text(owed.report_state),
                    "first_sent_at": _SENT_AT.to_representation(owed.first_sent_at),
                }
                for owed in a.owed
            ],
        }
        for a in assignments
    ]


class ReportRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "period", "state"]


class AssignmentDetailSerializer(AssignmentSerializer):
    reports = ReportRefSerializer(
        source="visible_reports",
        many=True,
        read_only=True,
        help_text=_("The reports on it that you may see (your own body's drafts included)."),
    )

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "reports"]


def _name(user) -> str | None:
    return user.display_name if user is not None else None


class CitedDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CitedDocument
        fields = ["id", "number", "issued_on", "issuer", "title"]


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text=_("The web address that hands the file out (signed-in session).")
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, attachment) -> str:
        return reverse("attachment_download", kwargs={"pk": attachment.pk})


class ReportSerializer(serializers.ModelSerializer):
    drafted_by = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    reporting_status = serializers.SerializerMethodField(
        help_text=_(
            "Sent on time or late against the period's due date (from the first submission)."
        )
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "assignment",
            "period",
            "state",
            "version",
            "result",
            "percent_complete",
            "difficulties",
            "proposals",
            "claims_completion",
            "drafted_by",
            "submitted_by",
            "submitted_at",
            "first_submitted_at",
            "reviewed_by",
            "reviewed_at",
            "return_reason",
            "reporting_status",
            "created_at",
            "updated_at",
        ]

    def get_drafted_by(self, report) -> str | None:
        return _name(report.drafted_by)

    def get_submitted_by(self, report) -> str | None:
        return _name(report.submitted_by)

    def get_reviewed_by(self, report) -> str | None:
        return _name(report.reviewed_by)

    @extend_schema_field(serializers.ChoiceField(choices=ReportingStatus.choices))
    def get_reporting_status(self, report) -> str:
        status, _days = report_reporting_status(report, today=timezone.localdate())
        return status.value


class ReportDetailSerializer(ReportSerializer):
    documents = CitedDocumentSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "documents", "attachments"]


class FigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = YearlyFigure
        fields = [
            "id",
            "target",
            "industrial_area",
            "body",
            "year",
            "value",
            "source",
            "note",
            "state",
            "version",
            "submitted_at",
            "reviewed_at",
            "return_reason",
        ]


class GeneratedReportSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField(help_text=_("Once built (signed-in session)."))
    xlsx_url = serializers.SerializerMethodField(help_text=_("Once built (signed-in session)."))

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "kind",
            "programme",
            "period",
            "as_of_date",
            "data_as_of",
            "body",
            "state",
            "requested_at",
            "finished_at",
            "page_count",
            "sha256",
            "pdf_url",
            "xlsx_url",
        ]

    def get_pdf_url(self, report) -> str | None:
        if not report.pdf:
            return None
        return reverse("generated_report_pdf", kwargs={"pk": report.pk})

    def get_xlsx_url(self, report) -> str | None:
        if not report.xlsx:
            return None
        return reverse("generated_report_xlsx", kwargs={"pk": report.pk})


# Writes: parsed here, carried out by the services.


class _ReportFields(serializers.Serializer):
    result = serializers.CharField(max_length=_limit(ProgressReport, "result"))
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    difficulties = serializers.CharField(
        max_length=_limit(ProgressReport, "difficulties"), allow_blank=True, default=""
    )
    proposals = serializers.CharField(
        max_length=_limit(ProgressReport, "proposals"), allow_blank=True, default=""
    )
    claims_completion = serializers.BooleanField(
        default=False,
        help_text=_(
            "The whole task is done: the report must say 100 percent and cite a document or "
            "attach evidence before it is submitted."
        ),
    )


@extend_schema_field(OpenApiTypes.INT)
class VisibleAssignmentField(serializers.PrimaryKeyRelatedField):
    """An assignment the caller may see; any other id reads as one that does not exist."""

    def get_queryset(self):
        return visible_assignments(self.context["request"].user).select_related(
            "item__programme", "body"
        )


class ReportCreateSerializer(_ReportFields):
    assignment = VisibleAssignmentField()
    period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.select_related("programme")
    )

    def report_data(self) -> ReportData:
        data = self.validated_data
        return ReportData(
            result=data["result"],
            percent_complete=data["percent_complete"],
            difficulties=data["difficulties"],
            proposals=data["proposals"],
            claims_completion=data["claims_completion"],
        )


class ReportUpdateSerializer(serializers.Serializer):
    """Fields left out keep their saved value; `version` is the one the caller read."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "The report's version as you read it. If someone saved it since, nothing is saved "
            "and the answer is 409."
        ),
    )
    result = serializers.CharField(max_length=_limit(ProgressReport, "result"), required=False)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False)
    difficulties = serializers.CharField(
        max_length=_limit(ProgressReport, "difficulties"), allow_blank=True, required=False
    )
    proposals = serializers.CharField(
        max_length=_limit(ProgressReport, "proposals"), allow_blank=True, required=False
    )
    claims_completion = serializers.BooleanField(required=False)

    def report_data(self, report: ProgressReport) -> ReportData:
        data = self.validated_data
        return ReportData(
            result=data.get("result", report.result),
            percent_complete=data.get("percent_complete", report.percent_complete),
            difficulties=data.get("difficulties", report.difficulties),
            proposals=data.get("proposals", report.proposals),
            claims_completion=data.get("claims_completion", report.claims_completion),
        )


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        max_length=255,
        allow_empty_file=False,
        help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG, sent as multipart/form-data."),
    )


class DocumentCiteSerializer(serializers.Serializer):
    number = serializers.RegexField(
        DOCUMENT_NUMBER_RE,
        max_length=_limit(CitedDocument, "number"),
        error_messages={
            "invalid": _('Write the document number as printed, e.g. "123/KH-UBND" or "15-CTr/TU".')
        },
        help_text=_('As printed, e.g. "123/KH-UBND" or "15-CTr/TU".'),
    )
    issued_on = serializers.DateField()
    issuer = serializers.CharField(max_length=_limit(CitedDocument, "issuer"))
    title = serializers.CharField(
        max_length=_limit(CitedDocument, "title"), allow_blank=True, default=""
    )


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=_limit(ProgressReport, "return_reason"),
        help_text=_("Why the report is returned; the body sees it at the top of its report."),
    )
