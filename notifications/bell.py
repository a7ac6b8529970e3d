"""The number on the bell, cached per user under `User.notice_version`.

Every write that changes what the bell counts moves the version of the users it concerns in
the same transaction: a notice written (notices.py), a reminder recorded by the sweep, one
read or all read, reminders superseded. The version lives on the user's row, which every
request reads anyway, so a worker never serves a count another process has made stale, with
the per-process cache (locmem) as with Redis.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import F

from accounts.access import user_cache_forget
from accounts.models import User

from .models import Reminder

# A bump makes an entry unreachable at once; the timeout only frees the memory.
BELL_TIMEOUT = 6 * 60 * 60


def unread_count(user) -> int:
    """Unread reminders that still apply and unread notices: one count query after a change,
    none otherwise."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = f"bell:{user.pk}:{user.notice_version}"
    count = cache.get(key)
    if count is None:
        count = Reminder.objects.filter(recipient=user).unread().count()
        cache.set(key, count, BELL_TIMEOUT)
    return count


def bell_bump(user_ids: Iterable[int]) -> None:
    """Move the notice version of these users: their bell counts afresh on the next page."""
    user_ids = {pk for pk in user_ids if pk is not None}
    if not user_ids:
        return
    # A plain update: notice_version is excluded from the user's history (a counter derived
    # from the reminders, which are their own log).
    User.objects.filter(pk__in=user_ids).update(notice_version=F("notice_version") + 1)
    user_cache_forget(user_ids)
