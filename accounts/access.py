"""The signed-in user's access, cached: their memberships, their model permissions and what
the apps above derive from their groups (the assignment grants), kept per user under a
version that every change of access bumps.

The version is `User.access_version`, a column of the user's row, which every request reads
anyway (from the database, or, with USER_CACHE on a shared cache, from there: the same writes
drop it). A cached entry
is keyed on that version, so after a bump the next request asks for a key nobody has written
and computes afresh: nothing has to reach every process's cache to invalidate it, which keeps
the per-process cache (locmem, the default without REDIS_URL) as right as Redis.

What bumps it (every write path of memberships, groups and grants):
- the accounts services (membership_grant, membership_end, the groups' sync) and the admin's
  membership forms, through the receivers in signals.py on Membership, on the users' groups,
  on the users' own permissions and on the groups' permissions (m2m_changed), and on bodies
  and roles (a membership shows its body's and role's names);
- tasks.services.grants.assignment_grants_sync, for the groups whose assignment grants it
  added or removed (bulk writes that send no signal).
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from .models import User

T = TypeVar("T")

# Long enough to serve a working day; a bump makes an entry unreachable at once anyway.
ACCESS_TIMEOUT = 6 * 60 * 60


def access_cached(user, name: str, compute: Callable[[], T], *, day: date | None = None) -> T:
    """`compute()` for this user at their current access version, from the cache when there.

    The key holds everything the value depends on besides the version: the superuser and
    active flags (a change of those saves the user, not their access) and, for what is valid
    by date, the day."""
    parts = [
        "access",
        name,
        str(user.pk),
        str(user.access_version),
        "su" if user.is_superuser else "-",
        "a" if user.is_active else "-",
    ]
    if day is not None:
        parts.append(day.isoformat())
    key = ":".join(parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ACCESS_TIMEOUT)
    return value


# Set while a restore loads an archive: its rows, access versions included, come back as
# they were saved, and the restore empties the whole cache instead (access_bumps_paused).
_bumps_paused: ContextVar[bool] = ContextVar("access_bumps_paused", default=False)


@contextmanager
def access_bumps_paused() -> Iterator[None]:
    """Load rows as they were (a restore) without moving anyone's access version. The caller
    must empty the cache once the rows are in: entries keyed on the restored versions may
    hold what the database held before."""
    token = _bumps_paused.set(True)
    try:
        yield
    finally:
        _bumps_paused.reset(token)


def access_bump(*, user_ids: Iterable[int] = (), group_ids: Iterable[int] = ()) -> None:
    """Move the access version of these users, and of every member of these groups, in the
    current transaction: their cached access is not read again."""
    if _bumps_paused.get():
        return
    user_ids, group_ids = set(user_ids), set(group_ids)
    if not user_ids and not group_ids:
        return
    affected = set(user_ids)
    if group_ids:
        affected |= set(
            User.objects.filter(groups__in=group_ids).values_list("pk", flat=True).distinct()
        )
    if not affected:
        return
    # A plain update: access_version is excluded from the user's history (a derived counter,
    # not part of the record people review), so this writes nothing history would show.
    User.objects.filter(pk__in=affected).update(access_version=F("access_version") + 1)
    user_cache_forget(affected)


def _user_key(user_id) -> str:
    return f"access:user:{user_id}"


def user_cache_forget(user_ids: Iterable[int]) -> None:
    """Drop the cached user rows (USER_CACHE): now, and again once the transaction commits, so
    that a request reading between the two cannot put the old row back for long."""
    if not settings.USER_CACHE:
        return
    keys = [_user_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def user_cached(user_id) -> User | None:
    """The signed-in user's row: from the shared cache when USER_CACHE is on (on a miss, and
    otherwise, from the database)."""
    if not settings.USER_CACHE:
        return User._default_manager.filter(pk=user_id).first()
    key = _user_key(user_id)
    user = cache.get(key)
    if user is None:
        user = User._default_manager.filter(pk=user_id).first()
        if user is not None:
            cache.set(key, user, ACCESS_TIMEOUT)
    return user
