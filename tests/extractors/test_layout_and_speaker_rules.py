"""Regression tests for the rules added when the old held-out set (corpus 28-36)
joined the tuning corpus: flattened header tables, portal number lines,
"(Đã ký)", leaders speaking in person, HĐND committees, provincial portals,
newspapers, and names before an office word."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.agencies import find_agency_spans, find_organizations, find_people
from extractors.legal_refs import find_legal_refs
from extractors.metadata import find_metadata, find_signer
from extractors.model import Document


def meta(text: str, **hints: str):
    return find_metadata(Document(id="t", source="t", text=text, meta=tuple(sorted(hints.items()))))


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        # metadata.number.title_paren.v1: a portal item, number and date in brackets
        (
            "Về việc báo cáo tình hình ô nhiễm (3585/VP-KTN, ngày 23/10/2017).\n\n"
            "Văn phòng UBND tỉnh thông báo để Sở Tài nguyên và Môi trường thực hiện./.",
            {"province": "Lạng Sơn"},
            ("official", "Công văn", "3585/VP-KTN", "Văn phòng UBND tỉnh Lạng Sơn", "2017-10-23"),
        ),
        # metadata.place_date.table_cell.v1: the place-date cell after a "|"
        (
            "HỘI ĐỒNG NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            "Số: 50/2019/NQ-HĐND | Bình Định, ngày 13 tháng 12 năm 2019 |\n",
            {},
            ("official", "Nghị quyết", "50/2019/NQ-HĐND", "HĐND tỉnh Bình Định", "2019-12-13"),
        ),
        # metadata.number.header_wrapped.v1 + table_cell.v1: cells one per line
        (
            "ỦY BAN NHÂN\nDÂN\nTỈNH ĐỒNG THÁP\n--------\n|\n"
            "CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n|\n"
            "Số:\n25/2019/QĐ-UBND\n|\nĐồng Tháp,\nngày 16 tháng 10 năm 2019\n|\nQUYẾT ĐỊNH\n",
            {},
            ("official", "Quyết định", "25/2019/QĐ-UBND", "UBND tỉnh Đồng Tháp", "2019-10-16"),
        ),
    ],
)
def test_header_layouts(text: str, hints: dict[str, str], expected: tuple[str, ...]) -> None:
    m = meta(text, **hints)
    assert (str(m.kind), m.doc_type, m.number_symbol, m.issuer, m.issue_date) == expected


@pytest.mark.parametrize(
    ("block", "name", "title"),
    [
        (
            "KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n\n(Đã ký)\n\nVăn Trọng Lý",
            "Văn Trọng Lý",
            "Phó Chủ nhiệm",
        ),
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n[đã ký]\nNguyễn Văn An", "Nguyễn Văn An", "Chủ tịch"),
    ],
)
def test_signer_after_signed_mark(block: str, name: str, title: str) -> None:
    s = find_signer("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n" + block)
    assert s is not None and s.name == name and s.title == title
    assert name in [p.name for p in find_people("Nơi nhận:\n- Lưu: VT.\n" + block)]


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        (
            "- VPCP: BTCN, PCN Nguyễn Cao Lục Trợ lý TTgCP, Vụ TKBT;",
            "Nguyễn Cao Lục Trợ",
            "Nguyễn Cao Lục",
        ),
        ("PCN Mai Thị Thu Thư ký Hội đồng", "Mai Thị Thu Thư", "Mai Thị Thu"),
    ],
)
def test_name_stops_before_office_word(text: str, absent: str, present: str) -> None:
    names = [p.name for p in find_people(text)]
    assert absent not in names and present in names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ngày 23 tháng 10 năm 2020, Báo Nông nghiệp có phản ánh", ["Báo Nông nghiệp"]),
        ("V/v nghiên cứu, xử lý thông tin Báo Nông nghiệp nêu", ["Báo Nông nghiệp"]),
        # a government body (an agency), not a newspaper
        ("Thông tấn xã Việt Nam ngày 09 tháng 11 năm 2011, có bài", []),
        ("Báo cáo thẩm tra số 45/BCTT-KTNS của Ban Kinh tế", []),
        ("BÁO CÁO TÌNH HÌNH", []),
    ],
)
def test_newspapers(text: str, expected: list[str]) -> None:
    assert [o.name for o in find_organizations(text)] == expected


@pytest.mark.parametrize(
    ("text", "province", "expected"),
    [
        # excl.luat_to_chuc across a line break
        ("Luật sửa đổi Luật tổ\nchức Chính phủ", None, []),
        # abbreviations in a Nơi nhận enumeration are not expanded
        ("- Các Bộ: NNPTNT, TC, CT", None, []),
        ("- Các Bộ: Tài chính, Xây dựng;", None, ["Bộ Tài chính", "Bộ Xây dựng"]),
        (
            "Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh;",
            "Bình Định",
            ["Ban Kinh tế - Ngân sách HĐND tỉnh Bình Định"],
        ),
        ("trên Cổng thông tin điện tử tỉnh Sơn La", None, ["Cổng Thông tin điện tử tỉnh Sơn La"]),
        ("- VPCP: BTCN, TGĐ Cổng TTĐT, Vụ TKBT;", None, ["Văn phòng Chính phủ"]),
    ],
)
def test_agency_rules(text: str, province: str | None, expected: list[str]) -> None:
    assert [s.norm for s in find_agency_spans(text, province=province)] == expected


def test_report_with_qualifier_is_a_reference() -> None:
    text = "Xét Báo cáo thẩm tra số 45/BCTT-KTNS ngày 05 tháng 12 năm 2019 của Ban Kinh tế."
    refs = find_legal_refs(Document(id="t", source="t", text=text))
    assert [(r.type, r.number, r.date) for r in refs] == [("Báo cáo", "45/BCTT-KTNS", "2019-12-05")]


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        (
            "Phó Thủ tướng Hoàng Trung Hải yêu cầu Bộ Nông nghiệp và Phát triển nông thôn "
            "kiểm tra, "
            "làm rõ những vấn đề báo nêu và báo cáo Phó Thủ tướng trước ngày 15 tháng 12 năm 2011.",
            [("Bộ Nông nghiệp và Phát triển nông thôn",)],
        ),
        ("Thủ tướng giao Bộ Y tế rà soát quy trình.", [("Bộ Y tế",)]),
        ("Phó Thủ tướng Hoàng Trung Hải có ý kiến về việc này.", []),
    ],
)
def test_leader_speaking_in_person(text: str, owners: list[tuple[str, ...]]) -> None:
    assert [t.owners for t in extract(text).tasks] == owners
