"""Nothing lost: a populated instance backed up, wiped and restored comes back row for row and
byte for byte; restore refuses a database with data, a damaged archive and unsafe names."""

import io
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django_q.models import Schedule

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from conftest import make_member
from notifications.schedules import schedules_sync
from operations.services import EXCLUDED, backup_storages, restore
from programme.services import reference_data_load, reference_sources
from reports.models import GeneratedReport
from tasks.models import Assignment, Attachment, ReportingPeriod
from tasks.services.reports import ReportData, attachment_add, report_create, report_submit
from tests.reports_support import kept_report

pytestmark = pytest.mark.database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def file_storages(settings, tmp_path, monkeypatch):
    """Attachments and reports stored under this test's own directory: the configured test
    storages are shared with every other test run in the checkout."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "attachments", "base_url": None},
        },
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "reports", "base_url": None},
        },
    }
    # File fields took their storage when the models were defined.
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storages["attachments"])
    for name in ("pdf", "xlsx"):
        monkeypatch.setattr(GeneratedReport._meta.get_field(name), "storage", storages["reports"])
    return tmp_path


def populate():
    reference_data_load(sources=reference_sources(), reason="test")
    officer, leader = make_member("officer"), make_member("leader")
    make_member("reviewer")
    schedules_sync()
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    report = report_create(
        assignment=assignment,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result="Đã lập quy hoạch <b>cụm</b> công nghiệp.", percent_complete=50),
        acting_user=officer,
    )
    attachment_add(
        report=report, upload=SimpleUploadedFile("ke-hoach.pdf", PDF), acting_user=officer
    )
    attachment_add(report=report, upload=SimpleUploadedFile("ban-do.png", PNG), acting_user=officer)
    report_submit(report=report, acting_user=leader)
    kept_report("standing_committee")
    security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, user=officer)


def models_backed_up():
    excluded = {label for label in EXCLUDED if "." in label}
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded
        and model._meta.managed
    ]


def every_row() -> dict[str, list]:
    """Every row of every backed-up model, foreign keys by natural key where there is one,
    times to the microsecond (the backup's own serializer)."""
    return {
        model._meta.label: json.loads(
            serializers.serialize(
                "exactjson", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
            )
        )
        for model in models_backed_up()
    }


def every_file() -> dict[tuple[str, str], bytes]:
    found = {}
    for alias, storage in backup_storages().items():
        root = Path(storage.path(""))
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                found[alias, path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def backup(tmp_path) -> str:
    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    return next((tmp_path / "backups").glob("*.tar.gz"))


@pytest.mark.django_db(transaction=True)
def test_a_populated_instance_round_trips_row_for_row_and_byte_for_byte(file_storages, tmp_path):
    populate()
    rows_before, files_before = every_row(), every_file()
    assert Schedule.objects.exists()
    assert len(files_before) == 4

    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert {entry["storage"] for entry in manifest["files"]} == {"attachments", "reports"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])
    assert {f"files/{e['storage']}/{e['name']}" for e in manifest["files"]} | {
        "manifest.json",
        "data.exactjson",
    } == names
    assert archive.name in SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT).detail
    call_command("flush", interactive=False, verbosity=0)
    for alias, storage in backup_storages().items():
        for name in [name for (a, name) in files_before if a == alias]:
            storage.delete(name)
    assert every_file() == {}
    out = StringIO()
    call_command("restore", str(archive), stdout=out)

    rows_after = every_row()
    assert rows_after.keys() == rows_before.keys()
    for label, rows in rows_before.items():
        assert rows_after[label] == rows, label
    assert every_file() == files_before
    assert f" {len(files_before)} " in out.getvalue()
    # History, the security log and the queue's schedules were all in the archive.
    populated = {label for label, rows in rows_before.items() if rows}
    assert {
        "tasks.HistoricalProgressReport",
        "accounts.SecurityEvent",
        "django_q.Schedule",
        "tasks.Attachment",
    } <= populated


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data_unless_forced(file_storages, tmp_path):
    populate()
    rows_before = every_row()
    archive = backup(tmp_path)

    with pytest.raises(CommandError):
        call_command("restore", str(archive), stdout=StringIO())
    with pytest.raises(ValidationError) as refused:
        restore(archive_path=archive)
    assert refused.value.code == "not_empty"
    call_command("restore", str(archive), "--force", stdout=StringIO())

    rows_after = every_row()
    for label, rows in rows_before.items():
        assert rows_after[label] == rows, label


def rewrite(archive, target, change) -> None:
    """Copy a backup archive, letting `change(name, data)` alter or add members."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]
        for member, data in change(members):
            info = tarfile.TarInfo(member if isinstance(member, str) else member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


HOSTILE_NAMES = ["../../etc/passwd.pdf", "/etc/cron.d/x", "files/attachments/../../../x.pdf"]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_damage_and_path_traversal_and_writes_nothing(file_storages, tmp_path):
    populate()
    archive = backup(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    files = every_file()

    def corrupt(members):
        for member, data in members:
            if member.name.endswith(".png"):
                data = data[:-1] + b"\x00"
            yield member, data

    damaged = tmp_path / "damaged.tar.gz"
    rewrite(archive, damaged, corrupt)
    with pytest.raises(ValidationError) as refused:
        restore(archive_path=damaged)
    assert refused.value.code == "checksum"
    for n, name in enumerate(HOSTILE_NAMES):
        hostile = tmp_path / f"hostile-{n}.tar.gz"
        rewrite(archive, hostile, lambda members, name=name: [*members, (name, b"owned")])
        with pytest.raises(ValidationError) as refused:
            restore(archive_path=hostile)
        assert refused.value.code == "unsafe_name", name
    assert not (tmp_path / "x.pdf").exists()
    assert not Assignment.objects.exists()
    assert every_file() == files


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_what_is_not_an_archive(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")

    with pytest.raises(CommandError):
        call_command("restore", str(bogus), stdout=StringIO())
    with pytest.raises(ValidationError) as refused:
        restore(archive_path=bogus)
    assert refused.value.code == "not_an_archive"
