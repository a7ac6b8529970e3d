"""The stored programme reads exactly as the project's copy of the document.

The test reads the document itself, mending page breaks its own simple way (a paragraph that
starts in lower case continues the one before), and compares every stored item with it.
"""

import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

from programme.models import Item, Programme, Recipient, Target
from programme.services import reference_data_load, reference_sources
from programme.text import fold
from tasks.models import Assignment

SOURCE = Path(settings.FIXTURES_DIR) / "programmes" / "nq23" / "source.txt"


def document_paragraphs() -> list[str]:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    paragraphs: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if line[0].islower() and paragraphs:
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return [unicodedata.normalize("NFC", p) for p in paragraphs]


def printed(item: Item) -> str:
    return f"{item.marker} {item.text}" if item.marker else item.text


@pytest.fixture
def loaded(db):
    reference_data_load(sources=reference_sources(), reason="test")
    return Programme.objects.get(code="nq23")


def test_it_stores_every_item_as_its_paragraph_in_the_document(loaded):
    paragraphs = document_paragraphs()
    start = paragraphs.index("I- QUAN ĐIỂM")
    end = paragraphs.index("Nơi nhận:")
    items = list(loaded.items.order_by("sequence"))
    assert [printed(item) for item in items] == paragraphs[start:end]
    for item in items:
        assert unicodedata.is_normalized("NFC", item.text)
        assert item.search_text == fold(item.text)


def test_it_mends_the_sentences_cut_by_page_breaks(loaded):
    texts = {item.key: item.text for item in loaded.items.all()}
    assert "có công nghệ cao sản xuất sản phẩm và hàng hóa xuất khẩu" in texts["III.3.b2"]
    assert "ngành công thương sự nghiệp công nghiệp hóa" in texts["III.6.b2"]
    assert "liên kết vùng, liên kết tỉnh, thành phố" in texts["III.8.b1"]
    assert "sự nghiệp công nghiệp hóa, hiện đại hoá đất nước" in texts["III.10.b1"]
    assert not any(text[:1].islower() for text in texts.values())


def test_it_keeps_the_title_preamble_recipients_and_signature(loaded):
    paragraphs = document_paragraphs()
    lines = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    title_block = lines[lines.index("CHƯƠNG TRÌNH HÀNH ĐỘNG") : lines.index("", 3)]
    assert [loaded.document_type, *loaded.title_lines] == title_block
    assert loaded.preamble == paragraphs[2]
    recipients = list(Recipient.objects.filter(programme=loaded).values_list("text", flat=True))
    start = paragraphs.index("Nơi nhận:") + 1
    assert ["- " + r for r in recipients] == paragraphs[start : start + len(recipients)]
    assert len(recipients) == 10
    assert (loaded.signing_authority, loaded.signer_title, loaded.signer_name) == (
        "T/M BAN CHẤP HÀNH",
        "BÍ THƯ",
        "Lê Thanh Quang",
    )
    assert loaded.issuing_body.code == "ban-chap-hanh-dang-bo-tinh"


def test_it_has_the_documents_structure_and_counts(loaded):
    parts = loaded.items.filter(kind=Item.Kind.PART).order_by("sequence")
    assert [(p.number, p.text, p.section) for p in parts] == [
        ("I", "QUAN ĐIỂM", "viewpoints"),
        ("II", "MỤC TIÊU", "objectives"),
        ("III", "NHIỆM VỤ, GIẢI PHÁP", "tasks"),
        ("IV", "TỔ CHỨC THỰC HIỆN", "implementation"),
    ]
    assert loaded.items.filter(parent__key="I", kind="bullet").count() == 4
    assert loaded.items.filter(parent__key="II.2", kind="bullet").count() == 4
    assert loaded.items.get(key="II.1.p1").kind == "paragraph"
    groups = loaded.items.filter(parent__key="III", kind="group").order_by("sequence")
    bullets_per_group = {g.key: g.children.filter(kind="bullet").count() for g in groups}
    assert bullets_per_group == {
        "III.1": 2,
        "III.2": 3,
        "III.3": 7,
        "III.4": 4,
        "III.5": 5,
        "III.6": 5,
        "III.7": 4,
        "III.8": 2,
        "III.9": 4,
        "III.10": 3,
    }
    regions = loaded.items.get(key="III.1.b1").children.order_by("position")
    assert [r.text.split(":")[0] for r in regions] == [
        "Khu kinh tế Vân Phong",
        "Khu vực thành phố Nha Trang và vùng phụ cận",
        "Khu vực vịnh Cam Ranh",
    ]
    assert loaded.items.tasks().count() == 39 + 3
    clauses = loaded.items.filter(parent__key="IV").order_by("sequence")
    assert [(c.kind, c.number) for c in clauses] == [("clause", str(n)) for n in range(1, 5)]


def test_it_holds_the_targets_as_numbers(loaded):
    share = Target.objects.get(programme=loaded, code__contains="xay-dung")
    assert (share.comparator, share.value, share.value_max, share.unit) == ("range", 46, 47, "%")
    assert Target.objects.filter(programme=loaded, target_year=2030).count() == 8
    occupancy = Target.objects.get(programme=loaded, item__key="II.2.b4")
    assert occupancy.value == 60


def test_reloading_changes_nothing_and_writes_no_history(loaded):
    counts = {m: m.objects.count() for m in (Item, Recipient, Target, Assignment)}
    history = {m: m.history.count() for m in counts}
    assert all(history[m] == counts[m] for m in counts)

    result = reference_data_load(sources=reference_sources(), reason="again")
    assert result.total_written == 0
    result = reference_data_load(sources=reference_sources(), reason="again", update_existing=True)
    assert result.total_written == 0
    assert {m: m.objects.count() for m in counts} == counts
    assert {m: m.history.count() for m in counts} == history


def test_a_changed_fixture_row_is_recorded_in_history(loaded, tmp_path):
    item = Item.objects.get(programme=loaded, key="III.3.b2")
    item.text = item.text + " (sửa)"
    item.save()
    assert item.history.count() == 2

    kept = reference_data_load(sources=reference_sources(), reason="Nạp lại")
    assert kept.total_written == 0
    item.refresh_from_db()
    assert item.text.endswith("(sửa)")

    result = reference_data_load(
        sources=reference_sources(), reason="Nạp lại dữ liệu", update_existing=True
    )

    assert result.changed["programme.item"] == 1
    item.refresh_from_db()
    assert not item.text.endswith("(sửa)")
    latest = item.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "Nạp lại dữ liệu")
