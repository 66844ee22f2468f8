"""Tasks packed into one item of a conclusion notice: numbered clauses in
brackets and bodies named after a semicolon each open a task of their own."""

from __future__ import annotations

from extractors import extract

_HEAD = "VĂN PHÒNG CHÍNH PHỦ\n\nTHÔNG BÁO\nKết luận của Ban Chỉ đạo\n\n"


def _tasks(body: str) -> list[tuple[tuple[str, ...], str]]:
    doc = extract(_HEAD + body)
    return [(t.owners, t.text) for t in doc.tasks]


def test_numbered_clauses_with_their_bodies_are_tasks_of_those_bodies() -> None:
    got = _tasks(
        "3. Khẩn trương xây dựng chiến lược dữ liệu: (1) Thanh tra Chính phủ ban hành "
        "trước ngày 25 tháng 11 năm 2025; (2) Bộ Công an chủ trì, phối hợp các bộ, cơ quan "
        "liên quan ban hành hướng dẫn.\n"
    )
    assert got == [
        (("Thanh tra Chính phủ",), "Thanh tra Chính phủ ban hành trước ngày 25 tháng 11 năm 2025"),
        (
            ("Bộ Công an",),
            "Bộ Công an chủ trì, phối hợp các bộ, cơ quan liên quan ban hành hướng dẫn.",
        ),
    ]


def test_numbered_actions_under_a_bodys_name_are_that_bodys() -> None:
    got = _tasks(
        "c) Bộ Công an: (1) Tiếp tục đầu tư phát triển Trung tâm Dữ liệu quốc gia số 1; "
        "(2) Tham mưu ban hành Nghị định của Chính phủ về cơ chế đột phá, hoàn thành "
        "trước ngày 10 tháng 12 năm 2025.\n"
    )
    assert [o for o, _t in got] == [("Bộ Công an",), ("Bộ Công an",)]
    assert got[1][1].startswith("Tham mưu ban hành Nghị định")


def test_a_numbered_list_of_targets_is_no_task() -> None:
    # "(3) Các doanh nghiệp ... sử dụng ...": no body's name opens it, no cut
    got = _tasks(
        "1. Phấn đấu đến năm 2025: (1) tổng vốn đầu tư đạt khoảng 25 tỷ USD; (2) Các doanh "
        "nghiệp khu công nghiệp sử dụng khoảng 320.000 lao động.\n"
    )
    assert all("Các doanh nghiệp" not in t[:20] for _o, t in got)


def test_a_body_after_a_semicolon_takes_the_next_task() -> None:
    got = _tasks(
        "2. Về dữ liệu: Bộ Công an ban hành hướng dẫn trước ngày 25 tháng 11 năm 2025; "
        "Các bộ, ngành, địa phương căn cứ hướng dẫn tổ chức rà soát cơ sở dữ liệu; "
        "Bộ Công an tổng hợp, công bố kết quả trong năm 2026.\n"
    )
    assert [o for o, _t in got] == [
        ("Bộ Công an",),
        ("các bộ, ngành, địa phương",),
        ("Bộ Công an",),
    ]


def test_a_subject_list_split_by_semicolons_stays_one_subject() -> None:
    # the clause before the ";" has no verb: the bodies share the verb after them
    got = _tasks(
        "1. Các sở, ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành phố tiếp tục "
        "tổ chức tuyên truyền, tập huấn cho cán bộ, công chức.\n"
    )
    assert len(got) == 1
    assert len(got[0][0]) == 2


def test_a_semicolon_inside_brackets_opens_nothing() -> None:
    got = _tasks(
        "8. Thành lập Đoàn kiểm tra việc chấp hành quy định tại các sở, ngành (Giao Công an "
        "tỉnh tham mưu; Sở Tư pháp và các cơ quan liên quan phối hợp).\n"
    )
    assert len(got) <= 1
    assert all(not t.startswith("Sở Tư pháp") for _o, t in got)


def test_a_wrapped_line_is_no_clause_end() -> None:
    # the clause before the ";" wraps over a line break; its verb is on the line above
    got = _tasks(
        "2. Bộ Công an chủ trì ban hành hướng dẫn; hoàn thành trước ngày 25 tháng 11 năm\n"
        "2025; Các bộ, ngành, địa phương căn cứ hướng dẫn của Bộ Công an tổ chức rà soát.\n"
    )
    assert [o for o, _t in got] == [("Bộ Công an",), ("các bộ, ngành, địa phương",)]


def test_a_request_reported_in_the_passive_is_the_subjects_task() -> None:
    head = "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ\n\n"
    for body, owner in (
        ("Sở Y tế được yêu cầu chuẩn bị báo cáo trước ngày 10/12.", "Sở Y tế thành phố Cần Thơ"),
        ("Sở Y tế được đề nghị xem xét, bố trí vốn cho dự án.", "Sở Y tế thành phố Cần Thơ"),
    ):
        doc = extract(head + body + "\n")
        assert [t.owners for t in doc.tasks] == [(owner,)]
    # a thing, no body, "được đề nghị": no task
    assert not extract(head + "Dự án được đề nghị xem xét bố trí vốn.\n").tasks


_TELEGRAM = (
    "BỘ XÂY DỰNG\n\nCÔNG ĐIỆN\n\nBỘ XÂY DỰNG điện:\n"
    "- Cục Đường bộ Việt Nam;\n"
    "- Sở Xây dựng các tỉnh, thành phố: Gia Lai, Đắk Lắk.\n"
    "Bộ Xây dựng yêu cầu các cơ quan, đơn vị:\n"
)


def test_a_header_group_named_above_is_the_bodies_named_there() -> None:
    doc = extract(
        _TELEGRAM + "1. Các Sở Xây dựng nêu trên:\n"
        "a) Chủ động phối hợp với các đơn vị quản lý đường bộ khu vực.\n"
    )
    assert [t.owners for t in doc.tasks] == [
        ("Sở Xây dựng tỉnh Gia Lai", "Sở Xây dựng tỉnh Đắk Lắk")
    ]


def test_a_header_of_groups_split_by_a_semicolon_with_its_remit_after_them() -> None:
    doc = extract(
        "THỦ TƯỚNG CHÍNH PHỦ\n\nCÔNG ĐIỆN\n\n1. Bộ trưởng các Bộ: Quốc phòng, Công an; Chủ tịch "
        "Ủy ban nhân dân các tỉnh, thành phố theo chức năng, nhiệm vụ, thẩm quyền:\n"
        "a) Phải chủ động, kịp thời chỉ đạo triển khai công tác phòng, tránh.\n"
    )
    (task,) = doc.tasks
    assert task.owners[:2] == ("Bộ Quốc phòng", "Bộ Công an")
    assert any(o.startswith("UBND các tỉnh, thành phố") for o in task.owners)


def test_a_header_that_stresses_part_of_its_group_over_a_line_break() -> None:
    doc = extract(
        "THỦ TƯỚNG CHÍNH PHỦ\n\nCÔNG ĐIỆN\n\nThủ tướng Chính phủ yêu cầu:\n"
        "1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố, trong đó trọng tâm là các tỉnh:\n"
        "Đắk Lắk, Khánh Hòa:\n"
        "a) Tổ chức xây dựng kế hoạch cụ thể, phát động chiến dịch.\n"
        "b) Huy động lực lượng quân đội, công an hỗ trợ người dân.\n"
    )
    assert len(doc.tasks) == 2
    assert all(t.owners and t.owners[0].startswith("UBND") for t in doc.tasks)


def test_the_party_secretaries_are_their_committees() -> None:
    doc = extract(
        "THỦ TƯỚNG CHÍNH PHỦ\n\nCÔNG ĐIỆN\n\nThủ tướng Chính phủ đề nghị các đồng chí Bộ trưởng, "
        "Thủ trưởng cơ quan ngang bộ, Bí thư Tỉnh ủy, Thành ủy các tỉnh, thành phố tập trung "
        "chỉ đạo cắt giảm thủ tục hành chính.\n"
    )
    (task,) = doc.tasks
    assert "Tỉnh ủy, Thành ủy các tỉnh, thành phố" in task.owners


def test_partners_listed_over_semicolons_stay_partners() -> None:
    # "Ban Quản lý" and "Xây dựng" are names' words, no verbs: no new task after ";"
    doc = extract(
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n\nUBND tỉnh có ý kiến như sau:\n\nGiao Sở Giao thông "
        "vận tải chủ trì, phối hợp các Sở: Kế hoạch và Đầu tư, Xây dựng; Ban Quản lý khu kinh "
        "tế tỉnh; UBND các huyện: Đakrông, Hải Lăng kiểm tra tuyến băng tải.\n"
    )
    (task,) = doc.tasks
    assert task.owners == ("Sở Giao thông vận tải tỉnh Quảng Trị",)
    assert "Ban Quản lý Khu kinh tế tỉnh Quảng Trị" in task.cooperating
