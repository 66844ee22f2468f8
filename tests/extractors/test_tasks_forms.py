"""Task forms learnt from the former held-out set (corpus 37-46), run end to
end through ``extractors.extract``: each rule with a case that must fire and
one that must not.
"""

from __future__ import annotations

from extractors.extraction import extract
from extractors.model import Task


def _tasks(text: str, province: str | None = None) -> list[Task]:
    meta = (("province", province),) if province else ()
    d = extract(text, meta=meta)
    for t in d.tasks:
        assert d.text[t.start : t.end] == t.text
    return list(d.tasks)


def test_leader_speaking_after_a_fronted_clause() -> None:
    text = (
        "Về đề nghị của Bộ Xây dựng tại Công văn số 3093/BXD-VLXD ngày 31 tháng 12 năm 2015, "
        "Phó Thủ tướng Hoàng Trung Hải yêu cầu Bộ Xây dựng chủ trì, phối hợp với Ủy ban nhân dân "
        "tỉnh Tuyên Quang làm rõ ảnh hưởng tới các di tích."
    )
    (t,) = _tasks(text)
    assert t.owners == ("Bộ Xây dựng",)
    assert t.cooperating == ("UBND tỉnh Tuyên Quang",)
    assert t.assigned_by == "Phó Thủ tướng Hoàng Trung Hải"


def test_subject_then_a_verb_outside_the_first_lexicon() -> None:
    (t,) = _tasks(
        "2. Bộ Kế hoạch và Đầu tư nghiên cứu, tiếp thu ý kiến của các Bộ để hoàn thiện Đề án, "
        "trình Thủ tướng Chính phủ trước ngày 31 tháng 12 năm 2017."
    )
    assert t.owners == ("Bộ Kế hoạch và Đầu tư",)
    assert t.deadline == "2017-12-31"


def test_list_item_subject_narrowed_before_its_verb() -> None:
    text = (
        "1. Các Bộ, cơ quan ngang Bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương "
        "đến nay chưa có báo cáo theo văn bản số 4917/BKHĐT-PTDN của Bộ Kế hoạch và Đầu tư, "
        "khẩn trương gửi báo cáo về Bộ Kế hoạch và Đầu tư.\n"
        "2. Bộ Tài chính đã có văn bản số 12/BTC-TCDN ngày 5/10/2017, báo cáo Thủ tướng.\n"
    )
    tasks = _tasks(text)
    assert len(tasks) == 1
    assert [o.lower() for o in tasks[0].owners] == [
        "các bộ, cơ quan ngang bộ",
        "ubnd các tỉnh, thành phố trực thuộc trung ương",
    ]


def test_departments_named_through_their_heads() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, Trưởng các ban, ngành, đơn vị cấp tỉnh, "
        "Chủ tịch UBND các huyện, thị xã, thành phố khẩn trương rà soát các dự án."
    )
    (t,) = _tasks(text, "Thanh Hóa")
    assert t.owners == (
        "các sở, ban, ngành, đơn vị cấp tỉnh Thanh Hóa",
        "UBND các huyện, thị xã, thành phố thuộc tỉnh Thanh Hóa",
    )


def test_colon_lead_with_its_own_action_is_a_task_and_owns_the_items() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu các sở, ban, ngành, đơn vị cấp tỉnh triển khai việc lập "
        "kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025, với các nội dung sau:\n"
        "1. Đánh giá tình hình thực hiện kế hoạch giai đoạn 2016 - 2020.\n"
    )
    tasks = _tasks(text, "Thanh Hóa")
    assert [t.text[:20] for t in tasks] == ["Chủ tịch UBND tỉnh y", "Đánh giá tình hình t"]
    assert {t.owners for t in tasks} == {("các sở, ban, ngành, đơn vị cấp tỉnh Thanh Hóa",)}


def test_colon_lead_that_only_hands_over_is_not_a_task() -> None:
    text = (
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng thực hiện tốt các nhiệm vụ sau:\n"
        "1. Rà soát các dự án chậm tiến độ.\n"
    )
    tasks = _tasks(text, "Bắc Ninh")
    assert [t.text for t in tasks] == ["Rà soát các dự án chậm tiến độ."]
    assert tasks[0].cooperating == ("Sở Xây dựng tỉnh Bắc Ninh",)


def test_hard_wrapped_paragraph_is_read_as_one_sentence() -> None:
    wrapped = (
        "Thực hiện Luật Đầu tư công, Luật\n"
        "Ngân sách nhà nước, Chỉ thị số 20/CT-TTg ngày 29/7/2019 của Thủ tướng Chính phủ\n"
        "và hướng dẫn của Bộ Kế hoạch và Đầu tư về việc lập kế hoạch đầu tư công trung hạn, Chủ\n"
        "tịch UBND tỉnh yêu cầu Giám đốc các sở, Trưởng các ban, ngành, đơn vị cấp tỉnh,\n"
        "Chủ tịch UBND các huyện, thị xã, thành phố khẩn trương đánh giá tình hình thực hiện\n"
        "kế hoạch đầu tư công trung hạn của các ngành, các cấp trong tỉnh giai đoạn 2016\n"
        "- 2020 do ngành, địa phương, đơn vị mình quản lý, trong đó phải chia theo nguồn vốn.\n"
        "Các nội dung trên phải hoàn thành đúng quy định của Luật Đầu tư công và Luật Ngân\n"
        "sách nhà nước; các đơn vị chủ động phối hợp trong quá trình thực hiện nhiệm vụ này.\n"
    )
    tasks = _tasks(wrapped, "Thanh Hóa")
    assert len(tasks) == 1
    assert tasks[0].text.startswith("Thực hiện Luật Đầu tư công")
    assert "- 2020 do ngành" in tasks[0].text


def test_unwrapped_lines_keep_their_breaks() -> None:
    # a short heading line of normal text is no hard wrap: the task after it starts a sentence
    text = (
        "Căn cứ tình hình thực tế.\nVề công tác quy hoạch\nSở Xây dựng kiểm tra các công trình.\n"
    )
    assert [t.text for t in _tasks(text, "Bắc Ninh")] == ["Sở Xây dựng kiểm tra các công trình."]


def test_delivery_details_and_a_bare_repeat_are_not_tasks() -> None:
    text = (
        "Giao các sở, ngành theo chức năng, nhiệm vụ được giao, giải trình những nội dung khác "
        "nhau. "
        "Báo cáo yêu cầu gửi về Văn phòng UBND tỉnh trước 14 giờ, ngày 05/12/2017. "
        "Gửi kèm file vào hòm thư: vanphong@example.gov.vn. "
        "Căn cứ nội dung này, Chủ tịch UBND tỉnh yêu cầu các sở, ngành triển khai thực hiện."
    )
    (t,) = _tasks(text, "Lai Châu")
    assert t.owners == ("các sở, ngành tỉnh Lai Châu",)
    assert t.deadline == "2017-12-05"


def test_a_report_headline_is_not_a_task() -> None:
    text = (
        "UBND tỉnh chỉ đạo về việc tham gia ý kiến dự thảo Chỉ thị về phát triển bền vững.\n"
        "Giao Sở Kế hoạch và Đầu tư chủ trì tham gia ý kiến vào dự thảo Chỉ thị.\n"
    )
    tasks = _tasks(text, "Lai Châu")
    assert [t.owners for t in tasks] == [("Sở Kế hoạch và Đầu tư tỉnh Lai Châu",)]


def test_provincial_tax_department_heads_a_list() -> None:
    text = "a) Cục Thuế có trách nhiệm:\n- Xác định chính xác đối tượng nộp thuế.\n"
    (t,) = _tasks(text, "Thanh Hóa")
    assert t.owners == ("Cục Thuế tỉnh Thanh Hóa",)


def test_a_body_in_every_province_and_its_plural_own_slash_numbered_items() -> None:
    # "Cục Thuế các tỉnh, thành phố" is one group (not "Cục Thuế" of a place named
    # "các tỉnh"); "Các Cục Thuế" later in the letter is the same group; "1/" numbers items
    text = (
        "Tổng cục Thuế yêu cầu Cục Thuế các tỉnh, thành phố trực thuộc Trung ương thực "
        "hiện một số giải pháp sau:\n\n"
        "1/ Các Cục Thuế rà soát lại kế hoạch thanh tra năm 2016.\n\n"
        "2/ Tăng cường công tác thanh tra, kiểm tra sau hoàn thuế.\n"
    )
    tasks = _tasks(text)
    group = "Cục Thuế các tỉnh, thành phố trực thuộc Trung ương"
    assert [(t.text[:20], t.owners) for t in tasks] == [
        ("Các Cục Thuế rà soát", (group,)),
        ("Tăng cường công tác ", (group,)),
    ]
    assert tasks[0].owner_kinds == ("collective",)


def test_a_plural_body_in_a_central_letter_is_one_per_province() -> None:
    text = (
        "BỘ TÀI CHÍNH\nSố: 1234/BTC-TCHQ\nV/v hoàn thuế\n\nHà Nội, ngày 05 tháng 3 năm 2024\n\n"
        "Bộ Tài chính đề nghị các Cục Hải quan rà soát hồ sơ hoàn thuế.\n"
    )
    doc = extract(text)
    assert doc.doc.issuer == "Bộ Tài chính"
    assert [t.owners for t in doc.tasks] == [
        ("Cục Hải quan các tỉnh, thành phố trực thuộc Trung ương",)
    ]


def test_places_enumerated_after_one_unit_word_are_one_owner_each() -> None:
    cases = [
        (
            "Giao UBND các tỉnh Nghệ An, Hà Tĩnh và Quảng Bình khẩn trương rà soát.",
            ("UBND tỉnh Nghệ An", "UBND tỉnh Hà Tĩnh", "UBND tỉnh Quảng Bình"),
        ),
        (
            "Đề nghị Sở Y tế các tỉnh Nghệ An, Hà Tĩnh khẩn trương rà soát.",
            ("Sở Y tế tỉnh Nghệ An", "Sở Y tế tỉnh Hà Tĩnh"),
        ),
        # districts the gazetteer does not list, and one of another kind ("TX")
        (
            "Phó Chủ tịch UBND tỉnh yêu cầu các huyện Bình Sơn, Sơn Tịnh và TX Đức Phổ "
            "hoàn thiện dự toán năm 2025.",
            ("UBND huyện Bình Sơn", "UBND huyện Sơn Tịnh", "UBND thị xã Đức Phổ"),
        ),
        (
            "Thủ tướng giao UBND các tỉnh, thành phố Ninh Bình, Hà Tĩnh, Cần Thơ có kế hoạch "
            "bố trí vốn đối ứng.",
            ("UBND tỉnh Ninh Bình", "UBND tỉnh Hà Tĩnh", "UBND thành phố Cần Thơ"),
        ),
        (
            "Yêu cầu Ủy ban nhân dân thành phố Đà Nẵng và tỉnh Quảng Ngãi quyết liệt chỉ đạo.",
            ("UBND thành phố Đà Nẵng", "UBND tỉnh Quảng Ngãi"),
        ),
        (
            "Công điện yêu cầu UBND huyện Quang Bình, Bắc Quang triển khai ngay các biện pháp.",
            ("UBND huyện Quang Bình", "UBND huyện Bắc Quang"),
        ),
        (
            "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố\ntrực thuộc Trung ương: Hà Tĩnh, "
            "Quảng Trị chủ động phối hợp với Bộ Tài chính.",
            ("UBND tỉnh Hà Tĩnh", "UBND tỉnh Quảng Trị"),
        ),
    ]
    for text, owners in cases:
        assert [t.owners for t in _tasks(text)] == [owners], text


def test_a_body_after_a_district_is_no_second_district() -> None:
    for text in (
        "Giao UBND huyện Tân Yên, Sở Y tế khẩn trương rà soát.",
        "Giao UBND huyện Tân Yên, Phó Trưởng Ban Dân tộc khẩn trương rà soát.",
    ):
        owners = [o for t in _tasks(text, province="Bắc Giang") for o in t.owners]
        assert not any(o.startswith("UBND huyện") and o != "UBND huyện Tân Yên" for o in owners)


def test_a_province_as_subject_after_a_purpose_clause_owns_the_items() -> None:
    text = (
        "Sau khi nghe báo cáo, Phó Thủ tướng Chính phủ Mai Văn Chính đã kết luận như sau:\n\n"
        "Để đạt mục tiêu tăng trưởng kinh tế năm 2025, tỉnh Đắk Lắk cần tiếp tục thực hiện "
        "quyết liệt các nhiệm vụ, trong đó tập trung một số nội dung sau:\n\n"
        "1. Rà soát các chỉ tiêu phát triển kinh tế - xã hội được giao từ đầu năm.\n\n"
        "2. Đẩy mạnh giải ngân đầu tư công, phân công nhiệm vụ cụ thể cho từng lãnh đạo.\n"
    )
    tasks = _tasks(text)
    items = [t for t in tasks if t.text.startswith(("Rà soát", "Đẩy mạnh"))]
    assert [t.owners for t in items] == [("UBND tỉnh Đắk Lắk",)] * 2
    # the speaker without the auxiliary "đã"
    assert {t.assigned_by for t in tasks} == {"Phó Thủ tướng Chính phủ Mai Văn Chính"}
    # a province named in passing is no subject
    other = _tasks("Giao Sở Y tế, tỉnh Đắk Lắk rà soát các chỉ tiêu y tế.", province="Đắk Lắk")
    assert all("UBND tỉnh Đắk Lắk" not in t.owners for t in other)


def test_a_header_asking_listed_bodies_gives_them_its_items() -> None:
    text = (
        "6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh, Liên minh Hợp tác xã Tỉnh\n\n"
        "- Tuyên truyền, vận động hội viên tham gia các hoạt động chuyển đổi số.\n\n"
        "- Phối hợp với Sở Khoa học và Công nghệ đánh giá hiệu quả.\n"
    )
    owners = (
        "Hiệp hội Doanh nghiệp tỉnh Đồng Tháp",
        "Hội Nông dân tỉnh Đồng Tháp",
        "Liên minh Hợp tác xã tỉnh Đồng Tháp",  # "Tỉnh" written with a capital is the province
    )
    assert [t.owners for t in _tasks(text, province="Đồng Tháp")] == [owners, owners]


def test_an_abbreviated_unit_glued_to_its_name() -> None:
    (t,) = _tasks("UBND TP.Tân Uyên có trách nhiệm công bố công khai việc điều chỉnh kế hoạch.")
    assert t.owners == ("UBND thành phố Tân Uyên",)


def test_party_committees_and_authorities_of_every_level_are_a_group() -> None:
    text = (
        "Ban Thường vụ Tỉnh ủy yêu cầu cấp ủy, tổ chức đảng, chính quyền các cấp, các sở, "
        "ban, ngành chủ động ứng phó với bão số 9."
    )
    (t,) = _tasks(text, province="Hưng Yên")
    assert t.owners[:2] == (
        "cấp ủy, tổ chức đảng, chính quyền các cấp tỉnh Hưng Yên",
        "các sở, ban, ngành tỉnh Hưng Yên",
    )


def test_news_leader_asks_a_body_named_by_its_initials_then_ordinal_items() -> None:
    text = (
        "Trung tâm nâng cao chất lượng hoạt động\n"
        "Phó Thống đốc đề nghị CIC cần tập trung triển khai một số nhiệm vụ trọng tâm như sau:\n\n"
        "Thứ nhất, tiếp tục hỗ trợ các ngân hàng thực hiện Thông tư 15/2023/TT-NHNN.\n\n"
        "Về phía các doanh nghiệp, Phó Thống đốc yêu cầu nghiêm túc thực hiện Thông tư 15.\n"
    )
    d = extract(text, meta=(("published", "2025-03-01"),))
    got = [(t.text.split(",")[0], t.owners) for t in d.tasks]
    assert ("Thứ nhất", ("CIC",)) in got
    assert ("Về phía các doanh nghiệp", ("các doanh nghiệp",)) in got


def test_a_group_header_lists_members_over_lines_and_emphasis_marks() -> None:
    # a copy of a web page keeps "**" around headers; the members run over line breaks
    text = (
        "Về trách nhiệm phối hợp:\n\n"
        "**1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý Khu Kinh tế Phú Yên, Ban\n"
        "quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Phú Yên):**\n\n"
        "a) Là đầu mối chủ trì, tiếp nhận hồ sơ đề xuất chủ trương đầu tư.\n\n"
        "b) Chịu trách nhiệm kiểm tra tính hợp lệ của hồ sơ.\n"
    )
    tasks = _tasks(text, province="Đắk Lắk")
    assert len(tasks) == 2
    for t in tasks:
        assert len(t.owners) == 3 and t.owners[0] == "Sở Tài chính tỉnh Đắk Lắk"
        assert t.owners[2] == "Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Phú Yên"


def test_an_owner_with_its_role_after_a_dash() -> None:
    text = (
        "8. Bộ Xây dựng - Cơ quan Thường trực Ban Chỉ đạo Trung ương về chính\n"
        "sách nhà ở và thị trường bất động sản chủ trì phối hợp với Văn phòng Chính phủ\n"
        "đôn đốc các bộ, cơ quan, địa phương thực hiện nhiệm vụ được giao tại Công điện này.\n"
    )
    (t,) = _tasks(text)
    assert t.owners == ("Bộ Xây dựng",)
    assert t.cooperating == ("Văn phòng Chính phủ",)


def test_news_the_peoples_committee_directs_a_department() -> None:
    text = (
        "Bảo đảm an toàn trường học\n"
        "Kinhtedothi – Qua sự việc đáng tiếc vừa xảy ra, UBND TP chỉ đạo Giám đốc Sở Giáo dục và "
        "Đào tạo chủ trì, phối hợp với các ngành liên quan rà soát dịch vụ đưa đón học sinh.\n"
    )
    d = extract(text, meta=(("published", "2024-06-01"), ("province", "Hà Nội")))
    (t,) = d.tasks
    assert t.owners == ("Sở Giáo dục và Đào tạo thành phố Hà Nội",)
    assert t.assigned_by == "UBND thành phố Hà Nội"
