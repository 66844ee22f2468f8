"""The task register: GET /tasks (JSON paged, CSV, XLSX), GET /tasks.ics, and the
staff decisions: PATCH /tasks/{id}, POST /tasks (a missed task), history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from extractors.textnorm import normalize_query
from pipeline.query.export import RegisterTitle, file_name, to_csv, to_ics, to_xlsx
from pipeline.query.resolve import collectives_including, resolve_owner
from pipeline.store.base import NewTask, Page, Store, TaskQuery, TaskRecord, TaskUpdate
from pipeline.store.errors import QueryError
from search_api.convert import json_response, task_out
from search_api.deps import ApiError, ReviewerDep, SettingsDep, StoreDep
from search_api.params import check_date, parse_today
from search_api.schemas import (
    NAME_MAX,
    ErrorOut,
    TaskHistoryOut,
    TaskNew,
    TaskOut,
    TaskPatch,
    TasksOut,
)

router = APIRouter(tags=["tasks"])

Status = Literal[
    "open", "overdue", "due_soon", "no_deadline", "pending", "done", "done_on_time", "done_late"
]
Review = Literal[
    "kept", "any", "unreviewed", "confirmed", "edited", "rejected", "added", "reviewed"
]
Sort = Literal[
    "default", "deadline", "doc_date", "doc_number", "issuer", "owner", "status", "content",
    "updated_at",
]
EXPORT_MAX = 100_000  # rows in one CSV, XLSX or iCalendar file
_STATUS_VI = {
    "open": "chưa hoàn thành", "pending": "chưa hoàn thành", "overdue": "quá hạn",
    "due_soon": "sắp đến hạn", "no_deadline": "không có thời hạn", "done": "đã hoàn thành",
    "done_on_time": "hoàn thành đúng hạn", "done_late": "hoàn thành quá hạn",
}
_ROLE_VI = {"lead": "chủ trì", "cooperating": "phối hợp"}
_NOT_FOUND_VI = "Không tìm thấy nhiệm vụ."


ShortText = Annotated[str | None, Query(max_length=NAME_MAX)]


@dataclass
class TaskFilters:
    """The register's filters, shared by JSON, CSV, XLSX and iCalendar."""

    query: TaskQuery
    today: dt.date
    due_within: int
    owner_names: list[str] | None
    collectives: list[str] | None
    described: list[tuple[str, str]]  # the filters in words, for title rows and file names


def _owners(store: Store, owner: str, with_collectives: bool
            ) -> tuple[list[str] | None, list[str] | None]:
    """The owner filter's names (every alias and former name), and the collectives
    that include them when asked: what the store must be read for."""
    names = resolve_owner(store, normalize_query(owner))
    colls = collectives_including(store, names) if names and with_collectives else None
    return names, colls


# ``async``: only parsing runs here, on the event loop; a plain ``def`` would
# be a second hand-off to the thread pool for every /tasks request (its route
# is the first), a second wait in its queue under load. The owner's names are
# read from the store in the pool, and only when an owner is asked for.
async def task_filters(
    store: StoreDep,
    settings: SettingsDep,
    owner: Annotated[str | None, Query(
        description="Any alias, accent-free spelling, abbreviation (STC, SKHĐT) or former name")
    ] = None,
    with_collectives: Annotated[bool, Query(
        description="Also the collectives the agency belongs to (UBND các tỉnh, ...)")] = False,
    role: Literal["lead", "cooperating", "any"] = "any",
    status: Status | None = None,
    review: Review = "kept",
    due_within: Annotated[int, Query(ge=0, le=3650, description="Days for due_soon")] = 7,
    deadline_from: Annotated[str | None, Query(max_length=10)] = None,
    deadline_to: Annotated[str | None, Query(max_length=10)] = None,
    issued_from: Annotated[str | None, Query(max_length=10, description="Document date")] = None,
    issued_to: Annotated[str | None, Query(max_length=10)] = None,
    issuer: ShortText = None,
    province: ShortText = None,
    doc_id: ShortText = None,
    q: Annotated[str | None, Query(description="Words of the task")] = None,
    today: Annotated[str | None, Query(description="Compute status as of YYYY-MM-DD",
                                       max_length=10)] = None,
    sort: Sort = "default",
    order: Literal["asc", "desc"] = "asc",
) -> TaskFilters:
    for value in (owner, q):
        if value and len(value) > settings.max_query_chars:
            raise ApiError(
                413, f"filter too long (> {settings.max_query_chars} chars)",
                f"Nội dung lọc quá dài (tối đa {settings.max_query_chars} ký tự).",
            )
    for value, name in ((deadline_from, "deadline_from"), (deadline_to, "deadline_to"),
                        (issued_from, "issued_from"), (issued_to, "issued_to")):
        check_date(value, name)
    day = parse_today(today)
    names, colls = (await run_in_threadpool(_owners, store, owner, with_collectives)
                    if owner else (None, None))
    owner_names = None if names is None else tuple(dict.fromkeys([*names, *(colls or [])]))
    described: list[tuple[str, str]] = []
    if owner:
        described.append((f"Đơn vị {_ROLE_VI.get(role, '')}".strip(), owner))
    for label, value in (("Trạng thái", _STATUS_VI.get(status or "")), ("Nội dung", q),
                         ("Cơ quan ban hành", issuer), ("Tỉnh, thành phố", province),
                         ("Văn bản", doc_id)):
        if value:
            described.append((label, value))
    if deadline_from or deadline_to:
        described.append(("Thời hạn", f"{_vi(deadline_from) or '…'} – {_vi(deadline_to) or '…'}"))
    if issued_from or issued_to:
        described.append(("Ngày văn bản", f"{_vi(issued_from) or '…'} – {_vi(issued_to) or '…'}"))
    query = TaskQuery(
        owner_names=owner_names, role=role, status=status, today=day, soon_days=due_within,
        deadline_from=deadline_from, deadline_to=deadline_to, doc_id=doc_id,
        q=normalize_query(q) if q else None, issuer=issuer, province=province,
        issued_from=issued_from, issued_to=issued_to, review=review, sort=sort,
        descending=order == "desc",
    )
    return TaskFilters(query, day, due_within, names, colls, described)


Filters = Annotated[TaskFilters, Depends(task_filters)]


def _vi(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _page(store: StoreDep, f: TaskFilters, *, offset: int, limit: int) -> Page[TaskRecord]:
    from dataclasses import replace

    try:
        return store.task_page(replace(f.query, offset=offset, limit=limit))
    except QueryError as e:
        raise ApiError(422, str(e), "Bộ lọc không hợp lệ.") from e


def _via(t: TaskRecord, f: TaskFilters) -> str | None:
    """The collective a task matched through, when none of its own names did."""
    if not f.collectives:
        return None
    direct = set(f.owner_names or ())
    mine = [*t.owners, *t.cooperating]
    if any(n in direct for n in mine):
        return None
    return next((n for n in mine if n in f.collectives), None)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename=\"{name}\"; "
                                   f"filename*=UTF-8''{quote(name)}"}


@router.get(
    "/tasks",
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
    f: Filters,
    format: Literal["json", "csv", "xlsx"] = "json",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, description="Tasks per page (JSON)")] = 50,
) -> Response:
    """The register, filtered, sorted and paged; status computed as of ``today``.
    CSV and XLSX hold every matching task (up to 100,000) with title rows."""
    if format in ("csv", "xlsx"):
        rows = _page(store, f, offset=0, limit=EXPORT_MAX).items
        title = RegisterTitle(today=f.today, unit=settings.unit_name, filters=tuple(f.described))
        name = file_name(format, f.today, f.described)
        if format == "csv":
            return Response(to_csv(rows, f.today, title=title),
                            media_type="text/csv; charset=utf-8", headers=_attachment(name))
        return Response(
            to_xlsx(rows, f.today, title=title),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=_attachment(name),
        )
    if size > settings.max_page_size:
        raise ApiError(422, f"size must be at most {settings.max_page_size}",
                       f"Mỗi trang tối đa {settings.max_page_size} nhiệm vụ.")
    result = _page(store, f, offset=(page - 1) * size, limit=size)
    return json_response(TasksOut(
        data=[task_out(t, f.today, f.due_within, via_collective=_via(t, f))
              for t in result.items],
        count=result.total, page=page, size=size, today=f.today.isoformat(),
        owner_names=f.owner_names, collectives=f.collectives,
    ))


@router.get(
    "/tasks.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "iCalendar feed"},
               413: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def tasks_calendar(store: StoreDep, f: Filters) -> Response:
    """The deadlines as a calendar to subscribe to (RFC 5545): one all-day event
    per task with a deadline, with the register's filters."""
    rows = _page(store, f, offset=0, limit=EXPORT_MAX).items
    name = "Thời hạn nhiệm vụ" + (f" – {f.described[0][1]}" if f.described else "")
    body = to_ics(rows, f.today, name=name)
    fname = file_name("ics", f.today, f.described)
    headers = {"Content-Disposition": f'inline; filename="{fname}"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/tasks/{task_id}", response_model=TaskOut, responses={404: {"model": ErrorOut}})
def get_task(
    store: StoreDep, task_id: str, today: Annotated[str | None, Query(max_length=10)] = None,
) -> TaskOut:
    t = store.get_task(task_id)
    if t is None:
        raise ApiError(404, f"no task with id {task_id}", _NOT_FOUND_VI)
    return task_out(t, parse_today(today))


@router.get("/tasks/{task_id}/history", response_model=list[TaskHistoryOut],
            responses={404: {"model": ErrorOut}})
def task_history(store: StoreDep, task_id: str) -> list[TaskHistoryOut]:
    """Every decision on one task, oldest first (who, when, before, after)."""
    if store.get_task(task_id) is None:
        raise ApiError(404, f"no task with id {task_id}", _NOT_FOUND_VI)
    return [TaskHistoryOut(**h) for h in store.task_history(task_id)]


@router.patch(
    "/tasks/{task_id}",
    response_model=TaskOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut},
               422: {"model": ErrorOut}},
)
def patch_task(store: StoreDep, who: ReviewerDep, task_id: str, patch: TaskPatch) -> TaskOut:
    """A decision (key required): confirm or reject the task, correct its owners,
    cooperating agencies, action or deadline, mark it done or not done, note progress."""
    if store.get_task(task_id) is None:
        raise ApiError(404, f"no task with id {task_id}", _NOT_FOUND_VI)
    t = store.update_task(
        task_id,
        TaskUpdate(
            done=patch.done, done_on=patch.done_on,
            owners=tuple(patch.owners) if patch.owners is not None else None,
            owner_kinds=tuple(patch.owner_kinds) if patch.owner_kinds is not None else None,
            cooperating=tuple(patch.cooperating) if patch.cooperating is not None else None,
            action=patch.action, deadline=patch.deadline or None,
            clear_deadline=patch.deadline == "", note=patch.note, review=patch.review,
        ),
        who=who.name,
    )
    return task_out(t, dt.date.today())


@router.post(
    "/tasks",
    response_model=TaskOut,
    status_code=201,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut},
               422: {"model": ErrorOut}},
)
def add_task(store: StoreDep, who: ReviewerDep, body: TaskNew) -> TaskOut:
    """Add a task the extractor missed (key required): a stretch of the document's
    text, with its owners; kept across re-ingest and reindex."""
    t = store.add_task(
        body.doc_id,
        NewTask(start=body.start, end=body.end, owners=tuple(body.owners),
                owner_kinds=tuple(body.owner_kinds or ()), cooperating=tuple(body.cooperating),
                action=body.action, deadline=body.deadline, deadline_text=body.deadline_text,
                note=body.note),
        who=who.name,
    )
    return task_out(t, dt.date.today())
