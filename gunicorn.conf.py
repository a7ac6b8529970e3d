"""gunicorn's settings for the web machines (docs/deployment.md): `gunicorn -c gunicorn.conf.py`.

The app is loaded once in the master (preload) and its objects frozen out of the garbage
collector's reach before the workers fork: a warm worker otherwise tracks about 150,000
objects that never die (modules, URL patterns, templates, translations), and each full
collection walked them all, about 100 ms of a page's time now and then (issue 21: 17 → 6 ms
per compliance overview request). Frozen objects are also left alone by the collector's
writes, so the forked workers keep sharing those memory pages with the master.

Command-line options override these (`--workers`, `--bind`), as do GUNICORN_CMD_ARGS.
"""

import gc
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
preload_app = True


def when_ready(server):
    # Called in the master once the app is loaded (preload) and before any worker forks:
    # whatever exists now lives as long as the process.
    gc.collect()
    gc.freeze()
