"""Where a text leaves its place to its header or its address: a district's
office under "UBND HUYỆN X", a district portal's news."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.portals import place_from_url, portal_district

_DISTRICT_NEWS = (
    "Chủ tịch UBND huyện yêu cầu UBND các xã, thị trấn triển khai thực hiện nghiêm túc. "
    "Chủ tịch UBND huyện giao cho Phòng Kinh tế và Hạ tầng tổng hợp báo cáo tình hình "
    "trong những ngày nghỉ Lễ."
)


@pytest.mark.parametrize(
    ("url", "unit"),
    [
        ("https://moduc.quangngai.gov.vn/tin-tuc/a-1", "huyện Mộ Đức"),
        ("http://www.quangtri.gov.vn/x?y=1", "tỉnh Quảng Trị"),
        ("thanhpho.hue.gov.vn", "thành phố Huế"),
        ("https://vpubnd.bacninh.gov.vn/news", "tỉnh Bắc Ninh"),
    ],
)
def test_a_portal_address_names_its_place(url: str, unit: str) -> None:
    place = place_from_url(url)
    assert place is not None and place.unit == unit


@pytest.mark.parametrize(
    "url", [None, "", "https://vnexpress.net/a.html", "https://quangngai.com.vn/x", "gov.vn"]
)
def test_an_address_that_is_no_provincial_portal_names_nothing(url: str | None) -> None:
    assert place_from_url(url) is None
    assert portal_district(url) is None


def test_a_district_portals_news_gives_its_offices_and_communes_the_district() -> None:
    doc = extract(_DISTRICT_NEWS, meta=(("url", "https://moduc.quangngai.gov.vn/tin/1"),))
    assert doc.doc.province == "Quảng Ngãi"
    assert [t.owners for t in doc.tasks] == [
        ("UBND các xã, thị trấn thuộc huyện Mộ Đức",),
        ("Phòng Kinh tế và Hạ tầng huyện Mộ Đức",),
    ]


def test_a_districts_own_site_names_the_district_of_the_province() -> None:
    text = (
        "Kết luận, đồng chí Chủ tịch UBND huyện đề nghị: các xã, đơn vị liên quan tiếp tục "
        "đẩy nhanh tiến độ trồng rừng; phòng NN&PTNT tham mưu, đề xuất tháo gỡ khó khăn."
    )
    meta = (("province", "Quảng Ngãi"), ("url", "https://huyenmoduc.vn/?p=1"))
    assert [t.owners for t in extract(text, meta=meta).tasks] == [
        ("các xã, đơn vị liên quan huyện Mộ Đức",),
        ("Phòng Nông nghiệp và Phát triển nông thôn huyện Mộ Đức",),
    ]
    # the site's name alone, with no province to look it up in: nothing
    assert portal_district("https://huyenmoduc.vn/?p=1") is None


def test_without_an_address_the_district_stays_unnamed() -> None:
    doc = extract(_DISTRICT_NEWS)
    assert [t.owners for t in doc.tasks] == [
        ("UBND các xã, thị trấn",),
        ("Phòng Kinh tế và Hạ tầng",),
    ]


def test_a_district_the_text_names_wins_over_the_address() -> None:
    text = _DISTRICT_NEWS.replace("tổng hợp", "huyện Nghĩa Hành tổng hợp", 1)
    doc = extract(text, meta=(("url", "https://moduc.quangngai.gov.vn/tin/1"),))
    assert doc.tasks[-1].owners == ("Phòng Kinh tế và Hạ tầng huyện Nghĩa Hành",)


def test_a_district_office_under_its_district_header_is_that_districts() -> None:
    text = (
        "UBND HUYỆN HIỆP HÒA               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        " PHÒNG GIÁO DỤC VÀ ĐÀO TẠO                     Độc lập - Tự do - Hạnh phúc\n\n"
        "      Số: 21   /KH-PGD&ĐT                   Hiệp Hòa, ngày 12 tháng 10 năm 2020\n\n"
        "KẾ HOẠCH\nThực hiện nhiệm vụ pháp chế\n"
        "1. Phòng GD&ĐT\n- Phối hợp với Phòng Tư pháp tổ chức công tác tuyên truyền pháp luật.\n"
    )
    doc = extract(text)
    assert doc.doc.issuer == "Phòng Giáo dục và Đào tạo huyện Hiệp Hòa"
    assert "Phòng Tư pháp huyện Hiệp Hòa" in {a.name for a in doc.agencies}


_LETTER = (
    "Kính gửi:\n - Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố;\n"
    " - Hiệu trưởng các trường THPT, PT DTNT.\n\n"
    "Đề nghị các đơn vị chỉ đạo giáo viên xây dựng kế hoạch dạy học chi tiết.\n"
)


def test_a_letters_the_bodies_are_its_addressees() -> None:
    doc = extract(_LETTER)
    assert [t.owners for t in doc.tasks] == [
        ("Phòng Giáo dục và Đào tạo các huyện, thành phố", "các trường THPT, PT DTNT")
    ]


def test_the_bodies_without_addressees_stay_a_group() -> None:
    doc = extract(_LETTER.split("\n\n", 1)[1])
    assert [t.owners for t in doc.tasks] == [("các đơn vị",)]


def test_a_group_named_by_its_own_class_keeps_its_name_in_a_letter() -> None:
    text = _LETTER.replace("các đơn vị chỉ đạo", "các địa phương chỉ đạo")
    assert [t.owners for t in extract(text).tasks] == [("các địa phương",)]


def test_a_school_class_keeps_its_initials() -> None:
    doc = extract(
        "Đề nghị Hiệu trưởng các trường THPT, PT DTNT chỉ đạo giáo viên rà soát kế hoạch."
    )
    assert [t.owners for t in doc.tasks] == [("các trường THPT, PT DTNT",)]
    doc = extract("Giao các sở, ban, ngành UBND tỉnh rà soát kế hoạch.")
    assert [t.owners for t in doc.tasks] == [("các sở, ban, ngành",)]


_COPY = """**Kính gửi:**
- Các Sở, ban, ngành Thành phố;
- UBND các xã, phường.

Ủy ban nhân dân Thành phố yêu cầu các đơn vị thực hiện nghiêm túc các nội dung sau:
1. Sở Tài chính chủ trì rà soát, báo cáo UBND Thành phố trước ngày 05/12/2025.
|
Nơi nhận:
- Như trên;
- Lưu: VT, KT.
|
**TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH**
Nguyễn Văn Dũng
"""


def test_a_copy_without_its_header_is_issued_by_the_committee_it_is_signed_for() -> None:
    doc = extract(_COPY, meta=(("province", "Hồ Chí Minh"),))
    assert (doc.doc.issuer, doc.doc.doc_type) == ("UBND Thành phố Hồ Chí Minh", "Công văn")
    commune = _COPY.replace("TM. ỦY BAN NHÂN DÂN", "TM. ỦY BAN NHÂN DÂN XÃ TÂN LẬP")
    assert extract(commune, meta=(("province", "Hồ Chí Minh"),)).doc.issuer == "UBND xã Tân Lập"


def test_a_copy_signed_for_a_committee_of_no_known_province_has_no_issuer() -> None:
    assert extract(_COPY).doc.issuer is None


def test_a_ministrys_copy_signed_in_bold_before_its_appendix_and_its_own_office() -> None:
    text = (
        "**Kính gửi:**\n- Các cục, vụ thuộc Bộ.\n\n"
        "Bộ Văn hóa, Thể thao và Du lịch yêu cầu các đơn vị thực hiện các nội dung sau:\n"
        "1. Văn phòng Bộ chủ trì, phối hợp với các đơn vị tổng hợp kết quả, báo cáo Bộ trưởng.\n"
        "|\nNơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n|\n**BỘ TRƯỞNG**\nNguyễn Văn Hùng\n|\n"
        "**Danh mục các văn bản đã ban hành**\n"
        + "Quyết định số 3760/QĐ-BVHTTDL ngày 23/10/2025.\n"
        * 80
    )
    doc = extract(text)
    assert doc.doc.issuer == "Bộ Văn hóa, Thể thao và Du lịch"
    assert doc.tasks[0].owners == ("Văn phòng Bộ Văn hóa, Thể thao và Du lịch",)


def test_a_header_owner_with_its_role_in_brackets_and_markdown_marks() -> None:
    text = (
        "UBND THÀNH PHỐ HỒ CHÍ MINH\nSố: 174/KH-UBND\nKẾ HOẠCH\n"
        "**1. Sở Nội vụ **(Cơ quan\nthường trực Ban Vì sự tiến bộ phụ nữ):\n\n"
        "- Chủ trì, phối hợp với các sở, ban, ngành rà soát nhân sự, tham mưu thành lập Ban.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [("Sở Nội vụ Thành phố Hồ Chí Minh",)]


def test_a_group_assigned_by_the_plan_reads_whole_over_a_line_break() -> None:
    text = (
        "2. Các cơ quan, đơn vị, địa phương được phân công chủ trì, phối hợp thực\n"
        "hiện nhiệm vụ cụ thể quy định trong kế hoạch này có trách nhiệm lập dự toán\n"
        "ngân sách nhà nước, báo cáo cơ quan có thẩm quyền phê duyệt theo quy định.\n"
    )
    (task,) = extract(text, meta=(("province", "Cần Thơ"),)).tasks
    assert task.owners[0].startswith("các cơ quan, đơn vị, địa phương được phân công chủ trì")
    assert task.action is not None and task.action.startswith("lập dự toán")


@pytest.mark.parametrize(
    ("said", "owner"),
    [
        ("các quận, huyện", "UBND các quận, huyện thuộc thành phố Hà Nội"),
        ("các xã, phường", "UBND các xã, phường thuộc thành phố Hà Nội"),
        ("các xã, đơn vị liên quan", "các xã, đơn vị liên quan thành phố Hà Nội"),
    ],
)
def test_local_units_asked_to_act_are_their_committees(said: str, owner: str) -> None:
    doc = extract(f"Bà Vũ Thu Hà yêu cầu {said} rà soát hộ nghèo.", meta=(("province", "Hà Nội"),))
    assert [t.owners for t in doc.tasks] == [(owner,)]


@pytest.mark.parametrize(
    "text",
    [
        "Giao Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam tổ chức tuyên truyền.",
        "1. Viện Văn hóa, Nghệ thuật,\nThể thao và Du lịch Việt Nam\n\na) Tổ chức tuyên truyền.\n",
    ],
)
def test_a_name_that_lists_its_fields_is_one_body(text: str) -> None:
    name = "Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam"
    doc = extract(text)
    assert [t.owners for t in doc.tasks] == [(name,)]
    assert [a.name for a in doc.agencies] == [name]


def test_places_listed_after_a_name_are_no_fields_of_it() -> None:
    doc = extract("Giao Ban Quản lý dự án Nghệ An, Hà Tĩnh và Quảng Bình rà soát.")
    assert [a.name for a in doc.agencies] == ["Ban Quản lý dự án Nghệ An"]


def test_a_name_wrapped_inside_its_last_compound_reads_whole() -> None:
    text = (
        "7. Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự quốc\n"
        "gia phối hợp với cơ quan chức năng theo dõi sát diễn biến tình hình.\n"
    )
    name = "Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"
    assert [t.owners for t in extract(text).tasks] == [(name,)]


def test_a_provincial_plans_bare_association_is_the_provinces() -> None:
    text = (
        "UBND TỈNH ĐỒNG THÁP\nSố: 552/KH-UBND\nKẾ HOẠCH\n**10. Hiệp\nhội Doanh nghiệp**\n\n"
        "- Vận động, khuyến khích hội viên tham gia các chương trình đổi mới công nghệ.\n"
    )
    doc = extract(text)
    assert [t.owners for t in doc.tasks] == [("Hiệp hội Doanh nghiệp tỉnh Đồng Tháp",)]
    # a ministry's letter names no province for it
    doc = extract("Bộ Công Thương đề nghị Hiệp hội Doanh nghiệp hỗ trợ hội viên.")
    assert [t.owners for t in doc.tasks] == [("Hiệp hội Doanh nghiệp",)]
