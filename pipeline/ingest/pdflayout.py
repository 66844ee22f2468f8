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

from pipeline.ingest.pdftables import find_tables, pdf_rules
from pipeline.ingest.pdfwords import Word, group_lines, median

__all__ = ["LayoutPage", "Word", "available", "layout_pages", "page_lines"]

# Pages whose text covers less of the page than this are scans (if they hold an image).
OCR_AREA = 0.01
TABLE_ROW = -2  # a "word" that is a whole table row, "cell | cell | ..."
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(slots=True)
class LayoutPage:
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    has_image: bool = False
    widgets: list[tuple[float, float, float, float]] = field(default_factory=list)
    # Ruling lines (x0, top, x1, bottom), for tables (pipeline.ingest.pdftables).
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


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
                # The visible page, as poppler reads it (the media box may differ)
                left, bottom, _right, top = page.get_bbox()
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
                lp.rules = pdf_rules(page, left, top)
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

# "CỘNG HÒA", also as a scan reads it ("CỌNG HÒA").
_QUOC_HIEU = re.compile(r"C[ỘỌOÔ]NG\s+H(?:[ÒOÓ]A|OÀ)")
_CONG = re.compile(r"C[ỘỌOÔ]NG$")
_MOTTO = re.compile(r"Độc\s*lập", re.I)
_DATE_RIGHT = re.compile(r"ngày\b.*\btháng\b.*\bnăm\b|\bnăm\s+\d{4}\s*$", re.I)


def _header_columns(
    lines: list[list[Word]], page: LayoutPage, *, dated: bool = True
) -> tuple[int, list[str]] | None:
    """(lines used, the header's text: left column lines, then right column lines).

    ``dated=False`` (a page after the first: the header of an attached Kế hoạch
    or Phụ lục, which has no number and date of its own) ends the header at the
    motto line ("Độc lập - Tự do - Hạnh phúc") when no date line follows."""
    top_third = page.height / 3
    qh = None
    for i, line in enumerate(lines[:12]):
        if min(w.y0 for w in line) > top_third:
            break
        text = " ".join(w.text for w in line)
        m = _QUOC_HIEU.search(text)
        if m:
            first = next((w for w in line if _CONG.match(w.text)), line[0])
            qh = (i, first.x0)
            break
    if qh is None:
        return None
    boundary = qh[1] - 4
    left: list[list[Word]] = []
    right: list[list[Word]] = []
    used = 0
    seen_date = False
    motto: tuple[int, int, int] | None = None  # (used, left lines, right lines) at the motto
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
        if rw and motto is None and _MOTTO.search(" ".join(w.text for w in rw)):
            motto = (used, len(left), len(right))
    if not seen_date:
        if dated or motto is None:
            return None
        used, n_left, n_right = motto
        left, right = left[:n_left], right[:n_right]
    return used, [ln for ln in (left + right)]  # type: ignore[misc]


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


def _with_tables(page: LayoutPage) -> list[Word]:
    """The page's words with each ruled table's words replaced by one word per
    row, "cell | cell | ...", spanning the row (so the row is one line, in its
    place among the page's lines)."""
    if len(page.rules) < 6:
        return page.words
    tables = find_tables(page.rules, page.words)
    if not tables:
        return page.words
    used = {id(w) for _t, inside in tables for w in inside}
    words = [w for w in page.words if id(w) not in used]
    for table, _inside in tables:
        for top, bottom, text in table.rows:
            words.append(Word(table.x0, top + 0.5, table.x1, bottom - 0.5, text, TABLE_ROW))
    return words


def page_lines(pages: list[LayoutPage]) -> list[list[str]]:
    """Each page's lines (empty for a page that needs OCR), furniture removed;
    ruled tables one row per line, cells joined by " | "."""
    grouped = [group_lines(_with_tables(p)) if not needs_ocr(p) else [] for p in pages]
    running = _running_keys(pages, grouped)
    out: list[list[str]] = []
    rows: list[set[str]] = []  # each page's table rows, as written in its lines
    body_ends: list[int] = []  # each page's number of lines before its footnotes
    open_end: tuple[int, int] | None = None  # (page, line) of a paragraph the page cut
    for n, (page, lines) in enumerate(zip(pages, grouped, strict=True)):
        if not lines:
            out.append([])
            rows.append(set())
            body_ends.append(0)
            open_end = None
            continue
        body_h = median([w.h for ln in lines for w in ln if w.widget != TABLE_ROW])
        margin = 0.08 * page.height
        kept: list[list[Word]] = []
        for line in lines:
            top = min(w.y0 for w in line)
            bottom = max(w.y1 for w in line)
            text = " ".join(w.text for w in line)
            at_edge = top < margin or bottom > page.height - margin
            if at_edge and (_PAGE_NUMBER.match(text) or (
                    _furniture_key(text) in running
                    and not (_QUOC_HIEU.search(text) or _MOTTO.search(text)))):
                continue
            kept.append(line)
        texts: list[str] = []
        start = 0
        # The document's header on its first page; an attached part's
        # (Kế hoạch, Phụ lục) on the page where it starts.
        header = _header_columns(kept, page, dated=n == 0)
        if header is not None:
            start, cols = header
            texts.extend(_join(ln, body_h) for ln in cols)  # type: ignore[arg-type]
        notes: list[str] = []
        body: list[list[Word]] = []
        for line in kept[start:]:
            note = _footnote(line, page, body_h)
            if note is not None:
                notes.append(note)
            else:
                body.append(line)
        main, closing = _footer_columns(body, page)
        texts.extend(_paragraphs(main, body_h))
        texts.extend(_join(line, body_h) for line in closing)
        texts = _rejoin_symbols(texts)
        # A paragraph cut by the page break: this page's first line goes on the
        # previous page's last paragraph (no closing punctuation there, a
        # lower-case start here, not a list item: a footnote OCR did not
        # recognize as one ends corpus/pdf 08's page 1, and page 2 starts
        # with item "b)").
        if open_end is not None and texts and texts[0][:1].islower() \
                and not _LIST_START.match(texts[0]):  # "b) Ủy ban ..." starts an item
            prev_page, at = open_end
            out[prev_page][at] = f"{out[prev_page][at]} {texts.pop(0)}"
        open_end = None
        if main and not closing and texts and not re.search(r"[.:;!?)\]”\"]$", texts[-1]) \
                and main[-1][0].widget != TABLE_ROW:
            open_end = (len(out), len(texts) - 1)
        out.append(texts + notes)
        rows.append({w.text for ln in main for w in ln if w.widget == TABLE_ROW})
        body_ends.append(len(texts))
    return _join_split_rows(out, rows, body_ends)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.split("|")]


def _same_row(a: str, b: str) -> bool:
    """Two readings of one table row (a header row repeated on each page)."""
    from difflib import SequenceMatcher

    a, b = " ".join(a.lower().split()), " ".join(b.lower().split())
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.75


def _join_split_rows(out: list[list[str]], rows: list[set[str]], body_ends: list[int]
                     ) -> list[list[str]]:
    """A table that runs over a page break, read as one table: the header row
    repeated at the top of the next page goes, and a row the break cut in two
    is one row again. The cut row's rest is the next page's first row when its
    first cell (TT) is empty and each of its other cells goes on mid-sentence
    (a lower-case start: "| kinh tế tuần hoàn theo quy định ... |  | nghiên
    cứu, trường đại học ..."); a row of its own under a merged cell starts
    with a capital or a dash ("|  | - Các bộ, cơ quan ngang bộ | ...") and
    stays. Lines of a word or two above the repeated header (a page number OCR
    misread) go with it.

    Example:
        >>> pages = [["Kế hoạch", "TT | Nhiệm vụ | Chủ trì", "1 | Rà soát các | Bộ Tư"],
        ...          ["TT | Nhiệm vụ | Chủ trì", " | quy định | pháp", "2 | Hướng dẫn | Bộ Y tế"]]
        >>> rows = [{"TT | Nhiệm vụ | Chủ trì", "1 | Rà soát các | Bộ Tư"},
        ...         {"TT | Nhiệm vụ | Chủ trì", " | quy định | pháp", "2 | Hướng dẫn | Bộ Y tế"}]
        >>> for lines in _join_split_rows(pages, rows, [3, 3]):
        ...     print(lines)
        ['Kế hoạch', 'TT | Nhiệm vụ | Chủ trì', '1 | Rà soát các quy định | Bộ Tư pháp']
        ['2 | Hướng dẫn | Bộ Y tế']
    """
    firsts = [next((t for t in page if t in rs), None)
              for page, rs in zip(out, rows, strict=True)]
    for p in range(1, len(out)):
        end = body_ends[p - 1]
        if end == 0 or out[p - 1][end - 1] not in rows[p - 1]:
            continue
        page = out[p]
        k = next((i for i, t in enumerate(page[:3]) if t in rows[p]), None)
        if k is None or any(len(t.split()) > 2 for t in page[:k]):
            continue
        header = firsts[p - 1]
        if header is not None and _same_row(page[k], header):
            # the table goes on: the header and the lines of a word or two above
            # it (a page number OCR misread, "lỗi" for "11") are the page's furniture
            del page[:k + 1]
            body_ends[p] -= k + 1
            k = 0
            if not page or page[0] not in rows[p]:
                continue
        cells = _cells(page[k])
        rest = [c for c in cells[1:] if c]
        if cells[0] or not rest or not all(c[:1].islower() for c in rest):
            continue
        before = _cells(out[p - 1][end - 1])
        width = max(len(before), len(cells))
        before += [""] * (width - len(before))
        cells += [""] * (width - len(cells))
        joined = [f"{a} {b}".strip() for a, b in zip(before, cells, strict=True)]
        while joined and not joined[-1]:
            joined.pop()
        out[p - 1][end - 1] = " | ".join(joined)
        rows[p - 1].add(out[p - 1][end - 1])
        del page[k]
        body_ends[p] -= 1
    return out


# A list item, an article or a chapter; not the words a wrapped line may start
# with ("Chương trình", "Điều chỉnh", "Điều kiện").
# An item's number has parts of three digits at most ("2.", "3.2.1)"): a
# longer number opening a line ("02163.852708).", a phone number wrapped onto
# the line) is the sentence's end.
_LIST_START = re.compile(
    r"^(?:[-–+•*]|\d{1,3}(?:\.\d{1,3})*[.)](?!\d)|[a-zđ][)]|[IVX]+\.|Điều\s+\d"
    r"|Chương\s+[IVXLC\d]+\b)"
)


def _paragraphs(lines: list[list[Word]], body_h: float) -> list[str]:
    """Body lines joined into paragraphs, one per line.

    A line continues into the next when the next line's first word would not
    have fitted at its end before the text's right edge (so the typesetter
    wrapped it), the next line is not indented and not far below, and it does
    not start a list item or a table row. Titles, short lines and list items
    keep their own lines.
    """
    texts = [(_join(ln, body_h), ln) for ln in lines]
    # The text's edges from lines of text: a scan's specks in the margin read
    # as a "line" of a mark or two would put the left edge in the margin, and
    # every line of the page would look indented (corpus/pdf 17, page 9).
    text_lines = [ln for ln in lines if ln[0].widget != TABLE_ROW and len(ln) >= 3] or [
        ln for ln in lines if ln[0].widget != TABLE_ROW]
    rights = sorted(max(w.x1 for w in ln) for ln in text_lines)
    lefts = sorted(min(w.x0 for w in ln) for ln in text_lines)
    if len(rights) < 3:
        return [t for t, _ln in texts]
    right = rights[int(0.9 * (len(rights) - 1))]
    left = lefts[int(0.1 * (len(lefts) - 1))]
    out: list[str] = []
    prev: list[Word] | None = None
    for text, ln in texts:
        if prev is not None and out and _continues(prev, ln, text, out[-1], left, right, body_h):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        prev = ln
    return out


def _centred(line: list[Word], left: float, right: float, body_h: float) -> bool:
    """A centred line (a title): in from both margins by about as much."""
    in_left = min(w.x0 for w in line) - left
    in_right = right - max(w.x1 for w in line)
    return in_left > 0.5 * body_h and abs(in_left - in_right) < 0.8 * body_h


def _continues(a: list[Word], b: list[Word], b_text: str, a_text: str, left: float,
               right: float, body_h: float) -> bool:
    if a[0].widget == TABLE_ROW or b[0].widget == TABLE_ROW or a_text.endswith("-"):
        return False
    if min(w.y0 for w in b) - max(w.y1 for w in a) > 1.0 * body_h:
        return False  # a blank line between: a new paragraph
    if min(w.x0 for w in b) > left + 1.2 * body_h or min(w.x0 for w in a) > right / 2:
        return False  # indented: a new paragraph; or a right-column line
    if _LIST_START.match(b_text) or _centred(a, left, right, body_h) or _centred(
            b, left, right, body_h):
        return False  # a list item; a title line
    first = b[0].x1 - b[0].x0
    return max(w.x1 for w in a) + 0.3 * body_h + first > right - 0.5 * body_h


# "Nơi nhận", also as a scan reads it ("Nơi nhậm", "Noi nhan").
_NOI_NHAN = re.compile(r"^N[ơoóò]i\s*nh[âậấaạ][nmu]\b", re.I)


def _gutter(lines: list[list[Word]], page: LayoutPage) -> float | None:
    """The x of the widest vertical strip (>= 6 pt) between 25% and 75% of the
    page width that the lines' words do not cross, or cross on one line in ten
    at most (a scan's specks and a seal's marks); None when there is none."""
    lo, hi = int(0.25 * page.width), int(0.75 * page.width)
    if hi - lo < 6 or not lines:
        return None
    crossed = [0] * (hi - lo)
    for line in lines:
        seen: set[int] = set()
        for w in line:
            for x in range(max(lo, int(w.x0)), min(hi, int(w.x1) + 1)):
                seen.add(x - lo)
        for x in seen:
            crossed[x] += 1
    allowed = len(lines) // 10
    best: tuple[int, int] | None = None
    start = None
    for x, n in enumerate(crossed + [len(lines) + 1]):
        if n <= allowed:
            start = x if start is None else start
            continue
        if start is not None and x - start >= 6 and (best is None or x - start > best[1] - best[0]):
            best = (start, x)
        start = None
    if best is None:
        return None
    return lo + (best[0] + best[1]) / 2


_AUTHORITY = frozenset({"TM.", "KT.", "TL.", "TUQ.", "Q.", "TM", "KT", "TL"})


def _signs(line: list[Word], page: LayoutPage) -> bool:
    """The first line of a signature block in the right half ("TL. CHỦ TỊCH",
    "KT. BỘ TRƯỞNG"), for when the "Nơi nhận" beside it is misread."""
    right = [w for w in line if w.x0 > 0.45 * page.width]
    return (
        len(right) >= 2 and right[0].text in _AUTHORITY and right[1].text.isupper()
        and min(w.y0 for w in line) > 0.3 * page.height
    )


def _footer_columns(
    lines: list[list[Word]], page: LayoutPage
) -> tuple[list[list[Word]], list[list[Word]]]:
    """The closing block of an official document, "Nơi nhận:" and its list on
    the left, the signature block (TM./KT. ..., title, name) on the right,
    read as its two columns: the left column's lines, then the right's.
    Returns (the lines before that block, the block's lines).

    The region starts at the "Nơi nhận" line, or at the signature block's
    first line when that sits just above it; it ends at the page's end.
    """
    k = next((i for i, ln in enumerate(lines) if _NOI_NHAN.match(" ".join(
        w.text for w in ln[:4] if any(c.isalpha() for c in w.text))) or _signs(ln, page)), None)
    if k is None:
        return lines, []
    gutter = _gutter(lines[k:], page)
    if gutter is None:
        return lines[:k], lines[k:]
    first = k
    # Signature-block lines just above "Nơi nhận" (right of the gutter only).
    while first > 0 and k - first < 3 and all(w.x0 > gutter for w in lines[first - 1]):
        first -= 1
    region = [w for ln in lines[first:] for w in ln]
    left = group_lines([w for w in region if (w.x0 + w.x1) / 2 < gutter])
    right = group_lines([w for w in region if (w.x0 + w.x1) / 2 >= gutter])
    return lines[:first], left + right


def _footnote(line: list[Word], page: LayoutPage, body_h: float) -> str | None:
    """'¹ text' for a footnote line: in the page's lower part, smaller than the
    body, starting with a raised number."""
    first = line[0]
    if len(line) < 2 or not first.text.isdigit() or len(first.text) > 2:
        return None
    if min(w.y0 for w in line) < page.height * 0.6:
        return None
    rest = line[1:]
    rest_h = median([w.h for w in rest])
    if rest_h >= 0.92 * body_h or first.y1 > rest[0].y1 - 0.15 * rest_h:
        return None
    return first.text.translate(_SUPERSCRIPTS) + " " + _join(rest, body_h)


def _running_keys(pages: list[LayoutPage], grouped: list[list[list[Word]]]) -> set[str]:
    """Lines in the top or bottom margin that repeat on 2+ pages and on at least
    a third of the pages with text (digits ignored): a header that opens the
    document and again an attached Kế hoạch is not a running header."""
    from collections import Counter

    with_text = sum(1 for g in grouped if g)
    if with_text < 2:
        return set()
    counts: Counter[str] = Counter()
    for page, lines in zip(pages, grouped, strict=True):
        margin = 0.08 * page.height
        keys = set()
        for line in lines:
            if min(w.y0 for w in line) < margin or max(w.y1 for w in line) > page.height - margin:
                keys.add(_furniture_key(" ".join(w.text for w in line)))
        counts.update(keys)
    return {k for k, n in counts.items() if n >= max(2, with_text / 3)}


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
