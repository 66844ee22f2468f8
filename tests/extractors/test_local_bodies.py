"""Bodies named bare in a commune's or a district's own document are that
unit's; a law's title is no body."""

from __future__ import annotations

from extractors import extract

_COMMUNE = (
    "ỦY BAN MTTQ VIỆT NAM            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "XÃ LƯƠNG MINH                    Độc lập - Tự do - Hạnh phúc\n\n"
    "Số: 12/KH-MTTQ                   Lương Minh, ngày 10 tháng 12 năm 2025\n\n"
    "KẾ HOẠCH\nGiám sát công tác bầu cử\n\n"
    "Căn cứ Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13;\n"
    "1. Hội Phụ nữ, Đoàn Thanh niên, Hội Nông dân phối hợp tuyên truyền về bầu cử.\n"
    "2. Văn phòng HĐND và UBND bố trí địa điểm tiếp công dân.\n"
)


def test_mass_organizations_in_a_communes_document_are_the_communes() -> None:
    doc = extract(_COMMUNE)
    names = {a.name for a in doc.agencies}
    assert local_issuer(doc) == "xã Lương Minh"
    assert {"Hội Phụ nữ xã Lương Minh", "Đoàn Thanh niên xã Lương Minh"} <= names
    assert not any("tỉnh Quảng Ninh" in n for n in names)


def local_issuer(doc) -> str:  # type: ignore[no-untyped-def]
    issuer = doc.doc.issuer or ""
    return issuer[issuer.index("xã") :] if "xã" in issuer else issuer


def test_a_laws_title_is_no_body() -> None:
    doc = extract(_COMMUNE)
    assert not any(a.name.startswith("Mặt trận Tổ quốc Việt Nam số") for a in doc.agencies)


def test_a_provincial_documents_bare_association_stays_the_provinces() -> None:
    text = (
        "ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH ĐỒNG THÁP                   Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 55/KH-UBND                   Đồng Tháp, ngày 10 tháng 12 năm 2025\n\n"
        "KẾ HOẠCH\n\n1. Hội Nông dân phối hợp tuyên truyền về chuyển đổi số.\n"
    )
    names = {a.name for a in extract(text).agencies}
    assert "Hội Nông dân tỉnh Đồng Tháp" in names


def test_a_compound_opened_by_a_capital_stays_in_the_name() -> None:
    # "Bầu cử": the verb "cử" after a capitalised "Bầu" is still the name's
    text = "KẾ HOẠCH\n\n1. Ủy ban Bầu cử tỉnh Quảng Ninh chủ trì tổ chức hội nghị.\n"
    assert "Ủy ban Bầu cử tỉnh Quảng Ninh" in {a.name for a in extract(text).agencies}


def test_a_national_council_written_with_a_capital_takes_no_province() -> None:
    text = (
        "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG\n\nKẾ HOẠCH\n\n"
        "1. Thực hiện hướng dẫn của Hội đồng Bầu cử Quốc gia, bảo đảm an toàn.\n"
    )
    names = {a.name for a in extract(text).agencies}
    assert "Hội đồng Bầu cử Quốc gia" in names
    assert not any(n.startswith("Hội đồng Bầu cử Quốc gia tỉnh") for n in names)


def test_a_bodys_own_verb_ends_its_name() -> None:
    text = (
        "CÔNG VĂN\n\nCục Thuế nhận được công văn số 838 của Công ty. Cục Thuế thông báo "
        "như sau: Cục Thuế được biết công ty đã nộp hồ sơ.\n"
    )
    names = {a.name for a in extract(text).agencies}
    assert not any(" nhận" in n or " thông báo" in n or " được" in n for n in names)


def test_a_national_steering_committee_keeps_its_topic_and_takes_no_province() -> None:
    text = (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\n\nKẾ HOẠCH\n\nThực hiện Kết luận của Ban Chỉ đạo "
        "Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.\n"
    )
    names = {a.name for a in extract(text).agencies}
    assert (
        "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và "
        "chuyển đổi số" in names
    )


def test_a_companys_name_stops_before_what_it_does() -> None:
    from extractors.agencies import find_organizations

    for text, name in (
        (
            "Công ty cổ phần Trung tâm hội chợ Triển lãm Việt Nam thông báo các đơn vị.",
            "Công ty cổ phần Trung tâm hội chợ Triển lãm Việt Nam",
        ),
        (
            "Tập đoàn Công nghiệp-Năng lượng quốc gia Việt Nam báo cáo Thủ tướng Chính phủ.",
            "Tập đoàn Công nghiệp-Năng lượng quốc gia Việt Nam",
        ),
        (
            "Giao các Tập đoàn: Điện lực Việt Nam, Công nghiệp - Viễn thông Quân đội tổ chức "
            "triển khai thực hiện theo quy định.",
            "Tập đoàn Công nghiệp - Viễn thông Quân đội",
        ),
        # a verb followed by the rest of the name is the name's
        ("Công ty TNHH Xây dựng khai thác khoáng sản Nguyên Hải", None),
    ):
        names = [o.name for o in find_organizations(text)]
        assert (name or text) in names


def test_a_routing_code_among_the_recipients_is_no_listed_body() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n\nCÔNG ĐIỆN\n\n1. Bộ Tài chính chủ trì rà soát.\n\n"
        "Nơi nhận:\n- Như trên;\n- VPCP: BTCN, các PCN, Trợ lý TTg;\n- Lưu: VT, KTTH.\n"
    )
    names = {a.name for a in extract(text).agencies}
    assert "Bộ Tài chính" in names
    assert "Văn phòng Chính phủ" not in names
    # written out, or in a sentence, it is listed
    text2 = text.replace("1. Bộ Tài chính chủ trì rà soát.", "1. VPCP theo dõi, đôn đốc.")
    assert "Văn phòng Chính phủ" in {a.name for a in extract(text2).agencies}


def test_a_ministrys_letter_copied_without_its_header_has_no_province() -> None:
    # the signature names the ministry; the city its universities are in is no province
    text = (
        "Kính gửi: Các cơ sở đào tạo trực thuộc Bộ\n\n"
        "Bộ Văn hóa, Thể thao và Du lịch đề nghị Trường Đại học Văn hóa Thành phố Hồ Chí Minh, "
        "Trường Đại học Thể dục Thể thao Thành phố Hồ Chí Minh rà soát chương trình đào tạo.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n"
        "**KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG**\n\n\n**Phan Tâm**\n"
    )
    doc = extract(text)
    assert doc.doc.issuer == "Bộ Văn hóa, Thể thao và Du lịch"
    assert doc.doc.province is None


def test_a_news_items_issuer_is_the_ward_or_commune_whose_directive_it_reports() -> None:
    for lead, issuer in (
        (
            "Chiều 11-7, UBND phường Dĩ An, TPHCM công bố nghị quyết thành lập các phòng.",
            "UBND phường Dĩ An",
        ),
        (
            "Ngày 5.12, ông Vũ Hồng Thuấn, Chủ tịch UBND phường Vũng Tàu (TP.HCM) cho biết đã "
            "giao Công an phường xử lý dứt điểm nạn buôn bán hàng rong.",
            "UBND phường Vũng Tàu",
        ),
        ("Sáng 3-8, Ủy ban nhân dân xã Tân Lập triển khai kế hoạch trồng rừng.", "UBND xã Tân Lập"),
    ):
        doc = extract(lead + "\n", meta=(("kind", "news"), ("published", "2025-07-11")))
        assert doc.doc.issuer == issuer
