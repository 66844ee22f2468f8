from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.query.highlight import match_ranges, snippets


def test_accent_free_query_highlights_accented_text() -> None:
    text = "Giao Sở Tài chính chủ trì; đất đai."
    assert [text[a:b] for a, b in match_ranges(text, "so tai chinh dat")] == [
        "Sở", "Tài", "chính", "đất"]
    assert snippets(text, "dat dai")[0].count("<mark>") == 2


def test_snippets_escape_html() -> None:
    out = snippets("<script>alert(1)</script> Sở Tài chính", "tai chinh")[0]
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_whole_words_only() -> None:
    assert match_ranges("tài chính, tàikhoản", "tai") == [(0, 3)]


@given(st.text(max_size=300), st.text(max_size=30))
def test_never_crashes(text: str, q: str) -> None:
    for a, b in match_ranges(text, q):
        assert 0 <= a < b <= len(text)
    snippets(text, q)
