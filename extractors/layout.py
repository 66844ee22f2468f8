"""Segment: the body of a directive as blocks, sentences and headings.

Step 1 of task extraction (:mod:`extractors.tasks`). The body runs from after
the "Kính gửi" block to "Nơi nhận". Blocks are paragraphs and list items
("(1)", "1.", "1.2.", "a)", "I.", "Điều 1.", "-", "+", "•") with a level by
marker kind; hard-wrapped lines that continue are joined. Sentences end at
". " + a capital or at a clause split ("; Giao ..."). Everything is linear
in the text and keeps offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from extractors.cues import Cues
from extractors.prefilter import head_scan, line_finditer, line_led, skip_start
from extractors.textnorm import all_caps

WORD = re.compile(r"\w+")


MARKER = re.compile(
    r"""
    (?:\*\*(?=[\dIVXa-zđ(]))?           # "**1." emphasis written as text, before a marker
    (?P<m>
        \(\d{1,2}\)                  # (1)
      | \((?:i{1,3}|iv|vi{0,3}|ix|x)\)(?=\s) # (i) (ii) (iv)
      | \d{1,2}(?:\.\d{1,2})*\.(?=\s|\*\*\s) # 1.  1.2.  (**1.** with the emphasis closed)
      | \d{1,2}\.(?=[A-ZĐÀ-Ỹ][^\W\d_]) # 1.Sở Công Thương (no space after the dot)
      | \d{1,2}(?:\.\d{1,2})+(?=[ \t]+[A-ZĐÀ-Ỹ]) # 2.1 Bộ Công Thương
      | \d{1,2}\)                    # 1)
      | \d{1,2}/(?=[ \t]+[^\W\d_])     # 1/ (typewritten and older letters)
      | [a-zđ]\)                     # a)
      | [a-zđ]/(?=[ \t]+[^\W\d_])      # a/
      | [IVX]{1,4}\.(?=\s|\*\*\s)   # I.
      | Điều\s+\d+\.                 # Điều 1.
      | [-+•–—*]                     # bullets
    )(?:(?<=[.)])\*\*(?=\s))?[ \t]*
    """,
    re.VERBOSE,
)
BULLETS = "-+•–—*"
TERMINAL = ".!?…;:"
# A cut marked at a line's end ("... tài sản. [...]", "... xử lý [...]"): an excerpt's
# elision, not the line's last word
_ELIDED_END = re.compile(r"[\[(](?:\.\.\.|…)[\])]\s*$")
# ". " then a capital (checked in code: an opening quote/bracket may come first).
# skip_start: the engine skips to a mark (".", "!", "?", "…"), the same matches
_SENT_END = skip_start(re.compile(r"(?:\./\.|[.!?…])[\"”’)]*\s+(?=[\"“‘(\[]?\w)"))
# Who a request is made of starts with a capital or a group: "yêu cầu Sở ...", "giao các ..."
_ASKED = re.compile(r"[A-ZĐÀ-Ỹ]|(?:các|cho|những)\s")
# Tokens that end with a dot without ending a sentence.
_ABBREV = frozenset(
    "TP Tp TT Th ThS TS PGS GS ST Q KT TL TM TUQ BS KS CN ĐC Đ/c đ/c ông bà Mr Ms Dr v.v".split()
)


@dataclass(frozen=True, slots=True)
class Block:
    start: int  # after the marker
    end: int
    marker: str | None
    level: int
    parent: int = -1  # the enclosing block (the nearest one before with a lower level)
    children: bool = False  # whether deeper blocks follow it: a section header or a lead


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    block: int
    first: bool  # first sentence of its block


@cache
def _section_end(pattern: str) -> tuple[re.Pattern[str], bool]:
    """A SECTION_END row at a line's start, compiled once, and whether it can be
    tried at each line's start only (prefilter.line_led: the same matches)."""
    rx = re.compile(r"^[ \t]*(?:" + pattern + ")", re.MULTILINE | re.VERBOSE)
    return rx, line_led(rx)


_KINH_GUI_LINE = re.compile(r"^[ \t]*Kính\s+gửi\s*:?", re.MULTILINE)


def body_range(text: str, cues: Cues) -> tuple[int, int]:
    """Skip the header ("Kính gửi" block) and everything from "Nơi nhận"."""
    start = 0
    # every match holds "Kính": a text without it is not scanned line by line
    m = _KINH_GUI_LINE.search(text) if "Kính" in text else None
    if m and m.start() < 3000:
        pos = m.end()
        # the addressee lines: rest of the line, then short list lines
        nl = text.find("\n", pos)
        pos = len(text) if nl < 0 else nl + 1
        for line in re.finditer(r"[^\n]*\n?", text[pos:]):
            s = line.group(0).strip()
            if not s or s == "|" or (s[0] in BULLETS and len(s) < 400 and _ends_list(s)):
                pos += len(line.group(0))
                continue
            break
        start = pos
    else:
        start = _after_cable_addressees(text)
    end = len(text)
    for row, rx in cues.rows.get("SECTION_END", ()):
        del row
        line_rx, led = _section_end(rx.pattern)
        for mm in line_finditer(line_rx, text) if led else line_rx.finditer(text):
            if mm.start() > start:
                end = min(end, mm.start())
                break
    return start, end


def _announces(text: str, cur: list[int] | None, marker: str | None) -> bool:
    """Whether the block before announces the list that starts: it ends with
    ":" ("a) ... các công việc sau:"), or it is a short item with no closing
    mark, a header ("b) Bộ trưởng, Thủ trưởng cơ quan ngang bộ")."""
    if cur is None:
        return False
    last = text[cur[1] - 1]
    if last == ":":
        return True
    return marker is not None and last not in ".;!?…)" and cur[1] - cur[0] < 150


# A cable's addressee line: "THỦ TƯỚNG CHÍNH PHỦ điện:", "CHỦ TỊCH UBND TỈNH điện:".
_CABLE_TO = re.compile(r"^[ \t]*[A-ZĐ][^\n]{0,60}\bđiện\s*:[ \t]*$", re.MULTILINE)


def _after_cable_addressees(text: str) -> int:
    """Where a cable's body starts: after its addressee lines ("- Bộ trưởng
    các Bộ: ...", wrapped lines included), at the first line that is no list
    item and follows a line that ended a sentence. 0 when it is no cable."""
    m = _CABLE_TO.search(text, 0, 3000)
    if m is None:
        return 0
    pos = m.end() + 1
    ended = True
    for line in re.finditer(r"[^\n]*\n?", text[pos : pos + 2000]):
        s = line.group(0).strip()
        if s and s[0] not in BULLETS and ended:
            break
        if s:
            ended = s[-1] in ".;"
        pos += len(line.group(0))
    return min(pos, len(text))


# A page's footnotes, where a copy of a printed page keeps them: a rule of
# underscores, then notes that open with their number ("¹ Các Nghị quyết: ...",
# "[1] Công văn số ...").
_FOOTNOTE_RULE = re.compile(
    r"^[ \t]*_{5,}[ \t]*\n(?=[ \t]*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d{1,3}\]|\(\d{1,3}\))\s*\S)", re.M
)
_FOOTNOTE_NOTE = re.compile(r"[ \t]*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d{1,3}\]|\(\d{1,3}\))")


def _without_footnotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` less the footnote runs inside it. A run goes on over
    the notes and their wrapped lines; it ends at a blank line, at a list
    marker ("1. Các nhiệm vụ chung" on the next page) or at a line opening a
    new sentence after one that ended."""
    out: list[tuple[int, int]] = []
    pos = start
    # every rule holds five underscores: a stretch with none has no footnotes
    rules = _FOOTNOTE_RULE.finditer(text, start, end) if text.find("_____", start, end) >= 0 else ()
    for m in rules:
        if m.start() < pos:
            continue
        out.append((pos, m.start()))
        line = m.end()
        prev_end = ""
        while line < end:
            nl = text.find("\n", line, end)
            stop = end if nl < 0 else nl
            body = text[line:stop]
            note = _FOOTNOTE_NOTE.match(body)
            if not note and (
                not body.strip()
                or MARKER.match(body.lstrip())
                or (prev_end in ".;:" and body.lstrip()[:1].isupper())
            ):
                break
            prev_end = body.rstrip()[-1:] or "."
            line = stop + 1
        pos = min(line, end)
    out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def body_ranges(text: str, cues: Cues) -> list[tuple[int, int]]:
    """The body, and the body of every part attached after the signature: the
    Kế hoạch a Quyết định issues, a Phụ lục with its task table. What lies
    between (recipients, signature) is left out, and so are footnotes a
    page break left in the running text."""
    start, end = body_range(text, cues)
    parts = _body_parts(text, cues, start, end)
    return [r for a, b in parts for r in _without_footnotes(text, a, b)] or parts[:1]


def _body_parts(text: str, cues: Cues, start: int, end: int) -> list[tuple[int, int]]:
    ranges = [(start, end)]
    rows = cues.rows.get("ATTACHMENT_START", ())
    ends = cues.rows.get("SECTION_END", ())
    pos = end
    while pos < len(text) and rows:
        found = [
            m
            for _row, rx in rows
            for m in [re.compile(r"^[ \t]*(?:" + rx.pattern + ")", re.M | re.X).search(text, pos)]
            if m is not None
        ]
        if not found:
            break
        s2 = min(m.start() for m in found)
        e2 = len(text)
        for _row, rx in ends:
            mm = re.compile(r"^[ \t]*(?:" + rx.pattern + ")", re.M | re.X).search(text, s2 + 1)
            if mm:
                e2 = min(e2, mm.start())
        ranges.append((s2, e2))
        pos = e2 if e2 > s2 else len(text)
    return ranges


def find_blocks_in(text: str, ranges: Sequence[tuple[int, int]]) -> list[Block]:
    """The blocks of several ranges, numbered as one list (parents shifted)."""
    out: list[Block] = []
    for start, end in ranges:
        base = len(out)
        if not base:  # the first range's parents stand as they are
            out.extend(find_blocks(text, start, end))
            continue
        out.extend(
            Block(b.start, b.end, b.marker, b.level, b.parent + base if b.parent >= 0 else -1,
                  b.children)
            for b in find_blocks(text, start, end)
        )
    return out


def _ends_list(s: str) -> bool:
    s = s.rstrip(" |")
    return s.endswith((";", ".", ",")) or len(s) < 120


def find_blocks(text: str, start: int, end: int) -> list[Block]:
    """Paragraphs and list items, hard-wrapped lines joined, levels by marker kind."""
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        pos = stop + 1
    blocks: list[Block] = []
    stack: list[str] = []
    cur: list[int] | None = None  # [start, end, marker_kind_idx]
    cur_marker: str | None = None
    cur_level = 0
    width = _wrap_width(text, lines)
    ragged = _ragged_width(text, lines) if not width else 0
    prev = (0, 0)  # the last line kept, stripped
    blank = False  # an empty line came since the last line kept
    for ls, le in lines:
        s = ls
        while s < le and text[s] in " \t":
            s += 1
        e = le
        while e > s and text[e - 1] in " \t|":
            e -= 1
        if s >= e:
            blank = True
            continue
        m = MARKER.match(text, s, e)
        marker = m.group("m") if m else None
        if marker == "*" and m is not None and m.end() < e and text[m.end()] == "*":
            marker = None
        first = text[s]
        continuation = (
            (
                cur is not None
                and marker is None
                and (
                    first.islower()
                    or (first.isdigit() and text[cur[1] - 1] not in TERMINAL)
                    # "Binh đoàn 19" / "(Tổng công ty Đông Bắc) và ...": a bracket goes on
                    or (
                        first == "("
                        and not blank
                        and text[cur[1] - 1] not in TERMINAL
                        and not all_caps(text[cur[0] : cur[1]])
                    )
                )
            )
            or (cur is not None and _wrapped_on(text, prev, (s, e), marker, width))
            or (cur is not None and ragged and _ragged_on(text, prev, (s, e), marker, ragged))
            or (cur is not None and marker is None and _name_runs_on(text, prev, (s, e)))
            or (
                cur is not None
                and marker is None
                and not blank
                and _agency_name_runs_on(text, prev, (s, e))
            )
            # "Đơn vị chủ trì thực hiện: Các" / "Sở, ngành, đơn vị, UBND cấp xã.": a line
            # that ends on a word no sentence ends with goes on below
            or (
                cur is not None
                and marker is None
                and not blank
                and _OPEN_END.search(text[prev[0] : prev[1]]) is not None
                and not all_caps(text[prev[0] : prev[1]])
            )
        )
        prev = (s, e)
        blank = False
        if continuation and cur is not None:
            cur[1] = e
            continue
        if cur is not None:
            blocks.append(Block(cur[0], cur[1], cur_marker, cur_level))
        if marker is not None and m is not None:
            kind = _marker_kind(marker)
            if kind in stack:
                del stack[stack.index(kind) + 1 :]
            else:
                # a kind seen for the first time nests by its usual rank: "1." after
                # a "-" list is a new section, not an item of the list; after an item
                # that announces a list ("a) ... các công việc sau:") it is that list
                rank = _rank(kind)
                deeper = next((i for i, k in enumerate(stack) if _rank(k) > rank), None)
                # an unmarked lead ("Bộ ... yêu cầu:") announces a numbered list
                # of its own, never items of the bullets above it
                bullets_only = all(k.startswith("bullet") for k in stack[deeper or 0 :])
                announced = _announces(text, cur, cur_marker) and not (
                    cur_marker is None and bullets_only and not kind.startswith("bullet")
                )
                if deeper is not None and not announced:
                    del stack[deeper:]
                stack.append(kind)
            cur_level = 2 * len(stack)
            cur_marker = marker
            cur = [m.end(), e]
        else:
            # an unmarked paragraph is body text of the innermost section (odd
            # levels: under its section, above a list that follows it); a line in
            # capitals is a part heading that closes every section
            if all_caps(text[s:e]):
                stack.clear()
                cur_level = 0
            else:
                cur_level = 2 * len(stack) + 1
            cur_marker = None
            cur = [s, e]
    if cur is not None:
        blocks.append(Block(cur[0], cur[1], cur_marker, cur_level))
    return _nest([b for b in blocks if b.end > b.start])


def _nest(blocks: list[Block]) -> list[Block]:
    """Each block's parent (the nearest block before it with a lower level)."""
    out: list[Block] = []
    open_: list[int] = []  # indices of the blocks that can still take children
    has_children: set[int] = set()
    parents: list[int] = []
    for i, b in enumerate(blocks):
        while open_ and blocks[open_[-1]].level >= b.level:
            open_.pop()
        parent = open_[-1] if open_ else -1
        if parent >= 0:
            has_children.add(parent)
        parents.append(parent)
        open_.append(i)
    for i, b in enumerate(blocks):  # the constructor: dataclasses.replace costs 3x more
        out.append(Block(b.start, b.end, b.marker, b.level, parents[i], i in has_children))
    return out


def ancestors(blocks: Sequence[Block], i: int) -> list[int]:
    """The blocks enclosing block ``i``, innermost first."""
    out = []
    p = blocks[i].parent
    while p >= 0:
        out.append(p)
        p = blocks[p].parent
    return out


# Words that never end a sentence: a line ending with one goes on below.
_OPEN_END = skip_start(
    re.compile(  # tried where its first characters are (the same matches)
        r"(?:,|\b(?:và|của|các|những|tại|theo|về|với|cho|số|ngày|tháng|năm|trong|để|từ|đến|hoặc|là"
        r"|được|đã|có|như|Các|Những|Luật|Nghị|Bộ|Sở|Ủy|Uỷ|UBND|Chủ|Thủ|Công|Quyết|Chỉ|Ban"
        r"|Vụ|Cục|Chi|Viện|Văn|Thanh|Kho|Đài|Đoàn|Ngân|Quỹ|Tập|Tòa|Trung\s+tâm"
        # a request whose addressees are on the next line: "8. Đề nghị" / "Liên minh ..."
        r"|[Đđ]ề\s+nghị|[Yy]êu\s+cầu|Giao))$"
    )
)


def _wrap_width(text: str, lines: Sequence[tuple[int, int]]) -> int:
    """The line width of a hard-wrapped text (a PDF or e-mail copy: most lines
    of a paragraph are nearly as long as the longest), else 0."""
    lens = sorted(e - s for s, e in lines if e - s >= 20)
    if len(lens) < 6:
        return 0
    w = lens[int(0.9 * (len(lens) - 1))]
    if not 40 <= w <= 130:
        return 0
    full = sum(1 for n in lens if n >= 0.8 * w)
    return w if full >= 0.35 * len(lens) else 0


_LAST_WORD = re.compile(r"([^\W\d_]+)[ \t]*$")
_FIRST_WORDS = re.compile(r"[ \t]*([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?")


def _words_at_break(
    text: str, prev: tuple[int, int], line: tuple[int, int], last_words: re.Pattern[str]
) -> tuple[re.Match[str], re.Match[str]] | None:
    """The last words of an unfinished line and the first words of the next."""
    above = text[prev[0] : prev[1]]
    if not above or above.rstrip()[-1:] in TERMINAL:
        return None
    last = last_words.search(above)
    first = _FIRST_WORDS.match(text, line[0], line[1])
    return (last, first) if last and first else None


def _name_runs_on(text: str, prev: tuple[int, int], line: tuple[int, int]) -> bool:
    """A place name broken over two lines ("... tỉnh Điện" / "Biên báo cáo ...")."""
    words_at = _words_at_break(text, prev, line, _LAST_WORD)
    if words_at is None:
        return False
    last, first = words_at
    if not last.group(1)[0].isupper() or not first.group(1)[0].isupper():
        return False
    from extractors.gazetteer import gazetteer, key

    g = gazetteer()
    for words in ((last.group(1), first.group(1)), (last.group(1), first.group(1), first.group(2))):
        if None in words:
            continue
        name = " ".join(w for w in words if w)
        if key(name) in g.province_keys or g.districts(name):
            return True
    return False


_TAIL_WORDS = re.compile(r"(?:([^\W\d_]+)[ \t]+)?([^\W\d_]+)[ \t]*$")


def _agency_name_runs_on(text: str, prev: tuple[int, int], line: tuple[int, int]) -> bool:
    """An agency's name broken over two lines ("4. Đề nghị Ủy ban Mặt trận" /
    "Tổ quốc Việt Nam thành phố ..."): three words across the break that
    stand together in a known body's name."""
    words_at = _words_at_break(text, prev, line, _TAIL_WORDS)
    if words_at is None:
        return False
    last, first = words_at
    from extractors.gazetteer import key

    a1, a2, b1, b2 = last.group(1), last.group(2), first.group(1), first.group(2)
    if not (a2[0].isupper() or b1[0].isupper()):
        return False  # a name's words are capitalised on one side of the break at least
    tris = _name_trigrams()
    return any(
        None not in t and key(" ".join(t)) in tris  # type: ignore[arg-type]
        for t in ((a1, a2, b1), (a2, b1, b2))
    )


# The mass organizations, whose names the agency finder reads by grammar, not
# from the gazetteer ("- Chỉ đạo Đoàn Thanh niên" / "Cộng sản Hồ Chí Minh phát huy ...").
_MASS_ORGANIZATIONS = [
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Hội Liên hiệp Phụ nữ Việt Nam",
    "Hội Nông dân Việt Nam",
    "Hội Cựu chiến binh Việt Nam",
    "Tổng Liên đoàn Lao động Việt Nam",
    "Liên đoàn Lao động tỉnh",
    "Hội Chữ thập đỏ Việt Nam",
    "Liên minh Hợp tác xã Việt Nam",
    "Phòng Thương mại và Công nghiệp Việt Nam",
]


@cache
def _name_trigrams() -> frozenset[str]:
    """Every run of three words inside a known body's name, folded."""
    from extractors.gazetteer import gazetteer, key

    g = gazetteer()
    names = [n for b in g.agencies.bodies for n in (b.name, *b.aliases)]
    names += [n for d in g.agencies.departments for n in (d.name, *d.aliases)]
    names += _MASS_ORGANIZATIONS
    out: set[str] = set()
    for n in names:
        w = key(n).split()
        out.update(" ".join(w[i : i + 3]) for i in range(len(w) - 2))
    return frozenset(out)


def _ragged_width(text: str, lines: Sequence[tuple[int, int]]) -> int:
    """A text broken at uneven widths in mid-sentence (a web page's table cell
    copied line by line): many lines run on in lower case after an unfinished
    line. Returns a typical full line's length, else 0."""
    kept = [(s, e) for s, e in lines if text[s:e].strip()]
    if len(kept) < 10:
        return 0
    runs_on = 0
    for (ps, pe), (s, e) in zip(kept, kept[1:], strict=False):
        above, here = text[ps:pe].rstrip(), text[s:e].lstrip()
        if above and above[-1] not in TERMINAL and here[:1].islower():
            runs_on += 1
    if runs_on < 0.2 * (len(kept) - 1):
        return 0
    lens = sorted(e - s for s, e in kept if e - s >= 20)
    return lens[int(0.75 * (len(lens) - 1))] if lens else 0


def _ragged_on(
    text: str, prev: tuple[int, int], line: tuple[int, int], marker: str | None, width: int
) -> bool:
    """In a text broken mid-sentence, a line that starts with a capital goes on
    an unfinished line that was full ("... Ủy ban nhân dân tỉnh Điện" / "Biên báo
    cáo ..."); a short line (a heading) and a list item do not."""
    ps, pe = prev
    s, e = line
    above = text[ps:pe].rstrip()
    if marker is not None or not above or above[-1] in TERMINAL or all_caps(above):
        return False
    if all_caps(text[s:e]):
        return False
    return len(above) >= 0.6 * width


def _wrapped_on(
    text: str, prev: tuple[int, int], line: tuple[int, int], marker: str | None, width: int
) -> bool:
    """Whether ``line`` continues ``prev`` although it opens with a capital or
    a dash: an all-caps heading over two lines, or, in hard-wrapped text, a
    line after a full or unfinished one ("... Thực hiện Luật Đầu tư công, Luật"
    / "Ngân sách nhà nước, ..."; "... giai đoạn 2016" / "- 2020; ...")."""
    ps, pe = prev
    s, e = line
    if pe <= ps or text[pe - 1] in TERMINAL:
        return False
    above, here = text[ps:pe], text[s:e]
    if marker is None and all_caps(above) and all_caps(here):
        return True
    if not width or all_caps(above):
        return False
    unfinished = (pe - ps) >= 0.75 * width or _OPEN_END.search(above) is not None
    if not unfinished:
        return False
    if marker is None:
        return not all_caps(here)
    # "- 2020; ..." after "... giai đoạn 2016": a range, not a list item
    rest = text[s + len(marker) : e].lstrip()
    return marker in "-–" and bool(rest) and (rest[0].isdigit() or rest[0].islower())


# The usual nesting of markers in administrative texts (Nghị định 30/2020, Phụ
# lục I): part, article, section, subsection, "(1)", "1)", "a)", "-", "+".
_RANKS = {
    "roman": 1,
    "article": 2,
    "num0": 3,
    "num1": 4,
    "num2": 5,
    "num3": 6,
    "paren": 7,
    "letter": 9,
    "bullet-": 10,
    "bullet–": 10,
    "bullet—": 10,
    "bullet•": 11,
    "bullet+": 12,
    "bullet*": 12,
}


def _rank(kind: str) -> int:
    return _RANKS.get(kind, 8)


def _marker_kind(marker: str) -> str:
    if marker.startswith("("):
        return "paren"
    if marker.startswith("Điều"):
        return "article"
    if marker[0].isdigit():
        # "2.1" is written "2.1." too: the same level
        dots = marker.count(".") + (0 if marker.endswith((".", ")", "/")) else 1)
        return "num" + str(dots)
    if marker[0] in "IVX" and marker.endswith("."):
        return "roman"
    if marker.endswith((")", "/")):
        return "letter"
    return "bullet" + marker


def find_sentences(
    text: str, blocks: Sequence[Block], cues: Cues | None = None, *, news: bool = False
) -> list[Sentence]:
    out: list[Sentence] = []
    splits = cues.rows.get("CLAUSE_SPLIT", []) if cues is not None else []
    split_heads = [_split_heads(rx) for _row, rx in splits]
    for bi, b in enumerate(blocks):
        s = b.start
        first = True
        cuts: list[tuple[int, int, bool]] = [
            (m.start(), m.end(), False) for m in _SENT_END.finditer(text, b.start, b.end)
        ]
        # where someone's request begins in this block ("... đề nghị: ...", "Thủ tướng yêu
        # cầu ..."): only past it do "; " clauses open news directives of their own
        spoken = -1
        if news and cues is not None and ";" in text[b.start : b.end]:
            for label in ("ASSIGN_CUE", "SPEAKER_CUE", "TASK_LIST_LEAD"):
                hit = cues.search(label, text[b.start : b.end])
                if hit is None or not _ASKED.match(text, b.start + hit[1].end()):
                    continue  # "chuyển giao về ...": no one asked
                if spoken < 0 or b.start + hit[1].start() < spoken:
                    spoken = b.start + hit[1].start()
        present: dict[str, bool] = {}  # a split's first character: whether the block holds it
        for (row, rx), heads in zip(splits, split_heads, strict=True):
            if row.data.get("news_only") and not news:
                continue
            if heads:
                for h in heads:
                    there = present.get(h)
                    if there is None:
                        there = present[h] = text.find(h, b.start, b.end) >= 0
                    if there:
                        break
                else:
                    continue  # every match starts with one of heads: none in the block
            need = row.data.get("requires")
            found = [
                (m.start() + 1, m.end(), True)
                for m in rx.finditer(text, b.start, b.end)
                if cues is None or not need or cues.match(str(need), text, m.end(), b.end)
                if cues is None or _clause_opens(text, b, m, row.data, cues)
                if not row.data.get("after_list_lead") or _list_lead_at(text, b, m, cues)
                if not row.data.get("after_speaker")
                or (0 <= spoken < m.start() and not _SENT_END.search(text, spoken, m.start()))
            ]
            if row.data.get("speaker") and found and (spoken < 0 or found[0][0] < spoken):
                spoken = found[0][0]
            cuts += found
        for c_start, c_end, clause in sorted(cuts):
            if c_start < s:
                continue
            if not clause:
                nxt = text[c_end : c_end + 2].lstrip('"“‘([')
                if not nxt or not nxt[0].isupper():
                    continue
                tok = re.search(r"(\S+?)[.!?…]+[\"”’)]*$", text[max(s, c_start - 12) : c_start + 1])
                word = tok.group(1) if tok else ""
                word = word.rsplit(" ", 1)[-1]
                if word in _ABBREV or (len(word) == 1 and word.isupper()):
                    continue
            # a clause cut ends the sentence at its first character (";", ":"); what the
            # match spans past it ("(2) ") belongs to neither sentence
            cut = c_start if clause else c_end
            while cut > s and text[cut - 1].isspace():
                cut -= 1
            out.extend(_trimmed(text, s, cut, bi, first))
            first = False
            s = c_end
        out.extend(_trimmed(text, s, b.end, bi, first))
    return out


def _split_heads(rx: re.Pattern[str]) -> tuple[str, ...]:
    """The strings every match of a clause split starts with (";", ":"), case kept;
    () when not known (the split is then tried in every block)."""
    found = head_scan(rx)
    return () if found.finder is None or found.blind else found.heads


def _list_lead_at(text: str, b: Block, m: re.Match[str], cues: Cues | None) -> bool:
    """Whether the colon at ``m`` closes a list's lead ("... một số nhiệm vụ trọng tâm
    như:")."""
    if cues is None:
        return False
    hit = cues.search("TASK_LIST_LEAD", text[b.start : m.end()])
    return hit is not None and b.start + hit[1].end() >= m.start() + 1


def _clause_opens(
    text: str, b: Block, m: re.Match[str], data: dict[str, object], cues: Cues
) -> bool:
    """A CLAUSE_SPLIT row's checks beyond its pattern: ``verb_within`` (an action
    verb among the next N words), ``body_header`` (the block opens with a body's
    name and a colon before the cut), ``verb_before`` (the clause before the cut
    has a verb of its own, and no bracket is open there)."""
    within = int(str(data.get("verb_within") or 0))
    if within and not _verb_within(text, m.end(), b.end, within, cues):
        return False
    if data.get("body_header") and _body_header_end(text, b) > m.start():
        return False
    if data.get("verb_before"):
        if text.count("(", b.start, m.start()) != text.count(")", b.start, m.start()):
            return False
        return _verb_within(text, _clause_start(text, b.start, m.start()), m.start(), 60, cues)
    return True


def _verb_within(text: str, pos: int, end: int, words: int, cues: Cues) -> bool:
    """Whether an action verb starts one of the next ``words`` words, before the
    clause ends or a bracket opens ("; Bộ Công an tổng hợp ...": yes; "; Bộ Tư
    pháp." no)."""
    stop = min(end, pos + 200)
    for ch in ";.(":
        k = text.find(ch, pos, stop)
        if k >= 0:
            stop = k
    for k, w in enumerate(_WORD_START.finditer(text, pos, stop)):
        if k >= words:
            break
        if k and text[w.start()].isupper():
            continue  # a name's word ("Ban Quản lý khu kinh tế", "Sở Xây dựng"), no verb
        if _NOMINAL.match(text, w.start(), stop) is None and cues.match(
            "ACTION", text, w.start(), end
        ):
            return True
    return False


# verbs' words inside names and levels, no verb there: "trực thuộc UBND tỉnh", "Ban
# Chỉ đạo", "cấp tỉnh"
_NOMINAL = re.compile(r"trực\s+thuộc|Chỉ\s+đạo|cấp\s+(?:tỉnh|huyện|xã|quân|trung|bộ|cơ\s+sở)")


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Where the clause that ends at ``pos`` begins: past the last ";", ":" or
    full stop before a space, or at ``lo`` (a line break is no clause's end: a
    copy wraps its lines anywhere)."""
    return max(
        lo,
        text.rfind(";", lo, pos) + 1,
        text.rfind(":", lo, pos) + 1,
        text.rfind(". ", lo, pos) + 1,
    )


def _body_header_end(text: str, b: Block) -> int:
    """Where a block's opening "Bộ Công an:" / "Sở Y tế tỉnh:" ends (past its
    colon), or a large number when the block opens otherwise."""
    m = _BODY_HEADER.match(text, b.start, b.end)
    return m.end() if m else 1 << 62


# a body's name and a colon opening a block: "Bộ Khoa học và Công nghệ:", "Ngân hàng
# Nhà nước Việt Nam:" (no full stop, semicolon or colon inside the name)
_BODY_HEADER = re.compile(
    r"\**(?:Bộ|Sở|Ban|Cục|Tổng\s+cục|UBND|Ủy\s+ban|Uỷ\s+ban|Thanh\s+tra|Văn\s+phòng|Ngân\s+hàng"
    r"|Đài|Kiểm\s+toán|Công\s+an|Trung\s+tâm|Chi\s+cục|Viện|Tập\s+đoàn|Tổng\s+công\s+ty"
    r"|Bảo\s+hiểm|Kho\s+bạc|Các\s+bộ|Các\s+sở|Các\s+cơ\s+quan)\b[^.;:\n]{0,100}:"
)


_WORD_START = re.compile(r"(?<![\w])[^\W\d_]")
_OPEN_QUOTES = frozenset('“"«‘')
_CLOSE_QUOTES = ("”", '"', "»", "’")
# a whole sentence quoted from a directive, its subject a body: "“Sở Nông nghiệp ...
# tập trung chỉ đạo ... không để dịch bệnh lây lan”."
_QUOTED_BODY = re.compile(
    r"(?:Bộ|Sở|Ban|Cục|UBND|Ủy\s+ban|Uỷ\s+ban|Công\s+an|Phòng|Văn\s+phòng|Trung\s+tâm|Các\s+(?:sở|bộ|cơ\s+quan|đơn\s+vị|địa\s+phương))\s"
)
_CLOSES_AT_END = re.compile(r"[”\"»’][\s.;,!]*$")
_OUTLET_TAG = re.compile(r"\((?:[A-ZĐ][\w.&]{1,20})\)\s*[-–—]\s*")


def _trimmed(text: str, s: int, e: int, bi: int, first: bool) -> list[Sentence]:
    # "**" around a line is emphasis written as text (a copy of a web page): not words
    while s < e and (text[s].isspace() or text.startswith("**", s)):
        s += 2 if text.startswith("**", s) else 1
    # a quote opened and not closed in the sentence is no word of it (a news
    # report quoting a directive: "“Sở Xây dựng chủ trì theo dõi ..."); a quoted
    # slogan or term ("“Lập thành tích chào mừng ...”") keeps its quote
    if (
        s < e
        and text[s] in _OPEN_QUOTES
        and (
            not any(q in text[s + 1 : e] for q in _CLOSE_QUOTES)
            or (_QUOTED_BODY.match(text, s + 1, e) and _CLOSES_AT_END.search(text, s, e))
        )
    ):
        s += 1
    # a news outlet's tag before the lead: "(PLO)- Sở Xây dựng TP Cần Thơ đề nghị ..."
    tag = _OUTLET_TAG.match(text, s, e)
    if tag is not None:
        s = tag.end()
    while e > s and (text[e - 1].isspace() or text[e - 1] in ";,/|" or text[e - 2 : e] == "**"):
        e -= 2 if text[e - 2 : e] == "**" else 1
    return [Sentence(s, e, bi, first)] if e > s else []


def is_heading(
    text: str, s: Sentence, si: int, sents: Sequence[Sentence], blocks: Sequence[Block]
) -> bool:
    """A title line: a one-sentence block without final punctuation that is
    short or introduces deeper list items ("(1) Nâng cao năng lực …")."""
    b = blocks[s.block]
    if not s.first or text[s.end - 1] in TERMINAL or s.end < b.end - 1:
        return False
    if _ELIDED_END.search(text, s.start, s.end):
        return False  # "... phòng chống bão. [...]": prose cut short, not a title
    if text[s.end : b.end].strip(" \t\n*")[:1] in (";", "."):
        return False  # "a) Tổ chức kiểm tra ...;" over its "- Thời gian: ..." line: an item
    if b.marker is None and not text[: b.start].strip():
        # the first line of the text, unpunctuated: a page title
        return len(WORD.findall(text[b.start : b.end])) <= 60
    if si + 1 < len(sents) and sents[si + 1].block == s.block:
        return False
    nb = s.block + 1
    if nb < len(blocks) and blocks[nb].level > b.level:
        return True
    # an unpunctuated line that is not a list item: a title or subtitle
    return b.marker is None and len(WORD.findall(text[s.start : s.end])) <= 25


def items_follow(si: int, sents: Sequence[Sentence], blocks: Sequence[Block]) -> bool:
    """Whether list items deeper than this sentence's block come next."""
    if si + 1 >= len(sents):
        return False
    nxt = sents[si + 1]
    return nxt.block != sents[si].block and blocks[nxt.block].level > blocks[sents[si].block].level
