"""The one data model shared by every stage of vndoc.

Frozen, slotted dataclasses; :mod:`extractors.contract` defines which of
their fields ``vndoc extract`` shows, and generates
``data/extracted-document.schema.json`` from the same definition. Every
span-like object carries half-open ``start``/``end`` offsets into the cleaned
``Document.text``, and ``text[start:end]`` equals its ``text`` (a property
test checks it).

Build objects complete; never mutate them: use ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from extractors.textnorm import as_match_text, fold


class Label(StrEnum):
    """What a span denotes."""

    AGENCY = "AGENCY"
    ORGANIZATION = "ORGANIZATION"
    PERSON = "PERSON"
    LEGAL_REF = "LEGAL_REF"
    DEADLINE = "DEADLINE"
    RECURRENCE = "RECURRENCE"
    TASK = "TASK"
    DATE = "DATE"


class DocKind(StrEnum):
    OFFICIAL = "official"
    NEWS = "news"
    OTHER = "other"


class Recurrence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half-yearly"
    YEARLY = "yearly"


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of ``Document.text``.

    Example:
        >>> s = Span(0, 12, "Sở Tài chính", Label.AGENCY, "agency.so.v1")
        >>> "Sở Tài chính chủ trì"[s.start : s.end] == s.text
        True
    """

    start: int  # half-open offsets into Document.text (normalized)
    end: int
    text: str  # == doc.text[start:end]
    label: Label
    rule_id: str  # data row that fired, e.g. "legal_ref.so_hieu.v1"
    norm: str | None = None  # normalized value, e.g. "2024-12-31"


@dataclass(frozen=True, slots=True)
class Document:
    """The input of every extractor: cleaned text plus what the file told us.

    ``meta`` holds loader facts as sorted ``(key, value)`` pairs so the
    object stays hashable: ``title``, ``published`` (ISO date of a news
    item), ``source_name`` ("Nguồn: ..."), ``province`` (a hint when the
    text never names one).

    The text is folded once, here, for every extractor: ``folded`` is
    :func:`~extractors.textnorm.fold` of it (the gazetteers read it, line
    breaks and all) and ``match_text`` is
    :func:`~extractors.textnorm.match_text` (the rule patterns run on it).
    Both have the text's length, so their offsets are the text's.

    Example:
        >>> d = Document("d", "t", "Sở Tài chính\\ntỉnh")
        >>> d.folded, d.match_text
        ('so tai chinh\\ntinh', 'so tai chinh tinh')
    """

    id: str
    source: str
    text: str
    meta: tuple[tuple[str, str], ...] = ()
    folded: str = field(init=False, repr=False, compare=False)
    match_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = fold(self.text)
        object.__setattr__(self, "folded", folded)
        object.__setattr__(self, "match_text", as_match_text(folded))

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.meta:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Signer:
    name: str | None = None
    title: str | None = None
    authority: tuple[str, ...] = ()  # "TM.", "KT.", "TL.", "TUQ.", "Q."


@dataclass(frozen=True, slots=True)
class DocMeta:
    kind: DocKind = DocKind.OTHER
    doc_type: str | None = None
    number_symbol: str | None = None
    issuer: str | None = None
    issue_date: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY
    place: str | None = None
    title: str | None = None
    subject: str | None = None  # trích yếu
    signer: Signer | None = None
    recipients: tuple[str, ...] = ()
    province: str | None = None  # jurisdiction used to qualify bare names


@dataclass(frozen=True, slots=True)
class Agency:
    """A state, Party or mass-organization body, canonical with jurisdiction."""

    name: str
    current_name: str | None = None
    mentions: tuple[Span, ...] = ()
    kind: str | None = None  # "Sở", "UBND", "Bộ" ...
    jurisdiction: str | None = None  # "tỉnh Bắc Ninh", "huyện Gio Linh"


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str | None = None
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class LegalRef:
    """One citation of a legal or administrative instrument.

    Example: "khoản 4 Điều 9 Nghị định số 35/2022/QĐ-CP ngày 28/5/2022"
    gives type "Nghị định", number "35/2022/NĐ-CP", canonical
    "Nghị định 35/2022/NĐ-CP", article "9", clause "4", date "2022-05-28".
    """

    text: str
    start: int
    end: int
    type: str
    number: str | None
    canonical: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    date: str | None = None
    issuer: str | None = None
    rule_id: str = ""
    # each pinpoint of a chain, in order: "điểm c khoản 2 Điều 15 và khoản 1 Điều
    # 16" is Điều 15 khoản 2 điểm c, then Điều 16 khoản 1; () for a single pinpoint
    pinpoints: tuple[Pinpoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Pinpoint:
    """One pinpoint of a chained citation."""

    article: str | None
    clause: str | None = None
    point: str | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline phrase resolved to the last allowed day."""

    text: str
    start: int
    end: int
    date: str | None  # YYYY-MM-DD, None for event deadlines
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class RecurrenceMention:
    text: str
    start: int
    end: int
    value: Recurrence
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    owners: tuple[str, ...]
    cooperating: tuple[str, ...]
    text: str
    start: int
    end: int
    action: str | None = None
    deadline: str | None = None
    deadline_text: str | None = None
    deadline_start: int | None = None
    deadline_end: int | None = None
    recurring: Recurrence | None = None
    legal_basis: tuple[str, ...] = ()
    assigned_by: str | None = None
    rule_id: str = ""
    owner_kinds: tuple[str, ...] = ()  # parallel to owners: agency|collective|organization|person
    confidence: float | None = None  # 0-1, how sure the rules are
    flags: tuple[str, ...] = ()  # what a reviewer should check, e.g. "owner_unknown"


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    id: str
    source: str
    text: str
    doc: DocMeta = field(default_factory=DocMeta)
    agencies: tuple[Agency, ...] = ()
    organizations: tuple[Organization, ...] = ()
    people: tuple[Person, ...] = ()
    legal_refs: tuple[LegalRef, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    tasks: tuple[Task, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The contract form (``data/extracted-document.schema.json``): the
        fields :mod:`extractors.contract` defines, in its order."""
        from extractors.contract import to_json  # the contract views import this module

        return to_json(self)
