from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from reorganisation.plan import PlanRefused, plan_read
from reorganisation.services import reorganisation_apply
from reorganisation.summary import outcome_lines


class Command(BaseCommand):
    help = _(
        "Apply a reorganisation plan (a JSON file): end bodies, start others and move their "
        "open work, in one transaction. With --dry-run, print what it would do and change "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--user", default="", help=_("The administrator applying it (a user name).")
        )

    def handle(self, *args, **options):
        path: Path = options["plan"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(str(error)) from error
        acting_user = None
        if options["user"]:
            acting_user = User.objects.filter(username=options["user"]).first()
            if acting_user is None:
                raise CommandError(_("No user %(name)s.") % {"name": options["user"]})
        try:
            outcome = reorganisation_apply(
                plan=plan_read(text), acting_user=acting_user, dry_run=options["dry_run"]
            )
        except PlanRefused as refused:
            for fault in refused.faults:
                self.stderr.write(f"- {fault}")
            raise CommandError(_("The plan was refused; nothing was changed.")) from refused
        self.stdout.write("\n".join(outcome_lines(outcome)))
