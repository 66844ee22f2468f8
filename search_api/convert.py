"""Core dataclasses -> API schemas."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from pipeline.store.base import RefCitation, ReviewItem, TaskRecord
from search_api.schemas import CitationOut, ReviewItemOut, TaskOut


def task_out(
    t: TaskRecord, today: dt.date, soon_days: int = 7, *, via_collective: str | None = None
) -> TaskOut:
    return TaskOut(
        id=t.id, doc_id=t.doc_id, owners=list(t.owners), owner_kinds=list(t.owner_kinds),
        cooperating=list(t.cooperating), action=t.action, text=t.text, start=t.start,
        end=t.end, deadline=t.deadline, deadline_text=t.deadline_text, recurring=t.recurring,
        legal_basis=list(t.legal_basis), status=t.status(today, soon_days=soon_days),
        days_late=t.days_late(today), done=t.done, done_on=t.done_on, done_by=t.done_by,
        note=t.note, review=t.review, rule_id=t.rule_id, confidence=t.confidence,
        flags=list(t.flags), doc_number=t.doc_number, doc_title=t.doc_title,
        doc_date=t.doc_date, doc_issuer=t.doc_issuer, doc_type=t.doc_type,
        doc_province=t.doc_province, updated_by=t.updated_by, updated_at=t.updated_at,
        corrected=list(t.corrected), via_collective=via_collective,
    )


def citation_out(c: RefCitation) -> CitationOut:
    return CitationOut(
        canonical=c.canonical, type=c.type, number=c.number, doc_id=c.doc_id,
        doc_title=c.doc_title, doc_number=c.doc_number, doc_date=c.doc_date,
        pinpoint=c.pinpoint, article=c.article, clause=c.clause, point=c.point, date=c.date,
        text=c.text, start=c.start, end=c.end, context=c.context,
    )


def review_item_out(r: ReviewItem) -> ReviewItemOut:
    return ReviewItemOut(**asdict(r))
