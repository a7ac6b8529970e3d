"""Personal API tokens: how an agency's own system speaks to the tracker as one of its people.

Only a SHA-256 digest of a token is kept: the token itself is shown once, when it is made. A
token is random (32 bytes), so a digest cannot be turned back into it by guessing, and a fast
digest is enough (a slow one is for passwords people choose).

Tokens carry no history of their own: making and revoking one are written to the security log
(accounts.SecurityEvent), which is where access is audited, and `last_used_at` changes on use,
which no one reviews as a change of data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token: it acts as its user, with the user's permissions and no more, and
    may be limited to reading."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it, e.g. “Hệ thống iOffice”.")
    )
    # The first characters of the token, shown in the list so a person can tell which is which.
    prefix = models.CharField(_("begins with"), max_length=16)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("The token can read but not change anything.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
