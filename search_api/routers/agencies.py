"""GET /agencies: agencies with aliases, former and current names, task counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from extractors.agencies import agency_aliases, former_names
from extractors.textnorm import tokens
from search_api.deps import ApiError, SettingsDep, StoreDep
from search_api.schemas import AgenciesOut, AgencyOut, ErrorOut

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=AgenciesOut, responses={413: {"model": ErrorOut}})
def agencies(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(description="Words of the name, any spelling (autocomplete)")
                 ] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> AgenciesOut:
    """Agencies with aliases, former/current names and task counts, by name; ``q``
    keeps the ones whose name or an alias holds every word typed."""
    if q and len(q) > settings.max_query_chars:
        raise ApiError(413, f"query too long (> {settings.max_query_chars} chars)",
                       f"Nội dung tìm quá dài (tối đa {settings.max_query_chars} ký tự).")
    rows = store.agencies()
    if q:
        want = set(tokens(q))
        rows = [a for a in rows
                if want <= set().union(*(tokens(n) for n in (a.name, *agency_aliases(a.name))))]
    part = rows[(page - 1) * size : page * size]
    return AgenciesOut(
        data=[
            AgencyOut(
                name=a.name, current_name=a.current_name, former_names=former_names(a.name),
                aliases=agency_aliases(a.name), documents=a.documents,
                lead_tasks=a.lead_tasks, cooperating_tasks=a.cooperating_tasks,
            )
            for a in part
        ],
        count=len(rows), page=page, size=size,
    )
