"""GET /ask: a Vietnamese question turned into a register, reference or search query."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from pipeline.query.ask import ask as answer_question
from search_api.deps import SettingsDep, StoreDep
from search_api.routers.tasks import parse_today
from search_api.schemas import AskOut, ErrorOut, EvidenceOut

router = APIRouter(prefix="/ask", tags=["ask"])


@router.get("", response_model=AskOut, responses={413: {"model": ErrorOut}})
def ask(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, description="Câu hỏi, có hoặc không dấu")],
    today: Annotated[str | None, Query(description="Answer as of YYYY-MM-DD")] = None,
) -> AskOut:
    """Answer plus the evidence sentences with their documents."""
    if len(q) > settings.max_query_chars:
        raise HTTPException(413, f"question too long (> {settings.max_query_chars} chars)")
    a = answer_question(store, q, today=parse_today(today))
    return AskOut(
        question=a.question, intent=a.intent, understood=a.understood, answer=a.answer,
        data=a.data,
        evidence=[EvidenceOut(doc_id=e.doc_id, doc_number=e.doc_number, doc_title=e.doc_title,
                              text=e.text, start=e.start, end=e.end) for e in a.evidence],
    )
