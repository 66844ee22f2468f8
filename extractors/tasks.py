"""Tasks: who must do what, by when, in an official Vietnamese text.

The finder works in three steps, all linear in the text:

1. **Segment** the body (between the "Kính gửi" block and "Nơi nhận") into
   blocks (paragraphs and list items: "(1)", "1.", "a)", "-", "+", "•") and
   the blocks into sentences (". " + capital, or a line break). Hard-wrapped
   lines that continue in lower case are joined.
2. **Find the owner** of each sentence, first rule that fires wins:
   "Giao X ...", "Đề nghị/Yêu cầu X ...", a subject ("X chủ trì, phối hợp
   với Y ...", "X có trách nhiệm ...", "Theo đó, X được giao ..."), "Bộ X đề
   nghị Y ..." (Y owns), a list-item lead ("- Sở Công Thương: ..."), a bare
   anaphor ("Ban phải ...") resolved to the agency in focus, then, for a
   sentence that opens with an action verb, the owner of the previous
   sentence of the item, of the section header ("X phải thực hiện các nhiệm
   vụ sau:"), or of the last assignment (the agency in focus).
3. **Attach** cooperating partners (named agencies after "phối hợp với"),
   the deadline, recurrence and legal basis that lie inside the sentence.
   A short sentence that only adds a deadline ("Hoàn thành trước ngày
   10/3/2023.") gives its deadline to the task before it.

Cue words live in ``data/task_cues.yaml``; agencies, deadlines, recurrences
and legal references come from the other extractors.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TypeVar

from extractors.model import (
    Deadline,
    DocKind,
    DocMeta,
    Document,
    Label,
    LegalRef,
    Recurrence,
    RecurrenceMention,
    Span,
    Task,
)
from extractors.rules import PatternTable, Row, pattern_table
from extractors.textnorm import all_caps

TABLE = "task_cues.yaml"

# Shortest period first: "định kỳ hằng quý, 6 tháng, năm" is quarterly.
_PERIOD_ORDER = {
    Recurrence.DAILY: 0,
    Recurrence.WEEKLY: 1,
    Recurrence.MONTHLY: 2,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 4,
    Recurrence.YEARLY: 5,
}

# List markers at the start of a line, longest alternative first.
_MARKER = re.compile(
    r"""
    (?P<m>
        \(\d{1,2}\)                  # (1)
      | \d{1,2}(?:\.\d{1,2})*\.(?=\s) # 1.  1.2.
      | \d{1,2}\)                    # 1)
      | [a-zđ]\)                     # a)
      | [IVX]{1,4}\.(?=\s)           # I.
      | Điều\s+\d+\.                 # Điều 1.
      | [-+•–—*]                     # bullets
    )[ \t]*
    """,
    re.VERBOSE,
)
_BULLETS = "-+•–—*"
_TERMINAL = ".!?…;:"
# ". " then a capital (checked in code: an opening quote/bracket may come first).
_SENT_END = re.compile(r"(?:\./\.|[.!?…])[\"”’)]*\s+(?=[\"“‘(\[]?\w)")
# Tokens that end with a dot without ending a sentence.
_ABBREV = frozenset(
    "TP Tp TT Th ThS TS PGS GS ST Q KT TL TM TUQ BS KS CN ĐC Đ/c đ/c ông bà Mr Ms Dr v.v".split()
)
_WORD = re.compile(r"\w+")
_SPACE_RUN = re.compile(r"\s+")
_SEP = re.compile(r"\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+|\s+cùng\s+|\s*\(\s*|\s*\)\s*[,;]?\s*)")
_OPEN_PARENS = re.compile(r"\s*\(([^()]{0,200})\)")
_CLAUSE_START = re.compile(r"[,;:]\s+")


@dataclass(frozen=True, slots=True)
class _Mention:
    """An owner mention: an agency span group or a collective phrase."""

    start: int
    end: int
    norms: tuple[str, ...]
    collective: bool = False


@dataclass(frozen=True, slots=True)
class _Block:
    start: int  # after the marker
    end: int
    marker: str | None
    level: int


@dataclass(frozen=True, slots=True)
class _Sent:
    start: int
    end: int
    block: int
    first: bool  # first sentence of its block


@dataclass(frozen=True, slots=True)
class _Owner:
    owners: tuple[str, ...]
    pred: int  # where the predicate (action) begins
    rule_id: str
    assigned_by: str | None = None
    explicit: bool = True  # named in the sentence (not inherited)
    at: int = -1  # where the clause naming the owner (or the requester) begins


class _Cues:
    """The compiled rows of ``task_cues.yaml``, grouped by label."""

    def __init__(self, table: PatternTable) -> None:
        self.rows: dict[str, list[tuple[Row, re.Pattern[str]]]] = {}
        for row in table.rows:
            self.rows.setdefault(row.label, []).append((row, table.compiled(row)))
        # collectives in one pass: an alternation in row order (longest first)
        coll = [row for row, _rx in self.rows.get("COLLECTIVE", ())]
        alt = "|".join(f"(?P<c{i}>{table.expand(r.pattern)})" for i, r in enumerate(coll))
        # every collective starts with "các", "UBND"/"Ủy ban" or "Quý": a one-char gate
        gate = r"(?=[cCuUỦủQ])"
        self.collective = (coll, re.compile(gate + f"(?:{alt or '(?!)'})", re.VERBOSE | re.I))

    def match(
        self, label: str, text: str, pos: int, endpos: int | None = None
    ) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        for _row, rx in self.rows.get(label, ()):
            m = rx.match(text, pos, end)
            if m:
                return m
        return None

    def search(self, label: str, text: str) -> tuple[Row, re.Match[str]] | None:
        """First row that matches anywhere; rows with a ``keyword`` run only
        when that literal occurs (lower-cased)."""
        low: str | None = None
        for row, rx in self.rows.get(label, ()):
            kw = row.data.get("keyword")
            if kw:
                low = text.lower() if low is None else low
                if kw not in low:
                    continue
            m = rx.search(text)
            if m:
                return row, m
        return None

    def search_tail(self, label: str, text: str, size: int = 240) -> re.Match[str] | None:
        """For patterns anchored at the end (headers): search the tail only,
        so a long sentence costs no more than a short one."""
        pos = max(0, len(text) - size)
        for _row, rx in self.rows.get(label, ()):
            m = rx.search(text, pos)
            if m:
                return m
        return None


@cache
def _cues(name: str = TABLE) -> _Cues:
    return _Cues(pattern_table(name))


# ---------------------------------------------------------------- segmentation


def _body_range(text: str, cues: _Cues) -> tuple[int, int]:
    """Skip the header ("Kính gửi" block) and everything from "Nơi nhận"."""
    start = 0
    m = re.search(r"^[ \t]*Kính\s+gửi\s*:?", text, re.MULTILINE)
    if m and m.start() < 3000:
        pos = m.end()
        # the addressee lines: rest of the line, then short list lines
        nl = text.find("\n", pos)
        pos = len(text) if nl < 0 else nl + 1
        for line in re.finditer(r"[^\n]*\n?", text[pos:]):
            s = line.group(0).strip()
            if not s or s == "|" or (s[0] in _BULLETS and len(s) < 400 and _ends_list(s)):
                pos += len(line.group(0))
                continue
            break
        start = pos
    end = len(text)
    for row, rx in cues.rows.get("SECTION_END", ()):
        del row
        for mm in re.finditer(r"^[ \t]*(?:" + rx.pattern + ")", text, re.MULTILINE | re.VERBOSE):
            if mm.start() > start:
                end = min(end, mm.start())
                break
    return start, end


def _ends_list(s: str) -> bool:
    s = s.rstrip(" |")
    return s.endswith((";", ".", ",")) or len(s) < 120


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    """Paragraphs and list items, hard-wrapped lines joined, levels by marker kind."""
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        pos = stop + 1
    blocks: list[_Block] = []
    stack: list[str] = []
    cur: list[int] | None = None  # [start, end, marker_kind_idx]
    cur_marker: str | None = None
    cur_level = 0
    width = _wrap_width(text, lines)
    prev = (0, 0)  # the last line kept, stripped
    for ls, le in lines:
        s = ls
        while s < le and text[s] in " \t":
            s += 1
        e = le
        while e > s and text[e - 1] in " \t|":
            e -= 1
        if s >= e:
            continue
        m = _MARKER.match(text, s, e)
        marker = m.group("m") if m else None
        if marker == "*" and m is not None and m.end() < e and text[m.end()] == "*":
            marker = None
        first = text[s]
        continuation = (
            cur is not None
            and marker is None
            and (first.islower() or (first.isdigit() and text[cur[1] - 1] not in _TERMINAL))
        ) or (cur is not None and _wrapped_on(text, prev, (s, e), marker, width))
        prev = (s, e)
        if continuation and cur is not None:
            cur[1] = e
            continue
        if cur is not None:
            blocks.append(_Block(cur[0], cur[1], cur_marker, cur_level))
        if marker is not None and m is not None:
            kind = _marker_kind(marker)
            if kind in stack:
                del stack[stack.index(kind) + 1 :]
            else:
                stack.append(kind)
            cur_level = len(stack)
            cur_marker = marker
            cur = [m.end(), e]
        else:
            stack.clear()
            cur_level = 0
            cur_marker = None
            cur = [s, e]
    if cur is not None:
        blocks.append(_Block(cur[0], cur[1], cur_marker, cur_level))
    return [b for b in blocks if b.end > b.start]


# Words that never end a sentence: a line ending with one goes on below.
_OPEN_END = re.compile(
    r"(?:,|\b(?:và|của|các|những|tại|theo|về|với|cho|số|ngày|tháng|năm|trong|để|từ|đến|hoặc|là"
    r"|được|đã|có|như|Luật|Nghị|Bộ|Sở|Ủy|Uỷ|UBND|Chủ|Thủ|Công|Quyết|Chỉ|Ban))$"
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


def _wrapped_on(
    text: str, prev: tuple[int, int], line: tuple[int, int], marker: str | None, width: int
) -> bool:
    """Whether ``line`` continues ``prev`` although it opens with a capital or
    a dash: an all-caps heading over two lines, or, in hard-wrapped text, a
    line after a full or unfinished one ("... Thực hiện Luật Đầu tư công, Luật"
    / "Ngân sách nhà nước, ..."; "... giai đoạn 2016" / "- 2020; ...")."""
    ps, pe = prev
    s, e = line
    if pe <= ps or text[pe - 1] in _TERMINAL:
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



def _marker_kind(marker: str) -> str:
    if marker.startswith("("):
        return "paren"
    if marker.startswith("Điều"):
        return "article"
    if marker[0].isdigit():
        return "num" + str(marker.count("."))
    if marker[0] in "IVX" and marker.endswith("."):
        return "roman"
    if marker.endswith(")"):
        return "letter"
    return "bullet" + marker


def _sentences(text: str, blocks: Sequence[_Block], cues: _Cues | None = None) -> list[_Sent]:
    out: list[_Sent] = []
    splits = cues.rows.get("CLAUSE_SPLIT", []) if cues is not None else []
    for bi, b in enumerate(blocks):
        s = b.start
        first = True
        cuts: list[tuple[int, int, bool]] = [
            (m.start(), m.end(), False) for m in _SENT_END.finditer(text, b.start, b.end)
        ]
        for _row, rx in splits:
            cuts += [(m.start() + 1, m.end(), True) for m in rx.finditer(text, b.start, b.end)]
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
            cut = c_end
            while cut > s and text[cut - 1].isspace():
                cut -= 1
            out.extend(_trimmed(text, s, cut, bi, first))
            first = False
            s = c_end
        out.extend(_trimmed(text, s, b.end, bi, first))
    return out


def _trimmed(text: str, s: int, e: int, bi: int, first: bool) -> list[_Sent]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ";,/|"):
        e -= 1
    return [_Sent(s, e, bi, first)] if e > s else []


# --------------------------------------------------------------------- owners


def _mentions(
    doc: Document, spans: Sequence[Span], province: str | None, cues: _Cues
) -> list[_Mention]:
    """Agency spans grouped by extent, plus collective owners; collectives win
    over agency spans inside them unless an agency span runs past them (an
    enumeration like "UBND các huyện, thị xã: Tân Yên, Hiệp Hòa")."""
    text = doc.text
    prov = province or ""
    coll: list[_Mention] = []
    rows, rx = cues.collective
    for m in rx.finditer(text):
        row = rows[int((m.lastgroup or "c0")[1:])]
        norm = str(row.data.get("canonical", "")).replace("{province}", prov)
        norm = norm.replace("{match}", _SPACE_RUN.sub(" ", m.group())).strip()
        norm = re.sub(r"\s+(?:thuộc\s+)?tỉnh$", "", norm) if not prov else norm
        coll.append(_Mention(m.start(), m.end(), (norm,), collective=True))
    agency = [s for s in spans if s.label == Label.AGENCY and s.end > s.start]
    keep_coll = [
        c
        for c in coll
        if not any(a.start < c.end and c.start < a.end and a.end > c.end for a in agency)
    ]
    groups: dict[tuple[int, int], list[str]] = {}
    for a in agency:
        if any(c.start <= a.start and a.end <= c.end for c in keep_coll):
            continue
        norm = a.norm or a.text
        groups.setdefault((a.start, a.end), [])
        if norm not in groups[(a.start, a.end)]:
            groups[(a.start, a.end)].append(norm)
    out = keep_coll + [_Mention(s, e, tuple(n)) for (s, e), n in groups.items()]
    out.sort(key=lambda x: (x.start, -x.end))
    return out


class _Index:
    """Mentions by start offset, for O(1) "is there a mention here?"."""

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.collective = frozenset(n for m in mentions if m.collective for n in m.norms)
        self.by_start: dict[int, list[_Mention]] = {}
        for m in mentions:
            self.by_start.setdefault(m.start, []).append(m)
        self.all = list(mentions)

    def at(self, pos: int) -> list[_Mention]:
        return self.by_start.get(pos, [])

    def inside(self, start: int, end: int) -> list[_Mention]:
        return [m for m in self.all if start <= m.start and m.end <= end]


def _skip_ws(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _run(
    text: str, pos: int, end: int, idx: _Index, cues: _Cues, *, allow_generic: bool = True
) -> tuple[tuple[str, ...], int, bool]:
    """Parse a run of owner mentions at ``pos``: mentions joined by commas,
    "và", parentheses, titles ("Chủ tịch", "Thủ trưởng") and unnamed fillers
    ("các cơ quan liên quan"). Returns (norms, end of run, saw a generic)."""
    norms: list[str] = []
    p = _skip_ws(text, pos, end)
    last = pos
    generic = False
    while p < end:
        t = cues.match("TITLE", text, p, end)
        q = t.end() if t else p
        here = idx.at(q)
        if here:
            longest = max(here, key=lambda m: m.end)
            for m in here:
                for n in m.norms:
                    if n not in norms:
                        norms.append(n)
            p = longest.end
            # enumerations spanned name by name inside brackets or after ":"
            while True:
                q2 = p
                sep = re.compile(r"\s*(?:[,;:]|\(|\)|và)?\s*").match(text, q2, end)
                q2 = sep.end() if sep else q2
                nxt = idx.at(q2)
                if not nxt or not _glued(text, p, q2):
                    break
                for m in nxt:
                    for n in m.norms:
                        if n not in norms:
                            norms.append(n)
                p = max(m.end for m in nxt)
            close = re.compile(r"\s*\)").match(text, p, end)
            if close and text.count("(", pos, p) > text.count(")", pos, p):
                p = close.end()
            last = p
        else:
            g = cues.match("GENERIC", text, q, end) if allow_generic else None
            if g and g.end() > q and not idx.at(q):
                generic = True
                p = g.end()
                last = p
            else:
                break
        sep = _SEP.match(text, p, end)
        if not sep or sep.end() == p:
            break
        nxt_pos = sep.end()
        t2 = cues.match("TITLE", text, nxt_pos, end)
        q3 = t2.end() if t2 else nxt_pos
        if idx.at(q3) or (allow_generic and _generic_at(text, q3, end, cues, idx)):
            p = nxt_pos
            continue
        break
    return tuple(norms), last, generic


def _glued(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return len(gap) <= 4 and "." not in gap


def _generic_at(text: str, pos: int, end: int, cues: _Cues, idx: _Index) -> bool:
    g = cues.match("GENERIC", text, pos, end)
    return bool(g and g.end() > pos and not idx.at(pos))


def _skip_prefix(
    text: str,
    pos: int,
    end: int,
    cues: _Cues,
    sent_deadlines: Sequence[Deadline],
    sent_recs: Sequence[RecurrenceMention],
) -> int:
    """Skip connectors and a fronted deadline/recurrence ("Trước ngày 10/8, ")."""
    for _ in range(4):
        pos = _skip_ws(text, pos, end)
        c = cues.match("CONNECTOR", text, pos, end)
        if c and c.end() > pos:
            pos = c.end()
            continue
        moved = False
        for d in (*sent_deadlines, *sent_recs):
            if d.start == pos:
                m = re.compile(r"\s*,\s*").match(text, d.end, end)
                if m:
                    pos = m.end()
                    moved = True
                    break
        if not moved:
            break
    return _skip_ws(text, pos, end)


def _predicate_ok(text: str, pos: int, end: int, cues: _Cues) -> int | None:
    """After an owner: skip adverbs/roles; return where the action verb starts
    if the predicate assigns work, else None (descriptive or no verb)."""
    p = _skip_ws(text, pos, end)
    d = cues.match("DELEGATE_CUE", text, p, end)
    if d:
        p = _skip_ws(text, d.end(), end)
    q = _past_adverbs(text, p, end, cues, most=6)
    if q is None or _describes(text, q, end, cues):
        return None
    p = q
    if cues.match("ACTION", text, p, end):
        return p
    if d:  # "X có trách nhiệm:" etc. still assigns
        return p
    return None


def _describes(text: str, p: int, end: int, cues: _Cues) -> bool:
    """A reporting predicate at ``p`` ("đã ...", "cho biết", "chỉ đạo về việc"),
    unless an action verb reads at least as far ("được giao" is no report)."""
    d = cues.match("DESCRIPTIVE", text, p, end)
    if not d:
        return False
    a = cues.match("ACTION", text, p, end)
    return a is None or d.end() > a.end()


def _past_adverbs(text: str, p: int, end: int, cues: _Cues, *, most: int) -> int | None:
    """Skip up to ``most`` manner/modal words ("khẩn trương", "chủ động, ");
    None when a reporting predicate comes first ("đã ...")."""
    for _ in range(most):
        if _describes(text, p, end, cues):
            return None
        a = cues.match("ADVERB", text, p, end)
        if not a or a.end() <= p:
            break
        p = _skip_ws(text, a.end(), end)
    return p


def _starts_with_action(text: str, pos: int, end: int, cues: _Cues) -> int | None:
    p = _past_adverbs(text, pos, end, cues, most=4)
    if p is None:
        return None
    if cues.match("ACTION", text, p, end):
        # "Phát triển công nghiệp ... được xác định là ..." describes, not assigns
        head = text[p : min(end, p + 90)]
        if re.search(r"\b(?:đã|được\s+xác\s+định|là\s+động\s+lực|đạt|chiếm)\b", head):
            return None
        return p
    return None


# ------------------------------------------------------------------ the finder


def find_tasks(
    doc: Document,
    *,
    meta: DocMeta,
    agency_spans: Sequence[Span],
    legal_refs: Sequence[LegalRef],
    deadlines: Sequence[Deadline],
    recurrences: Sequence[RecurrenceMention],
    organization_spans: Sequence[Span] = (),
) -> list[Task]:
    """Find the tasks a directive assigns: one per assigning sentence or list item.

    Args:
        doc: the cleaned document.
        meta: its metadata (``province`` qualifies collective owners,
            ``issuer`` is the default ``assigned_by``).
        agency_spans: AGENCY spans, ``norm`` = canonical name with jurisdiction.
        legal_refs, deadlines, recurrences: the other extractors' findings;
            those inside a task sentence are attached to the task.
        organization_spans: ORGANIZATION spans (``norm`` = name); they can be
            cooperating partners ("phối hợp với Hiệp hội mắc ca Việt Nam"),
            never owners.

    Returns:
        Tasks in text order; ``doc.text[t.start:t.end] == t.text``.

    Example:
        >>> text = "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng rà soát."
        >>> spans = [Span(5, 17, "Sở Tài chính", Label.AGENCY, "x", "Sở Tài chính tỉnh A"),
        ...          Span(40, 51, "Sở Xây dựng", Label.AGENCY, "x", "Sở Xây dựng tỉnh A")]
        >>> t = find_tasks(Document("d", "s", text), meta=DocMeta(), agency_spans=spans,
        ...                legal_refs=[], deadlines=[], recurrences=[])[0]
        >>> t.owners, t.cooperating, t.action
        (('Sở Tài chính tỉnh A',), ('Sở Xây dựng tỉnh A',), 'rà soát')
    """
    text = doc.text
    if not text.strip():
        return []
    cues = _cues()
    province = meta.province or doc.get("province")
    mentions = _mentions(doc, agency_spans, province, cues)
    idx = _Index(mentions)
    orgs = [
        _Mention(o.start, o.end, (o.norm or o.text,))
        for o in organization_spans
        if not any(m.start < o.end and o.start < m.end for m in mentions)
    ]
    coop_idx = _Index(sorted([*mentions, *orgs], key=lambda x: (x.start, -x.end))) if orgs else idx
    start, end = _body_range(text, cues)
    blocks = _blocks(text, start, end)
    sents = _sentences(text, blocks, cues)
    dls = sorted(deadlines, key=lambda d: d.start)
    recs = sorted(recurrences, key=lambda r: r.start)
    refs = sorted(legal_refs, key=lambda r: r.start)
    # start offsets, to find what lies inside a sentence by bisection: a long
    # list must not cost one scan of every deadline per sentence
    dl_starts = [d.start for d in dls]
    rec_starts = [r.start for r in recs]
    ref_starts = [r.start for r in refs]
    seen_tasks: dict[tuple[object, ...], list[Task]] = {}
    is_news = meta.kind == DocKind.NEWS

    tasks: list[Task] = []
    focus: tuple[str, ...] = ()
    assigner = meta.issuer
    # header owners: (block level, owners, cooperating) - items deeper than level inherit
    headers: list[tuple[int, tuple[str, ...], tuple[str, ...]]] = []
    prev_block = -1
    block_owner: tuple[str, ...] = ()
    last_task_index: int | None = None
    for si, s in enumerate(sents):
        b = blocks[s.block]
        if s.block != prev_block:
            prev_block = s.block
            block_owner = ()
            while headers and b.level <= headers[-1][0]:
                headers.pop()
        stext = text[s.start : s.end]
        sd = _within(dls, dl_starts, s.start, s.end)
        sr = _within(recs, rec_starts, s.start, s.end)

        if all_caps(stext):  # a heading ("ĐÁNH GIÁ TÌNH HÌNH ...")
            continue
        if cues.search("BOILERPLATE", stext):
            last_task_index = None
            continue
        colon = stext.endswith(":")
        hdr = cues.search_tail("ASSIGNER_HEADER", stext) if colon else None
        if hdr and not cues.search_tail("OWNER_HEADER", stext):
            # the speaker: the clause right before the cue
            w_end = s.start + hdr.start()
            w_start = s.start
            for cm in _CLAUSE_START.finditer(text, s.start, w_end):
                w_start = cm.end()
            who = text[w_start:w_end].strip()
            ms = idx.inside(w_start, w_end)
            if ms and ms[-1].end >= w_end - 1:
                assigner = ms[-1].norms[0]
            elif re.match(r"(?:Phó\s+)?(?:Thủ\s+tướng|Chủ\s+tịch|Bộ\s+trưởng)", who):
                assigner = _SPACE_RUN.sub(" ", who)
            continue

        # "1. Sở Y tế" / "- Sở Y tế:" alone: the items below belong to it
        if s.first and s.end >= b.end - 1 and (b.marker or stext.endswith(":")):
            norms, rend, _g = _run(text, s.start, s.end, idx, cues, allow_generic=False)
            if norms and not text[rend : s.end].strip(" :.;"):
                headers.append((b.level, norms, ()))
                focus = norms
                last_task_index = None
                continue
        own = _owner(text, s, b, idx, cues, sd, sr, mentions, focus)
        assigns = own is not None and own.explicit and own.rule_id in _ASSIGNING
        items = colon and assigns and _items_follow(si, sents, blocks)
        is_header = colon and cues.search_tail("OWNER_HEADER", stext) is not None
        if is_header and not items:
            h_owners = own.owners if own else _header_subject(text, s, idx, cues, mentions)
            if h_owners:
                headers.append((b.level, h_owners, ()))
                focus = h_owners
            last_task_index = None
            continue
        if items and own is not None:
            # "... giao Bộ X chủ trì, phối hợp với các Bộ: Y, Z ...:" then "1. ...":
            # the items are X's tasks, with Y and Z as partners
            coop_h, coop_end = _cooperating(text, s, own, coop_idx, cues)
            headers.append((b.level, own.owners, coop_h))
            focus = own.owners
            last_task_index = None
            if not _substantive_lead(text, max(own.pred, coop_end), s.end):
                continue
            # "... yêu cầu X triển khai lập kế hoạch ..., với các nội dung sau:":
            # a task of its own, and the header of the items below
        if (colon and not assigns) or stext.endswith("?"):
            continue
        if _is_heading(text, s, si, sents, blocks):
            continue
        if cues.match("NON_TASK_START", text, s.start, s.end) and (own is None or not own.explicit):
            continue

        pre = _skip_prefix(text, s.start, s.end, cues, sd, sr)
        header_coop: tuple[str, ...] = ()
        delivery = own is None and not sd and last_task_index is not None
        if delivery and cues.search("DELIVERY", stext):
            continue  # how to send the result of the task before ("Gửi kèm file vào hòm thư: ...")
        if own is None:
            verb = _starts_with_action(text, pre, s.end, cues)
            if verb is not None:
                inherited = block_owner or (headers[-1][1] if headers else ()) or focus
                if inherited and (block_owner or headers or is_news or focus):
                    own = _Owner(inherited, verb, "task.owner.inherited.v1", explicit=False)
                    if not block_owner and headers:
                        header_coop = headers[-1][2]
            # a deadline-only sentence completes the task before it
            if (
                sd
                and last_task_index is not None
                and tasks[last_task_index].deadline_text is None
                and (
                    _deadline_only(text, s, sd, idx, cues)
                    or cues.match("DEADLINE_FOLLOWUP", text, pre, s.end) is not None
                )
            ):
                tasks[last_task_index] = _with_deadline(tasks[last_task_index], sd)
                continue
        if own is None or not own.owners:
            continue
        if (
            not own.explicit
            and sd
            and last_task_index is not None
            and tasks[last_task_index].deadline_text is None
            and _deadline_only(text, s, sd, idx, cues)
        ):
            tasks[last_task_index] = _with_deadline(tasks[last_task_index], sd)
            continue

        coop = _cooperating(text, s, own, coop_idx, cues)
        if not coop[0] and header_coop:
            coop = (tuple(n for n in header_coop if n not in own.owners), coop[1])
        task_sd = sd
        if own.rule_id == "task.owner.requested.v1" and own.at > pre and _PURPOSE.match(text, pre):
            # "Để hoàn thiện dự thảo, trình ... trong quý III, Bộ X đề nghị Y ...":
            # a deadline in X's purpose clause is X's, not Y's
            task_sd = [d for d in sd if not pre <= d.start < own.at]
        deadline = _pick_deadline(task_sd, refs)
        rec = min(sr, key=lambda r: _PERIOD_ORDER.get(r.value, 9)) if sr else None
        basis: list[str] = []
        for r in _within(refs, ref_starts, s.start, s.end):
            if r.canonical not in basis:
                basis.append(r.canonical)
        action = _action(text, own.pred, s.end, coop[1], deadline)
        task = Task(
            owners=own.owners,
            cooperating=coop[0],
            text=stext,
            start=s.start,
            end=s.end,
            action=action,
            deadline=deadline.date if deadline else None,
            deadline_text=deadline.text if deadline else None,
            deadline_start=deadline.start if deadline else None,
            deadline_end=deadline.end if deadline else None,
            recurring=rec.value if rec else None,
            legal_basis=tuple(basis),
            assigned_by=own.assigned_by or assigner,
            rule_id=own.rule_id,
        )
        if (
            action
            and _BARE_ACTION.fullmatch(action)
            and any(set(t.owners) == set(task.owners) for t in tasks)
        ):
            continue  # "..., yêu cầu Giám đốc Sở X triển khai thực hiện." repeats X's task
        same_kind = seen_tasks.setdefault(_dup_key(task), [])
        if _duplicate(task, same_kind):
            continue
        same_kind.append(task)
        tasks.append(task)
        last_task_index = len(tasks) - 1
        block_owner = own.owners
        focus = own.owners
    return tasks


def _owner(
    text: str,
    s: _Sent,
    b: _Block,
    idx: _Index,
    cues: _Cues,
    sd: Sequence[Deadline],
    sr: Sequence[RecurrenceMention],
    mentions: Sequence[_Mention],
    focus: tuple[str, ...],
) -> _Owner | None:
    """The owner named in the sentence itself, or None."""
    end = s.end
    pos = _skip_prefix(text, s.start, end, cues, sd, sr)
    # 1. "Giao X ...", "Đề nghị X ...", "Yêu cầu X ..."
    c = cues.match("ASSIGN_CUE", text, pos, end)
    if c:
        norms, rend, _g = _run(text, c.end(), end, idx, cues, allow_generic=False)
        if norms:
            pred = _after_role(text, rend, end, cues)
            return _Owner(norms, pred, "task.owner.assign_cue.v1")
        raw = _raw_owner(text, c.end(), end, cues)
        if raw:
            return _Owner((raw[0],), _after_role(text, raw[1], end, cues), "task.owner.raw.v1")
    # 1b. a leader in person: "Phó Thủ tướng Hoàng Trung Hải yêu cầu Bộ X ..."
    own = _speaker(text, pos, end, idx, cues)
    if own:
        return own
    # 2. subject: "X chủ trì ...", "X đề nghị Y ...", "- X: ..."
    own = _subject(text, pos, end, idx, cues, first=s.first)
    if own:
        return own
    if s.first and b.marker:
        own = _qualified_subject(text, pos, end, idx, cues)
        if own:
            return own
    adj = cues.match("ADJUNCT", text, pos, end)
    if adj:
        own = _subject(text, _skip_ws(text, adj.end(), end), end, idx, cues, first=False)
        if own:
            return own
    # 3. a later clause "..., Bộ X đề nghị Y ..." / "..., giao X ..."
    for m in _CLAUSE_START.finditer(text, pos, end):
        q = m.end()
        c = cues.match("ASSIGN_CUE", text, q, end)
        if c:
            norms, rend, _g = _run(text, c.end(), end, idx, cues, allow_generic=False)
            if norms:
                return _Owner(norms, _after_role(text, rend, end, cues), "task.owner.assign_cue.v1")
        own = _speaker(text, q, end, idx, cues)
        if own:
            return own
        if idx.at(q) or cues.match("TITLE", text, q, end):
            norms, rend, _g = _run(text, q, end, idx, cues, allow_generic=False)
            if norms:
                c2 = _cue_after(text, rend, end, cues)
                if c2:
                    own = _requested(text, c2.end(), end, idx, cues, assigned_by=norms[0], at=q)
                    if own:
                        return own
    # 4. a bare anaphor: "Ban phải xây dựng ...", "Sở chủ trì ..."
    a = cues.match("ANAPHOR", text, pos, end)
    if a and not idx.at(pos):
        kind = _SPACE_RUN.sub(" ", a.group("kind"))
        pred = _predicate_ok(text, a.end(), end, cues)
        if pred is not None:
            target = _resolve_anaphor(kind, s.start, focus, mentions)
            if target:
                return _Owner((target,), pred, "task.owner.anaphor.v1")
    return None


def _speaker(text: str, pos: int, end: int, idx: _Index, cues: _Cues) -> _Owner | None:
    """A leader speaking in person at ``pos``, then an assignment cue:
    "Phó Thủ tướng Hoàng Trung Hải yêu cầu Bộ X ..." gives Bộ X."""
    sp = cues.match("SPEAKER", text, pos, end)
    if not sp or idx.inside(pos, sp.end()):
        return None
    c = cues.match("ASSIGN_CUE", text, sp.end(), end)
    if not c:
        return None
    return _requested(
        text, c.end(), end, idx, cues,
        assigned_by=_SPACE_RUN.sub(" ", text[pos : sp.end()]).strip(), at=pos,
    )


def _raw_owner(text: str, pos: int, end: int, cues: _Cues) -> tuple[str, int] | None:
    """An owner the agency finder does not know, after "Giao": the capitalized
    words up to the role or action ("Giao Trung tâm Phục vụ hành chính công
    chủ trì, ..."). Kept as written."""
    p = _skip_ws(text, pos, end)
    if p >= end or not text[p].isupper():
        return None
    for w in _WORD.finditer(text, p, min(end, p + 120)):
        q = w.start()
        if q == p:
            continue
        if (
            cues.match("DELEGATE_CUE", text, q, end)
            or cues.match("COOP_CUE", text, q, end)
            or cues.match("ACTION", text, q, end)
            or re.compile(r"chủ\s+trì\b").match(text, q, end)
        ):
            name = text[p:q].strip(" ,;")
            if 1 <= len(_WORD.findall(name)) <= 12 and "," not in name:
                return _SPACE_RUN.sub(" ", name), q
            return None
    return None


def _subject(
    text: str, pos: int, end: int, idx: _Index, cues: _Cues, *, first: bool
) -> _Owner | None:
    t = cues.match("TITLE", text, pos, end)
    q = t.end() if t else pos
    if not idx.at(q):
        return None
    norms, rend, _g = _run(text, pos, end, idx, cues, allow_generic=True)
    if not norms:
        return None
    p = _skip_ws(text, rend, end)
    # list-item lead "- Sở Công Thương: ..." / "UBND các huyện (...): ..."
    if first and p < end and text[p] == ":":
        return _Owner(norms, _skip_ws(text, p + 1, end), "task.owner.lead.v1")
    c = _cue_after(text, p, end, cues)
    if c:
        own = _requested(text, c.end(), end, idx, cues, assigned_by=norms[0], at=pos)
        if own:
            return own
    # a person's name after the title+agency ("Chủ tịch UBND tỉnh Lê Ánh Dương")
    if _PERSON_NAME.match(text, p, end):
        return None
    pred = _predicate_ok(text, p, end, cues)
    if pred is None:
        return None
    return _Owner(norms, _after_role(text, rend, end, cues), "task.owner.subject.v1", at=pos)


def _qualified_subject(
    text: str, pos: int, end: int, idx: _Index, cues: _Cues
) -> _Owner | None:
    """A list item whose subject is narrowed before its verb: "1. Các Bộ, ...
    đến nay chưa có báo cáo theo văn bản số 4917/BKHĐT-PTDN ..., khẩn trương
    gửi báo cáo ..." - the owners, a qualifier that reports nothing done, then
    after a comma the action."""
    t = cues.match("TITLE", text, pos, end)
    if not idx.at(t.end() if t else pos):
        return None
    norms, rend, _g = _run(text, pos, end, idx, cues, allow_generic=False)
    if not norms or _QUALIFIER_DONE.match(text, rend, end):
        return None
    for m in _CLAUSE_START.finditer(text, rend, min(end, rend + 300)):
        if text[m.start()] != ",":
            continue
        verb = _starts_with_action(text, m.end(), end, cues)
        if verb is not None:
            return _Owner(norms, verb, "task.owner.qualified_subject.v1", at=pos)
        return None
    return None


# A qualifier that reports or describes ("đã ...", "có văn bản ..."): no request follows.
_QUALIFIER_DONE = re.compile(
    r"\s*(?:đã|vừa|đang|là|có\s+văn\s+bản|nhận\s+được|cho\s+biết|được|cũng\s+đã)\b|\s*[,:;]",
    re.IGNORECASE,
)


# A person's full name: two to four capitalised words ("Nguyễn Xuân Phúc").
_PERSON_NAME = re.compile(r"[^\W\d_a-zà-ỹđ]\w*(?:[ \t]+[^\W\d_a-zà-ỹđ]\w*){1,3}(?=\s)")


# Owner rules that name who must act (a colon after them opens a list of tasks).
_ASSIGNING = frozenset(
    {"task.owner.assign_cue.v1", "task.owner.requested.v1", "task.owner.subject.v1"}
)
# A fronted purpose clause: "Để ...", "Nhằm ...".
_PURPOSE = re.compile(r"(?:Để|Nhằm)\s")


# The tail that hands over to the list below: "(, )với các nội dung sau:".
_LIST_TAIL = re.compile(
    r"[,;]?\s*(?:(?:với|theo|gồm|bao\s+gồm|như)\s+)?(?:các|những|một\s+số)?\s*"
    r"(?:nội\s+dung|nhiệm\s+vụ|giải\s+pháp|việc|công\s+việc|yêu\s+cầu|vấn\s+đề|biện\s+pháp)"
    r"(?:\s+(?:trọng\s+tâm|chủ\s+yếu|cụ\s+thể|cấp\s+bách))?"
    r"\s+(?:như\s+)?sau(?:\s+đây)?\s*:$|[,;]?\s*(?:như\s+)?sau(?:\s+đây)?\s*:$|:$"
)
# A lead whose action is only "do the following" ("thực hiện tốt các nhiệm vụ sau:").
_EMPTY_LEAD = re.compile(
    r"(?:(?:tập\s+trung|khẩn\s+trương|nghiêm\s+túc|tiếp\s+tục|chủ\s+động)\s+)*"
    r"(?:thực\s+hiện|triển\s+khai|lãnh\s+đạo|chỉ\s+đạo|quán\s+triệt)?"
    r"(?:\s*,\s*|\s+)?(?:tốt|nghiêm\s+túc|quyết\s+liệt|có\s+hiệu\s+quả|hiệu\s+quả)?\s*$",
    re.IGNORECASE,
)


def _substantive_lead(text: str, pred: int, end: int) -> bool:
    """Whether a colon-ended assignment says what to do before handing over to
    its list: "triển khai việc lập kế hoạch đầu tư công trung hạn ..., với
    các nội dung sau:" does; "thực hiện tốt các nhiệm vụ sau:" does not."""
    lead = text[pred:end]
    m = _LIST_TAIL.search(lead)
    if m:
        lead = lead[: m.start()]
    lead = _SPACE_RUN.sub(" ", lead).strip(" ,;")
    if _EMPTY_LEAD.fullmatch(lead):
        return False
    return len(_WORD.findall(lead)) >= 6


def _items_follow(si: int, sents: Sequence[_Sent], blocks: Sequence[_Block]) -> bool:
    """Whether list items deeper than this sentence's block come next."""
    if si + 1 >= len(sents):
        return False
    nxt = sents[si + 1]
    return nxt.block != sents[si].block and blocks[nxt.block].level > blocks[sents[si].block].level


def _requested(
    text: str, pos: int, end: int, idx: _Index, cues: _Cues, *, assigned_by: str, at: int
) -> _Owner | None:
    """The body a request is made of, named right after the cue at ``pos``:
    "X đề nghị / yêu cầu / giao Y ..." gives Y, assigned by X."""
    norms, rend, _g = _run(text, pos, end, idx, cues, allow_generic=False)
    if not norms:
        return None
    return _Owner(
        norms, _after_role(text, rend, end, cues), "task.owner.requested.v1",
        assigned_by=assigned_by, at=at,
    )


def _cue_after(text: str, pos: int, end: int, cues: _Cues) -> re.Match[str] | None:
    """An assignment cue after a subject, past the subject's personal name and
    adverbs: "Thủ tướng Chính phủ Nguyễn Xuân Phúc giao ...", "Chủ tịch UBND
    tỉnh cũng giao ..."."""
    p = _skip_ws(text, pos, end)
    name = _PERSON_NAME.match(text, p, end)
    if name:
        p = _skip_ws(text, name.end(), end)
    for _ in range(3):
        a = cues.match("ADVERB", text, p, end)
        if not a or a.end() <= p or a.group(0).lower().startswith(("căn", "theo", "trên")):
            break
        p = _skip_ws(text, a.end(), end)
    return cues.match("ASSIGN_CUE", text, p, end)


def _after_role(text: str, pos: int, end: int, cues: _Cues) -> int:
    """Where the action starts after the owner run: skip "được giao",
    "có trách nhiệm", "chủ trì," and adverbs."""
    p = _skip_ws(text, pos, end)
    for _ in range(6):
        d = cues.match("DELEGATE_CUE", text, p, end)
        if d and d.end() > p:
            p = _skip_ws(text, d.end(), end)
            continue
        a = cues.match("ADVERB", text, p, end)
        if a and a.end() > p and not a.group(0).lower().startswith(("căn", "theo", "trên")):
            p = _skip_ws(text, a.end(), end)
            continue
        break
    return p


def _header_subject(
    text: str, s: _Sent, idx: _Index, cues: _Cues, mentions: Sequence[_Mention]
) -> tuple[str, ...]:
    """The owner of "…, Ban Quản lý … phải thực hiện các nhiệm vụ sau:": the last
    mention (or anaphor) before the cue that is followed by a predicate."""
    hit = cues.search_tail("OWNER_HEADER", text[s.start : s.end])
    cut = s.start + hit.start() if hit else s.end
    best: tuple[str, ...] = ()
    for m in idx.inside(s.start, cut):
        before = text[max(s.start, m.start - 6) : m.start].lower()
        if before.rstrip().endswith(("của", "với", "và", "cho")):
            continue
        nxt = _skip_ws(text, m.end, cut)
        if re.match(
            r"(?:phải|cần|đã|có\s+trách|được\s+giao|tập\s+trung|thực\s+hiện|đề\s+ra)\b",
            text[nxt:cut],
        ):
            best = m.norms
    if not best:
        for a in re.finditer(r"\b(Ban|Sở|Bộ)\s+(?=(?:phải|cần|đã|có|được)\b)", text[s.start : cut]):
            target = _resolve_anaphor(a.group(1), s.start + a.start(), (), mentions)
            if target:
                best = (target,)
    return best


def _resolve_anaphor(
    kind: str, pos: int, focus: tuple[str, ...], mentions: Sequence[_Mention]
) -> str | None:
    kinds = {kind.lower()}
    if kind.lower() in {"ủy ban", "ubnd"}:
        kinds = {"ủy ban", "ubnd", "uỷ ban"}
    for n in focus:
        if any(n.lower().startswith(k) for k in kinds):
            return n
    for m in reversed(mentions):
        if m.start >= pos:
            continue
        for n in m.norms:
            if any(n.lower().startswith(k) for k in kinds):
                return n
    return None


def _is_heading(
    text: str, s: _Sent, si: int, sents: Sequence[_Sent], blocks: Sequence[_Block]
) -> bool:
    """A title line: a one-sentence block without final punctuation that is
    short or introduces deeper list items ("(1) Nâng cao năng lực …")."""
    b = blocks[s.block]
    if not s.first or text[s.end - 1] in _TERMINAL or s.end < b.end - 1:
        return False
    if b.marker is None and not text[: b.start].strip():
        # the first line of the text, unpunctuated: a page title
        return len(_WORD.findall(text[b.start : b.end])) <= 60
    if si + 1 < len(sents) and sents[si + 1].block == s.block:
        return False
    nb = s.block + 1
    if nb < len(blocks) and blocks[nb].level > b.level:
        return True
    # an unpunctuated line that is not a list item: a title or subtitle
    return b.marker is None and len(_WORD.findall(text[s.start : s.end])) <= 25


def _deadline_only(text: str, s: _Sent, sd: Sequence[Deadline], idx: _Index, cues: _Cues) -> bool:
    """ "Hoàn thành trước ngày 10/3/2023." or "Yêu cầu gửi báo cáo về Sở X trước
    ngày 23/5/2019.": nothing but filler words, agencies and the deadline."""
    holes = [(d.start, d.end) for d in sd] + [(m.start, m.end) for m in idx.inside(s.start, s.end)]
    content = 0
    skip_to = s.start  # the end of the last filler phrase ("thời hạn", "báo cáo")
    for w in _WORD.finditer(text, s.start, s.end):
        if w.start() < skip_to or any(a <= w.start() < b for a, b in holes):
            continue
        f = cues.match("DEADLINE_FILLER", text, w.start(), s.end)
        if f:
            skip_to = f.end()
            continue
        if w.group(0).isdigit():
            continue
        content += 1
    # allow a little slack ("báo cáo đề xuất", "kết quả thực hiện")
    return content <= 3


def _with_deadline(task: Task, sd: Sequence[Deadline]) -> Task:
    d = sd[0]
    return replace(
        task,
        deadline=d.date,
        deadline_text=d.text,
        deadline_start=d.start,
        deadline_end=d.end,
    )


def _pick_deadline(sd: Sequence[Deadline], refs: Sequence[LegalRef]) -> Deadline | None:
    """The deadline of the sentence: not a document date inside a citation,
    and a cue phrase ("trước", "chậm nhất", "trong", "hết", "xong") preferred."""
    cands = [d for d in sd if not any(r.start <= d.start and d.end <= r.end for r in refs)]
    if not cands:
        return None
    cued = [
        d
        for d in cands
        if re.match(
            r"(?:hoàn\s+thành\s+)?(?:trước|chậm\s+nhất|trong|hết|xong|đến|tại|vào)\b",
            d.text,
            re.IGNORECASE,
        )
    ]
    return (cued or cands)[0]


def _cooperating(
    text: str, s: _Sent, own: _Owner, idx: _Index, cues: _Cues
) -> tuple[tuple[str, ...], int]:
    """Named partners after "phối hợp (với)"; returns (norms, end of the last
    partner run that directly follows the owner, else -1)."""
    found: list[str] = []
    lead_end = -1
    for rx_row in cues.rows.get("COOP_CUE", ()):
        rx = rx_row[1]
        for m in rx.finditer(text, s.start, s.end):
            norms, rend, generic = _run(text, m.end(), s.end, idx, cues, allow_generic=True)
            for n in norms:
                if n not in found and n not in own.owners and n not in idx.collective:
                    found.append(n)
            if (norms or generic) and m.start() <= own.pred + 2 and lead_end < 0:
                lead_end = rend
            elif m.start() <= own.pred + 2 and lead_end < 0:
                lead_end = m.end()
    return tuple(found), lead_end


def _action(text: str, pred: int, end: int, coop_end: int, deadline: Deadline | None) -> str | None:
    p = max(pred, coop_end)
    p = _skip_ws(text, p, end)
    body = text[p:end]
    if deadline and p <= deadline.start < end:
        a, b = deadline.start - p, deadline.end - p
        body = body[:a] + body[b:]
    body = _SPACE_RUN.sub(" ", body).strip(" ,;:.-/")
    body = re.sub(r"\s+([,;.])", r"\1", body)
    body = re.sub(r"[,;]\s*$", "", body).strip()
    if not body:
        return None
    return body[0].lower() + body[1:] if body[:1].isupper() and not body[1:2].isupper() else body


_NUMBER = re.compile(r"\d+")
# An action that adds nothing to an owner's earlier task: "triển khai thực hiện".
_BARE_ACTION = re.compile(
    r"(?:(?:khẩn\s+trương|nghiêm\s+túc|tổ\s+chức|triển\s+khai)(?:\s*,\s*|\s+))*thực\s+hiện"
    r"(?:\s+(?:nội\s+dung|văn\s+bản|ý\s+kiến\s+chỉ\s+đạo)(?:\s+(?:này|trên|nêu\s+trên))?)?\.?",
    re.IGNORECASE,
)
_T = TypeVar("_T")


def _within(items: Sequence[_T], starts: Sequence[int], lo: int, hi: int) -> list[_T]:
    """Items (sorted by start) lying inside [lo, hi): a bisection, not a scan."""
    out = []
    for i in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
        if items[i].end <= hi:  # type: ignore[attr-defined]
            out.append(items[i])
    return out


def _dup_key(task: Task) -> tuple[object, ...]:
    """Tasks can only repeat one another with the same owners, numbers and deadline:
    "(12) rà soát hồ sơ số 12, xong trước ngày 5/3" and "(13) ... số 13 ..." are
    two assignments, however alike their words."""
    return (
        frozenset(task.owners),
        frozenset(_NUMBER.findall(task.text)),
        task.deadline,
    )


def _duplicate(task: Task, tasks: Sequence[Task]) -> bool:
    """Same owners and near-identical wording (a repeated assignment)."""
    words = set(_WORD.findall(task.text.lower()))
    if not words:
        return True
    for t in tasks:
        if (
            set(t.owners) != set(task.owners)
            or abs(len(t.text) - len(task.text)) > len(task.text) // 4
        ):
            continue
        other = set(_WORD.findall(t.text.lower()))
        inter = len(words & other)
        if inter / max(1, min(len(words), len(other))) >= 0.9 and (
            inter / max(1, len(words | other)) >= 0.8
        ):
            return True
    return False
