"""A programme report shows the bodies of its own time: once the 2025 reorganisation has taken
effect, its first section says which ended body's work passed to which successor; a report as
of a day before the act says nothing of it."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone, translation

from programme.models import Programme
from reorganisation.plan import plan_read
from reorganisation.services import reorganisation_apply
from reports.as_of import programme_state
from reports.standing_committee import succession_paragraphs

PLAN = settings.FIXTURES_DIR / "reorganisations" / "2025-khanh-hoa.json"


@pytest.fixture
def applied(cast):
    reorganisation_apply(
        plan=plan_read(PLAN.read_text(encoding="utf-8")), acting_user=cast["administrator"]
    )


def lines_as_of(day: date) -> list[str]:
    moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.max.time()))
    state = programme_state(programme=Programme.objects.get(code="nq23"), moment=moment)
    with translation.override("vi"):
        return succession_paragraphs(state)


def test_a_report_after_the_act_says_what_passed_to_whom(applied):
    [line] = lines_as_of(timezone.localdate())
    assert "Ban Quản lý Khu kinh tế Vân Phong →" in line
    assert "(từ ngày 01/07/2025)" in line


def test_a_report_before_the_act_says_nothing_of_it(applied):
    assert lines_as_of(date(2025, 6, 30)) == []


def test_without_a_reorganisation_nothing_is_said(cast):
    assert lines_as_of(timezone.localdate()) == []
