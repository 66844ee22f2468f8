"""Staff review: the queue ("Cần rà soát"), the audit trail, the quality figures
("Chất lượng"), and who a key belongs to."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from pipeline.eval.review import quality
from search_api.convert import review_item_out
from search_api.deps import ReviewerDep, StoreDep
from search_api.schemas import (
    NAME_MAX,
    DecisionOut,
    DecisionsOut,
    ErrorOut,
    QualityOut,
    QualityRowOut,
    RemovedListOut,
    RemovedOut,
    ReviewQueueOut,
    WhoAmIOut,
)

router = APIRouter(tags=["review"])

Page = Annotated[int, Query(ge=1, le=100_000)]
Size = Annotated[int, Query(ge=1, le=100)]


@router.get("/review", response_model=ReviewQueueOut)
def review_queue(
    store: StoreDep, reviewed: bool = False, page: Page = 1, size: Size = 20
) -> ReviewQueueOut:
    """Documents whose tasks nobody has confirmed yet, newest first, with counts;
    ``reviewed=true`` lists the reviewed ones, latest review first."""
    res = store.review_queue(reviewed=reviewed, offset=(page - 1) * size, limit=size)
    return ReviewQueueOut(data=[review_item_out(i) for i in res.items], count=res.total,
                          page=page, size=size)


@router.get("/decisions", response_model=DecisionsOut)
def decisions(
    store: StoreDep,
    doc_id: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    task_id: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    page: Page = 1,
    size: Size = 50,
) -> DecisionsOut:
    """The audit trail: every decision with who, when, before and after, oldest first."""
    res = store.decisions(doc_id=doc_id, task_id=task_id, offset=(page - 1) * size, limit=size)
    return DecisionsOut(data=[DecisionOut(**asdict(d)) for d in res.items], count=res.total,
                        page=page, size=size)


@router.get("/quality", response_model=QualityOut)
def quality_figures(store: StoreDep) -> QualityOut:
    """How the extractors did on the documents staff reviewed: task precision and
    recall, owner and deadline accuracy, and review edits per 10 tasks, by month."""
    overall, months = quality(store.reviewed_documents())
    return QualityOut(overall=QualityRowOut(**asdict(overall)),
                      months=[QualityRowOut(**asdict(m)) for m in months])


@router.get("/removed", response_model=RemovedListOut, tags=["documents"],
            summary="Deleted documents")
def removed(
    store: StoreDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> RemovedListOut:
    """Documents staff deleted, latest first (an admin can restore them)."""
    res = store.removed_documents(offset=(page - 1) * size, limit=size)
    return RemovedListOut(
        data=[RemovedOut.model_validate(r) for r in res.items],
        count=res.total, page=page, size=size,
    )


@router.get("/whoami", response_model=WhoAmIOut,
            responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}})
def whoami(who: ReviewerDep) -> WhoAmIOut:
    """The person and role an API key belongs to (to check a key before using it)."""
    return WhoAmIOut(name=who.name, role=who.role)
