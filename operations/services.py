"""Backup and restore of a whole instance: the database's data and the stored files.

A backup is one tar.gz archive:

- `manifest.json`: the format, when it was made, the database vendor, and for the data dump and
  every stored file its size and SHA-256;
- `data.exactjson`: `dumpdata --natural-foreign` of every app's rows, as JSON that keeps times
  to the microsecond (config/serializers.py) (change history, the security
  log, the task queue's schedules included), read in one transaction so the rows agree with one
  another. Content types, permissions, sessions and the admin's log are left out: `migrate`
  recreates the first two, and the others are disposable;
- `files/<storage>/<name>`: the files of the "attachments" storage and, when configured, of the
  "reports" storage.

Restore reads the manifest, checks every member's name (no absolute paths, no `..`, regular files
only, nothing the manifest does not list) and every checksum before it writes anything, then
loads the data and the files in one database transaction.
"""

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.conf import settings as guardian_settings

from accounts.access import access_bumps_paused
from accounts.models import SecurityEvent
from accounts.security import security_event_record

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.exactjson"
FILES = "files"
# Rebuilt by migrate (content types, permissions) or disposable (sessions, the admin's log).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
FILE_STORAGES = ("attachments", "reports")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: int
    files: int


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_storages() -> dict[str, Storage]:
    """The storages whose files a backup holds: attachments, and reports where configured."""
    return {alias: storages[alias] for alias in FILE_STORAGES if alias in settings.STORAGES}


def _storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from _storage_files(storage, f"{directory}/{name}" if directory else name)


def _dump_data(path: Path) -> None:
    """Every app's rows as of one moment: one transaction, snapshot isolation on PostgreSQL
    (SQLite's read transaction already is one)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            format="exactjson",
            output=str(path),
            verbosity=0,
        )


def backup_create(*, output_dir: Path, now=None) -> BackupResult:
    """Write a backup archive of the database's data and the stored files into `output_dir`,
    and log it in the security log as an export. The archive is written under a temporary name
    and renamed when complete, so a failed backup leaves no archive that looks whole."""
    now = now or timezone.now()
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / f"nq23-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / DATA
        _dump_data(data)
        rows = len(json.loads(data.read_text(encoding="utf-8")))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": connection.vendor,
            "data": {"name": DATA, "size": data.stat().st_size, "sha256": _sha256_file(data)},
            "files": [],
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data, arcname=DATA)
            for alias, storage in backup_storages().items():
                for name in _storage_files(storage):
                    # Read through the storage, not from a local path: the files may be in
                    # an S3 bucket shared by several hosts.
                    with storage.open(name, "rb") as source, tempfile.TemporaryFile() as copy:
                        digest, size = hashlib.sha256(), 0
                        for chunk in iter(lambda: source.read(1 << 20), b""):
                            digest.update(chunk)
                            copy.write(chunk)
                            size += len(chunk)
                        copy.seek(0)
                        info = tarfile.TarInfo(f"{FILES}/{alias}/{name}")
                        info.size = size
                        info.mtime = int(now.timestamp())
                        archive.addfile(info, copy)
                    manifest["files"].append(
                        {
                            "storage": alias,
                            "name": name,
                            "size": size,
                            "sha256": digest.hexdigest(),
                        }
                    )
            encoded = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(encoded))
        partial.rename(path)
    security_event_record(
        kind=SecurityEvent.Kind.EXPORT,
        detail=f"backup {path.name}: {rows} rows, {len(manifest['files'])} files",
    )
    return BackupResult(path=path, rows=rows, files=len(manifest["files"]))


def _safe_member_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ValidationError(
            _("The archive holds an unsafe file name: %(name)s") % {"name": name},
            code="unsafe_name",
        )
    return path


def _read_verified(archive: tarfile.TarFile, name: str, sha256: str, size: int, into: Path):
    """Copy one member to `into`, checking its size and checksum."""
    try:
        member = archive.getmember(name)
    except KeyError as missing:
        raise ValidationError(
            _("The archive lacks %(name)s, which its manifest lists.") % {"name": name},
            code="missing_member",
        ) from missing
    if not member.isfile() or member.size != size:
        raise ValidationError(
            _("%(name)s in the archive is not what the manifest says.") % {"name": name},
            code="bad_member",
        )
    digest = hashlib.sha256()
    into.parent.mkdir(parents=True, exist_ok=True)
    with archive.extractfile(member) as source, into.open("wb") as target:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            target.write(chunk)
    if digest.hexdigest() != sha256:
        raise ValidationError(
            _("%(name)s does not match its checksum: the archive is damaged.") % {"name": name},
            code="checksum",
        )


def _made_by_migrate() -> list:
    """Rows migrate itself creates in app tables: django-guardian's anonymous user and the
    history row of its creation."""
    user_model = get_user_model()
    anonymous = {user_model.USERNAME_FIELD: guardian_settings.ANONYMOUS_USER_NAME}
    made = [user_model._base_manager.filter(**anonymous)]
    history = getattr(user_model, "history", None)
    if history is not None:
        made.append(history.model._base_manager.filter(**anonymous))
    return made


def database_is_empty() -> bool:
    """No row of app data, counting neither what migrate creates (content types, permissions,
    django-guardian's anonymous user) nor sessions and the admin's log."""
    made = {queryset.model: queryset for queryset in _made_by_migrate()}
    for model in apps.get_models():
        if model._meta.app_label in ("contenttypes", "sessions", "admin") or (
            model._meta.label_lower == "auth.permission"
        ):
            continue
        rows = model._base_manager.all()
        if model in made:
            rows = rows.exclude(pk__in=made[model].values("pk"))
        if rows.exists():
            return False
    return True


def restore(*, archive_path: Path, force: bool = False) -> RestoreResult:
    """Bring a backup archive back: refuse a database that holds data unless `force` (which
    then replaces it), refuse unsafe member names and damaged files before writing anything,
    then load the rows and the files in one transaction."""
    if not force and not database_is_empty():
        raise ValidationError(
            _("The database is not empty: restore only into an empty database, or use --force."),
            code="not_empty",
        )
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115  (closed by `with` below)
    except (OSError, tarfile.TarError) as error:
        raise ValidationError(
            _("%(path)s is not a backup archive.") % {"path": archive_path}, code="not_an_archive"
        ) from error
    with archive, tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        members = {}
        for member in archive.getmembers():
            _safe_member_name(member.name)
            if not member.isfile():
                raise ValidationError(
                    _("The archive holds something other than a file: %(name)s")
                    % {"name": member.name},
                    code="unsafe_name",
                )
            members[member.name] = member
        if MANIFEST not in members:
            raise ValidationError(_("The archive has no manifest."), code="no_manifest")
        try:
            manifest = json.load(archive.extractfile(members[MANIFEST]))
            if manifest.get("format") != FORMAT:
                raise ValueError(manifest.get("format"))
            data = manifest["data"]
            listed = {
                f"{FILES}/{entry['storage']}/{entry['name']}": entry for entry in manifest["files"]
            }
        except (ValueError, KeyError, TypeError) as error:
            raise ValidationError(
                _("The archive's manifest is not readable."), code="no_manifest"
            ) from error
        unlisted = set(members) - set(listed) - {MANIFEST, data["name"]}
        if unlisted:
            raise ValidationError(
                _("The archive holds files its manifest does not list: %(names)s")
                % {"names": ", ".join(sorted(unlisted))},
                code="unlisted",
            )
        targets = backup_storages()
        _read_verified(archive, data["name"], data["sha256"], data["size"], scratch / DATA)
        for arcname, entry in listed.items():
            _safe_member_name(entry["name"])
            if entry["storage"] not in targets:
                raise ValidationError(
                    _("The archive holds files for a storage not configured here: %(name)s")
                    % {"name": entry["storage"]},
                    code="unknown_storage",
                )
            _read_verified(
                archive, arcname, entry["sha256"], entry["size"], scratch / "files" / arcname
            )
        rows = len(json.loads((scratch / DATA).read_text(encoding="utf-8")))
        with transaction.atomic():
            if force:
                _clear_data()
            # migrate made django-guardian's anonymous user; the archive holds the original.
            for queryset in _made_by_migrate():
                queryset.delete()
            with access_bumps_paused():
                call_command("loaddata", str(scratch / DATA), verbosity=0)
            # Cached access, sessions and counts may be keyed on versions the archive brings
            # back: none of them is read again.
            transaction.on_commit(cache.clear)
            for arcname, entry in listed.items():
                storage = targets[entry["storage"]]
                if storage.exists(entry["name"]):
                    storage.delete(entry["name"])
                with (scratch / "files" / arcname).open("rb") as handle:
                    saved = storage.save(entry["name"], File(handle))
                if saved != entry["name"]:
                    raise ValidationError(
                        _("The storage renamed %(name)s on restore.") % {"name": entry["name"]},
                        code="renamed",
                    )
    return RestoreResult(rows=rows, files=len(listed))


def _clear_data() -> None:
    """Delete every row but content types and permissions (for restore --force): the archive
    brings back the rest."""
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and model._meta.app_label != "contenttypes"
        and model._meta.label_lower != "auth.permission"
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(sql)
