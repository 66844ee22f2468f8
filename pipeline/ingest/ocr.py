"""OCR for scanned PDF pages and images (PNG, JPEG, TIFF): Tesseract with its Vietnamese model.

Tesseract comes from Debian (``apt-get install tesseract-ocr tesseract-ocr-vie``)
and is called through pytesseract, which runs the ``tesseract`` program: each
page is its own process, so pages OCR in parallel on a thread pool
(``VNDOC_OCR_WORKERS``), and a page that hangs is killed at its timeout
(unlike a parser thread, which can only be abandoned).

Per page: grayscale; orientation (Tesseract's OSD, asked only when the first
reading is poor, so upright pages cost one run); deskew by projection
profile (the angle in ±5° whose row profile of ink is sharpest, Pillow
only); one Tesseract run whose TSV gives both the words and their
confidences; then the lines. Across pages, running headers and footers go
as for text PDFs (:func:`pipeline.ingest.formats.strip_running_lines`). Finally a
Vietnamese cleanup (:func:`correct_text`) fixes the diacritic confusions
OCR makes (ỏ/ở, ẹ/ệ, d/đ ...) where the word read is not a Vietnamese
syllable and exactly one nearby reading is.

What a caller gets back is :class:`OcrResult`: the text and the metadata
kept on the document (``ocr_pages``, ``ocr_confidence`` per page, ``ocr_lang``,
``ocr_engine``).

Settings (environment): ``VNDOC_OCR_WORKERS`` (default 1), ``VNDOC_OCR_LANG``
(default ``vie``), ``VNDOC_OCR_DPI`` (rasterizing PDFs, default 300),
``VNDOC_OCR_PAGE_TIMEOUT_S`` (default 120).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from extractors.errors import IngestError, OcrUnavailable, PipelineError
from extractors.textnorm import normalize
from pipeline.ingest.limits import MIN_OCR_DPI, Limits

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = [
    "OcrPage",
    "OcrResult",
    "OcrUnavailable",
    "correct_text",
    "correct_word",
    "deskew_angle",
    "image_to_pages",
    "ocr_images",
    "rasterize_pdf",
    "settings",
    "unavailable_reason",
]

IMAGE_FORMATS = ("png", "jpeg", "tiff")


@dataclass(frozen=True, slots=True)
class OcrSettings:
    workers: int = 1
    lang: str = "vie"
    dpi: int = 300
    page_timeout_s: float = 120.0


def settings() -> OcrSettings:
    """OCR settings from the one settings object (``VNDOC_OCR_*``), read each call.

    Example:
        >>> settings().lang
        'vie'
    """
    from pydantic import ValidationError

    from pipeline.settings import Settings

    try:
        s = Settings()
    except ValidationError as e:
        bad = ", ".join(f"VNDOC_{str(err['loc'][0]).upper()}" for err in e.errors())
        raise PipelineError(f"invalid setting {bad}: {e.errors()[0]['msg']}") from e
    return OcrSettings(
        workers=min(max(s.ocr_workers, 1), 64),
        lang=s.ocr_lang.strip() or "vie",
        dpi=min(max(s.ocr_dpi, 72), 600),
        page_timeout_s=s.ocr_page_timeout_s,
    )


@cache
def _installed_langs(cmd: str) -> frozenset[str]:
    try:
        out = subprocess.run(
            [cmd, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = (out.stdout + out.stderr).splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and " " not in ln.strip())


def unavailable_reason(lang: str = "vie") -> str | None:
    """Why OCR can't run here, or None when it can.

    Example:
        >>> unavailable_reason("vie") in (None, unavailable_reason("vie"))
        True
    """
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return "the Python package pytesseract is not installed (pip install pytesseract)"
    cmd = shutil.which("tesseract")
    if cmd is None:
        return (
            "the tesseract program is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-vie)"
        )
    have = _installed_langs(cmd)
    missing = [part for part in lang.split("+") if part not in have]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m}" for m in missing)
        return (
            f"Tesseract's language model {'+'.join(missing)!r} is missing (apt-get install {pkgs})"
        )
    return None


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------


def image_to_pages(
    data: bytes, *, source: str, limits: Limits | None = None
) -> list[PILImage.Image]:
    """The pages of an image file (every frame of a multi-page TIFF), grayscale.

    Frames beyond ``limits.max_ocr_pages`` are refused; a frame over
    ``limits.max_page_pixels`` is scaled down to fit, and refused when that
    would halve it or more (its text would be too small to read).

    Example:
        >>> image_to_pages(b"not an image", source="a.png")
        Traceback (most recent call last):
        ...
        extractors.errors.IngestError: E100: Can't read a.png: not a readable image (...)
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    limits = limits or Limits()
    try:
        img = Image.open(io.BytesIO(data))
        frames = getattr(img, "n_frames", 1)
        if frames > limits.max_ocr_pages:
            raise limits.refuse(source, f"{frames} pages to OCR", "max_ocr_pages", "pages",
                                "Split the file, or raise the limit.")
        pages = []
        for i in range(frames):
            img.seek(i)
            w, h = img.size
            scale = 1.0
            if w * h > limits.max_page_pixels:
                scale = (limits.max_page_pixels / (w * h)) ** 0.5
                if scale < 0.5:
                    raise limits.refuse(
                        source, f"page {i + 1} is {w}×{h} pixels", "max_page_pixels", "pixels",
                        "Scan at 300 DPI, or raise the limit.",
                    )
                img.draft("L", (int(w * scale), int(h * scale)))  # JPEG decodes smaller
            frame = ImageOps.exif_transpose(img) or img  # a phone photo's stored rotation
            frame = _gray(frame)
            if frame.width * frame.height > limits.max_page_pixels:
                frame = frame.resize((int(frame.width * scale), int(frame.height * scale)))
            pages.append(frame)
    except Image.DecompressionBombError as e:
        raise IngestError(source, f"image too large to OCR safely ({e})") from e
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as e:
        raise IngestError(source, f"not a readable image ({type(e).__name__}: {e})") from e
    return pages


def _gray(img: PILImage.Image) -> PILImage.Image:
    from PIL import Image

    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, img)
    return img.convert("L")


def page_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> int:
    """The DPI to draw a page at: ``dpi``, or lower so it fits ``max_pixels``.

    Example:
        >>> page_dpi(595, 842, 300, 40_000_000), page_dpi(14400, 14400, 300, 40_000_000)
        (300, 31)
    """
    area_in2 = max(width_pt, 1.0) * max(height_pt, 1.0) / (72 * 72)
    fit = int((max_pixels / area_in2) ** 0.5)
    return max(1, min(dpi, fit))


def rasterize_pdf(
    data: bytes, indexes: Sequence[int], *, dpi: int, source: str, limits: Limits | None = None
) -> list[PILImage.Image]:
    """Rasterize the given pages (0-based) of a PDF with pypdfium2, grayscale.

    A page larger than ``limits.max_page_pixels`` at ``dpi`` is drawn at a
    lower DPI, and refused when that would be under ``MIN_OCR_DPI``.
    """
    import pypdfium2 as pdfium

    limits = limits or Limits()
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # noqa: BLE001 - pdfium's errors vary by version
        raise IngestError(source, f"can't rasterize the PDF for OCR ({e})") from e
    try:
        out = []
        for i in indexes:
            page = pdf[i]
            try:
                w, h = page.get_size()
                use = page_dpi(w, h, dpi, limits.max_page_pixels)
                if use < MIN_OCR_DPI:
                    raise limits.refuse(
                        source,
                        f"page {i + 1} is {w / 72:.0f}×{h / 72:.0f} inches, which fits the pixel "
                        f"limit only at {use} DPI (OCR needs {MIN_OCR_DPI})",
                        "max_page_pixels", "pixels", "Raise the limit if the page is genuine.",
                    )
                bitmap = page.render(scale=use / 72, grayscale=True)
                out.append(_gray(bitmap.to_pil()))
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def ocr_pdf_pages(
    data: bytes, indexes: Sequence[int], *, dpi: int, source: str, limits: Limits | None = None
) -> list[OcrPage]:
    """OCR the given pages of a PDF, drawing only as many at a time as OCR runs
    at once (``VNDOC_OCR_WORKERS``), so memory does not grow with the page count."""
    cfg = settings()
    step = max(1, cfg.workers)
    out: list[OcrPage] = []
    for k in range(0, len(indexes), step):
        images = rasterize_pdf(data, indexes[k : k + step], dpi=dpi, source=source, limits=limits)
        out.extend(ocr_images(images, source=source))
        del images
    return out


# --------------------------------------------------------------------------
# Deskew and orientation
# --------------------------------------------------------------------------


def _profile_score(ink: PILImage.Image, angle: float) -> float:
    """Sharpness of the row profile of ink rotated by angle: sum of squared
    differences between adjacent rows (text lines give peaks and gaps)."""
    from PIL import Image

    rotated = ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
    rows = list(rotated.resize((1, rotated.height), Image.Resampling.BOX).tobytes())
    return float(sum((a - b) ** 2 for a, b in zip(rows, rows[1:], strict=False)))


def deskew_angle(img: PILImage.Image, *, max_angle: float = 5.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal.

    Coarse search in 0.5° steps, then 0.1° around the best.
    """
    small = img.copy()
    small.thumbnail((900, 900))
    ink = small.point(lambda v: 255 if v < 160 else 0)  # ink white on black
    if ink.getbbox() is None:
        return 0.0

    def best(candidates: list[float]) -> float:
        return max(candidates, key=lambda a: _profile_score(ink, a))

    steps = int(max_angle / 0.5)
    coarse = best([i * 0.5 for i in range(-steps, steps + 1)])
    fine = best([coarse + i * 0.1 for i in range(-4, 5)])
    return round(fine, 2)


def _rotate(img: PILImage.Image, angle: float) -> PILImage.Image:
    from PIL import Image

    if abs(angle) < 0.05:
        return img
    return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _osd_rotation(img: PILImage.Image, timeout_s: float) -> int:
    """Degrees to rotate the page counter-clockwise, from Tesseract's OSD (0 if unsure)."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(img, config="--psm 0", timeout=timeout_s)
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell
    m = re.search(r"Rotate:\s*(\d+)", osd)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", osd)
    if not m or (conf and float(conf[1]) < 1.0):
        return 0
    return int(m[1]) % 360


# --------------------------------------------------------------------------
# One page
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OcrPage:
    lines: tuple[str, ...]  # paragraphs, each unwrapped to one line
    confidence: float  # mean word confidence, 0-100 (0 when no words)
    words: int
    rotation: int = 0  # degrees applied from OSD
    skew: float = 0.0  # degrees of deskew applied


_SPECK_CHARS = frozenset(".,`'‘’-_~·:;")


def _tsv_lines(tsv: str) -> tuple[list[str], list[float]]:
    """Paragraphs (wrapped lines joined) and word confidences from Tesseract's TSV.

    A scanner speck read as a lone "." "-" "`" (narrower than a fifth of the
    text height) is dropped, and so is a lone character read
    with a confidence under 20: on a noisy scan these would otherwise become
    list markers ("- văn") or stray letters.
    """
    words: list[tuple[tuple[int, int, int], str, float, int, int, int]] = []
    heights: list[int] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
            left, width, height = int(cols[6]), int(cols[8]), int(cols[9])
            conf = float(cols[10])
        except ValueError:
            continue
        words.append((key, cols[11].strip(), conf, left, width, height))
        if len(cols[11].strip()) > 1:
            heights.append(height)
    heights.sort()
    h_med = heights[len(heights) // 2] if heights else 0
    lines: dict[tuple[int, int, int], list[str]] = {}
    rights: dict[tuple[int, int, int], int] = {}
    first_w: dict[tuple[int, int, int], int] = {}
    confs: list[float] = []
    for key, text, conf, left, width, _height in words:
        if len(text) == 1 and ((text in _SPECK_CHARS and width < 0.2 * h_med) or conf < 20):
            continue
        lines.setdefault(key, []).append(text)
        rights[key] = max(rights.get(key, 0), left + width)
        first_w.setdefault(key, width)
        if conf >= 0:
            confs.append(conf)
    # A line wraps into the next when the next line's first word would not
    # have fitted before the right margin; otherwise it ends its paragraph
    # (header lines, signature blocks, list items).
    ordered = sorted(lines)
    edges = sorted(rights.values())
    margin = edges[int(0.9 * (len(edges) - 1))] if edges else 0
    out: list[str] = []
    current: list[str] = []
    for i, key in enumerate(ordered):
        current.append(" ".join(lines[key]))
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        wraps = (
            nxt is not None
            and nxt[0] == key[0]  # same block (Tesseract splits paragraphs at specks)
            # slack for a slightly skewed page or a speck past the margin
            and rights[key] + 0.5 * h_med + first_w[nxt] >= margin - 2 * h_med
        )
        if not wraps:
            out.append(_unwrap("\n".join(current)))
            current = []
    if current:
        out.append(_unwrap("\n".join(current)))
    return out, confs


def _unwrap(text: str) -> str:
    """One paragraph's lines as one line: "Co-"/"vid" joined, other breaks a space."""
    from pipeline.ingest.formats import join_hyphens

    return join_hyphens(text).replace("\n", " ")


def _run(img: PILImage.Image, lang: str, timeout_s: float) -> tuple[list[str], list[float]]:
    import pytesseract

    tsv = pytesseract.image_to_data(img, lang=lang, config="--oem 1 --psm 3", timeout=timeout_s)
    return _tsv_lines(tsv)


def ocr_page(img: PILImage.Image, *, lang: str = "vie", timeout_s: float = 120.0) -> OcrPage:
    """OCR one grayscale page: deskew, read, and re-read rotated if OSD says so."""
    skew = deskew_angle(img)
    page = _rotate(img, skew)
    lines, confs = _run(page, lang, timeout_s)
    mean = sum(confs) / len(confs) if confs else 0.0
    rotation = 0
    if mean < 60 or len(confs) < 5:
        rotation = _osd_rotation(page, timeout_s)
        if rotation:
            turned = page.rotate(-rotation, expand=True, fillcolor=255)
            lines2, confs2 = _run(turned, lang, timeout_s)
            mean2 = sum(confs2) / len(confs2) if confs2 else 0.0
            if mean2 > mean:
                lines, confs, mean = lines2, confs2, mean2
            else:
                rotation = 0
    lines = [unicodedata.normalize("NFC", ln) for ln in lines if ln.strip()]
    return OcrPage(tuple(lines), round(mean, 1), len(confs), rotation, skew)


@dataclass(frozen=True, slots=True)
class OcrResult:
    pages: tuple[OcrPage, ...]
    text: str

    def meta(self, lang: str) -> tuple[tuple[str, str], ...]:
        confs = ",".join(f"{p.confidence:.1f}" for p in self.pages)
        return (
            ("ocr_pages", str(len(self.pages))),
            ("ocr_confidence", confs),
            ("ocr_lang", lang),
            ("ocr_engine", "tesseract"),
        )


def ocr_images(
    images: Sequence[PILImage.Image],
    *,
    source: str,
    lang: str | None = None,
    workers: int | None = None,
    timeout_s: float | None = None,
) -> list[OcrPage]:
    """OCR pages in order, ``workers`` at a time (each a Tesseract process).

    Raises :class:`OcrUnavailable` when Tesseract or the model is missing.
    """
    cfg = settings()
    lang = lang or cfg.lang
    workers = workers or cfg.workers
    timeout_s = timeout_s or cfg.page_timeout_s
    reason = unavailable_reason(lang)
    if reason:
        raise OcrUnavailable(source, f"needs OCR, but {reason}")
    import pytesseract

    # Debian's Tesseract is built with OpenMP, whose spinning threads make a page
    # ~3x slower on 2 cores (measured: 6.5 s vs 2.3 s); parallelism comes from
    # the page pool instead. A value the user set is kept.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def one(img: PILImage.Image) -> OcrPage:
        return ocr_page(img, lang=lang, timeout_s=timeout_s)

    try:
        if workers <= 1 or len(images) < 2:
            return [one(img) for img in images]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vndoc-ocr") as pool:
            return list(pool.map(one, images))
    except RuntimeError as e:  # pytesseract's "Tesseract process timeout"
        raise IngestError(source, f"OCR of a page took longer than {timeout_s:g}s ({e})") from e
    except pytesseract.TesseractError as e:
        raise IngestError(source, f"Tesseract failed ({e.message or e})") from e


# --------------------------------------------------------------------------
# Post-OCR Vietnamese cleanup
# --------------------------------------------------------------------------

_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_FAMILIES = ("aăâ", "eê", "i", "oôơ", "uư", "y")


@cache
def _variants() -> dict[str, tuple[str, ...]]:
    """Each Vietnamese vowel -> the vowels OCR confuses it with (same letter,
    other hat/horn or tone)."""
    out: dict[str, tuple[str, ...]] = {}
    for family in _FAMILIES:
        group = [unicodedata.normalize("NFC", b + t) for b in family for t in _TONES]
        for ch in group:
            out[ch] = tuple(c for c in group if c != ch)
    out["d"] = ("đ",)
    out["đ"] = ("d",)
    return out


def _syllables() -> dict[str, int]:
    from pipeline.ingest.legacy import syllables

    return syllables()


def _apply_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_WORD = re.compile(r"[^\W\d_]+")


def correct_word(word: str) -> str:
    """A word OCR misread in its diacritics, corrected when the fix is clear.

    A Vietnamese syllable stays, and so do acronyms and words longer than
    any syllable.
    Otherwise every reading that changes one vowel's marks (or d/đ) is tried;
    the one the corpus uses most wins, or the only valid one.

    Example:
        >>> correct_word("nghiẹp"), correct_word("hoach"), correct_word("Sở"), correct_word("UBND")
        ('nghiệp', 'hoạch', 'Sở', 'UBND')
    """
    sylls = _syllables()
    key = normalize(word).lower()
    if key in sylls or len(key) > 7 or (word.isascii() and (word.isupper() or len(word) < 2)):
        return word  # a syllable, or not one to guess at (acronyms, long words)
    variants = _variants()
    found: dict[str, int] = {}
    for i, ch in enumerate(key):
        for alt in variants.get(ch, ()):
            cand = normalize(key[:i] + alt + key[i + 1 :])
            n = sylls.get(cand)
            if n is not None:
                found[cand] = n
    if not found:
        return word
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return word  # two equally likely readings: leave it for a human
    return _apply_case(word, ranked[0][0])


def correct_text(text: str) -> tuple[str, int]:
    """:func:`correct_word` over a text; returns (text, words changed).

    Example:
        >>> correct_text("Sở Kế hoach và Đầu tư chủ trì, công nghiẹp")
        ('Sở Kế hoạch và Đầu tư chủ trì, công nghiệp', 2)
    """
    changed = 0

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        new = correct_word(m[0])
        if new != m[0]:
            changed += 1
        return new

    return _WORD.sub(fix, text), changed


def join_pages(pages: Sequence[Sequence[str]]) -> str:
    """Paragraphs of OCR'd pages as one text, a blank line between paragraphs.

    A paragraph cut by a page break (no closing punctuation, the next page
    starting in lowercase) is joined again.
    """
    paras: list[str] = []
    for page in pages:
        for k, para in enumerate(page):
            if (
                k == 0
                and paras
                and not re.search(r"[.:;!?)\]”\"]$", paras[-1])
                and para[:1].islower()
            ):
                paras[-1] = f"{paras[-1]} {para}"
            else:
                paras.append(para)
    return "\n\n".join(paras)


def ocr_to_text(
    images: Sequence[PILImage.Image], *, source: str, strip_running: bool = True
) -> OcrResult:
    """OCR page images into one text: pages in order, running lines removed,
    paragraphs unwrapped, Vietnamese diacritics cleaned up."""
    from pipeline.ingest.formats import strip_running_lines

    pages = ocr_images(images, source=source)
    lines = [list(p.lines) for p in pages]
    if strip_running:
        lines = strip_running_lines(lines)
    text, _n = correct_text(normalize(join_pages(lines)))
    return OcrResult(tuple(pages), text)
