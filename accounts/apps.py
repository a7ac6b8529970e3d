from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and bodies")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import signals  # noqa: F401  (connects the security log's receivers)
        from .collation import register_sqlite_collation

        # Vietnamese order for names on SQLite too: a function registered on each connection.
        connection_created.connect(register_sqlite_collation, dispatch_uid="vi-collation")
