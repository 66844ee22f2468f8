"""Task-register exports in the usual Vietnamese register layout."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from pipeline.store.base import TaskRecord

HEADERS = (
    "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
    "Văn bản giao", "Trạng thái",
)
STATUS_VI = {
    "open": "Đang thực hiện",
    "done": "Đã hoàn thành",
    "overdue": "Quá hạn",
    "due_soon": "Sắp đến hạn",
    "no_deadline": "Không có thời hạn",
}


def _vi_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def register_rows(tasks: Sequence[TaskRecord], today: dt.date) -> list[list[str]]:
    rows = []
    for i, t in enumerate(tasks, 1):
        doc = t.doc_number or t.doc_title or t.doc_id
        if t.doc_date and t.doc_number:
            doc = f"{t.doc_number} ({t.doc_date})"
        deadline = _vi_date(t.deadline) or (t.deadline_text or "")
        rows.append([
            str(i), t.action or t.text, "; ".join(t.owners), "; ".join(t.cooperating),
            deadline, doc, STATUS_VI[t.status(today)],
        ])
    return rows


def to_csv(tasks: Sequence[TaskRecord], today: dt.date) -> bytes:
    """UTF-8 with BOM so that Excel opens Vietnamese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(register_rows(tasks, today))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(tasks: Sequence[TaskRecord], today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi nhiệm vụ"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    overdue = PatternFill("solid", fgColor="FDE2E1")
    for row in register_rows(tasks, today):
        ws.append(row)
        if row[-1] == STATUS_VI["overdue"]:
            for cell in ws[ws.max_row]:
                cell.fill = overdue
    for col, width in zip("ABCDEFG", (6, 70, 32, 32, 14, 24, 18), strict=True):
        ws.column_dimensions[col].width = width
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
