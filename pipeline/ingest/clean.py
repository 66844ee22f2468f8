"""Clean loaded text before extraction: one pure, idempotent function.

:func:`clean` runs these steps in this order (the order matters for
idempotence: emphasis is removed before normalizing, because removing
``**`` can join letters into a new word, and line work comes last):

1. CR/CRLF and the other line separators -> LF; tabs and Unicode spaces
   (NBSP, thin, ideographic ...) -> space; zero-width characters, the BOM,
   soft hyphens and other control characters removed.
2. Markdown emphasis removed: ``**x**``, ``__x__``, ``*x*`` (strong may
   span lines inside one paragraph); bullets ("* item") and arithmetic
   ("2 * 3") stay.
3. :func:`extractors.textnorm.normalize`: NFC, Đ, traditional tone marks.
   Then words glued by a lost space are parted where it is certain: a
   date or number word before digits ("năm2003", "ngày26/11/2003") and a
   lower-case letter before a capital inside a Vietnamese word ("Bảo
   hiểmXã hội", "ĐắkLắk"; ASCII words such as "iPhone" are left alone),
   and an abbreviation before a function word ("UBNDngày").
4. A header or signature block typed in two columns with spaces (a
   ``pdftotext -layout`` copy: "Số: 186/CĐ-TTg       Hà Nội, ngày 04 ...")
   is read column by column: the left column's lines, then the right's.
   Only the first lines and the block from "Nơi nhận" on, and only lines
   with one wide gap (a table's rows, with several, stay as they are).
5. Per line: runs of spaces collapsed, leading and trailing spaces
   stripped, portal counter lines dropped ("Thống kê truy cập",
   "Online : 3874", "Đã truy cập : 132097355", "Liên kết Website").
6. 3+ newlines -> 2; the whole text stripped.
"""

from __future__ import annotations

import re

from extractors.textnorm import normalize
from pipeline.ingest.layouttables import rows_from_layout
from pipeline.ingest.pipetables import rows_from_cell_lines

__all__ = ["clean"]

# Every character Python's str.isspace() accepts, by what it becomes.
_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_SPACES = "\t\xa0\u1680\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
_DELETE = (
    "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"  # soft hyphen, zero-width
    + "".join(chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n\t" + _LINE_BREAKS)
    + "\x7f"
    + "".join(chr(c) for c in range(0x80, 0xA0) if chr(c) != "\x85")
)
_TABLE = str.maketrans(
    {**{c: " " for c in _SPACES}, **{c: "\n" for c in _LINE_BREAKS}, **{c: None for c in _DELETE}}
)
_ODD_CHAR = re.compile("[" + "".join(re.escape(c) for c in _SPACES + _LINE_BREAKS + _DELETE) + "]")

# Markdown emphasis. Content never starts or ends with a space; strong may
# cross single newlines (one paragraph) but never a blank line.
_STRONG = re.compile(r"(\*\*|__)(?=[^\s*_])((?:[^\n]|\n(?!\n))+?)(?<=[^\s*_])\1")
# italics may run over one line break ("*Lai Châu, ngày" / "19 tháng 11 năm 2025*")
# (the star first, what stands before it then: the engine skips to the next star in C)
_EM = re.compile(r"\*(?<![\w*]\*)(?=[^\s*])((?:[^\n*]|\n(?![\n*\-+•]))+?)(?<=[^\s*])\*(?![\w*])")
_SPACE_RUN = re.compile(r" {2,}")
_EDGE_SPACES = re.compile(r"^ +| +$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")
# Portal counters: whole lines only (the same words inside a sentence stay).
_COUNTER_LINE = re.compile(
    r"""^(?:
        Thống\ kê\ truy\ cập
      | Liên\ kết\ (?:Website|web)
      | (?:Online|Đang\ (?:truy\ cập|online)|Đã\ truy\ cập|Lượt\ truy\ cập
         |Tổng\ (?:số\ )?lượt\ truy\ cập)
        \ ?:?\ ?[\d.,]+
    )$\n?""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)


def _strip_emphasis(text: str) -> str:
    # Each substitution shortens the text, so this reaches a fixed point. Strong
    # emphasis needs "**" or "__", italics a star: a pass runs only the scans
    # that can match, and a text left with neither is at its fixed point.
    while "*" in text or "__" in text:
        new = _STRONG.sub(r"\2", text) if "**" in text or "__" in text else text
        if "*" in new:
            new = _EM.sub(r"\1", new)
        if new == text:
            return text
        text = new
    return text


def _normalize(text: str) -> str:
    return _fixed_point(text)[0]


def _fixed_point(text: str) -> tuple[str, bool]:
    """normalize() until nothing changes; and whether that was reached."""
    # normalize() is not always idempotent: a stray extra tone mark after a
    # word ("hoà" + U+0300) composes with the letter the first pass freed.
    # A few passes reach the fixed point on anything real.
    for _ in range(4):
        new = normalize(text)
        if new == text:
            return text, True
        text = new
    return text, False


_GLUED_NUMBER = re.compile(r"\b(ngày|năm|tháng|số|Điều|khoản|điểm)(?=\d)", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def _part_camel(m: re.Match[str]) -> str:
    w = m.group(0)
    if w.isascii() or w.islower() or w.isupper():
        return w  # "iPhone" stays; so does any word without a case change
    out = [w[0]]
    for a, b in zip(w, w[1:], strict=False):
        if a.islower() and b.isupper():
            out.append(" ")
        out.append(b)
    return "".join(out)


# An abbreviation glued to the next word: "UBNDngày 26/11/2003".
_GLUED_ABBREV = re.compile(r"\b([A-ZĐ]{2,})(ngày|năm|tháng|và|của|về|tại|số)\b")


def _case_class(test: str, below: int = 0x110000) -> str:
    """A regex character class of every word character below ``below`` for
    which ``str.<test>()`` holds."""
    word = re.compile(r"\w")
    codes = [c for c in range(below) if getattr(chr(c), test)() and word.match(chr(c))]
    ranges: list[tuple[int, int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)


# Only a word with a lower-case letter right before a capital can change in
# _part_camel: a text without one is spared a Python call for every word. The
# capital is looked for first (the engine skips in C to the next capital, rarer
# than small letters), the small letter before it then: a match is the capital.
# The first class is the capitals below U+10000 and every character beyond:
# the engine tests a character against a class's characters below U+10000 in
# one step, and against each of its ranges beyond one by one (dozens, for the
# capitals: 10x slower over a text); the lookbehind checks the capital.
_UPPER = _case_class("isupper")
_CASE_CHANGE = re.compile(
    f"[{_case_class('isupper', below=0x10000)}\U00010000-\U0010ffff]"
    f"(?<=[{_case_class('islower')}][{_UPPER}])")
# What a match of _GLUED_NUMBER ends with (its word's last letter, a digit after
# it) and what one of _GLUED_ABBREV holds (two capitals, the next word's first
# letter): a text without it is spared their scans. Case-blind matching pairs
# none of these letters with another.
_GLUED_NUMBER_END = re.compile(r"\d(?<=[yYmMgGuUnNốỐ]\d)")
_GLUED_ABBREV_JOIN = re.compile(r"[A-ZĐ][A-ZĐ][ntvcs]")


def _unglue(text: str) -> str:
    if _GLUED_NUMBER_END.search(text):
        text = _GLUED_NUMBER.sub(r"\1 ", text)
    if _GLUED_ABBREV_JOIN.search(text):
        text = _GLUED_ABBREV.sub(r"\1 \2", text)
    out: list[str] = []
    done = 0  # text[:done] is in out
    for m in _CASE_CHANGE.finditer(text):
        if m.start() - 1 < done:
            continue  # inside the word just parted
        start, end = m.start() - 1, m.end()
        while start > 0 and _WORD.match(text, start - 1, start):
            start -= 1
        while end < len(text) and _WORD.match(text, end, end + 1):
            end += 1
        out.append(text[done:start])
        out.append(_part_camel(_WORD.match(text, start, end)))  # type: ignore[arg-type]
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


_GAP = re.compile(r"(?<=\S) {4,}(?=\S)")
_HEAD_LINES = 14  # the header block of an official text lies in its first lines
_RECIPIENTS = re.compile(r"^\s*Nơi\s+nhận\s*:", re.MULTILINE)


def _split_columns(text: str) -> str:
    """Read two-column header and signature blocks column by column."""
    if "    " not in text:
        return text
    lines = text.split("\n")
    region = set(range(min(len(lines), _HEAD_LINES)))
    m = _RECIPIENTS.search(text)
    if m:
        region |= set(range(text.count("\n", 0, m.start()), len(lines)))
    out: list[str] = []
    i = 0
    while i < len(lines):
        gaps = list(_GAP.finditer(lines[i])) if i in region else []
        if len(gaps) != 1:
            out.append(lines[i])
            i += 1
            continue
        col = gaps[0].end()
        left: list[str] = []
        right: list[str] = []
        while i < len(lines) and i in region and lines[i].strip():
            line = lines[i]
            gaps = list(_GAP.finditer(line))
            indent = len(line) - len(line.lstrip())
            if len(gaps) == 1:
                left.append(line[: gaps[0].start()])
                right.append(line[gaps[0].end() :])
            elif not gaps and indent >= col - 8 and col >= 20:
                right.append(line.strip())
            elif not gaps:
                left.append(line)
            else:
                break  # several gaps: a table row, left as it is
            i += 1
        out.extend(x for x in (*left, *right) if x.strip())
    return "\n".join(out)


def clean(text: str) -> str:
    """Normalize loaded text for extraction; pure and idempotent.

    Example:
        >>> clean("Online : 3874\\nUỷ ban\\u00a0giao  **xong trong tháng 6/2024**  \\r\\n")
        'Ủy ban giao xong trong tháng 6/2024'
        >>> clean("phối hợp với Đài Phát thanh-\\nTruyền hình tỉnh")
        'phối hợp với Đài Phát thanh-Truyền hình tỉnh'
    """
    text = text.replace("\r\n", "\n")
    if _ODD_CHAR.search(text):  # translate() with a dict table costs ~0.5 ms a page
        text = text.translate(_TABLE)
    if "**" in text:  # the bold bullet's stars
        text = _BOLD_BULLET.sub(r"\1 ", text)
    text = _strip_emphasis(text)
    text = rows_from_cell_lines(text)
    text = rows_from_layout(text)
    text, fixed = _fixed_point(text)
    unglued = _unglue(text)
    if unglued != text or not fixed:  # else it is normalized already
        text = _normalize(unglued)
    text = _split_columns(text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\n " in text or " \n" in text or text[:1] == " " or text[-1:] == " ":
        text = _EDGE_SPACES.sub("", text)  # (a space at a line's start or end: else none)
    text = _COUNTER_LINE.sub("", text)
    text = _HYPHEN_BREAK.sub("-", text)
    text = _LONE_MARKER.sub(r"\1 ", text)
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


# A bullet set in bold on its own ("**- **Triển khai ..."): the bullet.
_BOLD_BULLET = re.compile(r"^\*\*([-+•–])[ \t]*\*\*[ \t]*", re.MULTILINE)


# A list marker alone on its line, its text on the next ("1." / "Nhiệm vụ của
# thành viên Ban Chỉ đạo", "-" / "Phân công, chỉ đạo ...", as pages converted
# to Markdown break them): one line, as the document shows it.
_LONE_MARKER = re.compile(
    r"^((?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|\(\d{1,2}\)|[-+•–]))[ \t]*\n(?=[^\s\-+•–|])",
    re.MULTILINE,
)


# A compound broken after its hyphen at a line's end ("Đài Phát thanh-" / "Truyền
# hình tỉnh", "giai đoạn 2021-" / "2025"): Vietnamese never splits a word there,
# so the two halves join as written.
_HYPHEN_BREAK = re.compile(r"-(?<=\w-)[ \t]*\n[ \t]*(?=\w)")  # the hyphen first: skipped to
