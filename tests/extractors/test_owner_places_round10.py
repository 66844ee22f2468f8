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
