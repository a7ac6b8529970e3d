"""Run by the benchmark in a fresh process: build the Standing Committee report of the largest
programme once and print the process's peak memory, as JSON on the last line."""

import json
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from bench.metrics import _standing_committee_document  # noqa: E402
from reports.build import TEMPLATE  # noqa: E402
from reports.rendering import render_pdf  # noqa: E402

_, document = _standing_committee_document()
render_pdf(TEMPLATE, {"doc": document})
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
