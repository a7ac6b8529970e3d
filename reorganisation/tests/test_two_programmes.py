"""Two programmes of one merged province tracked side by side (issue #20): the importer's
made-up second programme gets its own assignments, and the pages tell the two apart."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Body
from programme.models import Item, Programme
from tasks.models import Assignment

MADE_UP = Path(settings.BASE_DIR) / "programme" / "tests" / "data" / "made-up-programme.txt"


@pytest.fixture
def second_programme(cast):
    """The made-up programme loaded by the importer, each of its tasks given to Sở Công Thương
    to lead."""
    call_command("import_programme", str(MADE_UP), "--load")
    programme = Programme.objects.exclude(code="nq23").get()
    body = Body.objects.get(code="so-cong-thuong")
    tasks = [i for i in programme.items.order_by("sequence") if i.is_task]
    for item in tasks:
        Assignment.objects.create(item=item, body=body, role=Assignment.Role.LEAD)
    return programme, tasks


def assignment_ids(page) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/assignments/(\d+)/"', page.content.decode())}


def test_each_programme_keeps_its_own_assignments(second_programme, cast, client):
    programme, tasks = second_programme
    nq23 = Programme.objects.get(code="nq23")
    client.force_login(cast["reviewer"])

    own = client.get(reverse("assignment_list"), {"programme": programme.pk, "body": ""})
    other = client.get(reverse("assignment_list"), {"programme": nq23.pk})

    assert own.status_code == other.status_code == 200
    theirs = set(Assignment.objects.filter(item__programme=programme).values_list("pk", flat=True))
    assert theirs and assignment_ids(own) <= theirs
    assert not assignment_ids(other) & theirs
    assert Item.objects.filter(assignments__in=theirs).exclude(programme=programme).count() == 0
    assert len(theirs) == len(tasks)


def test_the_compliance_overview_filters_by_programme(second_programme, cast, client):
    programme, _tasks = second_programme
    client.force_login(cast["reviewer"])
    page = client.get(reverse("compliance_overview"), {"programme": programme.pk})
    html = page.content.decode()
    assert f"/programmes/{programme.code}/" in html
    assert "/programmes/nq23/" not in html.split("<main", 1)[-1]


def test_the_compliance_overview_shows_both_programmes(second_programme, cast, client):
    programme, _tasks = second_programme
    client.force_login(cast["reviewer"])
    html = client.get(reverse("compliance_overview")).content.decode()
    assert f"/programmes/{programme.code}/" in html
    assert "/programmes/nq23/" in html
