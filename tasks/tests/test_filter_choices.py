"""The assignment list's filter choices are cached, keyed on the data version of what they
show, the user's visibility class and the language: each write to a body, a period, a task
group or a programme shows on the next page, and users who see different work never share an
entry."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Body
from programme.models import Item, Programme
from tasks.dashboards.assignment_list import filter_choices, filter_choices_key
from tasks.models import ReportingPeriod

pytestmark = pytest.mark.database  # reads the highest history ids with raw SQL


def saved(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._change_reason = "test"
    instance.save()
    return instance


def test_each_write_to_what_the_choices_show_changes_them(cast):
    user = cast["reviewer"]
    filter_choices(user=user)
    assert filter_choices(user=user) == filter_choices(user=user)

    body = saved(Body.objects.get(code="thanh-uy-nha-trang"), name="Thành ủy Nha Trang mới")
    assert body.name in [b.name for b in filter_choices(user=user).bodies]

    group = Item.objects.filter(section=Item.Section.TASKS, kind=Item.Kind.GROUP).first()
    saved(group, text="Nhóm nhiệm vụ đã sửa")
    assert "Nhóm nhiệm vụ đã sửa" in [g.text for g in filter_choices(user=user).groups]

    programme = saved(Programme.objects.get(code="nq23"), title="Chương trình đã sửa")
    assert programme.title in [p.title for p in filter_choices(user=user).programmes]

    period = ReportingPeriod(
        programme=programme,
        code="ky-thu-2031",
        name="Kỳ thử",
        kind="semiannual",
        starts_on=date(2031, 1, 1),
        ends_on=date(2031, 6, 30),
        due_on=date(2031, 7, 15),
    )
    saved(period)
    assert "Kỳ thử" in [p.name for p in filter_choices(user=user).periods]

    period._change_reason = "test"
    period.delete()  # a delete is a write too: its history row moves the version
    assert "Kỳ thử" not in [p.name for p in filter_choices(user=user).periods]


def test_users_who_see_different_work_never_share_an_entry(cast):
    keys = {role: filter_choices_key(cast[role]) for role in cast}
    # The Party Office and the Standing Committee read everything; each body's members see
    # their body's work.
    assert keys["reviewer"] == keys["standing_member"]
    assert keys["officer"] == keys["leader"]  # the same body: the same work
    assert len({keys["reviewer"], keys["officer"], keys["other_officer"], keys["supervisor"]}) == 4


def test_each_language_has_its_own_entry(cast):
    user = cast["officer"]
    vietnamese = filter_choices_key(user)
    with translation.override("en"):
        assert filter_choices_key(user) != vietnamese


def test_the_list_offers_the_changed_choices_on_the_next_request(client, cast):
    client.force_login(cast["reviewer"])
    client.get(reverse("assignment_list"))
    saved(Body.objects.get(code="thanh-uy-cam-ranh"), name="Thành ủy Cam Ranh (đổi tên)")

    assert "Thành ủy Cam Ranh (đổi tên)" in client.get(reverse("assignment_list")).content.decode()
