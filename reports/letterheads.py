"""Who sends a report, as its header and signature block show it (Hướng dẫn 36-HD/VPTW for
Party bodies; the state-style format for the Fatherland Front and the mass organisations).

Each sender has its own letterhead: the lines on the left (the superior body in regular type,
its own name in bold), the number with its issuing-body suffix, the motto on the right, the
collective it signs on behalf of ("T/M BAN THƯỜNG VỤ") and the head a deputy signs for
("K/T CHÁNH VĂN PHÒNG"). Who signs is data (`Signatory`); the letterhead only says how."""

import unicodedata
from dataclasses import dataclass

from accounts.models import Body, BodyKind

from .models import GeneratedReportKind, Signatory, SigningAuthority

PROVINCE = "Khánh Hòa"
PROVINCIAL_COMMITTEE = "TỈNH ỦY KHÁNH HÒA"
PROVINCIAL_PARTY = "ĐẢNG BỘ TỈNH KHÁNH HÒA"
PROVINCIAL_PEOPLES_COMMITTEE = "UBND TỈNH KHÁNH HÒA"

PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
YOUTH_MOTTO = ("ĐOÀN TNCS HỒ CHÍ MINH",)

# The body that sends each kind about the whole programme.
PROGRAMME_SENDERS = {
    GeneratedReportKind.STANDING_COMMITTEE: "van-phong-tinh-uy",
    GeneratedReportKind.UPWARD: "ban-thuong-vu-tinh-uy",
}

# The mass organisations' own abbreviations, as their numbers print them.
ORGANISATION_SUFFIXES = {
    "uy-ban-mttq-tinh": "MTTQ-BTT",
    "lien-doan-lao-dong-tinh": "LĐLĐ",
    "hoi-nong-dan-tinh": "HND",
    "hoi-lien-hiep-phu-nu-tinh": "HLHPN",
    "tinh-doan": "TĐTN",
    "hoi-cuu-chien-binh-tinh": "HCCB",
}


@dataclass(frozen=True)
class Letterhead:
    superior: str  # regular type, above the sender's name; may be empty
    own: tuple[str, ...]  # bold
    suffix: str  # "BC/TU"
    motto: tuple[str, ...]
    collective: str  # signed "T/M <collective>"; empty when the head signs in their own right
    head: str  # the head's title, which a deputy signs "K/T" for
    state_style: bool = False

    @property
    def number(self) -> str:
        """ "Số      -BC/TU" (Party) or "Số:      /BC-MTTQ-BTT" (state style): the number is
        left blank for the office that registers the document."""
        if self.state_style:
            kind, _, issuer = self.suffix.partition("/")
            return f"Số:      /{kind}-{issuer}" if issuer else f"Số:      /{kind}"
        return f"Số      -{self.suffix}"

    @property
    def lines(self) -> list[tuple[str, bool]]:
        """The left-hand lines, each with whether it is bold."""
        head = [(self.superior, False)] if self.superior else []
        return head + [(line, True) for line in self.own]

    def prefix(self, authority: str) -> str:
        party = {"on_behalf": "T/M", "for_head": "K/T", "by_order": "T/L"}
        state = {"on_behalf": "TM.", "for_head": "KT.", "by_order": "TL."}
        return (state if self.state_style else party).get(authority, "")


def _initials(name: str) -> str:
    """ "Ban Tuyên giáo Tỉnh ủy" -> "BTGTU": the capitals of each word, as suffixes are formed."""
    return "".join(word[0].upper() for word in name.replace("-", " ").split() if word[0].isalpha())


def _committee_suffix(name: str) -> str:
    folded = unicodedata.normalize("NFC", name).lower()
    if folded.startswith(("thành ủy", "thị ủy", "tỉnh ủy")):
        return "TU"
    if folded.startswith("huyện ủy"):
        return "HU"
    return "ĐU"


def letterhead_for(kind: str, body: Body | None) -> Letterhead:
    """The letterhead of the body that sends a report of this kind."""
    if kind == GeneratedReportKind.STANDING_COMMITTEE:
        return Letterhead(
            PROVINCIAL_COMMITTEE, ("VĂN PHÒNG",), "BC/VPTU", PARTY_MOTTO, "", "CHÁNH VĂN PHÒNG"
        )
    if kind == GeneratedReportKind.UPWARD:
        return Letterhead(
            "", (PROVINCIAL_COMMITTEE,), "BC/TU", PARTY_MOTTO, "BAN THƯỜNG VỤ", "BÍ THƯ"
        )
    assert body is not None
    name = body.name.upper()
    if body.kind == BodyKind.FATHERLAND_FRONT:
        return Letterhead(
            f"{name} {PROVINCE.upper()}",
            ("BAN THƯỜNG TRỰC",),
            f"BC/{ORGANISATION_SUFFIXES.get(body.code, 'MTTQ-BTT')}",
            STATE_MOTTO,
            "BAN THƯỜNG TRỰC",
            "CHỦ TỊCH",
            state_style=True,
        )
    if body.kind == BodyKind.SOCIO_POLITICAL:
        youth = body.code == "tinh-doan"
        return Letterhead(
            f"BCH ĐOÀN TỈNH {PROVINCE.upper()}" if youth else f"{name} {PROVINCE.upper()}",
            ("BAN THƯỜNG VỤ",),
            f"BC/{ORGANISATION_SUFFIXES.get(body.code, _initials(body.name))}",
            YOUTH_MOTTO if youth else STATE_MOTTO,
            "BAN THƯỜNG VỤ",
            "BÍ THƯ" if youth else "CHỦ TỊCH",
            state_style=True,
        )
    if body.kind == BodyKind.COUNCIL_DELEGATION:
        return Letterhead(
            PROVINCIAL_COMMITTEE, (name,), "BC/ĐĐ", PARTY_MOTTO, "ĐẢNG ĐOÀN", "BÍ THƯ"
        )
    if body.kind == BodyKind.PEOPLES_COMMITTEE:
        return Letterhead(
            PROVINCIAL_COMMITTEE, (name,), "BC/BCSĐ", PARTY_MOTTO, "BAN CÁN SỰ ĐẢNG", "BÍ THƯ"
        )
    if body.kind in (BodyKind.DISTRICT_COMMITTEE, BodyKind.AFFILIATED_COMMITTEE):
        return Letterhead(
            PROVINCIAL_PARTY,
            (name,),
            f"BC/{_committee_suffix(body.name)}",
            PARTY_MOTTO,
            "BAN THƯỜNG VỤ",
            "BÍ THƯ",
        )
    if body.kind == BodyKind.DEPARTMENT:
        return Letterhead(
            PROVINCIAL_PEOPLES_COMMITTEE,
            (name,),
            f"BC/{_initials(body.name)}",
            STATE_MOTTO,
            "",
            "GIÁM ĐỐC",
            state_style=True,
        )
    # The Party's own boards and offices.
    return Letterhead(
        PROVINCIAL_COMMITTEE, (name,), f"BC/{_initials(body.name)}", PARTY_MOTTO, "", "TRƯỞNG BAN"
    )


@dataclass(frozen=True)
class SignatureBlock:
    """The lines above the signature and seal, and the name under them (empty when nobody
    holds the post on the report's date)."""

    lines: tuple[str, ...]
    name: str

    @property
    def signed(self) -> bool:
        return bool(self.name)


def signature_block(letterhead: Letterhead, signatory: Signatory | None) -> SignatureBlock:
    """The block for the signer; with nobody in office, the post and the seal's place with no
    name, for the document to be signed by hand."""
    if signatory is None:
        if letterhead.collective:
            return SignatureBlock(
                (f"{letterhead.prefix('on_behalf')} {letterhead.collective}", letterhead.head), ""
            )
        return SignatureBlock((letterhead.head,), "")
    authority = signatory.authority
    if authority == SigningAuthority.ON_BEHALF and letterhead.collective:
        lines = (f"{letterhead.prefix('on_behalf')} {letterhead.collective}", signatory.position)
    elif authority == SigningAuthority.FOR_HEAD:
        lines = (f"{letterhead.prefix('for_head')} {letterhead.head}", signatory.position)
    elif authority == SigningAuthority.BY_ORDER:
        lines = (
            f"{letterhead.prefix('by_order')} {letterhead.collective or letterhead.head}",
            signatory.position,
        )
    else:
        lines = (signatory.position,)
    return SignatureBlock(lines, signatory.name)


def sender_code(kind: str, body: Body | None) -> str | None:
    """The code of the body whose signatories sign a report of this kind."""
    return PROGRAMME_SENDERS.get(kind) or (body.code if body is not None else None)


def signatories_in_office(*, kind: str, body: Body | None, day) -> list[Signatory]:
    """Who may sign a report of this kind on the day, the one who signs by default first."""
    code = sender_code(kind, body)
    if code is None:
        return []
    return list(
        Signatory.objects.in_office_on(day)
        .filter(body__code=code)
        .select_related("body")
        .order_by("rank", "-valid_from", "pk")
    )


def default_signatory(*, kind: str, body: Body | None, day) -> Signatory | None:
    found = signatories_in_office(kind=kind, body=body, day=day)
    return found[0] if found else None
