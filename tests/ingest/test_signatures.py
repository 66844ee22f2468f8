"""Issue #13 (c): digital signatures read with pyHanko, on real signed
e-office PDFs (tests/data/pdf/) and on a PDF signed here with a CA made here
(to check the trust chain both ways)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from extractors.errors import PipelineError
from pipeline.ingest import signatures
from pipeline.ingest.load import load_bytes
from pipeline.ingest.signatures import load_trust_store, read_signatures, signature_meta

PDF = Path(__file__).parents[1] / "data" / "pdf"
CV507 = PDF / "05_quangngai-cv507-gop-y-du-thao-vtci.pdf"
KH144 = PDF / "10_hanoi-kh144-benh-an-dien-tu.pdf"


def _meta(data: bytes, **kw: object) -> dict[str, str]:
    return dict(signature_meta(read_signatures(data, source="x.pdf", **kw)))  # type: ignore[arg-type]


def test_signer_org_time_and_integrity_of_a_real_e_office_pdf() -> None:
    meta = _meta(CV507.read_bytes())
    # The signer's own signature first, then the province's (the number and day
    # widgets, one act of signing), then the Công báo portal's.
    assert meta["signature_count"] == "3"
    assert meta["signature_signer"] == "Phùng Tô Long"
    assert meta["signature_org"] == "VĂN PHÒNG, ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert meta["signature_time"] == "2025-01-24T15:06:22+07:00"
    assert meta["signature_intact"] == "yes"
    assert meta["signature_trust"] == "not_checked"
    assert meta["signature_2_org"] == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert meta["signature_2_time"] == "2025-01-24T16:47:02+07:00"
    # The portal's CMS signingTime says "20:01:14 GMT" for 20:01:14 local time;
    # the /M entry (inside the signed bytes) has the right offset.
    assert meta["signature_3_signer"] == "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"
    assert meta["signature_3_time"] == "2025-01-24T20:01:14+07:00"
    assert {meta[f"signature_{n}_intact"] for n in (2, 3)} == {"yes"}


def test_every_signature_of_a_multi_signature_pdf_in_signing_order() -> None:
    sigs = read_signatures(KH144.read_bytes(), source="kh144.pdf")
    assert len(sigs) == 7 and all(s.intact for s in sigs)
    assert [s.time for s in sigs] == sorted(s.time for s in sigs)
    assert sigs[1].signer == "Vũ Thu Hà"
    meta = dict(signature_meta(sigs))
    assert meta["signature_count"] == "4"  # number, day, month and seal: one signing
    assert meta["signature_4_signer"] == "VĂN PHÒNG ỦY BAN NHÂN DÂN"
    assert set(meta) == {"signature_count"} | {
        f"{p}_{k}" for p in ("signature", "signature_2", "signature_3", "signature_4")
        for k in ("org", "signer", "time", "intact", "trust")
    }


def _one_byte_changed(data: bytes) -> bytes:
    """The file with one byte inside every signature's signed range changed: a
    line break between two objects of the first revision becomes a space (the
    PDF stays readable, the offsets stay right)."""
    m = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", data)
    assert m
    first_end = int(m[1])
    at = data.index(b"endobj", 2000) + len(b"endobj")
    assert at < first_end and data[at : at + 1] in (b"\r", b"\n")
    return data[:at] + b" " + data[at + 1 :]


def test_a_copy_changed_by_one_byte_in_the_signed_range_is_not_intact() -> None:
    data = CV507.read_bytes()
    changed = _one_byte_changed(data)
    assert len(changed) == len(data) and changed != data
    doc = load_bytes(changed, name="cv507-changed.pdf")
    meta = dict(doc.meta)
    assert meta["signature_intact"] == "no"
    assert {meta[f"signature_{n}_intact"] for n in (2, 3)} == {"no"}
    assert "Số: 507/UBND-KGVX" in doc.text  # the text is still read
    assert dict(load_bytes(data, name="cv507.pdf").meta)["signature_intact"] == "yes"


def test_an_update_appended_after_signing_that_edits_a_page_is_not_intact() -> None:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = CV507.read_bytes()
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page = w.root["/Pages"]["/Kids"][0]
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 100 Td (x) Tj ET")
    page_obj = page.get_object()
    page_obj["/Contents"] = w.add_object(stream)
    w.update_container(page_obj)
    out = io.BytesIO()
    w.write(out)
    meta = _meta(out.getvalue())
    assert meta["signature_intact"] == "no"


def test_unsigned_pdf_has_no_signature_keys() -> None:
    pdf = Path("corpus/samples/cv4150-bnn.pdf").read_bytes()
    assert read_signatures(pdf, source="cv4150.pdf") == []
    assert not any(k.startswith("signature") for k, _ in load_bytes(pdf, name="a.pdf").meta)


# --------------------------------------------------------------------------
# The trust chain, with CA roots the user supplies
# --------------------------------------------------------------------------


def _ca(tmp: Path, name: str) -> tuple[object, object, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp / f"{name}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key, path


def _signed_pdf(tmp: Path, ca_cert: object, ca_key: object) -> bytes:
    """corpus/samples/cv4150-bnn.pdf signed with pyHanko by a person's certificate
    that the given CA issued."""
    import io

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "SỞ TÀI CHÍNH"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Lò Văn Hùng"),
        ]))
        .issuer_name(ca_cert.subject)  # type: ignore[attr-defined]
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=10))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                       critical=True)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    (tmp / "signer.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    (tmp / "signer.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(tmp / "signer.key"), str(tmp / "signer.pem"))
    assert signer is not None
    w = IncrementalPdfFileWriter(
        io.BytesIO(Path("corpus/samples/cv4150-bnn.pdf").read_bytes()), strict=False
    )
    # pyHanko signs in an event loop of its own: in a thread, in case this one runs one.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        out = pool.submit(
            signers.sign_pdf, w, signers.PdfSignatureMetadata(field_name="Signature1"),
            signer=signer,
        ).result()
    return out.getvalue()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path, Path]:
    tmp = tmp_path_factory.mktemp("ca")
    ca_cert, ca_key, ca_path = _ca(tmp, "Root CA vndoc test")
    _other, _k, other_path = _ca(tmp, "Some other root")
    return _signed_pdf(tmp, ca_cert, ca_key), ca_path, other_path


def test_trust_checked_against_the_supplied_root(signed: tuple[bytes, Path, Path]) -> None:
    data, ca_path, other_path = signed
    meta = _meta(data, trust=load_trust_store(str(ca_path)))
    assert meta["signature_trust"] == "checked"
    assert meta["signature_signer"] == "Lò Văn Hùng"
    assert meta["signature_org"] == "SỞ TÀI CHÍNH, ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"
    assert meta["signature_intact"] == "yes"
    signed_at = dt.datetime.fromisoformat(meta["signature_time"])
    assert abs(signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)
    assert _meta(data)["signature_trust"] == "not_checked"
    assert _meta(data, trust=load_trust_store(str(other_path)))["signature_trust"] == "failed"


def test_the_setting_reaches_the_loader(
    signed: tuple[bytes, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.settings import get_settings

    data, ca_path, other_path = signed
    try:
        monkeypatch.setenv("VNDOC_SIGNATURE_CA_ROOTS", f"{other_path.parent}")  # a folder of roots
        get_settings.cache_clear()
        assert dict(load_bytes(data, name="s.pdf").meta)["signature_trust"] == "checked"
        monkeypatch.setenv("VNDOC_SIGNATURE_CA_ROOTS", str(other_path))
        get_settings.cache_clear()
        assert dict(load_bytes(data, name="s.pdf").meta)["signature_trust"] == "failed"
        # A real e-office PDF against a root that did not issue its certificates.
        cv = load_bytes(CV507.read_bytes(), name="cv.pdf")
        assert dict(cv.meta)["signature_trust"] == "failed"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_trust_is_checked_while_an_event_loop_runs(signed: tuple[bytes, Path, Path]) -> None:
    """pyHanko runs its own event loop; a caller that runs one (a server, a test
    framework) still gets the chain checked."""
    import asyncio

    data, ca_path, _other = signed
    store = load_trust_store(str(ca_path))

    async def inside() -> dict[str, str]:
        return _meta(data, trust=store)

    # The loop runs in a thread of its own: this thread may run one already.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        meta = pool.submit(asyncio.run, inside()).result()
    assert meta["signature_trust"] == "checked"


def test_a_bad_trust_setting_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "roots.pem"
    bad.write_text("not a certificate")
    with pytest.raises(PipelineError, match="VNDOC_SIGNATURE_CA_ROOTS.*roots.pem"):
        load_trust_store(str(bad))
    with pytest.raises(PipelineError, match="does not exist"):
        load_trust_store(str(tmp_path / "missing.pem"))
    assert signatures.load_trust_store(" , ") is None


def test_signatures_reach_extraction_and_the_store(tmp_path: Path) -> None:
    from pipeline.ingest.run import process_file
    from pipeline.store.local import LocalStore

    doc = process_file(CV507)  # in a worker process, as a batch reads it
    assert doc.meta and dict(doc.meta)["signature_signer"] == "Phùng Tô Long"
    store = LocalStore(tmp_path / "d")
    try:
        store.put(doc)
        stored = store.get(doc.id)
        assert stored is not None
        assert stored.data["meta"]["signature_time"] == "2025-01-24T15:06:22+07:00"
        assert stored.data["meta"]["signature_intact"] == "yes"
    finally:
        store.close()
