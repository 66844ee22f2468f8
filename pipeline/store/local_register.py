"""The register's SQL for LocalStore: a ``TaskQuery`` as conditions on the
``tasks`` table's materialized columns, a count, and an order.

Every filter is a condition on columns of ``tasks`` (schema 3) that indexes
cover: ``kept``/``review``, ``done`` and ``due`` (the effective deadline, "~"
when there is none, so that it sorts last), the document's ``doc_date``,
``doc_issuer`` and ``doc_province``; an owner filter is a range of the
``task_agencies_owner`` index (agency, done, due). The total comes, where the
filters allow, from ``task_counts`` (tasks per review state, done flag and
deadline) or from the owner index alone, not from counting task rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from pipeline.store.base import TASK_SORTS, TaskQuery
from pipeline.store.errors import NotFound, QueryError

NO_DEADLINE = "~"  # ``due`` of a task without a deadline: after every date

# (``id`` and ``eff_deadline`` are the outer task's: task_overrides has neither,
# so this reads the same on tasks and on task_view.)
_LATE_SQL = (
    "eff_deadline IS NOT NULL AND EXISTS(SELECT 1 FROM task_overrides o WHERE"
    " o.task_id = id AND o.done_on IS NOT NULL AND substr(o.done_on, 1, 10) > eff_deadline)"
)
# TaskQuery.status: (condition on done and due, how many of [today, today + soon]
# it takes, an extra condition that needs the task row).
_STATUS_SQL: dict[str, tuple[str, int, str | None]] = {
    "open": ("done = 0", 0, None),
    "pending": ("done = 0", 0, None),
    "overdue": ("done = 0 AND due < ?", 1, None),
    "due_soon": ("done = 0 AND due >= ? AND due <= ?", 2, None),
    "no_deadline": (f"done = 0 AND due = '{NO_DEADLINE}'", 0, None),
    "done": ("done = 1", 0, None),
    "done_on_time": ("done = 1", 0, f"NOT ({_LATE_SQL})"),
    "done_late": ("done = 1", 0, _LATE_SQL),
}
# TaskQuery.review, on tasks ("kept" is the indexed flag) ...
REVIEW_SQL: dict[str, str | None] = {
    "kept": "kept = 1",
    "any": None,
    "unreviewed": "review = 'unreviewed'",
    "confirmed": "review = 'confirmed'",
    "edited": "review = 'edited'",
    "rejected": "review = 'rejected'",
    "added": "review = 'added'",
    "reviewed": "review IN ('confirmed', 'edited', 'added')",
}
# ... and on task_counts, which has the review state only.
_REVIEW_COUNTS_SQL = {**REVIEW_SQL, "kept": "review != 'rejected'"}
# Sorting by status: overdue, due soon, open, no deadline, done late, done.
_STATUS_RANK_SQL = (
    f"(CASE WHEN done = 1 THEN (CASE WHEN {_LATE_SQL} THEN 4 ELSE 5 END)"
    f" WHEN due = '{NO_DEADLINE}' THEN 3 WHEN due < ? THEN 0"
    " WHEN due <= ? THEN 1 ELSE 2 END)"
)
DEFAULT_ORDER = "due, doc_date DESC, doc_id, idx"
# Owner rows read at first for a page of k tasks (owner_page_by_due): a task
# has a row per owner of the filter it names, ~1.04 on average at 100k documents.
DUE_ROWS_PER_TASK, DUE_SLACK = 2, 16
_ISSUED_SQL = "doc_date >= ? AND doc_date <= ?"
_ISSUED_WALK_SQL = "+doc_date >= ? AND +doc_date <= ?"  # unary +: not by the date index
_DEFAULT_DESC = f"due = '{NO_DEADLINE}', due DESC, doc_date, doc_id DESC, idx DESC"


@dataclass
class Conditions:
    """A register query as SQL: ``where`` on tasks (or task_view, which has the
    same columns), and the parts the fast counts can use."""

    where: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)
    # Conditions on (done, due) only, and on review only: task_counts can sum them.
    status: list[str] = field(default_factory=list)
    status_args: list[Any] = field(default_factory=list)
    review: str | None = None
    review_counts: str | None = None  # the same condition on task_counts
    # Conditions that need the task's own row (documents, extra status tests).
    row_filters: int = 0
    owner_sql: str | None = None  # "agency IN (...) [AND role = ?]" on task_agencies
    owner_args: list[Any] = field(default_factory=list)
    today: str = ""
    soon: str = ""

    def sql(self, *, walk: bool = False) -> str:
        """The conditions; ``walk``: the document-date range tested on each
        task of the register's order (its index has the date), not read
        from the date index and sorted."""
        where = [_ISSUED_WALK_SQL if walk and w == _ISSUED_SQL else w for w in self.where]
        return " AND ".join(where) or "1=1"

    @property
    def issued(self) -> bool:
        return _ISSUED_SQL in self.where


def conditions(query: TaskQuery) -> Conditions:
    """The filters of ``query`` (all but its words, which the index answers)."""
    c = Conditions()
    if query.review not in REVIEW_SQL:
        raise QueryError(
            f"unknown review filter {query.review!r}; use one of {', '.join(REVIEW_SQL)}")
    if query.sort not in TASK_SORTS:
        raise QueryError(f"unknown sort {query.sort!r}; use one of {', '.join(TASK_SORTS)}")
    today = query.today or dt.date.today()
    c.today = today.isoformat()
    c.soon = (today + dt.timedelta(days=query.soon_days)).isoformat()
    c.review = REVIEW_SQL[query.review]
    c.review_counts = _REVIEW_COUNTS_SQL[query.review]
    if c.review:
        c.where.append(c.review)
    if query.status:
        if query.status not in _STATUS_SQL:
            raise NotFound(
                f"unknown status {query.status!r}; use one of {', '.join(_STATUS_SQL)}")
        cond, n, extra = _STATUS_SQL[query.status]
        c.status.append(cond)
        c.status_args.extend([c.today, c.soon][:n])
        if extra:
            c.where.append(extra)
            c.row_filters += 1
    lo, hi = query.deadline_from, query.deadline_to
    if lo or hi:
        c.status.append(f"due >= ? AND due < '{NO_DEADLINE}'" if lo else f"due < '{NO_DEADLINE}'")
        if lo:
            c.status_args.append(lo)
        if hi:
            c.status.append("due <= ?")
            c.status_args.append(hi)
    c.where.extend(c.status)
    c.args.extend(c.status_args)
    for column, value in (("doc_id", query.doc_id), ("doc_issuer", query.issuer),
                          ("doc_province", query.province)):
        if value:
            c.where.append(f"{column} = ?")
            c.args.append(value)
            c.row_filters += 1
    if query.doc_ids is not None:
        c.where.append(f"doc_id IN ({','.join('?' * len(query.doc_ids))})")
        c.args.extend(query.doc_ids)
        c.row_filters += 1
    if query.recurring:  # the partial index tasks_recurring
        c.where.append("recurring IS NOT NULL")
        if query.recurring != "any":
            c.where.append("recurring = ?")
            c.args.append(query.recurring)
        c.row_filters += 1
    if query.issued_from or query.issued_to:
        # Dates compare as text; a partial upper bound ("2024-03") takes its whole month.
        c.where.append(_ISSUED_SQL)
        c.args.extend([query.issued_from or "", _upper(query.issued_to)])
        c.row_filters += 1
    if query.owner_names is not None:
        marks = ",".join("?" * len(query.owner_names))
        c.owner_sql = f"agency IN ({marks})"
        c.owner_args = list(query.owner_names)
        if query.role != "any":
            c.owner_sql += " AND role = ?"
            c.owner_args.append("lead" if query.role == "lead" else "cooperating")
        # The owner rows carry done and due: the status narrows the index range.
        inner = " AND ".join([c.owner_sql, *c.status])
        c.where.append(f"id IN (SELECT task_id FROM task_agencies WHERE {inner})")
        c.args.extend([*c.owner_args, *c.status_args])
    return c


def _upper(value: str | None) -> str:
    if not value:
        return "9999"
    return value if len(value) >= 10 else f"{value}-99"


def fast_count(c: Conditions, query: TaskQuery) -> tuple[str, list[Any]] | None:
    """A count that reads no task rows, when the filters allow one: the sum of
    ``task_counts``, or the distinct tasks of an owner's index range."""
    if query.q or c.row_filters:
        return None
    if c.owner_sql is None:
        where = " AND ".join([*([c.review_counts] if c.review_counts else []), *c.status]) or "1=1"
        return f"SELECT COALESCE(SUM(n), 0) FROM task_counts WHERE {where}", list(c.status_args)
    if query.review in ("kept", "any"):  # a rejected task has no owner rows
        # (grouped rather than COUNT(DISTINCT): a sort, not a temporary B-tree;
        # at 100k documents, "Sở Tài chính"'s 5,601 rows: 2.9 -> 2.3 ms)
        where = " AND ".join([c.owner_sql, *c.status])
        return (f"SELECT COUNT(*) FROM (SELECT task_id FROM task_agencies WHERE {where}"
                " GROUP BY task_id)", [*c.owner_args, *c.status_args])
    return None


def owner_page_by_due(
    conn: sqlite3.Connection, c: Conditions, query: TaskQuery, *, max_candidates: int,
) -> list[str] | None:
    """One page of an owner's tasks in the register's default order, from the
    owner rows alone: their deadline (``due``) is the order's first key, so
    the page's tasks are among the first ``offset + limit`` tasks by deadline
    and every task tied with the last of them. Those few are read from the
    owner index (sorted there, top-N), then only they are read and put in the
    whole order. The register is not walked testing each task against the
    owner's ids (at 100k documents, "Sở Tài chính": 5,393 tasks, ~4.5 -> ~1 ms).

    For the filters ``fast_count`` counts (owners, status, deadlines; every
    owner row's task is kept, see there). None when the candidates would be
    more than ``max_candidates`` (a deep page, or thousands of tasks tied on
    one deadline or on none): the caller walks the register then.
    """
    if c.owner_sql is None or c.row_filters or query.q or query.sort != "default":
        return None
    k = query.offset + query.limit
    where = " AND ".join([c.owner_sql, *c.status])
    args = [*c.owner_args, *c.status_args]
    # Descending: the deadlines latest first, tasks without one still last.
    by_due = f"due = '{NO_DEADLINE}', due DESC" if query.descending else "due"
    n = DUE_ROWS_PER_TASK * k + DUE_SLACK  # rows, not tasks
    while True:
        rows = conn.execute(f"SELECT task_id, due FROM task_agencies WHERE {where}"
                            f" ORDER BY {by_due} LIMIT ?", [*args, n]).fetchall()
        first: dict[str, str] = {}  # task -> deadline, in the deadlines' order
        for tid, due in rows:  # a task's rows carry the task's one deadline
            first.setdefault(tid, due)
        if len(rows) < n:  # every owner row read
            candidates = list(first)
            break
        if len(first) >= k:
            boundary = list(first.values())[k - 1]
            candidates = []
            for tid, due in first.items():
                if due == boundary:
                    break
                candidates.append(tid)
            # (done IN (0, 1): the index's whole key, done then due, is searched)
            candidates += [r[0] for r in conn.execute(
                f"SELECT DISTINCT task_id FROM task_agencies WHERE {where}"
                " AND done IN (0, 1) AND due = ?", [*args, boundary])]
            break
        if n >= max_candidates:
            return None
        n *= 4
    if len(candidates) > max_candidates:
        return None
    if not candidates:
        return []
    # The owner's condition is met by every candidate; the rest is re-tested
    # on the task rows (the review state, the status on done and due).
    rest = " AND ".join([*([c.review] if c.review else []), *c.status]) or "1=1"
    order_sql = _DEFAULT_DESC if query.descending else DEFAULT_ORDER
    # CROSS JOIN: each candidate read by its key (not the register's order
    # walked testing every task against the list).
    values = ",".join(["(?)"] * len(candidates))
    return [r[0] for r in conn.execute(
        f"SELECT id FROM (SELECT column1 AS task_key FROM (VALUES {values})) AS m"
        f" CROSS JOIN tasks ON tasks.id = m.task_key WHERE {rest}"
        f" ORDER BY {order_sql} LIMIT ? OFFSET ?",
        [*candidates, *c.status_args, query.limit, query.offset])]


def order(query: TaskQuery, c: Conditions) -> tuple[str, list[Any], bool]:
    """ORDER BY for ``query.sort`` (missing values last, either way), then the
    default order; and whether it needs ``task_view`` (columns tasks lacks)."""
    direction = "DESC" if query.descending else "ASC"
    if query.sort == "default":
        return (_DEFAULT_DESC if query.descending else DEFAULT_ORDER), [], False
    if query.sort == "status":
        return f"{_STATUS_RANK_SQL} {direction}, {DEFAULT_ORDER}", [c.today, c.soon], True
    if query.sort in ("deadline", "doc_date", "issuer"):
        key = {"deadline": "eff_deadline", "doc_date": "doc_date", "issuer": "doc_issuer"}[
            query.sort]
        return f"{key} IS NULL, {key} {direction}, {DEFAULT_ORDER}", [], False
    key = {
        "doc_number": "doc_number", "owner": "json_extract(eff_owners, '$[0]')",
        "content": "COALESCE(eff_action, text)", "updated_at": "updated_at",
    }[query.sort]
    return f"{key} IS NULL, {key} {direction}, {DEFAULT_ORDER}", [], True
