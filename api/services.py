"""Making and revoking personal API tokens. Each is written to the security log."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from review.services import clean_text

from .models import ApiToken

# "nq23_" tells a leaked token's origin at a glance (and to secret scanners).
TOKEN_PREFIX = "nq23_"
# Tokens one person may hold at once: enough for each system they connect, few enough to see.
ACTIVE_TOKENS_MAX = 10


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(
    *, name: str, read_only: bool, acting_user, request=None
) -> tuple[ApiToken, str]:
    """Make a token for the acting user; the token itself is returned once and never kept."""
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("Name the token after the system that will use it.")})
    if ApiToken.objects.active().filter(user=acting_user).count() >= ACTIVE_TOKENS_MAX:
        raise ValidationError(
            _("You already have %(count)d tokens; revoke one you no longer use first.")
            % {"count": ACTIVE_TOKENS_MAX}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=acting_user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=token_hash(secret),
        read_only=read_only,
    )
    token.full_clean()
    token.save()
    security_event_record(
        kind=SecurityEvent.Kind.API_TOKEN,
        request=request,
        user=acting_user,
        detail=f"made token #{token.pk} “{token.name}” ({token.prefix}…)"
        + (", read only" if read_only else ""),
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user, request=None) -> ApiToken:
    """Revoke one of the acting user's own tokens; it stops working at once."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != acting_user.pk:
        raise PermissionDenied(f"revoke api token #{token.pk}")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_event_record(
            kind=SecurityEvent.Kind.API_TOKEN,
            request=request,
            user=acting_user,
            detail=f"revoked token #{token.pk} “{token.name}” ({token.prefix}…)",
        )
    return token


def api_token_find(token: str) -> ApiToken | None:
    """The active token with this value, with its user; None for any other string."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return (
        ApiToken.objects.active().select_related("user").filter(key_hash=token_hash(token)).first()
    )
