"""The forms that act on an assignment (deadline, extension, delegation, findings) and its
history; the assignment's own page is in assignment_page.py.

Each view reads the assignment, asks the policy (an assignment the user may not see is a 404,
an action they may not take on one they see is a 403), parses the input with a form, calls one
service and redirects; a service's refusal comes back on the form with status 400.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Body
from programme.citations import cite_key
from review.views import GET_AND_POST, posted

from ..forms import (
    DeadlineForm,
    DelegateForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    FindingForm,
    add_service_errors,
)
from ..models import (
    Assignment,
    ExtensionRequest,
    ProgressReport,
    ReportingPeriod,
)
from ..permissions import Action, assignment_policy
from ..services.assignments import assignment_delegate as delegate_service
from ..services.assignments import assignment_set_deadline
from ..services.extensions import extension_decide as decide_service
from ..services.extensions import extension_request
from ..services.findings import finding_record
from ..succession import lineage_timeline


def assignment_queryset() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(
        "item__programme", "body", "parent__body", "parent__item", "predecessor__body"
    )


def visible_assignment(request, pk: int, queryset: QuerySet | None = None) -> Assignment:
    """The assignment, or a 404 alike for one that does not exist and one the user may not
    see."""
    assignment = get_object_or_404(assignment_queryset() if queryset is None else queryset, pk=pk)
    assignment_policy.require(request, Action.VIEW, assignment, hide=True)
    return assignment


def assignment_for(request, pk: int, action: str) -> Assignment:
    assignment = visible_assignment(request, pk)
    assignment_policy.require(request, action, assignment)
    return assignment


def delegation_candidates(assignment: Assignment | None = None) -> QuerySet[Body]:
    """The bodies directly under the assignment's body, still in existence, not yet given a
    part of this task. Without an assignment, the same for the assignment of an outer query."""
    if assignment is None:
        item, body = OuterRef(OuterRef("item_id")), OuterRef("body_id")
    else:
        item, body = assignment.item_id, assignment.body_id
    already = Assignment.objects.filter(item_id=item, role=Assignment.Role.DELEGATED).values(
        "body_id"
    )
    return (
        Body.objects.filter(parent_id=body).active_on(timezone.localdate()).exclude(pk__in=already)
    )


def periods_without_report(assignment: Assignment) -> QuerySet[ReportingPeriod]:
    """Open periods of the programme that have no report on the assignment yet."""
    return (
        ReportingPeriod.objects.filter(
            programme_id=assignment.item.programme_id, state=ReportingPeriod.State.OPEN
        )
        .exclude(pk__in=ProgressReport.objects.filter(assignment=assignment).values("period_id"))
        .order_by("due_on", "kind")
    )


@require_safe
def assignment_history(request, pk: int):
    assignment = visible_assignment(request, pk)
    return render(
        request,
        "tasks/assignment_history.html",
        {
            "assignment": assignment,
            "citation": cite_key(assignment.item.key),
            # With the history of the ended body's assignment it carries on, as one line.
            "entries": lineage_timeline(assignment=assignment),
        },
    )


def _render_form(request, template: str, context: dict, *, invalid: bool):
    return render(request, template, context, status=400 if invalid else 200)


@GET_AND_POST
def assignment_deadline(request, pk: int):
    assignment = assignment_for(request, pk, Action.SET_DEADLINE)
    initial = {"kind": assignment.deadline_kind, "deadline": assignment.deadline}
    form = DeadlineForm(posted(request), initial=initial, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            assignment_set_deadline(
                assignment=assignment,
                kind=form.cleaned_data["kind"],
                deadline=form.cleaned_data["deadline"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The deadline was saved."))
            return redirect("assignment_detail", pk=assignment.pk)
    return _render_form(
        request,
        "tasks/assignment_deadline_form.html",
        {"assignment": assignment, "citation": cite_key(assignment.item.key), "form": form},
        invalid=request.method == "POST",
    )


@GET_AND_POST
def extension_request_create(request, pk: int):
    assignment = assignment_for(request, pk, Action.REQUEST_EXTENSION)
    form = ExtensionRequestForm(posted(request), current_deadline=assignment.effective_deadline)
    if request.method == "POST" and form.is_valid():
        try:
            extension_request(
                assignment=assignment,
                proposed_deadline=form.cleaned_data["proposed_deadline"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The extension request was sent to the Party Office."))
            return redirect("assignment_detail", pk=assignment.pk)
    return _render_form(
        request,
        "tasks/extension_request_form.html",
        {"assignment": assignment, "citation": cite_key(assignment.item.key), "form": form},
        invalid=request.method == "POST",
    )


@GET_AND_POST
def extension_decide(request, pk: int):
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("requested_by", "decided_by"), pk=pk
    )
    assignment = assignment_for(request, extension.assignment_id, Action.SET_DEADLINE)
    form = ExtensionDecideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decide_service(
                request=extension,
                approve=form.approve,
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("The extension was approved."))
            else:
                messages.success(request, _("The extension was refused."))
            return redirect("assignment_detail", pk=assignment.pk)
    return _render_form(
        request,
        "tasks/extension_decide_form.html",
        {
            "assignment": assignment,
            "citation": cite_key(assignment.item.key),
            "extension": extension,
            "form": form,
        },
        invalid=request.method == "POST",
    )


@GET_AND_POST
def assignment_delegate(request, pk: int):
    assignment = assignment_for(request, pk, Action.DELEGATE)
    candidates = delegation_candidates(assignment)
    form = DelegateForm(posted(request), bodies=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            delegated = delegate_service(
                assignment=assignment,
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Part of the task was delegated to %(body)s.") % {"body": delegated.body},
            )
            return redirect("assignment_detail", pk=assignment.pk)
    return _render_form(
        request,
        "tasks/assignment_delegate_form.html",
        {
            "assignment": assignment,
            "citation": cite_key(assignment.item.key),
            "form": form,
            "has_candidates": candidates.exists(),
        },
        invalid=request.method == "POST",
    )


@GET_AND_POST
def finding_create(request, pk: int):
    assignment = assignment_for(request, pk, Action.RECORD_FINDING)
    periods = ReportingPeriod.objects.filter(programme_id=assignment.item.programme_id).exclude(
        state=ReportingPeriod.State.PLANNED
    )
    form = FindingForm(posted(request), periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            finding_record(
                supervision=assignment,
                period=form.cleaned_data["period"],
                text=form.cleaned_data["text"],
                recommendation=form.cleaned_data["recommendation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect("assignment_detail", pk=assignment.pk)
    return _render_form(
        request,
        "tasks/finding_form.html",
        {"assignment": assignment, "citation": cite_key(assignment.item.key), "form": form},
        invalid=request.method == "POST",
    )
