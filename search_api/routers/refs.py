"""Legal-reference lookup: which documents cite X, where, and in what words."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from extractors.textnorm import normalize_query
from pipeline.query.resolve import citation_page
from search_api.convert import citation_out, json_response
from search_api.deps import ApiError, SettingsDep, StoreDep
from search_api.schemas import ErrorOut, RefsOut, TopRefOut, TopRefsOut

router = APIRouter(prefix="/refs", tags=["refs"])


@router.get("", response_model=RefsOut, responses={413: {"model": ErrorOut}})
def refs(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(description='Loose: "ND 35/2022", "nghi dinh 35", "35/2022/NĐ-CP"')],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Every citing document with pinpoint, date and the sentence around it,
    newest first, one page at a time (``count`` is the total)."""
    if len(q) > settings.max_query_chars:
        raise ApiError(413, f"query too long (> {settings.max_query_chars} chars)",
                       f"Nội dung tra cứu quá dài (tối đa {settings.max_query_chars} ký tự).")
    keys, cites = citation_page(store, normalize_query(q), offset=(page - 1) * size, limit=size)
    return json_response(RefsOut(
        query=q, canonical=keys, data=[citation_out(c) for c in cites.items],
        count=cites.total, page=page, size=size))


@router.get("/top", response_model=TopRefsOut)
def top(store: StoreDep, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> TopRefsOut:
    """The most-cited instruments, by number of citing documents."""
    rows = store.top_refs(limit)
    return TopRefsOut(data=[TopRefOut(canonical=c, documents=n) for c, n in rows],
                      count=len(rows))
