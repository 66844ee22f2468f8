"""Index templates for ElasticStore: the Vietnamese analysis chain and mappings.

Every text field is indexed twice:

* the field itself, **exact**: standard tokenizer + lowercase, so "Sở" and
  "so" are different words (an exact match is boosted at query time);
* ``<field>.folded``: standard tokenizer + lowercase + asciifolding, which
  removes Vietnamese diacritics and maps đ to d ("Đất đai" -> "dat dai").
  Its search analyzer adds a ``synonym_graph`` filter built from
  ``extractors/data/search_synonyms.yaml`` (UBND <-> Ủy ban nhân dân,
  KCN <-> khu công nghiệp ...), so a plain ``match`` on a folded field (from
  Kibana or a script) expands abbreviations the way vndoc's own search does.

Mappings are explicit and ``dynamic: strict``: a field the store doesn't
know is a mapping error reported for its document, never a silently guessed
type. Dates are kept as the ISO string the extractors produce (a keyword:
"2024-03" is a valid partial date) plus an integer ``date_key`` (20240300)
for ranges and sorting, exactly like LocalStore.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.query.plan import synonym_sets
from pipeline.store.base import citation_context, date_key, task_id

SCHEMA_VERSION = "1"

# Index kinds; each is a versioned index behind an alias "<prefix>-<kind>".
KINDS = ("docs", "tasks", "refs", "task-overrides", "task-history")

EXACT = "vn_exact"
FOLDED = "vn_folded"
FOLDED_SEARCH = "vn_folded_search"
SEP = "\x1f"  # joins an agency name and its current name in agency_current


def synonym_rules() -> list[str]:
    """Solr-format rules from the synonym table, already folded.

    Example:
        >>> "kcn, khu cong nghiep" in synonym_rules()
        True
    """
    rules = []
    for forms in synonym_sets():
        alts = list(dict.fromkeys(" ".join(f) for f in forms if f))
        if len(alts) > 1:
            rules.append(", ".join(alts))
    return rules


def analysis() -> dict[str, Any]:
    return {
        "filter": {
            "vn_ascii_fold": {"type": "asciifolding", "preserve_original": False},
            "vn_synonyms": {"type": "synonym_graph", "synonyms": synonym_rules()},
        },
        "analyzer": {
            EXACT: {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            FOLDED: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "vn_ascii_fold"],
            },
            FOLDED_SEARCH: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "vn_ascii_fold", "vn_synonyms"],
            },
        },
    }


def _text() -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": EXACT,
        "fields": {
            "folded": {"type": "text", "analyzer": FOLDED, "search_analyzer": FOLDED_SEARCH}
        },
    }


_KW = {"type": "keyword"}
_KW_STORED = {"type": "keyword", "index": False, "doc_values": False}  # returned, not searched
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_DATETIME = {"type": "date", "format": "strict_date_optional_time"}


def mappings(kind: str) -> dict[str, Any]:
    """The explicit mapping of one index kind."""
    props: dict[str, Any]
    if kind == "docs":
        props = {
            "id": _KW,
            "kind": _KW,
            "doc_type": _KW,
            "number_symbol": _KW,
            "issuer": _KW,
            "issue_date": _KW,
            "date_key": _INT,
            "year": _KW,
            "province": _KW,
            "title": _text(),
            "text": _text(),
            "sources": _KW,
            "agency_names": _KW,
            "agency_current": _KW,  # "name\x1fcurrent name", for agencies()
            "ref_canonicals": _KW,  # distinct per document, for top_refs()
            "ingested_at": _DATETIME,
            # The whole ExtractedDocument JSON: the system of record for
            # reindexing, kept in _source and never indexed.
            "data": {"type": "object", "enabled": False},
        }
    elif kind == "tasks":
        props = {
            "id": _KW,
            "doc_id": _KW,
            "idx": _INT,
            "owners": _KW,  # as extracted
            "cooperating": _KW,
            "action": _KW,
            "text": _text(),
            "start": _INT,
            "end": _INT,
            "deadline": _KW,  # as extracted
            "deadline_text": _KW_STORED,
            "recurring": _KW,
            "legal_basis": _KW,
            "doc_number": _KW,
            "doc_title": _KW_STORED,
            "doc_date": _KW,
            # effective values: extraction plus staff corrections
            "eff_owners": _KW,
            "eff_deadline": _KW,
            "done": _BOOL,
            "updated_by": _KW,
            "updated_at": _KW,
            "corrected": _KW,
        }
    elif kind == "refs":
        props = {
            "id": _KW,
            "doc_id": _KW,
            "canonical": _KW,
            "type": _KW,
            "number": _KW,
            "article": _KW,
            "clause": _KW,
            "point": _KW,
            "date": _KW,
            "start": _INT,
            "end": _INT,
            "text": _KW_STORED,
            "context": _KW_STORED,
            "doc_title": _KW_STORED,
            "doc_number": _KW,
            "doc_date": _KW,
        }
    elif kind == "task-overrides":
        props = {
            "task_id": _KW,
            "done": _BOOL,
            "owners_set": _BOOL,
            "owners": _KW,
            "deadline": _KW,
            "deadline_cleared": _BOOL,
            "updated_by": _KW,
            "updated_at": _KW,
        }
    elif kind == "task-history":
        props = {
            "task_id": _KW,
            "seq": {"type": "long"},
            "field": _KW,
            "old": _KW_STORED,
            "new": _KW_STORED,
            "who": _KW,
            "at": _KW,
        }
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown index kind {kind!r}")
    return {"dynamic": "strict", "properties": props}


def template(
    kind: str, pattern: str, *, shards: int = 1, replicas: int = 1
) -> dict[str, Any]:
    """The body of ``put_index_template`` for one index kind."""
    settings: dict[str, Any] = {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
    }
    if kind in ("docs", "tasks"):
        settings["analysis"] = analysis()
    return {
        "index_patterns": [pattern],
        "priority": 200,
        "template": {"settings": settings, "mappings": mappings(kind)},
        "_meta": {"vndoc_schema_version": SCHEMA_VERSION, "kind": kind},
    }


# Default sizing (see docs/elasticsearch.md): documents and tasks hold the
# text; refs, overrides and history are small.
DEFAULT_SHARDS = {"docs": 1, "tasks": 1, "refs": 1, "task-overrides": 1, "task-history": 1}


# -- what is stored: bodies built from the ExtractedDocument JSON, so that
# reindex() can derive them again from a record's data field.


def _title(data: Mapping[str, Any]) -> str | None:
    d = data.get("doc") or {}
    first = (data.get("text") or "").strip().split("\n", 1)[0][:200]
    return d.get("subject") or d.get("title") or (first or None)


def record_body(
    data: Mapping[str, Any], sources: Sequence[str], ingested_at: str
) -> dict[str, Any]:
    d = data.get("doc") or {}
    issue_date = d.get("issue_date")
    agencies = data.get("agencies") or []
    refs = data.get("legal_refs") or []
    return {
        "id": data["id"],
        "kind": d.get("kind"),
        "doc_type": d.get("doc_type"),
        "number_symbol": d.get("number_symbol"),
        "issuer": d.get("issuer"),
        "issue_date": issue_date,
        "date_key": date_key(issue_date),
        "year": (issue_date or "")[:4] or None,
        "province": d.get("province"),
        "title": _title(data),
        "text": data["text"],
        "sources": list(sources),
        "agency_names": list(dict.fromkeys(a["name"] for a in agencies)),
        "agency_current": sorted(
            {f"{a['name']}{SEP}{a['current_name']}" for a in agencies if a.get("current_name")}
        ),
        "ref_canonicals": list(dict.fromkeys(r["canonical"] for r in refs)),
        "ingested_at": ingested_at,
        # The text is stored once, in "text"; _data_of() puts it back.
        "data": {k: v for k, v in data.items() if k != "text"},
    }


def data_of(src: Mapping[str, Any]) -> dict[str, Any]:
    """The ExtractedDocument JSON of a stored record."""
    data = dict(src["data"])
    out = {k: data.pop(k) for k in ("id", "source") if k in data}
    out["text"] = src["text"]
    out.update(data)
    return out


def effective(task: Mapping[str, Any], ov: Mapping[str, Any] | None) -> dict[str, Any]:
    """Effective owners/deadline/done of an extracted task under its override."""
    ov = ov or {}
    owners = list(ov["owners"]) if ov.get("owners_set") else list(task["owners"])
    if ov.get("deadline_cleared"):
        deadline = None
    else:
        deadline = ov.get("deadline") or task.get("deadline")
    done = bool(ov.get("done"))
    corrected = []
    if owners != list(task["owners"]):
        corrected.append("owners")
    if deadline != task.get("deadline"):
        corrected.append("deadline")
    if done:
        corrected.append("done")
    return {
        "eff_owners": owners,
        "eff_deadline": deadline,
        "done": done,
        "updated_by": ov.get("updated_by"),
        "updated_at": ov.get("updated_at"),
        "corrected": corrected,
    }


def task_bodies(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Extracted tasks with LocalStore's deterministic ids (without overrides)."""
    d = data.get("doc") or {}
    seen: dict[str, int] = {}
    out = []
    for idx, t in enumerate(data.get("tasks") or []):
        occ = seen.get(t["text"], 0)
        seen[t["text"]] = occ + 1
        out.append(
            {
                "id": task_id(data["id"], t["text"], occ),
                "doc_id": data["id"],
                "idx": idx,
                "owners": list(t.get("owners") or []),
                "cooperating": list(t.get("cooperating") or []),
                "action": t.get("action"),
                "text": t["text"],
                "start": t["start"],
                "end": t["end"],
                "deadline": t.get("deadline"),
                "deadline_text": t.get("deadline_text"),
                "recurring": t.get("recurring"),
                "legal_basis": list(t.get("legal_basis") or []),
                "doc_number": d.get("number_symbol"),
                "doc_title": _title(data),
                "doc_date": d.get("issue_date"),
            }
        )
    return out


def ref_bodies(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    d = data.get("doc") or {}
    text = data["text"]
    out = []
    for i, r in enumerate(data.get("legal_refs") or []):
        out.append(
            {
                "id": f"{data['id']}:{i}",
                "doc_id": data["id"],
                "canonical": r["canonical"],
                "type": r["type"],
                "number": r.get("number"),
                "article": r.get("article"),
                "clause": r.get("clause"),
                "point": r.get("point"),
                "date": r.get("date"),
                "start": r["start"],
                "end": r["end"],
                "text": r["text"],
                "context": citation_context(text, r["start"], r["end"]),
                "doc_title": _title(data),
                "doc_number": d.get("number_symbol"),
                "doc_date": d.get("issue_date"),
            }
        )
    return out
