"""Owners a header or a sentence names that no list knows: a body whose name
lists its fields in lower case, the bodies a header asks ("Đề nghị ..."), a
group named by its trade ("các cơ sở đào tạo"), and a group's short name the
text defines ("sau đây gọi là ...")."""

from __future__ import annotations

from extractors import extract
from extractors.collectives import canonical_collective, find_collectives
from extractors.cues import task_cues
from extractors.names import find_named_bodies
from extractors.task_filter import candidates

_PLAN = (
    "ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH SƠN LA                      Độc lập - Tự do - Hạnh phúc\n\n"
    "Số: 29/KH-UBND                   Sơn La, ngày 20 tháng 11 năm 2025\n\n"
    "KẾ HOẠCH\nXuất khẩu sản phẩm hàng hóa\n\n"
    "III. TỔ CHỨC THỰC HIỆN\n\n"
    "**7. Trung\ntâm Xúc tiến đầu tư, thương mại và du lịch**\n\n"
    "- Tổ chức các chương trình tuần hàng, hội chợ thương mại.\n\n"
    "**8. Đề nghị\nLiên minh Hợp tác xã tỉnh, Đoàn TNCS Hồ Chí Minh tỉnh, Hội nông dân tỉnh, Hiệp\n"
    "hội doanh nghiệp tỉnh**\n\n"
    "- Đẩy mạnh tập huấn, học tập mô hình sản xuất tiên tiến.\n\n"
    "**9. Đề nghị\ncác doanh nghiệp sản xuất, chế biến và xuất khẩu hàng hóa**\n\n"
    "- Chủ động nắm bắt thông tin thị trường để xây dựng kế hoạch sản xuất.\n"
)


def _owners(text: str, start: str) -> tuple[str, ...]:
    doc = extract(text)
    return next(t.owners for t in doc.tasks if t.text.startswith(start))


def test_a_name_with_lower_case_fields_closed_by_va_is_one_body() -> None:
    assert _owners(_PLAN, "Tổ chức các chương trình") == (
        "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Sơn La",
    )
    text = "Trung tâm Y tế, trường học và bệnh viện phải"
    names = [s.norm for s in find_named_bodies(text, province="Sơn La")]
    assert names == ["Trung tâm Y tế tỉnh Sơn La"]  # a list of bodies, not fields of one name


def test_a_header_that_asks_bodies_on_the_next_line_owns_its_items() -> None:
    assert _owners(_PLAN, "Đẩy mạnh tập huấn") == (
        "Liên minh Hợp tác xã tỉnh Sơn La",
        "Đoàn TNCS Hồ Chí Minh tỉnh Sơn La",
        "Hội nông dân tỉnh Sơn La",
        "Hiệp hội doanh nghiệp tỉnh Sơn La",
    )
    doc = extract(_PLAN)
    task = next(t for t in doc.tasks if t.text.startswith("Đẩy mạnh tập huấn"))
    assert task.owner_kinds == ("agency", "agency", "agency", "organization")


def test_a_group_named_by_its_trade_keeps_the_trade() -> None:
    assert _owners(_PLAN, "Chủ động nắm bắt") == (
        "các doanh nghiệp sản xuất, chế biến và xuất khẩu hàng hóa trên địa bàn tỉnh Sơn La",
    )
    cues = task_cues()
    names = [
        c.name
        for c in find_collectives(
            "Đề nghị các cơ sở đào tạo xây dựng kế hoạch.", cues, province="Sơn La"
        )
    ]
    assert names == ["các cơ sở đào tạo tỉnh Sơn La"]
    names = [
        c.name
        for c in find_collectives(
            "Đề nghị các doanh nghiệp hoạt động cho thuê lại lao động báo cáo.",
            cues,
            province="Sơn La",
        )
    ]
    assert names == ["các doanh nghiệp hoạt động cho thuê lại lao động trên địa bàn tỉnh Sơn La"]
    # a verb after the class noun is still the group's verb
    names = [
        c.name
        for c in find_collectives("Yêu cầu các đơn vị thực hiện nghiêm.", cues, province="Sơn La")
    ]
    assert names == ["các đơn vị tỉnh Sơn La"]


_VHTTDL = "Bộ Văn hóa, Thể thao và Du lịch"


def test_a_ministrys_units_under_it_take_its_name() -> None:
    assert (
        canonical_collective("các cơ sở đào tạo trực thuộc Bộ", issuer=_VHTTDL)
        == "các cơ sở đào tạo trực thuộc Bộ Văn hóa, Thể thao và Du lịch"
    )
    assert (
        canonical_collective("các đơn vị thuộc Bộ", issuer="Bộ Công Thương")
        == "các đơn vị thuộc Bộ Công Thương"
    )


def test_a_groups_defined_short_name_stands_for_the_group() -> None:
    text = (
        "Bộ đề nghị các cơ sở đào tạo trực thuộc Bộ (sau đây gọi là cơ sở đào tạo) thực hiện. "
        "Các cơ sở đào tạo chủ động xây dựng kế hoạch."
    )
    names = [c.name for c in find_collectives(text, task_cues(), issuer=_VHTTDL)]
    assert names == ["các cơ sở đào tạo trực thuộc Bộ Văn hóa, Thể thao và Du lịch"] * 2


def test_the_authorities_named_without_a_determiner_are_a_group() -> None:
    cues = task_cues()
    text = "Cấp uỷ, tổ chức đảng, chính quyền, đoàn thể các cấp tập trung chỉ đạo."
    names = [c.name for c in find_collectives(text, cues)]
    assert names == ["cấp uỷ, tổ chức đảng, chính quyền, đoàn thể các cấp"]
    text = "Yêu cầu chính quyền địa phương và các ngành chức năng khẩn trương sơ tán người dân."
    names = [c.name for c in find_collectives(text, cues, province="Thanh Hóa")]
    assert names == ["chính quyền địa phương tỉnh Thanh Hóa", "các ngành chức năng tỉnh Thanh Hóa"]
    # the two-tier model and the digital administration are topics, not owners
    text = "Tiếp tục xây dựng chính quyền số, vận hành chính quyền địa phương hai cấp."
    assert find_collectives(text, cues) == []


_NEWS = (
    "Bộ Y tế chỉ đạo trực Tết\n\n"
    "Bộ Y tế vừa có văn bản chỉ đạo các bệnh viện tăng cường trực cấp cứu dịp Tết.\n"
)
_LETTER = (
    "BỘ NỘI VỤ                        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 10989/BNV-TCBC               Hà Nội, ngày 20 tháng 10 năm 2025\n\n"
    "Bộ Nội vụ đã có Văn bản số 8091/BNV-TCBC ngày 17/9/2025 đề nghị các bộ, ngành báo cáo "
    "thực trạng biên chế.\n"
)


def test_news_of_a_document_that_orders_bodies_gives_them_the_task() -> None:
    doc = extract(_NEWS, meta=(("url", "https://vneconomy.vn/x.htm"), ("published", "2026-02-09")))
    task = next(t for t in doc.tasks if "trực cấp cứu" in t.text)
    assert task.owners == ("các bệnh viện",)
    assert task.assigned_by == "Bộ Y tế"
    # in an official letter the same words recount an earlier request: no task of its own
    doc = extract(_LETTER)
    assert not any(t.text.startswith("Bộ Nội vụ đã có Văn bản") for t in doc.tasks)


_AWARDS = (
    "ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH ĐẮK LẮK                     Độc lập - Tự do - Hạnh phúc\n\n"
    "Số: 125/KH-UBND                  Đắk Lắk, ngày 18 tháng 11 năm 2025\n\n"
    "KẾ HOẠCH\nThi đua, khen thưởng\n\n"
    "**IV. SỐ LƯỢNG\nĐỀ NGHỊ KHEN THƯỞNG**\n\n"
    "- Thực hiện theo đúng quy định pháp luật về thi đua, khen thưởng hiện hành.\n\n"
    "**V. TỔ CHỨC THỰC HIỆN**\n\n"
    "**1. Sở Nội vụ**\n\n"
    "- Tham mưu UBND tỉnh theo dõi, đôn đốc thực hiện Kế hoạch.\n"
)


def test_a_markdown_part_of_awards_holds_no_tasks() -> None:
    doc = extract(_AWARDS)
    texts = [t.text for t in doc.tasks]
    assert not any(t.startswith("Thực hiện theo đúng quy định") for t in texts)
    assert any(t.startswith("Tham mưu UBND tỉnh theo dõi") for t in texts)


def test_news_of_a_body_directing_others_gives_them_the_task() -> None:
    meta = (("url", "https://cafef.vn/x.htm"), ("published", "2026-02-23"))
    text = (
        "Về các nhiệm vụ chung, Thủ tướng Chính phủ chỉ đạo các Bộ trưởng, Thủ trưởng các cơ "
        "quan ngang bộ theo dõi sát tình hình.\n"
    )
    task = extract(text, meta=meta).tasks[0]
    assert task.owners[0].startswith("các bộ")
    assert task.assigned_by == "Thủ tướng Chính phủ"


_DEPARTMENT = (
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH ĐỒNG THÁP                   Độc lập - Tự do - Hạnh phúc\n\n"
    "Số: 362/KH-SGDĐT                 Đồng Tháp, ngày 14 tháng 4 năm 2026\n\n"
    "KẾ HOẠCH\nĐón đoàn kiểm tra\n\n"
    "1. Phòng Giáo dục Phổ thông\n"
    "Chủ trì xây dựng kế hoạch đón đoàn kiểm tra.\n"
    "2. Văn phòng Sở\n"
    "Phối hợp Phòng Kế hoạch - Tài chính dự trù kinh phí.\n"
)


def test_a_departments_own_offices_are_named_with_it() -> None:
    doc = extract(_DEPARTMENT)
    dept = "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"
    lead = next(t for t in doc.tasks if "xây dựng kế hoạch" in t.text)
    assert lead.owners == (f"Phòng Giáo dục Phổ thông {dept}",)
    funds = next(t for t in doc.tasks if "dự trù kinh phí" in t.text)
    assert funds.owners[0] == f"Văn phòng {dept}"  # not "Văn phòng Sở Phối hợp"
    assert f"Phòng Kế hoạch - Tài chính {dept}" in {a.name for a in doc.agencies}


_NOTICE = (
    "THÔNG BÁO\n\nKẾT LUẬN CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ KHẮC PHỤC HẬU QUẢ MƯA LŨ\n\n"
    "Ngày 29 tháng 11 năm 2025, Thủ tướng Chính phủ thị sát tình hình lũ lụt tại tỉnh Đắk Lắk.\n\n"
    "1. Các địa phương khẩn trương khắc phục các công trình hạ tầng thiết yếu.\n\n"
    "Văn phòng Chính\nphủ thông báo để các cơ quan và địa phương liên quan biết, thực hiện./.\n\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n"
)


def test_a_headerless_notice_is_sent_by_the_body_its_closing_formula_names() -> None:
    doc = extract(_NOTICE)
    assert doc.doc.issuer == "Văn phòng Chính phủ"
    task = next(t for t in doc.tasks if "hạ tầng thiết yếu" in t.text)
    assert task.owners == ("các địa phương",)  # a central notice's: no province


def test_a_body_that_has_the_duty_owns_the_work() -> None:
    text = "Chính quyền các địa phương trong tỉnh Cà Mau có nhiệm vụ rà soát các điểm sạt lở."
    doc = extract(text + "\n", meta=(("url", "https://baocamau.vn/x.htm"),))
    assert [t.owners for t in doc.tasks] == [("chính quyền các địa phương tỉnh Cà Mau",)]


_PORTAL_NOTICE = (
    "THÔNG BÁO về việc chủ động phòng, chống rét đậm, rét hại\n\n"
    "Thực hiện các văn bản chỉ đạo của UBND tỉnh Phú Thọ. Ủy ban nhân dân xã Tam Nông thông báo "
    "và yêu cầu các cơ quan, đơn vị thực hiện tốt một số nội dung sau:\n\n"
    "Thứ nhất, các cơ quan, đơn vị tổ chức trực ban nghiêm túc.\n"
)


def test_a_portals_copy_of_a_notice_is_the_notice_of_the_body_it_opens_with() -> None:
    doc = extract(_PORTAL_NOTICE, meta=(("url", "https://tamnong.phutho.gov.vn/tin/1"),))
    assert (doc.doc.kind, doc.doc.doc_type, doc.doc.issuer) == (
        "official",
        "Thông báo",
        "UBND xã Tam Nông",
    )
    task = next(t for t in doc.tasks if "trực ban" in t.text)
    assert task.owners == ("các cơ quan, đơn vị xã Tam Nông",)
    # an article that only reports a notice stays an article
    news = extract(
        "Tin tức\n\nUBND xã Tam Nông thông báo lịch tiếp công dân.\n",
        meta=(("url", "https://baophutho.vn/x.htm"),),
    )
    assert news.doc.kind == "news"


_LETTER_TAIL = (
    "\n\nNơi nhận:\n- Như trên;\n- Thường trực Thành ủy;\n- Thường trực HĐND TP;\n- Lưu: VT, KT.\n"
)


def test_a_headerless_letter_signed_for_the_peoples_committee_is_its_letter() -> None:
    body = (
        "Kính gửi: Các sở, ban, ngành thuộc Thành phố.\n\n"
        "Ủy ban nhân dân thành phố Hà Nội đề nghị các sở, ban, ngành khẩn trương rà soát."
    )
    wrapped = extract(
        body + _LETTER_TAIL + "**TM. ỦY BAN NHÂN\nDÂN**\nKT. CHỦ TỊCH\n"
        "**PHÓ CHỦ TỊCH**\n**Nguyễn Xuân Lưu**\n"
    )
    assert wrapped.doc.issuer == "UBND thành phố Hà Nội"
    chairman = extract(body + _LETTER_TAIL + "**KT. CHỦ TỊCH**\nPHÓ CHỦ TỊCH\n**Nguyễn Văn A**\n")
    assert chairman.doc.issuer == "UBND thành phố Hà Nội"


def test_an_articles_speaker_issued_the_type_its_lead_names() -> None:
    meta = (("url", "https://cafef.vn/x.htm"), ("published", "2026-01-29"))
    leads = {
        "Bộ Y tế vừa có văn bản chỉ đạo các bệnh viện tăng cường trực cấp cứu.": (
            "Bộ Y tế",
            "Công văn",
        ),
        "Ngày 29-1, Bộ Nông nghiệp và Môi trường ban hành Chỉ thị 972 về đón Tết.": (
            "Bộ Nông nghiệp và Môi trường",
            "Chỉ thị",
        ),
        "Bộ trưởng yêu cầu các đơn vị không tổ chức chúc Tết.": (None, None),
    }
    for lead, want in leads.items():
        doc = extract(lead + "\n", meta=meta)
        assert (doc.doc.issuer, doc.doc.doc_type) == want, lead


def test_a_legal_portals_property_lines_give_number_and_date() -> None:
    text = (
        "Số hiệu: 17899/BTC-VP\nLoại văn bản: Công văn\nNơi ban hành: Bộ Tài chính\n"
        "Ngày ban hành: 18/11/2025\n\nKính gửi: Ủy ban nhân dân các tỉnh, thành phố.\n\n"
        "Bộ Tài chính đề nghị Ủy ban nhân dân các tỉnh, thành phố cử cán bộ tham dự tập huấn.\n"
    )
    doc = extract(text)
    assert (doc.doc.number_symbol, doc.doc.issue_date) == ("17899/BTC-VP", "2025-11-18")


def test_a_headerless_copy_takes_its_number_from_its_appendix_caption() -> None:
    text = (
        "NGHỊ QUYẾT\n\nVề phong trào toàn dân bảo vệ môi trường\n\nCHÍNH PHỦ\n\n"
        "Căn cứ Luật Tổ chức Chính phủ;\n\nQUYẾT NGHỊ:\n\n"
        "1. Bộ Nông nghiệp và Môi trường chủ trì triển khai phong trào.\n\n"
        "PHỤ LỤC\n\n*(Kèm theo\nNghị quyết số 394/NQ-CP ngày 03 tháng 12 năm 2025 của Chính phủ)*\n"
    )
    doc = extract(text)
    assert (doc.doc.number_symbol, doc.doc.issue_date) == ("394/NQ-CP", "2025-12-03")
    assert "394/NQ-CP" not in {r.number for r in doc.legal_refs}  # its own number


def test_a_signature_whose_body_wraps_keeps_the_title_alone() -> None:
    from extractors.metadata import find_signer

    block = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN\nDÂN\nCHỦ TỊCH\nVõ Tấn Đức\n"
    signer = find_signer(block)
    assert signer is not None and (signer.name, signer.title) == ("Võ Tấn Đức", "Chủ tịch")
    board = "Nơi nhận:\n- Lưu: VT.\n\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Văn A\n"
    signer = find_signer(board)
    assert signer is not None and signer.title == "Phó Trưởng ban"


def test_the_fronts_central_committee_by_its_short_names() -> None:
    doc = extract("Nơi nhận:\n- Ủy ban TW Mặt trận Tổ quốc Việt Nam;\n- UBTW MTTQVN;\n")
    assert [a.name for a in doc.agencies] == ["Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"]


def test_a_body_named_by_its_topic_on_the_next_line_stops_at_its_role() -> None:
    text = "Ban Chỉ đạo Trung ương\nvề chính sách nhà ở và thị trường bất động sản chủ trì"
    assert [s.norm for s in find_named_bodies(text)] == [
        "Ban Chỉ đạo Trung ương về chính sách nhà ở và thị trường bất động sản"
    ]


def test_a_news_passage_s_groups_belong_to_its_headline_commune() -> None:
    from extractors.tasks import headline_commune

    text = (
        "Xã An Nông triển khai nhiệm vụ trước, trong và sau Tết\n\n"
        "Các cơ quan, đơn vị được yêu cầu chủ động xử lý tình huống phát sinh.\n"
    )
    meta = (("kind", "news"), ("published", "2026-02-10"), ("province", "Thanh Hóa"))
    doc = extract(text, meta=meta)
    assert [t.owners for t in doc.tasks] == [("các cơ quan, đơn vị xã An Nông",)]
    assert headline_commune("ĐẢNG ỦY PHƯỜNG LÊ CHÂN TỔ CHỨC HỘI NGHỊ\n") == "UBND phường Lê Chân"
    # two places in the headline: no scope from it
    assert headline_commune("Xã A và phường B ra quân\n") is None


def test_a_group_named_by_its_bloc_keeps_the_bloc() -> None:
    text = "Đồng chí Bí thư đề nghị các đơn vị trong khối Nội chính xây dựng quy chế phối hợp."
    names = [c.name for c in find_collectives(text, task_cues(), issuer="UBND phường Lê Chân")]
    assert names == ["các đơn vị trong khối Nội chính phường Lê Chân"]
    text = "Đề nghị các đơn vị trong khối Đảng triển khai ngay."  # the verb is not the bloc's
    assert [c.name for c in find_collectives(text, task_cues())] == ["các đơn vị trong khối Đảng"]


def test_the_provinces_of_an_area_are_a_group_of_their_own() -> None:
    text = (
        "2. Bí thư tỉnh ủy, thành ủy; Chủ tịch Ủy ban nhân dân các tỉnh, thành phố tại khu vực"
        " dự báo xảy ra mưa, lũ tập trung lãnh đạo, chỉ đạo, triển khai ngay các biện pháp."
    )
    area = "các tỉnh, thành phố tại khu vực dự báo xảy ra mưa, lũ"
    task = extract(text).tasks[0]
    assert task.owners == (f"Tỉnh ủy, Thành ủy {area}", f"UBND {area}")
    assert task.owner_kinds == ("collective", "collective")
    text = "3. Ủy ban nhân dân các tỉnh khu vực Trung Bộ khẩn trương sơ tán dân."
    assert extract(text).tasks[0].owners == ("UBND các tỉnh khu vực Trung Bộ",)
    # every province: the group keeps its usual name
    text = "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố tập trung chỉ đạo sơ tán dân."
    assert extract(text).tasks[0].owners == ("UBND các tỉnh, thành phố trực thuộc Trung ương",)


def test_party_heads_beside_the_peoples_committees_of_every_province() -> None:
    text = (
        "Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố"
        " tập trung chỉ đạo khắc phục hậu quả mưa lũ."
    )
    task = extract(text).tasks[0]
    assert task.owners == (
        "Tỉnh ủy, Thành ủy các tỉnh, thành phố",
        "UBND các tỉnh, thành phố trực thuộc Trung ương",
    )
    assert task.owner_kinds == ("collective", "collective")


def test_a_news_list_of_directives_announced_by_its_lead() -> None:
    text = (
        "Phường Phong Thái họp bàn\n\nTại hội nghị, lãnh đạo UBND phường triển khai một số nhiệm vụ"
        " trọng tâm như: Kiện toàn tổ chức bộ máy; phân công nhiệm vụ cụ thể cho từng đồng chí;"
        " đẩy mạnh công tác dân vận.\n"
    )
    doc = extract(text, meta=(("kind", "news"), ("published", "2025-08-01")))
    assert [(t.text, t.owners) for t in doc.tasks] == [
        ("Kiện toàn tổ chức bộ máy", ()),
        ("phân công nhiệm vụ cụ thể cho từng đồng chí", ()),
        ("đẩy mạnh công tác dân vận.", ()),
    ]
    # without a lead announcing a list, the clauses are no directives
    plain = text.replace("triển khai một số nhiệm vụ trọng tâm như:", "bàn về:")
    assert extract(plain, meta=(("kind", "news"), ("published", "2025-08-01"))).tasks == ()


_DECISION = (
    "QUYẾT ĐỊNH:\n\n"
    "Điều 1. Thành lập Tổ công tác triển khai đầu tư các tuyến đường sắt kết nối\n"
    "với Trung Quốc và Lào (gọi tắt là Tổ công tác) là tổ chức phối hợp liên ngành.\n\n"
    "Điều 2. Nhiệm vụ của Tổ công tác:\n"
    "1. Giúp Thủ tướng Chính phủ chỉ đạo, đôn đốc các bộ, ngành giải quyết công việc.\n"
    "2. Thực hiện các nhiệm vụ khác do Thủ tướng Chính phủ giao.\n"
)


def test_a_body_set_up_by_a_decision_owns_the_duties_of_its_article() -> None:
    full = "Tổ công tác triển khai đầu tư các tuyến đường sắt kết nối với Trung Quốc và Lào"
    tasks = extract(_DECISION).tasks
    duties = [t for t in tasks if t.text.startswith(("Giúp", "Thực hiện"))]
    assert [t.owners for t in duties] == [(full,), (full,)]
    # the heading's "chỉ đạo" is a body's name, not a speaker's verb; a header naming
    # the duties and powers of a body owns its items too
    text = _DECISION.replace("Nhiệm vụ của Tổ công tác:", "Nhiệm vụ, quyền hạn của Tổ công tác")
    assert [t.owners for t in extract(text).tasks if t.text.startswith("Giúp")] == [(full,)]


def test_a_group_of_departments_is_spelled_out() -> None:
    assert canonical_collective("các Sở GDĐT") == "các Sở Giáo dục và Đào tạo"
    assert canonical_collective("các Phòng TN&MT", province="Bắc Ninh") == (
        "các Phòng Tài nguyên và Môi trường tỉnh Bắc Ninh"
    )


def test_an_adverb_after_a_group_is_not_part_of_its_name() -> None:
    text = "Bộ Công Thương yêu cầu các doanh nghiệp tuyệt đối không để gián đoạn nguồn cung."
    doc = extract(text, meta=(("kind", "news"), ("published", "2026-03-10")))
    assert [t.owners for t in doc.tasks] == [("các doanh nghiệp",)]


def test_a_province_asked_by_its_name_is_its_peoples_committee() -> None:
    meta = (("kind", "news"), ("published", "2026-03-08"))
    text = (
        "Lãnh đạo Chính phủ yêu cầu tỉnh Điện Biên tiếp tục triển khai đồng bộ các nghị quyết.\n\n"
        "Thủ tướng chỉ đạo Điện Biên cần làm tốt công tác quy hoạch.\n"
    )
    assert [t.owners for t in extract(text, meta=meta).tasks] == [
        ("UBND tỉnh Điện Biên",),
        ("UBND tỉnh Điện Biên",),
    ]
    # a place the work is done in is no owner
    text = "Bộ Xây dựng yêu cầu đẩy nhanh tiến độ dự án tại tỉnh Điện Biên."
    assert all("UBND tỉnh Điện Biên" not in t.owners for t in extract(text, meta=meta).tasks)


def test_a_force_named_by_its_service_is_a_group() -> None:
    meta = (("kind", "news"), ("published", "2026-03-08"), ("province", "Nghệ An"))
    text = "Lực lượng Quản lý thị trường được yêu cầu triển khai các biện pháp nghiệp vụ."
    assert [t.owners for t in extract(text, meta=meta).tasks] == [
        ("Lực lượng Quản lý thị trường tỉnh Nghệ An",)
    ]
    # in lower case after a partner, a description, not the owner
    text = "phối hợp với Công an, lực lượng Hải quan"
    names = [c.name for c in find_collectives(text, task_cues())]
    assert not any("Hải quan" in n for n in names)


def test_a_name_ends_at_the_country_before_a_verb() -> None:
    text = "Hội Cựu chiến binh Việt Nam xây dựng các văn bản hướng dẫn."
    assert [s.norm for s in find_named_bodies(text)] == ["Hội Cựu chiến binh Việt Nam"]


def test_a_law_named_short_with_its_year_after_an_article() -> None:
    doc = extract("Giám sát việc lập danh sách cử tri theo Điều 29 của Luật Bầu cử năm 2015.")
    assert [(r.canonical, r.article) for r in doc.legal_refs] == [("Luật Bầu cử 2015", "29")]
    assert extract("Thực hiện Luật này năm 2015.").legal_refs == ()


def test_a_joint_resolution_with_its_long_symbol() -> None:
    text = "Căn cứ Nghị quyết liên tịch số 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN ngày 26/9/2025."
    (ref,) = extract(text).legal_refs
    assert (ref.type, ref.number) == (
        "Nghị quyết liên tịch",
        "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN",
    )


def test_a_duty_header_gives_its_duties_to_whoever_it_names() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 2179/QĐ-TTg\n\nQUYẾT ĐỊNH\n\n"
        "Điều 2. Nhiệm vụ và quyền hạn của Thành viên Chính phủ được giao\n\n"
        "1. Nhiệm vụ của Thành viên Chính phủ\n\n"
        "a) Chủ động xây dựng kế hoạch, tổ chức đoàn công tác làm việc với địa phương.\n\n"
        "b) Trực tiếp chỉ đạo xử lý những khó khăn, vướng mắc tại địa phương.\n"
    )
    assert _owners(text, "Chủ động xây dựng") == ("Thành viên Chính phủ",)
    assert _owners(text, "Trực tiếp chỉ đạo") == ("Thành viên Chính phủ",)
    # a topic under the same header words names no one
    topic = text.replace("1. Nhiệm vụ của Thành viên Chính phủ", "1. Nhiệm vụ trọng tâm năm 2025")
    assert _owners(topic, "Chủ động xây dựng") == ("Thành viên Chính phủ",)  # Điều 2's
    topic = topic.replace("Nhiệm vụ và quyền hạn của Thành viên Chính phủ được giao", "Nhiệm vụ")
    assert _owners(topic, "Chủ động xây dựng") == ()


def test_a_quote_left_open_is_no_word_of_the_sentence() -> None:
    text = (
        "Phó Chủ tịch UBND tỉnh Bến Tre chỉ đạo như sau.\n"
        "“Sở Xây dựng chủ trì theo dõi toàn bộ tiến độ dự án; thống nhất đề xuất họp "
        "Ban Chỉ đạo định kỳ hàng tháng.\n"
    )
    assert _owners(text, "Sở Xây dựng chủ trì") == ("Sở Xây dựng tỉnh Bến Tre",)
    # a quoted slogan keeps its quote, and is no task of its own
    slogan = "“Lập thành tích chào mừng Đại hội; tăng tốc, bứt phá”.\n"
    assert [t.text for t in extract(slogan).tasks] == []


_DECREE = "CHÍNH PHỦ\n\nSố: 80/2025/NĐ-CP\n\nNGHỊ ĐỊNH\n\nĐiều 5. Trách nhiệm thi hành\n\n"


def test_a_normative_clause_opens_with_its_group_without_a_determiner() -> None:
    text = _DECREE + (
        "1. Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ xây dựng báo cáo về tổ chức thi hành "
        "pháp luật.\n\n"
        "2. Bộ, cơ quan ngang bộ, Ủy ban nhân dân cấp tỉnh có trách nhiệm phối hợp với "
        "Bộ Tư pháp.\n"
    )
    assert _owners(text, "Bộ, cơ quan ngang bộ, cơ quan") == (
        "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    )
    assert _owners(text, "Bộ, cơ quan ngang bộ, Ủy") == (
        "các bộ, cơ quan ngang bộ",
        "UBND các tỉnh, thành phố trực thuộc Trung ương",
    )
    # a named ministry stays itself, and "do Sở, ngành chủ trì" names the work, not its owner
    assert _owners(_DECREE + "1. Bộ Tư pháp, Bộ Công an xây dựng báo cáo.\n", "Bộ") == (
        "Bộ Tư pháp",
        "Bộ Công an",
    )
    header = "UBND TỈNH ĐẮK LẮK\n\n2. Các sở, ngành chủ trì dự án\n\n"
    item = "- Báo cáo kết quả thực hiện các dự án do Sở, ngành chủ trì gửi Sở Tài chính.\n"
    assert _owners(header + item, "Báo cáo kết quả") == (
        "các sở, ngành chủ trì dự án tỉnh Đắk Lắk",
    )


def test_whoever_holds_a_role_owns_its_duty() -> None:
    cases = {
        "Người đứng đầu cơ quan, đơn vị có trách nhiệm tổ chức thực hiện.": (
            ("người đứng đầu cơ quan, đơn vị",),
            ("collective",),
        ),
        "Cơ quan, người có thẩm quyền có trách nhiệm bảo đảm nguồn lực.": (
            ("cơ quan, người có thẩm quyền",),
            ("collective",),
        ),
        "Doanh nghiệp bưu chính được chỉ định có trách nhiệm bảo đảm chất lượng dịch vụ.": (
            ("doanh nghiệp bưu chính được chỉ định",),
            ("organization",),
        ),
    }
    for sentence, (owners, kinds) in cases.items():
        task = next(t for t in extract(_DECREE + "1. " + sentence + "\n").tasks)
        assert (task.owners, task.owner_kinds) == (owners, kinds), sentence
    # an imperative item is no role: "Tổ chức tuyên truyền ..." names nobody
    task = extract(_DECREE + "1. Tổ chức tuyên truyền sâu rộng có trách nhiệm.\n").tasks
    assert all(t.owners != ("tổ chức tuyên truyền sâu rộng",) for t in task)


def test_a_mass_organization_broken_over_two_lines_stays_in_its_item() -> None:
    text = _DECREE.replace("Điều 5. Trách nhiệm thi hành", "Điều 2. Tổ chức thực hiện") + (
        "c) Đề nghị Trung ương Mặt\ntrận Tổ quốc Việt Nam\n\n"
        "- Chỉ đạo Đoàn Thanh niên\nCộng sản Hồ Chí Minh phát huy vai trò xung kích.\n\n"
        "- Chỉ đạo Hội Liên hiệp\nPhụ nữ Việt Nam đẩy mạnh thực hiện các phong trào.\n"
    )
    tasks = extract(text).tasks
    assert [(t.text.split("\n")[0], t.owners) for t in tasks] == [
        ("Chỉ đạo Đoàn Thanh niên", ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",)),
        ("Chỉ đạo Hội Liên hiệp", ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",)),
    ]


def test_a_lead_role_and_a_remit_before_the_work() -> None:
    head = "UBND TỈNH QUẢNG NGÃI\n\nSố: 4/CT-UBND\n\nCHỈ THỊ\n\n"
    cases = {
        "1. Sở Xây dựng chủ trì lên phương án phân luồng giao thông.\n": (
            "Sở Xây dựng tỉnh Quảng Ngãi",
        ),
        "1. Văn phòng UBND tỉnh trên cơ sở chức năng, nhiệm vụ được giao theo dõi, đôn đốc "
        "việc thực hiện.\n": ("Văn phòng UBND tỉnh Quảng Ngãi",),
        "1. Người đứng đầu cơ quan, tổ chức, đơn vị phải chủ động tổ chức tự kiểm tra.\n": (
            "người đứng đầu cơ quan, tổ chức, đơn vị",
        ),
    }
    for item, owners in cases.items():
        assert [t.owners for t in extract(head + item).tasks] == [owners], item


def test_a_report_item_with_only_a_deadline_is_a_task_of_its_own() -> None:
    text = (
        "BỘ NỘI VỤ\n\nSố: 18/2025/TT-BNV\n\nTHÔNG TƯ\n\nĐiều 5. Tổ chức thực hiện\n\n"
        "2. Ủy ban nhân dân tỉnh, thành phố có trách nhiệm:\n\n"
        "a) Chỉ đạo các cơ quan, đơn vị thực hiện báo cáo thống kê;\n\n"
        "b) Gửi báo cáo về Bộ Nội vụ trước ngày 15 tháng 12 hằng năm.\n"
    )
    tasks = extract(text).tasks
    assert [(t.text[:10], t.owners, t.recurring) for t in tasks] == [
        ("Chỉ đạo cá", ("UBND các tỉnh, thành phố trực thuộc Trung ương",), None),
        ("Gửi báo cá", ("UBND các tỉnh, thành phố trực thuộc Trung ương",), "yearly"),
    ]


def test_an_item_over_its_own_attribute_lines_is_a_task() -> None:
    head = (
        "UBND TỈNH QUẢNG NGÃI\n\nSố: 4/KH-UBND\n\nKẾ HOẠCH\n\n"
        "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế\n\n"
    )
    for item, line in (
        ("a) Tổ chức kiểm tra an toàn thực phẩm;", "- Thời gian hoàn thành: trước ngày 30/6/2026."),
        ("a) Tổ chức kiểm tra an toàn thực phẩm", "- Thời gian: trước ngày 30/6/2026."),
        ("a) Tổ chức kiểm tra an toàn thực phẩm;", "- Hoàn thành trước ngày 30/6/2026."),
    ):
        tasks = extract(head + item + "\n" + line + "\n").tasks
        assert [(t.text, t.owners, t.deadline) for t in tasks] == [
            ("Tổ chức kiểm tra an toàn thực phẩm", ("Sở Y tế tỉnh Quảng Ngãi",), "2026-06-30")
        ], item + line
    # a title over items of its own stays a title
    tasks = extract(head + "a) Công tác kiểm tra\n- Tổ chức kiểm tra an toàn thực phẩm.\n").tasks
    assert [t.text for t in tasks] == ["Tổ chức kiểm tra an toàn thực phẩm."]


def test_a_group_given_work_is_not_named_by_it() -> None:
    text = "Theo đó, các tỉnh, thành phố được giao rà soát, xây dựng kịch bản tăng trưởng.\n"
    assert [t.owners for t in extract(text).tasks] == [
        ("các tỉnh, thành phố trực thuộc Trung ương",)
    ]
    # "được giao chủ trì" still describes which bodies
    text = "Các cơ quan, đơn vị được giao chủ trì khẩn trương triển khai.\n"
    assert [t.owners for t in extract(text).tasks] == [("các cơ quan, đơn vị được giao chủ trì",)]


def test_news_forms_of_a_directive() -> None:
    meta = (("province", "Phú Thọ"),)

    def owners(text: str) -> list[tuple[str, ...]]:
        return [t.owners for t in extract(text, meta=meta).tasks]

    # a Party committee's organisation board, never the verb "tổ chức"
    assert owners("Ban Tổ chức Tỉnh ủy nghiên cứu, tham mưu nội dung liên quan.\n") == [
        ("Ban Tổ chức Tỉnh ủy Phú Thọ",)
    ]
    assert owners("Ban Tổ chức chuẩn bị hội trường.\n") == []
    # a whole directive quoted, its subject a body
    assert owners(
        "“Sở Nông nghiệp và Phát triển nông thôn phối hợp với UBND cấp huyện tập trung chỉ đạo "
        "phòng, chống dịch bệnh, không để dịch bệnh lây lan”. Đó là chỉ đạo của UBND tỉnh.\n"
    ) == [("Sở Nông nghiệp và Phát triển nông thôn tỉnh Phú Thọ",)]
    # the outlet's tag before the lead, and a role asked without "các"
    assert owners(
        "(PLO)- Sở Xây dựng đề nghị chủ đầu tư của 6 dự án nhà ở xã hội thực hiện đúng cam kết.\n"
    ) == [("chủ đầu tư của 6 dự án nhà ở xã hội",)]


def test_a_fronted_remit_or_the_document_as_grounds_before_the_work() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 40/2025/QĐ-TTg\n\nQUYẾT ĐỊNH\n\n"
        "Điều 14. Trách nhiệm của Bộ Tài chính\n\n"
        "1. Trong phạm vi chức năng, nhiệm vụ được giao, phối hợp với Bộ Công an triển khai.\n\n"
        "2. Căn cứ quy định tại Quyết định này, chỉ đạo các đơn vị trực thuộc thực hiện.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [("Bộ Tài chính",), ("Bộ Tài chính",)]
    # a preamble's citation is no grounds clause of a task
    preamble = (
        "QUYẾT ĐỊNH\n\nCăn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025, sửa đổi, bổ sung.\n"
    )
    assert extract(preamble).tasks == ()


def test_a_section_header_of_a_magazine_with_an_abbreviated_city() -> None:
    text = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HỒ CHÍ MINH\n\nSố: 90/KHLT\n\nKẾ HOẠCH\n\n"
        "3. Phân công thực hiện\n3.2. Tạp chí Giáo dục TP.HCM\n"
        "Là cơ quan thường trực, đầu mối triển khai thực hiện kế hoạch.\n"
        "Chủ trì phối hợp Sở Giáo dục và Đào tạo tổ chức chương trình.\n"
    )
    assert [t.owners for t in extract(text).tasks] == [("Tạp chí Giáo dục Thành phố Hồ Chí Minh",)]


_CIRCULAR = (
    "THANH TRA CHÍNH PHỦ\nSố: 07/2025/TT-TTCP\nHà Nội, ngày 29 tháng 12 năm 2025\nTHÔNG TƯ\n"
    "Quy định về mẫu Thẻ thanh tra\n"
    "Theo đề nghị của Vụ trưởng Vụ Pháp chế;\n"
    "Tổng Thanh tra Chính phủ ban hành Thông tư quy định về mẫu Thẻ thanh tra.\n"
    "Chương I\nQUY ĐỊNH CHUNG\n"
    "Điều 3. Các hành vi bị nghiêm cấm\n"
    "1. Cấp mới, cấp đổi, cấp lại, thu hồi Thẻ thanh tra không đúng quy định.\n"
    "2. Sử dụng Thẻ thanh tra sai mục đích.\n"
    "Điều 4. Các hình thức cấp Thẻ thanh tra\n"
    "1. Cấp mới Thẻ thanh tra.\n"
    "Điều 5. Trách nhiệm của Vụ Tổ chức cán bộ\n"
    "Vụ Tổ chức cán bộ có trách nhiệm tổng hợp danh sách đề nghị cấp Thẻ thanh tra.\n"
)


def test_the_enacting_formula_and_prohibited_acts_are_no_tasks() -> None:
    texts = [t.text for t in extract(_CIRCULAR).tasks]
    assert not any("ban hành Thông tư" in t for t in texts), texts
    assert not any(t.startswith(("Cấp mới, cấp đổi", "Sử dụng Thẻ")) for t in texts), texts
    assert any(t.startswith("Vụ Tổ chức cán bộ có trách nhiệm") for t in texts), texts


def test_a_header_of_things_is_no_group_of_owners() -> None:
    """ "Các hình thức cấp Thẻ thanh tra" lists kinds of issue, not bodies: its items
    get no owner from it (kept, owner unknown)."""
    tasks = [t for t in extract(_CIRCULAR).tasks if t.text.startswith("Cấp mới Thẻ")]
    assert all(not any("hình thức" in o for o in t.owners) for t in tasks), tasks


def test_a_news_report_of_an_issued_decree_is_no_task() -> None:
    text = (
        "Ngày 30/6/2025, Chính phủ ban hành Nghị định số 175/2025/NĐ-CP sửa đổi, bổ sung một "
        "số điều của Nghị định số 10/2022/NĐ-CP về lệ phí trước bạ.\n"
        "Ngày 08/4/2021, Văn phòng UBND tỉnh ban hành Văn bản số 404/VPUBND-TCD thông báo ý kiến "
        "chỉ đạo, giao Sở Tài nguyên và Môi trường kiểm tra, báo cáo UBND tỉnh.\n"
    )
    texts = [t.text for t in extract(text, meta=(("province", "Đồng Tháp"),)).tasks]
    assert not any("175/2025" in t for t in texts), texts
    assert any("404/VPUBND" in t or t.startswith("kiểm tra") for t in texts), texts


def test_the_issuers_opening_of_its_own_plan_is_no_task_but_owns_the_items() -> None:
    text = (
        "UBND TỈNH ĐỒNG THÁP\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 362/KH-SGDĐT\n"
        "Đồng Tháp, ngày 05 tháng 3 năm 2026\nKẾ HOẠCH\nĐón tiếp Đoàn kiểm tra\n"
        "Sở Giáo dục và Đào tạo xây dựng Kế hoạch đón tiếp Đoàn kiểm tra như sau:\n"
        "I. NỘI DUNG\n"
        "1. Chuẩn bị hồ sơ, báo cáo phục vụ Đoàn kiểm tra trước ngày 10/3/2026.\n"
    )
    tasks = extract(text).tasks
    assert not any("xây dựng Kế hoạch đón tiếp" in t.text for t in tasks), tasks
    item = next(
        t for t in tasks if t.text.startswith("1. Chuẩn bị") or t.text.startswith("Chuẩn bị")
    )
    assert item.owners == ("Sở Giáo dục và Đào tạo tỉnh Đồng Tháp",), item.owners


def test_timeline_lines_of_a_plan_are_tasks_with_their_dates() -> None:
    text = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 90/KHLT-SGDĐT\n"
        "Thành phố Hồ Chí Minh, ngày 20 tháng 9 năm 2025\nKẾ HOẠCH\nTư vấn tuyển sinh\n"
        "IV. TỔ CHỨC THỰC HIỆN\n1. Trung tâm Giáo dục thường xuyên Thành phố\n"
        "- Từ ngày 01/10/2025 đến ngày 05/10/2025: hoàn chỉnh lịch tư vấn tại các trường.\n"
        "- Tháng 7/2026: Báo cáo kết quả thực hiện về Sở Giáo dục và Đào tạo.\n"
    )
    tasks = extract(text).tasks
    first = next(t for t in tasks if "hoàn chỉnh lịch" in t.text)
    assert first.deadline == "2025-10-05", first
    assert any("Báo cáo kết quả" in t.text and t.deadline == "2026-07-31" for t in tasks), tasks


def test_a_group_wrapped_over_a_line_break_is_read_whole() -> None:
    """A PDF's text wraps a group's name mid-phrase ("các trường phổ\\nthông có nhiều cấp
    học"); a line closed by a mark or a next line in capitals ends it."""
    cues = task_cues()
    text = "- Hiệu trưởng các trường phổ thông, trường phổ\nthông có nhiều cấp học;\n"
    (group,) = find_collectives(text, cues, province="Hồ Chí Minh")
    assert group.name.startswith("các trường phổ thông, trường phổ thông"), group
    text = "- Thủ trưởng các sở, ngành;\ntổ chức thực hiện.\n"
    (group,) = find_collectives(text, cues, province="Hồ Chí Minh")
    assert text[group.start : group.end] == "các sở, ngành", group


def test_an_article_that_delegates_its_items_names_their_owner_last() -> None:
    """ "Điều 2. Phân cấp ... cho Cục Phòng bệnh" hands its numbered items to the body named
    after "cho"; the next line's item number is no part of its name."""
    text = (
        "BỘ Y TẾ\nSố: 58/2025/TT-BYT\nHà Nội, ngày 20 tháng 12 năm 2025\nTHÔNG TƯ\n"
        "Quy định phân cấp\n"
        "Điều 2. Phân cấp thực hiện một số nhiệm vụ thuộc thẩm quyền của Bộ Y tế "
        "cho Cục Phòng bệnh\n"
        "1. Chủ trì, phối hợp với các cơ quan có liên quan cung cấp thông tin về HIV/AIDS.\n"
        "2. Báo cáo về tình hình thực hiện nhiệm vụ bảo vệ môi trường của Bộ Y tế.\n"
    )
    with candidates():
        tasks = extract(text).tasks
    assert [t.owners for t in tasks] == [("Cục Phòng bệnh",), ("Cục Phòng bệnh",)], tasks
    names = [s.norm for s in find_named_bodies("cho Cục Phòng bệnh\n1. Chủ trì", issuer="Bộ Y tế")]
    assert names == ["Cục Phòng bệnh"]
