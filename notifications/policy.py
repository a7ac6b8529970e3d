"""Which step of the reminder policy is due for a deadline on a given day: pure date
arithmetic, kept apart from the database so the rules can be tested over a table of cases."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StepRule:
    pk: int
    code: str
    days_from_deadline: int
    repeat_every_days: int | None
    audience: str


@dataclass(frozen=True)
class DueStep:
    step: StepRule
    occurrence: int
    # The day, counted from the deadline, on which this occurrence came due.
    offset: int


def due_steps(steps: Iterable[StepRule], *, deadline: date, today: date) -> list[DueStep]:
    """For each audience, the latest step occurrence that has come due by `today`, if any.

    Only the latest: after the system was down for a while, people get the reminder that fits
    today, not a burst of the ones they missed. Whether it already went out is for the caller
    to ask of the delivery log.
    """
    days = (today - deadline).days
    latest: dict[str, DueStep] = {}
    for step in steps:
        if days < step.days_from_deadline:
            continue
        occurrence = 0
        if step.repeat_every_days:
            occurrence = (days - step.days_from_deadline) // step.repeat_every_days
        offset = step.days_from_deadline + occurrence * (step.repeat_every_days or 0)
        current = latest.get(step.audience)
        if current is None or (offset, step.code) > (current.offset, current.step.code):
            latest[step.audience] = DueStep(step, occurrence, offset)
    return [latest[audience] for audience in sorted(latest)]


def lookahead_days(steps: Iterable[StepRule]) -> int:
    """How many days ahead of a deadline the earliest step fires."""
    return max([0, *(-s.days_from_deadline for s in steps)])
