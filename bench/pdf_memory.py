"""Run by the benchmark in a fresh process: build the Standing Committee report of the largest
programme once and print the peak memory of this process and of the children that laid out its
parts (VmHWM: see reports.pdf_process.peak_mb), as JSON on the last line. `--one-pass` lays it
out in this process, in one pass, as before the parts."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.test.utils import override_settings  # noqa: E402

from bench.metrics import _standing_committee_document  # noqa: E402
from reports.build import TEMPLATE  # noqa: E402
from reports.pdf_process import peak_mb  # noqa: E402
from reports.rendering import render_pdf  # noqa: E402

_, document = _standing_committee_document()
if "--one-pass" in sys.argv:
    with override_settings(REPORT_PDF_SPLIT_CHARS=sys.maxsize):
        rendered = render_pdf(TEMPLATE, {"doc": document})
else:
    rendered = render_pdf(TEMPLATE, {"doc": document})
print(
    json.dumps(
        {
            "peak_mb": peak_mb(),
            "children_peak_mb": list(rendered.child_peak_mb),
            "pages": rendered.page_count,
        }
    )
)
