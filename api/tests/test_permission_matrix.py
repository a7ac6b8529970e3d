"""The API's permission matrix: every route of the "api" namespace, for every role, anonymous
and a member of an unrelated body, for each method it takes and one it does not. A caller
gets the status the pages would give (401 for no credentials instead of the sign-in redirect),
a list holds no row the caller may not see, another body's draft is a 404, and a refused write
changes nothing and is written to the security log.

The world is the smoke test's; each case runs in its own savepoint. A route added without an
entry here fails test_every_api_route_is_in_the_matrix.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import SecurityEvent
from api.models import ApiToken
from api.services import api_token_create
from conftest import CAST
from indicators.models import YearlyFigure
from indicators.permissions import figure_policy
from reports.models import GeneratedReport
from reports.permissions import generated_report_policy
from tasks.dashboards.base import visible_assignments
from tasks.models import Assignment, ProgressReport
from tasks.permissions import report_policy
from tests.test_smoke import world  # noqa: F401  (world is a fixture)

from .support import PDF, body_of, token_client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", *CAST]
SIGNED_IN = [r for r in ROLES if r != "anonymous"]
NT = ("officer", "leader")
GLOBAL = ("reviewer", "standing_member", "administrator")
READERS_OF_A = (*NT, *GLOBAL, "supervisor")


def expect(default, **by_role):
    """Status per role; without credentials the API answers 401."""
    table = dict.fromkeys(SIGNED_IN, default)
    table["anonymous"] = 401
    table.update(by_role)
    return table


def only(allowed, roles, others, **more):
    return expect(others, **(dict.fromkeys(roles, allowed) | more))


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def report_fields(**more):
    return {"result": "Đã triển khai.", "percent_complete": 40, **more}


# name -> [(method, url kwargs, body, expected by role)]; a body with a file goes as multipart.
MATRIX = {
    "root": [("get", None, None, expect(302, anonymous=302))],
    "schema": [("get", None, None, expect(200)), ("post", None, {}, expect(405))],
    # A page for people: the site's sign-in redirect, not a 401.
    "docs": [("get", None, None, expect(200, anonymous=302))],
    "tokens": [
        ("get", None, None, expect(200, anonymous=302)),
        ("post", None, {"name": "Hệ thống văn bản"}, expect(200, anonymous=302)),
        ("put", None, {}, expect(405, anonymous=302)),
    ],
    "token_revoke": [
        # The officer's own token: only the officer may revoke it; for others it does not exist.
        (
            "post",
            lambda w: {"pk": w.officer_token.pk},
            {},
            only(302, ["officer"], 404, anonymous=302),
        ),
        ("get", lambda w: {"pk": w.officer_token.pk}, None, expect(405, anonymous=302)),
    ],
    "programme-list": [("get", None, None, expect(200)), ("post", None, {}, expect(405))],
    "programme-detail": [
        ("get", lambda w: {"pk": w.a.item.programme_id}, None, expect(200)),
        ("delete", lambda w: {"pk": w.a.item.programme_id}, None, expect(405)),
    ],
    "body-list": [("get", None, None, expect(200)), ("post", None, {}, expect(405))],
    "body-detail": [
        ("get", lambda w: {"pk": w.a.body_id}, None, expect(200)),
        ("patch", lambda w: {"pk": w.a.body_id}, {}, expect(405)),
    ],
    "period-list": [("get", None, None, expect(200)), ("post", None, {}, expect(405))],
    "period-detail": [
        ("get", pk("period"), None, expect(200)),
        ("delete", pk("period"), None, expect(405)),
    ],
    "assignment-list": [("get", None, None, expect(200)), ("post", None, {}, expect(405))],
    "assignment-detail": [
        ("get", pk("a"), None, only(200, READERS_OF_A, 404)),
        ("get", pk("supervision"), None, only(200, ("supervisor", *GLOBAL), 404)),
        ("patch", pk("a"), {}, expect(405)),
    ],
    "report-list": [
        ("get", None, None, expect(200)),
        # Nha Trang's first task already has its report for the period.
        (
            "post",
            None,
            lambda w: report_fields(assignment=w.a.pk, period=w.period.pk),
            only(400, NT, 403, other_officer=400),
        ),
        # Cam Ranh's overdue work: drafted by its officer; refused to those who see it (the
        # Fatherland Front supervises the task); to anyone else, no such assignment.
        (
            "post",
            None,
            lambda w: report_fields(assignment=w.late.pk, period=w.period.pk),
            only(403, (*GLOBAL, "supervisor"), 400, other_officer=201),
        ),
        ("delete", None, None, expect(405)),
    ],
    "report-detail": [
        ("get", pk("draft"), None, only(200, NT, 404)),
        ("get", pk("submitted"), None, only(200, READERS_OF_A, 404)),
        (
            "patch",
            pk("draft"),
            lambda w: {"version": w.draft.version, "percent_complete": 20},
            only(200, NT, 404),
        ),
        ("patch", pk("submitted"), lambda w: {"version": 1}, only(403, READERS_OF_A, 404)),
        ("put", pk("draft"), lambda w: report_fields(version=1), only(405, NT, 405)),
        ("delete", pk("draft"), None, expect(405)),
    ],
    "report-attachments": [
        (
            "post",
            pk("draft"),
            lambda w: {"file": SimpleUploadedFile("them.pdf", PDF)},
            only(201, NT, 404),
        ),
        ("get", pk("draft"), None, expect(405)),
    ],
    "report-documents": [
        (
            "post",
            pk("draft"),
            lambda w: {"number": "5/BC-TU", "issued_on": "2026-05-01", "issuer": "TU"},
            only(201, NT, 404),
        ),
    ],
    "report-submit": [
        ("post", pk("draft"), None, expect(404, officer=403, leader=200)),
        ("get", pk("draft"), None, expect(405)),
    ],
    "report-accept": [
        ("post", pk("submitted"), None, only(403, READERS_OF_A, 404, reviewer=200)),
    ],
    "report-return": [
        (
            "post",
            pk("submitted"),
            lambda w: {"reason": "Thiếu số liệu"},
            only(403, READERS_OF_A, 404, reviewer=200),
        ),
    ],
    "figure-list": [("get", None, None, expect(200))],
    "figure-detail": [
        ("get", pk("draft_figure"), None, only(200, NT, 404)),
        ("get", pk("submitted_figure"), None, expect(200)),
        ("delete", pk("submitted_figure"), None, expect(405)),
    ],
    "generated-report-list": [("get", None, None, expect(200))],
    "generated-report-detail": [
        ("get", pk("standing_committee_report"), None, only(200, GLOBAL, 404)),
        (
            "get",
            pk("oversight_report"),
            None,
            only(200, ("supervisor", "reviewer", "standing_member"), 404),
        ),
    ],
}

CASES = [
    pytest.param(name, index, role, id=f"{name}-{case[0]}{index}-{role}")
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    for role in ROLES
]
# Lists whose every row is checked against the app's policy for the caller.
LISTS = {
    "assignment-list": lambda user: visible_assignments(user),
    "report-list": lambda user: report_policy.instances_user_has_permission_for(user),
    "figure-list": lambda user: figure_policy.instances_user_has_permission_for(user),
    "generated-report-list": lambda user: generated_report_policy.instances_user_has_permission_for(
        user
    ),
}


def api_routes(resolver=None, inside=False) -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names |= api_routes(pattern, inside or pattern.namespace == "api")
        elif isinstance(pattern, URLPattern) and inside:
            names.add(pattern.name)
    return names


def test_every_api_route_is_in_the_matrix():
    assert api_routes() == set(MATRIX)


def snapshot(world) -> dict:  # noqa: F811
    return {
        "reports": sorted(
            ProgressReport.objects.values_list(
                "pk", "state", "result", "version", "percent_complete"
            )
        ),
        "evidence": {
            r.pk: (r.documents.count(), r.attachments.count())
            for r in ProgressReport.objects.filter(pk__in=[world.draft.pk, world.submitted.pk])
        },
        "assignments": sorted(Assignment.objects.values_list("pk", "completed_on")),
        "figures": sorted(YearlyFigure.objects.values_list("pk", "state")),
        "tokens": sorted(ApiToken.objects.values_list("pk", "revoked_at")),
    }


def every_row(api, url) -> list[dict]:
    """Every row of a list, following its cursor to the end."""
    rows, page = [], f"{url}?page_size=200"
    while page:
        answer = body_of(api.get(page))
        rows += answer["results"]
        page = answer["next"]
    return rows


@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_the_matrix(world, client, settings, tmp_path, name, index, role):  # noqa: F811
    settings.ATTACHMENTS_ROOT = tmp_path
    world.officer_token = api_token_create(
        name="Hệ thống của cán bộ", read_only=False, acting_user=world.users["officer"]
    )[0]
    method, kwargs, data, expected = MATRIX[name][index]
    # People's pages are used signed in; the API with a token, as an agency's system would.
    is_page = name in ("docs", "tokens", "token_revoke", "root")
    if role == "anonymous":
        api = client
    elif is_page:
        client.force_login(world.users[role])
        api = client
    else:
        api = token_client(
            api_token_create(name="Hệ thống", read_only=False, acting_user=world.users[role])[1]
        )
    url = reverse(f"api:{name}", kwargs=kwargs(world) if kwargs else None)
    payload = data(world) if callable(data) else data
    before = snapshot(world)
    if method in ("get", "delete") or payload is None:
        response = getattr(api, method)(url)
    elif any(hasattr(value, "read") for value in payload.values()) or is_page:
        response = getattr(api, method)(url, payload)
    else:
        response = getattr(api, method)(url, payload, content_type="application/json")

    assert response.status_code == expected[role], (
        f"{method.upper()} {url} as {role}: {response.status_code}, expected {expected[role]}: "
        f"{response.content[:300]!r}"
    )
    if response.status_code >= 400:
        after = snapshot(world)
        if name == "tokens" or role == "anonymous":
            after["tokens"], before["tokens"] = [], []
        assert after == before, "a refused request changed something"
    if response.status_code in (403, 404) and role != "anonymous":
        assert SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.REFUSED, user=world.users[role], path=url
        ).exists(), "the refusal was not written to the security log"
    if response.status_code == 200 and method == "get" and name in LISTS:
        user = world.users[role]
        shown = {row["id"] for row in every_row(api, url)}
        allowed = set(LISTS[name](user).values_list("pk", flat=True))
        assert shown <= allowed, f"rows the caller may not see: {shown - allowed}"
        if name == "report-list":
            assert (world.draft.pk in shown) == (role in NT), "another body's draft was listed"
            assert world.submitted.pk in shown or role not in READERS_OF_A


def test_a_refused_write_through_a_token_is_logged_as_a_write_too(world):  # noqa: F811
    api = token_client(
        api_token_create(
            name="Hệ thống", read_only=False, acting_user=world.users["other_officer"]
        )[1]
    )
    url = reverse("api:report-submit", kwargs={"pk": world.draft.pk})

    assert api.post(url).status_code == 404

    write = SecurityEvent.objects.get(kind=SecurityEvent.Kind.API_WRITE, path=url)
    assert write.user == world.users["other_officer"]
    assert "404" in write.detail and "Hệ thống" in write.detail


def test_no_generated_report_or_figure_of_another_body_is_listed(world):  # noqa: F811
    """The lists hold exactly what the pages show the caller, for each role."""
    for role in SIGNED_IN:
        user = world.users[role]
        api = token_client(api_token_create(name="x", read_only=True, acting_user=user)[1])
        figures = {row["id"] for row in every_row(api, reverse("api:figure-list"))}
        reports = {row["id"] for row in every_row(api, reverse("api:generated-report-list"))}
        assert figures == set(
            figure_policy.instances_user_has_permission_for(user).values_list("pk", flat=True)
        )
        assert reports == set(
            GeneratedReport.objects.filter(
                pk__in=generated_report_policy.instances_user_has_permission_for(user)
            ).values_list("pk", flat=True)
        )
        assert (world.draft_figure.pk in figures) == (role in NT), role
