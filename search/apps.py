from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from .text import register_sqlite_functions

        # Registers functions on each new SQLite connection; runs no query.
        connection_created.connect(register_sqlite_functions, dispatch_uid="search_sqlite_fold")
