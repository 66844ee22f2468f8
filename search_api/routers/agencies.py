"""GET /agencies: agencies with aliases, former and current names, task counts."""

from __future__ import annotations

from fastapi import APIRouter

from extractors.agencies import agency_aliases, former_names
from search_api.deps import StoreDep
from search_api.schemas import AgenciesOut, AgencyOut

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=AgenciesOut)
def agencies(store: StoreDep) -> AgenciesOut:
    rows = store.agencies()
    return AgenciesOut(
        data=[
            AgencyOut(
                name=a.name, current_name=a.current_name, former_names=former_names(a.name),
                aliases=agency_aliases(a.name), documents=a.documents,
                lead_tasks=a.lead_tasks, cooperating_tasks=a.cooperating_tasks,
            )
            for a in rows
        ],
        count=len(rows),
    )
