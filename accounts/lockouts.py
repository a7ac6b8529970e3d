"""Sign-in lockouts: django-axes' database handler with a second line of defence.

Axes locks a user name at one address (AXES_LOCKOUT_PARAMETERS) after AXES_FAILURE_LIMIT
failures. That alone lets one address guess at many user names, five each; so an address with
SIGN_IN_ADDRESS_FAILURE_LIMIT failures within the window is refused too, whatever user name it
tries. Axes' failure log (one row per failure) is the counter; the security log is the lasting
record, so failure rows are kept for the window only.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


def address_window() -> timedelta:
    return timedelta(hours=settings.SIGN_IN_ADDRESS_WINDOW_HOURS)


def address_is_refused(*, ip_address: str | None) -> bool:
    """Whether the address has failed to sign in too often within the window."""
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    if not ip_address or limit <= 0:
        return False
    since = timezone.now() - address_window()
    failures = AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return failures.count() >= limit


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' own rule, then the address's."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_is_refused(ip_address=request.axes_ip_address):
            # Read by the lockout page and the security log, which say why.
            request.lockout_by_address = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        AccessFailureLog.objects.filter(attempt_time__lt=timezone.now() - address_window()).delete()
