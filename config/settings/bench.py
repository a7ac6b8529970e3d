"""Settings for `make bench`: the test settings (on the benchmark's database, from
DATABASE_URL) with the benchmark's URLs, which add a hello-world page that the page
throughput is compared with. Nothing here is used outside the benchmark."""

import os

from .test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The API's throttle would measure itself: one signed-in user sends every request of a run.
API_THROTTLE_RATE = "1000000/second"

# As production runs with REDIS_URL: the cache in Redis, shared by the benchmark's gunicorn
# workers, with sessions and the signed-in user served from it (USER_CACHE).
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
CACHES = {
    "default": {
        "BACKEND": "config.cache.SharedClientRedisCache",
        "LOCATION": BENCH_REDIS_URL,
        "KEY_PREFIX": "nq23-bench",
    }
}
USER_CACHE = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
