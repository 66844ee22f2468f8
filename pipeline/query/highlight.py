"""Snippets with highlighted matches, the same for every backend.

Only what the query asked for is marked: its words and phrases (and their
abbreviation forms from the synonym table), never the words it excluded.
Matching is done on folded text (diacritics removed, đ -> d), which has the
same length as the original, so a match found there is marked in the
original. A word typed without accents marks every spelling ("tai chinh"
marks "Tài chính"); a word typed with accents marks that word only ("giải"
marks "giải", not "giai" in "giai đoạn"), and its accent-free spelling only
in a text written without accents.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from extractors.textnorm import fold
from pipeline.query.plan import QueryPlan, highlight_forms, plan

# A text with fewer accented words than this share was typed without accents.
UNACCENTED_SHARE = 0.05
_WORD = re.compile(r"\w+")


def _unaccented(text: str, folded: str) -> bool:
    """Whether the text was typed without accents: of the words of its first
    20,000 characters (digits aside), fewer than UNACCENTED_SHARE carry one.

    Stops as soon as the answer is known: a text with accents has its
    share of accented words within its first few thousand characters
    (what is left can hold at most one word per two characters).
    """
    words = accented = 0
    end = min(len(text), 20_000)
    for m in _WORD.finditer(text, 0, end):
        w = m.group()
        if w.isdigit():
            continue
        words += 1
        if folded[m.start() : m.end()] != w.lower():
            accented += 1
            if accented >= UNACCENTED_SHARE * (words + (end - m.end() + 1) // 2):
                return False
    return words > 0 and accented < UNACCENTED_SHARE * words


def match_ranges(text: str, query: str | Sequence[str] | QueryPlan) -> list[tuple[int, int]]:
    """Offsets of the words the query asked for, in order, not overlapping.

    Example:
        >>> match_ranges("Sở Tài chính tỉnh", "tai chinh")
        [(3, 6), (7, 12)]
        >>> match_ranges("giải ngân trong giai đoạn", "giải ngân")
        [(0, 4), (5, 9)]
    """
    forms = _forms(query)
    return _ranges(text, fold(text), forms) if forms else []


def _forms(query: str | Sequence[str] | QueryPlan) -> list[Form]:
    if isinstance(query, QueryPlan):
        return highlight_forms(query)
    if isinstance(query, str):
        return highlight_forms(plan(query))
    return [((fold(t),), None) for t in query if t]


Form = tuple[tuple[str, ...], tuple[str, ...] | None]


@lru_cache(maxsize=1024)
def _pattern(seq: tuple[str, ...]) -> re.Pattern[str]:
    r"""The folded words in order, up to 5 non-word characters apart, the last
    ending a word. It starts with the first word's letters, which re finds by
    a fast literal search (a leading ``(?<!\w)`` tested it at every
    position, 60x slower); ``_finditer`` tests that the first starts a word."""
    return re.compile(r"\W{1,5}".join(f"({re.escape(t)})" for t in seq) + r"(?!\w)")


_WORD_CHAR = re.compile(r"\w")


def _finditer(pattern: re.Pattern[str], folded: str) -> Iterator[re.Match[str]]:
    r"""``pattern``'s matches that start a word, as ``re.finditer`` would give
    them with ``(?<!\w)`` in front: a match inside a word is skipped and the
    search goes on from the next character."""
    pos = 0
    while (m := pattern.search(folded, pos)) is not None:
        a = m.start()
        if a and _WORD_CHAR.match(folded, a - 1):
            pos = a + 1
            continue
        yield m
        pos = m.end()


def _ranges(text: str, folded: str, forms: list[Form]) -> list[tuple[int, int]]:
    """:func:`match_ranges` on a text already folded (``fold(text)``)."""
    plain: bool | None = None  # computed when first needed
    found: set[tuple[int, int]] = set()
    for seq, typed in forms:
        for m in _finditer(_pattern(seq), folded):
            spans = [m.span(i + 1) for i in range(len(seq))]
            ok = True
            if typed is not None:
                for (a, b), t, f in zip(spans, typed, seq, strict=True):
                    if t == f or text[a:b].lower() == t:
                        continue  # typed without accents, or the very word typed
                    if text[a:b].lower() == f:  # its accent-free spelling
                        if plain is None:
                            plain = _unaccented(text, folded)
                        if plain:
                            continue
                    ok = False
                    break
            if ok:
                found.update(spans)
    out: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def _word_start(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def excerpt(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole words, whitespace collapsed, with
    "…" where it was cut."""
    start, end = _word_start(text, max(0, start)), _word_end(text, min(len(text), end))
    frag = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + frag + ("…" if end < len(text) else "")


def snippets(
    text: str, query: str | Sequence[str] | QueryPlan, *, width: int = 220,
    max_snippets: int = 2,
) -> tuple[str, ...]:
    """Up to ``max_snippets`` windows around the densest matches, HTML-safe,
    cut at word boundaries.

    Example:
        >>> snippets("Giao Sở Tài chính chủ trì.", "so tai chinh")
        ('Giao <mark>Sở</mark> <mark>Tài</mark> <mark>chính</mark> chủ trì.',)
    """
    forms = _forms(query)
    folded = fold(text)  # once, for the matches and the windows' terms
    ranges = _ranges(text, folded, forms) if forms else []
    if not ranges:
        cut = width
        if len(text) > width:
            cut = text.rfind(" ", 0, width + 1)
            cut = cut if cut > width // 2 else width
        head = " ".join(text[:cut].split())
        return (html.escape(head) + ("…" if len(text) > cut else ""),) if head else ()
    # Score windows starting at each match by the number of distinct terms.
    # The ranges are sorted and apart, and the windows move forward with the
    # matches: the terms inside are counted as ranges come in at the end and
    # go out at the start, not gathered again for every window.
    terms = [folded[a:b] for a, b in ranges]
    inside: dict[str, int] = {}  # term -> ranges of the window with it
    lo = hi = 0
    windows: list[tuple[int, int, int]] = []  # (-score, start, end)
    for s, _ in ranges:
        start = max(0, s - width // 3)
        end = min(len(text), start + width)
        while hi < len(ranges) and ranges[hi][1] <= end:
            inside[terms[hi]] = inside.get(terms[hi], 0) + 1
            hi += 1
        while lo < hi and ranges[lo][0] < start:
            left = inside[terms[lo]] - 1
            if left:
                inside[terms[lo]] = left
            else:
                del inside[terms[lo]]
            lo += 1
        windows.append((-len(inside) * 1000 + s // 1000, start, end))
    windows.sort()
    chosen: list[tuple[int, int]] = []
    for _, start, end in windows:
        if all(end <= a or start >= b for a, b in chosen):
            chosen.append((start, end))
        if len(chosen) >= max_snippets:
            break
    out = []
    for start, end in sorted(chosen):
        start, end = _word_start(text, start), _word_end(text, end)
        parts = []
        pos = start
        for a, b in ranges:
            if a >= start and b <= end:
                parts.append(html.escape(text[pos:a]))
                parts.append("<mark>" + html.escape(text[a:b]) + "</mark>")
                pos = b
        parts.append(html.escape(text[pos:end]))
        frag = " ".join("".join(parts).split())
        out.append(("…" if start > 0 else "") + frag + ("…" if end < len(text) else ""))
    return tuple(out)
