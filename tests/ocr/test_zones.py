"""The signature block read again (pipeline.ingest.ocr.reread_signature) on a
real signed scan, and the rules that merge two readings of one place; the signer as the
metadata reads him from it.

One OCR run of half a page (the signature block of a Chỉ thị under its seal,
corpus/pdf/files/06, page 4): a few seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractors.metadata import find_signer
from pipeline.ingest import ocr

if TYPE_CHECKING:
    from PIL import Image as PILImage

FILES = Path(__file__).parents[2] / "corpus" / "pdf" / "files"


def _page(name: str, index: int) -> PILImage.Image:
    """Page ``index`` (from 0) of a corpus/pdf file at 300 DPI, as the reader draws it."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(FILES / name)
    try:
        return pdf[index].render(scale=300 / 72, draw_annots=False).to_pil()
    finally:
        pdf.close()


def test_the_zone_lies_under_the_title_beside_noi_nhan() -> None:
    words = [(90.0, 500.0, 110.0, 510.0, "Nơi"), (112.0, 500.0, 140.0, 510.0, "nhận:"),
             (380.0, 490.0, 400.0, 502.0, "KT."), (404.0, 490.0, 440.0, 502.0, "CHỦ"),
             (444.0, 490.0, 480.0, 502.0, "TỊCH")]
    x0, y0, x1, y1 = ocr.signature_zone(words, (595.0, 842.0)) or (0, 0, 0, 0)
    assert x0 > 250 and x1 > 480 and y0 < 490 < 502 < y1
    # No "Nơi nhận", or no title in the right half: no signature block.
    assert ocr.signature_zone(words[2:], (595.0, 842.0)) is None
    assert ocr.signature_zone(words[:2], (595.0, 842.0)) is None


def test_two_readings_keep_one_word_per_place() -> None:
    a = ((401.0, 453.0, 422.0, 463.0, "CHỦ"), 90.0)
    a_again = ((391.0, 453.0, 400.0, 463.0, "CHỦ"), 60.0)  # a wandering box, touching
    ban1 = ((100.0, 10.0, 120.0, 19.0, "BAN"), 90.0)
    ban2 = ((124.0, 10.0, 144.0, 19.0, "BAN"), 90.0)  # "TRƯỞNG BAN BAN CHÍNH SÁCH"
    kept = ocr._one_reading([a, a_again, ban1, ban2], [])
    assert a in kept and a_again not in kept
    assert ban1 in kept and ban2 in kept


def test_a_better_read_line_replaces_the_page_reading() -> None:
    own = [[((400.0, 220.0, 430.0, 232.0, "Trường"), 80.0), ((432.0, 220.0, 445.0, 232.0, "Th"),
                                                             40.0)]]
    again = [[((360.0, 221.0, 390.0, 233.0, "Phạm"), 95.0),
              ((400.0, 221.0, 430.0, 233.0, "Trường"), 96.0),
              ((432.0, 221.0, 450.0, 233.0, "Thọ"), 95.0)]]
    merged = ocr._best_lines(own, again)
    assert [w[0][4] for w in merged[0]] == ["Phạm", "Trường", "Thọ"]
    # A worse reading leaves the line as it was.
    assert ocr._best_lines(again, own) == again


@pytest.mark.skipif(ocr.unavailable_reason("vie") is not None,
                    reason=f"OCR tests skipped: {ocr.unavailable_reason('vie')}")
def test_the_signers_name_under_a_seal_is_read() -> None:
    page = _page("06_quangngai-ct07-2018-thi-hanh-an-hanh-chinh.pdf", 3)
    top = ocr._gray(page.crop((0, 0, page.width, page.height // 2)))
    read = ocr.ocr_page(top, dpi=300)
    lines = ocr.layout_lines([read])[0]
    # The Nơi nhận list, then the signature block, its name whole and last.
    assert "Nơi nhận:" in lines
    assert lines[-1] == "Phạm Trường Thọ"
    # The seal costs "KT." and "PHÓ CHỦ" of the title lines; the deputy's block
    # is still told by its two lines ending in "TỊCH".
    signer = find_signer("\n".join(lines))
    assert signer is not None
    assert (signer.name, signer.title, signer.authority) == ("Phạm Trường Thọ", "Phó Chủ tịch",
                                                             ("KT.",))


def test_a_titles_last_word_read_unsurely_under_a_seal_is_kept() -> None:
    line = [((400.0, 220.0, 420.0, 232.0, "ĐI"), 34.0),
            ((424.0, 220.0, 470.0, 232.0, "TƯƠNG"), 63.0)]
    fixed = ocr._title_heads(line)
    assert [w[0][4] for w in fixed] == ["ĐI", "TƯỚNG"] and ocr._well_read(fixed) > 0
    # in lower case, or read with too little confidence, a word stays as read
    assert ocr._title_heads([((0.0, 0.0, 9.0, 9.0, "tương"), 90.0)])[0][0][4] == "tương"
    assert ocr._title_heads([((0.0, 0.0, 9.0, 9.0, "TƯƠNG"), 20.0)])[0][0][4] == "TƯƠNG"


@pytest.mark.skipif(ocr.unavailable_reason("vie") is not None,
                    reason=f"OCR tests skipped: {ocr.unavailable_reason('vie')}")
def test_a_deputys_title_lines_under_a_black_seal_give_the_title() -> None:
    # corpus/pdf 08, page 3: "KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG" under the seal of a
    # black-and-white scan: the page reads "RỦ TƯỚNG" over "ĐI TƯƠNG" (63)
    page = _page("08_ttg-cv464-cat-giam-tthc-dkkd.pdf", 2)
    lines = ocr.layout_lines([ocr.ocr_page(ocr._gray(page), dpi=300)])[0]
    signer = find_signer("\n".join(lines))
    assert signer is not None
    assert (signer.title, signer.authority) == ("Phó Thủ tướng", ("KT.",))
