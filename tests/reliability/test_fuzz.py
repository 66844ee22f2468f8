"""Issue #6, part 6: hypothesis on the whole `extract`; long and hostile lines.

Inputs: arbitrary Unicode; Vietnamese-like text recombined from the corpus's
own sentences (corpus/seeds, corpus/docs); and a soup of the tokens the
grammars care about (numbers, symbols, dates, "quý V", "Điều", list marks).
Properties: nothing crashes; every span's offsets select its text (tasks,
references, deadlines, agency/organization/person mentions); every date is
a real date; ``extract`` is idempotent on its own output text.
Long and adversarial lines are handled; their speed is read in bench/hostile.py.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract
from pipeline.ingest.clean import clean
from tests.reliability.conftest import corpus_texts, span_errors

LINES = sorted(
    {ln.strip() for p in corpus_texts() for ln in p.read_text("utf-8").splitlines() if ln.strip()}
)
WORDS = sorted({w for ln in LINES for w in ln.split()})
SEPARATORS = ["\n", " ", "\n\n", "\n- ", "\n+ ", "; ", ", ", "\n1. ", "\na) ", "\n(2) ", ": "]
TOKENS = [
    "ngày", "tháng", "năm", "quý", "I", "II", "IV", "V", "trước", "chậm nhất", "xong trong",
    "hằng tháng", "định kỳ", "Điều", "khoản", "điểm", "Nghị định", "Quyết định", "Thông tư",
    "số", "Luật", "Chỉ thị", "UBND", "Sở", "giao", "chủ trì", "phối hợp", "Số:", "V/v",
    "Kính gửi:", "Nơi nhận:", "TM.", "KT.", "CHỦ TỊCH", ",", ".", ":", ";", "-", "/", "(", ")",
    "\n", "\n- ", "a)", "1.", "31/02/2024", "29/02/2024", "00/00/0000", "99/99/9999",
    "quý V/2024", "tháng 13/2024", "35/2022/NĐ-CP", "68-NQ/TW", "123/UBND-KTTH", "2024",
]  # fmt: skip

corpus_text = st.lists(
    st.tuples(st.sampled_from(LINES), st.sampled_from(SEPARATORS)), min_size=1, max_size=8
).map(lambda parts: "".join(line + sep for line, sep in parts))

# A line cut at a random place, joined to another: the grammars see broken phrases.
spliced_text = st.lists(
    st.tuples(st.sampled_from(LINES), st.integers(0, 400), st.sampled_from(LINES)),
    min_size=1,
    max_size=4,
).map(lambda parts: "\n".join(a[:i] + b[i:] for a, i, b in parts))

token_soup = st.lists(
    st.one_of(
        st.sampled_from(TOKENS),
        st.sampled_from(WORDS),
        st.from_regex(r"\d{1,4}(/\d{1,4}){0,2}(/[A-ZĐ]{1,5}-[A-ZĐ]{1,6})?", fullmatch=True),
    ),
    max_size=60,
).map(" ".join)

# CI: 150 examples each (~15 s in all). Hunting: VNDOC_FUZZ_EXAMPLES=5000.
FUZZ = settings(
    max_examples=int(os.environ.get("VNDOC_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check(raw: str) -> None:
    text = clean(raw)
    doc = extract(text)
    assert not span_errors(doc), span_errors(doc)
    assert doc.text == text
    # Extraction is a function of the text: a second run gives the same result.
    assert extract(text) == doc


@FUZZ
@given(st.text(max_size=500))
def test_arbitrary_unicode(raw: str) -> None:
    check(raw)


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "M", "N", "P", "Zs"])))
def test_arbitrary_letters_marks_and_punctuation(raw: str) -> None:
    check(raw)


@FUZZ
@given(corpus_text)
def test_vietnamese_text_from_the_corpus(raw: str) -> None:
    check(raw)


@FUZZ
@given(spliced_text)
def test_spliced_corpus_lines(raw: str) -> None:
    check(raw)


@FUZZ
@given(token_soup)
def test_token_soup(raw: str) -> None:
    check(raw)


# ---------------------------------------------------------------------------
# Long and hostile lines: handled, spans exact. Their speed (linear or not) is
# measured in ``python -m bench.hostile`` (make bench), never timed here.
# ---------------------------------------------------------------------------


def _line(unit: str, size: int) -> str:
    return clean((unit * (size // len(unit) + 1))[:size].replace("\n", " "))


ADVERSARIAL = [
    "Nghị định ", "Sở ", "1/", "(", "- ", ". ", "quý II/2024 ", "UBND các huyện, ",
    "ngày 31/12/2024 ", "a", "Điều 1 khoản 2 ", "giao Sở Tài chính chủ trì, ",
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_long_line_of_corpus_text_is_handled() -> None:
    line = _line(" ".join(LINES) + " ", 100_000)
    assert len(line) > 50_000 and "\n" not in line
    doc = extract(line)
    assert doc.text == line and not span_errors(doc)


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_adversarial_lines_are_handled(unit: str) -> None:
    line = _line(unit, 50_000)
    doc = extract(line)
    assert doc.text == line and not span_errors(doc)
