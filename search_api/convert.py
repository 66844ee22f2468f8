"""Core dataclasses -> API schemas, read with ``from_attributes`` (search_api/schemas.py),
and a response model -> the bytes sent."""

from __future__ import annotations

import datetime as dt

from fastapi import Response
from pydantic import BaseModel

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


def json_response(body: BaseModel, *, status_code: int = 200) -> Response:
    """``body`` as JSON, the bytes FastAPI sends for a route's ``response_model``.

    A read route returns this rather than the model: FastAPI would validate
    the model it was just built from again and then serialize it, and for a
    plain ``def`` route run the validation in its thread pool, a second
    hand-off to a worker thread and back (under 50 clients every hand-off
    waits for the GIL). ``body`` was validated when it was built; it is
    serialized here, in the route's thread, by the same pydantic serializer.
    The route keeps ``response_model=`` for the OpenAPI schema.
    """
    return Response(body.model_dump_json(by_alias=True), status_code=status_code,
                    media_type="application/json")
