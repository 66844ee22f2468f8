"""Read a Vietnamese question by its parts, and turn the parts into one query.

The parts (tests/ask/README.md lists them) come from data tables: the
agency gazetteer and province table of the extractors
(extractors/data/agencies.yaml, provinces.yaml), the document types
(doc_types.yaml) and law names (legal_refs.yaml), and the question's own
tables, extractors/data/ask_parts.yaml (patterns for question words, role,
status, time, repetition, citing verbs) and ask_words.yaml (filler words,
shorthand, loose agency heads). Reading is done on the folded question (no
diacritics, đ as d, lower case), word by word, so "so tai chinh bac ninh"
reads as "Sở Tài chính tỉnh Bắc Ninh"; every part keeps the offsets of the
words it was read from in the question as typed.

Nothing here looks at a store: the same question always gives the same parts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Literal

from extractors.agencies import canonical_agency
from extractors.gazetteer import gazetteer, key
from extractors.legal_refs import doc_types, law_names
from extractors.rules import PatternTable, Row, pattern_table
from extractors.textnorm import fold, normalize_query
from pipeline.query.ask_query import AskQuery, DocSpec, words
from pipeline.query.ask_words import typed_without_diacritics

PartKind = Literal[
    "agency", "province", "role", "status", "time", "recurring", "doc", "issuer", "ref",
    "topic", "qword",
]
PART_KINDS: tuple[str, ...] = (
    "agency", "province", "role", "status", "time", "recurring", "doc", "issuer", "ref",
    "topic", "qword",
)


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a question: what it is, the words it was read from, its value.

    ``pieces`` are the (start, end) offsets of its words in the question
    (two for "có … không"); ``start``/``end`` span them all.
    """

    kind: str
    text: str
    start: int
    end: int
    value: str
    rule_id: str
    pieces: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Parsed:
    question: str  # normalized (NFC, one tone-mark convention); offsets point here
    parts: tuple[Part, ...]
    query: AskQuery
    understood: bool
    as_of: dt.date | None = None  # "tính đến ngày 1/7/2024": statuses at that day


# --------------------------------------------------------------------- words

# Whether the question being read was typed without diacritics (set by ``parse``).
_BARE: ContextVar[bool] = ContextVar("ask_bare", default=True)

_TOKEN = re.compile(r"[^\W_]+(?:[&/.\-][^\W_]+)*|[^\w\s]")


@dataclass(slots=True)
class _Tok:
    text: str  # as typed
    start: int
    end: int
    fold: str  # folded; shorthand expanded (may hold several words)
    capital: bool
    kind: str | None = None  # the part that took it
    part: int | None = None  # index of that part

    @property
    def punct(self) -> bool:
        return not self.fold[:1].isalnum()


def _tokenize(q: str) -> list[_Tok]:
    w = words()
    out: list[_Tok] = []
    for m in _TOKEN.finditer(q):
        text = m.group()
        f = fold(text)
        short = w.short_map.get(f)
        if short is not None and (
            not short.after or (out and out[-1].fold in {fold(a) for a in short.after})
        ):
            f = " ".join(key(short.long).split())
        out.append(_Tok(text, m.start(), m.end(), f, text[:1].isupper()))
    return out


class _Text:
    """The folded question: tokens joined by one space, with a map back to tokens."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.starts: list[int] = []
        pos = 0
        for t in toks:
            self.starts.append(pos)
            pos += len(t.fold) + 1
        self.s = " ".join(t.fold for t in toks)

    def tok_at(self, char: int) -> int:
        """The token holding char ``char`` (a space belongs to the token after it)."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= char:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Tokens [i, j) covered by the folded chars [a, b)."""
        if b <= a:
            return self.tok_at(a), self.tok_at(a)
        return self.tok_at(a), self.tok_at(b - 1) + 1

    def char(self, i: int) -> int:
        return self.starts[i] if i < len(self.starts) else len(self.s) + 1


def _seq_at(toks: list[_Tok], i: int, seq: tuple[str, ...]) -> int:
    """How many tokens from ``i`` spell ``seq`` (0 if they don't)."""
    words_ = " ".join(seq)
    got = ""
    j = i
    while j < len(toks) and len(got) < len(words_):
        got = f"{got} {toks[j].fold}".strip()
        j += 1
    return j - i if got == words_ else 0


def _free(toks: list[_Tok], i: int, j: int) -> bool:
    return 0 <= i <= j <= len(toks) and all(t.kind is None for t in toks[i:j])


def _is_filler(toks: list[_Tok], i: int) -> int:
    """Filler phrase length at ``i`` (0 if none)."""
    bare = _BARE.get()
    if toks[i].fold != fold(toks[i].text):  # shorthand: "nv" is "nhiệm vụ"
        typed = [*toks[i].fold.split(), *(t.text for t in toks[i + 1 : i + 4])]
        n = words().filler_length(typed, 0, bare=True)
        return 1 if n >= len(toks[i].fold.split()) else 0
    return words().filler_length([t.text for t in toks[i : i + 4]], 0, bare=bare)


# ---------------------------------------------------------------- the tables


@cache
def _table() -> PatternTable:
    return pattern_table("ask_parts.yaml")


@cache
def _compiled() -> tuple[tuple[Row, re.Pattern[str]], ...]:
    t = _table()
    return tuple((r, t.compiled(r)) for r in t.rows)


@cache
def _type_words() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(folded words, type name) for every document type name and alias, longest first."""
    rows: set[tuple[tuple[str, ...], str]] = set()
    generic = {tuple(key(n).split()) for n in words().doc_nouns}
    for dt_ in doc_types():
        for n in [dt_.name, *dt_.aliases]:
            if tuple(key(n).split()) not in generic:
                rows.add((tuple(key(n).split()), dt_.name))
    for code, name in words().doc_type_codes.items():
        rows.add((tuple(key(code).split()), name))
    for noun in words().doc_nouns:
        rows.add((tuple(key(noun).split()), "văn bản"))
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


# Types that name a document on their own ("các chỉ thị của UBND tỉnh"); the
# others ("kế hoạch", "báo cáo", "đề án") are as often the work itself.
_ALONE = {"Công văn", "Chỉ thị", "Quyết định", "Thông báo", "Nghị quyết", "Nghị định",
          "Thông tư", "Công điện", "Tờ trình"}


@cache
def _alone_words() -> tuple[tuple[tuple[str, ...], str], ...]:
    generic = {tuple(key(n).split()) for n in words().doc_nouns}
    rows = {(tuple(key(n).split()), d.name) for d in doc_types() if d.name in _ALONE
            for n in [d.name, *d.aliases] if tuple(key(n).split()) not in generic}
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


@cache
def _law_sequences() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(k.replace(",", " ").split()) for k in law_names()},
                        key=len, reverse=True))


_NUMSYM = re.compile(
    r"^(?P<num>\d{1,6})/(?:(?:19|20)\d{2}/)?(?P<sym>[a-z0-9&.\-/]*[a-z][a-z0-9&.\-/]*)$"
    r"|^(?P<pnum>\d{1,4})-(?P<psym>[a-z]+/[a-z0-9\-]+)$"
)
_SLASH = re.compile(r"(?<=\d)\s*/\s*(?=[^\W_])|(?<=[^\W\d_])\s*/\s*(?=\d)")
_NUMYEAR = re.compile(r"^\d{1,6}/(?:19|20)\d{2}$")
_DIGITS = re.compile(r"^\d{1,6}$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_UNIT = re.compile(r"(?:tinh|thanh pho|huyen|thi xa|quan)\s+$")

_CHIP = {
    "agency": "Cơ quan", "province": "Tỉnh, thành phố", "role": "Vai trò",
    "status": "Tình trạng", "time": "Thời gian", "recurring": "Định kỳ", "doc": "Văn bản",
    "issuer": "Cơ quan ban hành", "ref": "Văn bản được dẫn chiếu", "topic": "Nội dung",
    "qword": "Câu hỏi",
}


# ------------------------------------------------------------------ the parse


@dataclass
class _State:
    q: str
    toks: list[_Tok]
    text: _Text
    today: dt.date
    parts: list[Part] = field(default_factory=list)
    extra: dict[int, dict[str, object]] = field(default_factory=dict)  # part -> details

    def take(self, kind: str, i: int, j: int, value: str, rule_id: str,
             pieces: list[tuple[int, int]] | None = None, **extra: object) -> int:
        idx = len(self.parts)
        spans = pieces or [(i, j)]
        for a, b in spans:
            for t in self.toks[a:b]:
                t.kind, t.part = kind, idx
        offs = tuple((self.toks[a].start, self.toks[b - 1].end) for a, b in spans if b > a)
        text = " … ".join(self.q[s:e] for s, e in offs)
        self.parts.append(Part(kind, text, offs[0][0], offs[-1][1], value, rule_id,
                               offs if len(offs) > 1 else ()))
        self.extra[idx] = dict(extra, i=spans[0][0], j=spans[-1][1])
        return idx

    def retake(self, idx: int, kind: str, value: str | None = None) -> None:
        p = self.parts[idx]
        self.parts[idx] = replace(p, kind=kind, value=p.value if value is None else value)
        for t in self.toks:
            if t.part == idx:
                t.kind = kind

    def prev_word(self, i: int, skip_fillers: bool = False) -> int:
        """The index of the word before token ``i`` (-1 at the start)."""
        j = i - 1
        while j >= 0 and (self.toks[j].punct or (skip_fillers and self.toks[j].kind is None
                                                  and _filler_covering(self.toks, j))):
            j -= 1
        return j


def _filler_covering(toks: list[_Tok], j: int) -> bool:
    for start in range(max(0, j - 3), j + 1):
        n = _is_filler(toks, start)
        if n and start + n > j:
            return True
    return False


def _last_day(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _date(m: re.Match[str], today: dt.date, suffix: str = "") -> dt.date | None:
    g = m.groupdict()
    d = g.get(f"d{suffix}") or g.get(f"dl{suffix}")
    mo = g.get(f"m{suffix}") or g.get(f"ml{suffix}")
    y = g.get(f"y{suffix}") or g.get(f"yl{suffix}")
    if not d or not mo:
        return None
    try:
        return dt.date(int(y) if y else today.year, int(mo), int(d))
    except ValueError:
        return None


def _period(row: Row, m: re.Match[str], today: dt.date) -> tuple[dt.date, dt.date] | None:
    kind = row.data.get("kind")
    g = m.groupdict()
    if kind == "between":
        a, b = _date(m, today), _date(m, today, "2")
        return (a, b) if a and b else None
    if kind in ("before", "after", "since", "on"):
        d = _date(m, today)
        if d is None:
            return None
        if kind == "before":
            return dt.date.min, d
        if kind == "after":
            return d + dt.timedelta(days=1), dt.date.max
        if kind == "since":
            return d, dt.date.max
        return d, d
    span = _span_of(kind, g, today)
    if span is None:
        return None
    lo, hi = span
    intro = re.sub(r"\s+", " ", g.get("intro") or "")
    # "trước tháng 8": deadlines before it; "đến hết năm 2025": up to its end;
    # "từ quý III": from its start; "trong/vào/hết/cuối tháng 6": within it.
    if intro.startswith("truoc"):
        return dt.date.min, lo - dt.timedelta(days=1)
    if intro.startswith("den"):
        return dt.date.min, hi
    if intro.startswith("tu"):
        return lo, dt.date.max
    if intro.startswith("sau"):
        return hi + dt.timedelta(days=1), dt.date.max
    return lo, hi


def _span_of(kind: object, g: dict[str, str | None], today: dt.date) -> tuple[dt.date, dt.date] | None:
    year = g.get("y") or g.get("y2") or g.get("y3")
    y = int(year) if year else today.year
    if kind == "month":
        mo = int(g["m"] or 0)
        if not 1 <= mo <= 12:
            return None
        return dt.date(y, mo, 1), _last_day(y, mo)
    if kind == "quarter":
        qn = _ROMAN[g["q"] or "1"]
        return dt.date(y, qn * 3 - 2, 1), _last_day(y, qn * 3)
    if kind == "year":
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if kind == "today":
        return today, today
    if kind == "relative":
        unit, rel = g["unit"] or "", g["rel"] or ""
        step = {"nay": 0, "hien tai": 0, "toi": 1, "sau": 1, "truoc": -1, "ngoai": -1, "qua": -1}
        n = step.get(re.sub(r"\s+", " ", rel), 0)
        if unit == "tuan":
            monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=n)
            return monday, monday + dt.timedelta(days=6)
        if unit == "thang":
            mi = today.year * 12 + today.month - 1 + n
            yy, mm = divmod(mi, 12)
            return dt.date(yy, mm + 1, 1), _last_day(yy, mm + 1)
        if unit == "quy":
            qi = today.year * 4 + (today.month - 1) // 3 + n
            yy, qq = divmod(qi, 4)
            return dt.date(yy, qq * 3 + 1, 1), _last_day(yy, qq * 3 + 3)
        return dt.date(today.year + n, 1, 1), dt.date(today.year + n, 12, 31)
    return None


def _fmt(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _period_value(lo: dt.date, hi: dt.date) -> str:
    a = "" if lo == dt.date.min else lo.isoformat()
    b = "" if hi == dt.date.max else hi.isoformat()
    return f"{a}..{b}"


# ------------------------------------------------------------- fuzzy words


def _near(a: str, b: str) -> bool:
    """Whether a and b differ by at most one edit (insert, delete, change, swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [k for k in range(la) if a[k] != b[k]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    k = 0
    while k < len(a) and a[k] == b[k]:
        k += 1
    return a[k:] == b[k + 1 :]


def _fuzzy_seq(toks: list[_Tok], i: int, seqs: list[tuple[str, ...]]) -> tuple[int, tuple[str, ...]] | None:
    """The one sequence of ``seqs`` that the words from ``i`` spell with one typo."""
    found = []
    for seq in seqs:
        n = len(seq)
        if i + n > len(toks) or not _free(toks, i, i + n):
            continue
        got = [t.fold for t in toks[i : i + n]]
        if any(" " in g for g in got):
            continue
        diffs = [k for k in range(n) if got[k] != seq[k]]
        if len(diffs) == 1 and len(seq[diffs[0]]) >= 2 and _near(got[diffs[0]], seq[diffs[0]]):
            found.append((n, seq))
    if not found:
        return None
    best = max(n for n, _ in found)
    top = {s for n, s in found if n == best}
    return (best, next(iter(top))) if len(top) == 1 else None


# ---------------------------------------------------------------- the steps


def _numbers(st: _State) -> None:
    """Documents and references named by number: "Công văn 707/UBND-KT", "NĐ 35/2022"."""
    toks = st.toks
    cites = _marks(st, "CITE")
    for i, t in enumerate(toks):
        if t.kind is not None:
            continue
        f = t.fold
        full = _NUMSYM.match(f)
        typed, start = _type_before(toks, i)
        if not full and not ((_NUMYEAR.match(f) or _DIGITS.match(f)) and typed):
            continue
        if _DIGITS.match(f) and i + 1 < len(toks) and toks[i + 1].fold in ("thang", "/"):
            continue
        number = t.text
        ref = _ref_context(st, start, i + 1, cites)
        type_name = typed if typed and typed != "văn bản" else None
        if ref or type_name in ("Luật", "Bộ luật", "Pháp lệnh"):
            value = f"{type_name} {number}" if type_name else number
            st.take("ref", start, i + 1, value, "ask.ref.number")
            continue
        spec = DocSpec(number=number, type=type_name)
        st.take("doc", start, i + 1, _doc_value(spec), "ask.doc.number", spec=spec)


def _type_before(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    """The document type written before token ``i`` ("Công văn số"), and where it starts."""
    j = i
    if j > 0 and toks[j - 1].fold in ("so", ":") and toks[j - 1].kind is None:
        j -= 1
        if j > 0 and toks[j - 1].fold == "so":
            j -= 1
    for seq, name in _type_words():
        n = len(seq)
        a = j - n
        if a >= 0 and _free(toks, a, j) and [t.fold for t in toks[a:j]] == list(seq):
            return name, a
        # a shorthand token may hold the whole type ("cv" -> "cong van")
        if j >= 1 and toks[j - 1].fold == " ".join(seq) and toks[j - 1].kind is None:
            return name, j - 1
    return None, i


def _marks(st: _State, label: str) -> list[tuple[int, int]]:
    out = []
    for row, rx in _compiled():
        if row.label == label:
            for m in rx.finditer(st.text.s):
                out.append(st.text.span(m.start(), m.end()))
    return out


def _ref_context(st: _State, i: int, j: int, cites: list[tuple[int, int]]) -> bool:
    """Whether the number at tokens [i, j) is a cited reference, not the document asked about."""
    toks = st.toks
    prev = st.prev_word(i)
    if any(b == prev + 1 for _, b in cites):  # "dẫn chiếu X", "căn cứ vào X", "theo X"
        return True
    k = j
    while k < len(toks) and toks[k].punct:
        k += 1
    if k < len(toks) and toks[k].fold == "duoc" and any(a >= k for a, _ in cites):
        return True  # "X được dẫn chiếu ở đâu", "X được những văn bản nào căn cứ"
    if prev < 0 or toks[prev].fold in ("trong", "tai") or _only_fillers_before(st, i):
        return False  # the document asked about: "Công văn 707 giao …", "trong Công văn 6202"
    # After the words of a piece of work ("báo cáo sơ kết Nghị quyết 24-NQ/TW"): a reference.
    return not _filler_covering(toks, prev) and toks[prev].fold not in _qword_folds()


@cache
def _qword_folds() -> frozenset[str]:
    return frozenset({"nao", "gi", "ai", "dau"})


def _doc_value(spec: DocSpec) -> str:
    bits = [b for b in (spec.type, spec.number) if b]
    if spec.date_from and spec.date_from == spec.date_to:
        bits.append(f"ngày {dt.date.fromisoformat(spec.date_from).strftime('%d/%m/%Y')}")
    return " ".join(bits) or "văn bản"


def _attach_date(st: _State, idx: int) -> None:
    """"Công văn ngày 28/02/2023", "Công văn số 707 ngày …": the date belongs to the document."""
    ex = st.extra[idx]
    k = int(ex["j"])  # type: ignore[arg-type]
    if k >= len(st.toks) or st.toks[k].kind != "time":
        return
    tidx = st.toks[k].part
    assert tidx is not None
    if st.parts[tidx].rule_id != "time.on":
        return
    a, b = st.extra[tidx]["period"]  # type: ignore[misc]
    end = int(st.extra[tidx]["j"])  # type: ignore[arg-type]
    spec = replace(ex["spec"], date_from=a.isoformat(), date_to=b.isoformat())  # type: ignore[arg-type]
    for t in st.toks[k:end]:
        t.kind, t.part = "doc", idx
    st.retake(tidx, "_merged")
    p = st.parts[idx]
    last = st.toks[end - 1].end
    st.parts[idx] = replace(p, text=st.q[p.start:last], end=last, value=_doc_value(spec))
    ex.update(spec=spec, j=end)


def _laws(st: _State) -> None:
    """Named laws: "Luật Đầu tư công", "Luật Tổ chức chính quyền địa phương 2015"."""
    toks = st.toks
    for i, t in enumerate(toks):
        if t.kind is not None or t.fold not in ("luat", "phap lenh") and not (
            t.fold == "bo" and i + 1 < len(toks) and toks[i + 1].fold == "luat"
        ):
            continue
        head = 2 if t.fold == "bo" else 1
        k = i + head
        best = 0
        for seq in _law_sequences():
            n = _seq_words(toks, k, seq)
            if n:
                best = n
                break
        if not best:
            n = 0
            while k + n < len(toks) and n < 8 and toks[k + n].kind is None \
                    and not toks[k + n].punct and not _stop_at(toks, k + n):
                n += 1
            best = n
        if not best:
            continue
        end = k + best
        if end < len(toks) and re.fullmatch(r"(?:19|20)\d{2}", toks[end].fold):
            end += 1
        elif end + 1 < len(toks) and toks[end].fold == "nam" \
                and re.fullmatch(r"(?:19|20)\d{2}", toks[end + 1].fold):
            end += 2
        value = st.q[toks[i].start : toks[end - 1].end]
        st.take("ref", i, end, value, "ask.ref.law")


def _seq_words(toks: list[_Tok], k: int, seq: tuple[str, ...]) -> int:
    """Tokens from ``k`` spelling ``seq``, punctuation skipped (0 if they don't)."""
    j, n = k, 0
    while n < len(seq):
        while j < len(toks) and toks[j].punct:
            j += 1
        if j >= len(toks) or toks[j].fold != seq[n] or toks[j].kind is not None:
            return 0
        j += 1
        n += 1
    return j - k


def _stop_at(toks: list[_Tok], i: int) -> bool:
    if toks[i].fold != fold(toks[i].text):  # shorthand ("nv"): compare its expansion
        return words().stop_length(toks[i].fold.split(), 0, bare=True) > 0
    return words().stop_length([t.text for t in toks[i : i + 4]], 0, bare=_BARE.get()) > 0


def _patterns(st: _State) -> None:
    """Question words, role, status, time, repetition: the pattern table, longest first."""
    found = []
    for row, rx in _compiled():
        if row.id == "qword.yesno":
            continue
        for m in rx.finditer(st.text.s):
            if m.end() <= m.start():
                continue
            i, j = st.text.span(m.start(), m.end())
            found.append((j - i, -i, m.end() - m.start(), i, j, row, m))
    found.sort(key=lambda x: (x[0], x[2], x[1]), reverse=True)
    for _, _, _, i, j, row, m in found:
        if not _free(st.toks, i, j):
            continue
        kind = {"QWORD": "qword", "ROLE": "role", "STATUS": "status", "TIME": "time",
                "RECURRING": "recurring", "CITE": "_cite", "ISSUED": "_issued",
                "SUBJECT": "_subject", "ASOF": "_asof"}[row.label]
        if kind == "_asof":
            d = st.today if row.data.get("now") else _date(m, st.today)
            if d is None:
                continue
            st.take(kind, i, j, d.isoformat(), row.id)
        elif kind == "time":
            period = _period(row, m, st.today)
            if period is None:
                continue
            bare = not (m.groupdict().get("intro")) and row.data.get("kind") in (
                "month", "quarter", "year", "relative")
            st.take("time", i, j, _period_value(*period), row.id, period=period, bare=bare)
        elif kind == "recurring":
            value = str(row.data["recurring"])
            if value == "each":
                value = {"ngay": "daily", "tuan": "weekly", "thang": "monthly",
                         "quy": "quarterly", "nam": "yearly"}[m.group("p")]
            st.take(kind, i, j, value, row.id)
        elif kind == "qword":
            st.take(kind, i, j, str(row.data["ask"]), row.id)
        elif kind in ("role", "status"):
            st.take(kind, i, j, str(row.data[kind]), row.id)
        else:
            st.take(kind, i, j, "", row.id)


def _yesno(st: _State) -> None:
    """"có … không", "đã … chưa" closing the question: one part, two pieces."""
    toks = st.toks
    k = len(toks) - 1
    while k >= 0 and toks[k].punct:
        k -= 1
    if k < 1 or toks[k].fold not in ("khong", "chua") or toks[k].kind is not None:
        return
    for a in range(k):
        if toks[a].kind is None and toks[a].text.lower() in ("có", "co", "phải", "phai", "đã", "da"):
            st.take("qword", a, k + 1, "yesno", "qword.yesno", pieces=[(a, a + 1), (k, k + 1)])
            return


def _agencies(st: _State) -> None:
    """Agencies: the gazetteer's names (with a typo at most), short names, loose names."""
    g = gazetteer()
    toks = st.toks
    w = words()
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind is not None or t.punct:
            i += 1
            continue
        if _after_any(toks, i, w.recipient_sequences) or _after_any(toks, i, w.object_sequences):
            i += 1  # "báo cáo Thủ tướng", "đề nghị của Công ty X": the work, not who does it
            continue
        end = _gazetteer_head(st, i)
        rule = "ask.agency.gazetteer"
        if end is None:
            end = _fuzzy_head(st, i)
            rule = "ask.agency.typo"
        if end is None:
            alias = next(((n, name, rid) for seq, name, rid in w.alias_sequences
                          if (n := _seq_at(toks, i, seq)) and _free(toks, i, i + n)), None)
            if alias is not None:
                n, name, rid = alias
                st.take("agency", i, i + n, name, rid)
                i += n
                continue
            end = _loose_head(st, i)
            rule = "ask.agency.loose"
            if end is None and i > 0 and toks[i - 1].fold == "cac":
                end = _bare_head(st, i)  # "các sở, ngành …": a head with no name of its own
            if end is not None and toks[i].fold in _org_heads() \
                    and _after_any(toks, i, w.about_sequences):
                end = None  # "liên quan tới Công ty X": the work's subject
        if end is None:
            i += 1
            continue
        collective = _collective_end(st, i, end)
        if collective is not None:  # "UBND các tỉnh, thành phố …", "các sở, ngành tỉnh …"
            start = i - 1 if i > 0 and toks[i - 1].fold == "cac" and toks[i - 1].kind is None else i
            typed = st.q[toks[start].start : toks[collective - 1].end]
            st.take("agency", start, collective, typed, "ask.agency.collective")
            i = collective
            continue
        end = _jurisdiction(st, end, g)
        words_ = " ".join(tk.fold for tk in toks[i:end])
        typed = st.q[toks[i].start : toks[end - 1].end]
        value = canonical_agency(words_) or canonical_agency(typed) or typed
        st.take("agency", i, end, value, rule)
        i = end


def _after_any(toks: list[_Tok], i: int, seqs: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the words right before token ``i`` spell one of ``seqs``."""
    for seq in seqs:
        for n in range(1, len(seq) + 1):
            if i - n >= 0 and _seq_at(toks, i - n, seq) == n:
                return True
    return False


def _gazetteer_head(st: _State, i: int) -> int | None:
    g = gazetteer()
    s = st.text.s
    m = g.head_re.match(s, st.text.char(i))
    if not m:
        return None
    a, b = st.text.span(m.start(), m.end())
    if a != i or not _free(st.toks, a, b):
        return None
    # A body's own name ("Chính phủ") inside a longer one typed loosely is still that body.
    return b


def _fuzzy_head(st: _State, i: int) -> int | None:
    """"Sở Tài chín", "Sở Giao thông vận tả": a Sở or Bộ whose portfolio has one typo."""
    toks = st.toks
    if toks[i].fold not in ("so", "bo"):
        return None
    depts = [tuple(k.split()) for k in gazetteer().depts]
    got = _fuzzy_seq(toks, i + 1, depts)
    if got is None:
        return None
    n, seq = got
    for k, word in enumerate(seq):
        toks[i + 1 + k].fold = word
    return i + 1 + n


def _bare_head(st: _State, i: int) -> int | None:
    for seq, _ in words().loose_head_sequences:
        n = _seq_at(st.toks, i, seq)
        if n and _free(st.toks, i, i + n):
            return i + n
    return None


def _collective_end(st: _State, i: int, end: int) -> int | None:
    """The end of a group of bodies named together ("UBND các tỉnh, thành phố trực
    thuộc Trung ương", "các sở, ngành tỉnh Lai Châu"), or None if it is one body."""
    toks = st.toks
    after_cac = i > 0 and toks[i - 1].fold == "cac"
    k = end
    if not after_cac:
        if k >= len(toks) or toks[k].fold != "cac":
            return None
        k += 1
    n = 0
    while k < len(toks) and n < 14 and toks[k].kind is None:
        if toks[k].fold == ",":
            if k + 1 < len(toks) and toks[k + 1].kind is None and not toks[k + 1].punct \
                    and not _stop_at(toks, k + 1):
                k += 1
                continue
            break
        if toks[k].punct or _stop_at(toks, k):
            break
        k += 1
        n += 1
    return k if n else None


@cache
def _org_heads() -> frozenset[str]:
    """First words of the heads that need a capital (organizations, mostly)."""
    return frozenset(seq[0] for seq, capital in words().loose_head_sequences if capital)


def _loose_head(st: _State, i: int) -> int | None:
    toks = st.toks
    w = words()
    for seq, capital in w.loose_head_sequences:
        n = _seq_at(toks, i, seq)
        if not n or not _free(toks, i, i + n) or (capital and not toks[i].capital):
            continue
        before = w.not_after_map.get(seq[0])
        if before and i > 0 and toks[i - 1].fold in before:
            return None
        k = i + n
        while k < len(toks) and k - i < n + 8 and toks[k].kind is None and not toks[k].punct \
                and not _stop_at(toks, k) and not _DIGITS.match(toks[k].fold):
            k += 1
        return k if k > i + n else None
    return None


def _jurisdiction(st: _State, end: int, g: object) -> int:
    """Extend an agency over "tỉnh Bắc Ninh", "Hà Nội", "huyện Gio Linh" (one typo allowed)."""
    toks = st.toks
    gz = gazetteer()
    k = end
    if k < len(toks) and toks[k].kind is None and toks[k].fold in (
        "tinh", "thanh pho", "huyen", "thi xa", "quan"
    ):
        k += 1
    elif k + 1 < len(toks) and toks[k].fold == "thanh" and toks[k + 1].fold == "pho":
        k += 2
    if k >= len(toks) or not _free(toks, k, k + 1):
        return end
    m = gz.place_re.match(st.text.s, st.text.char(k))
    if m:
        a, b = st.text.span(m.start(), m.end())
        if a == k and _free(toks, a, b):
            return b
    places = [tuple(p.split()) for p in [*gz.province_keys, *gz.district_keys]]
    got = _fuzzy_seq(toks, k, places)
    if got is not None:
        n, seq = got
        for x, word in enumerate(seq):
            toks[k + x].fold = word
        return k + n
    return end


def _provinces(st: _State) -> None:
    """A province named on its own: "tỉnh Quảng Trị", "của Hà Nội", "Lai Châu có …"."""
    gz = gazetteer()
    toks = st.toks
    for i, t in enumerate(toks):
        if t.kind is not None or t.punct:
            continue
        m = gz.place_re.match(st.text.s, st.text.char(i))
        if not m:
            continue
        a, b = st.text.span(m.start(), m.end())
        if a != i or not _free(toks, a, b):
            continue
        row = gz.province_keys.get(" ".join(tk.fold for tk in toks[a:b]))
        if row is None:
            continue
        start = a
        prev = st.prev_word(a)
        if prev >= 0 and toks[prev].fold in ("tinh", "thanh pho", "tp") and toks[prev].kind is None:
            start = prev
        elif prev + 1 <= a - 1 and prev >= 0 and toks[prev].fold == "thanh" \
                and toks[prev + 1].fold == "pho":
            start = prev
        elif not (prev < 0 or toks[prev].fold in ("cua", "o", "tai", "thuoc", "co quan", "don vi")
                  or _only_fillers_before(st, a)):
            continue
        st.take("province", start, b, row.name, "ask.province")


def _only_fillers_before(st: _State, i: int) -> bool:
    k = 0
    while k < i:
        if st.toks[k].punct or st.toks[k].kind is not None:
            k += 1
            continue
        n = _is_filler(st.toks, k)
        if not n:
            return False
        k += n
    return True


def _doc_types(st: _State) -> None:
    """A document type on its own: "các chỉ thị của …", "công văn nào", "Thông báo kết luận"."""
    toks = st.toks
    i = 0
    while i < len(toks):
        if toks[i].kind is not None:
            i += 1
            continue
        hit = None
        for seq, name in _alone_words():
            n = _seq_at(toks, i, seq)
            if n and _free(toks, i, i + n):
                hit = (n, name)
                break
        if hit is None:
            i += 1
            continue
        n, name = hit
        nxt = toks[i + n].fold if i + n < len(toks) else ""
        prev = toks[i - 1].fold if i > 0 else ""
        prev_kind = toks[i - 1].kind if i > 0 else None
        if not (nxt in ("nao", "cua", "do", "ve", "ngay", "nam", "thang", "ket luan")
                or prev in ("cac", "nhung", "co") or prev_kind == "qword" or i == 0):
            i += n
            continue
        spec = DocSpec(type=name)
        st.take("doc", i, i + n, _doc_value(spec), "ask.doc.type", spec=spec)
        i += n
    for idx, p in enumerate(list(st.parts)):
        if p.kind == "doc":
            _attach_date(st, idx)


def _issuers(st: _State) -> None:
    """Which named agencies issued the documents rather than got the tasks."""
    toks = st.toks
    titles = words().title_sequences
    for idx, p in enumerate(st.parts):
        if p.kind not in ("agency", "province"):
            continue
        i, j = int(st.extra[idx]["i"]), int(st.extra[idx]["j"])  # type: ignore[arg-type]
        while i > 0 and toks[i - 1].part == idx:  # a title taken on the first pass
            i -= 1
        k = i - 1
        # skip a title: "của Chủ tịch UBND tỉnh"
        for seq in titles:
            n = len(seq)
            if k - n + 1 >= 0 and [t.fold for t in toks[k - n + 1 : k + 1]] == list(seq):
                for t in toks[k - n + 1 : k + 1]:
                    t.kind, t.part = p.kind, idx
                k -= n
                break
        before = toks[k].fold if k >= 0 else ""
        after = toks[j].fold if j < len(toks) else ""
        doc_before = False
        if before in ("cua", "do"):
            m = k - 1
            while m >= 0 and (toks[m].punct or toks[m].kind == "qword"):
                m -= 1
            doc_before = m >= 0 and (toks[m].kind == "doc" or (
                toks[m].kind is None and _after_any(toks, m + 1, words().doc_noun_sequences)))
        after_issued = j < len(toks) and toks[j].kind == "_issued"
        issued = (doc_before
                  or after_issued
                  or (after == "giao" and before != "duoc" and i == _first_word(st)))
        if issued:
            st.retake(idx, "issuer")


def _first_word(st: _State) -> int:
    k = 0
    while k < len(st.toks) and st.toks[k].punct:
        k += 1
    return k


def _about(st: _State) -> None:
    """"Thông báo kết luận … về các khu công nghiệp": what the document is about."""
    toks = st.toks
    for idx, p in enumerate(list(st.parts)):
        if p.kind != "doc":
            continue
        j = int(st.extra[idx]["j"])  # type: ignore[arg-type]
        k = j
        # past "của <issuer>"
        while k < len(toks) and (toks[k].kind == "issuer" or (toks[k].fold == "cua" and k + 1 < len(toks) and toks[k + 1].kind == "issuer")):
            k += 1
        if k >= len(toks) or toks[k].fold != "ve" or toks[k].kind is not None:
            continue
        e = k + 1
        while e < len(toks) and toks[e].kind is None and not toks[e].punct \
                and toks[e].fold not in ("giao", "cua", "co", "yeu cau", "de nghi", "chi dao") \
                and not (toks[e].fold == "viec" and e + 1 < len(toks) and toks[e + 1].kind == "qword"):
            e += 1
        if e == k + 1:
            continue
        about = " ".join(content_of(toks[k + 1 : e]))
        if not about:
            continue
        spec = replace(st.extra[idx]["spec"], about=about)  # type: ignore[arg-type]
        for t in toks[j:e]:
            if t.kind is None:
                t.kind, t.part = "doc", idx
        last = toks[e - 1].end
        st.parts[idx] = replace(p, text=st.q[p.start : last], end=last)
        st.extra[idx].update(spec=spec, j=e, about_from=k + 1)


def content_of(toks: list[_Tok]) -> list[str]:
    """The typed words of ``toks`` that are not filler."""
    out = []
    k = 0
    while k < len(toks):
        if toks[k].punct:
            k += 1
            continue
        n = _is_filler(toks, k)
        if n:
            k += n
            continue
        out.append(toks[k].text)
        k += 1
    return out


def _topic(st: _State) -> None:
    toks = st.toks
    w = words()
    nouns = [*w.doc_noun_sequences, *w.task_noun_sequences, *w.title_sequences]
    keep: list[int] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if t.kind is not None or t.punct:
            k += 1
            continue
        n = max((_seq_at(toks, k, s) for s in nouns), default=0) or _is_filler(toks, k)
        if n:
            k += n
            continue
        keep.append(k)
        k += 1
    if not keep:
        return
    value = " ".join(toks[k].text for k in keep)
    groups: list[tuple[int, int]] = []
    for k in keep:
        if groups and all(toks[x].kind is None for x in range(groups[-1][1], k)):
            groups[-1] = (groups[-1][0], k + 1)
        else:
            groups.append((k, k + 1))
    st.take("topic", groups[0][0], groups[-1][1], value, "ask.topic", pieces=groups)


def _has_seq(st: _State, seqs: tuple[tuple[str, ...], ...]) -> list[int]:
    """Where one of ``seqs`` is written in words no part has taken (or a bare document type)."""
    def open_(i: int) -> bool:
        t = st.toks[i]
        return t.kind is None or (t.kind == "doc" and t.part is not None
                                  and st.parts[t.part].rule_id == "ask.doc.type")
    return [i for i in range(len(st.toks)) for s in seqs if _seq_at(st.toks, i, s) and open_(i)]


# ----------------------------------------------------------- parts -> query


def _asked_noun(st: _State) -> str | None:
    """What the question word asks for: "tasks", "documents" or None."""
    toks = st.toks
    w = words()
    doc_like = {" ".join(s) for s, _ in _type_words()}
    task_like = {" ".join(s) for s in w.task_noun_sequences}

    def noun_at(i: int) -> str | None:
        t = toks[i]
        if t.kind is not None and not (t.kind == "doc" and t.part is not None
                                       and st.parts[t.part].rule_id == "ask.doc.type"):
            return None
        for s in sorted(doc_like | task_like, key=len, reverse=True):
            n = _seq_at(toks, i, tuple(s.split()))
            if n:
                return "documents" if s in doc_like else "tasks"
        return None

    for idx, p in enumerate(st.parts):
        if p.kind != "qword" or p.value == "yesno":
            continue
        i, j = int(st.extra[idx]["i"]), int(st.extra[idx]["j"])  # type: ignore[arg-type]
        if p.value == "count":
            for x in range(j, min(j + 3, len(toks))):
                got = noun_at(x)
                if got:
                    return got
        else:  # "văn bản nào", "những nhiệm vụ gì": the noun before
            for x in range(i - 1, max(-1, i - 5), -1):
                for n in (1, 2, 3):
                    if x - n + 1 >= 0:
                        got = noun_at(x - n + 1)
                        if got:
                            return got
    # "những công văn của …", "các văn bản ban hành …"
    for i, t in enumerate(toks):
        if t.fold in ("nhung", "cac", "co") and i + 1 < len(toks):
            got = noun_at(i + 1)
            if got:
                return got
    return None


def _build(st: _State) -> tuple[AskQuery, bool]:
    parts = st.parts
    kinds = {p.kind for p in parts}
    marks = {p.kind for p in parts if p.kind.startswith("_")}
    w = words()
    asks = {p.value for p in parts if p.kind == "qword"}
    ask = next((a for a in ("count", "yesno", "when", "who") if a in asks), "list")
    roles = [p.value for p in parts if p.kind == "role"]
    role = roles[0] if roles else None
    owner = next((p.value for p in parts if p.kind == "agency"), None)
    province = next((p.value for p in parts if p.kind == "province"), None)
    if ask == "who" and role == "cooperating" and (owner or province):
        ask, role = "partners", None
    statuses = [p.value for p in parts if p.kind == "status"]
    # "đã quá hạn mà chưa hoàn thành": the narrower status ("quá hạn" is never done)
    status = min(statuses, key=_STATUS_ORDER.index) if statuses else None
    recurring = next((p.value for p in parts if p.kind == "recurring"), None)
    refs = [p.value for p in parts if p.kind == "ref"]
    docs = [i for i, p in enumerate(parts) if p.kind == "doc"]
    issuer = next((p.value for p in parts if p.kind == "issuer"), None)
    topic = next((p.value for p in parts if p.kind == "topic"), None)
    has_task_noun = bool(_has_seq(st, w.task_noun_sequences))
    asked = _asked_noun(st)
    has_doc_noun = bool(_has_seq(st, w.doc_noun_sequences))
    taskish = ask in ("who", "when", "partners")

    spec: DocSpec | None = None
    doc_end = -1
    if docs:
        spec = st.extra[docs[0]]["spec"]  # type: ignore[assignment]
        doc_end = int(st.extra[docs[0]]["j"])  # type: ignore[arg-type]
    if issuer:
        spec = replace(spec or DocSpec(), issuer=issuer)

    cites = [int(st.extra[i]["i"]) for i, p in enumerate(parts) if p.kind == "_cite"]  # type: ignore[arg-type]
    # target
    if refs:
        # "văn bản nào dẫn chiếu X": the citing documents; "nhiệm vụ nào theo X",
        # "ai phụ trách báo cáo … X": the tasks with X as their legal basis.
        tasky = asked == "tasks" or (asked is None and has_task_noun) or ask in ("who", "when")
        target = "tasks" if tasky else "citations"
    elif docs and any(c >= doc_end for c in cites):
        target = "cited"
    elif taskish:
        target = "tasks"  # "ai …", "khi nào …": who does the work, and by when
    elif "_subject" in marks and docs:
        target = "documents"
    elif asked == "documents" or (asked is None and (has_doc_noun or (docs and not has_task_noun
                                                                       and _type_only(spec)))
                                  and not has_task_noun):
        target = "documents"
    elif not (kinds - {"topic", "qword", "_cite", "_issued", "_subject"}) and not has_task_noun \
            and topic:
        target = "documents"  # only words: search the documents
    else:
        target = "tasks"

    # a period: deadlines, or issue dates of the documents
    lo = hi = None
    for i, p in enumerate(parts):
        if p.kind != "time":
            continue
        a, b = st.extra[i]["period"]  # type: ignore[misc]
        if _issued_time(st, i, target):
            spec = replace(spec or DocSpec(),
                           date_from=None if a == dt.date.min else a.isoformat(),
                           date_to=None if b == dt.date.max else b.isoformat())
        else:
            lo = None if a == dt.date.min else a.isoformat()
            hi = None if b == dt.date.max else b.isoformat()

    if target == "documents" and spec is not None and spec.about:
        topic = " ".join(x for x in (spec.about, topic) if x)
        spec = replace(spec, about=None)
    if target == "documents" and owner and not has_task_noun and not issuer:
        # "Văn phòng Chính phủ có bao nhiêu công văn?": the documents' issuer
        spec = replace(spec or DocSpec(), issuer=owner)
        owner = None
        for i, p in enumerate(parts):
            if p.kind == "agency":
                st.retake(i, "issuer")
    q = AskQuery(
        target=target, ask=ask if not (target in ("documents", "citations", "cited")
                                       and ask in ("who", "when", "partners")) else "list",
        owner=owner, province=province, role=role, status=status,
        deadline_from=lo, deadline_to=hi, recurring=recurring, doc=spec,
        ref=refs[0] if refs else None, topic=topic,
    )
    understood = bool(kinds - {"topic", "qword", "_cite", "_issued", "_subject"}) or (
        target == "documents" and (has_doc_noun or asked == "documents")
    ) or (bool(topic) and (has_task_noun or ask in ("who", "when", "count", "yesno")))
    return q, understood


_STATUS_ORDER = ("overdue", "due_soon", "in_time", "no_deadline", "done", "pending")


def _type_only(spec: DocSpec | None) -> bool:
    return spec is not None and spec.number is None


def _issued_time(st: _State, idx: int, target: str) -> bool:
    if target == "documents":
        return True
    i = int(st.extra[idx]["i"])  # type: ignore[arg-type]
    prev = st.prev_word(i)
    while prev >= 0 and st.toks[prev].kind is None and _filler_covering(st.toks, prev) \
            and st.toks[prev].fold not in ("ban hanh", "ky"):
        prev -= 1
    if prev < 0:
        return False
    kind = st.toks[prev].kind
    return kind in ("doc", "issuer", "_issued")


def _bare_times(st: _State) -> None:
    """A period with no word before it, right after the words of a piece of work, is
    part of that work's name ("kế hoạch đầu tư công năm 2019"), not a deadline."""
    for idx, p in enumerate(st.parts):
        if p.kind != "time" or not st.extra[idx].get("bare"):
            continue
        i = int(st.extra[idx]["i"])  # type: ignore[arg-type]
        prev = st.prev_word(i)
        if prev < 0:
            continue
        t = st.toks[prev]
        if t.kind is None and not _filler_covering(st.toks, prev):
            st.retake(idx, "_dropped")
            for tk in st.toks:
                if tk.part == idx:
                    tk.kind, tk.part = None, None


def parse(question: str, *, today: dt.date) -> Parsed:
    """Read a question's parts and the query they make.

    Example:
        >>> p = parse("nhiem vu qua han cua so tai chinh bac ninh", today=dt.date(2024, 6, 25))
        >>> [(x.kind, x.value) for x in p.parts]
        [('status', 'overdue'), ('agency', 'Sở Tài chính tỉnh Bắc Ninh')]
        >>> p.query.owner, p.query.status
        ('Sở Tài chính tỉnh Bắc Ninh', 'overdue')
    """
    # "707 / UBND-KT" is "707/UBND-KT"
    q = _SLASH.sub("/", normalize_query(question))
    _BARE.set(typed_without_diacritics(q))
    toks = _tokenize(q)
    st = _State(q, toks, _Text(toks), today)
    if toks:
        _laws(st)
        _numbers(st)
        _patterns(st)
        _yesno(st)
        _agencies(st)
        _doc_types(st)
        _provinces(st)
        _issuers(st)
        _about(st)
        _issuers(st)  # "Thông báo … về khu công nghiệp của UBND tỉnh …"
        _bare_times(st)
        _topic(st)
    query, understood = _build(st)
    parts = tuple(p for p in st.parts if not p.kind.startswith("_"))
    if query.target == "documents":
        parts = _about_to_topic(st, parts, query)
    as_of = next((dt.date.fromisoformat(p.value) for p in st.parts if p.kind == "_asof"), None)
    return Parsed(q, tuple(sorted(parts, key=lambda p: p.start)), query, understood,
                  as_of if as_of != today else None)


def _about_to_topic(st: _State, parts: tuple[Part, ...], query: AskQuery) -> tuple[Part, ...]:
    """For a search of documents, what they are about is the topic, not the document."""
    out = list(parts)
    for n, p in enumerate(out):
        if p.kind != "doc":
            continue
        idx = st.parts.index(p) if p in st.parts else -1
        about_from = st.extra.get(idx, {}).get("about_from")
        if about_from is None:
            continue
        k = int(about_from)  # type: ignore[arg-type]
        j = int(st.extra[idx]["j"])  # type: ignore[arg-type]
        cut = st.toks[k - 1].start
        doc_end = st.toks[k - 2].end if k >= 2 else cut
        out[n] = replace(p, text=st.q[p.start:doc_end].rstrip(), end=doc_end)
        words_ = " ".join(content_of(st.toks[k:j]))
        existing = next((x for x in out if x.kind == "topic"), None)
        topic = Part("topic", st.q[st.toks[k].start : st.toks[j - 1].end], st.toks[k].start,
                     st.toks[j - 1].end, words_, "ask.topic")
        if existing is None:
            out.append(topic)
        else:
            out[out.index(existing)] = replace(existing, value=f"{words_} {existing.value}",
                                               start=min(existing.start, topic.start),
                                               pieces=(*(existing.pieces or ((existing.start, existing.end),)),
                                                       (topic.start, topic.end)))
    return tuple(out)


def chip_label(p: Part) -> str:
    """What a part's chip says in the page."""
    return f"{_CHIP.get(p.kind, p.kind)}: {describe(p)}"


def describe(p: Part) -> str:
    """A part's value in words."""
    if p.kind == "role":
        return {"lead": "chủ trì", "cooperating": "phối hợp", "any": "chủ trì hoặc phối hợp"}[
            p.value]
    if p.kind == "status":
        return STATUS_WORDS.get(p.value, p.value)
    if p.kind == "recurring":
        return RECURRING_WORDS.get(p.value, p.value)
    if p.kind == "qword":
        return ASK_WORDS.get(p.value, p.value)
    if p.kind == "time":
        a, _, b = p.value.partition("..")
        if a and b:
            lo, hi = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
            return _fmt(lo) if lo == hi else f"từ {_fmt(lo)} đến {_fmt(hi)}"
        if b:
            return f"đến {_fmt(dt.date.fromisoformat(b))}"
        return f"từ {_fmt(dt.date.fromisoformat(a))}"
    return p.value


STATUS_WORDS = {"overdue": "quá hạn", "due_soon": "sắp đến hạn", "in_time": "còn hạn",
                "done": "đã hoàn thành", "pending": "chưa hoàn thành",
                "no_deadline": "không có thời hạn"}
RECURRING_WORDS = {"daily": "hằng ngày", "weekly": "hằng tuần", "monthly": "hằng tháng",
                   "quarterly": "hằng quý", "half-yearly": "6 tháng một lần",
                   "yearly": "hằng năm", "any": "định kỳ"}
ASK_WORDS = {"list": "liệt kê", "count": "bao nhiêu", "yesno": "có hay không",
             "who": "ai", "when": "khi nào", "partners": "phối hợp với ai"}
