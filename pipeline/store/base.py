"""The one ``Store`` protocol every backend implements, and its result types.

LocalStore (SQLite + tantivy, the default) and ElasticStore answer the same
questions with the same types; a conformance suite holds both to it. Task
status is computed against a ``today`` that callers pass in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from extractors.model import ExtractedDocument
from extractors.textnorm import tokens

PutOutcome = Literal["added", "unchanged", "replaced"]
TaskStatus = Literal["open", "done", "overdue", "due_soon", "no_deadline"]


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

    def status(self, today: dt.date, *, soon_days: int = 7) -> TaskStatus:
        if self.done:
            return "done"
        if not self.deadline:
            return "no_deadline"
        due = dt.date.fromisoformat(self.deadline)
        if due < today:
            return "overdue"
        if (due - today).days <= soon_days:
            return "due_soon"
        return "open"


@dataclass(frozen=True, slots=True)
class TaskQuery:
    owner_names: tuple[str, ...] | None = None  # canonical names already resolved
    role: Literal["lead", "cooperating", "any"] = "any"
    status: str | None = None  # open|done|overdue|due_soon|no_deadline|pending
    today: dt.date | None = None
    soon_days: int = 7
    deadline_from: str | None = None
    deadline_to: str | None = None
    doc_id: str | None = None
    q: str | None = None  # words of the task; results come best match first
    limit: int = 1000


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    done: bool | None = None
    owners: tuple[str, ...] | None = None
    deadline: str | None = None
    clear_deadline: bool = False


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

    def delete(self, doc_id: str) -> bool: ...

    def count(self) -> int: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def tasks(self, query: TaskQuery) -> list[TaskRecord]: ...

    def get_task(self, task_id: str) -> TaskRecord | None: ...

    def update_task(self, task_id: str, update: TaskUpdate, *, who: str) -> TaskRecord: ...

    def task_history(self, task_id: str) -> list[dict[str, Any]]: ...

    def ref_keys(self) -> list[str]: ...

    def citations(
        self, canonicals: Sequence[str], *, limit: int | None = None
    ) -> list[RefCitation]: ...

    def top_refs(self, limit: int = 20) -> list[tuple[str, int]]: ...

    def agencies(self) -> list[AgencyRecord]: ...

    def citing_documents(self, doc_id: str) -> list[RefCitation]: ...

    def recover(self) -> int: ...

    def reindex(self) -> int: ...

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
    """The sentence (or a window) around a citation."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    left = left + 1 if left >= 0 else 0
    if start - left > width:
        left = start - width
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    if right - end > width:
        right = end + width
    return " ".join(text[left:right].split())


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
