"""Writes to the programme's data: loading reference fixtures and importing programme texts."""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from config.serializers import Deserializer
from versions.data import data_changed

from .importer import ProgrammeParseError, default_code, parse_programme, to_fixture

# Within a programme's folder, files load in this order; references point backwards.
PROGRAMME_FILES = (
    "programme.json",
    "regions.json",
    "targets.json",
    "assignments.json",
    "periods.json",
)
SOURCE_FILE = "source.txt"
# A programme's English titles of its task groups, {key: title}, beside its text: the importer
# writes them into the programme's fixture.
TITLES_EN_FILE = "titles-en.json"
SHARED_FILES = (
    "roles.json",
    "bodies.json",
    "signatories.json",
    "reminder-steps.json",
    "industrial-areas.json",
)


class ReferenceDataError(Exception):
    """A fixture that cannot be loaded; nothing of the load is kept."""


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    changed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total_written(self) -> int:
        return sum(self.created.values()) + sum(self.changed.values())


def reference_sources(fixtures_dir: Path | None = None) -> list[tuple[str, str]]:
    """The project's fixtures, as (name, JSON text), in loading order.

    A programme folder holds its `programme.json`, or only its `source.txt`, which is then
    imported on the fly: adding a programme needs its text or its fixture, no code.
    """
    fixtures_dir = fixtures_dir or Path(settings.FIXTURES_DIR)
    sources = [
        (str(fixtures_dir / name), (fixtures_dir / name).read_text(encoding="utf-8"))
        for name in SHARED_FILES
        if (fixtures_dir / name).exists()
    ]
    for folder in sorted(p for p in (fixtures_dir / "programmes").glob("*") if p.is_dir()):
        if not (folder / "programme.json").exists() and (folder / SOURCE_FILE).exists():
            rows = programme_fixture_from_text(
                text=(folder / SOURCE_FILE).read_text(encoding="utf-8"),
                code=folder.name,
                titles_en=titles_en_beside(folder / SOURCE_FILE),
            )
            sources.append((str(folder / SOURCE_FILE), json.dumps(rows, ensure_ascii=False)))
        for name in PROGRAMME_FILES:
            path = folder / name
            if path.exists():
                sources.append((str(path), path.read_text(encoding="utf-8")))
    return sources


def titles_en_beside(source: Path) -> dict[str, str]:
    """The English titles kept beside a programme's text (titles-en.json), or none."""
    path = source.parent / TITLES_EN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def programme_fixture_from_text(
    *,
    text: str,
    code: str | None = None,
    issuing_body: str | None = None,
    titles_en: dict[str, str] | None = None,
) -> list[dict]:
    """Parse a programme's text into fixture rows; raises ProgrammeParseError naming the line.
    `titles_en` gives items their English titles, by key."""
    parsed = parse_programme(text)
    return to_fixture(
        parsed, code=code or default_code(parsed), issuing_body=issuing_body, titles_en=titles_en
    )


@transaction.atomic
def reference_data_load(
    *,
    sources: Iterable[tuple[str, str]],
    reason: str,
    acting_user=None,
    update_existing: bool = False,
) -> LoadResult:
    """Load fixtures by natural key and record a history entry for every row they create or
    change. Loading the same fixtures again writes nothing. All or nothing.

    Rows that already exist are kept as they are, since administrators edit reference data
    after the first load; `update_existing` resets them to the fixture instead.
    """
    saved: dict[type[models.Model], list] = defaultdict(list)
    result = LoadResult()
    for name, data in sources:
        try:
            for deserialized in Deserializer(data, handle_forward_references=True):
                instance = deserialized.object
                # The deserializer fills in the pk only when the natural key already exists.
                if instance.pk is not None and not update_existing:
                    result.unchanged[instance._meta.label_lower] += 1
                    continue
                deserialized.save()
                if deserialized.deferred_fields:
                    raise ReferenceDataError(
                        _("%(name)s: a reference points to a row that does not exist")
                        % {"name": name}
                    )
                saved[type(deserialized.object)].append(deserialized.object.pk)
        except (DeserializationError, DatabaseError, ValueError) as error:
            raise ReferenceDataError(f"{name}: {error}") from error
    for model, pks in saved.items():
        _record_history(model, pks, reason=reason, acting_user=acting_user, result=result)
    return result


def _record_history(model, pks: list, *, reason: str, acting_user, result: LoadResult) -> None:
    label = model._meta.label_lower
    if not hasattr(model, "history"):
        return
    history_model = model.history.model
    fields = [f.attname for f in history_model.tracked_fields]
    latest = {}
    for record in history_model.objects.filter(id__in=pks).order_by(
        "id", "-history_date", "-history_id"
    ):
        latest.setdefault(record.id, record)
    created, changed = [], []
    for instance in model._default_manager.filter(pk__in=pks):
        record = latest.get(instance.pk)
        if record is None:
            created.append(instance)
        elif any(getattr(record, f) != getattr(instance, f) for f in fields):
            changed.append(instance)
        else:
            result.unchanged[label] += 1
    model.history.bulk_history_create(
        created, default_user=acting_user, default_change_reason=reason
    )
    model.history.bulk_history_create(
        changed, update=True, default_user=acting_user, default_change_reason=reason
    )
    # Bulk history rows send no signal.
    data_changed()
    result.created[label] += len(created)
    result.changed[label] += len(changed)


__all__ = [
    "LoadResult",
    "ProgrammeParseError",
    "ReferenceDataError",
    "programme_fixture_from_text",
    "reference_data_load",
    "reference_sources",
]
