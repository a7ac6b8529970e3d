"""Reads of bodies, memberships and sign-in lockouts, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from tasks.selectors import RoleGroup, assignment_list_for_body, group_by_role

from .lockouts import address_window
from .models import Body, User


@dataclass(frozen=True)
class KindGroup:
    """The bodies of one kind (departments, district-level committees, ...)."""

    kind: str
    bodies: list[Body]

    @property
    def label(self) -> str:
        return Body.Kind(self.kind).label


@dataclass(frozen=True)
class BodyPage:
    body: Body
    children: list[Body]
    predecessors: list[Body]
    assignment_groups: list[RoleGroup]

    @property
    def task_count(self) -> int:
        return len({a.item_id for group in self.assignment_groups for a in group.assignments})


def body_queryset() -> QuerySet[Body]:
    return Body.objects.select_related("parent", "successor")


def body_list_by_kind() -> list[KindGroup]:
    """All bodies with the number of distinct tasks each is given, grouped by kind in the order
    the kinds are declared; one query."""
    bodies = body_queryset().annotate(
        task_count=Count(
            "assignments__item",
            filter=Q(assignments__cancelled_on__isnull=True),
            distinct=True,
        ),
    )
    by_kind: dict[str, list[Body]] = {kind: [] for kind in Body.Kind.values}
    for body in bodies:
        by_kind.setdefault(body.kind, []).append(body)
    return [KindGroup(kind, members) for kind, members in by_kind.items() if members]


def body_page(*, body: Body) -> BodyPage:
    """What the body page shows besides the body itself, in two queries."""
    related = list(Body.objects.filter(Q(parent=body) | Q(successor=body)))
    return BodyPage(
        body=body,
        children=[b for b in related if b.parent_id == body.pk],
        predecessors=[b for b in related if b.successor_id == body.pk],
        assignment_groups=group_by_role(assignment_list_for_body(body=body)),
    )


@dataclass(frozen=True)
class Lockout:
    """A sign-in lockout in force: of one user name at one address, or (by_address) of every
    user name at the address."""

    by_address: bool
    ip_address: str
    username: str | None
    user: User | None
    # The failure that locked it: refused attempts are not counted, so nothing comes after.
    since: datetime
    ends: datetime
    failures: int


def lockouts_in_force() -> list[Lockout]:
    """The lockouts in force now, newest first, in three queries."""
    now = timezone.now()
    cool_off = get_cool_off()
    pairs = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), since=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by()
    )
    address_limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    addresses = (
        AccessFailureLog.objects.filter(attempt_time__gte=now - address_window())
        .values("ip_address")
        .annotate(failures=Count("id"), since=Max("attempt_time"))
        .filter(failures__gte=address_limit)
        .order_by()
        if address_limit > 0
        else []
    )
    pairs = list(pairs)
    users = User.objects.in_bulk(
        [p["username"] for p in pairs if p["username"]], field_name="username"
    )
    lockouts = [
        Lockout(
            by_address=False,
            ip_address=p["ip_address"],
            username=p["username"],
            user=users.get(p["username"]),
            since=p["since"],
            ends=p["since"] + cool_off,
            failures=p["failures"],
        )
        for p in pairs
    ] + [
        Lockout(
            by_address=True,
            ip_address=a["ip_address"],
            username=None,
            user=None,
            since=a["since"],
            # At the latest: the window may let the oldest failures go before then.
            ends=a["since"] + address_window(),
            failures=a["failures"],
        )
        for a in addresses
    ]
    return sorted(lockouts, key=lambda lockout: lockout.since, reverse=True)
