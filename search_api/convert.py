"""Core dataclasses -> API schemas, read with ``from_attributes`` (search_api/schemas.py)."""

from __future__ import annotations

import datetime as dt

from pipeline.store.base import RefCitation, ReviewItem, TaskRecord
from search_api.schemas import CitationOut, ReviewItemOut, TaskOut


def task_out(
    t: TaskRecord, today: dt.date, soon_days: int = 7, *, via_collective: str | None = None
) -> TaskOut:
    """The task as the API shows it, its status as of ``today``."""
    return TaskOut.model_validate(
        t, context={"today": today, "soon_days": soon_days, "via_collective": via_collective}
    )


def citation_out(c: RefCitation) -> CitationOut:
    return CitationOut.model_validate(c)


def review_item_out(r: ReviewItem) -> ReviewItemOut:
    return ReviewItemOut.model_validate(r)
