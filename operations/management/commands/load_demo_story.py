from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.demo import DemoStoryRefused, demo_story_load


class Command(BaseCommand):
    help = _(
        "Load the demo story (reports, deadlines, findings, figures from 2024 to 2026) on a "
        "developer's machine. Never under production settings; loading it again changes nothing."
    )

    def handle(self, *args, verbosity, **options):
        say = self.stdout.write if verbosity >= 2 else None
        try:
            outcome = demo_story_load(say=say)
        except DemoStoryRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(outcome.message)
