"""ElasticStore: the Store protocol on Elasticsearch 8.x and 9.x.

Seven indices, each a versioned index behind an alias
(``vndoc-docs`` -> ``vndoc-docs-v2-20240601120000000000``):

* ``docs``: one record per document. Its ``data`` field (stored, never
  indexed) holds the whole ExtractedDocument JSON: for ES this index is the
  system of record, and tasks and refs are derived from it.
* ``tasks``: one per task, id from :func:`pipeline.store.base.task_id`
  exactly as LocalStore computes it, carrying the *effective* owners,
  deadline and done flag (extraction plus staff corrections).
* ``refs``: one per legal reference, with its context sentence.
* ``task-overrides`` and ``task-history``: staff corrections keyed by task
  id and the log of changes. Nothing ties them to a document, so they
  survive re-ingesting, or deleting and re-adding, the source document.
* ``doc-state``: staff removals (soft delete), kept whole for restoring.
* ``doc-versions``: content ids that are no longer stored documents: an
  earlier version superseded by a corrected re-issue (same number and date,
  pipeline/store/versions.py; staff decisions are carried to the same tasks
  of the new version), or another file merged into a stored document.

Setting up is separate from using: :meth:`ElasticStore.setup` (``vndoc
es-setup``, an admin key) puts the templates and creates the indices; a
store opened to serve or ingest only checks that they exist, so it runs
with a key that can read and write documents and nothing else.

``reindex()`` builds new versions of all five from the records, swaps every
alias in one ``update_aliases`` call, then deletes the old indices: readers
never see a missing or half-built index.

Writes go through ``helpers.streaming_bulk`` (retries with backoff on 429)
with ``require_alias`` (a missing alias is an error, never a new unmapped
index) and ``refresh=wait_for`` (the write returns once it is searchable,
and only the shards written are refreshed). An item the cluster rejects is
reported by document: the batch's other documents are written, the failed
document's other items are removed, and an :class:`ElasticBulkError` (an
IndexingError) names its source and the reason.

A correction to a task is three writes (the override, its history, the
task's effective values). The override is written first, marked pending
with the history entries it owes; :meth:`ElasticStore.recover` (run by the
API at start and by every ingest) finishes any correction a failure
interrupted, with idempotent ids, so a task is never left stale.

Pages beyond ``index.max_result_window`` are walked with ``search_after``
in a point in time, so any page LocalStore answers is answered here too.

User text never reaches a query parser: queries are built as term,
match_phrase and bool clauses from :func:`pipeline.query.plan.plan`, the same
plan LocalStore uses, so synonyms expand the same way in both stores.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from elasticsearch import (
    ApiError,
    AuthorizationException,
    Elasticsearch,
    TransportError,
)
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch.helpers import scan, streaming_bulk

from extractors.model import ExtractedDocument
from extractors.textnorm import tokens
from pipeline.query.highlight import snippets
from pipeline.query.plan import Group, QueryPlan, plan
from pipeline.settings import Settings
from pipeline.store import es_templates as tpl
from pipeline.store.base import (
    EXACT_PHRASE_BOOST,
    PHRASE_BOOST,
    REVIEW_FILTERS,
    STATUS_FILTERS,
    TASK_SORTS,
    AgencyRecord,
    DocumentVersion,
    Page,
    PutOutcome,
    RefCitation,
    SearchHit,
    SearchQuery,
    SearchResult,
    StoredDocument,
    StoreHealth,
    TaskQuery,
    TaskRecord,
    date_key,
    identity_key,
    ref_rest,
    task_id,
)
from pipeline.store.errors import BackendUnavailable, IndexingError, NotFound, QueryError
from pipeline.store.es_client import check_server
from pipeline.store.es_review import ReviewMixin
from pipeline.store.es_templates import (
    data_of,
    effective,
    record_body,
    ref_bodies,
    review_fields,
    task_bodies,
)
from pipeline.store.versions import (
    SAME_DOCUMENT_OVERLAP,
    VERSION_OVERLAP,
    carried_fields,
    compare,
    match_tasks,
    overlap,
)

_FACETS = {"doc_type": "doc_type", "issuer": "issuer", "year": "year"}
_MAX_BUCKETS = 10_000
_PAGE = 1_000
SYSTEM = "vndoc"  # who the store records as making a change itself (a new version)
# Override fields carried to the next version, by carried field
# (pipeline.store.versions.carried_fields).
_CARRY_KEYS = {
    "done": ("done",), "done_on": ("done_on",), "done_by": ("done_by",), "note": ("note",),
    "rejected": ("rejected",), "confirmed": ("confirmed",),
    "owners": ("owners_set", "owners"), "owner_kinds": ("owner_kinds",),
    "cooperating": ("cooperating_set", "cooperating"), "action": ("action",),
    "deadline": ("deadline",), "deadline_cleared": ("deadline_cleared",),
}
# Citations: newest citing document first, then by document and place.
_CITATION_SORT = [
    {"doc_date_key": {"order": "desc", "missing": 0}},
    {"doc_id": "asc"},
    {"start": "asc"},
    {"id": "asc"},
]
_NO_DEADLINE = 99_999_999  # deadline_key of a task without one, in sorts
_MAX_STRING = "\U0010ffff"  # sorts after every keyword: missing values last
_REVIEW_FILTERS = REVIEW_FILTERS
_STATUS_FILTERS = STATUS_FILTERS
# Sorting by status: overdue, due soon, open, no deadline, done late, done.
_STATUS_ORDER = ("overdue", "due_soon", "open", "no_deadline", "done_late", "done_on_time")
# TaskQuery.sort: the field and whether it is a number.
_SORT_KEYS = {
    "deadline": ("deadline_key", True), "doc_date": ("doc_date_key", True),
    "doc_number": ("doc_number", False), "issuer": ("doc_issuer", False),
    "owner": ("owner_sort", False), "content": ("content_sort", False),
    "updated_at": ("updated_at", False),
}


def now_iso_micro() -> str:
    # Microseconds: the review queue lists the newest ingest first.
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class ElasticBulkError(IndexingError):
    """Some documents of a batch were rejected; every other one was written.

    ``failures`` is a list of ``(source, reason)``; ``outcomes`` has one
    entry per input document, ``None`` for the failed ones.
    """

    def __init__(
        self, failures: list[tuple[str, str]], outcomes: list[PutOutcome | None]
    ) -> None:
        detail = "; ".join(f"{src}: {why}" for src, why in failures[:5])
        more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
        super().__init__(
            f"Elasticsearch rejected {len(failures)} document(s): {detail}{more}. "
            "The other documents were stored; fix or skip the failing ones and ingest again."
        )
        self.failures = failures
        self.outcomes = outcomes


def _reason(item: Mapping[str, Any]) -> str:
    err = item.get("error")
    if isinstance(err, dict):
        reason = f"{err.get('type', 'error')}: {err.get('reason', '')}"
        cause = err.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" ({cause['reason']})"
        return reason
    return str(err or f"status {item.get('status')}")


class ElasticStore(ReviewMixin):
    """The Store protocol on an Elasticsearch cluster.

    Example:
        >>> es = Elasticsearch("http://localhost:9200")  # doctest: +SKIP
        >>> store = ElasticStore(es, prefix="vndoc")  # doctest: +SKIP
        >>> store.put(extracted)  # doctest: +SKIP
        'added'
    """

    def __init__(
        self,
        client: Elasticsearch,
        *,
        prefix: str = "vndoc",
        shards: Mapping[str, int] | None = None,
        replicas: int = 1,
        chunk_size: int = 500,
        max_retries: int = 3,
        result_window: int = tpl.RESULT_WINDOW,
        setup: bool = False,
    ) -> None:
        if prefix != prefix.lower() or not prefix or prefix[0] in "-_+":
            raise IndexingError(
                f"index prefix {prefix!r} is not a valid Elasticsearch index name; "
                "use lowercase letters, digits and '-' (VNDOC_ES_INDEX_PREFIX)"
            )
        self.es = client
        self.prefix = prefix
        self.shards = {**tpl.DEFAULT_SHARDS, **(shards or {})}
        self.replicas = replicas
        self.chunk_size = chunk_size
        self.max_retries = max_retries
        self.result_window = result_window
        self.initial_backoff = 1.0  # seconds; doubles per retry, up to 30
        self._lock = threading.RLock()
        self._seq = itertools.count()
        self.server = check_server(client)
        if setup:
            self.setup()
        else:
            self._check_ready()

    @classmethod
    def from_settings(cls, settings: Settings, *, setup: bool = False) -> ElasticStore:
        """A store for ``VNDOC_ES_*`` settings: URL, API key or basic auth, TLS.

        ``setup=True`` (``vndoc es-setup``) also puts the templates and creates
        the indices, which needs an admin key.
        """
        if not settings.es_url:
            raise BackendUnavailable(
                "VNDOC_STORE=elasticsearch needs VNDOC_ES_URL (e.g. https://localhost:9200)"
            )
        kwargs: dict[str, Any] = {
            "request_timeout": settings.es_timeout,
            "retry_on_timeout": True,
            "max_retries": 3,
        }
        if settings.es_api_key:
            kwargs["api_key"] = settings.es_api_key.get_secret_value()
        elif settings.es_username:
            password = settings.es_password.get_secret_value() if settings.es_password else ""
            kwargs["basic_auth"] = (settings.es_username, password)
        if settings.es_url.startswith("https"):
            if settings.es_ca_certs:
                kwargs["ca_certs"] = settings.es_ca_certs
            kwargs["verify_certs"] = settings.es_verify_certs
            if not settings.es_verify_certs:
                kwargs["ssl_show_warn"] = False
        shards = {"docs": settings.es_shards} if settings.es_shards else None
        return cls(
            Elasticsearch(settings.es_url, **kwargs), prefix=settings.es_index_prefix,
            shards=shards, replicas=settings.es_replicas, setup=setup,
        )

    # -- indices -----------------------------------------------------------------
    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    def _pattern(self, kind: str) -> str:
        return f"{self.alias(kind)}-v*"

    def _new_index_name(self, kind: str, stamp: str) -> str:
        return f"{self.alias(kind)}-v{tpl.SCHEMA_VERSION}-{stamp}"

    @staticmethod
    def _stamp() -> str:
        return dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")

    def _put_templates(self) -> None:
        for kind in tpl.KINDS:
            body = tpl.template(
                kind, self._pattern(kind), shards=self.shards[kind], replicas=self.replicas,
                result_window=self.result_window,
            )
            self.es.indices.put_index_template(name=self.alias(kind), **body)

    def setup(self) -> dict[str, str]:
        """Put the templates, then create a first versioned index behind each
        missing alias (``vndoc es-setup``; needs an admin key). Idempotent.

        Returns the concrete index behind each alias.
        """
        with self._lock:
            try:
                self._put_templates()
                stamp = self._stamp()
                for kind in tpl.KINDS:
                    if self.es.indices.exists_alias(name=self.alias(kind)):
                        continue
                    try:
                        self.es.indices.create(
                            index=self._new_index_name(kind, stamp),
                            aliases={self.alias(kind): {}},
                        )
                    except ApiError as e:
                        if "resource_already_exists" not in str(e):
                            raise
                        if not self.es.indices.exists_alias(name=self.alias(kind)):
                            raise
            except ApiError as e:
                raise IndexingError(
                    f"can't create vndoc's index templates and indices ({self.prefix}-*): {e}. "
                    "vndoc es-setup needs an admin key: the cluster privileges monitor and "
                    f"manage_index_templates and all privileges on {self.prefix}-* indices. / "
                    "Không tạo được mẫu chỉ mục và chỉ mục: vndoc es-setup cần khóa quản trị."
                ) from e
            return self.indices()

    def _check_ready(self) -> None:
        """The indices exist and have this version's mappings (reads only)."""
        try:
            missing = [self.alias(k) for k in tpl.KINDS
                       if not self.es.indices.exists_alias(name=self.alias(k))]
            versions = set()
            if self.alias("docs") not in missing:
                for body in self.es.indices.get_mapping(index=self.alias("docs")).values():
                    meta = (body.get("mappings") or {}).get("_meta") or {}
                    versions.add(str(meta.get("vndoc_schema_version", "1")))
        except AuthorizationException:
            return  # a key without view_index_metadata: reads and writes tell
        if versions and versions != {tpl.SCHEMA_VERSION}:
            raise BackendUnavailable(
                f"vndoc's indices ({self.prefix}-*) have mappings of version "
                f"{', '.join(sorted(versions))}; this vndoc needs version {tpl.SCHEMA_VERSION}: "
                "run `vndoc reindex` once with an admin key. / Chỉ mục của vndoc thuộc phiên "
                "bản cũ: chạy `vndoc reindex` một lần với khóa quản trị."
            )
        if missing:
            raise BackendUnavailable(
                f"vndoc's Elasticsearch indices don't exist yet ({', '.join(missing)}): run "
                "`vndoc es-setup` once with an admin key (see docs/elasticsearch.md). / "
                "Chưa có chỉ mục của vndoc trên Elasticsearch: chạy `vndoc es-setup` một lần "
                "với khóa quản trị."
            )

    def indices(self) -> dict[str, str]:
        """The concrete index behind each alias."""
        out = {}
        for kind in tpl.KINDS:
            found = self.es.indices.get_alias(name=self.alias(kind))
            out[kind] = next(iter(found))
        return out

    def drop(self) -> None:
        """Delete this prefix's indices and templates (tests, full resets)."""
        for kind in tpl.KINDS:
            found = self.es.indices.get(
                index=self._pattern(kind), expand_wildcards="all", ignore_unavailable=True,
                allow_no_indices=True,
            )
            # Wildcard deletes are refused by default (destructive_requires_name).
            for name in sorted(found):
                self.es.options(ignore_status=404).indices.delete(index=name)
            self.es.options(ignore_status=404).indices.delete_index_template(
                name=self.alias(kind)
            )

    @property
    def _es404(self) -> Elasticsearch:
        """The client, answering 404 instead of raising it."""
        return self.es.options(ignore_status=404)

    def _get(self, kind: str, doc_id: str, **kw: Any) -> dict[str, Any] | None:
        """One entry by id, or None."""
        hit = self._es404.get(index=self.alias(kind), id=doc_id, **kw)
        return dict(hit.body) if hit.get("found") else None

    # Every write to an alias: fail instead of creating an unmapped index when
    # the alias is missing, and return once the write is searchable (only the
    # shards written are refreshed).
    _WRITE = {"require_alias": True, "refresh": "wait_for"}

    def close(self) -> None:
        self.es.close()

    def __enter__(self) -> ElasticStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- bulk ----------------------------------------------------------------------
    def _bulk(self, actions: Sequence[dict[str, Any]]) -> list[tuple[bool, str, dict[str, Any]]]:
        """Run actions on aliases; one (ok, kind, item) per action. A 404 on
        delete is ok.

        Items come back in no particular order (the helper yields retried
        items last), so callers match them by ``kind`` and ``item["_id"]``.
        """
        results: list[tuple[bool, str, dict[str, Any]]] = []
        if not actions:
            return results
        try:
            for ok, item in streaming_bulk(
                self.es,
                actions,
                chunk_size=self.chunk_size,
                max_retries=self.max_retries,
                initial_backoff=self.initial_backoff,
                max_backoff=30,
                raise_on_error=False,
                raise_on_exception=False,
                yield_ok=True,
                **self._WRITE,
            ):
                op, info = next(iter(item.items()))
                if not ok and op == "delete" and info.get("status") == 404:
                    ok = True
                results.append((ok, self._kind_of(str(info.get("_index", ""))), info))
        except (EsConnectionError, TransportError) as e:
            raise BackendUnavailable(f"lost the connection to Elasticsearch: {e}") from e
        return results

    def _kind_of(self, index: str) -> str:
        """The index kind of an alias or of a concrete versioned index name."""
        for kind in tpl.KINDS:
            alias = self.alias(kind)
            if index == alias or index.startswith(alias + "-v"):
                return kind
        return ""

    # -- writing ---------------------------------------------------------------------
    def put(self, doc: ExtractedDocument) -> PutOutcome:
        return self.put_many([doc])[0]

    def put_many(self, docs: Iterable[ExtractedDocument]) -> list[PutOutcome]:
        outcomes: list[PutOutcome | None] = []
        failures: list[tuple[str, str]] = []
        batch: list[ExtractedDocument] = []
        try:
            keys: set[tuple[str, str]] = set()
            for doc in docs:
                # Two texts with one number and date go in separate batches:
                # the second is compared with the first as stored.
                key = identity_key(doc)
                if batch and (len(batch) >= self.chunk_size or key in keys):
                    self._put_batch(batch, outcomes, failures)
                    batch, keys = [], set()
                batch.append(doc)
                if key is not None:
                    keys.add(key)
            if batch:
                self._put_batch(batch, outcomes, failures)
        except ApiError as e:
            raise IndexingError(
                f"Elasticsearch refused a write to {self.prefix}-*: {e}. If an index or alias "
                "is missing, run `vndoc es-setup` with an admin key."
            ) from e
        if failures:
            raise ElasticBulkError(failures, outcomes)
        return [o for o in outcomes if o is not None]

    def _put_batch(
        self,
        batch: list[ExtractedDocument],
        outcomes: list[PutOutcome | None],
        failures: list[tuple[str, str]],
    ) -> None:
        with self._lock:
            docs_alias = self.alias("docs")
            # Earlier versions of a stored document: the later one stays current.
            retired = self._retired([d.id for d in batch])
            present = {h["_id"] for h in self.es.mget(
                index=docs_alias, ids=list(dict.fromkeys(d.id for d in batch)),
                source=False)["docs"] if h.get("found")}
            # (A copy merged into a stored document is matched again, as LocalStore does.)
            skip = (present | {i for i, rel in retired.items() if rel == "version"}
                    | self._removed([d.id for d in batch]))
            batch, supersede, copies = self._identities(batch, skip)
            # What is stored already: records by id, and who owns each source.
            state: dict[str, list[str]] = {}
            ids = list(dict.fromkeys(d.id for d in batch))
            for hit in self.es.mget(index=docs_alias, ids=ids, source=["sources"])["docs"]:
                if hit.get("found"):
                    state[hit["_id"]] = list(hit["_source"].get("sources") or [])
            owner: dict[str, str] = {}
            srcs = list(dict.fromkeys(d.source for d in batch))
            for hit in self._scan_sorted(
                docs_alias, {"terms": {"sources": srcs}}, [{"id": "asc"}], ["sources"]
            ):
                state.setdefault(hit["_id"], list(hit["_source"].get("sources") or []))
                for s in hit["_source"].get("sources") or []:
                    owner.setdefault(s, hit["_id"])

            # Removed by staff: left removed until someone restores it.
            removed = self._removed(ids)
            gone = {d.id for d in batch if retired.get(d.id) == "version"}
            # Phase 1: new records (create: a concurrent writer's copy wins) + tasks + refs.
            new_docs: dict[str, ExtractedDocument] = {}
            for d in batch:
                if (d.id not in state and d.id not in new_docs and d.id not in removed
                        and d.id not in gone):
                    new_docs[d.id] = d
            failed: dict[str, str] = {}  # doc id -> reason
            carried: dict[str, list[tuple[str, str | None, str | None, str | None]]] = {}
            for new_id, old in supersede.items():
                if new_id in new_docs:  # staff decisions first: the new tasks read them
                    carried[new_id] = self._carry_decisions(old, new_docs[new_id].to_json())
            # The old version's entry first, marked pending: recover() finishes
            # a supersession that a failure interrupted once the new one is stored.
            retiring = {new_id: self._begin_retire(old, new_docs[new_id].to_json(),
                                                   carried[new_id])
                        for new_id, old in supersede.items() if new_id in carried}
            if new_docs:
                now = now_iso_micro()
                self._write_records(
                    {i: (d.to_json(), [d.source], now) for i, d in new_docs.items()},
                    state, failed,
                )

            # Phase 2: source bookkeeping, in input order, as LocalStore does it.
            dirty: set[str] = set()
            orphans: set[str] = set()
            written: set[str] = set()
            for d in batch:
                if d.id in failed:
                    outcomes.append(None)
                    failures.append((d.source, failed[d.id]))
                    continue
                if d.id in removed:
                    outcomes.append("removed")
                    continue
                if d.id in gone:
                    outcomes.append("unchanged")
                    continue
                prev = owner.get(d.source)
                outcome: PutOutcome
                if d.id in new_docs and d.id not in written and d.id not in state:
                    written.add(d.id)
                    state[d.id] = [d.source]
                    outcome = "added"
                    if d.id in supersede:
                        outcome = "new_version"
                        if prev == supersede[d.id]["_id"]:
                            prev = None  # the file changed in place: its next version
                else:
                    orphans.discard(d.id)
                    have = state.setdefault(d.id, [])
                    if d.source not in have:
                        have.append(d.source)
                        dirty.add(d.id)
                    outcome = "unchanged"
                if prev and prev != d.id:
                    left = state.get(prev, [])
                    if d.source in left:
                        left.remove(d.source)
                        dirty.add(prev)
                    if not left:
                        orphans.add(prev)
                    outcome = "replaced"
                owner[d.source] = d.id
                outcomes.append(outcome)
            actions = [
                {
                    "_op_type": "update",
                    "_index": docs_alias,
                    "_id": i,
                    "doc": {"sources": sorted(state[i])},
                }
                for i in sorted(dirty - orphans)
            ]
            actions += [
                {"_op_type": "delete", "_index": docs_alias, "_id": i} for i in sorted(orphans)
            ]
            for ok, _kind, info in self._bulk(actions):
                if not ok:
                    failures.append((f"document {info.get('_id')}", _reason(info)))
            if orphans:
                self._delete_derived(sorted(orphans))
            if copies:
                self._write_versions([
                    {"doc_id": alias, "relation": "copy", "target": target}
                    for alias, target in sorted(copies.items())])
            for new_id, entry in retiring.items():
                if new_id in written:
                    self._finish_retire(entry)

    def _identities(
        self, batch: list[ExtractedDocument], skip: set[str]
    ) -> tuple[list[ExtractedDocument], dict[str, dict[str, Any]], dict[str, str]]:
        """Signed documents matched with the stored ones of the same number and
        date (pipeline/store/versions.py), as LocalStore matches them.

        Returns the batch, where a file that is another copy of a stored
        document takes that document's id (one more source of it); the stored
        record each new version supersedes, by the new id; and the copies'
        own ids with the document they were merged into. Documents in
        ``skip`` (stored, retired or removed) are left as they are.
        """
        out: list[ExtractedDocument] = []
        supersede: dict[str, dict[str, Any]] = {}
        copies: dict[str, str] = {}
        for d in batch:
            key = identity_key(d)
            if key is None or d.id in skip:
                out.append(d)
                continue
            res = self.es.search(
                index=self.alias("docs"), size=20, sort=[{"id": "asc"}],
                source=["issuer", "text", "data", "sources", "ingested_at", "title",
                        "number_symbol", "issue_date"],
                query={"bool": {"filter": [
                    {"term": {"kind": "official"}},
                    {"term": {"number_symbol": key[0]}},
                    {"term": {"issue_date": key[1]}},
                ]}},
            )
            hits = [h for h in res["hits"]["hits"] if h["_id"] != d.id]
            same: str | None = None
            best: tuple[float, dict[str, Any]] | None = None
            if hits:
                words = set(tokens(d.text))
                data = d.to_json()
                for h in hits:
                    src = h["_source"]
                    if d.doc.issuer and src.get("issuer") and d.doc.issuer != src["issuer"]:
                        continue
                    share = overlap(words, set(tokens(src.get("text") or "")))
                    if share < VERSION_OVERLAP:
                        continue
                    substantive = compare(data_of(src), data).substantive
                    if not substantive and share >= SAME_DOCUMENT_OVERLAP:
                        same = h["_id"]
                        break
                    if substantive and (best is None or share > best[0]):
                        best = (share, h)
            if same is not None:
                copies[d.id] = same
                d = replace(d, id=same)
            elif best is not None:
                supersede[d.id] = best[1]
            out.append(d)
        return out, supersede, copies

    def _retired(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The relation ("version" or "copy") of these ids that are no longer
        stored documents themselves."""
        if not doc_ids:
            return {}
        res = self.es.mget(index=self.alias("doc-versions"), ids=list(dict.fromkeys(doc_ids)),
                           source=["relation"])
        return {h["_id"]: h["_source"].get("relation") or "" for h in res["docs"]
                if h.get("found")}

    def _write_versions(self, entries: Sequence[dict[str, Any]]) -> None:
        bad = [info for ok, _k, info in self._bulk([
            {"_index": self.alias("doc-versions"), "_id": e["doc_id"], "_source": e}
            for e in entries]) if not ok]
        if bad:
            raise IndexingError(
                f"can't record the versions of document {bad[0].get('_id')}: {_reason(bad[0])}")

    def _carry_decisions(
        self, old: Mapping[str, Any], data: dict[str, Any]
    ) -> list[tuple[str, str | None, str | None, str | None]]:
        """Copy staff decisions from the tasks of the superseded record ``old``
        to the same tasks of the new version ``data`` (before it is written),
        and the tasks staff added that its text still holds. Returns the
        ("carry_over", None, old task id, new task id) history rows."""
        old_id, new_id = str(old["_id"]), data["id"]
        old_data = data_of(old["_source"])
        old_tasks, new_tasks = old_data.get("tasks") or [], data.get("tasks") or []
        old_ids = [t["id"] for t in task_bodies(old_data)]
        new_ids = [t["id"] for t in task_bodies(data)]
        ovs = self._overrides(old_ids)
        actions: list[dict[str, Any]] = []
        carried: list[tuple[str, str | None, str | None, str | None]] = []
        for m in match_tasks(old_tasks, new_tasks):
            ov = ovs.get(old_ids[m.old])
            if ov is None:
                continue
            fields = carried_fields(old_tasks[m.old], new_tasks[m.new], exact=m.exact)
            body = {"task_id": new_ids[m.new], "doc_id": new_id,
                    "updated_by": ov.get("updated_by"), "updated_at": ov.get("updated_at")}
            body.update((k, ov[k]) for f in sorted(fields) for k in _CARRY_KEYS.get(f, ())
                        if k in ov)
            actions.append({"_index": self.alias("task-overrides"), "_id": body["task_id"],
                            "_source": body})
            carried.append(("carry_over", None, old_ids[m.old], new_ids[m.new]))
        used = set(new_ids)
        text = data["text"]
        added = sorted(self._added([old_id]).get(old_id, []),
                       key=lambda a: (a["added"]["start"], a["task_id"]))
        for a in added:
            sentence = a["added"]["text"]
            start = text.find(sentence)
            if start < 0:
                continue
            occ = 0
            while task_id(new_id, sentence, occ) in used:
                occ += 1
            tid = task_id(new_id, sentence, occ)
            used.add(tid)
            body = {k: v for k, v in a.items() if k not in ("pending", "pending_changes")}
            body.update(task_id=tid, doc_id=new_id,
                        added={**a["added"], "start": start, "end": start + len(sentence)})
            actions.append({"_index": self.alias("task-overrides"), "_id": tid,
                            "_source": body})
            carried.append(("carry_over", None, a["task_id"], tid))
        bad = [info for ok, _k, info in self._bulk(actions) if not ok]
        if bad:
            raise IndexingError(
                f"can't carry staff decisions to the new version of {old_id}: {_reason(bad[0])}")
        return carried

    def _begin_retire(
        self, old: Mapping[str, Any], data: dict[str, Any],
        carried: Sequence[tuple[str, str | None, str | None, str | None]],
    ) -> dict[str, Any]:
        """Record the stored ``old`` as the earlier version of ``data`` (about
        to be written), with what changed and the history it owes, marked
        pending. Returns the hit that :meth:`_finish_retire` takes."""
        old_id, new_id, src = str(old["_id"]), data["id"], old["_source"]
        old_data = data_of(src)
        now = now_iso_micro()
        at = now[:19] + "+00:00"
        base = self._seq_base(1 + len(carried))
        entries = self._entries(new_id, None, [("new_version", None, old_id, new_id)], SYSTEM,
                                at, base)
        for n, c in enumerate(carried, start=1):
            entries += self._entries(new_id, c[3], [c], SYSTEM, at, base + n)
        body = {
            "doc_id": old_id, "relation": "version", "target": new_id, "superseded_at": now,
            "title": src.get("title"), "number_symbol": src.get("number_symbol"),
            "issue_date": src.get("issue_date"), "sources": sorted(src.get("sources") or []),
            "ingested_at": src.get("ingested_at"),
            "changes": compare(old_data, data).to_json(), "data": old_data,
            "pending": True, "pending_changes": entries,
        }
        res = self.es.index(index=self.alias("doc-versions"), id=old_id, document=body,
                            **self._WRITE)
        return {"_id": old_id, "_source": body, "_seq_no": res["_seq_no"],
                "_primary_term": res["_primary_term"]}

    def _finish_retire(self, hit: Mapping[str, Any]) -> bool:
        """Drop a superseded version from every answer once its successor is
        stored: its record, tasks and references; then the history; then
        clear the pending mark. Idempotent. False while the successor isn't
        stored (its write failed: nothing to finish)."""
        old_id = str(hit["_id"])
        body = dict(hit["_source"])
        if not self.has(body["target"]):
            return False
        self._es404.delete(index=self.alias("docs"), id=old_id, refresh="wait_for")
        self._delete_derived([old_id])
        self._write_history(body.pop("pending_changes", None) or [])
        body.pop("pending", None)
        self.es.options(ignore_status=409).index(
            index=self.alias("doc-versions"), id=old_id, document=body,
            if_seq_no=hit["_seq_no"], if_primary_term=hit["_primary_term"], **self._WRITE,
        )
        return True

    def _write_records(
        self,
        items: Mapping[str, tuple[dict[str, Any], Sequence[str], str]],
        state: dict[str, list[str]] | None = None,
        failed: dict[str, str] | None = None,
    ) -> None:
        """Write new records, given as ``{id: (data, sources, ingested_at)}``,
        with their tasks (staff's added ones and every decision applied), refs
        and review state. A record someone else wrote first is left alone and
        its sources read into ``state``; a record that fails leaves nothing
        behind and its reason goes to ``failed``."""
        state = {} if state is None else state
        failed = {} if failed is None else failed
        docs_alias = self.alias("docs")
        ids = list(items)
        added = self._added(ids)
        tasks = {i: task_bodies(data, added.get(i, [])) for i, (data, _s, _a) in items.items()}
        overrides = self._overrides([t["id"] for ts in tasks.values() for t in ts])
        history = self._last_review(ids)
        actions: list[dict[str, Any]] = []
        owner: dict[tuple[str, str], str] = {}  # (kind, item id) -> document id
        for i, (data, sources, ingested_at) in items.items():
            for t in tasks[i]:
                t.update(effective(t, overrides.get(t["id"])))
            last, confirmed = history.get(i, (None, False))
            actions.append(
                {
                    "_op_type": "create",
                    "_index": docs_alias,
                    "_id": i,
                    "_source": record_body(data, sources, ingested_at,
                                           review_fields(tasks[i], last, confirmed)),
                }
            )
            owner["docs", i] = i
            for t in tasks[i]:
                actions.append({"_index": self.alias("tasks"), "_id": t["id"], "_source": t})
                owner["tasks", t["id"]] = i
            for r in ref_bodies(data):
                actions.append({"_index": self.alias("refs"), "_id": r["id"], "_source": r})
                owner["refs", r["id"]] = i
        existed: list[str] = []
        record_written: set[str] = set()
        for ok, kind, info in self._bulk(actions):
            doc_id = owner.get((kind, str(info.get("_id"))))
            if doc_id is None:  # pragma: no cover - every item has its id
                raise IndexingError(f"unexpected bulk answer for {info.get('_id')}: {info}")
            if kind == "docs":
                if ok:
                    record_written.add(doc_id)
                elif info.get("status") == 409:  # another writer stored it first
                    existed.append(doc_id)
                    continue
            if not ok and doc_id not in failed:
                failed[doc_id] = _reason(info)
        # A failed document leaves nothing behind; the ingest loop retries it.
        rollback = [i for i in failed if i not in existed]
        if rollback:
            undo = [
                {"_op_type": "delete", "_index": docs_alias, "_id": i}
                for i in rollback
                if i in record_written
            ]
            self._bulk(undo)
            self._delete_derived(rollback)
        for i in existed:
            failed.pop(i, None)
        if existed:
            for hit in self.es.mget(index=docs_alias, ids=existed, source=["sources"])["docs"]:
                if hit.get("found"):
                    state[hit["_id"]] = list(hit["_source"].get("sources") or [])

    def _source_owners(self, sources: Sequence[str]) -> dict[str, str]:
        """The stored document that each of these file names belongs to."""
        owner: dict[str, str] = {}
        if not sources:
            return owner
        for hit in self._scan_sorted(self.alias("docs"), {"terms": {"sources": list(sources)}},
                                     [{"id": "asc"}], ["sources"]):
            for src in hit["_source"].get("sources") or []:
                owner.setdefault(src, hit["_id"])
        return owner

    def _delete_derived(self, doc_ids: Sequence[str]) -> None:
        """Delete the tasks and refs of these documents (found by search: every
        write waits until it is searchable, so items written moments ago, a
        rolled-back batch, are found too)."""
        actions = []
        for kind in ("tasks", "refs"):
            for hit in self._scan_sorted(
                self.alias(kind), {"terms": {"doc_id": list(doc_ids)}}, [{"id": "asc"}], False
            ):
                actions.append(
                    {"_op_type": "delete", "_index": self.alias(kind), "_id": hit["_id"]}
                )
        bad = [info for ok, _kind, info in self._bulk(actions) if not ok]
        if bad:
            raise IndexingError(
                f"can't delete {len(bad)} task or reference entries of document(s) "
                f"{', '.join(doc_ids)}: {_reason(bad[0])}"
            )

    def _overrides(self, task_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not task_ids:
            return {}
        res = self.es.mget(index=self.alias("task-overrides"), ids=list(task_ids))
        return {h["_id"]: h["_source"] for h in res["docs"] if h.get("found")}

    def delete(self, doc_id: str) -> bool:
        with self._lock:
            res = self._es404.delete(index=self.alias("docs"), id=doc_id, refresh="wait_for")
            if res.get("result") != "deleted":
                return False
            self._delete_derived([doc_id])
            return True

    def reindex(self) -> int:
        """Rebuild every index from the records and swap the aliases atomically.

        New indices get the current templates (analysis, mappings, synonyms);
        tasks and refs are derived again from each record's ``data`` (with
        staff's added tasks and every decision applied); overrides, history
        and removed documents are copied. Writes made while this runs go to
        the old indices and are lost: run it with ingest stopped.
        """
        with self._lock:
            self._put_templates()
            # An index kind this version adds has no alias yet (an upgrade):
            # it is created and nothing is copied into it.
            old = {k: next(iter(self.es.indices.get_alias(name=self.alias(k))))
                   for k in tpl.KINDS if self.es.indices.exists_alias(name=self.alias(k))}
            stamp = self._stamp()
            new = {k: self._new_index_name(k, stamp) for k in tpl.KINDS}
            for name in new.values():
                self.es.indices.create(index=name)
            try:
                n = self._copy_into(new, set(old))
            except BaseException:
                for name in new.values():
                    self.es.options(ignore_status=404).indices.delete(index=name)
                raise
            self.es.indices.refresh(index=",".join(new.values()))
            actions: list[dict[str, Any]] = []
            for kind in tpl.KINDS:
                if kind in old:
                    actions.append({"remove": {"index": old[kind], "alias": self.alias(kind)}})
                actions.append({"add": {"index": new[kind], "alias": self.alias(kind)}})
            self.es.indices.update_aliases(actions=actions)
            for name in old.values():
                self.es.options(ignore_status=404).indices.delete(index=name)
            return n

    def _copy_into(self, new: Mapping[str, str], existing: set[str]) -> int:
        doc_of: dict[str, str | None] = {}

        def task_doc(tid: str) -> str | None:
            if tid not in doc_of:
                hit = self._get("tasks", tid, source=["doc_id"])
                doc_of[tid] = hit["_source"]["doc_id"] if hit else None
            return doc_of[tid]

        def migrated(kind: str, src: dict[str, Any]) -> dict[str, Any]:
            """Entries written by an older vndoc get what this one reads."""
            if kind in ("task-overrides", "task-history") and not src.get("doc_id"):
                src["doc_id"] = task_doc(src["task_id"]) if src.get("task_id") else None
            if kind == "task-history" and not src.get("action"):
                if src.get("field") == "done":
                    src["action"] = "done" if src.get("new") == "True" else "undone"
                else:
                    src["action"] = "edit"
            return src

        def copied(kind: str) -> Iterator[dict[str, Any]]:
            for hit in scan(self.es, index=self.alias(kind), query={"query": {"match_all": {}}}):
                yield {"_index": new[kind], "_id": hit["_id"],
                       "_source": migrated(kind, dict(hit["_source"]))}

        count = 0
        overrides_alias = self.alias("task-overrides")
        added = self._added(None)  # staff's added tasks, by document
        history = self._last_review(None)  # latest review decision, by document

        def rebuilt() -> Iterator[dict[str, Any]]:
            nonlocal count
            for hit in scan(self.es, index=self.alias("docs"), query={"query": {"match_all": {}}}):
                src = hit["_source"]
                data = data_of(src)
                count += 1
                tasks = task_bodies(data, added.get(hit["_id"], []))
                ovs = {}
                if tasks:
                    res = self.es.mget(index=overrides_alias, ids=[t["id"] for t in tasks])
                    ovs = {h["_id"]: h["_source"] for h in res["docs"] if h.get("found")}
                for t in tasks:
                    t.update(effective(t, ovs.get(t["id"])))
                last, confirmed = history.get(hit["_id"], (None, False))
                yield {
                    "_index": new["docs"],
                    "_id": hit["_id"],
                    "_source": record_body(data, src.get("sources") or [], src["ingested_at"],
                                           review_fields(tasks, last, confirmed)),
                }
                for t in tasks:
                    yield {"_index": new["tasks"], "_id": t["id"], "_source": t}
                for r in ref_bodies(data):
                    yield {"_index": new["refs"], "_id": r["id"], "_source": r}

        problems: list[str] = []
        copies = [copied(k) for k in ("task-overrides", "task-history", "doc-state",
                                      "doc-versions") if k in existing]
        for gen in (*copies, rebuilt()):
            for ok, item in streaming_bulk(
                self.es, gen, chunk_size=self.chunk_size, max_retries=self.max_retries,
                initial_backoff=self.initial_backoff, max_backoff=30, raise_on_error=False,
                raise_on_exception=False,
            ):
                if not ok:
                    info = next(iter(item.values()))
                    problems.append(f"{info.get('_id')}: {_reason(info)}")
        if problems:
            raise IndexingError(
                f"reindex failed for {len(problems)} item(s), e.g. {problems[0]}; "
                "the old indices are still in use and unchanged"
            )
        return count

    # -- reading: documents ------------------------------------------------------------
    def has(self, doc_id: str) -> bool:
        return bool(self.es.exists(index=self.alias("docs"), id=doc_id))

    def count(self) -> int:
        return int(self.es.count(index=self.alias("docs"))["count"])

    def get(self, doc_id: str) -> StoredDocument | None:
        hit = self._get("docs", doc_id, source=["data", "text", "sources", "ingested_at"])
        if hit is None:
            return None
        src = hit["_source"]
        return StoredDocument(
            id=doc_id, sources=tuple(sorted(src.get("sources") or [])), data=data_of(src),
            ingested_at=src["ingested_at"],
        )

    def resolve_id(self, doc_id: str) -> str | None:
        seen: set[str] = set()
        current = doc_id
        while current not in seen and len(seen) < 32:
            if self.has(current):
                return current
            seen.add(current)
            hit = self._get("doc-versions", current, source=["target"])
            if hit is None:
                return None
            current = hit["_source"]["target"]
        return None

    def versions(self, doc_id: str) -> list[DocumentVersion]:
        out: list[DocumentVersion] = []
        current = doc_id
        while len(out) < 100:
            res = self.es.search(
                index=self.alias("doc-versions"), size=1, source_excludes=["data"],
                query={"bool": {"filter": [{"term": {"target": current}},
                                           {"term": {"relation": "version"}}]}},
                sort=[{"superseded_at": "desc"}, {"doc_id": "asc"}],
            )
            hits = res["hits"]["hits"]
            if not hits or any(v.id == hits[0]["_id"] for v in out):
                break
            s = hits[0]["_source"]
            out.append(DocumentVersion(
                id=hits[0]["_id"], title=s.get("title"), number_symbol=s.get("number_symbol"),
                issue_date=s.get("issue_date"), sources=tuple(s.get("sources") or ()),
                ingested_at=s.get("ingested_at") or "", superseded_by=s["target"],
                superseded_at=s.get("superseded_at") or "", changes=dict(s.get("changes") or {}),
            ))
            current = hits[0]["_id"]
        return out

    def health(self) -> StoreHealth:
        """Whether the records and the derived task entries agree.

        ``documents`` and ``indexed`` are the records the cluster counts and
        finds; ``pending`` the staff decisions and new versions not yet
        fully written (``recover`` finishes them). "degraded" when the cluster can't be
        read, or the tasks index holds another number of tasks than the
        records say they have, beyond what the pending decisions explain.
        """
        try:
            res = self.es.search(index=self.alias("docs"), size=0, track_total_hits=True,
                                 aggs={"tasks": {"sum": {"field": "review_total"}}})
            indexed = int(res["hits"]["total"]["value"])
            expected = int(res["aggregations"]["tasks"]["value"] or 0)
            docs = self.count()
            tasks = int(self.es.count(index=self.alias("tasks"))["count"])
            pending = sum(int(self.es.count(index=self.alias(kind),
                                            query={"term": {"pending": True}})["count"])
                          for kind in ("task-overrides", "doc-state", "doc-versions"))
        except (ApiError, TransportError) as e:
            return StoreHealth(
                "degraded", 0, None, 0,
                f"Elasticsearch can't be read ({self.prefix}-*): {e}. Check the cluster, "
                "then run `vndoc es-setup` if an index is missing.",
            )
        if indexed != docs or abs(tasks - expected) > pending:
            return StoreHealth(
                "degraded", docs, indexed, pending,
                f"the tasks index holds {tasks} tasks and the {docs} documents have {expected}, "
                f"with {pending} decisions pending; run `vndoc reindex`",
            )
        return StoreHealth("ok", docs, indexed, pending)

    def _scan_sorted(
        self,
        index: str,
        query: dict[str, Any],
        sort: list[dict[str, Any]],
        source: list[str] | bool = True,
        *,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every hit in sort order, paged with search_after.

        The sort must end with a unique field and sort on no field that can be
        missing without a ``missing`` value: cursors never carry nulls.
        """
        after = None
        seen = 0
        page = min(_PAGE, self.result_window)
        while True:
            size = page if limit is None else min(page, limit - seen)
            if size <= 0:
                return
            kw: dict[str, Any] = {"search_after": after} if after is not None else {}
            res = self.es.search(
                index=index, query=query, sort=sort, size=size, source=source,
                track_total_hits=False, **kw,
            )
            hits = res["hits"]["hits"]
            yield from hits
            seen += len(hits)
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    def _deep_page(
        self, index: str, query: dict[str, Any], sort: list[dict[str, Any]], *,
        offset: int, size: int, **kw: Any,
    ) -> list[dict[str, Any]]:
        """Hits ``offset`` to ``offset + size`` beyond the result window: walked
        with search_after in a point in time, so every step sees one snapshot
        (only sort values travel until the page is reached)."""
        pit = self.es.open_point_in_time(index=index, keep_alive="1m")["id"]
        out: list[dict[str, Any]] = []
        try:
            after: list[Any] | None = None
            left = offset
            while left or len(out) < size:
                step = min(left or size - len(out), self.result_window)
                extra: dict[str, Any] = {"search_after": after} if after is not None else {}
                if left:
                    extra["source"] = False
                else:
                    extra.update(kw)
                res = self.es.search(
                    pit={"id": pit, "keep_alive": "1m"}, query=query, sort=sort, size=step,
                    track_total_hits=False, **extra,
                )
                pit = res.get("pit_id") or pit
                hits = res["hits"]["hits"]
                if left:
                    left -= len(hits)
                else:
                    out.extend(hits)
                if len(hits) < step:
                    break  # the end of the list
                after = hits[-1]["sort"]
            return out if not left else []
        finally:
            self.es.options(ignore_status=404).close_point_in_time(id=pit)

    def _all_terms(
        self, index: str, field: str, query: dict[str, Any] | None = None
    ) -> dict[str, int]:
        """Every value of a keyword field with its document count."""
        q = query or {"match_all": {}}
        res = self.es.search(
            index=index, query=q, size=0,
            aggs={"t": {"terms": {"field": field, "size": _MAX_BUCKETS}},
                  "n": {"cardinality": {"field": field}}},
        )
        aggs = res["aggregations"]
        if not aggs["t"].get("sum_other_doc_count"):
            return {b["key"]: int(b["doc_count"]) for b in aggs["t"]["buckets"]}
        # Too many values for one response: partitioned terms aggregations.
        parts = max(2, math.ceil(2 * int(aggs["n"]["value"]) / _MAX_BUCKETS))
        out: dict[str, int] = {}
        for p in range(parts):
            res = self.es.search(
                index=index, query=q, size=0,
                aggs={"t": {"terms": {
                    "field": field, "size": _MAX_BUCKETS,
                    "include": {"partition": p, "num_partitions": parts},
                }}},
            )
            out.update({b["key"]: int(b["doc_count"]) for b in res["aggregations"]["t"]["buckets"]})
        return out

    # -- search ---------------------------------------------------------------------------
    @staticmethod
    def _group_query(g: Group, folded: Sequence[tuple[str, float]],
                     exact: Sequence[tuple[str, float]]) -> dict[str, Any]:
        should: list[dict[str, Any]] = []
        for alt in g.alternatives:
            for field, boost in folded:
                if len(alt) == 1:
                    should.append({"term": {field: {"value": alt[0], "boost": boost}}})
                else:
                    # The plan already expanded synonyms: analyze without them.
                    should.append({"match_phrase": {field: {
                        "query": " ".join(alt), "analyzer": tpl.FOLDED, "boost": boost,
                    }}})
        if g.exact:
            for field, boost in exact:
                should.append({"term": {field: {"value": g.exact, "boost": boost}}})
        return {"bool": {"should": should, "minimum_should_match": 1}}

    def _text_query(self, p: QueryPlan, *, require_all: bool, with_title: bool) -> dict[str, Any]:
        # The same fields and boosts as LocalStore: folded title 1.5, folded
        # body 1.0, exact title 3.0, exact body 2.0; the whole query as a
        # phrase, folded (body and title) and as typed when accented.
        folded = [("text.folded", 1.0)]
        exact = [("text", 2.0)]
        if with_title:
            folded.insert(0, ("title.folded", 1.5))
            exact.insert(0, ("title", 3.0))
        groups = [self._group_query(g, folded, exact) for g in p.groups]
        phrase = []
        if len(p.folded) > 1:
            fields = [("text.folded", p.folded, tpl.FOLDED, PHRASE_BOOST)]
            if with_title:
                fields.append(("title.folded", p.folded, tpl.FOLDED, PHRASE_BOOST))
            if p.exact_phrase:
                fields.append(("text", p.exact_phrase, tpl.EXACT, EXACT_PHRASE_BOOST))
            for field, words, analyzer, boost in fields:
                # A fixed bonus for having the phrase at all (constant_score),
                # so it outranks scattered words whatever the term statistics.
                phrase.append({"constant_score": {"boost": boost, "filter": {"match_phrase": {
                    field: {"query": " ".join(words), "analyzer": analyzer},
                }}}})
        if require_all:
            return {"bool": {"must": groups, "should": phrase}}
        return {"bool": {"should": groups + phrase, "minimum_should_match": 1}}

    @staticmethod
    def _filters(query: SearchQuery) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for field in ("issuer", "doc_type", "province", "year"):
            value = getattr(query, field)
            if value:
                out.append({"term": {field: value}})
        lo, hi = date_key(query.date_from), date_key(query.date_to, end=True)
        if lo is not None or hi is not None:
            rng: dict[str, int] = {}
            if lo is not None:
                rng["gte"] = lo
            if hi is not None:
                rng["lte"] = hi
            out.append({"range": {"date_key": rng}})
        return out

    def _excluded(self, p: QueryPlan, *, with_title: bool) -> list[dict[str, Any]]:
        """NOT / -word: documents (or tasks) with any form of these are left out."""
        folded = [("text.folded", 1.0)]
        exact = [("text", 1.0)]
        if with_title:
            folded.append(("title.folded", 1.0))
            exact.append(("title", 1.0))
        return [self._group_query(g, folded, exact) for g in p.excluded]

    def _page(
        self, index: str, query: dict[str, Any], sort: list[dict[str, Any]], offset: int,
        limit: int, **kw: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of hits in sort order and the total; pages beyond the result
        window are walked in a point in time."""
        if offset + limit <= self.result_window:
            res = self.es.search(index=index, query=query, sort=sort, from_=offset, size=limit,
                                 track_total_hits=True, **kw)
            return list(res["hits"]["hits"]), int(res["hits"]["total"]["value"])
        total = int(self.es.count(index=index, query=query)["count"])
        if offset >= total or limit <= 0:
            return [], total
        return self._deep_page(index, query, sort, offset=offset, size=limit, **kw), total

    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked hits, the exact total, and facets that follow the query and
        the filters. Every word is required; a query nothing matches finds
        nothing, as in LocalStore."""
        p = plan(query.q)
        bool_q: dict[str, Any] = {"filter": self._filters(query)}
        if p.excluded:
            bool_q["must_not"] = self._excluded(p, with_title=True)
        # Numbers in every cursor: a document without a date sorts as 0.
        newest = {"date_key": {"order": "desc", "missing": 0}}
        sort: list[Any]
        if p.empty:  # newest first when there's no text to rank by
            sort = [newest, {"id": "asc"}]
        else:
            bool_q["must"] = [self._text_query(p, require_all=True, with_title=True)]
            if query.sort == "date":  # newest first, ties by relevance
                sort = [newest, {"_score": "desc"}, {"id": "asc"}]
            else:
                sort = [{"_score": "desc"}, newest, {"id": "asc"}]
        aggs = {name: {"terms": {"field": f, "size": 50}} for name, f in _FACETS.items()}
        offset = max(0, (query.page - 1) * query.size)
        deep = offset + query.size > self.result_window
        try:
            res = self.es.search(
                index=self.alias("docs"), query={"bool": bool_q}, sort=sort,
                from_=0 if deep else offset, size=0 if deep else query.size, aggs=aggs,
                track_total_hits=True, track_scores=True, source_excludes=["data"],
            )
            found = list(res["hits"]["hits"])
            if deep and offset < int(res["hits"]["total"]["value"]):
                found = self._deep_page(
                    self.alias("docs"), {"bool": bool_q}, sort, offset=offset,
                    size=query.size, source_excludes=["data"], track_scores=True,
                )
        except ApiError as e:
            if e.meta.status == 400:
                raise QueryError(f"Elasticsearch can't answer this search: {e}") from e
            raise
        hits = []
        for h in found:
            src = h["_source"]
            hits.append(
                SearchHit(
                    id=h["_id"],
                    score=float(h["_score"] or 0.0) if not p.empty and query.sort != "date"
                    else 0.0,
                    title=src.get("title"), doc_type=src.get("doc_type"),
                    number_symbol=src.get("number_symbol"), issuer=src.get("issuer"),
                    issue_date=src.get("issue_date"),
                    source=min(src.get("sources") or [""]), kind=src.get("kind") or "",
                    snippets=snippets(src["text"], p) if p.groups and query.details else (),
                )
            )
        facets = {
            name: [
                (b["key"], int(b["doc_count"]))
                for b in res["aggregations"][name]["buckets"]
                if b["key"]
            ]
            for name in _FACETS
        }
        return SearchResult(
            hits=tuple(hits), total=int(res["hits"]["total"]["value"]), facets=facets
        )

    # -- tasks -------------------------------------------------------------------------------
    def _doc_sources(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return {}
        res = self.es.mget(index=self.alias("docs"), ids=ids, source=["sources"])
        return {
            h["_id"]: min(h["_source"].get("sources") or [None])  # type: ignore[type-var]
            for h in res["docs"]
            if h.get("found")
        }

    @staticmethod
    def _task(src: Mapping[str, Any], doc_source: str | None) -> TaskRecord:
        owners = tuple(src.get("eff_owners") or ())
        return TaskRecord(
            id=src["id"], doc_id=src["doc_id"], idx=src["idx"], owners=owners,
            cooperating=tuple(src.get("eff_cooperating") or ()), action=src.get("eff_action"),
            text=src["text"], start=src["start"], end=src["end"],
            deadline=src.get("eff_deadline"), deadline_text=src.get("deadline_text"),
            recurring=src.get("recurring"), legal_basis=tuple(src.get("legal_basis") or ()),
            done=bool(src.get("done")), doc_number=src.get("doc_number"),
            doc_title=src.get("doc_title"), doc_date=src.get("doc_date"),
            doc_source=doc_source, updated_by=src.get("updated_by"),
            updated_at=src.get("updated_at"), corrected=tuple(src.get("corrected") or ()),
            owner_kinds=tuple(tpl.kinds_for(owners, src.get("eff_kinds"))),
            rule_id=src.get("rule_id"), confidence=src.get("confidence"),
            flags=tuple(src.get("flags") or ()), review=src.get("review") or "unreviewed",
            note=src.get("note"), done_on=src.get("done_on"), done_by=src.get("done_by"),
            doc_issuer=src.get("doc_issuer"), doc_type=src.get("doc_type"),
            doc_province=src.get("doc_province"),
        )

    def tasks(self, query: TaskQuery) -> list[TaskRecord]:
        return list(self.task_page(query).items)

    def _task_filters(self, query: TaskQuery) -> tuple[dict[str, Any], QueryPlan | None] | None:
        """The register's filters as one bool query (None: nothing can match)."""
        must: list[dict[str, Any]] = []
        must_not: list[dict[str, Any]] = []
        if query.owner_names is not None:
            if not query.owner_names:
                return None
            names = list(query.owner_names)
            lead = {"terms": {"lead_names": names}}
            coop = {"terms": {"coop_names": names}}
            if query.role == "lead":
                must.append(lead)
            elif query.role == "cooperating":
                must.append(coop)
            else:
                must.append({"bool": {"should": [lead, coop], "minimum_should_match": 1}})
        for field, value in (("doc_id", query.doc_id), ("doc_issuer", query.issuer),
                             ("doc_province", query.province)):
            if value:
                must.append({"term": {field: value}})
        if query.doc_ids is not None:
            if not query.doc_ids:
                return None
            must.append({"terms": {"doc_id": list(query.doc_ids)}})
        if query.recurring == "any":
            must.append({"exists": {"field": "recurring"}})
        elif query.recurring:
            must.append({"term": {"recurring": query.recurring}})
        # Dates compare as integers (deadline_key, 20240630): clusters with
        # search.allow_expensive_queries=false refuse ranges on keywords.
        for field, lo, hi in (
            ("deadline_key", date_key(query.deadline_from), date_key(query.deadline_to)),
            ("doc_date_key", date_key(query.issued_from), date_key(query.issued_to, end=True)),
        ):
            rng = {k: v for k, v in (("gte", lo), ("lte", hi)) if v is not None}
            if rng:
                must.append({"range": {field: rng}})
        if query.review not in _REVIEW_FILTERS:
            raise QueryError(
                f"unknown review filter {query.review!r}; use one of {', '.join(_REVIEW_FILTERS)}"
            )
        if query.review == "kept":
            must_not.append({"term": {"review": "rejected"}})
        elif query.review == "reviewed":
            must.append({"terms": {"review": ["confirmed", "edited", "added"]}})
        elif query.review != "any":
            must.append({"term": {"review": query.review}})
        if query.status:
            if query.status not in _STATUS_FILTERS:
                raise NotFound(
                    f"unknown status {query.status!r}; use one of {', '.join(_STATUS_FILTERS)}"
                )
            must.extend(self._status_filter(query.status, query))
        p = None
        if query.q:
            p = plan(query.q)
            if p.empty:
                return None
            must.append(self._text_query(p, require_all=True, with_title=False))
            must_not.extend(self._excluded(p, with_title=False))
        if query.sort not in TASK_SORTS:
            raise QueryError(f"unknown sort {query.sort!r}; use one of {', '.join(TASK_SORTS)}")
        return {"bool": {"must": must, "must_not": must_not}}, p

    @staticmethod
    def _status_filter(status: str, query: TaskQuery) -> list[dict[str, Any]]:
        today = query.today or dt.date.today()
        day = date_key(today.isoformat())
        soon = date_key((today + dt.timedelta(days=query.soon_days)).isoformat())
        not_done = {"term": {"done": False}}
        return {
            "open": [not_done], "pending": [not_done],
            "overdue": [not_done, {"range": {"deadline_key": {"lt": day}}}],
            "due_soon": [not_done, {"range": {"deadline_key": {"gte": day, "lte": soon}}}],
            "no_deadline": [
                not_done, {"bool": {"must_not": {"exists": {"field": "deadline_key"}}}},
            ],
            "done": [{"term": {"done": True}}],
            "done_on_time": [{"term": {"done": True}}, {"term": {"late": False}}],
            "done_late": [{"term": {"done": True}}, {"term": {"late": True}}],
        }[status]

    @staticmethod
    def _task_sort(query: TaskQuery) -> list[dict[str, Any]]:
        """The order of ``query.sort``: the key (missing values last, either way),
        then the default order, as LocalStore orders it. Every missing value
        sorts as a number or a string: cursors never carry nulls."""
        default = [
            {"deadline_key": {"order": "asc", "missing": _NO_DEADLINE}},
            {"doc_date_key": {"order": "desc", "missing": 0}},
            {"doc_id": "asc"},
            {"idx": "asc"},
        ]
        if query.sort == "default":
            if query.descending:
                return [
                    {"deadline_key": {"order": "desc", "missing": 0}},
                    {"doc_date_key": {"order": "asc", "missing": 0}},
                    {"doc_id": "desc"},
                    {"idx": "desc"},
                ]
            return default
        field, numeric = _SORT_KEYS[query.sort]
        if query.descending:
            key = {field: {"order": "desc", "missing": 0 if numeric else ""}}
        else:
            key = {field: {"order": "asc", "missing": _NO_DEADLINE if numeric else _MAX_STRING}}
        return [key, *default]

    def task_page(self, query: TaskQuery) -> Page[TaskRecord]:
        """The register: one page of tasks and the total."""
        built = self._task_filters(query)
        if built is None:
            return Page((), 0)
        q, p = built
        index = self.alias("tasks")
        if query.sort == "status":
            hits, total = self._status_page(q, query)
        elif p is not None and query.sort == "default":  # words given: best match first
            sort = [{"_score": "asc" if query.descending else "desc"}, *self._task_sort(
                TaskQuery())]
            hits, total = self._page(index, q, sort, query.offset, query.limit,
                                     track_scores=True)
        else:
            hits, total = self._page(index, q, self._task_sort(query), query.offset,
                                     query.limit)
        sources = self._doc_sources(h["_source"]["doc_id"] for h in hits)
        return Page(
            tuple(self._task(h["_source"], sources.get(h["_source"]["doc_id"])) for h in hits),
            total,
        )

    def _status_page(
        self, q: dict[str, Any], query: TaskQuery
    ) -> tuple[list[dict[str, Any]], int]:
        """Sorted by status: overdue, due soon, open, no deadline, done late, done
        (or the reverse), each in the default order; one search per status the
        page reaches."""
        order = list(reversed(_STATUS_ORDER)) if query.descending else list(_STATUS_ORDER)
        buckets = {
            name: {"bool": {"filter": [q, *self._status_filter(name, query)]}} for name in order
        }
        buckets["open"]["bool"]["must_not"] = [  # open: a deadline later than "soon"
            {"bool": {"should": [*self._status_filter("overdue", query)[1:],
                                 *self._status_filter("due_soon", query)[1:]],
                      "minimum_should_match": 1}},
            {"bool": {"must_not": {"exists": {"field": "deadline_key"}}}},
        ]
        res = self.es.search(index=self.alias("tasks"), size=0, query=q, aggs={
            "s": {"filters": {"filters": buckets}}})
        counts = {k: int(v["doc_count"]) for k, v in res["aggregations"]["s"]["buckets"].items()}
        total = sum(counts.values())
        hits: list[dict[str, Any]] = []
        skip, want = query.offset, query.limit
        for name in order:
            n = counts.get(name, 0)
            if skip >= n:
                skip -= n
                continue
            got, _ = self._page(self.alias("tasks"), buckets[name], self._task_sort(TaskQuery()),
                                skip, min(want, n - skip))
            hits.extend(got)
            want -= len(got)
            skip = 0
            if want <= 0:
                break
        return hits, total

    def get_task(self, task_id: str) -> TaskRecord | None:
        hit = self._get("tasks", task_id)
        if hit is None:
            return None
        src = hit["_source"]
        return self._task(src, self._doc_sources([src["doc_id"]]).get(src["doc_id"]))

    # -- references and agencies --------------------------------------------------------------
    def ref_keys(self) -> list[str]:
        return sorted(self._all_terms(self.alias("docs"), "ref_canonicals"))

    def citations(
        self, canonicals: Sequence[str], *, limit: int | None = None
    ) -> list[RefCitation]:
        if not canonicals or limit == 0:
            return []
        hits = self._scan_sorted(self.alias("refs"), {"terms": {"canonical": list(canonicals)}},
                                 _CITATION_SORT, limit=limit)
        return [self._citation(h["_source"]) for h in hits]

    @staticmethod
    def _citation(r: Mapping[str, Any]) -> RefCitation:
        return RefCitation(
            canonical=r["canonical"], type=r["type"], number=r.get("number"),
            doc_id=r["doc_id"], doc_title=r.get("doc_title"),
            doc_number=r.get("doc_number"), doc_date=r.get("doc_date"),
            article=r.get("article"), clause=r.get("clause"), point=r.get("point"),
            date=r.get("date"), text=r["text"], start=r["start"], end=r["end"],
            context=r["context"],
        )

    def citation_page(
        self, canonicals: Sequence[str], *, offset: int = 0, limit: int = 50
    ) -> Page[RefCitation]:
        if not canonicals:
            return Page((), 0)
        hits, total = self._page(self.alias("refs"), {"terms": {"canonical": list(canonicals)}},
                                 _CITATION_SORT, max(0, offset), max(0, limit))
        return Page(tuple(self._citation(h["_source"]) for h in hits), total)

    def find_ref_keys(self, ref_type: str | None, number_prefix: str | None) -> list[str]:
        """Keys of this type whose rest starts with the prefix: a term query on
        the indexed prefixes of each reference's rest (es_templates.ref_prefixes)."""
        prefix = ref_rest(number_prefix) if number_prefix else ""
        filters: list[dict[str, Any]] = []
        if ref_type:
            filters.append({"term": {"type": ref_type}})
        if prefix:
            filters.append({"term": {"rest_prefixes": prefix[:tpl.REF_PREFIX_CHARS]}})
        query = {"bool": {"filter": filters}}
        if len(prefix) <= tpl.REF_PREFIX_CHARS:
            return sorted(self._all_terms(self.alias("refs"), "canonical", query))
        keys = {h["_source"]["canonical"] for h in self._scan_sorted(
            self.alias("refs"), query, [{"id": "asc"}], ["canonical", "rest"])
            if (h["_source"].get("rest") or "").startswith(prefix)}
        return sorted(keys)

    def top_refs(self, limit: int = 20) -> list[tuple[str, int]]:
        # Each record lists its distinct canonicals, so a bucket's doc_count
        # is the number of citing documents (LocalStore's COUNT(DISTINCT)).
        res = self.es.search(
            index=self.alias("docs"), size=0,
            aggs={"t": {"terms": {
                "field": "ref_canonicals", "size": max(1, limit),
                "order": [{"_count": "desc"}, {"_key": "asc"}],
            }}},
        )
        buckets = res["aggregations"]["t"]["buckets"]
        pairs = sorted(((b["key"], int(b["doc_count"])) for b in buckets),
                       key=lambda kv: (-kv[1], kv[0]))
        return pairs[:limit]

    def agencies(self) -> list[AgencyRecord]:
        docs = self._all_terms(self.alias("docs"), "agency_names")
        current: dict[str, str] = {}
        for key in self._all_terms(self.alias("docs"), "agency_current"):
            name, _, cur = key.partition(tpl.SEP)
            if cur and cur > current.get(name, ""):
                current[name] = cur  # MAX(current_name), as LocalStore
        lead = self._all_terms(self.alias("tasks"), "lead_names")
        coop = self._all_terms(self.alias("tasks"), "coop_names")
        names = sorted(set(docs) | set(lead) | set(coop))
        return [
            AgencyRecord(
                name=n, current_name=current.get(n), documents=docs.get(n, 0),
                lead_tasks=lead.get(n, 0), cooperating_tasks=coop.get(n, 0),
            )
            for n in names
        ]

    def citing_documents(self, doc_id: str) -> list[RefCitation]:
        """Citations, in other stored documents, of this document's own number."""
        src = self._get("docs", doc_id, source=["number_symbol"])
        if src is None:
            return []
        number = src["_source"].get("number_symbol")
        if not number or number.startswith("/"):
            return []
        keys = self._all_terms(
            self.alias("refs"), "canonical",
            {"bool": {"filter": [{"term": {"number": number}}],
                      "must_not": [{"term": {"doc_id": doc_id}}]}},
        )
        return self.citations(sorted(keys))
