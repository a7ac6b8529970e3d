"""Charts drawn on the server as plain SVG: no script, nothing fetched. Every text in them is
escaped; the legend is left to the document, in its own font."""

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from django.conf import settings

from tasks.dashboards.base import COUNT_COLUMNS
from tasks.status import Status

from .tables import CountsRow, status_label

# Shades that stay apart when printed in black and white, darkest for the worst.
FILLS = {
    Status.COMPLETED_ON_TIME: "#cfd8cf",
    Status.COMPLETED_LATE: "#9fb39f",
    Status.IN_PROGRESS: "#ffffff",
    Status.OVERDUE: "#3b3b3b",
    Status.ONGOING: "#8c8c8c",
}


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    label: str


def legend() -> list[LegendEntry]:
    return [LegendEntry(FILLS[column], status_label(column)) for column in COUNT_COLUMNS]


FONT = (
    Path(settings.BASE_DIR)
    / "static"
    / "fonts"
    / "liberation-serif"
    / "LiberationSerif-Regular.ttf"
)


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, int], int, int]:
    """The font's advance width per character and its units per em, from its own tables."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT), lazy=True)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
    return widths, font["head"].unitsPerEm, metrics[".notdef"][0]


def text_width(text: str, size: float) -> float:
    """How wide the text is set in the report's font at `size`, in the SVG's units: a label's
    room is measured, not guessed, so it never runs out of its box."""
    widths, per_em, missing = _advances()
    return sum(widths.get(ord(c), missing) for c in text) * size / per_em


def _number(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def status_bars(rows: list[CountsRow], *, width: int = 600, bar: int = 16, gap: int = 6) -> str:
    """A horizontal bar per row (a task group), split by status in proportion to its counts,
    with the row's total at its end. The label column is as wide as the widest label."""
    label_width = int(max((text_width(row.label, 11) for row in rows), default=0)) + 12
    label_width = min(max(label_width, 40), width // 2)
    total_width = int(text_width(str(max((r.total for r in rows), default=0)), 11)) + 12
    span = width - label_width - total_width
    largest = max((row.total for row in rows), default=0) or 1
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="Liberation Serif">'
    ]
    for index, row in enumerate(rows):
        y = gap + index * (bar + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 4}" text-anchor="end" '
            f'font-size="11">{escape(row.label)}</text>'
        )
        x = float(label_width)
        for column, count in zip(COUNT_COLUMNS, row.cells, strict=True):
            if not count:
                continue
            w = span * count / largest
            parts.append(
                f'<rect x="{_number(x)}" y="{y}" width="{_number(w)}" height="{bar}" '
                f'fill="{FILLS[column]}" stroke="#000" stroke-width="0.5"/>'
            )
            x += w
        parts.append(
            f'<text x="{_number(x + 4)}" y="{y + bar - 4}" font-size="11">{row.total}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
