"""GET /search: full text with highlights, filters and facets that follow the query."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from extractors.textnorm import normalize_query
from pipeline.query.plan import plan
from pipeline.store.base import SearchQuery
from search_api.convert import json_response
from search_api.deps import ApiError, SettingsDep, StoreDep
from search_api.params import check_date
from search_api.schemas import NAME_MAX, ErrorOut, FacetBucket, SearchHitOut, SearchOut

router = APIRouter(prefix="/search", tags=["search"])

ShortText = Annotated[str | None, Query(max_length=NAME_MAX)]


@router.get("", response_model=SearchOut, responses={413: {"model": ErrorOut},
            422: {"model": ErrorOut}})
def search(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(description=(
        'Words, with or without diacritics; every word is required. "a phrase", '
        "a OR b, NOT word or -word"))] = "",
    issuer: ShortText = None,
    doc_type: ShortText = None,
    province: ShortText = None,
    year: Annotated[str | None, Query(pattern=r"^\d{4}$", description="YYYY")] = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD", max_length=10)] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD", max_length=10)] = None,
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    size: Annotated[int, Query(ge=1)] = 10,
) -> Response:
    """Ranked documents with highlighted snippets and facets (type, issuer, year)
    counted over what the query and filters match."""
    if len(q) > settings.max_query_chars:
        raise ApiError(
            413, f"query too long: {len(q)} > {settings.max_query_chars} chars",
            f"Từ khóa quá dài: {len(q)} ký tự, tối đa {settings.max_query_chars}.",
        )
    if size > settings.max_page_size:
        raise ApiError(422, f"size must be at most {settings.max_page_size}",
                       f"Mỗi trang tối đa {settings.max_page_size} kết quả.")
    check_date(date_from, "date_from")
    check_date(date_to, "date_to")
    text = normalize_query(q)
    res = store.search(
        SearchQuery(
            q=text, issuer=issuer, doc_type=doc_type, province=province,
            date_from=date_from, date_to=date_to, page=page, size=size, year=year, sort=sort,
        )
    )
    relaxed = None
    if res.total == 0:
        p = plan(text)
        if len(p.groups) > 1 or p.excluded:
            relaxed = p.relaxed() or None
    return json_response(SearchOut(
        data=[SearchHitOut.model_validate(h) for h in res.hits],
        count=res.total,
        page=page,
        size=size,
        facets={k: [FacetBucket(value=v, count=c) for v, c in vs] for k, vs in res.facets.items()},
        relaxed=relaxed,
    ))
