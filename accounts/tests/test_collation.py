"""Names sort in Vietnamese order in the database, on SQLite and PostgreSQL alike: ă and â
after a, đ after d, tones only between otherwise equal names."""

import pytest
from django.db import connection

from accounts.collation import collated, vi_sort_key
from accounts.models import Body, Membership

pytestmark = pytest.mark.database

NAMES = ["Đông", "Dương", "Ân", "Ăn", "An", "Ba"]
VIETNAMESE_ORDER = ["An", "Ăn", "Ân", "Ba", "Dương", "Đông"]


@pytest.fixture
def bodies(db):
    return [
        Body.objects.create(
            code=f"thu-tu-{n}", name=name, short_name=name, kind=Body.Kind.DEPARTMENT, position=7
        )
        for n, name in enumerate(NAMES)
    ]


def test_it_orders_bodies_by_name_in_vietnamese_order(bodies):
    listed = Body.objects.filter(code__startswith="thu-tu-")
    assert [body.name for body in listed] == VIETNAMESE_ORDER
    by_name = Body.objects.filter(code__startswith="thu-tu-").order_by(collated("name"))
    assert [body.name for body in by_name] == VIETNAMESE_ORDER


def test_it_orders_the_same_in_the_database_and_in_python(db):
    names = ["a", "à", "á", "ả", "ã", "ạ", "A", "Ă", "ă", "â", "Â", "b", "đ", "Đ", "d", "D"]
    names += ["Dương", "Đông", "An", "Ăn", "Ân", "Ba", "an", "Ơn", "Ôn", "On", "Ưu", "Uy", "Vy"]
    for n, name in enumerate(names):
        Body.objects.create(code=f"ten-{n}", name=name, short_name=name, kind=Body.Kind.DEPARTMENT)
    in_database = list(
        Body.objects.filter(code__startswith="ten-")
        .order_by(collated("name"), "code")
        .values_list("name", flat=True)
    )
    assert in_database == sorted(names, key=vi_sort_key)
    # What ICU's Vietnamese collation gives (PostgreSQL's vi-x-icu), tones and case included.
    assert sorted(names, key=vi_sort_key)[:17] == [
        "a", "A", "à", "ả", "ã", "á", "ạ", "an", "An", "ă", "Ă", "Ăn", "â", "Â", "Ân", "b", "Ba",
    ]  # fmt: skip


def test_memberships_follow_their_bodies_vietnamese_order(bodies, django_user_model):
    from accounts.models import Role

    role = Role.objects.create(code="officer", name="Cán bộ", position=1)
    user = django_user_model.objects.create_user("thu.tu")
    for body in bodies:
        Membership.objects.create(user=user, body=body, role=role)
    assert [m.body.name for m in Membership.objects.filter(user=user)] == VIETNAMESE_ORDER


def test_every_connection_carries_the_collation(db):
    # SQLite's is registered on each connection; PostgreSQL's is ICU's, built in.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'Đông' < 'Dương' COLLATE \"vi-x-icu\"")
        assert cursor.fetchone() == (0,)
