"""The desk's bar of shares: drawn on the server, no script or style, every text escaped, each
segment as wide as its share."""

import re

from desk.charts import share_bar


def test_it_draws_each_segment_in_proportion_with_a_legend():
    svg = share_bar(
        [("sent_on_time", "Gửi đúng hạn", 3), ("overdue", "Quá hạn gửi", 1), ("not_due", "x", 0)],
        title="Báo cáo",
        width=401,
    )

    segments = re.findall(
        r'<rect x="[\d.]+" y="0.5" width="([\d.]+)"[^>]*data-segment="(\w+)"', svg
    )
    widths = {key: float(width) for width, key in segments}
    assert widths == {"sent_on_time": 300.0, "overdue": 100.0}
    assert "Gửi đúng hạn: 3" in svg and "Quá hạn gửi: 1" in svg and "x: 0" in svg
    assert 'role="img"' in svg and 'aria-label="Báo cáo"' in svg


def test_it_escapes_its_texts_and_carries_no_script_or_style():
    svg = share_bar([("overdue", "<script>alert(1)</script>", 2)], title='"><b>')

    assert "<script" not in svg and "style=" not in svg
    assert "&lt;script&gt;" in svg and "&quot;&gt;&lt;b&gt;" in svg


def test_it_draws_nothing_when_there_is_nothing_to_count():
    assert share_bar([("overdue", "Quá hạn gửi", 0)], title="Báo cáo") == ""


def test_it_names_a_chart_drawn_for_the_pdf_once():
    from desk.charts import labelled

    named = labelled(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img"><text>a</text></svg>', "Ả&B"
    )

    assert named.startswith('<svg aria-label="Ả&amp;B" xmlns=')
    assert labelled(named, "other") == named
    assert labelled("", "other") == ""
