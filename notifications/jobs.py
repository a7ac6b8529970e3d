"""Queued and scheduled work of the reminder system, run by django-q2 workers; each job calls
one service. The schedules that run them are declared in schedules.py."""

import logging

from . import services

logger = logging.getLogger(__name__)


def reminders_sweep() -> str:
    """The scheduled sweep: send what the reminder policy says is due now."""
    return services.reminders_sweep().summary


def emails_retry() -> str:
    """Send again the reminder emails whose retry time has come."""
    outcomes = services.emails_retry()
    sent = sum(1 for state in outcomes.values() if state == services.EmailState.SENT)
    return f"emails: retried {len(outcomes)}, sent {sent}"
