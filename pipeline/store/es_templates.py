"""Index templates for ElasticStore: the Vietnamese analysis chain and mappings.

Words are split exactly as :func:`extractors.textnorm.tokens` splits them
(the words vndoc's queries are built from): a ``pattern`` tokenizer breaks
at every character that is neither a letter nor a digit, so "TP.HCM" is
"tp" "hcm", "1.000" is "1" "000" and "v.v" is "v" "v" on both sides. A test
compares the cluster's ``_analyze`` with ``tokens()`` over every sentence
of the corpus. Every text field is indexed twice:

* the field itself, **exact**: words lowercased, so "Sở" and "so" are
  different words (an exact match is boosted at query time);
* ``<field>.folded``: a ``mapping`` character filter generated from
  :func:`extractors.textnorm.fold` (diacritics removed, đ -> d, for every
  Latin letter), then the same words, lowercased ("Đất đai" -> "dat dai").
  Its search analyzer adds a ``synonym_graph`` filter built from
  ``extractors/data/search_synonyms.yaml`` (UBND <-> Ủy ban nhân dân,
  KCN <-> khu công nghiệp ...), so a plain ``match`` on a folded field (from
  Kibana or a script) expands abbreviations the way vndoc's own search does.

Mappings are explicit and ``dynamic: strict``: a field the store doesn't
know is a mapping error reported for its document, never a silently guessed
type. Dates are kept as the ISO string the extractors produce (a keyword:
"2024-03" is a valid partial date) plus an integer key (``date_key``,
``deadline_key``, ``doc_date_key``: 20240300) for ranges and sorting, as
LocalStore compares them; clusters with ``search.allow_expensive_queries:
false`` refuse ranges on keywords, never on integers. Free text that is
only returned (an action, a context sentence) is a non-indexed ``text``
field: a keyword longer than Lucene's 32,766-byte term limit makes a real
cluster reject the whole document, and extracted keywords stop being
indexed past ``ignore_above`` for the same reason.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from extractors.textnorm import fold
from pipeline.query.plan import synonym_sets
from pipeline.store.base import citation_context, date_key, task_id

SCHEMA_VERSION = "2"

# Index kinds; each is a versioned index behind an alias "<prefix>-<kind>".
KINDS = ("docs", "tasks", "refs", "task-overrides", "task-history")

EXACT = "vn_exact"
FOLDED = "vn_folded"
FOLDED_SEARCH = "vn_folded_search"
SEP = "\x1f"  # joins an agency name and its current name in agency_current
WORDS = "vn_words"
FOLD = "vn_fold"
# What tokens() calls a word: a run of letters and digits (str.isalnum). The
# Latin Extended Additional block (ạ ấ ở ự ỹ ...) and the superscript digits and
# fractions of official texts (m², footnote marks ¹, ½) are inside \p{L} and
# \p{N}; they are named as well because the emulator the tests run against
# leaves them out.
WORD_SEPARATORS = (
    r"[^\p{L}\p{N}\x{1E00}-\x{1EFF}\x{00B2}\x{00B3}\x{00B9}\x{00BC}-\x{00BE}"
    r"\x{2070}-\x{2079}\x{2080}-\x{2089}]+"
)
# Lucene refuses terms over 32,766 bytes; no real word is near 255 characters.
MAX_WORD_CHARS = 255
# Keywords longer than this (in characters; 4 UTF-8 bytes each at most) are
# kept in _source but not indexed, instead of failing the whole document.
KEYWORD_IGNORE_ABOVE = 8191
# The default index.max_result_window of Elasticsearch; deeper pages are
# walked with search_after in a point in time.
RESULT_WINDOW = 10_000


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


@cache
def fold_mappings() -> tuple[str, ...]:
    """``mapping`` rules that fold every Latin letter as :func:`fold` does.

    Example:
        >>> "ấ => a" in fold_mappings() and "Đ => d" in fold_mappings()
        True
    """
    rules = []
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if not ch.isalpha() or not unicodedata.name(ch, "").startswith("LATIN"):
            continue
        folded = fold(ch)
        if folded != ch.lower():
            rules.append(f"{ch} => {folded}")
    return tuple(rules)


def analysis() -> dict[str, Any]:
    words = ["lowercase", "vn_word_length"]
    return {
        "char_filter": {FOLD: {"type": "mapping", "mappings": list(fold_mappings())}},
        "tokenizer": {WORDS: {"type": "pattern", "pattern": WORD_SEPARATORS}},
        "filter": {
            "vn_word_length": {"type": "length", "max": MAX_WORD_CHARS},
            "vn_synonyms": {"type": "synonym_graph", "synonyms": synonym_rules()},
        },
        "analyzer": {
            EXACT: {"type": "custom", "tokenizer": WORDS, "filter": words},
            FOLDED: {
                "type": "custom", "char_filter": [FOLD], "tokenizer": WORDS, "filter": words,
            },
            FOLDED_SEARCH: {
                "type": "custom", "char_filter": [FOLD], "tokenizer": WORDS,
                "filter": [*words, "vn_synonyms"],
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
# Values read from documents (names, references): indexed up to a length.
_KW_VALUE = {"type": "keyword", "ignore_above": KEYWORD_IGNORE_ABOVE}
# Free text that is returned, never searched or sorted on: no terms at all.
_STORED = {"type": "text", "index": False}
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
            "doc_type": _KW_VALUE,
            "number_symbol": _KW_VALUE,
            "issuer": _KW_VALUE,
            "issue_date": _KW,
            "date_key": _INT,
            "year": _KW,
            "province": _KW_VALUE,
            "title": _text(),
            "text": _text(),
            "sources": _KW_VALUE,
            "agency_names": _KW_VALUE,
            "agency_current": _KW_VALUE,  # "name\x1fcurrent name", for agencies()
            "ref_canonicals": _KW_VALUE,  # distinct per document, for top_refs()
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
            "owners": _KW_VALUE,  # as extracted
            "cooperating": _KW_VALUE,
            "action": _STORED,
            "text": _text(),
            "start": _INT,
            "end": _INT,
            "deadline": _KW,  # as extracted
            "deadline_text": _STORED,
            "recurring": _KW_VALUE,
            "legal_basis": _KW_VALUE,
            "doc_number": _KW_VALUE,
            "doc_title": _STORED,
            "doc_date": _KW,
            "doc_date_key": _INT,
            # effective values: extraction plus staff corrections
            "eff_owners": _KW_VALUE,
            "eff_deadline": _KW,
            "deadline_key": _INT,  # of eff_deadline; absent when there is none
            "done": _BOOL,
            "updated_by": _KW_VALUE,
            "updated_at": _KW,
            "corrected": _KW,
        }
    elif kind == "refs":
        props = {
            "id": _KW,
            "doc_id": _KW,
            "canonical": _KW_VALUE,
            "type": _KW_VALUE,
            "number": _KW_VALUE,
            "article": _KW_VALUE,
            "clause": _KW_VALUE,
            "point": _KW_VALUE,
            "date": _KW,
            "start": _INT,
            "end": _INT,
            "text": _STORED,
            "context": _STORED,
            "doc_title": _STORED,
            "doc_number": _KW_VALUE,
            "doc_date": _KW,
            "doc_date_key": _INT,
        }
    elif kind == "task-overrides":
        props = {
            "task_id": _KW,
            "done": _BOOL,
            "owners_set": _BOOL,
            "owners": _KW_VALUE,
            "deadline": _KW,
            "deadline_cleared": _BOOL,
            "updated_by": _KW_VALUE,
            "updated_at": _KW,
            # A correction being written: its history entries, until the task
            # and the history are written too (ElasticStore.recover finishes it).
            "pending": _BOOL,
            "pending_changes": {"type": "object", "enabled": False},
        }
    elif kind == "task-history":
        props = {
            "task_id": _KW,
            "seq": {"type": "long"},
            "field": _KW,
            "old": _STORED,
            "new": _STORED,
            "who": _KW_VALUE,
            "at": _KW,
        }
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown index kind {kind!r}")
    return {
        "dynamic": "strict",
        "_meta": {"vndoc_schema_version": SCHEMA_VERSION, "kind": kind},
        "properties": props,
    }


def template(
    kind: str, pattern: str, *, shards: int = 1, replicas: int = 1,
    result_window: int = RESULT_WINDOW,
) -> dict[str, Any]:
    """The body of ``put_index_template`` for one index kind."""
    settings: dict[str, Any] = {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "max_result_window": result_window,
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
        "deadline_key": date_key(deadline),
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
                "doc_date_key": date_key(d.get("issue_date")),
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
                "doc_date_key": date_key(d.get("issue_date")),
            }
        )
    return out
