"""Writing the security event log: who, what, when, from which address."""

from django.http import HttpRequest

from .models import SecurityEvent


def client_ip(request: HttpRequest | None) -> str | None:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (e.g. via the WSGI server);
    # X-Forwarded-For is not trusted here because any client can send it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


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
