"""A bounded local load test: gunicorn (2 sync workers) on 127.0.0.1 over the benchmark's
database, 50 virtual users signed in (officers, leaders and Party Office reviewers, with
memberships) for 60 seconds, mixing page reads with report submissions (real forms with their
CSRF token). `load_test()` returns {"requests", "errors", "p95_ms", "rps"}; an error is a
status of 500 or more, a refused form, or a failed connection.

Run from a Django process on the benchmark's database (bench/run.py sets it up). Never part
of `make test`.
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Tai-thu-nghiem-2026"
PREFIX = "load-"
USERS = {"officer": 35, "leader": 10, "reviewer": 5}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PERIOD = re.compile(r'<option value="(\d+)"[^>]*>')


@dataclass
class VirtualUser:
    username: str
    role: str
    assignment_id: int
    report_id: int | None = None
    cookies: dict = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _virtual_users() -> list[VirtualUser]:
    """The load test's people, made once: each officer on an assignment of its own body in an
    open period, leaders of the same bodies, reviewers in the Party Office."""
    from accounts.models import Body, Role, User
    from accounts.services import membership_grant, role_groups_sync
    from tasks.models import Assignment, ProgressReport, ReportingPeriod
    from tasks.services.grants import assignment_grants_sync

    open_programmes = ReportingPeriod.objects.filter(state="open").values("programme")
    assignments = []
    seen_bodies = set()
    candidates = (
        Assignment.objects.filter(
            item__programme__in=open_programmes, body__code__startswith="bench-"
        )
        .select_related("body", "item__programme")
        .order_by("pk")
    )
    for assignment in candidates.iterator():
        if assignment.body_id not in seen_bodies:
            seen_bodies.add(assignment.body_id)
            assignments.append(assignment)
        if len(assignments) == USERS["officer"]:
            break
    # The bulk-built dataset carries no grants: make the role groups and the grants of the
    # chosen tasks what the services would have made.
    role_groups_sync()
    assignment_grants_sync(items=[assignment.item_id for assignment in assignments])
    roles = {role.code: role for role in Role.objects.all()}
    people = []

    def person(username: str, role: str, body: Body, assignment_id: int) -> VirtualUser:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=PASSWORD, full_name=username)
        membership_grant(
            user=user, body=body, role=roles[role], acting_user=None, reason="load test"
        )
        report = ProgressReport.objects.filter(
            assignment_id=assignment_id, period__state="open"
        ).first()
        return VirtualUser(username, role, assignment_id, report.pk if report else None)

    for n, assignment in enumerate(assignments):
        people.append(person(f"{PREFIX}officer-{n:02d}", "officer", assignment.body, assignment.pk))
    for n in range(USERS["leader"]):
        assignment = assignments[n % len(assignments)]
        people.append(person(f"{PREFIX}leader-{n:02d}", "leader", assignment.body, assignment.pk))
    office = Body.objects.get(code="van-phong-tinh-uy")
    for n in range(USERS["reviewer"]):
        people.append(person(f"{PREFIX}reviewer-{n:02d}", "reviewer", office, assignments[0].pk))
    return people


class Client:
    """One virtual user's browser: cookies kept by hand, a new connection per request (sync
    gunicorn workers close each one)."""

    def __init__(self, port: int, user: VirtualUser, record, *, compliance: bool = True):
        self.port, self.user, self.record = port, user, record
        self.compliance = compliance

    def request(self, method: str, path: str, form: dict | None = None, *, measured=True):
        headers = {"Host": "127.0.0.1", "Accept-Language": "vi"}
        if self.user.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.user.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.user.cookies[name.strip()] = rest.split(";", 1)[0]
            connection.close()
            status = response.status
            location = response.getheader("Location", "")
        except OSError:
            status, content, location = 0, "", ""
        if measured:
            self.record(time.perf_counter() - started, status, method, path)
        return status, content, location

    def sign_in(self) -> bool:
        _, page, _ = self.request("GET", "/accounts/login/", measured=False)
        token = CSRF.search(page)
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.user.username,
                "password": PASSWORD,
            },
            measured=False,
        )
        return status == 302

    def submit_report(self, n: int) -> None:
        """Write the report, or revise it: the form fetched, then sent with its token."""
        data = {
            "result": f"Kết quả thực hiện lần {n} của {self.user.username}.",
            "percent_complete": str(n % 100),
            "difficulties": "Thiếu mặt bằng sạch.",
            "proposals": "",
        }
        if self.user.report_id is None:
            path = f"/assignments/{self.user.assignment_id}/reports/new/"
            status, page, _ = self.request("GET", path)
            period = PERIOD.search(page.split('name="period"', 1)[-1])
            token = CSRF.search(page)
            if status != 200 or not period or not token:
                self.record(0, 599, "FORM", path)
                return
            data.update(period=period.group(1), csrfmiddlewaretoken=token.group(1))
            status, _, location = self.request("POST", path, data)
            found = re.search(r"/reports/(\d+)/", location)
            if status == 302 and found:
                self.user.report_id = int(found.group(1))
            return
        path = f"/reports/{self.user.report_id}/edit/"
        status, page, _ = self.request("GET", path)
        token, version = CSRF.search(page), VERSION.search(page)
        if status != 200 or not token or not version:
            self.record(0, 599, "FORM", path)
            return
        data.update(csrfmiddlewaretoken=token.group(1), version=version.group(1))
        self.request("POST", path, data)

    def run(self, until: float) -> None:
        n = 0
        reads = ["/", "/assignments/", f"/assignments/{self.user.assignment_id}/"]
        if self.user.role == "reviewer" and self.compliance:
            reads = ["/compliance/", "/assignments/", f"/assignments/{self.user.assignment_id}/"]
        while time.monotonic() < until:
            n += 1
            if self.user.role == "officer" and n % 4 == 0:
                self.submit_report(n)
            else:
                self.request("GET", reads[n % len(reads)])


def _start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "512",
            "--timeout",
            "120",
            "--log-level",
            "warning",
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
    process.kill()
    raise RuntimeError("gunicorn did not answer")


def load_test(*, duration: float = 60.0, compliance: bool = True, log=print) -> dict:
    """Sign in 50 virtual users and run them against gunicorn for `duration` seconds; the
    requests made, the errors, the 95th percentile of response times and requests per
    second. `compliance=False` leaves the compliance overview out of the reviewers' reads."""
    from django.db import connection

    from bench import dataset

    dataset.build(log=log)
    people = _virtual_users()
    connection.close()
    port = _free_port()
    server = _start_gunicorn(port)
    timings, failures, lock = [], [], threading.Lock()
    by_page: dict[str, list[float]] = {}

    def record(seconds: float, status: int, method: str, path: str) -> None:
        with lock:
            timings.append(seconds)
            by_page.setdefault(f"{method} {re.sub(r'/[0-9]+/', '/N/', path)}", []).append(seconds)
            if status == 0 or status >= 500 or (method == "POST" and status != 302):
                failures.append((status, method, path))

    try:
        clients = [Client(port, person, record, compliance=compliance) for person in people]
        signed_in = sum(client.sign_in() for client in clients)
        if signed_in != len(clients):
            raise RuntimeError(f"only {signed_in} of {len(clients)} virtual users signed in")
        started = time.monotonic()
        until = started + duration
        threads = [threading.Thread(target=client.run, args=(until,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait(timeout=10)
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
    if failures:
        log(f"load: first errors {failures[:5]}")
    return {
        "requests": len(timings),
        "errors": len(failures),
        "p95_ms": round(p95 * 1000, 1),
        "rps": round(len(timings) / elapsed, 1) if timings else 0.0,
        # Where the time goes: requests and median milliseconds per kind of page.
        "pages": {
            page: {"requests": len(times), "median_ms": round(statistics.median(times) * 1000)}
            for page, times in sorted(by_page.items())
        },
    }


if __name__ == "__main__":
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nq23_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(
        load_test(
            duration=float(os.environ.get("LOAD_SECONDS", "60")),
            compliance=os.environ.get("LOAD_COMPLIANCE", "1") == "1",
        )
    )
