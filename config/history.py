"""Reading simple-history's records: helpers shared by the apps that rebuild their data as it
stood at a moment."""

from django.db.models import QuerySet


def latest_rows(queryset: QuerySet, fields: tuple[str, ...]) -> list[dict]:
    """One row per object of a historical queryset (`Model.history.as_of(moment)`, filtered):
    its latest record, as a dict of `fields` ("id" among them). Two records of one object
    stamped with the same instant both survive `as_of`; the later-written one wins."""
    rows: dict[int, dict] = {}
    for row in queryset.order_by("history_date", "history_id").values(*fields):
        rows[row["id"]] = row
    return list(rows.values())
