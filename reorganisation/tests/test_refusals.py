"""A plan that is incomplete or inconsistent is refused before anything changes, with one
clear message per fault; the command line and the admin run trials and apply."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Body, Membership
from reorganisation.models import Reorganisation
from reorganisation.plan import PlanRefused, plan_parse
from reorganisation.services import reorganisation_apply
from tasks.models import Assignment

from .support import SPLIT_INTO, plan_data

pytestmark = pytest.mark.database


def state() -> tuple:
    return (
        sorted(Body.objects.values_list("code", "valid_from", "valid_to", "successor_id")),
        sorted(Assignment.objects.values_list("pk", "body_id", "cancelled_on")),
        sorted(Membership.objects.values_list("pk", "valid_to")),
        Reorganisation.objects.count(),
    )


def refused(data: dict, user) -> list[str]:
    before = state()
    with pytest.raises(PlanRefused) as raised:
        reorganisation_apply(plan=plan_parse(data), acting_user=user)
    assert state() == before
    return raised.value.faults


def test_an_ended_body_with_open_work_and_no_successor_is_refused(cast, in_english):
    data = plan_data()
    data["endings"][0]["successors"] = []
    assert refused(data, cast["administrator"]) == [
        "Thành ủy Nha Trang has open work (2 assignments, indicators or industrial areas) and "
        "no successor."
    ]


def test_a_successor_that_does_not_exist_is_refused(cast, in_english):
    data = plan_data()
    data["endings"][1]["successors"] = ["so-khong-co"]
    assert refused(data, cast["administrator"]) == [
        "The successor so-khong-co of Sở Kế hoạch và Đầu tư does not exist."
    ]


def test_a_date_before_the_body_s_start_is_refused(cast, in_english):
    body = Body.objects.get(code="so-ke-hoach-va-dau-tu")
    body.valid_from = date(2026, 1, 1)
    body.save()
    data = plan_data(effective=date(2025, 7, 1))
    assert refused(data, cast["administrator"]) == [
        "Sở Kế hoạch và Đầu tư cannot end before it started: it exists from 01/01/2026, and "
        "the plan takes effect on 01/07/2025."
    ]


def test_a_body_ended_twice_is_refused_in_the_plan_and_after_an_earlier_act(cast, in_english):
    data = plan_data()
    data["endings"].append({"body": "so-ke-hoach-va-dau-tu", "successors": ["so-tai-chinh"]})
    assert refused(data, cast["administrator"]) == [
        "Sở Kế hoạch và Đầu tư is ended twice in this plan."
    ]

    reorganisation_apply(plan=plan_parse(plan_data()), acting_user=cast["administrator"])
    again = plan_data()
    again["code"] = "lan-hai"
    again["new_bodies"] = []
    again["endings"] = [{"body": "so-ke-hoach-va-dau-tu", "successors": ["so-tai-chinh"]}]
    yesterday = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert refused(again, cast["administrator"]) == [
        f"Sở Kế hoạch và Đầu tư is ended twice: it already ended on {yesterday}."
    ]


def test_every_fault_is_told_at_once(cast, in_english):
    data = plan_data()
    data["endings"][0]["successors"] = []
    data["endings"][1]["successors"] = ["so-khong-co"]
    data["endings"].append({"body": "co-quan-khong-co", "successors": [SPLIT_INTO[0]]})
    assert len(refused(data, cast["administrator"])) == 3


def test_a_plan_of_the_wrong_shape_says_what_is_missing(in_english):
    with pytest.raises(PlanRefused) as raised:
        plan_parse({"code": "x", "effective_on": "1/7/2025", "endings": [{}]})
    assert raised.value.faults == [
        "The plan has no title.",
        "The plan has no basis.number.",
        "The plan has no basis.issuer.",
        "The legal basis's date is not a date (YYYY-MM-DD): None",
        "The effective date is not a date (YYYY-MM-DD): '1/7/2025'",
        "An ending needs the body it ends: {}",
        "The plan neither ends nor creates any body.",
    ]


@pytest.fixture
def plan_file(tmp_path):
    def write(data: dict):
        path = tmp_path / "plan.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def test_the_command_prints_a_trial_run_per_body_and_changes_nothing(cast, plan_file, in_english):
    before = state()
    out = StringIO()
    call_command("reorganise", str(plan_file(plan_data())), "--dry-run", stdout=out)

    assert state() == before
    text = out.getvalue()
    assert "Ends on" in text and "Thành ủy Nha Trang [thanh-uy-nha-trang]" in text
    assert "  + Đảng ủy phường Nha Trang [dang-uy-phuong-nha-trang]" in text
    assert "III.1.b1.s2 · Implement locally: Đảng ủy phường Nha Trang, Đảng ủy phường Bắc" in text
    assert "Left for the administrator: thanh-uy-cam-ranh — không có nguồn" in text
    assert text.rstrip().endswith("Trial run: nothing was changed.")


def test_the_command_applies_the_plan_and_refuses_a_faulty_one(cast, plan_file, in_english):
    out = StringIO()
    call_command("reorganise", str(plan_file(plan_data())), "--user", "quantri", stdout=out)
    assert out.getvalue().rstrip().endswith("Applied.")
    act = Reorganisation.objects.get()
    assert act.applied_by == cast["administrator"]

    before = state()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("reorganise", str(plan_file(plan_data())), stderr=err)
    assert "was already applied" in err.getvalue()
    assert state() == before


def english(client):
    """Pages answer in the language the browser asks for."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_admin_shows_the_trial_run_then_applies_on_confirmation(cast, client, in_english):
    client.force_login(cast["administrator"])
    english(client)
    url = reverse("admin:reorganisation_reorganisation_apply")
    text = json.dumps(plan_data(), ensure_ascii=False)
    before = state()

    trial = client.post(url, {"text": text})

    assert trial.status_code == 200
    page = trial.content.decode()
    assert "Trial run: nothing has been changed yet" in page
    assert "Thành ủy Nha Trang" in page and "Apply this reorganisation" in page
    assert state() == before

    applied = client.post(url, {"text": text, "confirm": "1"})

    act = Reorganisation.objects.get()
    assert applied.status_code == 302
    assert applied["Location"] == reverse(
        "admin:reorganisation_reorganisation_change", args=[act.pk]
    )
    assert Body.objects.get(code="thanh-uy-nha-trang").valid_to is not None


def test_the_admin_refuses_a_faulty_plan_with_its_messages(cast, client, in_english):
    client.force_login(cast["administrator"])
    english(client)
    data = plan_data()
    data["endings"][1]["successors"] = ["so-khong-co"]
    before = state()

    response = client.post(
        reverse("admin:reorganisation_reorganisation_apply"),
        {"text": json.dumps(data), "confirm": "1"},
    )

    assert response.status_code == 400
    assert "The successor so-khong-co of Sở Kế hoạch và Đầu tư does not exist." in (
        response.content.decode()
    )
    assert state() == before


@pytest.mark.parametrize("role", ["officer", "leader", "reviewer", "supervisor", "standing_member"])
def test_only_administrators_reach_the_apply_page(cast, client, role):
    client.force_login(cast[role])
    response = client.post(
        reverse("admin:reorganisation_reorganisation_apply"),
        {"text": json.dumps(plan_data()), "confirm": "1"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Reorganisation.objects.exists()


def test_the_apply_page_holds_its_query_budget(cast, client):
    client.force_login(cast["administrator"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:reorganisation_reorganisation_apply"))
    assert response.status_code == 200
    assert len(queries) <= 12
