"""Issue #13 (3, 4): a scanned task table read cell by cell, and a table that
runs over a page break read as one table.

Read as one block, a scanned table's row is one line for Tesseract across all
its cells, whose lines sit at other heights: words of a cell were lost or put
in another's order. Each cell is now read on its own, with the rules painted
out except where a letter runs into them. The end-to-end tests OCR real pages
of corpus/pdf 17 (Phụ lục I); their assertions compare diacritic-folded words,
so another Tesseract version's mark on a letter does not fail them.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from pipeline.ingest import ocr, pdflayout
from pipeline.ingest.ocr import _tsv_scored, paint_out_beside_letters
from pipeline.ingest.pdflayout import _join_split_rows
from pipeline.ingest.pdftables import table_cells

FILES = Path(__file__).parents[2] / "corpus" / "pdf" / "files"
PLAN = FILES / "17_ttg-qd222-2025-kh-kinh-te-tuan-hoan.pdf"
NO_OCR = ocr.unavailable_reason("vie") or (
    None if pdflayout.available() else "poppler's pdftotext is missing"
)


def _fold(text: str) -> str:
    """Lower case without marks, one space between words."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).lower().split())


# --- the grid's cells ---------------------------------------------------------


def test_table_cells_give_a_merged_cell_once() -> None:
    # 3 columns, 3 rows; the second row's rule between columns 1 and 2 is
    # missing (a cell merged across), and so is the rule above column 0 of row 2
    # (merged down).
    h = [(0, 0, 300, 0), (0, 20, 300, 20), (100, 40, 300, 40), (0, 60, 300, 60)]
    v = [(0, 0, 0, 60), (100, 0, 100, 60), (200, 0, 200, 20), (200, 40, 200, 60),
         (300, 0, 300, 60)]
    cells = table_cells(h + v)
    assert (100.0, 20.0, 300.0, 40.0) in cells  # merged across
    assert (0.0, 20.0, 100.0, 60.0) in cells  # merged down
    assert len(cells) == 3 + 1 + 1 + 2
    assert table_cells([(0, 0, 100, 0), (0, 0, 0, 50)]) == []  # no grid


# --- rules painted out, letters kept ----------------------------------------


def test_a_rule_is_painted_out_but_the_letter_running_into_it_stays() -> None:
    from PIL import Image, ImageDraw

    # A cell cut out along its rules: its left rule (4 px) and bottom rule (3 px).
    cell = Image.new("L", (200, 120), 255)
    d = ImageDraw.Draw(cell)
    d.rectangle((0, 0, 3, 119), fill=0)
    d.rectangle((0, 117, 199, 119), fill=0)
    d.rectangle((4, 20, 8, 30), fill=0)  # a letter's stroke touching the rule
    d.rectangle((4, 60, 4, 90), fill=0)  # the rule's ragged edge: one pixel wide
    d.rectangle((120, 108, 123, 116), fill=0)  # a descender touching the bottom rule
    out = paint_out_beside_letters(cell, [(0, 0, 3, 119), (0, 117, 199, 119)], 1.0)
    assert out.getpixel((1, 50)) == 255 and out.getpixel((2, 100)) == 255  # rule gone
    assert out.getpixel((50, 118)) == 255  # rule gone
    assert out.getpixel((4, 75)) == 255  # its ragged edge too
    assert all(out.getpixel((x, 25)) == 0 for x in (2, 3, 4, 8))  # the stroke kept whole
    assert out.getpixel((2, 36)) == 0  # ... and the rule along a letter's height
    assert out.getpixel((121, 117)) == 0 and out.getpixel((121, 119)) == 255


def test_a_letter_at_a_lines_end_does_not_keep_the_rule_beyond() -> None:
    from PIL import Image, ImageDraw

    cell = Image.new("L", (100, 60), 255)
    d = ImageDraw.Draw(cell)
    d.rectangle((96, 0, 99, 59), fill=0)  # the right rule
    d.rectangle((90, 20, 95, 30), fill=0)  # a line's last letter touching it
    out = paint_out_beside_letters(cell, [(96, 0, 99, 59)], 1.0)
    assert out.getpixel((98, 25)) == 255  # the far half goes
    assert out.getpixel((97, 35)) == 255  # no rule kept above or below the letter
    assert out.getpixel((92, 25)) == 0


# --- a word boxed over two lines keeps its line --------------------------------


def _tsv(words: list[tuple[int, int, int, int, int, str]]) -> str:
    head = "\t".join("level page_num block_num par_num line_num word_num left top width height "
                     "conf text".split())
    rows = [head] + [f"5\t1\t1\t1\t{line}\t{k}\t{x}\t{y}\t{w}\t{h}\t95\t{t}"
                     for k, (line, x, y, w, h, t) in enumerate(words)]
    return "\n".join(rows)


def test_snapped_words_take_their_lines_band() -> None:
    tsv = _tsv([(1, 0, 100, 40, 30, "Rà"), (1, 50, 100, 60, 30, "soát,"),
                (1, 120, 95, 60, 70, "đổi,"),  # Tesseract boxed it into the next line
                (2, 0, 140, 60, 30, "hành")])
    plain = {b[4]: b for b, _c in _tsv_scored(tsv, 1.0)}
    snapped = {b[4]: b for b, _c in _tsv_scored(tsv, 1.0, snap=True)}
    assert plain["đổi,"][3] == 165
    assert snapped["đổi,"][1:4:2] == (100, 130)  # the median top and bottom of line 1
    assert snapped["hành"] == plain["hành"]
    assert snapped["đổi,"][0] == plain["đổi,"][0]  # across, as read


# --- rows cut by a page break ------------------------------------------------------


HEADER = "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp"


def _pages(first: list[str], second: list[str]) -> list[list[str]]:
    rows = [{t for t in first if "|" in t}, {t for t in second if "|" in t}]
    return _join_split_rows([first, second], rows, [len(first), len(second)])


def test_a_row_cut_by_the_page_break_is_one_row_again() -> None:
    out = _pages(
        ["Phụ lục I", HEADER, "4.2.1 | Chỉ đạo các tổ chức tín dụng thực hiện dự án | "
         "Ngân hàng Nhà nước Việt Nam | Các bộ; các viện"],
        ["lỗi", "TT | Nhiệm vụ | Cơ quan chủ tri | Cơ quan phối hợp",  # "11", the header
         " | kinh tế tuần hoàn theo quy định của pháp luật |  | nghiên cứu, trường đại học",
         "4.2.2 | Thúc đẩy các quỹ đầu tư | Bộ Tài chính"])
    assert out[0][-1] == ("4.2.1 | Chỉ đạo các tổ chức tín dụng thực hiện dự án kinh tế tuần hoàn "
                          "theo quy định của pháp luật | Ngân hàng Nhà nước Việt Nam | "
                          "Các bộ; các viện nghiên cứu, trường đại học")
    # the page number (misread) above the repeated header goes with it
    assert out[1] == ["4.2.2 | Thúc đẩy các quỹ đầu tư | Bộ Tài chính"]


def test_a_sub_row_of_its_own_at_the_top_of_a_page_stays() -> None:
    sub = " |  | - Các bộ, cơ quan ngang bộ | Cơ quan, tổ chức có liên quan"
    out = _pages([HEADER, "5.2.1 | Xây dựng bộ chỉ số | Bộ Tài nguyên và Môi trường | Các bộ"],
                 [HEADER, sub])
    assert out[1] == [sub]  # its header went, the row stays (a capital, a dash)
    assert out[0][-1].endswith("| Các bộ")


def test_text_above_the_next_page_table_keeps_the_rows_apart() -> None:
    cont = " | kinh tế tuần hoàn"
    out = _pages([HEADER, "1 | Rà soát | Bộ Tư pháp"],
                 ["PHỤ LỤC II DANH MỤC NGÀNH, LĨNH VỰC ƯU TIÊN", cont])
    assert out[0][-1] == "1 | Rà soát | Bộ Tư pháp" and cont in out[1]


# --- real scanned pages ---------------------------------------------------------


def _pdf_of(pages: list[int]) -> bytes:
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    src = pdfium.PdfDocument(PLAN)
    out.import_pages(src, pages)
    src.close()
    buf = io.BytesIO()
    out.save(buf)
    out.close()
    return buf.getvalue()


def _row(lines: list[str], tt: str) -> list[str]:
    row = next(ln for ln in lines if ln.split("|")[0].strip().strip(".") == tt)
    return [_fold(c) for c in row.split("|")]


@pytest.mark.slow
@pytest.mark.skipif(NO_OCR is not None, reason=f"OCR tests skipped: {NO_OCR}")
def test_a_scanned_task_table_is_read_cell_by_cell() -> None:
    """corpus/pdf 17, pages 14 and 15: justified task cells whose lines start
    on the cell's rule. Read as whole rows, 2.1.1 came out "kinh tế hoàn của
    tuần vực" and 2.2.2 lost "chuẩn", "đẩy" and "tuần" at its lines' starts."""
    from pipeline.ingest.load import load_bytes

    doc = load_bytes(_pdf_of([13, 14]), name="phu-luc.pdf")
    lines = doc.text.split("\n")
    cells = _row(lines, "2.1.1")
    assert "thuc hien kinh te tuan hoan cua nganh, linh vuc, san pham, cap tinh" in cells[1]
    cells = _row(lines, "2.2.2")
    assert "quy chuan ky thuat de thuc day thuc hien kinh te tuan hoan cho cac nganh" in cells[1]
    assert cells[2] == "bo khoa hoc va cong nghe"
    assert "2025 - 2030" in cells
    # one table over the two pages: the header row once
    assert sum("| Cơ quan chủ trì |" in ln for ln in lines) == 1
