"""The one ``Store`` protocol every backend implements, and its result types.

LocalStore (SQLite + tantivy, the default) and ElasticStore answer the same
questions with the same types; a conformance suite holds both to it. Task
status is computed against a ``today`` that callers pass in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from extractors.model import ExtractedDocument
from extractors.textnorm import fold, tokens
from pipeline.store.errors import QueryError

# "removed": the document was deleted by staff (soft delete); ingesting it
# again leaves it deleted until someone restores it (``restore_document``).
# "new_version": a text with the number and date of a stored document that
# says something else (a corrected re-issue): stored as the new version,
# which supersedes the old one (``Store.versions``); see pipeline/store/versions.py.
PutOutcome = Literal["added", "unchanged", "replaced", "removed", "new_version"]
# "done" is done on time (or with no deadline); "done_late" after the deadline.
TaskStatus = Literal["open", "done", "done_late", "overdue", "due_soon", "no_deadline"]
# What staff decided about an extracted task. "added" tasks were found by staff;
# "edited" ones had owners, cooperating agencies, deadline or action corrected.
ReviewState = Literal["unreviewed", "confirmed", "edited", "rejected", "added"]
OwnerKind = Literal["agency", "collective", "organization", "person"]
OWNER_KINDS: tuple[str, ...] = ("agency", "collective", "organization", "person")
# Filters of ``TaskQuery.status``: the statuses, plus groups of them.
STATUS_FILTERS: tuple[str, ...] = (
    "open", "overdue", "due_soon", "no_deadline", "pending", "done", "done_on_time",
    "done_late",
)
# Filters of ``TaskQuery.review``. "kept" (the default) is every task but the
# rejected ones; "any" includes those too.
REVIEW_FILTERS: tuple[str, ...] = (
    "kept", "any", "unreviewed", "confirmed", "edited", "rejected", "added", "reviewed",
)
# Orders of ``TaskQuery.sort``. "default": deadline (none last), newest
# document, document, position in it. Each sort breaks ties the default way.
# "status" orders overdue, due_soon, open, no_deadline, done_late, done.
TASK_SORTS: tuple[str, ...] = (
    "default", "deadline", "doc_date", "doc_number", "issuer", "owner", "status", "content",
    "updated_at",
)
SearchSort = Literal["relevance", "date"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, and how many items the whole list has."""

    items: tuple[T, ...]
    total: int


@dataclass(frozen=True, slots=True)
class SearchQuery:
    q: str = ""
    issuer: str | None = None
    doc_type: str | None = None
    province: str | None = None
    date_from: str | None = None  # YYYY-MM-DD
    date_to: str | None = None
    page: int = 1
    size: int = 10
    year: str | None = None  # "2024": issue dates within that year
    sort: SearchSort = "relevance"  # "date": newest first (ties by relevance)
    details: bool = True  # False: the hits and the total, without snippets or facets


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    score: float
    title: str | None
    doc_type: str | None
    number_symbol: str | None
    issuer: str | None
    issue_date: str | None
    source: str
    kind: str
    snippets: tuple[str, ...] = ()  # HTML-escaped, matches wrapped in <mark>


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """A task as stored: extraction plus staff corrections and status."""

    id: str
    doc_id: str
    idx: int
    owners: tuple[str, ...]
    cooperating: tuple[str, ...]
    action: str | None
    text: str
    start: int
    end: int
    deadline: str | None
    deadline_text: str | None
    recurring: str | None
    legal_basis: tuple[str, ...]
    done: bool = False
    doc_number: str | None = None
    doc_title: str | None = None
    doc_date: str | None = None
    doc_source: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None
    corrected: tuple[str, ...] = ()  # fields changed by staff
    # What the extractor said about it (``extractors.model.Task``).
    owner_kinds: tuple[str, ...] = ()  # parallel to owners (see OWNER_KINDS)
    rule_id: str | None = None
    confidence: float | None = None
    flags: tuple[str, ...] = ()
    # Staff decisions.
    review: ReviewState = "unreviewed"
    note: str | None = None  # kết quả / ghi chú (progress or result)
    done_on: str | None = None  # YYYY-MM-DD the task was completed
    done_by: str | None = None
    # The assigning document (register columns).
    doc_issuer: str | None = None
    doc_type: str | None = None
    doc_province: str | None = None

    def status(self, today: dt.date, *, soon_days: int = 7) -> TaskStatus:
        if self.done:
            if self.deadline and self.done_on and self.done_on[:10] > self.deadline:
                return "done_late"
            return "done"
        if not self.deadline:
            return "no_deadline"
        due = dt.date.fromisoformat(self.deadline)
        if due < today:
            return "overdue"
        if (due - today).days <= soon_days:
            return "due_soon"
        return "open"

    def days_late(self, today: dt.date) -> int | None:
        """Days past the deadline: as of ``today`` while open, at completion once done."""
        if not self.deadline:
            return None
        due = dt.date.fromisoformat(self.deadline)
        if self.done:
            if not self.done_on:
                return None
            late = (dt.date.fromisoformat(self.done_on[:10]) - due).days
        else:
            late = (today - due).days
        return late if late > 0 else None


@dataclass(frozen=True, slots=True)
class TaskQuery:
    owner_names: tuple[str, ...] | None = None  # canonical names already resolved
    role: Literal["lead", "cooperating", "any"] = "any"
    status: str | None = None  # one of STATUS_FILTERS
    today: dt.date | None = None
    soon_days: int = 7
    deadline_from: str | None = None
    deadline_to: str | None = None
    doc_id: str | None = None
    doc_ids: tuple[str, ...] | None = None  # the tasks of any of these documents
    q: str | None = None  # words of the task; results come best match first
    limit: int = 1000
    # Repeating tasks: one period ("monthly", …), or "any" for every repeating task.
    recurring: str | None = None
    # The assigning document: its issuer, province, and issue dates (a period).
    issuer: str | None = None
    province: str | None = None
    issued_from: str | None = None  # YYYY-MM-DD
    issued_to: str | None = None
    review: str = "kept"  # one of REVIEW_FILTERS
    sort: str = "default"  # one of TASK_SORTS; with ``q`` and "default", best match first
    descending: bool = False
    offset: int = 0


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    """A staff decision on one task. Fields left None are not changed.

    ``done=False`` undoes "done"; ``done_on`` is the completion day (default:
    the day of the decision). ``review`` confirms or rejects the task as
    extracted, or ("unreviewed") takes that back. Changing owners,
    cooperating agencies, deadline or action makes the task "edited".
    """

    done: bool | None = None
    owners: tuple[str, ...] | None = None
    deadline: str | None = None
    clear_deadline: bool = False
    owner_kinds: tuple[str, ...] | None = None  # parallel to owners; default: agency
    cooperating: tuple[str, ...] | None = None
    action: str | None = None
    note: str | None = None  # "" clears it
    done_on: str | None = None
    review: Literal["confirmed", "rejected", "unreviewed"] | None = None


@dataclass(frozen=True, slots=True)
class NewTask:
    """A task staff found that the extractor missed: a stretch of the document's text."""

    start: int
    end: int
    owners: tuple[str, ...] = ()
    owner_kinds: tuple[str, ...] = ()  # parallel to owners; default: agency
    cooperating: tuple[str, ...] = ()
    action: str | None = None
    deadline: str | None = None  # YYYY-MM-DD
    deadline_text: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """One recorded change: a field of a task, or a document as a whole.

    ``action`` is one of confirm, unconfirm, reject, unreject, edit, add, done,
    undone, note, confirm_document, remove_document, restore_document;
    ``field`` names what changed (None for a whole task or document).
    ``old``/``new`` are strings (lists and objects as JSON).
    """

    seq: int
    doc_id: str
    task_id: str | None
    action: str
    field: str | None
    old: str | None
    new: str | None
    who: str
    at: str

    def as_history(self) -> dict[str, Any]:
        return {"field": self.field or self.action, "old": self.old, "new": self.new,
                "who": self.who, "at": self.at, "action": self.action}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A document in the review queue, with its task counts."""

    doc_id: str
    title: str | None
    doc_type: str | None
    number_symbol: str | None
    issuer: str | None
    issue_date: str | None
    source: str | None
    ingested_at: str
    tasks: int  # tasks kept (not rejected), extracted or added
    unreviewed: int  # of those, the ones nobody has decided on
    reviewed_at: str | None = None  # when the last decision made it reviewed
    reviewed_by: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewedDocument:
    """A reviewed document, what the extractor said and what staff decided.

    ``tasks`` holds every task, rejected and added ones included; the
    extractor's own output is ``doc.data["tasks"]``.
    """

    doc: StoredDocument
    tasks: tuple[TaskRecord, ...]
    reviewed_at: str
    decisions: int  # decisions recorded on its tasks (edits, rejections, additions)


@dataclass(frozen=True, slots=True)
class RemovedDocument:
    id: str
    title: str | None
    number_symbol: str | None
    sources: tuple[str, ...]
    removed_by: str
    removed_at: str


@dataclass(frozen=True, slots=True)
class RefCitation:
    canonical: str
    type: str
    number: str | None
    doc_id: str
    doc_title: str | None
    doc_number: str | None
    doc_date: str | None
    article: str | None
    clause: str | None
    point: str | None
    date: str | None
    text: str
    start: int
    end: int
    context: str

    @property
    def pinpoint(self) -> str | None:
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        if self.article:
            parts.append(f"Điều {self.article}")
        return " ".join(parts) or None


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    name: str
    current_name: str | None
    documents: int
    lead_tasks: int
    cooperating_tasks: int


@dataclass(frozen=True, slots=True)
class DocumentVersion:
    """An earlier version of a stored document, superseded by a later text with
    the same number and date. ``changes`` is what the next version changed
    (``pipeline.store.versions.Changes.to_json()``)."""

    id: str
    title: str | None
    number_symbol: str | None
    issue_date: str | None
    sources: tuple[str, ...]
    ingested_at: str
    superseded_by: str
    superseded_at: str
    changes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """Whether the record and the search index agree.

    ``status`` is "ok", or "degraded" when the index can't be opened or holds
    another number of documents than the record (``documents``) once the
    ``pending`` index work is done; ``detail`` says what is wrong and the fix.
    """

    status: Literal["ok", "degraded"]
    documents: int
    indexed: int | None  # documents in the search index; None when it can't be read
    pending: int  # index operations waiting to be applied
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    sources: tuple[str, ...]
    data: dict[str, Any]  # ExtractedDocument.to_json()
    ingested_at: str


class Store(Protocol):
    """What every backend answers."""

    def put(self, doc: ExtractedDocument) -> PutOutcome: ...

    def put_many(self, docs: Iterable[ExtractedDocument]) -> list[PutOutcome]: ...

    def has(self, doc_id: str) -> bool: ...

    def get(self, doc_id: str) -> StoredDocument | None: ...

    def delete(self, doc_id: str) -> bool:
        """Hard delete, leaving no trace (tools and tests); staff use ``remove_document``."""
        ...

    def count(self) -> int: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def tasks(self, query: TaskQuery) -> list[TaskRecord]: ...

    def get_task(self, task_id: str) -> TaskRecord | None: ...

    def update_task(self, task_id: str, update: TaskUpdate, *, who: str) -> TaskRecord: ...

    def task_history(self, task_id: str) -> list[dict[str, Any]]: ...

    # -- the register, paged, and staff review (decisions on top of extraction) --
    def task_page(self, query: TaskQuery) -> Page[TaskRecord]:
        """``tasks`` with the total: ``query.offset``/``limit`` select the page."""
        ...

    def add_task(self, doc_id: str, task: NewTask, *, who: str) -> TaskRecord:
        """Record a task staff found in a document (kept across re-ingest and
        reindex). The id is ``task_id(doc_id, text, n)`` like an extracted
        task's; a stretch that already is a task raises QueryError."""
        ...

    def confirm_document(self, doc_id: str, *, who: str) -> int:
        """Confirm every undecided task of a document and mark it reviewed
        (also one with no tasks). Returns how many tasks were confirmed."""
        ...

    def review_queue(
        self, *, reviewed: bool = False, offset: int = 0, limit: int = 20
    ) -> Page[ReviewItem]:
        """Documents not yet reviewed (a task nobody decided on, or no task and
        nobody confirmed it), newest ingest first; ``reviewed=True`` lists the
        reviewed ones, latest review first."""
        ...

    def reviewed_documents(self) -> Iterator[ReviewedDocument]:
        """Every reviewed document with all its tasks, for gold and quality figures."""
        ...

    def decisions(
        self, *, doc_id: str | None = None, task_id: str | None = None, offset: int = 0,
        limit: int = 100,
    ) -> Page[Decision]:
        """The audit trail, oldest first, optionally of one document or task."""
        ...

    def remove_document(self, doc_id: str, *, who: str) -> bool:
        """Soft delete: gone from every answer, its decisions kept; ``put`` of
        the same content answers "removed" until ``restore_document``."""
        ...

    def restore_document(self, doc_id: str, *, who: str) -> bool: ...

    def removed_documents(self, *, offset: int = 0, limit: int = 100) -> Page[RemovedDocument]:
        ...

    def collectives(self) -> list[str]:
        """Owner and cooperating names typed "collective" ("UBND các tỉnh, thành
        phố trực thuộc Trung ương"), for the owner filter."""
        ...

    def ref_keys(self) -> list[str]: ...

    def find_ref_keys(self, ref_type: str | None, number_prefix: str | None) -> list[str]:
        """Canonical reference keys that may answer a loose lookup: of this type
        (any type when None) whose rest, after the type name, starts with
        ``number_prefix`` compared folded and lowercased, with spaces around
        "/", ":" and "-" removed ("35/2022" -> "Nghị định 35/2022/NĐ-CP";
        "dau tu" -> "Luật Đầu tư 2020", "Luật Đầu tư công 2019"). A superset:
        callers keep the keys ``RefQuery.matches`` accepts. Answered from an
        index, never from every key in memory."""
        ...

    def citations(
        self, canonicals: Sequence[str], *, limit: int | None = None
    ) -> list[RefCitation]: ...

    def citation_page(
        self, canonicals: Sequence[str], *, offset: int = 0, limit: int = 50
    ) -> Page[RefCitation]:
        """``citations`` one page at a time, newest citing document first, with the total."""
        ...

    def top_refs(self, limit: int = 20) -> list[tuple[str, int]]: ...

    def agencies(self) -> list[AgencyRecord]: ...

    def citing_documents(self, doc_id: str) -> list[RefCitation]: ...

    def recover(self) -> int: ...

    def reindex(self) -> int:
        """Rebuild the search index from the record, without reading the old
        index (which may be corrupt). Returns the document count."""
        ...

    def health(self) -> StoreHealth:
        """Whether the record and the search index agree (``/health``)."""
        ...

    # -- versions -------------------------------------------------------------
    def versions(self, doc_id: str) -> list[DocumentVersion]:
        """The earlier versions of a stored document, latest first."""
        ...

    def resolve_id(self, doc_id: str) -> str | None:
        """The stored document that stands for this content id: itself; the
        document a second file of it was merged into; or the version that
        superseded it. None when nothing does."""
        ...

    def close(self) -> None: ...


def task_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    """Deterministic task id: the same document and sentence give the same id.

    ``occurrence`` tells apart identical sentences in one document; the
    position of the task in the list is deliberately not part of the id, so
    a correction survives re-extraction that finds one more task earlier.
    """
    h = hashlib.sha256(f"{doc_id}\x1f{occurrence}\x1f{text}".encode()).hexdigest()
    return h[:16]


def date_key(value: str | None, *, end: bool = False) -> int | None:
    """'2024-03-12' -> 20240312; '2024-03' -> 20240300 (or 20240399 as an upper end)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else (99 if end else 0)
        d = int(parts[2]) if len(parts) > 2 else (99 if end else 0)
    except ValueError:
        return None
    return y * 10000 + m * 100 + d


def citation_context(text: str, start: int, end: int, *, width: int = 160) -> str:
    """The sentence around a citation; a long one is cut at word boundaries,
    with "…" where it was cut.

    Example:
        >>> citation_context("Căn cứ Nghị định 35/2022/NĐ-CP. Giao Sở.", 7, 30)
        'Căn cứ Nghị định 35/2022/NĐ-CP.'
    """
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    left = left + 1 if left >= 0 else 0
    cut_left = start - left > width
    if cut_left:
        left = start - width
        while left < start and not text[left - 1].isspace():
            left += 1  # to the next word
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    cut_right = right - end > width
    if cut_right:
        right = end + width
        while right > end and not text[right].isspace():
            right -= 1  # back to the end of a word
    body = " ".join(text[left:right].split())
    return ("…" if cut_left else "") + body + ("…" if cut_right else "")


SAME_DOCUMENT_OVERLAP = 0.7  # shared words (Jaccard) of two files of one document


def identity_key(doc: ExtractedDocument) -> tuple[str, str] | None:
    """(number, date) that identifies a signed official document, if it has one.

    A left-blank number ("/TB-UBND") identifies nothing.
    """
    d = doc.doc
    if str(d.kind) != "official" or not d.number_symbol or not d.issue_date:
        return None
    if not d.number_symbol[:1].isdigit():
        return None
    return d.number_symbol, d.issue_date


def same_document(
    doc: ExtractedDocument, issuer: str | None, text: str, *, words: set[str] | None = None
) -> bool:
    """Whether a stored document with this issuer and text is ``doc`` read from
    another file (a PDF and a DOCX of one Công văn): the issuers don't disagree
    and most of the words are shared. Callers have matched the identity key."""
    if doc.doc.issuer and issuer and doc.doc.issuer != issuer:
        return False
    mine = words if words is not None else set(tokens(doc.text))
    other = set(tokens(text))
    return len(mine & other) >= SAME_DOCUMENT_OVERLAP * len(mine | other)


# -- shared by both backends (stores never import each other) ------------------

PHRASE_BOOST = 10.0  # the query's words as a phrase, folded
EXACT_PHRASE_BOOST = 5.0  # ... and as typed, accents included

# Decisions that say something about the extraction (not done/undone/note).
REVIEW_ACTIONS = ("confirm", "unconfirm", "reject", "unreject", "edit", "add",
                  "confirm_document")


def json_text(value: Any) -> str:
    """A decision's value as the JSON text stored in a task's history (tuples as lists).

    Example:
        >>> json_text(("Sở Tài chính", "Sở Xây dựng"))
        '["Sở Tài chính", "Sở Xây dựng"]'
    """
    if not value and type(value) in (list, tuple):
        return "[]"  # most lists of a task (flags, legal basis, cooperating) are empty
    return _JSON_TEXT.encode(list(value) if isinstance(value, tuple) else value)


# json.dumps(value, ensure_ascii=False) without building an encoder for every call
# (the writer calls json_text five times a task).
_JSON_TEXT = json.JSONEncoder(ensure_ascii=False)


def padded_kinds(owners: Sequence[str], kinds: Sequence[str]) -> list[str]:
    """Owner kinds parallel to owners: the given ones, "agency" for the rest.

    Example:
        >>> padded_kinds(["Sở Tài chính", "các sở, ngành"], [])
        ['agency', 'agency']
    """
    return [*kinds[: len(owners)], *["agency"] * (len(owners) - len(kinds))]


def review_changes(
    before: TaskRecord, u: TaskUpdate, *, today: str
) -> list[tuple[str, str | None, str | None, str | None]]:
    """(action, field, old, new) for each thing ``u`` really changes in ``before``:
    the rows both stores write to a task's history."""
    out: list[tuple[str, str | None, str | None, str | None]] = []
    if u.done is not None and u.done != before.done:
        out.append(("done" if u.done else "undone", "done", str(before.done), str(u.done)))
        if u.done and u.done_on and u.done_on != today:
            out.append(("done", "done_on", None, u.done_on))
    elif u.done_on is not None and before.done and u.done_on != before.done_on:
        out.append(("done", "done_on", before.done_on, u.done_on))
    if u.owners is not None and tuple(u.owners) != before.owners:
        out.append(("edit", "owners", json_text(before.owners), json_text(u.owners)))
    elif u.owner_kinds is not None and tuple(padded_kinds(before.owners, u.owner_kinds)) != tuple(
        padded_kinds(before.owners, before.owner_kinds)
    ):
        out.append(("edit", "owner_kinds", json_text(before.owner_kinds),
                    json_text(padded_kinds(before.owners, u.owner_kinds))))
    if u.cooperating is not None and tuple(u.cooperating) != before.cooperating:
        out.append(("edit", "cooperating", json_text(before.cooperating), json_text(u.cooperating)))
    if u.action is not None and (u.action or None) != before.action:
        out.append(("edit", "action", before.action, u.action or None))
    if u.clear_deadline and before.deadline is not None:
        out.append(("edit", "deadline", before.deadline, None))
    elif u.deadline is not None and u.deadline != before.deadline:
        out.append(("edit", "deadline", before.deadline, u.deadline))
    if u.note is not None and (u.note or None) != before.note:
        out.append(("note", "note", before.note, u.note or None))
    if u.review is not None:
        now = "unreviewed" if u.review == "unreviewed" else u.review
        was = before.review
        if now == "rejected" and was != "rejected":
            out.append(("reject", "review", was, "rejected"))
        elif now == "confirmed" and was in ("unreviewed", "rejected"):
            out.append(("confirm", "review", was, "confirmed"))
        elif now == "unreviewed" and was in ("confirmed", "rejected"):
            out.append(("unreject" if was == "rejected" else "unconfirm", "review", was,
                        "unreviewed"))
    return out


def ref_rest(value: str) -> str:
    """A reference key's number or name part as ``Store.find_ref_keys`` compares it:
    folded, lowercased, spaces squeezed and removed around "/", ":" and "-".

    Example:
        >>> ref_rest(" 35 / 2022 / NĐ-CP")
        '35/2022/nd-cp'
    """
    return re.sub(r"\s*([/:-])\s*", r"\1", " ".join(fold(value).split()))


def ref_parts(canonical: str, ref_type: str | None) -> tuple[str | None, str]:
    """(type, rest) of a reference key: the rest is what follows the type name.

    Example:
        >>> ref_parts("Nghị định 35/2022/NĐ-CP", "Nghị định")
        ('Nghị định', '35/2022/nd-cp')
    """
    if ref_type and (canonical == ref_type or canonical.startswith(ref_type + " ")):
        return ref_type, ref_rest(canonical[len(ref_type):])
    return ref_type, ref_rest(canonical)


def new_task_sentence(text: str, task: NewTask) -> str:
    """The stretch of ``text`` a staff-added task selects, checked the same way
    by every store: inside the document, not empty, known owner kinds.

    Raises:
        QueryError: the offsets fall outside the text, the stretch is blank, or
            an owner kind is unknown (or there are more kinds than owners).
    """
    if not 0 <= task.start < task.end <= len(text):
        raise QueryError(
            f"the task's offsets {task.start}-{task.end} are outside the document "
            f"(0-{len(text)})"
        )
    sentence = text[task.start : task.end]
    if not sentence.strip():
        raise QueryError("the selected text is empty")
    if len(task.owner_kinds) > len(task.owners) or any(
        k not in OWNER_KINDS for k in task.owner_kinds
    ):
        raise QueryError(f"owner kinds must be among {', '.join(OWNER_KINDS)}")
    return sentence


def free_task_id(doc_id: str, sentence: str, used: set[str]) -> str:
    """The id a staff-added task gets: the first of ``task_id(doc_id, sentence,
    occ)`` (occ = 0, 1, ...) that no task of the document has."""
    occ = 0
    while task_id(doc_id, sentence, occ) in used:
        occ += 1
    return task_id(doc_id, sentence, occ)


def added_task_fields(task: NewTask, sentence: str) -> dict[str, Any]:
    """What a staff-added task records, the same in every store."""
    owners = list(task.owners)
    return {
        "text": sentence, "start": task.start, "end": task.end, "owners": owners,
        "owner_kinds": padded_kinds(owners, task.owner_kinds),
        "cooperating": list(task.cooperating), "action": task.action,
        "deadline": task.deadline, "deadline_text": task.deadline_text,
    }
