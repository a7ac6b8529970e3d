from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.services import role_groups_sync
from tasks.services.grants import assignment_grants_sync


class Command(BaseCommand):
    help = _("Bring the roles' groups and the assignment grants in line with the data.")

    def handle(self, *args, **options):
        role_groups_sync()
        added, removed = assignment_grants_sync()
        self.stdout.write(
            _("Assignment grants: %(added)d added, %(removed)d removed.")
            % {"added": added, "removed": removed}
        )
