"""Normalization: NFC, one tone-mark convention, folding (đ -> d), tokens."""

from __future__ import annotations

import unicodedata

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
    [("Đất đai", "dat dai"), ("Sở Tài chính", "so tai chinh"), ("ĐỒNG Ý", "dong y"),
     ("Quảng Trị", "quang tri"), ("ước", "uoc")],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_tokens() -> None:
    assert tokens("Sở KH&ĐT, UBND tỉnh") == ["so", "kh", "dt", "ubnd", "tinh"]
    assert tokens("Sở Tài chính", folded=False) == ["sở", "tài", "chính"]


vietnamese = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệ"
             "ìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ,.;:/-\n")
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
