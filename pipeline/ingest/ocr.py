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
confidences; then the lines, rebuilt from the word boxes by the reader of
text PDFs (:mod:`pipeline.ingest.pdflayout`: the header's two columns, the
signature block beside "Nơi nhận", running headers and footers, page
numbers, footnotes). Finally a
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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from extractors.errors import PipelineError
from extractors.textnorm import fold, normalize
from pipeline.ingest import handdigits
from pipeline.ingest.errors import IngestError, OcrUnavailable
from pipeline.ingest.hyphens import join_hyphens
from pipeline.ingest.limits import MIN_OCR_DPI, Limits
from pipeline.ingest.vimarks import apply_case, bigrams, decode_marks

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from pipeline.ingest.pdflayout import LayoutPage

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
    "unread_header",
]

IMAGE_FORMATS = ("png", "jpeg", "tiff")


@dataclass(frozen=True, slots=True)
class OcrSettings:
    workers: int = 1
    lang: str = "vie"
    dpi: int = 300
    page_timeout_s: float = 120.0


def settings() -> OcrSettings:
    """OCR settings from the one settings object (``VNDOC_OCR_*``, read once per process).

    Example:
        >>> settings().lang
        'vie'
    """
    from pydantic import ValidationError

    from pipeline.settings import get_settings

    try:
        s = get_settings()
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
        pipeline.ingest.errors.IngestError: E100: Can't read a.png: not a readable image (...)
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
    """Grayscale, with colored ink made white (:func:`drop_color`)."""
    from PIL import Image

    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, img)
    if img.mode in ("RGB", "RGBA", "CMYK", "YCbCr"):
        img = drop_color(img.convert("RGB"))
    return img.convert("L")


# Saturation (0-255) above which a pixel is colored ink, not black or gray print.
_INK_SATURATION = 80
# Pixels (a square this wide) around colored ink, lighter than _FRINGE_LIGHT
# (0-255), are its fringe.
_FRINGE = 5
_FRINGE_LIGHT = 110


def drop_color(img: PILImage.Image) -> PILImage.Image:
    """An RGB page with its colored ink (red seals and "HỎA TỐC" stamps, blue
    signatures) made white: official text is printed black, and a seal over the
    signer's name or a stamp over the subject line otherwise reads as noise.

    Example:
        >>> from PIL import Image
        >>> page = Image.new("RGB", (4, 1), (255, 255, 255))
        >>> page.putpixel((0, 0), (200, 20, 20)); page.putpixel((1, 0), (20, 20, 20))
        >>> [drop_color(page).getpixel((x, 0)) for x in (0, 1)]
        [(255, 255, 255), (20, 20, 20)]
    """
    from PIL import Image, ImageChops, ImageFilter

    hue, sat, val = img.convert("HSV").split()
    # Colored: saturated and not near black (dark pixels' hue is noise).
    mask = Image.eval(sat, lambda v: 255 if v > _INK_SATURATION else 0)
    bright = Image.eval(val, lambda v: 255 if v > 70 else 0)
    mask = ImageChops.multiply(mask, bright)
    # A red seal's strokes have a fringe of light, unsaturated pixels (the
    # scan's blur, JPEG): left, it outlines the seal over the signer's name,
    # whose first word was lost under it ("Tôn Thị Ngọc Hạnh" read "“101 Thị
    # Ngọc Hạnh", corpus/pdf 12). Light pixels beside red ink go too; print is
    # dark there and stays. Not beside blue ink: a number written by hand in
    # dark blue keeps its strokes' edges (corpus/pdf 03 "Số: 660").
    # (a stroke of red: a JPEG's red specks at the edges of black print are none)
    red = ImageChops.multiply(mask, Image.eval(hue, lambda v: 255 if v < 16 or v > 240 else 0))
    near = red.filter(ImageFilter.MinFilter(3)).filter(ImageFilter.MaxFilter(_FRINGE + 2))
    light = Image.eval(img.convert("L"), lambda v: 255 if v > _FRINGE_LIGHT else 0)
    mask = ImageChops.lighter(mask, ImageChops.multiply(near, light))
    out = img.copy()
    out.paste((255, 255, 255), mask=mask)
    return out


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
                # Without annotations: a signature widget's stamp ("Ký bởi: ...")
                # is not the page's text.
                bitmap = page.render(scale=use / 72, draw_annots=False, may_draw_forms=False)
                drawn = bitmap.to_pil()
                img = _gray(drawn)
                img.info["dpi"] = (use, use)
                if i == 0:
                    # the header's handwritten number and day may be in blue ink,
                    # which _gray drops with the seals (read_blanks)
                    img.info["color"] = drawn.convert("RGB")
                out.append(img)
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
    # Every word with its box in points (x0, top, x1, bottom, text), and the
    # page's size in points, for the layout reader (pipeline.ingest.pdflayout).
    boxes: tuple[tuple[float, float, float, float, str], ...] = ()
    size: tuple[float, float] = (0.0, 0.0)
    rules: tuple[tuple[float, float, float, float], ...] = ()  # table rules, in points

    def layout(self) -> LayoutPage:
        """This page as the layout reader's page: its words and their boxes."""
        from pipeline.ingest.pdflayout import LayoutPage, Word

        return LayoutPage(self.size[0], self.size[1],
                          [Word(x0, y0, x1, y1, t) for x0, y0, x1, y1, t in self.boxes],
                          rules=list(self.rules))


_SPECK_CHARS = frozenset(".,`'‘’-_~·:;")
_SPECK_ONLY = frozenset("_~·`'‘’:;,")  # a word of only these is specks (not "-", "...")


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


# Words read with less confidence are the marks of seals, signatures and
# smears, not text (real words on these scans score 50-97).
_MIN_WORD_CONF = 30


Box = tuple[float, float, float, float, str]


def _tsv_boxes(tsv: str, scale: float) -> list[Box]:
    """Every word of Tesseract's TSV with its box, in points (pixels × ``scale``);
    specks and unsure lone characters dropped as in :func:`_tsv_lines`."""
    return [box for box, _conf in _tsv_scored(tsv, scale)]


def _tsv_words(
    tsv: str,
) -> Iterator[tuple[tuple[int, int, int], int, int, int, int, float, str]]:
    """Each word row of Tesseract's TSV: (block, paragraph, line), left, top,
    width, height (pixels), confidence and the word; empty and unreadable rows
    skipped."""
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        yield key, left, top, width, height, conf, cols[11].strip()


def _tsv_scored(tsv: str, scale: float, *, snap: bool = False) -> list[tuple[Box, float]]:
    """:func:`_tsv_boxes` with each word's confidence. With ``snap``, each
    word is given the top and bottom of its line as Tesseract read it (the
    median of its words'): a word boxed over two lines ("đổi," from its line
    down into the next) keeps its place in its line."""
    rows = []
    heights = []
    for key, left, top, width, height, conf, word in _tsv_words(tsv):
        text = _without_tail(word)
        for part, p_left, p_width in _bar_split(text, left, width):
            rows.append((p_left, top, p_width, height, part, conf, key))
        if len(text) > 1:
            heights.append(height)
    heights.sort()
    h_med = heights[len(heights) // 2] if heights else 0
    band: dict[tuple[int, int, int], tuple[float, float]] = {}
    if snap:
        by_line: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        for _left, top, _width, height, _text, _conf, key in rows:
            by_line.setdefault(key, []).append((top, top + height))
        for key, spans in by_line.items():
            tops, bottoms = sorted(t for t, _b in spans), sorted(b for _t, b in spans)
            band[key] = (tops[len(tops) // 2], bottoms[len(bottoms) // 2])
    sure = _sure_lines(rows)
    out = []
    prev = ""
    for left, top, width, height, text, conf, key in rows:
        word, prev = (prev, text)
        if _numeral_after(word, text, conf):
            pass  # "Điều I": the article's "1" read as a letter, unsure
        elif (len(text) == 1 and ((text in _SPECK_CHARS and width < 0.2 * h_med) or conf < 20)) \
                or (width < 0.3 * h_med and height < 0.3 * h_med and (
                    text.isalnum() or (len(text) > 1 and not any(c.isalnum() for c in text)))) \
                or set(text) <= _SPECK_ONLY or (_noise(text, conf) and not (
                    key in sure and _follows(word, text))):
            # a speck read as "b" or "-:" (a lone list dash is as small: it stays);
            # ":_" at a scan's margin
            continue
        y0, y1 = band.get(key, (top, top + height))
        out.append(((left * scale, y0 * scale, (left + width) * scale, y1 * scale, text), conf))
    return out


# A line of body text read surely: this many other words, their median
# confidence this high. A word in it that Tesseract scores near 0 ("hành." of
# "thi hành./." at a letter's end, corpus/pdf 15) is text when it makes with
# the word before it a pair the corpus texts write (_MIN_PAIRS times at
# least): a seal's marks read as a syllable ("ngày Mìn") make no such pair.
_SURE_LINE_WORDS = 5
_SURE_LINE_CONF = 85.0


def _sure_lines(rows: Sequence[tuple[int, int, int, int, str, float, tuple[int, int, int]]]
                ) -> set[tuple[int, int, int]]:
    """The keys of Tesseract's lines read surely (see above)."""
    confs: dict[tuple[int, int, int], list[float]] = {}
    for *_box, text, conf, key in rows:
        if len(text) > 1:
            confs.setdefault(key, []).append(conf)
    out = set()
    for key, cs in confs.items():
        cs.sort()
        if len(cs) > _SURE_LINE_WORDS and cs[len(cs) // 2] >= _SURE_LINE_CONF:
            out.add(key)
    return out


def _follows(before: str, text: str) -> bool:
    """``text`` (a syllable with its punctuation: "hành.", "định./.") makes a
    pair the corpus texts write with the word ``before`` it."""
    core = text.strip(".,;:()/\"'“”‘’-")
    if len(core) < 2 or not re.fullmatch(r"[^\W\d_]+", before):
        return False
    return bigrams().get(normalize(f"{before} {core}").lower(), 0) >= _MIN_PAIRS


# An article's or a clause's number 1 read as a lone "I" or "l" with some
# confidence: kept (it would go as a speck read as a letter), for
# :func:`fix_ocr_chars` to make it "1".
_NUMBERED = frozenset({"dieu", "khoan"})


def _numeral_after(word: str, text: str, conf: float) -> bool:
    return text in ("I", "l") and conf >= _MIN_WORD_CONF and fold(word).lower() in _NUMBERED


# Specks read on after a word's closing punctuation ("định./.&_~", a letter's
# last word, corpus/pdf 09): characters no text ends a word with.
_SPECK_TAIL = re.compile(r"^(.*[^\W\d_][.,;:)/]*)[&_~`^]+$")


def _without_tail(text: str) -> str:
    """A word with the specks after it dropped when what is left ends in a
    Vietnamese syllable (not in capitals: "KH&" is a name's start) and its
    punctuation.

    Example:
        >>> _without_tail("định./.&_~"), _without_tail("KH&"), _without_tail("H5N&")
        ('định./.', 'KH&', 'H5N&')
    """
    m = _SPECK_TAIL.match(text)
    if m is None:
        return text
    last = re.findall(r"[^\W\d_]+", m[1])[-1]
    word = len(last) >= 2 and not last.isupper() and normalize(last).lower() in _syllables()
    return m[1] if word else text


def _bar_split(text: str, left: int, width: int) -> list[tuple[str, int, int]]:
    """A word with a table rule's remains glued to it ("ban|-", "|Các") as its
    parts, each with its share of the box (by characters). Only a word is split
    off: "3|" stays as read.

    Example:
        >>> _bar_split("ban|-", 100, 50), _bar_split("|Các", 0, 40), _bar_split("3|", 0, 9)
        ([('ban', 100, 30), ('-', 140, 10)], [('Các', 10, 30)], [('3|', 0, 9)])
    """
    if "|" not in text or not any(sum(c.isalpha() for c in p) >= 2 for p in text.split("|")):
        # No word beside the bar: a mark such as "3|" (a handwritten day, "31",
        # read as a digit and a stroke) stays whole, to be dropped as noise
        # rather than read as the day "3".
        return [(text, left, width)]
    step = width / len(text)
    out = []
    at = 0
    for part in text.split("|"):
        if part:
            out.append((part, left + round(at * step), round(len(part) * step)))
        at += len(part) + 1
    return out


_VI_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
    "ùúủũụưừứửữựỳýỷỹỵđ"
)
_PUNCT = frozenset("-–—+*•./():;,…!?%\"'“”‘’[]&§=_")


# A document's number and symbol ("687/QĐ-TTg", "08/2022/NĐ-CP"): Tesseract
# gives such a word, read right, a confidence of 0 at times (corpus/pdf 17,
# page 9); a seal's marks never read as one.
_SYMBOL_WORD = re.compile(
    r"^\(?\d{1,5}/(?:\d{4}/)?[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐ][A-ZĐa-z0-9§]*)+[.,;:)]*$")


# A letter's last word with its closing mark "./." (read "./-" at times).
_CLOSING_WORD = re.compile(r"^([^\W\d_]+)\./[.\-]$")


def _noise(text: str, conf: float) -> bool:
    """A seal's or a signature's marks read as a word: a character no Vietnamese
    text has ("¬", "Š", "⁄"), or read with little confidence and not a
    Vietnamese syllable (a real word such as "tin" can score 21) nor a
    document's symbol.

    Example:
        >>> _noise("687/QĐ-TTg", 0.0), _noise("01/KH-BCĐ389QN§g", 7.9), _noise("Mìn", 5.0)
        (False, False, True)
        >>> _noise("hiện./-", 5.4), _noise("xq./-", 5.4)
        (False, True)
    """
    text = normalize(text)  # NFC, "Ð" as "Đ"
    if any(not c.isdigit() and c.lower() not in _VI_LETTERS and c not in _PUNCT for c in text):
        return True
    if len(text) == 1 and text.isalpha() and conf < 60:
        return True  # a speck read as a letter ("phải x tập trung")
    if conf >= _MIN_WORD_CONF or _SYMBOL_WORD.match(text):
        return False
    closing = _CLOSING_WORD.match(text)
    if closing and normalize(closing[1]).lower() in _syllables():
        return False  # a letter's last word and its closing mark ("hiện./-", confidence 5)
    if conf < 10:
        return True
    core = text.strip(".,;:()\"'“”‘’-")
    return normalize(core).lower() not in _syllables() and not core.isdigit()


def _unwrap(text: str) -> str:
    """One paragraph's lines as one line: "Co-"/"vid" joined, other breaks a space."""
    return join_hyphens(text).replace("\n", " ")


# Tesseract reads the page as one block of lines (--psm 6): its automatic page
# segmentation (--psm 3) silently dropped whole paragraphs of real scans. The
# columns of the header and of the signature block are split afterwards from
# the word boxes (pipeline.ingest.pdflayout), as for text PDFs.
_PSM = "6"


def _run(
    img: PILImage.Image, lang: str, timeout_s: float, scale: float
) -> tuple[list[str], list[float], list[tuple[Box, float]]]:
    import pytesseract

    tsv = pytesseract.image_to_data(
        img, lang=lang, config=f"--oem 1 --psm {_PSM}", timeout=timeout_s
    )
    lines, confs = _tsv_lines(tsv)
    scored = _tsv_scored(tsv, scale)
    return lines, confs, scored + _reread_doubtful(img, tsv, scale, lang, timeout_s)


# A word Tesseract reads as marks inside a line it reads surely ("(@¡ếu" for
# the italic "(nếu" of "(nếu có)", corpus/pdf 03, confidence 0) is read again
# alone (one word, its box and a margin): alone it reads right. Kept when read
# surely and Vietnamese; at most _REREAD_MAX words a page.
_REREAD_MAX = 40
_REREAD_PAD = 6  # pixels around the word's box


def _doubtful(tsv: str) -> list[tuple[int, int, int, int]]:
    """The pixel boxes (left, top, right, bottom) of the words :func:`_tsv_scored`
    drops as marks that sit in a line read surely and are about a word's
    size."""
    rows = [
        (left, top, width, height, word, conf, key)
        for key, left, top, width, height, conf, word in _tsv_words(tsv)
    ]
    heights = sorted(r[3] for r in rows if len(r[4]) > 1)
    if not heights:
        return []
    h_med = heights[len(heights) // 2]
    sure = _sure_lines(rows)
    by_line: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for left, _top, width, _height, _text, _conf, key in rows:
        by_line.setdefault(key, []).append((left, left + width))
    out = []
    for left, top, width, height, text, conf, key in rows:
        if (key in sure and len(text) >= 2 and conf < _MIN_WORD_CONF and _noise(text, conf)
                and 0.6 * h_med <= height <= 1.8 * h_med and width >= h_med
                and _in_running_text(by_line[key], left, left + width, 1.5 * h_med)):
            out.append((left, top, left + width, top + height))
    return out[:_REREAD_MAX]


def _in_running_text(spans: list[tuple[int, int]], x0: int, x1: int, gap: float) -> bool:
    """A word with a word of its line a space before it and, unless it ends
    the line, a space after it: inside a sentence, not in a column beside it
    (Tesseract's lines run across the page: "Nơi nhận" and the signature
    block make one line)."""
    before = [b for a, b in spans if b <= x0]
    after = [a for a, b in spans if a >= x1]
    return bool(before) and x0 - max(before) <= gap and (not after or min(after) - x1 <= gap)


def _reread_doubtful(img: PILImage.Image, tsv: str, scale: float, lang: str, timeout_s: float
                     ) -> list[tuple[Box, float]]:
    import pytesseract

    out: list[tuple[Box, float]] = []
    for x0, y0, x1, y1 in _doubtful(tsv):
        box = (max(0, x0 - _REREAD_PAD), max(0, y0 - _REREAD_PAD),
               min(img.width, x1 + _REREAD_PAD), min(img.height, y1 + _REREAD_PAD))
        again = pytesseract.image_to_data(img.crop(box), lang=lang, config="--oem 1 --psm 8",
                                          timeout=timeout_s)
        words = [(b, c) for b, c in _tsv_scored(again, 1.0) if b[4].strip()]
        if len(words) != 1:
            continue
        (_bx0, _by0, _bx1, _by1, text), conf = words[0]
        core = text.strip(".,;:()/\"'“”‘’-")
        if conf >= _SURE and len(core) >= 2 and normalize(core).lower() in _syllables():
            out.append(((x0 * scale, y0 * scale, x1 * scale, y1 * scale, text), conf))
    return out


# --------------------------------------------------------------------------
# The signature block, read again
# --------------------------------------------------------------------------

# The signer's title and name are printed under the seal and the handwritten
# signature, whose strokes cost the page's reading whole words ("Trường Th").
# The block is read again on its own, enlarged, with two page segmentations
# (one block of lines; columns of lines), and the reading with the most
# well-read words kept, the page's own included. Measured on the signed scans
# of corpus/pdf: the block alone, enlarged 1.5x, gives back names the page
# reading lost; psm 4 reads a name under a seal the best, psm 6 the title
# lines above it.
_SIGN_TITLE = re.compile(
    r"^(?:TM|KT|TL|TUQ)\.?$|^(?:TỊCH|TƯỚNG|TRƯỞNG|GIÁM|ĐỐC|CHÁNH|THỨ)\W*$"
)
_NOI = re.compile(r"^N[ơoóò]i$")
_AUTHORITY_WORDS = frozenset({"TM.", "KT.", "TL.", "TUQ."})
_ZONE_SCALE = 1.5
_ZONE_PSMS = ("6", "4")


def signature_zone(boxes: Sequence[Box], size: tuple[float, float]
                   ) -> tuple[float, float, float, float] | None:
    """Where the signature block is on a page (points): under the signer's
    title words ("KT. CHỦ TỊCH", "THỦ TƯỚNG") in the right half, beside the
    "Nơi nhận" list; None on a page without one.

    Example:
        >>> words = [(90, 500, 110, 510, "Nơi"), (112, 500, 140, 510, "nhận:"),
        ...          (380, 490, 400, 502, "KT."), (404, 490, 440, 502, "CHỦ"),
        ...          (444, 490, 480, 502, "TỊCH")]
        >>> signature_zone(words, (595, 842))
        (320.0, 482, 540.0, 672)
    """
    width, height = size
    nn = [b for b in boxes if _NOI.match(b[4]) and b[1] > 0.1 * height]
    if not nn:
        return None
    top = nn[-1][1]
    titles = [b for b in boxes if b[0] > 0.45 * width and abs(b[1] - top) < 80
              and _SIGN_TITLE.match(b[4])]
    if not titles:
        return None
    x0, x1 = min(b[0] for b in titles), max(b[2] for b in titles)
    centre, half = (x0 + x1) / 2, max((x1 - x0) / 2, 80.0)
    y0 = min(b[1] for b in titles) - 8
    return (max(0.42 * width, centre - half - 30), y0, min(width, centre + half + 30),
            min(height - 2, y0 + 190))


# Seal strokes read as short syllables ("Mìn", "SẼ") score 30-60: only words
# read surely count towards a reading.
_SURE = 70.0
# A line read again replaces the line as read when it is this much better read.
_MARGIN = 1.1


def _well_read(scored: Sequence[tuple[Box, float]]) -> float:
    """How much of a reading is Vietnamese read surely: the summed confidence
    of its words of two letters or more that are syllables (or "KT." ...),
    read with a confidence of _SURE or more."""
    sylls = _syllables()
    total = 0.0
    for box, conf in scored:
        core = box[4].strip(".,;:()\"'“”‘’-")
        if conf >= _SURE and (box[4] in _AUTHORITY_WORDS
                              or (len(core) > 1 and normalize(core).lower() in sylls)):
            total += conf
    return total


def _inside(box: Box, zone: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return zone[0] <= cx <= zone[2] and zone[1] <= cy <= zone[3]


# The last word of a signer's title, read under the seal with a mark wrong and
# little confidence ("TƯƠNG" 63 for "TƯỚNG" in "PHÓ THỦ TƯỚNG", corpus/pdf 08):
# in capitals, folded, read with this confidence at least, it is that word.
_TITLE_HEADS = {"TUONG": "TƯỚNG", "TICH": "TỊCH"}
_HEAD_CONF = 50.0


def _title_heads(line: Line) -> Line:
    """A signature block's line with its title's last word spelt right and
    counted as read surely (see above)."""
    out = []
    for box, conf in line:
        head = _TITLE_HEADS.get(fold(box[4]).upper())
        if head is not None and box[4].isupper() and conf >= _HEAD_CONF:
            box, conf = (*box[:4], head), max(conf, _SURE)
        out.append((box, conf))
    return out


def reread_signature(img: PILImage.Image, scored: list[tuple[Box, float]], scale: float,
                     size: tuple[float, float], lang: str, timeout_s: float
                     ) -> list[tuple[Box, float]]:
    """The page's words with its signature block's words replaced by the best
    of its readings (see above); unchanged on a page without one."""
    import pytesseract
    from PIL import Image

    zone = signature_zone([b for b, _c in scored], size)
    if zone is None:
        return scored
    own = _zone_lines([(b, c) for b, c in scored if _inside(b, zone)])
    px = [int(v / scale) for v in zone]
    crop = img.crop((px[0], px[1], px[2], px[3]))
    crop = crop.resize((int(crop.width * _ZONE_SCALE), int(crop.height * _ZONE_SCALE)),
                       Image.Resampling.LANCZOS)
    back = scale / _ZONE_SCALE
    best = own
    for psm in _ZONE_PSMS:
        tsv = pytesseract.image_to_data(crop, lang=lang, config=f"--oem 1 --psm {psm}",
                                        timeout=timeout_s)
        words = [
            ((zone[0] + b[0], zone[1] + b[1], zone[0] + b[2], zone[1] + b[3], b[4]), c)
            for b, c in _tsv_scored(tsv, back)
        ]
        # a word the crop's left edge cuts belongs to the Nơi nhận list beside
        best = _best_lines(best, _zone_lines([(b, c) for b, c in words if b[0] > zone[0] + 3]))
    # Lines with no word read surely, or a lower-case word or two, are the
    # seal's and the signature's strokes ("tực J7" between the title and the
    # name): a signature block has titles in capitals and a name.
    best = [_title_heads(ln) for ln in best]
    best = [ln for ln in best if _well_read(ln) > 0 and not (
        len(ln) <= 2 and min(ln, key=lambda w: w[0][0])[0][4][:1].islower())]
    rest = [(b, c) for b, c in scored if not _inside(b, zone)]
    return rest + _one_reading([w for ln in best for w in ln], rest)


# --------------------------------------------------------------------------
# Handwritten number and day of the header
# --------------------------------------------------------------------------
#
# A paper-signed letter is printed with the number and the day left blank
# ("Số:      /TB-UBND", "ngày      tháng 12 năm 2024"), and the clerk writes
# them in by hand when it is issued. Tesseract's Vietnamese model reads such
# digits as marks ("Ê§0", "#"); read as digits alone, a clear hand often reads
# right. The blank is cut from the page in colour made gray (the page Tesseract
# reads has its coloured ink dropped with the seals, and a clerk writes in
# blue). A reading is kept only when it is sure: two of three line modes read
# it and none reads otherwise, it has as many digits as the blank has separate
# strokes of ink (or up to twice as many: a hand joins digits), and a day is
# a day. Otherwise the blank stays blank (``ocr_unread``).

_NUMBER_WORD = re.compile(r"S[ốôo]\s*:?\.?$", re.IGNORECASE)  # "Số:." a speck after
_SYMBOL_START = re.compile(r"/[A-ZĐ]")
_DIGIT_PSMS = ("7", "8", "13")  # one line; one word; one raw line


def _without_rules(img: PILImage.Image, *, solid: bool = False) -> PILImage.Image:
    """A crop with its horizontal rules (the line under the issuer's name, a
    dotted blank) made white: rows over half of whose width is ink; with
    ``solid``, over half of it in one run (in a blank cut as narrow as its
    digits, the rows of a "20" are over half ink too, in two runs or more)."""
    out = img.copy()
    data, width = out.load(), out.width
    for y in range(out.height):
        ink = [data[x, y] < 128 for x in range(width)]  # type: ignore[index, operator]
        if solid:
            longest = run = 0
            for dark in ink:
                run = run + 1 if dark else 0
                longest = max(longest, run)
            rule = longest > 0.5 * width
        else:
            rule = sum(ink) > 0.5 * width
        if rule:
            for x in range(width):
                data[x, y] = 255  # type: ignore[index]
    return out


def _ink_runs(img: PILImage.Image) -> int:
    """Separate strokes of ink, left to right: runs of columns with ink, a
    run of a column or two (a speck, the seal's edge) not counted."""
    bw = img.point(lambda v: 1 if v < 128 else 0)
    width, height = bw.size
    data = bw.load()
    cols = [any(data[x, y] for y in range(height)) for x in range(width)]  # type: ignore[index]
    runs, length = 0, 0
    for ink in [*cols, False]:
        if ink:
            length += 1
        else:
            runs += length > 2
            length = 0
    return runs


def _tall_runs(img: PILImage.Image, line_px: float) -> int:
    """Strokes of ink as tall as half the line at least, in the crop's middle
    band (from a line's height above its centre, where a hand rises, to 0.6 of
    it below, short of the next line): pieces of touching ink, a comma, a
    speck, a rule's end or the next line's letters not counted as a digit."""
    bw = img.point(lambda v: 1 if v < 128 else 0)
    width, height = bw.size
    data = bw.load()
    top, bottom = max(0, int(height / 2 - line_px)), min(height, int(height / 2 + 0.6 * line_px))
    seen: set[tuple[int, int]] = set()
    count = 0
    for y0 in range(top, bottom):
        for x0 in range(width):
            if (x0, y0) in seen or not data[x0, y0]:  # type: ignore[index]
                continue
            stack, low, high, size = [(x0, y0)], y0, y0, 0
            seen.add((x0, y0))
            while stack:
                x, y = stack.pop()
                size += 1
                low, high = min(low, y), max(high, y)
                for nx in (x - 1, x, x + 1):
                    for ny in (y - 1, y, y + 1):
                        if (top <= ny < bottom and 0 <= nx < width and (nx, ny) not in seen
                                and data[nx, ny]):  # type: ignore[index]
                            seen.add((nx, ny))
                            stack.append((nx, ny))
            count += high - low >= line_px / 2 and size > 10
    return count


def _read_digits(img: PILImage.Image, timeout_s: float) -> str | None:
    """The digits handwritten in a blank, when two readings or more agree and
    none reads otherwise, and the blank's strokes of ink are as many as the
    digits or up to half as many (a hand joins digits: "3206" in two strokes);
    else None."""
    import pytesseract

    img = _without_rules(img.convert("L"))
    readings = [
        pytesseract.image_to_string(
            img, config=f"--psm {psm} -c tessedit_char_whitelist=0123456789", timeout=timeout_s
        ).strip()
        for psm in _DIGIT_PSMS
    ]
    read = [r for r in readings if r]
    if len(read) < 2 or len(set(read)) != 1:
        return None
    digits = read[0]
    runs = _ink_runs(img)  # a stroke is never read as nothing
    if not digits.isdigit() or len(digits) > 5 or not runs <= len(digits) <= 2 * runs:
        return None
    return digits


def _on_line(word: Box, ref: Box) -> bool:
    return abs((word[1] + word[3]) / 2 - (ref[1] + ref[3]) / 2) < (ref[3] - ref[1])


def _blank_between(scored: list[tuple[Box, float]], left: Box, right: Box
                   ) -> list[tuple[Box, float]] | None:
    """The words read between two words of a line (marks of a handwritten
    blank), or None when a digit was read there (the blank was filled in print)."""
    between = [(b, c) for b, c in scored if b is not left and b is not right and _on_line(b, left)
               and b[0] >= left[2] - 1 and b[2] <= right[0] + 1]
    if any(b[4].strip(".,").isdigit() and c >= _SURE for b, c in between):
        return None
    return between


# Read by the neural OCR (:mod:`pipeline.ingest.handdigits`, when installed),
# the header's line in colour gives "só: 660 /TB-UBND", "Hà Nội, ngày 30 tháng
# 4": the digits after "Số:" and before the symbol's "/", or after "ngày" and
# before "tháng"; when the line does not give them surely, the blank cut out
# alone is read ("20", "ngày30"). Digits are taken when each is read with a
# probability of _NEURAL_SURE at least and they are as many as the blank's tall
# pieces of ink, or up to twice as many (a hand joins digits). Digits of a hand
# that spaces them read apart ("S6:1 6 /CT-UBND"). Tesseract's reading is the
# fallback.
_NEURAL_NUMBER = re.compile(r"^\s*S\S?[\s:;.,]*(\d(?: ?\d){0,4})\s*/", re.IGNORECASE)
_NEURAL_DAY = re.compile(r"ng[aà]y\W*(\d{1,2})\s*t", re.IGNORECASE)
# the blank alone: its digits, and at most the word the hand ran into before them
_NEURAL_BLANK = re.compile(r"^(?:ng[aà]y|S\S?)?[\W_]*(\d{1,5})[\W_]*$", re.IGNORECASE)
_NEURAL_SURE = 0.6


def _sure_digits(pieces: Sequence[handdigits.Piece], pattern: re.Pattern[str]) -> str | None:
    """The digits ``pattern`` finds in a reading, when each is read surely."""
    pieces = [replace(p, text=unicodedata.normalize("NFKC", p.text)) for p in pieces]  # "："
    text = "".join(p.text for p in pieces)
    m = pattern.search(text)
    if m is None:
        return None
    scores, at = [], 0
    for p in pieces:
        if m.start(1) <= at < m.end(1) and p.text.strip():
            scores.append(p.score)
        at += len(p.text)
    return m[1].replace(" ", "") if scores and min(scores) >= _NEURAL_SURE else None


def _neural_digits(color: PILImage.Image, line: tuple[float, float, float, float],
                   blank: tuple[float, float, float, float], scale: float,
                   pattern: re.Pattern[str]) -> str | None:
    """The digits of a header's blank read surely by the neural OCR on a page in
    colour: from its line (``pattern``), else from the blank alone; ``line`` and
    ``blank`` in points. None when neither reading is sure."""
    def crop(box: tuple[float, float, float, float]) -> PILImage.Image:
        return color.crop(tuple(int(v / scale) for v in box))

    digits = _sure_digits(handdigits.read_line(crop(line)), pattern)
    if digits is None:
        digits = _sure_digits(handdigits.read_line(crop(blank)), _NEURAL_BLANK)
    return digits


def _header_day(words: list[Box]) -> tuple[Box, Box, bool] | None:
    """The header's "ngày" and the "tháng" after it on its line (the topmost
    such pair), and whether "ngày" was read; when it was not (the hand ran into
    it: "ngày30" read as nothing), the place's word before "tháng" ("Nội,")
    stands for it. None when the header has no day."""
    months = sorted((b for b in words if b[4].lower() == "tháng"), key=lambda b: b[1])
    for month in months:
        on_line = sorted((b for b in words if b is not month and _on_line(b, month)
                          and b[0] < month[0]), key=lambda b: b[0])
        day = next((b for b in reversed(on_line) if b[4].lower().startswith("ngày")), None)
        if day is not None:
            return day, month, True
        if on_line and on_line[-1][4].endswith(",") and on_line[-1][4][:1].isupper():
            return on_line[-1], month, False
    return None


def read_blanks(img: PILImage.Image, scored: list[tuple[Box, float]], scale: float,
                size: tuple[float, float], timeout_s: float,
                color: PILImage.Image | None = None) -> list[tuple[Box, float]]:
    """The page's words with the header's handwritten number and day read as
    digits where they read surely (see above). ``color``: the page in colour,
    for the neural OCR (its blue ink is white in ``img``)."""
    words = [b for b, _c in scored if b[1] < 0.4 * size[1]]
    out = list(scored)

    def fill(left: Box, right: Box, x0: float, accept: Callable[[str], bool],
             pattern: re.Pattern[str], word: str = "") -> bool:
        between = _blank_between(out, left, right)
        if between is None:
            return False
        h = left[3] - left[1]
        box = (x0, left[1] - h, right[0] - 1, left[3] + h)
        if box[2] - box[0] < h:
            return False
        px = (int(box[0] / scale), int(box[1] / scale), int(box[2] / scale), int(box[3] / scale))
        digits = None
        if color is not None and handdigits.unavailable_reason() is None:
            line = (max(0.0, left[0] - h), left[1] - 0.8 * h, min(size[0], right[2] + h),
                    left[3] + 0.8 * h)
            digits = _neural_digits(color, line, box, scale, pattern)
            runs = _tall_runs(_without_rules(color.crop(px).convert("L"), solid=True), h / scale)
            # a hand joins digits ("191" one piece), but a piece is never read as
            # nothing (unless the piece is the word the hand ran into, "ngày30")
            if digits is not None and not (
                    (word or runs <= len(digits)) and len(digits) <= 2 * runs):
                digits = None
        if digits is None and not word:
            # in colour made gray: a blue hand is ink, not a seal to drop
            blank = color.crop(px).convert("L") if color is not None else img.crop(px)
            digits = _read_digits(blank, timeout_s)
        if digits is None or not accept(digits):
            return False
        for w in between:
            out.remove(w)
        if word:  # the word the hand ran into, which was not read ("ngày30")
            mid = x0 + (right[0] - 1 - x0) / 2
            out.append(((x0, left[1], mid - 1, left[3], word), 90.0))
            x0 = mid
        out.append(((x0, left[1], right[0] - 1, left[3], digits), 90.0))
        return True

    def symbol_after(so: Box) -> Box | None:
        """The number's symbol after "Số:" on its line ("/CT-UBND"; marks glued
        before it, ";/UBND-KGVX", belong to the blank)."""
        sym = next((b for b in sorted(words) if b[0] > so[2] and _on_line(b, so)
                    and _SYMBOL_START.search(b[4])), None)
        cut = _SYMBOL_START.search(sym[4]) if sym is not None else None
        if sym is None or cut is None or cut.start() > 2 or any(
                ch.isdigit() for ch in sym[4][: cut.start()]):
            return None
        return sym

    so = next((b for b in sorted(words, key=lambda b: b[1]) if _NUMBER_WORD.match(b[4])
               and symbol_after(b) is not None), None)
    number_word = ""
    if so is None:
        # "Số:" not read (the hand ran into it: "Số:16"): a symbol that starts
        # a line of the header ("/CT-UBND") has the number's blank before it
        first = next((b for b in sorted(words, key=lambda b: b[1]) if b[1] < 0.25 * size[1]
                      and re.match(r"/[A-ZĐ]", b[4]) and not any(
                          w[0] < b[0] and _on_line(w, b) and b[0] - w[2] < 8 * (b[3] - b[1])
                          for w in words)), None)
        if first is not None:
            em = first[3] - first[1]
            so = (first[0] - 6 * em, first[1], first[0] - 6 * em + 1, first[3], "")
            number_word = "Số:"
    if so is not None:
        sym = symbol_after(so)
        cut = _SYMBOL_START.search(sym[4]) if sym is not None else None
        if sym is not None and cut is not None:
            x1 = sym[0] + (sym[2] - sym[0]) * cut.start() / len(sym[4])
            symbol = (x1, sym[1], sym[2], sym[3], sym[4][cut.start():])
            if fill(so, symbol, so[2] + 1, lambda d: not d.startswith("0") or len(d) <= 2,
                    _NEURAL_NUMBER, word=number_word):
                k = next(i for i, (b, _c) in enumerate(out) if b is sym)
                out[k] = (symbol, out[k][1])
    found = _header_day(words)
    if found is not None:
        day, month, read = found
        # a hand that runs into the word is read as part of it ("ngày" 6 em wide)
        x0 = min(day[2], day[0] + 1.9 * (month[3] - month[1])) + 1 if read else day[2] + 1
        fill(day, month, x0, lambda d: 1 <= int(d) <= 31, _NEURAL_DAY,
             word="" if read else "ngày")
    return out


def _one_reading(words: list[tuple[Box, float]], kept: list[tuple[Box, float]]
                 ) -> list[tuple[Box, float]]:
    """Words of two readings of one place: where two overlap (by 40% of the
    smaller), or the same word sits twice touching itself on a line (boxes of
    words under a seal wander), the surer one; a word overlapping one of
    ``kept`` goes."""
    def overlap(a: Box, b: Box) -> bool:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
        if w > 0 and h > 0 and w * h > 0.4 * max(small, 1e-6):
            return True
        height = max(a[3] - a[1], b[3] - b[1])
        return a[4] == b[4] and h > 0 and w > -0.25 * height  # touching, not "BAN BAN"

    out: list[tuple[Box, float]] = []
    near = [b for b, _c in kept]
    for box, conf in sorted(words, key=lambda w: -w[1]):
        if not any(overlap(box, o) for o in near):
            out.append((box, conf))
            near.append(box)
    return out


Line = list[tuple[Box, float]]


def _zone_lines(words: Sequence[tuple[Box, float]]) -> list[Line]:
    """Words grouped into lines by their vertical centres, top to bottom."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w[0][1] + w[0][3]) / 2):
        cy, h = (w[0][1] + w[0][3]) / 2, w[0][3] - w[0][1]
        last = lines[-1] if lines else None
        if last is not None and abs(cy - (last[0][0][1] + last[0][0][3]) / 2) < 0.5 * max(
                h, last[0][0][3] - last[0][0][1]):
            last.append(w)
        else:
            lines.append([w])
    return lines


def _best_lines(a: list[Line], b: list[Line]) -> list[Line]:
    """Two readings of one zone merged line by line: of two lines at the same
    height the better read (:func:`_well_read`) is kept; a line only one
    reading has is kept when it has a word read surely; words read unsurely
    on a line kept from a new reading go (a seal's strokes)."""
    def centre(ln: Line) -> float:
        return sum((w[0][1] + w[0][3]) / 2 for w in ln) / len(ln)

    def height(ln: Line) -> float:
        return max(w[0][3] - w[0][1] for w in ln)

    def near(m: Line, ln: Line) -> bool:
        return abs(centre(m) - centre(ln)) < 0.6 * max(height(m), height(ln))

    out: list[Line] = []
    used: set[int] = set()
    for ln in a:
        close = [i for i, m in enumerate(b) if i not in used and near(m, ln)]
        if not close:
            out.append(ln)
            continue
        k = min(close, key=lambda i: abs(centre(b[i]) - centre(ln)))
        used.add(k)
        new = [w for w in b[k] if w[1] >= _SURE]
        out.append(new if _well_read(new) > _MARGIN * _well_read(ln) else ln)
    for i, m in enumerate(b):
        if i not in used and _well_read(m) > 0 and not any(near(m, ln) for ln in a):
            out.append([w for w in m if w[1] >= _SURE])
    return sorted(out, key=centre)


Rect = tuple[float, float, float, float]


def _unruled(img: PILImage.Image, scale: float
             ) -> tuple[PILImage.Image, tuple[Rect, ...], tuple[Rect, ...]]:
    """The page with its table rules painted white (Tesseract reads a rule as
    "|" glued to the words beside it), the grid's rules, and the rules as
    found in the image (each as thick as drawn), in points."""
    from pipeline.ingest.pdftables import grid_rules, image_rules

    # Only a table's rules: a stray dark run elsewhere may be a word's ink.
    found = image_rules(img, scale)
    rules = tuple(grid_rules(found))
    if not rules:
        return img, rules, ()
    drawn = tuple(r for r in found if _on_grid(r, rules)) or rules
    return paint_out(img, drawn, scale, margin=2), rules, drawn


def paint_out(img: PILImage.Image, rects: Sequence[Rect], scale: float, margin: int
              ) -> PILImage.Image:
    """A copy of ``img`` with ``rects`` (points) painted white, ``margin``
    pixels wider on each side."""
    from PIL import ImageDraw

    clean = img.copy()
    draw = ImageDraw.Draw(clean)
    # Painted as found, as thick as they are drawn (a scan's rule drifts over a
    # few pixels): painting only the grid's centre lines left a rule's edge,
    # which Tesseract reads as "|" glued to the word beside it ("ban|-").
    for x0, y0, x1, y1 in rects:
        draw.rectangle((x0 / scale - margin, y0 / scale - margin, x1 / scale + margin,
                        y1 / scale + margin), fill=255)
    return clean


def paint_out_beside_letters(img: PILImage.Image, rects: Sequence[Rect], scale: float
                             ) -> PILImage.Image:
    """A copy of ``img`` with ``rects`` (rules, points) painted white except
    where a letter runs into them: on a row (column) of a vertical
    (horizontal) rule with a stroke of ink beside it (the _STROKE pixels past
    the rule all ink), the half of the rule on that side stays. Justified
    text runs up to a cell's rule and over it, and painting the whole rule
    took the stem of a line's first letter ("hành", "tuần", "đẩy" of
    corpus/pdf 17's task cells became "ành", "mân", "lây"). Ink only a pixel
    wide beside the rule is the rule's ragged edge, and goes with it.

    Example:
        >>> from PIL import Image, ImageDraw
        >>> page = Image.new("L", (40, 40), 255)
        >>> d = ImageDraw.Draw(page)
        >>> d.rectangle((10, 0, 13, 39), fill=0); d.rectangle((14, 5, 17, 9), fill=0)
        >>> out = paint_out_beside_letters(page, [(10, 0, 12, 40)], 1.0)
        >>> [out.getpixel((x, 20)) for x in (10, 12, 13)], [out.getpixel((x, 7)) for x in (10, 12)]
        ([255, 255, 255], [255, 0])
    """
    out = img.copy()
    px = out.load()
    width, height = out.size

    def ink(x: int, y: int) -> bool:
        return 0 <= x < width and 0 <= y < height and px[x, y] < 128  # type: ignore[index, operator]

    def side(points: list[tuple[int, int]]) -> str:
        """'letter' (a stroke runs into the rule), 'edge' (a pixel of the
        rule's edge) or '' beside a rule, from the pixels going away from it."""
        if not ink(*points[0]):
            return ""
        return "letter" if all(ink(*p) for p in points[1:]) else "edge"

    for r in rects:
        x0, y0 = max(0, int(r[0] / scale)), max(0, int(r[1] / scale))
        x1, y1 = min(width - 1, int(r[2] / scale)), min(height - 1, int(r[3] / scale))
        vertical = y1 - y0 > x1 - x0
        along = range(y0, y1 + 1) if vertical else range(x0, x1 + 1)
        a, b = (x0, x1) if vertical else (y0, y1)

        def at(k: int, t: int, vertical: bool = vertical) -> tuple[int, int]:
            return (k, t) if vertical else (t, k)

        befores = [side([at(a - 1 - k, t) for k in range(_STROKE)]) for t in along]
        afters = [side([at(b + 1 + k, t) for k in range(_STROKE)]) for t in along]
        # A line's first letter drawn over the cell's left rule (the stem of a
        # "t" inside it) touches the rule's right side only at its ends: there
        # the rule stays along a letter's height around where it touches. A
        # line's end is never drawn over the rule (justified text stops short
        # of it), and a rule kept beside it would read as ")" or "i" ("thúc)").
        near_b = _near(befores, 0)
        near_a = _near(afters, _LETTER_REACH if vertical else 0)
        mid = (a + b) // 2
        for i, t in enumerate(along):
            lo = mid + 1 if near_b[i] else a - (befores[i] == "edge")
            hi = mid if near_a[i] else b + (afters[i] == "edge")
            for k in range(lo, hi + 1):
                px[at(k, t)] = 255  # type: ignore[index]
    return out


_LETTER_REACH = 10  # pixels along a rule around a letter's touch where the rule stays


def _near(sides: list[str], reach: int) -> list[bool]:
    """Whether a letter touches within ``reach`` places of each place."""
    out = [False] * len(sides)
    for i, s in enumerate(sides):
        if s == "letter":
            for j in range(max(0, i - reach), min(len(sides), i + reach + 1)):
                out[j] = True
    return out


_STROKE = 2  # pixels: a letter's stroke at 300 DPI is this wide at least


def _on_grid(r: tuple[float, float, float, float],
             grid: Sequence[tuple[float, float, float, float]]) -> bool:
    """Whether a rule found in the image lies on one of the grid's lines (same
    direction, within 3 points, overlapping)."""
    vertical = r[3] - r[1] > r[2] - r[0]
    for g in grid:
        if (g[3] - g[1] > g[2] - g[0]) != vertical:
            continue
        if vertical and abs((r[0] + r[2]) / 2 - g[0]) <= 3 and r[1] < g[3] and g[1] < r[3]:
            return True
        if not vertical and abs((r[1] + r[3]) / 2 - g[1]) <= 3 and r[0] < g[2] and g[0] < r[2]:
            return True
    return False


# --------------------------------------------------------------------------
# Table cells, read one by one
# --------------------------------------------------------------------------
#
# Read as one block (psm 6), a ruled table's row is one line of Tesseract's
# across all its cells, whose lines sit at different heights (a justified
# task cell of six lines beside a body's name of two): words of one cell's
# line are lost or put in another's ("kinh tế hoàn của tuần vực" for "kinh
# tế tuần hoàn của ngành, lĩnh vực", corpus/pdf 17 Phụ lục I). Each cell is
# read on its own instead: the cells' ink is stacked in one image, a blank
# band between two cells, and read in one Tesseract call; each word is put
# back where it is on the page.

_CELL_GAP = 40  # pixels of white between two cells in the stacked image
_CELL_PAD = 20  # pixels of white left of the cells
_STACK_HEIGHT = 12_000  # pixels: a stacked image taller than this is read in parts
def read_cells(img: PILImage.Image, scored: list[tuple[Box, float]], rules: Sequence[Rect],
               drawn: Sequence[Rect], scale: float, lang: str, timeout_s: float
               ) -> list[tuple[Box, float]]:
    """The page's words with those inside a ruled table's cells replaced by
    each cell's own reading (see above); unchanged on a page without a table.
    ``img`` is the page as scanned, ``rules`` the grid's rules and ``drawn``
    the rules as found in the image (points; ``scale`` is points per pixel):
    each cell is cut out along its rules' centre lines and the rules' halves
    in it painted out where no letter touches them (:func:`paint_out_beside_letters`,
    on the cell alone: a letter of the next cell does not keep this cell's rule)."""
    import pytesseract
    from PIL import Image, ImageFilter

    from pipeline.ingest.pdftables import table_cells

    cells = table_cells(rules)
    if not cells:
        return scored
    # (crop, left, top): each cell's ink with a margin, and where it is on the page (pixels)
    pieces: list[tuple[PILImage.Image, int, int]] = []
    for x0, y0, x1, y1 in cells:
        box = (round(x0 / scale), round(y0 / scale), round(x1 / scale), round(y1 / scale))
        if box[2] - box[0] < 16 or box[3] - box[1] < 16:
            continue
        inside = [(max(r[0] / scale, box[0]) - box[0], max(r[1] / scale, box[1]) - box[1],
                   min(r[2] / scale, box[2]) - box[0], min(r[3] / scale, box[3]) - box[1])
                  for r in drawn]
        crop = paint_out_beside_letters(img.crop(box), [
            r for r in inside if r[2] >= r[0] and r[3] >= r[1]], 1.0)
        # ink as a 3x3 square of dark pixels at least: a scan's specks are not a cell's text
        ink = crop.filter(ImageFilter.MaxFilter(3)).point(lambda v: 255 if v < 128 else 0).getbbox()
        if ink is None or ink[2] - ink[0] < 4 and ink[3] - ink[1] < 4:
            continue  # an empty cell (a speck at most)
        m = 6
        ink = (max(0, ink[0] - m), max(0, ink[1] - m), min(crop.width, ink[2] + m),
               min(crop.height, ink[3] + m))
        pieces.append((crop.crop(ink), box[0] + ink[0], box[1] + ink[1]))
    words: list[tuple[Box, float]] = []
    k = 0
    while k < len(pieces):
        stack: list[tuple[PILImage.Image, int, int, int]] = []  # (crop, left, top, top in stack)
        y = _CELL_GAP
        while k < len(pieces) and (not stack or y + pieces[k][0].height <= _STACK_HEIGHT):
            stack.append((*pieces[k], y))
            y += pieces[k][0].height + _CELL_GAP
            k += 1
        sheet = Image.new("L", (max(c.width for c, *_ in stack) + 2 * _CELL_PAD, y), 255)
        for crop, _left, _top, at in stack:
            sheet.paste(crop, (_CELL_PAD, at))
        tsv = pytesseract.image_to_data(sheet, lang=lang, config=f"--oem 1 --psm {_PSM}",
                                        timeout=timeout_s)
        for (bx0, by0, bx1, by1, text), conf in _tsv_scored(tsv, 1.0, snap=True):
            cy = (by0 + by1) / 2
            piece = next((p for p in stack if p[3] - _CELL_GAP / 2 <= cy
                          < p[3] + p[0].height + _CELL_GAP / 2), None)
            if piece is None:
                continue
            dx, dy = piece[1] - _CELL_PAD, piece[2] - piece[3]
            words.append((((bx0 + dx) * scale, (by0 + dy) * scale, (bx1 + dx) * scale,
                           (by1 + dy) * scale, text), conf))

    def in_a_cell(b: Box) -> bool:
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        return any(c[0] <= cx <= c[2] and c[1] <= cy <= c[3] for c in cells)

    return [(b, c) for b, c in scored if not in_a_cell(b)] + words


def ocr_page(
    img: PILImage.Image, *, lang: str = "vie", timeout_s: float = 120.0, dpi: float = 300.0
) -> OcrPage:
    """OCR one grayscale page: deskew, table rules out, read, and re-read
    rotated if OSD says so.

    ``dpi`` is the image's resolution: word boxes are kept in points.
    """
    scale = 72.0 / dpi
    color = img.info.get("color")
    skew = deskew_angle(img)
    page = _rotate(img, skew)
    if color is not None and abs(skew) >= 0.05:
        from PIL import Image

        color = color.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True,
                             fillcolor=(255, 255, 255))
    clean, rules, drawn = _unruled(page, scale)
    lines, confs, boxes = _run(clean, lang, timeout_s, scale)
    size = (page.width * scale, page.height * scale)
    read, shown = clean, page
    mean = sum(confs) / len(confs) if confs else 0.0
    rotation = 0
    if mean < 60 or len(confs) < 5:
        rotation = _osd_rotation(page, timeout_s)
        if rotation:
            turned = page.rotate(-rotation, expand=True, fillcolor=255)
            clean2, rules2, drawn2 = _unruled(turned, scale)
            lines2, confs2, boxes2 = _run(clean2, lang, timeout_s, scale)
            mean2 = sum(confs2) / len(confs2) if confs2 else 0.0
            if mean2 > mean:
                color = None  # the header's colours are not turned with it
                lines, confs, mean, boxes, rules = lines2, confs2, mean2, boxes2, rules2
                size = (turned.width * scale, turned.height * scale)
                read, shown, drawn = clean2, turned, drawn2
            else:
                rotation = 0
    if rules:
        boxes = read_cells(shown, boxes, rules, drawn, scale, lang, timeout_s)
    scored = reread_signature(read, boxes, scale, size, lang, timeout_s)
    scored = read_blanks(read, scored, scale, size, timeout_s, color=color)
    lines = [unicodedata.normalize("NFC", ln) for ln in lines if ln.strip()]
    words = tuple((x0, y0, x1, y1, unicodedata.normalize("NFC", t))
                  for (x0, y0, x1, y1, t), _conf in scored)
    return OcrPage(tuple(lines), round(mean, 1), len(confs), rotation, skew, words, size,
                   rules)


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
    dpi: float | None = None,
) -> list[OcrPage]:
    """OCR pages in order, ``workers`` at a time (each a Tesseract process).

    ``dpi``: the images' resolution (default: each image's own, else 300).

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
        own = img.info.get("dpi") if hasattr(img, "info") else None
        res = dpi or (float(own[0]) if own and own[0] and own[0] > 30 else 300.0)
        return ocr_page(img, lang=lang, timeout_s=timeout_s, dpi=res)

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


_WORD = re.compile(r"[^\W\d_]+")


_COMMON = 3  # a one-letter syllable seen this often in the corpus's syllable counts is a word


def _glued(key: str, sylls: dict[str, int]) -> list[str] | None:
    """A word OCR glued from syllables ("tựở", "đầutư", "hợptácxã") as its
    syllables: the split into the fewest syllables the corpus uses, the
    rarest of them as common as can be; a one-letter syllable must be a
    common word with a mark ("ở" is; "a", "ơ" of a cut "phươ" are not);
    None when there is none.

    Example:
        >>> _glued("tựở", _syllables()), _glued("hợptácxã", _syllables())
        (['tự', 'ở'], ['hợp', 'tác', 'xã'])
    """
    if len(key) > 30 or len(key) != len(normalize(key)):
        return None
    best: list[tuple[int, int, list[str]] | None] = [None] * (len(key) + 1)
    best[0] = (0, 10**9, [])
    for i in range(len(key)):
        if best[i] is None:
            continue
        n, low, parts = best[i]  # type: ignore[misc]
        for j in range(i + 1, min(len(key), i + 7) + 1):
            piece = key[i:j]
            freq = sylls.get(piece)
            if not freq or (len(piece) < 2 and (piece.isascii() or freq < _COMMON)):
                continue
            cand = (n + 1, min(low, freq), [*parts, piece])
            cur = best[j]
            if cur is None or (cand[0], -cand[1]) < (cur[0], -cur[1]):
                best[j] = cand
    end = best[len(key)]
    return end[2] if end is not None and end[0] >= 2 else None


def correct_word(word: str) -> str:
    """A word OCR misread in its diacritics, corrected when the fix is clear.

    A Vietnamese syllable stays, and so do acronyms and words longer than
    any syllable.
    Otherwise every reading that changes one vowel's marks (or d/đ) is tried;
    the one the corpus uses most wins, or the only valid one. A word with
    Vietnamese letters that no such change makes a syllable is split into
    the syllables OCR glued together without a space (:func:`_glued`).

    Example:
        >>> correct_word("nghiẹp"), correct_word("hoach"), correct_word("Sở"), correct_word("UBND")
        ('nghiệp', 'hoạch', 'Sở', 'UBND')
        >>> correct_word("tựở"), correct_word("Đầutư"), correct_word("QUYÉT")
        ('tự ở', 'Đầu tư', 'QUYẾT')
    """
    sylls = _syllables()
    key = normalize(word).lower()
    if key not in sylls and not word.isascii():
        marked = _marks_fixed(word, key, sylls)
        if marked != word and sylls.get(normalize(marked).lower(), 0) > 0:
            return marked  # a syllable the corpus uses ("QUYÉT" -> "QUYẾT")
        parts = _glued(key, sylls)
        if parts:
            cut, out = 0, []
            for part in parts:
                out.append(word[cut:cut + len(part)])
                cut += len(part)
            return " ".join(out)
        return marked
    return _marks_fixed(word, key, sylls)


def _marks_fixed(word: str, key: str, sylls: dict[str, int]) -> str:
    """``word`` (``key``: its lower-case NFC form) with one vowel's marks
    changed to make it the corpus's most usual syllable, when that is clear."""
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
    return apply_case(word, ranked[0][0])


def _one_mark(key: str) -> list[str]:
    """The syllables a syllable becomes with one vowel's marks changed (its tone,
    its hat or horn), d/đ swapped, or a first "b" read for "h": the
    confusions OCR makes ("thị" for "thi", "đên" for "đến", "săn" for "sẵn",
    "Đề" for "Để", "thực biện" for "thực hiện"; "h" for "b" is left alone, as
    "hộ" -> "bộ" broke clean text)."""
    sylls = _syllables()
    variants = _variants()
    out = []
    for i, ch in enumerate(key):
        for alt in variants.get(ch, ()):
            cand = normalize(key[:i] + alt + key[i + 1:])
            if cand in sylls and len(cand) == len(key):
                out.append(cand)
    # a first letter read as its look-alike ("thực biện" for "thực hiện")
    swap = _LOOKALIKE_FIRST.get(key[:1])
    if swap and normalize(swap + key[1:]) in sylls:
        out.append(normalize(swap + key[1:]))
    return out


_LOOKALIKE_FIRST = {"b": "h"}  # a scan's "h" whose stem's top is lost reads "b"


# A reading is changed when the pairs the new one makes with its neighbours
# are seen at least _MIN_PAIRS times, and _TONE_RATIO times more than the
# pairs as read.
_TONE_RATIO = 8
_MIN_PAIRS = 3
# Words that go with anything: a pair with one of them says nothing about the
# word beside it ("các ban" is frequent, yet "các bản án" is right; "dân và"
# is frequent, yet "Nhâm Dần và" is right).
_ANY_NEIGHBOUR = frozenset(
    "các và được của cho có là với những này trong theo đã tại về từ một đến do "
    "thì mà hoặc như trên khi không sẽ đó bằng ra vào lại cũng đang vẫn việc "
    "nhiều mọi tới sau trước nên cùng ở qua mỗi để".split()
)


# A word that goes with anything still tells about the word before it when
# the two are a set phrase, seen _SET_PAIRS times at least and _SET_RATIO
# times more than the pair as read: "đối với" 289 times in the corpus texts,
# "đôi với" twice ("đi đôi với" is right, and "đi đôi" keeps it). Only after
# the word: before it, "các tính năng" would become "các tỉnh".
_SET_PAIRS = 100
_SET_RATIO = 100


def _telling(nxt: str | None, key: str, options: list[str], pairs: dict[str, int]
             ) -> str | None:
    """The word after ``key`` as its context: None when it tells nothing."""
    if nxt is None or nxt not in _ANY_NEIGHBOUR:
        return nxt
    best = max(pairs.get(f"{w} {nxt}", 0) for w in options)
    return nxt if best >= _SET_PAIRS and best >= _SET_RATIO * pairs.get(f"{key} {nxt}", 0) \
        else None


def restore_tones(line: str) -> str:
    """Marks OCR lost or misread put back where the neighbouring syllables make
    it clear. Tesseract reads "tổ chức" as "tô chức", "kế hoạch" as "kê hoạch",
    "thi hành" as "thị hành", "sẵn sàng" as "săn sàng", "Để triển khai" as "Đề
    triển khai": each a valid syllable that :func:`correct_word` must leave
    alone. Every reading with one vowel's marks changed (or d/đ) is weighed
    by the pairs it makes with the words beside it, counted in the corpus
    texts (``data/vi_bigrams.txt``); the reading as read stays unless another
    is far more usual there, and a reading that is common in its own right
    ("sau đây", "cơ quan đó") stays.

    Example:
        >>> restore_tones("Tô chức triên khai kê hoạch phát triên kinh tê")
        'Tổ chức triển khai kế hoạch phát triển kinh tế'
        >>> restore_tones("Cục Thị hành án; Đề triển khai")
        'Cục Thi hành án; Để triển khai'
        >>> restore_tones("như sau đây: nhân dân; đề xuất")
        'như sau đây: nhân dân; đề xuất'
        >>> restore_tones("Phạm Thị Thanh Trà")
        'Phạm Thị Thanh Trà'
    """
    pairs = bigrams()
    words = list(_WORD.finditer(line))
    if 2 <= len(words) <= 5 and all(m[0][:1].isupper() for m in words) and not line.isupper():
        return line  # a person's name ("Phạm Thị Thanh Trà" is not "thanh tra")
    keys = [normalize(m[0]).lower() for m in words]  # as corrected so far
    out = line
    for i, m in enumerate(words):
        key = keys[i]
        prev = keys[i - 1] if i and line[words[i - 1].end():m.start()] == " " else None
        nxt = (normalize(words[i + 1][0]).lower()
               if i + 1 < len(words) and line[m.end():words[i + 1].start()] == " " else None)
        options = _one_mark(key)
        if key in _ANY_NEIGHBOUR:
            # a word that fits anywhere ("thì", "để") is only told by a word
            # before it that has one word after it ("củng có" is "củng cố")
            bound = _bound_after(prev) if prev is not None else None
            if bound in options and pairs.get(f"{prev} {key}", 0) == 0:
                keys[i] = bound
                out = _put(out, m, apply_case(m[0], bound))
            continue
        if not options:
            continue
        prev = None if prev in _ANY_NEIGHBOUR else prev
        nxt = _telling(nxt, key, options, pairs)
        if prev is None and nxt is None:
            continue  # no telling context

        def left(w: str, prev: str | None = prev) -> int:
            return pairs.get(f"{prev} {w}", 0) if prev else 0

        def right(w: str, nxt: str | None = nxt) -> int:
            return pairs.get(f"{w} {nxt}", 0) if nxt else 0

        best = max(options, key=lambda w: left(w) + right(w))
        seen, was = left(best) + right(best), left(key) + right(key)
        new = apply_case(m[0], best)
        # ... and not against the other neighbour ("Luật tố tụng": "luật tổ"
        # is frequent, "tổ tụng" never seen, "tố tụng" seen).
        if (seen >= _MIN_PAIRS and seen > _TONE_RATIO * was and left(best) >= left(key)
                and right(best) >= right(key)):
            keys[i] = best
            out = _put(out, m, new)
    return out


def _put(line: str, m: re.Match[str], new: str) -> str:
    """``line`` with the word ``m`` found in it made ``new`` (of the same
    length: NFC, one letter's marks changed; else left)."""
    return line[: m.start()] + new + line[m.end():] if len(new) == len(m[0]) else line


def _bound_after(word: str) -> str | None:
    """The one word the corpus texts ever write after ``word`` when it is a
    bound syllable ("củng" only in "củng cố"): seen _MIN_PAIRS times at least,
    with no other word after it; else None."""
    return _bound_words().get(word)


@cache
def _bound_words() -> dict[str, str]:
    after: dict[str, list[tuple[str, int]]] = {}
    for pair, n in bigrams().items():
        first, _sp, second = pair.partition(" ")
        after.setdefault(first, []).append((second, n))
    sylls = _syllables()
    return {w: nx[0][0] for w, nx in after.items()
            if len(nx) == 1 and nx[0][1] >= _MIN_PAIRS and w in sylls}


# A word that is no Vietnamese syllable and that no change of marks mends
# (:func:`correct_word`) is often one letter off ("doank nghiệp", "kinF tế",
# "tậr huấn", "Nghệp") or two syllables glued with a mark lost ("Đâutư").
# Such a word is replaced only by a reading its neighbours vouch for: the
# pairs it makes with them are seen _MIN_PAIRS times at least in the corpus
# texts and _EDIT_RATIO times more than any other reading's.
_EDIT_RATIO = 3
_MAX_EDIT_LEN = 8  # letters: longer words are not a syllable one letter off


@cache
def _letters() -> str:
    """Every lower-case letter the corpus's syllables use."""
    return "".join(sorted({ch for s in _syllables() for ch in s}))


# Letters OCR reads for one letter of a worn or tight print ("bari hành" for
# "ban hành", corpus/pdf 17): tried as one edit.
_LOOKALIKE_LETTERS = (("ri", "n"), ("rn", "m"), ("in", "m"), ("li", "h"), ("cl", "d"))


def _one_edit(key: str) -> set[str]:
    """The syllables the corpus uses that are one letter away from ``key``
    (a letter changed, dropped or added, or two look-alike letters read for
    one: "ri" for "n"), two syllables included ("đâutư" -> "đầu tư") when the
    pair, marks changed in one of them or not, is a pair the corpus texts use."""
    sylls, pairs = _syllables(), bigrams()
    out: set[str] = set()
    letters = _letters()
    for i in range(len(key) + 1):
        for cand in ([key[:i] + key[i + 1:]] if i < len(key) else []) + [
                key[:i] + ch + key[i + 1:] for ch in letters if i < len(key)] + [
                key[:i] + ch + key[i:] for ch in letters]:
            if cand != key and sylls.get(cand, 0) > 0:
                out.add(cand)
    for seen, meant in _LOOKALIKE_LETTERS:  # "bari" -> "ban"
        at = key.find(seen)
        while at >= 0:
            cand = key[:at] + meant + key[at + len(seen):]
            if sylls.get(cand, 0) > 0:
                out.add(cand)
            at = key.find(seen, at + 1)
    for i in range(1, len(key)):
        left, right = key[:i], key[i:]
        for a in (left, *_one_mark(left)) if left in sylls else ():
            for b in (right, *_one_mark(right)) if right in sylls else ():
                if pairs.get(f"{a} {b}", 0) >= _MIN_PAIRS:
                    out.add(f"{a} {b}")
    return out


# A Vietnamese syllable has a vowel: a word in lower case with none ("kt" of
# "tổng kt") is no syllable, though acronyms in capitals ("KT.", "TW") put
# such keys in the syllable counts.
_VOWEL = re.compile(r"[aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


_LOST_VOWEL_PAIRS = 10


def _alone(line: str, m: re.Match[str]) -> bool:
    """A word in lower case between spaces or punctuation that ends a word
    (not part of an address, a unit or a symbol: "gov.vn", "đồng/kg")."""
    before, after = line[m.start() - 1 : m.start()], line[m.end() : m.end() + 1]
    return m[0].islower() and before in ("", " ") and after in ("", " ", ",", ";")


def _ranked(cands: set[str], score: Callable[[str], int], least: int) -> list[str] | None:
    """The candidates best first when the best scores ``least`` at least and
    _EDIT_RATIO times the next; else None."""
    ranked = sorted(((score(c), c) for c in cands), reverse=True)
    if not ranked or ranked[0][0] < least or (
            len(ranked) > 1 and ranked[0][0] < _EDIT_RATIO * ranked[1][0]):
        return None
    return [c for _s, c in ranked]


def mend_words(line: str) -> str:
    """Words that are no syllable (see above) replaced by the reading one
    letter away, or split in two, that the words beside them vouch for;
    acronyms, words in capitals and words with no telling neighbour stay.

    Example:
        >>> mend_words("hỗ trợ doank nghiệp, cơ sở kinF tế; tậr huấn")
        'hỗ trợ doanh nghiệp, cơ sở kinh tế; tập huấn'
        >>> mend_words("Bộ Kế hoạch và Đâutư; Sở THADS; email công vụ")
        'Bộ Kế hoạch và Đầu tư; Sở THADS; email công vụ'
        >>> mend_words("Xây dựng, bari hành các bộ chỉ số")
        'Xây dựng, ban hành các bộ chỉ số'
    """
    sylls, pairs = _syllables(), bigrams()
    words = list(_WORD.finditer(line))
    keys = [normalize(m[0]).lower() for m in words]
    edits: list[tuple[int, int, str]] = []
    for i, m in enumerate(words):
        word, key = m[0], keys[i]
        if ((key in sylls and (_VOWEL.search(key) or not _alone(line, m)))
                or len(key) > _MAX_EDIT_LEN or len(key) < 2
                or (word.isupper() and len(word) > 1) or sum(c.isupper() for c in word[1:]) > 1):
            continue
        prev = keys[i - 1] if i and line[words[i - 1].end():m.start()] == " " else None
        nxt = keys[i + 1] if i + 1 < len(words) and line[m.end():words[i + 1].start()] == " " \
            else None
        prev = None if prev in _ANY_NEIGHBOUR else prev
        nxt = None if nxt in _ANY_NEIGHBOUR else nxt

        def score(cand: str, befores: tuple[str, ...], afters: tuple[str, ...]) -> int:
            first, _, last = cand.rpartition(" ")
            inner = pairs.get(cand, 0) if first else 0
            return (inner + max((pairs.get(f"{b} {first or last}", 0) for b in befores),
                                default=0)
                    + max((pairs.get(f"{last} {a}", 0) for a in afters), default=0))

        cands = _one_edit(key)
        near = ((prev,) if prev else (), (nxt,) if nxt else ())
        ranked = _ranked(cands, lambda c, near=near: score(c, *near), _MIN_PAIRS)
        if ranked is None and not _VOWEL.search(key) and _alone(line, m):
            # a word whose vowel is lost ("tông kt"): a neighbour counts with
            # its marks as read or changed ("tổng kết" is a pair, "tông kết"
            # none), and must vouch more
            near = ((prev, *_one_mark(prev)) if prev else (), (nxt, *_one_mark(nxt)) if nxt else ())
            ranked = _ranked(cands, lambda c, near=near: score(c, *near), _LOST_VOWEL_PAIRS)
        if ranked is None:
            continue
        best = ranked[0]
        if " " not in best and prev is None and nxt is None:
            continue  # one letter changed needs a neighbour to vouch for it
        edits.append((m.start(), m.end(), apply_case(word, best)))
    for start, end, new in reversed(edits):
        line = line[:start] + new + line[end:]
    return line


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


@cache
def _form_fixes() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(id, pattern, replacement) rows of ``data/ocr_fixes.tsv``."""
    from importlib.resources import files

    rows = []
    text = files("pipeline.ingest.data").joinpath("ocr_fixes.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5:
            raise PipelineError(f"ocr_fixes.tsv: row {cols[0]!r} needs 5 tab-separated columns")
        rows.append((cols[0], re.compile(cols[1]), cols[2]))
    return tuple(rows)


def fix_form_words(line: str) -> str:
    """OCR misreadings of an official document's fixed form words fixed
    (``data/ocr_fixes.tsv``): "TÍNH QUẢNG NGÃI" is "TỈNH", "Sô:" is "Số:".

    Example:
        >>> fix_form_words("TÍNH QUẢNG NGÃI"), fix_form_words("Nơi nhậm:")
        ('TỈNH QUẢNG NGÃI', 'Nơi nhận:')
    """
    for _id, pattern, replacement in _form_fixes():
        line = pattern.sub(replacement, line)
    return line


@cache
def _province_names() -> dict[str, str]:
    """Folded province name -> the name ("hai duong" -> "Hải Dương")."""
    from extractors.gazetteer import gazetteer
    from extractors.textnorm import fold

    return {fold(p.name): p.name for p in gazetteer().provinces.provinces}


_HEADER_PLACE = re.compile(r"^(T[ỈIÍĨÌỊ]NH|THÀNH PHỐ|THANH PHO)\s+(.+?)\s*$")
_DATE_PLACE = re.compile(r"^(.+?)(,\s*ngày\b.*)$")
# The place-date line with its "ngày" lost (read with the handwritten day
# beside it as one unreadable word, then dropped): "Hà Nội, tháng 4 năm 2026".
_DATE_NO_DAY = re.compile(r"^(.+?),\s*(tháng\s*\d{1,2}\s+năm\s+\d{4}\b.*)$")


def fix_place_names(line: str) -> str:
    """A province name OCR read with wrong or lost marks, spelled right where the
    header or the place-date line names it ("TỈNH HÁI DƯƠNG", "TINH QUANG NGAI",
    "Đák Nông, ngày"): the letters must match a province's exactly. A
    place-date line whose "ngày" OCR lost (it sat against a handwritten day)
    gets it back: every place-date line has it.

    Example:
        >>> fix_place_names("TINH QUANG NGAI"), fix_place_names("Đák Nông, ngày 20 tháng 5")
        ('TỈNH QUẢNG NGÃI', 'Đắk Nông, ngày 20 tháng 5')
        >>> fix_place_names("Hà Nội, tháng 4 năm 2026")
        'Hà Nội, ngày tháng 4 năm 2026'
    """
    from extractors.textnorm import fold

    names = _province_names()
    m = _HEADER_PLACE.match(line)
    if m and line.isupper():
        name = names.get(fold(m[2]))
        if name:
            return ("TỈNH " if fold(m[1]) == "tinh" else "THÀNH PHỐ ") + name.upper()
    m = _DATE_PLACE.match(line)
    if m:
        name = names.get(fold(m[1]).strip())
        if name:
            return name + m[2]
    m = _DATE_NO_DAY.match(line)
    if m:
        name = names.get(fold(m[1]).strip())
        if name:
            return f"{name}, ngày {m[2]}"
    return line


# A run of digits that holds letters OCR confuses with digits ("tháng l1",
# "Covid-]9", "2O24"): not touching a letter on either side, at least one real
# digit, and only digits and those look-alikes.
_DIGIT_LOOKALIKE = re.compile(r"(?<![^\W\d_])(?=[\dlI\]O]*\d)[\dlI\]O]{2,}(?![^\W\d_])")
_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "]": "1", "O": "0"})
# Tesseract's Vietnamese model reads the en dash of "Lao động – Thương binh"
# (and of "2025 – 2026") as an em dash, which official texts do not use.
_EM_DASH = re.compile(r"(?<=\S) — (?=\S)")


# "khoản I Điều 12": clauses and articles are numbered in digits (chapters,
# parts and sections in Roman numerals: "Chương I", "Phần II" stay).
_CLAUSE_ONE = re.compile(r"\b([Kk]ho[aả]n|[Đđ]i[eêềếể]u)\s+[Il](?=[\s,.;:)]|$)")
# A symbol's type code with a letter OCR doubled ("4180/2006/QĐĐ-UBND").
_SYMBOL_CODE = re.compile(r"(?<=\d/)([A-ZĐ]{2,6})(?=-[A-ZĐ])")
_DOUBLED = re.compile(r"([A-ZĐ])\1")


def _fix_code(m: re.Match[str]) -> str:
    from extractors.legal_refs import doc_type_for_code

    code = m[1]
    single = _DOUBLED.sub(r"\1", code)
    if single != code and doc_type_for_code(code) is None and doc_type_for_code(single):
        return single
    return code


# A lone quote mark between words: a speck ("cấp " tỉnh"), not a quotation
# (whose marks touch their words).
_LONE_QUOTE = re.compile(r' ["“”](?= )')
# A speck read as a full stop inside a sentence ("áp. dụng", "Các. cơ quan"):
# a word of letters, then ".", then a word in lower case.
_SPECK_STOP = re.compile(r"(?<![\w.])([^\W\d_]{2,},?)\.(?= [^\W\d_])")
# A speck read as a full stop between two syllables with no space ("Bộ
# Tài.nguyên và Môi trường"): the stop goes and the words part. Only where
# both sides are Vietnamese syllables of two letters or more in lower case
# after the first: an initial ("N.chính"), a domain or an e-mail address
# ("quangngai.gov.vn") and numbers ("5.2.1") keep their stops.
_GLUED_STOP = re.compile(r"(?<![\w.@])([^\W\d_][a-zđà-ỹ]+)\.([a-zđà-ỹ]{2,})(?![\w.@])")
# "i" read as "1" inside a word ("quốc g1a").
_ONE_FOR_I = re.compile(r"(?<![\w.])([^\W\d_]+)1([^\W\d_]+)(?!\w)")


# Inside a symbol: "§" for an "8" between digits ("119/KH-BCĐ3§9QNg"), and an
# "I" read into the Quốc hội code ("206/2025/QHI15": QH + term, never "QHI").
_SECTION_EIGHT = re.compile(r"(?<=\d)§(?=\d)")
# "thực hiện./-", or "thi hành. -" at a line's end: the closing "./."
_CLOSING_DASH = re.compile(r"(?<=[^\W\d_])\.(?:/-(?=\s|$)| -$)")
# "§" read between a symbol's capital and lower-case letters ("389QN§g"): a speck
_SECTION_SPECK = re.compile(r"(?<=\d[A-ZĐ]{2})§(?=[a-z]\b)|(?<=\d[A-ZĐ])§(?=[a-z]\b)")
_QH_CODE = re.compile(r"(?<=/)QH[Il](?=\d{2}\b)")


# A capital read twice at a word's start ("ĐĐeo khẩu trang"): a syllable
# once the double goes ("TTg", "HĐND" are no such word and stay).
_DOUBLE_CAPITAL = re.compile(r"(?<![^\W\d_])([^\W\d_a-zđ])\1([^\W\d_]+)")


# "H5N8" read "H5N&": an "&" that ends a code of capitals and digits (a
# name's "KH&CN", "DD&CN" keep theirs: letters follow).
_AMP_EIGHT = re.compile(r"(?<![\w&])([A-ZĐ]+\d[A-ZĐ\d]*)&(?![\w&])")
# A header's number with a slash between its digits ("Số: 2/91/CT-CS"): a
# symbol is number/year/code or number/code, so a slash before a part that is
# no year is a hand's "1" (corpus/pdf 09, "2191" written by hand).
_NUMBER_SLASH = re.compile(r"^(Số:\s*\d{1,4})/(\d{1,3}/[A-ZĐ])")
# A speck read as a dash between two words in lower case that make a set
# phrase ("cán bộ, công – chức"): the corpus texts write the pair this often at
# least. A dash joins words that are no pair ("kinh tế - xã hội": "tế xã" 13).
_DASH_SPECK = re.compile(r"(?<![\w-])([a-zđà-ỹ]+) [-–—] ([^\W\d_][a-zđà-ỹ]*)(?![\w-])")
_DASH_PAIRS = 80


def _dash_speck(m: re.Match[str]) -> str:
    pair = f"{m[1]} {m[2].lower()}"  # a capital after it is a speck's too ("công – Chức")
    return pair if bigrams().get(normalize(pair), 0) >= _DASH_PAIRS else m[0]


# A speck read as a straight quote mark glued to a word in lower case ("tuần
# 'hoàn", '"dịch vụ'): an opening mark whose quotation never closes in its
# paragraph. (Curly marks are left: a quotation Tesseract reads as “...” is
# real more often, and may run past a line the layout did not join.)
_OPEN_QUOTE = re.compile(r"(?<=[\s(])[\"'](?=[a-zđà-ỹ])")
_CLOSE_QUOTE = {'"': re.compile(r'["”]'), "'": re.compile(r"['’]")}


def _unclosed_quotes(line: str) -> str:
    for m in reversed(list(_OPEN_QUOTE.finditer(line))):
        if not _CLOSE_QUOTE[m[0]].search(line, m.end()):
            line = line[: m.start()] + line[m.end():]
    return line


def _double_capital(m: re.Match[str]) -> str:
    once = m[1] + m[2]
    return once if m[2].islower() and normalize(once).lower() in _syllables() else m[0]


def _speck_stop(m: re.Match[str]) -> str:
    nxt = m.string[m.end() + 1 : m.end() + 2]
    return m[1] if nxt.islower() else m[0]


def _glued_stop(m: re.Match[str]) -> str:
    sylls = _syllables()
    both = all(normalize(w).lower() in sylls for w in (m[1], m[2]))
    return f"{m[1]} {m[2]}" if both else m[0]


def _one_for_i(m: re.Match[str]) -> str:
    word = f"{m[1]}i{m[2]}"
    return word if normalize(word).lower() in _syllables() else m[0]


def fix_ocr_chars(line: str) -> str:
    """Character confusions of OCR fixed where the reading is unambiguous:
    look-alike letters inside a number ("tháng l1" -> "tháng 11",
    "Covid-]9" -> "Covid-19"; "3§9" and "QHI15" inside a symbol) and a "1"
    inside a word that is a syllable with "i" ("g1a"), specks read as a lone
    quote mark or as a full stop before a word in lower case, a clause or
    article "I" ("khoản I Điều 12"),
    a letter doubled in a symbol's type code ("QĐĐ-UBND" when "QĐĐ" is no
    code and "QĐ" is) or a capital doubled at a word's start ("ĐĐeo"), a
    header number's "1" read as a slash ("Số: 2/91/CT-CS"), a speck read as a
    dash inside a set phrase ("công – chức"), a speck read as a full stop
    glued between two syllables ("Tài.nguyên"), "&"
    for the "8" ending a code ("H5N&"), a quote mark glued to a word in lower
    case that no mark closes on the line (a speck), and
    the em dash OCR puts for an en dash. Words
    ("Chương I", "QH15", "COVID") are left alone.

    Example:
        >>> fix_ocr_chars("ngày 17 tháng I1 năm 2O20, Covid-]9")
        'ngày 17 tháng 11 năm 2020, Covid-19'
        >>> fix_ocr_chars("Lao động — Thương binh; khoản I Điều 12 Luật số 67/2025/QH15")
        'Lao động – Thương binh; khoản 1 Điều 12 Luật số 67/2025/QH15'
        >>> fix_ocr_chars("Quyết định số 4180/2006/QĐĐ-UBND; Chương I")
        'Quyết định số 4180/2006/QĐ-UBND; Chương I'
        >>> fix_ocr_chars("Kế hoạch số 01/KH-BCĐ389QN§g, 119/KH-BCĐ3§9QNg")
        'Kế hoạch số 01/KH-BCĐ389QNg, 119/KH-BCĐ389QNg'
        >>> fix_ocr_chars('Kế hoạch quốc g1a. Cấp " tỉnh; áp. dụng, tập huấn,. hỗ trợ. Các')
        'Kế hoạch quốc gia. Cấp tỉnh; áp dụng, tập huấn, hỗ trợ. Các'
        >>> fix_ocr_chars("người dân: ĐĐeo khẩu trang; VPCP, TTg, PTTg, HĐND")
        'người dân: Đeo khẩu trang; VPCP, TTg, PTTg, HĐND'
        >>> fix_ocr_chars("cán bộ, công – Chức; kinh tế - xã hội; Lao động — Thương binh")
        'cán bộ, công chức; kinh tế - xã hội; Lao động – Thương binh'
        >>> fix_ocr_chars("Số: 2/91/CT-CS"), fix_ocr_chars("Số: 12/2025/NĐ-CP")
        ('Số: 2191/CT-CS', 'Số: 12/2025/NĐ-CP')
        >>> fix_ocr_chars("Cúm A/H5N&...), KH&CN; kinh tế tuần 'hoàn, “tín dụng đen”")
        'Cúm A/H5N8...), KH&CN; kinh tế tuần hoàn, “tín dụng đen”'
    """
    line = _DIGIT_LOOKALIKE.sub(lambda m: m[0].translate(_LOOKALIKES), line)
    line = _ONE_FOR_I.sub(_one_for_i, line)
    line = _QH_CODE.sub("QH", _SECTION_SPECK.sub("", _SECTION_EIGHT.sub("8", line)))
    line = _CLOSING_DASH.sub("./.", line)
    line = _LONE_QUOTE.sub("", line)
    line = _SPECK_STOP.sub(_speck_stop, line)
    line = _GLUED_STOP.sub(_glued_stop, line)
    line = _CLAUSE_ONE.sub(r"\1 1", line)
    line = _SYMBOL_CODE.sub(_fix_code, line)
    line = _DOUBLE_CAPITAL.sub(_double_capital, line)
    line = _NUMBER_SLASH.sub(r"\g<1>1\2", line)
    line = _AMP_EIGHT.sub(r"\g<1>8", line)
    line = _unclosed_quotes(line)
    line = _DASH_SPECK.sub(_dash_speck, line)
    return _EM_DASH.sub(" – ", line)


def layout_lines(pages: Sequence[OcrPage]) -> list[list[str]]:
    """The OCR'd pages' lines from their word boxes, as text PDF pages are read
    (:func:`pipeline.ingest.pdflayout.page_lines`: the header's and the
    signature block's two columns, running headers and page numbers, footnotes,
    tables), each line's Vietnamese diacritics cleaned up (:func:`correct_text`)."""
    from pipeline.ingest.pdflayout import page_lines

    out = []
    for lines in page_lines([_without_margin_specks(p.layout()) for p in pages]):
        fixed = [fix_place_names(fix_form_words(decode_marks(restore_tones(mend_words(
                     correct_text(fix_ocr_chars(normalize(ln)))[0])), _one_mark)))
                 for ln in lines]
        out.append(item_semicolons([ln for ln in fixed if not _junk_line(ln)]))
    return out


_ITEM = re.compile(r"^[-+] ")


def item_semicolons(lines: list[str]) -> list[str]:
    """A list item's closing ";" that OCR read as ":" put back where the next
    line is an item of the same list: an item ending in ":" introduces items of
    the level below ("+" under "-"), which clean texts almost never mark alike
    (1 of 36 such items in corpus/docs and corpus/pdf/docs).

    Example:
        >>> item_semicolons(["- Cục QLGS CST:", "- Ban PC:", "- Lưu: VT."])
        ['- Cục QLGS CST;', '- Ban PC;', '- Lưu: VT.']
        >>> item_semicolons(["- Các sở:", "+ Sở Tài chính;"])
        ['- Các sở:', '+ Sở Tài chính;']
    """
    out = list(lines)
    for k in range(len(out) - 1):
        if out[k].endswith(":") and _ITEM.match(out[k]) and out[k + 1][:2] == out[k][:2]:
            out[k] = out[k][:-1] + ";"
    return out


_BLANK_NUMBER = re.compile(r"^Số:\s*(?:/|\S*[^\d\s/]\S*\s+/)")
_BLANK_DAY = re.compile(r",?\s*ngày\W*tháng\b")
_BLANK_MONTH = re.compile(r"\btháng\W*năm\s+\d{4}")


def unread_header(lines: Sequence[str]) -> list[str]:
    """The header fields a scanned first page leaves blank or unreadable:
    ``number`` ("Số: /QĐ-UBND", "Số: 6§ /TB-UBND"), ``day`` ("ngày tháng 3
    năm 2018") and ``month``. On paper-signed letters these are written by
    hand after printing, in the blank the form leaves; Tesseract does not read
    handwriting reliably, so they stay blank rather than guessed, and the
    document's metadata says so (``ocr_unread``).

    Example:
        >>> unread_header(["Số: 6§ /TB-UBND", "Quảng Ngãi, ngày tháng 12 năm 2024"])
        ['number', 'day']
        >>> unread_header(["Số: 222/QĐ-TTg", "Hà Nội, ngày 23 tháng 01 năm 2025"])
        []
        >>> unread_header(["Số: 2/91/CT-CS", "Hà Nội ngày tháng năm 2026"])
        ['day', 'month']
    """
    out = []
    head = list(lines[:15])
    if any(_BLANK_NUMBER.match(ln) for ln in head):
        out.append("number")
    dates = [ln for ln in head if "ngày" in ln and "năm" in ln]
    if any(_BLANK_DAY.search(ln) for ln in dates):
        out.append("day")
    if any(_BLANK_MONTH.search(ln) for ln in dates):
        out.append("month")
    return out


def _without_margin_specks(page: LayoutPage) -> LayoutPage:
    """The page without the marks a scanner leaves in its margins, read as
    words ("sua", "=", "-" beside the text block): words of less than four
    characters lying, with a gap of twice the text's height, outside the
    block that the page's longer words make. Glued to the body's lines they
    would come inside sentences ("báo sua cáo", "giải = pháp")."""
    words = page.words
    long = sorted(w.x0 for w in words if len(w.text) >= 4)
    ends = sorted(w.x1 for w in words if len(w.text) >= 4)
    if len(long) < 20:
        return page
    heights = sorted(w.y1 - w.y0 for w in words if len(w.text) >= 4)
    gap = 2 * heights[len(heights) // 2]
    left, right = long[len(long) // 50], ends[-1 - len(ends) // 50]
    kept = [w for w in words
            if len(w.text) >= 4 or left - gap <= w.x1 and w.x0 <= right + gap]
    if len(kept) == len(words):
        return page
    from dataclasses import replace

    return replace(page, words=kept)


_PHONE_DIGITS = 6


def _junk_line(line: str) -> bool:
    """A line of a seal's or a signature's marks ("CN", "lệ +", "t?zUZ"): no word
    of three letters or more that is a Vietnamese syllable, no number of two
    digits or more beside a word of two letters ("Số: 12/QĐ-UBND") and fewer
    than six digits (a phone number wrapped onto its own line stays). A lone
    page number goes too.

    Example:
        >>> _junk_line("lệ +"), _junk_line("Số: 12/QĐ-UBND"), _junk_line("Lê Hồng Văn")
        (True, False, False)
        >>> _junk_line("02163.852708)."), _junk_line("12")
        (False, True)
    """
    sylls = _syllables()
    words = re.findall(r"[^\W\d_]+", line)
    if any(len(w) >= 3 and normalize(w).lower() in sylls for w in words):
        return False
    if len(re.findall(r"\d", line)) >= _PHONE_DIGITS:
        return False  # a sentence's last words, a phone number ("02163.852708).")
    number = re.search(r"\d{2,}", line) is not None
    return not (number and any(len(w) >= 2 and normalize(w).lower() in sylls for w in words))


def ocr_to_text(images: Sequence[PILImage.Image], *, source: str) -> OcrResult:
    """OCR page images into one text: pages in order, read by their layout
    (:func:`layout_lines`: columns, running lines, footnotes), Vietnamese
    diacritics cleaned up."""

    pages = ocr_images(images, source=source)
    lines = layout_lines(pages)
    text = join_hyphens("\n".join("\n".join(page) for page in lines if page))
    return OcrResult(tuple(pages), text)
