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
from pipeline.store.base import citation_context, date_key, ref_parts, task_id

SCHEMA_VERSION = "4"

# Index kinds; each is a versioned index behind an alias "<prefix>-<kind>".
KINDS = ("docs", "tasks", "refs", "task-overrides", "task-history", "doc-state",
         "doc-versions")

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
            # The review queue: counts of the document's tasks and whether staff
            # have reviewed it, kept by every write that changes them.
            "review_total": _INT,
            "review_kept": _INT,
            "review_unreviewed": _INT,
            "reviewed": _BOOL,
            "reviewed_at": _KW,
            "reviewed_by": _KW_VALUE,
            # The whole ExtractedDocument JSON: the system of record for
            # reindexing, kept in _source and never indexed.
            "data": {"type": "object", "enabled": False},
        }
    elif kind == "tasks":
        props = {
            "id": _KW,
            "doc_id": _KW,
            "idx": _INT,
            "origin": _KW,  # extracted | added (by staff)
            # as extracted (or as staff added it)
            "owners": _KW_VALUE,
            "owner_kinds": _KW,
            "cooperating": _KW_VALUE,
            "action": _STORED,
            "text": _text(),
            "start": _INT,
            "end": _INT,
            "deadline": _KW,
            "deadline_text": _STORED,
            "recurring": _KW_VALUE,
            "legal_basis": _KW_VALUE,
            "rule_id": _KW_VALUE,
            "confidence": {"type": "float"},
            "flags": _KW_VALUE,
            # the assigning document
            "doc_number": _KW_VALUE,
            "doc_title": _STORED,
            "doc_date": _KW,
            "doc_date_key": _INT,
            "doc_issuer": _KW_VALUE,
            "doc_type": _KW_VALUE,
            "doc_province": _KW_VALUE,
            # effective values: extraction plus staff decisions (effective())
            "eff_owners": _KW_VALUE,
            "eff_kinds": _KW,
            "eff_cooperating": _KW_VALUE,
            "eff_action": _STORED,
            "eff_deadline": _KW,
            "deadline_key": _INT,  # of eff_deadline; absent when there is none
            "done": _BOOL,
            "done_on": _KW,
            "done_by": _KW_VALUE,
            "late": _BOOL,  # done after the deadline
            "note": _STORED,
            "review": _KW,
            "updated_by": _KW_VALUE,
            "updated_at": _KW,
            "corrected": _KW,
            # the owner filter and the agency counts: none for a rejected task
            "lead_names": _KW_VALUE,
            "coop_names": _KW_VALUE,
            "collectives": _KW_VALUE,
            # sort keys of the register
            "owner_sort": _KW,
            "content_sort": _KW,
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
            # find_ref_keys: the key's number or name part (base.ref_rest) and
            # its prefixes, so a prefix lookup is a term query (no prefix or
            # range query on a keyword, which some clusters refuse).
            "rest": _KW_VALUE,
            "rest_prefixes": _KW,
        }
    elif kind == "task-overrides":
        props = {
            "task_id": _KW,
            "doc_id": _KW,
            "done": _BOOL,
            "done_on": _KW,
            "done_by": _KW_VALUE,
            "owners_set": _BOOL,
            "owners": _KW_VALUE,
            "owner_kinds": _KW,
            "cooperating_set": _BOOL,
            "cooperating": _KW_VALUE,
            "action": _STORED,
            "deadline": _KW,
            "deadline_cleared": _BOOL,
            "note": _STORED,
            "confirmed": _BOOL,
            "rejected": _BOOL,
            "updated_by": _KW_VALUE,
            "updated_at": _KW,
            # A task staff added: the stretch of text and what they said of it.
            "is_added": _BOOL,
            "added": {"type": "object", "enabled": False},
            # A decision being written: its history entries, until the task,
            # the history and the document's review state are written too
            # (ElasticStore.recover finishes it).
            "pending": _BOOL,
            "pending_changes": {"type": "object", "enabled": False},
        }
    elif kind == "task-history":
        props = {
            "task_id": _KW,
            "doc_id": _KW,
            "seq": {"type": "long"},
            "action": _KW,
            "field": _KW,
            "old": _STORED,
            "new": _STORED,
            "who": _KW_VALUE,
            "at": _KW,
        }
    elif kind == "doc-state":
        # Per document: a staff removal (soft delete, restorable) and the
        # document-wide operation being written, if any.
        props = {
            "doc_id": _KW,
            "removed": _BOOL,
            "removed_by": _KW_VALUE,
            "removed_at": _KW,
            "title": _STORED,
            "number_symbol": _KW_VALUE,
            "sources": _KW_VALUE,
            "ingested_at": _KW,
            "data": {"type": "object", "enabled": False},
            "pending": _BOOL,
            "pending_op": {"type": "object", "enabled": False},
        }
    elif kind == "doc-versions":
        # Per content id that is no longer a stored document: an earlier
        # version superseded by a later text with the same number and date
        # (relation "version"), or another file of a stored document
        # (relation "copy"); ``target`` is the document that stands for it.
        props = {
            "doc_id": _KW,
            "relation": _KW,
            "target": _KW,
            "superseded_at": _KW,
            "title": _STORED,
            "number_symbol": _KW_VALUE,
            "issue_date": _KW,
            "sources": _KW_VALUE,
            "ingested_at": _KW,
            "changes": {"type": "object", "enabled": False},
            "data": {"type": "object", "enabled": False},
            # A supersession being written: the history it owes, until the old
            # record is dropped (ElasticStore.recover finishes it).
            "pending": _BOOL,
            "pending_changes": {"type": "object", "enabled": False},
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
DEFAULT_SHARDS = {
    "docs": 1, "tasks": 1, "refs": 1, "task-overrides": 1, "task-history": 1, "doc-state": 1,
    "doc-versions": 1,
}


# -- what is stored: bodies built from the ExtractedDocument JSON, so that
# reindex() can derive them again from a record's data field.


def _title(data: Mapping[str, Any]) -> str | None:
    d = data.get("doc") or {}
    first = (data.get("text") or "").strip().split("\n", 1)[0][:200]
    return d.get("subject") or d.get("title") or (first or None)


def review_fields(
    tasks: Sequence[Mapping[str, Any]], last: tuple[str, str] | None, confirmed: bool
) -> dict[str, Any]:
    """A document's place in the review queue, from its tasks (effective values),
    the (who, at) of its latest review decision and whether staff confirmed it
    as a whole, as LocalStore's ``review_state`` counts it."""
    total = len(tasks)
    kept = sum(1 for t in tasks if t.get("review") != "rejected")
    unreviewed = sum(1 for t in tasks if t.get("review") == "unreviewed")
    reviewed = unreviewed == 0 and (total > 0 or confirmed)
    return {
        "review_total": total,
        "review_kept": kept,
        "review_unreviewed": unreviewed,
        "reviewed": reviewed,
        "reviewed_at": last[1] if reviewed and last else None,
        "reviewed_by": last[0] if reviewed and last else None,
    }


def record_body(
    data: Mapping[str, Any], sources: Sequence[str], ingested_at: str,
    review: Mapping[str, Any] | None = None,
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
        **(review or review_fields([], None, False)),
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


def kinds_for(owners: Sequence[str], kinds: Sequence[str] | None) -> list[str]:
    """Owner kinds parallel to owners: the given ones, "agency" for the rest."""
    given = list(kinds or [])[: len(owners)]
    return [*given, *["agency"] * (len(owners) - len(given))]


SORT_CHARS = 256  # sort keys of free text: their first characters


def effective(task: Mapping[str, Any], ov: Mapping[str, Any] | None) -> dict[str, Any]:
    """The task as read: extraction (or staff's addition) with the decisions applied,
    exactly as LocalStore's ``task_view`` computes it."""
    ov = ov or {}
    ex_owners = list(task.get("owners") or [])
    ex_coop = list(task.get("cooperating") or [])
    if ov.get("owners_set"):
        owners = list(ov.get("owners") or [])
        kinds = kinds_for(owners, ov.get("owner_kinds"))
    else:
        owners = ex_owners
        kinds = kinds_for(owners, task.get("owner_kinds"))
    coop = list(ov.get("cooperating") or []) if ov.get("cooperating_set") else ex_coop
    action = ov["action"] if ov.get("action") is not None else task.get("action")
    if ov.get("deadline_cleared"):
        deadline = None
    else:
        deadline = ov.get("deadline") or task.get("deadline")
    done = bool(ov.get("done"))
    done_on = ov.get("done_on") if done else None
    edited = (owners != ex_owners or coop != ex_coop or action != task.get("action")
              or deadline != task.get("deadline"))
    if ov.get("rejected"):
        review = "rejected"
    elif task.get("origin") == "added":
        review = "added"
    elif edited:
        review = "edited"
    elif ov.get("confirmed"):
        review = "confirmed"
    else:
        review = "unreviewed"
    corrected = [name for name, changed in (
        ("owners", owners != ex_owners), ("cooperating", coop != ex_coop),
        ("action", action != task.get("action")), ("deadline", deadline != task.get("deadline")),
        ("done", done),
    ) if changed]
    kept = review != "rejected"
    content = action or task.get("text") or ""
    return {
        "eff_owners": owners,
        "eff_kinds": kinds,
        "eff_cooperating": coop,
        "eff_action": action,
        "eff_deadline": deadline,
        "deadline_key": date_key(deadline),
        "done": done,
        "done_on": done_on,
        "done_by": ov.get("done_by") if done else None,
        "late": bool(done and deadline and done_on and done_on[:10] > deadline),
        "note": ov.get("note"),
        "review": review,
        "updated_by": ov.get("updated_by"),
        "updated_at": ov.get("updated_at"),
        "corrected": corrected,
        "lead_names": owners if kept else [],
        "coop_names": coop if kept else [],
        "collectives": [o for o, k in zip(owners, kinds, strict=True)
                        if k == "collective"] if kept else [],
        "owner_sort": owners[0][:SORT_CHARS] if owners else None,
        "content_sort": content[:SORT_CHARS],
    }


def _doc_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    d = data.get("doc") or {}
    return {
        "doc_number": d.get("number_symbol"),
        "doc_title": _title(data),
        "doc_date": d.get("issue_date"),
        "doc_date_key": date_key(d.get("issue_date")),
        "doc_issuer": d.get("issuer"),
        "doc_type": d.get("doc_type"),
        "doc_province": d.get("province"),
    }


def task_bodies(
    data: Mapping[str, Any], added: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """The document's tasks with LocalStore's deterministic ids (without
    decisions): the extracted ones, then those staff added (the ``added`` part
    of their overrides), in the order of their place in the text."""
    cols = _doc_columns(data)
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
                "origin": "extracted",
                "owners": list(t.get("owners") or []),
                "owner_kinds": list(t.get("owner_kinds") or []),
                "cooperating": list(t.get("cooperating") or []),
                "action": t.get("action"),
                "text": t["text"],
                "start": t["start"],
                "end": t["end"],
                "deadline": t.get("deadline"),
                "deadline_text": t.get("deadline_text"),
                "recurring": t.get("recurring"),
                "legal_basis": list(t.get("legal_basis") or []),
                "rule_id": t.get("rule_id") or None,
                "confidence": t.get("confidence"),
                "flags": list(t.get("flags") or []),
                **cols,
            }
        )
    n = len(out)
    ordered = sorted(added, key=lambda a: (a["added"]["start"], a["task_id"]))
    for k, ov in enumerate(ordered):
        a = ov["added"]
        out.append(
            {
                "id": ov["task_id"], "doc_id": data["id"], "idx": n + k, "origin": "added",
                "owners": list(a.get("owners") or []),
                "owner_kinds": list(a.get("owner_kinds") or []),
                "cooperating": list(a.get("cooperating") or []), "action": a.get("action"),
                "text": a["text"], "start": a["start"], "end": a["end"],
                "deadline": a.get("deadline"), "deadline_text": a.get("deadline_text"),
                "recurring": None, "legal_basis": [], "rule_id": None, "confidence": None,
                "flags": [], **cols,
            }
        )
    # One entry per id, as LocalStore keeps it: a task staff added whose
    # sentence extraction now finds too is the added one.
    return list({t["id"]: t for t in out}.values())


# Prefixes of a reference key's rest indexed for find_ref_keys; a longer
# prefix is looked up by its first characters and checked on the rest.
REF_PREFIX_CHARS = 64


def ref_prefixes(rest: str) -> list[str]:
    """The prefixes of a key's rest, up to ``REF_PREFIX_CHARS`` characters.

    Example:
        >>> ref_prefixes("35/2022")
        ['3', '35', '35/', '35/2', '35/20', '35/202', '35/2022']
    """
    return [rest[:n] for n in range(1, min(len(rest), REF_PREFIX_CHARS) + 1)]


def ref_bodies(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    d = data.get("doc") or {}
    text = data["text"]
    out = []
    for i, r in enumerate(data.get("legal_refs") or []):
        _type, rest = ref_parts(r["canonical"], r["type"])
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
                "rest": rest,
                "rest_prefixes": ref_prefixes(rest),
            }
        )
    return out
