"""The importer: the committed fixture is its output, its errors name the line, a second
programme of the same shape loads with no code change, and nothing is half-loaded."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from programme.importer import ProgrammeParseError, parse_programme
from programme.models import Item, Programme
from programme.services import (
    ReferenceDataError,
    programme_fixture_from_text,
    reference_data_load,
    reference_sources,
)

NQ23 = Path(settings.FIXTURES_DIR) / "programmes" / "nq23"
# Messages are matched in English; Vietnamese is the default language.
pytestmark = pytest.mark.usefixtures("in_english")


MADE_UP = Path(__file__).parent / "data" / "made-up-programme.txt"


def test_it_reproduces_the_committed_fixture_from_the_source_text():
    rows = programme_fixture_from_text(
        text=(NQ23 / "source.txt").read_text(encoding="utf-8"),
        code="nq23",
        issuing_body="ban-chap-hanh-dang-bo-tinh",
        titles_en=json.loads((NQ23 / "titles-en.json").read_text(encoding="utf-8")),
    )
    committed = json.loads((NQ23 / "programme.json").read_text(encoding="utf-8"))
    assert rows == committed


def test_the_ten_task_groups_carry_their_english_titles():
    rows = json.loads((NQ23 / "programme.json").read_text(encoding="utf-8"))
    titled = {
        row["fields"]["key"]: row["fields"]["title_en"]
        for row in rows
        if row["model"] == "programme.item" and "title_en" in row["fields"]
    }

    assert sorted(titled, key=lambda key: int(key.split(".")[1])) == [
        f"III.{n}" for n in range(1, 11)
    ]
    assert titled["III.7"] == "Management policies"


def test_it_reads_the_programme_metadata():
    parsed = parse_programme((NQ23 / "source.txt").read_text(encoding="utf-8"))
    assert parsed.document_type == "CHƯƠNG TRÌNH HÀNH ĐỘNG"
    assert parsed.issuer_name == "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"
    assert parsed.resolution_number == "23-NQ/TW"
    assert parsed.resolution_date.isoformat() == "2018-03-22"
    assert parsed.resolution_issuer == "Bộ Chính trị"
    assert (parsed.horizon_year, parsed.vision_year) == (2030, 2045)
    assert parsed.signing_authority == "T/M BAN CHẤP HÀNH"
    assert parsed.signer_title == "BÍ THƯ"
    assert parsed.signer_name == "Lê Thanh Quang"
    assert parsed.signature_note == "Đã ký"
    assert parsed.recipients[0] == "Bộ Chính trị,"
    assert parsed.recipients[-1] == "Lưu Văn phòng Tỉnh ủy."


def test_it_mends_a_sentence_cut_by_a_page_break():
    parsed = parse_programme(MADE_UP.read_text(encoding="utf-8"))
    by_key = {item.key: item for item in parsed.items}
    assert by_key["II.1.b2.s2"].text == ("Vùng miền núi: phổ cập mạng di động 5G đến thôn, bản.")


def _with_line(text: str, line_number: int, replacement: str) -> str:
    lines = text.splitlines()
    lines[line_number - 1] = replacement
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("line_number", "replacement", "message"),
    [
        (9, "I- PHỤ LỤC", "PHỤ LỤC"),
        (11, "3. Mục tiêu chung", "item 3 found where item 1 was expected"),
        (19, "IV- NHIỆM VỤ, GIẢI PHÁP", "part IV found where part II was expected"),
        (37, "Một đoạn không thuộc mục nào.", "cannot be placed"),
    ],
)
def test_it_names_the_line_it_cannot_place(line_number, replacement, message):
    text = _with_line(MADE_UP.read_text(encoding="utf-8"), line_number, replacement)
    with pytest.raises(ProgrammeParseError) as raised:
        parse_programme(text)
    assert raised.value.line == line_number
    assert message in raised.value.message


def test_it_refuses_a_text_without_a_tasks_part():
    text = MADE_UP.read_text(encoding="utf-8").replace("NHIỆM VỤ, GIẢI PHÁP", "MỤC TIÊU KHÁC")
    with pytest.raises(ProgrammeParseError, match="NHIỆM VỤ"):
        parse_programme(text)


def test_it_refuses_an_empty_text_and_a_text_without_a_resolution():
    with pytest.raises(ProgrammeParseError):
        parse_programme("   \n\n")
    with pytest.raises(ProgrammeParseError, match="resolution"):
        parse_programme("CHƯƠNG TRÌNH\nvề một việc\n\nI- NHIỆM VỤ\n\n- Làm.\n")


@pytest.mark.django_db
def test_it_loads_a_second_programme_from_its_text_alone(tmp_path, client, django_user_model):
    folder = tmp_path / "programmes" / "ctr57"
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(MADE_UP.read_text(encoding="utf-8"), encoding="utf-8")

    result = reference_data_load(sources=reference_sources(tmp_path), reason="test")

    programme = Programme.objects.get(code="ctr57")
    assert programme.resolution_number == "57-NQ/TW"
    assert programme.signer_name == "Nguyễn Văn A"
    assert list(programme.items.tasks().values_list("key", flat=True)) == [
        "II.1.b1",
        "II.1.b2",
        "II.1.b2.s1",
        "II.1.b2.s2",
        "II.2.b1",
    ]
    assert result.created["programme.item"] == programme.items.count()

    user = django_user_model.objects.create_user("xem", password="x")
    client.force_login(user)
    page = client.get("/programmes/ctr57/").content.decode()
    assert "Vùng miền núi: phổ cập mạng di động 5G đến thôn, bản." in page


@pytest.mark.django_db
def test_the_command_loads_a_text_and_reports_errors_with_the_line(tmp_path, capsys):
    call_command("import_programme", str(MADE_UP), "--load")
    assert Programme.objects.filter(code="nq57").exists()

    broken = tmp_path / "broken.txt"
    broken.write_text(
        _with_line(MADE_UP.read_text(encoding="utf-8"), 37, "Đoạn lạc."), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="37"):
        call_command("import_programme", str(broken), "--load")


@pytest.mark.django_db
def test_it_loads_nothing_when_a_fixture_in_the_batch_is_bad():
    good = json.dumps(programme_fixture_from_text(text=MADE_UP.read_text(encoding="utf-8")))
    bad = json.dumps(
        [{"model": "tasks.assignment", "fields": {"item": ["nq57", "II.9.b9"], "role": "lead"}}]
    )
    with pytest.raises(ReferenceDataError):
        reference_data_load(sources=[("good", good), ("bad", bad)], reason="test")
    assert not Programme.objects.exists()
    assert not Item.objects.exists()


def test_the_command_writes_the_fixture_to_a_file(tmp_path):
    output = tmp_path / "programme.json"
    call_command("import_programme", str(MADE_UP), "--code", "mau", "-o", str(output))
    rows = json.loads(output.read_text(encoding="utf-8"))
    assert rows[0]["fields"]["code"] == "mau"
    assert {row["model"] for row in rows} == {
        "programme.programme",
        "programme.recipient",
        "programme.item",
    }
