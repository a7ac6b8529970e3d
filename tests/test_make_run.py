"""`make run` stops as a whole: the development server and the task cluster both end, and no
process of theirs is left, when it is stopped with SIGTERM or Ctrl-C, and when the server cannot
start because its port is taken (make then fails).

Each test runs the real `make run` in a session of its own, on a free port and a fresh SQLite
database in a temporary folder, with `make run`'s local settings; what is left afterwards is
every live process of that session.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.reminders_support import BASE_DIR, free_port, manage, wait_until

pytestmark = pytest.mark.integration

# config/run.py waits this long for both to stop before killing what is left.
STOP_SECONDS = 10


def session_processes(session: int) -> list[str]:
    """The live processes (zombies aside) of a session: pid, state and command line of each."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # Ended meanwhile.
        # pid (comm) state ppid pgrp session ...: comm may hold spaces and parentheses.
        state, _, _, sid = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(sid) == session and state != "Z":
            found.append(f"{entry.name} {state} {command.strip()}")
    return found


def kill_session(session: int) -> None:
    for line in session_processes(session):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split()[0]), signal.SIGKILL)


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """A database `make run` finds already migrated and holding the demo story, copied by each
    test: what it then does before serving (loading the story is said done at once) takes a
    few seconds, not the story's half minute three times over."""
    folder = tmp_path_factory.mktemp("make-run-db")
    database = folder / "db.sqlite3"
    for command in (("migrate", "--noinput"), ("load_demo_story",)):
        done = manage(*command, env=local_env(folder, database), timeout=600)
        assert done.returncode == 0, done.stderr
    return database


def local_env(folder: Path, database: Path) -> dict[str, str]:
    """`make run`'s environment as a developer has it, but with its data in `folder`."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The local settings, the database broker; and make starts afresh, not as a sub-make.
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_ATTACHMENTS_ROOT=str(folder / "attachments"),
        DJANGO_REPORTS_ROOT=str(folder / "reports"),
        EMAIL_FILE_PATH=str(folder / "mail"),
        # The cluster says when it has stopped at INFO.
        DJANGO_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


class MakeRun:
    """`make run` on a port, in a session of its own, its output in a file."""

    def __init__(self, tmp_path: Path, database: Path, port: int):
        self.log = tmp_path / "make-run.log"
        own = tmp_path / "db.sqlite3"
        shutil.copy(database, own)
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                # -o: never reinstall the shared virtualenv from a test, whatever the lock
                # file's date; installing is not what is tested here.
                [
                    *("make", "--no-print-directory", "-o", ".venv/.installed", "run"),
                    *("HOST=127.0.0.1", f"PORT={port}"),
                ],
                cwd=BASE_DIR,
                env=local_env(tmp_path, own),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.session = self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def leftovers(self) -> list[str]:
        """What is still running of it, once a few seconds have passed for it to go."""
        wait_until(lambda: not session_processes(self.session), timeout=5, every=0.2)
        return session_processes(self.session)

    def kill(self) -> None:
        kill_session(self.session)
        self.process.wait(timeout=10)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_it_stops_the_server_and_the_cluster_when_told_to(tmp_path, migrated_database, signum):
    port = free_port()
    run = MakeRun(tmp_path, migrated_database, port)
    try:
        serving = wait_until(
            lambda: (
                run.process.poll() is not None or (answers(port) and "] running." in run.output())
            ),
            timeout=240,
            every=0.5,
        )
        assert serving and run.process.poll() is None, (
            f"make run did not start:\n{tail(run.output())}"
        )
        # As the terminal sends Ctrl-C, or a service manager SIGTERM: to the whole group.
        os.killpg(run.session, signum)
        code = run.wait(timeout=STOP_SECONDS + 20)
        left = run.leftovers()
    finally:
        run.kill()
    log = run.output()

    assert code is not None, f"make run did not end:\n{tail(log)}"
    assert not left, "still running:\n" + "\n".join(left) + f"\n{tail(log)}"
    assert not answers(port)
    # The cluster stopped itself (its workers done), rather than being killed.
    assert "has stopped." in log, tail(log)
    assert "killing it" not in log, tail(log)


def test_it_stops_the_cluster_and_fails_when_the_port_is_taken(tmp_path, migrated_database):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = MakeRun(tmp_path, migrated_database, port)
        try:
            code = run.wait(timeout=240 + STOP_SECONDS)
            left = run.leftovers()
        finally:
            run.kill()
    log = run.output()

    assert code is not None, f"make run did not end:\n{tail(log)}"
    assert code != 0, tail(log)
    assert "That port is already in use" in log, tail(log)
    assert not left, "still running:\n" + "\n".join(left) + f"\n{tail(log)}"
    assert "stopping the task cluster" in log, tail(log)
