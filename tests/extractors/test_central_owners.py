"""Owners in central directives and letters: groups named through their
heads' titles, lists announced by a lead, cables' addressee lines, topics
before a colon, a letter's addressees, and clauses that ask others along the
way. Each case is a pattern seen in full-length documents, written anew."""

from __future__ import annotations

import pytest

from extractors import extract

CABLE = (
    "THỦ TƯỚNG CHÍNH PHỦ\nSố: 99/CĐ-TTg\nHà Nội, ngày 21 tháng 11 năm 2025\nCÔNG ĐIỆN\n"
    "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng\ncác Bộ: Tài chính, Y tế.\n"
    "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương: Huế,\nĐà Nẵng.\n"
    "Trong tháng 11 năm 2025, mưa lũ gây thiệt hại lớn. Thủ tướng Chính phủ yêu cầu:\n"
)
PROVINCE = "UBND TỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 10 tháng 3 năm 2025\nKẾ HOẠCH\n"
MINISTRY = (
    "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 26/LĐTBXH-KHTC\nHà Nội, ngày 03 tháng 7 năm 2019\n"
    "V/v xây dựng dự toán năm 2020\n"
)


def owners(text: str) -> dict[str, tuple[str, ...]]:
    return {t.text: t.owners for t in extract(text).tasks}


def test_heads_titles_name_the_group_they_head() -> None:
    got = owners(
        CABLE + "1. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân tỉnh, "
        "thành phố trực thuộc trung ương chỉ đạo rà soát toàn bộ thủ tục hành chính.\n"
    )
    # the cable is addressed to the People's Committees of Huế and Đà Nẵng by name
    # ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương: Huế, Đà
    # Nẵng"), so the provinces' group in its body means those two
    assert list(got.values()) == [
        ("các bộ, cơ quan ngang bộ", "UBND thành phố Huế", "UBND thành phố Đà Nẵng")
    ]


def test_a_cables_addressee_lines_are_no_tasks() -> None:
    got = owners(CABLE + "1. Bộ Tài chính rà soát các mặt hàng dự trữ quốc gia.\n")
    assert list(got.values()) == [("Bộ Tài chính",)]


@pytest.mark.parametrize(
    "lead",
    [
        "a) Bộ trưởng, Thủ trưởng cơ quan ngang bộ tập trung chỉ đạo, tổ chức thực hiện "
        "đồng bộ, hiệu quả các công việc sau:",
        "a) Bộ trưởng, Thủ trưởng cơ quan ngang bộ",  # a header with no closing mark
    ],
)
def test_a_list_announced_by_its_lead_nests_under_it_whatever_its_marker(lead: str) -> None:
    got = owners(
        CABLE + lead + "\n(1) Hoàn thành việc xây dựng cơ sở dữ liệu chuyên ngành.\n"
        "(2) Đẩy nhanh tiến độ tái cấu trúc quy trình.\nb) Bộ Tư pháp tổ chức kiểm tra.\n"
    )
    assert got == {
        "Hoàn thành việc xây dựng cơ sở dữ liệu chuyên ngành.": ("các bộ, cơ quan ngang bộ",),
        "Đẩy nhanh tiến độ tái cấu trúc quy trình.": ("các bộ, cơ quan ngang bộ",),
        "Bộ Tư pháp tổ chức kiểm tra.": ("Bộ Tư pháp",),
    }


def test_a_section_numbered_without_its_closing_dot_is_a_header() -> None:
    got = owners(
        CABLE + "2. Nhiệm vụ cụ thể\n2.1 Bộ Công Thương\na) Chỉ đạo các địa phương đôn đốc "
        "thực hiện các dự án điện.\nb) Rà soát, bổ sung các dự án điện phù hợp.\n"
    )
    assert set(got.values()) == {("Bộ Công Thương",)} and len(got) == 2


def test_the_owner_after_a_topic_and_its_colon() -> None:
    got = owners(
        CABLE + "c) Về đề xuất khảo sát điện gió ngoài khơi: Bộ Nông nghiệp và Môi trường "
        "chủ trì xem xét triển khai ngay việc giao khảo sát.\n"
        "d) Về phê duyệt Chương trình: Các Bộ, cơ quan thống nhất chỉ có một cơ quan chủ trì; "
        "giao Bộ Tài chính chủ trì xây dựng hồ sơ.\n"
    )
    assert list(got.values()) == [("Bộ Nông nghiệp và Môi trường",), ("Bộ Tài chính",)]


def test_a_letters_addressees_own_what_its_body_asks() -> None:
    text = (
        MINISTRY + "Kính gửi: Giám đốc Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố "
        "trực thuộc Trung ương\n\nI. Xây dựng dự toán năm 2020\n1. Kinh phí chi trả trợ cấp\n"
        "Xây dựng dự toán trên cơ sở số hồ sơ của đối tượng còn tồn đọng.\n"
    )
    assert list(owners(text).values()) == [
        ("Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương",)
    ]


def test_an_item_keeps_its_owner_when_a_later_clause_asks_others() -> None:
    got = owners(
        PROVINCE + "1. Sở Xây dựng:\n- Triển khai ngay việc kiểm tra các khu xử lý chất thải; "
        "yêu cầu các đơn vị bảo đảm vận hành liên tục.\n"
    )
    assert list(got.values()) == [("Sở Xây dựng tỉnh Quảng Ngãi",)]


def test_departments_with_associations_and_mass_organizations_are_one_group() -> None:
    got = owners(
        PROVINCE + "UBND tỉnh yêu cầu các Sở, Ban, ngành, Hội, Đoàn thể và Chủ tịch UBND các "
        "huyện, thị xã, thành phố khẩn trương triển khai các nội dung sau:\n"
        "1. Tổ chức đánh giá tình hình thực hiện kế hoạch năm 2024.\n"
    )
    assert got["Tổ chức đánh giá tình hình thực hiện kế hoạch năm 2024."] == (
        "các Sở, Ban, ngành, Hội, Đoàn thể tỉnh Quảng Ngãi",
        "UBND các huyện, thị xã, thành phố thuộc tỉnh Quảng Ngãi",
    )


def test_provinces_listed_after_their_heads_are_each_an_owner() -> None:
    got = owners(
        CABLE + "1. Chủ tịch Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa và Lâm Đồng tiếp tục "
        "chỉ đạo các nhiệm vụ sau:\n(1) Huy động các lực lượng hỗ trợ dọn dẹp.\n"
        "2. Bí thư Tỉnh ủy và Chủ tịch Ủy ban nhân dân các tỉnh: Gia Lai, Đà Nẵng chỉ đạo "
        "các nhiệm vụ sau:\n(1) Bố trí chỗ ở tạm cho các hộ dân.\n"
    )
    assert got == {
        "Huy động các lực lượng hỗ trợ dọn dẹp.": (
            "UBND tỉnh Đắk Lắk", "UBND tỉnh Khánh Hòa", "UBND tỉnh Lâm Đồng",
        ),
        "Bố trí chỗ ở tạm cho các hộ dân.": (
            "Tỉnh ủy Gia Lai", "UBND tỉnh Gia Lai", "Thành ủy Đà Nẵng", "UBND thành phố Đà Nẵng",
        ),
    }  # fmt: skip


def test_a_letter_without_its_header_comes_from_the_ministry_that_signs_it() -> None:
    d = extract(
        "Kính gửi: Các đơn vị thuộc Bộ\n\nThực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ, "
        "Bộ Y tế đề nghị Vụ Pháp chế rà soát các văn bản. Bộ Y tế đề nghị Văn phòng Bộ tổng "
        "hợp, báo cáo Bộ Tài chính trước ngày 10/12/2025.\n\nNơi nhận:\n- Như trên;\n"
        "- Lưu: VT.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn A\n"
    )
    assert (d.doc.issuer, d.doc.doc_type) == ("Bộ Y tế", "Công văn")
    assert {t.owners for t in d.tasks} == {("Vụ Pháp chế Bộ Y tế",), ("Văn phòng Bộ Y tế",)}


def test_who_does_a_section_is_read_from_its_label_beside_the_tasks() -> None:
    got = owners(
        "UBND THÀNH PHỐ HÀ NỘI\nSố: 308/KH-UBND\nHà Nội, ngày 17 tháng 11 năm 2025\nKẾ HOẠCH\n"
        "1.2. Triển khai, phát triển dữ liệu:\na) Nhiệm vụ:\n- Triển khai rà soát, chuẩn hóa "
        "cơ sở dữ liệu của đơn vị.\n- Tiếp tục rà soát danh mục dữ liệu Thành phố.\n"
        "b) Cơ quan thực hiện:\n- Đơn vị chủ trì: Các Sở, ban, ngành.\n"
        "- Đơn vị phối hợp: Sở Khoa học và Công nghệ.\n"
    )
    assert set(got.values()) == {("các sở, ban, ngành thành phố Hà Nội",)} and len(got) == 2


def test_a_cable_to_named_provinces_asks_those_provinces() -> None:
    d = extract(
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 217/CĐ-TTg\nHà Nội, ngày 16 tháng 11 năm 2025\nCÔNG ĐIỆN\n"
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh,\n"
        "Quảng Trị, Huế, Đà Nẵng;\n- Các Bộ: Quốc phòng, Công an.\n"
        "Để chủ động ứng phó mưa lũ, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân "
        "các tỉnh, thành phố tổ chức theo dõi chặt chẽ diễn biến mưa lũ.\n"
    )
    assert [t.owners for t in d.tasks] == [
        ("UBND tỉnh Hà Tĩnh", "UBND tỉnh Quảng Trị", "UBND thành phố Huế", "UBND thành phố Đà Nẵng")
    ]
