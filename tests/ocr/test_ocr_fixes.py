"""The form-word fixes of pipeline/ingest/data/ocr_fixes.tsv: every row's
example becomes its expected line, rows are well formed, and the fixes leave
correct lines alone (#13 e)."""

from __future__ import annotations

from importlib.resources import files

import pytest

from pipeline.ingest.ocr import _noise, fix_form_words


def _rows() -> list[list[str]]:
    text = files("pipeline.ingest.data").joinpath("ocr_fixes.tsv").read_text("utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r[0])
def test_every_example_is_fixed(row: list[str]) -> None:
    assert len(row) == 5, row
    _id, _pattern, _replacement, example, expected = row
    assert fix_form_words(example) == expected
    assert fix_form_words(expected) == expected  # idempotent


@pytest.mark.parametrize("line", [
    "TỈNH QUẢNG NGÃI", "Số: 15/CT-TTg", "Tính đến ngày 14/5/2025, Việt Nam ghi nhận",
    "số ca mắc tăng", "Nơi nhận:", "KT. CHỦ TỊCH", "QUYẾT ĐỊNH:", "Chỉ thị này có hiệu lực",
])
def test_correct_lines_stay(line: str) -> None:
    assert fix_form_words(line) == line


@pytest.mark.parametrize(("word", "conf", "noise"), [
    ('"¬', 95.0, True),  # a character no Vietnamese text has
    ("<Š.¿", 0.0, True),
    ("Tửy", 29.7, True),  # unsure, and not a syllable
    ("tin", 21.3, False),  # unsure, but a syllable: kept
    ("COVID-19", 96.0, False),
    ("KH&CN", 90.0, False),
    ("Đắk", 40.0, False),
    ("x", 45.0, True),  # a speck read as a letter
    ("ở", 91.0, False),
])
def test_seal_marks_are_noise_words_are_not(word: str, conf: float, noise: bool) -> None:
    assert _noise(word, conf) is noise
