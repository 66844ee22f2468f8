"""Questions in Vietnamese, answered by rules over the store (no cloud model).

A question is read by its parts (:mod:`pipeline.query.question`), the parts
make one query of the register, the references or the documents
(:mod:`pipeline.query.ask_query`), and the answer says how the question was
understood (the parts, shown as chips that can be removed or changed), what
the answer is (a list, a count, yes or no, who, when), and its evidence: each
document and the sentence the answer comes from. Lists come 20 to a page.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.query.ask_query import AskQuery, DocSpec, Result, run
from pipeline.query.question import (
    ASK_WORDS,
    RECURRING_WORDS,
    STATUS_WORDS,
    Parsed,
    Part,
    chip_label,
    describe,
    parse,
)
from pipeline.store.base import RefCitation, Store, TaskRecord

PAGE_SIZE = 20
# Part kinds that can be changed or removed from a question (the chips).
EDITABLE = ("agency", "province", "role", "status", "time", "recurring", "doc", "issuer", "ref",
            "topic", "qword")


@dataclass(frozen=True, slots=True)
class Evidence:
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Chip:
    kind: str
    text: str  # the words of the question it was read from ("" if set by hand)
    value: str
    label: str  # what the chip says
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    question: str
    today: dt.date
    understood: bool
    answer: str
    parsed: Parsed
    result: Result
    chips: tuple[Chip, ...]
    count: int
    yes: bool | None = None
    data: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    page: int = 1
    size: int = PAGE_SIZE
    next_page: int | None = None

    @property
    def intent(self) -> str:
        """What was looked up: tasks, documents, citations, cited; search when not understood."""
        return self.result.query.target if self.understood else "search"

    @property
    def query(self) -> AskQuery:
        return self.result.query


def _vn(d: str | None) -> str:
    if not d:
        return ""
    parts = d.split("-")
    return "/".join(reversed(parts))


def _task_data(t: TaskRecord, today: dt.date) -> dict[str, Any]:
    return {
        "task_id": t.id, "owners": list(t.owners), "cooperating": list(t.cooperating),
        "action": t.action or t.text, "deadline": t.deadline, "status": t.status(today),
        "recurring": t.recurring, "doc_id": t.doc_id, "doc_number": t.doc_number,
        "doc_title": t.doc_title, "doc_date": t.doc_date,
    }


def _cite_data(c: RefCitation) -> dict[str, Any]:
    return {"canonical": c.canonical, "doc_id": c.doc_id, "doc_number": c.doc_number,
            "doc_title": c.doc_title, "doc_date": c.doc_date, "pinpoint": c.pinpoint,
            "context": c.context}


def _task_evidence(t: TaskRecord) -> Evidence:
    return Evidence(t.doc_id, t.doc_number, t.doc_title, t.text, t.start, t.end)


def _cite_evidence(c: RefCitation) -> Evidence:
    return Evidence(c.doc_id, c.doc_number, c.doc_title, c.context, c.start, c.end)


# ------------------------------------------------------------ the words said


def _doc_words(spec: DocSpec | None) -> str:
    if spec is None or spec.empty:
        return ""
    bits = [spec.type or "văn bản"]
    if spec.number:
        bits.append(spec.number)
    if spec.issuer:
        bits.append(f"của {spec.issuer}")
    if spec.date_from and spec.date_from == spec.date_to:
        bits.append(f"ngày {_vn(spec.date_from)}")
    elif spec.date_from or spec.date_to:
        bits.append(_range_words(spec.date_from, spec.date_to, "ban hành"))
    if spec.about:
        bits.append(f"về “{spec.about}”")
    return " ".join(bits)


def _range_words(lo: str | None, hi: str | None, what: str) -> str:
    if lo and hi:
        return f"{what} từ {_vn(lo)} đến {_vn(hi)}"
    if hi:
        return f"{what} đến {_vn(hi)}"
    return f"{what} từ {_vn(lo)}"


def _owner_words(q: AskQuery) -> str:
    who = q.owner or (f"các cơ quan tỉnh, thành phố {q.province}" if q.province else "")
    if len(q.owners) > 1:
        who = (" và " if q.together else " hoặc ").join(q.owners)
    if not who:
        return ""
    if who.startswith(("Các ", "Những ")):  # a group typed at the start of the question
        who = who[0].lower() + who[1:]
    if q.owner and q.province:
        who = f"{q.owner} ({q.province})"
    role = q.effective_role
    if role == "lead":
        return f"do {who} chủ trì"
    if role == "cooperating":
        return f"có {who} phối hợp"
    return f"của {who}"


def describe_query(q: AskQuery, *, owner: str | None = None) -> str:
    """The tasks (or documents) a query asks for, in words.

    Example:
        >>> describe_query(AskQuery(owner="Sở Tài chính tỉnh Bắc Ninh", status="overdue"))
        'nhiệm vụ quá hạn do Sở Tài chính tỉnh Bắc Ninh chủ trì'
    """
    noun, rest = _describe(q, owner=owner)
    return f"{noun} {rest}".strip()


def _none(q: AskQuery, *, owner: str | None = None) -> str:
    """"Không có nhiệm vụ nào quá hạn do …": nothing matches."""
    noun, rest = _describe(q, owner=owner)
    return f"Không có {noun} nào {rest}".strip()


def _describe(q: AskQuery, *, owner: str | None = None) -> tuple[str, str]:
    if owner:
        q = replace(q, owner=owner)
    if q.target == "documents":
        noun = (q.doc.type if q.doc and q.doc.type else "văn bản").lower()
        bits = []
        if q.doc and not q.doc.empty:
            d = _doc_words(replace(q.doc, type=None))
            if d != "văn bản":
                bits.append(d.removeprefix("văn bản ").strip())
        if q.owner or q.province:
            bits.append(f"giao nhiệm vụ {_owner_words(q)}".strip())
        if q.topic:
            bits.append(f"có các từ “{q.topic}”")
        return noun, " ".join(b for b in bits if b)
    bits = []
    if q.status:
        bits.append(STATUS_WORDS.get(q.status, q.status))
    if q.recurring:
        bits.append(f"thực hiện {RECURRING_WORDS.get(q.recurring, q.recurring)}")
    ow = _owner_words(q) if q.ask != "partners" else ""
    if ow:
        bits.append(ow)
    if q.deadline_from or q.deadline_to:
        bits.append(_range_words(q.deadline_from, q.deadline_to, "có hạn"))
    if q.doc and not q.doc.empty:
        bits.append(f"trong {_doc_words(q.doc)}")
    if q.ref:
        bits.append(f"căn cứ {q.ref}")
    if q.topic:
        bits.append(f"về “{q.topic}”")
    return "nhiệm vụ", " ".join(bits)


def _as_of(q: AskQuery, today: dt.date) -> str:
    if q.status in ("overdue", "due_soon", "in_time") or q.deadline_from or q.deadline_to:
        return f" (tính đến ngày {today.strftime('%d/%m/%Y')})"
    return ""


def _agency_counts(names: list[str]) -> str:
    counts = Counter(names)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{n} ({c} nhiệm vụ)" for n, c in ranked)


def _one_name(r: Result) -> str | None:
    """The agency asked about, by its name in the store, when the query means one."""
    names = r.owner_names or ()
    return names[0] if len(names) == 1 else None


def _tasks_sentence(r: Result, q: AskQuery) -> tuple[str, bool | None]:
    n = r.size  # the register's total (the tasks listed may be a page of them)
    owner = _one_name(r) if q.owner else None
    what = describe_query(q, owner=owner)
    when = _as_of(q, r.today)
    if q.ask == "yesno":
        if n:
            return f"Có: {n} {what}{when}.", True
        none = _none(q, owner=owner)
        return f"Không: {none[0].lower()}{none[1:]}{when}.", False
    if not n:
        if q.ask == "partners":
            return f"Không thấy {owner or q.owner or q.province} phối hợp với cơ quan nào.", None
        return f"{_none(q, owner=owner)}{when}.", None
    if q.ask == "count":
        return f"Có {n} {what}{when}.", None
    if q.ask == "who":
        if q.role == "cooperating":
            names = ([a for a, role in r.agency_roles if role != "lead"]
                     if r.agency_roles is not None
                     else [c for t in r.tasks for c in t.cooperating])
            return (f"Phối hợp: {_agency_counts(names)}." if names
                    else f"Không thấy cơ quan phối hợp nào trong {n} {what}."), None
        names = ([a for a, role in r.agency_roles if role == "lead"]
                 if r.agency_roles is not None else [o for t in r.tasks for o in t.owners])
        return (f"Chủ trì: {_agency_counts(names)}." if names
                else f"{n} {what}, không rõ cơ quan chủ trì."), None
    if q.ask == "when":
        deadlines = r.deadlines if r.deadlines is not None else [t.deadline for t in r.tasks]
        dated = sorted({d for d in deadlines if d})
        none = sum(1 for d in deadlines if not d)
        bits = [f"Thời hạn: {', '.join(_vn(d) for d in dated)}"] if dated else []
        if none:
            bits.append(f"{none} nhiệm vụ không có thời hạn")
        return "; ".join(bits) + ".", None
    if q.ask == "partners":
        names = set(r.owner_names or ())
        if r.partner_names is not None:
            partners = set(r.partner_names)
        else:
            partners = {c for t in r.tasks if names & set(t.owners) for c in t.cooperating}
            partners |= {o for t in r.tasks if names & set(t.cooperating) for o in t.owners}
            partners -= names
        who = owner or q.owner or q.province
        if not partners:
            return f"Không thấy {who} phối hợp với cơ quan nào.", None
        return f"{who} phối hợp với: {'; '.join(sorted(partners))}.", None
    return f"{n} {what}{when}.", None


def _docs_sentence(r: Result, q: AskQuery) -> tuple[str, bool | None]:
    n = r.size
    what = describe_query(q)
    none = _none(q)
    if q.ask == "yesno":
        return (f"Có: {n} {what}." if n else f"Không: {none[0].lower()}{none[1:]}."), n > 0
    if not n:
        return f"{none}.", None
    if q.ask == "count":
        return f"Có {n} {what}.", None
    return f"{n} {what}.", None


def _citations_sentence(r: Result, q: AskQuery) -> tuple[str, bool | None]:
    docs = len({c.doc_id for c in r.citations})
    keys = ", ".join(r.ref_keys) or (q.ref or "")
    if q.ask == "yesno":
        return ((f"Có: {docs} văn bản dẫn chiếu {keys}." if docs
                 else f"Không: không có văn bản nào dẫn chiếu {q.ref}."), docs > 0)
    if not docs:
        return f"Không có văn bản nào dẫn chiếu {q.ref}.", None
    if q.ask == "count":
        return f"Có {docs} văn bản dẫn chiếu {keys}.", None
    return f"{docs} văn bản dẫn chiếu {keys}.", None


def _cited_sentence(r: Result, q: AskQuery) -> tuple[str, bool | None]:
    keys = sorted({c.canonical for c in r.citations})
    doc = _doc_words(q.doc) or "Văn bản"
    if q.ask == "yesno":
        return ((f"Có: {doc} dẫn chiếu {len(keys)} văn bản." if keys
                 else f"Không: {doc} không dẫn chiếu văn bản nào."), bool(keys))
    if not r.doc_ids:
        return f"Không tìm thấy {doc}.", None
    if not keys:
        return f"{doc} không dẫn chiếu văn bản nào.", None
    if q.ask == "count":
        return f"{doc} dẫn chiếu {len(keys)} văn bản.", None
    return f"{doc} dẫn chiếu {len(keys)} văn bản: {'; '.join(keys)}.", None


# ---------------------------------------------------------------- edits


def _day(value: str) -> str | None:
    """A YYYY-MM-DD day; a day past its month's end is the month's last day."""
    if not value:
        return None
    y, m, d = (int(x) for x in value.split("-"))
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1])).isoformat()


def _time_value(value: str) -> tuple[str | None, str | None]:
    lo, _, hi = value.partition("..")
    return _day(lo), _day(hi)


def apply_edits(q: AskQuery, edits: Mapping[str, str | None]) -> AskQuery:
    """A query with parts removed (value None) or changed, as the chips ask.

    Example:
        >>> q = AskQuery(owner="Bộ Y tế", status="overdue")
        >>> apply_edits(q, {"status": None}).status is None
        True
    """
    for kind, value in edits.items():
        if kind not in EDITABLE:
            raise ValueError(f"unknown part {kind!r}; use one of {', '.join(EDITABLE)}")
        if kind == "agency":
            q = replace(q, owner=value or None, also=(), together=False)
        elif kind == "province":
            q = replace(q, province=value or None)
        elif kind == "role":
            q = replace(q, role=value or None)  # type: ignore[arg-type]
        elif kind == "status":
            q = replace(q, status=value or None)
        elif kind == "recurring":
            q = replace(q, recurring=value or None)
        elif kind == "time":
            lo, hi = _time_value(value) if value else (None, None)
            q = replace(q, deadline_from=lo, deadline_to=hi)
            if not value and q.doc is not None:
                q = replace(q, doc=replace(q.doc, date_from=None, date_to=None))
        elif kind == "doc":
            keep = q.doc or DocSpec()
            q = replace(q, doc=replace(keep, number=value, type=None) if value
                        else (DocSpec(issuer=keep.issuer) if keep.issuer else None))
        elif kind == "issuer":
            q = replace(q, doc=replace(q.doc or DocSpec(), issuer=value or None))
        elif kind == "ref":
            q = replace(q, ref=value or None)
        elif kind == "topic":
            q = replace(q, topic=value or None)
        elif kind == "qword":
            q = replace(q, ask=value or "list")  # type: ignore[arg-type]
    return q


def _chips(parsed: Parsed, q: AskQuery, edits: Mapping[str, str | None]) -> tuple[Chip, ...]:
    out = []
    seen: set[str] = set()
    qwords = [p for p in parsed.parts if p.kind == "qword"]
    parts = [p for p in parsed.parts if p.kind != "qword"]
    if qwords and "qword" not in edits:
        # one chip for the question words: the shape of the answer they ask for
        main = next((p for p in qwords if p.value == q.ask), qwords[0])
        parts.append(replace(main, value=q.ask))
        parts.sort(key=lambda p: p.start)
    for p in parts:
        if p.kind in edits:
            value = edits[p.kind]
            if value is None or p.kind in seen:
                continue
            seen.add(p.kind)
            p = replace(p, value=value)
        out.append(Chip(p.kind, p.text, p.value, chip_label(p), p.start, p.end))
    for kind, value in edits.items():
        if value is not None and kind not in seen and not any(c.kind == kind for c in out):
            part = Part(kind, "", -1, -1, value, "ask.edit")
            out.append(Chip(kind, "", value, chip_label(part), -1, -1))
    return tuple(out)


# ------------------------------------------------------------------ answer


def answer(
    store: Store, question: str, *, today: dt.date | None = None, page: int = 1,
    size: int = PAGE_SIZE, edits: Mapping[str, str | None] | None = None,
) -> Answer:
    """Answer a Vietnamese question from the store.

    Example:
        >>> a = answer(store, "Sở Tài chính tỉnh Bắc Ninh có nhiệm vụ nào quá hạn?",
        ...            today=dt.date(2024, 7, 1))
        >>> [c.label for c in a.chips]
        ['Cơ quan: Sở Tài chính tỉnh Bắc Ninh', 'Câu hỏi: liệt kê', 'Tình trạng: quá hạn']
    """
    today = today or dt.date.today()
    parsed = parse(question, today=today)
    if parsed.as_of is not None:  # "… tính đến ngày 1/7/2024"
        today = parsed.as_of
    edits = dict(edits or {})
    if edits.get("time"):  # "2024-02-31.." is "2024-02-29.."
        lo, hi = _time_value(edits["time"] or "")
        edits["time"] = f"{lo or ''}..{hi or ''}"
    q = apply_edits(parsed.query, edits) if edits else parsed.query
    understood = parsed.understood or bool(edits)
    page = max(1, page)
    size = max(1, size)
    lo, hi = (page - 1) * size, page * size
    r = run(store, q, today=today, need=hi)
    q = r.query  # a mistyped topic word corrected
    if q.target == "documents":
        text, yes = _docs_sentence(r, q)
        docs = r.documents[lo:hi]
        items = [{"doc_id": d.id, "doc_number": d.number_symbol, "title": d.title,
                  "doc_type": d.doc_type, "issuer": d.issuer, "issue_date": d.issue_date}
                 for d in docs]
        ev = [Evidence(d.id, d.number_symbol, d.title, d.title or d.number_symbol or d.id, 0, 0)
              for d in docs]
        if not understood:
            words = q.topic or ""
            text = (f"Chưa hiểu câu hỏi; đây là {r.size} văn bản có các từ “{words}”"
                    " (tìm kiếm toàn văn).")
    elif q.target in ("citations", "cited"):
        text, yes = (_citations_sentence if q.target == "citations" else _cited_sentence)(r, q)
        items = [_cite_data(c) for c in r.citations[lo:hi]]
        ev = [_cite_evidence(c) for c in r.citations[lo:hi]]
    else:
        text, yes = _tasks_sentence(r, q)
        items = [_task_data(t, today) for t in r.tasks[lo:hi]]
        ev = [_task_evidence(t) for t in r.tasks[lo:hi]]
    # tasks and documents may come a page at a time, with their total
    listed = len(r.citations) if q.target in ("citations", "cited") else r.size
    return Answer(
        question=parsed.question, today=today, understood=understood, answer=text,
        parsed=parsed, result=r, chips=_chips(parsed, q, edits), count=r.size, yes=yes,
        data=items, evidence=ev, page=page, size=size,
        next_page=page + 1 if hi < listed else None,
    )


def ask(store: Store, question: str, *, today: dt.date | None = None) -> Answer:
    """:func:`answer` with the first page (what the CLI and the benchmarks call)."""
    return answer(store, question, today=today)


__all__ = ["ASK_WORDS", "Answer", "Chip", "Evidence", "answer", "apply_edits", "ask",
           "describe", "describe_query"]
