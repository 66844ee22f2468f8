"""Normalization: NFC, one tone-mark convention, folding (đ -> d), tokens."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.textnorm import fold, fold_char, normalize, normalize_query, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ðảm baỏ … hoá học", "Đảm bảo … hóa học"),  # underthesea's own test case
        ("hoà bình", "hòa bình"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("THUỶ LỢI", "THỦY LỢI"),
        ("khoẻ", "khỏe"),
        ("Hiệp Hoà", "Hiệp Hòa"),
        ("quý II", "quý II"),  # qu- is a consonant: unchanged
        ("quỷ", "quỷ"),
        ("hoàn thành", "hoàn thành"),  # final consonant: tone stays on a
        ("thuyết", "thuyết"),
        ("người", "người"),
        ("ưuý III/2024", "ưuý III/2024"),  # a typo is left as typed
        (unicodedata.normalize("NFD", "Sở Tài chính"), "Sở Tài chính"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_queries_get_the_same_convention() -> None:
    assert normalize_query("  Uỷ  ban   hoà ") == "Ủy ban hòa"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đất đai", "dat dai"),
        ("Sở Tài chính", "so tai chinh"),
        ("ĐỒNG Ý", "dong y"),
        ("Quảng Trị", "quang tri"),
        ("ước", "uoc"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_tokens() -> None:
    assert tokens("Sở KH&ĐT, UBND tỉnh") == ["so", "kh", "dt", "ubnd", "tinh"]
    assert tokens("Sở Tài chính", folded=False) == ["sở", "tài", "chính"]


vietnamese = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệ"
            "ìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ,.;:/-\n"
        )
    ),
    max_size=200,
)


@given(vietnamese)
def test_normalize_is_idempotent_and_keeps_length(s: str) -> None:
    s = unicodedata.normalize("NFC", s)
    n = normalize(s)
    assert normalize(n) == n
    assert len(n) == len(s)
    assert unicodedata.is_normalized("NFC", n)


@given(st.text(max_size=200))
def test_fold_keeps_length_on_nfc(s: str) -> None:
    s = unicodedata.normalize("NFC", s)
    assert len(fold(s)) == len(s)


@given(st.text(max_size=200))
def test_fold_is_fold_char_for_every_character(s: str) -> None:
    # one str.translate over the text, filled in as new characters come
    assert fold(s) == "".join(fold_char(c) for c in s)
    assert len(fold(s)) == len(s)


def test_fold_of_letters_outside_the_latin_table() -> None:
    assert fold("Ωμέγα ЖИЗНЬ ≠ Ⓐ") == "ωμεγα жизнь = ⓐ"


def _normalize_word_by_word(text: str) -> str:
    """normalize() as a rewrite of every word in turn (what it computes)."""
    import re

    from extractors import textnorm

    text = unicodedata.normalize("NFC", text).translate(textnorm._ETH)
    if not text.isascii():
        text = textnorm._stray_tone_re().sub(r"\1", text)
    return re.sub(r"\w+", lambda m: textnorm._fix_word(m.group(0)), text)


@given(
    st.text(
        alphabet=st.sampled_from(
            list("hoàuỷkhẻ ÐðHOÀƯ_1ǹḿ,-") + ["\u0300", "\u0301", "\u0323", "\U0001d400"]
        ),
        max_size=80,
    )
)
def test_normalize_rewrites_whole_words_only(s: str) -> None:
    # a word is changed where it stands alone, never inside a longer word
    assert normalize(s) == _normalize_word_by_word(s)


def test_normalize_changes_a_word_only_where_it_is_whole() -> None:
    assert normalize("hoà hoàx_hoà Hoà hoà") == "hòa hoàx_hoà Hòa hòa"


def _syllables() -> Iterator[str]:
    """Vowel runs of one to three vowels with a tone mark on each vowel in turn
    (and on two of them), after and before the initials and finals that decide
    where the tone goes, lower case and capitals."""
    vowels, tones = "aăâeêioôơuưy", ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    runs = ["".join(r) for k in (1, 2) for r in itertools.product(vowels, repeat=k)]
    placed = [(r, i, t) for r in runs for i in range(len(r)) for t in tones]
    placed += [(r, i, t) for r in map("".join, itertools.product(vowels, repeat=3))
               for i in range(3) for t in ("\u0300", "\u0323")]
    for run, i, tone in placed:
        shapes = [run[: i + 1] + tone + run[i + 1 :]]
        if len(run) > 1:  # a second tone mark on the last vowel
            shapes.append(shapes[0] + "\u0301")
        for shape in shapes:
            for initial in ("", "h", "q", "g", "qu", "gi"):
                for final in ("", "n", "ch"):
                    word = unicodedata.normalize("NFC", initial + shape + final)
                    yield word
                    if initial in ("", "qu") and final in ("", "n"):
                        yield word.upper()
    yield from ("ǹ", "ḿa", "ñu", "Ǹgà", "ụ̀a")


def test_every_word_fix_word_changes_is_suspect() -> None:
    # normalize() passes to _fix_word only the words with a _suspect() match
    from extractors import textnorm

    suspect, fix = textnorm._suspect(), textnorm._fix_word.__wrapped__  # type: ignore[attr-defined]
    missed = [w for w in _syllables() if fix(w) != w and not suspect.search(w)]
    assert missed == []
    assert suspect.search("hoà") and suspect.search("Uỷ") and suspect.search("qúa")
    assert not any(map(suspect.search, ["hòa", "của", "hoài", "quả", "già", "người", "khuỷu"]))


@given(
    st.text(
        alphabet=st.sampled_from(
            list("aăâeêioôơuưyqgnhc AĂÂEÊIOÔƠƯYQG_2àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
                 "ồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀỦỸǹñ")
            + ["\u0300", "\u0301", "\u0309", "\u0323"]
        ),
        max_size=60,
    )
)
def test_normalize_is_fix_word_on_every_word(s: str) -> None:
    assert normalize(s) == _normalize_word_by_word(s)
