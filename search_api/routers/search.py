"""GET /search: full text with highlights, filters and facets."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from extractors.textnorm import normalize_query
from pipeline.store.base import SearchQuery
from search_api.deps import SettingsDep, StoreDep
from search_api.schemas import ErrorOut, FacetBucket, SearchHitOut, SearchOut

router = APIRouter(prefix="/search", tags=["search"])


def check_date(value: str | None, name: str) -> None:
    if value is None:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError as e:
        raise HTTPException(422, f"{name} must be a date YYYY-MM-DD, got {value!r}") from e


@router.get("", response_model=SearchOut, responses={413: {"model": ErrorOut},
            422: {"model": ErrorOut}})
def search(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(description="Words, with or without diacritics")] = "",
    issuer: str | None = None,
    doc_type: str | None = None,
    province: str | None = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    size: Annotated[int, Query(ge=1)] = 10,
) -> SearchOut:
    """Ranked documents with highlighted snippets and facets (type, issuer, year)."""
    if len(q) > settings.max_query_chars:
        raise HTTPException(413, f"query too long: {len(q)} > {settings.max_query_chars} chars")
    if size > settings.max_page_size:
        raise HTTPException(422, f"size must be at most {settings.max_page_size}")
    check_date(date_from, "date_from")
    check_date(date_to, "date_to")
    res = store.search(
        SearchQuery(
            q=normalize_query(q), issuer=issuer, doc_type=doc_type, province=province,
            date_from=date_from, date_to=date_to, page=page, size=size,
        )
    )
    return SearchOut(
        data=[
            SearchHitOut(
                id=h.id, score=h.score, title=h.title, doc_type=h.doc_type,
                number_symbol=h.number_symbol, issuer=h.issuer, issue_date=h.issue_date,
                source=h.source, kind=h.kind, snippets=list(h.snippets),
            )
            for h in res.hits
        ],
        count=res.total,
        page=page,
        size=size,
        facets={k: [FacetBucket(value=v, count=c) for v, c in vs] for k, vs in res.facets.items()},
    )
