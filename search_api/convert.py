"""Core dataclasses -> API schemas."""

from __future__ import annotations

import datetime as dt

from pipeline.store.base import RefCitation, TaskRecord
from search_api.schemas import CitationOut, TaskOut


def task_out(t: TaskRecord, today: dt.date, soon_days: int = 7) -> TaskOut:
    return TaskOut(
        id=t.id, doc_id=t.doc_id, owners=list(t.owners), cooperating=list(t.cooperating),
        action=t.action, text=t.text, start=t.start, end=t.end, deadline=t.deadline,
        deadline_text=t.deadline_text, recurring=t.recurring, legal_basis=list(t.legal_basis),
        status=t.status(today, soon_days=soon_days), done=t.done, doc_number=t.doc_number,
        doc_title=t.doc_title, doc_date=t.doc_date, updated_by=t.updated_by,
        updated_at=t.updated_at, corrected=list(t.corrected),
    )


def citation_out(c: RefCitation) -> CitationOut:
    return CitationOut(
        canonical=c.canonical, type=c.type, number=c.number, doc_id=c.doc_id,
        doc_title=c.doc_title, doc_number=c.doc_number, doc_date=c.doc_date,
        pinpoint=c.pinpoint, article=c.article, clause=c.clause, point=c.point, date=c.date,
        text=c.text, start=c.start, end=c.end, context=c.context,
    )
