"""Task-register exports the way tracking registers have them: CSV, Excel and iCalendar.

Columns follow the registers offices keep (Nghị định 30/2020 fields, the
Government Office's task tracking): STT, nội dung, đơn vị chủ trì, phối hợp,
thời hạn, văn bản giao (số, ngày, cơ quan ban hành, trích yếu), trạng thái,
số ngày quá hạn, ngày hoàn thành, kết quả / ghi chú, người cập nhật.

* XLSX is Excel-native: dates are dates (dd/mm/yyyy), STT and days are
  numbers, the header is frozen and filterable, and title rows say the unit,
  the filters and "tính đến ngày".
* CSV has the same title rows and columns (UTF-8 with BOM for Excel; dates
  as YYYY-MM-DD, which Excel reads as dates in any locale).
* Text that a spreadsheet would run as a formula (starting with = + - @, a
  tab or a carriage return) is written inert, as OWASP's CSV-injection
  guidance says: prefixed with ' in CSV, a plain string cell in XLSX.
* iCalendar (RFC 5545, built with the ``icalendar`` library): one all-day
  event per task with a deadline, for Outlook, Thunderbird and phones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.textnorm import fold
from pipeline.store.base import TaskRecord

TITLE = "SỔ THEO DÕI NHIỆM VỤ"
HEADERS = (
    "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
    "Số văn bản giao", "Ngày văn bản", "Cơ quan ban hành", "Trích yếu", "Trạng thái",
    "Số ngày quá hạn", "Ngày hoàn thành", "Kết quả / ghi chú", "Người cập nhật",
)
WIDTHS = (6, 60, 30, 30, 12, 18, 12, 26, 40, 20, 10, 12, 36, 16)
STATUS_VI = {
    "open": "Đang thực hiện",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "no_deadline": "Không có thời hạn",
    "done": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
}
_DATE_COLUMNS = {4, 6, 11}  # indexes of HEADERS holding dates
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def status_label(t: TaskRecord, today: dt.date, *, soon_days: int = 7) -> str:
    """The status as registers write it: "Quá hạn 12 ngày", "Hoàn thành đúng hạn" ...

    Example:
        >>> status_label(task, dt.date(2024, 7, 1))  # doctest: +SKIP
        'Quá hạn 92 ngày'
    """
    s = t.status(today, soon_days=soon_days)
    if s == "overdue":
        return f"Quá hạn {t.days_late(today)} ngày"
    if s == "done" and not t.deadline:
        return "Đã hoàn thành"
    return STATUS_VI[s]


@dataclass(frozen=True, slots=True)
class RegisterTitle:
    """What the title rows say: the unit, the filters in words, and the day."""

    today: dt.date
    unit: str = ""
    filters: tuple[tuple[str, str], ...] = ()  # ("Đơn vị chủ trì", "Sở Tài chính ...")

    def lines(self) -> list[str]:
        out = [TITLE]
        if self.unit:
            out.append(f"Đơn vị: {self.unit}")
        if self.filters:
            out.append("Lọc theo: " + "; ".join(f"{k}: {v}" for k, v in self.filters))
        out.append(f"Tính đến ngày {self.today.strftime('%d/%m/%Y')}")
        return out


def _date(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso[:10]) if len(iso) >= 10 else None
    except ValueError:
        return None


def register_rows(tasks: Sequence[TaskRecord], today: dt.date) -> list[list[object]]:
    """One row per task, typed: int, str, datetime.date or None."""
    rows: list[list[object]] = []
    for i, t in enumerate(tasks, 1):
        deadline: object = _date(t.deadline) or (t.deadline_text or None)
        doc_date: object = _date(t.doc_date) or (t.doc_date or None)
        rows.append([
            i, t.action or t.text, "; ".join(t.owners), "; ".join(t.cooperating), deadline,
            t.doc_number, doc_date, t.doc_issuer, t.doc_title,
            status_label(t, today), t.days_late(today), _date(t.done_on), t.note,
            t.done_by or t.updated_by,
        ])
    return rows


def inert(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: prefix a ')."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(
    tasks: Sequence[TaskRecord], today: dt.date, *, title: RegisterTitle | None = None
) -> bytes:
    """UTF-8 with BOM so that Excel opens Vietnamese text correctly."""
    title = title or RegisterTitle(today=today)
    buf = io.StringIO()
    w = csv.writer(buf)
    for line in title.lines():
        w.writerow([inert(line)])
    w.writerow([])
    w.writerow(HEADERS)
    for row in register_rows(tasks, today):
        w.writerow([
            "" if v is None else v.isoformat() if isinstance(v, dt.date)
            else v if isinstance(v, int) else inert(str(v))
            for v in row
        ])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(
    tasks: Sequence[TaskRecord], today: dt.date, *, title: RegisterTitle | None = None
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    title = title or RegisterTitle(today=today)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi nhiệm vụ"
    last_col = get_column_letter(len(HEADERS))
    lines = title.lines()
    for r, line in enumerate(lines, 1):
        cell = ws.cell(row=r, column=1)
        _text(cell, line)
        cell.font = Font(bold=True, size=14 if r == 1 else 11)
        ws.merge_cells(f"A{r}:{last_col}{r}")
    header_row = len(lines) + 2
    for c, name in enumerate(HEADERS, 1):
        cell = ws.cell(row=header_row, column=c, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF0F4")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    overdue = PatternFill("solid", fgColor="FDE2E1")
    top = Alignment(vertical="top", wrap_text=True)
    rows = register_rows(tasks, today)
    for i, (t, row) in enumerate(zip(tasks, rows, strict=True)):
        r = header_row + 1 + i
        late = t.status(today) == "overdue"
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, int) or value is None:
                cell.value = value
            else:
                _text(cell, str(value))
            cell.alignment = top
            if late:
                cell.fill = overdue
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    end_row = header_row + max(1, len(rows))
    ws.auto_filter.ref = f"A{header_row}:{last_col}{end_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(cell: object, value: str) -> None:
    """A string cell, never a formula, even when it starts with "="."""
    cell.value = value  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True  # type: ignore[attr-defined]


def to_ics(
    tasks: Sequence[TaskRecord], today: dt.date, *, name: str = "Thời hạn nhiệm vụ",
    url: str | None = None,
) -> bytes:
    """An iCalendar feed (RFC 5545): one all-day event per task with a deadline.

    Example:
        >>> to_ics(tasks, dt.date(2024, 7, 1)).startswith(b"BEGIN:VCALENDAR")  # doctest: +SKIP
        True
    """
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//vndoc//Sổ theo dõi nhiệm vụ//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for t in tasks:
        due = _date(t.deadline)
        if due is None:
            continue
        ev = Event()
        ev.add("uid", f"{t.id}@vndoc")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", due)
        ev.add("dtend", due + dt.timedelta(days=1))
        owners = "; ".join(t.owners) or "chưa rõ đơn vị"
        ev.add("summary", f"[{owners}] {_clip(t.action or t.text, 120)}")
        doc = " ".join(x for x in (t.doc_number, f"ngày {_vi(t.doc_date)}" if t.doc_date
                                   else None, t.doc_issuer) if x)
        lines = [
            t.text,
            f"Đơn vị chủ trì: {owners}",
            *([f"Đơn vị phối hợp: {'; '.join(t.cooperating)}"] if t.cooperating else []),
            f"Thời hạn: {due.strftime('%d/%m/%Y')}",
            *([f"Văn bản giao: {doc}"] if doc else []),
            f"Trạng thái (tính đến {today.strftime('%d/%m/%Y')}): {status_label(t, today)}",
            *([f"Kết quả / ghi chú: {t.note}"] if t.note else []),
        ]
        ev.add("description", "\n".join(lines))
        ev.add("status", "CONFIRMED")
        ev.add("transp", "TRANSPARENT")
        ev.add("categories", ["Nhiệm vụ"])
        if t.done:
            ev.add("x-vndoc-done", "TRUE")
        if url:
            ev.add("url", f"{url}#/doc/{t.doc_id}")
        cal.add_component(ev)
    return cal.to_ical()


def _vi(iso: str | None) -> str:
    d = _date(iso)
    return d.strftime("%d/%m/%Y") if d else (iso or "")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    return text[: cut if cut > n // 2 else n] + "…"


def file_name(kind: str, today: dt.date, filters: Sequence[tuple[str, str]] = ()) -> str:
    """"nhiem-vu_so-tai-chinh_qua-han_2024-07-01.xlsx": the date and the filter, ASCII.

    Example:
        >>> file_name("xlsx", dt.date(2024, 7, 1), [("Đơn vị", "Sở Tài chính")])
        'nhiem-vu_so-tai-chinh_2024-07-01.xlsx'
    """
    parts = ["nhiem-vu"]
    for _, value in filters:
        slug = re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")[:40].strip("-")
        if slug:
            parts.append(slug)
    parts.append(today.isoformat())
    return "_".join(parts) + "." + kind
