"""The feed as an iCalendar file (RFC 5545), written with the icalendar library."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .selectors import EventKind, FeedEvent

PRODUCT_ID = "-//Tỉnh ủy Khánh Hòa//Theo dõi thực hiện NQ 23-NQ/TW//VI"
# How often a calendar program should fetch the feed again: deadlines change by the day.
REFRESH = timedelta(hours=1)


def category_of(kind: str) -> str:
    return {
        EventKind.DEADLINE: _("Deadline"),
        EventKind.REPORTS_DUE: _("Reports due"),
        EventKind.EXPLANATION_DUE: _("Explanation due"),
    }[kind]


def calendar_build(
    *, events: Iterable[FeedEvent], name: str, base_url: str, stamp: datetime
) -> bytes:
    """One all-day event per deadline, marked free so it blocks no time in the agenda; each
    links to its page in the product."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("categories", [category_of(item.kind)])
        event.add("url", base_url.rstrip("/") + item.path)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
