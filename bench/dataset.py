"""A synthetic province at scale, for the benchmark: programmes of the seed's shape, bodies,
users with memberships, and assignments, written with their history as the product would.

Built once per database and reused: `build()` does nothing when the data is already there.
"""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Body, Membership, Role, User
from programme.models import Item, Programme
from programme.services import (
    programme_fixture_from_text,
    reference_data_load,
    reference_sources,
)
from tasks.models import Assignment, ProgressReport, ReportingPeriod, ReportState
from versions.data import data_changed

SCALE = {
    "programmes": 20,
    "bodies": 300,
    "users": 3000,
    "assignments": 20000,
    # Ten closed six-monthly and annual periods over five years, a report on every assignment
    # in each: 200,000 progress reports.
    "closed_periods": 10,
}
# Per body, the roles its ten people hold.
ROLES_PER_BODY = [Role.OFFICER] * 2 + [Role.LEADER] * 2 + [Role.SUPERVISOR] * 6
REASON = "benchmark data"


def built() -> bool:
    return Programme.objects.filter(code=f"bench-{SCALE['programmes']:02d}").exists()


@transaction.atomic
def build(log=print) -> None:
    if built():
        log("dataset: already built")
        return
    reference_data_load(sources=reference_sources(), reason=REASON)
    seed = Path(settings.FIXTURES_DIR) / "programmes" / "nq23" / "source.txt"
    text = seed.read_text(encoding="utf-8")
    for n in range(2, SCALE["programmes"] + 1):
        rows = programme_fixture_from_text(text=text, code=f"bench-{n:02d}")
        reference_data_load(sources=[(f"bench-{n:02d}", json.dumps(rows))], reason=REASON)
    log(f"dataset: {Programme.objects.count()} programmes")

    existing = Body.objects.count()
    bulk_create_with_history(
        [
            Body(
                code=f"bench-body-{n:03d}",
                name=f"Cơ quan thử tải số {n}",
                short_name=f"Cơ quan {n}",
                kind=Body.Kind.DEPARTMENT if n % 2 else Body.Kind.DISTRICT_COMMITTEE,
                position=1000 + n,
            )
            for n in range(SCALE["bodies"] - existing)
        ],
        Body,
        default_change_reason=REASON,
    )
    bodies = list(Body.objects.active_on(timezone.localdate()).order_by("pk"))
    log(f"dataset: {len(bodies)} bodies")

    users = bulk_create_with_history(
        [
            User(
                username=f"bench-{body.pk}-{i}",
                full_name=f"Người dùng {body.pk}.{i}",
                email=f"bench-{body.pk}-{i}@tinhuy-kh.example",
                password="!",
            )
            for body in bodies
            for i in range(SCALE["users"] // len(bodies))
        ],
        User,
        default_change_reason=REASON,
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    roles = {r.code: r for r in Role.objects.all()}
    bulk_create_with_history(
        [
            Membership(
                user=users[f"bench-{body.pk}-{i}"],
                body=body,
                role=roles[ROLES_PER_BODY[i % len(ROLES_PER_BODY)]],
                valid_from=timezone.localdate() - timedelta(days=365),
            )
            for body in bodies
            for i in range(SCALE["users"] // len(bodies))
        ],
        Membership,
        default_change_reason=REASON,
    )
    log(f"dataset: {len(users)} users")

    tasks = list(
        Item.objects.filter(
            section=Item.Section.TASKS, kind__in=[Item.Kind.BULLET, Item.Kind.SUBITEM]
        ).order_by("programme_id", "sequence")
    )
    taken = set(Assignment.objects.values_list("item_id", "body_id", "role"))
    wanted = SCALE["assignments"] - len(taken)
    new = []
    n = 0
    while len(new) < wanted:
        item = tasks[n % len(tasks)]
        body = bodies[(n // len(tasks) + n) % len(bodies)]
        key = (item.pk, body.pk, Assignment.Role.IMPLEMENT_LOCALLY)
        if key not in taken:
            taken.add(key)
            new.append(Assignment(item=item, body=body, role=key[2]))
        n += 1
    bulk_create_with_history(new, Assignment, default_change_reason=REASON, batch_size=2000)
    log(f"dataset: {Assignment.objects.count()} assignments")

    today = timezone.localdate()
    periods = []
    for programme in Programme.objects.filter(code__startswith="bench-"):
        periods.append(
            ReportingPeriod(
                programme=programme,
                code="bench-open",
                name="Kỳ báo cáo thử tải",
                kind=ReportingPeriod.Kind.ANNUAL,
                starts_on=today - timedelta(days=300),
                ends_on=today + timedelta(days=30),
                due_on=today + timedelta(days=1),
                state=ReportingPeriod.State.OPEN,
            )
        )
    for programme in Programme.objects.filter(code__startswith="bench-"):
        for n in range(SCALE["closed_periods"]):
            year, half = today.year - 5 + n // 2, n % 2
            starts = date(year, 1, 1) if half == 0 else date(year, 7, 1)
            ends = date(year, 6, 30) if half == 0 else date(year, 12, 31)
            periods.append(
                ReportingPeriod(
                    programme=programme,
                    code=f"bench-{year}-{half + 1}",
                    name=f"Kỳ thử tải {half + 1}/{year}",
                    kind=ReportingPeriod.Kind.SEMIANNUAL
                    if half == 0
                    else ReportingPeriod.Kind.ANNUAL,
                    starts_on=starts,
                    ends_on=ends,
                    due_on=ends,
                    state=ReportingPeriod.State.CLOSED,
                )
            )
    bulk_create_with_history(periods, ReportingPeriod, default_change_reason=REASON)
    log(f"dataset: {ReportingPeriod.objects.count()} periods")
    _reports(log)
    # Bulk inserts send no signal: what was cached before the build is not shown again.
    data_changed()


def _reports(log) -> None:
    """An accepted report on every reporting assignment in every closed period, with history."""
    officers = dict(
        Membership.objects.filter(role__code=Role.OFFICER).values_list("body_id", "user_id")
    )
    reviewer = (
        User.objects.filter(memberships__role__code=Role.REVIEWER).first() or User.objects.first()
    )
    closed = list(ReportingPeriod.objects.filter(state=ReportingPeriod.State.CLOSED))
    by_programme = {}
    for period in closed:
        by_programme.setdefault(period.programme_id, []).append(period)
    assignments = Assignment.objects.reporting().values_list("pk", "body_id", "item__programme_id")
    batch = []
    total = 0
    for pk, body_id, programme_id in assignments.iterator(chunk_size=5000):
        for period in by_programme.get(programme_id, []):
            moment = timezone.make_aware(datetime.combine(period.due_on, time(9)))
            batch.append(
                ProgressReport(
                    assignment_id=pk,
                    period=period,
                    state=ReportState.ACCEPTED,
                    result=f"Đã triển khai thực hiện nhiệm vụ trong {period.name.lower()}; "
                    "kết quả đạt theo kế hoạch đề ra của cơ quan.",
                    percent_complete=min(100, 10 * (1 + closed.index(period) % 10)),
                    difficulties="Nguồn lực còn hạn chế." if pk % 7 == 0 else "",
                    proposals="Đề nghị bổ sung kinh phí." if pk % 11 == 0 else "",
                    drafted_by_id=officers.get(body_id, reviewer.pk),
                    submitted_by_id=officers.get(body_id, reviewer.pk),
                    submitted_at=moment,
                    reviewed_by=reviewer,
                    reviewed_at=moment + timedelta(days=3),
                )
            )
        if len(batch) >= 20000:
            _create_with_history(batch, ProgressReport)
            total += len(batch)
            batch = []
    _create_with_history(batch, ProgressReport)
    total += len(batch)
    log(f"dataset: {total} progress reports")


def _create_with_history(objects: list, model) -> None:
    """What bulk_create_with_history writes (the rows and a "+" history record of each, with
    the benchmark's reason), through COPY on PostgreSQL: building 200,000 reports and their
    history as model instances took most of the data set's build time."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(objects, model, default_change_reason=REASON)
        return
    table, history = model._meta.db_table, model.history.model
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        rows = []
        for pk, obj in zip(ids, objects, strict=True):
            obj.pk = pk
            rows.append(
                {"id": pk}
                | {f.column: f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields}
            )
        columns = ["id", *(f.column for f in fields)]
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        now = timezone.now()
        extra = {
            "history_date": now,
            "history_change_reason": REASON,
            "history_type": "+",
            "history_user_id": None,
        }
        history_columns = [
            f.column for f in history._meta.concrete_fields if f.column != "history_id"
        ]
        with cursor.copy(
            f"COPY {history._meta.db_table} ({', '.join(history_columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row([extra[c] if c in extra else row[c] for c in history_columns])
