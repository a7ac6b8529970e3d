"""The desk's one write: when a person last looked at it."""

from datetime import datetime, timedelta

from .models import DeskVisit

# Looks at the desk less than this apart are one visit: what was new at its start stays new
# until it ends, so reloading the page or coming back from a report does not empty the list.
VISIT_GAP = timedelta(hours=1)
# On a person's first visit, "new" reaches back this far.
FIRST_VISIT_REACH = timedelta(days=30)


def visit_record(*, acting_user, at: datetime) -> datetime:
    """Record that the user looks at their desk now; returns the moment from which accepted
    work is new to them: the end of their previous visit (or FIRST_VISIT_REACH back on the
    first one).

    Two queries: a read and one upsert, which is atomic by itself, so no transaction is
    opened. Two requests at once both write a visit at about the same moment, and either
    is right. Not a tracked model (see DeskVisit)."""
    previous = DeskVisit.objects.filter(user=acting_user).values("visited_at", "since").first()
    if previous is None:
        since = at - FIRST_VISIT_REACH
    elif at - previous["visited_at"] > VISIT_GAP:
        since = previous["visited_at"]
    else:
        since = previous["since"]
    since = min(since, at)
    DeskVisit.objects.bulk_create(
        [DeskVisit(user=acting_user, visited_at=at, since=since)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["visited_at", "since"],
    )
    return since
