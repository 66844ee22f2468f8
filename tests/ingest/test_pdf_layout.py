"""Issue #13 items 1, 2 and 4 on real issued PDFs (tests/data/pdf/): widget
text merged in place, the header read as its two columns, signature stamps
out of the text, and a scan with a stamp-only text layer sent to OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import pdflayout
from pipeline.ingest.formats import pdf_pages
from pipeline.ingest.run import read_file

PDF = Path(__file__).parents[1] / "data" / "pdf"
pytestmark = pytest.mark.skipif(
    not pdflayout.available(),
    reason="poppler's pdftotext is missing (apt-get install poppler-utils)",
)


def _pages(name: str) -> list[list[str]]:
    return pdf_pages((PDF / name).read_bytes(), source=name).pages


def test_number_and_day_from_signature_widgets_are_in_place() -> None:
    lines = _pages("01_quangngai-tb11-ket-luan-co-phan-hoa-qisc.pdf")[0]
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NGÃI",
        "Số: 11/TB-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Quảng Ngãi, ngày 08 tháng 01 năm 2025",
    ]


def test_month_in_a_widget_and_a_signature_widget_over_the_issuer() -> None:
    lines = _pages("10_hanoi-kh144-benh-an-dien-tu.pdf")[0]
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "Số: 144/KH-UBND"]
    assert "Hà Nội, ngày 20 tháng 5 năm 2025" in lines[:8]


def test_the_left_column_keeps_its_trich_yeu_before_the_right_column() -> None:
    lines = _pages("05_quangngai-cv507-gop-y-du-thao-vtci.pdf")[0]
    v = lines.index("V/v góp ý dự thảo Quyết định sửa")
    assert lines[2] == "Số: 507/UBND-KGVX" and v == 3
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") > lines.index("viễn thông công ích")


def test_signature_stamps_are_not_text() -> None:
    text = "\n".join(sum(_pages("01_quangngai-tb11-ket-luan-co-phan-hoa-qisc.pdf"), []))
    assert "ttcbth@quangngai.gov.vn" not in text and "TRUNG TÂM CÔNG BÁO" not in text


def test_a_scan_with_only_a_stamp_as_text_goes_to_ocr() -> None:
    parsed = pdf_pages((PDF / "03_quangngai-tb660-ket-luan-xoa-nha-tam-binh-son.pdf").read_bytes(),
                       source="03.pdf")
    assert parsed.blank == [0, 1, 2]


def test_document_fields_read_from_the_original_files() -> None:
    doc = read_file(PDF / "01_quangngai-tb11-ket-luan-co-phan-hoa-qisc.pdf").to_json()["doc"]
    assert (doc["number_symbol"], doc["issue_date"]) == ("11/TB-UBND", "2025-01-08")
    assert doc["issuer"] == "UBND tỉnh Quảng Ngãi"
    doc = read_file(PDF / "10_hanoi-kh144-benh-an-dien-tu.pdf").to_json()["doc"]
    assert (doc["number_symbol"], doc["issue_date"]) == ("144/KH-UBND", "2025-05-20")


def test_symbol_hyphens_rejoin_and_others_stay() -> None:
    assert pdflayout._rejoin_symbols(["theo Quyết định số 12/QĐ-", "UBND ngày 5/3/2024"]) == [
        "theo Quyết định số 12/QĐ-UBND", "ngày 5/3/2024"]
    assert pdflayout._rejoin_symbols(["kinh tế -", "xã hội"]) == ["kinh tế -", "xã hội"]


def test_an_attached_plans_header_is_read_by_column_on_its_own_page() -> None:
    """#13: the Kế hoạch a Quyết định issues starts on a new page with its own
    two-column header (issuer | quốc hiệu, motto) and no number or date."""
    from fpdf import FPDF

    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not Path(font).is_file():
        pytest.skip("DejaVu fonts are missing (make fonts)")
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", font)
    pdf.set_font("DejaVu", size=11)
    for lines in (["Điều 1. Ban hành kèm theo Quyết định này Kế hoạch hành động."],
                  ["KẾ HOẠCH", "Hành động quốc gia thực hiện kinh tế tuần hoàn"]):
        pdf.add_page()
        pdf.text(70, 60, "THỦ TƯỚNG CHÍNH PHỦ")
        pdf.text(280, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        pdf.text(300, 75, "Độc lập - Tự do - Hạnh phúc")
        for k, line in enumerate(lines):
            pdf.text(200, 130 + 16 * k, line)
    pages = pdf_pages(bytes(pdf.output()), source="qd.pdf").pages
    assert pages[1][:4] == [
        "THỦ TƯỚNG CHÍNH PHỦ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾ HOẠCH",
    ]


def _body(*lines: str) -> pdflayout.LayoutPage:
    """A page of body lines 14 pt apart ("" leaves a blank line), each word 5 pt
    a letter wide."""
    words: list[pdflayout.Word] = []
    for k, line in enumerate(lines):
        x, y = 70.0, 100.0 + 14 * k
        for w in line.split():
            words.append(pdflayout.Word(x, y, x + 5 * len(w), y + 12, w))
            x += 5 * len(w) + 4
    return pdflayout.LayoutPage(595.0, 842.0, words)


def test_a_line_wrapped_before_chuong_trinh_or_dieu_kien_goes_on() -> None:
    # corpus/pdf 03: "... thuộc 02 / Chương trình: (1) ..." was cut after "02" as
    # if "Chương" opened a chapter; "Chương II" and "Điều 3." do open one
    full = "Khẩn trương hoàn thành phê duyệt đối tượng hỗ trợ nhà ở thuộc các đối tượng 02"
    for nxt, joined in [("Chương trình: (1) Hỗ trợ nhà ở cho người có công.", True),
                        ("Điều kiện hỗ trợ nhà ở cho người có công.", True),
                        ("Chương II. HỖ TRỢ NHÀ Ở", False),
                        ("Điều 3. Tổ chức thực hiện", False)]:
        lines = pdflayout.page_lines([_body(full, nxt, "", full, full, "Dòng cuối.")])[0]
        assert (f"{full} {nxt}" in lines) is joined, (nxt, lines)


def test_a_phone_number_wrapped_onto_a_line_ends_the_sentence() -> None:
    # corpus/pdf 11: "... Yên Bái; ĐT: / 02163.852708)." was cut as if the phone
    # number opened a numbered item; "2." and "3.2.1)" do open one
    full = "Khẩn trương hoàn thành phê duyệt đối tượng hỗ trợ nhà ở thuộc các đối tượng ĐT:"
    for nxt, joined in [("02163.852708).", True),
                        ("2. Sở Nông nghiệp và Môi trường", False),
                        ("3.2.1) Hỗ trợ nhà ở", False)]:
        lines = pdflayout.page_lines([_body(full, nxt, "", full, full, "Dòng cuối.")])[0]
        assert (f"{full} {nxt}" in lines) is joined, (nxt, lines)
