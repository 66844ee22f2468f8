"""Words broken across lines with a hyphen, joined again (PDF text and OCR alike).

Kept apart from :mod:`pipeline.ingest.formats` and :mod:`pipeline.ingest.ocr`, which
both use it, so neither reader imports the other for it.
"""

from __future__ import annotations

import re

__all__ = ["join_hyphens"]

_VIET_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_HYPHEN_BREAK = re.compile(r"(\S*?)([^\W\d_])-\n(?=[^\W\d_A-ZĐÀ-Ỹ])")


def join_hyphens(text: str) -> str:
    """Join words broken across lines with a hyphen ("Co-" / "vid-19").

    Only a letter + "-" at a line's end followed by a lowercase letter
    counts; "kinh tế -" / "xã hội" and "Lao động-" / "Thương binh" stay.

    Example:
        >>> join_hyphens("dịch Co-\\nvid-19 và phát-\\ntriển; kinh tế -\\nxã hội")
        'dịch Covid-19 và phát triển; kinh tế -\\nxã hội'
    """

    def fix(m: re.Match[str]) -> str:
        word = m[1] + m[2]
        # A Vietnamese syllable (has diacritics) is a word of its own.
        return word + (" " if any(c in _VIET_LETTERS for c in word.lower()) else "")

    return _HYPHEN_BREAK.sub(fix, text)
