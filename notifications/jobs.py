"""Queued and scheduled work of the reminder system, run by django-q2 workers; each job calls
one service. The schedules that run them are declared in schedules.py."""

import logging
import uuid
from datetime import datetime

from . import notices, services

logger = logging.getLogger(__name__)


def reminders_sweep() -> str:
    """The scheduled sweep: send what the reminder policy says is due now."""
    return services.reminders_sweep().summary


def emails_retry() -> str:
    """Send again the reminder emails whose retry time has come."""
    outcomes = services.emails_retry()
    sent = sum(1 for state in outcomes.values() if state == services.EmailState.SENT)
    return f"emails: retried {len(outcomes)}, sent {sent}"


def notices_deliver(
    model: str, pk: int, event: str, acting_user_id: int | None, occurred_at: str
) -> str:
    """Queued by a workflow step once committed: write its notices and mail those wanted at
    once. Safe to run again: nothing is written or mailed twice."""
    return notices.notices_record(
        model=model,
        pk=pk,
        event=event,
        acting_user_id=acting_user_id,
        occurred_at=datetime.fromisoformat(occurred_at),
    ).summary


def notices_digest() -> str:
    """The scheduled daily digest of notices, and of emailed reminders that no longer apply."""
    return notices.notices_digest().summary


def reminder_emails_send(sweep: str) -> str:
    """Queued once reminders sent now are committed: mail their digests."""
    outcomes = services.reminder_emails_send(sweep=uuid.UUID(sweep))
    sent = sum(1 for state in outcomes.values() if state == services.EmailState.SENT)
    return f"emails: sent {sent} of {len(outcomes)}"
