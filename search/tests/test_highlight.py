"""Marking the matched words of a text: folded alike, the rest escaped, long texts cut."""

from search.highlight import highlighted
from search.text import document_key, document_keys, query_terms


def test_it_marks_words_whatever_their_tones_and_case():
    text = "Phát triển CÔNG NGHIỆP hỗ trợ, công nghiệp hoá"

    marked = highlighted(text, ["cong", "nghiep"])

    assert marked == (
        "Phát triển <mark>CÔNG</mark> <mark>NGHIỆP</mark> hỗ trợ, "
        "<mark>công</mark> <mark>nghiệp</mark> hoá"
    )


def test_it_escapes_the_text_around_and_inside_the_marks():
    marked = highlighted('<script>alert("x")</script> & đảng', ["script", "dang"])

    assert marked == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "<mark>đảng</mark>"
    )


def test_it_cuts_a_long_text_around_the_first_match_at_spaces():
    text = " ".join(["trước"] * 200) + " Suối Dầu " + " ".join(["sau"] * 200)

    marked = highlighted(text, ["suoi"], 120)

    assert marked.startswith("…trước ") and marked.endswith(" sau…")
    assert "<mark>Suối</mark> Dầu" in marked
    assert len(marked) < 200


def test_a_document_number_reads_the_same_however_typed():
    assert document_key("45-KH/TU") == document_key("45-kh/tu") == document_key("45-KHTU")
    assert document_key("12/QĐ-UBND") == "12qdubnd"
    assert "45khtu" in document_keys("kế hoạch 45-KH/TU")
    assert document_keys("45 KH/TU") == {"45khtu", "45", "khtu"} - {"khtu"}
    assert document_keys("công nghiệp") == set()


def test_a_document_number_is_one_term_of_a_query():
    assert query_terms("Công nghiệp 23-NQ/TW công nghiệp") == ["cong", "nghiep", "23 nq tw"]
    assert query_terms("% _ ' \" \\ !!!") == []
