"""Queued and scheduled work of the tasks app, run by django-q2 workers."""

from accounts.services import role_groups_sync, user_groups_sync_all

from .services.grants import assignment_grants_sync


def permissions_sync() -> str:
    """Daily: memberships that ran out by date lose their groups and grants, and new ones
    gain them, as `manage.py sync_permissions` does by hand. Here, not in accounts, since the
    grants are on assignments."""
    role_groups_sync()
    user_groups_sync_all()
    added, removed = assignment_grants_sync()
    return f"assignment grants: {added} added, {removed} removed"
