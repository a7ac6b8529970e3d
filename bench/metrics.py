"""The benchmark's measurements. Each returns one entry: value, unit, goal, pass."""

import os
import time

from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone


def entry(value, unit: str, goal: str, passed: bool, **extra) -> dict:
    return {"value": value, "unit": unit, "goal": goal, "pass": passed, **extra}


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def reminder_sweep() -> dict:
    """A sweep over every assignment, with every open period's reports due tomorrow: the
    reminders of 20,000 assignments go out in one run. Mail goes to memory, so the time is the
    product's and not a mail server's."""
    from notifications.models import EmailDelivery, Reminder
    from notifications.services import reminders_sweep
    from tasks.models import Assignment

    Reminder.objects.all().delete()
    EmailDelivery.objects.all().delete()
    now = timezone.now()
    queries = []

    def count(execute, sql, params, many, context):
        # Counted, not logged: logging would format every parameter of the big inserts.
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        first = reminders_sweep(now=now)
        elapsed = time.perf_counter() - started
    started = time.perf_counter()
    again = reminders_sweep(now=now)
    rerun = time.perf_counter() - started
    return entry(
        round(elapsed, 2),
        "s",
        "< 10 s for all assignments",
        elapsed < 10 and again.sent == 0,
        assignments=Assignment.objects.count(),
        reminders_sent=first.sent,
        emails=EmailDelivery.objects.count(),
        queries=len(queries),
        rerun_seconds=round(rerun, 2),
        rerun_already_sent=again.already_sent,
    )


METRICS = {"reminder_sweep_seconds": reminder_sweep}


def run_all() -> dict:
    return {
        "cores": os.cpu_count(),
        "database": connection.vendor,
        "metrics": {name: measure() for name, measure in METRICS.items()},
    }
