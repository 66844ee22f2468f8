"""Overlapping spans, settled in one place.

:func:`filter_spans` keeps the longest of overlapping spans, then the
earliest (spaCy's ``filter_spans``); every extractor that finds more than it
keeps uses it. :class:`SpanSet` is what it keeps them in: non-overlapping
half-open intervals, checked and added in O(log n), which the legal
reference finder also fills as it goes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any, TypeVar

__all__ = ["SpanSet", "filter_spans"]

T = TypeVar("T")


def bounds(span: Any) -> tuple[int, int]:
    """``(start, end)`` of a span: an object with ``start``/``end``, or a
    tuple that begins with them."""
    if isinstance(span, tuple):
        return span[0], span[1]
    return span.start, span.end


class SpanSet:
    """Non-overlapping half-open intervals, kept sorted.

    Example:
        >>> kept = SpanSet()
        >>> kept.add(5, 10), kept.free(8, 12), kept.free(10, 12), kept.before(12)
        (0, False, True, 1)
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps nothing kept."""
        i = bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return False
        return not (i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int) -> int:
        """Keep ``[start, end)`` (it must be free); return its index in order."""
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return i

    def before(self, pos: int) -> int:
        """How many kept intervals start before ``pos``."""
        return bisect_left(self.starts, pos)


def filter_spans(spans: Iterable[T]) -> list[T]:
    """Longest first, then earliest; the spans that overlap nothing kept
    before them, in text order.

    Spans of the same length and start keep the order they came in. A span
    is an object with ``start``/``end`` or a tuple ``(start, end, ...)``.

    Example:
        >>> filter_spans([(0, 4, "a"), (2, 9, "b"), (9, 12, "c"), (10, 11, "d")])
        [(2, 9, 'b'), (9, 12, 'c')]
    """
    # (-length, start, arrival) sorts longest first, then earliest, then as
    # they came; the arrival number is unique, so the spans are never compared
    order: list[tuple[int, int, int, int, T]] = []
    for i, span in enumerate(spans):
        start, end = bounds(span)
        order.append((start - end, start, i, end, span))
    order.sort()
    kept = SpanSet()
    out: list[tuple[int, int, int, T]] = []
    for _neg, start, _i, end, span in order:
        if kept.free(start, end):
            kept.add(start, end)
            out.append((start, end, len(out), span))
    out.sort()  # text order; spans with the same bounds in the order kept
    return [span for _start, _end, _k, span in out]
