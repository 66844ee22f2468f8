"""Snippets with highlighted matches, the same for every backend.

Matching is done on folded text (diacritics removed, đ -> d), which has the
same length as the original, so a match found there is highlighted in the
original: "tai chinh" marks "Tài chính".
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from extractors.textnorm import fold, tokens


def match_ranges(text: str, query: str | Sequence[str]) -> list[tuple[int, int]]:
    """Offsets of whole-word matches of the query's tokens, accent-insensitive.

    Example:
        >>> match_ranges("Sở Tài chính tỉnh", "tai chinh")
        [(3, 6), (7, 12)]
    """
    terms = tokens(query) if isinstance(query, str) else [fold(t) for t in query]
    terms = [t for t in dict.fromkeys(terms) if t]
    if not terms:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(fold(text))]


def snippets(
    text: str, query: str | Sequence[str], *, width: int = 220, max_snippets: int = 2
) -> tuple[str, ...]:
    """Up to ``max_snippets`` windows around the densest matches, HTML-safe.

    Example:
        >>> snippets("Giao Sở Tài chính chủ trì.", "so tai chinh")
        ('Giao <mark>Sở</mark> <mark>Tài</mark> <mark>chính</mark> chủ trì.',)
    """
    ranges = match_ranges(text, query)
    if not ranges:
        head = " ".join(text[:width].split())
        return (html.escape(head) + ("…" if len(text) > width else ""),) if head else ()
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
        # widen to word boundaries
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
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
