from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.services import (
    ProgrammeParseError,
    ReferenceDataError,
    reference_data_load,
    reference_sources,
)


class Command(BaseCommand):
    help = _("Load the bodies, roles, programmes and default assignments from fixtures/.")

    def add_arguments(self, parser):
        parser.add_argument("--fixtures-dir", type=Path, help=_("another fixtures folder"))
        parser.add_argument(
            "--update",
            action="store_true",
            help=_("reset rows that already exist to the fixtures' values"),
        )

    def handle(self, *args, fixtures_dir, update, **options):
        try:
            sources = reference_sources(fixtures_dir)
            result = reference_data_load(
                sources=sources, reason=_("Loaded from fixtures"), update_existing=update
            )
        except (ProgrammeParseError, ReferenceDataError) as error:
            raise CommandError(str(error)) from error
        for label in sorted(set(result.created) | set(result.changed) | set(result.unchanged)):
            self.stdout.write(
                _("%(model)s: %(created)d created, %(changed)d changed, %(unchanged)d unchanged")
                % {
                    "model": label,
                    "created": result.created.get(label, 0),
                    "changed": result.changed.get(label, 0),
                    "unchanged": result.unchanged.get(label, 0),
                }
            )
