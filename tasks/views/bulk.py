"""Bulk steps on assignments ticked on the list: one deadline for all of them, and a reporting
period opened or closed from them (the reminder sent now is the notifications app's).

Each step has a confirmation page (GET) that lists what will change and which rows may not be
changed and why, and a POST that does it through the same service as the single step, all or
nothing. A selection with a row that may not be changed answers 400 and names the row; the
page's queries do not grow with the number of rows selected.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Body
from programme.citations import cite_key
from review.views import GET_AND_POST

from ..forms import BulkDeadlineForm, BulkPeriodForm, SelectionForm, add_service_errors
from ..models import Assignment, DeadlineKind, ReportingPeriod
from ..permissions import Action, assignment_policy
from ..reporting import owing_assignments
from ..selectors import assignments_selected
from ..services.assignments import (
    SeenDeadline,
    assignments_set_deadline,
    deadline_refusals,
    deadline_seen,
)
from ..services.common import RowsRefused
from ..services.periods import (
    period_assignment_refusals,
    period_change_refusal,
    period_set_state_for_assignments,
)


def list_url(request) -> str:
    """The assignment list as the reviewer left it (its filters, sort and page), to return to
    once the step is done. Only a query string of our own list is kept."""
    data = request.POST if request.method == "POST" else request.GET
    back = QueryDict(data.get("back", "")).urlencode()
    return reverse("assignment_list") + (f"?{back}" if back else "")


def return_to_list(request) -> dict:
    """What the pages carry to return to the list: the list's query, and its address."""
    data = request.POST if request.method == "POST" else request.GET
    return {"back": data.get("back", ""), "list_url": list_url(request)}


def _data(request, field: str):
    """What the step's form is bound to: the POST, or a GET that carries the step's fields
    (the confirmation); None on the first GET, which only shows the form."""
    if request.method == "POST":
        return request.POST
    return request.GET if field in request.GET else None


def selection_rows(request):
    """The selection posted or in the query, as (form, ids, rows by id); rows the user may
    not see are absent from `rows`, and so refused as not existing."""
    selection = SelectionForm(request.POST if request.method == "POST" else request.GET)
    if not selection.is_valid():
        return selection, [], {}
    ids = selection.cleaned_data["ids"]
    return selection, ids, assignments_selected(user=request.user, ids=ids)


def rows_with(ids: list[int], rows: dict[int, Assignment], refusals: dict[int, str]) -> list:
    """Each selected row as the pages list it: the assignment (None if absent), its
    citation, and why it may not be changed."""
    return [
        {
            "pk": pk,
            "assignment": rows.get(pk),
            "citation": cite_key(rows[pk].item.key) if pk in rows else "",
            "refusal": refusals.get(pk, ""),
        }
        for pk in ids
    ]


def selection_refused(request, template: str, selection, context: dict):
    return render(request, template, {**context, "selection": selection, "rows": []}, status=400)


def _seen_posted(request, ids: list[int]) -> dict[int, SeenDeadline]:
    """The deadlines as the confirmation page showed them ("pk:kind:deadline:extended"). A
    row the page did not show is taken as changed since, so nothing is set unseen."""
    seen: dict[int, SeenDeadline] = {}
    for value in request.POST.getlist("seen"):
        parts = value.split(":")
        if len(parts) != 4 or not parts[0].isdigit():
            continue
        pk, kind, deadline, extended = parts
        try:
            seen[int(pk)] = (kind, parse_date(deadline), parse_date(extended))
        except ValueError:
            # A date that does not exist: not what any page showed.
            continue
    return {pk: seen.get(pk, ("", None, None)) for pk in ids}


def _seen_value(assignment: Assignment) -> str:
    kind, deadline, extended = deadline_seen(assignment)
    return ":".join(
        [
            str(assignment.pk),
            kind,
            deadline.isoformat() if deadline else "",
            extended.isoformat() if extended else "",
        ]
    )


@GET_AND_POST
def assignment_bulk_deadline(request):
    assignment_policy.require(request, Action.SET_DEADLINE)
    template = "tasks/assignment_bulk_deadline.html"
    selection, ids, rows = selection_rows(request)
    if not ids:
        return selection_refused(request, template, selection, {})
    form = BulkDeadlineForm(
        _data(request, "kind"),
        assignments=list(rows.values()),
        initial={"kind": DeadlineKind.FIXED},
    )
    bound = form.is_bound
    refusals: dict[int, str] = {}
    confirm = False
    if bound and form.is_valid():
        if request.method == "POST":
            try:
                changed = assignments_set_deadline(
                    assignments=[rows.get(pk) or Assignment(pk=pk) for pk in ids],
                    kind=form.cleaned_data["kind"],
                    deadline=form.cleaned_data["deadline"],
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                    seen=_seen_posted(request, ids),
                )
            except RowsRefused as refused:
                refusals = refused.refusals
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The deadline was set on %(count)s assignment.",
                        "The deadline was set on %(count)s assignments.",
                        len(changed),
                    )
                    % {"count": len(changed)},
                )
                return redirect(list_url(request))
        else:
            confirm = True
    if not refusals:
        refusals = deadline_refusals(assignment_ids=ids, rows=rows, acting_user=request.user)
    confirm = confirm and not refusals
    new_deadline = None
    if bound and not form.errors:
        new_deadline = {
            "kind": form.cleaned_data["kind"],
            "label": DeadlineKind(form.cleaned_data["kind"]).label,
            "date": form.cleaned_data["deadline"],
        }
    listed = rows_with(ids, rows, refusals)
    for row in listed:
        if row["assignment"] is not None:
            row["seen"] = _seen_value(row["assignment"])
    invalid = bool(refusals or form.errors)
    return render(
        request,
        template,
        {
            "selection": selection,
            **return_to_list(request),
            "rows": listed,
            "refused_count": len(refusals),
            "form": form,
            "confirm": confirm,
            "new_deadline": new_deadline,
            "confirm_past": bool(bound and not form.errors and form.cleaned_data["confirm_past"]),
        },
        status=400 if invalid else 200,
    )


def _owing_bodies(period: ReportingPeriod, *, today: date) -> list[Body]:
    """The bodies that report in the period: those an open or a closed period concerns."""
    return list(
        Body.objects.filter(
            pk__in=owing_assignments(period, today=today).order_by().values("body_id")
        ).order_by("position", "name")
    )


@GET_AND_POST
def assignment_bulk_period(request):
    assignment_policy.require(request, Action.MANAGE_PERIOD)
    template = "tasks/assignment_bulk_period.html"
    selection, ids, rows = selection_rows(request)
    if not ids:
        return selection_refused(request, template, selection, {})
    programme_ids = {row.item.programme_id for row in rows.values()}
    periods = (
        ReportingPeriod.objects.filter(programme_id__in=programme_ids)
        .exclude(state=ReportingPeriod.State.CLOSED)
        .select_related("programme")
        .order_by("due_on", "kind")
    )
    form = BulkPeriodForm(_data(request, "period"), periods=periods)
    refusals: dict[int, str] = {}
    confirm = False
    bodies: list[Body] = []
    period = None
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
        open_ = form.cleaned_data["change"] == BulkPeriodForm.OPEN
        programmes = {pk: row.item.programme_id for pk, row in rows.items()}
        if request.method == "POST":
            try:
                period_set_state_for_assignments(
                    period=period,
                    open_=open_,
                    assignments=[rows.get(pk) or Assignment(pk=pk) for pk in ids],
                    acting_user=request.user,
                )
            except RowsRefused as refused:
                refusals = refused.refusals
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if open_:
                    messages.success(request, _("The period was opened."))
                else:
                    messages.success(request, _("The period was closed."))
                return redirect("period_detail", pk=period.pk)
        else:
            refusals = period_assignment_refusals(period, assignment_ids=ids, programmes=programmes)
            if why := period_change_refusal(period, open_=open_):
                form.add_error("change", why)
            confirm = not refusals and not form.errors
        bodies = _owing_bodies(period, today=timezone.localdate())
    selected_bodies = {row.body_id for row in rows.values()}
    invalid = bool(refusals or form.errors)
    return render(
        request,
        template,
        {
            "selection": selection,
            **return_to_list(request),
            "rows": rows_with(ids, rows, refusals),
            "refused_count": len(refusals),
            "form": form,
            "confirm": confirm,
            "period": period,
            "bodies": [(body, body.pk in selected_bodies) for body in bodies],
            "unselected_count": sum(1 for body in bodies if body.pk not in selected_bodies),
        },
        status=400 if invalid else 200,
    )
