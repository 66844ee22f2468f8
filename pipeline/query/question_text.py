"""The words of a question, for the question parser: tokens, the folded text
they make, the parser's state, the tables it reads, periods and near-misses.

Internal to :mod:`pipeline.query.question`; :mod:`pipeline.query.question_parts`
reads the parts with these. Tokens keep their offsets in the question as typed
(after NFC and tone-mark normalization); reading happens on their folded forms
(no diacritics, đ as d, lower case, shorthand expanded) joined by one space.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache

from extractors.gazetteer import key
from extractors.legal_refs import doc_types, law_names
from extractors.rules import PatternTable, Row, pattern_table
from extractors.textnorm import fold
from pipeline.query.ask_query import words
from pipeline.query.ask_words import one_edit as _near
from pipeline.query.plan import synonym_rows

BARE: ContextVar[bool] = ContextVar("ask_bare", default=True)


_TOKEN = re.compile(r"[^\W_]+(?:[&/.\-][^\W_]+)*|[^\w\s]")


@dataclass(slots=True)
class Tok:
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


def tokenize(q: str) -> list[Tok]:
    w = words()
    out: list[Tok] = []
    for m in _TOKEN.finditer(q):
        text = m.group()
        f = fold(text)
        short = w.short_map.get(f)
        if short is not None and (
            not short.after or (out and out[-1].fold in {fold(a) for a in short.after})
        ):
            f = " ".join(key(short.long).split())
        elif short is None and f in agency_abbreviations():
            f = agency_abbreviations()[f]  # "STC", "BKHĐT": the department or ministry
        out.append(Tok(text, m.start(), m.end(), f, text[:1].isupper()))
    return out


@cache
def agency_abbreviations() -> dict[str, str]:
    """Departments and ministries written as one word ("STC", "SKH&ĐT", "BYT"),
    folded, to their names folded: the agency rows of the synonym list
    (extractors/data/search_synonyms.yaml), whose longest form starts with "Sở" or "Bộ"."""
    out: dict[str, str] = {}
    for forms in synonym_rows():
        longest = key(max(forms, key=len))
        if not longest.startswith(("so ", "bo ")):
            continue
        for f in forms:
            if " " not in f.strip() and _TOKEN.fullmatch(f):
                out[fold(f)] = longest
    return out


class Text:
    """The folded question: tokens joined by one space, with a map back to tokens."""

    def __init__(self, toks: list[Tok]) -> None:
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


def seq_at(toks: list[Tok], i: int, seq: tuple[str, ...]) -> int:
    """How many tokens from ``i`` spell ``seq`` (0 if they don't)."""
    if i >= len(toks) or not toks[i].fold.startswith(seq[0]):
        return 0
    if len(seq) == 1:
        return 1 if toks[i].fold == seq[0] else 0
    words_ = " ".join(seq)
    got = ""
    j = i
    while j < len(toks) and len(got) < len(words_):
        got = f"{got} {toks[j].fold}".strip()
        j += 1
    return j - i if got == words_ else 0


def free(toks: list[Tok], i: int, j: int) -> bool:
    return 0 <= i <= j <= len(toks) and all(t.kind is None for t in toks[i:j])


def is_filler(toks: list[Tok], i: int) -> int:
    """Filler phrase length at ``i`` (0 if none)."""
    bare = BARE.get()
    if toks[i].fold != fold(toks[i].text):  # shorthand: "nv" is "nhiệm vụ"
        typed = [*toks[i].fold.split(), *(t.text for t in toks[i + 1 : i + 4])]
        n = words().filler_length(typed, 0, bare=True)
        return 1 if n >= len(toks[i].fold.split()) else 0
    return words().filler_length([t.text for t in toks[i : i + 4]], 0, bare=bare)


@cache
def _table() -> PatternTable:
    return pattern_table("ask_parts.yaml")


@cache
def compiled_rows() -> tuple[tuple[Row, re.Pattern[str]], ...]:
    t = _table()
    return tuple((r, t.compiled(r)) for r in t.rows)


@cache
def type_words() -> tuple[tuple[tuple[str, ...], str], ...]:
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


_ALONE = {"Công văn", "Chỉ thị", "Quyết định", "Thông báo", "Nghị quyết", "Nghị định",
          "Thông tư", "Công điện", "Tờ trình"}


@cache
def alone_words() -> tuple[tuple[tuple[str, ...], str], ...]:
    generic = {tuple(key(n).split()) for n in words().doc_nouns}
    rows = {(tuple(key(n).split()), d.name) for d in doc_types() if d.name in _ALONE
            for n in [d.name, *d.aliases] if tuple(key(n).split()) not in generic}
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


@cache
def law_sequences() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(k.replace(",", " ").split()) for k in law_names()},
                        key=len, reverse=True))


NUMSYM = re.compile(
    r"^(?P<num>\d{1,6})/(?:(?:19|20)\d{2}/)?(?P<sym>[a-z0-9&.\-/]*[a-z][a-z0-9&.\-/]*)$"
    r"|^(?P<pnum>\d{1,4})-(?P<psym>[a-z]+/[a-z0-9\-]+)$"
)


SLASH = re.compile(r"(?<=\d)\s*/\s*(?=[^\W_])|(?<=[^\W\d_])\s*/\s*(?=\d)")


NUMYEAR = re.compile(r"^\d{1,6}/(?:19|20)\d{2}$")


DIGITS = re.compile(r"^\d{1,6}$")


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class State:
    q: str
    toks: list[Tok]
    text: Text
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
                                                  and filler_covering(self.toks, j))):
            j -= 1
        return j


def filler_covering(toks: list[Tok], j: int) -> bool:
    for start in range(max(0, j - 3), j + 1):
        n = is_filler(toks, start)
        if n and start + n > j:
            return True
    return False


def _last_day(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def date_of(m: re.Match[str], today: dt.date, suffix: str = "") -> dt.date | None:
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


def period_of(row: Row, m: re.Match[str], today: dt.date) -> tuple[dt.date, dt.date] | None:
    kind = row.data.get("kind")
    g = m.groupdict()
    if kind == "between":
        a, b = date_of(m, today), date_of(m, today, "2")
        return (a, b) if a and b else None
    if kind in ("before", "after", "since", "on"):
        d = date_of(m, today)
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


def _add_months(d: dt.date, n: int) -> dt.date:
    mi = d.year * 12 + d.month - 1 + n
    y, m = divmod(mi, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _span_of(
    kind: object, g: dict[str, str | None], today: dt.date
) -> tuple[dt.date, dt.date] | None:
    year = g.get("y") or g.get("y2") or g.get("y3")
    shift = {"nay": 0, "sau": 1, "toi": 1, "truoc": -1, "ngoai": -1, "qua": -1}
    y = int(year) if year else today.year + shift.get(g.get("yrel") or "nay", 0)
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
    if kind == "next":  # "trong 7 ngày tới"
        n = int(g["n"] or 0)
        unit = g["unit"] or "ngay"
        days = n * {"ngay": 1, "tuan": 7}.get(unit, 0)
        end = today + dt.timedelta(days=days) if days else _add_months(today, n)
        return today, end
    if kind == "half":  # "6 tháng đầu năm 2024"
        if g.get("half") == "dau":
            return dt.date(y, 1, 1), dt.date(y, 6, 30)
        return dt.date(y, 7, 1), dt.date(y, 12, 31)
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


def fmt_date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def period_value(lo: dt.date, hi: dt.date) -> str:
    a = "" if lo == dt.date.min else lo.isoformat()
    b = "" if hi == dt.date.max else hi.isoformat()
    return f"{a}..{b}"


def fuzzy_seq(
    toks: list[Tok], i: int, seqs: list[tuple[str, ...]]
) -> tuple[int, tuple[str, ...]] | None:
    """The one sequence of ``seqs`` that the words from ``i`` spell with one typo."""
    found = []
    for seq in seqs:
        n = len(seq)
        if i + n > len(toks) or not free(toks, i, i + n):
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


def seq_words(toks: list[Tok], k: int, seq: tuple[str, ...]) -> int:
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


def stop_at(toks: list[Tok], i: int) -> bool:
    if toks[i].fold != fold(toks[i].text):  # shorthand ("nv"): compare its expansion
        return words().stop_length(toks[i].fold.split(), 0, bare=True) > 0
    return words().stop_length([t.text for t in toks[i : i + 4]], 0, bare=BARE.get()) > 0


def after_any(toks: list[Tok], i: int, seqs: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the words right before token ``i`` spell one of ``seqs``."""
    for seq in seqs:
        for n in range(1, len(seq) + 1):
            if i - n >= 0 and seq_at(toks, i - n, seq) == n:
                return True
    return False


def only_fillers_before(st: State, i: int) -> bool:
    k = 0
    while k < i:
        if st.toks[k].punct or st.toks[k].kind is not None:
            k += 1
            continue
        n = is_filler(st.toks, k)
        if not n:
            return False
        k += n
    return True


def first_word(st: State) -> int:
    k = 0
    while k < len(st.toks) and st.toks[k].punct:
        k += 1
    return k


def content_of(toks: list[Tok]) -> list[str]:
    """The typed words of ``toks`` that are not filler."""
    out = []
    k = 0
    while k < len(toks):
        if toks[k].punct:
            k += 1
            continue
        n = is_filler(toks, k)
        if n:
            k += n
            continue
        out.append(toks[k].text)
        k += 1
    return out


def has_seq(st: State, seqs: tuple[tuple[str, ...], ...]) -> list[int]:
    """Where one of ``seqs`` is written in words no part has taken (or a bare document type)."""
    def open_(i: int) -> bool:
        t = st.toks[i]
        return t.kind is None or (t.kind == "doc" and t.part is not None
                                  and st.parts[t.part].rule_id == "ask.doc.type")
    return [i for i in range(len(st.toks)) for s in seqs if seq_at(st.toks, i, s) and open_(i)]


@cache
def qword_folds() -> frozenset[str]:
    return frozenset({"nao", "gi", "ai", "dau"})


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

