"""The output of ``vndoc extract``, defined once: its JSON and its JSON Schema.

The pydantic models below are the contract's view of the dataclasses in
:mod:`extractors.model` (``from_attributes``): which fields an extracted
document shows, in which order, and what each means. :func:`to_json` dumps
an :class:`~extractors.model.ExtractedDocument` through them, and
:func:`json_schema` writes ``data/extracted-document.schema.json`` from the
same models, in the shape of the shared contract (nullable fields as
``"type": [..., "null"]``, one ``$defs/span``, everything else inline).

Regenerate the schema file after changing a model::

    python -m extractors.contract > extractors/data/extracted-document.schema.json

(a test fails while the file and the models disagree).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from types import UnionType
from typing import Annotated, Any, Union, cast, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, WithJsonSchema, model_validator
from pydantic.json_schema import GenerateJsonSchema

from extractors.model import ExtractedDocument

__all__ = ["json_schema", "to_json"]

_VIEW = ConfigDict(from_attributes=True)
_AUTHORITY = ["TM.", "KT.", "TL.", "TUQ.", "Q."]
_OWNER_KINDS = ["agency", "collective", "organization", "person"]
_RECURRING = [None, "daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"]


class SpanOut(BaseModel):
    """A mention: offsets into ``text`` and the words there."""

    model_config = _VIEW
    start: int
    end: int
    text: str


class SignerOut(BaseModel):
    model_config = _VIEW
    name: str | None = None
    title: str | None = None
    authority: list[Annotated[str, WithJsonSchema({"enum": _AUTHORITY})]] = []


class DocOut(BaseModel):
    model_config = _VIEW
    kind: Annotated[str, WithJsonSchema({"enum": ["official", "news", "other"]})] = Field(
        description="official: the administrative/legal document itself; news: an article "
        "reporting on one"
    )
    title: str | None = None
    doc_type: str | None = Field(
        description="Vietnamese type name: Thông báo, Công văn, Quyết định, Chỉ thị, Kế hoạch, "
        "Nghị định, Nghị quyết, Thông tư, Báo cáo, Tờ trình ...; for news, the type of the "
        "directive it reports when stated"
    )
    number_symbol: str | None = Field(
        description="as on the document, e.g. '45/TB-UBND', '35/2022/NĐ-CP'; a left-blank "
        "number keeps its symbol: '/TB-UBND'"
    )
    issuer: str | None = Field(description="canonical name of the issuing agency")
    issue_date: str | None = Field(
        description="YYYY-MM-DD, or YYYY-MM / YYYY when the day (or month) is left blank; for "
        "news: the publication date"
    )
    place: str | None = None
    subject: str | None = Field(None, description="the trích yếu (what the document is about)")
    signer: SignerOut | None = None
    recipients: list[str] = []
    province: str | None = Field(
        None, description="the jurisdiction the document gives bare names ('Sở Tài chính')"
    )


class AgencyOut(BaseModel):
    model_config = _VIEW
    name: str = Field(
        description="canonical name with jurisdiction, e.g. 'Sở Tài chính tỉnh Bắc Ninh'"
    )
    current_name: str | None = Field(
        None, description="successor body after a merger or reorganization, when known"
    )
    kind: str | None = Field(None, description="the kind of body: 'Sở', 'UBND', 'Bộ' ...")
    jurisdiction: str | None = Field(None, description="e.g. 'tỉnh Bắc Ninh', 'huyện Gio Linh'")
    mentions: list[SpanOut]


class OrganizationOut(BaseModel):
    model_config = _VIEW
    name: str
    mentions: list[SpanOut] = []


class PersonOut(BaseModel):
    model_config = _VIEW
    name: str
    title: str | None = None
    mentions: list[SpanOut] = []


class PinpointOut(BaseModel):
    model_config = _VIEW
    article: str | None = None
    clause: str | None = None
    point: str | None = None


class LegalRefOut(BaseModel):
    # the contract lists what is required in this order
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"required": ["type", "number", "canonical", "start", "end", "text"]},
    )
    text: str
    start: int
    end: int
    type: str = Field(
        description="Luật, Bộ luật, Nghị quyết, Nghị định, Quyết định, Chỉ thị, Thông tư, "
        "Thông báo, Công văn, Kế hoạch, Đề án, TCVN ..."
    )
    number: str | None = Field(
        description="number and symbol, corrected where the type word and the symbol "
        "disagree: 'Nghị định số 35/2022/QĐ-CP' -> '35/2022/NĐ-CP'"
    )
    canonical: str = Field(
        description="type + number, e.g. 'Nghị định 35/2022/NĐ-CP'; the key every lookup uses"
    )
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    date: str | None = Field(
        None,
        description="issue date of the referenced document when the text gives it, YYYY-MM-DD",
    )
    issuer: str | None = Field(None, description="the issuing body its symbol names")
    pinpoints: list[PinpointOut] = Field(
        [],
        description="each pinpoint of a chain, in order ('điểm c khoản 2 Điều 15 và khoản 1 "
        "Điều 16'); empty for a single pinpoint (article, clause, point say it)",
    )


class DeadlineOut(BaseModel):
    model_config = _VIEW
    text: str
    start: int
    end: int
    date: str | None = Field(description="the last allowed day, YYYY-MM-DD; None for an event")


class TaskOut(BaseModel):
    model_config = _VIEW
    owners: list[str] = Field(
        description="lead agencies (chủ trì / the body the task is given to), canonical names"
    )
    cooperating: list[str] = Field(description="phối hợp agencies, canonical names")
    action: str | None = Field(
        None, description="the task itself, without owner and deadline words"
    )
    text: str = Field(description="the sentence or list item that assigns the task")
    start: int
    end: int
    deadline: str | None = Field(
        description="YYYY-MM-DD: the last day the task may be done ('trong tháng 6/2024' -> "
        "2024-06-30; 'quý II/2024' -> 2024-06-30; 'trước ngày 10/8' in a document of 2025 -> "
        "2025-08-10)"
    )
    deadline_text: str | None = None
    recurring: Annotated[str | None, WithJsonSchema({"enum": _RECURRING})]
    legal_basis: list[str] = Field(
        [], description="canonical legal references the task is based on"
    )
    assigned_by: str | None = None
    owner_kinds: list[Annotated[str, WithJsonSchema({"enum": _OWNER_KINDS})]] = Field(
        [],
        description="the kind of each owner, parallel to owners: agency (a state, Party or "
        "mass-organization body), collective (a described group: 'các sở, ban, ngành tỉnh Sơn "
        "La', 'UBND các tỉnh, thành phố trực thuộc Trung ương'), organization (an enterprise or "
        "association), person (an official named in person). No owners: the text names no one "
        "(flag owner_unknown)",
    )
    rule_id: str = Field("", description="the rule-table row that produced the task")
    confidence: Annotated[
        float | int | None,
        WithJsonSchema({"type": ["number", "null"], "minimum": 0, "maximum": 1}),
    ] = Field(None, description="how sure the rules are that this is a task with these owners")
    flags: list[str] = Field([], description="what a reviewer should check, e.g. 'owner_unknown'")

    @staticmethod
    def fill(task: dict[str, Any]) -> None:
        """No kinds given: every owner an agency (tasks built before kinds existed)."""
        if not task["owner_kinds"]:
            task["owner_kinds"] = ["agency"] * len(task["owners"])

    @model_validator(mode="after")
    def _agency_owners_by_default(self) -> TaskOut:
        if not self.owner_kinds:
            self.owner_kinds = ["agency"] * len(self.owners)
        return self


class ExtractedDocumentOut(BaseModel):
    """One line of `vndoc extract --format jsonl`: everything the pipeline knows about one
    input document. Offsets (start, end) are character offsets into `text`, end exclusive."""

    model_config = _VIEW
    id: str = Field(
        description="stable id derived from the normalized content; re-ingesting the same "
        "content gives the same id"
    )
    source: str = Field(description="the path or URL the document came from, as given")
    text: str = Field(
        description="the cleaned, NFC-normalized full text that every offset refers to"
    )
    doc: DocOut
    agencies: list[AgencyOut] = Field(
        description="state, party and mass-organization bodies; companies go to organizations"
    )
    organizations: list[OrganizationOut] = []
    people: list[PersonOut] = []
    legal_refs: list[LegalRefOut]
    deadlines: list[DeadlineOut] = []
    tasks: list[TaskOut]
    meta: dict[str, Any] = Field(
        {}, description="what the file told about itself: title, published, source_name ..."
    )

    @model_validator(mode="before")
    @classmethod
    def _meta_as_dict(cls, data: Any) -> Any:
        if isinstance(data, ExtractedDocument):  # meta is kept as sorted (key, value) pairs
            return {name: getattr(data, name) for name in cls.model_fields} | {
                "meta": dict(data.meta)
            }
        return data


@cache
def _adapter() -> TypeAdapter[ExtractedDocumentOut]:
    return TypeAdapter(ExtractedDocumentOut)


# to_json is generated from the views: one function per view that builds
# its dict field by field from the dataclass, as a hand-written one would
# (validating every document through pydantic instead costs 20 times more; a
# test holds the two to the same output).


def _is_view(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _is_enum(t: Any) -> bool:
    return any(isinstance(a, type) and issubclass(a, StrEnum) for a in (t, *get_args(t)))


def _item(t: Any) -> Any:
    """The item type of ``tuple[X, ...]``, else ``t``."""
    args = get_args(t)
    return args[0] if get_origin(t) is tuple and args else t


def _dumper(view: type[BaseModel], source: type, made: dict[str, Any]) -> str:
    """The name of the generated function that dumps ``source`` as ``view``."""
    name = f"_dump_{view.__name__}"
    if name in made:
        return name
    made[name] = None
    hints = get_type_hints(source)
    parts = []
    for field, info in view.model_fields.items():
        ann, hint = info.annotation, hints[field]
        args = [a for a in get_args(ann) if a is not type(None)]
        get = f"o.{field}"
        if _is_view(ann):
            parts.append(f"{field!r}: {_dumper(cast(type[BaseModel], ann), hint, made)}({get})")
        elif get_origin(ann) in (Union, UnionType) and args and _is_view(args[0]):
            inner = [a for a in get_args(hint) if a is not type(None)][0]
            fn = _dumper(args[0], inner, made)
            parts.append(f"{field!r}: None if {get} is None else {fn}({get})")
        elif get_origin(ann) is list and args and _is_view(args[0]):
            fn = _dumper(args[0], _item(hint), made)
            parts.append(f"{field!r}: [{fn}(x) for x in {get}]")
        elif get_origin(ann) is list:
            parts.append(f"{field!r}: list({get})")
        elif get_origin(ann) is dict:
            parts.append(f"{field!r}: dict({get})")
        elif _is_enum(hint):
            parts.append(f"{field!r}: None if {get} is None else str({get})")
        else:
            parts.append(f"{field!r}: {get}")
    body = "{" + ", ".join(parts) + "}"
    if hasattr(view, "fill"):
        made[name] = f"def {name}(o):\n    d = {body}\n    {view.__name__}.fill(d)\n    return d\n"
    else:
        made[name] = f"def {name}(o):\n    return {body}\n"
    return name


@cache
def _to_json() -> Callable[[ExtractedDocument], dict[str, Any]]:
    made: dict[str, Any] = {}
    name = _dumper(ExtractedDocumentOut, ExtractedDocument, made)
    scope: dict[str, Any] = {"TaskOut": TaskOut}
    exec("\n".join(made.values()), scope)  # noqa: S102 - our own field names, see _dumper
    return scope[name]  # type: ignore[no-any-return]


def to_json(doc: ExtractedDocument) -> dict[str, Any]:
    """The contract form of an extracted document (JSON types, fields in order).

    The fields are :class:`ExtractedDocumentOut`'s, read straight from the
    dataclasses by a function generated from the views.

    Example:
        >>> from extractors.extraction import extract
        >>> d = to_json(extract("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024."))
        >>> d["tasks"][0]["deadline"], d["tasks"][0]["owner_kinds"], list(d)[:4]
        ('2024-03-10', ['agency'], ['id', 'source', 'text', 'doc'])
    """
    return _to_json()(doc)


def to_json_validated(doc: ExtractedDocument) -> dict[str, Any]:
    """:func:`to_json` through pydantic's validation of every field (for tests)."""
    view = ExtractedDocumentOut.model_validate(doc)
    return _adapter().dump_python(view, mode="json")  # type: ignore[no-any-return]


# -- the JSON Schema ---------------------------------------------------------------


class _NoTitles(GenerateJsonSchema):
    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


_SPAN = "SpanOut"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Refs replaced by their definitions (the span kept as ``#/$defs/span``),
    nullable refs and enums written the contract's way, no titles or defaults."""
    if isinstance(node, list):
        return [_inline(x, defs) for x in node]
    if not isinstance(node, dict):
        return node
    if "properties" in node:  # property names are names, not annotations
        props = {k: _inline(v, defs) for k, v in node["properties"].items()}
        return {
            **_inline({k: v for k, v in node.items() if k != "properties"}, defs),
            "properties": props,
        }
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name == _SPAN:
            return {"$ref": "#/$defs/span", **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline({**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}, defs)
    out = {k: _inline(v, defs) for k, v in node.items() if k not in ("title", "default")}
    any_of = out.get("anyOf")
    if any_of and len(any_of) == 2 and {"type": "null"} in any_of:
        inner = next(x for x in any_of if x != {"type": "null"})
        if isinstance(inner.get("type"), str):  # {"type": ["string", "null"]}
            rest = {k: v for k, v in out.items() if k != "anyOf"}
            out = {**inner, "type": [inner["type"], "null"], **rest}
    return out


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`to_json`'s output, in the shared contract's shape."""
    raw = _adapter().json_schema(schema_generator=_NoTitles)
    defs = raw.pop("$defs", {})
    body = _inline(raw, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "extracted-document.schema.json",
        "title": "ExtractedDocument",
        "description": body.pop("description"),
        "type": "object",
        "required": body.pop("required"),
        "properties": body.pop("properties"),
        "$defs": {"span": _inline(defs[_SPAN], defs)},
    }


def schema_text() -> str:
    """The schema as written to ``data/extracted-document.schema.json``."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
