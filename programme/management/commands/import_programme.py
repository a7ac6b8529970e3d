import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.services import (
    ProgrammeParseError,
    ReferenceDataError,
    programme_fixture_from_text,
    reference_data_load,
    titles_en_beside,
)


class Command(BaseCommand):
    help = _("Parse an action programme's text into a fixture, or load it directly.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("the programme's text, UTF-8"))
        parser.add_argument("--code", help=_("the programme's code (default: from its resolution)"))
        parser.add_argument("--issuer", help=_("code of the issuing body"))
        parser.add_argument("--output", "-o", type=Path, help=_("write the fixture to this file"))
        parser.add_argument("--load", action="store_true", help=_("load it into the database"))

    def handle(self, *args, file: Path, code, issuer, output, load, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from error
        try:
            rows = programme_fixture_from_text(
                text=text, code=code, issuing_body=issuer, titles_en=titles_en_beside(file)
            )
        except ProgrammeParseError as error:
            raise CommandError(f"{file}: {error}") from error
        data = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        if output:
            output.write_text(data, encoding="utf-8")
        elif not load:
            self.stdout.write(data, ending="")
        if load:
            try:
                result = reference_data_load(
                    sources=[(str(file), data)], reason=_("Imported from %(file)s") % {"file": file}
                )
            except ReferenceDataError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                _("Loaded %(count)d items; %(written)d rows created or changed.")
                % {"count": len(rows), "written": result.total_written}
            )
