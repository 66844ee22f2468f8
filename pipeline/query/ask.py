"""Questions in Vietnamese, answered by rules over the store (no cloud model).

A question becomes one of the register, reference or search queries; the
answer comes with its evidence sentences and their documents. Patterns are
matched on folded text (diacritics removed), so "so tai chinh duoc giao
nhung nhiem vu gi" works as well as the accented question. Folding keeps
offsets, so the entity is cut from the user's own words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from extractors.textnorm import fold, normalize_query
from pipeline.query.plan import plan
from pipeline.query.resolve import lookup_refs, resolve_owner
from pipeline.store.base import SearchQuery, Store, TaskQuery, TaskRecord


@dataclass(frozen=True, slots=True)
class Evidence:
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    intent: str
    understood: bool
    answer: str
    data: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Each intent: a folded regex with a named group for the entity, if any.
_OWNER_TASKS = re.compile(
    r"^(?P<who>.+?)\s+(?:duoc giao|phai thuc hien|phai lam|co|chiu trach nhiem|chu tri)"
    r"\s+(?:nhung |cac )?(?:nhiem vu|viec|cong viec)(?: gi| nao)?\b"
    r"|^(?:nhiem vu|cong viec|viec) (?:cua|giao cho) (?P<who2>.+?)$"
)
_WHO_LEADS = re.compile(
    r"^(?:ai|co quan nao|don vi nao|so nao|bo nao) (?:chu tri|phu trach|chiu trach nhiem|"
    r"duoc giao|lam|thuc hien)\s+(?:viec |nhiem vu |cong tac )?(?P<what>.+?)$"
)
_COOPERATES = re.compile(
    r"^(?P<who>.+?) phoi hop (?:voi )?(?:ai|nhung ai|co quan nao|don vi nao|nhung don vi nao)$"
)
_OVERDUE = re.compile(r"\bqua han\b|\btre han\b|\bcham tien do\b")
_DUE = re.compile(
    r"(?:xong|hoan thanh|han|den han|het han)\b.*?(?:trong |truoc |vao )?"
    r"(?:thang (?P<m>\d{1,2})[/.\-](?P<my>\d{4})|quy (?P<q>iv|iii|ii|i|[1-4])[/.\-](?P<qy>\d{4})"
    r"|nam (?P<y>\d{4}))"
)
_CITES = re.compile(
    r"^(?:nhung |cac )?(?:van ban|tai lieu|thong bao|cong van) nao (?:dan chieu|trich dan|"
    r"can cu|vien dan|nhac den|de cap|cite)\s+(?P<ref>.+?)$"
    r"|^(?P<ref2>.+?) (?:duoc )?(?:dan chieu|trich dan|can cu) (?:o|trong|boi) (?:dau|van ban nao)$"
)


def _period(m: re.Match[str]) -> tuple[dt.date, dt.date]:
    if m.group("m"):
        y, mo = int(m.group("my")), int(m.group("m"))
        return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    if m.group("q"):
        y, q = int(m.group("qy")), _ROMAN[m.group("q")]
        last = q * 3
        return dt.date(y, last - 2, 1), dt.date(y, last, calendar.monthrange(y, last)[1])
    y = int(m.group("y"))
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def _evidence(tasks: list[TaskRecord]) -> list[Evidence]:
    return [
        Evidence(t.doc_id, t.doc_number, t.doc_title, t.text, t.start, t.end) for t in tasks
    ]


def _task_data(t: TaskRecord, today: dt.date) -> dict[str, Any]:
    return {
        "task_id": t.id, "owners": list(t.owners), "cooperating": list(t.cooperating),
        "action": t.action or t.text, "deadline": t.deadline, "status": t.status(today),
        "doc_id": t.doc_id, "doc_number": t.doc_number,
    }


def _clean_entity(s: str) -> str:
    return s.strip(" ?.!,:;\"'").strip()


def ask(store: Store, question: str, *, today: dt.date | None = None) -> Answer:
    """Answer a Vietnamese question from the store.

    Example:
        >>> ask(store, "Sở Tài chính được giao những nhiệm vụ gì?").answer
        'Sở Tài chính tỉnh Bắc Ninh được giao 8 nhiệm vụ ...'
    """
    today = today or dt.date.today()
    q = normalize_query(question)
    body = q.rstrip(" ?.!")
    f = fold(body)

    m = _CITES.search(f)
    if m:
        a, b = m.span("ref") if m.group("ref") else m.span("ref2")
        ref = _clean_entity(body[a:b])
        keys, cites = lookup_refs(store, ref)
        docs = sorted({c.doc_id for c in cites})
        if not keys:
            return Answer(question, "cites", True, f"Không tìm thấy văn bản nào dẫn chiếu {ref}.")
        return Answer(
            question, "cites", True,
            f"{len(docs)} văn bản dẫn chiếu {', '.join(keys)}.",
            data=[{"canonical": c.canonical, "doc_id": c.doc_id, "doc_number": c.doc_number,
                   "pinpoint": c.pinpoint, "date": c.date} for c in cites],
            evidence=[Evidence(c.doc_id, c.doc_number, c.doc_title, c.context, c.start, c.end)
                      for c in cites],
        )

    m = _COOPERATES.search(f)
    if m:
        who = _clean_entity(body[m.start("who"):m.end("who")])
        names = resolve_owner(store, who)
        if names:
            led = store.tasks(TaskQuery(owner_names=tuple(names), role="lead", today=today))
            helped = store.tasks(
                TaskQuery(owner_names=tuple(names), role="cooperating", today=today)
            )
            partners = sorted(
                {c for t in led for c in t.cooperating} | {o for t in helped for o in t.owners}
            )
            partners = [p for p in partners if p not in names]
            tasks = led + helped
            text = (
                f"{names[0]} phối hợp với: {'; '.join(partners)}."
                if partners else f"Không thấy {names[0]} phối hợp với cơ quan nào được nêu tên."
            )
            return Answer(question, "cooperates_with", True, text,
                          data=[{"agency": p} for p in partners],
                          evidence=_evidence([t for t in tasks if t.cooperating or t in helped]))

    m = _WHO_LEADS.search(f)
    if m:
        what = _clean_entity(body[m.start("what"):m.end("what")])
        tasks = store.tasks(TaskQuery(q=what, today=today, limit=50))
        # The best-matching task answers; the others follow as evidence.
        owners = list(tasks[0].owners) if tasks else []
        text = (
            f"Chủ trì: {'; '.join(owners)}." if owners
            else f"Không tìm thấy nhiệm vụ nào về “{what}”."
        )
        return Answer(question, "who_leads", True, text,
                      data=[_task_data(t, today) for t in tasks], evidence=_evidence(tasks))

    m = _OWNER_TASKS.search(f)
    if m:
        g = "who" if m.group("who") else "who2"
        who = _clean_entity(body[m.start(g):m.end(g)])
        names = resolve_owner(store, who)
        if names:
            tasks = store.tasks(TaskQuery(owner_names=tuple(names), role="lead", today=today))
            text = f"{' / '.join(names)}: {len(tasks)} nhiệm vụ được giao chủ trì."
            return Answer(question, "owner_tasks", True, text,
                          data=[_task_data(t, today) for t in tasks], evidence=_evidence(tasks))

    if _OVERDUE.search(f):
        tasks = store.tasks(TaskQuery(status="overdue", today=today))
        text = f"{len(tasks)} nhiệm vụ quá hạn tính đến ngày {today.strftime('%d/%m/%Y')}."
        return Answer(question, "overdue", True, text,
                      data=[_task_data(t, today) for t in tasks], evidence=_evidence(tasks))

    m = _DUE.search(f)
    if m:
        try:
            lo, hi = _period(m)
        except (ValueError, KeyError):
            lo = hi = None  # type: ignore[assignment]
        if lo is not None:
            tasks = store.tasks(TaskQuery(deadline_from=lo.isoformat(),
                                          deadline_to=hi.isoformat(), today=today))
            text = (f"{len(tasks)} nhiệm vụ có thời hạn từ {lo.strftime('%d/%m/%Y')}"
                    f" đến {hi.strftime('%d/%m/%Y')}.")
            return Answer(question, "due_in_period", True, text,
                          data=[_task_data(t, today) for t in tasks], evidence=_evidence(tasks))

    res = store.search(SearchQuery(q=q, size=10))
    if res.total == 0 and plan(q).relaxed():  # no document has every word: any of them
        res = store.search(SearchQuery(q=plan(q).relaxed(), size=10))
    return Answer(
        question, "search", False,
        f"Chưa hiểu câu hỏi; đây là {len(res.hits)} văn bản liên quan nhất (tìm kiếm toàn văn).",
        data=[{"doc_id": h.id, "title": h.title, "doc_number": h.number_symbol,
               "snippets": list(h.snippets)} for h in res.hits],
    )
