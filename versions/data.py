"""The data version, and what is cached under it.

`data_version()` is a number that moves after every committed write to the product's content:
a save or a delete of any model of the apps in `settings.DATA_VERSION_APPS` (their history rows
included), from a service, the admin, an import or the shell, in whichever process. A write
that sends no signal (a queryset's `update()`, a bulk insert, raw SQL) calls `data_changed()`
itself.

What a page renders from that content is cached under the version (`fragment_cached`): after
a write, the next request asks for a key nobody has written and computes afresh, so no process
has to be told, and the per-process cache (locmem, the default) is as right as Redis.

The version moves twice for a write in a transaction: at the write, so that the writing
connection never reads its own cached past (a test's transaction, a service reading back what
it wrote), and once the transaction commits, so that a request elsewhere that read the old data
after the first move, but before the commit, cached it under a key nobody asks for again. A
write in autocommit moves it once, after it is committed.

Read the version before the data it keys: data read after it is at least as new.
"""

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

T = TypeVar("T")

# A write moves the key at once; the timeout only frees the memory.
FRAGMENT_TIMEOUT = 6 * 60 * 60


# The counter's SQL: a sequence on PostgreSQL, a one-row table elsewhere (migration 0001).
READ = {"postgresql": "SELECT last_value FROM data_version"}
READ_OTHER = "SELECT value FROM data_version WHERE id = 1"
MOVE = {"postgresql": "SELECT nextval('data_version')"}
MOVE_OTHER = "UPDATE data_version SET value = value + 1 WHERE id = 1"


def _execute(using: str, sql: dict[str, str], other: str, *, read: bool):
    connection = connections[using]
    # After a read, a write on this connection moves the version again before it is read.
    connection.data_version_read = read
    with connection.cursor() as cursor:
        cursor.execute(sql.get(connection.vendor, other))
        return cursor.fetchone() if read else None


def data_version(using: str = DEFAULT_DB_ALIAS) -> int:
    """The current data version: one small query."""
    row = _execute(using, READ, READ_OTHER, read=True)
    return row[0] if row else 0


def _bump(using: str) -> None:
    _execute(using, MOVE, MOVE_OTHER, read=False)


def _after_commit(using: str) -> Callable[[], None]:
    def bump() -> None:
        _bump(using)

    bump.data_version = True
    return bump


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that the content has changed on this connection: call it after a write that sends
    no model signal. Inside a transaction the version moves now (once per transaction, and
    again if it was read since) and once more when the transaction commits."""
    connection = connections[using]
    if not connection.in_atomic_block:
        _bump(using)
        return
    scheduled = any(getattr(hook, "data_version", False) for _, hook, _ in connection.run_on_commit)
    if not scheduled:
        connection.on_commit(_after_commit(using), robust=True)
    if not scheduled or getattr(connection, "data_version_read", True):
        _bump(using)


def _tracked(model) -> bool:
    meta = model._meta
    # A migration's models (its own registry) write before this app's counter may exist.
    if meta.apps is not global_apps:
        return False
    if meta.app_label not in settings.DATA_VERSION_APPS:
        return False
    return meta.label_lower not in settings.DATA_VERSION_IGNORED


# Saves of only these fields change nothing a page shows: a sign-in stamps last_login, and
# would otherwise make every cached page compute afresh.
UNSHOWN_FIELDS = frozenset({"last_login"})


def _on_write(sender, using=DEFAULT_DB_ALIAS, update_fields=None, **kwargs) -> None:
    if update_fields and UNSHOWN_FIELDS.issuperset(update_fields):
        return
    if _tracked(sender):
        data_changed(using)


def _on_m2m(sender, action, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and _tracked(kwargs["model"]):
        data_changed(using)


def connect_receivers() -> None:
    post_save.connect(_on_write, dispatch_uid="data_version_save")
    post_delete.connect(_on_write, dispatch_uid="data_version_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="data_version_m2m")


@functools.cache
def code_version() -> str:
    """A digest of the code and templates that render what is cached (the apps' Python files,
    the templates and the compiled translations), read once per process: a deploy that
    changes how a page looks never serves HTML cached by the release before it."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    folders = [*settings.DATA_VERSION_CODE, "templates", "locale"]
    for folder in sorted(folders):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def fragment_key(name: str, *parts: object) -> str:
    """A cache key for `name` at the current data version, code version and language,
    varying on `parts`: everything else the fragment depends on (whose visibility, the
    filters, today)."""
    varying = "\x1f".join(str(part) for part in parts)
    digest = hashlib.blake2b(varying.encode(), digest_size=16).hexdigest()
    language = get_language() or "-"
    return f"fragment:{name}:{code_version()}:{data_version()}:{language}:{digest}"


def fragment_cached(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()` from the cache under `fragment_key(name, *parts)`, or computed and kept.
    `parts` must name everything the value depends on besides the data and the language."""
    return cached(fragment_key(name, *parts), compute)


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()` from the cache under a key made by `fragment_key` (or extending one), or
    computed and kept."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value
