"""`make run`: Django's development server and the django-q2 task cluster, started together and
stopped together. Usage: `python config/run.py HOST:PORT`.

Each runs in a process group of its own, so Ctrl-C at the terminal (SIGINT to the foreground
group) or a SIGTERM to `make run`'s group reaches only make and this script, which then stops
each of them once, as it expects to be stopped:

- the cluster: one SIGTERM to its main process alone. That process stops the cluster's sentinel
  (which stops the workers) by setting a multiprocessing Event the sentinel waits on. The
  sentinel leaves SIGTERM at its default, so a signal sent to the cluster's whole group kills
  it while it waits, and the main process then waits forever inside Event.set() for the dead
  waiter to wake (a futex wait only SIGKILL ends); a second signal arriving during that set()
  blocks it the same way, on the Event's lock held by the interrupted call.
- the development server: SIGTERM to its group; its autoreloader and the process serving both
  exit on it.

Whatever is still running STOP_SECONDS later is killed; a job killed that way is run again by a
later cluster, as after any crash. When either exits by itself (the port is taken, the cluster
cannot start), the other is stopped the same way and the exit status is 1.

Their input is /dev/null, not the terminal, which would stop a background group that reads it:
a breakpoint() in a view ends the request instead of waiting; run `manage.py runserver` alone
to debug.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
STOP_SECONDS = 10


def say(message: str) -> None:
    print(f"make run: {message}", file=sys.stderr, flush=True)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(MANAGE), *args], stdin=subprocess.DEVNULL, process_group=0
    )


def stop(cluster: subprocess.Popen, server: subprocess.Popen) -> None:
    """Ask each to stop, wait up to STOP_SECONDS, then kill whatever is left of either group."""
    # Until reaped (poll() below) each leader is at least a zombie, so the signals find it.
    if cluster.poll() is None:
        os.kill(cluster.pid, signal.SIGTERM)
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline and (cluster.poll() is None or server.poll() is None):
        time.sleep(0.1)
    for name, process in (("task cluster", cluster), ("development server", server)):
        if process.poll() is None:
            say(f"the {name} did not stop within {STOP_SECONDS} s; killing it.")
        # Also any process it left behind in its group (a cluster worker whose parent died).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main(address: str) -> int:
    requested = []

    def request_stop(signum, frame) -> None:
        requested.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)

    cluster = start("qcluster")
    server = start("runserver", address)
    while not requested and cluster.poll() is None and server.poll() is None:
        time.sleep(0.2)

    if requested:
        say("stopping the development server and the task cluster.")
    else:
        name, code = (
            ("task cluster", cluster.returncode)
            if cluster.poll() is not None
            else ("development server", server.returncode)
        )
        other = "development server" if name == "task cluster" else "task cluster"
        say(f"the {name} exited (status {code}); stopping the {other}.")
    stop(cluster, server)

    if requested:
        # Die of the signal that asked us to stop, so that make and the shell see it so.
        signal.signal(requested[0], signal.SIG_DFL)
        os.kill(os.getpid(), requested[0])
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: config/run.py HOST:PORT")
    sys.exit(main(sys.argv[1]))
