"""Sign-in events go to the security log. Thin receivers: the log writing is in security.py."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import last_activity_stamp
from .models import SecurityEvent
from .security import security_event_record


@receiver(user_logged_in, dispatch_uid="security_log_signed_in")
def log_signed_in(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)
    # The idle clock starts at sign-in, so the first page after it writes nothing more.
    if request is not None and hasattr(request, "session"):
        last_activity_stamp(request.session)


@receiver(user_logged_out, dispatch_uid="security_log_signed_out")
def log_signed_out(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.SIGNED_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security_log_sign_in_failed")
def log_sign_in_failed(sender, credentials, request=None, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_locked_out, dispatch_uid="security_log_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs):
    by_address = getattr(request, "lockout_by_address", False)
    security_event_record(
        kind=SecurityEvent.Kind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail="by address" if by_address else "by user name and address",
    )
