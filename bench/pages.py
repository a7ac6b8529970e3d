"""Page speed at the benchmark's scale: the queries each main page makes, and the requests per
second gunicorn (2 sync workers) serves under `wrk -t1 -c16` with a signed-in user's session,
against a hello-world page (bench/urls.py) measured in the same run.

Each page gets a fresh gunicorn: a slow page leaves requests queued in the workers when wrk
stops, and they would otherwise slow the next page's measurement.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from versions.data import data_changed

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
CONNECTIONS = 16
QUERY_BUDGET = 12
P99_GOAL_MS = 50.0
# A page slower than this for one request is not worth a warm-up run: wrk still measures it.
SLOW_SECONDS = 2.0
# One row of the assignment list.
ROW = re.compile(r'<tr data-assignment="\d+">')


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str  # "officer" (of an agency) or "reviewer" (Party Office)
    ratio_goal: float | None  # of the hello-world page's requests per second
    rows: int | None = None  # rows the page must show, checked before measuring


def _people() -> dict:
    """An agency officer (whose body's assignment grants are made as the services make them)
    and a Party Office reviewer, made once through the services and reused."""
    from accounts.models import Body, Role, User
    from accounts.services import membership_grant, role_groups_sync
    from tasks.models import Assignment
    from tasks.services.grants import assignment_grants_sync

    body = Body.objects.get(code="bench-body-000")
    office = Body.objects.get(code="van-phong-tinh-uy")
    roles = {role.code: role for role in Role.objects.all()}
    role_groups_sync()
    items = Assignment.objects.filter(body=body).values_list("item_id", flat=True)
    assignment_grants_sync(items=list(items))
    people = {}
    for key, where, role in (("officer", body, "officer"), ("reviewer", office, "reviewer")):
        user = User.objects.filter(username=f"bench-page-{key}").first()
        if user is None:
            user = User.objects.create_user(f"bench-page-{key}", password="!", full_name=key)
        membership_grant(
            user=user, body=where, role=roles[role], acting_user=None, reason="benchmark"
        )
        people[key] = user
    return people


def pages(officer) -> list[Page]:
    """The measured pages: the hello-world yardstick first."""
    from tasks.models import Assignment, ProgressReport

    # One of the officer's own tasks, with a report in each closed period and its history.
    assignment = (
        Assignment.objects.filter(body__memberships__user=officer)
        .reporting()
        .order_by("-pk")
        .first()
    )
    assert ProgressReport.objects.filter(assignment=assignment).exists()
    return [
        Page("hello_world", "/bench/hello/", "officer", None),
        # Django alone, without middleware or URL resolving (bench/wsgi.py).
        Page("bare_hello_world", "/bench/bare/", "officer", None),
        Page("base_layout", "/bench/layout/", "officer", 0.6),
        Page("agency_home", "/", "officer", 0.20),
        Page("compliance_overview", "/compliance/", "reviewer", 0.20),
        Page("assignment_list", "/assignments/", "reviewer", 0.20, rows=50),
        Page("api_assignment_list", "/api/assignments/?page_size=50", "reviewer", 0.20),
        Page("assignment_detail", f"/assignments/{assignment.pk}/", "officer", 0.35),
    ]


def query_counts(people: dict, measured: list[Page]) -> dict[str, dict]:
    """The queries each page makes at this scale, through the test client in this process,
    first after a write and then between writes, with the cache calls of the second. The
    process is warmed by each page first, so that what a worker fills once (content types,
    templates) is not counted against it."""
    out = {}
    measured = [
        p for p in measured if p.name not in ("hello_world", "bare_hello_world", "base_layout")
    ]
    for page in measured:
        warm = Client()
        warm.force_login(people[page.user])
        warm.get(page.path)
    for page in measured:
        client = Client()
        client.force_login(people[page.user])
        # Once after a write (what the page caches is computed afresh), then again as between
        # writes (served from the cache): the budget holds for both.
        data_changed()
        runs = []
        for _attempt in range(2):
            with CaptureQueriesContext(connection) as queries, _cache_calls() as calls:
                started = time.perf_counter()
                response = client.get(page.path)
                seconds = time.perf_counter() - started
            runs.append((len(queries.captured_queries), calls[0], seconds))
        count = max(run[0] for run in runs)
        seconds = runs[0][2]
        rows = None
        if page.rows is not None:
            rows = len(ROW.findall(response.content.decode()))
        ok = response.status_code == 200 and count <= QUERY_BUDGET
        extra = {"status": response.status_code, "path": page.path, "user": page.user}
        extra["seconds_in_process"] = round(seconds, 3)
        extra["warm_queries"], extra["warm_cache_calls"] = runs[1][0], runs[1][1]
        extra["warm_seconds_in_process"] = round(runs[1][2], 4)
        if rows is not None:
            extra["rows"] = rows
        if not ok:
            extra["reason"] = (
                f"status {response.status_code}"
                if response.status_code != 200
                else f"{count} queries, over the budget of {QUERY_BUDGET}"
            )
        out[f"queries_{page.name}"] = {
            "value": count,
            "unit": "queries",
            "goal": f"<= {QUERY_BUDGET}, the same at any data size "
            "(constancy: tests/test_query_budget.py)",
            "pass": ok,
            **extra,
        }
    return out


@contextlib.contextmanager
def _cache_calls():
    """Count the calls to the cache (each a round trip to Redis) made inside the block."""
    from django.core.cache import caches

    cache = caches["default"]
    calls = [0]
    names = ("get", "get_many", "set", "set_many", "delete", "delete_many", "add", "incr")
    originals = {name: getattr(cache, name) for name in names}

    def counting(original):
        def call(*args, **kwargs):
            calls[0] += 1
            return original(*args, **kwargs)

        return call

    for name, original in originals.items():
        setattr(cache, name, counting(original))
    try:
        yield calls
    finally:
        for name in names:
            delattr(cache, name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            # The product's settings for gunicorn (preload, gc.freeze), and the benchmark's
            # app: the product plus the bare hello-world (bench/wsgi.py).
            "--config=gunicorn.conf.py",
            "bench.wsgi:application",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--backlog=512",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError("gunicorn did not answer")


def _stop(process: subprocess.Popen) -> None:
    """Kill the server and its workers at once: requests still queued are dropped."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _get(port: int, path: str, cookie: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, time.perf_counter() - started
    finally:
        conn.close()


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> dict:
    """Requests per second, p50/p99 latency, completed requests and errors from
    `wrk --latency` output."""
    result = {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None, "errors": 0}
    if found := re.search(r"(\d+) requests in", output):
        result["requests"] = int(found.group(1))
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(found.group(1))
    for percentile in ("50", "99"):
        if found := re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.MULTILINE):
            result[f"p{percentile}_ms"] = round(_ms(found.group(1)), 1)
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, found.groups()), strict=True)
        )
        # Sync workers close each connection, which wrk may count as a read error; only
        # connects refused and timeouts are failures.
        result["errors"] += result["socket_errors"]["connect"]
        result["errors"] += result["socket_errors"]["timeout"]
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["errors"] += int(found.group(1))
    if result["requests"] == 0:
        result["p50_ms"] = result["p99_ms"] = None
    return result


def wrk_installed() -> str | None:
    return shutil.which("wrk")


def _wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> str:
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            f"--timeout={seconds}s",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    return done.stdout + done.stderr


def throughput(people: dict, measured: list[Page], log=print) -> dict[str, dict]:
    """Each page under wrk, on its own gunicorn; ratios to the hello-world page."""
    cookies = {}
    for key, user in people.items():
        client = Client()
        client.force_login(user)
        cookies[key] = f"sessionid={client.cookies['sessionid'].value}"
    connection.close()
    runs = {}
    for page in measured:
        port = _free_port()
        server = _gunicorn(port)
        try:
            cookie = cookies[page.user]
            # Each worker's first request imports the views (WeasyPrint among them: about
            # 2.5 s, far more on a busy machine): four hello-world requests at once, each
            # waited for, reach both workers, so each page is measured warm.
            with ThreadPoolExecutor(4) as pool:
                warm = [pool.submit(_get, port, "/bench/hello/", cookie, 120) for _ in range(4)]
                [future.result() for future in warm]
            # The first request follows a write, as after any change of the data: what the page
            # caches under the data version is computed afresh (its cold time); the run then
            # measures it as people use it, between writes.
            data_changed()
            status, first = _get(port, page.path, cookie, timeout=120)
            if status != 200:
                runs[page.name] = {"error": f"a single request answered {status}"}
                continue
            if first < SLOW_SECONDS:
                _wrk(port, page.path, cookie, 2, 4)  # both workers warm
            output = _wrk(port, page.path, cookie, SECONDS, CONNECTIONS)
            run = parse_wrk(output)
            run["single_request_s"] = round(first, 2)
            # wrk counts a redirect to the sign-in page as a success: the session must still
            # hold. No answer (0) only means the workers are still busy with queued requests.
            after = _get(port, page.path, cookie, timeout=5)[0] if first < SLOW_SECONDS else 200
            if after not in (0, 200):
                run["error"] = f"after the run the page answered {after} (session lost?)"
            runs[page.name] = run
            log(f"pages: {page.name} {run}")
        finally:
            _stop(server)
    return _entries(measured, runs)


# The product's hello-world (its full middleware, signed in) over Django's bare one (issue 21).
FIXED_COST_GOAL = 0.5


def _entries(measured: list[Page], runs: dict[str, dict]) -> dict[str, dict]:
    hello = runs.get("hello_world", {})
    base_rps = hello.get("rps") or 0.0
    where = f"gunicorn 2 sync workers, wrk -t1 -c{CONNECTIONS} -d{SECONDS}s"
    out = {
        "page_hello_world_rps": {
            "value": base_rps,
            "unit": "requests/s",
            "goal": "the yardstick of the page ratios: answers, with no errors",
            "pass": base_rps > 0 and not hello.get("errors") and "error" not in hello,
            "measured": where,
            **{k: v for k, v in hello.items() if k != "rps"},
        }
    }
    bare = runs.get("bare_hello_world", {})
    bare_rps = bare.get("rps") or 0.0
    fixed = round(base_rps / bare_rps, 3) if bare_rps else 0.0
    out["page_ratio_hello_world_to_bare"] = {
        "value": fixed,
        "unit": "x a bare Django hello-world's requests/s",
        "goal": f">= {FIXED_COST_GOAL}",
        "pass": bool(bare_rps) and fixed >= FIXED_COST_GOAL,
        "rps": base_rps,
        "bare_rps": bare_rps,
        "measured": where,
        **(
            {}
            if bare_rps and fixed >= FIXED_COST_GOAL
            else {
                "reason": bare.get("error")
                or (
                    f"the product's hello-world answers {base_rps} requests/s against Django's "
                    f"bare {bare_rps}: the fixed cost of every request is the middleware "
                    "(session, signed-in user, CSRF, locale, security headers, CSP, history, "
                    "axes); sessions and the user come from the cache only with Redis "
                    "(USER_CACHE)"
                )
            }
        ),
    }
    for page in measured:
        if page.ratio_goal is None:
            continue
        run = runs.get(page.name, {})
        rps = run.get("rps", 0.0)
        ratio = round(rps / base_rps, 3) if base_rps else 0.0
        reason = None
        if "error" in run:
            reason = run["error"]
        elif run.get("requests", 0) == 0:
            reason = (
                f"no request completed in {SECONDS} s at {CONNECTIONS} connections "
                f"(one request alone took {run.get('single_request_s')} s)"
            )
        elif run.get("errors"):
            reason = f"{run['errors']} failed requests"
        elif ratio < page.ratio_goal and page.name == "base_layout":
            reason = (
                f"{rps} requests/s against hello-world's {base_rps}: beyond hello-world's "
                "session and user, the layout reads the person's header from the cache (a "
                "third round trip to Redis) and renders the base template around it. Next "
                "lever: the session, the user and the header in one Redis call"
            )
        elif ratio < page.ratio_goal:
            reason = (
                f"{rps} requests/s against hello-world's {base_rps}: one request alone takes "
                f"{run.get('single_request_s')} s against hello-world's "
                f"{hello.get('single_request_s')} s, Django's own work on the page (building "
                "the ORM queries behind the permission policy, rendering its rows and links); "
                "its SQL is a small part (see docs/benchmark.md)"
            )
        detail = {k: v for k, v in run.items() if k not in ("rps", "error")}
        out[f"page_ratio_{page.name}"] = {
            "value": ratio,
            "unit": "x hello-world's requests/s",
            "goal": f">= {page.ratio_goal}",
            "pass": reason is None,
            "rps": rps,
            "measured": where,
            **detail,
            **({"reason": reason} if reason else {}),
        }
        p99 = run.get("p99_ms")
        p99_ok = p99 is not None and p99 <= P99_GOAL_MS and "error" not in run
        out[f"page_p99_{page.name}"] = {
            "value": p99,
            "unit": "ms",
            "goal": f"<= {P99_GOAL_MS:g} ms at {CONNECTIONS} connections",
            "pass": p99_ok,
            **(
                {}
                if p99_ok
                else {
                    "reason": reason
                    if p99 is None
                    else f"99th percentile {p99} ms (median {run.get('p50_ms')} ms): 16 "
                    f"connections queue for 2 workers, each request taking "
                    f"{run.get('single_request_s')} s alone"
                }
            ),
        }
    return out


def measure(log=print) -> dict[str, dict]:
    people = _people()
    measured = pages(people["officer"])
    results = query_counts(people, measured)
    if not wrk_installed():
        results["page_hello_world_rps"] = {
            "value": None,
            "unit": "requests/s",
            "goal": "the yardstick of the page ratios",
            "pass": False,
            "reason": "wrk is not installed (apt-get install wrk; `make bench` does it as root)",
        }
        return results
    results.update(throughput(people, measured, log=log))
    _reasons_from_the_requests(results)
    return results


def _reasons_from_the_requests(results: dict) -> None:
    """A failing page ratio says what a request between writes still costs, measured in this
    process (queries, cache round trips, time), what the first request after a write costs,
    and the next lever."""
    for name, ratio in results.items():
        if not name.startswith("page_ratio_") or ratio["pass"] or "rps" not in ratio:
            continue
        queries = results.get(f"queries_{name.removeprefix('page_ratio_')}")
        if not queries or "warm_queries" not in queries or not ratio.get("requests"):
            continue
        ratio["reason"] = (
            f"{ratio['rps']} requests/s against hello-world's "
            f"{results['page_hello_world_rps']['value']}. Between writes the page comes from "
            f"the data-version cache: {queries['warm_queries']} queries and "
            f"{queries['warm_cache_calls']} cache round trips (hello-world: 2, the session "
            f"and the user), {queries['warm_seconds_in_process'] * 1000:.1f} ms in process; "
            f"the first request after a write computes it afresh "
            f"({queries['seconds_in_process']} s in process, {ratio.get('single_request_s')} s "
            "through gunicorn). Next lever: fewer round trips per request (the session, the "
            "user, the header and the page's part in one Redis call, or the parts kept in each "
            "worker's memory under the data version) and a cheaper computation after a write"
        )
