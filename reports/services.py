"""Generated reports: asking for one (the build is queued, never done in the request) and
building it in the task cluster, once, into an immutable snapshot.

A build takes a worker from the cluster that also sends the reminders, so asking again for a
report still being built gets that report, and each person may have only a few builds in
flight (REPORT_BUILDS_IN_FLIGHT_MAX)."""

import hashlib
import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Body
from programme.models import Programme
from tasks.models import Assignment, ReportingPeriod
from versions.data import data_changed

from .build import report_file_name, report_files
from .letterheads import sender_code
from .models import GeneratedReport, GeneratedReportKind, GeneratedReportState, Signatory
from .permissions import generated_report_policy
from .signing import SigningFailed, pdf_sign, signing_configured

logger = logging.getLogger(__name__)

# The queued job that builds a report (reports/jobs.py).
JOB = "reports.jobs.report_build"


class TooManyReportBuilds(ValidationError):
    """The person asking already has as many builds in flight as they may."""


def end_of_day(day: date) -> datetime:
    """The last instant of the local day."""
    return timezone.make_aware(datetime.combine(day, time.max))


def _first_record(programme: Programme) -> date | None:
    """The day the system first recorded an assignment of the programme: a report as of an
    earlier day would rebuild nothing."""
    first = (
        Assignment.history.filter(item__programme_id=programme.pk)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def _validated(
    *,
    kind: str,
    programme: Programme,
    period: ReportingPeriod | None,
    as_of_date: date | None,
    body: Body | None,
) -> None:
    if kind not in GeneratedReportKind.values:
        raise ValidationError({"kind": _("Choose a kind of report.")})
    if period is None and as_of_date is None:
        raise ValidationError(_("Choose a reporting period or a date."))
    if period is not None and as_of_date is not None:
        raise ValidationError(_("Choose either a reporting period or a date, not both."))
    if period is not None and period.programme_id != programme.pk:
        raise ValidationError({"period": _("This period belongs to another programme.")})
    if as_of_date is not None:
        if as_of_date > timezone.localdate():
            raise ValidationError({"as_of_date": _("The date cannot be in the future.")})
        first = _first_record(programme)
        if first is None or as_of_date < first:
            raise ValidationError(
                {
                    "as_of_date": _(
                        "The system holds no record of this programme's assignments before "
                        "%(date)s; choose that day or later."
                    )
                    % {"date": first.strftime("%d/%m/%Y") if first else "-"}
                }
            )
    if kind in GeneratedReport.BODY_KINDS and body is None:
        raise ValidationError({"body": _("Choose the body the report is about.")})
    if kind not in GeneratedReport.BODY_KINDS and body is not None:
        raise ValidationError({"body": _("This kind of report is not about one body.")})


def _validated_signatory(*, kind: str, body: Body | None, signatory: Signatory | None) -> None:
    """A signer chosen by the person asking signs for the body that sends the report, and
    holds the post on the report's date (today, the day it is asked for)."""
    if signatory is None:
        return
    if signatory.body.code != sender_code(kind, body):
        raise ValidationError(
            {"signatory": _("This person does not sign for the body that sends the report.")}
        )
    if not signatory.in_office_on(timezone.localdate()):
        raise ValidationError(
            {"signatory": _("This person does not hold the post on the report's date.")}
        )


def _create(
    *,
    kind: str,
    programme: Programme,
    period: ReportingPeriod | None,
    as_of_date: date | None,
    body: Body | None,
    requested_by,
    signatory: Signatory | None = None,
) -> GeneratedReport:
    now = timezone.now()
    return GeneratedReport.objects.create(
        kind=kind,
        programme=programme,
        period=period,
        as_of_date=as_of_date,
        body=body,
        signatory=signatory,
        data_as_of=min(end_of_day(as_of_date), now) if as_of_date else now,
        requested_by=requested_by,
        requested_at=now,
    )


def generated_report_record(
    *,
    kind: str,
    programme: Programme,
    period: ReportingPeriod | None = None,
    as_of_date: date | None = None,
    body: Body | None = None,
    requested_by=None,
    signatory: Signatory | None = None,
) -> GeneratedReport:
    """Record a report to build, after checking its parameters (not who asks: the request
    service and the operator's command decide that). A report for a period shows the data as
    of now; one as of a date, as of the end of that day."""
    _validated(kind=kind, programme=programme, period=period, as_of_date=as_of_date, body=body)
    _validated_signatory(kind=kind, body=body, signatory=signatory)
    return _create(
        kind=kind,
        programme=programme,
        period=period,
        as_of_date=as_of_date,
        body=body,
        requested_by=requested_by,
        signatory=signatory,
    )


def _in_flight() -> QuerySet:
    """Reports queued or being built and not stuck: the complement, in the database, of
    GeneratedReport.is_stuck, which shows a build past its limit as failed."""
    now = timezone.now()
    limit = timedelta(seconds=settings.REPORT_BUILD_TIMEOUT)
    return GeneratedReport.objects.filter(
        Q(state=GeneratedReportState.QUEUED, requested_at__gte=now - 2 * limit)
        | Q(state=GeneratedReportState.RUNNING, started_at__gte=now - limit)
    )


def _enqueue(report_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        JOB,
        report_id,
        task_name=f"report-{report_id}",
        timeout=settings.REPORT_BUILD_TIMEOUT,
    )


@transaction.atomic
def generated_report_request(
    *,
    kind: str,
    programme: Programme,
    period: ReportingPeriod | None = None,
    as_of_date: date | None = None,
    body: Body | None = None,
    signatory: Signatory | None = None,
    acting_user,
) -> GeneratedReport:
    """A user asks for a report: it is recorded as queued and its build is put on the task
    queue once the request commits.

    The same report (kind, programme, period or date, body) still queued or being built, by
    whoever asked for it, is returned instead: anyone who may ask for a report may read it,
    and it shows the data of a moment ago. Past REPORT_BUILDS_IN_FLIGHT_MAX builds of their
    own in flight, the user is refused with TooManyReportBuilds and nothing is queued."""
    if not generated_report_policy.may_request(acting_user, kind, body.pk if body else None):
        raise PermissionDenied(f"request {kind} report about body #{body.pk if body else '-'}")
    _validated(kind=kind, programme=programme, period=period, as_of_date=as_of_date, body=body)
    _validated_signatory(kind=kind, body=body, signatory=signatory)
    # One request of a user at a time, so a double click cannot pass the checks below twice;
    # NO KEY, so rows that only refer to the user (history, log) are not held up.
    get_user_model().objects.select_for_update(no_key=True).filter(pk=acting_user.pk).first()
    same = (
        _in_flight()
        .filter(
            kind=kind,
            programme=programme,
            period=period,
            as_of_date=as_of_date,
            body=body,
            signatory=signatory,
        )
        .order_by("requested_at", "pk")
        .first()
    )
    if same is not None:
        return same
    most = settings.REPORT_BUILDS_IN_FLIGHT_MAX
    if _in_flight().filter(requested_by=acting_user).count() >= most:
        raise TooManyReportBuilds(
            ngettext(
                "You may have only %(most)d report being built at a time; wait until it is "
                "ready before asking for another.",
                "You may have at most %(most)d reports being built at a time; wait until one "
                "of them is ready before asking for another.",
                most,
            )
            % {"most": most},
            code="too_many_builds",
        )
    report = _create(
        kind=kind,
        programme=programme,
        period=period,
        as_of_date=as_of_date,
        body=body,
        requested_by=acting_user,
        signatory=signatory,
    )
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _claim(report_id: int) -> bool:
    """Move the report from queued to running; False when another worker got there first or
    it is no longer queued (a retried task after a build that timed out)."""
    claimed = GeneratedReport.objects.filter(
        pk=report_id, state=GeneratedReportState.QUEUED
    ).update(state=GeneratedReportState.RUNNING, started_at=timezone.now())
    # A queryset's update sends no signal: the pages listing reports are told here.
    data_changed()
    return bool(claimed)


def _fail(report_id: int, message: str) -> None:
    GeneratedReport.objects.filter(pk=report_id, state=GeneratedReportState.RUNNING).update(
        state=GeneratedReportState.FAILED, error=message[:500], finished_at=timezone.now()
    )
    data_changed()


def generated_report_build(*, report_id: int) -> GeneratedReport:
    """Build a queued report's PDF and workbook and keep them. Each state change is its own
    short transaction, on a condition on the state, so the build itself holds no transaction
    open and a report is built at most once: once done, nothing of it changes. A failure
    marks the report failed with its reason and is logged."""
    if not _claim(report_id):
        logger.info("Report %s is not queued; another worker got there first", report_id)
        return GeneratedReport.objects.get(pk=report_id)
    report = GeneratedReport.objects.select_related("programme", "period", "body", "signatory").get(
        pk=report_id
    )
    started = timezone.now()
    try:
        built = report_files(report)
    except Exception as error:
        logger.exception("Building report %s failed", report_id)
        _fail(report_id, _("The report could not be built: %(error)s") % {"error": error})
        return GeneratedReport.objects.get(pk=report_id)
    elapsed = timezone.now() - started
    if elapsed > timedelta(seconds=settings.REPORT_BUILD_TIMEOUT):
        _fail(report_id, _("The report took longer than the time limit to build."))
        return GeneratedReport.objects.get(pk=report_id)

    pdf, signed = built.pdf.content, False
    if signing_configured():
        try:
            pdf, signed = pdf_sign(pdf), True
        except SigningFailed:
            # Kept unsigned, and its page says so: a report is still of use without a signature.
            logger.exception("Signing report %s failed; it is kept unsigned", report_id)
    # The stored name says what the file is, and stays unique by the report's number.
    stem = f"{report_file_name(report)}-{report.pk}"
    storage = GeneratedReport._meta.get_field("pdf").storage
    month = timezone.localtime(report.requested_at).strftime("%Y/%m")
    pdf_name = storage.save(f"{month}/{stem}.pdf", ContentFile(pdf))
    xlsx_name = storage.save(f"{month}/{stem}.xlsx", ContentFile(built.xlsx))
    with transaction.atomic():
        saved = GeneratedReport.objects.filter(
            pk=report_id, state=GeneratedReportState.RUNNING
        ).update(
            state=GeneratedReportState.DONE,
            pdf=pdf_name,
            xlsx=xlsx_name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            signed=signed,
            xlsx_sha256=built.xlsx_sha256,
            page_count=built.pdf.page_count,
            finished_at=timezone.now(),
        )
        data_changed()
    if not saved:
        storage.delete(pdf_name)
        storage.delete(xlsx_name)
    logger.info(
        "Report %s built: %s pages in %.1f s",
        report_id,
        built.pdf.page_count,
        elapsed.total_seconds(),
    )
    return GeneratedReport.objects.get(pk=report_id)
