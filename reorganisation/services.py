"""Applying a reorganisation: one transaction that ends bodies, starts others and carries the
open work across, every change with the act as its reason.

A trial run takes the very same path and rolls it back, so what it reports is what applying
does."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Body, Membership
from accounts.services import user_groups_sync_all
from indicators.models import ExplanationRequest, ExplanationState, IndustrialArea
from programme.models import Target
from review.services import step_announce
from tasks.models import Assignment, ExtensionRequest, ProgressReport, ReportState
from tasks.services.common import reminders_refresh, tracked_save
from tasks.services.grants import assignment_grants_sync

from .models import AssignmentMove, Reorganisation, Succession
from .plan import Ending, Plan, PlanRefused, plan_faults


@dataclass
class Move:
    """An open assignment of an ended body and what carries it on."""

    original: Assignment
    carried_by: list[Assignment] = field(default_factory=list)
    # Of carried_by: assignments the successor already had on the task, which the work joins.
    joined: list[Assignment] = field(default_factory=list)
    drafts_left: int = 0


@dataclass
class ExtensionMove:
    """A pending extension request on a moved assignment: the successors' assignments it now
    waits on (the first one holds the request itself, any other a copy of it), or none when
    each already had a request waiting and it stays on the original."""

    request: ExtensionRequest
    original: Assignment
    waits_on: list[Assignment] = field(default_factory=list)


@dataclass
class ExplanationMove:
    """An open explanation request addressed to an ended body, and the successor it now asks."""

    request: ExplanationRequest
    subject: str
    to: Body


@dataclass
class BodyOutcome:
    """What the act does to one ended body."""

    body: Body
    successors: list[Body]
    moves: list[Move] = field(default_factory=list)
    finished_kept: int = 0
    delegations_reattached: int = 0
    memberships_ended: list[Membership] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    industrial_areas: list[IndustrialArea] = field(default_factory=list)
    extensions: list[ExtensionMove] = field(default_factory=list)
    explanations: list[ExplanationMove] = field(default_factory=list)

    @property
    def drafts_left(self) -> int:
        return sum(m.drafts_left for m in self.moves)

    @property
    def created_assignments(self) -> int:
        return sum(len(m.carried_by) - len(m.joined) for m in self.moves)


@dataclass
class Outcome:
    plan: Plan
    applied: bool
    reorganisation: Reorganisation | None
    created: list[Body] = field(default_factory=list)
    ended: list[BodyOutcome] = field(default_factory=list)

    @property
    def moved_count(self) -> int:
        return sum(len(b.moves) for b in self.ended)

    @property
    def created_assignments(self) -> int:
        return sum(b.created_assignments for b in self.ended)

    @property
    def memberships_ended(self) -> int:
        return sum(len(b.memberships_ended) for b in self.ended)

    @property
    def drafts_left(self) -> int:
        return sum(b.drafts_left for b in self.ended)

    @property
    def requests_moved(self) -> int:
        return sum(len(b.extensions) + len(b.explanations) for b in self.ended)


@transaction.atomic
def reorganisation_apply(*, plan: Plan, acting_user, dry_run: bool = False) -> Outcome:
    """Apply the plan in one transaction: the ended bodies end the day before it takes
    effect, the new ones start that day; each open assignment of an ended body passes to the
    successors the plan gives it to (a new assignment that links back to it, with its
    deadline and approved extension) and the original is closed on the effective date,
    keeping its reports and history; a pending extension request goes with it and an open
    explanation request to the successor that carries the work, and the successor's members
    are told of them; completed and cancelled work and decided or closed requests stay;
    memberships in the ended bodies end and their grants go; the successors' members get the
    grants of the work they take on; indicators and industrial areas pass to the first
    successor. A plan with any fault is refused before anything changes. With dry_run,
    everything is done and rolled back (and nobody is told)."""
    faults = plan_faults(plan)
    if faults:
        raise PlanRefused(faults)
    with translation.override(settings.LANGUAGE_CODE):
        outcome = _apply(plan=plan, acting_user=acting_user)
    if dry_run:
        transaction.set_rollback(True)
        outcome.applied = False
        outcome.reorganisation = None
    else:
        reminders_refresh()
    return outcome


def _apply(*, plan: Plan, acting_user) -> Outcome:
    effective = plan.effective_on
    last_day = effective - timedelta(days=1)
    act = Reorganisation(
        code=plan.code,
        title=plan.title,
        basis_number=plan.basis_number,
        basis_date=plan.basis_date,
        basis_issuer=plan.basis_issuer,
        effective_on=effective,
        plan=plan.raw,
        applied_at=timezone.now(),
        applied_by=acting_user,
    )
    reason = act.reason
    tracked_save(act, acting_user=acting_user, reason=reason)
    outcome = Outcome(plan=plan, applied=True, reorganisation=act)

    ended_codes = [e.body for e in plan.endings]
    bodies = {
        b.code: b
        for b in Body.objects.select_for_update().filter(
            code__in={*ended_codes, *(s for e in plan.endings for s in e.successors)}
            | {b.parent for b in plan.new_bodies if b.parent}
        )
    }
    outcome.created = _bodies_create(plan, bodies, acting_user=acting_user, reason=reason)

    by_body: dict[int, BodyOutcome] = {}
    successors_of: dict[int, list[Body]] = {}
    ending_of: dict[int, Ending] = {}
    position = 0
    for ending in plan.endings:
        body = bodies[ending.body]
        successors = [bodies[code] for code in ending.successors]
        body.valid_to = last_day
        body.successor = successors[0] if successors else None
        tracked_save(body, acting_user=acting_user, reason=reason)
        for successor in successors:
            position += 1
            succession = Succession(
                reorganisation=act,
                ended_body=body,
                successor=successor,
                position=position,
                source=ending.source,
            )
            tracked_save(succession, acting_user=acting_user, reason=reason)
        successors_of[body.pk] = successors
        ending_of[body.pk] = ending
        by_body[body.pk] = BodyOutcome(body=body, successors=successors)
        outcome.ended.append(by_body[body.pk])

    def takers(original: Assignment) -> list[Body]:
        codes, _shared = ending_of[original.body_id].takers(original.item.key)
        return [b for b in successors_of[original.body_id] if b.code in codes]

    items, carried = _work_move(act, by_body, takers, acting_user=acting_user)
    _people_release(by_body, last_day, acting_user=acting_user, reason=reason)
    _responsibilities_move(by_body, acting_user=acting_user, reason=reason)
    _extensions_move(by_body, carried, acting_user=acting_user, reason=reason)
    _explanations_move(by_body, carried, acting_user=acting_user, reason=reason)

    # Grants follow: the closed originals lose theirs, the successors' assignments gain
    # them, and the ended memberships take their members out of the bodies' groups.
    user_groups_sync_all()
    if items:
        assignment_grants_sync(items=items)
    return outcome


def _bodies_create(plan: Plan, bodies: dict[str, Body], *, acting_user, reason) -> list[Body]:
    """The new bodies, from the effective date; parents first. Each takes the display place of
    the first body it succeeds, so the lists show it where its predecessor was."""
    place: dict[str, int] = {}
    for ending in plan.endings:
        for code in ending.successors:
            place.setdefault(code, bodies[ending.body].position)
    pending = list(plan.new_bodies)
    created = []
    while pending:
        ready = [n for n in pending if not n.parent or n.parent in bodies]
        for new in ready:
            body = Body(
                code=new.code,
                name=new.name,
                short_name=new.short_name,
                name_en=new.name_en,
                kind=new.kind,
                parent=bodies.get(new.parent) if new.parent else None,
                valid_from=plan.effective_on,
                position=place.get(new.code, 5000),
            )
            tracked_save(body, acting_user=acting_user, reason=reason)
            bodies[new.code] = body
            created.append(body)
        pending = [n for n in pending if n not in ready]
    return created


def _by_depth(assignments: list[Assignment]) -> list[Assignment]:
    """Delegating assignments before the parts delegated from them."""
    ids = {a.pk for a in assignments}
    parent_of = {a.pk: a.parent_id for a in assignments}

    def depth(a: Assignment) -> int:
        n, current = 0, a.parent_id
        while current in ids:
            n, current = n + 1, parent_of[current]
        return n

    return sorted(assignments, key=lambda a: (depth(a), a.pk))


def _work_move(
    act, by_body: dict[int, BodyOutcome], takers, *, acting_user
) -> tuple[set[int], dict[int, list[Assignment]]]:
    """Carry each open assignment of the ended bodies to the successors that take it (as the
    plan says: `takers(original)`); return the tasks whose assignments changed, and per
    original the assignments that carry it on."""
    reason = act.reason
    ended_ids = list(by_body)
    for body_id, finished in (
        Assignment.objects.filter(body_id__in=ended_ids)
        .exclude(cancelled_on__isnull=True, completed_on__isnull=True)
        .values("body_id")
        .annotate(n=Count("pk"))
        .values_list("body_id", "n")
        .order_by()
    ):
        by_body[body_id].finished_kept = finished
    originals = _by_depth(
        list(
            Assignment.objects.select_for_update()
            .filter(body_id__in=ended_ids, cancelled_on__isnull=True, completed_on__isnull=True)
            .order_by("pk")
        )
    )
    if not originals:
        return set(), {}
    assignments_by_id = Assignment.objects.select_related("item", "body").in_bulk(
        [a.pk for a in originals]
    )
    drafts = dict(
        ProgressReport.objects.filter(assignment__in=originals, state=ReportState.DRAFT)
        .values("assignment_id")
        .annotate(n=Count("pk"))
        .values_list("assignment_id", "n")
        .order_by()
    )
    for original in originals:
        original.body = assignments_by_id[original.pk].body
        original.item = assignments_by_id[original.pk].item
    takers_of = {original.pk: takers(original) for original in originals}
    already = {
        (a.item_id, a.body_id, a.role): a
        for a in Assignment.objects.filter(
            item_id__in={a.item_id for a in originals},
            body_id__in={s.pk for ss in takers_of.values() for s in ss},
        )
    }
    carried: dict[int, list[Assignment]] = {}
    items: set[int] = set()
    for original in originals:
        move = Move(original=original, drafts_left=drafts.get(original.pk, 0))
        note = _("Moved from %(body)s under %(basis)s, from %(day)s.") % {
            "body": original.body.name,
            "basis": act.basis_number,
            "day": act.effective_on.strftime("%d/%m/%Y"),
        }
        if move.drafts_left:
            note += " " + _(
                "%(count)d unsent draft report(s) stayed with it, seen by the Party Office."
            ) % {"count": move.drafts_left}
        for successor in takers_of[original.pk]:
            parent = None
            if original.parent_id is not None:
                moved_parent = carried.get(original.parent_id)
                parent = moved_parent[0] if moved_parent else original.parent
            key = (original.item_id, successor.pk, original.role)
            target = already.get(key)
            if target is not None:
                move.joined.append(target)
            else:
                target = Assignment(
                    item_id=original.item_id,
                    body=successor,
                    role=original.role,
                    parent=parent,
                    basis_id=original.basis_id,
                    predecessor=original,
                    note=note[:255],
                    deadline_kind=original.deadline_kind,
                    deadline=original.deadline,
                    extended_deadline=original.extended_deadline,
                    starts_on=act.effective_on,
                )
                tracked_save(target, acting_user=acting_user, reason=reason)
                already[key] = target
            move.carried_by.append(target)
            tracked_save(
                AssignmentMove(
                    reorganisation=act,
                    original=original,
                    successor=target,
                    drafts_left=move.drafts_left,
                ),
                acting_user=acting_user,
                reason=reason,
            )
        # The original keeps its reports and history; from the effective date its work is
        # carried on by the successors, so it no longer counts as open work.
        original.cancelled_on = act.effective_on
        tracked_save(original, acting_user=acting_user, reason=reason)
        carried[original.pk] = move.carried_by
        by_body[original.body_id].moves.append(move)
        items.add(original.item_id)

    # Parts delegated to bodies that go on now hang under the first successor's assignment.
    for child in Assignment.objects.select_for_update().filter(
        Q(parent_id__in=list(carried)),
        ~Q(body_id__in=ended_ids),
        cancelled_on__isnull=True,
        completed_on__isnull=True,
    ):
        original_id = child.parent_id
        child.parent = carried[original_id][0]
        tracked_save(child, acting_user=acting_user, reason=reason)
        by_body[assignments_by_id[original_id].body_id].delegations_reattached += 1
        items.add(child.item_id)
    return items, carried


def _people_release(by_body, last_day, *, acting_user, reason) -> None:
    """Memberships in the ended bodies end on their last day; one that would only have begun
    after it is removed (its history keeps it)."""
    for membership in (
        Membership.objects.select_for_update()
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day), body_id__in=list(by_body))
        .select_related("user", "role")
    ):
        by_body[membership.body_id].memberships_ended.append(membership)
        membership._history_user = acting_user
        membership._change_reason = reason
        if membership.valid_from > last_day:
            membership.delete()
        else:
            membership.valid_to = last_day
            membership.save()


def _responsibilities_move(by_body, *, acting_user, reason) -> None:
    """Indicators and industrial areas answer to one body: the first successor."""
    for model, attribute in ((Target, "targets"), (IndustrialArea, "industrial_areas")):
        for row in model.objects.select_for_update().filter(responsible_body_id__in=list(by_body)):
            outcome = by_body[row.responsible_body_id]
            getattr(outcome, attribute).append(row)
            if outcome.successors:
                row.responsible_body = outcome.successors[0]
                tracked_save(row, acting_user=acting_user, reason=reason)


def _extensions_move(by_body, carried, *, acting_user, reason) -> None:
    """A pending extension request goes with its moved assignment, so that the Party Office
    can still decide it: to the first successor's assignment that has none waiting, and a copy
    to each other successor that shares the work (each decides its own deadline). The
    successor's members are told it waits for a decision. Decided requests stay."""
    pending = (
        ExtensionRequest.objects.select_for_update()
        .filter(assignment_id__in=list(carried), state=ExtensionRequest.State.PENDING)
        .order_by("pk")
    )
    pending = list(pending)
    if not pending:
        return
    waiting = set(
        ExtensionRequest.objects.filter(
            assignment_id__in={a.pk for targets in carried.values() for a in targets},
            state=ExtensionRequest.State.PENDING,
        ).values_list("assignment_id", flat=True)
    )
    originals = {m.original.pk: m.original for b in by_body.values() for m in b.moves}
    for request in pending:
        original = originals[request.assignment_id]
        move = ExtensionMove(request=request, original=original)
        for target in carried[original.pk]:
            if target.pk in waiting:
                continue
            if not move.waits_on:
                row = request
            else:
                row = ExtensionRequest(
                    reason=request.reason,
                    current_deadline=request.current_deadline,
                    proposed_deadline=request.proposed_deadline,
                    requested_by=request.requested_by,
                )
            row.assignment = target
            row.carried_from = original
            tracked_save(row, acting_user=acting_user, reason=reason)
            step_announce(row, "extension_requested", acting_user)
            waiting.add(target.pk)
            move.waits_on.append(target)
        by_body[original.body_id].extensions.append(move)


def _explanations_move(by_body, carried, *, acting_user, reason) -> None:
    """An explanation request still awaiting its answer from an ended body goes to the
    successor that carries the work: for a task, the first assignment carrying it on (the
    request then points at it); for an indicator, the successor that answers for it now, the
    first. The successor's officers and leaders are told. Answered and closed requests stay."""
    first_carrier = {pk: targets[0] for pk, targets in carried.items() if targets}
    for request in (
        ExplanationRequest.objects.select_for_update(of=("self",))
        .filter(body_id__in=list(by_body), state=ExplanationState.OPEN)
        .select_related("target", "assignment__item")
        .order_by("pk")
    ):
        outcome = by_body[request.body_id]
        carrier = first_carrier.get(request.assignment_id)
        if carrier is not None:
            subject = request.assignment.item.key
            request.assignment = carrier
            request.body = carrier.body
        elif outcome.successors:
            subject = request.target.name if request.target_id else request.assignment.item.key
            request.body = outcome.successors[0]
        else:
            continue
        tracked_save(request, acting_user=acting_user, reason=reason)
        step_announce(request, "explanation_requested", acting_user)
        outcome.explanations.append(
            ExplanationMove(request=request, subject=subject, to=request.body)
        )
