"""People, the responsible bodies they belong to, and their roles there.

Glossary of the Vietnamese terms behind the English names:
- body: cơ quan, đơn vị (a Party or state organisation that is given work or supervises it)
- role: vai trò (cán bộ theo dõi, lãnh đạo cơ quan, chuyên viên Văn phòng Tỉnh ủy, ...)
- membership: việc một người thuộc một cơ quan với một vai trò
- successor: cơ quan kế thừa (after a reorganisation)
"""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .collation import collated


class BilingualNameMixin:
    """Reference data carries its own English name; show the one for the active language."""

    @property
    def display_name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    # Moved by every change of the user's memberships, groups and grants (accounts/access.py):
    # their cached access is keyed on it.
    access_version = models.PositiveBigIntegerField(_("access version"), default=0, editable=False)
    # Moved by every write that changes what the user's bell counts (notifications/bell.py).
    notice_version = models.PositiveBigIntegerField(_("notice version"), default=0, editable=False)
    history = HistoricalRecords(
        # Sign-in timestamps and password hashes change on every login or password
        # change; they are not part of the record people review. The access version is a
        # counters derived from the memberships and grants, which carry their own history, and
        # from the reminders, which are their own log.
        excluded_fields=["last_login", "password", "access_version", "notice_version"],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.get_username()

    def save(self, *args, **kwargs) -> None:
        # A sign-in only stamps last_login, which history excludes: no history row for it.
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            self.skip_history_when_saving = True
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)


class BodyQuerySet(models.QuerySet):
    def active_on(self, day: date) -> "BodyQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class BodyManager(models.Manager.from_queryset(BodyQuerySet)):
    def get_by_natural_key(self, code: str) -> "Body":
        return self.get(code=code)


class BodyKind(models.TextChoices):
    CENTRAL = "central", _("Central body")
    ISSUER = "issuer", _("Provincial Party Executive Committee")
    STANDING_COMMITTEE = "standing_committee", _("Provincial Party Standing Committee")
    PARTY_OFFICE = "party_office", _("Provincial Party Office")
    ADVISORY_BOARD = "advisory_board", _("Party advisory board")
    COUNCIL_DELEGATION = "council_delegation", _("People's Council Party delegation")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee Party committee")
    DEPARTMENT = "department", _("Provincial department")
    DISTRICT_COMMITTEE = "district_committee", _("District-level Party committee")
    AFFILIATED_COMMITTEE = "affiliated_committee", _("Directly affiliated Party committee")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    SOCIO_POLITICAL = "socio_political", _("Socio-political organisation")


class Body(BilingualNameMixin, models.Model):
    """A responsible body. Bodies are data: they have a validity period and may have a successor."""

    Kind = BodyKind

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Empty when the body predates the records kept here.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    position = models.PositiveIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    objects = BodyManager()

    class Meta:
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")
        ordering = ["position", collated("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="body_validity_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("id")), name="body_not_its_own_successor"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="body_not_its_own_parent"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in BodyKind]), name="body_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def is_active_on(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_to is None or self.valid_to >= day)


class RoleManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "Role":
        return self.get(code=code)


class Role(BilingualNameMixin, models.Model):
    """A role a person holds in a body. Roles are data an administrator manages; the
    permission layer keys its rules on the role's code."""

    OFFICER = "officer"
    LEADER = "leader"
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    STANDING_MEMBER = "standing_member"
    ADMINISTRATOR = "administrator"

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    objects = RoleManager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: date) -> "MembershipQuerySet":
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Membership(models.Model):
    """A person's place in a body, with the role they hold there."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body__position", collated("body__name"), "role__position", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "role"], name="membership_unique_user_body_role"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_validity_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} — {self.body}"


class SecurityEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOCKOUT_LIFTED = "lockout_lifted", _("Lockout lifted")
    SIGNED_OUT = "signed_out", _("Signed out")
    SESSION_EXPIRED = "session_expired", _("Signed out after inactivity")
    REFUSED = "refused", _("Access refused")
    DOWNLOAD = "download", _("File downloaded")
    EXPORT = "export", _("Export")
    # The REST API (api/): a personal token made or revoked, and every write through the API.
    API_TOKEN = "api_token", _("API token made or revoked")
    API_WRITE = "api_write", _("Write through the API")


class SecurityEvent(models.Model):
    """An append-only log of security events, kept apart from the data change history."""

    Kind = SecurityEventKind

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        verbose_name=_("user"),
    )
    # Kept as typed, since a failed sign-in may name no real user.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in SecurityEventKind]),
                name="security_event_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
