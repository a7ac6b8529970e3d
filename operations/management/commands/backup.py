from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from operations.services import backup_create


class Command(BaseCommand):
    help = _(
        "Write a backup archive (tar.gz) of the database's data and the stored files: "
        "attachments and generated reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "var" / "backups",
            help=_("Directory to write the archive into (default var/backups)."),
        )

    def handle(self, *args, output: Path, **options):
        result = backup_create(output_dir=output)
        self.stdout.write(
            _("backup: %(path)s (%(rows)d rows, %(files)d files)")
            % {"path": result.path, "rows": result.rows, "files": result.files}
        )
