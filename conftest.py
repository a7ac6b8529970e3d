"""Fixtures shared by every test module: the reference data, a cast of users (one per role,
in the bodies they would really sit in) and a way to make the programme grow.

Names of people are made up; passwords are test-only.
"""

import html
import re
import sys
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

PASSWORD = "mat-khau-thu-nghiem-2026"

_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|em|i|span|strong|time)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def page_text(markup) -> str:
    """What a reader sees of a page or a piece of one: inline tags dropped, other tags read as
    a space, entities decoded, whitespace collapsed."""
    if hasattr(markup, "content"):
        markup = markup.content.decode()
    markup = _TAG.sub(" ", _INLINE_TAG.sub("", markup))
    return re.sub(r"\s+", " ", html.unescape(markup)).strip()


# The groups of the closing table, in the order it lists them. Browser and integration tests
# share ports, processes and files within their group, so each group runs on one xdist worker.
TEST_GROUPS = ("unit", "database", "browser", "integration")
_SERIAL_GROUPS = ("browser", "integration")


def group_of(keywords) -> str:
    """The group of a test, from its item's or report's keywords (its markers' names)."""
    for group in ("browser", "integration", "database"):
        if group in keywords:
            return group
    return "unit"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    # What holds only of SQLite does not apply elsewhere: left out, not skipped.
    elsewhere = [item for item in items if "sqlite_only" in item.keywords and not on_sqlite]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if item not in elsewhere]
    for item in items:
        group = group_of(item.keywords)
        if group in _SERIAL_GROUPS:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Where the run's time went: the summed time of each group's tests (setup, call and
    teardown), and the ten slowest tests."""
    from _pytest.reports import TestReport

    seconds: dict[str, float] = {}
    groups: dict[str, str] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if isinstance(report, TestReport):
                seconds[report.nodeid] = seconds.get(report.nodeid, 0.0) + report.duration
                groups[report.nodeid] = group_of(report.keywords)
    if not seconds:
        return
    write = terminalreporter.write_line
    terminalreporter.section("time per group")
    write(f"{'group':<12} {'tests':>6} {'seconds':>9}")
    for group in TEST_GROUPS:
        ids = [nodeid for nodeid, g in groups.items() if g == group]
        write(f"{group:<12} {len(ids):>6} {sum(seconds[i] for i in ids):>9.1f}")
    write(f"{'all':<12} {len(seconds):>6} {sum(seconds.values()):>9.1f}")
    write("")
    write("slowest tests (seconds):")
    for nodeid, spent in sorted(seconds.items(), key=lambda pair: -pair[1])[:10]:
        write(f"{spent:>7.1f}  {groups[nodeid]:<11} {nodeid}")


@dataclass(frozen=True)
class Member:
    username: str
    full_name: str
    body: str
    role: str


# One person per role; two officers of different bodies, for "Charlie should have no access to
# Alice's stuff" tests.
CAST = {
    "officer": Member("canbo.nhatrang", "Nguyễn Thị Lan", "thanh-uy-nha-trang", "officer"),
    "other_officer": Member("canbo.camranh", "Trần Văn Minh", "thanh-uy-cam-ranh", "officer"),
    "leader": Member("lanhdao.nhatrang", "Lê Văn Hùng", "thanh-uy-nha-trang", "leader"),
    "reviewer": Member("chuyenvien.vptu", "Phạm Thị Hoa", "van-phong-tinh-uy", "reviewer"),
    "supervisor": Member("giamsat.mttq", "Võ Văn Sơn", "uy-ban-mttq-tinh", "supervisor"),
    "standing_member": Member(
        "uvbtv.tinhuy", "Đặng Văn Tâm", "ban-thuong-vu-tinh-uy", "standing_member"
    ),
    "administrator": Member("quantri", "Hồ Thị Mai", "van-phong-tinh-uy", "administrator"),
}


# The rows the reference data's loader wrote the first time this process ran it, per model;
# None until then. Later modules insert these rows as they are, in a fraction of the loader's
# time (it resolves every natural key with queries). Tests of the loader itself call it.
_reference_rows: dict | None = None


def _row_keys() -> dict:
    from django.apps import apps

    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _reference_data_insert() -> None:
    """The reference data, as the loader writes it into an empty database: by the loader the
    first time in this process, then from the rows it wrote (foreign keys are checked at
    commit, so the order of the models does not matter)."""
    global _reference_rows
    from django.core.management.color import no_style
    from django.db import connection

    from programme.services import reference_data_load, reference_sources

    if _reference_rows is None:
        before = _row_keys()
        reference_data_load(sources=reference_sources(), reason="test")
        added = {
            model: list(model._base_manager.exclude(pk__in=keys).order_by("pk"))
            for model, keys in before.items()
        }
        _reference_rows = {model: rows for model, rows in added.items() if rows}
        return
    for model, rows in _reference_rows.items():
        model._base_manager.bulk_create(rows)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(_reference_rows)):
            cursor.execute(sql)


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The project's fixtures, loaded once per test module inside a transaction that is rolled
    back after it: each test runs in a savepoint within it, and modules that expect an empty
    database still get one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _reference_data_insert()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def make_member(key: str):
    from accounts.models import Body, Role, User
    from tasks.models import AssignmentGroupObjectPermission

    member = CAST[key]
    from accounts.services import membership_grant, role_groups_sync
    from tasks.services.grants import assignment_grants_sync

    # Through the services, so the member's groups and the assignment grants are the real ones.
    role_groups_sync()
    if not AssignmentGroupObjectPermission.objects.exists():
        assignment_grants_sync()
    user = User.objects.create_user(member.username, password=PASSWORD, full_name=member.full_name)
    membership_grant(
        user=user,
        body=Body.objects.get(code=member.body),
        role=Role.objects.get(code=member.role),
        acting_user=None,
        reason="test",
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def default_language_restored():
    """Each test starts in the default language (Vietnamese): a page requested in English by
    the test before leaves its language active in the thread (LocaleMiddleware activates it and
    nothing turns it back), and messages written later would come out in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def in_english():
    """For tests that match messages in English: Vietnamese is the default language, so any
    message that has a translation comes out in Vietnamese otherwise."""
    with translation.override("en"):
        yield


@pytest.fixture
def text_of():
    """The page_text helper, for tests to read pages as people do."""
    return page_text


@pytest.fixture
def password() -> str:
    """Every cast member's password."""
    return PASSWORD


@pytest.fixture
def officer(reference_data, db):
    return make_member("officer")


@pytest.fixture
def other_officer(reference_data, db):
    return make_member("other_officer")


@pytest.fixture
def leader(reference_data, db):
    return make_member("leader")


@pytest.fixture
def reviewer(reference_data, db):
    return make_member("reviewer")


@pytest.fixture
def supervisor(reference_data, db):
    return make_member("supervisor")


@pytest.fixture
def standing_member(reference_data, db):
    return make_member("standing_member")


@pytest.fixture
def administrator(reference_data, db):
    return make_member("administrator")


@pytest.fixture
def cast(reference_data, db) -> dict:
    return {key: make_member(key) for key in CAST}


@pytest.fixture
def signed_in_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def grow_programme(reference_data, db):
    """Returns a function that adds to the nq23 programme what a longer programme would have: a
    new task group of 30 bullets (one with two sub-items), each assigned to four bodies, five new
    bodies (one a successor, one a child of Thành ủy Nha Trang), a target and a recipient.
    Every added text mentions Khánh Hòa."""

    def grow(bullets: int = 30) -> None:
        from accounts.models import Body
        from programme.models import Item, Programme, Recipient, Target
        from tasks.models import Assignment

        programme = Programme.objects.get(code="nq23")
        part = programme.items.get(key="III")
        basis = programme.items.get(key="IV.4")
        sequence = programme.items.order_by("-sequence").values_list("sequence", flat=True)[0]
        nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
        new_bodies = [
            Body.objects.create(
                code=f"co-quan-moi-{n}",
                name=f"Cơ quan mới {n} tỉnh Khánh Hòa",
                short_name=f"Cơ quan mới {n}",
                kind=kind,
                parent=parent,
                position=900 + n,
            )
            for n, (kind, parent) in enumerate(
                [
                    (Body.Kind.DEPARTMENT, None),
                    (Body.Kind.DISTRICT_COMMITTEE, None),
                    (Body.Kind.AFFILIATED_COMMITTEE, nha_trang),
                    (Body.Kind.SOCIO_POLITICAL, None),
                    (Body.Kind.ADVISORY_BOARD, None),
                ],
                start=1,
            )
        ]
        retired = Body.objects.get(code="huyen-uy-truong-sa")
        retired.successor = new_bodies[1]
        retired.save()

        sequence += 1
        group = Item.objects.create(
            programme=programme,
            parent=part,
            key="III.11",
            sequence=sequence,
            kind=Item.Kind.GROUP,
            section=Item.Section.TASKS,
            marker="11.",
            number="11",
            position=11,
            text="Nhóm nhiệm vụ bổ sung của tỉnh Khánh Hòa",
        )
        tasks = []
        for n in range(1, bullets + 1):
            sequence += 1
            bullet = Item.objects.create(
                programme=programme,
                parent=group,
                key=f"III.11.b{n}",
                sequence=sequence,
                kind=Item.Kind.BULLET,
                section=Item.Section.TASKS,
                marker="-",
                position=n,
                text=f"Nhiệm vụ bổ sung số {n} về công nghiệp hoá tỉnh Khánh Hòa.",
            )
            tasks.append(bullet)
        for n in (1, 2):
            sequence += 1
            tasks.append(
                Item.objects.create(
                    programme=programme,
                    parent=tasks[0],
                    key=f"III.11.b1.s{n}",
                    sequence=sequence,
                    kind=Item.Kind.SUBITEM,
                    section=Item.Section.TASKS,
                    position=n,
                    text=f"Ý bổ sung {n}: địa bàn tỉnh Khánh Hòa.",
                )
            )
        for index, task in enumerate(tasks):
            for body, role in [
                (new_bodies[index % 2], Assignment.Role.LEAD),
                (new_bodies[2], Assignment.Role.COORDINATE),
                (nha_trang, Assignment.Role.IMPLEMENT_LOCALLY),
                (new_bodies[3], Assignment.Role.SUPERVISE),
            ]:
                Assignment.objects.create(item=task, body=body, role=role, basis=basis)
        target_item = programme.items.get(key="II.2.b4")
        Target.objects.create(
            programme=programme,
            item=target_item,
            code="chi-tieu-bo-sung",
            position=9,
            name="Chỉ tiêu bổ sung",
            measure=Target.Measure.LEVEL,
            comparator=Target.Comparator.ABOVE,
            value=Decimal("12.5"),
            unit="%",
            target_year=2030,
            quote="chỉ tiêu bổ sung",
        )
        Recipient.objects.create(programme=programme, position=99, text="Lưu hồ sơ bổ sung.")

    return grow


@pytest.fixture(autouse=True)
def cache_cleared():
    """Each test starts with an empty cache: a rolled-back test leaves its cached access,
    counts and choices behind, and SQLite hands the next test the same row ids."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
