from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Keeping the instance safe: backup and restore of the database and the stored files."""

    name = "operations"
    verbose_name = _("Operations")
