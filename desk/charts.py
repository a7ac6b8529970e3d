"""The desk's one chart of its own, drawn on the server as plain SVG like the reports' charts
(reports.charts): a bar split into the shares of a whole, with a legend. No script, no style
attribute (the Content Security Policy allows neither), every text escaped."""

from html import escape

from tasks.reporting import ReportingStatus

# Shades that stay apart in black and white too, darkest for the worst, as reports.charts.
FILLS = {
    ReportingStatus.SENT_ON_TIME.value: "#cfd8cf",
    ReportingStatus.SENT_LATE.value: "#9fb39f",
    ReportingStatus.NOT_DUE.value: "#ffffff",
    ReportingStatus.OVERDUE.value: "#3b3b3b",
}
OTHER_FILL = "#8c8c8c"


def _number(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def share_bar(
    segments: list[tuple[str, str, int]], *, title: str, width: int = 600, bar: int = 22
) -> str:
    """One bar split in proportion to the counts of `segments` ((key, label, count) each),
    with a legend line per segment under it giving its label and count. Empty when there is
    nothing to count."""
    total = sum(count for _key, _label, count in segments)
    if not total:
        return ""
    legend_line = 18
    height = bar + 10 + legend_line * len(segments)
    label = escape(str(title))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart share-bar" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{label}" font-family="Liberation Serif, serif">',
        f"<title>{label}</title>",
    ]
    x = 0.0
    for key, text, count in segments:
        if not count:
            continue
        w = (width - 1) * count / total
        parts.append(
            f'<rect x="{_number(x + 0.5)}" y="0.5" width="{_number(w)}" height="{bar}" '
            f'fill="{FILLS.get(key, OTHER_FILL)}" stroke="#000" stroke-width="0.5" '
            f'data-segment="{escape(key)}" data-count="{count}">'
            f"<title>{escape(str(text))}: {count}</title></rect>"
        )
        x += w
    for index, (key, text, count) in enumerate(segments):
        y = bar + 10 + legend_line * index
        parts.append(
            f'<rect x="0.5" y="{y}" width="12" height="12" fill="{FILLS.get(key, OTHER_FILL)}" '
            f'stroke="#000" stroke-width="0.5"/>'
            f'<text x="20" y="{y + 11}" font-size="13">{escape(str(text))}: {count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def labelled(svg: str, label: str) -> str:
    """The chart with an accessible name, for a page: reports.charts draws its charts for the
    PDF, where the figure's caption names them, and gives the <svg> none."""
    if not svg or "aria-label=" in svg[: svg.find(">")]:
        return svg
    return svg.replace("<svg ", f'<svg aria-label="{escape(str(label))}" ', 1)
