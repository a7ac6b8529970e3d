"""Digital signatures on generated reports: a test CA and signing certificate are made at run
time (nothing of them is in the repository), a Standing Committee report is built and signed,
and pyHanko verifies it offline against the test root, from Python and from its command line.
One changed byte breaks it."""

import hashlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from reports.signing import (
    REASON,
    SigningFailed,
    pdf_sign,
    pdf_signature_check,
    signing_configured,
)

SIGNER = "Văn phòng Tỉnh ủy Khánh Hòa"
PASSWORD = "mat-khau-chung-thu-thu-nghiem"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tỉnh ủy Khánh Hòa (thử nghiệm)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(signing_key, hashes.SHA256())


def make_pki(folder: Path, *, root_name: str) -> SimpleNamespace:
    """A root CA and a signing certificate it issued, the latter in a PKCS#12 file."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate(
        _name(root_name), _name(root_name), root_key.public_key(), root_key, ca=True
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _certificate(_name(SIGNER), root.subject, key.public_key(), root_key, ca=False)
    folder.mkdir(parents=True, exist_ok=True)
    p12 = folder / "ky-so.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ky-so",
            key,
            certificate,
            [root],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    root_pem = folder / "goc.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return SimpleNamespace(
        p12=p12,
        root_pem=root_pem,
        root=asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER)),
    )


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"), root_name="CA thử nghiệm Tỉnh ủy")


@pytest.fixture(scope="module")
def stranger(tmp_path_factory):
    """Another CA, which the report's signature does not chain to."""
    return make_pki(tmp_path_factory.mktemp("other-pki"), root_name="CA lạ")


@pytest.fixture(scope="module")
def built_pdf(reference_data, django_db_blocker) -> bytes:
    """A Standing Committee report of the 2026 annual period, built as the task cluster does."""
    from programme.models import Programme
    from reports.services import generated_report_build, generated_report_record
    from tasks.models import ReportingPeriod

    with django_db_blocker.unblock(), translation.override("vi"):
        report = generated_report_record(
            kind="standing_committee",
            programme=Programme.objects.get(code="nq23"),
            period=ReportingPeriod.objects.get(code="2026-nam"),
        )
        report = generated_report_build(report_id=report.pk)
        assert report.state == report.State.DONE, report.error
        with report.pdf.open("rb") as handle:
            return handle.read()


@pytest.fixture
def report_pdf(built_pdf, db) -> bytes:
    return built_pdf


@pytest.fixture(scope="module")
def parts_pdf(reference_data, django_db_blocker) -> bytes:
    """The same report laid out in two parts by two child processes and joined with pypdf,
    as a long report is."""
    from django.test import override_settings

    from programme.models import Programme
    from reports.services import generated_report_build, generated_report_record
    from tasks.models import ReportingPeriod

    with (
        django_db_blocker.unblock(),
        translation.override("vi"),
        override_settings(REPORT_PDF_SPLIT_CHARS=1, REPORT_PDF_PARTS=2),
    ):
        report = generated_report_record(
            kind="standing_committee",
            programme=Programme.objects.get(code="nq23"),
            period=ReportingPeriod.objects.get(code="2026-nam"),
        )
        report = generated_report_build(report_id=report.pk)
        assert report.state == report.State.DONE, report.error
        with report.pdf.open("rb") as handle:
            return handle.read()


@pytest.fixture
def signing_on(settings, pki):
    settings.REPORT_SIGNING_PKCS12 = str(pki.p12)
    settings.REPORT_SIGNING_PASSWORD = PASSWORD


def tampered(pdf: bytes) -> bytes:
    """The PDF with one byte changed inside the first stream's data (so the file still parses,
    and only the signed bytes differ)."""
    at = pdf.index(b"stream", pdf.index(b"obj")) + len(b"stream") + 20
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def test_signing_is_off_without_a_certificate(settings, report_pdf):
    settings.REPORT_SIGNING_PKCS12 = ""

    assert not signing_configured()
    with pytest.raises(ImproperlyConfigured):
        pdf_sign(report_pdf)


def test_a_signed_report_is_valid_against_the_root(signing_on, report_pdf, pki):
    signed = pdf_sign(report_pdf)
    check = pdf_signature_check(signed, trust_roots=[pki.root])

    assert pdf_signature_check(report_pdf, trust_roots=[pki.root]).signed is False
    assert check.signed and check.intact and check.trusted
    assert check.whole_document
    assert check.valid
    assert check.signer == check.name == SIGNER
    assert check.reason == REASON == "Văn phòng Tỉnh ủy Khánh Hòa ký số"
    # An incremental update: the report as built is kept byte for byte under the signature.
    assert signed.startswith(report_pdf)


def test_a_report_joined_from_parts_takes_a_valid_signature(signing_on, parts_pdf, pki, db):
    signed = pdf_sign(parts_pdf)
    check = pdf_signature_check(signed, trust_roots=[pki.root])

    assert check.signed and check.intact and check.trusted and check.valid
    assert check.whole_document
    assert signed.startswith(parts_pdf)
    assert not pdf_signature_check(tampered(signed), trust_roots=[pki.root]).intact


def test_one_changed_byte_breaks_the_signature(signing_on, report_pdf, pki):
    signed = pdf_sign(report_pdf)
    check = pdf_signature_check(tampered(signed), trust_roots=[pki.root])

    assert check.signed
    assert not check.intact
    assert not check.valid


def test_a_signature_does_not_chain_to_another_root(signing_on, report_pdf, stranger):
    check = pdf_signature_check(pdf_sign(report_pdf), trust_roots=[stranger.root])

    assert check.intact
    assert not check.trusted
    assert not check.valid


def test_a_wrong_password_fails_plainly(settings, signing_on, report_pdf):
    settings.REPORT_SIGNING_PASSWORD = "sai-mat-khau"

    with pytest.raises(SigningFailed):
        pdf_sign(report_pdf)


@pytest.mark.integration
def test_the_pyhanko_command_line_says_valid_and_tampered_is_not(
    signing_on, report_pdf, pki, tmp_path
):
    signed = tmp_path / "bao-cao-ky-so.pdf"
    signed.write_bytes(pdf_sign(report_pdf))
    broken = tmp_path / "bao-cao-bi-sua.pdf"
    broken.write_bytes(tampered(signed.read_bytes()))
    pyhanko = Path(sys.executable).with_name("pyhanko")

    def validate(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                str(pyhanko),
                "sign",
                "validate",
                "--executive-summary",
                "--trust-replace",
                "--trust",
                str(pki.root_pem),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )

    good, bad = validate(signed), validate(broken)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.strip().endswith("VALID")
    assert bad.returncode != 0
    assert "INVALID" in bad.stdout + bad.stderr


def _build_standing_committee_report():
    from programme.models import Programme
    from reports.services import generated_report_build, generated_report_record
    from tasks.models import ReportingPeriod

    with translation.override("vi"):
        report = generated_report_record(
            kind="standing_committee",
            programme=Programme.objects.get(code="nq23"),
            period=ReportingPeriod.objects.get(code="2026-nam"),
        )
        return generated_report_build(report_id=report.pk)


def test_a_report_built_with_signing_on_is_kept_signed_and_says_so(
    signing_on, report_pdf, pki, client, reviewer, text_of
):
    report = _build_standing_committee_report()
    with report.pdf.open("rb") as handle:
        kept = handle.read()

    assert report.signed
    assert pdf_signature_check(kept, trust_roots=[pki.root]).valid
    assert report.sha256 == hashlib.sha256(kept).hexdigest()
    client.force_login(reviewer)
    page = client.get(reverse("generated_report_detail", kwargs={"pk": report.pk}))
    assert "Chữ ký số Đã ký số: tệp PDF tải ở trên là bản đã ký" in text_of(page)
    download = client.get(reverse("generated_report_pdf", kwargs={"pk": report.pk}))
    assert b"".join(download.streaming_content) == kept


def test_a_report_built_with_signing_off_is_kept_unsigned_and_says_so(
    settings, report_pdf, client, reviewer, text_of
):
    settings.REPORT_SIGNING_PKCS12 = ""
    report = _build_standing_committee_report()
    with report.pdf.open("rb") as handle:
        kept = handle.read()

    assert not report.signed
    assert pdf_signature_check(kept, trust_roots=[]).signed is False
    client.force_login(reviewer)
    page = client.get(reverse("generated_report_detail", kwargs={"pk": report.pk}))
    assert "Chữ ký số Không ký số" in text_of(page)


def test_a_certificate_that_cannot_sign_leaves_the_report_unsigned(
    settings, signing_on, report_pdf
):
    settings.REPORT_SIGNING_PASSWORD = "sai-mat-khau"
    report = _build_standing_committee_report()

    assert report.state == report.State.DONE
    assert not report.signed
