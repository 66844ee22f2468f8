"""Subjects and predicates that directives write in many forms: a head shared
by the names after it, a modal before any verb, time adverbials before an
item's verb, the two levels of People's Committees since 2025, and "theo dõi"
read as a verb rather than as "theo ...," (according to). Each case is a
pattern seen in full-length documents, written anew."""

from __future__ import annotations

import pytest

from extractors import extract

CENTRAL = "THỦ TƯỚNG CHÍNH PHỦ\nSố: 51/CĐ-TTg\nHà Nội, ngày 02 tháng 11 năm 2025\n"
PROVINCE = "UBND TỈNH NGHỆ AN\nSố: 77/KH-UBND\nNghệ An, ngày 10 tháng 3 năm 2025\nKẾ HOẠCH\n"


def owners(text: str) -> list[tuple[str, ...]]:
    return [t.owners for t in extract(text).tasks]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "1. Các Bộ Quốc phòng, Công an: Chỉ đạo các đơn vị trực thuộc huy động lực lượng.",
            ("Bộ Quốc phòng", "Bộ Công an"),
        ),
        (
            "1. Các Bộ Xây dựng và Công an phối hợp bảo đảm giao thông.",
            ("Bộ Xây dựng", "Bộ Công an"),
        ),
    ],
)
def test_a_head_shared_by_the_names_after_it_gives_one_owner_per_name(
    item: str, expected: tuple[str, ...]
) -> None:
    assert owners(CENTRAL + item + "\n") == [expected]


def test_a_shared_department_head_in_a_province() -> None:
    got = owners(PROVINCE + "1. Các Sở Tài chính, Xây dựng và Công Thương rà soát các dự án.\n")
    assert got == [
        ("Sở Tài chính tỉnh Nghệ An", "Sở Xây dựng tỉnh Nghệ An", "Sở Công Thương tỉnh Nghệ An")
    ]


def test_one_department_in_the_plural_stays_the_group_of_such_departments() -> None:
    # "các Sở Y tế" names no list: every such department, not "Sở Y tế" alone
    assert owners(PROVINCE + "1. Các Sở Y tế tăng cường kiểm tra.\n") == [
        ("các Sở Y tế tỉnh Nghệ An",)
    ]


def test_a_modal_of_obligation_licenses_a_verb_outside_the_lexicon() -> None:
    got = owners(CENTRAL + "1. Các bộ, cơ quan ngang bộ cần nhanh nhạy nắm bắt tình hình.\n")
    assert got == [("các bộ, cơ quan ngang bộ",)]


def test_without_a_modal_an_unknown_predicate_assigns_nothing() -> None:
    # a subject and a predicate that is no verb of work: a statement, not a task
    assert owners(CENTRAL + "1. Các bộ, cơ quan ngang bộ nhanh nhạy trong thời gian qua.\n") == []


@pytest.mark.parametrize(
    "item",
    [
        "- Định kỳ hằng năm báo cáo kết quả thực hiện về Sở Tư pháp.",
        "- Từng bước đề xuất kế hoạch tìm kiếm, quy tập.",
        "- Đồng thời, kiên quyết xử lý tình trạng lấn chiếm.",
        "- Cụ thể hóa các nhiệm vụ của Kế hoạch tại địa phương.",
    ],
)
def test_time_adverbials_and_verbs_before_an_items_work(item: str) -> None:
    text = PROVINCE + "1. Sở Tư pháp:\n" + item + "\n"
    assert owners(text) == [("Sở Tư pháp tỉnh Nghệ An",)]


def test_the_two_levels_of_peoples_committees_are_both_owners() -> None:
    got = owners(CENTRAL + "1. Ủy ban nhân dân cấp tỉnh, cấp xã đưa các chỉ tiêu vào nghị quyết.\n")
    assert got == [("UBND các tỉnh, thành phố trực thuộc Trung ương", "UBND cấp xã")]


def test_theo_doi_is_a_verb_not_an_according_to_phrase() -> None:
    got = owners(
        CENTRAL + "1. Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia theo dõi sát tình hình, "
        "chủ động điều phối lực lượng.\n"
    )
    assert got == [("Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia",)]


# ------------------------------------------- task tables copied one cell per line

TABLE = (
    CENTRAL + "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\nTT\nTên nhiệm vụ\nCơ quan\nchủ trì\nCơ quan\nphối hợp\n"
    "Kết quả\nThời gian\nhoàn thành\n"
    "1\nRà soát, sửa đổi quy định về cơ cấu\nlãnh đạo các bộ\nCác bộ,\ncơ quan ngang bộ\n"
    "Bộ Nội vụ\nBáo cáo\nQuý IV/2026\n"
    "2\nXây dựng Đề án về chỉ số đánh giá\ncông tác xây dựng pháp luật\nBộ Tư pháp\n"
    "Các bộ,\ncơ quan\nngang bộ\nĐề án trình\nThủ tướng\nChính phủ\nTháng\n3/2026\n"
    "3 Tổ chức Diễn đàn pháp luật năm 2026\nBộ Tư pháp\nBộ Ngoại giao\nDiễn đàn\nNăm 2026\n"
)


def test_a_table_copied_one_cell_per_line_gives_one_task_per_row() -> None:
    tasks = extract(TABLE).tasks
    got = [(t.text.split("\n")[0], t.owners, t.cooperating, t.deadline) for t in tasks]
    assert got == [
        (
            "Rà soát, sửa đổi quy định về cơ cấu",
            ("các bộ, cơ quan ngang bộ",),
            ("Bộ Nội vụ",),
            "2026-12-31",
        ),
        (  # the partner cell's group, listed as the cell says it
            "Xây dựng Đề án về chỉ số đánh giá",
            ("Bộ Tư pháp",),
            ("các bộ, cơ quan ngang bộ",),
            "2026-03-31",
        ),
        ("Tổ chức Diễn đàn pháp luật năm 2026", ("Bộ Tư pháp",), ("Bộ Ngoại giao",), "2026-12-31"),
    ]


def test_a_row_continues_after_the_header_repeated_on_a_new_page() -> None:
    repeated = "\nCÔNG BÁO/Số 286\n95\n\nTT\nTên nhiệm vụ\nCơ quan\nchủ trì\nCơ quan\nphối hợp\n"
    text = TABLE.replace("3 Tổ chức", repeated.lstrip("\n") + "3 Tổ chức")
    assert [t.owners for t in extract(text).tasks][-1] == ("Bộ Tư pháp",)


def test_each_tasks_offsets_select_its_text() -> None:
    doc = extract(TABLE)
    for t in doc.tasks:
        assert doc.text[t.start : t.end] == t.text


def test_a_list_of_local_levels_before_a_lower_case_verb_is_read_whole() -> None:
    # the pattern's "not followed by a name" check must not read a verb as a name
    got = owners(PROVINCE + "1. Ủy ban nhân dân phường, xã, đặc khu tổ chức kiểm tra.\n")
    assert got == [("UBND các phường, xã, đặc khu thuộc tỉnh Nghệ An",)]


def test_a_group_of_the_issuers_own_city_then_the_local_committees() -> None:
    city = (
        "UBND THÀNH PHỐ HỒ CHÍ MINH\nSố: 9/KH-UBND\n"
        "Thành phố Hồ Chí Minh, ngày 2 tháng 3 năm 2025\n"
    )
    got = owners(
        city + "1. Các sở, ban, ngành, đoàn thể Thành phố, Ủy ban nhân dân phường, xã, đặc khu "
        "tổ chức tuyên truyền.\n"
    )
    assert got == [
        (
            "các sở, ban, ngành, đoàn thể Thành phố Hồ Chí Minh",
            "UBND các phường, xã, đặc khu thuộc Thành phố Hồ Chí Minh",
        )
    ]


def test_officials_named_in_person_each_own_their_clause() -> None:
    got = owners(
        CENTRAL + "11. Giao Phó Thủ tướng Chính phủ Lê Thành Long đi kiểm tra, đôn đốc công tác "
        "khắc phục tại tỉnh Gia Lai; Phó Thủ tướng Chính phủ Hồ Đức Phớc đi kiểm tra, đôn đốc "
        "công tác khắc phục tại tỉnh Đắk Lắk.\n"
    )
    assert got == [("Lê Thành Long",), ("Hồ Đức Phớc",)]


def test_a_title_alone_is_no_person_subject() -> None:
    # "Phó Thủ tướng Chính phủ" names no person: no person owner is made up
    assert owners(CENTRAL + "1. Phó Thủ tướng Chính phủ chỉ đạo rà soát.\n") == []


def test_an_officer_named_by_post_in_a_sections_owner_line_is_the_issuing_body() -> None:
    text = (
        "ỦY BAN MTTQ VIỆT NAM\nXÃ LƯƠNG MINH\nBAN THƯỜNG TRỰC\nSố: 16/KH-MTTQ-BTT\n"
        "Lương Minh, ngày 10 tháng 11 năm 2025\nKẾ HOẠCH\nTriển khai công tác bầu cử\n"
        "1. Xây dựng, ban hành các văn bản hướng dẫn\n"
        "1.1. Xây dựng và ban hành Hướng dẫn về công tác bầu cử.\n"
        "- Thời gian hoàn thành: Tháng 11/2025.\n"
        "- Đơn vị chủ trì: Đồng chí Phó chủ tịch Thường trực, phụ trách lĩnh vực Giám sát.\n"
    )
    doc = extract(text)
    assert doc.doc.issuer is not None and doc.doc.issuer.startswith("Ban Thường trực")
    assert [t.owners for t in doc.tasks] == [(doc.doc.issuer.removeprefix("Ban Thường trực "),)]


LETTER = (
    "BAN QUẢN LÝ KHU KINH TẾ TỈNH QUẢNG NINH\nSố: 12/TB-BQL\n"
    "Quảng Ninh, ngày 2 tháng 3 năm 2020\nTHÔNG BÁO\nVề việc báo cáo tình hình doanh nghiệp\n"
    "Kính gửi: Các doanh nghiệp đang hoạt động trong các khu công nghiệp, khu kinh tế\n"
    "Để kịp thời nắm bắt tình hình, Ban Quản lý Khu kinh tế đề nghị các doanh nghiệp báo cáo "
    "tình hình sản xuất kinh doanh hằng ngày về Ban Quản lý.\n"
)


def test_a_letters_addressee_line_that_describes_its_group_is_the_group_as_written() -> None:
    got = owners(LETTER)
    assert got == [
        (
            "các doanh nghiệp đang hoạt động trong các khu công nghiệp, khu kinh tế "
            "trên địa bàn tỉnh Quảng Ninh",
        )
    ]


def test_a_bare_group_in_the_body_stays_itself_when_no_addressee_begins_with_it() -> None:
    text = LETTER.replace("đề nghị các doanh nghiệp báo cáo", "đề nghị các hợp tác xã báo cáo")
    assert owners(text) == [("các hợp tác xã trên địa bàn tỉnh Quảng Ninh",)]


def test_an_office_of_every_district_is_one_group_of_the_province() -> None:
    text = (
        "UBND TỈNH BẮC GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 25/KH-SGDĐT\n"
        "Bắc Giang, ngày 10 tháng 3 năm 2020\nKẾ HOẠCH\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Giáo dục và Đào tạo các huyện, thành phố\n"
        "- Chỉ đạo các cơ sở giáo dục mầm non thực hiện nghiêm túc Kế hoạch.\n"
    )
    group = "Phòng Giáo dục và Đào tạo các huyện, thành phố thuộc tỉnh Bắc Giang"
    assert owners(text) == [(group,)]


def test_an_owners_standing_role_before_its_duty_is_skipped() -> None:
    got = owners(
        CENTRAL + "Bộ Nội vụ là cơ quan thường trực của Ban Chỉ đạo, có trách nhiệm bảo đảm "
        "điều kiện hoạt động của Ban Chỉ đạo.\n"
    )
    assert got == [("Bộ Nội vụ",)]


def test_a_role_without_a_duty_after_it_is_a_statement() -> None:
    assert owners(CENTRAL + "Bộ Nội vụ là cơ quan thường trực của Ban Chỉ đạo.\n") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Bộ Tổng Tham mưu yêu cầu các quân khu, quân đoàn tiếp tục chỉ đạo lực lượng.",
            ("các quân khu, quân đoàn",),
        ),
        (
            "UBND tỉnh yêu cầu các thôn, tổ dân phố rà soát danh sách hộ nghèo.",
            ("các thôn, tổ dân phố tỉnh Nghệ An",),
        ),
    ],
)
def test_groups_below_the_commune_and_military_units_are_owners(
    sentence: str, expected: tuple[str, ...]
) -> None:
    assert owners(PROVINCE + "1. " + sentence + "\n") == [expected]


SO_LETTER = (
    "UBND TỈNH BẮC GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 998/SGDĐT-GDTrH\n"
    "V/v hướng dẫn xây dựng kế hoạch giáo dục\nBắc Giang, ngày 03 tháng 9 năm 2020\n"
    "Kính gửi:\n- Phòng Giáo dục và Đào tạo các huyện, thành phố;\n"
    "- Các trường THPT, PT DTNT tỉnh.\n"
    "Sở Giáo dục và Đào tạo hướng dẫn các đơn vị như sau:\n"
    "1. Phòng GD&ĐT chỉ đạo các trường THCS thực hiện nghiêm túc.\n"
    "2. Các trường gửi kế hoạch về Sở (qua phòng GDTrH) trước ngày 25/9/2020 để tổng hợp.\n"
    "Nhận được công văn này, đề nghị thủ trưởng các đơn vị triển khai thực hiện./.\n"
)


def test_a_body_named_without_its_place_is_the_addressee_that_begins_with_it() -> None:
    got = owners(SO_LETTER)
    assert got[0] == ("Phòng Giáo dục và Đào tạo các huyện, thành phố thuộc tỉnh Bắc Giang",)


def test_a_long_item_closed_by_a_full_stop_is_no_header_over_the_lines_below() -> None:
    tasks = extract(SO_LETTER).tasks
    assert [t.text.split()[:3] for t in tasks][1] == ["Các", "trường", "gửi"]
    assert tasks[1].deadline == "2020-09-25"


NOTICE = (
    "UBND TỈNH HÀ GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 173/TB-SGDĐT\n"
    "Hà Giang, ngày 03 tháng 3 năm 2020\nTHÔNG BÁO\nLịch tiếp công dân năm 2020\n"
    "Sở Giáo dục và Đào tạo thông báo lịch tiếp công dân năm 2020 như sau:\n"
    "1. Giám đốc Sở tiếp công dân định kỳ vào ngày 10 hằng tháng tại trụ sở Sở.\n"
    "2. Văn phòng Sở có trách nhiệm bố trí địa điểm, phối hợp với Thanh tra Sở chuẩn bị hồ sơ.\n"
)


def test_the_head_of_the_issuing_department_and_its_own_units() -> None:
    tasks = extract(NOTICE).tasks
    dept = "Sở Giáo dục và Đào tạo tỉnh Hà Giang"
    assert [(t.owners, t.cooperating, t.recurring) for t in tasks] == [
        ((dept,), (), "monthly"),
        ((f"Văn phòng {dept}",), (f"Thanh tra {dept}",), None),
    ]


def test_the_provinces_named_above_are_the_owners_of_their_committees() -> None:
    text = (
        "Thủ tướng Chính phủ vừa ký Công điện số 01/CĐ-TTg ngày 1/1/2026 gửi Bí thư Tỉnh ủy, "
        "Chủ tịch UBND các tỉnh: Gia Lai, Đắk Lắk, Lâm Đồng. Thủ tướng yêu cầu các đồng chí "
        "Bí thư Tỉnh ủy, Chủ tịch UBND các tỉnh nêu trên tập trung chỉ đạo hoàn thành xây dựng "
        "nhà ở cho người dân trước ngày 15/1/2026.\n"
    )
    got = [t.owners for t in extract(text, meta=(("published", "2026-01-02"),)).tasks]
    assert got == [
        (
            "Tỉnh ủy Gia Lai",
            "UBND tỉnh Gia Lai",
            "Tỉnh ủy Đắk Lắk",
            "UBND tỉnh Đắk Lắk",
            "Tỉnh ủy Lâm Đồng",
            "UBND tỉnh Lâm Đồng",
        )
    ]


def test_a_determiner_before_a_list_of_peoples_committees() -> None:
    text = (
        "SỞ NÔNG NGHIỆP VÀ PTNT HƯNG YÊN\nSố: 437/SNN-KH\nHưng Yên, ngày 5 tháng 4 năm 2019\n"
        "Sở Nông nghiệp và PTNT đề nghị các UBND huyện, thị xã, thành phố tham gia ý kiến.\n"
    )
    assert owners(text) == [("UBND các huyện, thị xã, thành phố thuộc tỉnh Hưng Yên",)]
