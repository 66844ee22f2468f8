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


def _scanned_grid(drift: int) -> object:
    """A scanned landscape table at 150 DPI, drawn with Pillow: row rules that
    drift ``drift`` pixels over their length (a page a tenth of a degree off,
    paper not flat), a header row whose column rules stop at the section row
    under it (which runs across), and a seal's stroke crossing the top rule."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (2000, 1400), 255)
    d = ImageDraw.Draw(img)
    for y in (100, 160, 220, 600, 1000):  # header, section row, two task rows
        d.line((100, y, 1900, y + drift), fill=0, width=3)
    for x in (100, 1900):
        d.line((x, 100, x, 1000 + drift), fill=0, width=3)
    for x in (400, 1200):  # column rules: the header row, then the task rows
        d.line((x, 100, x, 160), fill=0, width=3)
        d.line((x, 220, x, 1000), fill=0, width=3)
    d.line((250, 60, 252, 135), fill=0, width=4)  # a seal's stroke over the top rule
    return img


def _words_in(cells: dict[tuple[float, float], str]) -> list[Word]:
    s = 72 / 150
    return [Word(x * s, y * s, (x + 10 * len(t)) * s, (y + 20) * s, t)
            for (x, y), t in cells.items()]


SCAN_WORDS = {
    (120, 120): "TT", (420, 120): "Nhiệm vụ", (1220, 120): "Cơ quan chủ trì",
    (120, 180): "1 NÂNG CAO NHẬN THỨC",
    (120, 300): "1.1", (420, 300): "Xây dựng khung hướng dẫn", (1220, 300): "Bộ Tài chính",
    (120, 700): "1.2", (420, 700): "Rà soát quy định", (1220, 700): "Bộ Tư pháp",
}


@pytest.mark.parametrize("drift", [0, 10])
def test_a_scanned_tables_rules_are_found_when_they_drift_and_stop_short(drift: int) -> None:
    """The rules of corpus/pdf 17's Phụ lục I drift by up to 12 pixels over a
    landscape page at 300 DPI (taken for a band of print before), and the
    header row's column rules are as short as the row (too short before)."""
    from pipeline.ingest.pdftables import grid_rules

    rules = grid_rules(image_rules(_scanned_grid(drift), 72 / 150))
    tables = find_tables(rules, _words_in(SCAN_WORDS))
    assert len(tables) == 1
    rows = [text for _t, _b, text in tables[0][0].rows]
    assert rows == [
        "TT | Nhiệm vụ | Cơ quan chủ trì",
        "1 NÂNG CAO NHẬN THỨC",
        "1.1 | Xây dựng khung hướng dẫn | Bộ Tài chính",
        "1.2 | Rà soát quy định | Bộ Tư pháp",
    ]


def test_a_band_of_print_is_still_no_rule() -> None:
    from pipeline.ingest.pdftables import _thin_enough

    # 12 px thick over a 2,950 px table rule: a drifting rule; over 300 px: print.
    assert _thin_enough((0.0, 0.0, 708.0, 2.9), 0.24)
    assert not _thin_enough((0.0, 0.0, 72.0, 2.9), 0.24)
