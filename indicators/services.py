"""Writes of the indicators app.

Yearly figures go the progress report's way: an officer of the responsible body drafts, its
leader submits, the Party Office accepts (which locks the figure) or returns it with reasons;
a returned figure is revised and submitted again. Explanation requests: the Party Office
asks, the body answers, the Party Office closes. Each step is a history record carrying who,
when and why; each service checks the permission policy itself.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.models import Programme, Target
from review.services import (
    Flow,
    Stale,
    clean_text,
    ensure,
    review_accept,
    review_return,
    review_submit,
    review_update,
    step_announce,
    tracked_save,
)
from tasks.models import Assignment
from tasks.services.common import reminders_refresh
from tasks.status import Status, assignment_status

from .assessment import ON_TRACK, fmt
from .models import (
    ExplanationRequest,
    ExplanationState,
    IndustrialArea,
    YearlyFigure,
)
from .permissions import Action, explanation_policy, figure_policy
from .selectors import indicator_rows, programme_years


class StaleFigure(Stale):
    """Someone saved the figure after this form was opened."""


@dataclass(frozen=True)
class FigureData:
    year: int
    value: Decimal
    source: str
    note: str = ""


def _year_bounds(subject) -> tuple[int, int]:
    if isinstance(subject, Target):
        return programme_years(subject.programme)
    bounds = [programme_years(p) for p in Programme.objects.all()]
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def check_figure(subject: Target | IndustrialArea, data: FigureData) -> None:
    """Refuse a figure that cannot be right: a year outside the programme or still to come, a
    share outside 0-100%, a growth rate of -100% or less, a negative area, or more land let
    than the zone or cluster has to let."""
    first, last = _year_bounds(subject)
    this_year = timezone.localdate().year
    if not first <= data.year <= last:
        raise ValidationError(
            {
                "year": _("The programme runs from %(first)s to %(last)s; %(year)s is outside it.")
                % {"first": first, "last": last, "year": data.year}
            }
        )
    if data.year > this_year:
        raise ValidationError(
            {
                "year": _("%(year)s has not begun: no figure can be reported for it yet.")
                % {"year": data.year}
            }
        )
    value = data.value
    if isinstance(subject, Target):
        unit = subject.unit.strip()
        if subject.measure == Target.Measure.LEVEL and unit == "%" and not 0 <= value <= 100:
            raise ValidationError(
                {
                    "value": _(
                        "This indicator is a share in percent: the value must be from 0 to 100, "
                        "not %(value)s. Enter the percentage itself (e.g. 42,5), not a ratio or "
                        "an amount."
                    )
                    % {"value": fmt(value, 3)}
                }
            )
        if subject.measure == Target.Measure.AVERAGE_ANNUAL_GROWTH and value <= -100:
            raise ValidationError(
                {
                    "value": _(
                        "A yearly growth rate is above -100%%; %(value)s is not a growth rate."
                    )
                    % {"value": fmt(value, 3)}
                }
            )
        return
    if value < 0:
        raise ValidationError({"value": _("An area cannot be negative.")})
    if subject.leasable_area_ha is None:
        raise ValidationError(
            _(
                "The leasable industrial land of %(area)s is not recorded yet: an administrator "
                "enters it in the register first."
            )
            % {"area": subject.name}
        )
    if value > subject.leasable_area_ha:
        raise ValidationError(
            {
                "value": _(
                    "The occupied area (%(occupied)s ha) cannot exceed the leasable industrial "
                    "land of %(area)s (%(leasable)s ha): occupancy would be above 100%%."
                )
                % {
                    "occupied": fmt(value),
                    "area": subject.name,
                    "leasable": fmt(subject.leasable_area_ha),
                }
            }
        )


def _apply(figure: YearlyFigure, data: FigureData) -> None:
    figure.year = data.year
    figure.value = data.value
    figure.source = clean_text(data.source)
    figure.note = clean_text(data.note)
    if not figure.source:
        raise ValidationError({"source": _("Say where the figure comes from.")})
    check_figure(figure.subject, data)
    figure.full_clean(
        exclude=["target", "industrial_area", "body", "drafted_by"], validate_constraints=False
    )


def _responsible_body(subject):
    if isinstance(subject, Target):
        if subject.values_from != Target.ValuesFrom.ENTERED:
            raise ValidationError(
                _(
                    "This indicator is computed from the figures of the industrial zones and "
                    "clusters: enter those instead."
                )
            )
        return subject.responsible_body
    return subject.responsible_body


@transaction.atomic
def figure_create(
    *, subject: Target | IndustrialArea, data: FigureData, acting_user
) -> YearlyFigure:
    """An officer or leader of the responsible body starts a year's figure, as a draft: an
    indicator's actual value, or the land occupied in a zone or cluster."""
    body = _responsible_body(subject)
    if body is None:
        raise ValidationError(_("No body is responsible for this indicator's figures yet."))
    if not figure_policy.may_enter(acting_user, body.pk):
        raise PermissionDenied(f"enter figure for {subject._meta.label_lower} #{subject.pk}")
    # Hold the subject, so two people starting the same year meet here, not at the constraint.
    subject = type(subject).objects.select_for_update().get(pk=subject.pk)
    lookup = {"target": subject} if isinstance(subject, Target) else {"industrial_area": subject}
    if YearlyFigure.objects.filter(**lookup, year=data.year).exists():
        raise ValidationError(
            {
                "year": _("A figure for %(year)s already exists; open it to revise it.")
                % {"year": data.year}
            }
        )
    figure = YearlyFigure(**lookup, body=body, drafted_by=acting_user)
    _apply(figure, data)
    tracked_save(figure, acting_user=acting_user, reason=_("Draft created"))
    return figure


def _check_year_free(figure: YearlyFigure, year: int) -> None:
    if year == figure.year:
        return
    lookup = (
        {"target_id": figure.target_id}
        if figure.target_id
        else {"industrial_area_id": figure.industrial_area_id}
    )
    if YearlyFigure.objects.filter(**lookup, year=year).exclude(pk=figure.pk).exists():
        raise ValidationError(
            {
                "year": _("A figure for %(year)s already exists; open it to revise it.")
                % {"year": year}
            }
        )


def figure_update(
    *, figure: YearlyFigure, data: FigureData, expected_version: int, acting_user
) -> YearlyFigure:
    """Revise a draft or returned figure. A save from a form opened before someone else's save
    is refused, so neither edit is silently lost."""

    def apply(locked: YearlyFigure) -> None:
        _check_year_free(locked, data.year)
        _apply(locked, data)

    return review_update(
        FIGURE_FLOW, figure, expected_version=expected_version, acting_user=acting_user, apply=apply
    )


def _check_sendable(figure: YearlyFigure) -> None:
    # Checked again: the register may have changed since the figure was drafted.
    check_figure(figure.subject, FigureData(figure.year, figure.value, figure.source, figure.note))


# No related rows are followed when a figure is held: the subject's foreign keys are
# nullable, and PostgreSQL locks no row on the nullable side of an outer join.
FIGURE_FLOW = Flow(
    model=YearlyFigure,
    policy=figure_policy,
    stale_error=StaleFigure,
    stale_message=gettext_lazy(
        "%(user)s saved this figure at %(time)s after you opened it. Your changes were "
        "not saved; reload the figure and apply them again."
    ),
    return_reason_missing=gettext_lazy("Say why the figure is returned."),
    content_fields=("year", "value", "source", "note"),
    check_sendable=_check_sendable,
    submit_warning=gettext_lazy(
        "Once submitted, the figure can no longer be changed by your body unless the Party "
        "Office returns it."
    ),
    accept_label=gettext_lazy("Accept the figure"),
    accept_warning=gettext_lazy(
        "Accepting the figure locks it: nobody can change it afterwards, and it counts in the "
        "indicators' verdicts."
    ),
    submitted=gettext_lazy("The figure was submitted to the Party Office."),
    accepted=gettext_lazy("The figure was accepted."),
    returned=gettext_lazy("The figure was returned to the body."),
)


def figure_submit(*, figure: YearlyFigure, acting_user) -> YearlyFigure:
    """The body's leader submits (or resubmits) the figure to the Party Office."""
    return review_submit(FIGURE_FLOW, figure, acting_user=acting_user)


def figure_accept(*, figure: YearlyFigure, acting_user) -> YearlyFigure:
    """The Party Office accepts the figure, which locks it and makes it count."""
    return review_accept(FIGURE_FLOW, figure, acting_user=acting_user)


def figure_return(*, figure: YearlyFigure, reason: str, acting_user) -> YearlyFigure:
    """The Party Office returns the figure to the body with its reasons."""
    return review_return(FIGURE_FLOW, figure, reason=reason, acting_user=acting_user)


def _check_due(due_on: date) -> None:
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The explanation cannot be due in the past.")})


@transaction.atomic
def explanation_request(
    *,
    question: str,
    due_on: date,
    acting_user,
    target: Target | None = None,
    assignment: Assignment | None = None,
) -> ExplanationRequest:
    """The Party Office asks the responsible body to explain an indicator that is not on
    track, or an overdue task, by a due date. Reminders go out as for any deadline."""
    if not explanation_policy.user_has_permission(acting_user, Action.REQUEST_EXPLANATION):
        raise PermissionDenied("request explanation")
    if (target is None) == (assignment is None):
        raise ValueError("an explanation is asked about one indicator or one assignment")
    question = clean_text(question)
    if not question:
        raise ValidationError({"question": _("Say what is to be explained.")})
    _check_due(due_on)
    if target is not None:
        if target.responsible_body_id is None:
            raise ValidationError(_("No body is responsible for this indicator's figures yet."))
        row = next(r for r in indicator_rows(programme=target.programme) if r.target == target)
        if row.assessment.verdict == ON_TRACK:
            raise ValidationError(_("This indicator is on track: there is nothing to explain."))
        body = target.responsible_body
    else:
        # Read afresh: the deadline decides, as it is now.
        assignment = Assignment.objects.select_related("body").get(pk=assignment.pk)
        if assignment_status(assignment, today=timezone.localdate()) != Status.OVERDUE:
            raise ValidationError(
                _("Only an overdue task is asked to be explained; this one is not overdue.")
            )
        body = assignment.body
    request = ExplanationRequest(
        target=target,
        assignment=assignment,
        body=body,
        question=question,
        due_on=due_on,
        requested_by=acting_user,
    )
    request.full_clean(validate_constraints=False)
    tracked_save(request, acting_user=acting_user, reason=_("Explanation requested"))
    step_announce(request, "explanation_requested", acting_user)
    reminders_refresh()
    return request


@transaction.atomic
def explanation_answer(
    *, request: ExplanationRequest, answer: str, acting_user
) -> ExplanationRequest:
    """An officer or leader of the body asked gives (or revises) its explanation; reminders
    stop."""
    request = ExplanationRequest.objects.select_for_update().get(pk=request.pk)
    ensure(explanation_policy, acting_user, Action.ANSWER, request)
    answer = clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the explanation.")})
    revised = request.state == ExplanationState.ANSWERED
    request.answer = answer
    request.state = ExplanationState.ANSWERED
    request.answered_by = acting_user
    request.answered_at = timezone.now()
    tracked_save(
        request,
        acting_user=acting_user,
        reason=_("Explanation revised") if revised else _("Explanation given"),
    )
    step_announce(request, "explanation_answered", acting_user)
    return request


@transaction.atomic
def explanation_close(*, request: ExplanationRequest, note: str, acting_user) -> ExplanationRequest:
    """The Party Office closes the request, with a note; closed, it is neither answered nor
    reminded any more."""
    request = ExplanationRequest.objects.select_for_update().get(pk=request.pk)
    ensure(explanation_policy, acting_user, Action.CLOSE, request)
    request.state = ExplanationState.CLOSED
    request.closing_note = clean_text(note)
    request.closed_by = acting_user
    request.closed_at = timezone.now()
    tracked_save(request, acting_user=acting_user, reason=_("Closed"))
    return request
