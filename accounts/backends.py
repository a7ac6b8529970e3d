"""Django's model backend, reading a user's own and their groups' permissions in one query
instead of two, and that from the access cache (access.py) on all but the first request
after a change: every page that asks the permission policy pays for it."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from .access import access_cached, user_cached


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = access_cached(
                user_obj, "permissions", lambda: _permissions_of(user_obj)
            )
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user: from the shared cache when USER_CACHE is on (access.py)."""
        user = user_cached(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _permissions_of(user_obj) -> set[str]:
    if user_obj.is_superuser:
        perms = Permission.objects.all()
    else:
        perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
    return {
        f"{app_label}.{codename}"
        for app_label, codename in perms.values_list(
            "content_type__app_label", "codename"
        ).order_by()
    }
