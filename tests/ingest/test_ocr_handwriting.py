"""Issue #13 (4): the number and day written by hand in a scanned header.

Tesseract reads printed type: on a clerk's handwritten "299" it read "899"
(corpus/pdf 04), and a number in blue ink was dropped with the seals' colours
before it could be read (12). The header's line is now read in colour by a
neural OCR (PP-OCRv4, :mod:`pipeline.ingest.handdigits`), its digits kept only
when read surely and as many as the blank's strokes of ink: a reading that
is not sure leaves the blank blank (06). The end-to-end tests OCR the real
first pages; they compare diacritic-folded lines.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from pipeline.ingest import handdigits, ocr

FILES = Path(__file__).parents[2] / "corpus" / "pdf" / "files"
NO_OCR = ocr.unavailable_reason("vie") or handdigits.unavailable_reason()


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).lower().split())


def _header(name: str) -> list[str]:
    path = FILES / name
    img = ocr.rasterize_pdf(path.read_bytes(), [0], dpi=300, source=str(path))[0]
    return [_fold(ln) for ln in ocr.layout_lines([ocr.ocr_page(img)])[0][:8]]


def test_tall_strokes_are_counted_and_a_comma_is_not() -> None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (120, 60), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 12, 14, 44), fill=0)  # "1"
    draw.ellipse((30, 12, 50, 44), outline=0, width=3)  # "0"
    draw.rectangle((70, 36, 73, 44), fill=0)  # a comma: short
    draw.rectangle((90, 55, 118, 59), fill=0)  # the next line's letters, below the band
    assert ocr._tall_runs(img, 30.0) == 2


@pytest.mark.skipif(NO_OCR is not None, reason=str(NO_OCR))
def test_a_handwritten_number_tesseract_misread_is_read_right() -> None:
    lines = _header("04_quangngai-cv299-tthc-hoa-toc.pdf")
    assert "so: 299/ubnd-tthc" in lines


@pytest.mark.skipif(NO_OCR is not None, reason=str(NO_OCR))
def test_a_number_and_day_in_blue_ink_are_read() -> None:
    lines = _header("12_daknong-cv3206-phong-chong-covid19.pdf")
    assert "so: 3206/ubnd-kgvx" in lines
    assert any(" 20 thang 5 nam 2025" in ln for ln in lines)


@pytest.mark.skipif(NO_OCR is not None, reason=str(NO_OCR))
def test_a_reading_that_is_not_sure_leaves_the_blank_blank() -> None:
    # corpus/pdf 06: "Số: 07", read "S6: 0 /CT-UBND" (no number is 0) and the
    # day "20" read "2" (one digit for two strokes): both stay unread
    lines = _header("06_quangngai-ct07-2018-thi-hanh-an-hanh-chinh.pdf")
    assert "so: /ct-ubnd" in lines
    assert any(ln.endswith("ngay thang 3 nam 2018") for ln in lines)
