"""Issue #13: the header's handwritten number and day (a paper-signed letter
printed with "Số:      /TB-UBND" and "ngày      tháng") are read as digits
only when the reading is sure, and otherwise stay blank (``ocr_unread``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from pipeline.ingest import ocr

FILES = Path(__file__).parents[2] / "corpus" / "pdf" / "files"
REASON = ocr.unavailable_reason("vie")


def strokes(*xs: int, rule: bool = False) -> Image.Image:
    """A white crop with a vertical stroke of ink at each x (and a rule above)."""
    img = Image.new("L", (120, 60), 255)
    draw = ImageDraw.Draw(img)
    for x in xs:
        draw.rectangle((x, 15, x + 6, 50), fill=0)
    if rule:
        draw.rectangle((0, 4, 119, 6), fill=0)
    return img


def test_ink_strokes_are_counted_apart_from_specks_and_rules() -> None:
    assert ocr._ink_runs(strokes(10, 40, 70)) == 3
    assert ocr._ink_runs(strokes(10, 14)) == 1  # touching strokes are one
    img = strokes(10, 40)
    img.putpixel((100, 30), 0)  # a speck of one column is not a stroke
    assert ocr._ink_runs(img) == 2
    # the rule under the issuer's name, caught in the crop, joins every stroke
    ruled = strokes(10, 40, 70, rule=True)
    assert ocr._ink_runs(ruled) == 1
    assert ocr._ink_runs(ocr._without_rules(ruled)) == 3


def test_a_reading_is_kept_only_when_sure(monkeypatch: pytest.MonkeyPatch) -> None:
    readings: dict[str, str] = {}

    class FakeTesseract:
        @staticmethod
        def image_to_string(img: Image.Image, config: str, timeout: float) -> str:
            return readings[config.split()[1]]

    import sys

    monkeypatch.setitem(sys.modules, "pytesseract", FakeTesseract)
    three = strokes(10, 40, 70)
    readings.update({"7": "660\n", "8": "660", "13": "660"})
    assert ocr._read_digits(three, 1.0) == "660"
    readings.update({"7": "", "8": "660", "13": "660"})  # two modes read it, one nothing
    assert ocr._read_digits(three, 1.0) == "660"
    readings.update({"7": "", "8": "660", "13": ""})  # one mode alone is not sure
    assert ocr._read_digits(three, 1.0) is None
    readings.update({"7": "660", "8": "860", "13": "660"})  # the line modes disagree
    assert ocr._read_digits(three, 1.0) is None
    readings.update({"7": "6", "8": "6", "13": "6"})  # three strokes are not one digit
    assert ocr._read_digits(three, 1.0) is None
    # a hand joins digits: four in two strokes are fine, five are not
    readings.update({"7": "3206", "8": "3206", "13": "3206"})
    assert ocr._read_digits(strokes(10, 40), 1.0) == "3206"
    readings.update({"7": "32064", "8": "32064", "13": "32064"})
    assert ocr._read_digits(strokes(10, 40), 1.0) is None
    readings.update({"7": "", "8": "", "13": ""})
    assert ocr._read_digits(three, 1.0) is None


@pytest.mark.slow
@pytest.mark.skipif(REASON is not None, reason=f"OCR tests skipped: {REASON}")
@pytest.mark.parametrize(
    ("name", "number"),
    [
        # "Số: 299 /UBND-TTHC" in dark blue: read "899" when the blank was cut
        # from the page with its colours dropped
        ("04_quangngai-cv299-tthc-hoa-toc.pdf", "299"),
        # "Số: 3206 /UBND-KGVX" in blue, its digits joined in two strokes
        ("12_daknong-cv3206-phong-chong-covid19.pdf", "3206"),
    ],
)
def test_a_number_in_blue_ink_is_read_by_tesseract(
    name: str, number: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.ingest import handdigits

    # the fallback alone, as where the neural reader's packages are missing
    monkeypatch.setattr(handdigits, "unavailable_reason", lambda: "not here")
    path = FILES / name
    img = ocr.rasterize_pdf(path.read_bytes(), [0], dpi=300, source=str(path))[0]
    page = ocr.ocr_page(img, dpi=300)
    top = [b for b in page.boxes if b[1] < 0.3 * page.size[1]]
    so = next(b for b in top if b[4] == "Số:")
    line = sorted((b for b in top if abs(b[1] - so[1]) < 10 and b[0] > so[0]), key=lambda b: b[0])
    assert line[0][4] == number


@pytest.mark.slow
@pytest.mark.skipif(REASON is not None, reason=f"OCR tests skipped: {REASON}")
def test_a_clear_handwritten_number_is_read_and_an_unsure_day_left_blank() -> None:
    # 03: "Số: 660 /TB-UBND" with 660 written by hand, "ngày 31 tháng 12": the
    # 31 is written over the seal's edge and does not read surely by Tesseract;
    # the neural reader (tests/ingest/test_ocr_handwriting.py)
    # reads it right, as the page and the gold say
    path = FILES / "03_quangngai-tb660-ket-luan-xoa-nha-tam-binh-son.pdf"
    img = ocr.rasterize_pdf(path.read_bytes(), [0], dpi=300, source=str(path))[0]
    page = ocr.ocr_page(img, dpi=300)
    top = [b for b in page.boxes if b[1] < 0.3 * page.size[1]]
    so = next(b for b in top if b[4] == "Số:")
    line = sorted((b for b in top if abs(b[1] - so[1]) < 10 and b[0] >= so[0]), key=lambda b: b[0])
    assert [b[4] for b in line[:3]] == ["Số:", "660", "/TB-UBND"]
    day = next(b for b in top if b[4] == "ngày")
    after = sorted((b for b in top if abs(b[1] - day[1]) < 10 and b[0] > day[0]),
                   key=lambda b: b[0])
    from pipeline.ingest import handdigits

    if handdigits.unavailable_reason() is None:
        assert [b[4] for b in after[:2]] == ["31", "tháng"]
    else:
        assert after[0][4] == "tháng"  # not a guessed "3"
