"""The task register: GET /tasks (JSON, CSV, XLSX) and PATCH /tasks/{id}."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from extractors.textnorm import normalize_query
from pipeline.query.export import to_csv, to_xlsx
from pipeline.query.resolve import resolve_owner
from pipeline.store.base import TaskQuery, TaskUpdate
from search_api.convert import task_out
from search_api.deps import SettingsDep, StoreDep, WriterDep
from search_api.routers.search import check_date
from search_api.schemas import ErrorOut, TaskHistoryOut, TaskOut, TaskPatch, TasksOut

router = APIRouter(prefix="/tasks", tags=["tasks"])

Status = Literal["open", "done", "overdue", "due_soon", "no_deadline"]


def parse_today(today: str | None) -> dt.date:
    if today is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(today)
    except ValueError as e:
        raise HTTPException(422, f"today must be a date YYYY-MM-DD, got {today!r}") from e


@router.get(
    "",
    response_model=TasksOut,
    responses={
        200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument"
                          ".spreadsheetml.sheet": {}}},
        413: {"model": ErrorOut}, 422: {"model": ErrorOut},
    },
)
def list_tasks(
    store: StoreDep,
    settings: SettingsDep,
    owner: Annotated[
        str | None, Query(description="Any alias, accent-free, or former name")
    ] = None,
    role: Literal["lead", "cooperating", "any"] = "any",
    status: Status | None = None,
    due_within: Annotated[int, Query(ge=0, le=3650, description="Days for due_soon")] = 7,
    deadline_from: str | None = None,
    deadline_to: str | None = None,
    doc_id: str | None = None,
    q: Annotated[str | None, Query(description="Words of the task")] = None,
    today: Annotated[str | None, Query(description="Compute status as of YYYY-MM-DD")] = None,
    format: Literal["json", "csv", "xlsx"] = "json",
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> TasksOut | Response:
    """The register, filtered; status computed as of ``today``."""
    for value in (owner, q):
        if value and len(value) > settings.max_query_chars:
            raise HTTPException(413, f"filter too long (> {settings.max_query_chars} chars)")
    check_date(deadline_from, "deadline_from")
    check_date(deadline_to, "deadline_to")
    day = parse_today(today)
    names = resolve_owner(store, normalize_query(owner)) if owner else None
    tasks = store.tasks(
        TaskQuery(
            owner_names=tuple(names) if names is not None else None, role=role, status=status,
            today=day, soon_days=due_within, deadline_from=deadline_from,
            deadline_to=deadline_to, doc_id=doc_id, q=normalize_query(q) if q else None,
            limit=limit,
        )
    )
    if format == "csv":
        return Response(
            to_csv(tasks, day), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="nhiem-vu.csv"'},
        )
    if format == "xlsx":
        return Response(
            to_xlsx(tasks, day),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="nhiem-vu.xlsx"'},
        )
    return TasksOut(
        data=[task_out(t, day, due_within) for t in tasks], count=len(tasks),
        today=day.isoformat(), owner_names=names,
    )


@router.get("/{task_id}", response_model=TaskOut, responses={404: {"model": ErrorOut}})
def get_task(store: StoreDep, task_id: str, today: str | None = None) -> TaskOut:
    t = store.get_task(task_id)
    if t is None:
        raise HTTPException(404, f"no task with id {task_id}")
    return task_out(t, parse_today(today))


@router.get("/{task_id}/history", response_model=list[TaskHistoryOut],
            responses={404: {"model": ErrorOut}})
def task_history(store: StoreDep, task_id: str) -> list[TaskHistoryOut]:
    if store.get_task(task_id) is None:
        raise HTTPException(404, f"no task with id {task_id}")
    return [TaskHistoryOut(**h) for h in store.task_history(task_id)]


@router.patch(
    "/{task_id}",
    response_model=TaskOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut},
               422: {"model": ErrorOut}},
)
def patch_task(store: StoreDep, who: WriterDep, task_id: str, patch: TaskPatch) -> TaskOut:
    """Mark a task done, or correct its owner or deadline (API key required)."""
    clear = patch.deadline == ""
    if store.get_task(task_id) is None:
        raise HTTPException(404, f"no task with id {task_id}")
    t = store.update_task(
        task_id,
        TaskUpdate(
            done=patch.done, owners=tuple(patch.owners) if patch.owners is not None else None,
            deadline=patch.deadline or None, clear_deadline=clear,
        ),
        who=who,
    )
    return task_out(t, dt.date.today())
