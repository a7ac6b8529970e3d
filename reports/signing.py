"""Digital signatures on generated reports: a PAdES signature (pyHanko) over the whole PDF,
with the certificate and key the operator configures.

The operator gives a PKCS#12 file and its password through the environment
(REPORT_SIGNING_PKCS12, REPORT_SIGNING_PASSWORD); nothing of it is in the repository. Without
the file, signing is off and reports are issued unsigned.

No network is used: no timestamp server (the signing time is the signer's own claim) and no
revocation data fetched or embedded. A production deployment adds both (docs/reports.md).

Glossary: digital signature: chữ ký số; signed: đã ký số.
"""

from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

# The reason every signature carries (the Party Office signs the documents it issues).
REASON = "Văn phòng Tỉnh ủy Khánh Hòa ký số"
FIELD_NAME = "ChuKySo"


class SigningFailed(Exception):
    """The configured certificate could not sign: a wrong password, an unreadable file, a
    certificate without a key."""


def signing_configured() -> bool:
    """Whether the operator has configured a certificate: signing is on."""
    return bool(getattr(settings, "REPORT_SIGNING_PKCS12", ""))


def _signer() -> signers.SimpleSigner:
    path = settings.REPORT_SIGNING_PKCS12
    password = settings.REPORT_SIGNING_PASSWORD
    try:
        signer = signers.SimpleSigner.load_pkcs12(
            path, passphrase=password.encode() if password else None
        )
    except (OSError, ValueError) as error:
        raise SigningFailed(f"cannot read the signing certificate {path}: {error}") from error
    # pyHanko reports a wrong password or a file without a key by returning nothing.
    if signer is None:
        raise SigningFailed(f"cannot open the signing certificate {path} with its password")
    return signer


def signer_name(signer: signers.SimpleSigner) -> str:
    """The signer's name as the certificate gives it (its common name)."""
    subject = signer.signing_cert.subject.native
    return subject.get("common_name") or signer.signing_cert.subject.human_friendly


def pdf_sign(pdf: bytes) -> bytes:
    """The PDF with a PAdES baseline signature covering the whole document, in the signer's
    name and with the Party Office's reason. Raises ImproperlyConfigured when signing is off,
    SigningFailed when the certificate cannot sign."""
    if not signing_configured():
        raise ImproperlyConfigured("REPORT_SIGNING_PKCS12 is not set: signing is off")
    signer = _signer()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        name=signer_name(signer),
        reason=REASON,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        # Nothing fetched: no revocation data, no timestamp (no `timestamper` below).
        embed_validation_info=False,
        use_pades_lta=False,
    )
    try:
        signed = signers.sign_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf), strict=False), metadata, signer=signer
        )
    except SigningError as error:
        raise SigningFailed(str(error)) from error
    return signed.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What a verifier says of a PDF's signature, against given trust roots: `signer` is the
    certificate's name, `name` and `reason` what the signature dictionary says."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_document: bool = False
    signer: str = ""
    name: str = ""
    reason: str = ""

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_document


def pdf_signature_check(pdf: bytes, *, trust_roots: list) -> SignatureCheck:
    """Verify the PDF's last signature offline against the trust roots (asn1crypto
    certificates): intact, by a certificate chaining to a root, covering the whole file."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    if not reader.embedded_signatures:
        return SignatureCheck(signed=False)
    embedded = reader.embedded_signatures[-1]
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    status = validate_pdf_signature(embedded, context)
    return SignatureCheck(
        signed=True,
        intact=status.intact and status.valid,
        trusted=status.trusted,
        whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.native.get("common_name", ""),
        name=str(embedded.sig_object.get("/Name", "")),
        reason=str(embedded.sig_object.get("/Reason", "")),
    )
