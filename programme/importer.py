"""Parse the text of an action programme of the standard Party shape into fixture rows.

The shape: a title block; a preamble; roman-numbered parts ("I- QUAN ĐIỂM"); numbered
headings or clauses ("1. ..."); "- " bullets; unmarked paragraphs under a heading or, after a
bullet that ends with a colon, as its sub-items; then "Nơi nhận:" with its "- " list and the
signature block.

The text was extracted from print, so a page break can cut a sentence into a new paragraph
that starts in lower case; such a paragraph is joined back to the one before it with a space.

Parsing is pure: it touches no database. Anything it cannot place raises ProgrammeParseError naming
the line, before a single row is written.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from .text import fold, nfc

PART_RE = re.compile(r"^(?P<number>[IVXLC]+)(?P<sep>\s*[-.–])\s*(?P<text>\S.*)$")
NUMBERED_RE = re.compile(r"^(?P<number>\d+)\.\s+(?P<text>\S.*)$")
BULLET_RE = re.compile(r"^-\s+(?P<text>\S.*)$")
RESOLUTION_RE = re.compile(
    r"Nghị quyết số\s+(?P<number>\S+?),?\s+ngày\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})/"
    r"(?P<year>\d{4})\s+của\s+(?P<issuer>.+?)(?:\s+về\s|$)"
)
HORIZON_RE = re.compile(r"đến năm (?P<year>\d{4})")
VISION_RE = re.compile(r"tầm nhìn đến năm (?P<year>\d{4})")
RECIPIENTS_HEADING = "Nơi nhận:"
SIGNED_RE = re.compile(r"^(?P<note>Đã ký)\s+(?P<name>.+)$")

# A part is recognised by the words of its heading, compared without diacritics.
SECTION_WORDS = [
    ("quan diem", "viewpoints"),
    ("muc tieu", "objectives"),
    ("nhiem vu", "tasks"),
    ("to chuc thuc hien", "implementation"),
]

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class ProgrammeParseError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(_("Line %(line)d: %(message)s") % {"line": line, "message": message})


@dataclass
class Paragraph:
    line: int
    text: str


@dataclass
class ParsedItem:
    key: str
    kind: str
    section: str
    marker: str
    number: str
    position: int
    text: str
    line: int
    parent: "ParsedItem | None" = None
    children: list["ParsedItem"] = field(default_factory=list)

    def add(self, child: "ParsedItem") -> "ParsedItem":
        child.parent = self
        self.children.append(child)
        return child

    def count(self, kind: str) -> int:
        return sum(1 for child in self.children if child.kind == kind)


@dataclass
class ParsedProgramme:
    document_type: str
    title_lines: list[str]
    issuer_name: str
    resolution_number: str
    resolution_date: date
    resolution_issuer: str
    horizon_year: int | None
    vision_year: int | None
    preamble: str
    items: list[ParsedItem]
    recipients: list[str]
    signing_authority: str
    signer_title: str
    signer_name: str
    signature_note: str


def _blocks(text: str) -> list[list[Paragraph]]:
    """Runs of consecutive non-empty lines, each line kept with its 1-based number."""
    blocks: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    for number, raw in enumerate(nfc(text).splitlines(), start=1):
        line = raw.strip()
        if line:
            current.append(Paragraph(number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _starts_lower(text: str) -> bool:
    return text[:1].islower()


def _mend(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Join paragraphs split by a page break back into one."""
    mended: list[Paragraph] = []
    for paragraph in paragraphs:
        if _starts_lower(paragraph.text):
            if not mended:
                raise ProgrammeParseError(
                    paragraph.line, _("a paragraph starts in lower case with nothing before it")
                )
            previous = mended[-1]
            mended[-1] = Paragraph(previous.line, f"{previous.text} {paragraph.text}")
        else:
            mended.append(paragraph)
    return mended


def _strip_bold(text: str) -> str:
    return text.replace("**", "").strip()


def _section_of(heading: str, line: int) -> str:
    folded = fold(heading)
    for words, section in SECTION_WORDS:
        if words in folded:
            return section
    raise ProgrammeParseError(
        line, _('the part heading "%(heading)s" is not known') % {"heading": heading}
    )


def _parse_title(block: list[Paragraph]) -> dict:
    first = block[0]
    if len(block) < 2 or first.text != first.text.upper():
        raise ProgrammeParseError(
            first.line, _("the document must open with its type in capitals, then its title")
        )
    title_lines = [p.text for p in block[1:]]
    issuer_line = title_lines[0]
    issuer_name = issuer_line[4:] if issuer_line.upper().startswith("CỦA ") else ""
    joined = " ".join(title_lines)
    resolution = RESOLUTION_RE.search(joined)
    if not resolution:
        raise ProgrammeParseError(
            first.line,
            _('the title must name the resolution ("Nghị quyết số ..., ngày dd/mm/yyyy của ...")'),
        )
    try:
        resolution_date = date(
            int(resolution["year"]), int(resolution["month"]), int(resolution["day"])
        )
    except ValueError:
        raise ProgrammeParseError(
            first.line, _("the resolution's date is not a real date")
        ) from None
    horizon = HORIZON_RE.search(joined)
    vision = VISION_RE.search(joined)
    return {
        "document_type": first.text,
        "title_lines": title_lines,
        "issuer_name": issuer_name,
        "resolution_number": resolution["number"],
        "resolution_date": resolution_date,
        "resolution_issuer": resolution["issuer"].strip().rstrip(","),
        "horizon_year": int(horizon["year"]) if horizon else None,
        "vision_year": int(vision["year"]) if vision else None,
    }


def _parse_signature(paragraphs: list[Paragraph]) -> dict:
    lines = [_strip_bold(p.text) for p in paragraphs]
    lines = [line for line in lines if line]
    signature = {"signing_authority": "", "signer_title": "", "signer_name": "", "note": ""}
    for paragraph, line in zip(paragraphs, lines, strict=False):
        signed = SIGNED_RE.match(line)
        if signed:
            signature["note"] = signed["note"]
            signature["signer_name"] = _strip_bold(signed["name"])
        elif line.startswith(("T/M", "TM.", "TM ")) and not signature["signing_authority"]:
            signature["signing_authority"] = line
        elif line == line.upper() and not signature["signer_title"]:
            signature["signer_title"] = line
        elif not signature["signer_name"]:
            signature["signer_name"] = line
        else:
            raise ProgrammeParseError(
                paragraph.line, _("this line of the signature block cannot be placed")
            )
    return signature


class _Builder:
    """Places the body's paragraphs into the tree of parts, headings, bullets and paragraphs."""

    def __init__(self) -> None:
        self.parts: list[ParsedItem] = []
        self.part: ParsedItem | None = None
        self.heading: ParsedItem | None = None
        self.last: ParsedItem | None = None

    def place(self, paragraph: Paragraph, following: Paragraph | None) -> None:
        text, line = paragraph.text, paragraph.line
        if match := PART_RE.match(text):
            self._part(match, line)
        elif self.part is None:
            raise ProgrammeParseError(line, _("text before the first part cannot be placed"))
        elif match := NUMBERED_RE.match(text):
            self._numbered(match, line, following)
        elif match := BULLET_RE.match(text):
            self._bullet(match["text"], line)
        else:
            self._unmarked(text, line)

    def _part(self, match: re.Match, line: int) -> None:
        expected = ROMAN[len(self.parts)] if len(self.parts) < len(ROMAN) else None
        if match["number"] != expected:
            raise ProgrammeParseError(
                line,
                _("part %(found)s found where part %(expected)s was expected")
                % {"found": match["number"], "expected": expected},
            )
        number = match["number"]
        part = ParsedItem(
            key=number,
            kind="part",
            section=_section_of(match["text"], line),
            marker=number + match["sep"].strip(),
            number=number,
            position=len(self.parts) + 1,
            text=match["text"],
            line=line,
        )
        self.parts.append(part)
        self.part, self.heading, self.last = part, None, part

    def _numbered(self, match: re.Match, line: int, following: Paragraph | None) -> None:
        part = self.part
        number = int(match["number"])
        expected = part.count("group") + part.count("clause") + 1
        if number != expected:
            raise ProgrammeParseError(
                line,
                _("item %(found)d found where item %(expected)d was expected")
                % {"found": number, "expected": expected},
            )
        has_body = following is not None and not (
            PART_RE.match(following.text) or NUMBERED_RE.match(following.text)
        )
        item = part.add(
            ParsedItem(
                key=f"{part.key}.{number}",
                kind="group" if has_body else "clause",
                section=part.section,
                marker=f"{number}.",
                number=str(number),
                position=number,
                text=match["text"],
                line=line,
            )
        )
        self.heading = item if has_body else None
        self.last = item

    def _child(self, parent: ParsedItem, kind: str, prefix: str, text: str, line: int) -> None:
        """An unnumbered child: its key counts its kind among the parent's children."""
        position = parent.count(kind) + 1
        self.last = parent.add(
            ParsedItem(
                key=f"{parent.key}.{prefix}{position}",
                kind=kind,
                section=parent.section,
                marker="-" if kind == "bullet" else "",
                number="",
                position=position,
                text=text,
                line=line,
            )
        )

    def _bullet(self, text: str, line: int) -> None:
        parent = self.heading or self.part
        if parent.children and parent.children[-1].kind in {"group", "clause"}:
            raise ProgrammeParseError(line, _("a bullet after a numbered clause cannot be placed"))
        self._child(parent, "bullet", "b", text, line)

    def _unmarked(self, text: str, line: int) -> None:
        last = self.last
        bullet = last.parent if last.kind == "subitem" else last
        if bullet.kind == "bullet" and bullet.text.endswith(":"):
            self._child(bullet, "subitem", "s", text, line)
        elif self.heading is not None and self.heading.count("bullet") == 0:
            self._child(self.heading, "paragraph", "p", text, line)
        else:
            raise ProgrammeParseError(
                line,
                _("a paragraph without a number or bullet cannot be placed here: %(start)s")
                % {"start": text[:60]},
            )


def parse_programme(text: str) -> ParsedProgramme:
    blocks = _blocks(text)
    if not blocks:
        raise ProgrammeParseError(1, _("the text is empty"))
    title = _parse_title(blocks[0])
    paragraphs = [p for block in blocks[1:] for p in block]

    recipients_at = next(
        (i for i, p in enumerate(paragraphs) if p.text == RECIPIENTS_HEADING), len(paragraphs)
    )
    body = _mend(paragraphs[:recipients_at])
    tail = paragraphs[recipients_at + 1 :]

    first_part = next((i for i, p in enumerate(body) if PART_RE.match(p.text)), None)
    if first_part is None:
        raise ProgrammeParseError(blocks[0][-1].line, _("no roman-numbered part was found"))
    preamble = "\n".join(p.text for p in body[:first_part])

    builder = _Builder()
    content = body[first_part:]
    for index, paragraph in enumerate(content):
        following = content[index + 1] if index + 1 < len(content) else None
        builder.place(paragraph, following)
    if not any(part.section == "tasks" for part in builder.parts):
        raise ProgrammeParseError(
            body[-1].line, _('no part of tasks ("NHIỆM VỤ, GIẢI PHÁP") was found')
        )

    recipients: list[str] = []
    signature_start = len(tail)
    for index, paragraph in enumerate(tail):
        match = BULLET_RE.match(paragraph.text)
        if not match:
            signature_start = index
            break
        recipients.append(match["text"])
    signature = _parse_signature(tail[signature_start:])

    items: list[ParsedItem] = []

    def walk(item: ParsedItem) -> None:
        items.append(item)
        for child in item.children:
            walk(child)

    for part in builder.parts:
        walk(part)

    return ParsedProgramme(
        **title,
        preamble=preamble,
        items=items,
        recipients=recipients,
        signing_authority=signature["signing_authority"],
        signer_title=signature["signer_title"],
        signer_name=signature["signer_name"],
        signature_note=signature["note"],
    )


def default_code(parsed: ParsedProgramme) -> str:
    """ "23-NQ/TW" gives "nq23"; a code is a slug that stays short in URLs."""
    match = re.match(r"(\d+)-([A-Za-z]+)", parsed.resolution_number)
    if match:
        return f"{match[2].lower()}{match[1]}"
    return re.sub(r"[^a-z0-9]+", "-", fold(parsed.resolution_number)).strip("-")


def to_fixture(
    parsed: ParsedProgramme,
    *,
    code: str,
    issuing_body: str | None,
    titles_en: dict[str, str] | None = None,
) -> list[dict]:
    """Fixture rows with natural keys, so that loading them twice changes nothing."""
    rows: list[dict] = [
        {
            "model": "programme.programme",
            "fields": {
                "code": code,
                "document_type": parsed.document_type,
                "title": "\n".join(parsed.title_lines),
                "issuer_name": parsed.issuer_name,
                "issuing_body": [issuing_body] if issuing_body else None,
                "document_number": "",
                "issued_on": None,
                "resolution_number": parsed.resolution_number,
                "resolution_date": parsed.resolution_date.isoformat(),
                "resolution_issuer": parsed.resolution_issuer,
                "horizon_year": parsed.horizon_year,
                "vision_year": parsed.vision_year,
                "preamble": parsed.preamble,
                "signing_authority": parsed.signing_authority,
                "signer_title": parsed.signer_title,
                "signer_name": parsed.signer_name,
                "signature_note": parsed.signature_note,
            },
        }
    ]
    rows += [
        {
            "model": "programme.recipient",
            "fields": {"programme": [code], "position": position, "text": text},
        }
        for position, text in enumerate(parsed.recipients, start=1)
    ]
    rows += [
        {
            "model": "programme.item",
            "fields": {
                "programme": [code],
                "parent": [code, item.parent.key] if item.parent else None,
                "key": item.key,
                "sequence": sequence,
                "kind": item.kind,
                "section": item.section,
                "marker": item.marker,
                "number": item.number,
                "position": item.position,
                "text": item.text,
                "search_text": fold(item.text),
                "source_line": item.line,
                # The English titles are not in the text: they come from titles-en.json.
                **({"title_en": titles_en[item.key]} if item.key in (titles_en or {}) else {}),
            },
        }
        for sequence, item in enumerate(parsed.items, start=1)
    ]
    return rows
