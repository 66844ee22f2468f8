"""API schemas (pydantic).

Responses about stored things are read from the store's dataclasses
(``pipeline.store.base``) with ``from_attributes``: ``SearchHitOut.model_validate(hit)``,
never copied field by field. What a dataclass computes (a task's status as of a
day) comes through the validation context.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

# Limits of every string a client sends (query parameters are limited by
# VNDOC_MAX_QUERY_CHARS, or NAME_MAX for names and ids).
NAME_MAX = 300  # an agency, issuer, province, document id
TEXT_MAX = 4000  # an action, a note
ID_MAX = 64
OwnerKind = Literal["agency", "collective", "organization", "person"]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


def _check_date(value: str | None, what: str) -> str | None:
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError as e:
            raise ValueError(f"{what} must be a date YYYY-MM-DD, got {value!r}") from e
        if len(value) != 10:
            raise ValueError(f"{what} must be a date YYYY-MM-DD, got {value!r}")
    return value


class FromCore(BaseModel):
    """A response read from a core dataclass's attributes (tuples become lists)."""

    model_config = ConfigDict(from_attributes=True)


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, and how to fix it")
    message: str | None = Field(default=None, description="The same for staff, in Vietnamese")


class FacetBucket(BaseModel):
    value: str
    count: int


class SearchHitOut(FromCore):
    id: str
    score: float
    title: str | None
    doc_type: str | None
    number_symbol: str | None
    issuer: str | None
    issue_date: str | None
    source: str
    kind: str
    snippets: list[str] = Field(description="HTML-escaped; matches wrapped in <mark>")


class SearchOut(BaseModel):
    data: list[SearchHitOut]
    count: int
    page: int
    size: int
    facets: dict[str, list[FacetBucket]]
    relaxed: str | None = Field(
        default=None,
        description="When nothing has every word: the same words joined by OR, to try instead",
    )


class HealthOut(BaseModel):
    status: str  # "ok" | "degraded"
    documents: int
    store: str
    version: str
    indexed: int | None = None  # documents in the search index (None: can't be read)
    pending: int = 0  # index operations waiting to be applied
    detail: str | None = None  # what is wrong and the fix, when degraded


# The TaskOut fields a class of task records has, by class (TaskOut._as_of).
_TASK_FIELDS: dict[type, tuple[str, ...]] = {}


# A stored task (TaskRecord); its status and days late are as of the context's
# "today": TaskOut.model_validate(t, context={"today": ...}). (A docstring would
# change the published OpenAPI description.)
class TaskOut(FromCore):
    id: str
    doc_id: str
    owners: list[str]
    owner_kinds: list[str] = Field(description="agency | collective | organization | person")
    cooperating: list[str]
    action: str | None
    text: str
    start: int
    end: int
    deadline: str | None
    deadline_text: str | None
    recurring: str | None
    legal_basis: list[str]
    status: str = Field(description="open | due_soon | overdue | no_deadline | done | done_late")
    days_late: int | None = Field(description="Days past the deadline (now, or when done)")
    done: bool
    done_on: str | None
    done_by: str | None
    note: str | None = Field(description="Kết quả / ghi chú")
    review: str = Field(description="unreviewed | confirmed | edited | rejected | added")
    rule_id: str | None
    confidence: float | None
    flags: list[str]
    doc_number: str | None
    doc_title: str | None
    doc_date: str | None
    doc_issuer: str | None
    doc_type: str | None
    doc_province: str | None
    updated_by: str | None
    updated_at: str | None
    corrected: list[str]
    via_collective: str | None = Field(
        default=None,
        description="The collective owner through which the task matched the owner filter",
    )

    @model_validator(mode="before")
    @classmethod
    def _as_of(cls, data: Any, info: ValidationInfo) -> Any:
        """A TaskRecord's attributes, with what it computes as of ``today``."""
        ctx = info.context or {}
        if "today" not in ctx or isinstance(data, dict):
            return data
        today: dt.date = ctx["today"]
        names = _TASK_FIELDS.get(type(data))
        if names is None:  # once per class read (``model_fields`` costs ~1 us a call)
            names = _TASK_FIELDS[type(data)] = tuple(
                n for n in cls.model_fields if hasattr(data, n))
        return {
            **{name: getattr(data, name) for name in names},
            "status": data.status(today, soon_days=ctx.get("soon_days", 7)),
            "days_late": data.days_late(today),
            "via_collective": ctx.get("via_collective"),
        }


class TasksOut(BaseModel):
    data: list[TaskOut]
    count: int = Field(description="Tasks matching the filters, on every page")
    page: int
    size: int
    today: str
    owner_names: list[str] | None = Field(
        default=None, description="Canonical agencies the owner filter resolved to"
    )
    collectives: list[str] | None = Field(
        default=None, description="Collective owners the filter included (with_collectives)"
    )


_DEADLINE_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "maxLength": 0},
            {"type": "null"},
        ],
        "description": "YYYY-MM-DD, or empty string to clear",
    }
)


class TaskPatch(BaseModel):
    """A decision on one task. Fields left out are not changed."""

    model_config = ConfigDict(extra="forbid")

    # strict: "yes" or 1 is not a boolean here
    done: Annotated[bool | None, Field(strict=True)] = None
    done_on: Annotated[str | None, Field(json_schema_extra={"format": "date"},
                                         max_length=10)] = None
    owners: list[Name] | None = Field(default=None, min_length=1, max_length=20)
    owner_kinds: list[OwnerKind] | None = Field(
        default=None, max_length=20,
        description="Parallel to owners (or to the current owners); missing ones are agencies")
    cooperating: list[Name] | None = Field(default=None, max_length=30)
    action: str | None = Field(default=None, min_length=1, max_length=TEXT_MAX)
    deadline: Annotated[str | None, _DEADLINE_SCHEMA, Field(max_length=10)] = None
    note: str | None = Field(default=None, max_length=TEXT_MAX, description="'' clears it")
    review: Literal["confirmed", "rejected", "unreviewed"] | None = None

    @field_validator("deadline")
    @classmethod
    def _date_or_empty(cls, value: str | None) -> str | None:
        return _check_date(value, "deadline")

    @field_validator("done_on")
    @classmethod
    def _done_on(cls, value: str | None) -> str | None:
        if value == "":
            raise ValueError("done_on must be a date YYYY-MM-DD")
        return _check_date(value, "done_on")



class TaskNew(BaseModel):
    """A task staff found in a document: its offsets in the document's text."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(min_length=1, max_length=ID_MAX)
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    owners: list[Name] = Field(min_length=1, max_length=20)
    owner_kinds: list[OwnerKind] | None = Field(
        default=None, max_length=20, description="Parallel to owners; missing ones are agencies")
    cooperating: list[Name] = Field(default_factory=list, max_length=30)
    action: str | None = Field(default=None, min_length=1, max_length=TEXT_MAX)
    deadline: Annotated[str | None, Field(json_schema_extra={"format": "date"},
                                          max_length=10)] = None
    deadline_text: str | None = Field(default=None, max_length=NAME_MAX)
    note: str | None = Field(default=None, max_length=TEXT_MAX)

    @field_validator("deadline")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return _check_date(value or None, "deadline")

    @model_validator(mode="after")
    def _consistent(self) -> TaskNew:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class SuggestionOut(BaseModel):
    start: int
    end: int
    text: str
    owners: list[str]
    owner_kinds: list[str]
    cooperating: list[str]
    action: str | None
    deadline: str | None
    deadline_text: str | None
    rule_id: str | None


class TaskHistoryOut(BaseModel):
    field: str
    old: str | None
    new: str | None
    who: str
    at: str
    action: str | None = None


class DecisionOut(BaseModel):
    seq: int
    doc_id: str
    task_id: str | None
    action: str = Field(description="confirm, reject, edit, add, done, undone, note, "
                        "confirm_document, remove_document, restore_document ...")
    field: str | None
    old: str | None
    new: str | None
    who: str
    at: str


class DecisionsOut(BaseModel):
    data: list[DecisionOut]
    count: int
    page: int
    size: int


class ReviewItemOut(FromCore):
    doc_id: str
    title: str | None
    doc_type: str | None
    number_symbol: str | None
    issuer: str | None
    issue_date: str | None
    source: str | None
    ingested_at: str
    tasks: int
    unreviewed: int
    reviewed_at: str | None
    reviewed_by: str | None


class ReviewQueueOut(BaseModel):
    data: list[ReviewItemOut]
    count: int
    page: int
    size: int


class ConfirmOut(BaseModel):
    doc_id: str
    confirmed: int = Field(description="Tasks confirmed now")


class RemovedOut(FromCore):
    id: str
    title: str | None
    number_symbol: str | None
    sources: list[str]
    removed_by: str
    removed_at: str


class RemovedListOut(BaseModel):
    data: list[RemovedOut]
    count: int
    page: int
    size: int


class DocumentActionOut(BaseModel):
    id: str
    outcome: Literal["removed", "restored"]


class QualityRowOut(BaseModel):
    period: str = Field(description="YYYY-MM, or '' for every reviewed document")
    documents: int
    tasks: int
    extracted: int
    rejected: int
    added: int
    precision: float | None
    recall: float | None
    owners: float | None
    deadline: float | None
    edits_per_10: float | None


class QualityOut(BaseModel):
    overall: QualityRowOut
    months: list[QualityRowOut]


class WhoAmIOut(BaseModel):
    name: str
    role: str


class CitationOut(FromCore):
    canonical: str
    type: str
    number: str | None
    doc_id: str
    doc_title: str | None
    doc_number: str | None
    doc_date: str | None
    pinpoint: str | None
    article: str | None
    clause: str | None
    point: str | None
    date: str | None
    text: str
    start: int
    end: int
    context: str


class RefsOut(BaseModel):
    query: str
    canonical: list[str]
    data: list[CitationOut]
    count: int
    page: int = 1
    size: int = 50


class TopRefOut(BaseModel):
    canonical: str
    documents: int


class TopRefsOut(BaseModel):
    data: list[TopRefOut]
    count: int


class AgencyOut(BaseModel):
    name: str
    current_name: str | None
    former_names: list[str]
    aliases: list[str]
    documents: int
    lead_tasks: int
    cooperating_tasks: int


class AgenciesOut(BaseModel):
    data: list[AgencyOut]
    count: int
    page: int = 1
    size: int = 0


class CitedRefOut(BaseModel):
    """One instrument a document cites, once, with every pinpoint cited."""

    canonical: str
    type: str
    number: str | None
    pinpoints: list[str]
    mentions: int


class SignatureOut(BaseModel):
    org: str | None
    signer: str | None
    time: str | None
    intact: bool | None
    trust: str | None


class ChangesOut(BaseModel):
    """What a new version changed (pipeline/store/versions.py)."""

    tasks_added: list[str] = []
    tasks_removed: list[str] = []
    tasks_changed: list[dict[str, Any]] = Field(
        default=[], description="{old_text, text, and each changed field: [old, new]}")
    refs_added: list[str] = []
    refs_removed: list[str] = []
    fields: dict[str, list[Any]] = Field(default={}, description="document fields: [old, new]")
    diff: list[str] = Field(default=[], description="unified diff of the text, cut at 200 lines")
    lines_added: int = 0
    lines_removed: int = 0
    substantive: bool = True


class VersionOut(BaseModel):
    """An earlier version of the document, superseded by the next one."""

    id: str
    title: str | None
    number_symbol: str | None
    issue_date: str | None
    sources: list[str]
    ingested_at: str
    superseded_by: str
    superseded_at: str
    changes: ChangesOut


class DocumentOut(BaseModel):
    id: str
    title: str = Field(description="The heading: trích yếu, title or headline")
    sources: list[str]
    ingested_at: str
    document: dict[str, Any] = Field(description="The extracted document (contract form)")
    tasks: list[TaskOut] = Field(description="Every task, rejected ones included (review)")
    refs: list[CitedRefOut]
    cites: list[CitationOut]
    cited_by: list[CitationOut]
    signature: SignatureOut | None
    review: ReviewItemOut | None
    versions: list[VersionOut] = Field(
        default=[], description="Earlier versions (same number and date), latest first")


class IngestOut(BaseModel):
    id: str
    outcome: str = Field(
        description="added | unchanged | replaced | new_version | removed | restored")
    message: str = Field(description="The outcome for staff, in Vietnamese")
    source: str
    title: str | None = None
    tasks: int
    legal_refs: int


class EvidenceOut(BaseModel):
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    text: str
    start: int
    end: int


class ChipOut(BaseModel):
    kind: str = Field(description="agency, province, role, status, time, recurring, doc, "
                                  "issuer, ref, topic or qword")
    text: str = Field(description="The words of the question it was read from")
    value: str = Field(description="What it was understood as (send it back to change it)")
    label: str = Field(description="What the chip says")
    start: int = Field(description="Offsets of the words in `question` (-1: set by hand)")
    end: int


class AskOut(BaseModel):
    question: str = Field(description="The question as read (normalized)")
    today: str = Field(description="The day statuses are computed at, YYYY-MM-DD")
    intent: str = Field(description="tasks, documents, citations or cited; search when the "
                                    "question was not understood")
    understood: bool
    answer: str = Field(description="The answer, one sentence in Vietnamese")
    ask: str = Field(description="list, count, yesno, who, when or partners")
    count: int = Field(description="How many tasks, documents or references answer it")
    yes: bool | None = Field(description="For a yes/no question: the answer")
    chips: list[ChipOut] = Field(description="The parts the question was read as")
    query: dict[str, Any] = Field(description="The one query the parts make")
    data: list[dict[str, Any]]
    evidence: list[EvidenceOut]
    page: int
    size: int
    next_page: int | None = Field(description="The next page of `data`, if any")
