"""A person's calendar feed: the secret address a calendar program subscribes to.

Glossary: calendar feed: lịch đăng ký (iCalendar); feed address: địa chỉ lịch.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedToken(models.Model):
    """The hash of the secret in a person's feed address; the secret itself is shown once and
    never stored, so a copy of the database opens no one's feed.

    Not history-tracked: a record of old hashes would tell no one anything, and resetting
    replaces the row's hash in place (the address's age is `created_at`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    # SHA-256 of the secret, hex: the secret has 256 random bits, so no salt or slow hash is
    # needed to keep it from being guessed back.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_fetched_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return str(self.user)
