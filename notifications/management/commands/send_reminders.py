from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import reminders_plan, reminders_sweep
from tasks.models import Assignment


def parse_now(value: str) -> datetime:
    """An ISO date or date-time; without an offset it is read in the local time zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), time(8, 0))
        except ValueError:
            raise CommandError(
                _("--now takes an ISO date or date-time, such as 2026-11-29T08:00; got %(value)r")
                % {"value": value}
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = _("Run one reminder sweep now: send every reminder that is due and not yet sent.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            metavar="ISO-DATETIME",
            help=_(
                "Pretend it is this moment (for testing); local time unless an offset is given."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Print what would be sent, and to whom, and send nothing."),
        )

    def handle(self, *args, **options):
        now = parse_now(options["now"]) if options["now"] is not None else timezone.now()
        if options["dry_run"]:
            result = reminders_plan(now=now)
            assignments = Assignment.objects.select_related("item", "body").in_bulk(
                {plan.deadline.assignment_id for plan in result.planned}
            )
            for plan in result.planned:
                user, assignment = plan.recipient, assignments[plan.deadline.assignment_id]
                self.stdout.write(
                    _(
                        "would send %(step)s to %(user)s <%(email)s>: %(what)s %(key)s, "
                        "%(body)s, due %(deadline)s"
                    )
                    % {
                        "step": plan.step_code,
                        "user": user.get_username(),
                        "email": user.email or "-",
                        "what": _("report on") if plan.deadline.period_id else _("task"),
                        "key": assignment.item.key,
                        "body": assignment.body.name,
                        "deadline": plan.deadline.deadline.isoformat(),
                    }
                )
            self.stdout.write(
                _("dry run: %(count)d would be sent") % {"count": len(result.planned)}
            )
            result.planned.clear()
        else:
            result = reminders_sweep(now=now)
        self.stdout.write(result.summary)
