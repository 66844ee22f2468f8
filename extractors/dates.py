"""Dates: the one place that turns numbers and date phrases into ISO dates.

* :func:`iso` - a checked ISO date, month or year from its parts
  ("31/02" gives None);
* :class:`DateForm` and :func:`parse_date` - the first way of writing a date
  that occurs in a text, read with the forms the caller knows (the header of
  a document writes them one way, a citation another);
* :func:`last_day`, :func:`add_months`, :func:`quarter` - calendar
  arithmetic for deadlines and questions ("quý III" is quarter 3).

No clock: "today" is always passed in.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from extractors.textnorm import match_text

__all__ = ["ROMAN", "DateForm", "add_months", "iso", "last_day", "parse_date", "quarter"]

# Quarters as Roman numerals ("quý IV"); "v" reads as 5 and gives no quarter.
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def iso(
    year: int, month: int | None = None, day: int | None = None, *, lenient: bool = False
) -> str | None:
    """A checked ISO date, month or year; None when the parts make no date.

    ``lenient``: a month or day of 0 goes unchecked and is written as given,
    as the header reader (:mod:`extractors.metadata`) has always taken it
    ("00/00/2025" gives "2025-00-00").

    Example:
        >>> iso(2024, 3, 10), iso(2024, 3), iso(2024), iso(2023, 2, 29), iso(2024, 0, 5)
        ('2024-03-10', '2024-03', '2024', None, None)
        >>> iso(2025, 0, 0, lenient=True)
        '2025-00-00'
    """
    try:
        if lenient:
            date(year, month or 1, day or 1)
        else:
            date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True, slots=True)
class DateForm:
    """One way of writing a date: a pattern and its day, month and year groups.

    ``folded``: the pattern is written for folded text ("thang", not
    "tháng") and searches :func:`~extractors.textnorm.match_text` of the text.
    A year group that did not match takes the ``year`` given to
    :func:`parse_date`.
    """

    pattern: re.Pattern[str]
    day: int
    month: int
    year: int
    folded: bool = False


def parse_date(
    text: str, forms: Sequence[DateForm], *, year: int | None = None, lenient: bool = False
) -> str | None:
    """The ISO date of the first form, in order, that occurs in ``text``
    (``lenient`` as in :func:`iso`).

    Example:
        >>> forms = [DateForm(re.compile(r"(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}))?"), 1, 2, 3)]
        >>> parse_date("ngày 21/5/2024", forms), parse_date("21/5", forms, year=2019)
        ('2024-05-21', '2019-05-21')
        >>> parse_date("31/02/2023", forms), parse_date("21/5", forms)
        (None, None)
    """
    folded: str | None = None
    for form in forms:
        if form.folded:
            folded = match_text(text) if folded is None else folded
            m = form.pattern.search(folded)
        else:
            m = form.pattern.search(text)
        if m:
            y = int(m[form.year]) if m[form.year] else year
            return iso(y, int(m[form.month]), int(m[form.day]), lenient=lenient) if y else None
    return None


def last_day(year: int, month: int) -> date:
    """The last day of a month.

    Example:
        >>> last_day(2024, 2).isoformat()
        '2024-02-29'
    """
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has none.

    Example:
        >>> add_months(date(2024, 1, 31), 1).isoformat()
        '2024-02-29'
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def quarter(q: str) -> int:
    """A quarter written as a Roman numeral or a digit ("III", "iv", "2").

    Example:
        >>> quarter("III"), quarter("2")
        (3, 2)
    """
    q = q.lower()
    return ROMAN[q] if q in ROMAN else int(q)
