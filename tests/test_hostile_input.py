"""Hostile input on every form and command: overlong text, control characters, markup and
script, SQL-looking strings, huge numbers, impossible dates, lying or empty or oversized
uploads, path traversal in file names, archives. Each gets a 4xx with the form's error, or is
kept verbatim and shown escaped; never a 500, and a refused try leaves no row behind.

The requests run over the smoke test's world (tests/test_smoke.py), each test in a savepoint.
hypothesis draws the free text; its examples are few, so the module stays quick.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User
from conftest import PASSWORD
from indicators.models import ExplanationRequest, YearlyFigure
from tasks.models import (
    Assignment,
    Attachment,
    CitedDocument,
    ExtensionRequest,
    Finding,
    ProgressReport,
    ReportingPeriod,
)
from tasks.services.reports import clean_text
from tests.test_smoke import PDF, world  # noqa: F401  (world is a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.database]

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HOSTILE_TEXT = [
    "x" * 100_000,
    "a\x00b",
    "\x01\x02\x07\x08\x0b\x0c\x1b[31m\x7f",
    "line\r\nbreak\u2028\u2029\ufeff\u202etxet",
    SCRIPT,
    "'; DROP TABLE tasks_progressreport; --",
    "1' OR '1'='1",
    "%s %(x)s {0} {{ request }} {% debug %}",
    "\ud7ff\U0001f600 Khánh Hòa",
    "",
    "   ",
]
HUGE_NUMBERS = ["99999999999999999999999999", "-1", "1e309", "NaN", "0x10", "", "१२"]
BAD_DATES = ["2026-02-30", "99999-01-01", "0000-00-00", "31/02/2026", "yesterday", "1-1-1"]
# Examples drawn by hypothesis: a few, with a fixed database, without a deadline.
FEW = hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300),
)
hostile_number = st.one_of(
    st.sampled_from(HUGE_NUMBERS), st.integers(min_value=-(10**30), max_value=10**30).map(str)
)
hostile_date = st.one_of(st.sampled_from(BAD_DATES), st.text(max_size=20))


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in ("tasks", "accounts", "programme", "notifications", "indicators", "reports")
        and model._meta.label not in ("accounts.SecurityEvent",)
    }


def as_user(client, world, role: str):  # noqa: F811
    client.force_login(world.users[role])
    return client


def sent(client, url: str, data: dict, *, expect_saved=None):
    """POST and check the answer: never a 5xx; when refused (not a redirect), no row added or
    removed anywhere."""
    before = row_counts()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)
    if response.status_code not in (301, 302, 303):
        assert response.status_code in (200, 400, 403, 404, 405, 409, 413, 422, 429), response
        assert row_counts() == before, (url, data)
    if expect_saved is not None:
        assert (response.status_code == 302) == expect_saved, (response, data)
    return response


def report_data(world, **overrides):  # noqa: F811
    data = {
        "period": world.second.pk,
        "result": "Đã triển khai.",
        "percent_complete": "40",
        "difficulties": "",
        "proposals": "",
    }
    data.update(overrides)
    return data


# The report: create, edit, return


@FEW
@given(result=hostile_text, difficulties=hostile_text, percent=hostile_number)
def test_report_create(world, client, result, difficulties, percent):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("report_create", kwargs={"pk": world.a2.pk})
    data = report_data(world, result=result, difficulties=difficulties, percent_complete=percent)

    response = sent(client, url, data)

    if response.status_code == 302:
        report = ProgressReport.objects.get(assignment=world.a2, period=world.second)
        assert report.result == result.replace("\r\n", "\n").strip() or report.result == result
        ProgressReport.objects.filter(pk=report.pk).delete()


@FEW
@given(result=hostile_text, version=hostile_number, percent=hostile_number)
def test_report_edit(world, client, result, version, percent):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("report_edit", kwargs={"pk": world.draft.pk})

    sent(client, url, report_data(world, result=result, version=version, percent_complete=percent))


@FEW
@given(reason=hostile_text)
def test_report_return(world, client, reason):  # noqa: F811
    as_user(client, world, "reviewer")
    url = reverse("report_return", kwargs={"pk": world.submitted.pk})

    response = sent(client, url, {"reason": reason})

    if response.status_code == 302:
        # Kept as typed (less the edges Django's forms trim), shown escaped.
        world.submitted.refresh_from_db()
        assert world.submitted.return_reason == reason.strip()


def test_script_is_kept_verbatim_and_shown_escaped(world, client):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("report_edit", kwargs={"pk": world.draft.pk})
    world.draft.refresh_from_db()
    data = report_data(world, result=SCRIPT, version=world.draft.version, difficulties=SCRIPT)

    assert client.post(url, data).status_code == 302
    world.draft.refresh_from_db()
    page = client.get(reverse("report_detail", kwargs={"pk": world.draft.pk})).content.decode()

    assert world.draft.result == SCRIPT
    assert SCRIPT not in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# Indicators: yearly figures and explanation requests


@FEW
@given(year=hostile_number, value=hostile_number, source=hostile_text, note=hostile_text)
def test_figure_create(world, client, year, value, source, note):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("figure_create", kwargs={"pk": world.share.pk})

    response = sent(client, url, {"year": year, "value": value, "source": source, "note": note})

    if response.status_code == 302:
        created = YearlyFigure.objects.filter(target=world.share).exclude(
            pk__in=[world.draft_figure.pk, world.submitted_figure.pk]
        )
        assert 0 <= created.get().value <= 100
        created.delete()


@FEW
@given(value=hostile_number, source=hostile_text)
def test_area_figure_create(world, client, value, source):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("area_figure_create", kwargs={"pk": world.cluster.pk})

    response = sent(client, url, {"year": "2025", "value": value, "source": source})

    if response.status_code == 302:
        created = YearlyFigure.objects.get(industrial_area=world.cluster, year=2025)
        assert 0 <= created.value <= world.cluster.leasable_area_ha
        created.delete()


@FEW
@given(reason=hostile_text)
def test_figure_return(world, client, reason):  # noqa: F811
    as_user(client, world, "reviewer")
    url = reverse("figure_return", kwargs={"pk": world.submitted_figure.pk})

    response = sent(client, url, {"reason": reason})

    if response.status_code == 302:
        YearlyFigure.objects.filter(pk=world.submitted_figure.pk).update(
            state="submitted", return_reason=""
        )


@FEW
@given(question=hostile_text, due_on=hostile_date)
def test_explanation_create(world, client, question, due_on):  # noqa: F811
    as_user(client, world, "reviewer")
    url = reverse("indicator_explanation_create", kwargs={"pk": world.share.pk})

    response = sent(client, url, {"question": question, "due_on": due_on})

    if response.status_code == 302:
        ExplanationRequest.objects.exclude(pk=world.explanation.pk).delete()


@FEW
@given(answer=hostile_text)
def test_explanation_answer(world, client, answer):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("explanation_answer", kwargs={"pk": world.explanation.pk})

    response = sent(client, url, {"answer": answer})

    if response.status_code == 302:
        world.explanation.refresh_from_db()
        # Kept as typed, less control characters and the edges, in NFC.
        assert world.explanation.answer == clean_text(answer)


# Extensions, deadlines, delegation, findings


@FEW
@given(proposed=hostile_date, reason=hostile_text)
def test_extension_request(world, client, proposed, reason):  # noqa: F811
    as_user(client, world, "leader")
    url = reverse("extension_request_create", kwargs={"pk": world.a.pk})

    sent(client, url, {"proposed_deadline": proposed, "reason": reason})


@FEW
@given(decision=st.sampled_from(["approve", "refuse", "", "maybe", SCRIPT]), note=hostile_text)
def test_extension_decide(world, client, decision, note):  # noqa: F811
    as_user(client, world, "reviewer")
    url = reverse("extension_decide", kwargs={"pk": world.extension.pk})

    response = sent(client, url, {"decision": decision, "note": note})

    if response.status_code == 302:
        ExtensionRequest.objects.filter(pk=world.extension.pk).update(
            state="pending", decided_by=None, decided_at=None, decision_note=""
        )


@FEW
@given(
    kind=st.sampled_from(["fixed", "ongoing", "none", "", "DROP"]),
    deadline=hostile_date,
    reason=hostile_text,
)
def test_assignment_deadline(world, client, kind, deadline, reason):  # noqa: F811
    as_user(client, world, "reviewer")
    url = reverse("assignment_deadline", kwargs={"pk": world.a.pk})

    sent(client, url, {"kind": kind, "deadline": deadline, "reason": reason})


@FEW
@given(body=hostile_number, note=hostile_text)
def test_assignment_delegate(world, client, body, note):  # noqa: F811
    as_user(client, world, "leader")
    url = reverse("assignment_delegate", kwargs={"pk": world.a2.pk})

    sent(client, url, {"body": body, "note": note})


@FEW
@given(period=hostile_number, text=hostile_text, recommendation=hostile_text)
def test_finding_create(world, client, period, text, recommendation):  # noqa: F811
    as_user(client, world, "supervisor")
    url = reverse("finding_create", kwargs={"pk": world.supervision.pk})

    response = sent(client, url, {"period": period, "text": text, "recommendation": recommendation})

    if response.status_code == 302:
        Finding.objects.exclude(pk=world.finding.pk).delete()


# Evidence: cited documents and attachments


@FEW
@given(number=hostile_text, issued_on=hostile_date, issuer=hostile_text, title=hostile_text)
def test_document_cite(world, client, number, issued_on, issuer, title):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("document_create", kwargs={"pk": world.draft.pk})

    response = sent(
        client, url, {"number": number, "issued_on": issued_on, "issuer": issuer, "title": title}
    )

    if response.status_code == 302:
        CitedDocument.objects.exclude(pk=world.document.pk).delete()


def test_a_document_dated_in_the_future_is_refused(world, client):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("document_create", kwargs={"pk": world.draft.pk})
    tomorrow = (date.today() + timedelta(days=2)).isoformat()

    sent(
        client,
        url,
        {"number": "12/KH-TU", "issued_on": tomorrow, "issuer": "Thành ủy"},
        expect_saved=False,
    )


ZIP = b"PK\x03\x04" + b"\x14\x00" + b"\x00" * 24 + b"bomb.txt" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("ke-hoach.pdf", EXE, id="an executable named .pdf"),
        pytest.param("trang.pdf", HTML, id="HTML named .pdf"),
        pytest.param("anh.png", PDF, id="a PDF named .png"),
        pytest.param("rong.pdf", b"", id="zero bytes"),
        pytest.param("nen.zip", ZIP, id="a zip archive"),
        pytest.param("bom.docx", ZIP, id="a zip that is no Word file"),
        pytest.param("tai-lieu.exe", PDF, id="a PDF named .exe"),
        pytest.param("tai-lieu", PDF, id="no extension"),
        pytest.param("a.svg", b"<svg onload=alert(1)></svg>", id="SVG"),
    ],
)
def test_an_upload_that_lies_or_is_empty_is_refused(world, client, name, content):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("attachment_create", kwargs={"pk": world.draft.pk})

    response = sent(client, url, {"file": SimpleUploadedFile(name, content)}, expect_saved=False)

    assert response.status_code == 400


def test_an_upload_too_large_is_refused(world, client, settings):  # noqa: F811
    settings.ATTACHMENT_MAX_BYTES = 1024
    as_user(client, world, "officer")
    url = reverse("attachment_create", kwargs={"pk": world.draft.pk})
    big = PDF + b"0" * 2048

    response = sent(client, url, {"file": SimpleUploadedFile("lon.pdf", big)}, expect_saved=False)

    assert response.status_code == 400


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/passwd.pdf",
        "a/../../b.pdf",
        "\x00evil.pdf",
        "con.pdf",
        "<script>x</script>.pdf",
        "x" * 300 + ".pdf",
        ".pdf",
    ],
)
def test_path_traversal_in_a_file_name_stays_inside_the_store(world, client, settings, name):  # noqa: F811
    as_user(client, world, "officer")
    url = reverse("attachment_create", kwargs={"pk": world.draft.pk})

    response = sent(client, url, {"file": SimpleUploadedFile(name, PDF)})

    if response.status_code == 302:
        attachment = Attachment.objects.filter(report=world.draft).latest("pk")
        root = settings.ATTACHMENTS_ROOT.resolve()
        stored = (root / attachment.file.name).resolve()
        assert stored.is_relative_to(root), attachment.file.name
        assert ".." not in attachment.file.name
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name
        assert "\x00" not in attachment.original_name
        page = client.get(reverse("report_detail", kwargs={"pk": world.draft.pk}))
        assert "<script>x</script>" not in page.content.decode()
        attachment.file.delete(save=False)
        attachment.delete()


# Periods, by id that does not exist or cannot


@pytest.mark.parametrize("pk", [0, 99999999, 2**63 - 1, 2**64])
@pytest.mark.parametrize("action", ["period_open", "period_close"])
def test_period_open_and_close_with_an_impossible_id(world, client, action, pk):  # noqa: F811
    as_user(client, world, "reviewer")

    response = sent(client, reverse(action, kwargs={"pk": pk}), {})

    assert response.status_code == 404


def test_closing_a_period_twice_is_refused_not_an_error(world, client):  # noqa: F811
    as_user(client, world, "reviewer")
    url = reverse("period_close", kwargs={"pk": world.period.pk})

    client.post(url)
    response = sent(client, url, {})

    assert response.status_code in (302, 400, 409)
    assert ReportingPeriod.objects.get(pk=world.period.pk).state == "closed"


# Signing in and the password


@FEW
@given(username=hostile_text, password=hostile_text)
def test_login(world, client, username, password):  # noqa: F811
    client.logout()

    response = sent(client, reverse("login"), {"username": username, "password": password})

    assert response.status_code in (200, 400, 403, 429)
    assert "_auth_user_id" not in client.session


@FEW
@given(username=hostile_text, password=hostile_text, forwarded=hostile_text)
def test_login_behind_the_trusted_proxy_with_a_forged_address(
    world,  # noqa: F811
    client,
    settings,
    username,
    password,
    forwarded,
):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.logout()

    before = row_counts()
    response = client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )

    assert response.status_code in (200, 400, 403, 429)
    assert "_auth_user_id" not in client.session
    assert row_counts() == before


@FEW
@given(address=hostile_text, username=hostile_text, by_address=st.sampled_from(["on", "", "x"]))
def test_lockout_lift(world, client, address, username, by_address):  # noqa: F811
    as_user(client, world, "administrator")
    data = {"ip_address": address, "username": username, "by_address": by_address}

    response = sent(client, reverse("lockout_lift"), data)

    assert response.status_code == 302


@FEW
@given(
    kind=st.one_of(st.sampled_from(["body", "standing_committee", "oversight"]), hostile_text),
    period=hostile_number,
    as_of=hostile_date,
    body=hostile_number,
)
def test_generated_report_request(world, client, kind, period, as_of, body):  # noqa: F811
    as_user(client, world, "reviewer")
    data = {
        "kind": kind,
        "programme": world.period.programme_id,
        "period": period,
        "as_of_date": as_of,
        "body": body,
    }

    sent(client, reverse("generated_report_create"), data)


@FEW
@given(new=hostile_text, old=hostile_text)
def test_password_change(world, client, new, old):  # noqa: F811
    as_user(client, world, "officer")

    sent(
        client,
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )
    officer = User.objects.get(pk=world.users["officer"].pk)
    assert officer.check_password(PASSWORD)


# GET parameters: search and list filters


@FEW
@given(q=hostile_text)
def test_search_query(world, client, q):  # noqa: F811
    as_user(client, world, "officer")

    response = client.get(reverse("search"), {"q": q})

    assert response.status_code in (200, 400)
    assert "<script>alert" not in response.content.decode()


@FEW
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "status",
                "group",
                "body",
                "role",
                "programme",
                "period",
                "report",
                "sort",
                "page",
                "per_page",
                "export",
            ]
        ),
        st.one_of(hostile_number, hostile_text),
        max_size=5,
    )
)
def test_assignment_list_filters(world, client, params):  # noqa: F811
    as_user(client, world, "reviewer")

    response = client.get(reverse("assignment_list"), params)

    assert response.status_code in (200, 400)


@FEW
@given(
    params=st.dictionaries(
        st.sampled_from(["period", "body", "state", "group", "timing", "sort", "page", "per_page"]),
        st.one_of(hostile_number, hostile_text),
        max_size=5,
    )
)
def test_progress_report_list_filters(world, client, params):  # noqa: F811
    as_user(client, world, "officer")

    response = client.get(reverse("progress_report_list"), params)

    assert response.status_code in (200, 400)


@FEW
@given(period=st.one_of(hostile_number, hostile_text), page=hostile_number)
def test_compliance_and_notification_filters(world, client, period, page):  # noqa: F811
    as_user(client, world, "reviewer")

    assert client.get(reverse("compliance_overview"), {"period": period}).status_code in (
        200,
        400,
    )
    assert client.get(reverse("notification_list"), {"page": page}).status_code in (200, 400)


# Commands


@pytest.mark.parametrize(
    "now", ["garbage", "2026-02-30T08:00", "99999-01-01T00:00", "", "'; DROP TABLE x; --"]
)
def test_send_reminders_with_a_bad_time(world, now):  # noqa: F811
    before = row_counts()

    with pytest.raises(CommandError):
        call_command("send_reminders", "--now", now, "--dry-run", stdout=StringIO())
    assert row_counts() == before


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe\x00\x00binary\x00garbage", id="binary"),
        pytest.param("Một dòng không thuộc đâu\n".encode(), id="unplaceable text"),
        pytest.param(b"\x00" * 1024, id="NUL bytes"),
    ],
)
def test_import_programme_with_a_bad_file(world, tmp_path, content):  # noqa: F811
    bad = tmp_path / "source.txt"
    bad.write_bytes(content)
    before = row_counts()

    with pytest.raises(CommandError):
        call_command("import_programme", str(bad), "--load", stdout=StringIO(), stderr=StringIO())
    assert row_counts() == before


def test_import_programme_with_no_such_file(world, tmp_path):  # noqa: F811
    with pytest.raises(CommandError):
        call_command(
            "import_programme", str(tmp_path / "../../etc/none.txt"), "--load", stdout=StringIO()
        )


# The REST API's writes, with a token as an agency's system sends them: a 4xx naming the
# fields, never a 500, and nothing kept from a refused try.


@pytest.fixture
def api(world):  # noqa: F811
    """A client per role sending a personal token (made once per test)."""
    from django.core.cache import cache
    from django.test import Client

    from api.services import api_token_create

    cache.clear()  # the throttle's counts
    clients = {}

    def as_role(role: str) -> Client:
        if role not in clients:
            token = api_token_create(
                name="Hệ thống", read_only=False, acting_user=world.users[role]
            )
            clients[role] = Client(HTTP_AUTHORIZATION=f"Bearer {token[1]}")
        return clients[role]

    return as_role


def api_sent(client, method: str, url: str, body=None, **kwargs):
    """Like `sent`, for the API: a JSON body unless told otherwise; 2xx, or a 4xx that keeps
    nothing."""
    before = row_counts()
    if body is None:
        response = getattr(client, method)(url, **kwargs)
    elif "content_type" in kwargs or (
        isinstance(body, dict) and any(hasattr(v, "read") for v in body.values())
    ):
        response = getattr(client, method)(url, body, **kwargs)
    else:
        response = getattr(client, method)(url, body, content_type="application/json", **kwargs)
    assert response.status_code < 500, (url, body)
    if response.status_code >= 400:
        assert response.status_code in (400, 401, 403, 404, 405, 409, 413, 415, 429), response
        assert row_counts() == before, (url, body)
        if response.status_code in (400, 409, 415):
            assert response["Content-Type"].startswith("application/json"), response
    return response


def loose(value):
    """A hostile number as JSON would carry it: a number when it parses as one, else text."""
    try:
        return int(value)
    except ValueError:
        return value


@FEW
@given(result=hostile_text, difficulties=hostile_text, percent=hostile_number, pk=hostile_number)
def test_api_report_create(world, api, result, difficulties, percent, pk):  # noqa: F811
    body = {
        "assignment": loose(pk),
        "period": world.second.pk,
        "result": result,
        "difficulties": difficulties,
        "percent_complete": loose(percent),
    }

    response = api_sent(api("officer"), "post", reverse("api:report-list"), body)

    assert response.status_code in (400, 403), response.content[:200]


@FEW
@given(result=hostile_text, version=hostile_number, percent=hostile_number)
def test_api_report_update(world, api, result, version, percent):  # noqa: F811
    url = reverse("api:report-detail", kwargs={"pk": world.draft.pk})
    body = {"version": loose(version), "result": result, "percent_complete": loose(percent)}

    api_sent(api("officer"), "patch", url, body)


@FEW
@given(number=hostile_text, issued_on=hostile_date, issuer=hostile_text)
def test_api_document_cite(world, api, number, issued_on, issuer):  # noqa: F811
    url = reverse("api:report-documents", kwargs={"pk": world.draft.pk})

    api_sent(
        api("officer"), "post", url, {"number": number, "issued_on": issued_on, "issuer": issuer}
    )


@FEW
@given(reason=hostile_text)
def test_api_report_return(world, api, reason):  # noqa: F811
    url = reverse("api:report-return", kwargs={"pk": world.submitted.pk})

    api_sent(api("reviewer"), "post", url, {"reason": reason})


@pytest.mark.parametrize(
    ("name", "content"),
    [("ke-hoach.pdf", EXE), ("anh.png", PDF), ("rong.pdf", b""), ("../../etc/passwd.pdf", HTML)],
)
def test_api_an_upload_that_lies_or_is_empty_is_refused(world, api, name, content):  # noqa: F811
    url = reverse("api:report-attachments", kwargs={"pk": world.draft.pk})

    response = api_sent(api("officer"), "post", url, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    assert list(response.json()) == ["file"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"{not json", "application/json", id="broken JSON"),
        pytest.param(b"[1, 2, 3]", "application/json", id="a list"),
        pytest.param(b'"text"', "application/json", id="a string"),
        pytest.param(
            b'{"result": {"a": [1]}, "percent_complete": [], "assignment": {}}',
            "application/json",
            id="nested",
        ),
        pytest.param(b"\xff\xfe\x00", "application/json", id="not UTF-8"),
        pytest.param(b"<xml/>", "application/xml", id="XML"),
        pytest.param(b"a=1", "text/plain", id="plain text"),
        pytest.param(
            b'{"percent_complete": 1e309, "assignment": 1.5}', "application/json", id="odd numbers"
        ),
    ],
)
def test_api_garbage_bodies_are_refused(world, api, body, content_type):  # noqa: F811
    for method, role, url in (
        ("post", "officer", reverse("api:report-list")),
        ("patch", "officer", reverse("api:report-detail", kwargs={"pk": world.draft.pk})),
        ("post", "reviewer", reverse("api:report-return", kwargs={"pk": world.submitted.pk})),
    ):
        response = api_sent(api(role), method, url, body, content_type=content_type)
        assert response.status_code in (400, 415), (url, response.content[:200])


@FEW
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "cursor",
                "page_size",
                "status",
                "group",
                "body",
                "role",
                "programme",
                "period",
                "report",
                "state",
                "year",
                "kind",
            ]
        ),
        st.one_of(hostile_number, hostile_text),
        max_size=4,
    )
)
def test_api_list_filters(world, api, params):  # noqa: F811
    for name in (
        "assignment-list",
        "report-list",
        "figure-list",
        "generated-report-list",
        "period-list",
    ):
        response = api("reviewer").get(reverse(f"api:{name}"), params)
        assert response.status_code in (200, 400, 404), (name, params, response.content[:200])


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "-1", "1e3", "%00", "..%2f"])
def test_api_steps_on_an_impossible_id(world, api, pk):  # noqa: F811
    for step in ("submit", "accept", "return"):
        response = api_sent(api("reviewer"), "post", f"/api/reports/{pk}/{step}/", {})
        assert response.status_code == 404


def test_api_a_token_header_that_is_hostile_is_a_401(world, client):  # noqa: F811
    for header in (
        "Bearer",
        "Bearer a b",
        "Bearer nq23_\x00",
        "Bearer " + "x" * 10_000,
        "Bearer ñq23",
    ):
        response = client.get(reverse("api:period-list"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_the_assignment_under_test_is_untouched_by_refused_tries(world):  # noqa: F811
    assert Assignment.objects.filter(pk=world.a.pk).exists()
