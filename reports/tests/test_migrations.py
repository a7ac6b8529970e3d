"""Generated reports moved from the tasks app to this one: a database that holds reports made
before the move migrates with its rows, its files and the permissions groups hold on them, and
still serves each report's PDF."""

import hashlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from conftest import make_member
from programme.models import Programme
from programme.services import reference_data_load, reference_sources
from reports.models import GeneratedReport
from tasks.models import ReportingPeriod

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.database]

# The last tasks migration before the move, when the model was still in the tasks app.
LAST_BEFORE = ("tasks", "0003_vietnamese_name_order")
BEFORE_THE_MOVE = [LAST_BEFORE, ("reports", None)]
PDF = b"%PDF-1.4\n% bao cao truoc khi chuyen\n"


def migrate(targets=None) -> MigrationExecutor:
    """Migrate to the targets (by default the latest migrations); the executor reads the graph
    afresh each time, as `manage.py migrate` does."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


@pytest.fixture
def report_storage(settings, tmp_path, monkeypatch):
    """Reports stored under this test's own directory (the configured test storage is shared
    with every test run in the checkout)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "reports", "base_url": None},
        },
    }
    # The model's file fields took their storage when it was defined.
    for name in ("pdf", "xlsx"):
        monkeypatch.setattr(GeneratedReport._meta.get_field(name), "storage", storages["reports"])
    return storages["reports"]


def test_it_keeps_reports_made_before_the_move_and_serves_their_pdfs(client, report_storage):
    reference_data_load(sources=reference_sources(), reason="test")
    reviewer = make_member("reviewer")
    programme = Programme.objects.get(code="nq23")
    period = ReportingPeriod.objects.get(code="2026-nam")
    try:
        executor = migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state(LAST_BEFORE).apps
        OldReport = old_apps.get_model("tasks", "GeneratedReport")
        assert OldReport._meta.db_table == "tasks_generatedreport"
        ContentType.objects.clear_cache()
        old_type = ContentType.objects.get(app_label="tasks", model="generatedreport")
        # A permission granted on the old content type to a group of the product's own.
        readers = Group.objects.create(name="report readers")
        readers.permissions.add(
            Permission.objects.get(content_type=old_type, codename="view_generatedreport")
        )

        now = timezone.now()
        stored = OldReport._meta.get_field("pdf").storage.save(
            "2026/06/bao-cao-truoc.pdf", ContentFile(PDF)
        )
        old = OldReport.objects.create(
            kind="standing_committee",
            programme_id=programme.pk,
            period_id=period.pk,
            data_as_of=now,
            requested_at=now,
            state="done",
            started_at=now,
            finished_at=now,
            page_count=1,
            sha256=hashlib.sha256(PDF).hexdigest(),
            pdf=stored,
        )
    finally:
        migrate()

    report = GeneratedReport.objects.get(pk=old.pk)
    assert GeneratedReport._meta.db_table == "reports_generatedreport"
    assert (report.kind, report.pdf.name, report.sha256) == (
        "standing_committee",
        stored,
        hashlib.sha256(PDF).hexdigest(),
    )
    assert ContentType.objects.get_for_model(GeneratedReport).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="tasks", model="generatedreport").exists()
    assert set(readers.permissions.values_list("content_type__app_label", "codename")) == {
        ("reports", "view_generatedreport")
    }

    client.force_login(reviewer)
    response = client.get(reverse("generated_report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
