"""Pages after a reorganisation: the act's own pages, a body's predecessors and successors,
an assignment's "moved from / moved to", and its history read as one line."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reorganisation.models import Reorganisation
from reorganisation.plan import plan_parse
from reorganisation.services import reorganisation_apply
from tasks.models import Assignment, ReportingPeriod
from tasks.services.reports import ReportData, report_create

from .support import SPLIT_INTO, member_of, plan_data

pytestmark = pytest.mark.database

QUERY_BUDGET = 12


@pytest.fixture
def applied(cast):
    """The test plan applied, after Nha Trang's officer left a draft on III.1.b1.s2."""
    original = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    report_create(
        assignment=original,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result="Nội dung nháp của Thành ủy Nha Trang.", percent_complete=20),
        acting_user=cast["officer"],
    )
    reorganisation_apply(plan=plan_parse(plan_data()), acting_user=cast["administrator"])
    return original


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 403),
        ("leader", 403),
        ("supervisor", 403),
        ("reviewer", 200),
        ("standing_member", 200),
        ("administrator", 200),
    ],
)
def test_the_act_s_pages_are_for_those_who_read_everything(applied, cast, client, role, status):
    act = Reorganisation.objects.get()
    assert get(client, cast[role], reverse("reorganisation_list")).status_code == status
    detail = get(client, cast[role], reverse("reorganisation_detail", args=[act.pk]))
    assert detail.status_code == status


def test_the_party_office_alone_reads_the_drafts_left_unsent(applied, cast, client, text_of):
    act = Reorganisation.objects.get()
    url = reverse("reorganisation_detail", args=[act.pk])
    party_office = text_of(get(client, cast["reviewer"], url))
    assert "Nội dung nháp của Thành ủy Nha Trang." in party_office
    standing = text_of(get(client, cast["standing_member"], url))
    assert "Nội dung nháp" not in standing
    assert "Thành ủy Nha Trang" in standing and "Đảng ủy phường Bắc Nha Trang" in standing


def test_the_act_s_pages_list_what_was_moved_with_true_counts(applied, cast, client, text_of):
    act = Reorganisation.objects.get()
    listing = get(client, cast["reviewer"], reverse("reorganisation_list"))
    row = text_of(listing)
    moved = act.moves.values("original").distinct().count()
    ended = act.successions.values("ended_body").distinct().count()
    assert f"{ended} {moved}" in row
    detail = get(client, cast["reviewer"], reverse("reorganisation_detail", args=[act.pk]))
    links = re.findall(r'href="/assignments/\d+/"', detail.content.decode())
    assert len(links) == 2 * act.moves.count()


def test_the_act_s_pages_hold_their_query_budget(applied, cast, client):
    act = Reorganisation.objects.get()
    client.force_login(cast["reviewer"])
    for url in (reverse("reorganisation_list"), reverse("reorganisation_detail", args=[act.pk])):
        client.get(url)  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= QUERY_BUDGET, (url, len(queries))


def test_a_body_page_links_its_predecessors_and_successors(applied, cast, client):
    ended = get(client, cast["reviewer"], reverse("body_detail", args=["thanh-uy-nha-trang"]))
    page = ended.content.decode()
    for code in SPLIT_INTO:
        assert f'href="{reverse("body_detail", args=[code])}"' in page
    successor = get(client, cast["reviewer"], reverse("body_detail", args=[SPLIT_INTO[1]]))
    assert f'href="{reverse("body_detail", args=["thanh-uy-nha-trang"])}"' in (
        successor.content.decode()
    )


def test_an_assignment_page_says_moved_from_and_moved_to(applied, cast, client, text_of):
    carried = Assignment.objects.get(predecessor=applied, body__code=SPLIT_INTO[0])
    original_page = get(client, cast["reviewer"], reverse("assignment_detail", args=[applied.pk]))
    html = original_page.content.decode()
    assert f'href="{reverse("assignment_detail", args=[carried.pk])}"' in html
    successor_page = get(client, cast["reviewer"], reverse("assignment_detail", args=[carried.pk]))
    assert f'href="{reverse("assignment_detail", args=[applied.pk])}"' in (
        successor_page.content.decode()
    )
    # The successor's own officer sees where the work came from, without a link it could not
    # open.
    ward_officer = member_of(SPLIT_INTO[0], "officer", "canbo.phuongnhatrang")
    own = get(client, ward_officer, reverse("assignment_detail", args=[carried.pk]))
    assert own.status_code == 200
    assert "Thành ủy Nha Trang" in text_of(own)
    assert f'href="{reverse("assignment_detail", args=[applied.pk])}"' not in own.content.decode()


def test_a_moved_assignment_s_history_reads_as_one_line(applied, cast, client, text_of):
    carried = Assignment.objects.get(predecessor=applied, body__code=SPLIT_INTO[0])
    original_history = list(applied.history.all())
    ward_officer = member_of(SPLIT_INTO[0], "officer", "canbo.phuongnhatrang")

    page = get(client, ward_officer, reverse("assignment_history", args=[carried.pk]))

    assert page.status_code == 200
    text = text_of(page)
    act = Reorganisation.objects.get()
    # Its own creation and every change of the original, back to the first, on one page.
    assert text.count(act.reason) >= 2
    assert text.count("Thành ủy Nha Trang") >= len(original_history)
