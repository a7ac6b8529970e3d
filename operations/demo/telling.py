"""How the demo story is told: each dated step runs through the services with the clock set to
its date (time-machine), in its own transaction, so history, submission and review times are
the step's and the notices a step announces are sent as of that day.

The story sets up what it needs at its start (the reference data, the demo accounts, the
people the demo accounts do not cover), so the history of every row begins before the story's
first step. A database set up later than that cannot hold the story truthfully: its rows were
created "after" the story changed them, and reports rebuilt from history would come out
wrong. Such a database is left as it is, with a note saying how to start afresh.
"""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import time_machine
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Body, Membership, User
from tasks.models import Assignment, ProgressReport, ReportingPeriod

logger = logging.getLogger(__name__)

PROGRAMME = "nq23"


class DemoStoryRefused(Exception):
    """The story may not be loaded here at all (production settings, or a clock before the
    story's end)."""


class Outcome(enum.Enum):
    LOADED = "loaded"
    ALREADY_THERE = "already_there"
    # A database whose rows were recorded after the story begins, or an earlier load that
    # stopped part way: left untouched.
    NOT_TOLD = "not_told"


@dataclass(frozen=True)
class DemoStoryOutcome:
    outcome: Outcome
    message: str
    steps: int = 0


def at(moment: str) -> datetime:
    """A local time, "YYYY-MM-DD HH:MM", as an aware datetime (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.strptime(moment, "%Y-%m-%d %H:%M"))


@dataclass(frozen=True)
class Step:
    """One dated thing that happens in the story; `act` calls the services."""

    when: datetime
    what: str
    act: Callable[["Story"], object]


@dataclass(frozen=True)
class WorkKey:
    """An assignment named as the document and the fixtures name it."""

    item: str
    body: str
    role: str

    def __str__(self) -> str:
        return f"{self.item} {self.body} ({self.role})"


class StoryError(Exception):
    """The story cannot go on: a body, person or assignment it names is not there."""


@dataclass
class Story:
    """What a step reads: the people and rows it names, resolved on the step's own date.

    Everything is read afresh on each call: the permission policies cache a user's grants and
    memberships on the user object, and a step must see those of its own day."""

    reports: dict[tuple[WorkKey, str], int] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return timezone.localdate()

    def body(self, code: str) -> Body:
        """The body, or the one that carries its work on from the step's date: a body that has
        ended hands its open work to its successor."""
        try:
            body = Body.objects.get(code=code)
        except Body.DoesNotExist as error:
            raise StoryError(f"no body {code!r}") from error
        seen = {body.pk}
        while not body.is_active_on(self.today) and body.successor_id:
            body = body.successor
            if body.pk in seen:
                break
            seen.add(body.pk)
        return body

    def user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise StoryError(f"no user {username!r}") from error

    def member(self, body: Body | str, role: str) -> User:
        """The person holding the role in the body (or its successor) on the step's date; the
        demo account where there is one, since those are the people a newcomer signs in as."""
        if isinstance(body, str):
            body = self.body(body)
        membership = (
            Membership.objects.active_on(self.today)
            .filter(body=body, role__code=role, user__is_active=True)
            .order_by("valid_from", "pk")
            .first()
        )
        if membership is None:
            raise StoryError(f"no {role} of {body.code} on {self.today}")
        return User.objects.get(pk=membership.user_id)

    def work(self, key: WorkKey) -> Assignment:
        """The assignment, or the one that carries it on from the step's date: a reorganisation
        closes an ended body's open assignment and moves the work to its successor's
        (Assignment.predecessor)."""
        try:
            assignment = Assignment.objects.get(
                item__programme__code=PROGRAMME,
                item__key=key.item,
                body__code=key.body,
                role=key.role,
            )
        except Assignment.DoesNotExist as error:
            raise StoryError(f"no assignment {key}") from error
        seen = {assignment.pk}
        while assignment.cancelled_on is not None and assignment.cancelled_on <= self.today:
            successor = assignment.successors.order_by("body__position", "pk").first()
            if successor is None or successor.pk in seen:
                break
            seen.add(successor.pk)
            assignment = successor
        return Assignment.objects.select_related("item", "body").get(pk=assignment.pk)

    def doer(self, key: WorkKey, role: str) -> User:
        """The officer or leader of the body that holds the work on the step's date."""
        return self.member(self.work(key).body, role)

    def period(self, code: str) -> ReportingPeriod:
        return ReportingPeriod.objects.get(programme__code=PROGRAMME, code=code)

    def report(self, key: WorkKey, period_code: str) -> ProgressReport:
        return ProgressReport.objects.select_related("assignment", "period").get(
            pk=self.reports[(key, period_code)]
        )


def demo_story_refusal() -> str | None:
    """Why the story may not be loaded with these settings, or None. Its people have a
    published password and its data is invented: never where real data lives. Production is
    told apart by its settings module, by DEBUG (off there) and by DEMO_ACCOUNTS_ALLOWED (off
    there)."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if module.rsplit(".", 1)[-1] == "production":
        return _("The demo story is never loaded under the production settings (%(module)s).") % {
            "module": module
        }
    if not settings.DEBUG:
        return _(
            "The demo story is loaded only with DEBUG on (a developer's machine); "
            "make run DEMO=0 leaves it out."
        )
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        return _("The demo story needs the demo accounts, which these settings do not allow.")
    return None


def _recorded_since() -> datetime | None:
    """When this database's first tracked rows were recorded: the earliest history of an
    assignment or of a membership, if there is any. (Not of a user: migrate creates
    guardian's anonymous user on the day it runs.)"""
    firsts = [
        model.history.order_by("history_date").values_list("history_date", flat=True).first()
        for model in (Assignment, Membership)
    ]
    firsts = [moment for moment in firsts if moment is not None]
    return min(firsts) if firsts else None


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def tell(
    *,
    steps: list[Step],
    is_told: Callable[[], bool],
    is_begun: Callable[[], bool],
    say: Callable[[str], None] | None = None,
) -> DemoStoryOutcome:
    """Tell the story: each step with the clock at its date, in its own transaction, in date
    order (steps of the same moment in the order given). Once told it is not told again; on a
    database set up after the story begins it is not told at all (see the module's note)."""
    refusal = demo_story_refusal()
    if refusal:
        raise DemoStoryRefused(refusal)
    ordered = sorted(steps, key=lambda step: step.when)
    first, last = ordered[0].when, ordered[-1].when
    if timezone.now() < last:
        raise DemoStoryRefused(
            _(
                "The demo story ends on %(end)s, but this machine's clock says %(now)s: its "
                "history would be in the future. make run DEMO=0 leaves it out."
            )
            % {"end": _day(last), "now": _day(timezone.now())}
        )
    if is_told():
        return DemoStoryOutcome(Outcome.ALREADY_THERE, _("The demo story is already loaded."))
    if is_begun():
        return DemoStoryOutcome(
            Outcome.NOT_TOLD,
            _(
                "An earlier load of the demo story stopped part way; it was not loaded again. "
                "To see it, start from an empty database (remove db.sqlite3, then make run)."
            ),
        )
    since = _recorded_since()
    if since is not None and since > first:
        return DemoStoryOutcome(
            Outcome.NOT_TOLD,
            _(
                "The demo story was not loaded: this database was set up on %(since)s, after "
                "the story begins (%(first)s), so its history would run backwards. To see it, "
                "start from an empty database (remove db.sqlite3, then make run)."
            )
            % {"since": _day(since), "first": _day(first)},
        )
    story = Story()
    for step in ordered:
        if say is not None:
            say(f"{timezone.localtime(step.when):%d/%m/%Y %H:%M}  {step.what}")
        # The transaction ends inside the travel, so what a step announces on commit (the
        # notices, a reminder sweep queued) is dated as the step.
        with time_machine.travel(step.when, tick=False), transaction.atomic():
            step.act(story)
    return DemoStoryOutcome(
        Outcome.LOADED,
        _("The demo story is loaded: %(count)d steps from %(first)s to %(last)s.")
        % {"count": len(ordered), "first": _day(first), "last": _day(last)},
        steps=len(ordered),
    )
