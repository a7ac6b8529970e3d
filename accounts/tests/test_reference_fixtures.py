"""The reference data every installation starts from: roles and responsible bodies."""

import json
import unicodedata

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Body, Role

ROLES_FIXTURE = settings.FIXTURES_DIR / "roles.json"
BODIES_FIXTURE = settings.FIXTURES_DIR / "bodies.json"

DISTRICT_COMMITTEES = {
    "thanh-uy-nha-trang": "Thành ủy Nha Trang",
    "thanh-uy-cam-ranh": "Thành ủy Cam Ranh",
    "thi-uy-ninh-hoa": "Thị ủy Ninh Hòa",
    "huyen-uy-van-ninh": "Huyện ủy Vạn Ninh",
    "huyen-uy-dien-khanh": "Huyện ủy Diên Khánh",
    "huyen-uy-cam-lam": "Huyện ủy Cam Lâm",
    "huyen-uy-khanh-vinh": "Huyện ủy Khánh Vĩnh",
    "huyen-uy-khanh-son": "Huyện ủy Khánh Sơn",
    "huyen-uy-truong-sa": "Huyện ủy Trường Sa",
}


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


@pytest.fixture
def reference_bodies(db):
    call_command("loaddata", str(BODIES_FIXTURE), verbosity=0)


def test_it_loads_the_six_roles_with_vietnamese_and_english_names(db):
    call_command("loaddata", str(ROLES_FIXTURE), verbosity=0)

    roles = list(Role.objects.all())

    assert [role.code for role in roles] == [
        Role.OFFICER,
        Role.LEADER,
        Role.REVIEWER,
        Role.SUPERVISOR,
        Role.STANDING_MEMBER,
        Role.ADMINISTRATOR,
    ]
    assert Role.objects.get(code=Role.REVIEWER).name == "Chuyên viên Văn phòng Tỉnh ủy"
    assert Role.objects.get(code=Role.REVIEWER).name_en == "Party Office reviewer"
    for role in roles:
        assert role.name and is_nfc(role.name), role.code
        assert role.name_en and role.name_en != role.name, role.code
        assert role.description and is_nfc(role.description), role.code


def test_it_gives_every_body_a_known_kind_and_names_in_both_languages(reference_bodies):
    bodies = list(Body.objects.all())

    assert len(bodies) == len(json.loads(BODIES_FIXTURE.read_text(encoding="utf-8")))
    for body in bodies:
        assert body.kind in Body.Kind.values, body.code
        assert body.name and is_nfc(body.name), body.code
        assert is_nfc(body.short_name), body.code
        assert body.name_en and body.name_en != body.name and is_nfc(body.name_en), body.code
        assert body.code.isascii(), body.code
        assert body.valid_to is None and body.successor is None, body.code


def test_it_lists_every_parent_before_its_children(reference_bodies):
    rows = json.loads(BODIES_FIXTURE.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for row in rows:
        parent = row["fields"]["parent"]
        assert parent is None or parent[0] in seen, row["fields"]["code"]
        seen.add(row["fields"]["code"])

    assert Body.objects.get(code="so-cong-thuong").parent.code == "ban-can-su-dang-ubnd-tinh"
    assert Body.objects.get(code="ban-thuong-vu-tinh-uy").parent.code == (
        "ban-chap-hanh-dang-bo-tinh"
    )
    assert Body.objects.get(code="tinh-doan").parent.code == "uy-ban-mttq-tinh"


def test_it_orders_bodies_from_the_centre_down_to_the_mass_organisations(reference_bodies):
    kinds = list(Body.objects.values_list("kind", flat=True))

    first_of = {kind: kinds.index(kind) for kind in reversed(kinds)}
    assert sorted(first_of, key=first_of.get) == [
        Body.Kind.CENTRAL,
        Body.Kind.ISSUER,
        Body.Kind.STANDING_COMMITTEE,
        Body.Kind.PARTY_OFFICE,
        Body.Kind.ADVISORY_BOARD,
        Body.Kind.COUNCIL_DELEGATION,
        Body.Kind.PEOPLES_COMMITTEE,
        Body.Kind.DEPARTMENT,
        Body.Kind.DISTRICT_COMMITTEE,
        Body.Kind.AFFILIATED_COMMITTEE,
        Body.Kind.FATHERLAND_FRONT,
        Body.Kind.SOCIO_POLITICAL,
    ]


def test_it_has_the_nine_district_committees(reference_bodies):
    districts = Body.objects.filter(kind=Body.Kind.DISTRICT_COMMITTEE)

    assert dict(districts.values_list("code", "name")) == DISTRICT_COMMITTEES
    assert {body.parent.code for body in districts} == {"ban-chap-hanh-dang-bo-tinh"}


def test_it_updates_rather_than_duplicates_when_loaded_again(reference_bodies):
    call_command("loaddata", str(ROLES_FIXTURE), verbosity=0)
    counts = (Body.objects.count(), Role.objects.count())

    call_command("loaddata", str(BODIES_FIXTURE), str(ROLES_FIXTURE), verbosity=0)

    assert (Body.objects.count(), Role.objects.count()) == counts
