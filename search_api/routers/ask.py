"""GET /ask: a Vietnamese question read by its parts and answered by one query."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from pipeline.query.ask import answer
from pipeline.query.ask_query import RECURRENCES, ROLES, SHAPES, STATUSES
from search_api.convert import json_response
from search_api.deps import SettingsDep, StoreDep
from search_api.params import parse_today
from search_api.schemas import AskOut, ChipOut, ErrorOut, EvidenceOut

router = APIRouter(prefix="/ask", tags=["ask"])

_CHOICES = {"role": ROLES, "status": STATUSES, "recurring": RECURRENCES, "qword": SHAPES}
_DATE = r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
# What `set` takes: a free-text part, one of a few words, or a period.
SET_PATTERN = (
    r"^(?:(?:agency|province|doc|issuer|ref|topic)=\S.{0,499}"
    + "".join(f"|{kind}=(?:{'|'.join(values)})" for kind, values in _CHOICES.items())
    + rf"|time=(?:{_DATE})?\.\.(?:{_DATE})?)$"
)
Editable = Literal["agency", "province", "role", "status", "time", "recurring", "doc", "issuer",
                   "ref", "topic", "qword"]


def _edits(drop: list[str], set_: list[str]) -> dict[str, str | None]:
    edits: dict[str, str | None] = dict.fromkeys(drop)
    for item in set_:
        kind, _, value = item.partition("=")
        edits[kind] = value.strip()
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
    drop: Annotated[
        list[Editable], Query(max_length=11, description="Parts to remove: role, status, …")
    ] = [],  # noqa: B006
    set: Annotated[  # noqa: A002
        list[Annotated[str, Query(pattern=SET_PATTERN)]],
        Query(max_length=11,
              description="Parts to change, as part=value: status=overdue, role=cooperating, "
                          "agency=Sở Y tế, time=2024-01-01..2024-06-30"),
    ] = [],  # noqa: B006
) -> Response:
    """The answer, the parts the question was read as (chips), and the evidence sentences.

    Remove a part with `drop=status`, change one with `set=role=cooperating`.
    """
    if len(q) > settings.max_query_chars:
        raise HTTPException(413, f"question too long (> {settings.max_query_chars} chars)")
    if size > settings.max_page_size:
        raise HTTPException(422, f"size must be at most {settings.max_page_size}")
    a = answer(store, q, today=parse_today(today), page=page, size=size,
               edits=_edits(list(drop), set))
    return json_response(AskOut(
        question=a.question, today=a.today.isoformat(), intent=a.intent,
        understood=a.understood, answer=a.answer, ask=a.query.ask, count=a.count, yes=a.yes,
        chips=[ChipOut(**dataclasses.asdict(c)) for c in a.chips],
        query=dataclasses.asdict(a.query), data=a.data,
        evidence=[EvidenceOut(**dataclasses.asdict(e)) for e in a.evidence],
        page=a.page, size=a.size, next_page=a.next_page,
    ))
