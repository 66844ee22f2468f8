"""Turn a user's query into backend-neutral term groups.

A query is a sequence of groups; a document matches when every group
matches and no excluded group does. A group is a set of alternatives, each
a folded token sequence (a phrase). The syntax staff can use, the way web
search engines have it:

* words: every word is required (``so tai chinh`` needs all three);
* ``"..."``: a phrase, its words in that order;
* ``OR`` (in capitals) between two words or phrases: either will do;
* ``NOT`` before, or ``-`` glued to, a word or phrase: documents with it are left out.

Abbreviations expand both ways from ``extractors/data/search_synonyms.yaml``:
"kcn" also matches "khu công nghiệp" and the reverse.

Untrusted text never reaches a query parser: tokens become term and phrase
queries built through the backend's API, so quotes, colons or brackets in a
query are just characters, and the three operators above are the only syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel, ConfigDict

from extractors.rules import load_model
from extractors.textnorm import fold, tokens

MAX_QUERY_TOKENS = 32


class _SynRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    forms: list[str]


class _SynTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str = ""
    rows: list[_SynRow]


@cache
def _synonym_rows() -> tuple[tuple[str, ...], ...]:
    table = load_model("search_synonyms.yaml", _SynTable)
    return tuple(tuple(row.forms) for row in table.rows)


def synonym_rows() -> tuple[tuple[str, ...], ...]:
    """The rows of the synonym list, each its forms as written."""
    return _synonym_rows()


@cache
def synonym_sets() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each synonym row as a tuple of folded token sequences."""
    return tuple(tuple(tuple(tokens(f)) for f in forms) for forms in _synonym_rows())


def spelled_out(q: str) -> str:
    """The query with each abbreviation of the synonym table written out in full
    (its longest form): what staff type ("STC", "SKHĐT", "VP UBND") read as the
    names they stand for.

    Example:
        >>> spelled_out("STC bac ninh")
        'Sở Tài chính bac ninh'
    """
    words = tokens(q, folded=False)
    folded = tokens(q)
    out: list[str] = []
    i = 0
    while i < len(folded):
        best: tuple[int, str] | None = None
        for raw, forms in zip(_synonym_rows(), synonym_sets(), strict=True):
            longest = max(range(len(forms)), key=lambda k: len(forms[k]))
            for k, form in enumerate(forms):
                n = len(form)
                if (n and k != longest and tuple(folded[i : i + n]) == form
                        and (best is None or n > best[0])):
                    best = (n, raw[longest])
        if best is not None:
            out.append(best[1])
            i += best[0]
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class Group:
    """One query position: the alternatives, each a folded token sequence."""

    alternatives: tuple[tuple[str, ...], ...]
    exact: str | None = None  # the user's own (unfolded, lowercased) token
    # Parallel to ``alternatives``: the tokens as the user typed them
    # (lowercased, accents kept), or None for an expansion nobody typed.
    # Highlights use it: a typed "giải" marks "giải", not "giai".
    typed: tuple[tuple[str, ...] | None, ...] = ()

    def typed_forms(self) -> list[tuple[tuple[str, ...], tuple[str, ...] | None]]:
        """(folded tokens, tokens as typed or None) per alternative."""
        return [(alt, self.typed[i] if i < len(self.typed) else None)
                for i, alt in enumerate(self.alternatives)]


@dataclass(frozen=True, slots=True)
class QueryPlan:
    groups: tuple[Group, ...]
    folded: tuple[str, ...]  # all folded tokens, for phrase boosts
    exact_phrase: list[str] | None = None  # the tokens as typed, when they carry accents
    excluded: tuple[Group, ...] = field(default=())  # NOT / -word: must not match

    @property
    def empty(self) -> bool:
        return not self.groups

    def relaxed(self) -> str:
        """The query with any word allowed instead of every word ("a OR b OR c"),
        offered when nothing matches every word."""
        parts = []
        for g in self.groups:
            for _alt, typed in g.typed_forms():
                words = list(typed or ())
                if words:
                    parts.append(f'"{" ".join(words)}"' if len(words) > 1 else words[0])
        return " OR ".join(dict.fromkeys(parts))


# A quoted phrase (the closing quote may be missing), or a run of non-space.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


@dataclass(slots=True)
class _Unit:
    tokens: list[tuple[str, str]]  # (folded, as typed: lowercased, accents kept)
    phrase: bool
    negated: bool


def _lex(q: str) -> tuple[list[_Unit], set[int]]:
    """Units (words and phrases) and the unit indexes an OR follows."""
    units: list[_Unit] = []
    ors: set[int] = set()
    negate_next = False
    budget = MAX_QUERY_TOKENS
    for m in _CHUNK.finditer(q.translate(_QUOTES)):
        if budget <= 0:
            break
        minus, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare == "OR":
            if units:
                ors.add(len(units))
            continue
        if bare == "NOT":
            negate_next = True
            continue
        negated = negate_next or bool(minus)
        text = quoted if quoted is not None else bare
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, text = True, bare[1:]
        folded = tokens(text)[:budget]
        exact = tokens(text, folded=False)[: len(folded)]
        if not folded:
            continue
        budget -= len(folded)
        negate_next = False
        pairs = list(zip(folded, exact, strict=False))
        units.append(_Unit(pairs, phrase=quoted is not None, negated=negated))
    return units, ors


def _synonyms_of(seq: tuple[str, ...]) -> tuple[tuple[str, ...], ...] | None:
    for forms in synonym_sets():
        if seq in forms:
            return forms
    return None


def _exact(folded: str, typed: str) -> str | None:
    # A word typed without accents says nothing about its accents: "so" may be
    # "sở", "số" or the word "so", so only an accented word gets the exact boost.
    return typed if typed != folded else None


def _group_run(words: list[tuple[str, str]]) -> list[Group]:
    """Consecutive plain words into groups, longest synonym form first."""
    folded = [f for f, _ in words]
    groups: list[Group] = []
    i = 0
    syns = synonym_sets()
    while i < len(folded):
        best: tuple[int, tuple[tuple[str, ...], ...]] | None = None
        for forms in syns:
            for form in forms:
                n = len(form)
                if n and tuple(folded[i : i + n]) == form and (best is None or n > best[0]):
                    best = (n, forms)
        if best is not None:
            n, forms = best
            typed_seq = tuple(e for _, e in words[i : i + n])
            typed = tuple(
                typed_seq if form == tuple(folded[i : i + n]) else None for form in forms
            )
            exact = _exact(*words[i]) if n == 1 else None
            groups.append(Group(alternatives=forms, exact=exact, typed=typed))
            i += n
        else:
            groups.append(Group(alternatives=((folded[i],),), exact=_exact(*words[i]),
                                typed=((words[i][1],),)))
            i += 1
    return groups


def _unit_groups(unit: _Unit) -> list[Group]:
    if not unit.phrase:
        return _group_run(unit.tokens)
    seq = tuple(f for f, _ in unit.tokens)
    typed = tuple(e for _, e in unit.tokens)
    forms = _synonyms_of(seq)
    if forms is not None:  # "khu công nghiệp" in quotes still finds "KCN"
        return [Group(alternatives=forms,
                      typed=tuple(typed if form == seq else None for form in forms))]
    exact = _exact(seq[0], typed[0]) if len(seq) == 1 else None
    return [Group(alternatives=(seq,), exact=exact, typed=(typed,))]


def _merge(a: Group, b: Group) -> Group:
    return Group(alternatives=a.alternatives + b.alternatives, exact=None,
                 typed=a.typed + b.typed)


def plan(q: str) -> QueryPlan:
    """Plan a query.

    Example:
        >>> [g.alternatives for g in plan("BQL các KCN").groups]
        [(('bql',), ('ban', 'quan', 'ly')), (('cac',),), (('kcn',), ('khu', 'cong', 'nghiep'))]
        >>> [g.alternatives for g in plan('"giải ngân" OR "thanh toán" -nợ').groups]
        [(('giai', 'ngan'), ('thanh', 'toan'))]
    """
    units, ors = _lex(q)
    # Plain words next to each other form one run (a synonym may span them);
    # a phrase, a negated word or an OR ends the run.
    positive: list[tuple[int, int, Group]] = []  # (first unit, last unit, group)
    excluded: list[Group] = []
    run: list[tuple[str, str | None]] = []
    run_first = 0

    def flush(last: int) -> None:
        nonlocal run
        if run:
            for g in _group_run(run):
                positive.append((run_first, last, g))
            run = []

    for i, u in enumerate(units):
        if u.negated:
            flush(i - 1)
            excluded.extend(_unit_groups(u))
            continue
        if u.phrase or i in ors or (i + 1) in ors:
            flush(i - 1)
            for g in _unit_groups(u):
                positive.append((i, i, g))
            continue
        if not run:
            run_first = i
        run.extend(u.tokens)
    flush(len(units) - 1)
    # "a OR b": the group ending at unit i-1 and the one starting at unit i merge.
    groups: list[Group] = []
    last_unit = -1
    for first, last, g in positive:
        if groups and first in ors and last_unit == first - 1:
            groups[-1] = _merge(groups[-1], g)
        else:
            groups.append(g)
        last_unit = last
    folded = tuple(f for u in units if not u.negated for f, _ in u.tokens)
    typed = [e for u in units if not u.negated for _, e in u.tokens]
    accented = typed if list(folded) != typed else None
    return QueryPlan(groups=tuple(groups), folded=folded, exact_phrase=accented,
                     excluded=tuple(excluded))


def highlight_forms(p: QueryPlan) -> list[tuple[tuple[str, ...], tuple[str, ...] | None]]:
    """What to mark in a text: each wanted alternative as (folded, typed) tokens."""
    seen: set[tuple[tuple[str, ...], tuple[str, ...] | None]] = set()
    out = []
    for g in p.groups:
        for form in g.typed_forms():
            if form not in seen:
                seen.add(form)
                out.append(form)
    return out


def is_accented(word: str) -> bool:
    """Whether a word carries any diacritic (or đ)."""
    return fold(word) != word.lower()
