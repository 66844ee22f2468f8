"""Layout-aware text of born-digital PDF pages, from word positions.

Words and their boxes come from poppler's ``pdftotext -bbox-layout``, which,
unlike pdfium's and pdfminer's page text, also draws the appearance streams
of form widgets: the e-office signing system writes the document number and
the day into signature widgets ("Số: [11]/TB-UBND", "ngày [08] tháng 01"),
so those are read where they sit. The signature stamps themselves (widgets
holding "Ký bởi: ...", an e-mail, a signing time) are dropped from the text:
the signature facts are read from the signature (:mod:`pipeline.ingest.signatures`).

From the words, per page:

* lines are rebuilt by vertical overlap (so a widget's digits join the line
  they belong to) and words ordered left to right, with no space between a
  number and a following "/symbol";
* the two-column header of an official document (issuer | quốc hiệu; số |
  địa danh, ngày; V/v ...) is read as its two columns: the left column's lines
  first, then the right column's;
* running headers and footers (lines in the top or bottom margin that repeat
  across pages) and page numbers are dropped, wherever the page break falls
  in a sentence;
* footnotes (small lines at the page's foot that start with a raised number)
  are kept at the end of their page as "¹ text", and their markers removed
  from the word before ("42/2024/QH15¹" reads "42/2024/QH15");
* a line-end hyphen before a capital is rejoined only where the joined form
  is a document symbol ("QĐ-" / "UBND" -> "QĐ-UBND"; "kinh tế -" / "Xã hội"
  stays); before a lower-case letter, :func:`pipeline.ingest.formats.join_hyphens`
  decides ("Co-" / "vid-19" -> "Covid-19");
* table rows are read as one line each, cells joined by " | " in reading
  order (cells found from the ruling lines pdfium reports).

A page whose words (stamps aside) cover less than ``OCR_AREA`` of the page,
when the page carries an image, is a scan: it is returned empty, for OCR.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html import unescape

__all__ = ["LayoutPage", "Word", "available", "layout_pages", "page_lines"]

# Pages whose text covers less of the page than this are scans (if they hold an image).
OCR_AREA = 0.01
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(slots=True)
class Word:
    x0: float
    y0: float  # top, in points from the page's top
    x1: float
    y1: float
    text: str
    widget: int = -1  # index of the widget whose rectangle holds it, or -1

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class LayoutPage:
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    has_image: bool = False
    widgets: list[tuple[float, float, float, float]] = field(default_factory=list)


def available() -> bool:
    """True when poppler's pdftotext is installed (Debian's poppler-utils)."""
    return shutil.which("pdftotext") is not None


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>'
)


def _pdeathsig() -> None:
    """The child dies with its parent (a worker killed at its limit)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def poppler_words(data: bytes, *, timeout_s: float) -> list[LayoutPage]:
    """Every page's size and words, from ``pdftotext -bbox-layout``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run(
            ["pdftotext", "-q", "-bbox-layout", "-enc", "UTF-8", tmp.name, "-"],
            capture_output=True, timeout=timeout_s, check=False, preexec_fn=_pdeathsig,
        )
    if out.returncode != 0:
        raise ValueError(f"pdftotext failed ({out.stderr.decode(errors='replace')[:200].strip()})")
    pages = []
    for m in _PAGE.finditer(out.stdout.decode("utf-8", errors="replace")):
        page = LayoutPage(float(m[1]), float(m[2]))
        for w in _WORD.finditer(m[3]):
            text = unescape(w[5]).strip()
            if text:
                page.words.append(Word(float(w[1]), float(w[2]), float(w[3]), float(w[4]), text))
        pages.append(page)
    return pages


def _pdfium_facts(data: bytes, pages: list[LayoutPage]) -> None:
    """Widget rectangles and whether a page holds an image, from pdfium."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    pdf = pdfium.PdfDocument(data)
    try:
        for i, lp in enumerate(pages[: len(pdf)]):
            page = pdf[i]
            try:
                left, bottom, _right, top = page.get_mediabox()
                for k in range(c.FPDFPage_GetAnnotCount(page.raw)):
                    annot = c.FPDFPage_GetAnnot(page.raw, k)
                    try:
                        if c.FPDFAnnot_GetSubtype(annot) != c.FPDF_ANNOT_WIDGET:
                            continue
                        r = c.FS_RECTF()
                        if c.FPDFAnnot_GetRect(annot, r):
                            lp.widgets.append(
                                (r.left - left, top - r.top, r.right - left, top - r.bottom)
                            )
                    finally:
                        c.FPDFPage_CloseAnnot(annot)
                lp.has_image = any(
                    obj.type == c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=1)
                )
                if lp.widgets:
                    _mark_widget_words(lp, page, left, top)
            finally:
                page.close()
    finally:
        pdf.close()


def _mark_widget_words(lp: LayoutPage, page: object, left: float, top: float) -> None:
    """Mark the words drawn by a widget's appearance: inside its rectangle, and
    not in the page's own content (which pdfium's text page holds)."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        for w in lp.words:
            for k, (x0, y0, x1, y1) in enumerate(lp.widgets):
                if w.x0 >= x0 - 1 and w.x1 <= x1 + 1 and w.y0 >= y0 - 1 and w.y1 <= y1 + 1:
                    inset = min(1.0, (w.x1 - w.x0) / 4)
                    content = textpage.get_text_bounded(
                        left + w.x0 + inset, top - w.y1 + inset,
                        left + w.x1 - inset, top - w.y0 - inset,
                    )
                    if not content.strip():
                        w.widget = k
                    break
    finally:
        textpage.close()


def layout_pages(data: bytes, *, timeout_s: float) -> list[LayoutPage]:
    pages = poppler_words(data, timeout_s=timeout_s)
    _pdfium_facts(data, pages)
    for p in pages:
        _drop_stamps(p)
    return pages


_STAMP_WORDS = re.compile(r"@|^Ký$|^bởi:?$|^Thời$|^gian$|^ký:?$|^\+0[0-9]:00$", re.I)


def _drop_stamps(page: LayoutPage) -> None:
    """Signature stamps go; a widget holding a few words of the document (its
    number, the day) stays, merged into its line."""
    by_widget: dict[int, list[Word]] = {}
    for w in page.words:
        if w.widget >= 0:
            by_widget.setdefault(w.widget, []).append(w)
    stamps = {
        k for k, ws in by_widget.items()
        if len(ws) > 3 or any(_STAMP_WORDS.search(w.text) for w in ws)
    }
    page.words = [w for w in page.words if w.widget not in stamps]


def needs_ocr(page: LayoutPage) -> bool:
    """A scan: no words, or words covering a sliver of a page that holds an image."""
    if not page.words:
        return True
    area = sum(max(0.0, w.x1 - w.x0) * max(0.0, w.y1 - w.y0) for w in page.words)
    return page.has_image and area < OCR_AREA * page.width * page.height


# --------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap, each line left to right."""
    lines: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.cy, w.x0)):
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = spans[i]
            overlap = min(bottom, w.y1) - max(top, w.y0)
            if overlap >= 0.5 * min(w.h, bottom - top):
                lines[i].append(w)
                spans[i] = (min(top, w.y0), max(bottom, w.y1))
                break
        else:
            lines.append([w])
            spans.append((w.y0, w.y1))
    for line in lines:
        line.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: min(w.y0 for w in ln))
    return lines


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def _join(words: list[Word], body_h: float) -> str:
    """A line's text; footnote markers (small raised digits after a word) dropped."""
    out = ""
    for i, w in enumerate(words):
        text = w.text
        if i and _is_marker(w, words[i - 1], body_h):
            continue
        if out and not (text.startswith("/") and out[-1:].isdigit()) and not out.endswith("/"):
            out += " "
        out += text
    return out


def _is_marker(w: Word, before: Word, body_h: float) -> bool:
    return (
        w.text.isdigit() and len(w.text) <= 2 and w.h < 0.75 * body_h
        and w.y1 < before.y1 - 0.2 * before.h and w.x0 - before.x1 < 2
    )


_SYMBOL_JOIN = re.compile(r"[\dA-ZĐ&/.]*[A-ZĐ]-[A-ZĐ][A-ZĐ0-9&-]*")
_PAGE_NUMBER = re.compile(r"^\s*(?:(?:Trang|Page)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*/\s*\d+)?\s*$",
                          re.I)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


# --------------------------------------------------------------------------
# The header's two columns
# --------------------------------------------------------------------------

_QUOC_HIEU = re.compile(r"CỘNG\s+HÒA|CỘNG\s+HOÀ")
_DATE_RIGHT = re.compile(r"ngày\b.*\btháng\b.*\bnăm\b|\bnăm\s+\d{4}\s*$", re.I)


def _header_columns(lines: list[list[Word]], page: LayoutPage) -> tuple[int, list[str]] | None:
    """(lines used, the header's text: left column lines, then right column lines)."""
    top_third = page.height / 3
    qh = None
    for i, line in enumerate(lines[:12]):
        if min(w.y0 for w in line) > top_third:
            break
        text = " ".join(w.text for w in line)
        m = _QUOC_HIEU.search(text)
        if m:
            first = next(w for w in line if w.text.startswith("CỘNG"))
            qh = (i, first.x0)
            break
    if qh is None:
        return None
    boundary = qh[1] - 4
    left: list[list[Word]] = []
    right: list[list[Word]] = []
    used = 0
    seen_date = False
    for i, line in enumerate(lines):
        if min(w.y0 for w in line) > page.height / 2:
            break
        lw = [w for w in line if w.x1 <= boundary + 2]
        rw = [w for w in line if w.x1 > boundary + 2]
        crossing = any(w.x0 < boundary < w.x1 - 2 for w in line)
        if i > qh[0] and crossing:
            break
        if seen_date and rw:
            break  # the title, centred under the header
        if seen_date and lw and left and min(w.y0 for w in lw) - max(
            w.y1 for w in left[-1]
        ) > 2.5 * max(w.h for w in lw):
            break  # far below: the body
        if lw:
            left.append(lw)
        if rw:
            right.append(rw)
            if _DATE_RIGHT.search(" ".join(w.text for w in rw)):
                seen_date = True
        used = i + 1
    if not seen_date:
        return None
    return used, [ln for ln in (left + right)]  # type: ignore[misc]


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


def page_lines(pages: list[LayoutPage]) -> list[list[str]]:
    """Each page's lines (empty for a page that needs OCR), furniture removed."""
    grouped = [_lines(p.words) if not needs_ocr(p) else [] for p in pages]
    running = _running_keys(pages, grouped)
    out: list[list[str]] = []
    for n, (page, lines) in enumerate(zip(pages, grouped, strict=True)):
        if not lines:
            out.append([])
            continue
        body_h = _median([w.h for ln in lines for w in ln])
        margin = 0.08 * page.height
        kept: list[list[Word]] = []
        for line in lines:
            top = min(w.y0 for w in line)
            bottom = max(w.y1 for w in line)
            text = " ".join(w.text for w in line)
            at_edge = top < margin or bottom > page.height - margin
            if at_edge and (_PAGE_NUMBER.match(text) or _furniture_key(text) in running):
                continue
            kept.append(line)
        texts: list[str] = []
        start = 0
        if n == 0:
            header = _header_columns(kept, page)
            if header is not None:
                start, cols = header
                texts.extend(_join(ln, body_h) for ln in cols)  # type: ignore[arg-type]
        notes: list[str] = []
        for line in kept[start:]:
            note = _footnote(line, page, body_h)
            if note is not None:
                notes.append(note)
            else:
                texts.append(_join(line, body_h))
        out.append(_rejoin_symbols(texts) + notes)
    return out


def _footnote(line: list[Word], page: LayoutPage, body_h: float) -> str | None:
    """'¹ text' for a footnote line: in the page's lower part, smaller than the
    body, starting with a raised number."""
    first = line[0]
    if len(line) < 2 or not first.text.isdigit() or len(first.text) > 2:
        return None
    if min(w.y0 for w in line) < page.height * 0.6:
        return None
    rest = line[1:]
    rest_h = _median([w.h for w in rest])
    if rest_h >= 0.92 * body_h or first.y1 > rest[0].y1 - 0.15 * rest_h:
        return None
    return first.text.translate(_SUPERSCRIPTS) + " " + _join(rest, body_h)


def _running_keys(pages: list[LayoutPage], grouped: list[list[list[Word]]]) -> set[str]:
    """Lines in the top or bottom margin that repeat on 2+ pages (digits ignored)."""
    from collections import Counter

    if sum(1 for g in grouped if g) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page, lines in zip(pages, grouped, strict=True):
        margin = 0.08 * page.height
        keys = set()
        for line in lines:
            if min(w.y0 for w in line) < margin or max(w.y1 for w in line) > page.height - margin:
                keys.add(_furniture_key(" ".join(w.text for w in line)))
        counts.update(keys)
    return {k for k, n in counts.items() if n >= 2}


def _rejoin_symbols(lines: list[str]) -> list[str]:
    """'... số 12/QĐ-' + 'UBND ngày ...' -> '... số 12/QĐ-UBND' + 'ngày ...'."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("-") and line:
            head, _, tail = out[-1].rpartition(" ")
            first, _, rest = line.partition(" ")
            if _SYMBOL_JOIN.fullmatch(tail + first):
                out[-1] = f"{head} {tail}{first}".strip()
                if rest:
                    out.append(rest)
                continue
        out.append(line)
    return out
