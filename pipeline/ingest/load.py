"""Load files into :class:`RawDocument`: txt, md, html, pdf, docx.

The format comes from the suffix, checked against the file's magic bytes
(a ".pdf" that is not a PDF is an error, not a guess); without a known
suffix the bytes are sniffed. Every failure is an
:class:`~extractors.errors.IngestError` subclass that names the file and the
cause, so one bad file never stops a batch.

PDF and DOCX parsing runs in a daemon worker thread joined with a timeout.
A thread can't be killed: on timeout the caller gets
:class:`~extractors.errors.LoaderTimeout` at once while the stuck parse
finishes (or not) in the background. That bounds the batch's wall time, not
its CPU; run untrusted uploads in a separate process if that matters.

Scanned PDF pages (no text layer) and images (.png .jpg .jpeg .tif .tiff)
are read through OCR (:mod:`pipeline.ingest.ocr`), with a timeout of the loader's
plus ``VNDOC_OCR_PAGE_TIMEOUT_S`` per round of pages; without Tesseract they
fail with a message that says what to install. Text in legacy Vietnamese
encodings (TCVN3, VNI, VISCII, Windows-1258) is converted to Unicode
(:mod:`pipeline.ingest.legacy`).

See :mod:`pipeline.ingest.formats` for what each reader keeps and drops.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from extractors.errors import (
    EmptyDocument,
    FileTooLarge,
    IngestError,
    LoaderTimeout,
    UnreadableDocx,
    UnreadablePdf,
    UnsupportedFormat,
)
from pipeline.ingest import formats

__all__ = ["SUPPORTED_SUFFIXES", "RawDocument", "iter_files", "load", "load_bytes"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT_S = 60.0

_SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    # Scans: read through OCR (pipeline.ingest.ocr; needs tesseract-ocr and tesseract-ocr-vie).
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_SUFFIX_FORMATS)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A file's decoded text, not yet cleaned, plus what the file states about itself."""

    source: str  # the path as given (or the upload's name)
    text: str  # decoded text, not yet cleaned
    format: str  # "txt" | "md" | "html" | "pdf" | "docx" | "image"
    title: str | None = None
    published: str | None = None  # ISO date the page states (HTML date line, "date ..." marker)
    source_name: str | None = None  # what the news page's "Nguồn: ..." line names
    # ("encoding", "cp1258"), ("pages", "2"), ("ocr_pages", "3"),
    # ("ocr_confidence", "91.2,88.0,95.1") ...
    meta: tuple[tuple[str, str], ...] = ()


def _run_with_timeout(fn: Callable[[], T], *, timeout_s: float, source: str) -> T:
    """Run fn in a daemon thread; raise LoaderTimeout if it outlives timeout_s."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            error.append(e)

    worker = threading.Thread(target=target, name=f"vndoc-load:{source}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise LoaderTimeout(
            source, f"parsing took longer than {timeout_s:g}s. Raise the timeout or split the file."
        )
    if error:
        raise error[0]
    return result[0]


def _ocr_timeout(timeout_s: float, pages: int) -> float:
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


def load_bytes(
    data: bytes,
    *,
    name: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> RawDocument:
    """Load an upload's bytes; the format comes from name's suffix, then sniffing.

    Example:
        >>> load_bytes("Kính gửi: Sở Tài chính".encode(), name="cv.txt").text
        'Kính gửi: Sở Tài chính'
    """
    if len(data) > max_bytes:
        raise FileTooLarge(name, f"{len(data)} bytes is over the {max_bytes}-byte limit")
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    fmt = _format_for(name, data)
    if fmt == "pdf":
        if b"%PDF-" not in data[:1024]:
            raise UnreadablePdf(name, "not a PDF file (no %PDF header)")
        try:
            parts = _run_with_timeout(
                lambda: formats.pdf_to_text(data, source=name), timeout_s=timeout_s, source=name
            )
        except formats.NeedsOcr as e:
            # Scanned pages: OCR gets the loader's timeout plus its per-page budget.
            parsed = e.parsed
            parsed, ocr_meta = _run_with_timeout(
                lambda: formats.ocr_pdf(data, parsed, source=name),
                timeout_s=_ocr_timeout(timeout_s, len(parsed.blank)),
                source=name,
            )
            parts = formats.pdf_text_parts(parsed, ocr_meta)
    elif fmt == "image":
        if _sniff(data) != "image":
            raise UnsupportedFormat(name, "not a PNG, JPEG or TIFF image")
        parts = _run_with_timeout(
            lambda: formats.image_to_text(data, source=name),
            timeout_s=_ocr_timeout(timeout_s, _frames(data)),
            source=name,
        )
    elif fmt == "docx":
        if not data.startswith(b"PK\x03\x04"):
            raise UnreadableDocx(name, "not a DOCX file (not a zip archive)")
        parts = _run_with_timeout(
            lambda: formats.docx_to_text(data, source=name), timeout_s=timeout_s, source=name
        )
    elif fmt == "html":
        parts = _run_with_timeout(
            lambda: formats.html_to_text(data, source=name), timeout_s=timeout_s, source=name
        )
    else:
        text, encoding = formats.decode_text(data, source=name)
        parts = formats.plain_text(text, markdown=fmt == "md")
        parts = formats.TextParts(
            parts.text,
            title=parts.title,
            published=parts.published,
            source_name=parts.source_name,
            meta=(("encoding", encoding),),
        )
    if not parts.text.strip():
        raise EmptyDocument(name, f"no text in this {fmt} file")
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
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> RawDocument:
    """Load one file; the size is checked before anything is read.

    Example:
        >>> doc = load("corpus/samples/cv846-laichau.html")
        >>> doc.format, doc.published, doc.source_name
        ('html', '2019-05-22', 'Cổng thông tin điện tử tỉnh Lai Châu')
    """
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
    return load_bytes(data, name=source, max_bytes=max_bytes, timeout_s=timeout_s)


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
