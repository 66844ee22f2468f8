"""Document metadata: field tables, the rule rows' examples, and the gold corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.metadata import find_metadata, find_recipients, find_signer, parse_date
from extractors.model import DocKind, Document, Signer
from extractors.rules import pattern_table
from extractors.textnorm import normalize

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def meta(text: str, **hints: str):
    return find_metadata(Document(id="t", source="t", text=text, meta=tuple(sorted(hints.items()))))


def clean(raw: str) -> str:
    """What pipeline cleaning gives: NFC, tone marks, no emphasis, spaces collapsed."""
    text = normalize(raw).replace("**", "").replace("*", "")
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.lstrip() for line in text.split("\n"))


SEED_001 = (
    "Số: /TB-UBND\n\nBắc Giang, ngày\n\ntháng 3 năm 2024\n\nTHÔNG BÁO\n\n"
    "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Ban Quản lý các khu công nghiệp tỉnh\n\n"
    "Ngày 12/3/2024, Chủ tịch UBND tỉnh Lê Ánh Dương tổ chức buổi làm việc.\n\n"
    "Nơi nhận:\n\n- Chủ tịch, các PCT UBND tỉnh;\n- Văn phòng UBND tỉnh:\n"
    "- + LĐVP, TH, KTN, KTTH;\n"
    "- + Lưu: VT, KTTH.Binh.\n\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\n"
    "Phạm Văn Đà"
)
VPCP = (
    "VĂN PHÒNG CHÍNH PHỦ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n\nSố: 668/VPCP-KGVX\n"
    "V/v: chuyển cấp trình phê duyệt Đề án\n\nHà Nội, ngày 27 tháng 01 năm 2021\n\n"
    "Kính gửi: Bộ Y tế.\n\nBộ Y tế khẩn trương chuẩn bị báo cáo.\n\n"
    "Nơi nhận:\n- Như trên;\n- VPCP: BTCN, PCN Nguyễn Sỹ Hiệp,\nTrợ lý TTg;\n"
    "- Lưu: VT, KGVX (3b) vt.\n\n"
    "BỘ TRƯỞNG, CHỦ NHIỆM\nMai Tiến Dũng"
)
PORTAL = (
    "THÔNG TIN Ý KIẾN\nQuảng Trị\n\nV/v xin chủ trương nạo vét\n\nTHÔNG TIN PHẢN HỒI\n\n"
    "UBND tỉnh có ý kiến như sau:\n\nGiao UBND huyện Triệu Phong chủ trì.\n\n"
    "(Theo Công văn số 1962/UBND-KT, ngày 25/4/2024)"
)
NEWS = (
    "date 2025-08-05 Phó Chủ tịch UBND tỉnh Bắc Ninh Phạm Văn Thịnh vừa ký Công văn chỉ đạo "
    "một số giải pháp.\n\nTheo đó, Sở Tài chính tỉnh Bắc Ninh được giao chủ trì."
)
REPORT = (
    "Ngày 21/ 5, UBND tỉnh banh Công văn số 846 /UBND-TH về việc báo cáo tình hình giải ngân.\n"
    "UBND tỉnh nhận được Công văn số 3145/BKHĐT-KTĐPLT ngày 15/5/2019 của Bộ Kế hoạch và Đầu tư."
)
DECISION = (
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n-------\n|\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n|\n"
    "Số: 1537/QĐ-UBND\n|\nQuảng Ngãi, ngày\n08 tháng 10 năm 2020\n|\nQUYẾT ĐỊNH\n"
    "VỀ VIỆC BAN HÀNH CHƯƠNG TRÌNH HÀNH ĐỘNG\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\n"
    "Căn cứ Luật Tổ chức Chính quyền địa phương;\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành."
)
EXCERPT = (
    "1. Các bộ xây dựng kế hoạch.\nQuyết định này có hiệu lực thi hành kể từ ngày 18/11/2021.\n\n"
    "File đính kèm\nQuyết định 1944/QĐ-TTg\n\nNguồn: chinhphu.vn"
)
LEAD = (
    "Công văn số 4150/BNN-CN ngày 20 tháng 7 năm 2021 của Bộ Nông nghiệp và Phát triển nông "
    "thôn về việc tháo gỡ khó khăn trong vận chuyển vật tư\n\nKính gửi: Ủy ban nhân dân các tỉnh"
)
QA = (
    "Ngày 20/04/2022-10:07:00 AM\nVậy Bộ Kế hoạch và Đầu tư hướng dẫn thế nào?\n\nTrả lời:\n\nViệc."
)


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        (SEED_001, {}, "official"),
        (VPCP, {}, "official"),
        (PORTAL, {}, "official"),
        (REPORT, {"province": "Lai Châu"}, "official"),
        # the same report on a government portal is the letter; in a newspaper it is news
        (REPORT, {"url": "https://laichau.gov.vn/tin/x"}, "official"),
        (REPORT, {"url": "https://kinhtedothi.vn/x-239039.html"}, "news"),
        ("Số: 12/TB-VPCP\nNội dung.", {"url": "https://baochinhphu.vn/x"}, "official"),
        (EXCERPT, {}, "official"),
        (QA, {}, "official"),
        (NEWS, {}, "news"),
        ("Bài viết.\n\nNguồn Bắc Kạn: https://baobackan.vn/x", {}, "news"),
        ("Một đoạn văn.", {"published": "2024-01-02"}, "news"),
        ("Một đoạn văn không có dấu hiệu gì.", {}, "other"),
        ("", {}, "other"),
    ],
)
def test_kind(text: str, hints: dict[str, str], expected: str) -> None:
    assert meta(text, **hints).kind == DocKind(expected)


@pytest.mark.parametrize(
    ("text", "hints", "doc_type", "number"),
    [
        (SEED_001, {}, "Thông báo", "/TB-UBND"),
        (VPCP, {}, "Công văn", "668/VPCP-KGVX"),
        (PORTAL, {}, "Công văn", "1962/UBND-KT"),
        ("Theo Công văn 707/UBND-KT ngày 28/02/2023", {}, "Công văn", "707/UBND-KT"),
        (REPORT, {"province": "Lai Châu"}, "Công văn", "846/UBND-TH"),
        (DECISION, {}, "Quyết định", "1537/QĐ-UBND"),
        (EXCERPT, {}, "Quyết định", "1944/QĐ-TTg"),
        (LEAD, {}, "Công văn", "4150/BNN-CN"),
        (QA, {}, "Trả lời kiến nghị", None),
        (NEWS, {}, "Công văn", None),
        ("Số: 12/TB-VPCP\nNội dung.", {}, "Thông báo", "12/TB-VPCP"),
    ],
)
def test_doc_type_and_number(
    text: str, hints: dict[str, str], doc_type: str, number: str | None
) -> None:
    m = meta(text, **hints)
    assert (m.doc_type, m.number_symbol) == (doc_type, number)


@pytest.mark.parametrize(
    ("text", "hints", "issuer", "province"),
    [
        (SEED_001, {}, "UBND tỉnh Bắc Giang", "Bắc Giang"),
        (VPCP, {}, "Văn phòng Chính phủ", None),
        (
            "VĂN\nPHÒNG CHÍNH PHỦ |\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 1/VPCP-CN |",
            {},
            "Văn phòng Chính phủ",
            None,
        ),
        (PORTAL, {}, "UBND tỉnh Quảng Trị", "Quảng Trị"),
        (REPORT, {"province": "Lai Châu"}, "UBND tỉnh Lai Châu", "Lai Châu"),
        (DECISION, {}, "UBND tỉnh Quảng Ngãi", "Quảng Ngãi"),
        (EXCERPT, {}, "Thủ tướng Chính phủ", None),
        (LEAD, {}, "Bộ Nông nghiệp và Phát triển nông thôn", None),
        (QA, {}, "Bộ Kế hoạch và Đầu tư", None),
        (NEWS, {}, "UBND tỉnh Bắc Ninh", "Bắc Ninh"),
        ("Số: 5/UBND-KT\nHà Nội, ngày 2 tháng 3 năm 2024", {}, "UBND thành phố Hà Nội", "Hà Nội"),
        (
            "Tin tức.\n\nBan Quản lý các KCN tỉnh Bắc Kạn làm việc.\nNguồn: https://a.vn",
            {},
            None,
            "Bắc Kạn",
        ),
    ],
)
def test_issuer_and_province(
    text: str, hints: dict[str, str], issuer: str | None, province: str | None
) -> None:
    m = meta(text, **hints)
    assert (m.issuer, m.province) == (issuer, province)


@pytest.mark.parametrize(
    ("text", "hints", "issue_date", "place"),
    [
        (SEED_001, {}, "2024-03", "Bắc Giang"),
        (VPCP, {}, "2021-01-27", "Hà Nội"),
        (DECISION, {}, "2020-10-08", "Quảng Ngãi"),
        ("Số: 1/UBND\nHà Nội, ngày 25 tháng 9 năm 2020", {}, "2020-09-25", "Hà Nội"),
        ("Số: 1/UBND\nHà Nội, ngày 31 tháng 02 năm 2020", {}, None, "Hà Nội"),
        ("Số: 1/UBND\nHà Nội, ngày tháng năm 2020", {}, "2020", "Hà Nội"),
        (PORTAL, {}, "2024-04-25", None),
        ("Theo Công văn 707/UBND-KT ngày 28/02/2023", {}, "2023-02-28", None),
        ("Theo Công văn 707/UBND-KT ngày 31/02/2023", {}, None, None),
        (REPORT, {"province": "Lai Châu"}, "2019-05-21", None),
        (LEAD, {}, "2021-07-20", None),
        (EXCERPT, {}, "2021-11-18", None),
        (QA, {}, "2022-04-20", None),
        (NEWS, {}, "2025-08-05", None),
        (NEWS, {"published": "2025-08-06"}, "2025-08-06", None),
        ("Tiêu đề bài\n\n15:09:01 | 16/4/2024\n\nNội dung.", {}, "2024-04-16", None),
        ("Tiêu đề bài\n07/12/2023 08:22 Số lượt xem: 37\nNội dung.", {}, "2023-12-07", None),
        ("Tiêu đề.\ncuối tháng 2/2024.\nNguồn: https://a.vn", {}, None, None),
    ],
)
def test_date_and_place(
    text: str, hints: dict[str, str], issue_date: str | None, place: str | None
) -> None:
    m = meta(text, **hints)
    assert (m.issue_date, m.place) == (issue_date, place)


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("ngày 25 tháng 9 năm 2020", None, "2020-09-25"),
        ("28/02/2023", None, "2023-02-28"),
        ("21/ 5", 2019, "2019-05-21"),
        ("21/ 5", None, None),
        ("31/02/2023", None, None),
        ("2025-08-05", None, "2025-08-05"),
    ],
)
def test_parse_date(text: str, year: int | None, expected: str | None) -> None:
    assert parse_date(text, year=year) == expected


@pytest.mark.parametrize(
    ("text", "title", "subject"),
    [
        (
            SEED_001,
            "Thông báo /TB-UBND",
            "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc "
            "với Ban Quản lý các khu công nghiệp tỉnh",
        ),
        (VPCP, "Công văn 668/VPCP-KGVX", "V/v: chuyển cấp trình phê duyệt Đề án"),
        (DECISION, "Quyết định 1537/QĐ-UBND", "VỀ VIỆC BAN HÀNH CHƯƠNG TRÌNH HÀNH ĐỘNG"),
        (LEAD, "Công văn 4150/BNN-CN", "tháo gỡ khó khăn trong vận chuyển vật tư"),
        (
            "BẮC GIANG\n\nBan Quản lý các KCN: Nâng cao năng lực\n\n15:09:01 | 16/4/2024\n\nBài.",
            "Ban Quản lý các KCN: Nâng cao năng lực",
            None,
        ),
        (
            "Ban Quản lý các KCN Bắc Kạn đẩy mạnh xúc tiến\n\nBài.\nNguồn: https://a.vn",
            "Ban Quản lý các KCN Bắc Kạn đẩy mạnh xúc tiến",
            None,
        ),
    ],
)
def test_title_and_subject(text: str, title: str | None, subject: str | None) -> None:
    m = meta(text)
    assert (m.title, m.subject) == (title, subject)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SEED_001, Signer("Phạm Văn Đà", "Phó Chánh Văn phòng", ("TL.", "KT."))),
        (VPCP, Signer("Mai Tiến Dũng", "Bộ trưởng, Chủ nhiệm", ())),
        (
            "x\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ\nCHỦ NHIỆM\nNguyễn Cao Lục",
            Signer("Nguyễn Cao Lục", "Phó Chủ nhiệm", ("KT.",)),
        ),
        ("x\n|\nKT. BỘ TRƯỞNG,\nCHỦ NHIỆM |", Signer(None, None, ("KT.",))),
        ("x\nKT.\nBỘ TRƯỞNG, CHỦ NHIỆM |", Signer(None, None, ("KT.",))),
        (
            "x\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Ánh Dương",
            Signer("Lê Ánh Dương", "Phó Chủ tịch", ("TM.", "KT.")),
        ),
        ("Bài báo kết thúc.\n\nQuý Đôn", None),
        ("Trân trọng cảm ơn ông!\n\nThanh Loan (Vietnam Business Forum)", None),
    ],
)
def test_signer(text: str, expected: Signer | None) -> None:
    assert find_signer(text) == expected


def test_news_signer() -> None:
    assert meta(NEWS).signer == Signer("Phạm Văn Thịnh", "Phó Chủ tịch")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SEED_001, ("Chủ tịch, các PCT UBND tỉnh", "Văn phòng UBND tỉnh: LĐVP, TH, KTN, KTTH")),
        (VPCP, ("Như trên", "VPCP: BTCN, PCN Nguyễn Sỹ Hiệp, Trợ lý TTg")),
        (
            "Nơi nhận:\n- TTgCP, PTTg Lê V\năn Thành;\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG",
            ("TTgCP, PTTg Lê Văn Thành",),
        ),
        ("Không có danh sách.", ()),
    ],
)
def test_recipients(text: str, expected: tuple[str, ...]) -> None:
    assert find_recipients(text) == expected


def test_rule_rows_examples() -> None:
    table = pattern_table("metadata.yaml")
    assert table.rows
    for row in table.rows:
        rx = table.compiled(row)
        assert row.examples, f"{row.id}: no examples"
        for ex in row.examples:
            assert rx.search(ex), f"{row.id}: example {ex!r} does not match"
        for ex in row.counter_examples:
            assert not rx.search(ex), f"{row.id}: counter-example {ex!r} matches"


# ---- gold ----------------------------------------------------------------------

FIELDS = (
    "kind",
    "doc_type",
    "number_symbol",
    "issuer",
    "issue_date",
    "place",
    "signer",
    "signer_title",
    "signing_authority",
)


# The whole gold set is scored through the pipeline (sidecars, metadata) by
# pipeline.eval.evaluate, held to the floors in tests/test_eval_floors.py.


# ---- regressions from gold documents 21-27 (2025 portal digests, requests) --------

DIGEST_PHUTHO = (
    "Chỉ đạo điều hành của UBND tỉnh, Chủ tịch UBND tỉnh từ ngày 23-25/7/2025\n"
    "1. Tăng cường quản lý Nhà nước đối\nvới các khu công nghiệp\nTại Văn bản số\n"
    "858/UBND-CNXD về việc quản lý, thực hiện các khu công nghiệp trên địa bàn tỉnh,\n"
    "Chủ tịch UBND tỉnh yêu cầu Ban Quản lý các khu công nghiệp xây dựng biểu."
)
DIGEST_HANOI = (
    "VĂN BẢN MỚI BAN HÀNH\nTăng cường các biện pháp cấp bách\nChủ tịch UBND Thành phố Vũ Đại "
    "Thắng vừa ký ban hành Chỉ thị số 19/CT-UBND ngày 10/12/2025 về tăng cường các biện pháp."
)
NOTICE_HANOI = (
    "I. VĂN BẢN MỚI BAN HÀNH\nQuy trình thành lập cụm công nghiệp\nNgày 31/3, Văn phòng UBND "
    "thành phố Hà Nội ban hành Thông báo số 171/TB-VP về kết luận của Phó Chủ tịch UBND Thành "
    "phố. Giao Sở Công Thương theo Kế hoạch số 20/KH-UBND ngày 20/01/2025 của UBND Thành phố."
)
COMMENTS_CUC = (
    "Thực hiện Kế hoạch số 40/KH-BCĐ ngày 19/4/2025, Cục Lâm nghiệp và Kiểm lâm đã xây dựng "
    "dự thảo Thông tư.\nĐể hoàn thiện dự thảo Thông tư, Cục Lâm nghiệp và Kiểm lâm trân trọng "
    "đề nghị Quý cơ quan, đơn vị nghiên cứu và góp ý đối với hồ sơ dự thảo Thông tư:"
)
COMMENTS_BO = (
    "Bộ Nông nghiệp và Phát triển nông thôn lấy ý kiến góp ý dự thảo Đề án\n\n"
    "Cập nhật ngày : 13/08/2021 03:35\n\nĐể tiếp tục hoàn thiện dự thảo Đề án, Bộ Nông nghiệp "
    "và Phát triển nông thôn đề nghị Quý cơ quan, đơn vị và địa phương tham gia góp ý."
)


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        # "Tại Văn bản số X ..., Chủ tịch UBND tỉnh yêu cầu": the digest's document;
        # "từ ngày 23-25/7/2025" in the title gives the month
        (
            DIGEST_PHUTHO,
            {"province": "Phú Thọ"},
            ("official", "Công văn", "858/UBND-CNXD", "UBND tỉnh Phú Thọ", "2025-07", None),
        ),
        # "<officer> vừa ký ban hành Chỉ thị số X ngày D": number, date and signer
        (
            DIGEST_HANOI,
            {"province": "Hà Nội"},
            (
                "official",
                "Chỉ thị",
                "19/CT-UBND",
                "UBND thành phố Hà Nội",
                "2025-12-10",
                "Vũ Đại Thắng",
            ),
        ),
        # "<body> ban hành Thông báo số X": the body is the issuer
        (
            NOTICE_HANOI,
            {},
            (
                "official",
                "Thông báo",
                "171/TB-VP",
                "Văn phòng UBND thành phố Hà Nội",
                "2025-03-31",
                None,
            ),
        ),
        # a request for comments without a number: a Thông báo of the requesting body
        (
            COMMENTS_CUC,
            {},
            ("official", "Thông báo", None, "Cục Lâm nghiệp và Kiểm lâm", None, None),
        ),
        (
            COMMENTS_BO,
            {},
            (
                "official",
                "Thông báo",
                None,
                "Bộ Nông nghiệp và Phát triển nông thôn",
                "2021-08-13",
                None,
            ),
        ),
    ],
)
def test_portal_digests_and_requests(text: str, hints: dict[str, str], expected: tuple) -> None:
    m = meta(clean(text), **hints)
    signer = m.signer.name if m.signer else None
    assert (str(m.kind), m.doc_type, m.number_symbol, m.issuer, m.issue_date, signer) == expected


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        # every type of doc_types.yaml (the one table) is read from the title line
        ("ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\nSố: 120/GM-UBND\nGIẤY MỜI\nHọp", "Giấy mời"),
        ("Số: 5/KH-UBND\nBắc Giang, ngày 1 tháng 2 năm 2024\nKẾ HOẠCH\nTriển khai", "Kế hoạch"),
        # without a title line, the symbol's type code (doc_types.yaml), else Công văn
        ("Số: 15/HĐ-SXD\nBắc Giang, ngày 1 tháng 2 năm 2024\nnội dung", "Hợp đồng"),
        ("Số: 707/UBND-KT\nQuảng Trị, ngày 1 tháng 2 năm 2024\nnội dung", "Công văn"),
    ],
)
def test_doc_type_from_the_doc_types_table(text: str, doc_type: str) -> None:
    assert meta(text).doc_type == doc_type


@pytest.mark.parametrize(
    ("text", "signed", "expected"),
    [
        # a day left blank in an e-office file: the signature's day
        (
            "Số: /TB-UBND\nQuảng Ngãi, ngày    tháng 12 năm 2024\nTHÔNG BÁO\n",
            "2024-12-31T10:00:00+07:00",
            "2024-12-31",
        ),
        # no readable date at all (a handwritten day on a scan)
        (
            "Số: 12/UBND-KT\nQuảng Ngãi, ngày 12 năm 2021\nV/v x\n",
            "2021-12-27T09:00:00+07:00",
            "2021-12-27",
        ),
        # the text's own date wins, and a signature of another month fills nothing
        (
            "Số: 5/UBND\nQuảng Ngãi, ngày 08 tháng 10 năm 2020\n",
            "2020-10-09T08:00:00+07:00",
            "2020-10-08",
        ),
        (
            "Số: /UBND\nQuảng Ngãi, ngày   tháng 10 năm 2020\n",
            "2020-11-02T08:00:00+07:00",
            "2020-10",
        ),
    ],
)
def test_signature_time_dates_a_file_whose_text_does_not(
    text: str, signed: str, expected: str
) -> None:
    assert meta(text, signature_time=signed).issue_date == expected


def test_a_scanned_place_line_keeps_its_place() -> None:
    m = meta("Số: 3206/UBND-KGVX\nĐắk Nông, ngày/- tháng 5 năm 2025\nV/v phòng chống dịch\n")
    assert (m.place, m.issue_date) == ("Đắk Nông", "2025-05")


@pytest.mark.parametrize(
    ("tail", "name", "title"),
    [
        # a name broken over two lines
        (
            "Nơi nhận:\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nPhạm\nMạnh Cường",
            "Phạm Mạnh Cường",
            "Phó Chủ nhiệm",
        ),
        # notes printed after the signature
        (
            "Nơi nhận:\n- Lưu: VT.\nTHỦ TƯỚNG\nPhạm Minh Chính\n[1]\n"
            "Bộ Chính trị phân công 4 đồng chí.",
            "Phạm Minh Chính",
            "Thủ tướng",
        ),
        # an attached part with its own header, and a dot dropped after KT
        (
            "Nơi nhận:\n- Lưu: VT.\nKT GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTrương Hải Thanh\n"
            "BẢNG TIÊU CHÍ ĐÁNH GIÁ\n"
            "(Ban hành kèm theo Công văn số 5155/SGDĐT-GDTXNNĐH)\n1. Tổ chức bộ máy",
            "Trương Hải Thanh",
            "Phó Giám đốc",
        ),
        (
            "Nơi nhận:\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nPhạm Đức Long\n\n"
            "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nKẾ HOẠCH\nI. QUAN ĐIỂM",
            "Phạm Đức Long",
            "Thứ trưởng",
        ),
    ],
)
def test_signer_of_a_text_that_goes_on_after_its_signature(
    tail: str, name: str, title: str
) -> None:
    body = "\n".join(f"{i}. Nội dung thứ {i} của văn bản." for i in range(1, 14))
    signer = find_signer(body + "\n" + tail)
    assert signer is not None and (signer.name, signer.title) == (name, title)


def test_a_copy_signed_by_the_official_gazette_does_not_date_the_document() -> None:
    text = "Số: /UBND-KT\nQuảng Ngãi, ngày   tháng 3 năm 2025\nV/v x\n"
    got = meta(
        text,
        signature_time="2025-03-21T08:00:00+07:00",
        signature_org="Công báo tỉnh Quảng Ngãi",
    )
    assert got.issue_date == "2025-03"
    # the issuer's own signature still does
    got = meta(
        text, signature_time="2025-03-20T08:00:00+07:00", signature_org="UBND tỉnh Quảng Ngãi"
    )
    assert got.issue_date == "2025-03-20"


@pytest.mark.parametrize("number", ["2191/CT-CS", "2/91/CT-CS"])
def test_a_letter_with_a_subject_line_is_a_cong_van_whatever_its_code(number: str) -> None:
    text = (
        f"CỤC THUẾ TỈNH QUẢNG NGÃI\nSố: {number}\nV/v ưu đãi thuế TNDN\n"
        "Quảng Ngãi, ngày 10 tháng 5 năm 2024\nKính gửi: Công ty A\n"
    )
    assert meta(text).doc_type == "Công văn"


@pytest.mark.parametrize(
    ("header", "issuer"),
    [
        (
            "UBND THÀNH PHỐ HÀ NỘI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n",
            "Sở Giáo dục và Đào tạo thành phố Hà Nội",
        ),
        ("BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\n", "Tổng cục Thuế"),
        ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n", "UBND tỉnh Quảng Ngãi"),
    ],
)
def test_a_two_line_header_is_issued_by_its_lower_body(header: str, issuer: str) -> None:
    from extractors import extract

    text = header + "Số: 5095/SGDĐT-VP\nV/v phòng chống ô nhiễm\nKính gửi: Các trường\n"
    assert extract(text).doc.issuer == issuer


QH = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@pytest.mark.parametrize(
    ("left", "issuer"),
    [
        (["BỘ TÀI CHÍNH", "CỤC THUẾ"], "Cục Thuế"),  # a productive head under its parent
        (
            ["UBND THÀNH PHỐ HÀ NỘI", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"],
            "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        ),
        (["UBND TỈNH QUẢNG TRỊ", "VĂN PHÒNG"], "Văn phòng UBND tỉnh Quảng Trị"),
        (["VĂN", "PHÒNG CHÍNH PHỦ"], "Văn phòng Chính phủ"),  # a name broken over two lines
        (["VĂN PHÒNG", "CHÍNH PHỦ"], "Văn phòng Chính phủ"),
        (["THỦ TƯỚNG CHÍNHPHỦ"], "Thủ tướng Chính phủ"),  # OCR lost a space
        (["ỦY BAN NHÂN DÂN", "HUYỆN MỘ ĐỨC"], "UBND huyện Mộ Đức"),
        (["BỘ TÀI CHÍNH", "TONG CUC THUE"], "Tổng cục Thuế"),  # OCR lost the accents
    ],
)
def test_the_issuer_is_the_lowest_body_of_the_headers_left_column(
    left: list[str], issuer: str
) -> None:
    # the two columns printed side by side, as a text copy or OCR gives them
    right = [QH, MOTTO, ""]
    lines = [f"{a} {b}".strip() for a, b in zip(left + [""] * 3, right, strict=False)]
    text = "\n".join(lines) + "\nSố: 12/UBND-KT Hà Nội, ngày 3 tháng 4 năm 2025\nKính gửi: Sở\n"
    m = meta(text)
    assert m.issuer == issuer
    assert (m.place, m.issue_date) == ("Hà Nội", "2025-04-03")


def test_a_header_on_one_line_per_row_keeps_its_place_and_date_apart_from_the_number() -> None:
    text = (
        f"ỦY BAN NHÂN DÂN {QH}\nTỈNH SƠN LA {MOTTO}\n"
        "Số: 2307 /QĐ-UBND Sơn La, ngày 11 tháng 09 năm 2025\nQUYẾT ĐỊNH\nBan hành Kế hoạch\n"
    )
    m = meta(text)
    assert (m.issuer, m.number_symbol, m.place, m.issue_date) == (
        "UBND tỉnh Sơn La",
        "2307/QĐ-UBND",
        "Sơn La",
        "2025-09-11",
    )
    # the symbol glued to the place ("Số:470/TCT-TTKT Hà Nội, ngày ...") is not the place
    m = meta("BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\nSố:470/TCT-TTKT Hà Nội, ngày 05 tháng 5 năm 2020\n")
    assert (m.issuer, m.place, m.issue_date) == ("Tổng cục Thuế", "Hà Nội", "2020-05-05")


def test_a_lone_head_is_completed_by_the_line_below_and_a_council_needs_its_unit() -> None:
    m = meta(f"HỘI ĐỒNG NHÂN DÂN | {QH} |\nSố: 50/2019/NQ-HĐND | Bình Định, ngày 13/12/2019\n")
    assert m.issuer != "Hội đồng nhân dân"  # no unit: not read from this line


def test_signer_before_an_appendix_headed_phu_luc_alone_with_a_signature_placeholder() -> None:
    text = (
        "Điều 1. Phạm vi điều chỉnh\n"
        + "Nghị định này quy định việc tổ chức thi hành.\n" * 10
        + "Nơi nhận:\n- Lưu: VT, PL (2b).\nTM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\n[daky]\n"
        "Lê Thành Long\n\nPhụ lục\n(Kèm theo Nghị định số 80/2025/NĐ-CP)\nSTT | Nội dung\n"
        + "Mẫu số 01 | Báo cáo\n"
        * 12
    )
    assert find_signer(text) == Signer(
        name="Lê Thành Long", title="Phó Thủ tướng", authority=("TM.", "KT.")
    )


@pytest.mark.parametrize(
    ("lead", "province", "issuer"),
    [
        (
            "UBND tỉnh yêu cầu UBND các huyện khẩn trương hoàn thiện quy hoạch.",
            "Khánh Hòa",
            "UBND tỉnh Khánh Hòa",
        ),
        (
            "Kinhtedothi – Qua sự việc, UBND TP chỉ đạo Giám đốc Sở Giáo dục và Đào tạo chủ trì.",
            "Hà Nội",
            "UBND thành phố Hà Nội",
        ),
        (
            "Phó Chủ tịch UBND tỉnh Quảng Ngãi -ông Võ Phiên yêu cầu các huyện thực hiện.",
            "",
            "UBND tỉnh Quảng Ngãi",
        ),
        (
            "Thủ tướng Chính phủ giao Bộ Tài chính, Bộ Y tế chịu trách nhiệm.",
            "",
            "Thủ tướng Chính phủ",
        ),
    ],
)
def test_an_article_without_a_number_is_issued_by_the_body_whose_words_it_reports(
    lead: str, province: str, issuer: str
) -> None:
    hints = {"published": "2025-01-02", **({"province": province} if province else {})}
    m = meta(f"Tiêu đề bài báo\n\n{lead}\n", **hints)
    assert (m.kind, m.issuer) == (DocKind.NEWS, issuer)


def test_an_article_whose_lead_reports_no_directive_names_no_issuer() -> None:
    m = meta(
        "Tiêu đề\n\nSở Tài chính yêu cầu các đơn vị báo cáo UBND tỉnh trước ngày 10.\n",
        published="2025-01-02",
        province="Khánh Hòa",
    )
    assert m.issuer is None


def test_a_header_of_the_issuers_name_alone_names_the_issuer() -> None:
    text = (
        "UỶ BAN NHÂN DÂN\nHUYỆN MAI CHÂU\n\nMai Châu, ngày 19 tháng 12 năm 2019\n\nTHƯ NGỎ\n\n"
        "Vận động hỗ trợ kinh phí\n\nTrong những năm qua, ...\n"
    )
    assert meta(text).issuer == "UBND huyện Mai Châu"


def test_place_lines_of_a_city_and_of_a_weak_scan() -> None:
    m = meta(
        "UBND THÀNH PHỐ HỒ CHÍ MINH\n"
        "Số: 12/UBND-VX Thành phố Hồ Chí Minh, ngày 5 tháng 11 năm 2025\n"
    )
    assert (m.place, m.issue_date) == ("Thành phố Hồ Chí Minh", "2025-11-05")
    # OCR without the accents of "tháng": the place and the year still read
    m = meta("BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\nSố: 4302 /TCT-TTr\nHà Nội, ngày OF thang năm 2018\n")
    assert (m.place, m.issue_date) == ("Hà Nội", "2018")


def test_a_letter_copied_from_its_addressees_on_is_a_cong_van() -> None:
    m = meta(
        "Kính gửi:\n- Các đơn vị thuộc Bộ;\n- Vụ Pháp chế.\n\nThủ tướng Chính phủ đã ban hành "
        "Công điện số 220/CĐ-TTg ngày 18/11/2025 chỉ đạo ...\n"
    )
    assert m.doc_type == "Công văn"


def _meta(text: str):
    return find_metadata(Document(id="t", source="t", text=normalize(text)))


def test_a_copy_opening_with_its_type_title_and_its_header_below_it() -> None:
    m = _meta(
        "NGHỊ QUYẾT\nVỀ CHƯƠNG TRÌNH GIÁM SÁT NĂM 2018\nHỘI ĐỒNG NHÂN DÂN TỈNH GIA LAI\n"
        "KHÓA XI, KỲ HỌP THỨ BA\nCăn cứ Luật Tổ chức chính quyền địa phương năm 2015;\n"
        "QUYẾT NGHỊ:\nĐiều 1. Thông qua chương trình giám sát.\n"
    )
    assert (m.kind, m.doc_type, m.issuer) == (DocKind.OFFICIAL, "Nghị quyết", "HĐND tỉnh Gia Lai")


def test_a_title_in_capitals_without_grounds_is_no_official_document() -> None:
    # a news headline in capitals with no "Căn cứ"/"Thực hiện" after it
    assert _meta("KẾ HOẠCH\nHọc sinh trường THCS Lê Lợi tham gia ngày hội đọc sách.\n").kind != (
        DocKind.OFFICIAL
    )


def test_a_cables_sender_before_dien_is_its_issuer() -> None:
    m = _meta(
        "**CÔNG ĐIỆN**\nVỀ TẬP TRUNG ỨNG PHÓ MƯA LŨ\n**THỦ TƯỚNG CHÍNH PHỦ điện:**\n"
        "- Bộ trưởng các Bộ: Quốc phòng, Công an;\nThực hiện chỉ đạo của Chính phủ, yêu cầu:\n"
    )
    assert m.issuer == "Thủ tướng Chính phủ"
