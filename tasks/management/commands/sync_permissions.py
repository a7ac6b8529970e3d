from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.services import role_groups_sync, user_groups_sync_all
from tasks.services.grants import assignment_grants_sync


class Command(BaseCommand):
    help = _(
        "Bring the roles' groups, the members' groups and the assignment grants in line with "
        "the data; run it daily so memberships that ran out by date lose their grants."
    )

    def handle(self, *args, **options):
        role_groups_sync()
        user_groups_sync_all()
        added, removed = assignment_grants_sync()
        self.stdout.write(
            _("Assignment grants: %(added)d added, %(removed)d removed.")
            % {"added": added, "removed": removed}
        )
