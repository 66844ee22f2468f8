"""One date helper: checked ISO dates, date forms, calendar arithmetic."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from extractors.dates import add_months, iso, last_day, parse_date, quarter
from extractors.deadlines import find_deadlines
from extractors.legal_refs import CITED_DATE
from extractors.model import Document


@given(st.integers(0, 2100), st.integers(0, 13), st.integers(0, 32))
def test_iso_is_a_calendar_date_or_none(year: int, month: int, day: int) -> None:
    try:
        want: str | None = dt.date(year, month, day).isoformat()
    except ValueError:
        want = None
    assert iso(year, month, day) == want


def test_lenient_iso_keeps_what_the_header_reader_gave() -> None:
    assert iso(2025, 0, 5) is None
    assert iso(2025, 0, 5, lenient=True) == "2025-00-05"
    assert iso(2025, 2, 30, lenient=True) is None


@given(
    st.sampled_from(
        [
            "28/5/2022",
            "16-8-2021",
            "09 tháng 9 năm 2020",
            "1.12.2019",
            "05 - 0 - 2024",
            "31/02/2023",
            "09 thang 9 nam2020",
            "0/0/0000",
            "29 / 2 / 2024",
            "ngày 3 tháng 13 năm 2020",
        ]
    )
)
def test_cited_dates_read_as_the_citation_finder_always_read_them(text: str) -> None:
    import re

    from extractors.textnorm import match_text

    # the finder's parser before the date module, kept here as the reference
    folded = match_text(text)
    m = re.search(r"(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})", folded) or re.search(
        r"(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", folded
    )
    want = None
    if m:
        try:
            want = dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            want = None
    assert parse_date(text, CITED_DATE) == want


def test_calendar_helpers() -> None:
    assert last_day(2023, 2) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 10, 31), 4) == dt.date(2025, 2, 28)
    assert [quarter(q) for q in ("I", "ii", "III", "iv", "3")] == [1, 2, 3, 4, 3]


def test_a_month_of_zero_is_no_deadline() -> None:
    doc = Document("d", "t", "Báo cáo trong ngày 05 - 0 của tháng")
    assert find_deadlines(doc, doc_date="2025-08-01") == []
