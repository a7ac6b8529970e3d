"""The default assignments of the NQ23 programme, read from part IV, and the data they rest on."""

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Body, Role
from programme.models import Item, Programme, Recipient, Region, RegionLocality, Target
from tasks.models import Assignment

NQ23 = settings.FIXTURES_DIR / "programmes" / "nq23"
FIXTURES = [
    settings.FIXTURES_DIR / "roles.json",
    settings.FIXTURES_DIR / "bodies.json",
    NQ23 / "programme.json",
    NQ23 / "regions.json",
    NQ23 / "targets.json",
    NQ23 / "assignments.json",
]
STANDING_COMMITTEE = "ban-thuong-vu-tinh-uy"
SUPERVISORS = {
    "dang-doan-hdnd-tinh",
    "uy-ban-mttq-tinh",
    "lien-doan-lao-dong-tinh",
    "hoi-nong-dan-tinh",
    "hoi-lien-hiep-phu-nu-tinh",
    "tinh-doan",
    "hoi-cuu-chien-binh-tinh",
}


def load_all() -> None:
    for path in FIXTURES:
        call_command("loaddata", str(path), verbosity=0)


@pytest.fixture
def programme(db) -> Programme:
    load_all()
    return Programme.objects.get(code="nq23")


def bodies_of(item: Item, role: str) -> set[str]:
    return set(item.assignments.filter(role=role).values_list("body__code", flat=True))


def test_it_gives_every_task_exactly_one_lead(programme):
    tasks = programme.items.tasks()

    assert tasks.count() == 42
    leads = {task.key: bodies_of(task, Assignment.Role.LEAD) for task in tasks}
    assert all(len(bodies) == 1 for bodies in leads.values()), leads
    assert leads["III.10.b1"] == {"ban-tuyen-giao-tinh-uy"}
    assert leads["III.10.b3"] == {"uy-ban-mttq-tinh"}
    others = {key: bodies for key, bodies in leads.items() if key not in {"III.10.b1", "III.10.b3"}}
    assert set().union(*others.values()) == {"ban-can-su-dang-ubnd-tinh"}


def test_it_has_every_task_supervised_and_reported_to_the_standing_committee(programme):
    for task in programme.items.tasks():
        assert bodies_of(task, Assignment.Role.SUPERVISE) == SUPERVISORS, task.key
        assert bodies_of(task, Assignment.Role.RECEIVE_REPORTS) == {STANDING_COMMITTEE}, task.key


def test_it_has_one_to_three_departments_coordinate_each_task(programme):
    for task in programme.items.tasks():
        coordinators = task.assignments.filter(role=Assignment.Role.COORDINATE)
        assert 1 <= coordinators.count() <= 3, task.key
        assert {a.body.kind for a in coordinators} == {Body.Kind.DEPARTMENT}, task.key


def test_it_has_each_region_implemented_by_the_localities_it_covers(programme):
    sub_items = programme.items.filter(kind=Item.Kind.SUBITEM, section=Item.Section.TASKS)

    assert sorted(sub_items.values_list("key", flat=True)) == [
        "III.1.b1.s1",
        "III.1.b1.s2",
        "III.1.b1.s3",
    ]
    for sub_item in sub_items:
        region = Region.objects.get(item=sub_item)
        localities = set(region.localities.values_list("body__code", flat=True))
        assert len(localities) == 2, region.code
        assert bodies_of(sub_item, Assignment.Role.IMPLEMENT_LOCALLY) == localities, region.code
    districts = set(
        Body.objects.filter(kind=Body.Kind.DISTRICT_COMMITTEE).values_list("code", flat=True)
    )
    awareness = programme.items.get(key="III.10.b1")
    assert bodies_of(awareness, Assignment.Role.IMPLEMENT_LOCALLY) == districts
    assert len(districts) == 9


def test_it_bases_every_assignment_on_a_clause_of_part_iv(programme):
    assignments = Assignment.objects.select_related("basis__parent")

    assert assignments.count() > 0
    for assignment in assignments:
        basis = assignment.basis
        assert basis is not None, assignment
        assert basis.kind == Item.Kind.CLAUSE, assignment
        assert basis.section == Item.Section.IMPLEMENTATION, assignment
        assert basis.parent.key == "IV", assignment


def test_it_quotes_each_target_in_the_words_of_its_item(programme):
    targets = Target.objects.select_related("item")

    assert targets.count() == 8
    for target in targets:
        assert target.quote in target.item.text, target.code
        assert target.item.key.startswith("II.2.b"), target.code
        assert target.target_year == 2030
    share = targets.get(code="ty-trong-cong-nghiep-xay-dung-grdp")
    assert (share.comparator, share.value, share.value_max) == ("range", 46, 47)


def test_it_leaves_row_counts_unchanged_when_loaded_twice(programme):
    models = [Role, Body, Programme, Item, Recipient, Region, RegionLocality, Target, Assignment]
    before = {model.__name__: model.objects.count() for model in models}

    load_all()

    assert {model.__name__: model.objects.count() for model in models} == before
    assert before["Assignment"] > 0 and before["RegionLocality"] == 6
