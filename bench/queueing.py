"""The task queue at the benchmark's scale, through a real `manage.py qcluster` process:
trivial jobs per second from queueing to stored result, on the ORM broker and on Redis; and the
reminder sweep and a report build run once through Redis, to show the product's jobs run there.

The jobs are queued by a process of their own (bench/enqueue.py), so that the broker is the one
the environment names, exactly as a web worker would queue them. Results are counted in the
database, where both brokers store them; the cluster keeps every result for the measurement
(Q_SAVE_LIMIT=0) since pruning to 250 would leave fewer rows than jobs to count.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
JOBS = int(os.environ.get("BENCH_QUEUE_JOBS", "1000"))
ORM_GOAL = 150.0


def _env(*, redis: bool, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.bench", PYTHONUNBUFFERED="1")
    env["Q_SAVE_LIMIT"] = "0"
    if redis:
        env["REDIS_URL"] = REDIS_URL
    env.update(extra)
    return env


class Cluster:
    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "qcluster"],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-5:])


def _enqueue(env, func: str, count: int, group: str, args: str | None = None, *, log: Path):
    command = [sys.executable, str(ROOT / "bench" / "enqueue.py"), func, str(count), group]
    if args is not None:
        command.append(args)
    with log.open("a") as errors:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True
        )
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=60)
        raise RuntimeError(f"queueing failed: {log.read_text(errors='replace')[-500:]}")
    return process, float(line)


def _wait(group: str, count: int, timeout: float) -> tuple[int, int, float]:
    """Poll the stored results of a group: (succeeded, failed, time of the last check)."""
    from django_q.models import Task

    deadline = time.monotonic() + timeout
    while True:
        done = dict.fromkeys((True, False), 0)
        for success in Task.objects.filter(group=group).values_list("success", flat=True):
            done[success] += 1
        now = time.time()
        if done[True] + done[False] >= count or time.monotonic() > deadline:
            return done[True], done[False], now
        time.sleep(0.05)


def _clean() -> None:
    from django_q.models import OrmQ, Task

    OrmQ.objects.all().delete()
    Task.objects.filter(group__startswith="bench-").delete()
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # the benchmark's own Redis database


def jobs_per_second(*, broker: str, count: int, log_dir: Path, **extra_env: str) -> dict:
    """Start a cluster, see one job through it (so its workers are up), then queue `count`
    trivial jobs and time from the first queued to the last result stored."""
    _clean()
    connection.close()
    env = _env(redis=broker == "redis", **extra_env)
    cluster = Cluster(env, log_dir / f"qcluster-{broker}.log")
    errors = log_dir / f"enqueue-{broker}.log"
    try:
        warm = f"bench-warm-{uuid.uuid4().hex[:8]}"
        process, _ = _enqueue(env, "bench.jobs.noop", 1, warm, log=errors)
        process.wait(timeout=60)
        ok, failed, _ = _wait(warm, 1, 90)
        if not ok:
            return {"error": f"the cluster ran no job in 90 s: {cluster.tail()}"}
        group = f"bench-{broker}-{uuid.uuid4().hex[:8]}"
        process, started = _enqueue(env, "bench.jobs.noop", count, group, log=errors)
        ok, failed, finished = _wait(group, count, 240)
        process.wait(timeout=60)
    finally:
        cluster.stop()
    elapsed = finished - started
    result = {"jobs": count, "stored": ok, "failed": failed, "seconds": round(elapsed, 2)}
    result["rate"] = round(ok / elapsed, 1) if ok == count else 0.0
    if ok != count:
        result["error"] = f"{ok} of {count} results stored in {elapsed:.0f} s, {failed} failed"
    return result


def product_jobs_on_redis(*, log_dir: Path) -> dict:
    """The reminder sweep and a body's report build, queued through Redis and run by a real
    cluster: each must succeed, and nothing may pass through the database's queue."""
    from django_q.models import OrmQ, Task

    from accounts.models import Body, Role, User
    from reports.models import GeneratedReport, GeneratedReportKind, GeneratedReportState
    from reports.services import generated_report_record
    from tasks.models import Assignment, ReportingPeriod

    _clean()
    body = Body.objects.get(code="bench-body-000")
    programme_id = Assignment.objects.filter(body=body).values_list(
        "item__programme_id", flat=True
    )[0]
    period = ReportingPeriod.objects.get(programme_id=programme_id, code="bench-open")
    requester = User.objects.filter(memberships__role__code=Role.REVIEWER).first()
    report = generated_report_record(
        kind=GeneratedReportKind.BODY,
        programme=period.programme,
        period=period,
        body=body,
        requested_by=requester,
    )
    connection.close()
    env = _env(redis=True)
    cluster = Cluster(env, log_dir / "qcluster-redis-product.log")
    errors = log_dir / "enqueue-redis-product.log"
    started = time.monotonic()
    try:
        group = f"bench-product-{uuid.uuid4().hex[:8]}"
        sweep, _ = _enqueue(env, "notifications.jobs.reminders_sweep", 1, group, "[]", log=errors)
        build, _ = _enqueue(
            env, "reports.jobs.report_build", 1, group, f"[{report.pk}]", log=errors
        )
        sweep.wait(timeout=60)
        build.wait(timeout=60)
        _wait(group, 2, 300)
    finally:
        cluster.stop()
    tasks = {t.func: t for t in Task.objects.filter(group=group)}
    report.refresh_from_db()
    swept = tasks.get("notifications.jobs.reminders_sweep")
    built = tasks.get("reports.jobs.report_build")
    problems = []
    if not (swept and swept.success and str(swept.result).startswith("reminders: sent")):
        problems.append(f"reminder sweep: {swept.result if swept else 'never ran'}")
    if not (built and built.success and report.state == GeneratedReportState.DONE):
        problems.append(f"report build: {report.state} {report.error or ''}".strip())
    if OrmQ.objects.exists():
        problems.append("jobs went through the database queue")
    entry = {
        "value": "pass" if not problems else "fail",
        "unit": "",
        "goal": "the reminder sweep and a report build run through Redis on a real qcluster",
        "pass": not problems,
        "seconds": round(time.monotonic() - started, 1),
        "sweep_result": str(swept.result) if swept else None,
        "report_pages": report.page_count,
    }
    if problems:
        entry["reason"] = "; ".join(problems)
        entry["cluster_log"] = cluster.tail()
    GeneratedReport.objects.filter(pk=report.pk).delete()
    Task.objects.filter(group=group).delete()
    return entry


def _redis_down() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} does not answer ({error}); start it or set BENCH_REDIS_URL"
    return None


def measure(*, log_dir: Path, log=print) -> dict[str, dict]:
    down = _redis_down()
    if down:
        # Everything here needs it: the measurements clear the benchmark's Redis database.
        fail = {"value": None, "unit": "", "goal": "", "pass": False, "reason": down}
        return {
            name: {**fail, "goal": goal}
            for name, goal in (
                ("queue_orm_jobs_per_second", f">= {ORM_GOAL:g} jobs/s"),
                ("queue_redis_jobs_per_second", "more than the ORM broker"),
                ("queue_redis_product_jobs", "the reminder sweep and a report build on Redis"),
            )
        }
    orm = jobs_per_second(broker="orm", count=JOBS, log_dir=log_dir)
    log(f"queue: orm {orm}")
    # The same without persistent connections, to show what CONN_MAX_AGE buys.
    orm_no_reuse = jobs_per_second(
        broker="orm", count=JOBS // 8, log_dir=log_dir, DATABASE_CONN_MAX_AGE="0"
    )
    log(f"queue: orm, CONN_MAX_AGE=0 {orm_no_reuse}")
    redis = jobs_per_second(broker="redis", count=JOBS, log_dir=log_dir)
    log(f"queue: redis {redis}")
    orm_rate, redis_rate = orm.get("rate", 0.0), redis.get("rate", 0.0)
    entries = {
        "queue_orm_jobs_per_second": {
            "value": orm_rate,
            "unit": "jobs/s",
            "goal": f">= {ORM_GOAL:g} jobs/s, queued to result stored (ORM broker)",
            "pass": orm_rate >= ORM_GOAL,
            **{k: v for k, v in orm.items() if k not in ("rate", "error")},
            "without_connection_reuse": orm_no_reuse.get("rate", 0.0),
        },
        "queue_redis_jobs_per_second": {
            "value": redis_rate,
            "unit": "jobs/s",
            "goal": "more than the ORM broker",
            "pass": redis_rate > orm_rate,
            **{k: v for k, v in redis.items() if k not in ("rate", "error")},
        },
    }
    for name, run, goal in (
        (
            "queue_orm_jobs_per_second",
            orm,
            f"{orm_rate} jobs/s: django-q2's pusher and monitor, one process each, poll and "
            "write the database on cores shared with the workers; measured in the same run, "
            f"Redis {redis_rate} jobs/s and no connection reuse "
            f"{orm_no_reuse.get('rate', 0.0)} jobs/s",
        ),
        ("queue_redis_jobs_per_second", redis, f"{redis_rate} jobs/s against ORM's {orm_rate}"),
    ):
        if not entries[name]["pass"]:
            entries[name]["reason"] = run.get("error", goal)
    entries["queue_redis_product_jobs"] = product_jobs_on_redis(log_dir=log_dir)
    log(f"queue: product jobs on redis {entries['queue_redis_product_jobs']}")
    return entries
