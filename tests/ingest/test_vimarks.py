"""Marks OCR lost, chosen for a whole run of syllables (pipeline.ingest.vimarks).

Two neighbours both misread ("thâm quyên") vouch for each other's repair only
when the run is weighed at once; clean text, names and words that are no
syllable stay as written. Pure: no Tesseract needed."""

from __future__ import annotations

import pytest

from pipeline.ingest import vimarks
from pipeline.ingest.ocr import _one_mark, layout_lines, restore_tones
from pipeline.ingest.vimarks import decode_marks


def test_two_neighbours_misread_are_put_right_together() -> None:
    # restore_tones, one word at a time, finds no telling neighbour
    assert restore_tones("có thâm quyên") == "có thâm quyên"
    assert decode_marks("có thâm quyên", _one_mark) == "có thẩm quyền"
    assert decode_marks("thi hành một sô điêu", _one_mark) == "thi hành một số điều"


@pytest.mark.parametrize("line", [
    "Luật Tố tụng hành chính quy định",
    "Tổ chức triển khai kế hoạch phát triển kinh tế - xã hội",
    "sau đây gọi là cơ quan đó; nhân dân",
    "Phạm Thị Thanh Trà",
    "Sở THADS; email công vụ; COVID-19",
])
def test_clean_text_and_names_stay(line: str) -> None:
    assert decode_marks(line, _one_mark) == line


def test_case_and_punctuation_kept() -> None:
    assert (decode_marks("KHÔNG ĐÊ XẢY RA; Không đê xảy ra.", _one_mark)
            == "KHÔNG ĐỂ XẢY RA; Không để xảy ra.")


def test_a_run_stops_at_punctuation_and_at_a_word_that_is_no_syllable() -> None:
    # "thâm" alone at a run's end has nothing to vouch for a change
    assert decode_marks("quyên, thâm", _one_mark) == "quyên, thâm"
    assert decode_marks("thâm XYZQ quyên", _one_mark) == "thâm XYZQ quyên"


def test_a_change_must_be_worth_its_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vimarks, "DROP_COST", 1e9)
    monkeypatch.setattr(vimarks, "CHANGE_COST", 1e9)
    assert decode_marks("có thâm quyên", _one_mark) == "có thâm quyên"


def test_ocr_lines_go_through_it() -> None:
    from pipeline.ingest.ocr import OcrPage

    words = ("Các", "cơ", "quan", "có", "thâm", "quyên", "giải", "quyết", "ngay.")
    boxes = tuple((72.0 + 40 * k, 100.0, 72.0 + 40 * k + 30, 112.0, w)
                  for k, w in enumerate(words))
    page = OcrPage(("",), 90.0, len(words), boxes=boxes, size=(595.0, 842.0))
    text = " ".join(" ".join(p) for p in layout_lines([page]))
    assert "thẩm quyền" in text
