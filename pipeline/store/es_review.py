"""Staff decisions on Elasticsearch: corrections, review, additions, removals.

The ElasticStore half of the register and review protocol
(:class:`pipeline.store.base.Store`), as a mixin of
:class:`pipeline.store.elastic.ElasticStore`. The decisions are the same
rows LocalStore keeps, in the store's own indices:

* ``task-overrides``: the current decision on each task, keyed by task id
  (done, owners, cooperating, action, deadline, note, confirmed, rejected),
  and, for a task staff added, the stretch of text and what they said of it;
* ``task-history``: every decision, with who, when, before and after (the
  audit trail, ``decisions()``);
* ``doc-state``: per document, a staff removal (soft delete) with the record
  kept for ``restore_document``.

A new version of a document (``ElasticStore.put``) is several writes too:
its predecessor's entry in ``doc-versions`` is written first, marked
pending, and :meth:`recover` drops the predecessor if a failure left it
stored beside its successor.

The ``tasks`` index holds each task *as read* (``es_templates.effective``),
and each ``docs`` record its place in the review queue, so the register and
the queue are plain searches. A decision is several writes; the first one
(the override, or the document's state) records what the others will be,
marked pending, and :meth:`recover` (run by the API at start and by every
ingest) finishes whatever a failure interrupted. Every write after the
first is idempotent.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from elasticsearch import AuthorizationException, ConflictError, TransportError
from elasticsearch import ConnectionError as EsConnectionError

from pipeline.store.base import (
    REVIEW_ACTIONS,
    Decision,
    NewTask,
    Page,
    RemovedDocument,
    ReviewedDocument,
    ReviewItem,
    TaskQuery,
    TaskRecord,
    TaskUpdate,
    added_task_fields,
    free_task_id,
    json_text,
    new_task_sentence,
    padded_kinds,
    review_changes,
)
from pipeline.store.errors import BackendUnavailable, IndexingError, NotFound, QueryError
from pipeline.store.es_templates import data_of, effective, review_fields, task_bodies

if TYPE_CHECKING:
    from pipeline.store.elastic import ElasticStore as _Base
else:
    _Base = object


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _history_id(entry: Mapping[str, Any]) -> str:
    owner = entry.get("task_id") or f"doc:{entry['doc_id']}"
    return f"{owner}:{entry['seq']}"


class ReviewMixin(_Base):
    """Decisions on tasks and documents (see the module docstring)."""

    # -- sequence numbers of decisions --------------------------------------------------
    def _seq_base(self, n: int = 1) -> int:
        """``n`` increasing decision numbers (time-based, unique in this process)."""
        with self._lock:
            now = time.time_ns() // 1000 * 1000
            base = max(now, getattr(self, "_seq_next", 0))
            self._seq_next = base + max(1, n)
            return base

    def _entries(
        self, doc_id: str, tid: str | None,
        changes: Sequence[tuple[str, str | None, str | None, str | None]], who: str, at: str,
        base: int,
    ) -> list[dict[str, Any]]:
        return [
            {"task_id": tid, "doc_id": doc_id, "seq": base + n, "action": a, "field": f,
             "old": o, "new": new, "who": who, "at": at}
            for n, (a, f, o, new) in enumerate(changes)
        ]

    def _write_history(self, entries: Sequence[Mapping[str, Any]]) -> None:
        written = self._bulk([
            {"_index": self.alias("task-history"), "_id": _history_id(e), "_source": dict(e)}
            for e in entries
        ])
        bad = [info for ok, _kind, info in written if not ok]
        if bad:
            raise IndexingError(
                f"a decision is saved but its history entry was rejected: {bad[0]}; "
                "vndoc finishes it when it next starts (recover)"
            )

    # -- the review state of a document -------------------------------------------------
    def _last_review(
        self, doc_ids: Sequence[str] | None
    ) -> dict[str, tuple[tuple[str, str] | None, bool]]:
        """Per document (these, or all with None): (who, at) of its latest
        review decision, and whether staff confirmed it as a whole."""
        out: dict[str, tuple[tuple[str, str] | None, bool]] = {}
        if doc_ids is not None and not doc_ids:
            return out
        filters: list[dict[str, Any]] = [{"terms": {"action": list(REVIEW_ACTIONS)}}]
        if doc_ids is not None:
            filters.append({"terms": {"doc_id": list(doc_ids)}})
        query = {"bool": {"filter": filters}}
        for h in self._scan_sorted(self.alias("task-history"), query, [{"seq": "asc"}],
                                   ["doc_id", "action", "who", "at"]):
            s = h["_source"]
            _last, confirmed = out.get(s["doc_id"], (None, False))
            out[s["doc_id"]] = ((s["who"], s["at"]),
                                confirmed or s["action"] == "confirm_document")
        return out

    def _refresh_review(self, doc_id: str) -> None:
        """Count the document's tasks again and write its place in the queue."""
        tasks = [h["_source"] for h in self._scan_sorted(
            self.alias("tasks"), {"term": {"doc_id": doc_id}}, [{"id": "asc"}], ["review"])]
        last, confirmed = self._last_review([doc_id]).get(doc_id, (None, False))
        self._es404.update(index=self.alias("docs"), id=doc_id,
                           doc=review_fields(tasks, last, confirmed), **self._WRITE)

    # -- corrections and review of one task -------------------------------------------------
    def update_task(self, task_id: str, update: TaskUpdate, *, who: str) -> TaskRecord:
        with self._lock:
            for _attempt in range(5):
                try:
                    return self._update_task_once(task_id, update, who=who)
                except ConflictError:  # a concurrent update: read again and retry
                    time.sleep(0.05)
                except (EsConnectionError, TransportError) as e:
                    raise BackendUnavailable(
                        f"lost the connection to Elasticsearch while changing task {task_id}: "
                        f"{e}. A change that was saved is finished when vndoc next starts."
                    ) from e
            raise IndexingError(f"task {task_id} is being changed by someone else; try again")

    def _override(self, task_id: str) -> dict[str, Any] | None:
        """The task's override, after finishing a decision left pending on it."""
        hit = self._get("task-overrides", task_id)
        if hit is not None and hit["_source"].get("pending"):
            self._finish_correction(hit)
            hit = self._get("task-overrides", task_id)
        return hit

    def _update_task_once(self, task_id: str, update: TaskUpdate, *, who: str) -> TaskRecord:
        ov_hit = self._override(task_id)
        before = self.get_task(task_id)
        if before is None:
            raise NotFound(f"no task with id {task_id}")
        now = now_iso()
        changes = review_changes(before, update, today=now[:10])
        if changes:
            cas: dict[str, Any]
            if ov_hit is None:
                ov: dict[str, Any] = {"task_id": task_id, "doc_id": before.doc_id}
                cas = {"op_type": "create"}
            else:  # compare-and-set: a concurrent change makes this write fail and retry
                ov = dict(ov_hit["_source"])
                ov.setdefault("doc_id", before.doc_id)
                cas = {"if_seq_no": ov_hit["_seq_no"], "if_primary_term": ov_hit["_primary_term"]}
            for action, fld, _old, new in changes:  # what LocalStore.update_task sets
                if fld == "done":
                    done = action == "done"
                    ov["done"] = done
                    ov["done_on"] = (update.done_on or now[:10]) if done else None
                    ov["done_by"] = who if done else None
                elif fld == "done_on":
                    ov["done_on"] = new
                elif fld in ("owners", "owner_kinds"):
                    owners = list(update.owners if update.owners is not None else before.owners)
                    if update.owner_kinds is not None:
                        kinds = list(update.owner_kinds)
                    else:  # a name kept keeps its kind; a new one is an agency
                        known = dict(zip(before.owners, before.owner_kinds, strict=False))
                        kinds = [known.get(o, "agency") for o in owners]
                    ov["owners_set"] = True
                    ov["owners"] = owners
                    ov["owner_kinds"] = padded_kinds(owners, kinds)
                elif fld == "cooperating":
                    ov["cooperating_set"] = True
                    ov["cooperating"] = list(update.cooperating or ())
                elif fld == "action":
                    ov["action"] = new
                elif fld == "deadline":
                    ov["deadline"] = new
                    ov["deadline_cleared"] = new is None
                elif fld == "note":
                    ov["note"] = new
                elif fld == "review":
                    ov["confirmed"] = new == "confirmed"
                    ov["rejected"] = new == "rejected"
            ov["updated_by"], ov["updated_at"] = who, now
            # Write 1: the override, with the history it still owes.
            ov["pending"] = True
            ov["pending_changes"] = self._entries(
                before.doc_id, task_id, changes, who, now, self._seq_base(len(changes)))
            res = self.es.index(
                index=self.alias("task-overrides"), id=task_id, document=ov, **self._WRITE, **cas
            )
            self._finish_correction({"_id": task_id, "_source": ov, "_seq_no": res["_seq_no"],
                                     "_primary_term": res["_primary_term"]})
        after = self.get_task(task_id)
        if after is None:
            raise NotFound(
                f"task {task_id} was deleted while being changed; the correction is kept "
                "and applies when its document is ingested again"
            )
        return after

    def _finish_correction(self, ov_hit: Mapping[str, Any]) -> None:
        """The writes after the override: history, the task as read, the document's
        review state; then clear the pending mark. Idempotent."""
        tid = str(ov_hit["_id"])
        ov = dict(ov_hit["_source"])
        entries = list(ov.pop("pending_changes", None) or [])
        ov.pop("pending", None)
        self._write_history(entries)
        doc_id = ov.get("doc_id")
        hit = self._get("tasks", tid)
        if hit is not None:
            doc_id = doc_id or hit["_source"]["doc_id"]
            self._es404.update(index=self.alias("tasks"), id=tid,
                               doc=effective(hit["_source"], ov), **self._WRITE)
        elif ov.get("is_added") and doc_id:
            self._write_added_task(doc_id, tid, ov)
        # If the task isn't stored now (its document was deleted), the decision
        # applies when the document is ingested again.
        if doc_id:
            self._refresh_review(doc_id)
        # Clear the mark only if nobody changed the override since (409 otherwise:
        # the newer decision carries its own mark and finishes itself).
        self.es.options(ignore_status=409).index(
            index=self.alias("task-overrides"), id=tid, document=ov,
            if_seq_no=ov_hit["_seq_no"], if_primary_term=ov_hit["_primary_term"], **self._WRITE,
        )

    def _added(self, doc_ids: Sequence[str] | None) -> dict[str, list[dict[str, Any]]]:
        """The overrides of tasks staff added to these documents (all with
        None), by document."""
        out: dict[str, list[dict[str, Any]]] = {}
        if doc_ids is not None and not doc_ids:
            return out
        filters: list[dict[str, Any]] = [{"term": {"is_added": True}}]
        if doc_ids is not None:
            filters.append({"terms": {"doc_id": list(doc_ids)}})
        query = {"bool": {"filter": filters}}
        for h in self._scan_sorted(self.alias("task-overrides"), query, [{"task_id": "asc"}]):
            out.setdefault(h["_source"]["doc_id"], []).append(h["_source"])
        return out

    def _write_added_task(self, doc_id: str, tid: str, ov: Mapping[str, Any]) -> None:
        rec = self._get("docs", doc_id, source_excludes=["agency_names", "agency_current"])
        if rec is None:
            return
        data = data_of(rec["_source"])
        added = self._added([doc_id]).get(doc_id, [])
        added = [a for a in added if a["task_id"] != tid] + [dict(ov)]
        for body in task_bodies(data, added):
            if body["id"] == tid:
                body.update(effective(body, ov))
                self.es.index(index=self.alias("tasks"), id=tid, document=body, **self._WRITE)

    # -- tasks staff found ------------------------------------------------------------------
    def add_task(self, doc_id: str, task: NewTask, *, who: str) -> TaskRecord:
        with self._lock:
            rec = self._get("docs", doc_id, source=["text"])
            if rec is None:
                raise NotFound(f"no document with id {doc_id}")
            text = rec["_source"]["text"]
            sentence = new_task_sentence(text, task)
            same = self.es.search(
                index=self.alias("tasks"), size=1, source=False,
                query={"bool": {"filter": [{"term": {"doc_id": doc_id}},
                                           {"term": {"start": task.start}},
                                           {"term": {"end": task.end}}],
                                "must_not": [{"term": {"review": "rejected"}}]}},
            )["hits"]["hits"]
            if same:
                raise QueryError(f"this text is already task {same[0]['_id']} of the document")
            used = {h["_id"] for h in self._scan_sorted(
                self.alias("tasks"), {"term": {"doc_id": doc_id}}, [{"id": "asc"}], False)}
            used |= {a["task_id"] for a in self._added([doc_id]).get(doc_id, [])}
            tid = free_task_id(doc_id, sentence, used)
            now = now_iso()
            after = added_task_fields(task, sentence)
            prior = self._override(tid)
            ov: dict[str, Any] = dict(prior["_source"]) if prior else {}
            ov.update({"task_id": tid, "doc_id": doc_id, "is_added": True,
                       "added": {**after, "who": who, "at": now}, "rejected": False,
                       "updated_by": who, "updated_at": now})
            changes: list[tuple[str, str | None, str | None, str | None]] = [
                ("add", None, None, json_text(after))]
            if task.note:
                ov["note"] = task.note
                changes.append(("note", "note", None, task.note))
            ov["pending"] = True
            ov["pending_changes"] = self._entries(doc_id, tid, changes, who, now,
                                                  self._seq_base(len(changes)))
            cas = ({"if_seq_no": prior["_seq_no"], "if_primary_term": prior["_primary_term"]}
                   if prior else {"op_type": "create"})
            res = self.es.index(index=self.alias("task-overrides"), id=tid, document=ov,
                                **self._WRITE, **cas)
            self._finish_correction({"_id": tid, "_source": ov, "_seq_no": res["_seq_no"],
                                     "_primary_term": res["_primary_term"]})
            out = self.get_task(tid)
            if out is None:  # pragma: no cover - the document was deleted meanwhile
                raise NotFound(f"document {doc_id} was deleted while the task was added")
            return out

    # -- decisions on a whole document --------------------------------------------------------
    def _state(self, doc_id: str) -> dict[str, Any] | None:
        """The document's state, after finishing an operation left pending on it."""
        hit = self._get("doc-state", doc_id)
        if hit is not None and hit["_source"].get("pending"):
            self._finish_doc_op(hit)
            hit = self._get("doc-state", doc_id)
        return hit

    def _start_doc_op(self, doc_id: str, state: dict[str, Any], prior: Mapping[str, Any] | None,
                      op: dict[str, Any]) -> None:
        state.update({"doc_id": doc_id, "pending": True, "pending_op": op})
        cas = ({"if_seq_no": prior["_seq_no"], "if_primary_term": prior["_primary_term"]}
               if prior else {"op_type": "create"})
        res = self.es.index(index=self.alias("doc-state"), id=doc_id, document=state,
                            **self._WRITE, **cas)
        self._finish_doc_op({"_id": doc_id, "_source": state, "_seq_no": res["_seq_no"],
                             "_primary_term": res["_primary_term"]})

    def _finish_doc_op(self, hit: Mapping[str, Any]) -> None:
        """The writes of a document-wide decision after its first; idempotent."""
        doc_id = str(hit["_id"])
        state = dict(hit["_source"])
        op = dict(state.pop("pending_op", None) or {})
        state.pop("pending", None)
        who, at, seq = op.get("who", ""), op.get("at", ""), int(op.get("seq", 0))
        keep = True
        if op.get("op") == "confirm":
            ids = list(op.get("tasks") or [])
            for i, tid in enumerate(ids):
                ov_hit = self._get("task-overrides", tid)
                ov = dict(ov_hit["_source"]) if ov_hit else {"task_id": tid, "doc_id": doc_id}
                ov.update({"confirmed": True, "updated_by": who, "updated_at": at})
                self.es.index(index=self.alias("task-overrides"), id=tid, document=ov,
                              **self._WRITE)
                task = self._get("tasks", tid)
                if task is not None:
                    self._es404.update(index=self.alias("tasks"), id=tid,
                                       doc=effective(task["_source"], ov), **self._WRITE)
                self._write_history(self._entries(
                    doc_id, tid, [("confirm", "review", "unreviewed", "confirmed")], who, at,
                    seq + i))
            self._write_history(self._entries(
                doc_id, None, [("confirm_document", None, None, str(len(ids)))], who, at,
                seq + len(ids)))
            self._refresh_review(doc_id)
            keep = bool(state.get("removed"))
        elif op.get("op") == "remove":
            self._es404.delete(index=self.alias("docs"), id=doc_id, refresh="wait_for")
            self._delete_derived([doc_id])
            self._write_history(self._entries(
                doc_id, None, [("remove_document", None, None, state.get("title"))], who, at,
                seq))
        elif op.get("op") == "restore":
            if not self.has(doc_id):
                owned = self._source_owners(state.get("sources") or [])
                sources = [s for s in state.get("sources") or [] if s not in owned]
                self._write_records({doc_id: (state["data"], sources, state["ingested_at"])})
            self._write_history(self._entries(
                doc_id, None, [("restore_document", None, None, state.get("title"))], who, at,
                seq))
            keep = False
        client = self.es.options(ignore_status=(404, 409))
        mark = {"if_seq_no": hit["_seq_no"], "if_primary_term": hit["_primary_term"]}
        if keep:
            client.index(index=self.alias("doc-state"), id=doc_id, document=state,
                         **self._WRITE, **mark)
        else:
            client.delete(index=self.alias("doc-state"), id=doc_id, refresh="wait_for", **mark)

    def confirm_document(self, doc_id: str, *, who: str) -> int:
        with self._lock:
            if not self.has(doc_id):
                raise NotFound(f"no document with id {doc_id}")
            prior = self._state(doc_id)
            ids = [h["_id"] for h in self._scan_sorted(
                self.alias("tasks"),
                {"bool": {"filter": [{"term": {"doc_id": doc_id}},
                                     {"term": {"review": "unreviewed"}}]}},
                [{"idx": "asc"}, {"id": "asc"}], False)]
            op = {"op": "confirm", "tasks": ids, "who": who, "at": now_iso(),
                  "seq": self._seq_base(len(ids) + 1)}
            state = dict(prior["_source"]) if prior else {}
            self._start_doc_op(doc_id, state, prior, op)
            return len(ids)

    def remove_document(self, doc_id: str, *, who: str) -> bool:
        with self._lock:
            prior = self._state(doc_id)
            rec = self._get("docs", doc_id)
            if rec is None:
                return False
            src = rec["_source"]
            state = {
                "removed": True, "removed_by": who, "removed_at": now_iso(),
                "title": src.get("title"), "number_symbol": src.get("number_symbol"),
                "sources": sorted(src.get("sources") or []), "ingested_at": src["ingested_at"],
                "data": data_of(src),
            }
            op = {"op": "remove", "who": who, "at": state["removed_at"], "seq": self._seq_base()}
            self._start_doc_op(doc_id, state, prior, op)
            return True

    def restore_document(self, doc_id: str, *, who: str) -> bool:
        with self._lock:
            prior = self._state(doc_id)
            if prior is None or not prior["_source"].get("removed"):
                return False
            op = {"op": "restore", "who": who, "at": now_iso(), "seq": self._seq_base()}
            self._start_doc_op(doc_id, dict(prior["_source"]), prior, op)
            return True

    def _removed(self, doc_ids: Sequence[str]) -> set[str]:
        if not doc_ids:
            return set()
        res = self.es.mget(index=self.alias("doc-state"), ids=list(doc_ids),
                           source=["removed"])
        return {h["_id"] for h in res["docs"] if h.get("found") and h["_source"].get("removed")}

    def removed_documents(self, *, offset: int = 0, limit: int = 100) -> Page[RemovedDocument]:
        hits, total = self._page(
            self.alias("doc-state"), {"term": {"removed": True}},
            [{"removed_at": "desc"}, {"doc_id": "asc"}], offset, limit,
            source_excludes=["data"],
        )
        return Page(tuple(
            RemovedDocument(id=h["_id"], title=s.get("title"),
                            number_symbol=s.get("number_symbol"),
                            sources=tuple(s.get("sources") or ()),
                            removed_by=s.get("removed_by") or "",
                            removed_at=s.get("removed_at") or "")
            for h in hits for s in [h["_source"]]
        ), total)

    # -- the review queue and the audit trail ------------------------------------------------
    def review_queue(
        self, *, reviewed: bool = False, offset: int = 0, limit: int = 20
    ) -> Page[ReviewItem]:
        order = ([{"reviewed_at": {"order": "desc", "missing": ""}}, {"id": "asc"}] if reviewed
                 else [{"ingested_at": "desc"}, {"id": "asc"}])
        hits, total = self._page(
            self.alias("docs"), {"term": {"reviewed": reviewed}}, order, offset, limit,
            source=["title", "doc_type", "number_symbol", "issuer", "issue_date", "sources",
                    "ingested_at", "review_kept", "review_unreviewed", "reviewed_at",
                    "reviewed_by"],
        )
        return Page(tuple(
            ReviewItem(
                doc_id=h["_id"], title=s.get("title"), doc_type=s.get("doc_type"),
                number_symbol=s.get("number_symbol"), issuer=s.get("issuer"),
                issue_date=s.get("issue_date"), source=min(s.get("sources") or [None]),  # type: ignore[type-var]
                ingested_at=s["ingested_at"], tasks=int(s.get("review_kept") or 0),
                unreviewed=int(s.get("review_unreviewed") or 0),
                reviewed_at=s.get("reviewed_at"), reviewed_by=s.get("reviewed_by"),
            )
            for h in hits for s in [h["_source"]]
        ), total)

    def reviewed_documents(self) -> Iterator[ReviewedDocument]:
        ids = [(h["_id"], h["_source"].get("reviewed_at")) for h in self._scan_sorted(
            self.alias("docs"), {"term": {"reviewed": True}},
            [{"reviewed_at": {"order": "asc", "missing": ""}}, {"id": "asc"}], ["reviewed_at"])]
        edits = [a for a in REVIEW_ACTIONS if a != "confirm"]
        for doc_id, reviewed_at in ids:
            doc = self.get(doc_id)
            if doc is None:
                continue
            tasks = self.tasks(TaskQuery(doc_id=doc_id, review="any", limit=100_000))
            n = self.es.count(index=self.alias("task-history"), query={"bool": {"filter": [
                {"term": {"doc_id": doc_id}}, {"exists": {"field": "task_id"}},
                {"terms": {"action": edits}}]}})["count"]
            yield ReviewedDocument(doc=doc, tasks=tuple(sorted(tasks, key=lambda t: t.start)),
                                   reviewed_at=reviewed_at or "", decisions=int(n))

    def decisions(
        self, *, doc_id: str | None = None, task_id: str | None = None, offset: int = 0,
        limit: int = 100,
    ) -> Page[Decision]:
        filters: list[dict[str, Any]] = []
        if doc_id is not None:
            filters.append({"term": {"doc_id": doc_id}})
        if task_id is not None:
            filters.append({"term": {"task_id": task_id}})
        hits, total = self._page(self.alias("task-history"), {"bool": {"filter": filters}},
                                 [{"seq": "asc"}], offset, limit)
        return Page(tuple(
            Decision(seq=int(s["seq"]), doc_id=s.get("doc_id") or "", task_id=s.get("task_id"),
                     action=s.get("action") or "edit", field=s.get("field"), old=s.get("old"),
                     new=s.get("new"), who=s.get("who") or "", at=s.get("at") or "")
            for h in hits for s in [h["_source"]]
        ), total)

    def task_history(self, task_id: str) -> list[dict[str, Any]]:
        return [d.as_history() for d in self.decisions(task_id=task_id, limit=10_000).items]

    def collectives(self) -> list[str]:
        return sorted(self._all_terms(self.alias("tasks"), "collectives"))

    # -- recovery -----------------------------------------------------------------------------
    def recover(self) -> int:
        """Finish the decisions a failure interrupted; the number finished.

        Each bulk item is durable once acknowledged, so documents need
        nothing; a decision is several writes, and one marked pending is
        written again from its first write. Reads only, unless there is
        something to finish.
        """
        pending = [(kind, hit["_id"]) for kind in ("task-overrides", "doc-state",
                                                    "doc-versions")
                   for hit in self._scan_sorted(self.alias(kind), {"term": {"pending": True}},
                                                [{_ID[kind]: "asc"}], False)]
        done = 0
        with self._lock:
            for kind, key in pending:
                hit = self._get(kind, key)
                if hit is None or not hit["_source"].get("pending"):
                    continue  # finished meanwhile
                try:
                    if kind == "task-overrides":
                        self._finish_correction(hit)
                    elif kind == "doc-versions":
                        if not self._finish_retire(hit):
                            continue  # the new version was never stored
                    else:
                        self._finish_doc_op(hit)
                except AuthorizationException as e:
                    raise IndexingError(
                        f"{len(pending)} staff decision(s) are not finished, and this key can't "
                        f"write ({e}); run vndoc with a key that can write to {self.prefix}-*"
                    ) from e
                done += 1
        return done


_ID = {"task-overrides": "task_id", "doc-state": "doc_id", "doc-versions": "doc_id"}
