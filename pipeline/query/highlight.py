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
from collections.abc import Sequence

from extractors.textnorm import fold
from pipeline.query.plan import QueryPlan, highlight_forms, plan

# A text with fewer accented words than this share was typed without accents.
UNACCENTED_SHARE = 0.05
_WORD = re.compile(r"\w+")


def _unaccented(text: str, folded: str) -> bool:
    words = accented = 0
    for m in _WORD.finditer(text, 0, min(len(text), 20_000)):
        w = m.group()
        if w.isdigit():
            continue
        words += 1
        accented += folded[m.start() : m.end()] != w.lower()
    return words > 0 and accented < UNACCENTED_SHARE * words


def match_ranges(text: str, query: str | Sequence[str] | QueryPlan) -> list[tuple[int, int]]:
    """Offsets of the words the query asked for, in order, not overlapping.

    Example:
        >>> match_ranges("Sở Tài chính tỉnh", "tai chinh")
        [(3, 6), (7, 12)]
        >>> match_ranges("giải ngân trong giai đoạn", "giải ngân")
        [(0, 4), (5, 9)]
    """
    if isinstance(query, QueryPlan):
        forms = highlight_forms(query)
    elif isinstance(query, str):
        forms = highlight_forms(plan(query))
    else:
        forms = [((fold(t),), None) for t in query if t]
    if not forms:
        return []
    folded = fold(text)
    plain: bool | None = None  # computed when first needed
    found: set[tuple[int, int]] = set()
    for seq, typed in forms:
        pattern = re.compile(
            r"(?<!\w)" + r"\W{1,5}".join(f"({re.escape(t)})" for t in seq) + r"(?!\w)"
        )
        for m in pattern.finditer(folded):
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
    ranges = match_ranges(text, query)
    if not ranges:
        cut = width
        if len(text) > width:
            cut = text.rfind(" ", 0, width + 1)
            cut = cut if cut > width // 2 else width
        head = " ".join(text[:cut].split())
        return (html.escape(head) + ("…" if len(text) > cut else ""),) if head else ()
    # Score windows starting at each match by the number of distinct terms.
    folded = fold(text)
    windows: list[tuple[int, int, int]] = []  # (-score, start, end)
    for s, _ in ranges:
        start = max(0, s - width // 3)
        end = min(len(text), start + width)
        inside = {folded[a:b] for a, b in ranges if a >= start and b <= end}
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
