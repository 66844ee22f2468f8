"""Issue #13 (4): the number and day written by hand in a scanned header.

Tesseract reads printed type: on a clerk's handwritten "299" it read "899"
(corpus/pdf 04), and a number in blue ink was dropped with the seals' colours
before it could be read (12). The header's line is now read in colour by a
neural OCR (PP-OCRv5, :mod:`pipeline.ingest.handdigits`), and the blank alone
when the line does not read surely, its digits kept only when each is read
surely and they are as many as the blank's strokes of ink. The end-to-end
tests OCR the real first pages; they compare diacritic-folded lines.
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
def test_a_number_in_red_and_a_day_in_a_narrow_blank_are_read() -> None:
    # corpus/pdf 06: "Số: 07" and "ngày20tháng 3" in red; the "20" fills its
    # blank from side to side (no rule to take out) and its line reads "z0"
    lines = _header("06_quangngai-ct07-2018-thi-hanh-an-hanh-chinh.pdf")
    assert "so: 07/ct-ubnd" in lines
    assert any(ln.endswith("ngay 20 thang 3 nam 2018") for ln in lines)


@pytest.mark.skipif(NO_OCR is not None, reason=str(NO_OCR))
def test_words_the_hand_ran_into_are_put_back_with_the_digits() -> None:
    # corpus/pdf 07: "Số:16" read as nothing before "/CT-UBND"
    assert "so: 16/ct-ubnd" in _header("07_quangngai-ct16-2021-tet-nham-dan.pdf")
    # corpus/pdf 08: "ngày30" read as nothing between "Hà Nội," and "tháng"
    lines = _header("08_ttg-cv464-cat-giam-tthc-dkkd.pdf")
    assert any("ha noi, ngay 30 thang 4 nam 2026" in ln for ln in lines)


@pytest.mark.skipif(NO_OCR is not None, reason=str(NO_OCR))
def test_a_reading_that_is_not_sure_leaves_the_blank_blank() -> None:
    # corpus/pdf 15: the day "10" reads "o" on its line and "10" alone with
    # its "0" at 0.35: it stays unread (the number "68" reads surely)
    lines = _header("15_haiduong-qd68-2011-chien-si-thi-dua.pdf")
    assert "so: 68/qd-ubnd" in lines
    assert any(ln.endswith("ngay thang 01 nam 2011") for ln in lines)


def test_the_header_day_is_the_one_before_thang_or_the_place_word_stands_for_it() -> None:
    words = [
        (300.0, 100.0, 340.0, 112.0, "Quảng"), (342.0, 100.0, 370.0, 112.0, "Ngãi,"),
        (420.0, 100.0, 450.0, 112.0, "tháng"),
        (100.0, 300.0, 125.0, 312.0, "ngày"), (140.0, 300.0, 170.0, 312.0, "tháng"),
    ]
    # the header's line (topmost) comes first; its "ngày" was not read
    day, month, read = ocr._header_day(words)
    assert (day[4], month[1], read) == ("Ngãi,", 100.0, False)
    day, month, read = ocr._header_day([(372.0, 100.0, 398.0, 112.0, "ngày"), *words])
    assert (day[4], month[1], read) == ("ngày", 100.0, True)
    # a lower-case word before "tháng" is running text, not the place
    assert ocr._header_day([(342.0, 100.0, 370.0, 112.0, "vào"), words[2]]) is None


def test_sure_digits_need_every_digit_read_surely() -> None:
    def pieces(text: str, scores: list[float]) -> list[handdigits.Piece]:
        return [handdigits.Piece(ch, sc, i, i + 1) for i, (ch, sc) in enumerate(zip(text, scores,
                                                                                      strict=True))]

    line = "só: 68 /QD"
    assert ocr._sure_digits(pieces(line, [0.5] * 4 + [0.9, 0.9] + [0.5] * 4),
                            ocr._NEURAL_NUMBER) == "68"
    assert ocr._sure_digits(pieces(line, [1.0] * 4 + [0.9, 0.3] + [1.0] * 4),
                            ocr._NEURAL_NUMBER) is None
    assert ocr._sure_digits(pieces("ngày30", [0.2] * 4 + [0.9, 0.9]), ocr._NEURAL_BLANK) == "30"
    assert ocr._sure_digits(pieces("6Q", [0.9, 0.9]), ocr._NEURAL_BLANK) is None


def test_a_digit_row_is_no_rule_in_a_narrow_blank() -> None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (40, 40), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle((2, 10, 16, 30), outline=0, width=3)  # two digits side by side,
    draw.rectangle((20, 10, 36, 30), outline=0, width=3)  # each row over half ink
    assert ocr._without_rules(img).getpixel((8, 11)) == 255  # counted: the digits' tops wiped
    assert ocr._without_rules(img, solid=True).getpixel((8, 11)) == 0
    draw.line((0, 36, 39, 36), fill=0, width=1)  # a rule: one run across
    assert ocr._without_rules(img, solid=True).getpixel((20, 36)) == 255
