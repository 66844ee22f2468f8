"""Format readers behind :func:`pipeline.ingest.load.load`: text decoding, HTML, PDF, DOCX.

Each reader takes the file's bytes and the source name (for error messages)
and returns the text plus what the file states about itself. Every failure
is an :class:`~pipeline.ingest.errors.IngestError` subclass that names the file
and the cause. Nothing here cleans text; that is :func:`pipeline.ingest.clean.clean`.

Decisions (written down because the spec left them open):

* HTML: the article date line ("15:09:01 | 16/4/2024") is page furniture,
  so it becomes ``published`` and leaves the text. The "Nguồn: ..." line
  stays in the text (it may be the only place that names the source
  document) and is also returned as ``source_name``.
* HTML ``<header>``/``<footer>`` are dropped only outside ``<article>`` and
  ``<main>``: portals put the article's own heading in an inner ``<header>``.
* PDF: a line broken as "Co-" / "vid-19" joins to "Covid-19" (a loan word
  split by the typesetter). Vietnamese syllables are separate words, so a
  broken "phát-" / "triển" (left part carries Vietnamese diacritics) is a
  stray hyphen between two syllables and joins with a space: "phát triển".
* Plain text keeps its lines as saved, except a leading scraper marker
  "date YYYY-MM-DD", which becomes ``published`` and leaves the text.
"""

from __future__ import annotations

import codecs
import io
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import Any

from extractors.dates import iso
from pipeline.ingest import legacy
from pipeline.ingest.errors import EncodingError, IngestError, UnreadableDocx, UnreadablePdf
from pipeline.ingest.hyphens import join_hyphens
from pipeline.ingest.limits import Limits

# --------------------------------------------------------------------------
# Text decoding
# --------------------------------------------------------------------------

_CP1258_BASE_VOWELS = frozenset("aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 LE/BE from where the NUL bytes sit (ASCII-heavy text)."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    # Latin/Vietnamese text in UTF-16 has a NUL in the high byte of most chars.
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_cp1258(data: bytes) -> bool:
    """True when the bytes read as Vietnamese in Windows-1258.

    cp1258 writes tone marks as combining bytes after a base vowel
    ("e" + 0xEC for "é"); other single-byte code pages give those bytes to
    rare letters (Ì ì Ò ò Þ), so "tone byte after a vowel, often" is a
    reliable signal.
    """
    tone_after_vowel = 0
    tone_total = 0
    text = data.decode("cp1258", errors="replace")
    for i, ch in enumerate(text):
        if ch in "\u0300\u0301\u0303\u0309\u0323":
            tone_total += 1
            if i and text[i - 1] in _CP1258_BASE_VOWELS:
                tone_after_vowel += 1
    return tone_total > 0 and tone_after_vowel >= 0.8 * tone_total


def _is_mostly_text(text: str) -> bool:
    """Reject decoded binary: control characters or U+FFFD in bulk."""
    if not text:
        return True
    bad = sum(
        1
        for ch in text[:20000]
        if ch == "\ufffd"
        or (unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in "\t\n\r\f\v")
    )
    return bad <= 0.02 * min(len(text), 20000)


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few damaged bytes (a stray byte, a file cut mid-character):
    the text with each invalid sequence replaced by U+FFFD, and how many.

    None when the invalid sequences are not rare next to the valid multi-byte
    ones, as in a legacy-encoded file (TCVN3, VNI, Windows-1258), which is
    decoded by its own rules instead.

    Example:
        >>> _mostly_utf8("Sở Tài chính".encode() + b"\\xff")
        ('Sở Tài chính\ufffd', 1)
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= 0:
        return None
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    ascii_only = multibyte == 0 and bad <= 3 and len(text) >= 20 * bad
    cut_short = bad == 1 and text.endswith("\ufffd")  # a file cut mid-character
    if bad * 10 <= multibyte or ascii_only or cut_short:
        return text, bad
    return None


def decode_text(data: bytes, *, source: str, legacy_spans: bool = True) -> tuple[str, str]:
    """Decode a text file's bytes, returning (text, encoding name).

    Order: BOM (UTF-8/16/32); UTF-16 without BOM (NUL-byte pattern); strict
    UTF-8, with lines typed in a legacy font converted (label "utf-8+tcvn3";
    not with ``legacy_spans=False``, for HTML, which converts after parsing);
    the legacy Vietnamese encodings, line by line
    (:func:`pipeline.ingest.legacy.decode_bytes`: "tcvn3", "vni", "viscii",
    "cp1258", or a mix such as "utf-8+tcvn3"); Windows-1258 by its tone
    bytes (then NFC, since cp1258 uses combining tone marks);
    charset-normalizer. Binary data raises :class:`EncodingError`.

    Example:
        >>> decode_text("Sở Tài chính".encode("utf-16"), source="a.txt")
        ('Sở Tài chính', 'utf-16')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as e:
                raise EncodingError(
                    source, f"invalid {codec} after its byte-order mark: {e}"
                ) from e
    if b"\x00" in data:
        codec16 = _utf16_without_bom(data)
        if codec16 is not None:
            try:
                text = data.decode(codec16)
            except UnicodeDecodeError:
                text = None
            if text is not None and _is_mostly_text(text):
                return text, codec16
        raise EncodingError(
            source,
            "binary data (NUL bytes), not text. Pass a .pdf/.docx under its own suffix, "
            "or save the text as UTF-8.",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        damaged = _mostly_utf8(data)
        if damaged is not None:
            text, bad = damaged
            if legacy_spans:
                text = legacy.convert_text(text)[0]
            return text, f"utf-8 ({bad} invalid byte sequence{'s' if bad > 1 else ''} replaced)"
    else:
        if not legacy_spans:
            return text, "utf-8"
        # Text pasted from a .VnTime/VNI document keeps the font's bytes as
        # Latin-1 letters ("Céng hßa"): convert those lines.
        converted, used = legacy.convert_text(text)
        return converted, "+".join(("utf-8", *used))
    found = legacy.decode_bytes(data)  # TCVN3, VNI, VISCII, Windows-1258, line by line
    if found is not None and _is_mostly_text(found[0]):
        return found
    if _looks_cp1258(data):
        try:
            return unicodedata.normalize("NFC", data.decode("cp1258")), "cp1258"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _is_mostly_text(text):
            return text, str(best.encoding)
    raise EncodingError(
        source,
        "mostly non-text bytes or an unknown encoding. Save the file as UTF-8 "
        "(UTF-16, Windows-1258 and other legacy encodings are also read).",
    )


# --------------------------------------------------------------------------
# Lines that portals and scrapers add: dates, sources, counters
# --------------------------------------------------------------------------

_WEEKDAY = r"(?:Thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|Chủ\s+nhật|CN|T[2-7])"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|SA|CH))?(?:\s*\(?GMT\s*\+\s*7\)?)?"
_DATE_LINE = re.compile(
    rf"""^\s*
    (?:(?:Cập\s+nhật|Ngày\s+đăng|Đăng\s+ngày|Ngày\s+cập\s+nhật|Ngày)\s*:?\s*)?  # label
    (?:{_TIME}\s*[|,\-–]?\s*)?                 # "15:09:01 |"
    (?:{_WEEKDAY}\s*[,\-–]?\s*)?              # "Thứ hai,"
    (?:ngày\s+)?
    (?P<d>\d{{1,2}})[/.\-](?P<m>\d{{1,2}})[/.\-](?P<y>\d{{4}})
    (?:\s*[|,\-–]?\s*{_TIME})?                # "08:22"
    (?:\s*[|,\-–]?\s*(?:Số\s+lượt\s+xem|Lượt\s+xem|Lượt\s+đọc)\s*:?\s*[\d.,]+)?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
_SOURCE_LINE = re.compile(
    r"^\s*Nguồn(?:\s+tin)?\s*(?::|-|–)\s*(?P<a>\S.{0,200}?)\s*$|"
    r"^\s*Nguồn\s+(?P<b>[^:\n]{1,40}:\s*\S.{0,200}?)\s*$"
)
# Whole lines that are share buttons or visit counters, never content.
_FURNITURE_LINE = re.compile(
    r"""^\s*(?:
      (?:(?:Chia\s+sẻ|Chia\s+sẻ\s+bài\s+viết|In\s+bài|In\s+trang|Bản\s+in|Gửi\s+email|Email|
         Facebook|Zalo|Twitter|Linkedin|Lưu\s+bài|Quay\s+lại|Về\s+đầu\s+trang|Bình\s+luận)
       [\s:|,/·•-]*)+                                   # "Chia sẻ Facebook Zalo In bài"
    | Thống\s+kê\s+truy\s+cập
    | Liên\s+kết\s+(?:Website|web)
    | (?:Online|Đang\s+(?:truy\s+cập|online)|Đã\s+truy\s+cập|Lượt\s+truy\s+cập|
         Tổng\s+(?:số\s+)?lượt\s+truy\s+cập|
         Hôm\s+nay|Hôm\s+qua|Trong\s+tuần|Trong\s+tháng|Tất\s+cả|(?:Số\s+)?lượt\s+xem)
      \s*:?\s*[\d.,]+
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def date_line(line: str) -> str | None:
    """The ISO date of a standalone article date line, or None.

    Example:
        >>> date_line("15:09:01 | 16/4/2024"), date_line("Thứ hai, 16/04/2024")
        ('2024-04-16', '2024-04-16')
    """
    m = _DATE_LINE.match(line)
    return iso(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def source_line(line: str) -> str | None:
    """What a "Nguồn: ..." line names, or None.

    Example:
        >>> source_line("Nguồn: Cổng TTĐT tỉnh Lai Châu")
        'Cổng TTĐT tỉnh Lai Châu'
    """
    m = _SOURCE_LINE.match(line)
    if not m:
        return None
    return m["a"] or m["b"]


def is_furniture_line(line: str) -> bool:
    """True for share buttons and visit counters ("Online : 3874").

    Example:
        >>> is_furniture_line("Chia sẻ Facebook Zalo In bài")
        True
        >>> is_furniture_line("Chia sẻ kinh nghiệm quản lý KCN")
        False
    """
    return bool(_FURNITURE_LINE.match(line))


@dataclass(frozen=True, slots=True)
class TextParts:
    """What a reader found: the text plus what the file states about itself."""

    text: str
    title: str | None = None
    published: str | None = None
    source_name: str | None = None
    meta: tuple[tuple[str, str], ...] = ()


def plain_text(text: str, *, markdown: bool) -> TextParts:
    """Read a decoded .txt/.md: scraper date marker, date line, "Nguồn" line, md title.

    Example:
        >>> plain_text(" date 2025-08-05 Phó Chủ tịch UBND tỉnh", markdown=False).published
        '2025-08-05'
    """
    published = None
    m = _DATE_MARKER.match(text)
    if m:
        published = iso(int(m[1]), int(m[2]), int(m[3]))
        if published:
            text = text[m.end() :]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if published is None:
        for ln in lines[:10]:
            published = date_line(ln)
            if published:
                break
    source_name = None
    for ln in reversed(lines[-5:]):
        source_name = source_line(ln)
        if source_name:
            break
    title = None
    if markdown and lines:
        title = (
            re.sub(r"^\s{0,3}#{1,6}\s*|\s*#+\s*$", "", lines[0]).strip().strip("*_").strip() or None
        )
    return TextParts(text, title=title, published=published, source_name=source_name)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "nav", "aside", "form", "svg", "template",
    "button", "select", "object", "embed", "canvas", "audio", "video", "link", "meta",
)  # fmt: skip
_FURNITURE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|navigation|share|sharing|social|counter|"
    r"breadcrumbs?|comments?|thongke|thong-ke|luot-truy-cap|sidebar|banner|advert|ads)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "address article blockquote body caption dd div dl dt fieldset figcaption figure h1 h2 h3 h4 "
    "h5 h6 hr li main ol p pre section table tbody tfoot thead tr ul center".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_WS_RUN = re.compile(r"\s+")
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode_html(data: bytes, *, source: str) -> tuple[str, str]:
    """Decode HTML bytes: BOM, then the declared <meta charset>, then :func:`decode_text`.

    Example:
        >>> decode_html(b'<meta charset="windows-1258"><p>S\\xf5</p>', source="a.html")
        ('<meta charset="windows-1258"><p>Sơ</p>', 'cp1258')
    """
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        m = _HTML_CHARSET.search(data[:4096])
        if m:
            codec = m[1].decode("ascii").lower()
            if codec in ("windows-1258", "cp1258"):
                codec = "cp1258"
            try:
                text = data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                return unicodedata.normalize("NFC", text) if codec == "cp1258" else text, codec
    return decode_text(data, source=source, legacy_spans=False)


def _inside(node: Any, tags: frozenset[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _html_blocks(root: Any) -> list[str]:
    """Walk the tree without recursion; block elements start new lines.

    Whitespace inside text collapses as a browser shows it, except in <pre>.
    """
    out: list[str] = []
    stack: list[tuple[Any, bool, bool]] = [(root, True, False)]  # node, entering, in <pre>
    while stack:
        node, entering, in_pre = stack.pop()
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            out.append(text if in_pre else _WS_RUN.sub(" ", text))
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag in ("-comment", "_comment"):
            continue
        if not entering:
            if tag in _CELL_TAGS:
                out.append(" | ")
            elif tag in _BLOCK_TAGS:
                out.append("\n")
            continue
        if tag in _BLOCK_TAGS:
            out.append("\n")
        stack.append((node, False, in_pre))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        in_pre = in_pre or tag == "pre"
        stack.extend((c, True, in_pre) for c in reversed(children))
    return out


_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li td th tr "
    "option dt dd".split()
)  # void, or closed implicitly by the next one: they don't nest in practice


def html_depth(html: str) -> int:
    """How deep elements nest, counting opened minus closed tags (linear).

    Example:
        >>> html_depth("<div><div><p>x</div></div><br>")
        2
    """
    depth = top = 0
    for m in _HTML_TAG.finditer(html):
        tag = m[2].lower()
        if tag in _VOID_TAGS or m[3]:
            continue
        if m[1]:
            depth = max(0, depth - 1)
        else:
            depth += 1
            top = max(top, depth)
    return top


def html_to_text(data: bytes, *, source: str, limits: Limits | None = None) -> TextParts:
    """Article text of an HTML page, without menus, counters and share buttons.

    Example:
        >>> page = "<h1>Công văn 846</h1><nav>Trang chủ</nav>"
        >>> page += "<p>15:09:01 | 16/4/2024</p><p>Giao Sở</p>"
        >>> parts = html_to_text(page.encode(), source="a.html")
        >>> parts.text, parts.published
        ('Công văn 846\\nGiao Sở', '2024-04-16')
    """
    from selectolax.lexbor import LexborHTMLParser

    html, encoding = decode_html(data, source=source)
    limits = limits or Limits()
    # The HTML parser's work grows with the square of the nesting (150,000
    # unclosed <div>s: minutes): refuse such pages before parsing.
    depth = html_depth(html)
    if depth > limits.max_html_depth:
        raise limits.refuse(
            source, f"elements nest {depth} deep", "max_html_depth", "levels",
            "No real page nests so deep; raise the limit if this one is genuine.",
        )
    tree = LexborHTMLParser(html)
    title = None
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None:
            title = " ".join(node.text(deep=True).split()) or None
            if title:
                break
    address = _page_address(tree)
    for node in tree.css(",".join(_DROP_TAGS)):
        node.decompose()
    for node in tree.css("header, footer"):
        if not _inside(node, frozenset({"article", "main"})):
            node.decompose()
    protected = frozenset({"html", "body", "main", "article"})
    for node in tree.css("[class], [id]"):
        if node.tag in protected or node.parent is None:
            continue
        attrs = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if not _FURNITURE_ATTR.search(attrs):
            continue
        # Never drop a wrapper that holds the article itself.
        if node.css_first("article, h1") is not None:
            continue
        node.decompose()
    root = tree.body if tree.body is not None else tree.root
    raw = "".join(_html_blocks(root)) if root is not None else ""
    lines: list[str] = []
    published = None
    source_name = None
    for line in raw.split("\n"):
        line = " ".join(line.split()).strip(" |")
        if not line or is_furniture_line(line):
            continue
        if published is None and len(line) <= 80:
            published = date_line(line)
            if published:
                continue
        if lines and line == lines[-1]:
            continue  # a photo caption printed twice (alt text + caption)
        src = source_line(line)
        if src:
            source_name = src
        lines.append(line)
    text, used = legacy.convert_text("\n".join(lines))
    if used:  # a page typed in .VnTime/VNI fonts: its letters arrive as Latin-1
        encoding = "+".join((encoding, *used))
        title = legacy.convert_text(title)[0] if title else title
    return TextParts(
        text,
        title=title,
        published=published,
        source_name=source_name,
        meta=(("encoding", encoding),) + ((("url", address),) if address else ()),
    )


def _page_address(tree: Any) -> str | None:
    """The address a saved page states for itself (``<link rel="canonical">``,
    ``og:url``): a portal's address names its province or district."""
    for selector, attr in (
        ('link[rel="canonical"]', "href"),
        ('meta[property="og:url"]', "content"),
    ):
        node = tree.css_first(selector)
        value = (node.attributes.get(attr) or "").strip() if node is not None else ""
        if value.lower().startswith(("http://", "https://")) and len(value) <= 1000:
            return value
    return None


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:Trang|Page)\s*\d+(?:\s*(?:/|of|trên)\s*\d+)?|[-–—]?\s*\d+\s*[-–—]?|\d+\s*/\s*\d+)\s*$",
    re.IGNORECASE,
)


def _norm_line(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove headers/footers: lines (digits ignored) at the top or bottom of 2+ pages.

    Page-number lines ("Trang 1/3", "- 2 -") at a page's edge go too, when
    there are 2+ pages.

    Example:
        >>> strip_running_lines([["BỘ Y TẾ", "Kính gửi", "Trang 1/2"], ["BỘ Y TẾ", "Lưu", "- 2 -"]])
        [['Kính gửi'], ['Lưu']]
    """
    if len(pages) < 2:
        return pages
    zone = 2
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = set(lines[:zone]) | set(lines[-zone:])
        counts.update({_norm_line(ln) for ln in edge})
    need = max(2, (len(pages) * 6 + 9) // 10)  # 60% of the pages, at least 2
    running = {key for key, n in counts.items() if n >= need}
    out = []
    for lines in pages:
        keep = list(lines)
        # Only strip from the edges, so a repeated sentence mid-page stays.
        while keep[:1] and (_norm_line(keep[0]) in running or _PAGE_NUMBER.match(keep[0])):
            keep.pop(0)
        while keep[-1:] and (_norm_line(keep[-1]) in running or _PAGE_NUMBER.match(keep[-1])):
            keep.pop()
        out.append(keep)
    emptied = sum(1 for lines, keep in zip(pages, out, strict=True) if lines and not keep)
    if emptied * 2 >= sum(1 for lines in pages if lines):
        # The "running" lines are the pages themselves (a form repeated on every
        # page, a short text per page): keep them, drop only page numbers.
        return [[ln for ln in lines if not _PAGE_NUMBER.match(ln)] for lines in pages]
    return out


def _exception_chain(exc: BaseException) -> list[BaseException]:
    chain = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    # pdfplumber wraps pdfminer errors and keeps the original in args.
    for e in list(chain):
        chain.extend(a for a in e.args if isinstance(a, BaseException))
    return chain


@dataclass(frozen=True, slots=True)
class PdfPages:
    """A PDF's text layer, page by page, before OCR and joining."""

    pages: list[list[str]]
    title: str | None
    fonts: tuple[str, ...]  # the most used font names (legacy-encoding hints)
    page_count: int | None = None  # when ``pages`` was merged (OCR'd scans)
    layout: bool = False  # read by pdflayout: furniture and hyphens already handled
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR (Unicode: no legacy fonts there)

    @property
    def blank(self) -> list[int]:
        """Pages with no text layer: scanned pages, for OCR."""
        return [i for i, lines in enumerate(self.pages) if not lines]


def pdf_page_count(data: bytes, *, source: str) -> int | None:
    """Pages in the PDF's page tree (cheap: no page is parsed); None if pdfium can't tell."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - the text reader reports what is wrong
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def check_pages(data: bytes, *, source: str, limits: Limits) -> None:
    """Refuse a PDF with more pages than ``limits.max_pages``, before parsing any."""
    n = pdf_page_count(data, source=source)
    if n is not None and n > limits.max_pages:
        raise limits.refuse(source, f"{n} pages", "max_pages", "pages",
                            "Split the file, or raise the limit.")


def _pdf_title(data: bytes) -> str | None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - no title then
        return None
    try:
        title = pdf.get_metadata_dict(skip_empty=True).get("Title")
    finally:
        pdf.close()
    title = str(title).removeprefix("Microsoft Word - ").strip() if title else None
    if title:
        title = legacy.convert_text(title)[0]  # a .VnTime title arrives as Latin-1 letters
    return title or None


def pdf_pages(data: bytes, *, source: str, limits: Limits | None = None) -> PdfPages:
    """Read a PDF's text layer page by page (no OCR). Raises UnreadablePdf.

    With poppler installed, pages are read by :mod:`pipeline.ingest.pdflayout`
    (widget text, header columns, furniture, footnotes); without it, by
    pdfplumber's page text.
    """
    limits = limits or Limits()
    check_pages(data, source=source, limits=limits)
    from pipeline.ingest import pdflayout

    if pdflayout.available() and pdf_page_count(data, source=source):
        try:
            pages = pdflayout.page_lines(
                pdflayout.layout_pages(data, timeout_s=limits.parse_timeout_s)
            )
        except (ValueError, OSError, subprocess.SubprocessError):
            pass  # pdfplumber below says what is wrong with the file
        else:
            if pages:
                return PdfPages(pages, _pdf_title(data), (), layout=True)
    return _plumber_pages(data, source=source)


def _plumber_pages(data: bytes, *, source: str) -> PdfPages:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    fonts: Counter[str] = Counter()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            metadata = dict(pdf.metadata or {})
            pages = []
            for page in pdf.pages:
                text = page.extract_text() or ""
                pages.append([ln.strip() for ln in text.splitlines() if ln.strip()])
                if text.strip() and sum(fonts.values()) < 5000:
                    fonts.update(str(c.get("fontname", "")) for c in page.chars[:2000])
                page.close()  # its objects and layout: not held for the whole file
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - any parser failure is an unreadable PDF
        chain = _exception_chain(e)
        if any(isinstance(c, MemoryError) for c in chain):
            raise MemoryError(str(e)) from e  # the worker names the memory limit
        if any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in chain):
            raise UnreadablePdf(
                source, "encrypted (password required). Save an unencrypted copy."
            ) from e
        reason = next((str(c) for c in reversed(chain) if str(c)), type(e).__name__)
        raise UnreadablePdf(
            source, f"corrupt or truncated PDF ({type(chain[-1]).__name__}: {reason})"
        ) from e
    if not pages:
        raise UnreadablePdf(source, "the PDF has no pages")
    title = metadata.get("Title")
    if isinstance(title, bytes):
        title = title.decode("utf-8", errors="replace")
    title = str(title).removeprefix("Microsoft Word - ").strip() if title else None
    return PdfPages(pages, title or None, tuple(f for f, _n in fonts.most_common(3) if f))


def ocr_pdf(
    data: bytes, parsed: PdfPages, *, source: str, limits: Limits | None = None
) -> tuple[PdfPages, tuple[tuple[str, str], ...]]:
    """OCR the pages without a text layer; returns the pages and the OCR metadata.

    Raises UnreadablePdf when every page is blank and OCR is unavailable or
    finds nothing; when only some pages are blank and OCR is unavailable,
    the text pages are kept and ``ocr_skipped`` says which pages were not read.
    """
    from pipeline.ingest import ocr

    blank = parsed.blank
    if not blank:
        return parsed, ()
    limits = limits or Limits()
    if len(blank) > limits.max_ocr_pages:
        raise limits.refuse(
            source, f"{len(blank)} scanned pages to OCR", "max_ocr_pages", "pages",
            "Split the file, or raise the limit.",
        )
    cfg = ocr.settings()
    reason = ocr.unavailable_reason(cfg.lang)
    if reason:
        if len(blank) == len(parsed.pages):
            raise UnreadablePdf(
                source, f"no text layer (scanned PDF?), and OCR is not available here: {reason}"
            )
        return parsed, (("ocr_skipped", ",".join(str(i + 1) for i in blank)), ("ocr_error", reason))
    results = ocr.ocr_pdf_pages(data, blank, dpi=cfg.dpi, source=source, limits=limits)
    pages = [list(lines) for lines in parsed.pages]
    # The OCR'd pages read by their layout, as text pages are (columns,
    # running lines, footnotes), then diacritics cleaned up.
    for i, lines in zip(blank, ocr.layout_lines(results), strict=True):
        pages[i] = lines
    if not any(pages):
        raise UnreadablePdf(
            source,
            f"no text layer (scanned PDF?), and OCR found no text on its {len(blank)} page(s)",
        )
    meta = ocr.OcrResult(tuple(results), "").meta(cfg.lang)
    if blank and blank[0] == 0 and (unread := ocr.unread_header(pages[0])):
        meta += (("ocr_unread", ",".join(unread)),)
    if not parsed.layout:  # text pages read without layout: their running lines go here
        text_pages = strip_running_lines([p for i, p in enumerate(pages) if i not in blank])
        it = iter(text_pages)
        pages = [p if i in blank else next(it) for i, p in enumerate(pages)]
    return PdfPages(pages, parsed.title, parsed.fonts, layout=True, ocr_pages=tuple(blank)), meta


def pdf_text_parts(parsed: PdfPages, ocr_meta: tuple[tuple[str, str], ...] = ()) -> TextParts:
    """Join a PDF's pages: running headers/footers removed, hyphens joined,
    legacy-font lines (.VnTime, VNI-Times) converted."""
    pages = parsed.pages if parsed.layout else strip_running_lines(parsed.pages)
    hint = next((legacy.font_encoding(f) for f in parsed.fonts if legacy.font_encoding(f)), None)
    used: list[str] = []
    if parsed.ocr_pages:
        # OCR gives Unicode: only the text-layer pages may be in a legacy font.
        converted = []
        for i, lines in enumerate(pages):
            if i in parsed.ocr_pages or not lines:
                converted.append(lines)
                continue
            text_i, used_i = legacy.convert_text("\n".join(lines), hint=hint)
            converted.append(text_i.split("\n"))
            used += [u for u in used_i if u not in used]
        pages = converted
    text = join_hyphens("\n".join("\n".join(lines) for lines in pages if lines))
    if not parsed.ocr_pages:
        text, found = legacy.convert_text(text, hint=hint)
        used = list(found)
    meta: tuple[tuple[str, str], ...] = (("pages", str(parsed.page_count or len(pages))),)
    if used:
        meta += (("encoding", "+".join(used)),)
    return TextParts(unicodedata.normalize("NFC", text), title=parsed.title, meta=meta + ocr_meta)


class NeedsOcr(UnreadablePdf):
    """Some pages have no text layer; ``parsed`` holds what was read, for OCR."""

    def __init__(self, source: str, parsed: PdfPages) -> None:
        n, total = len(parsed.blank), len(parsed.pages)
        super().__init__(source, f"no text layer (scanned PDF?) on {n} of {total} page(s)")
        self.parsed = parsed


def pdf_to_text(
    data: bytes, *, source: str, ocr: bool = False, limits: Limits | None = None
) -> TextParts:
    """Text of a PDF, pages in order, running headers/footers removed, hyphens joined.

    Pages without a text layer raise :class:`NeedsOcr` (an
    :class:`UnreadablePdf`, "no text layer (scanned PDF?)") carrying the
    pages read, so the caller runs OCR under its own time budget, as
    :func:`pipeline.ingest.load.load_bytes` does; ``ocr=True`` runs it here.

    Example:
        >>> pdf_to_text(b"%PDF-1.4 truncated", source="a.pdf")
        Traceback (most recent call last):
        ...
        pipeline.ingest.errors.UnreadablePdf: E102: Can't read a.pdf: ...
    """
    parsed = pdf_pages(data, source=source, limits=limits)
    meta: tuple[tuple[str, str], ...] = ()
    if parsed.blank:
        if not ocr:
            raise NeedsOcr(source, parsed)
        parsed, meta = ocr_pdf(data, parsed, source=source, limits=limits)
    return pdf_text_parts(parsed, meta)


# --------------------------------------------------------------------------
# Images (OCR)
# --------------------------------------------------------------------------


def image_to_text(data: bytes, *, source: str, limits: Limits | None = None) -> TextParts:
    """Text of a scanned image (PNG, JPEG, TIFF; every TIFF page) through OCR."""
    from pipeline.ingest import ocr

    cfg = ocr.settings()
    reason = ocr.unavailable_reason(cfg.lang)
    if reason:
        raise ocr.OcrUnavailable(source, f"an image needs OCR, but {reason}")
    images = ocr.image_to_pages(data, source=source, limits=limits or Limits())
    result = ocr.ocr_to_text(images, source=source)
    if not result.text.strip():
        raise IngestError(source, f"OCR found no text in this image ({len(images)} page(s))")
    return TextParts(result.text, meta=result.meta(cfg.lang) + (("pages", str(len(images))),))


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_docx_zip(data: bytes, *, source: str, limits: Limits | None = None) -> None:
    """Reject what is not a DOCX zip, and zip bombs, before parsing.

    The sizes the zip's directory declares are checked first; then every part
    is unpacked in 1 MB chunks and what comes out is counted against
    ``limits.max_unpacked_bytes`` (all parts) and ``limits.max_xml_bytes``
    (one XML part), so a directory that understates sizes gains nothing. XML
    parts are walked for their nesting depth (``limits.max_xml_depth``).

    Example:
        >>> check_docx_zip(b"not a zip", source="a.docx")
        Traceback (most recent call last):
        ...
        pipeline.ingest.errors.UnreadableDocx: E103: Can't read a.docx: not a DOCX file (...)
    """
    limits = limits or Limits()
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableDocx(source, "not a DOCX file (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos)
            # Tiny archives can't hurt however well they compress, so the ratio
            # only counts above 1 MB.
            if total > ZIP_MAX_UNCOMPRESSED or (
                total > 1024 * 1024 and total > ZIP_MAX_RATIO * max(packed, 1)
            ):
                raise UnreadableDocx(
                    source,
                    f"zip bomb suspected ({total} bytes uncompressed from {packed}); "
                    "refusing to unpack",
                )
            if "word/document.xml" not in {i.filename for i in infos}:
                raise UnreadableDocx(
                    source, "not a DOCX file (no word/document.xml; .doc or .odt?)"
                )
            _check_parts(zf, infos, source=source, limits=limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise UnreadableDocx(source, f"corrupt zip archive ({e})") from e


def _check_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], *, source: str,
                 limits: Limits) -> None:
    from lxml import etree

    unpacked = 0
    for info in infos:
        is_xml = info.filename.endswith((".xml", ".rels"))
        part = 0
        parser = etree.XMLPullParser(events=("start", "end"), huge_tree=False) if is_xml else None
        depth = 0
        with zf.open(info) as fh:
            while chunk := fh.read(1024 * 1024):
                part += len(chunk)
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked_bytes:
                    raise limits.refuse(
                        source, f"its parts unpack to more than {unpacked} bytes",
                        "max_unpacked_bytes", "bytes",
                        "A compression bomb? If the file is genuine, raise the limit.",
                    )
                if is_xml and part > limits.max_xml_bytes:
                    raise limits.refuse(
                        source, f"the XML part {info.filename} is over {part} bytes",
                        "max_xml_bytes", "bytes", "Split the document, or raise the limit.",
                    )
                if parser is None:
                    continue
                try:
                    parser.feed(chunk)
                except etree.XMLSyntaxError:
                    broken = True  # python-docx reports broken XML in its own words
                else:
                    broken = False
                try:
                    for event, el in parser.read_events():
                        if event == "start":
                            depth += 1
                            if depth > limits.max_xml_depth:
                                raise limits.refuse(
                                    source,
                                    f"the XML part {info.filename} nests elements more "
                                    f"than {limits.max_xml_depth} deep", "max_xml_depth", "levels",
                                    "Such nesting is not made by Word; raise the limit if "
                                    "the file is genuine.",
                                )
                        else:
                            depth -= 1
                            el.clear()  # keep memory flat: only the depth is wanted
                            parent = el.getparent()
                            while parent is not None and el.getprevious() is not None:
                                del parent[0]
                except etree.XMLSyntaxError:
                    broken = True
                if broken:
                    parser = None


def docx_to_text(data: bytes, *, source: str, limits: Limits | None = None) -> TextParts:
    """The text of a DOCX in reading order (:mod:`pipeline.ingest.docxtext`:
    headers and footers, automatic numbering, tracked changes accepted, text
    boxes, layout tables by column, data tables one row per line with cells
    " | "-joined, footnotes).

    Example:
        >>> docx_to_text(b"PK\\x03\\x04junk", source="a.docx")
        Traceback (most recent call last):
        ...
        pipeline.ingest.errors.UnreadableDocx: E103: Can't read a.docx: corrupt zip archive (...)
    """
    check_docx_zip(data, source=source, limits=limits)
    import docx

    from pipeline.ingest.docxtext import docx_lines

    try:
        document = docx.Document(io.BytesIO(data))
        blocks, fonts_used = docx_lines(document)
        title = document.core_properties.title or None
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - lxml, zipfile and python-docx each raise their own
        raise UnreadableDocx(source, f"corrupt DOCX ({type(e).__name__}: {e})") from e
    # Legacy text without a font name to say so (a style we could not follow).
    text, used = legacy.convert_text("\n".join(blocks))
    encodings = sorted(fonts_used | set(used))
    meta = (("encoding", "+".join(encodings)),) if encodings else ()
    return TextParts(text, title=title, meta=meta)
