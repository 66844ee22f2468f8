"""The JSON of an extracted document and its JSON Schema come from one definition."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from extractors.contract import (
    ExtractedDocumentOut,
    LegalRefOut,
    json_schema,
    schema_text,
    to_json,
    to_json_validated,
)
from pipeline.ingest.run import read_file

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "extractors" / "data" / "extracted-document.schema.json"
DOCS = (
    sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[:4]
    + sorted((ROOT / "corpus" / "docs").glob("*.txt"))[::12]
)


def test_the_schema_file_is_generated_from_the_models() -> None:
    regenerate = "python -m extractors.contract > extractors/data/extracted-document.schema.json"
    assert SCHEMA.read_text("utf-8") == schema_text(), regenerate


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_to_json_is_what_the_models_validate_to(path: Path) -> None:
    doc = read_file(path)
    out = to_json(doc)
    # the generated dumper and pydantic's validation of every field agree, to the byte
    assert json.dumps(out, ensure_ascii=False) == json.dumps(
        to_json_validated(doc), ensure_ascii=False
    )
    assert doc.to_json() == out
    jsonschema.validate(out, json_schema())


def test_required_means_no_default() -> None:
    for model in (ExtractedDocumentOut, LegalRefOut):
        schema = model.model_json_schema()
        required = {n for n, f in model.model_fields.items() if f.is_required()}
        assert set(schema["required"]) == required, model.__name__


def test_old_tasks_own_as_agencies() -> None:
    from extractors.model import ExtractedDocument, Task

    task = Task(owners=("Sở Tài chính tỉnh A",), cooperating=(), text="x", start=0, end=1)
    out = to_json(ExtractedDocument(id="i", source="s", text="x", tasks=(task,)))
    assert out["tasks"][0]["owner_kinds"] == ["agency"]
    assert out["doc"]["kind"] == "other" and type(out["doc"]["kind"]) is str
