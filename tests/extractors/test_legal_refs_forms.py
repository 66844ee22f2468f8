"""Citation forms met in the corpus growth of the second session (47-58):
legacy symbols, a decree cited without its year, named ordinances, glued dates."""

from __future__ import annotations

import pytest

from extractors.extraction import extract


def _refs(text: str) -> list[tuple[str, str | None, str, str | None]]:
    d = extract(text)
    for r in d.legal_refs:
        assert d.text[r.start : r.end] == r.text
    return [(r.type, r.number, r.canonical, r.date) for r in d.legal_refs]


def test_legacy_symbol_is_written_the_modern_way() -> None:
    assert _refs("theo công văn số 817 BNN/KH ngày 04 tháng 4 năm 2003 của Bộ") == [
        ("Công văn", "817/BNN-KH", "Công văn 817/BNN-KH", "2003-04-04")
    ]


def test_decree_without_its_year_resolves_to_the_earlier_full_citation() -> None:
    refs = _refs(
        "Căn cứ Nghị định số 53/2006/NĐ-CP ngày 25/5/2006; Thông tư hướng dẫn Nghị định số "
        "53/NĐ-CP của Chính phủ."
    )
    assert [r[2] for r in refs] == ["Nghị định 53/2006/NĐ-CP"] * 2
    # without an earlier full citation it stays as written
    assert _refs("theo Nghị định số 53/NĐ-CP của Chính phủ")[0][1] == "53/NĐ-CP"


def test_named_ordinance() -> None:
    assert _refs("theo quy định của Pháp lệnh Giá.") == [("Pháp lệnh", None, "Pháp lệnh Giá", None)]
    assert extract("Căn cứ Pháp lệnh Phí và lệ phí năm 2001;").legal_refs[0].issuer == (
        "Ủy ban Thường vụ Quốc hội"
    )


def test_date_glued_to_its_word() -> None:
    from pipeline.ingest.clean import clean  # the product path: cleaning parts "năm2003"

    (ref,) = _refs(clean("công văn số 1410/CV-KHĐT ngày 11 tháng 4 năm2003 của Bộ Công nghiệp"))
    assert ref[3] == "2003-04-11"


@pytest.mark.parametrize(
    ("text", "pins"),
    [
        (
            "Căn cứ điểm c khoản 2 Điều 15 và khoản 1 Điều 16 của Luật Tổ chức chính quyền "
            "địa phương.",
            [("15", "2", "c"), ("16", "1", None)],
        ),
        (
            "theo khoản 4 Điều 14 và Điều 27 Nghị định số 161/2024/NĐ-CP ngày 18/12/2024.",
            [("14", "4", None), ("27", None, None)],
        ),
        (
            "theo khoản 1, 2 Điều 5 và Điều 7 đến Điều 9 Nghị định số 35/2022/NĐ-CP.",
            [("5", "1", None), ("5", "2", None), ("7-9", None, None)],
        ),
        (
            "theo khoản 3, khoản 4 Điều 8 và khoản 3 Điều 10 Nghị định số 105/2020/NĐ-CP.",
            [("8", "3", None), ("8", "4", None), ("10", "3", None)],
        ),
        ("theo khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP.", []),
    ],
)
def test_a_chain_of_pinpoints_gives_each_pinpoint_its_own_clause_and_point(
    text: str, pins: list[tuple[str | None, str | None, str | None]]
) -> None:
    from extractors import extract

    (ref,) = extract(text).legal_refs
    assert [(p.article, p.clause, p.point) for p in ref.pinpoints] == pins
    if pins:
        # each article once, in order ("khoản 1, 2 Điều 5": article "5")
        assert ref.article == ", ".join(dict.fromkeys(str(a) for a, _c, _p in pins))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Thực hiện Văn bản số 6721/VPCP-V.I ngày 19 tháng 7 năm 2025 của VPCP.", "6721/VPCP-V.I"),
        ("theo công văn số 838/CCTKV.XII-NVDTPC.HUE ngày 15/05/2025.", "838/CCTKV.XII-NVDTPC.HUE"),
    ],
)
def test_a_symbol_segment_with_parts_joined_by_dots(text: str, number: str) -> None:
    assert [r[1] for r in _refs(text)] == [number]


def test_a_sentence_end_after_a_symbol_is_no_segment() -> None:
    assert [r[1] for r in _refs("theo Công văn số 45/UBND-KT. Tiếp theo, Sở X.")] == ["45/UBND-KT"]


def test_a_footnote_number_glued_to_a_symbol_is_dropped_where_the_footnote_exists() -> None:
    text = (
        "Căn cứ Nghị quyết số 66-NQ/TW1 và Luật số 42/2024/QH152 ngày 29/6/2024; "
        "Luật số 61/2020/QH14.\n\n"
        "1 Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị về đổi mới công tác.\n"
        "2 Luật Đầu tư công ngày 29 tháng 6 năm 2024 của Quốc hội khóa XV.\n"
    )
    assert [r[1] for r in _refs(text)][:3] == ["66-NQ/TW", "42/2024/QH15", "61/2020/QH14"]


def test_without_the_footnote_a_symbols_digits_stay() -> None:
    assert [r[1] for r in _refs("Căn cứ Nghị quyết số 66-NQ/TW1 của Bộ Chính trị.")] == [
        "66-NQ/TW1"
    ]
