"""The 2025 plan shipped in fixtures/reorganisations/: every line cites its source, and on the
reference data its trial run passes without a fault."""

import json
from pathlib import Path

from django.conf import settings

from accounts.models import Body
from reorganisation.plan import plan_faults, plan_parse
from reorganisation.services import reorganisation_apply
from tasks.models import Assignment

PLAN = Path(settings.FIXTURES_DIR) / "reorganisations" / "2025-khanh-hoa.json"


def data() -> dict:
    return json.loads(PLAN.read_text(encoding="utf-8"))


def test_every_line_of_the_2025_plan_cites_a_source():
    plan = data()
    assert plan["basis"]["source"]
    for line in (*plan["new_bodies"], *plan["endings"]):
        assert "http" in line["source"], line
    for note in plan["not_found"]:
        assert note["body"] and note["note"], note


def test_the_2025_plan_runs_on_the_reference_data(cast):
    plan = plan_parse(data())
    assert plan_faults(plan) == []
    named = {n["body"] for n in data()["not_found"]}
    assert named <= set(Body.objects.values_list("code", flat=True))
    van_phong = Assignment.objects.live().filter(body__code="ban-quan-ly-khu-kinh-te-van-phong")
    expected = van_phong.count()

    trial = reorganisation_apply(plan=plan, acting_user=cast["administrator"], dry_run=True)

    assert trial.moved_count == expected > 0
    assert [b.code for b in trial.created] == ["ban-quan-ly-khu-kinh-te-va-khu-cong-nghiep-tinh"]
    assert not Body.objects.filter(code="ban-quan-ly-khu-kinh-te-va-khu-cong-nghiep-tinh").exists()
