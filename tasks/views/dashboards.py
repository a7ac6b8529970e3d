"""The dashboards and the assignment list: read-only pages, each built by one selector of the
tasks.dashboards package from what the permission policy lets the user see."""

import re
from dataclasses import dataclass

from django.core.paginator import Page
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.exports import list_export, list_response
from accounts.permissions import refuse
from config.tables import export_format, table_configure
from versions.data import fragment_cached

from ..dashboards.access import may_use_agency_home, may_use_compliance, may_use_supervision
from ..dashboards.agency import agency_work_html
from ..dashboards.assignment_list import (
    assignment_list_queryset,
    filter_choices,
    visibility_key,
)
from ..dashboards.base import period_list_all
from ..dashboards.compliance import compliance_page, page_limits
from ..dashboards.report_list import report_list_queryset
from ..dashboards.supervision import supervision_page
from ..filters import AssignmentFilterForm, PeriodChoiceForm, ReportFilterForm
from ..permissions import Action, assignment_policy
from ..tables import AssignmentTable, ProgressReportTable


@require_safe
def agency_home(request):
    """My body's work. Anyone signed in may open it; one who is no body's officer or leader
    is told so rather than refused."""
    today = timezone.localdate()
    is_agency_member = may_use_agency_home(request.user)
    return render(
        request,
        "tasks/agency_home.html",
        {
            "agency_work": (
                agency_work_html(user=request.user, today=today) if is_agency_member else None
            ),
            "is_agency_member": is_agency_member,
            "may_use_compliance": may_use_compliance(request.user),
            "may_use_supervision": may_use_supervision(request.user),
            "today": today,
        },
    )


# The compliance overview is cached as HTML with holes for its pagers: their links repeat the
# request's whole query string, so they are rendered on each request into the marked places
# of the cached HTML, which then depends only on what its key names. The period form stays in
# the cached HTML: a GET form without a token, it shows only the key's programme and period.
PAGERS = {"bodies": "by-body", "reporting_bodies": "reporting-by-body"}
HOLE = re.compile("<!--pager:(" + "|".join(PAGERS) + ")-->")


@dataclass(frozen=True)
class CachedOverview:
    """The overview's HTML split around its pagers (`html[0] pagers[0] html[1] …`), and the
    pages of bodies to render them from."""

    html: list[str]
    pagers: list[str]
    pages: dict[str, Page | None]


def _compliance_overview(request, *, today) -> CachedOverview:
    periods = period_list_all()
    form = PeriodChoiceForm(request.GET or None, periods=periods)
    page = compliance_page(
        user=request.user,
        today=today,
        periods=periods,
        period_id=form.period_id(),
        programme_id=form.programme_id(),
        body_page=request.GET.get("bodies"),
    )
    form.programmes_offer(page.programmes)
    markup = render_to_string(
        "tasks/includes/compliance_overview_content.html",
        {
            "page": page,
            "form": form,
            "today": today,
            "pagers": {name: mark_safe(f"<!--pager:{name}-->") for name in PAGERS},
        },
    )
    parts = HOLE.split(markup)
    return CachedOverview(
        html=parts[::2],
        pagers=parts[1::2],
        pages={"bodies": page.bodies_page, "reporting_bodies": page.reporting_bodies_page},
    )


@require_safe
def compliance_overview(request):
    """The Party Office's overview: the counts by status and reporting status, overall, by
    task group and by body, of what the user sees. Cached for the user's visibility, the day
    and the chosen programme, period and page of bodies, at the data version."""
    assignment_policy.require(request, Action.VIEW)
    today = timezone.localdate()
    overview = fragment_cached(
        "compliance-overview",
        (
            # Exactly what the user sees, as for the list: a role's grants are its own.
            visibility_key(request.user),
            today.isoformat(),
            # As typed: the form shows them so.
            *(request.GET.get(name) for name in ("programme", "period", "bodies")),
            *page_limits(),
        ),
        lambda: _compliance_overview(request, today=today),
    )
    content = [overview.html[0]]
    for name, html in zip(overview.pagers, overview.html[1:], strict=True):
        pager = render_to_string(
            "tasks/includes/bodies_pager.html",
            {"pager": overview.pages[name], "anchor": PAGERS[name], "label": _("Pages of bodies")},
            request=request,
        )
        content += [pager, html]
    return render(
        request,
        "tasks/compliance_overview.html",
        {"content": mark_safe("".join(content)), "today": today},
    )


@require_safe
def supervision_overview(request):
    if not may_use_supervision(request.user):
        refuse(request, what="view supervision overview")
    today = timezone.localdate()
    return render(
        request,
        "tasks/supervision_overview.html",
        {"page": supervision_page(user=request.user, today=today), "today": today},
    )


@require_safe
def assignment_list(request):
    """The assignments the user may see, filtered; sorted by a heading, paged, or exported
    (`?export=xlsx|csv`). The compliance overview's, the desks' and the agency home's counts
    all link here, so each drill-down sorts, pages and exports alike.

    The page's filters and table are cached as rendered, under the data version and all they
    depend on besides: whose rows the user sees, the bulk steps they may take (the tick
    boxes), the query string (filters, sort, page, rows per page) and the day. An export is
    never cached: it is logged each time."""
    today = timezone.localdate()
    # Tick boxes, and the steps for the ticked rows, only for who may take a bulk step.
    bulk_steps = assignment_policy.bulk_steps(request.user)
    fmt = export_format(request)
    if fmt is not None:
        form, filters, table = _assignment_table(request, today=today, bulk_steps=bulk_steps)
        return list_export(request, table, fmt=fmt, form=form, default_sort=filters.sort)
    content = fragment_cached(
        "assignment-list",
        (
            visibility_key(request.user),
            ",".join(sorted(bulk_steps)),
            request.GET.urlencode(),
            today.isoformat(),
        ),
        lambda: _assignment_list_content(request, today=today, bulk_steps=bulk_steps),
    )
    return render(request, "tasks/assignment_list.html", {"content": mark_safe(content)})


def _assignment_table(request, *, today, bulk_steps: set[str]):
    form = AssignmentFilterForm(
        request.GET or None, choices=filter_choices(user=request.user), today=today
    )
    filters = form.filters()
    table = AssignmentTable(
        assignment_list_queryset(user=request.user, filters=filters, today=today),
        today=today,
        period=filters.period,
        select=bool(bulk_steps),
        request=request,
    )
    return form, filters, table


def _assignment_list_content(request, *, today, bulk_steps: set[str]) -> str:
    """The list's filters and table as HTML, without the page around them (the user's name,
    the menu, the CSRF token of the sign-out form): the same for every user with the same key."""
    form, filters, table = _assignment_table(request, today=today, bulk_steps=bulk_steps)
    table_configure(request, table, default_sort=filters.sort)
    return render_to_string(
        "tasks/assignment_list_content.html",
        {
            "table": table,
            "form": form,
            "filters": filters,
            "today": today,
            "bulk_steps": bulk_steps,
        },
        request=request,
    )


@require_safe
def progress_report_list(request):
    """The progress reports the user may see (the report policy: a body's own drafts, and the
    sent reports of the assignments the user sees), filtered; sorted, paged or exported."""
    today = timezone.localdate()
    choices = filter_choices()
    form = ReportFilterForm(request.GET or None, choices=choices)
    table = ProgressReportTable(
        report_list_queryset(
            user=request.user, filters=form.filters(), periods=choices.periods, today=today
        ),
        request=request,
    )
    return list_response(
        request,
        table,
        form=form,
        template_name="tasks/progressreport_list.html",
        context={"today": today},
    )
