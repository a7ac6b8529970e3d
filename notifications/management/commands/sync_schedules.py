from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.schedules import schedules_sync


class Command(BaseCommand):
    help = _("Write the product's periodic jobs to django-q2's schedules; safe to run again.")

    def handle(self, *args, **options):
        result = schedules_sync()
        for label, names in [
            (_("created"), result.created),
            (_("updated"), result.updated),
            (_("removed"), result.removed),
            (_("unchanged"), result.unchanged),
        ]:
            for name in names:
                self.stdout.write(f"{label}: {name}")
        self.stdout.write(
            _("schedules: %(created)d created, %(updated)d updated, %(removed)d removed")
            % {
                "created": len(result.created),
                "updated": len(result.updated),
                "removed": len(result.removed),
            }
        )
