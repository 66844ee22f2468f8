"""Issue #13 (d): ruled task tables read one row per line, cells joined by
" | " in reading order, from the PDF's rules and words, and from a scanned
page's image (the rules found in the pixels)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import pdflayout
from pipeline.ingest.formats import pdf_pages
from pipeline.ingest.pdflayout import Word
from pipeline.ingest.pdftables import find_tables, image_rules

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
pytestmark = [
    pytest.mark.skipif(not pdflayout.available(), reason="poppler's pdftotext is missing"),
    pytest.mark.skipif(not FONT.is_file(), reason="DejaVu fonts are missing (make fonts)"),
]

# A Phụ lục task table: TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian, where task
# 2 has two lead agencies on two sub-rows (its TT, task and time cells merged down).
COLS = (20, 60, 160, 320, 420, 520)  # x of the vertical rules (5 columns)
ROWS = (100, 130, 170, 200, 230)  # y of the horizontal rules (4 rows)
CELLS = {
    (0, 0): "TT", (0, 1): "Nhiệm vụ", (0, 2): "Cơ quan chủ trì", (0, 3): "Cơ quan phối hợp",
    (0, 4): "Thời gian",
    (1, 0): "1", (1, 1): "Xây dựng kế hoạch chuyển đổi số", (1, 2): "Sở Khoa học và Công nghệ",
    (1, 3): "Sở Tài chính", (1, 4): "Quý I/2025",
    (2, 0): "2", (2, 1): "Rà soát thủ tục hành chính", (2, 2): "Văn phòng UBND tỉnh",
    (2, 3): "Sở Tư pháp", (2, 4): "2025 - 2026",
    (3, 2): "UBND cấp huyện", (3, 3): "Các xã",
}
MERGED_DOWN = {(3, 0), (3, 1), (3, 4)}  # no rule above these cells


def _table_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=8)
    pdf.text(230, 60, "Phụ lục")
    pdf.text(20, 80, "Danh mục nhiệm vụ giao các cơ quan thực hiện năm 2025:")
    pdf.set_line_width(0.8)
    for x in COLS:
        pdf.line(x, ROWS[0], x, ROWS[-1])
    for i, y in enumerate(ROWS):
        for j in range(len(COLS) - 1):
            if (i, j) not in MERGED_DOWN:
                pdf.line(COLS[j], y, COLS[j + 1], y)
    for (i, j), text in CELLS.items():
        # Long cells wrap onto two lines, as in a real table.
        words = text.split()
        half = (len(words) + 1) // 2 if len(text) > 20 else len(words)
        for k, part in enumerate((" ".join(words[:half]), " ".join(words[half:]))):
            if part:
                pdf.text(COLS[j] + 3, ROWS[i] + 12 + 10 * k, part)
    pdf.text(20, 260, "Các cơ quan tổ chức thực hiện./.")
    return bytes(pdf.output())


EXPECTED = [
    "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian",
    "1 | Xây dựng kế hoạch chuyển đổi số | Sở Khoa học và Công nghệ | Sở Tài chính | Quý I/2025",
    "2 | Rà soát thủ tục hành chính | Văn phòng UBND tỉnh | Sở Tư pháp | 2025 - 2026",
    " |  | UBND cấp huyện | Các xã",
]


def test_a_ruled_table_reads_one_row_per_line() -> None:
    lines = pdf_pages(_table_pdf(), source="phu-luc.pdf").pages[0]
    at = lines.index(EXPECTED[0])
    assert lines[at : at + 4] == EXPECTED
    # The text around the table stays in its place.
    assert lines[at - 1] == "Danh mục nhiệm vụ giao các cơ quan thực hiện năm 2025:"
    assert lines[at + 4] == "Các cơ quan tổ chức thực hiện./."


def test_the_rules_of_a_scanned_table_are_found_in_the_image() -> None:
    """The same page drawn at 200 DPI, as a scanner gives it: the rules found in
    the pixels make the same grid (the words here are the PDF's, at their place)."""
    import pypdfium2 as pdfium

    data = _table_pdf()
    pdf = pdfium.PdfDocument(data)
    img = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
    pdf.close()
    rules = image_rules(img, 72 / 200)
    page = pdflayout.layout_pages(data, timeout_s=30)[0]
    tables = find_tables(rules, page.words)
    assert len(tables) == 1
    assert [text for _t, _b, text in tables[0][0].rows] == EXPECTED


def test_a_box_or_an_underline_is_not_a_table() -> None:
    box = [(10, 10, 200, 10), (10, 60, 200, 60), (10, 10, 10, 60), (200, 10, 200, 60)]
    words = [Word(20, 20, 60, 30, "HỎA"), Word(62, 20, 100, 30, "TỐC")]
    assert find_tables(box, words) == []
