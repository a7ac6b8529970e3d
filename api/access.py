"""Who may call the API at all: a signed-in person, or a token acting as one; a read-only
token may not write. What they may do to each row is the apps' policies' to say, in the
views, exactly as on the pages."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


class SignedIn(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class TokenMayWrite(BasePermission):
    message = _("This token is read-only.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return not (isinstance(request.auth, ApiToken) and request.auth.read_only)
