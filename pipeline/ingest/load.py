"""Load files into :class:`RawDocument`: txt, md, html, pdf, docx, images (OCR).

Loaders are registered by format in one table, :data:`LOADERS`. The format
comes from the suffix, checked against the file's magic bytes
(a ".pdf" that is not a PDF is an error, not a guess); without a known
suffix the bytes are sniffed. Every failure is an
:class:`~pipeline.ingest.errors.IngestError` subclass that names the file and the
cause, so one bad file never stops a batch.

Work per file is bounded by :class:`~pipeline.ingest.limits.Limits` (pages,
pixels, unpacked bytes, XML size and depth, text length): a file over a limit
raises :class:`~pipeline.ingest.limits.LimitExceeded` naming it. Time and
memory are bounded by the worker process that runs :func:`load` for a batch
or an upload (:mod:`pipeline.ingest.worker`); called directly, :func:`load`
runs in the caller's process without a clock.

Scanned PDF pages (no text layer) and images (.png .jpg .jpeg .tif .tiff)
are read through OCR (:mod:`pipeline.ingest.ocr`), with a time budget of the
loader's plus ``VNDOC_OCR_PAGE_TIMEOUT_S`` per round of pages; without
Tesseract they fail with a message that says what to install. Text in legacy Vietnamese
encodings (TCVN3, VNI, VISCII, Windows-1258) is converted to Unicode
(:mod:`pipeline.ingest.legacy`).

A signed PDF's digital signatures are read with pyHanko
(:mod:`pipeline.ingest.signatures`) into the metadata: ``signature_count``,
``signature_org``, ``signature_signer``, ``signature_time``,
``signature_intact``, ``signature_trust`` and ``signature_N_...``.

See :mod:`pipeline.ingest.formats` for what each reader keeps and drops.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest import formats
from pipeline.ingest.errors import (
    EmptyDocument,
    FileTooLarge,
    IngestError,
    UnreadableDocx,
    UnreadablePdf,
    UnsupportedFormat,
)
from pipeline.ingest.limits import Limits
from pipeline.ingest.worker import phase

__all__ = [
    "LOADERS", "SUPPORTED_SUFFIXES", "Loader", "RawDocument", "iter_files", "load", "load_bytes",
]

DEFAULT_MAX_BYTES = Limits().max_file_bytes


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A file's decoded text, not yet cleaned, plus what the file states about itself."""

    source: str  # the path as given (or the upload's name)
    text: str  # decoded text, not yet cleaned
    format: str  # a key of LOADERS: "txt" | "md" | "html" | "pdf" | "docx" | "image"
    title: str | None = None
    published: str | None = None  # ISO date the page states (HTML date line, "date ..." marker)
    source_name: str | None = None  # what the news page's "Nguồn: ..." line names
    # ("encoding", "cp1258"), ("pages", "2"), ("ocr_pages", "3"),
    # ("ocr_confidence", "91.2,88.0,95.1") ...
    meta: tuple[tuple[str, str], ...] = ()


def _ocr_budget(timeout_s: float, pages: int) -> float:
    """Wall time allowed to OCR pages: the loader timeout plus each page's
    budget, pages running VNDOC_OCR_WORKERS at a time. Tesseract itself is
    killed at the per-page timeout, so this bounds CPU too."""
    from pipeline.ingest.ocr import settings

    cfg = settings()
    rounds = -(-max(1, pages) // cfg.workers)
    return timeout_s + cfg.page_timeout_s * rounds


def _frames(data: bytes) -> int:
    """Pages in an image (TIFFs can hold several); 1 when unsure."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            return int(getattr(img, "n_frames", 1))
    except Exception:  # noqa: BLE001 - the OCR step reports unreadable images
        return 1


def _sniff(data: bytes) -> str | None:
    """Guess the format from the bytes alone; None for unknown binary."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower():
        return "html"
    if probe.startswith(b"\xff\xfe") or probe.startswith(b"\xfe\xff") or b"\x00" not in head:
        return "txt"
    if formats._utf16_without_bom(data) is not None:
        return "txt"
    return None


def _format_for(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    fmt = _SUFFIX_FORMATS.get(suffix) or _sniff(data)
    if fmt is None:
        raise UnsupportedFormat(
            name,
            f"unknown format (suffix {suffix or 'none'!r}, binary content). "
            f"Supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}.",
        )
    return fmt


def _with_signatures(parts: formats.TextParts, data: bytes, name: str) -> formats.TextParts:
    """The PDF's digital signatures added to its metadata (signature_count,
    signature_org ...; :mod:`pipeline.ingest.signatures`)."""
    import dataclasses

    from pipeline.ingest import signatures

    if b"/ByteRange" not in data:  # unsigned: nothing to read
        return parts
    found = signatures.read_signatures(
        data, source=name, trust=signatures.trust_store_from_settings()
    )
    if not found:
        return parts
    return dataclasses.replace(parts, meta=parts.meta + signatures.signature_meta(found))


def _decode_errors(encoding: str) -> tuple[tuple[str, str], ...]:
    """("decode_errors", "N") when decoding replaced N invalid byte sequences."""
    import re

    m = re.search(r"\((\d+) invalid byte sequences? replaced\)", encoding)
    return (("decode_errors", m[1]),) if m else ()


# -- the loaders, one per format ----------------------------------------------


def _read_pdf(data: bytes, name: str, limits: Limits) -> formats.TextParts:
    if b"%PDF-" not in data[:1024]:
        raise UnreadablePdf(name, "not a PDF file (no %PDF header)")
    try:
        parts = formats.pdf_to_text(data, source=name, limits=limits)
    except formats.NeedsOcr as e:
        # Scanned pages: OCR gets the loader's timeout plus its per-page budget.
        parsed = e.parsed
        budget = _ocr_budget(limits.parse_timeout_s, len(parsed.blank))
        phase("OCR", budget, "ocr_page_timeout_s")
        parsed, ocr_meta = formats.ocr_pdf(data, parsed, source=name, limits=limits)
        parts = formats.pdf_text_parts(parsed, ocr_meta)
    return _with_signatures(parts, data, name)


def _read_image(data: bytes, name: str, limits: Limits) -> formats.TextParts:
    if _sniff(data) != "image":
        raise UnsupportedFormat(name, "not a PNG, JPEG or TIFF image")
    phase("OCR", _ocr_budget(limits.parse_timeout_s, _frames(data)), "ocr_page_timeout_s")
    return formats.image_to_text(data, source=name, limits=limits)


def _read_docx(data: bytes, name: str, limits: Limits) -> formats.TextParts:
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableDocx(name, "not a DOCX file (not a zip archive)")
    return formats.docx_to_text(data, source=name, limits=limits)


def _read_html(data: bytes, name: str, limits: Limits) -> formats.TextParts:
    return formats.html_to_text(data, source=name, limits=limits)


def _read_plain(data: bytes, name: str, *, markdown: bool) -> formats.TextParts:
    text, encoding = formats.decode_text(data, source=name)
    parts = formats.plain_text(text, markdown=markdown)
    return formats.TextParts(
        parts.text,
        title=parts.title,
        published=parts.published,
        source_name=parts.source_name,
        meta=(("encoding", encoding),) + _decode_errors(encoding),
    )


def _read_txt(data: bytes, name: str, limits: Limits) -> formats.TextParts:
    return _read_plain(data, name, markdown=False)


def _read_md(data: bytes, name: str, limits: Limits) -> formats.TextParts:
    return _read_plain(data, name, markdown=True)


@dataclass(frozen=True, slots=True)
class Loader:
    """How one format is read: the suffixes that name it, and its reader.

    ``read(data, name, limits)`` checks the bytes really are the format and
    returns the text with what the file says about itself.
    """

    suffixes: tuple[str, ...]
    read: Callable[[bytes, str, Limits], formats.TextParts]


# Every format vndoc reads, by the name RawDocument.format gives it. A new format is
# one row here (the suffix table and SUPPORTED_SUFFIXES follow from it).
LOADERS: dict[str, Loader] = {
    "txt": Loader((".txt", ".text"), _read_txt),
    "md": Loader((".md", ".markdown"), _read_md),
    "html": Loader((".html", ".htm", ".xhtml"), _read_html),
    "pdf": Loader((".pdf",), _read_pdf),
    "docx": Loader((".docx",), _read_docx),
    # Scans: read through OCR (pipeline.ingest.ocr; needs tesseract-ocr and tesseract-ocr-vie).
    "image": Loader((".png", ".jpg", ".jpeg", ".tif", ".tiff"), _read_image),
}
_SUFFIX_FORMATS = {suffix: fmt for fmt, loader in LOADERS.items() for suffix in loader.suffixes}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_SUFFIX_FORMATS)


def load_bytes(
    data: bytes,
    *,
    name: str,
    max_bytes: int | None = None,
    limits: Limits | None = None,
) -> RawDocument:
    """Load an upload's bytes; the format comes from name's suffix, then sniffing.

    ``max_bytes`` overrides ``limits.max_file_bytes`` (uploads have their own).

    Example:
        >>> load_bytes("Kính gửi: Sở Tài chính".encode(), name="cv.txt").text
        'Kính gửi: Sở Tài chính'
    """
    limits = limits or Limits()
    max_bytes = limits.max_file_bytes if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise FileTooLarge(name, f"{len(data)} bytes is over the {max_bytes}-byte limit")
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    fmt = _format_for(name, data)
    parts = LOADERS[fmt].read(data, name, limits)
    if not parts.text.strip():
        raise EmptyDocument(name, f"no text in this {fmt} file")
    if len(parts.text) > limits.max_text_chars:
        raise limits.refuse(
            name, f"{len(parts.text)} characters of text", "max_text_chars", "characters",
            "Split the file, or raise the limit.",
        )
    return RawDocument(
        source=name,
        text=parts.text,
        format=fmt,
        title=parts.title,
        published=parts.published,
        source_name=parts.source_name,
        meta=parts.meta,
    )


def load(
    path: str | Path, *, max_bytes: int | None = None, limits: Limits | None = None
) -> RawDocument:
    """Load one file; the size is checked before anything is read.

    Example:
        >>> doc = load("corpus/samples/cv846-laichau.html")
        >>> doc.format, doc.published, doc.source_name
        ('html', '2019-05-22', 'Cổng thông tin điện tử tỉnh Lai Châu')
    """
    limits = limits or Limits()
    max_bytes = limits.max_file_bytes if max_bytes is None else max_bytes
    source = str(path)
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as e:
        raise IngestError(source, "no such file") from e
    except OSError as e:
        raise IngestError(source, f"can't access the file ({e.strerror or e})") from e
    if not p.is_file():
        raise UnsupportedFormat(source, "not a regular file (a folder? use iter_files)")
    if st.st_size > max_bytes:
        raise FileTooLarge(source, f"{st.st_size} bytes is over the {max_bytes}-byte limit")
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may grow after stat
    except OSError as e:
        raise IngestError(source, f"can't read the file ({e.strerror or e})") from e
    return load_bytes(data, name=source, max_bytes=max_bytes, limits=limits)


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))  # dotfiles and Office lock files


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to load: the files given, and supported files under the folders given.

    Folders are walked recursively in sorted order, skipping hidden entries;
    a folder reached twice (symlink loop or overlap) is walked once, and a
    file is yielded once. Files named explicitly are yielded whatever their
    suffix, so :func:`load` reports what is wrong with them instead of the
    batch silently ignoring them; missing paths are yielded for the same reason.

    Example:
        >>> [p.name for p in iter_files(["corpus/samples"])][:2]
        ['cv11413-thuathienhue-cp1258.txt', 'cv4150-bnn.pdf']
    """
    seen_dirs: set[Path] = set()
    seen_files: set[Path] = set()

    def once(p: Path) -> bool:
        try:
            key = p.resolve()
        except (OSError, RuntimeError):  # a symlink loop: report it, once
            key = p.absolute()
        if key in seen_files:
            return False
        seen_files.add(key)
        return True

    def entries(folder: Path) -> Iterator[os.DirEntry[str]]:
        key = folder.resolve()
        if key in seen_dirs:
            return iter(())
        seen_dirs.add(key)
        try:
            with os.scandir(folder) as it:
                found = [e for e in it if not _hidden(e.name)]
        except OSError:
            return iter(())  # unreadable folder: nothing to yield from it
        return iter(sorted(found, key=lambda e: e.name))

    for given in paths:
        root = Path(given)
        if not root.is_dir():
            if once(root):
                yield root
            continue
        # Depth-first over sorted entries, with an explicit stack (no recursion limit).
        stack = [(root, entries(root))]
        while stack:
            folder, it = stack[-1]
            entry = next(it, None)
            if entry is None:
                stack.pop()
                continue
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                # A link that loops (x.txt -> y.txt -> x.txt): yield it, so
                # load() reports it by name instead of the batch dropping it.
                if Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES:
                    yield path
                continue
            if is_dir:
                stack.append((path, entries(path)))
            elif Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES and once(path):
                yield path
