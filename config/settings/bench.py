"""Settings for `make bench`: the test settings (on the benchmark's database, from
DATABASE_URL) with the benchmark's URLs, which add a hello-world page that the page
throughput is compared with. Nothing here is used outside the benchmark."""

from .test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The API's throttle would measure itself: one signed-in user sends every request of a run.
API_THROTTLE_RATE = "1000000/second"
