"""Writing the security event log: who, what, when, from which address."""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

from .models import SecurityEvent, User

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_proxy(address: str | None, proxies: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def attempted_username(request: HttpRequest | None, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the user name a sign-in tried, cut to the longest a user name can
    be. Axes keeps it in a column of 255 characters; a longer one names no user, and written
    whole it would fail on PostgreSQL."""
    if credentials:
        username = credentials.get("username")
    else:
        username = request.POST.get("username") if request is not None else None
    longest = User._meta.get_field("username").max_length
    return str(username or "")[:longest]


def client_ip(request: HttpRequest | None) -> str | None:
    """The address a request came from: REMOTE_ADDR, unless that is one of TRUSTED_PROXIES;
    then the nearest address in X-Forwarded-For that is not a trusted proxy, reading from the
    right, since only the entries our own proxies appended can be believed (a client may
    send the header with anything in it). django-axes reads addresses through this too
    (AXES_CLIENT_IP_CALLABLE), so a lockout and the security log name the same address."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    if not proxies or not _is_proxy(remote, proxies):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        try:
            client = str(ipaddress.ip_address(hop.strip()))
        except ValueError:
            # Not written by a proxy of ours: stop at the last address that was.
            break
        if not _is_proxy(client, proxies):
            break
    return client


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Append one event to the security log."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request),
        method=(request.method or "")[:10] if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        detail=detail[:500],
    )
