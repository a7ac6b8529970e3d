from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.services import restore


class Command(BaseCommand):
    help = _(
        "Bring back a backup archive into an empty, migrated database, checking every file's "
        "checksum first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help=_("The backup archive (tar.gz)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace the data of a database that is not empty."),
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            result = restore(archive_path=archive, force=force)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("restore: %(rows)d rows, %(files)d files")
            % {"rows": result.rows, "files": result.files}
        )
