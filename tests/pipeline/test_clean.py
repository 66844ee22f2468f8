"""clean(): a table of cases, plus idempotence and NFC as hypothesis properties."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.clean import clean

SEEDS = Path(__file__).resolve().parents[2] / "corpus" / "seeds"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # NFC and the traditional tone-mark convention
        ("Uy\u0309 ban nha\u0302n da\u0302n", "Ủy ban nhân dân"),
        ("hoà bình, uỷ quyền, Ðảm baỏ", "hòa bình, ủy quyền, Đảm bảo"),
        # zero-width characters, BOM, soft hyphens
        ("\ufeffSở\u200b Tài\u00ad chính\u200d", "Sở Tài chính"),
        # NBSP and other Unicode spaces, tabs
        ("Sở\u00a0Tài\u2009chính\u3000tỉnh\tBắc\u202fNinh", "Sở Tài chính tỉnh Bắc Ninh"),
        # line ends
        ("dòng 1\r\ndòng 2\rdòng 3\u2028dòng 4", "dòng 1\ndòng 2\ndòng 3\ndòng 4"),
        # runs of spaces, leading and trailing spaces per line, 3+ newlines
        ("  Kính   gửi:  \n\n\n\n   - Sở Tài chính;   ", "Kính gửi:\n\n- Sở Tài chính;"),
        # Markdown emphasis
        (
            "trình phê duyệt **xong trong tháng 6/2024**.",
            "trình phê duyệt xong trong tháng 6/2024.",
        ),
        ("__Kính gửi__: Sở", "Kính gửi: Sở"),
        (
            "(*năm 2023 tốc độ tăng trưởng đạt 13,45%*);",
            "(năm 2023 tốc độ tăng trưởng đạt 13,45%);",
        ),
        ("huyện, thị xã (*Hiệp Hòa, Tân Yên*):", "huyện, thị xã (Hiệp Hòa, Tân Yên):"),
        ("**TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG**", "TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG"),
        ("***rất khẩn***", "rất khẩn"),
        # ... but not bullets or arithmetic
        ("* Sở Tài chính\n* Sở Xây dựng", "* Sở Tài chính\n* Sở Xây dựng"),
        ("diện tích 2 * 3 = 6 ha", "diện tích 2 * 3 = 6 ha"),
        ("**a\n\nb**", "**a\n\nb**"),  # emphasis never crosses a paragraph
        # portal counters (whole lines only)
        (
            "Liên kết Website\n\nThống kê truy cập\n\nOnline : 3874\n"
            "Đã truy cập : 132097355\n\nNội dung",
            "Nội dung",
        ),
        ("Đã truy cập trang web của Sở để tra cứu", "Đã truy cập trang web của Sở để tra cứu"),
        ("", ""),
        (" \n\t\u00a0\n ", ""),
    ],
)
def test_clean(text: str, expected: str) -> None:
    assert clean(text) == expected


def test_clean_seed_news_page() -> None:
    (path,) = SEEDS.glob("002_*.txt")
    text = clean(path.read_text(encoding="utf-8"))
    assert text.startswith("Tăng cường hoạt động quản lý nhà nước trong các KCN tỉnh Bắc Ninh\n\n")
    for gone in ("Liên kết Website", "Thống kê truy cập", "Online :", "Đã truy cập :"):
        assert gone not in text
    assert "\n\n\n" not in text and "  " not in text


def test_clean_seed_markdown_emphasis() -> None:
    (path,) = SEEDS.glob("001_*.txt")
    text = clean(path.read_text(encoding="utf-8"))
    assert "*" not in text
    assert "trình cấp có thẩm quyền xem xét phê duyệt xong trong tháng 6/2024." in text
    assert (
        "(năm 2023 tốc độ tăng trưởng kinh tế tỉnh Bắc Giang đạt 13,45%, đứng đầu cả nước)" in text
    )


# Text that looks like what clean() meets: Vietnamese letters, combining
# marks, every kind of space and break, Markdown stars and underscores.
_ALPHABET = st.sampled_from(
    list("aăâeêioôơuưyđĐ AHNOTgnh*_-:.0123456789\n\r\t")
    + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u00a0", "\u200b", "\u00ad", "\ufeff"]
    + ["\u2028", "\x0b", "\x85", "\u3000", "Ð", "hoà", "uỷ", "**", "__", "Online : 12", "\n\n\n"]
    + ["Thống kê truy cập", "Đã truy cập : 5", "Liên kết Website", "* ", " * ", "(*", "*)"]
)
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_clean_is_idempotent_on_vietnamese_like_text(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_clean_is_idempotent_on_any_text(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=80)))
def test_clean_output_is_nfc_with_plain_spaces(text: str) -> None:
    out = clean(text)
    assert unicodedata.is_normalized("NFC", out)
    assert out == out.strip()
    assert not any(ch.isspace() and ch not in " \n" for ch in out)
    assert "\u200b" not in out and "\u00ad" not in out and "\n\n\n" not in out and "  " not in out


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Luật Bảo hiểmXã hội năm2007", "Luật Bảo hiểm Xã hội năm 2007"),
        ("Luật Xây dựng ngày26/11/2003", "Luật Xây dựng ngày 26/11/2003"),
        ("tỉnh ĐắkLắk, Pháp lệnhGiá", "tỉnh Đắk Lắk, Pháp lệnh Giá"),
        # ASCII words with inner capitals, abbreviations and symbols stay
        ("iPhone, eKYC, VinFast, TP.HCM, KH&ĐT, ThS. Lê, Số: 15/CT-UBND", None),
    ],
)
def test_glued_words_are_parted_only_where_certain(raw: str, cleaned: str | None) -> None:
    assert clean(raw) == (cleaned or raw)
    assert clean(clean(raw)) == clean(raw)


def test_italics_over_one_line_break_lose_their_marks_and_bullets_keep_theirs() -> None:
    text = "*Lai Châu, ngày\n19 tháng 11 năm 2025*\n* một\n* hai\n*a*\n\n*b*"
    assert clean(text) == "Lai Châu, ngày\n19 tháng 11 năm 2025\n* một\n* hai\na\n\nb"


def _unglue_reference(text: str) -> str:
    """_unglue as a rewrite of every word (the words it may change looked for
    by pattern first, in the code)."""
    import re

    from pipeline.ingest import clean as c

    text = c._GLUED_NUMBER.sub(r"\1 ", text)
    text = c._GLUED_ABBREV.sub(r"\1 \2", text)
    return re.sub(r"\w+", c._part_camel, text)


@given(st.lists(st.sampled_from(
    ["a", "B", "Đ", "ô", "Ố", "ǅ", "\U0001d400", "\U0001d41a", " ", "1", "ngày", "Năm", "số",
     "UBND", "và", "tháng", "*", "\n"]), max_size=30).map("".join))
def test_glued_words_are_found_by_their_join(text: str) -> None:
    from pipeline.ingest.clean import _unglue

    assert _unglue(text) == _unglue_reference(text)


@pytest.mark.parametrize("text", [
    "số1", "SỐ2 và ngày3", "Điều4", "khoản5, điểm6", "tháng7 năm8", "UBNDngày 9", "TPvà",
    "BảoHiểm", "a\U0001d400b", "ĐắkLắk", "xNăm1", "ǅa",
])
def test_glued_words_parted_as_word_by_word(text: str) -> None:
    from pipeline.ingest.clean import _unglue

    assert _unglue(text) == _unglue_reference(text)


@given(st.lists(st.sampled_from(list("ab *_-\n") + ["**", "__", "x*y"]), max_size=40).map("".join))
def test_emphasis_is_the_pattern_read_from_the_star(text: str) -> None:
    import re

    from pipeline.ingest.clean import _STRONG, _strip_emphasis

    em = re.compile(r"(?<![\w*])\*(?=[^\s*])((?:[^\n*]|\n(?![\n*\-+•]))+?)(?<=[^\s*])\*(?![\w*])")
    want = text
    while (new := em.sub(r"\1", _STRONG.sub(r"\2", want))) != want:
        want = new
    assert _strip_emphasis(text) == want


@given(st.lists(st.sampled_from(["a", "-", " ", "\t", "\n", "Đ", "_", "1", ","]), max_size=30)
       .map("".join))
def test_hyphen_breaks_found_from_the_hyphen(text: str) -> None:
    import re

    from pipeline.ingest.clean import _HYPHEN_BREAK

    want = re.sub(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)", "-", text)
    assert _HYPHEN_BREAK.sub("-", text) == want
