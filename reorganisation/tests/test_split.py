"""A split as the act says: each successor takes the work its line gives it (by the items'
keys, "all" or "rest"), work is shared only where the line says so, and a split that leaves
work with no successor or gives it to two unsaid is refused, nothing changed."""

import pytest

from reorganisation.plan import PlanRefused, plan_parse
from reorganisation.services import reorganisation_apply
from reorganisation.summary import outcome_lines
from tasks.models import Assignment

from .support import SPLIT_INTO, plan_data

WARD, NORTH_WARD = SPLIT_INTO


def nha_trang_line(**line) -> dict:
    data = plan_data()
    ending = data["endings"][0]
    del ending["shared"]
    ending.update(line)
    return data


def carried_to() -> dict[str, set[str]]:
    """Per item key of Nha Trang's open work before the act: the bodies carrying it on."""
    result: dict[str, set[str]] = {}
    for a in Assignment.objects.filter(predecessor__body__code="thanh-uy-nha-trang").select_related(
        "item", "body"
    ):
        result.setdefault(a.item.key, set()).add(a.body.code)
    return result


def test_a_split_by_items_gives_each_successor_its_own_work(cast):
    data = nha_trang_line(work={WARD: ["III.1"], NORTH_WARD: "rest"})

    outcome = reorganisation_apply(plan=plan_parse(data), acting_user=cast["administrator"])

    assert carried_to() == {"III.1.b1.s2": {WARD}, "III.10.b1": {NORTH_WARD}}
    nha_trang = next(b for b in outcome.ended if b.body.code == "thanh-uy-nha-trang")
    assert nha_trang.created_assignments == 2


def test_work_said_to_be_shared_goes_to_every_successor(cast):
    data = nha_trang_line(work={WARD: ["III.1.b1.s2"]}, shared=["III.10"])

    reorganisation_apply(plan=plan_parse(data), acting_user=cast["administrator"])

    assert carried_to() == {"III.1.b1.s2": {WARD}, "III.10.b1": {WARD, NORTH_WARD}}


def test_shared_by_all_keeps_every_successor_on_every_task(cast):
    data = nha_trang_line(shared="all")

    reorganisation_apply(plan=plan_parse(data), acting_user=cast["administrator"])

    assert carried_to() == {"III.1.b1.s2": set(SPLIT_INTO), "III.10.b1": set(SPLIT_INTO)}


def test_the_trial_run_shows_who_takes_what(cast, in_english):
    data = nha_trang_line(work={WARD: "all", NORTH_WARD: []}, shared=[])

    outcome = reorganisation_apply(
        plan=plan_parse(data), acting_user=cast["administrator"], dry_run=True
    )

    lines = "\n".join(outcome_lines(outcome))
    assert "III.1.b1.s2 · Implement locally: Đảng ủy phường Nha Trang\n" in lines
    assert "III.10.b1 · Implement locally: Đảng ủy phường Nha Trang\n" in lines
    assert not Assignment.objects.filter(body__code__in=SPLIT_INTO).exists()


@pytest.mark.parametrize(
    ("line", "fault"),
    [
        (
            {},
            "Thành ủy Nha Trang is split among 2 successors: the plan must say which takes "
            'which work ("work"), or that they share it ("shared": "all").',
        ),
        (
            {"work": {WARD: ["III.1"]}},
            "The open assignment III.10.b1 (Implement locally) of Thành ủy Nha Trang goes to "
            "no successor.",
        ),
        (
            {"work": {WARD: "all", NORTH_WARD: ["III.10"]}},
            "The open assignment III.10.b1 (Implement locally) of Thành ủy Nha Trang goes to "
            f'{WARD}, {NORTH_WARD}: say it is shared ("shared"), or give it to one of them.',
        ),
    ],
)
def test_a_split_that_leaves_work_or_doubles_it_unsaid_is_refused(cast, in_english, line, fault):
    before = sorted(Assignment.objects.values_list("pk", "body_id", "cancelled_on"))

    with pytest.raises(PlanRefused) as raised:
        reorganisation_apply(
            plan=plan_parse(nha_trang_line(**line)), acting_user=cast["administrator"]
        )

    assert raised.value.faults == [fault]
    assert sorted(Assignment.objects.values_list("pk", "body_id", "cancelled_on")) == before


def test_a_split_line_of_the_wrong_shape_says_what_is_wrong(in_english):
    data = nha_trang_line(
        work={WARD: "rest", NORTH_WARD: "rest", "so-tai-chinh": ["III.1"]}, shared=5
    )
    with pytest.raises(PlanRefused) as raised:
        plan_parse(data)
    assert raised.value.faults == [
        'The shared work of thanh-uy-nha-trang is neither "all" nor a list of item keys.',
        "The work of thanh-uy-nha-trang names so-tai-chinh, which is not one of its successors.",
        'Only one successor of thanh-uy-nha-trang can take "rest".',
    ]
    data = nha_trang_line(work={WARD: "most"})
    with pytest.raises(PlanRefused) as raised:
        plan_parse(data)
    assert raised.value.faults == [
        f'What {WARD} takes of the work of thanh-uy-nha-trang is neither "all", "rest" nor a '
        "list of item keys."
    ]
