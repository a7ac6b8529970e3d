"""History as people read it: an assignment's or a report's timeline, newest first, built from
django-simple-history's records of the object and of what hangs under it.

Each entry says when (local time), who, why (the change reason the service recorded) and, for
each changed field, its name with the old and the new value as the pages show them: choice
labels, dates as d/m/Y, related rows by name, booleans as Yes/No. A record is compared with the
record before it of the same object (what `record.prev_record` returns); the previous records
are found among the rows already fetched, so a timeline costs one query per kind of history
whatever its length.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.models import DeletedObject

from .models import (
    Assignment,
    Attachment,
    CitedDocument,
    ExtensionRequest,
    Finding,
    ProgressReport,
)

EMPTY = "—"


class EntryKind:
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"


_KIND_OF_TYPE = {"+": EntryKind.CREATED, "~": EntryKind.CHANGED, "-": EntryKind.DELETED}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    user: str  # the acting user's display name; empty when the system made the change
    reason: str
    kind: str  # EntryKind
    subject: str  # what changed: "Progress report", "Cited document", ...
    detail: str  # which one, for the rows under the main object: "123/KH-UBND (05/02/2026)"
    changes: list[FieldChange] = field(default_factory=list)
    # For ordering only: records of one save share a time, history ids break the tie.
    order: tuple = ()


@dataclass(frozen=True)
class Source:
    """One kind of history record on a timeline and how to read it."""

    records: models.QuerySet
    # Fields not shown: the link to the timeline's own object, internal counters, stored names.
    hidden: frozenset[str]
    detail: Callable[[models.Model], str] = lambda record: ""
    subject: str = ""


def display_value(model_field: models.Field, value) -> str:
    """A field's value as the pages show it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, DeletedObject):
        # diff_against stands one in for an empty link as well as for a deleted row.
        return EMPTY if value.pk is None else f"#{value.pk}"
    if isinstance(model_field, models.ForeignKey):
        return str(value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _shown_fields(record, hidden: frozenset[str]) -> list[str]:
    return [
        f.name
        for f in record.tracked_fields
        if f.editable and f.name not in hidden and f.name != "id"
    ]


def _value(record, model_field: models.Field):
    if isinstance(model_field, models.ForeignKey):
        try:
            related = getattr(record, model_field.name)
        except models.ObjectDoesNotExist:
            related = None
        if related is None and getattr(record, model_field.attname) is not None:
            return DeletedObject(model_field.related_model, getattr(record, model_field.attname))
        return related
    return model_field.value_from_object(record)


def _changes(record, previous, hidden: frozenset[str]) -> list[FieldChange]:
    opts = record.instance_type._meta
    names = _shown_fields(record, hidden)
    if previous is None:
        # A creation: the values it started with.
        changes = []
        for name in names:
            model_field = opts.get_field(name)
            value = _value(record, model_field)
            if value is None or value == "":
                continue
            changes.append(
                FieldChange(
                    capfirst(model_field.verbose_name), EMPTY, display_value(model_field, value)
                )
            )
        return changes
    delta = record.diff_against(previous, included_fields=names, foreign_keys_are_objs=True)
    by_name = {change.field: change for change in delta.changes}
    changes = []
    for name in names:  # in the model's field order, not alphabetical
        if name not in by_name:
            continue
        model_field = opts.get_field(name)
        change = by_name[name]
        changes.append(
            FieldChange(
                capfirst(model_field.verbose_name),
                display_value(model_field, change.old),
                display_value(model_field, change.new),
            )
        )
    return changes


def _entries(source: Source) -> Iterable[TimelineEntry]:
    records = list(source.records.order_by("history_date", "history_id"))
    previous_of_object: dict[int, object] = {}
    for record in records:
        previous = previous_of_object.get(record.id)
        previous_of_object[record.id] = record
        kind = _KIND_OF_TYPE.get(record.history_type, EntryKind.CHANGED)
        changes = [] if kind == EntryKind.DELETED else _changes(record, previous, source.hidden)
        user = record.history_user
        yield TimelineEntry(
            at=record.history_date,
            user=user.display_name if user is not None else "",
            reason=record.history_change_reason or "",
            kind=kind,
            subject=source.subject or str(capfirst(record.instance_type._meta.verbose_name)),
            detail=source.detail(record),
            changes=changes,
            order=(record.history_date, record.history_id),
        )


def timeline_of(sources: list[Source]) -> list[TimelineEntry]:
    """The changes of every source, newest first: one timeline of a record and what hangs under
    it (the indicators' figures and explanation requests use it too)."""
    entries = [entry for source in sources for entry in _entries(source)]
    entries.sort(key=lambda entry: entry.order, reverse=True)
    return entries


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def assignment_timeline(*, assignment: Assignment) -> list[TimelineEntry]:
    """The assignment's changes (deadline, extension, completion, ...), with its extension
    requests' and, for a supervision, its findings' histories; three queries."""
    return timeline_of(
        [
            Source(
                records=Assignment.history.filter(id=assignment.pk).select_related(
                    "history_user",
                    "item",
                    "body",
                    "basis",
                    "parent__item",
                    "parent__body",
                ),
                hidden=frozenset(),
            ),
            Source(
                records=ExtensionRequest.history.filter(assignment_id=assignment.pk).select_related(
                    "history_user", "requested_by", "decided_by"
                ),
                hidden=frozenset({"assignment"}),
                detail=lambda r: f"{_date(r.current_deadline)} → {_date(r.proposed_deadline)}",
            ),
            Source(
                records=Finding.history.filter(supervision_id=assignment.pk).select_related(
                    "history_user", "period", "recorded_by"
                ),
                hidden=frozenset({"supervision"}),
                detail=lambda r: r.text[:80],
            ),
        ]
    )


def report_timeline(*, report: ProgressReport) -> list[TimelineEntry]:
    """The report's drafting, submission and review, with its cited documents' and
    attachments' histories (removed ones too); three queries."""
    return timeline_of(
        [
            Source(
                records=ProgressReport.history.filter(id=report.pk).select_related(
                    "history_user", "period", "drafted_by", "submitted_by", "reviewed_by"
                ),
                # The version counter is bookkeeping for concurrent edits, not content.
                hidden=frozenset({"assignment", "version"}),
            ),
            Source(
                records=CitedDocument.history.filter(report_id=report.pk).select_related(
                    "history_user"
                ),
                hidden=frozenset({"report"}),
                detail=lambda r: f"{r.number} ({_date(r.issued_on)})",
            ),
            Source(
                records=Attachment.history.filter(report_id=report.pk).select_related(
                    "history_user", "uploaded_by"
                ),
                # The stored name is generated and the digest is for integrity checks; people
                # know the file by its own name.
                hidden=frozenset({"report", "file", "sha256"}),
                detail=lambda r: r.original_name,
            ),
        ]
    )
