"""The admin site: for administrators only, as the accounts policy says (config/apps.py names
it as the default site)."""

from django.contrib import admin

from .permissions import accounts_policy


class ProductAdminSite(admin.AdminSite):
    site_header = "Quản trị hệ thống theo dõi Chương trình hành động NQ 23-NQ/TW"
    site_title = "Quản trị"

    def has_permission(self, request) -> bool:
        # The admin is for administrators only; bodies' staff work in the product's pages.
        return accounts_policy.user_may_use_admin(request.user)
