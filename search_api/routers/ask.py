"""GET /ask: a Vietnamese question read by its parts and answered by one query."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from pipeline.query.ask import EDITABLE, answer
from pipeline.query.ask_query import RECURRENCES, ROLES, SHAPES, STATUSES
from search_api.deps import SettingsDep, StoreDep
from search_api.routers.tasks import parse_today
from search_api.schemas import AskOut, ChipOut, ErrorOut, EvidenceOut

router = APIRouter(prefix="/ask", tags=["ask"])

_CHOICES = {"role": ROLES, "status": STATUSES, "recurring": RECURRENCES, "qword": SHAPES}


def _edits(drop: list[str], set_: list[str], limit: int) -> dict[str, str | None]:
    edits: dict[str, str | None] = {}
    for kind in drop:
        if kind not in EDITABLE:
            raise HTTPException(
                422, f"drop={kind!r}: no such part; use one of {', '.join(EDITABLE)}"
            )
        edits[kind] = None
    for item in set_:
        kind, sep, value = item.partition("=")
        if not sep or kind not in EDITABLE:
            raise HTTPException(
                422, f"set={item!r}: write it as part=value, the part one of {', '.join(EDITABLE)}"
            )
        value = value.strip()
        if not value or len(value) > limit:
            raise HTTPException(422, f"set={item!r}: the value must have 1 to {limit} characters")
        if kind in _CHOICES and value not in _CHOICES[kind]:
            raise HTTPException(
                422, f"set={item!r}: {kind} is one of {', '.join(_CHOICES[kind])}"
            )
        edits[kind] = value
    return edits


@router.get(
    "", response_model=AskOut, responses={413: {"model": ErrorOut}, 422: {"model": ErrorOut}}
)
def ask(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, description="Câu hỏi, có hoặc không dấu")],
    today: Annotated[str | None, Query(description="Answer as of YYYY-MM-DD")] = None,
    page: Annotated[int, Query(ge=1, description="Page of `data` and `evidence`")] = 1,
    size: Annotated[int, Query(ge=1, description="Items per page (default 20)")] = 20,
    drop: Annotated[list[str], Query(description="Parts to remove: role, status, …")] = [],  # noqa: B006
    set: Annotated[  # noqa: A002
        list[str], Query(description="Parts to change, as part=value (status=overdue)")
    ] = [],  # noqa: B006
) -> AskOut:
    """The answer, the parts the question was read as (chips), and the evidence sentences.

    Remove a part with `drop=status`, change one with `set=role=cooperating`.
    """
    if len(q) > settings.max_query_chars:
        raise HTTPException(413, f"question too long (> {settings.max_query_chars} chars)")
    if size > settings.max_page_size:
        raise HTTPException(422, f"size must be at most {settings.max_page_size}")
    edits = _edits(drop, set, settings.max_query_chars)
    try:
        a = answer(store, q, today=parse_today(today), page=page, size=size, edits=edits)
    except ValueError as e:  # a time part set to something that is no period
        raise HTTPException(422, f"set: {e}; a time is written YYYY-MM-DD..YYYY-MM-DD") from e
    return AskOut(
        question=a.question, today=a.today.isoformat(), intent=a.intent,
        understood=a.understood, answer=a.answer, ask=a.query.ask, count=a.count, yes=a.yes,
        chips=[ChipOut(**dataclasses.asdict(c)) for c in a.chips],
        query=dataclasses.asdict(a.query), data=a.data,
        evidence=[EvidenceOut(**dataclasses.asdict(e)) for e in a.evidence],
        page=a.page, size=a.size, next_page=a.next_page,
    )
