"""Writes of the feeds app: making, resetting and stopping a feed address, and noting each
fetch in the security log."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.security import client_ip, security_event_record

from .models import FeedToken
from .permissions import feed_policy
from .selectors import token_hash

# What stands for the secret wherever the address is written down.
HIDDEN = "[token]"


def _require_own(user, acting_user) -> None:
    if acting_user is None or acting_user.pk != user.pk:
        raise PermissionDenied("a feed address is its own person's")
    if not feed_policy.user_has_permission(acting_user, feed_policy.HOLD):
        raise PermissionDenied("hold a calendar feed")


@transaction.atomic
def feed_token_reset(*, user, acting_user) -> str:
    """Give the person's feed a new secret address; the old one, if any, stops answering at
    once. Returns the secret, which is kept only as its hash: it can be shown this once."""
    _require_own(user, acting_user)
    secret = secrets.token_urlsafe(32)
    FeedToken.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": token_hash(secret),
            "created_at": timezone.now(),
            "last_fetched_at": None,
        },
    )
    return secret


@transaction.atomic
def feed_token_stop(*, user, acting_user) -> bool:
    """Stop the person's feed: its address answers no more. False if there was none."""
    _require_own(user, acting_user)
    deleted, _ = FeedToken.objects.filter(user=user).delete()
    return bool(deleted)


def _log(*, kind: str, request: HttpRequest, path: str, user, detail: str) -> None:
    SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=user.get_username() if user else "",
        ip_address=client_ip(request),
        method=(request.method or "")[:10],
        path=path[:500],
        detail=detail[:500],
    )


def feed_fetch_record(*, feed: FeedToken, request: HttpRequest, secret: str, events: int) -> None:
    """Note a calendar program's fetch: on the feed (shown on its page) and in the security
    log."""
    now = timezone.now()
    # Not tracked data: one stamp, written in place.
    FeedToken.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    # The address is written without its secret: administrators read the log, and must not
    # be able to open someone's feed from it.
    _log(
        kind=SecurityEvent.Kind.EXPORT,
        request=request,
        path=request.get_full_path().replace(secret, HIDDEN),
        user=feed.user,
        detail=f"calendar feed: {events} events",
    )


def feed_refusal_record(*, request: HttpRequest) -> None:
    """Note a fetch with a wrong, reset or stopped address, in full (it opens nothing), with
    whoever is signed in on the browser that sent it, if anyone."""
    security_event_record(
        kind=SecurityEvent.Kind.REFUSED,
        request=request,
        detail="calendar feed: no feed has this address",
    )
