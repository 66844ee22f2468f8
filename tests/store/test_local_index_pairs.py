"""The index's word pairs: an ASCII text's bytes split as the regex splits any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.store.local_index import _WORD, PAIR, pair_text


def _pairs_by_regex(text: str) -> str:
    words = _WORD.findall(text)
    return " ".join(map(PAIR.join, zip(words, words[1:], strict=False)))


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=80))
def test_ascii_pairs_are_the_regex_words(s: str) -> None:
    assert pair_text(s) == _pairs_by_regex(s)


@given(st.text(max_size=80))
def test_pairs_of_any_text(s: str) -> None:
    assert pair_text(s) == _pairs_by_regex(s)


def test_pairs() -> None:
    assert pair_text("so tai_chinh (2024)\n\tx") == "so·tai tai·chinh chinh·2024 2024·x"
    assert pair_text("một") == ""
    assert pair_text("Sở Tài chính") == "Sở·Tài Tài·chính"
