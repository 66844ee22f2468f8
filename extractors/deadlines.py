"""Deadlines and recurrence: Vietnamese time phrases resolved to a date.

The phrase grammar is data (``data/deadline_expressions.yaml``); this module
finds the phrases and resolves each to the *last* allowed day against the
document date, with plain ``datetime`` arithmetic (no dateparser, no clock).

Choices:
    * "trước ngày D/M[/Y]" gives D/M/Y itself (the corpus convention: the
      stated date is the last day). Without a year it takes the document's
      year, even when that falls before the document date.
    * "trước tháng 6/2024", "trước quý III", "trước năm 2025" end the period
      before (31 May, 30 June, 31 December 2024); "trong/cuối/hết ..." end the
      period itself.
    * "trong N ngày/tuần/tháng" resolves only when the text says it counts
      from the signing or issue ("kể từ ngày ký"); otherwise, and for working
      days, the deadline is kept with date None. So are events ("tại phiên
      họp Chính phủ thường kỳ sắp tới") and phrases whose year is unknown.
    * Impossible dates ("31/02/2024", "quý V/2024") give no deadline.
    * A ``doc_date`` that is not YYYY, YYYY-MM or YYYY-MM-DD counts as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.dates import add_months, iso, last_day, quarter
from extractors.model import Deadline, Document, Recurrence, RecurrenceMention
from extractors.rules import folded_rules, rule_family
from extractors.spans import filter_spans
from extractors.textnorm import match_text, normalize

TABLE = "deadline_expressions.yaml"

# Monday is 0, as in date.weekday(); "thứ hai" is Monday.
_WEEKDAY = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_ORDER = [
    Recurrence.DAILY,
    Recurrence.WEEKLY,
    Recurrence.MONTHLY,
    Recurrence.QUARTERLY,
    Recurrence.HALF_YEARLY,
    Recurrence.YEARLY,
]


@dataclass(frozen=True, slots=True)
class _DocDate:
    year: int | None = None
    month: int | None = None
    day: date | None = None


def _doc_date(value: str | None) -> _DocDate:
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", (value or "").strip())
    if m is None:
        return _DocDate()
    year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    day = None
    if month and m.group(3):
        try:
            day = date(year, month, int(m.group(3)))
        except ValueError:
            return _DocDate()
    return _DocDate(year, month, day)


def _group(m: re.Match[str], *names: str) -> str | None:
    for name in names:
        if name in m.re.groupindex and m.group(name):
            return m.group(name)
    return None


def _year(m: re.Match[str], doc: _DocDate) -> int | None:
    y = _group(m, "y", "y2")
    return int(y) if y else doc.year


def _day(m: re.Match[str], doc: _DocDate) -> tuple[bool, str | None]:
    d, mo = int(m.group("d")), int(m.group("m"))
    year = _year(m, doc)
    if iso(year or 2000, mo, d) is None:  # 2000 is a leap year: 29/2 stays possible
        return False, None
    return True, iso(year, mo, d) if year else None


def _before(m: re.Match[str]) -> bool:
    lead = m.group("lead") or ""
    return "truoc" in lead and "cuoi" not in lead and "het" not in lead


def _resolve_match(kind: str, m: re.Match[str], doc: _DocDate) -> tuple[bool, str | None]:
    """(valid, ISO date or None) for one match; invalid means no deadline."""
    if kind == "date":
        if "each" in m.re.groupindex and m.group("each"):
            return True, None  # "trước ngày 15 tháng 01 hằng năm": a date each year
        return _day(m, doc)
    if kind == "weekday":
        if m.group("d"):
            return _day(m, doc)
        if doc.day is None:
            return True, None
        wd = m.group("wd") or ""
        target = 6 if m.group("sun") else _WEEKDAY[wd] if wd in _WEEKDAY else int(wd) - 2
        ahead = (target - doc.day.weekday()) % 7 or 7  # strictly after the document date
        return True, (doc.day + timedelta(days=ahead)).isoformat()
    if kind in ("month", "quarter"):
        if kind == "month":
            month = int(m.group("m"))
        else:
            month = 3 * quarter(m.group("q"))
        if not 1 <= month <= 12:
            return False, None
        year = _year(m, doc)
        if year is None:
            return True, None
        if _before(m):
            first = date(year, month - (2 if kind == "quarter" else 0), 1)
            return True, (first - timedelta(days=1)).isoformat()
        return True, last_day(year, month).isoformat()
    if kind in ("half", "year", "year_end"):
        year = _year(m, doc)
        if year is None:
            return True, None
        if kind == "year" and _before(m):
            year -= 1
        month = 6 if kind == "half" and m.group("part") == "dau" else 12
        return True, last_day(year, month).isoformat()
    if kind == "relative":
        src = m.group("src") or ""
        if not src and m.group("lead") == "trong" and m.group("unit") != "ngay":
            return False, None  # "trong 11 tháng" is a period, not a deadline
        if (
            doc.day is None
            or not ("ky" in src or "ban hanh" in src)
            or "lam viec" in m.group("unit")
        ):
            return True, None
        n, unit = int(m.group("n")), m.group("unit")
        if unit == "thang":
            return True, add_months(doc.day, n).isoformat()
        days = n * 7 if unit == "tuan" else n
        return True, (doc.day + timedelta(days=days)).isoformat()
    return True, None  # an event: "tại phiên họp Chính phủ thường kỳ sắp tới"


def _past(m: re.Match[str], value: str | None, doc: _DocDate) -> bool:
    """A year read after "đến"/"vào" before the document's own year."""
    lead = (m.group("lead") or "").strip()
    if value is None or doc.year is None or lead.lower() not in ("den", "đến"):
        return False
    return int(value[:4]) < doc.year


def _matches(mt: str, *, bare: bool, doc: _DocDate) -> list[tuple[int, int, str | None, str]]:
    out = []
    rules, found_by_rule = folded_rules(TABLE, "DEADLINE"), rule_family(TABLE, "DEADLINE")
    for rule, found in zip(rules, found_by_rule.finditer(mt), strict=True):
        for m in found:
            if not bare and rule.row.data.get("lead_required") and m.group("lead") is None:
                continue
            ok, value = _resolve_match(rule.row.data["kind"], m, doc)
            if ok and rule.row.data.get("not_past") and _past(m, value, doc):
                continue  # "vào năm 2003" in a text of 2024 tells history, not a deadline
            if ok:
                out.append((m.start(), m.end(), value, rule.row.id))
    return out


def find_deadlines(doc: Document, *, doc_date: str | None) -> list[Deadline]:
    """Deadline phrases in ``doc``, each resolved to its last allowed day.

    Args:
        doc: the cleaned document.
        doc_date: the document's issue date ("YYYY-MM-DD", "YYYY-MM", "YYYY")
            or None; phrases that need what is missing get date None.

    Returns:
        Deadlines sorted by start, non-overlapping.

    Example:
        >>> doc = Document("t", "t", "Trước ngày 10/8, báo cáo UBND tỉnh.")
        >>> [(d.text, d.date) for d in find_deadlines(doc, doc_date="2025-08-05")]
        [('Trước ngày 10/8', '2025-08-10')]
    """
    spans = filter_spans(_matches(doc.match_text, bare=False, doc=_doc_date(doc_date)))
    oldest = f"{int(doc_date[:4]) - _HISTORY_YEARS:04d}" if doc_date else None
    return [
        Deadline(doc.text[s:e], s, e, value, rule_id)
        for s, e, value, rule_id in spans
        # a period that ended long before the document ("giai đoạn 1974 - 1975") is history;
        # a recent past date is kept: a task recounted with its missed deadline
        if not (oldest and value and value[:4] < oldest)
    ]


_HISTORY_YEARS = 5


def resolve(text: str, *, doc_date: str | None) -> str | None:
    """Resolve one deadline phrase to an ISO date (its last allowed day).

    The cue word may be left out ("quý 1/2026"). Events, impossible dates and
    phrases that need a document date you did not give resolve to None.

    Example:
        >>> resolve("xong trong tháng 6/2024", doc_date="2024-03")
        '2024-06-30'
        >>> resolve("Trước ngày 10/8", doc_date="2025-08-05")
        '2025-08-10'
        >>> resolve("2025", doc_date=None)
        '2025-12-31'
        >>> resolve("Quý IV/2013, Quý I/2014 và thường xuyên", doc_date="2013-10-01")
        '2014-03-31'
    """
    mt = match_text(normalize(text))
    year = re.fullmatch(r"\s*(?:19|20)\d\d\s*", mt)
    if year:  # a time column's bare year ("2025"): within that year
        return f"{mt.strip()}-12-31"
    found = _matches(mt, bare=True, doc=_doc_date(doc_date))
    if not found:
        return None
    dates = [s[2] for s in found if s[2] is not None]
    if len(dates) > 1 and _SEVERAL.search(mt):
        # "Quý IV/2013, Quý I/2014": the phrase lists periods, and the work may run to the
        # last of them
        return max(dates)
    return max(found, key=lambda s: (s[1] - s[0], -s[0]))[2]


# Periods listed with a comma or a dash. Not "và"/"đến": "tháng 02 và quý I năm 2025" holds
# a year ("năm 2025") that is no later deadline of its own.
_SEVERAL = re.compile(r"[,-]")


def find_recurrences(doc: Document) -> list[RecurrenceMention]:
    """Recurrence phrases: "hằng tháng", "định kỳ hằng quý, 6 tháng, năm" ...

    A list of periods gives the shortest one; a bare "định kỳ" gives nothing.

    Example:
        >>> doc = Document("t", "t", "định kỳ hằng quý, 6 tháng, năm báo cáo")
        >>> [m.value.value for m in find_recurrences(doc)]
        ['quarterly']
    """
    mt = doc.match_text
    spans = []
    for rule, found in zip(
        folded_rules(TABLE, "RECURRENCE"),
        rule_family(TABLE, "RECURRENCE").finditer(mt),
        strict=True,
    ):
        for m in found:
            spans.append((m.start(), m.end(), m.group(0), rule.row.id))
    out = []
    for s, e, matched, rule_id in filter_spans(spans):
        value = _recurrence_of(matched)
        if value is not None:
            out.append(RecurrenceMention(doc.text[s:e], s, e, value, rule_id))
    return out


def _recurrence_of(matched: str) -> Recurrence | None:
    """The shortest period named in a folded recurrence phrase."""
    found = []
    for token in re.finditer(r"(?:6|06|sau|3|03|ba)\s+thang|ngay|tuan|thang|quy|nam", matched):
        word = token.group(0)
        if word.endswith("thang") and word[0] in "3b0" and not word.startswith("06"):
            found.append(Recurrence.QUARTERLY)  # "03 tháng/1 lần"
        elif word.endswith("thang") and word != "thang":
            found.append(Recurrence.HALF_YEARLY)
        else:
            found.append(
                {
                    "ngay": Recurrence.DAILY,
                    "tuan": Recurrence.WEEKLY,
                    "thang": Recurrence.MONTHLY,
                    "quy": Recurrence.QUARTERLY,
                    "nam": Recurrence.YEARLY,
                }[word]
            )
    return min(found, key=_ORDER.index) if found else None
