"""The security log's page for administrators: filtered, sorted, paged and exported like
every list; no one else may open it."""

import csv
import io
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.security import security_event_record


def events(client, **params) -> list[int]:
    markup = client.get(reverse("security_event_list"), params).content.decode()

    return [int(pk) for pk in re.findall(r'<tr data-event="(\d+)">', markup)]


def test_it_shows_administrators_the_log_filtered_by_event_user_and_day(client, cast):
    refused = security_event_record(
        kind=SecurityEvent.Kind.REFUSED, user=cast["officer"], detail="view compliance"
    )
    signed_in = security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, user=cast["reviewer"])
    old = security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, user=cast["officer"])
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    client.force_login(cast["administrator"])
    today = timezone.localdate()

    newest_first = events(client)
    assert newest_first.index(signed_in.pk) < newest_first.index(refused.pk)
    assert newest_first.index(refused.pk) < newest_first.index(old.pk)
    assert events(client, sort="at").index(old.pk) < events(client, sort="at").index(refused.pk)
    assert events(client, kind="refused") == [refused.pk]
    assert events(client, username=cast["reviewer"].username) == [signed_in.pk]
    assert old.pk not in events(client, since=today.isoformat())
    assert events(client, until=(today - timedelta(days=30)).isoformat()) == [old.pk]
    # A bad filter is shown beside its field; the page still answers.
    response = client.get(reverse("security_event_list"), {"since": "31/02", "sort": "x"})
    assert response.status_code == 200


def test_it_exports_the_filtered_log_and_logs_the_export(client, cast):
    security_event_record(kind=SecurityEvent.Kind.REFUSED, user=cast["officer"], detail="=1+1")
    client.force_login(cast["administrator"])

    response = client.get(reverse("security_event_list"), {"kind": "refused", "export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "Bộ lọc: Sự kiện: Bị từ chối truy cập"
    assert [row[1] for row in rows[5:]] == ["Bị từ chối truy cập"]
    assert rows[5][-1] == "'=1+1"
    export = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).get()
    assert export.user == cast["administrator"]


def test_it_refuses_the_log_to_everyone_but_administrators(client, cast):
    for role in ("officer", "reviewer", "standing_member"):
        client.force_login(cast[role])
        assert client.get(reverse("security_event_list")).status_code == 403
        assert client.get(reverse("security_event_list"), {"export": "csv"}).status_code == 403
