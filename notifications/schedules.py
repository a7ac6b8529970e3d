"""The product's periodic work, declared in code and written to django-q2's Schedule table by
`manage.py sync_schedules` (which `make run` and deployment call), matched by name, so running
it again changes nothing. Never created in AppConfig.ready(), which runs in every process.

Schedules an administrator added in the admin for other functions are left alone.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

# Functions under these modules are ours: a schedule that calls one and is no longer declared
# here is removed.
OWNED_MODULES = ("notifications.jobs.", "accounts.jobs.", "tasks.jobs.", "reports.jobs.")


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    func: str
    minutes: int
    # Local time of day of the first run; None: run as soon as the cluster starts.
    first_run_at: time | None = None

    def first_run(self, now: datetime) -> datetime:
        if self.first_run_at is None:
            return now
        local = timezone.localtime(now)
        first = local.replace(
            hour=self.first_run_at.hour, minute=self.first_run_at.minute, second=0, microsecond=0
        )
        return first if first > local else first + timedelta(days=1)


def declared_schedules() -> list[ScheduleSpec]:
    return [
        ScheduleSpec(
            "reminders: sweep",
            "notifications.jobs.reminders_sweep",
            minutes=settings.REMINDER_SWEEP_MINUTES,
        ),
        ScheduleSpec(
            "reminders: retry failed email",
            "notifications.jobs.emails_retry",
            minutes=settings.REMINDER_EMAIL_RETRY_MINUTES,
        ),
        ScheduleSpec(
            "notices: daily digest",
            "notifications.jobs.notices_digest",
            minutes=24 * 60,
            first_run_at=time(7, 0),
        ),
        ScheduleSpec(
            "permissions: memberships that ran out",
            "tasks.jobs.permissions_sync",
            minutes=24 * 60,
            first_run_at=time(0, 30),
        ),
    ]


@dataclass
class SyncResult:
    created: list[str]
    updated: list[str]
    removed: list[str]
    unchanged: list[str]


@transaction.atomic
def schedules_sync(*, now: datetime | None = None) -> SyncResult:
    """Create, update or remove django-q2 schedules so they match the declared ones."""
    now = now or timezone.now()
    result = SyncResult([], [], [], [])
    declared = {spec.name: spec for spec in declared_schedules()}
    existing = {s.name: s for s in Schedule.objects.select_for_update().filter(name__in=declared)}
    for name, spec in declared.items():
        wanted = {
            "func": spec.func,
            "schedule_type": Schedule.MINUTES,
            "minutes": spec.minutes,
            "repeats": -1,
        }
        schedule = existing.get(name)
        if schedule is None:
            Schedule.objects.create(name=name, next_run=spec.first_run(now), **wanted)
            result.created.append(name)
        elif any(getattr(schedule, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(schedule, k, v)
            schedule.save()
            result.updated.append(name)
        else:
            result.unchanged.append(name)
    stale = Schedule.objects.exclude(name__in=declared).filter(
        func__regex=r"^(" + "|".join(m.replace(".", r"\.") for m in OWNED_MODULES) + ")"
    )
    result.removed = sorted(stale.values_list("name", flat=True))
    stale.delete()
    return result
