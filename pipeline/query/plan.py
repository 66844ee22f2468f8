"""Turn a user's query into backend-neutral term groups.

A query is a sequence of groups; a document matches when every group
matches. A group is a set of alternatives, each a token sequence (a phrase).
Abbreviations expand both ways from ``extractors/data/search_synonyms.yaml``:
"kcn" also matches "khu công nghiệp" and the reverse.

Untrusted text never reaches a query parser: tokens become term and phrase
queries built through the backend's API, so "AND", quotes, colons or
brackets in a query are just characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

from extractors.rules import load_model
from extractors.textnorm import tokens

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
def synonym_sets() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each synonym row as a tuple of folded token sequences."""
    table = load_model("search_synonyms.yaml", _SynTable)
    return tuple(tuple(tuple(tokens(f)) for f in row.forms) for row in table.rows)


@dataclass(frozen=True, slots=True)
class Group:
    """One query position: the alternatives, each a folded token sequence."""

    alternatives: tuple[tuple[str, ...], ...]
    exact: str | None = None  # the user's own (unfolded, lowercased) token


@dataclass(frozen=True, slots=True)
class QueryPlan:
    groups: tuple[Group, ...]
    folded: tuple[str, ...]  # all folded tokens, for phrase boosts
    exact_phrase: list[str] | None = None  # the tokens as typed, when they carry accents

    @property
    def empty(self) -> bool:
        return not self.groups


def plan(q: str) -> QueryPlan:
    """Plan a query.

    Example:
        >>> [g.alternatives for g in plan("BQL các KCN").groups]
        [(('bql',), ('ban', 'quan', 'ly')), (('cac',),), (('kcn',), ('khu', 'cong', 'nghiep'))]
    """
    folded = tokens(q)[:MAX_QUERY_TOKENS]
    exact = tokens(q, folded=False)[:MAX_QUERY_TOKENS]
    # A word typed without accents says nothing about its accents: "so" may be
    # "sở", "số" or the word "so", so only an accented word gets the exact boost.
    exact = [e if e != f else None for e, f in zip(exact, folded, strict=False)]
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
            groups.append(Group(alternatives=forms, exact=exact[i] if n == 1 else None))
            i += n
        else:
            groups.append(Group(alternatives=((folded[i],),), exact=exact[i]))
            i += 1
    typed = tokens(q, folded=False)[:MAX_QUERY_TOKENS]
    accented = typed if typed != folded else None
    return QueryPlan(groups=tuple(groups), folded=tuple(folded), exact_phrase=accented)
