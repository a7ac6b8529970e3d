"""Who reads a figure the Party Office returned while its body revises it: as with a returned
progress report, the body, the reviewers, the Standing Committee and the supervisors; not the
officers of other bodies, in no page, list or count."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import FigureState
from indicators.permissions import Action, figure_policy
from indicators.services import (
    FigureData,
    figure_create,
    figure_return,
    figure_submit,
    figure_update,
)

pytestmark = pytest.mark.django_db

UNSENT_SOURCE = "Niên giám sơ bộ chưa gửi lại"
UNSENT_NOTE = "Số liệu ước tính của cơ quan, chưa gửi Văn phòng Tỉnh ủy"
RETURN_REASON = "Ghi nguồn số liệu chính thức"
READERS = ["officer", "leader", "reviewer", "standing_member", "supervisor"]
NOT_READERS = ["other_officer", "administrator"]


def under_revision(world, subject, *, year: int, value: str):
    """A figure submitted, returned by the Party Office, and revised but not yet sent again."""
    users = world.users
    figure = figure_create(
        subject=subject,
        data=FigureData(year, Decimal(value), "Niên giám thống kê"),
        acting_user=users["officer"],
    )
    figure_submit(figure=figure, acting_user=users["leader"])
    figure_return(figure=figure, reason=RETURN_REASON, acting_user=users["reviewer"])
    return figure_update(
        figure=figure,
        data=FigureData(year, Decimal(value) + 1, UNSENT_SOURCE, UNSENT_NOTE),
        expected_version=figure.version,
        acting_user=users["officer"],
    )


@pytest.fixture
def returned(world):
    """A returned share figure (2023) and a returned cluster figure (2024) under revision."""
    return {
        "indicator": under_revision(world, world.share, year=2023, value="33"),
        "area": under_revision(world, world.cluster, year=2024, value="40"),
    }


@pytest.mark.parametrize("role", READERS + NOT_READERS)
def test_it_shows_a_returned_figure_only_to_its_body_and_the_readers_of_returned_work(
    client, world, returned, role
):
    figure = returned["indicator"]
    assert figure.state == FigureState.RETURNED
    user = world.users[role]
    client.force_login(user)

    response = client.get(reverse("figure_detail", args=[figure.pk]))
    listed = figure_policy.instances_user_has_permission_for(user, Action.VIEW)

    if role in READERS:
        assert response.status_code == 200
        assert UNSENT_NOTE in response.content.decode()
        assert listed.filter(pk=figure.pk).exists()
    else:
        assert response.status_code == 404
        assert UNSENT_NOTE not in response.content.decode()
        assert not listed.filter(pk=figure.pk).exists()
        assert not figure_policy.user_has_permission_for_instance(user, Action.VIEW, figure)


@pytest.mark.parametrize(
    ("kind", "page"),
    [
        ("indicator", lambda w: reverse("indicator_detail", args=[w.share.pk])),
        ("area", lambda w: reverse("area_detail", args=[w.cluster.pk])),
    ],
)
def test_another_bodys_officer_finds_no_trace_of_it_on_the_list_pages(
    client, world, returned, kind, page
):
    figure = returned[kind]
    link = reverse("figure_detail", args=[figure.pk])

    client.force_login(world.users["other_officer"])
    hidden = client.get(page(world)).content.decode()
    client.force_login(world.users["reviewer"])
    shown = client.get(page(world)).content.decode()

    assert link in shown and UNSENT_SOURCE in shown
    for trace in (link, UNSENT_SOURCE, RETURN_REASON):
        assert trace not in hidden


def test_it_is_public_again_once_sent_again(client, world, returned):
    figure = figure_submit(figure=returned["indicator"], acting_user=world.users["leader"])
    client.force_login(world.users["other_officer"])

    assert client.get(reverse("figure_detail", args=[figure.pk])).status_code == 200
