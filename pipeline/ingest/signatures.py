"""Digital signatures of a PDF, read with pyHanko.

Official PDFs from e-office systems carry several ``/Sig`` signatures: the
signer's own, the issuing body's (which also stamps the number and the day
into the header), and a publication portal's. For each one this module reads,
with pyHanko (made for PDF signatures, so byte ranges, CMS structures and
incremental updates are handled as the standard says):

* the certificate holder (CN) and the organisation (OU, O, or the holder
  itself for an organisation's certificate);
* the signing time: the ``/M`` entry of the signature dictionary, which is
  inside the signed bytes and carries the signer's offset (the Công báo
  systems write local time labelled GMT in the CMS ``signingTime``, seven
  hours off), else the CMS ``signingTime``;
* whether the signed bytes are intact: the digest of the byte range matches
  the signed one, the signature over it verifies with the certificate's key,
  and the updates appended after signing (later signatures, form fields) are
  ones the signature allows (pyHanko's difference analysis);
* whether the certificate chains to a root the user trusts
  (``VNDOC_SIGNATURE_CA_ROOTS``: PEM or DER files, or folders of them, with
  the roots and any intermediate CAs): "checked" when it does, "failed" when it
  does not, "not_checked" without roots. The chain is checked as at the
  signing time, offline (no revocation lists or OCSP are fetched).

:func:`signature_meta` turns them into the loader's metadata (string pairs):
``signature_count``, then ``signature_org``, ``signature_signer``,
``signature_time``, ``signature_intact`` ("yes" | "no") and
``signature_trust`` for the first signature made, and the same keys numbered
``signature_2_org`` ... for the others, in signing order. Signatures by one
certificate at one time (the number, day and seal widgets an e-office system
signs at once) are reported once.

Example:
    >>> data = open("tests/data/pdf/05_quangngai-cv507-gop-y-du-thao-vtci.pdf", "rb").read()
    >>> meta = dict(signature_meta(read_signatures(data, source="cv507.pdf")))
    >>> meta["signature_signer"], meta["signature_time"], meta["signature_intact"]
    ('Phùng Tô Long', '2025-01-24T15:06:22+07:00', 'yes')
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA key type, which warns that DSA is deprecated.
    warnings.simplefilter("ignore")
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import generic_cms, validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

from extractors.errors import PipelineError
from extractors.textnorm import normalize

__all__ = ["Signature", "TrustStore", "load_trust_store", "read_signatures", "signature_meta"]

log = logging.getLogger(__name__)

TRUST_CHECKED = "checked"
TRUST_NOT_CHECKED = "not_checked"
TRUST_FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Signature:
    """One digital signature of a PDF, as the certificate and the bytes show it."""

    field: str  # the signature field's name, e.g. "Signature1"
    signer: str  # the certificate holder (CN): a person, or the body itself
    org: str  # the organisation the holder belongs to ("VĂN PHÒNG, ỦY BAN NHÂN DÂN ...")
    time: str  # ISO 8601 with offset, "" when the signature states none
    intact: bool  # signed bytes unchanged, signature verifies, later updates allowed
    trust: str  # "checked" | "not_checked" | "failed"
    cert_sha256: str = ""  # the signer certificate's fingerprint (groups repeats)


@dataclass(frozen=True, slots=True)
class TrustStore:
    """CA certificates the user trusts (self-signed roots) and intermediates."""

    roots: tuple[Any, ...] = ()
    intermediates: tuple[Any, ...] = ()


# --------------------------------------------------------------------------
# Trust roots
# --------------------------------------------------------------------------

_PEM_CERT = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.S
)


def _certs_in(data: bytes, name: str) -> list[Any]:
    import base64

    from asn1crypto import x509

    blobs = [base64.b64decode(b"".join(m[1].split())) for m in _PEM_CERT.finditer(data)]
    if not blobs and not data.lstrip().startswith(b"-----"):
        blobs = [data]  # DER
    out = []
    for blob in blobs:
        try:
            cert = x509.Certificate.load(blob)
            cert.native  # parse now, so a bad file is named here  # noqa: B018
        except (ValueError, TypeError) as e:
            raise PipelineError(
                f"E120: VNDOC_SIGNATURE_CA_ROOTS: {name} is not a PEM or DER certificate "
                f"({e}). Give CA certificate files (.pem, .crt, .cer, .der) or folders of them."
            ) from e
        out.append(cert)
    return out


def load_trust_store(spec: str) -> TrustStore | None:
    """The CA certificates named by ``VNDOC_SIGNATURE_CA_ROOTS``: files or
    folders, separated by commas or the path separator; None when empty.

    Self-signed certificates are the trust roots; the others are intermediate
    CAs used to build the chain.

    Example:
        >>> load_trust_store("") is None
        True
    """
    import os

    parts = [p.strip() for p in re.split(rf"[,{re.escape(os.pathsep)}]", spec) if p.strip()]
    if not parts:
        return None
    roots: list[Any] = []
    others: list[Any] = []
    for part in parts:
        path = Path(part).expanduser()
        if path.is_dir():
            files = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in (".pem", ".crt", ".cer", ".der")
            )
        elif path.is_file():
            files = [path]
        else:
            raise PipelineError(
                f"E120: VNDOC_SIGNATURE_CA_ROOTS: {path} does not exist. Give CA certificate "
                "files (.pem, .crt, .cer, .der) or folders of them, separated by commas."
            )
        for f in files:
            for cert in _certs_in(f.read_bytes(), str(f)):
                (roots if cert.self_signed else others).append(cert)
    if not roots:
        raise PipelineError(
            f"E120: VNDOC_SIGNATURE_CA_ROOTS ({spec}) holds no root certificate (a self-signed "
            "CA). Add the root CA's certificate, e.g. the government root CA."
        )
    return TrustStore(tuple(roots), tuple(others))


def trust_store_from_settings() -> TrustStore | None:
    """The trust store of the ``VNDOC_SIGNATURE_CA_ROOTS`` setting (the one settings object)."""
    from pipeline.settings import get_settings

    return load_trust_store(get_settings().signature_ca_roots)


# --------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------

# First words of a body's name; a holder name that starts otherwise, in title
# case ("Nguyễn Phước Bình"), is a person.
_BODY_HEADS = frozenset(
    "ủy uỷ văn sở bộ cục ban trung cổng chi tổng viện công ngân hội phòng trường bệnh "
    "đài báo kho tòa toà viện hđnd ubnd đoàn liên quỹ tập nhà thanh kiểm tỉnh thành "
    "huyện quận xã phường thị chính quốc".split()
)


def _is_person(name: str) -> bool:
    """True for a person's name: 2-6 title-case words, not a body's name.

    Example:
        >>> _is_person("Nguyễn Phước Bình"), _is_person("Ủy ban nhân dân tỉnh Quảng Ngãi")
        (True, False)
        >>> _is_person("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC")
        False
    """
    words = name.split()
    if not 2 <= len(words) <= 6 or any(not w[:1].isupper() or not w.isalpha() for w in words):
        return False
    if any(len(w) > 1 and w[1:].upper() == w[1:] for w in words):
        return False  # an upper-case name is a body's ("CỤC THUẾ")
    return words[0].lower() not in _BODY_HEADS


def _subject(cert: Any) -> dict[str, str]:
    out = {}
    for key, value in cert.subject.native.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out[key] = normalize(" ".join(str(value).split()))
    return out


def _holder(cert: Any) -> tuple[str, str]:
    """(holder name, organisation) from the certificate's subject."""
    subject = _subject(cert)
    cn = subject.get("common_name", "")
    parts = [subject.get("organizational_unit_name", ""), subject.get("organization_name", "")]
    if not _is_person(cn):
        parts.insert(0, cn)
    org: list[str] = []
    for part in parts:
        # "Ủy ban nhân dân tỉnh Quảng Ngãi" already says "Tỉnh Quảng Ngãi".
        if part and not any(part.casefold() in seen.casefold() for seen in org):
            org.append(part)
    return cn, ", ".join(org)


# --------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------


def _signing_time(sig: Any) -> datetime | None:
    from pyhanko.pdf_utils import generic

    raw = sig.sig_object.get("/M")
    if raw is not None:
        try:
            return generic.parse_pdf_date(str(raw), strict=False)
        except (ValueError, TypeError, generic.PdfReadError):
            pass
    try:
        return generic_cms.extract_self_reported_ts(sig.signer_info)
    except (ValueError, KeyError, TypeError):
        return None


# pyHanko's and asn1crypto's errors: ValueError subclasses, or PdfError.
_BROKEN: tuple[type[BaseException], ...] = (
    ValueError, KeyError, TypeError, IndexError, NotImplementedError, PdfError,
)


def _bytes_ok(sig: Any) -> tuple[bool, bool]:
    """(the digest of the signed bytes matches and the signature over it
    verifies, something was appended after the signed revision)."""
    try:
        sig.compute_integrity_info(skip_diff=True)
        content_type = sig.signed_data["encap_content_info"]["content_type"].native
        digest_ok, signature_ok = generic_cms.validate_sig_integrity(
            sig.signer_info, sig.signer_cert, expected_content_type=content_type,
            actual_digest=sig.compute_digest(),
        )
    except _BROKEN as e:  # a structure pyHanko can't follow: not intact
        log.info("signature %s: integrity check failed: %s", sig.field_name, e)
        return False, False
    return bool(digest_ok and signature_ok), sig.coverage != SignatureCoverageLevel.ENTIRE_FILE


def _updates_ok(sig: Any) -> bool:
    """The updates appended after this signature (later signatures, form
    fields) are ones it allows; an edited page is not (pyHanko's difference
    analysis)."""
    try:
        sig.compute_integrity_info()
        ok = sig.summarise_integrity_info().get("docmdp_ok")
    except _BROKEN as e:  # a revision pyHanko can't compare
        log.info("signature %s: difference analysis failed: %s", sig.field_name, e)
        return False
    return ok is not False


def _intact_all(embedded: Sequence[Any]) -> list[bool]:
    """Each signature's integrity. The difference analysis is the costly part:
    it runs once, for the earliest signature followed by updates, whose updates
    include every later one's; only when that fails is each one analysed."""
    checks = [_bytes_ok(sig) for sig in embedded]
    followed = [i for i, (ok, appended) in enumerate(checks) if ok and appended]
    if not followed:
        return [ok for ok, _ in checks]
    if _updates_ok(embedded[followed[0]]):
        return [ok for ok, _ in checks]
    out = [ok for ok, _ in checks]
    out[followed[0]] = False
    for i in followed[1:]:
        out[i] = _updates_ok(embedded[i])
    return out


def _outside_loop(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a pyHanko function that runs its own event loop (``asyncio.run``):
    here, or in a thread of its own when this thread already runs a loop (a
    server or a test framework), where ``asyncio.run`` refuses to start."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _trust(sig: Any, store: TrustStore | None, moment: datetime | None) -> str:
    if store is None:
        return TRUST_NOT_CHECKED
    from pyhanko_certvalidator import ValidationContext

    try:
        vc = ValidationContext(
            trust_roots=list(store.roots), other_certs=list(store.intermediates),
            allow_fetching=False, moment=moment, revocation_mode="soft-fail",
        )
        status = _outside_loop(validate_pdf_signature, sig, vc, skip_diff=True)
    except _BROKEN as e:  # a chain that can't be built is not trusted
        log.info("signature %s: trust check failed: %s", sig.field_name, e)
        return TRUST_FAILED
    return TRUST_CHECKED if status.trusted else TRUST_FAILED


def read_signatures(
    data: bytes, *, source: str, trust: TrustStore | None = None
) -> list[Signature]:
    """The PDF's digital signatures, in signing order; [] for an unsigned PDF.

    A PDF pyHanko cannot open gives []; a signature it cannot parse is
    reported as not intact. ``trust`` holds the CA roots to check chains
    against (None: "not_checked").
    """
    if b"/ByteRange" not in data:  # no signature dictionary: skip parsing
        return []
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as e:  # noqa: BLE001 - the text readers report a broken file
        log.info("%s: signatures not read: %s", source, e)
        return []
    out = []
    intact_all = _intact_all(embedded)
    for sig, intact in zip(embedded, intact_all, strict=True):
        try:
            cert = sig.signer_cert
            signer, org = _holder(cert)
            fingerprint = hashlib.sha256(cert.dump()).hexdigest()
        except _BROKEN as e:  # an unparsable CMS blob
            log.info("%s: signature %s unreadable: %s", source, sig.field_name, e)
            out.append(Signature(str(sig.field_name), "", "", "", False, TRUST_FAILED))
            continue
        when = _signing_time(sig)
        trust_result = _trust(sig, trust, when) if intact else (
            TRUST_NOT_CHECKED if trust is None else TRUST_FAILED
        )
        out.append(Signature(
            field=str(sig.field_name), signer=signer, org=org,
            time=when.isoformat() if when else "", intact=intact, trust=trust_result,
            cert_sha256=fingerprint,
        ))
    return out


def signature_meta(signatures: Sequence[Signature]) -> tuple[tuple[str, str], ...]:
    """Loader metadata for the signatures: ``signature_count``, the first
    signature's ``signature_org`` / ``_signer`` / ``_time`` / ``_intact`` /
    ``_trust``, and ``signature_N_...`` for the N-th (N >= 2); repeats of one
    certificate at one time are reported once.

    Example:
        >>> sig = Signature("Signature1", "Nguyễn Văn A", "Sở Tài chính",
        ...                 "2025-01-08T17:30:49+07:00", True, "not_checked")
        >>> dict(signature_meta([sig, sig]))["signature_count"]
        '1'
    """
    seen: set[tuple[str, str, bool, str]] = set()
    unique = []
    for s in signatures:
        key = (s.cert_sha256 or s.field, s.time, s.intact, s.trust)
        if key in seen:
            continue
        seen.add(key)
        unique.append(s)
    if not unique:
        return ()
    meta: list[tuple[str, str]] = [("signature_count", str(len(unique)))]
    for n, s in enumerate(unique, 1):
        prefix = "signature" if n == 1 else f"signature_{n}"
        meta += [
            (f"{prefix}_org", s.org),
            (f"{prefix}_signer", s.signer),
            (f"{prefix}_time", s.time),
            (f"{prefix}_intact", "yes" if s.intact else "no"),
            (f"{prefix}_trust", s.trust),
        ]
    return tuple(meta)
