"""Issue #13 (e): OCR end to end on real issued scans (corpus/pdf/files).

A signed scan whose only text layer is the signature stamp is read by OCR,
and the OCR text is what is kept (not the stamp); the header's and the
signature block's columns come out in order; a document mixing a text page
and a scanned page keeps both; a scanned task table is read one row per line.
Four pages are OCR'd in all (the OCR tests of tests/ocr/test_ocr.py use
generated pages).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import ocr, pdflayout
from pipeline.ingest.load import load, load_bytes

FILES = Path(__file__).parents[2] / "corpus" / "pdf" / "files"
REASON = ocr.unavailable_reason("vie") or (
    None if pdflayout.available() else "poppler's pdftotext is missing"
)
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"OCR tests skipped: {REASON}")


@pytest.fixture(scope="module")
def cv3206() -> tuple[str, dict[str, str]]:
    doc = load(FILES / "12_daknong-cv3206-phong-chong-covid19.pdf")
    return doc.text, dict(doc.meta)


def test_a_stamp_only_scan_is_read_by_ocr_not_from_its_stamp(
    cv3206: tuple[str, dict[str, str]],
) -> None:
    text, meta = cv3206
    assert meta["ocr_pages"] == "2" and meta["pages"] == "2"
    # The text layer holds only the "SAO Y" signature stamp; none of it is kept.
    assert "Ký bởi" not in text and "Thời gian ký" not in text
    assert "Sở Y tế" in text and "COVID-19" in text
    # The signature itself is read from the signature, into the metadata.
    assert meta["signature_org"] == "Ủy ban Nhân dân tỉnh Đắk Nông"
    assert meta["signature_intact"] == "yes"


def test_a_scans_header_and_signature_block_read_by_column(
    cv3206: tuple[str, dict[str, str]],
) -> None:
    lines = cv3206[0].split("\n")
    assert lines[0] == "ỦY BAN NHÂN DÂN"
    # Left column (issuer, number, trích yếu) before the right one (quốc hiệu, date).
    number = next(i for i, ln in enumerate(lines) if ln.startswith("Số:"))
    quoc_hieu = lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert number < quoc_hieu < 10
    assert lines[quoc_hieu + 1] == "Độc lập - Tự do - Hạnh phúc"
    # The Nơi nhận list, then the signature block beside it.
    noi_nhan = lines.index("Nơi nhận:")
    assert lines[noi_nhan + 1] == "- Như trên;"
    assert noi_nhan < lines.index("PHÓ CHỦ TỊCH")
    closing = lines[noi_nhan : lines.index("PHÓ CHỦ TỊCH")]
    # the line as printed (a speck after it may read as a full stop)
    assert any(ln.rstrip(" .") == "- Lưu: VT, CTTĐT, KGVX (S)" for ln in closing), closing


@pytest.mark.slow
def test_a_mixed_document_keeps_its_text_page_and_reads_its_scanned_table() -> None:
    """A born-digital letter (05, page 1) followed by two scanned Phụ lục pages with
    a task table (17, pages 12 and 13: the table's rules drift by up to 12 pixels
    at 300 DPI, and the first page's header row has column rules as short as
    the row; page 13 was read as interleaved lines before)."""
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    for name, indexes in (("05_quangngai-cv507-gop-y-du-thao-vtci.pdf", [0]),
                          ("17_ttg-qd222-2025-kh-kinh-te-tuan-hoan.pdf", [11, 12])):
        src = pdfium.PdfDocument(FILES / name)
        mixed.import_pages(src, indexes)
        src.close()
    import io

    buf = io.BytesIO()
    mixed.save(buf)
    mixed.close()
    doc = load_bytes(buf.getvalue(), name="mixed.pdf")
    meta = dict(doc.meta)
    assert meta["pages"] == "3" and meta["ocr_pages"] == "2"
    lines = doc.text.split("\n")
    assert "Số: 507/UBND-KGVX" in lines  # the text page, with its widget number
    # The scanned table: one row per line, the task's cells in order.
    row = next(ln for ln in lines if ln.startswith("1.1.1"))
    cells = [c.strip() for c in row.split("|")]
    assert len(cells) >= 5
    assert "ban hành khung hướng" in cells[1]
    assert cells[2] == "Bộ Tài nguyên và Môi trường"
    assert "2025 - 2026" in cells
    # Page 13: its rows, and both pages' header rows cell by cell (the
    # extraction finds a task table by its "Cơ quan chủ trì" column).
    row = next(ln for ln in lines if ln.startswith("1.2.1"))
    cells = [c.strip() for c in row.split("|")]
    assert cells[2] == "Bộ Giáo dục và Đào tạo" and "2025 - 2035" in cells
    headers = [ln for ln in lines if "| Cơ quan chủ trì |" in ln]
    assert len(headers) == 2
