"""Issue #12: owners that hold on unseen documents.

Each case is a general pattern of administrative Vietnamese, run end to end
with ``extract`` (agencies, metadata and tasks together): sections that own
their items (named by bodies the gazetteer does not list, by groups, or by
nobody), "Đơn vị thực hiện:" lines, collective owners with their
jurisdiction, organizations as owners, reported assignments in news, and
the unknown owner kept and flagged. Every case that must fire has a twin
that must not.
"""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.collectives import canonical_collective, collective_includes, find_collectives
from extractors.cues import task_cues
from extractors.names import find_named_bodies
from extractors.task_filter import candidates


@pytest.fixture(autouse=True)
def _rules_only():  # noqa: ANN202
    """These tests read what the rules make of each text (owners, sections, resets):
    the trained filter that drops candidates is off (tests/extractors/test_task_filter.py)."""
    with candidates():
        yield


HEAD = "UBND TỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 10 tháng 3 năm 2025\nKẾ HOẠCH\n"


def owners_by_text(text: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    d = extract(text)
    return {t.text: (t.owners, t.owner_kinds) for t in d.tasks}


# ---------------------------------------------------------------- sections


def test_unknown_agency_header_owns_its_items_and_never_the_previous_one() -> None:
    text = HEAD + (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Y tế\n"
        "- Chủ trì xây dựng kế hoạch phòng chống dịch.\n"
        "2. Bộ Chỉ huy Quân sự tỉnh\n"
        "- Bố trí lực lượng hỗ trợ địa phương.\n"
        "3. Tỉnh đoàn\n"
        "- Tổ chức các đội thanh niên tình nguyện.\n"
    )
    got = owners_by_text(text)
    assert got["Chủ trì xây dựng kế hoạch phòng chống dịch."][0] == ("Sở Y tế tỉnh Quảng Ngãi",)
    assert got["Bố trí lực lượng hỗ trợ địa phương."][0] == ("Bộ Chỉ huy Quân sự tỉnh Quảng Ngãi",)
    assert got["Tổ chức các đội thanh niên tình nguyện."][0] == ("Tỉnh đoàn Quảng Ngãi",)


def test_header_that_names_nobody_resets_the_owner_to_unknown() -> None:
    text = HEAD + (
        "II. NHIỆM VỤ\n"
        "1. Sở Tài chính\n"
        "- Bố trí kinh phí thực hiện.\n"
        "2. Nâng cấp hạ tầng công nghệ thông tin\n"
        "- Rà soát, đầu tư mua sắm thiết bị.\n"
    )
    d = extract(text)
    by = {t.text: t for t in d.tasks}
    assert by["Bố trí kinh phí thực hiện."].owners == ("Sở Tài chính tỉnh Quảng Ngãi",)
    unknown = by["Rà soát, đầu tư mua sắm thiết bị."]
    assert unknown.owners == () and unknown.flags == ("owner_unknown",)
    assert unknown.confidence is not None and unknown.confidence < 0.5
    # the topical header itself is not a task
    assert "Nâng cấp hạ tầng công nghệ thông tin" not in by


def test_items_of_an_aims_part_are_not_tasks() -> None:
    text = HEAD + (
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Mục đích\n"
        "- Nâng cao chất lượng khám chữa bệnh.\n"
        "II. NHIỆM VỤ\n"
        "1. Triển khai phần mềm\n"
        "- Triển khai phần mềm bệnh án điện tử.\n"
    )
    texts = [t.text for t in extract(text).tasks]
    assert "Nâng cao chất lượng khám chữa bệnh." not in texts
    assert "Triển khai phần mềm bệnh án điện tử." in texts


def test_unit_line_owns_its_section_with_its_deadline() -> None:
    text = HEAD + (
        "II. NỘI DUNG\n"
        "1. Khảo sát đánh giá\n"
        "- Khảo sát hiện trạng hạ tầng phần cứng.\n"
        "- Đơn vị thực hiện: Các bệnh viện trong tỉnh.\n"
        "- Thời gian thực hiện: Hoàn thành trước ngày 30/9/2025.\n"
        "2. Nâng cấp\n"
        "- Nâng cấp máy chủ.\n"
    )
    d = extract(text)
    by = {t.text: t for t in d.tasks}
    t = by["Khảo sát hiện trạng hạ tầng phần cứng."]
    assert t.owner_kinds == ("collective",) and t.owners[0] == "các bệnh viện tỉnh Quảng Ngãi"
    assert t.deadline == "2025-09-30" and t.rule_id == "task.owner.section_attribute.v1"
    assert not any(x.startswith("Đơn vị thực hiện") for x in by)  # the line is no task
    assert by["Nâng cấp máy chủ."].owners == ()  # another section: its line doesn't reach


def test_group_header_with_role_words_owns_its_items() -> None:
    text = HEAD + (
        "1. Sở Công Thương chủ trì, phối hợp thực hiện\n"
        "a) Theo dõi nguồn cung hàng hóa.\n"
        "2. Các bệnh viện công lập và ngoài công lập trực thuộc\n"
        "a) Triển khai bệnh án điện tử.\n"
    )
    got = owners_by_text(text)
    assert got["Theo dõi nguồn cung hàng hóa."][0] == ("Sở Công Thương tỉnh Quảng Ngãi",)
    owners, kinds = got["Triển khai bệnh án điện tử."]
    assert kinds == ("collective",)
    assert owners == ("các bệnh viện công lập và ngoài công lập trực thuộc tỉnh Quảng Ngãi",)


# ---------------------------------------------------------------- collectives


@pytest.mark.parametrize(
    ("text", "province", "issuer", "expected"),
    [
        (
            "Đề nghị các sở, ban, ngành khẩn trương rà soát.",
            "Bắc Ninh",
            "UBND tỉnh Bắc Ninh",
            ["các sở, ban, ngành tỉnh Bắc Ninh"],
        ),
        (
            "Bộ Tài chính đề nghị các bộ, ngành, địa phương khẩn trương giải ngân.",
            None,
            "Bộ Tài chính",
            ["các bộ, ngành, địa phương"],
        ),
        (
            "Liên Bộ yêu cầu các thương nhân đầu mối kinh doanh xăng dầu giữ ổn định giá.",
            None,
            None,
            ["các thương nhân đầu mối kinh doanh xăng dầu"],
        ),
        (
            "Giao các đơn vị trực thuộc rà soát thủ tục.",
            None,
            "Bộ Công Thương",
            ["các đơn vị trực thuộc Bộ Công Thương"],
        ),
        (
            "Bộ Công an yêu cầu Công an các tỉnh, thành phố tăng cường kiểm tra.",
            None,
            "Bộ Công an",
            ["Công an các tỉnh, thành phố trực thuộc Trung ương"],
        ),
        (
            # a group that runs into a fixed row's group keeps its own words
            "Yêu cầu Thủ trưởng các cơ quan, đơn vị, địa phương, các Chủ đầu tư triển khai.",
            "Quảng Ngãi",
            "UBND tỉnh Quảng Ngãi",
            ["các cơ quan, đơn vị, địa phương tỉnh Quảng Ngãi", "các chủ đầu tư"],
        ),
        (
            "Giao Thống kê tỉnh, thành phố chủ trì rà soát số liệu.",
            None,
            "Bộ Tài chính",
            ["Thống kê các tỉnh, thành phố trực thuộc Trung ương"],
        ),
        (
            "Giao Trưởng Thuế các tỉnh, thành phố tập trung chỉ đạo.",
            None,
            "Cục Thuế",
            ["Thuế các tỉnh, thành phố trực thuộc Trung ương"],
        ),
        (
            "Đề nghị Kho bạc Nhà nước các huyện rà soát.",
            "Bắc Ninh",
            "Sở Tài chính tỉnh Bắc Ninh",
            ["Kho bạc Nhà nước các huyện tỉnh Bắc Ninh"],
        ),
        (
            "Trước ngày 18/10, các địa phương phải báo cáo.",
            "Hải Dương",
            "UBND tỉnh Hải Dương",
            ["các địa phương tỉnh Hải Dương"],
        ),
        (
            # "tổ chức" right after a class is the verb; after a comma it is a class
            "Giao các cơ quan, đơn vị tổ chức thực hiện; các cơ quan, tổ chức có liên quan "
            "phối hợp.",
            "Quảng Ngãi",
            "UBND tỉnh Quảng Ngãi",
            [
                "các cơ quan, đơn vị tỉnh Quảng Ngãi",
                "các cơ quan, tổ chức có liên quan tỉnh Quảng Ngãi",
            ],
        ),
    ],
)
def test_collectives_by_grammar(
    text: str, province: str | None, issuer: str | None, expected: list[str]
) -> None:
    got = [c.name for c in find_collectives(text, task_cues(), province=province, issuer=issuer)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sở Y tế rà soát các cơ sở khám bệnh.",  # "Sở Y tế" is the owner, not part of a group
        "Các Bộ: Tư pháp, Tài chính",  # the head of an enumeration
        "giảm các khoản chi thường xuyên",
    ],
)
def test_not_a_group_or_not_swallowing_the_owner(text: str) -> None:
    names = [c.name for c in find_collectives(text, task_cues(), province="Bắc Ninh")]
    assert not any(n.startswith(("Sở Y tế", "Các Bộ", "các khoản")) for n in names)


def test_group_jurisdictions() -> None:
    assert canonical_collective("UBND các huyện, thị xã", province="Bắc Ninh") == (
        "UBND các huyện, thị xã thuộc tỉnh Bắc Ninh"
    )
    assert canonical_collective("các sở, ngành liên quan", province="Hà Nội") == (
        "các sở, ngành liên quan thành phố Hà Nội"
    )
    # groups outside the state take the province of a provincial document as its area
    assert canonical_collective("các tổ chức, cá nhân có liên quan", province="Hà Nội") == (
        "các tổ chức, cá nhân có liên quan trên địa bàn thành phố Hà Nội"
    )
    assert canonical_collective("các doanh nghiệp viễn thông", province="Nghệ An") == (
        "các doanh nghiệp viễn thông trên địa bàn tỉnh Nghệ An"
    )
    assert canonical_collective("các doanh nghiệp viễn thông") == "các doanh nghiệp viễn thông"
    # a district's letter: its communes and offices are the district's, the departments
    # and the other districts the province's
    district = {"province": "Hậu Giang", "issuer": "UBND huyện Châu Thành"}
    assert canonical_collective("UBND các xã, thị trấn", **district) == (
        "UBND các xã, thị trấn thuộc huyện Châu Thành"
    )
    assert canonical_collective("các cơ quan, đơn vị có liên quan", **district) == (
        "các cơ quan, đơn vị có liên quan huyện Châu Thành"
    )
    assert (
        canonical_collective("các sở, ban, ngành", **district)
        == "các sở, ban, ngành tỉnh Hậu Giang"
    )
    # "Tỉnh" with a capital and no name is the document's own province
    (t,) = extract(
        "Trên cơ sở Kế hoạch này, các sở, ban, ngành Tỉnh tổ chức thực hiện nhiệm vụ được giao.",
        meta=(("province", "Đồng Tháp"),),
    ).tasks
    assert t.owners == ("các sở, ban, ngành tỉnh Đồng Tháp",)
    assert canonical_collective("UBND các huyện, thị xã", **district) == (
        "UBND các huyện, thị xã thuộc tỉnh Hậu Giang"
    )


def test_collective_membership() -> None:
    group = "UBND các tỉnh, thành phố trực thuộc Trung ương"
    assert collective_includes(group, "UBND tỉnh Đồng Nai")
    assert collective_includes(group, "UBND thành phố Hà Nội")
    assert not collective_includes(group, "Sở Y tế tỉnh Đồng Nai")
    assert collective_includes("các sở, ban, ngành tỉnh Bắc Ninh", "Sở Y tế tỉnh Bắc Ninh")
    assert not collective_includes("các sở, ban, ngành tỉnh Bắc Ninh", "Sở Y tế tỉnh Lạng Sơn")
    assert collective_includes("UBND các xã, phường thuộc tỉnh Phú Thọ", "UBND xã Tân Sơn")
    assert not collective_includes("các bộ, ngành, địa phương", "Công ty CP Cấp nước")
    # a body in every province: that body of each province, no other body
    tax = "Cục Thuế các tỉnh, thành phố trực thuộc Trung ương"
    assert collective_includes(tax, "Cục Thuế tỉnh Hưng Yên")
    assert collective_includes(tax, "Cục Thuế thành phố Cần Thơ")
    assert not collective_includes(tax, "Sở Tài chính tỉnh Hưng Yên")
    assert not collective_includes(tax, "UBND tỉnh Hưng Yên")


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "province", "issuer", "expected"),
    [
        (
            "Giao Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh khẩn trương",
            "Lào Cai",
            "UBND tỉnh Lào Cai",
            ["Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh Lào Cai"],
        ),
        (
            "Giao Văn phòng Bộ tổng hợp chung",
            None,
            "Bộ Văn hóa, Thể thao và Du lịch",
            ["Văn phòng Bộ Văn hóa, Thể thao và Du lịch"],
        ),
        ("2. Vụ Tổ chức cán bộ", None, "Bộ Y tế", ["Vụ Tổ chức cán bộ Bộ Y tế"]),
        (
            "Tổng Công ty Điện lực miền Trung chủ động cấp điện",
            "Quảng Ngãi",
            None,
            ["Tổng Công ty Điện lực miền Trung"],
        ),
        (
            "Trung tâm Công tác xã hội tỉnh bố trí",
            "Hà Nam",
            "UBND tỉnh Hà Nam",
            ["Trung tâm Công tác xã hội tỉnh Hà Nam"],
        ),
    ],
)
def test_names_by_grammar(
    text: str, province: str | None, issuer: str | None, expected: list[str]
) -> None:
    got = [s.norm for s in find_named_bodies(text, province=province, issuer=issuer)]
    assert got == expected


def test_a_standing_committee_is_no_body_named_thuong() -> None:
    # "Ban Thường trực Ủy ban MTTQ" is the committee's standing board, no "Ban Thường"
    names = [a.name for a in extract(
        "Ban Thường trực Ủy ban MTTQ Việt Nam xã Lương Minh ban hành kế hoạch.",
        meta=(("province", "Quảng Ninh"),),
    ).agencies]  # fmt: skip
    assert not any(n.startswith("Ban Thường ") and "trực" not in n for n in names), names


@pytest.mark.parametrize(
    "text",
    [
        "Phòng chống dịch bệnh",  # "Phòng" opens no name before a lower-case word
        "Ban hành kế hoạch",
        "UBND thành phố Hải Phòng, Thái Bình",  # "Phòng" ends a place name
        "Ban Quản lý phối hợp",  # a role word alone refers back to a body
        "Nơi nhận: Vụ KTTH, Cổng TTĐTCP",  # a recipient's code
    ],
)
def test_not_names(text: str) -> None:
    assert find_named_bodies(text, province="Hà Nội") == []


# ---------------------------------------------------------------- news


def test_reported_assignment_in_news() -> None:
    text = (
        "Hà Nội chỉ đạo xử lý nước rác\n"
        "Chủ tịch UBND TP Hà Nội vừa ký văn bản, yêu cầu các sở, ngành liên quan khẩn trương "
        "xử lý nước rác tại bãi rác Nam Sơn.\n"
    )
    d = extract(text, meta=(("published", "2023-10-02"),))
    (t,) = d.tasks
    assert str(d.doc.kind) == "news"
    assert t.owner_kinds == ("collective",)
    assert t.owners == ("các sở, ngành liên quan thành phố Hà Nội",)
    assert t.assigned_by is not None


def test_a_district_report_gives_its_groups_the_district() -> None:
    text = (
        "HUYỆN THUẬN BẮC TỔ CHỨC LẤY Ý KIẾN QUY HOẠCH SỬ DỤNG ĐẤT\n"
        "Phát biểu kết luận cuộc họp, Phó Chủ tịch UBND huyện yêu cầu các cơ quan, đơn vị, "
        "các ngành có liên quan và UBND các xã khẩn trương hoàn chỉnh báo cáo quy hoạch.\n"
    )
    (t,) = extract(text, meta=(("province", "Ninh Thuận"),)).tasks
    assert t.owners == (
        "các cơ quan, đơn vị, các ngành có liên quan huyện Thuận Bắc",
        "UBND các xã thuộc huyện Thuận Bắc",
    )


def test_groups_called_by_their_initials() -> None:
    (t,) = extract("Đề nghị các HTX trên địa bàn rà soát.", meta=(("province", "Bắc Ninh"),)).tasks
    assert t.owners == ("các hợp tác xã trên địa bàn tỉnh Bắc Ninh",)
    (t,) = extract(
        "CIC nâng cao chất lượng\n\nVề phía các TCTD, Phó Thống đốc yêu cầu nghiêm túc thực "
        "hiện Thông tư 15.",
        meta=(("published", "2025-01-01"),),
    ).tasks
    assert t.owners == ("các tổ chức tín dụng",)


def test_news_items_under_a_reported_request_are_its_addressees_tasks() -> None:
    text = (
        "Chủ động ứng phó với cơn bão số 6\n\n"
        "Ngày 9/11, UBND tỉnh ban hành văn bản yêu cầu các sở, ban, ngành chủ động ứng phó "
        "với cơn bão số 6:\n\n"
        "1. Khẩn trương triển khai thực hiện nghiêm Công điện số 1512/CĐ-TTg ngày 08/11/2019.\n\n"
    )
    d = extract(text, meta=(("published", "2019-11-10"), ("province", "Đắk Nông")))
    assert [t.owners for t in d.tasks][-1] == ("các sở, ban, ngành tỉnh Đắk Nông",)
    assert d.tasks[-1].text.startswith("Khẩn trương")


def test_news_speaker_colon_and_semicolon_clauses() -> None:
    # a speaker's words after "đề nghị:" are directives; each "; ..." with a body or an
    # action opens the next one, and a clause without a subject keeps the previous owner
    text = (
        "Huyện Tân Yên họp giao ban tháng 3\n"
        "Kết luận cuộc họp, Chủ tịch UBND huyện đề nghị: các xã, thị trấn tiếp tục vận động "
        "nhân dân trồng rừng theo kế hoạch; đẩy nhanh tiến độ các mô hình điểm để nhân rộng; "
        "Sở Y tế tăng cường kiểm tra an toàn thực phẩm.\n"
    )
    d = extract(text, meta=(("published", "2023-03-20"), ("province", "Bắc Giang")))
    assert str(d.doc.kind) == "news"
    got = [(t.text.split()[0], t.rule_id) for t in d.tasks]
    assert got == [
        ("các", "task.owner.subject.v1"),
        ("đẩy", "task.owner.inherited.v1"),
        ("Sở", "task.owner.subject.v1"),
    ]
    assert d.tasks[0].owners == d.tasks[1].owners
    assert d.tasks[0].assigned_by == "Chủ tịch UBND huyện"
    # in an official text the same sentence stays one task
    official = extract("Số: 12/TB-UBND\n" + text.split("\n", 1)[1])
    assert len(official.tasks) <= 1


def test_recounted_request_in_an_official_text_is_background() -> None:
    text = HEAD + (
        "Bộ Nội vụ đã có Văn bản số 8091/BNV-TCBC ngày 17/9/2025 đề nghị các bộ, ngành, "
        "địa phương rà soát biên chế.\n"
    )
    assert extract(text).tasks == ()


def test_petition_to_the_prime_minister_is_no_task() -> None:
    text = HEAD + (
        "Đại biểu Quốc hội có thư gửi Thủ tướng Chính phủ, trong đó đề nghị Thủ tướng Chính "
        "phủ chỉ đạo tiếp tục truyền thông.\n"
    )
    assert extract(text).tasks == ()


# ---------------------------------------------------------------- attached parts, tables

DECISION = (
    "THỦ TƯỚNG CHÍNH PHỦ\nSố: 222/QĐ-TTg\nHà Nội, ngày 23 tháng 01 năm 2025\nQUYẾT ĐỊNH\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch hành động.\n"
    "Điều 2. Quyết định này có hiệu lực từ ngày ký.\n"
    "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nTrần Hồng Hà\n"
)


def test_the_plan_a_decision_issues_is_read_after_its_signature() -> None:
    text = DECISION + (
        "KẾ HOẠCH\nHành động quốc gia\n1. Bộ Tài chính\n- Bố trí kinh phí thực hiện Kế hoạch.\n"
    )
    (t,) = extract(text).tasks
    assert t.owners == ("Bộ Tài chính",) and t.text == "Bố trí kinh phí thực hiện Kế hoạch."
    # without the attached part, nothing after the signature is a task
    assert extract(DECISION).tasks == ()


def test_an_attached_plan_whose_heading_and_aims_ocr_read_without_marks() -> None:
    # OCR lost marks in the capitals: "KE HOẠCH" still opens the attached plan, and
    # "MỤC TIỂU, YEU CAU" is still the part of aims, whose items are no tasks
    text = DECISION + (
        "KE HOẠCH\nHành động quốc gia\nI. MỤC TIỂU, YEU CAU\n"
        "1. Muc tiéu\na) Triển khai đồng bộ Quy hoạch trên cả nước.\n"
        "II. TO CHỨC THỰC HIEN\n1. Bộ Tài chính\na) Bố trí kinh phí thực hiện Kế hoạch.\n"
    )
    (t,) = extract(text).tasks
    assert t.owners == ("Bộ Tài chính",) and t.text == "Bố trí kinh phí thực hiện Kế hoạch."


def test_conclusions_of_a_meeting_with_a_province_are_its_work() -> None:
    head = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 1/TB-VPCP\nHà Nội, ngày 24 tháng 11 năm 2025\nTHÔNG BÁO\n"
        "Kết luận của Phó Thủ tướng tại buổi làm việc với lãnh đạo tỉnh Phú Thọ\n"
        "Ngày 18 tháng 11 năm 2025, Phó Thủ tướng đã làm việc với lãnh đạo tỉnh Phú Thọ. "
        "Phó Thủ tướng kết luận như sau:\n"
    )
    body = (
        "II. MỘT SỐ NHIỆM VỤ TRONG THỜI GIAN TỚI\n"
        "1. Rà soát, điều chỉnh quy hoạch tỉnh cho phù hợp.\n"
        "2. Giao Bộ Tài chính hướng dẫn Tỉnh về vốn đầu tư công.\n"
    )
    first, second = extract(head + body).tasks
    assert first.owners == ("UBND tỉnh Phú Thọ",) and first.rule_id == "task.owner.meeting_host.v1"
    assert second.owners == ("Bộ Tài chính",)
    # a meeting with bodies that are no locality names no host: the item stays unknown
    other = head.replace("lãnh đạo tỉnh Phú Thọ", "các bộ, ngành")
    assert extract(other + body).tasks[0].owners == ()


def test_a_national_steering_committee_in_hanoi_names_no_province() -> None:
    text = (
        "BAN CHỈ ĐẠO QUỐC GIA VỀ TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ\nSố: 252/KH-BCĐQG1237\n"
        "Hà Nội, ngày 11 tháng 11 năm 2013\nKẾ HOẠCH\nTriển khai Đề án\n"
        "1. Các địa phương rà soát, đánh giá lại tình hình tìm kiếm, quy tập hài cốt liệt sĩ.\n"
    )
    d = extract(text)
    assert d.doc.province is None
    assert d.tasks[0].owners == ("các địa phương",)
    # a body that says it is national takes no province, even where the text implies one
    d = extract("Hà Nội, ngày 11 tháng 11 năm 2013\nGiao Ban Tuyên giáo Trung ương tuyên truyền.")
    assert d.doc.province == "Hà Nội"
    assert [a.name for a in d.agencies] == ["Ban Tuyên giáo Trung ương"]


def test_owners_listed_as_items_under_a_label_after_the_work() -> None:
    # "1. Nội dung" with the work, then "2. Cơ quan chủ trì, phối hợp" whose "a)" and "b)"
    # list the bodies: every item of the section has those owners and partners
    text = (
        "BỘ QUỐC PHÒNG\nSố: 1/KH-BQP\nHà Nội, ngày 11 tháng 11 năm 2013\nKẾ HOẠCH\n"
        "III. ĐẨY MẠNH THÔNG TIN, TUYÊN TRUYỀN\n1. Nội dung, biện pháp\n"
        "a) Lập các chuyên trang, chuyên mục về công tác tìm kiếm;\n"
        "b) Tổ chức các diễn đàn, trao đổi, chia sẻ thông tin.\n"
        "2. Cơ quan chủ trì, phối hợp\na) Cơ quan chủ trì\n"
        "- Bộ Thông tin và Truyền thông; Bộ Ngoại giao.\n"
        "b) Cơ quan phối hợp\n- Bộ Tài chính.\n"
        "- Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp.\n"
        "3. Thời gian thực hiện: Từ tháng 11/2013 trở đi.\n"
    )
    tasks = extract(text).tasks
    assert [t.text for t in tasks] == [
        "Lập các chuyên trang, chuyên mục về công tác tìm kiếm",
        "Tổ chức các diễn đàn, trao đổi, chia sẻ thông tin.",
    ]
    for t in tasks:
        assert t.owners == ("Bộ Thông tin và Truyền thông", "Bộ Ngoại giao")
        # "... các cấp" is a group: listed as written, as the gold lists partner groups
        # (corpus/NOTES-cooperating-groups.md)
        assert t.cooperating == (
            "Bộ Tài chính",
            "Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp",
        )


def test_a_deadline_that_closes_an_item_is_its_tasks() -> None:
    text = (
        "Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương:\n"
        "a) Khẩn trương rà soát toàn diện các dự án trên Hệ thống 751. Đối với các giải pháp "
        "khác phải cụ thể mục tiêu tháo gỡ từng dự án, hoàn thành dứt điểm\n"
        "trước ngày 14 tháng 10 năm 2025;\n"
        "b) Bộ Tài chính tổng hợp danh sách các địa phương chưa hoàn thành.\n"
    )
    first, second = extract(text).tasks
    assert first.text.startswith("Khẩn trương") and first.deadline == "2025-10-14"
    assert second.owners == ("Bộ Tài chính",) and second.deadline is None


def test_a_head_of_an_inspectorate_and_a_youth_union_named_with_its_province() -> None:
    d = extract(
        "1. Giao Chánh Thanh tra tỉnh kiểm tra việc thực hiện.\n"
        "2. Tỉnh đoàn Quảng Ngãi: Chỉ đạo Đoàn Thanh niên các cấp tổ chức hoạt động tình nguyện.\n",
        meta=(("province", "Quảng Ngãi"),),
    )
    assert [t.owners for t in d.tasks] == [
        ("Thanh tra tỉnh Quảng Ngãi",),
        ("Tỉnh đoàn Quảng Ngãi",),
    ]


def test_work_named_as_a_noun_with_its_owner_in_the_passive() -> None:
    (t,) = extract(
        "Việc rà soát quy hoạch do Sở Xây dựng chủ trì thực hiện, hoàn thành trước ngày 30/6/2025.",
        meta=(("province", "Bắc Ninh"),),
    ).tasks
    assert (t.owners, t.deadline) == (("Sở Xây dựng tỉnh Bắc Ninh",), "2025-06-30")
    # an account of what was done is no task
    assert extract("Hội nghị do Sở Xây dựng chủ trì đã diễn ra thành công.").tasks == ()


def test_a_peoples_council_supervises_its_resolution() -> None:
    (t,) = extract(
        "Thường trực HĐND tỉnh, các Ban HĐND tỉnh, các Tổ đại biểu HĐND tỉnh và đại biểu HĐND "
        "tỉnh trong phạm vi nhiệm vụ, quyền hạn của mình có trách nhiệm giám sát việc thực hiện "
        "Nghị quyết.",
        meta=(("province", "Gia Lai"),),
    ).tasks
    assert t.owners == (
        "Thường trực HĐND tỉnh Gia Lai",
        "các Ban HĐND tỉnh Gia Lai",
        "các Tổ đại biểu HĐND tỉnh Gia Lai",
        "đại biểu HĐND tỉnh Gia Lai",
    )
    assert t.owner_kinds == ("agency", "collective", "collective", "collective")


def test_a_councils_requests_of_its_peoples_committee() -> None:
    text = (
        "Hội đồng nhân dân tỉnh đề nghị Ủy ban nhân dân tỉnh quan tâm chỉ đạo thực hiện một số "
        "công việc sau:\n1. Về lĩnh vực Tài nguyên Môi trường:\n"
        "- Chỉ đạo Sở Tài nguyên và Môi trường: Thường xuyên kiểm tra việc khai thác khoáng sản.\n"
        "- Xem xét sớm phê duyệt quy hoạch sử dụng đất.\n"
    )
    d = extract(text, meta=(("province", "Hà Giang"),))
    # "tỉnh quan tâm" is no "quận" ("quan" is its fold too), "tính toán" no "tỉnh"
    (t,) = extract(
        "Sở Tài chính tính toán, cân đối nguồn vốn cho dự án.", meta=(("province", "Hà Giang"),)
    ).tasks
    assert t.owners == ("Sở Tài chính tỉnh Hà Giang",)
    # (a typo's "tinh" before a place's name still reads as "tỉnh")
    assert [a.name for a in extract("Ủy ban nhân dân tinh Sơn La báo cáo.").agencies] == [
        "UBND tỉnh Sơn La"
    ]
    assert [t.owners for t in d.tasks] == [
        ("Sở Tài nguyên và Môi trường tỉnh Hà Giang",),
        ("UBND tỉnh Hà Giang",),
    ]


def test_a_request_of_the_addressee_by_an_honorific() -> None:
    text = (
        "BỘ TÀI CHÍNH\nSố: 1234/BTC-NSNN\nV/v báo cáo tình hình\nHà Nội, ngày 10 tháng 3 năm 2025\n"
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n"
        "Để có cơ sở tổng hợp, Bộ Tài chính đề nghị Quý Ủy ban chỉ đạo các cơ quan liên quan báo "
        "cáo tình hình thực hiện dự toán, gửi về Bộ Tài chính trước ngày 30/3/2025.\n"
    )
    (t,) = extract(text).tasks
    assert (t.owners, t.deadline) == (
        ("UBND các tỉnh, thành phố trực thuộc Trung ương",),
        "2025-03-30",
    )


def test_a_letter_to_one_company_asks_it_by_its_kind() -> None:
    text = (
        "SỞ CÔNG THƯƠNG TỈNH NGHỆ AN\nSố: 55/SCT-QLCN\nNghệ An, ngày 10 tháng 3 năm 2025\n"
        "Kính gửi: Công ty Cổ phần Mía đường Sông Lam\n"
        "Sở Công Thương đề nghị Công ty khẩn trương rà soát hệ thống xử lý nước thải, báo cáo "
        "kết quả trước ngày 30/4/2025.\n"
    )
    d = extract(text)
    assert [o.name for o in d.organizations] == ["Công ty Cổ phần Mía đường Sông Lam"]
    (t,) = d.tasks
    assert (t.owners, t.owner_kinds) == (
        ("Công ty Cổ phần Mía đường Sông Lam",),
        ("organization",),
    )


def test_task_table_rows_are_tasks() -> None:
    text = DECISION + (
        "Phụ lục I\n"
        "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Giai đoạn thực hiện\n"
        "1 | NÂNG CAO NHẬN THỨC\n"
        "1.1 | Xây dựng khung hướng dẫn | Bộ Tài nguyên và Môi trường | Bộ Tài chính"
        " | 2025 - 2026\n"
        "|  | - Các bộ, cơ quan ngang bộ - Ủy ban nhân dân cấp tỉnh |  | 2025 - 2030\n"
    )
    tasks = extract(text).tasks
    assert [t.text for t in tasks] == ["Xây dựng khung hướng dẫn"] * 2
    first, second = tasks
    assert first.owners == ("Bộ Tài nguyên và Môi trường",)
    assert first.cooperating == ("Bộ Tài chính",) and first.deadline == "2026-12-31"
    assert first.rule_id == "task.owner.table.v1"
    assert second.owner_kinds[0] == "collective" and second.deadline == "2030-12-31"
    for t in tasks:
        assert text[t.start : t.end] == t.text


# ------------------------------------------- directives to named addressees

TTG = "THỦ TƯỚNG CHÍNH PHỦ\nSố: 30/CT-TTg\nHà Nội, ngày 06 tháng 10 năm 2025\nCHỈ THỊ\n"


def test_headers_that_list_owners_in_full() -> None:
    text = TTG + (
        "Để bảo đảm cung cấp than cho sản xuất điện, Thủ tướng Chính phủ chỉ thị các bộ,"
        " ngành, địa phương và doanh nghiệp liên quan theo chức năng, nhiệm vụ được giao:\n"
        "1. Các nhiệm vụ chung\n"
        "- Tăng cường kiểm tra hoạt động kinh doanh than.\n"
        "2. Bộ trưởng Bộ Công Thương\n"
        "- Theo dõi tình hình cung cấp than.\n"
        "3. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương có\n"
        "hoạt động sản xuất, kinh doanh than\n"
        "- Sắp xếp các bến cảng, kho bãi kinh doanh than.\n"
        "4. Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam, Binh đoàn 19\n"
        "(Tổng công ty Đông Bắc) và các đơn vị được phép khai thác than\n"
        "- Thực hiện các biện pháp quản trị doanh nghiệp.\n"
        "5. Chủ đầu tư nhà máy nhiệt điện than\n"
        "- Chuẩn bị cơ sở hạ tầng tiếp nhận than.\n"
        "6. Nâng cao năng lực dự báo\n"
        "- Xây dựng mô hình dự báo nhu cầu than.\n"
    )
    got = owners_by_text(text)
    # a topic section of a directive: the bodies its lead addresses
    assert got["Tăng cường kiểm tra hoạt động kinh doanh than."] == (
        ("các bộ, ngành, địa phương và doanh nghiệp liên quan",),
        ("collective",),
    )
    assert got["Theo dõi tình hình cung cấp than."][0] == ("Bộ Công Thương",)
    # a group runs on over its qualifier
    owners, kinds = got["Sắp xếp các bến cảng, kho bãi kinh doanh than."]
    assert owners[0].startswith("UBND các tỉnh, thành phố trực thuộc")
    assert owners[0].endswith("có hoạt động sản xuất, kinh doanh than") and kinds == ("collective",)
    # names nobody listed, with their bracket, and a group
    assert got["Thực hiện các biện pháp quản trị doanh nghiệp."] == (
        (
            "Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam",
            "Binh đoàn 19 (Tổng công ty Đông Bắc)",
            "các đơn vị được phép khai thác than",
        ),
        ("organization", "organization", "collective"),
    )
    # a role stands for everyone who holds it
    assert got["Chuẩn bị cơ sở hạ tầng tiếp nhận than."] == (
        ("Chủ đầu tư nhà máy nhiệt điện than",),
        ("collective",),
    )
    # twin: a topic header names nobody; its items go to the addressees, not to it
    assert got["Xây dựng mô hình dự báo nhu cầu than."][0] == (
        "các bộ, ngành, địa phương và doanh nghiệp liên quan",
    )


def test_a_topic_section_without_an_addressed_lead_stays_unknown() -> None:
    text = TTG + (
        "Thủ tướng Chính phủ yêu cầu như sau:\n"
        "1. Các nhiệm vụ chung\n"
        "- Tăng cường kiểm tra hoạt động kinh doanh than.\n"
    )
    got = owners_by_text(text)
    assert got["Tăng cường kiểm tra hoạt động kinh doanh than."][0] == ()


def test_a_footnote_left_by_a_page_break_does_not_cut_a_lead_from_its_items() -> None:
    text = TTG + (
        "Thực hiện các Nghị quyết của Bộ Chính trị, Quốc hội, Chính phủ¹, Thủ tướng Chính phủ"
        " chỉ thị các bộ, ngành, địa phương và doanh nghiệp liên quan:\n"
        "_______________\n"
        "¹ Các Nghị quyết: số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển\n"
        "khoa học công nghệ; số 68-NQ/TW ngày 04/5/2025 của Bộ Chính trị.\n"
        "1. Các nhiệm vụ chung\n"
        "- Tăng cường kiểm tra hoạt động kinh doanh than.\n"
    )
    d = extract(text)
    by = {t.text: t for t in d.tasks}
    assert by["Tăng cường kiểm tra hoạt động kinh doanh than."].owners == (
        "các bộ, ngành, địa phương và doanh nghiệp liên quan",
    )
    assert not any("Nghị quyết" in t.text for t in d.tasks)
    assert {r.number for r in d.legal_refs} >= {"57-NQ/TW", "68-NQ/TW"}  # still cited


BN = "UBND TỈNH BẮC NINH\nSố: 141/KH-UBND\nBắc Ninh, ngày 10 tháng 3 năm 2025\nKẾ HOẠCH\n"


def test_a_header_of_several_groups_gives_each_group() -> None:
    text = HEAD + (
        "II. NHIỆM VỤ\n"
        "1. Thủ trưởng các sở, ban ngành tỉnh, Chủ tịch UBND cấp huyện, các\n"
        "đơn vị sự nghiệp, doanh nghiệp Nhà nước thuộc UBND tỉnh\n"
        "a) Tiếp tục quán triệt các quy định về phòng, chống tham nhũng.\n"
    )
    owners, kinds = owners_by_text(text)[
        "Tiếp tục quán triệt các quy định về phòng, chống tham nhũng."
    ]
    assert owners == (
        "các sở, ban ngành tỉnh Quảng Ngãi",
        "UBND cấp huyện thuộc tỉnh Quảng Ngãi",
        "các đơn vị sự nghiệp, doanh nghiệp Nhà nước thuộc UBND tỉnh Quảng Ngãi",
    )
    assert kinds == ("collective",) * 3
    # twin: one group with its commas stays one group
    text = HEAD + "II. NHIỆM VỤ\n1. Các sở, ban, ngành tỉnh\na) Rà soát các thủ tục hành chính.\n"
    assert owners_by_text(text)["Rà soát các thủ tục hành chính."][0] == (
        "các sở, ban, ngành tỉnh Quảng Ngãi",
    )


def test_attributes_written_under_an_item_belong_to_that_item() -> None:
    text = BN + (
        "III. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Rà soát,\n"
        "kiện toàn đội ngũ cán bộ, công chức xây dựng pháp luật\n"
        "- Thường xuyên rà soát, kiện toàn đội ngũ cán bộ, công chức.\n"
        "Đơn vị chủ trì thực hiện: Các\n"
        "Sở, ngành, đơn vị, UBND cấp xã.\n"
        "Đơn vị phối hợp: Sở Nội vụ, Sở Tư pháp.\n"
        "- Tổ chức tập huấn, bồi dưỡng kiến thức xây dựng pháp luật.\n"
        "Đơn vị chủ trì tham mưu thực\n"
        "hiện: Sở Tư pháp.\n"
    )
    d = extract(text)
    by = {t.text: t for t in d.tasks}
    first = by["Thường xuyên rà soát, kiện toàn đội ngũ cán bộ, công chức."]
    assert first.owners == (
        "các Sở, ngành, đơn vị tỉnh Bắc Ninh",
        "UBND cấp xã thuộc tỉnh Bắc Ninh",
    )
    assert set(first.cooperating) == {"Sở Nội vụ tỉnh Bắc Ninh", "Sở Tư pháp tỉnh Bắc Ninh"}
    second = by["Tổ chức tập huấn, bồi dưỡng kiến thức xây dựng pháp luật."]
    assert second.owners == ("Sở Tư pháp tỉnh Bắc Ninh",)
    # the wrapped value of an attribute is no task of its own
    assert not any(t.text.startswith("Sở, ngành") for t in d.tasks)


def test_a_region_narrows_a_group_and_a_stressed_part_keeps_the_verb() -> None:
    text = TTG + (
        "2. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố ven biển, nhất là khu vực từ Quảng Ninh"
        " đến Ninh Bình chỉ đạo triển khai công tác bảo đảm an toàn cho tàu thuyền.\n"
        "3. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chỉ đạo rà soát"
        " các hồ chứa.\n"
    )
    d = extract(text)
    owners = [t.owners for t in d.tasks]
    assert ("UBND các tỉnh, thành phố ven biển",) in owners
    assert ("UBND các tỉnh, thành phố trực thuộc Trung ương",) in owners


# ------------------------------------------------ organizations as owners

VPCP = "VĂN PHÒNG CHÍNH PHỦ\nSố: 541/TB-VPCP\nHà Nội, ngày 20 tháng 9 năm 2025\nTHÔNG BÁO\n"


def test_a_body_of_the_district_named_without_its_place_in_the_districts_letter() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\nSố: 476/UBND\nChâu Thành, ngày 14 tháng 6 năm 2017\n"
        "V/v phòng chống sốt xuất huyết\nGiao Trung tâm Y tế huyện chủ trì triển khai Kế hoạch.\n"
    )
    d = extract(text, meta=(("province", "Hậu Giang"),))
    assert d.doc.issuer == "UBND huyện Châu Thành"
    assert d.tasks[0].owners == ("Trung tâm Y tế huyện Châu Thành",)


def test_a_communes_plan_gives_its_bodies_and_groups_the_commune() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nXÃ LƯƠNG MINH\nSố: 16/KH-UBND\nLương Minh, ngày 10 tháng 9 năm 2025\n"
        "KẾ HOẠCH\nTổ chức bầu cử\n"
        "1. Công an xã chủ trì bảo đảm an ninh trật tự.\n"
        "2. Các ban, ngành, đoàn thể xã tuyên truyền về bầu cử.\n"
        "3. Ban Chỉ huy Quân sự xã phối hợp bảo vệ.\n"
        "4. Liên minh Hợp tác xã tỉnh hỗ trợ các hợp tác xã.\n"
    )
    d = extract(text, meta=(("province", "Quảng Ninh"),))
    assert d.doc.issuer == "UBND xã Lương Minh"
    assert [t.owners for t in d.tasks] == [
        ("Công an xã Lương Minh",),
        ("các ban, ngành, đoàn thể xã Lương Minh",),
        ("Ban Chỉ huy Quân sự xã Lương Minh",),
        ("Liên minh Hợp tác xã tỉnh Quảng Ninh",),  # a cooperative's "xã" is no commune
    ]


def test_a_front_committees_plan_for_its_commune() -> None:
    text = (
        "ỦY BAN MTTQ VIỆT NAM\nXÃ PHÚ LỘC\nBAN THƯỜNG TRỰC\nSố: 16/KH-MTTQ-BTT\n"
        "Phú Lộc, ngày 10 tháng 9 năm 2025\nKẾ HOẠCH\nTổ chức Ngày hội Đại đoàn kết\n"
        "III. TỔ CHỨC THỰC HIỆN\n1. Ban Thường trực Ủy ban MTTQ xã:\n"
        "- Xây dựng kế hoạch, hướng dẫn tổ chức Ngày hội.\n"
        "2. Các tổ chức chính trị - xã hội xã:\n- Tuyên truyền, vận động hội viên tham gia.\n"
    )
    d = extract(text, meta=(("province", "Quảng Ninh"),))
    assert d.doc.issuer == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Phú Lộc"
    assert [t.owners for t in d.tasks] == [
        ("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Phú Lộc",),
        ("các tổ chức chính trị - xã hội xã Phú Lộc",),
    ]


def test_a_districts_offices_and_the_issuer_a_portal_page_names() -> None:
    text = (
        "Chỉ đạo giải quyết các vụ việc\n\nNgày 29/12/2017, Chủ tịch UBND huyện Mộ Đức ban hành "
        "Công văn số 1423/UBND-NC về việc giao nhiệm vụ cho các cơ quan.\n"
        "1. Giao phòng TN&MT huyện tham mưu xử lý việc bao chiếm đất nghĩa trang.\n"
        "2. Giao Phòng Tài chính - Kế hoạch phối hợp với Phòng GD&ĐT rà soát kinh phí.\n"
    )
    d = extract(text, meta=(("province", "Quảng Ngãi"),))
    assert d.doc.issuer == "UBND huyện Mộ Đức"  # not the province's, as "UBND-NC" alone says
    assert [(t.owners, t.cooperating) for t in d.tasks] == [
        (("Phòng Tài nguyên và Môi trường huyện Mộ Đức",), ()),
        (
            ("Phòng Tài chính - Kế hoạch huyện Mộ Đức",),
            ("Phòng Giáo dục và Đào tạo huyện Mộ Đức",),
        ),
    ]
    # a list of a province's departments is not read as a district's office
    names = [
        a.name
        for a in extract(
            "Giám đốc các Sở: Nội vụ, Tài chính, Kế hoạch và Đầu tư, Y tế thi hành.",
            meta=(("province", "Bình Định"),),
        ).agencies
    ]
    assert (
        "Sở Tài chính tỉnh Bình Định" in names and "Sở Kế hoạch và Đầu tư tỉnh Bình Định" in names
    )


@pytest.mark.parametrize(
    ("name", "owner"),
    [
        ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy Nghệ An"),
        ("Ủy ban Kiểm tra Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy Nghệ An"),
        (
            "Ban Chỉ huy Phòng chống thiên tai và Tìm kiếm cứu nạn tỉnh",
            "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh Nghệ An",
        ),
        (
            "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh",
            "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh Nghệ An",
        ),
        ("Công an các xã, phường", "Công an các xã, phường tỉnh Nghệ An"),
    ],
)
def test_provincial_bodies_named_as_offices_write_them(name: str, owner: str) -> None:
    d = extract(
        f"Giao {name} chủ trì triển khai thực hiện kế hoạch.", meta=(("province", "Nghệ An"),)
    )
    assert d.tasks[0].owners == (owner,)


def test_a_company_named_with_its_province_ends_before_its_verb() -> None:
    d = extract(
        "Tiếp thu ý kiến cử tri, Ủy ban nhân dân tỉnh giao Công ty Điện lực Tuyên Quang chỉ đạo "
        "Điện Lực các huyện khắc phục sự cố kịp thời.",
        meta=(("province", "Tuyên Quang"),),
    )
    assert [o.name for o in d.organizations] == ["Công ty Điện lực Tuyên Quang"]
    assert d.tasks[0].owners == ("Công ty Điện lực Tuyên Quang",)


def test_organizations_listed_under_one_head_and_called_by_their_letters() -> None:
    text = VPCP + (
        "Tham dự có lãnh đạo các Tập đoàn: Điện lực Việt Nam\n"
        "(EVN), Công nghiệp - Năng lượng Quốc gia Việt Nam (PVN), Công nghiệp Than\n"
        "- Khoáng sản Việt Nam, Chủ đầu tư các dự án.\n"
        "1. PVN tập trung triển khai các công việc của chiến dịch lắp đặt công trình.\n"
        "2. Công ty Điều hành Đường ống Tây Nam chủ động phối hợp với các địa phương.\n"
    )
    d = extract(text)
    orgs = {o.name for o in d.organizations}
    assert {
        "Tập đoàn Điện lực Việt Nam",
        "Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam",
        "Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam",
        "Công ty Điều hành Đường ống Tây Nam",
    } <= orgs
    assert not any("Chủ đầu tư" in o for o in orgs)  # a role ends the list
    got = owners_by_text(text)
    assert got["PVN tập trung triển khai các công việc của chiến dịch lắp đặt công trình."] == (
        ("Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam",),
        ("organization",),
    )
    assert got["Công ty Điều hành Đường ống Tây Nam chủ động phối hợp với các địa phương."] == (
        ("Công ty Điều hành Đường ống Tây Nam",),
        ("organization",),
    )
    # twin: letters nobody defined stay unresolved
    d = extract(VPCP + "1. XYZ tập trung triển khai công việc.\n")
    assert all("Tập đoàn" not in n for t in d.tasks for n in t.owners)


def test_a_company_name_runs_over_its_business_lines_and_stops_at_a_list() -> None:
    from extractors.agencies import find_organizations

    names = lambda t: [o.name for o in find_organizations(t)]  # noqa: E731
    assert names("Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi tiếp thu") == [
        "Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi"
    ]
    # twin: a list of companies stays a list (a branch, "Viettel Quảng Ngãi", is
    # not the group; "VNPT" alone is)
    assert names("Công ty Điện lực Quảng Ngãi, Viettel Quảng Ngãi và VNPT") == [
        "Công ty Điện lực Quảng Ngãi",
        "Tập đoàn Bưu chính Viễn thông Việt Nam",
    ]


def test_a_title_over_an_enumeration_head() -> None:
    text = (
        "Thủ tướng yêu cầu Bộ trưởng các Bộ: Quốc phòng, Công an, Y tế; Chủ tịch Ủy ban"
        " Nhân dân các tỉnh, thành phố ven biển từ Đà Nẵng đến Lâm Đồng tổ chức theo dõi"
        " sát diễn biến tình hình bão số 15."
    )
    (task,) = extract(text).tasks
    assert task.owners == (
        "Bộ Quốc phòng",
        "Bộ Công an",
        "Bộ Y tế",
        "UBND các tỉnh, thành phố ven biển từ Đà Nẵng đến Lâm Đồng",
    )


def test_news_reports_a_leaders_order_and_a_body_directing_keeps_its_task() -> None:
    news = (("published", "2024-01-01"),)
    d = extract("Chủ tịch UBND tỉnh Thanh Hóa chỉ đạo Sở Y tế khẩn trương rà soát.", meta=news)
    assert [t.owners for t in d.tasks] == [("Sở Y tế tỉnh Thanh Hóa",)]
    d = extract(
        "Thủ tướng đặc biệt lưu ý Chủ tịch UBND các tỉnh, thành phố ven biển – nhất là Thanh"
        " Hóa, Nghệ An tổ chức sơ tán dân.",
        meta=news,
    )
    assert [t.owners for t in d.tasks] == [("UBND các tỉnh, thành phố ven biển",)]
    # twin: a body directing others owns the direction itself
    d = extract("Bộ Công Thương chỉ đạo các địa phương rà soát nguồn cung.")
    assert [t.owners for t in d.tasks] == [("Bộ Công Thương",)]


# ---------------------------------------------------------------- agencies


def test_a_footnote_lists_the_provinces_of_a_group() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n"
        "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố khu vực Bắc Bộ và\n"
        "Bắc Trung Bộ¹;\n- Bộ Quốc phòng.\n\n"
        "¹ Quảng Ninh, Hải Phòng, Thanh Hóa.\n"
    )
    d = extract(text)
    names = {a.name for a in d.agencies}
    assert {"UBND tỉnh Quảng Ninh", "UBND thành phố Hải Phòng", "UBND tỉnh Thanh Hóa"} <= names
    for a in d.agencies:
        for m in a.mentions:
            assert text[m.start : m.end] == m.text
    # twin: a footnote that lists documents names no province
    text = "- Chủ tịch UBND các tỉnh ven biển¹.\n\n¹ Công văn số 12/UBND-KT, Quyết định 5.\n"
    assert not any(a.name.startswith("UBND tỉnh") for a in extract(text).agencies)


def test_party_and_press_bodies_and_a_name_that_ends_before_a_second_body() -> None:
    text = (
        "Nơi nhận:\n- Ban Bí thư Trung ương Đảng;\n- Văn phòng Trung ương và các Ban của Đảng;\n"
        "- Thông tấn xã Việt Nam, Đài Tiếng nói Việt Nam;\n"
        "- Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia.\n"
    )
    names = {a.name for a in extract(text).agencies}
    assert {
        "Ban Bí thư",
        "Văn phòng Trung ương Đảng",
        "Thông tấn xã Việt Nam",
        "Đài Tiếng nói Việt Nam",
        "Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia",
    } <= names
    assert not any(n.endswith(" và các") for n in names)


@pytest.mark.parametrize(
    ("item", "owners"),
    [
        (
            "Sở Kế hoạch - Đầu tư, Sở Tài chính theo chức năng, nhiệm vụ tích cực hướng dẫn các"
            " cơ quan thực hiện.",
            ("Sở Kế hoạch và Đầu tư tỉnh Quảng Ngãi", "Sở Tài chính tỉnh Quảng Ngãi"),
        ),
        (
            "Thủ trưởng các sở, ngành của tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố"
            " trong phạm vi chức năng, nhiệm vụ được giao có trách nhiệm triển khai thực hiện"
            " Chỉ thị này.",
            ("các sở, ngành tỉnh Quảng Ngãi", "UBND các huyện, thành phố thuộc tỉnh Quảng Ngãi"),
        ),
        (
            "Các bộ, cơ quan ngang bộ, Ủy ban nhân dân cấp tỉnh và các cơ quan liên quan theo chức"
            " năng, nhiệm vụ được giao tổ chức thực hiện Kế hoạch.",
            (
                "các bộ, cơ quan ngang bộ",
                "UBND các tỉnh, thành phố trực thuộc Trung ương",
                "các cơ quan liên quan tỉnh Quảng Ngãi",
            ),
        ),
    ],
)
def test_owners_then_their_remit_then_the_verb(item: str, owners: tuple[str, ...]) -> None:
    (task,) = extract(HEAD + "1. " + item + "\n").tasks
    assert task.owners == owners


def test_a_remit_without_a_verb_after_it_is_no_task() -> None:
    assert extract(HEAD + "1. Sở Tài chính theo chức năng, nhiệm vụ được giao.\n").tasks == ()


HN = "UBND THÀNH PHỐ HÀ NỘI\nSố: 144/KH-UBND\nHà Nội, ngày 10 tháng 3 năm 2025\nKẾ HOẠCH\n"


@pytest.mark.parametrize(
    ("item", "owner"),
    [
        (
            "Các bệnh viện trên toàn Thành phố thực hiện Kế hoạch triển khai bệnh án điện tử.",
            "các bệnh viện trên toàn Thành phố Hà Nội",
        ),
        (
            "Thủ trưởng/Giám đốc các cơ sở khám, chữa bệnh chỉ đạo chuẩn bị hồ sơ quy trình.",
            "các cơ sở khám, chữa bệnh thành phố Hà Nội",
        ),
        (
            "Các bệnh viện đa khoa, chuyên khoa trong và ngoài công lập đẩy nhanh tiến độ.",
            "các bệnh viện đa khoa, chuyên khoa trong và ngoài công lập thành phố Hà Nội",
        ),
    ],
)
def test_a_group_keeps_its_listed_modifiers(item: str, owner: str) -> None:
    (task,) = extract(HN + "1. " + item + "\n").tasks
    assert task.owners == (owner,)


def test_a_comma_after_the_group_before_an_adverb_ends_it() -> None:
    text = "Các đơn vị liên quan, khẩn trương rà soát hồ sơ."
    (group,) = find_collectives(text, task_cues(), province="Hà Nội")
    assert text[group.start : group.end] == "Các đơn vị liên quan"


def test_a_paragraph_stating_its_grounds_is_no_task_unless_it_assigns() -> None:
    text = HEAD + (
        "Thực hiện Quyết định số 2545/QĐ-TTg ngày 30/12/2016 của Thủ tướng Chính phủ phê duyệt"
        " Đề án phát triển thanh toán không dùng tiền mặt, triển khai thu nộp thuế điện tử.\n"
        "Thực hiện Kế hoạch số 12/KH-UBND, UBND tỉnh giao Sở Tài chính rà soát các khoản thu.\n"
    )
    texts = [t.text for t in extract(text).tasks]
    assert not any("2545" in t for t in texts)
    assert any(t.startswith("Thực hiện Kế hoạch số 12") for t in texts)


# ------------------------------------------------- headers nobody listed


QT = "UBND TỈNH QUẢNG TRỊ\nSố: 06/CT-UBND\nQuảng Trị, ngày 10 tháng 9 năm 2025\nCHỈ THỊ\n"


def test_header_of_an_unlisted_body_a_company_or_a_duty_owns_its_items() -> None:
    got = owners_by_text(
        QT
        + "1. Trung tâm Phục vụ hành chính công tỉnh:\n"
        + "- Rà soát quy trình tiếp nhận hồ sơ.\n"
        + "2. Tổng Công ty Điện lực miền Trung:\n"
        + "- Bảo đảm cấp điện an toàn.\n"
        + "3. Trách nhiệm của đối tượng thực hiện kiểm kê:\n"
        + "- Chuẩn bị hồ sơ tài sản.\n"
        + "4. Các chủ rừng là tổ chức (các Ban quản lý rừng phòng hộ)\n"
        + "- Thực hiện đầy đủ nghĩa vụ của chủ rừng.\n"
    )
    assert got["Rà soát quy trình tiếp nhận hồ sơ."] == (
        ("Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",),
        ("agency",),
    )
    assert got["Bảo đảm cấp điện an toàn."] == (
        ("Tổng Công ty Điện lực miền Trung",),
        ("organization",),
    )
    assert got["Chuẩn bị hồ sơ tài sản."][0] == ("đối tượng thực hiện kiểm kê tỉnh Quảng Trị",)
    assert got["Thực hiện đầy đủ nghĩa vụ của chủ rừng."][0] == (
        "các chủ rừng là tổ chức tỉnh Quảng Trị",
    )


def test_a_topic_header_owns_nothing() -> None:
    got = owners_by_text(
        QT
        + "1. Công tác tuyên truyền:\n"
        + "- Đẩy mạnh tuyên truyền pháp luật.\n"
        + "2. Các nhiệm vụ trọng tâm:\n"
        + "- Rà soát diện tích rừng bị lấn chiếm.\n"
        + "3. Ban hành kế hoạch:\n"
        + "- Xây dựng dự thảo kế hoạch.\n"
    )
    assert all(owners == () for owners, _k in got.values())


def test_named_special_zone_beside_the_communes_is_its_own_owner() -> None:
    got = owners_by_text(
        QT
        + "1. Ủy ban nhân dân các xã, phường, đặc khu Cồn Cỏ:\n"
        + "- Thực hiện trách nhiệm quản lý nhà nước về lâm nghiệp.\n"
        + "2. Ủy ban nhân dân các xã, phường, đặc khu tăng cường kiểm tra rừng.\n"
    )
    assert got["Thực hiện trách nhiệm quản lý nhà nước về lâm nghiệp."][0] == (
        "UBND các xã, phường thuộc tỉnh Quảng Trị",
        "UBND đặc khu Cồn Cỏ",
    )
    assert got["Ủy ban nhân dân các xã, phường, đặc khu tăng cường kiểm tra rừng."][0] == (
        "UBND các xã, phường thuộc tỉnh Quảng Trị",
    )


def test_header_whose_agency_name_wraps_over_two_lines_keeps_both_owners() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 159/KH-UBND\nKẾ HOẠCH\n\n"
        "4. Đề nghị Ủy ban Mặt trận\nTổ quốc Việt Nam thành phố và các Đoàn thể\n\n"
        "- Đẩy mạnh công tác tuyên truyền.\n"
    )
    assert owners_by_text(text)["Đẩy mạnh công tác tuyên truyền."][0] == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ",
        "các Đoàn thể thành phố Cần Thơ",
    )
    # a heading line that merely ends on a capitalised word is not joined
    plain = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nKẾ HOẠCH\n\n"
        "1. Sở Tài chính\nChủ trì bố trí kinh phí.\n"
    )
    assert owners_by_text(plain)["Chủ trì bố trí kinh phí."][0] == (
        "Sở Tài chính thành phố Cần Thơ",
    )


def test_heads_of_ministries_with_their_remit_own_the_lead_and_its_items() -> None:
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 659/TB-VPCP\n\nTHÔNG BÁO\nKết luận của Phó Thủ tướng\n\n"
        "Phó Thủ tướng kết luận như sau:\n"
        "1. Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo "
        "chức năng, nhiệm vụ, thẩm quyền đề cao trách nhiệm, trực tiếp chỉ đạo thực hiện các "
        "giải pháp; trong đó chú trọng một số nội dung trọng tâm sau:\n"
        "- Tập trung giải quyết các điểm nghẽn.\n"
    )
    got = owners_by_text(text)
    assert got["Tập trung giải quyết các điểm nghẽn."][0] == (
        "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    )
    lead = next(k for k in got if k.startswith("Các đồng chí"))
    assert got[lead][0] == ("các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",)


def test_header_with_its_partners_and_a_marker_glued_to_it_owns_its_items() -> None:
    text = (
        "UBND TỈNH THANH HÓA\nSố: 01/CT-UBND\nThanh Hóa, ngày 7 tháng 1 năm 2026\nCHỈ THỊ\n"
        "1.Sở Công Thương chủ trì, phối hợp với các sở, ngành, địa phương, đơn vị liên quan\n"
        "a) Chủ động nắm bắt tình hình cung ứng hàng hóa;\n"
        "b) Các doanh nghiệp tiết giảm chi phí, giảm giá bán.\n"
    )
    got = owners_by_text(text)
    assert got["Chủ động nắm bắt tình hình cung ứng hàng hóa"][0] == (
        "Sở Công Thương tỉnh Thanh Hóa",
    )
    assert got["Các doanh nghiệp tiết giảm chi phí, giảm giá bán."][0] == (
        "các doanh nghiệp trên địa bàn tỉnh Thanh Hóa",
    )


def test_numbered_sections_after_a_lead_own_their_dashes_not_the_recipients_list() -> None:
    text = (
        "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: 6278/BVHTTDL-VP\n"
        "Kính gửi:\n\n- Các đơn vị thuộc Bộ;\n- Vụ Pháp chế.\n\n"
        "Thủ tướng Chính phủ đã ban hành Công điện số 220/CĐ-TTg ngày 18/11/2025.\n"
        "Trước tình hình đó, Bộ Văn hóa, Thể thao và Du lịch yêu cầu:\n"
        "1. Vụ\nPháp chế\n"
        "- Tập trung hoàn thành việc xây dựng Nghị định.\n"
        "2. Cục\nXuất bản, In và Phát hành\n"
        "- Triển khai sửa đổi Luật Xuất bản.\n"
    )
    got = owners_by_text(text)
    assert got["Tập trung hoàn thành việc xây dựng Nghị định."][0] == (
        "Vụ Pháp chế Bộ Văn hóa, Thể thao và Du lịch",
    )
    owner = got["Triển khai sửa đổi Luật Xuất bản."][0][0]
    assert owner.startswith("Cục Xuất bản, In và Phát hành")


def test_a_deadline_line_with_its_label_under_an_item_is_that_items_deadline() -> None:
    text = HEAD + (
        "1. Sở Tài chính\n"
        "- Tham mưu triển khai kế hoạch kiểm kê.\n"
        "Thời gian hoàn thành: Tháng 11 - 12/2025.\n"
        "- Hướng dẫn biểu mẫu kiểm kê.\n"
        "Thời gian hoàn thành: Tháng 12/2025.\n"
        "- Tập huấn cho các đơn vị.\n"
    )
    d = {t.text: t for t in extract(text).tasks}
    assert d["Tham mưu triển khai kế hoạch kiểm kê."].deadline == "2025-12-31"
    assert d["Hướng dẫn biểu mẫu kiểm kê."].deadline == "2025-12-31"
    assert d["Tập huấn cho các đơn vị."].deadline is None


def test_state_corporations_named_by_their_letters_alone_own_tasks() -> None:
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 541/TB-VPCP\nTHÔNG BÁO\n\n"
        "PVN tập trung triển khai chiến dịch lắp đặt công trình ngoài biển năm 2025.\n"
        "Yêu cầu Viettel bảo đảm hạ tầng viễn thông.\n"
        "Các hộ dân trong khu vực EVNX không thuộc diện này.\n"
    )
    got = owners_by_text(text)
    pvn = next(k for k in got if k.startswith("PVN"))
    assert got[pvn] == (("Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam",), ("organization",))
    viettel = next(k for k in got if "Viettel" in k)
    assert got[viettel][0] == ("Tập đoàn Công nghiệp - Viễn thông Quân đội",)
    names = {o.name for o in extract(text).organizations}
    assert "Tập đoàn Điện lực Việt Nam" not in names  # "EVNX" is not "EVN"


def test_an_item_that_fronts_its_grounds_before_the_verb_is_a_task() -> None:
    text = HEAD + (
        "1. Sở Nội vụ\n"
        "- Căn cứ chức năng, nhiệm vụ được giao, xây dựng kế hoạch cụ thể.\n"
        "- Căn cứ Nghị định số 31/2013/NĐ-CP, sửa đổi quy trình nội bộ.\n"
        "- Căn cứ tình hình thực tế.\n"
    )
    got = owners_by_text(text)
    assert got["Căn cứ chức năng, nhiệm vụ được giao, xây dựng kế hoạch cụ thể."][0] == (
        "Sở Nội vụ tỉnh Quảng Ngãi",
    )
    assert not any(k.startswith(("Căn cứ Nghị định", "Căn cứ tình hình")) for k in got)


def test_a_company_name_in_a_table_cell_stops_at_the_cell_border() -> None:
    text = (
        "UBND TỈNH ĐỒNG THÁP\nSố: 617/KH-UBND\nKẾ HOẠCH\n\n"
        "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Tổ chức hội nghị đối thoại | Sở Công Thương "
        "| Hiệp hội Doanh nghiệp tỉnh | Quý I/2026 |\n"
    )
    d = extract(text)
    # the bare "tỉnh" is the document's province, as for an agency
    assert [o.name for o in d.organizations] == ["Hiệp hội Doanh nghiệp tỉnh Đồng Tháp"]
    assert d.tasks[0].cooperating == ("Hiệp hội Doanh nghiệp tỉnh Đồng Tháp",)
    assert d.tasks[0].deadline == "2026-03-31"


def test_news_a_leaders_order_that_names_nobody_is_a_task_with_its_owner_unknown() -> None:
    news = (("published", "2025-09-28"),)
    text = (
        "Thủ tướng yêu cầu triển khai ngay các biện pháp bảo vệ, gia cố đê điều, hồ đập.\n\n"
        "Thủ tướng cho biết tình hình mưa lũ còn diễn biến phức tạp.\n"
    )
    d = extract(text, meta=news)
    assert [(t.owners, t.assigned_by, "owner_unknown" in t.flags) for t in d.tasks] == [
        ((), "Thủ tướng", True)
    ]


def test_a_role_header_with_the_body_named_in_brackets_is_owned_by_that_body() -> None:
    got = owners_by_text(
        QT
        + "6. Các Ban Quản lý dự án đầu tư xây dựng\n"
        + "- Đôn đốc thi công các công trình thủy lợi.\n"
        + "7. Đơn vị khai thác công trình thủy lợi (Công ty TNHH Tân Phú)\n"
        + "- Bố trí lực lượng vận hành công trình.\n"
    )
    assert got["Bố trí lực lượng vận hành công trình."] == (
        ("Công ty TNHH Tân Phú",),
        ("organization",),
    )
    assert got["Đôn đốc thi công các công trình thủy lợi."][0] != ("Công ty TNHH Tân Phú",)


@pytest.mark.parametrize(
    ("sentence", "owners"),
    [
        (
            "Phó Chủ tịch UBND tỉnh Nguyễn Thế Giang đã ký văn bản số 2508/UBND-KGVX, chỉ đạo "
            "các sở, ban, ngành tăng cường phòng chống dịch.",
            ("các sở, ban, ngành tỉnh Hải Dương",),
        ),
        (
            "Phó Chủ tịch UBND tỉnh Nguyễn Mạnh Quyền giao Sở Nông nghiệp & Phát triển nông thôn "
            "chỉ đạo các đơn vị theo dõi thời tiết.",
            ("Sở Nông nghiệp và Phát triển nông thôn tỉnh Hải Dương",),
        ),
    ],
)
def test_news_reports_a_directive_after_a_clause_and_names_with_an_ampersand(
    sentence: str, owners: tuple[str, ...]
) -> None:
    d = extract("UBND TỈNH HẢI DƯƠNG\n\n" + sentence + "\n", meta=(("published", "2024-10-01"),))
    assert [t.owners for t in d.tasks] == [owners]


HCM = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 172/KH-UBND\nngày 10 tháng 11 năm 2025\nKẾ HOẠCH\n"
)


def test_a_plans_content_line_is_the_task_its_agents_and_time_lines_complete() -> None:
    text = HCM + (
        "II. NỘI DUNG\n\n"
        "1. Tổ chức tập huấn, bồi dưỡng\n\n"
        "- Nội dung thực hiện: Tổ chức tập huấn, bồi dưỡng cho cán bộ, công chức.\n\n"
        "- Cơ quan thực hiện: Sở Nội vụ.\n\n"
        "- Thời gian thực hiện: Năm 2026.\n\n"
        "2. Kiểm tra việc thi hành\n\n"
        "- Nội dung: Tổ chức kiểm tra việc thi hành Luật.\n\n"
        "- Cơ quan chủ trì: Sở Tư pháp.\n\n"
        "- Thời gian hoàn thành: Quý I/2026.\n"
    )
    got = {t.text: (t.owners, t.deadline) for t in extract(text).tasks}
    assert got == {
        "Nội dung thực hiện: Tổ chức tập huấn, bồi dưỡng cho cán bộ, công chức.": (
            ("Sở Nội vụ Thành phố Hồ Chí Minh",),
            "2026-12-31",
        ),
        "Nội dung: Tổ chức kiểm tra việc thi hành Luật.": (
            ("Sở Tư pháp Thành phố Hồ Chí Minh",),
            "2026-03-31",
        ),
    }


def test_an_agents_line_that_says_the_work_is_the_task_instead_of_the_content_line() -> None:
    text = HCM + (
        "1. Rà soát văn bản quy phạm pháp luật\n\n"
        "- Nội dung: Rà soát các văn bản có liên quan đến Luật.\n\n"
        "- Cơ quan thực hiện: Sở Khoa học và Công nghệ tiến hành rà soát các văn bản "
        "thuộc thẩm quyền quản lý nhà nước của mình.\n"
    )
    tasks = extract(text).tasks
    assert [(t.owners, t.text.startswith("Cơ quan thực hiện")) for t in tasks] == [
        (("Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh",), True)
    ]


def test_news_ordinal_enumerations_inherit_the_bodies_asked() -> None:
    text = (
        "Thủ tướng Chính phủ yêu cầu các bộ, ngành, địa phương tập trung thực hiện một số "
        "nhiệm vụ. Thứ nhất, khẩn trương hoàn thiện thể chế về đầu tư công. Hai là, Bộ Tài "
        "chính chủ trì rà soát các dự án chậm giải ngân.\n"
    )
    d = extract(text, meta=(("published", "2025-10-01"),))
    assert [t.owners for t in d.tasks] == [
        ("các bộ, ngành, địa phương",),
        ("các bộ, ngành, địa phương",),
        ("Bộ Tài chính",),
    ]


def test_an_unlisted_owner_with_a_verb_inside_its_name_and_a_stressed_member() -> None:
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 634/TB-VPCP\nTHÔNG BÁO\n\n"
        "Đề nghị Thường trực Tỉnh ủy tập trung lãnh đạo các nhiệm vụ trọng tâm.\n"
        "Đề nghị các bộ, ngành, cơ quan chủ quản, nhất là Tổng công ty Cảng hàng không Việt Nam "
        "khẩn trương rà soát các dự án.\n"
    )
    got = [t.owners for t in extract(text).tasks]
    assert got == [
        ("Thường trực Tỉnh ủy",),  # not "Thường": "trực" is a verb only on its own
        ("các bộ, ngành, cơ quan chủ quản", "Tổng công ty Cảng hàng không Việt Nam"),
    ]


DAKLAK = (
    "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 010/CT-UBND\n"
    "Đắk Lắk, ngày 17 tháng 11 năm 2025\n\nCHỈ THỊ\n\n"
)


def test_a_groups_header_that_lists_its_members_gives_them_the_items() -> None:
    text = DAKLAK + (
        "1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Sở Xây dựng, Trung tâm Xúc tiến "
        "Đầu tư tỉnh):\n"
        "a) Chịu trách nhiệm tiếp nhận hồ sơ, kiểm tra tính hợp lệ của hồ sơ.\n"
        "b) Tổ chức lấy ý kiến thẩm định.\n"
    )
    got = owners_by_text(text)
    assert got["Tổ chức lấy ý kiến thẩm định."][0] == (
        "Sở Tài chính tỉnh Đắk Lắk",
        "Sở Xây dựng tỉnh Đắk Lắk",
        "Trung tâm Xúc tiến Đầu tư tỉnh Đắk Lắk",
    )


def test_a_header_listing_two_bodies_over_a_line_break_and_the_new_tax_office() -> None:
    text = DAKLAK + (
        "2. Các cơ quan được lấy ý kiến\n"
        "đ) Công an tỉnh, Bộ Chỉ\nhuy Quân sự tỉnh\n"
        "- Đánh giá sự phù hợp của dự án với lĩnh vực an ninh, quốc phòng;\n"
        "e) Thuế tỉnh Đắk Lắk\n"
        "- Xác định tình hình thực hiện nghĩa vụ thuế của nhà đầu tư;\n"
    )
    got = owners_by_text(text)
    assert got["Đánh giá sự phù hợp của dự án với lĩnh vực an ninh, quốc phòng"][0] == (
        "Công an tỉnh Đắk Lắk",
        "Bộ Chỉ huy Quân sự tỉnh Đắk Lắk",
    )
    assert got["Xác định tình hình thực hiện nghĩa vụ thuế của nhà đầu tư"][0] == (
        "Thuế tỉnh Đắk Lắk",
    )


def test_a_section_whose_header_names_nobody_never_takes_the_section_before() -> None:
    text = DAKLAK + (
        "2. Sở Tài chính\n"
        "a) Chủ trì tổng hợp báo cáo kết quả thực hiện.\n"
        "3. Cơ quan chủ trì giải quyết thủ tục đầu tư dự án\n"
        "a) Chủ động phối hợp với các cơ quan liên quan để giải quyết đúng thời hạn.\n"
    )
    got = owners_by_text(text)
    assert got["Chủ trì tổng hợp báo cáo kết quả thực hiện."][0] == ("Sở Tài chính tỉnh Đắk Lắk",)
    owners = got.get("Chủ động phối hợp với các cơ quan liên quan để giải quyết đúng thời hạn.")
    assert owners is None or "Sở Tài chính tỉnh Đắk Lắk" not in owners[0]


def test_a_name_part_after_and() -> None:
    text = (
        DAKLAK
        + "Chi cục Thủy sản và Biển đảo phối hợp với Chi cục Chăn nuôi và Thú y để kiểm tra.\n"
    )
    names = [a.name for a in extract(text).agencies]
    assert "Chi cục Thủy sản và Biển đảo tỉnh Đắk Lắk" in names
    assert "Chi cục Chăn nuôi và Thú y tỉnh Đắk Lắk" in names
    # a title or a project after "và" is no part of the name
    text = DAKLAK + "Cục Viễn thông và Thủ trưởng các cơ quan liên quan triển khai.\n"
    assert not any("Thủ trưởng" in a.name for a in extract(text).agencies)


def test_a_government_notice_on_one_province_gives_a_bare_local_owner_its_place() -> None:
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 634/TB-VPCP\nHà Nội, ngày 22 tháng 11 năm 2025\n\nTHÔNG BÁO\n"
        "Kết luận của Thủ tướng Chính phủ tại buổi làm việc với Thường trực Tỉnh ủy Thanh Hóa\n\n"
        "Ngày 15 tháng 11 năm 2025, Thủ tướng Chính phủ làm việc với Thường trực Tỉnh ủy "
        "Thanh Hóa và UBND tỉnh Thanh Hóa.\n\n"
        "Đề nghị Thường trực Tỉnh ủy tập trung lãnh đạo thực hiện các nhiệm vụ sau:\n"
        "1. Đổi mới mô hình phát triển dựa vào khoa học công nghệ.\n"
    )
    got = owners_by_text(text)
    assert got["Đổi mới mô hình phát triển dựa vào khoa học công nghệ."][0] == (
        "Thường trực Tỉnh ủy Thanh Hóa",
    )


def test_a_unit_named_after_its_fields_abbreviation_gets_the_field_in_full() -> None:
    text = (
        "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: 6225/BVHTTDL-VP\n"
        "Hà Nội, ngày 18 tháng 11 năm 2025\n\n"
        "Trung tâm Chuyển đổi số VHTTDL chủ trì xây dựng Đề án chuyển đổi số.\n"
    )
    names = [a.name for a in extract(text).agencies]
    assert "Trung tâm Chuyển đổi số Văn hóa, Thể thao và Du lịch" in names


def test_local_committees_listed_by_level_without_cac_are_a_group_everywhere() -> None:
    # the earlier group of another grammar row must not hide a later one
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 09/CT-UBND\n\nCHỈ THỊ\n\n"
        "8. Giám đốc các sở\n"
        "a) Phối hợp Sở Nông nghiệp và Môi trường và Ủy ban nhân dân xã, phường tuyên truyền.\n"
        "9. Các sở, ban, ngành\n"
        "a) Chủ động rà soát các công trình khai thác nước.\n"
        "10. Ủy ban\nnhân dân xã, phường\n"
        "a) Đẩy mạnh công tác phổ biến, tuyên truyền về tài nguyên nước.\n"
    )
    got = owners_by_text(text)
    assert got["Đẩy mạnh công tác phổ biến, tuyên truyền về tài nguyên nước."][0] == (
        "UBND các xã, phường thuộc thành phố Cần Thơ",
    )


GIALAI = (
    "UBND TỈNH GIA LAI\nSố: 12/UBND-VX\nGia Lai, ngày 10 tháng 3 năm 2025\n\n"
    "Kính gửi: Sở Tài chính\n\n"
)


@pytest.mark.parametrize(
    ("sentence", "owners"),
    [
        # an adverb before the delegation
        ("Sở Y tế cũng được giao chủ trì rà soát các cơ sở.", ("Sở Y tế tỉnh Gia Lai",)),
        # a group counted by a number
        (
            "Chính phủ yêu cầu 11 Bộ, cơ quan khẩn trương hoàn thiện các dự án luật.",
            ("11 Bộ, cơ quan",),
        ),
        # Party committees as a group, handed work with "giao Ban ..." (not "giao ban", a meeting)
        (
            "Bộ Chính trị giao Ban Thường vụ các tỉnh ủy, thành ủy chủ động lãnh đạo việc sắp xếp.",
            ("Ban Thường vụ các tỉnh ủy, thành ủy",),
        ),
    ],
)
def test_news_and_letter_assignments(sentence: str, owners: tuple[str, ...]) -> None:
    got = owners_by_text(GIALAI + sentence + "\n")
    assert [o for o, _k in got.values()] == [owners]


def test_items_led_by_a_province_belong_to_its_peoples_committee() -> None:
    text = (
        "Phó Thủ tướng yêu cầu các địa phương khẩn trương giải quyết dứt điểm các tồn tại,"
        " cụ thể:\n"
        "- Tỉnh Tuyên Quang: Giải quyết dứt điểm công tác di dời hạ tầng kỹ thuật.\n"
        "- Thành phố Hà Nội: Hoàn thành giải phóng mặt bằng.\n"
        "- Xã Nga Sơn: Lấy mẫu 01 vị trí tại vùng nuôi tôm Nga Thủy.\n"
    )
    got = {t.text: t.owners for t in extract(text).tasks}
    assert got["Tỉnh Tuyên Quang: Giải quyết dứt điểm công tác di dời hạ tầng kỹ thuật."] == (
        "UBND tỉnh Tuyên Quang",
    )
    assert got["Thành phố Hà Nội: Hoàn thành giải phóng mặt bằng."] == ("UBND thành phố Hà Nội",)
    # a commune leading an item is where the work is done, not its owner
    assert ("UBND xã Nga Sơn",) not in got.values()


def test_a_cable_lead_warning_and_stressed_members_before_the_verb() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 234/CĐ-TTg\nHà Nội, ngày 20 tháng 11 năm 2025\n\nCÔNG ĐIỆN\n\n"
        "1. Bộ trưởng các Bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố khu vực Bắc Bộ "
        "và Thanh Hóa không lơ là, chủ quan, tiếp tục chỉ đạo theo dõi chặt chẽ diễn biến mưa lũ.\n"
        "2. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố, nhất là các tỉnh khu vực trung du "
        "và miền núi chỉ đạo rà soát các khu dân cư.\n"
    )
    tasks = extract(text).tasks
    assert len(tasks) == 2
    assert "UBND các tỉnh, thành phố khu vực Bắc Bộ và Thanh Hóa" in tasks[0].owners
    assert tasks[1].owners[0].startswith("UBND các tỉnh, thành phố")


def test_a_fronted_recurrence_right_before_its_subject() -> None:
    text = (
        "BỘ CÔNG THƯƠNG\nSố: 234/BCT-KH\nHà Nội, ngày 20 tháng 11 năm 2025\n\n"
        "Kính gửi: Các đơn vị\n\n"
        "6. Định kỳ hàng tháng các đơn vị, doanh nghiệp xây dựng báo cáo tình hình thực hiện "
        "gửi về Bộ Công Thương.\n"
    )
    (task,) = extract(text).tasks
    assert task.owners == ("các đơn vị, doanh nghiệp thuộc Bộ Công Thương",)
    assert task.recurring is not None


def test_an_item_that_opens_with_its_role_is_a_task() -> None:
    text = DAKLAK + (
        "1. Sở Tài chính\n"
        "a) Là đầu mối chủ trì, tiếp nhận hồ sơ, tổ chức lấy ý kiến thẩm định dự án.\n"
    )
    got = owners_by_text(text)
    assert list(got.values())[0][0] == ("Sở Tài chính tỉnh Đắk Lắk",)


def test_a_capitalised_title_with_its_issuing_note_is_no_task() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 773/QĐ-TTg\n\nKẾ HOẠCH\n"
        "THỰC HIỆN CHỈ THỊ SỐ 14-CT/TW VỀ CÔNG TÁC NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG "
        "(Ban hành kèm theo Quyết định số 773/QĐ-TTg ngày 26 tháng 6 năm 2018"
        " của Thủ tướng Chính phủ)\n\n"
        "1. Bộ Lao động - Thương binh và Xã hội chủ trì rà soát hồ sơ người có công.\n"
    )
    texts = [t.text for t in extract(text).tasks]
    assert len(texts) == 1 and texts[0].startswith("Bộ Lao động")


def test_partner_groups_listed_as_items_under_a_label() -> None:
    text = (
        "BỘ QUỐC PHÒNG\nSố: 1/KH-BQP\nHà Nội, ngày 11 tháng 11 năm 2013\nKẾ HOẠCH\n"
        "IV. RÀ SOÁT HỒ SƠ\n1. Nội dung, biện pháp\n"
        "a) Tổ chức rà soát, kiện toàn hồ sơ liệt sĩ hiện đang quản lý.\n"
        "2. Cơ quan chủ trì, phối hợp\na) Cơ quan chủ trì\n- Bộ Quốc phòng.\n"
        "b) Cơ quan phối hợp\n- Các tổ chức, đoàn thể có liên quan; Bộ Nội vụ.\n"
    )
    (task,) = extract(text).tasks
    assert task.owners == ("Bộ Quốc phòng",)
    assert task.cooperating == ("các tổ chức, đoàn thể có liên quan", "Bộ Nội vụ")


# ------------------------------------------------------- excerpts with cut marks


def _news(text: str, province: str) -> dict[str, tuple[str, ...]]:
    d = extract(text, meta=(("province", province), ("published", "2025-09-23")))
    return {t.text: t.owners for t in d.tasks}


def test_a_cut_mark_ends_a_news_line_and_the_line_is_still_prose() -> None:
    sentence = (
        "UBND tỉnh Quảng Ninh yêu cầu các sở, ngành nhanh chóng triển khai ngay các phương án "
        "phòng chống bão. [...]"
    )
    got = _news(sentence + "\n", "Quảng Ninh")
    assert got == {sentence: ("các sở, ngành tỉnh Quảng Ninh",)}
    # the same words without a final mark and without a stop are a headline
    assert _news(sentence.removesuffix(". [...]") + "\n", "Quảng Ninh") == {}


def test_a_cut_mark_inside_a_line_reads_as_a_gap() -> None:
    text = (
        "Ngày 23/2, Ban Thường vụ Tỉnh ủy Tây Ninh họp nghe báo cáo tình hình sau Tết.\n"
        "[...] Các cơ quan, đơn vị rà soát, tổng hợp nhiệm vụ tồn đọng để xử lý trong quý I.\n"
        "Theo đó, [...] Chủ tịch UBND tỉnh yêu cầu Chủ tịch UBND các xã, phường [...] quyết tâm "
        "hoàn thành việc xây dựng lại nhà ở trước ngày 15-1-2026.\n"
    )
    d = extract(text, meta=(("province", "Tây Ninh"), ("published", "2026-02-23")))
    got = {t.text: t.owners for t in d.tasks}
    first = "Các cơ quan, đơn vị rà soát, tổng hợp nhiệm vụ tồn đọng để xử lý trong quý I."
    second = next(k for k in got if k.startswith("Theo đó"))
    assert got[first] == ("các cơ quan, đơn vị tỉnh Tây Ninh",)
    assert got[second] == ("UBND các xã, phường thuộc tỉnh Tây Ninh",)
    for t in d.tasks:  # offsets select the text as written, marks and all
        assert text[t.start : t.end] == t.text


def test_what_a_group_subject_stresses_in_brackets_comes_before_its_verb() -> None:
    got = _news(
        "Các xã, phường, đặc khu (đặc biệt các địa phương ven biển) thông tin cho nhân dân "
        "biết về diễn biến bão.\n",
        "Quảng Ninh",
    )
    assert list(got.values()) == [("UBND các xã, phường, đặc khu thuộc tỉnh Quảng Ninh",)]
    # brackets that say something else of the group are no aside: read as before
    assert (
        _news(
            "Các xã, phường (gọi chung là cấp xã) thông tin cho nhân dân biết về diễn biến bão.\n",
            "Quảng Ninh",
        )
        == {}
    )


# ------------------------------------------- communes' Party committees and councils


def test_party_committees_and_councils_share_the_units_of_the_committees_after_them() -> None:
    def owners(sentence: str) -> tuple[str, ...]:
        d = extract(sentence + "\n", meta=(("province", "Gia Lai"),))
        assert len(d.tasks) == 1, sentence
        return d.tasks[0].owners

    assert set(owners("Giao Đảng ủy, HĐND, UBND xã Tân Lập triển khai kế hoạch.")) == {
        "Đảng ủy xã Tân Lập",
        "HĐND xã Tân Lập",
        "UBND xã Tân Lập",
    }
    assert owners("Giao Đảng ủy xã Tân Lập triển khai kế hoạch.") == ("Đảng ủy xã Tân Lập",)
    assert set(owners("Đề nghị Bí thư Đảng ủy, Chủ tịch UBND các xã, phường rà soát nhà ở.")) == {
        "Đảng ủy các xã, phường thuộc tỉnh Gia Lai",
        "UBND các xã, phường thuộc tỉnh Gia Lai",
    }
    # the bodies before a group must be written as its units' bodies, right before it
    assert owners("Giao Sở Tài chính, UBND các xã, phường rà soát nhà ở.") == (
        "Sở Tài chính tỉnh Gia Lai",
        "UBND các xã, phường thuộc tỉnh Gia Lai",
    )


def test_a_councils_level_heads_its_own_items() -> None:
    text = (
        "Điều 10. Trách nhiệm thi hành\n"
        "4. Hội đồng nhân dân, Ủy ban nhân dân cấp tỉnh\n"
        "a) Hội đồng nhân dân cấp tỉnh\n"
        "Bảo đảm kinh phí thực hiện chính sách theo quy định tại Nghị định này.\n"
        "b) Ủy ban nhân dân cấp tỉnh\n"
        "Chỉ đạo các cơ quan tổ chức thực hiện chính sách.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [
        ("HĐND cấp tỉnh",),
        ("UBND các tỉnh, thành phố trực thuộc Trung ương",),
    ]


def test_a_bare_party_committee_in_a_communes_document_is_that_communes() -> None:
    head = "ỦY BAN NHÂN DÂN\nXÃ LƯƠNG MINH\nSố: 12/KH-UBND\nLương Minh, ngày 10 tháng 3 năm 2026\n"
    d = extract(head + "KẾ HOẠCH\nĐề nghị Ủy ban Kiểm tra Đảng ủy phối hợp giám sát.\n")
    assert "Ủy ban Kiểm tra Đảng ủy xã Lương Minh" in [a.name for a in d.agencies]
    # in a province's document a bare "Đảng ủy" names no body of its own
    d = extract(HEAD + "Đề nghị Đảng ủy phối hợp giám sát.\n")
    assert not [a.name for a in d.agencies if a.name.startswith("Đảng ủy")]


# --------------------------------------------- levels with hyphens, ministers in news


def test_a_level_written_with_a_hyphen_is_every_unit_of_it() -> None:
    def owners(sentence: str) -> tuple[str, ...]:
        d = extract(sentence + "\n", meta=(("province", "Thành phố Hồ Chí Minh"),))
        assert len(d.tasks) == 1, sentence
        return d.tasks[0].owners

    assert owners("Ủy ban nhân dân quận - huyện có trách nhiệm chỉ đạo kiểm tra.") == (
        "UBND các quận, huyện thuộc Thành phố Hồ Chí Minh",
    )
    assert owners("Ủy ban nhân dân phường - xã, thị trấn có trách nhiệm quản lý đối tượng.") == (
        "UBND các phường, xã, thị trấn thuộc Thành phố Hồ Chí Minh",
    )
    assert owners("Phòng Lao động - Thương binh và Xã hội quận - huyện quản lý đối tượng.") == (
        "Phòng Lao động - Thương binh và Xã hội quận - huyện Thành phố Hồ Chí Minh",
    )
    # one district named is no level
    assert owners("Ủy ban nhân dân huyện Củ Chi có trách nhiệm chỉ đạo kiểm tra.") == (
        "UBND huyện Củ Chi",
    )


def test_news_names_a_ministry_by_its_ministers_title_and_a_leader_speaks_after_cung() -> None:
    def owners(sentence: str) -> list[tuple[str, ...]]:
        d = extract(sentence + "\n", meta=(("published", "2026-03-11"),))
        return [t.owners for t in d.tasks]

    assert owners(
        "Theo đó, Thủ tướng Phạm Minh Chính chỉ đạo Bộ trưởng Công Thương chủ trì bảo đảm "
        "nguồn cung xăng dầu."
    ) == [("Bộ Công Thương",)]
    assert owners(
        "Thủ tướng cũng chỉ đạo Bộ Công Thương phối hợp với Bộ Tài chính đẩy nhanh việc bổ sung "
        "nguồn dự trữ."
    ) == [("Bộ Công Thương",)]
    # the minister in person, with his ministry, is still read as the ministry
    assert owners("Bộ trưởng Bộ Y tế yêu cầu các bệnh viện bảo đảm thuốc.") == [
        ("các bệnh viện",)
    ]


def test_a_ministrys_unit_named_with_its_ministry_is_one_owner() -> None:
    head = "BỘ NỘI VỤ\nSố: 18/2025/TT-BNV\nHà Nội, ngày 10 tháng 3 năm 2025\nTHÔNG TƯ\n"
    d = extract(
        head + "Điều 9. Trách nhiệm thi hành\n"
        "4. Trung tâm Công nghệ thông tin, Bộ Nội vụ chịu trách nhiệm bảo đảm hạ tầng.\n"
    )
    assert [t.owners for t in d.tasks] == [("Trung tâm Công nghệ thông tin Bộ Nội vụ",)]
    # a ministry through its unit in brackets is the ministry; a partner's unit stays
    d = extract(
        "Điều 3. Tổ chức thực hiện\n1. Bộ Tài chính (Cục Thống kê)\n"
        "a) Xây dựng các tài liệu hướng dẫn áp dụng Hệ thống ngành kinh tế.\n"
    )
    assert [t.owners for t in d.tasks] == [("Bộ Tài chính",)]
    # two bodies listed are two owners
    d = extract("Văn phòng Chính phủ, Bộ Tài chính hướng dẫn các địa phương thực hiện.\n")
    assert [set(t.owners) for t in d.tasks] == [{"Văn phòng Chính phủ", "Bộ Tài chính"}]


def test_a_body_at_every_level_and_a_groups_duty_are_no_second_owner() -> None:
    def owners(text: str, **meta: str) -> list[tuple[str, ...]]:
        return [t.owners for t in extract(text, meta=tuple(meta.items())).tasks]

    assert owners("Lực lượng Công an các cấp chủ trì rà soát địa bàn.\n") == [
        ("Lực lượng Công an các cấp",)
    ]
    farmers = "Hội Nông dân các cấp tuyên truyền, vận động hội viên.\n"
    assert owners(farmers, province="Gia Lai") == [("Hội Nông dân các cấp tỉnh Gia Lai",)]
    # "các cấp, các ngành" after a body is a second group
    assert owners("Sở Y tế, các cấp, các ngành phối hợp tuyên truyền.\n", province="Gia Lai") == [
        ("Sở Y tế tỉnh Gia Lai", "các cấp, các ngành tỉnh Gia Lai")
    ]
    head = (
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 47/2025/TT-BKHCN\nHà Nội, ngày 10 tháng 3 năm 2025\n"
        "THÔNG TƯ\n"
    )
    assert owners(
        head + "1. Các cơ quan, đơn vị thuộc Bộ nhận báo cáo định kỳ của các cơ quan, tổ chức có "
        "trách nhiệm rà soát, tổng hợp báo cáo.\n"
        "2. Các cơ quan, đơn vị thuộc Bộ Khoa học và Công nghệ có trách nhiệm:\n"
        "a) Rà soát các chế độ báo cáo định kỳ.\n"
    ) == [("các cơ quan, đơn vị thuộc Bộ Khoa học và Công nghệ",)] * 2


def test_a_news_round_up_gives_each_group_the_province_its_sentence_names() -> None:
    text = (
        "Chiều 24/8, Sở GD&ĐT Thanh Hóa ban hành công văn khẩn yêu cầu các trường và cơ sở giáo "
        "dục trên địa bàn cho học sinh nghỉ học.\n"
        "Tại Hà Tĩnh, Sở GD&ĐT yêu cầu các trường chủ động cho học sinh nghỉ học.\n"
        "Đà Nẵng đã đề nghị các địa phương thường xuyên theo dõi, cập nhật tình hình.\n"
    )
    several = (("province", "Thanh Hóa; Hà Tĩnh; Đà Nẵng"), ("published", "2025-08-24"))
    for meta in ((("published", "2025-08-24"),), several):
        assert [t.owners for t in extract(text, meta=meta).tasks] == [
            ("các trường và cơ sở giáo dục tỉnh Thanh Hóa",),
            ("các trường tỉnh Hà Tĩnh",),
            ("các địa phương thành phố Đà Nẵng",),
        ]
    # a group of the whole country takes no province from the sentence
    national = "Tại Hà Tĩnh, Bộ Y tế đề nghị các bộ, ngành phối hợp theo dõi tình hình.\n"
    assert [t.owners for t in extract(national, meta=several).tasks] == [("các bộ, ngành",)]
    # a news item on one province keeps that province for every group
    one = extract(text, meta=(("province", "Nghệ An"), ("published", "2025-08-24")))
    assert [t.owners for t in one.tasks][1] == ("các trường tỉnh Nghệ An",)


def test_a_head_typed_with_its_words_glued_is_read_not_a_crash() -> None:
    # "Ủyban" (corpus 55 has it): the names' head pattern reads it, its table must too
    d = extract("Giao Ủyban nhân dân huyện chủ trì, Ủyban Kiểm tra phối hợp rà soát.\n")
    assert [t.owners for t in d.tasks] == [("Ủyban nhân dân huyện",)]
    names = find_named_bodies("Đề nghị Ủyban Kiểm tra Tỉnh ủy Gia Lai phối hợp.", known=[])
    assert [n.text for n in names] == ["Ủyban Kiểm tra"]


def test_a_group_of_departments_beside_other_groups_is_an_owner_not_a_filler() -> None:
    head = "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n\n"
    both = extract(
        head + "Các sở, ngành liên quan và Ủy ban nhân dân các xã, phường tiếp tục rà soát.\n"
    )
    assert [t.owners for t in both.tasks] == [
        ("các sở, ngành liên quan tỉnh Lai Châu", "UBND các xã, phường thuộc tỉnh Lai Châu")
    ]
    # a group of bodies "liên quan" of no kind beside other groups is still a filler
    units = extract(
        head + "Ủy ban nhân dân các xã, phường và các đơn vị liên quan tiếp tục rà soát.\n"
    )
    assert [t.owners for t in units.tasks] == [("UBND các xã, phường thuộc tỉnh Lai Châu",)]


def test_an_articles_rights_and_duties_of_a_body_head_its_items() -> None:
    text = (
        "QUYẾT ĐỊNH\n\n"
        "Điều 9. Quyền và nghĩa vụ của Cục Bưu điện Trung ương\n"
        "1. Xây dựng, duy trì, quản lý và khai thác Mạng bưu chính KT1.\n"
        "2. Ban hành quy định nghiệp vụ về điều hành, khai thác Mạng bưu chính KT1.\n"
        "Điều 10. Trách nhiệm chung của Sở Y tế\n"
        "1. Tổ chức kiểm tra việc thực hiện Quyết định này.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [
        ("Cục Bưu điện Trung ương",),
        ("Cục Bưu điện Trung ương",),
        ("Sở Y tế",),
    ]


def test_bodies_asked_before_a_semicolon_own_the_work_after_it() -> None:
    meta = (("province", "Đắk Nông"), ("published", "2025-03-01"))
    d = extract(
        "Chủ tịch UBND tỉnh giao các sở, ban, ngành; UBND các huyện, thành phố khẩn trương "
        "tổng hợp các khó khăn, vướng mắc của doanh nghiệp.\n",
        meta=meta,
    )
    assert [t.owners for t in d.tasks] == [
        ("các sở, ban, ngành tỉnh Đắk Nông", "UBND các huyện, thành phố thuộc tỉnh Đắk Nông")
    ]
    # a body named alone between two semicolons is asked too
    three = extract(
        "Chủ tịch UBND tỉnh yêu cầu Sở Tài chính; Sở Nông nghiệp và Môi trường; Trung tâm Phát "
        "triển quỹ đất phối hợp với cơ quan thuế cung cấp dữ liệu.\n",
        meta=meta,
    )
    assert [t.owners for t in three.tasks] == [
        (
            "Sở Tài chính tỉnh Đắk Nông",
            "Sở Nông nghiệp và Môi trường tỉnh Đắk Nông",
            "Trung tâm Phát triển quỹ đất tỉnh Đắk Nông",
        )
    ]
    # a clause with work of its own before the semicolon keeps its owners to itself
    two = extract(
        "Chủ tịch UBND huyện yêu cầu các xã vận động nhân dân trồng rừng; phòng NN&PTNT tham "
        "mưu xây dựng kế hoạch.\n",
        meta=meta,
    )
    assert len(two.tasks) == 2 and "phòng NN&PTNT" not in " ".join(two.tasks[0].owners)


def test_fronted_grounds_before_a_subject_or_the_work() -> None:
    text = (
        "KẾ HOẠCH\n\n"
        "3. Sở Xây dựng\n"
        "a) Trên cơ sở đề xuất kinh phí của các sở, ban, ngành, chủ trì tổng hợp, trình cấp có "
        "thẩm quyền.\n"
        "b) Căn cứ Kế hoạch này, Sở Tài chính chủ trì, phối hợp với các đơn vị rà soát.\n"
        "c) Trên cơ sở đề nghị của các Bộ, cơ quan liên quan, Bộ Tài chính khẩn trương rà soát.\n"
        "d) Căn cứ Kế hoạch này, các sở, ban, ngành nghiên cứu triển khai.\n"
    )
    d = extract(text, meta=(("province", "Hà Nam"),))
    assert [t.owners for t in d.tasks] == [
        ("Sở Xây dựng tỉnh Hà Nam",),
        ("Sở Tài chính tỉnh Hà Nam",),
        ("Bộ Tài chính",),
        ("các sở, ban, ngành tỉnh Hà Nam",),
    ]
    # a fronted condition stays a condition: no task is read from it by this rule
    cond = extract(
        "KẾ HOẠCH\n\nTrường hợp cần thiết, thực hiện các biện pháp phù hợp theo quy định.\n",
        meta=(("province", "Hà Nam"),),
    )
    assert [t.text for t in cond.tasks if t.text.startswith("Trường hợp")] == []


def test_a_fronted_period_before_the_work() -> None:
    text = (
        "KẾ HOẠCH\n\n"
        "3. Sở Xây dựng\n"
        "a) Tổ chức kiểm tra các công trình.\n"
        "b) Định kỳ hằng năm (trước ngày 30 tháng 11) báo cáo kết quả thực hiện về UBND tỉnh.\n"
        "c) Định kỳ 6 tháng và hằng năm tổng hợp, báo cáo Thủ tướng Chính phủ.\n"
    )
    d = extract(text, meta=(("province", "Hà Nam"),))
    assert [(t.owners, t.text[:12]) for t in d.tasks] == [
        (("Sở Xây dựng tỉnh Hà Nam",), "Tổ chức kiểm"),
        (("Sở Xây dựng tỉnh Hà Nam",), "Định kỳ hằng"),
        (("Sở Xây dựng tỉnh Hà Nam",), "Định kỳ 6 th"),
    ]
    assert d.tasks[1].recurring == "yearly"


def test_a_markdown_copys_bold_marker_and_emphasis_and_the_heads_of_corporations() -> None:
    text = (
        "CÔNG ĐIỆN\n\n"
        "**1.** Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ, Chủ tịch Ủy ban nhân dân các tỉnh, "
        "thành phố trực thuộc Trung ương, Chủ tịch Hội đồng thành viên, Tổng giám đốc các Tập "
        "đoàn, Tổng Công ty *tiếp tục nâng cao tinh thần trách nhiệm* khẩn trương chỉ đạo.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [
        (
            "các bộ, cơ quan ngang bộ",
            "UBND các tỉnh, thành phố trực thuộc Trung ương",
            "các Tập đoàn, Tổng Công ty",
        )
    ]


def test_the_state_leaders_offices_and_a_ministrys_office_take_no_one_elses_name() -> None:
    letter = (
        "BỘ Y TẾ\n\nTHÔNG TƯ\n\nĐiều 5. Cục Hạ tầng và Thiết bị y tế chủ trì thực hiện.\n\n"
        "Nơi nhận:\n- Văn phòng Tổng Bí thư;\n- Văn phòng Chủ tịch nước;\n- Vụ Pháp chế;\n"
    )
    d = extract(letter, meta=(("issuer", "Bộ Y tế"),)).to_json()
    names = {a["name"] for a in d["agencies"]}
    assert {"Văn phòng Tổng Bí thư", "Văn phòng Chủ tịch nước", "Vụ Pháp chế Bộ Y tế"} <= names
    news = extract(
        "Văn phòng Bộ Nông nghiệp và Môi trường có trách nhiệm tổng hợp danh sách công dân.\n",
        meta=(("province", "Hà Nội"), ("published", "2026-01-05")),
    )
    assert [t.owners for t in news.tasks] == [("Văn phòng Bộ Nông nghiệp và Môi trường",)]


def test_the_police_of_every_unit_and_locality_is_one_group() -> None:
    text = (
        "THÔNG TƯ\n\nĐiều 6. Đăng ký hội thảo\n"
        "a) Công an các đơn vị, địa phương xây dựng và gửi đăng ký hội thảo.\n"
        "b) Thanh tra Công an các đơn vị, địa phương báo cáo kết quả.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [
        ("Công an các đơn vị, địa phương",),
        ("Thanh tra Công an các đơn vị, địa phương",),
    ]


def test_a_topic_before_a_colon_and_its_work_after_it() -> None:
    text = (
        "KẾ HOẠCH\n\n3. Sở Xây dựng\na) Tổ chức kiểm tra.\n"
        "b) Đối với các nhà máy xi măng, luyện thép: Tăng cường sử dụng nguyên liệu sạch.\n"
        "c) Về thi công: chỉ đạo các nhà thầu tập trung nguồn lực.\n"
    )
    d = extract(text, meta=(("province", "Hà Nam"),))
    assert [t.owners for t in d.tasks] == [("Sở Xây dựng tỉnh Hà Nam",)] * 3
    # an assignment that ends on a list's colon is no topic
    lead = extract(
        "CÔNG VĂN\n\nVề vấn đề này, Thủ tướng Chính phủ giao Bộ Y tế chủ trì, phối hợp với các Bộ: "
        "Xây dựng, Tài chính và các cơ quan liên quan:\n1. Chỉ đạo các địa phương thực hiện.\n"
    )
    assert [t.owners for t in lead.tasks] == [("Bộ Y tế",)]


def test_an_item_over_its_own_lead_agency_rows_is_a_task_of_that_agency() -> None:
    text = (
        "KẾ HOẠCH\n\nII. NHIỆM VỤ\n"
        "5. Nâng cao hiệu quả công tác tiếp dân, đối thoại với Nhân dân; đẩy mạnh công tác dân "
        "vận, cụ thể:\n\n"
        "a) Cơ quan chủ trì: Thanh tra thành phố;\n\n"
        "b) Cơ quan phối hợp: Sở Nội vụ;\n\n"
        "c) Thời gian thực hiện: Thường xuyên.\n\n"
        "6. Triển khai, phát triển dữ liệu:\n\n"
        "a) Cơ quan chủ trì: Sở Tư pháp;\n"
    )
    d = extract(text, meta=(("province", "Cần Thơ"),))
    assert [(t.owners, t.cooperating) for t in d.tasks] == [
        (("Thanh tra thành phố Cần Thơ",), ("Sở Nội vụ thành phố Cần Thơ",))
    ]


def test_heads_of_a_group_and_a_request_fronted_and_a_leaders_briefing() -> None:
    meta = (("province", "Nghệ An"), ("published", "2025-12-01"), ("url", "https://x.vn/a.htm"))
    d = extract(
        "Theo yêu cầu của lãnh đạo UBND tỉnh, người đứng đầu các địa phương, đơn vị phải tăng "
        "cường quán triệt, nâng cao nhận thức.\n\n"
        "Theo chỉ đạo của Chủ tịch UBND tỉnh, Sở Y tế khẩn trương kiểm tra các cơ sở.\n\n"
        "Chủ tịch UBND tỉnh quán triệt các sở, ngành thực hiện nghiêm việc không tổ chức đi "
        "chúc Tết cấp trên.\n",
        meta=meta,
    )
    assert [t.owners for t in d.tasks] == [
        ("các địa phương, đơn vị tỉnh Nghệ An",),
        ("Sở Y tế tỉnh Nghệ An",),
        ("các sở, ngành tỉnh Nghệ An",),
    ]
    # the preamble's "Theo đề nghị của ..." stays a preamble
    pre = extract(
        "THÔNG TƯ\n\nTheo đề nghị của Cục trưởng Cục Phòng bệnh, Bộ trưởng Bộ Y tế ban hành "
        "Thông tư quy định phân cấp.\n"
    )
    assert pre.tasks == ()


def test_working_groups_and_a_steering_boards_members_are_groups() -> None:
    meta = (("province", "Khánh Hòa"), ("published", "2025-11-06"), ("url", "https://x.vn/a.htm"))
    d = extract(
        "Các tổ công tác khẩn trương kiểm tra, đôn đốc việc triển khai phương án ứng phó.\n\n"
        "Các thành viên Ban Chỉ đạo 389 tỉnh tăng cường kiểm tra.\n",
        meta=meta,
    )
    assert [t.owners for t in d.tasks] == [
        ("các tổ công tác tỉnh Khánh Hòa",),
        ("các thành viên Ban Chỉ đạo 389 tỉnh Khánh Hòa",),
    ]


def test_places_listed_after_a_body_share_their_unit_word() -> None:
    meta = (("province", "Hà Nội"), ("published", "2021-12-01"), ("url", "https://x.vn/a.htm"))
    d = extract(
        "UBND TP yêu cầu Sở Tài chính, các huyện Chương Mỹ, Đan Phượng, Sóc Sơn và Thanh Trì "
        "khẩn trương thực hiện các dự án.\n",
        meta=meta,
    )
    assert [t.owners for t in d.tasks] == [
        (
            "Sở Tài chính thành phố Hà Nội",
            "UBND huyện Chương Mỹ",
            "UBND huyện Đan Phượng",
            "UBND huyện Sóc Sơn",
            "UBND huyện Thanh Trì",
        )
    ]


def test_an_item_that_asks_others_along_the_way_stays_its_sections() -> None:
    text = (
        "KẾ HOẠCH\n\n3. UBND các xã, phường:\n"
        "a) Tăng cường kiểm tra các công trường xây dựng trên địa bàn, yêu cầu các chủ đầu tư "
        "thu gom, vận chuyển chất thải.\n"
        "4. Đẩy mạnh giải quyết khó khăn của Nhà đầu tư: Khi nhà đầu tư có kiến nghị, yêu cầu "
        "các sở, ngành liên quan có trách nhiệm trả lời.\n"
    )
    d = extract(text, meta=(("province", "Hà Nội"),))
    assert [t.owners for t in d.tasks] == [
        ("UBND các xã, phường thuộc thành phố Hà Nội",),
        ("các sở, ngành liên quan thành phố Hà Nội",),
    ]


def test_an_items_own_time_limit_line_is_its_deadline() -> None:
    text = (
        "CÔNG ĐIỆN\n\n"
        "1. Bộ Tài chính chủ trì rà soát các dự án tồn đọng.\n"
        "Thời hạn hoàn thành: trước ngày 30/11/2025.\n"
        "2. Bộ Xây dựng kiểm tra các công trình.\n"
        "- Thời gian hoàn thành: trong tháng 12/2025.\n\n"
        "3. UBND thành phố Đà Nẵng khẩn trương rà soát trên Hệ thống 751. **Thời hạn hoàn thành: "
        "trước ngày 15/12/2025.**\n"
    )
    d = extract(text, meta=(("published", "2025-10-01"),))
    assert [(t.owners, t.deadline) for t in d.tasks] == [
        (("Bộ Tài chính",), "2025-11-30"),
        (("Bộ Xây dựng",), "2025-12-31"),
        (("UBND thành phố Đà Nẵng",), "2025-12-15"),
    ]
    for t in d.tasks:
        assert text[t.deadline_start : t.deadline_end] == t.deadline_text


def test_a_company_name_ends_before_its_verb_and_an_anaphors_order_is_for_its_addressee() -> None:
    meta = (("published", "2025-08-01"), ("url", "https://x.vn/a.htm"))
    d = extract(
        "Bộ Xây dựng cũng yêu cầu Công ty TNHH MTV Thông tin điện tử Hàng hải Việt Nam chỉ đạo "
        "hệ thống Đài thông tin duyên hải theo dõi.\n",
        meta=meta,
    )
    company = "Công ty TNHH MTV Thông tin điện tử Hàng hải Việt Nam"
    assert [t.owners for t in d.tasks] == [(company,)]
    named = extract(
        "UBND tỉnh giao Công ty TNHH Xây dựng khai thác khoáng sản Nguyên Hải thực hiện.\n",
        meta=meta,
    )
    firm = "Công ty TNHH Xây dựng khai thác khoáng sản Nguyên Hải"
    assert [t.owners for t in named.tasks] == [(firm,)]
    ana = extract(
        "Bộ Công Thương ban hành công điện ứng phó bão.\n\n"
        "Bộ chỉ đạo Tập đoàn Điện lực Việt Nam phải đảm bảo hệ thống điện vận hành an toàn.\n",
        meta=meta,
    )
    assert [t.owners for t in ana.tasks][-1] == ("Tập đoàn Điện lực Việt Nam",)
