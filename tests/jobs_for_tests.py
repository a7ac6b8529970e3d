"""Jobs only the tests queue: work done in one transaction, with a pause inside it that the
test controls, so a worker can be killed between the writes and the commit."""

import time
from pathlib import Path

from django.db import transaction

from accounts.models import SecurityEvent


def rows_written_in_one_transaction(*, marker: str, rows: int, pause_file: str) -> str:
    """Write `rows` security-log rows tagged `marker`, all in one transaction; while
    `pause_file` exists, wait before committing (at most a minute), saying so in a file beside
    it."""
    pause = Path(pause_file)
    with transaction.atomic():
        for n in range(rows):
            SecurityEvent.objects.create(
                kind=SecurityEvent.Kind.EXPORT, username=marker, detail=f"{marker} {n}"
            )
        pause.with_suffix(".inside").write_text("written, not committed")
        waited = time.monotonic()
        while pause.exists() and time.monotonic() - waited < 60:
            time.sleep(0.1)
    return f"{marker}: {rows} rows"
