"""Writes to accounts: users and their memberships of bodies."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Body, Membership, Role, User

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
    is_superuser: bool = False,
) -> User:
    """Create a user with a validated password, recording who created it and why."""
    user = User(
        username=username,
        full_name=full_name,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    validate_password(password, user)
    user.set_password(password)
    user._change_reason = reason
    user._history_user = acting_user
    user.save()
    return user


@transaction.atomic
def membership_grant(
    *, user: User, body: Body, role: Role, acting_user: User | None, reason: str
) -> Membership:
    """Give a user a role in a body (idempotent)."""
    membership = Membership.objects.filter(user=user, body=body, role=role).first()
    if membership is None:
        membership = Membership(user=user, body=body, role=role)
        membership._change_reason = reason
        membership._history_user = acting_user
        membership.save()
    return membership


@transaction.atomic
def demo_accounts_create(*, source: Path | None = None) -> list[DemoAccount]:
    """Create the local demo accounts listed in fixtures/demo-accounts.json, once.

    Refuses where DEMO_ACCOUNTS_ALLOWED is off (production): their password is public.
    """
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured(_("Demo accounts are not allowed with these settings."))
    source = source or Path(settings.FIXTURES_DIR) / "demo-accounts.json"
    entries = json.loads(source.read_text(encoding="utf-8"))
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
                is_superuser=entry.get("superuser", False),
            )
        membership_grant(user=user, body=body, role=role, acting_user=None, reason=reason)
        accounts.append(DemoAccount(user.username, user.full_name, body, role, created))
    return accounts
