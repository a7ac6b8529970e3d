from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.services import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = _("Create the local demo accounts, one or more per role. Never in production.")

    def handle(self, *args, **options):
        try:
            accounts = demo_accounts_create()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        new = [account for account in accounts if account.created]
        if not new:
            self.stdout.write(_("Demo accounts already exist (password: %s).") % DEMO_PASSWORD)
            return
        self.stdout.write(_("Demo accounts created; the password of each is: %s") % DEMO_PASSWORD)
        for account in new:
            self.stdout.write(
                f"  {account.username:<18} {account.role.display_name:<28} "
                f"{account.body.display_name}"
            )
