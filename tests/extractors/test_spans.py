"""One filter_spans: longest first, then earliest, non-overlapping, in text order."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.rules import compile_folded, pattern_table
from extractors.spans import SpanSet, filter_spans

spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 12), st.integers(0, 3)).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=25,
)


def _overlap(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _conflict(s: tuple[int, int, int], k: tuple[int, int, int]) -> bool:
    """Whether kept span ``k`` blocks ``s``; an empty span sits at its
    position: inside a span it is blocked, at a span's start it is not."""
    if s[0] == s[1]:
        return k[0] <= s[0] < k[1]
    if k[0] == k[1]:
        return s[0] < k[0] < s[1]
    return _overlap(s, k)


@given(spans)
def test_filter_spans_keeps_the_longest_then_the_earliest(
    found: list[tuple[int, int, int]],
) -> None:
    kept = filter_spans(found)
    assert kept == sorted(kept, key=lambda s: (s[0], s[1]))
    assert all(s in found for s in kept)
    for a, b in itertools.combinations([s for s in kept if s[0] < s[1]], 2):
        assert not _overlap(a, b)
    # greedy by (longer, earlier, first found): a span is dropped only for a
    # kept one that comes before it in that order and overlaps it
    order = sorted(range(len(found)), key=lambda i: (found[i][0] - found[i][1], found[i][0], i))
    chosen: list[tuple[int, int, int]] = []
    for i in order:
        s = found[i]
        if not any(_conflict(s, k) for k in chosen):
            chosen.append(s)
    assert sorted(kept) == sorted(chosen)


def test_ties_keep_the_order_they_came_in() -> None:
    assert filter_spans([(0, 3, "second rule"), (0, 3, "first rule")]) == [(0, 3, "second rule")]


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 9)), max_size=30))
def test_span_set_answers_like_a_scan(pairs: list[tuple[int, int]]) -> None:
    kept = SpanSet()
    plain: list[tuple[int, int]] = []
    for start, length in pairs:
        end = start + length
        free = all(not (s < end and start < e) for s, e in plain)
        assert kept.free(start, end) == free
        if free:
            kept.add(start, end)
            plain.append((start, end))
        assert kept.before(start) == sum(s < start for s, _e in plain)
    assert kept.starts == sorted(s for s, _e in plain)


@pytest.mark.parametrize("table", ["legal_refs.yaml", "deadline_expressions.yaml"])
def test_no_rule_matches_nothing(table: str) -> None:
    # filter_spans keeps an empty span; the legal and deadline finders never make one
    t = pattern_table(table)
    for row in t.rows:
        assert compile_folded(t, row).fullmatch("") is None, row.id
