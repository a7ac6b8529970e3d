"""Reads of bodies, memberships and sign-in lockouts, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from .lockouts import address_window
from .models import Body, SecurityEvent, User


def body_queryset() -> QuerySet[Body]:
    return Body.objects.select_related("parent", "successor")


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


def security_events(
    *, kind: str = "", username: str = "", since=None, until=None
) -> QuerySet[SecurityEvent]:
    """The security log, newest first, filtered; days are the province's (Asia/Ho_Chi_Minh).
    One query per page and one to count."""
    events = SecurityEvent.objects.select_related("user")
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__icontains=username)
    zone = timezone.get_default_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        events = events.filter(
            at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        )
    return events.order_by("-at", "-id")
