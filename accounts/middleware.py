"""Signing out a session left idle for longer than SESSION_IDLE_TIMEOUT_MINUTES."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import SecurityEvent
from .security import security_event_record

LAST_ACTIVITY_KEY = "_last_activity"
# The stored time moves at most this often, so most requests leave the session untouched and
# cost no write.
WRITE_EVERY_SECONDS = 60


def last_activity_stamp(session, *, now: float | None = None) -> None:
    """Record activity now in the session (called at sign-in and by the middleware)."""
    session[LAST_ACTIVITY_KEY] = int(now if now is not None else time.time())


class SessionIdleTimeoutMiddleware:
    """Signs out a user whose previous request is older than the idle timeout, logs it in the
    security log, says why, and sends them to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        if minutes <= 0 or not request.user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int | float) and now - last > minutes * 60:
            return self._sign_out(request, minutes)
        if not isinstance(last, int | float) or now - last >= WRITE_EVERY_SECONDS:
            last_activity_stamp(request.session, now=now)
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest, minutes: int) -> HttpResponse:
        security_event_record(
            kind=SecurityEvent.Kind.SESSION_EXPIRED,
            request=request,
            detail=f"no activity for more than {minutes} minutes",
        )
        logout(request)
        messages.info(
            request,
            _(
                "You were signed out after %(minutes)d minutes without activity. "
                "Please sign in again."
            )
            % {"minutes": minutes},
        )
        # Back to the page after signing in, but never to replay a form sent after the timeout.
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return redirect_to_login(next_url or settings.LOGIN_REDIRECT_URL)
