from django.contrib.admin.apps import AdminConfig


class ProductAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.ProductAdminSite"
