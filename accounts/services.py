"""Writes to accounts: users and their memberships of bodies."""

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .lockouts import address_window
from .models import Body, Membership, Role, SecurityEvent, User
from .permissions import ROLE_PERMISSIONS, body_role_group, role_group_name
from .security import security_event_record

# Published in the README: never used outside a developer's machine (see DEMO_ACCOUNTS_ALLOWED).
DEMO_PASSWORD = "Khanhhoa@NQ23"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    body: Body
    role: Role
    created: bool


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    password: str,
    acting_user: User | None,
    reason: str,
    email: str = "",
) -> User:
    """Create a user with a validated password, recording who created it and why."""
    user = User(username=username, full_name=full_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user._change_reason = reason
    user._history_user = acting_user
    user.save()
    return user


@transaction.atomic
def role_groups_sync() -> dict[str, Group]:
    """Give each role's group exactly the model-level permissions ROLE_PERMISSIONS lists."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    available = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    missing = wanted - set(available)
    if missing:
        raise ImproperlyConfigured(f"Unknown permissions in ROLE_PERMISSIONS: {sorted(missing)}")
    groups = {}
    for role_code, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role_group_name(role_code))
        group.permissions.set([available[p] for p in perms])
        groups[role_code] = group
    return groups


def _user_groups_sync(user: User) -> None:
    """The user's groups and staff flag follow their current memberships."""
    memberships = list(
        user.memberships.active_on(timezone.localdate()).select_related("body", "role")
    )
    managed = Group.objects.filter(name__startswith="role:") | Group.objects.filter(
        name__startswith="body:"
    )
    wanted = set()
    for membership in memberships:
        role_group, _created = Group.objects.get_or_create(
            name=role_group_name(membership.role.code)
        )
        wanted.add(role_group.pk)
        wanted.add(body_role_group(membership.body, membership.role.code).pk)
    current = set(user.groups.filter(pk__in=managed).values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
    is_admin = any(m.role.code == Role.ADMINISTRATOR for m in memberships)
    if user.is_staff != is_admin and not user.is_superuser:
        user.is_staff = is_admin
        user._change_reason = _("Administrator role changed")
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_groups_sync_all() -> int:
    """Bring every member's groups in line with the memberships valid today, so one whose
    validity ran out by date loses the body's grants. Returns how many users were checked."""
    users = User.objects.filter(memberships__isnull=False).distinct()
    for user in users:
        _user_groups_sync(user)
    return len(users)


@transaction.atomic
def membership_grant(
    *, user: User, body: Body, role: Role, acting_user: User | None, reason: str
) -> Membership:
    """Give a user a role in a body (idempotent); their groups follow in the same
    transaction."""
    membership = Membership.objects.filter(user=user, body=body, role=role).first()
    if membership is None:
        membership = Membership(user=user, body=body, role=role)
        membership._change_reason = reason
        membership._history_user = acting_user
        membership.save()
    _user_groups_sync(user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, acting_user: User | None, reason: str) -> None:
    """End a membership: it was valid until yesterday, and the user loses the body's grants
    at once. One that began today never took effect and is removed (history keeps it)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    membership._change_reason = reason
    membership._history_user = acting_user
    if membership.valid_from > yesterday:
        membership.delete()
    else:
        membership.valid_to = yesterday
        membership.save()
    _user_groups_sync(membership.user)


@transaction.atomic
def demo_accounts_create(*, source: Path | None = None) -> list[DemoAccount]:
    """Create the local demo accounts listed in fixtures/demo-accounts.json, once.

    Refuses where DEMO_ACCOUNTS_ALLOWED is off (production): their password is public.
    """
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured(_("Demo accounts are not allowed with these settings."))
    source = source or Path(settings.FIXTURES_DIR) / "demo-accounts.json"
    entries = json.loads(source.read_text(encoding="utf-8"))
    role_groups_sync()
    bodies = Body.objects.in_bulk([e["body"] for e in entries], field_name="code")
    roles = Role.objects.in_bulk([e["role"] for e in entries], field_name="code")
    reason = _("Demo account")
    accounts = []
    for entry in entries:
        body, role = bodies[entry["body"]], roles[entry["role"]]
        user = User.objects.filter(username=entry["username"]).first()
        created = user is None
        if created:
            user = user_create(
                username=entry["username"],
                full_name=entry["full_name"],
                password=DEMO_PASSWORD,
                acting_user=None,
                reason=reason,
                email=entry.get("email", ""),
            )
        membership_grant(user=user, body=body, role=role, acting_user=None, reason=reason)
        accounts.append(DemoAccount(user.username, user.full_name, body, role, created))
    return accounts


@transaction.atomic
def lockout_lift(
    *,
    ip_address: str,
    username: str | None,
    by_address: bool,
    acting_user: User,
    request: HttpRequest | None = None,
) -> bool:
    """Lift a sign-in lockout (accounts.selectors.Lockout) now, by forgetting the failures
    that count towards it: of the user name at the address, or (by_address) of every user
    name at the address. The security log keeps every failure, and records who lifted it.
    Returns False, logging nothing, when no failure counted any more (the lockout had ended,
    or someone else lifted it)."""
    now = timezone.now()
    if by_address:
        failures = AccessFailureLog.objects.filter(
            ip_address=ip_address, attempt_time__gte=now - address_window()
        )
        target = f"every user name from {ip_address}"
    else:
        # A sign-in that sent no user name is counted under none (NULL) or an empty one.
        named = Q(username=username) if username else Q(username="") | Q(username__isnull=True)
        failures = AccessAttempt.objects.filter(
            named, ip_address=ip_address, attempt_time__gte=now - get_cool_off()
        )
        target = f"{username or '(no user name)'} from {ip_address}"
    removed, _per_model = failures.delete()
    if not removed:
        return False
    security_event_record(
        kind=SecurityEvent.Kind.LOCKOUT_LIFTED,
        request=request,
        user=acting_user,
        detail=f"lifted the lockout of {target}",
    )
    return True
