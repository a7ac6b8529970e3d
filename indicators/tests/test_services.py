"""The yearly figure workflow through the services: draft, submit, return, revise, resubmit,
accept and lock; its history; who may do what; and the figures that are refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from indicators.models import FigureState, IndustrialArea, YearlyFigure
from indicators.selectors import current_occupancy, indicator_rows
from indicators.services import (
    FigureData,
    StaleFigure,
    figure_accept,
    figure_create,
    figure_return,
    figure_submit,
    figure_update,
)
from programme.models import Programme

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def data(year=2024, value="35", source="Niên giám thống kê 2024", note=""):
    return FigureData(year=year, value=Decimal(value), source=source, note=note)


def test_it_takes_a_figure_through_the_workflow_with_its_history(world, in_english):
    officer, leader, reviewer = (world.users[k] for k in ("officer", "leader", "reviewer"))
    figure = figure_create(subject=world.share, data=data(), acting_user=officer)
    figure_submit(figure=figure, acting_user=leader)
    figure_return(figure=figure, reason="Thiếu nguồn số liệu chính thức.", acting_user=reviewer)
    figure = figure_update(
        figure=figure, data=data(value="35.5"), expected_version=1, acting_user=officer
    )
    figure_submit(figure=figure, acting_user=leader)
    figure = figure_accept(figure=figure, acting_user=reviewer)

    assert figure.state == FigureState.ACCEPTED
    assert figure.value == Decimal("35.5")
    history = list(figure.history.order_by("history_date", "history_id"))
    assert [h.history_change_reason for h in history] == [
        "Draft created",
        "Submitted",
        "Returned: Thiếu nguồn số liệu chính thức.",
        "Draft revised",
        "Resubmitted",
        "Accepted",
    ]
    assert [h.history_user for h in history] == [
        officer,
        leader,
        reviewer,
        officer,
        leader,
        reviewer,
    ]
    assert [h.value for h in history][2:4] == [Decimal("35"), Decimal("35.5")]


def test_an_accepted_figure_is_locked_and_counts(world, accepted):
    figure = accepted(world.share, 2024, "35")

    with pytest.raises(PermissionDenied):
        figure_update(
            figure=figure,
            data=data(value="50"),
            expected_version=2,
            acting_user=world.users["officer"],
        )
    with pytest.raises(PermissionDenied):
        figure_return(figure=figure, reason="x", acting_user=world.users["reviewer"])
    row = next(
        r for r in indicator_rows(programme=world.share.programme) if r.target == world.share
    )
    assert row.actuals == {2024: Decimal("35")}
    assert row.assessment.verdict == "on_track"


def test_a_draft_does_not_count(world):
    figure_create(subject=world.share, data=data(), acting_user=world.users["officer"])

    row = next(
        r for r in indicator_rows(programme=world.share.programme) if r.target == world.share
    )
    assert row.assessment.verdict == "no_data"


def test_who_may_do_what(world):
    users = world.users
    with pytest.raises(PermissionDenied):
        figure_create(subject=world.share, data=data(), acting_user=users["other_officer"])
    with pytest.raises(PermissionDenied):
        figure_create(subject=world.share, data=data(), acting_user=users["reviewer"])
    figure = figure_create(subject=world.share, data=data(), acting_user=users["officer"])
    with pytest.raises(PermissionDenied):
        figure_submit(figure=figure, acting_user=users["officer"])
    with pytest.raises(PermissionDenied):
        figure_accept(figure=figure, acting_user=users["reviewer"])  # not submitted yet
    figure_submit(figure=figure, acting_user=users["leader"])
    for role in ("leader", "officer", "standing_member", "administrator"):
        with pytest.raises(PermissionDenied):
            figure_accept(figure=figure, acting_user=users[role])


def test_a_stale_save_is_refused(world):
    officer, leader = world.users["officer"], world.users["leader"]
    figure = figure_create(subject=world.share, data=data(), acting_user=officer)
    figure_update(figure=figure, data=data(value="36"), expected_version=1, acting_user=leader)

    with pytest.raises(StaleFigure):
        figure_update(figure=figure, data=data(value="37"), expected_version=1, acting_user=officer)
    assert YearlyFigure.objects.get(pk=figure.pk).value == Decimal("36")


def test_one_figure_per_indicator_and_year(world):
    officer = world.users["officer"]
    first = figure_create(subject=world.share, data=data(), acting_user=officer)

    with pytest.raises(ValidationError, match="Đã có số liệu năm"):
        figure_create(subject=world.share, data=data(), acting_user=officer)
    with transaction.atomic(), pytest.raises(IntegrityError):
        YearlyFigure.objects.create(
            target=world.share,
            body=first.body,
            year=2024,
            value=Decimal("1"),
            source="x",
            drafted_by=officer,
        )


BAD_SHARES = [
    (data(value="135"), "value", "must be from 0 to 100"),
    (data(value="-1"), "value", "must be from 0 to 100"),
    (data(year=2017), "year", "2018 to 2030"),
    (data(year=2031), "year", "2018 to 2030"),
    (data(source="   "), "source", "where the figure comes from"),
]


@pytest.mark.parametrize(("bad", "field", "message"), BAD_SHARES)
def test_it_refuses_a_bad_value(world, in_english, bad, field, message):
    with pytest.raises(ValidationError) as refused:
        figure_create(subject=world.share, data=bad, acting_user=world.users["officer"])

    assert message in " ".join(refused.value.message_dict[field])
    assert not YearlyFigure.objects.exists()


def test_it_refuses_a_year_still_to_come(world, in_english):
    # The programme runs to 2030; a year after this one has not begun.
    this_year = date.today().year
    if this_year >= 2030:
        pytest.fail("the test needs a programme year after this one")
    with pytest.raises(ValidationError, match="has not begun"):
        figure_create(
            subject=world.share, data=data(year=this_year + 1), acting_user=world.users["officer"]
        )


def test_a_growth_rate_may_be_negative_but_not_minus_100(world, in_english):
    officer = world.users["officer"]
    figure_create(subject=world.growth, data=data(year=2020, value="-3.5"), acting_user=officer)

    with pytest.raises(ValidationError, match="above -100%"):
        figure_create(subject=world.growth, data=data(year=2021, value="-100"), acting_user=officer)


def test_the_occupancy_indicator_takes_no_value_of_its_own(world, in_english):
    world.occupancy.responsible_body = world.nha_trang
    world.occupancy.save()
    with pytest.raises(ValidationError, match="computed from the figures"):
        figure_create(subject=world.occupancy, data=data(), acting_user=world.users["officer"])


def test_occupied_land_is_checked_against_the_register(world, in_english):
    officer = world.users["officer"]
    with pytest.raises(ValidationError, match="cannot exceed the leasable"):
        figure_create(subject=world.cluster, data=data(value="100.01"), acting_user=officer)
    with pytest.raises(ValidationError, match="cannot be negative"):
        figure_create(subject=world.cluster, data=data(value="-1"), acting_user=officer)
    unrecorded = IndustrialArea.objects.get(code="ccn-trang-e-1")
    unrecorded.responsible_body = world.nha_trang
    unrecorded.save()
    with pytest.raises(ValidationError, match="not recorded yet"):
        figure_create(subject=unrecorded, data=data(value="1"), acting_user=officer)
    assert figure_create(subject=world.cluster, data=data(value="100"), acting_user=officer)


def test_submitting_checks_again_against_the_register(world, in_english):
    figure = figure_create(
        subject=world.cluster, data=data(value="80"), acting_user=world.users["officer"]
    )
    world.cluster.leasable_area_ha = Decimal("70")
    world.cluster.save()

    with pytest.raises(ValidationError, match="cannot exceed"):
        figure_submit(figure=figure, acting_user=world.users["leader"])
    assert YearlyFigure.objects.get(pk=figure.pk).state == FigureState.DRAFT


def test_the_database_refuses_negative_areas(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        IndustrialArea.objects.filter(pk=world.cluster.pk).update(leasable_area_ha=-5)
    with transaction.atomic(), pytest.raises(IntegrityError):
        IndustrialArea.objects.filter(pk=world.cluster.pk).update(planned_area_ha=Decimal("90"))
    with transaction.atomic(), pytest.raises(IntegrityError):
        YearlyFigure.objects.create(
            industrial_area=world.cluster,
            body=world.nha_trang,
            year=2024,
            value=Decimal("-1"),
            source="x",
            drafted_by=world.users["officer"],
        )


def test_occupancy_is_averaged_across_zones_and_clusters(world, accepted):
    accepted(world.cluster, 2024, "30")  # 30 of 100 ha: 30%
    accepted(world.other, 2024, "45")  # 45 of 50 ha: 90%
    accepted(world.cluster, 2025, "66")  # 66% (the other has no 2025 figure)

    table = current_occupancy()
    rows = indicator_rows(programme=Programme.objects.get(code="nq23"))
    occupancy = next(r for r in rows if r.target == world.occupancy)

    assert table.average == {2024: Decimal("60"), 2025: Decimal("66")}
    assert table.counted == {2024: 2, 2025: 1}
    by_code = {row.area.code: row for row in table.rows}
    assert by_code["ccn-dien-tho"].rates == {2024: Decimal("90")}
    assert occupancy.actuals == {2024: Decimal("60"), 2025: Decimal("66")}
    assert occupancy.assessment.verdict == "on_track"  # at least 60%, already met
