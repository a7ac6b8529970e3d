"""The admin's history pages, for every model registered with a history admin: read-only, and
limited to the objects the admin's own queryset holds, so a body's draft stays with its body.

Each history admin is walked as the administrator, as a superuser (who sees everything but other
bodies' drafts) and as a staff user who is not an administrator (whom the admin site turns away
at its gate): the history list, a past version's page, and a post of that page's form, which
must change nothing.
"""

from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from accounts.models import User
from conftest import PASSWORD, make_member, page_text
from discussion.services import message_edit, message_post, message_withdraw
from reorganisation.plan import plan_read
from reorganisation.services import reorganisation_apply
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_request
from tasks.services.findings import finding_record
from tasks.services.reports import (
    ReportData,
    attachment_add,
    document_cite,
    report_create,
    report_submit,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# What Nha Trang's draft says; none of it may reach anyone outside Nha Trang.
DRAFT_RESULT = "Dự thảo kín của Nha Trang: số liệu chưa công bố."
DRAFT_DOCUMENT = "77/KH-KIN"
DRAFT_FILE = "du-thao-kin.pdf"
DRAFT_TEXTS = (DRAFT_RESULT, DRAFT_DOCUMENT, DRAFT_FILE)
TAMPERED_RESULT = "Ghi đè qua trang lịch sử."

HISTORY_ADMINS = [
    pytest.param(model_admin, id=model._meta.label_lower)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, SimpleHistoryAdmin)
]
ACTORS = ["administrator", "superuser", "staff"]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(reference_data, django_db_blocker):
    """Nha Trang's draft with a cited document and an attachment; a submitted report with the
    same, an extension request, a finding and the 2025 reorganisation, so every history admin
    has something to show; and the three people who look."""
    with django_db_blocker.unblock():
        officer, leader = make_member("officer"), make_member("leader")
        reviewer, supervisor = make_member("reviewer"), make_member("supervisor")
        administrator = make_member("administrator")
        superuser = User.objects.create_superuser(
            "sieuquantri", password=PASSWORD, full_name="Siêu Quản Trị"
        )
        # A staff user holding model permissions, but not the administrator role.
        staff = make_member("standing_member")
        staff.is_staff = True
        staff.save()
        staff.user_permissions.add(
            *Permission.objects.filter(
                Q(codename__startswith="view_") | Q(codename__startswith="change_")
            )
        )

        today = timezone.localdate()
        period = ReportingPeriod.objects.get(code="2026-nam")
        sent, kept = (
            Assignment.objects.get(
                item__key=key, body__code="thanh-uy-nha-trang", role="implement_locally"
            )
            for key in ("III.1.b1.s2", "III.10.b1")
        )
        for assignment in (sent, kept):
            assignment_set_deadline(
                assignment=assignment,
                kind="fixed",
                deadline=today + timedelta(days=60),
                acting_user=reviewer,
                reason="Giao thời hạn",
            )
        submitted = report_create(
            assignment=sent,
            period=period,
            data=ReportData(result="Đã lập quy hoạch cụm công nghiệp.", percent_complete=50),
            acting_user=officer,
        )
        document_cite(
            report=submitted,
            number="12/KH-TU",
            issued_on=date(2026, 3, 1),
            issuer="Thành ủy Nha Trang",
            title="Kế hoạch",
            acting_user=officer,
        )
        files = [
            attachment_add(
                report=submitted,
                upload=SimpleUploadedFile("ke-hoach.pdf", PDF),
                acting_user=officer,
            )
        ]
        report_submit(report=submitted, acting_user=leader)

        draft = report_create(
            assignment=kept,
            period=period,
            data=ReportData(result=DRAFT_RESULT, percent_complete=10),
            acting_user=officer,
        )
        draft_document = document_cite(
            report=draft,
            number=DRAFT_DOCUMENT,
            issued_on=date(2026, 3, 2),
            issuer="Thành ủy Nha Trang",
            title="Kế hoạch nội bộ",
            acting_user=officer,
        )
        draft_attachment = attachment_add(
            report=draft, upload=SimpleUploadedFile(DRAFT_FILE, PDF), acting_user=officer
        )
        files.append(draft_attachment)
        extension_request(
            assignment=kept,
            proposed_deadline=today + timedelta(days=120),
            reason="Chờ quy hoạch tỉnh",
            acting_user=leader,
        )
        finding_record(
            supervision=Assignment.objects.get(
                item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
            ),
            period=period,
            text="Tiến độ chậm.",
            recommendation="",
            acting_user=supervisor,
        )
        # A message with a file, corrected and withdrawn (its text only in the history), and
        # a message with a file about the draft, which the admin never shows.
        message = message_post(
            assignment=sent,
            text="Gửi kèm biên bản.",
            upload=SimpleUploadedFile("bien-ban.pdf", PDF),
            acting_user=officer,
        )
        message_edit(message=message, text="Gửi kèm biên bản làm việc.", acting_user=officer)
        message_withdraw(message=message, acting_user=officer)
        draft_message = message_post(
            assignment=kept,
            text="Anh xem giúp dự thảo.",
            report=draft,
            upload=SimpleUploadedFile("ghi-chu.pdf", PDF),
            acting_user=officer,
        )
        draft_message_file = draft_message.attachments.get()
        files += [*message.attachments.all(), draft_message_file]
        # The 2025 reorganisation, applied as an administrator applies it.
        plan = settings.FIXTURES_DIR / "reorganisations" / "2025-khanh-hoa.json"
        reorganisation_apply(
            plan=plan_read(plan.read_text(encoding="utf-8")), acting_user=administrator
        )
    yield SimpleNamespace(
        users={"administrator": administrator, "superuser": superuser, "staff": staff},
        draft=draft,
        draft_document=draft_document,
        draft_attachment=draft_attachment,
        draft_message=draft_message,
        draft_message_file=draft_message_file,
    )
    for attachment in files:
        attachment.file.storage.delete(attachment.file.name)


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def objects_to_probe(model_admin, user) -> tuple[list, list]:
    """Of the objects with a history: one that the user's admin queryset holds, and every one
    it does not (drafts of other bodies, deleted rows)."""
    model = model_admin.model
    history = get_history_manager_for_model(model)
    with_history = set(history.values_list(model._meta.pk.attname, flat=True))
    shown = model_admin.get_queryset(admin_request(user)).filter(pk__in=with_history)
    shown = set(shown.values_list("pk", flat=True))
    return sorted(shown)[:1], sorted(with_history - shown)


class FormFields(HTMLParser):
    """The name and value pairs a browser posts for a rendered form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") not in ("file", "submit", "button"):
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows the opening tag.
            value = self.data[self._textarea][0]
            self.data[self._textarea] = [value.removeprefix("\n")]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def version_form_data(model_admin, record, user) -> dict:
    """What the past version's page would post: its form as the history admin builds it, and
    for a progress report a rewritten result and percentage."""
    instance = record.instance
    form = model_admin.get_form(admin_request(user), instance)(instance=instance)
    fields = FormFields()
    fields.feed(str(form))
    if isinstance(instance, ProgressReport):
        fields.data.update(result=[TAMPERED_RESULT], percent_complete=["100"])
    return fields.data


def stored(model, pk) -> tuple:
    """The object's row and how many history records it has."""
    history = get_history_manager_for_model(model)
    return (
        list(model._default_manager.filter(pk=pk).values()),
        history.filter(**{model._meta.pk.attname: pk}).count(),
    )


def assert_no_draft_text(response, url):
    text = page_text(response)
    for secret in DRAFT_TEXTS:
        assert secret not in text, f"{url} shows the draft's {secret!r}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("model_admin", HISTORY_ADMINS)
def test_it_keeps_history_read_only_and_within_the_admin_queryset(
    world, client, model_admin, actor
):
    user = world.users[actor]
    client.force_login(user)
    model = model_admin.model
    opts = model._meta
    history = get_history_manager_for_model(model)
    # The staff user cannot use the admin; it tries what the administrator would see.
    shown, hidden = objects_to_probe(
        model_admin, world.users["administrator" if actor == "staff" else actor]
    )
    assert shown, f"{opts.label}: no object with a history to look at"
    if model is ProgressReport:
        assert world.draft.pk in hidden
    if model is type(world.draft_document):
        assert world.draft_document.pk in hidden
    if model is type(world.draft_attachment):
        assert world.draft_attachment.pk in hidden
    if model is type(world.draft_message):
        assert world.draft_message.pk in hidden
    if model is type(world.draft_message_file):
        assert world.draft_message_file.pk in hidden

    for pk in shown + hidden:
        record = history.filter(**{opts.pk.attname: pk}).earliest("history_date", "history_id")
        list_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk])
        version_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            args=[pk, record.history_id],
        )
        data = version_form_data(model_admin, record, world.users["administrator"])
        before = (stored(model, pk), stored(ProgressReport, world.draft.pk))

        listed = client.get(list_url)
        version = client.get(version_url)
        posted = client.post(version_url, data)

        if actor == "staff":
            for response in (listed, version, posted):
                assert response.status_code == 302, response.request["PATH_INFO"]
                assert response["Location"].startswith(reverse("admin:login"))
        else:
            assert listed.status_code == (200 if pk in shown else 404), list_url
            if pk in shown:
                assert 'id="change-history"' in listed.content.decode(), list_url
            assert version.status_code == 403, version_url
            assert posted.status_code == 403, version_url
        for response in (listed, version, posted):
            assert_no_draft_text(response, response.request["PATH_INFO"])
        assert (stored(model, pk), stored(ProgressReport, world.draft.pk)) == before, (
            f"posting {version_url} as {actor} changed a row"
        )
