"""An assignment's page, served from the cache.

What the page shows is the same for every reader but for a few answers of the permission
policy (`Answers`): whether they see the body's drafts, whether they decide extensions, which
of the assignments it links to they may open. So it is kept in two entries under one read of
the data version (one query):

- the assignment's facts (`Facts`, per assignment and day): the assignment with what it hangs
  under, its status, its delegated parts and the assignments carrying it on; enough to refuse
  a reader who may not see it (a 404, before anything is shown) and to ask for their answers
  without a query;
- its sections rendered to HTML, per assignment, day and answers: readers who answer alike
  (the officers of one body, the Party Office's reviewers) share them. They are rendered
  without the request, so they hold no CSRF token and nothing of the reader but the answers.

The actions at the top are rendered on each request from the facts and the reader's
permissions, as is the layout around (the reader's name, the bell, the sign-out form).
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from programme.citations import cite_key
from versions.data import cached, fragment_key

from ..models import Assignment, DeadlineKind, ExtensionRequest, Finding
from ..permissions import Action, assignment_policy, report_policy
from ..status import Status, assignment_status, completed_within_original, rolled_up
from ..succession import carried_on_by
from .assignments import delegation_candidates, periods_without_report


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    status: Status
    visible: bool


@dataclass(frozen=True)
class Facts:
    """What the page knows of the assignment before it asks who reads it. The assignment comes
    with its task, programme, body, parent and predecessor, and knows whether it may be
    delegated, whether it was, and whether an extension request is pending."""

    assignment: Assignment
    citation: str
    status: Status
    delegations: list[tuple[Assignment, Status]]
    successors: list[Assignment]


@dataclass(frozen=True)
class Answers:
    """All that the cached sections depend on about their reader."""

    # The body's members: its drafts, the offers to write a report, and (with
    # `records_findings` for a supervision) the discussion's messages about drafts.
    sees_drafts: bool
    records_findings: bool
    # The Party Office: the button to decide a pending extension.
    decides_extensions: bool
    # Which of the linked assignments open as links.
    parent: bool
    predecessor: bool
    successors: tuple[bool, ...]
    delegations: tuple[bool, ...]


def _facts(pk: int, today: date) -> Facts:
    """The assignment in one query (Http404 if there is none), its delegated parts in one
    more where there are some, and those carrying it on in one more for a closed one."""
    pending = ExtensionRequest.objects.filter(
        assignment_id=OuterRef("pk"), state=ExtensionRequest.State.PENDING
    )
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "item__programme", "body", "parent__body", "predecessor__body"
        ).annotate(
            may_be_delegated=Exists(delegation_candidates()),
            has_delegations=Exists(Assignment.objects.filter(parent_id=OuterRef("pk"))),
            has_pending_extension=Exists(pending),
        ),
        pk=pk,
    )
    delegations = (
        assignment.delegations.select_related("body").order_by("body__position", "body__name")
        if assignment.has_delegations
        else ()
    )
    return Facts(
        assignment=assignment,
        citation=cite_key(assignment.item.key),
        status=assignment_status(assignment, today=today),
        delegations=[(d, assignment_status(d, today=today)) for d in delegations],
        successors=carried_on_by(assignment),
    )


def answers_of(user, facts: Facts) -> Answers:
    """The reader's answers, from their grants (read once per request, from the cache)."""
    assignment = facts.assignment

    def may(action: str, target: Assignment | None = assignment) -> bool:
        return target is not None and assignment_policy.user_has_permission_for_instance(
            user, action, target
        )

    return Answers(
        sees_drafts=report_policy.sees_drafts(user, assignment),
        records_findings=may(Action.RECORD_FINDING),
        decides_extensions=may(Action.SET_DEADLINE),
        parent=may(Action.VIEW, assignment.parent),
        predecessor=may(Action.VIEW, assignment.predecessor),
        successors=tuple(may(Action.VIEW, s) for s in facts.successors),
        delegations=tuple(may(Action.VIEW, d) for d, _ in facts.delegations),
    )


def _sections(facts: Facts, answers: Answers, *, user) -> tuple[str, str]:
    """The page's HTML above the actions and below them, for readers with these answers."""
    assignment = facts.assignment
    delegations = [
        AssignmentRow(d, status, visible)
        for (d, status), visible in zip(facts.delegations, answers.delegations, strict=True)
    ]
    reports = []
    if assignment.is_reporting:
        reports = list(
            report_policy.reports_of(assignment, drafts=answers.sees_drafts)
            .select_related("period")
            .order_by("-period__due_on", "-period__kind")
        )
    extensions = list(
        assignment.extension_requests.select_related("requested_by", "decided_by").order_by(
            "-requested_at", "-id"
        )
    )
    if assignment.role == Assignment.Role.SUPERVISE:
        findings = Finding.objects.filter(supervision=assignment)
    else:
        findings = Finding.objects.filter(
            supervision__item_id=assignment.item_id, supervision__role=Assignment.Role.SUPERVISE
        )
    findings = list(
        findings.select_related("supervision__body", "period", "recorded_by").order_by(
            "-recorded_at", "-id"
        )
    )
    draft_periods = []
    if assignment.is_reporting and assignment.cancelled_on is None and answers.sees_drafts:
        draft_periods = list(periods_without_report(assignment))
    head = render_to_string(
        "tasks/includes/assignment_detail_head.html",
        {
            "assignment": assignment,
            "citation": facts.citation,
            "status": facts.status,
            # After an extension, completion is judged against the original deadline too.
            "within_original": completed_within_original(assignment)
            if assignment.extended_deadline
            else None,
            # The delegated parts roll up into the assignment they came from.
            "overall_status": rolled_up([facts.status, *(row.status for row in delegations)])
            if delegations
            else None,
            "parent": assignment.parent,
            "parent_visible": answers.parent,
            # Across a reorganisation: the work this carries on, or that carries it on.
            "predecessor": assignment.predecessor,
            "predecessor_visible": answers.predecessor,
            "moved_to": list(zip(facts.successors, answers.successors, strict=True)),
        },
    )
    sections = render_to_string(
        "tasks/includes/assignment_detail_sections.html",
        {
            "assignment": assignment,
            "delegations": delegations,
            "reports": reports,
            "extensions": extensions,
            "findings": findings,
            "offers": {
                "draft_periods": draft_periods,
                "decide_extension": answers.decides_extensions,
            },
            # For the discussion's count, which depends on the reader only through whether
            # they are the body's members (`sees_drafts`, `records_findings`).
            "user": user,
        },
    )
    return head, sections


@require_safe
def assignment_detail(request, pk: int):
    user = request.user
    today = timezone.localdate()
    # Both entries under one read of the version: the sections' key extends the facts'.
    key = fragment_key("assignment-page", pk, today)
    facts = cached(key, lambda: _facts(pk, today))
    assignment = facts.assignment
    assignment_policy.require(request, Action.VIEW, assignment, hide=True)
    answers = answers_of(user, facts)
    answers_digest = hashlib.blake2b(repr(answers).encode(), digest_size=16).hexdigest()
    head, sections = cached(f"{key}:{answers_digest}", lambda: _sections(facts, answers, user=user))

    def may(action: str) -> bool:
        return assignment_policy.user_has_permission_for_instance(user, action, assignment)

    open_ = assignment.cancelled_on is None and assignment.completed_on is None
    pending = assignment.has_pending_extension
    offers = {
        "set_deadline": open_ and not pending and may(Action.SET_DEADLINE),
        "request_extension": (
            open_
            and assignment.deadline_kind == DeadlineKind.FIXED
            and not pending
            and may(Action.REQUEST_EXTENSION)
        ),
        "delegate": (
            assignment.cancelled_on is None and assignment.may_be_delegated and may(Action.DELEGATE)
        ),
        "record_finding": (
            assignment.role == Assignment.Role.SUPERVISE
            and assignment.cancelled_on is None
            and may(Action.RECORD_FINDING)
        ),
    }
    return render(
        request,
        "tasks/assignment_detail.html",
        {
            "assignment": assignment,
            "citation": facts.citation,
            "status": facts.status,
            "offers": offers,
            # Rendered by _sections from the data and the answers alone (escaped there).
            "head": mark_safe(head),
            "sections": mark_safe(sections),
        },
    )
