"""Queue jobs from a process of its own, so that the broker is the one its environment names
(REDIS_URL or the database): `python bench/enqueue.py FUNC COUNT GROUP [ARGS_JSON]`. Prints the
time (time.time()) it started queueing; each job's argument is its number unless ARGS_JSON
gives the arguments."""

import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from django_q.tasks import async_task  # noqa: E402


def main() -> None:
    func, count, group = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
    print(time.time(), flush=True)
    for n in range(count):
        async_task(func, *(args if args is not None else [n]), group=group)


if __name__ == "__main__":
    main()
