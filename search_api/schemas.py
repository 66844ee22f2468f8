"""API schemas (pydantic), separate from the core dataclasses."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, and how to fix it")


class FacetBucket(BaseModel):
    value: str
    count: int


class SearchHitOut(BaseModel):
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


class HealthOut(BaseModel):
    status: str
    documents: int
    store: str
    version: str


class TaskOut(BaseModel):
    id: str
    doc_id: str
    owners: list[str]
    cooperating: list[str]
    action: str | None
    text: str
    start: int
    end: int
    deadline: str | None
    deadline_text: str | None
    recurring: str | None
    legal_basis: list[str]
    status: str
    done: bool
    doc_number: str | None
    doc_title: str | None
    doc_date: str | None
    updated_by: str | None
    updated_at: str | None
    corrected: list[str]


class TasksOut(BaseModel):
    data: list[TaskOut]
    count: int
    today: str
    owner_names: list[str] | None = Field(
        default=None, description="Canonical agencies the owner filter resolved to"
    )


class TaskPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # strict: "yes" or 1 is not a boolean here
    done: Annotated[bool | None, Field(strict=True)] = None
    owners: list[str] | None = Field(default=None, max_length=20)
    deadline: Annotated[
        str | None,
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "string", "maxLength": 0},
                    {"type": "null"},
                ],
                "description": "YYYY-MM-DD, or empty string to clear",
            }
        ),
    ] = None

    @field_validator("deadline")
    @classmethod
    def _date_or_empty(cls, value: str | None) -> str | None:
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError as e:
                raise ValueError(f"deadline must be a date YYYY-MM-DD or '', got {value!r}") from e
            if len(value) != 10:
                raise ValueError(f"deadline must be a date YYYY-MM-DD or '', got {value!r}")
        return value


class TaskHistoryOut(BaseModel):
    field: str
    old: str | None
    new: str | None
    who: str
    at: str


class CitationOut(BaseModel):
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


class DocumentOut(BaseModel):
    id: str
    sources: list[str]
    ingested_at: str
    document: dict[str, Any] = Field(description="The extracted document (contract form)")
    tasks: list[TaskOut]
    cites: list[CitationOut]
    cited_by: list[CitationOut]


class IngestOut(BaseModel):
    id: str
    outcome: str
    source: str
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
