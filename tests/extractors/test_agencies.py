"""Agency extraction, the gazetteer tables and the 2025 reorganization."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from extractors.agencies import (
    agency_aliases,
    canonical_agency,
    find_agencies,
    find_agency_spans,
    find_organizations,
    find_people,
    match_agency_query,
)
from extractors.gazetteer import (
    AgencyTable,
    current_name,
    former_names,
    gazetteer,
    infer_province,
)
from extractors.model import Document, Label
from extractors.spans import filter_spans
from extractors.textnorm import normalize

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
G = gazetteer()


def norms(text: str, province: str | None = None) -> list[str]:
    """Canonical names found in ``text``, first mention order, once each."""
    return list(dict.fromkeys(s.norm or "" for s in find_agency_spans(text, province=province)))


def doc(text: str) -> Document:
    return Document(id="t", source="t", text=text)


# ------------------------------------------------------ table examples

AGENCY_EXAMPLES = [
    pytest.param(ex.text, ex.province, ex.expect, id=f"{row.id}#{i}")
    for rows in (
        G.agencies.abbreviations,
        G.agencies.departments,
        G.agencies.bodies,
        G.agencies.local_kinds,
    )
    for row in rows
    for i, ex in enumerate(row.examples)
]


@pytest.mark.parametrize(("text", "province", "expected"), AGENCY_EXAMPLES)
def test_agency_table_examples(text: str, province: str | None, expected: list[str]) -> None:
    assert norms(text, province) == expected


RENAME_EXAMPLES = [
    pytest.param(ex.from_, ex.to, id=f"{row.id}#{i}")
    for rows in (G.reorg.rows, G.provinces.provinces)
    for row in rows
    for i, ex in enumerate(row.examples)
]


@pytest.mark.parametrize(("name", "successor"), RENAME_EXAMPLES)
def test_reorganization_examples(name: str, successor: str | None) -> None:
    assert current_name(name) == successor


def test_every_table_row_has_a_unique_id() -> None:
    ids = [r.id for r in G.provinces.provinces] + [r.id for r in G.reorg.rows]
    for rows in (
        G.agencies.abbreviations,
        G.agencies.departments,
        G.agencies.bodies,
        G.agencies.local_kinds,
        G.agencies.exclusions,
    ):
        ids += [r.id for r in rows]
    assert len(ids) == len(set(ids))


def test_reorganization_rows_carry_date_and_legal_basis() -> None:
    for row in G.reorg.rows:
        assert dt.date.fromisoformat(row.effective) >= dt.date(2025, 1, 1), row.id
        assert re.search(r"\d+/20\d\d/(NĐ-CP|QH15)", row.legal_basis), row.id


def test_province_table_has_63_before_and_34_after() -> None:
    rows = G.provinces.provinces
    assert len([p for p in rows if p.since is None]) == 63
    current = [p for p in rows if p.current]
    assert len(current) == 34
    assert len([p for p in current if p.type == "thành phố"]) == 6
    for p in rows:
        assert G.final(p).current, p.id  # every unit ends in one of the 34
        if G.final(p).id != p.id:
            assert p.effective and p.legal_basis, p.id
            assert dt.date.fromisoformat(p.effective) <= dt.date(2025, 7, 1)


def test_every_province_before_2025_lists_its_districts() -> None:
    before = [p for p in G.provinces.provinces if p.since is None]
    assert len(before) == 63
    for p in before:
        assert len(p.districts) >= 5, p.id  # Bắc Kạn, the smallest, had 8
        pairs = [(d.name, d.type) for d in p.districts]
        assert len(pairs) == len(set(pairs)), p.id
        for d in p.districts:
            assert normalize(d.name) == d.name, (p.id, d.name)  # NFC, "Hòa" not "Hoà"


@pytest.mark.parametrize(
    ("province", "name", "unit"),
    [
        ("Cà Mau", "Cái Nước", "huyện"),
        ("Phú Thọ", "Yên Lập", "huyện"),
        ("Cần Thơ", "Ninh Kiều", "quận"),
        ("Hà Tĩnh", "Kỳ Anh", "thị xã"),
        ("Hà Tĩnh", "Kỳ Anh", "huyện"),  # the town and the district around it
        ("Bắc Giang", "Bắc Giang", "thành phố"),  # named as its province
        ("Hà Nam", "Kim Bảng", "thị xã"),  # a huyện until 2025, listed with both types
        ("Hà Nam", "Kim Bảng", "huyện"),
        ("Hồ Chí Minh", "Thủ Đức", "thành phố"),
    ],
)
def test_district_rows(province: str, name: str, unit: str) -> None:
    row = G.province(province)
    assert row is not None
    assert (name, unit) in [(d.name, d.type) for d in row.districts]


def test_a_district_is_matched_with_its_own_marks() -> None:
    assert [p.province.name for p in G.districts("Cái Nước")] == ["Cà Mau"]
    assert [p.province.name for p in G.districts("CÁI  NƯỚC")] == ["Cà Mau"]
    assert [p.province.name for p in G.districts("Cai Nuoc")] == ["Cà Mau"]  # typed without marks
    assert G.districts("Chủ") == []  # thị xã Chũ
    assert [p.district.name for p in G.districts("Chũ") if p.district] == ["Chũ"]
    assert G.districts("Phú Yên") == []  # the province; huyện Phù Yên is in Sơn La
    # "thành phố Quảng Bình" (no such city) is read as written, not as huyện Quang Bình
    assert norms("UBND thành phố Quảng Bình chỉ đạo các xã.") == ["UBND thành phố Quảng Bình"]
    assert norms("UBND huyện Cái Nước chỉ đạo các xã.", province="Cà Mau") == [
        "UBND huyện Cái Nước"
    ]


def test_a_common_word_that_folds_as_a_district_ends_no_body_name() -> None:
    # "Chủ tịch" folds as thị xã Chũ: the name "Ban Thường vụ Đảng ủy, Chủ tịch ..." is no
    # list of places, and the commune's Party committee (a bare "Đảng ủy" in the commune's
    # own document) is not the province's.
    text = (
        "ỦY BAN MTTQ VIỆT NAM\nXÃ LƯƠNG MINH\n\nKẾ HOẠCH\n\n"
        "- Đồng chí Ủy viên Ban Thường vụ Đảng ủy, Chủ tịch Ủy ban MTTQ Việt Nam xã lãnh đạo, "
        "chỉ đạo chung công tác bầu cử.\n"
    )
    result = find_agencies(
        Document("t", "t", text), province="Quảng Ninh", issuer="Ủy ban MTTQ Việt Nam xã Lương Minh"
    )
    assert sorted(a.name for a in result.agencies) == [
        "Ban Thường vụ Đảng ủy xã Lương Minh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bắc Giang", "Bắc Ninh"),
        ("Bắc Kạn", "Thái Nguyên"),
        ("Quảng Bình", "Quảng Trị"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Thừa Thiên Huế", "Huế"),
        ("Lai Châu", "Lai Châu"),
        ("Hải Dương", "Hải Phòng"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Hà Nam", "Ninh Bình"),
        ("Kiên Giang", "An Giang"),
        ("Hậu Giang", "Cần Thơ"),
        ("Quảng Nam", "Đà Nẵng"),
    ],
)
def test_province_mergers(old: str, new: str) -> None:
    row = G.province(old)
    assert row is not None
    assert G.final(row).name == new


def test_a_typo_in_a_table_fails_loudly() -> None:
    data = {
        "unit_words": {},
        "abbreviations": [],
        "departments": [],
        "bodies": [],
        "local_kinds": [
            {
                "id": "x",
                "kind": "UBND",
                "canonical": "UBND {unit}",
                "forms": ["UBND"],
                "unit": "required",
                "exampels": [],
            }
        ],
    }
    with pytest.raises(ValidationError, match="exampels"):
        AgencyTable.model_validate(data)


# ------------------------------------------------------ extraction cases

CASES = [
    # jurisdiction from the document
    ("Sở Tài chính chủ trì", "Bắc Ninh", ["Sở Tài chính tỉnh Bắc Ninh"]),
    ("báo cáo UBND tỉnh và Ủy ban nhân dân tỉnh", "Bắc Ninh", ["UBND tỉnh Bắc Ninh"]),
    (
        "Văn phòng UBND tỉnh; Công an tỉnh",
        "Bắc Giang",
        ["Văn phòng UBND tỉnh Bắc Giang", "Công an tỉnh Bắc Giang"],
    ),
    ("Sở KH&ĐT", "Bắc Giang", ["Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"]),
    ("UBND huyện Gio Linh", "Quảng Trị", ["UBND huyện Gio Linh"]),
    ("UBND huyện Ba Vì", None, ["UBND huyện Ba Vì"]),  # a district outside the gazetteer
    ("Ủy ban nhân dân thành phố Hải Phòng", None, ["UBND thành phố Hải Phòng"]),
    ("UBND thành phố Bắc Giang", "Bắc Giang", ["UBND thành phố Bắc Giang"]),
    ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI", None, ["UBND tỉnh Quảng Ngãi"]),
    # one agency, three spellings (and the sic "tỉnh tỉnh")
    (
        "Ban Quản lý các khu công nghiệp tỉnh. Ban Quản lý các KCN tỉnh tỉnh Bắc Ninh. BQL các KCN",
        "Bắc Ninh",
        ["Ban Quản lý các KCN tỉnh Bắc Ninh"],
    ),
    # enumerations
    (
        "Chủ tịch UBND các huyện, thị xã: Tân Yên, Hiệp Hòa, Yên Dũng, Việt Yên;",
        "Bắc Giang",
        [
            "UBND huyện Tân Yên",
            "UBND huyện Hiệp Hòa",
            "UBND huyện Yên Dũng",
            "UBND thị xã Việt Yên",
        ],
    ),
    (
        "UBND các huyện, thị xã (Hiệp Hòa, Tân Yên và Việt Yên): tiếp tục",
        "Bắc Giang",
        ["UBND huyện Hiệp Hòa", "UBND huyện Tân Yên", "UBND thị xã Việt Yên"],
    ),
    (
        "- Các Bộ: Kế hoạch và Đầu tư, Tư pháp, Tài chính; |",
        None,
        ["Bộ Kế hoạch và Đầu tư", "Bộ Tư pháp", "Bộ Tài chính"],
    ),
    (
        "Các Bộ: Công thương, Lao động, Thương binh và Xã hội, Văn hóa, Thể thao và Du lịch;",
        None,
        [
            "Bộ Công Thương",
            "Bộ Lao động - Thương binh và Xã hội",
            "Bộ Văn hóa, Thể thao và Du lịch",
        ],
    ),
    (
        "- Các cơ quan: Kế hoạch và Đầu tư, Nội vụ, Công an tỉnh, Ban Quản lý các KCN tỉnh;",
        "Bắc Giang",
        [
            "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
            "Sở Nội vụ tỉnh Bắc Giang",
            "Công an tỉnh Bắc Giang",
            "Ban Quản lý các KCN tỉnh Bắc Giang",
        ],
    ),
    # collective groups are not agencies
    ("Giao các sở, ngành tỉnh; Ủy ban nhân dân các huyện, thành phố", "Lai Châu", []),
    ("Các bộ, cơ quan ngang bộ và Ủy ban nhân dân các tỉnh, thành phố", None, []),
    ("cơ quan liên quan; các cơ quan, đơn vị", "Bắc Giang", []),
    ("cơ sở xây dựng, trụ sở Ban", "Bắc Giang", []),  # lower case is never a name
    # central bodies
    (
        "Thủ tướng Chính phủ; Văn phòng Chính phủ; Quốc hội; Bộ Chính trị",
        None,
        ["Thủ tướng Chính phủ", "Văn phòng Chính phủ", "Quốc hội", "Bộ Chính trị"],
    ),
    (
        "kiến nghị của Kiểm toán nhà nước; Ngân hàng Nhà nước Việt Nam",
        None,
        ["Kiểm toán nhà nước", "Ngân hàng Nhà nước Việt Nam"],
    ),
    (
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh",
        None,
        ["Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh"],
    ),
    ("Luật Tổ chức Chính phủ", None, []),
    ("Phó Thủ tướng Chính phủ Lê Văn Thành", None, []),
]


@pytest.mark.parametrize(("text", "province", "expected"), CASES)
def test_find_agency_spans(text: str, province: str | None, expected: list[str]) -> None:
    assert norms(text, province) == expected


def test_enumerated_spans_cover_the_listed_names() -> None:
    text = "UBND các huyện, thị xã: Tân Yên, Việt Yên;"
    spans = find_agency_spans(text, province="Bắc Giang")
    assert [(s.text, s.norm) for s in spans] == [
        ("Tân Yên", "UBND huyện Tân Yên"),
        ("Việt Yên", "UBND thị xã Việt Yên"),
    ]


@pytest.mark.parametrize(
    ("mention", "province", "expected"),
    [
        ("Sở Công Thương", "Bắc Giang", "Sở Công Thương tỉnh Bắc Giang"),
        ("Sở Công Thương", None, "Sở Công Thương"),
        ("Ban Quản lý các khu công nghiệp tỉnh", "Bắc Ninh", "Ban Quản lý các KCN tỉnh Bắc Ninh"),
        ("Ủy ban nhân dân tỉnh", "Bắc Ninh", "UBND tỉnh Bắc Ninh"),
        ("Đồng chí Bộ trưởng Bộ Y tế", None, "Bộ Y tế"),
        ("UBND huyện Đakrông", "Quảng Trị", "UBND huyện Đakrông"),
        ("các sở, ngành tỉnh", "Bắc Ninh", None),
    ],
)
def test_canonical_agency(mention: str, province: str | None, expected: str | None) -> None:
    assert canonical_agency(mention, province=province) == expected


# ---------------------------------------------------- the document API


def test_find_agencies_infers_province_and_groups_mentions() -> None:
    text = (
        "UBND TỈNH BẮC GIANG\nBắc Giang, ngày 12 tháng 3 năm 2024\n"
        "Giao Sở Kế hoạch và Đầu tư chủ trì. Sở Kế hoạch và Đầu tư báo cáo UBND tỉnh."
    )
    result = find_agencies(doc(text))
    assert [a.name for a in result.agencies] == [
        "UBND tỉnh Bắc Giang",
        "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
    ]
    so = result.agencies[1]
    assert len(so.mentions) == 2
    assert so.kind == "Sở"
    assert so.jurisdiction == "tỉnh Bắc Giang"
    assert so.current_name == "Sở Tài chính tỉnh Bắc Ninh"
    assert all(s.label == Label.AGENCY for s in result.spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UBND TỈNH QUẢNG TRỊ\nSố: 1/UBND", "Quảng Trị"),
        ("THÔNG TIN Ý KIẾN\nQuảng Trị\n\nUBND tỉnh có ý kiến", "Quảng Trị"),
        ("Bắc Giang, ngày 12 tháng 3 năm 2024", "Bắc Giang"),
        ("tỉnh Bắc Ninh, tỉnh Bắc Ninh và tỉnh Bắc Giang cũ", "Bắc Ninh"),
        ("VĂN PHÒNG CHÍNH PHỦ\nHà Nội, ngày 25 tháng 9 năm 2020", None),
        ("Không nêu địa phương nào.", None),
        # a central header past a signature stamp, with OCR's lost space
        (
            "Ký bởi: Cổng Thông tin điện tử Chính phủ\nThời gian ký: 06.03.2020\n\n"
            "THỦ TƯỚNG CHÍNHPHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n41 /CT-TTg Hà Nội, ngày 4 "
            "tháng 3 năm 2020\nHà Nội",
            None,
        ),
        # a ministry named in capitals below a province's header does not make it central
        (
            "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\nBắc Giang, ngày 3 tháng 4 năm 2024\nBỘ TÀI CHÍNH",
            "Bắc Giang",
        ),
    ],
)
def test_infer_province(text: str, expected: str | None) -> None:
    assert infer_province(text) == expected


def test_companies_and_newspapers_are_organizations() -> None:
    text = (
        "Công ty TNHH Xây dựng khai thác khoáng sản Nguyên Hải có tờ trình; "
        "Tập đoàn Viettel đề xuất. Báo Thanh niên nêu."
    )
    names = [o.name for o in find_organizations(text)]
    assert names == [
        "Công ty TNHH Xây dựng khai thác khoáng sản Nguyên Hải",
        "Tập đoàn Công nghiệp - Viễn thông Quân đội",  # "Tập đoàn Viettel", by its full name
        "Báo Thanh niên",
    ]
    assert norms(text, "Quảng Trị") == []


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (
            "Phó Chủ tịch UBND tỉnh Bắc Ninh Phạm Văn Thịnh vừa ký",
            "Phạm Văn Thịnh",
            "Phó Chủ tịch UBND tỉnh Bắc Ninh",
        ),
        (
            "Ngày 12/3/2024, Chủ tịch UBND tỉnh Lê Ánh Dương tổ chức",
            "Lê Ánh Dương",
            "Chủ tịch UBND tỉnh",
        ),
        (
            "Trưởng ban Quản lý các KCN tỉnh Bắc Kạn, ông Hoàng Văn Khởi thông tin",
            "Hoàng Văn Khởi",
            "Trưởng ban Quản lý các KCN tỉnh Bắc Kạn",
        ),
        (
            "Ông Đào Xuân Cường - Trưởng Ban Quản lý các KCN tỉnh cho biết",
            "Đào Xuân Cường",
            "Trưởng Ban Quản lý các KCN tỉnh",
        ),
        (
            "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\nPhạm Văn Đà",
            "Phạm Văn Đà",
            "Phó Chánh Văn phòng",
        ),
        ("- PTTg Vũ Đức Đam (để báo cáo);", "Vũ Đức Đam", "Phó Thủ tướng"),
    ],
)
def test_people_with_titles(text: str, name: str, title: str) -> None:
    people = find_people(text)
    assert [(p.name, p.title) for p in people] == [(name, title)]


def test_places_are_not_people() -> None:
    assert find_people("sông Hồ Xá, tỉnh Hà Nam, Thành phố Hồ Chí Minh, Lê V\năn Thành") == []


# ------------------------------------------------------ reorganization


@pytest.mark.parametrize(
    ("name", "successor"),
    [
        ("Sở Kế hoạch và Đầu tư tỉnh Bắc Giang", "Sở Tài chính tỉnh Bắc Ninh"),
        (
            "Sở Tài nguyên và Môi trường tỉnh Quảng Trị",
            "Sở Nông nghiệp và Môi trường tỉnh Quảng Trị",
        ),
        ("Sở Giao thông vận tải tỉnh Bắc Ninh", "Sở Xây dựng tỉnh Bắc Ninh"),
        ("Sở Thông tin và Truyền thông tỉnh Lai Châu", "Sở Khoa học và Công nghệ tỉnh Lai Châu"),
        ("Ban Quản lý các KCN tỉnh Bắc Giang", "Ban Quản lý các KCN tỉnh Bắc Ninh"),
        ("UBND tỉnh Thừa Thiên Huế", "UBND thành phố Huế"),
        ("HĐND tỉnh Quảng Bình", "HĐND tỉnh Quảng Trị"),
        ("Tỉnh ủy Hải Dương", "Thành ủy Hải Phòng"),
        ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"),
        ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường"),
        ("Bộ Y tế", "Bộ Y tế"),
        ("Văn phòng Chính phủ", "Văn phòng Chính phủ"),
        ("UBND huyện Gio Linh", None),
        ("UBND thành phố Bắc Giang", None),
        ("không phải cơ quan", None),
    ],
)
def test_current_name(name: str, successor: str | None) -> None:
    assert current_name(name) == successor


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Sở Tài chính tỉnh Bắc Ninh",
            [
                "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
                "Sở Kế hoạch và Đầu tư tỉnh Bắc Ninh",
                "Sở Tài chính tỉnh Bắc Giang",
            ],
        ),
        ("UBND thành phố Huế", ["UBND tỉnh Thừa Thiên Huế"]),
        (
            "Bộ Nông nghiệp và Môi trường",
            ["Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Tài nguyên và Môi trường"],
        ),
        ("Sở Kế hoạch và Đầu tư tỉnh Bắc Giang", []),
        ("UBND tỉnh Lai Châu", []),
    ],
)
def test_former_names(name: str, expected: list[str]) -> None:
    assert former_names(name) == expected


STORE = [
    "Sở Tài chính tỉnh Bắc Ninh",
    "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
    "Sở Y tế tỉnh Bắc Ninh",
    "Ban Quản lý các KCN tỉnh Bắc Giang",
    "Ban Quản lý các KCN tỉnh Bắc Ninh",
    "Bộ Kế hoạch và Đầu tư",
    "UBND huyện Tân Yên",
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "so tai chinh bac ninh",
            ["Sở Tài chính tỉnh Bắc Ninh", "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"],
        ),
        (
            "Sở Tài chính tỉnh Bắc Ninh",
            ["Sở Tài chính tỉnh Bắc Ninh", "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"],
        ),
        ("Sở KH&ĐT Bắc Giang", ["Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"]),
        ("BQL KCN Bac Giang", ["Ban Quản lý các KCN tỉnh Bắc Giang"]),
        (
            "Ban Quản lý các KCN tỉnh Bắc Ninh",
            ["Ban Quản lý các KCN tỉnh Bắc Giang", "Ban Quản lý các KCN tỉnh Bắc Ninh"],
        ),
        ("bo tai chinh", ["Bộ Kế hoạch và Đầu tư"]),
        ("Sở Tài chính", ["Sở Tài chính tỉnh Bắc Ninh", "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"]),
        (
            "ban quan ly khu cong nghiep",
            ["Ban Quản lý các KCN tỉnh Bắc Giang", "Ban Quản lý các KCN tỉnh Bắc Ninh"],
        ),
        ("ubnd huyen tan yen", ["UBND huyện Tân Yên"]),
        ("tan yen", ["UBND huyện Tân Yên"]),
        ("Sở Công Thương tỉnh Bắc Ninh", []),
    ],
)
def test_match_agency_query(query: str, expected: list[str]) -> None:
    assert match_agency_query(query, STORE) == expected


@pytest.mark.parametrize(
    ("name", "alias"),
    [
        ("Sở Kế hoạch và Đầu tư tỉnh Bắc Giang", "Sở KH&ĐT tỉnh Bắc Giang"),
        ("UBND tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh"),
        ("Ban Quản lý các KCN tỉnh Bắc Ninh", "Ban Quản lý các khu công nghiệp tỉnh Bắc Ninh"),
        ("Văn phòng Chính phủ", "VPCP"),
    ],
)
def test_agency_aliases(name: str, alias: str) -> None:
    assert alias in agency_aliases(name)


# ------------------------------------------------------ properties


def _corpus_texts() -> list[str]:
    paths = sorted((CORPUS / "docs").glob("*.txt")) + sorted((CORPUS / "seeds").glob("*.txt"))
    return [_clean(p.read_text("utf-8")) for p in paths]


def _clean(raw: str) -> str:
    text = normalize(raw).replace("**", "").replace("*", "")
    return re.sub(r"[ \t]+", " ", text)


TEXTS = _corpus_texts()


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TEXTS), st.integers(0, 10_000), st.integers(1, 1_500))
def test_offsets_are_exact(text: str, start: int, length: int) -> None:
    start = start % len(text)
    chunk = text[start : start + length]
    result = find_agencies(doc(chunk))
    spans = list(result.spans)
    spans += [m for o in result.organizations for m in o.mentions]
    spans += [m for p in result.people for m in p.mentions]
    for s in spans:
        assert chunk[s.start : s.end] == s.text
    agency = list(result.spans)
    assert agency == sorted(agency, key=lambda s: (s.start, s.end))
    assert filter_spans(agency) == agency  # no two agency spans overlap


# Quality on the gold set is measured once, by pipeline.eval.evaluate, with
# the document's metadata (tests/test_eval_floors.py).


# ------------------------------------------- regressions from gold documents 21-27


@pytest.mark.parametrize(
    "text",
    [
        # "Nông" and "Văn" are family names, but these words continue an agency name
        "Thủ tướng Chính phủ Nguyễn Xuân Phúc giao Bộ Nông nghiệp và Phát triển nông thôn chủ trì",
        "Thông báo kết luận của Thủ tướng Chính phủ tại Văn bản số 366/TB-VPCP của Văn phòng "
        "Chính phủ về kết quả",
    ],
)
def test_agency_words_are_not_people(text: str) -> None:
    names = [p.name for p in find_people(text)]
    assert "Nông nghiệp và Phát" not in names and "Văn phòng Chính" not in names
    assert all(all(w[0].isupper() for w in n.split()) for n in names)


@pytest.mark.parametrize(
    ("text", "province", "expected"),
    [
        # a centrally-run city: the officer's name after "UBND Thành phố" is no district
        (
            "Chủ tịch UBND Thành phố Vũ Đại Thắng vừa ký ban hành Chỉ thị",
            "Hà Nội",
            ["UBND thành phố Hà Nội"],
        ),
        ("Phó Chủ tịch UBND Thành phố Nguyễn Mạnh Quyền thống nhất kết luận", None, []),
        (
            "Sở Nông nghiệp và Môi trường triển khai; Sở Xây dựng tăng cường",
            "Hà Nội",
            ["Sở Nông nghiệp và Môi trường thành phố Hà Nội", "Sở Xây dựng thành phố Hà Nội"],
        ),
        (
            "Văn phòng UBND thành phố Hà Nội ban hành Thông báo",
            None,
            ["Văn phòng UBND thành phố Hà Nội"],
        ),
        # an unknown district named after the unit word is still read without a title
        ("UBND huyện Trần Văn Thời báo cáo", "Cà Mau", ["UBND huyện Trần Văn Thời"]),
        # general departments and departments of a ministry (central, no jurisdiction)
        ("gửi về địa chỉ: Tổng cục Lâm nghiệp, số 2 Ngọc Hà", None, ["Tổng cục Lâm nghiệp"]),
        (
            "Cục Lâm nghiệp và Kiểm lâm tham mưu Bộ Nông nghiệp và Môi trường",
            None,
            ["Cục Lâm nghiệp và Kiểm lâm", "Bộ Nông nghiệp và Môi trường"],
        ),
        ("Chi cục Kiểm lâm tỉnh kiểm tra", "Bắc Giang", []),
    ],
)
def test_city_jurisdiction_and_central_departments(
    text: str, province: str | None, expected: list[str]
) -> None:
    assert norms(text, province) == expected


def test_associations_are_organizations() -> None:
    text = "phối hợp với Hiệp hội mắc ca Việt Nam và các cơ quan liên quan"
    assert [o.name for o in find_organizations(text)] == ["Hiệp hội mắc ca Việt Nam"]
    assert norms(text, None) == []


def test_a_department_or_party_committee_of_each_enumerated_province_is_an_agency() -> None:
    from extractors import extract
    from extractors.agencies import find_agency_spans

    text = (
        "Bộ trưởng Bộ Công Thương yêu cầu Sở Công Thương các tỉnh, thành phố: Quảng Ninh, "
        "Hải Phòng, Thái Bình tập trung lực lượng.\n"
        "- Bí thư Tỉnh ủy, Thành ủy, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc "
        "Trung ương: Hà Tĩnh, Huế.\n"
    )
    norms = [a.name for a in extract(text).agencies]
    for name in (
        "Sở Công Thương tỉnh Quảng Ninh",
        "Sở Công Thương thành phố Hải Phòng",
        "Sở Công Thương tỉnh Thái Bình",
        "Tỉnh ủy Hà Tĩnh",
        "UBND tỉnh Hà Tĩnh",
        "Thành ủy Huế",
        "UBND thành phố Huế",
    ):
        assert name in norms
    # without the Party heads before the list, no Party committee
    plain = "Chủ tịch Ủy ban nhân dân các tỉnh: Hà Tĩnh, Quảng Trị chỉ đạo."
    assert [s.norm for s in find_agency_spans(plain)] == [
        "UBND tỉnh Hà Tĩnh",
        "UBND tỉnh Quảng Trị",
    ]


def test_a_ministries_list_wrapped_over_lines_names_each_ministry_and_owns_its_task() -> None:
    from extractors import extract

    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 648/TB-VPCP\nTHÔNG BÁO\n\nPhó Thủ tướng kết luận như sau:\n"
        "8. Các Bộ, cơ quan: Tài chính, Xây dựng, Nông nghiệp\n"
        "và Môi trường, Văn hóa, Thể thao và Du lịch,\n"
        "Ngoại giao theo chức năng, nhiệm vụ được giao khẩn trương xem xét các kiến nghị.\n"
    )
    d = extract(text)
    assert d.tasks[0].owners == (
        "Bộ Tài chính",
        "Bộ Xây dựng",
        "Bộ Nông nghiệp và Môi trường",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Ngoại giao",
    )


@pytest.mark.parametrize(
    ("text", "province", "expected"),
    [
        # a zone's proper name tells one board from the province's others
        (
            "**2. Ban Quản lý Khu kinh tế\nĐông Nam**",
            "Nghệ An",
            "Ban Quản lý Khu kinh tế Đông Nam tỉnh Nghệ An",
        ),
        (
            "Ban Quản lý Khu kinh tế Vũng Áng tỉnh Hà Tĩnh chủ trì",
            None,
            "Ban Quản lý Khu kinh tế Vũng Áng tỉnh Hà Tĩnh",
        ),
        # a place is the jurisdiction, not a zone
        ("Ban Quản lý KKT Quảng Ngãi chủ trì", None, "Ban Quản lý Khu kinh tế tỉnh Quảng Ngãi"),
        ("Ban Quản lý Khu kinh tế tỉnh chủ trì", "Nghệ An", "Ban Quản lý Khu kinh tế tỉnh Nghệ An"),
        # the official name that goes on to the province's industrial zones
        (
            "Ban quản lý Khu kinh tế Dung Quất và các KCN Quảng Ngãi rà soát",
            None,
            "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
        ),
        (
            "6. Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh:",
            "Quảng Ngãi",
            "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
        ),
        # a title-cased list line: "Và" is no part of the zone's name
        (
            "- Ban Quản lý Khu kinh tế Dung Quất Và các Khu công nghiệp Quảng Ngãi;",
            None,
            "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
        ),
    ],
)
def test_economic_zone_boards_by_their_zone(text: str, province: str | None, expected: str) -> None:
    names = [s.norm for s in find_agency_spans(text, province=province)]
    assert names == [expected]


def test_party_offices_take_the_place_name() -> None:
    from extractors import extract

    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 1026/KH-UBND\n\nKẾ HOẠCH\n\n"
        "- Văn phòng Tỉnh ủy, Tỉnh đoàn;\n"
    )
    names = [a.name for a in extract(text).agencies]
    assert "Văn phòng Tỉnh ủy Nghệ An" in names
    assert "Văn phòng Tỉnh ủy tỉnh Nghệ An" not in names


def test_a_provincial_body_listed_for_several_provinces() -> None:
    text = (
        "Một số Cục Thuế có tỷ lệ hoàn thành thấp: Cục Thuế Bình Định, Lâm Đồng, Cần Thơ. "
        "Cụ thể: Cục Thuế tỉnh Hưng Yên, Hải Dương."
    )
    names = [a.name for a in find_agencies(Document("t", "t", text)).agencies]
    for name in (
        "Cục Thuế tỉnh Bình Định",
        "Cục Thuế tỉnh Lâm Đồng",
        "Cục Thuế thành phố Cần Thơ",
        "Cục Thuế tỉnh Hưng Yên",
        "Cục Thuế tỉnh Hải Dương",
    ):
        assert name in names
    # a body and one place: no list ("Công an tỉnh Nghệ An, Sở Y tế")
    one = find_agencies(Document("t", "t", "Giao Công an tỉnh Nghệ An, Sở Y tế rà soát."))
    assert not any(a.name.startswith("Công an") and "Sở" in a.name for a in one.agencies)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Thủ tướng yêu cầu Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới "
            "sáng tạo và chuyển đổi số khẩn trương tổng kết.",
            "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
            "đổi số",
        ),
        (
            "Phiên họp thứ nhất Ban Chỉ đạo Trung ương về chính sách nhà ở và\n"
            "thị trường bất động sản đã thống nhất.",
            "Ban Chỉ đạo Trung ương về chính sách nhà ở và thị trường bất động sản",
        ),
        (
            "Ban Chỉ đạo Tỉnh ủy Quảng Ngãi về phòng, chống tham nhũng, tiêu cực chỉ đạo các sở.",
            "Ban Chỉ đạo Tỉnh ủy Quảng Ngãi về phòng, chống tham nhũng, tiêu cực",
        ),
    ],
)
def test_a_steering_committee_is_named_with_its_topic(text: str, name: str) -> None:
    assert name in [a.name for a in find_agencies(Document("t", "t", text)).agencies]


def test_a_name_before_a_level_or_a_bare_city_word() -> None:
    text = (
        "Trung tâm Chuyển đổi số Thành phố phối hợp. Trung tâm Phục vụ hành chính công các cấp "
        "tiếp nhận hồ sơ."
    )
    names = [
        a.name for a in find_agencies(Document("t", "t", text), province="Hồ Chí Minh").agencies
    ]
    assert "Trung tâm Chuyển đổi số Thành phố Hồ Chí Minh" in names
    assert not any(n.endswith(("các", "các cấp")) for n in names)


def test_a_provincial_body_listed_over_wrapped_lines() -> None:
    text = (
        "- Một số Cục Thuế có tỷ lệ hoàn thành thấp như sau: Cục Thuế Bình Định,\n"
        "Lâm Đồng, Tiền Giang, Cao Bằng, Long\nAn, Hà Nội,...\n"
        "- Một số Cục Thuế hiệu quả chưa cao như: Cục Thuế Lai Châu, Ninh Thuận\n"
        "\nSơn La đạt yêu cầu.\n"
    )
    names = [a.name for a in find_agencies(Document("t", "t", text)).agencies]
    for name in ("Cục Thuế tỉnh Lâm Đồng", "Cục Thuế tỉnh Long An", "Cục Thuế thành phố Hà Nội"):
        assert name in names
    # a blank line ends the list: Sơn La is no tax department here
    assert "Cục Thuế tỉnh Sơn La" not in names


def test_national_bodies_named_anywhere_are_central() -> None:
    """A central body's name may put its national word last ("Thanh tra Chính phủ",
    "Bảo hiểm xã hội Việt Nam"); "xã hội" and "quản lý" are no commune or district."""
    from extractors.gazetteer import is_central_name

    for name in (
        "Thanh tra Chính phủ",
        "Ủy ban Thường vụ Quốc hội",
        "Kiểm toán Nhà nước",
        "Bảo hiểm xã hội Việt Nam",
        "Tòa án nhân dân tối cao",
        "Tổng cục Quản lý thị trường",
    ):
        assert is_central_name(name), name
    for name in (
        "Ủy ban MTTQ Việt Nam tỉnh Bắc Ninh",
        "Kho bạc Nhà nước tỉnh Gia Lai",
        "UBND Quận 1",
    ):
        assert not is_central_name(name), name


def test_a_central_inspectorates_circular_gives_no_city_to_its_bodies() -> None:
    text = (
        "THANH TRA CHÍNH PHỦ\nSố: 07/2025/TT-TTCP\nHà Nội, ngày 29 tháng 12 năm 2025\nTHÔNG TƯ\n"
        "Quy định về mẫu Thẻ thanh tra\n"
        "Điều 10. Trách nhiệm thi hành\n"
        "Chánh Thanh tra Bộ Quốc phòng, Thanh tra Ngân hàng Nhà nước có trách nhiệm "
        "tổ chức thực hiện Thông tư này.\n"
    )
    from extractors.extraction import extract

    names = {a.name for a in extract(text).agencies}
    assert not any("Hà Nội" in n for n in names), names


def test_a_standing_organ_named_before_its_body_is_that_organ() -> None:
    """ "Ban Thường trực Ủy ban MTTQ phường" is the standing board, "Đảng ủy Bộ Y tế" the
    ministry's Party committee: each its own body, not the body after it."""
    from extractors.extraction import extract

    text = (
        "UỶ BAN MTTQ VIỆT NAM\nPHƯỜNG BẮC CAM RANH\nBAN THƯỜNG TRỰC\n"
        "Số: 12/KH-MTTQ-BTT\nBắc Cam Ranh, ngày 10 tháng 11 năm 2025\nKẾ HOẠCH\n"
        "Kiểm tra, giám sát công tác bầu cử\n"
        "III. NỘI DUNG\n"
        "1. Ban Thường trực Ủy ban MTTQ phường giám sát việc lập danh sách cử tri.\n"
    )
    doc = extract(text, meta=(("province", "Khánh Hòa"),))
    task = next(t for t in doc.tasks if "danh sách cử tri" in t.text)
    assert task.owners == ("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam phường Bắc Cam Ranh",)
    names = {a.name for a in extract("Giao Đảng ủy Bộ Y tế chỉ đạo rà soát.").agencies}
    assert "Đảng ủy Bộ Y tế" in names, names


def test_a_department_in_a_text_that_names_no_province_still_owns_its_task() -> None:
    """ "Sở Y tế chủ trì ..." with no province anywhere: the task stays, owned by the
    department as written; it is no listed body (its province is unknown)."""
    from extractors.extraction import extract

    doc = extract(
        "Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai tiêm chủng trước ngày 30/6/2025."
    )
    assert [(t.owners, t.cooperating) for t in doc.tasks] == [(("Sở Y tế",), ("Sở Tài chính",))]
    assert doc.tasks[0].deadline == "2025-06-30"
    assert not any(a.name.startswith("Sở") for a in doc.agencies)


def test_a_sidecar_province_written_with_its_unit_is_the_province() -> None:
    from extractors.extraction import extract

    doc = extract(
        "Chủ tịch UBND tỉnh giao Sở TN&MT chủ trì tổng hợp báo cáo trước ngày 10/10/2020.",
        meta=(("province", "Tỉnh Sơn La"),),
    )
    assert doc.doc.province == "Sơn La"
    assert doc.tasks[0].owners == ("Sở Tài nguyên và Môi trường tỉnh Sơn La",)
