"""LocalStore: the embedded default. SQLite is the system of record; tantivy
is the full-text index derived from it.

* Each document (with its tasks, references and agencies) is written to
  SQLite in one transaction, together with an ``index_pending`` row. The
  tantivy index is updated after the commit; the pending row is removed only
  once tantivy has committed. A crash between the two leaves a pending row,
  and :meth:`LocalStore.recover` (run by the API at start and by every
  ingest) or the next writer indexes it: the index is never missing a stored
  document for long, and SQLite never holds half a document (kill -9 is
  tested in tests/reliability/test_crash.py).
* The tantivy writer lock is held only while pending rows are applied, so
  an API server and `vndoc ingest` can write to one data directory at once.
* Ids come from content, so re-ingesting a file changes nothing.
* Staff corrections to tasks live in ``task_overrides``, keyed by the
  deterministic task id and not tied to the document row, so they survive
  re-ingesting (or deleting and re-adding) the source document.
* Every field is indexed twice, exact (lowercased) and folded (diacritics
  removed, đ -> d); exact matches are boosted.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import tantivy

from extractors.errors import BackendUnavailable, IndexingError, NotFound
from extractors.model import ExtractedDocument
from extractors.textnorm import fold, tokens
from pipeline.query.highlight import snippets
from pipeline.query.plan import Group, QueryPlan, plan
from pipeline.store.base import (
    AgencyRecord,
    PutOutcome,
    RefCitation,
    SearchHit,
    SearchQuery,
    SearchResult,
    StoredDocument,
    TaskQuery,
    TaskRecord,
    TaskUpdate,
    citation_context,
    date_key,
    identity_key,
    same_document,
    task_id,
)

SCHEMA_VERSION = "1"
PHRASE_BOOST = 10.0  # the query's words as a phrase, folded
EXACT_PHRASE_BOOST = 5.0  # ... and as typed, accents included

_DDL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents(
  id TEXT PRIMARY KEY, kind TEXT, doc_type TEXT, number_symbol TEXT, issuer TEXT,
  issue_date TEXT, date_key INTEGER, province TEXT, title TEXT, text TEXT NOT NULL,
  data TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
  source TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
CREATE INDEX IF NOT EXISTS documents_number ON documents(number_symbol, issue_date);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date_key);
CREATE TABLE IF NOT EXISTS tasks(
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx INTEGER, owners TEXT, cooperating TEXT, action TEXT, text TEXT, start INTEGER,
  "end" INTEGER, deadline TEXT, deadline_text TEXT, recurring TEXT, legal_basis TEXT);
CREATE INDEX IF NOT EXISTS tasks_doc ON tasks(doc_id);
CREATE TABLE IF NOT EXISTS task_agencies(
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, agency TEXT, role TEXT);
CREATE INDEX IF NOT EXISTS task_agencies_agency ON task_agencies(agency, role);
CREATE INDEX IF NOT EXISTS task_agencies_task ON task_agencies(task_id);
CREATE TABLE IF NOT EXISTS task_overrides(
  task_id TEXT PRIMARY KEY, done INTEGER, owners TEXT, deadline TEXT,
  deadline_cleared INTEGER DEFAULT 0, updated_by TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS task_history(
  id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT, field TEXT, old TEXT, new TEXT,
  who TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS refs(
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, canonical TEXT, type TEXT,
  number TEXT, article TEXT, clause TEXT, point TEXT, date TEXT, start INTEGER, "end" INTEGER,
  text TEXT, context TEXT);
CREATE INDEX IF NOT EXISTS refs_canonical ON refs(canonical);
CREATE INDEX IF NOT EXISTS refs_doc ON refs(doc_id);
CREATE TABLE IF NOT EXISTS agencies(
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, name TEXT,
  current_name TEXT, mentions INTEGER);
CREATE INDEX IF NOT EXISTS agencies_name ON agencies(name);
CREATE INDEX IF NOT EXISTS agencies_doc ON agencies(doc_id);
CREATE TABLE IF NOT EXISTS index_pending(doc_id TEXT PRIMARY KEY, op TEXT NOT NULL);
CREATE VIEW IF NOT EXISTS task_view AS
  SELECT t.*, COALESCE(o.done, 0) AS done,
    CASE WHEN o.deadline_cleared THEN NULL ELSE COALESCE(o.deadline, t.deadline) END
      AS eff_deadline,
    COALESCE(o.owners, t.owners) AS eff_owners, o.updated_by, o.updated_at,
    d.number_symbol AS doc_number, d.title AS doc_title, d.issue_date AS doc_date,
    (SELECT MIN(source) FROM sources s WHERE s.doc_id = t.doc_id) AS doc_source
  FROM tasks t JOIN documents d ON d.id = t.doc_id
  LEFT JOIN task_overrides o ON o.task_id = t.id;
"""

_FACETS = {"doc_type": "doc_type", "issuer": "issuer", "year": "year"}

# The agencies listing (``agencies()``, and every owner filter through
# ``pipeline.query.resolve.resolve_owner``), kept by triggers in the same
# transaction as each write instead of aggregating ~10 rows per document on
# read (3-4 s at 100k documents). A row holds exactly what a GROUP BY over
# ``agencies`` and ``task_agencies`` gives (the tests check it after every kind of write):
# the triggers fire on every insert and delete of those rows, including the
# ones ON DELETE CASCADE removes (document delete, replace, owner corrections),
# and a crash rolls them back with the rest of the transaction.
AGENCY_STATS_VERSION = "1"
_AGENCY_STATS_DDL = (
    """CREATE TABLE agency_stats(
  name TEXT PRIMARY KEY NOT NULL, current_name TEXT,
  documents INTEGER NOT NULL DEFAULT 0, lead_tasks INTEGER NOT NULL DEFAULT 0,
  cooperating_tasks INTEGER NOT NULL DEFAULT 0)""",
    # A document counts once per name, however many rows it has for it.
    """CREATE TRIGGER agency_stats_agencies_ins AFTER INSERT ON agencies
WHEN NEW.name IS NOT NULL BEGIN
  INSERT INTO agency_stats(name, current_name, documents) VALUES(
    NEW.name, NEW.current_name,
    NOT EXISTS(SELECT 1 FROM agencies WHERE doc_id = NEW.doc_id AND name = NEW.name
               AND rowid != NEW.rowid))
  ON CONFLICT(name) DO UPDATE SET
    documents = documents + excluded.documents,
    current_name = CASE WHEN current_name IS NULL OR excluded.current_name > current_name
                   THEN COALESCE(excluded.current_name, current_name) ELSE current_name END;
END""",
    # current_name is MAX(current_name) of the name's rows: look again only
    # when the row that held the maximum was its last holder.
    """CREATE TRIGGER agency_stats_agencies_del AFTER DELETE ON agencies
WHEN OLD.name IS NOT NULL BEGIN
  UPDATE agency_stats SET
    documents = documents - NOT EXISTS(
      SELECT 1 FROM agencies WHERE doc_id = OLD.doc_id AND name = OLD.name),
    current_name = CASE WHEN OLD.current_name = current_name AND NOT EXISTS(
        SELECT 1 FROM agencies WHERE name = OLD.name AND current_name = OLD.current_name)
      THEN (SELECT MAX(current_name) FROM agencies WHERE name = OLD.name)
      ELSE current_name END
  WHERE name = OLD.name;
  DELETE FROM agency_stats WHERE name = OLD.name
    AND documents = 0 AND lead_tasks = 0 AND cooperating_tasks = 0;
END""",
    """CREATE TRIGGER agency_stats_task_agencies_ins AFTER INSERT ON task_agencies
WHEN NEW.agency IS NOT NULL BEGIN
  INSERT INTO agency_stats(name, lead_tasks, cooperating_tasks)
    VALUES(NEW.agency, NEW.role IS 'lead', NEW.role IS NOT 'lead')
  ON CONFLICT(name) DO UPDATE SET
    lead_tasks = lead_tasks + excluded.lead_tasks,
    cooperating_tasks = cooperating_tasks + excluded.cooperating_tasks;
END""",
    """CREATE TRIGGER agency_stats_task_agencies_del AFTER DELETE ON task_agencies
WHEN OLD.agency IS NOT NULL BEGIN
  UPDATE agency_stats SET
    lead_tasks = lead_tasks - (OLD.role IS 'lead'),
    cooperating_tasks = cooperating_tasks - (OLD.role IS NOT 'lead')
  WHERE name = OLD.agency;
  DELETE FROM agency_stats WHERE name = OLD.agency
    AND documents = 0 AND lead_tasks = 0 AND cooperating_tasks = 0;
END""",
    # Nothing updates these rows in place today; if something does, the two
    # names involved are counted again from scratch.
    *(
        f"""CREATE TRIGGER agency_stats_{table}_upd AFTER UPDATE ON {table} BEGIN
  DELETE FROM agency_stats WHERE name IN (OLD.{col}, NEW.{col});
  INSERT INTO agency_stats(name, current_name, documents, lead_tasks, cooperating_tasks)
  SELECT * FROM (
    SELECT n, (SELECT MAX(current_name) FROM agencies WHERE name = n),
      (SELECT COUNT(DISTINCT doc_id) FROM agencies WHERE name = n) AS docs,
      (SELECT COUNT(*) FROM task_agencies WHERE agency = n AND role IS 'lead') AS lead,
      (SELECT COUNT(*) FROM task_agencies WHERE agency = n AND role IS NOT 'lead') AS coop
    FROM (SELECT OLD.{col} AS n UNION SELECT NEW.{col}) WHERE n IS NOT NULL)
  WHERE docs + lead + coop > 0;
END"""
        for table, col in (("agencies", "name"), ("task_agencies", "agency"))
    ),
)
_AGENCY_STATS_OBJECTS = (
    ("trigger", "agency_stats_agencies_ins"), ("trigger", "agency_stats_agencies_del"),
    ("trigger", "agency_stats_task_agencies_ins"), ("trigger", "agency_stats_task_agencies_del"),
    ("trigger", "agency_stats_agencies_upd"), ("trigger", "agency_stats_task_agencies_upd"),
    ("table", "agency_stats"),
)
# The same figures from scratch: the backfill of an older store, and `reindex`.
_AGENCY_STATS_FILL = """
INSERT INTO agency_stats(name, current_name, documents, lead_tasks, cooperating_tasks)
SELECT name, MAX(cur), SUM(docs), SUM(lead), SUM(coop) FROM (
  SELECT name, MAX(current_name) AS cur, COUNT(DISTINCT doc_id) AS docs, 0 AS lead, 0 AS coop
    FROM agencies WHERE name IS NOT NULL GROUP BY name
  UNION ALL
  SELECT agency, NULL, 0, SUM(role IS 'lead'), SUM(role IS NOT 'lead')
    FROM task_agencies WHERE agency IS NOT NULL GROUP BY agency)
GROUP BY name
"""



def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("kind", stored=True, tokenizer_name="raw")  # doc | task
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    for name in ("title", "title_f", "body", "body_f"):
        sb.add_text_field(name, stored=False, tokenizer_name="default", index_option="position")
    for name in ("doc_type", "issuer", "province", "year"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("date", stored=True, indexed=True, fast=True)
    return sb.build()


class LocalStore:
    """SQLite + tantivy under one data directory.

    Example:
        >>> store = LocalStore(Path("data"))
        >>> store.put(extracted)
        'added'
    """

    def __init__(self, data_dir: Path | str, *, writer_heap: int = 64_000_000) -> None:
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._db_path = self.dir / "vndoc.sqlite3"
        self._index_dir = self.dir / "index"
        self._index_dir.mkdir(exist_ok=True)
        self._local = threading.local()
        self._lock = threading.RLock()
        self._writer_heap = writer_heap
        self._reloaded: object = None  # meta.json stamp the searcher last saw
        self._cache: dict[str, tuple[str, Any]] = {}
        with self._lock:
            conn = self._conn()
            conn.executescript(_DDL)
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', ?)",
                (SCHEMA_VERSION,),
            )
            conn.commit()
            self._ensure_agency_stats(conn)
        self._schema = _schema()
        try:
            self._index = tantivy.Index(self._schema, path=str(self._index_dir), reuse=True)
        except (OSError, ValueError) as e:
            raise BackendUnavailable(
                f"can't open the search index in {self._index_dir}: {e}. "
                "Run `vndoc reindex` to rebuild it from SQLite."
            ) from e

    def _ensure_agency_stats(self, conn: sqlite3.Connection) -> None:
        """Create the agencies listing and its triggers once, filled from the rows.

        A store written before the table existed is counted once, in the
        same transaction that creates the triggers (about as long as one
        cold listing used to take: a few seconds at 100k documents).
        """

        def current() -> bool:
            row = conn.execute("SELECT value FROM meta WHERE key = 'agency_stats'").fetchone()
            return row is not None and row[0] == AGENCY_STATS_VERSION

        if current():
            return
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                if current():  # another process did it meanwhile
                    return
                self._rebuild_agency_stats(conn)
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES('agency_stats', ?)",
                    (AGENCY_STATS_VERSION,),
                )
        except sqlite3.OperationalError as e:
            raise BackendUnavailable(
                f"can't prepare the agencies listing in {self._db_path}: {e}; another "
                "process is writing to this store, try again when it has finished"
            ) from e

    def _rebuild_agency_stats(self, conn: sqlite3.Connection) -> None:
        """Drop and recreate the table and triggers, then count (inside a transaction)."""
        for kind, name in _AGENCY_STATS_OBJECTS:
            conn.execute(f"DROP {kind.upper()} IF EXISTS {name}")
        for stmt in _AGENCY_STATS_DDL:
            conn.execute(stmt)
        conn.execute(_AGENCY_STATS_FILL)
        self._bump(conn)

    # -- connections ---------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._db_path, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def _get_writer(self, *, wait_s: float = 30.0) -> tantivy.IndexWriter:
        """Take the index's writer lock, waiting up to wait_s for another writer.

        The lock is held only while pending rows are applied (see
        :meth:`_release_writer`), so an API server and `vndoc ingest` can both
        write to one data directory.
        """
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return self._index.writer(self._writer_heap, 1)
            except ValueError as e:  # another process holds the lock
                if time.monotonic() >= deadline:
                    raise BackendUnavailable(
                        f"the search index in {self._index_dir} is locked by another "
                        f"writer ({e}); wait for the other ingest to finish"
                    ) from e
                time.sleep(0.1)

    @staticmethod
    def _release_writer(writer: tantivy.IndexWriter) -> None:
        # Consumes the writer: its threads finish and the lock file is released.
        writer.wait_merging_threads()

    def close(self) -> None:
        with self._lock:
            conn = getattr(self._local, "conn", None)
            if conn is not None:
                conn.close()
                self._local.conn = None

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------
    def put(self, doc: ExtractedDocument) -> PutOutcome:
        outcome = self._write_sql(doc)
        if outcome != "unchanged":
            self._flush_pending()
        return outcome

    def put_many(self, docs: Iterable[ExtractedDocument]) -> list[PutOutcome]:
        outcomes = []
        pending = 0
        for doc in docs:
            outcome = self._write_sql(doc)
            outcomes.append(outcome)
            if outcome != "unchanged":
                pending += 1
            if pending >= 200:
                self._flush_pending()
                pending = 0
        if pending:
            self._flush_pending()
        return outcomes

    def _write_sql(self, doc: ExtractedDocument) -> PutOutcome:
        """Write one document in one SQLite transaction."""
        with self._lock:
            conn = self._conn()
            try:
                with conn:  # one transaction
                    conn.execute("BEGIN IMMEDIATE")
                    prev = conn.execute(
                        "SELECT doc_id FROM sources WHERE source = ?", (doc.source,)
                    ).fetchone()
                    exists = conn.execute(
                        "SELECT 1 FROM documents WHERE id = ?", (doc.id,)
                    ).fetchone()
                    if exists:
                        conn.execute(
                            "INSERT OR IGNORE INTO sources(source, doc_id) VALUES(?, ?)",
                            (doc.source, doc.id),
                        )
                        if prev and prev["doc_id"] != doc.id:
                            conn.execute(
                                "UPDATE sources SET doc_id = ? WHERE source = ?",
                                (doc.id, doc.source),
                            )
                            self._drop_orphan(conn, prev["doc_id"])
                        return "unchanged" if not prev or prev["doc_id"] == doc.id else "replaced"
                    same = self._same_official_document(conn, doc)
                    if same is not None and (not prev or prev["doc_id"] == same):
                        # The same signed document in another file (a PDF and a
                        # DOCX of one Công văn): one document, two sources.
                        conn.execute(
                            "INSERT OR REPLACE INTO sources(source, doc_id) VALUES(?, ?)",
                            (doc.source, same),
                        )
                        return "unchanged"
                    self._insert(conn, doc)
                    outcome: PutOutcome = "added"
                    if prev and prev["doc_id"] != doc.id:
                        conn.execute(
                            "UPDATE sources SET doc_id = ? WHERE source = ?", (doc.id, doc.source)
                        )
                        self._drop_orphan(conn, prev["doc_id"])
                        outcome = "replaced"
                    else:
                        conn.execute(
                            "INSERT OR REPLACE INTO sources(source, doc_id) VALUES(?, ?)",
                            (doc.source, doc.id),
                        )
                    conn.execute(
                        "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'add')",
                        (doc.id,),
                    )
                    self._bump(conn)
                    return outcome
            except sqlite3.Error as e:
                raise IndexingError(f"can't store {doc.source}: {e}") from e

    @staticmethod
    def _same_official_document(conn: sqlite3.Connection, doc: ExtractedDocument) -> str | None:
        """The stored copy of this signed document, read from another file.

        An official document is identified by its number, issuer and date,
        but only a file that also says the same thing is the same document
        (a PDF and a DOCX of one Công văn): most of their words must agree.
        """
        key = identity_key(doc)
        if key is None:
            return None
        words = set(tokens(doc.text))
        for row in conn.execute(
            "SELECT id, issuer, text FROM documents WHERE kind = 'official'"
            " AND number_symbol = ? AND issue_date = ? ORDER BY id",
            key,
        ):
            if same_document(doc, row["issuer"], row["text"], words=words):
                return str(row["id"])
        return None

    def _drop_orphan(self, conn: sqlite3.Connection, doc_id: str) -> None:
        left = conn.execute("SELECT 1 FROM sources WHERE doc_id = ?", (doc_id,)).fetchone()
        if not left:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            conn.execute(
                "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'delete')", (doc_id,)
            )

    def _insert(self, conn: sqlite3.Connection, doc: ExtractedDocument) -> None:
        d = doc.doc
        data = doc.to_json()
        title = d.subject or d.title or (doc.text.strip().split("\n", 1)[0][:200] or None)
        conn.execute(
            "INSERT INTO documents(id, kind, doc_type, number_symbol, issuer, issue_date,"
            " date_key, province, title, text, data, ingested_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id, str(d.kind), d.doc_type, d.number_symbol, d.issuer, d.issue_date,
                date_key(d.issue_date), d.province, title, doc.text,
                json.dumps(data, ensure_ascii=False), _now(),
            ),
        )
        seen: dict[str, int] = {}
        for idx, t in enumerate(doc.tasks):
            occ = seen.get(t.text, 0)
            seen[t.text] = occ + 1
            tid = task_id(doc.id, t.text, occ)
            conn.execute(
                "INSERT OR REPLACE INTO tasks(id, doc_id, idx, owners, cooperating, action, text,"
                ' start, "end", deadline, deadline_text, recurring, legal_basis)'
                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    tid, doc.id, idx, json.dumps(list(t.owners), ensure_ascii=False),
                    json.dumps(list(t.cooperating), ensure_ascii=False), t.action, t.text,
                    t.start, t.end, t.deadline, t.deadline_text,
                    str(t.recurring) if t.recurring else None,
                    json.dumps(list(t.legal_basis), ensure_ascii=False),
                ),
            )
            ov = conn.execute(
                "SELECT owners FROM task_overrides WHERE task_id = ?", (tid,)
            ).fetchone()
            owners = json.loads(ov["owners"]) if ov and ov["owners"] else list(t.owners)
            self._set_task_agencies(conn, tid, owners, list(t.cooperating))
        for r in doc.legal_refs:
            conn.execute(
                "INSERT INTO refs(doc_id, canonical, type, number, article, clause, point, date,"
                ' start, "end", text, context) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)',
                (
                    doc.id, r.canonical, r.type, r.number, r.article, r.clause, r.point, r.date,
                    r.start, r.end, r.text, citation_context(doc.text, r.start, r.end),
                ),
            )
        for a in doc.agencies:
            conn.execute(
                "INSERT INTO agencies(doc_id, name, current_name, mentions) VALUES(?,?,?,?)",
                (doc.id, a.name, a.current_name, len(a.mentions)),
            )

    @staticmethod
    def _set_task_agencies(
        conn: sqlite3.Connection, tid: str, owners: list[str], coop: list[str]
    ) -> None:
        conn.execute("DELETE FROM task_agencies WHERE task_id = ?", (tid,))
        conn.executemany(
            "INSERT INTO task_agencies(task_id, agency, role) VALUES(?,?,?)",
            [(tid, o, "lead") for o in owners] + [(tid, c, "cooperating") for c in coop],
        )

    def delete(self, doc_id: str) -> bool:
        with self._lock:
            conn = self._conn()
            with conn:
                cur = conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                if cur.rowcount:
                    conn.execute(
                        "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'delete')",
                        (doc_id,),
                    )
                    self._bump(conn)
            if cur.rowcount:
                self._flush_pending()
            return bool(cur.rowcount)

    def _tantivy_docs(self, conn: sqlite3.Connection, doc_id: str) -> list[tantivy.Document]:
        row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return []
        title = row["title"] or ""
        year = (row["issue_date"] or "")[:4]
        common: dict[str, Any] = {
            "doc_type": row["doc_type"] or "",
            "issuer": row["issuer"] or "",
            "province": row["province"] or "",
            "year": year,
        }
        if row["date_key"] is not None:
            common["date"] = int(row["date_key"])
        out = [
            tantivy.Document(
                id=doc_id, kind="doc", doc_id=doc_id, title=title, title_f=fold(title),
                body=row["text"], body_f=fold(row["text"]), **common,
            )
        ]
        for t in conn.execute("SELECT id, text FROM tasks WHERE doc_id = ?", (doc_id,)):
            out.append(
                tantivy.Document(
                    id=t["id"], kind="task", doc_id=doc_id, body=t["text"],
                    body_f=fold(t["text"]), **common,
                )
            )
        return out

    def _flush_pending(self, *, wait_s: float = 30.0) -> int:
        """Apply pending index operations (anyone's), then forget them."""
        with self._lock:
            conn = self._conn()
            pending = conn.execute("SELECT doc_id, op FROM index_pending").fetchall()
            if not pending:
                return 0
            writer = self._get_writer(wait_s=wait_s)
            try:
                for row in pending:
                    writer.delete_documents_by_term("doc_id", row["doc_id"])
                    if row["op"] == "add":
                        for tdoc in self._tantivy_docs(conn, row["doc_id"]):
                            writer.add_document(tdoc)
                writer.commit()
            finally:
                self._release_writer(writer)
            with conn:
                conn.executemany(
                    "DELETE FROM index_pending WHERE doc_id = ? AND op = ?",
                    [(r["doc_id"], r["op"]) for r in pending],
                )
            self._index.reload()
            return len(pending)

    def recover(self) -> int:
        """Index whatever a crashed writer left pending. Returns the count.

        Never waits: when another process holds the index lock, that writer
        applies every pending row itself on its next flush.
        """
        try:
            return self._flush_pending(wait_s=0)
        except BackendUnavailable:
            return 0

    def reindex(self) -> int:
        """Rebuild the tantivy index from SQLite. Returns the document count."""
        with self._lock:
            conn = self._conn()
            writer = self._get_writer()
            try:
                writer.delete_all_documents()
                n = 0
                for row in conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
                    for tdoc in self._tantivy_docs(conn, row["id"]):
                        writer.add_document(tdoc)
                    n += 1
                writer.commit()
            finally:
                self._release_writer(writer)
            with conn:
                conn.execute("DELETE FROM index_pending")
            with conn:  # and the agencies listing, counted again from the rows
                conn.execute("BEGIN IMMEDIATE")
                self._rebuild_agency_stats(conn)
            self._index.reload()
            return n

    # -- reading ---------------------------------------------------------------
    def has(self, doc_id: str) -> bool:
        row = self._conn().execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,))
        return row.fetchone() is not None

    def count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def get(self, doc_id: str) -> StoredDocument | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT data, ingested_at FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        sources = tuple(
            r[0]
            for r in conn.execute(
                "SELECT source FROM sources WHERE doc_id = ? ORDER BY source", (doc_id,)
            )
        )
        return StoredDocument(
            id=doc_id, sources=sources, data=json.loads(row["data"]),
            ingested_at=row["ingested_at"],
        )

    def _searcher(self) -> tantivy.Searcher:
        # Every commit, this process's or another's, rewrites meta.json: one
        # stat tells whether the searcher must be reloaded to see it.
        try:
            st = (self._index_dir / "meta.json").stat()
            stamp: object = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp != self._reloaded:
            self._index.reload()
            self._reloaded = stamp
        return self._index.searcher()

    def _group_query(self, g: Group) -> tantivy.Query:
        s = self._schema
        alts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for alt in g.alternatives:
            for field, boost in (("title_f", 1.5), ("body_f", 1.0)):
                q = (
                    tantivy.Query.term_query(s, field, alt[0])
                    if len(alt) == 1
                    else tantivy.Query.phrase_query(s, field, list(alt))
                )
                alts.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
        if g.exact:
            for field, boost in (("title", 3.0), ("body", 2.0)):
                q = tantivy.Query.term_query(s, field, g.exact)
                alts.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
        return tantivy.Query.boolean_query(alts)

    def _text_query(self, p: QueryPlan, *, require_all: bool) -> tantivy.Query:
        occur = tantivy.Occur.Must if require_all else tantivy.Occur.Should
        clauses = [(occur, self._group_query(g)) for g in p.groups]
        if len(p.folded) > 1:
            # The words together, in order, outrank the words scattered: a
            # document naming "Sở Tài chính" beats one with "số", "tài" and
            # "chính" apart. The user's own accents, when typed, count more.
            for field, words, boost in (
                ("body_f", list(p.folded), PHRASE_BOOST),
                ("title_f", list(p.folded), PHRASE_BOOST),
                ("body", p.exact_phrase, EXACT_PHRASE_BOOST),
            ):
                if words and len(words) > 1:
                    phrase = tantivy.Query.phrase_query(self._schema, field, words)
                    clauses.append(
                        (tantivy.Occur.Should, tantivy.Query.boost_query(phrase, boost))
                    )
        return tantivy.Query.boolean_query(clauses)

    def _filters(
        self, kind: str, query: SearchQuery | None = None, *, doc_id: str | None = None
    ) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        s = self._schema
        must = [(tantivy.Occur.Must, tantivy.Query.term_query(s, "kind", kind))]
        if doc_id:
            must.append((tantivy.Occur.Must, tantivy.Query.term_query(s, "doc_id", doc_id)))
        if query is None:
            return must
        for field in ("issuer", "doc_type", "province"):
            value = getattr(query, field)
            if value:
                must.append((tantivy.Occur.Must, tantivy.Query.term_query(s, field, value)))
        lo, hi = date_key(query.date_from), date_key(query.date_to, end=True)
        if lo is not None or hi is not None:
            must.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.range_query(s, "date", tantivy.FieldType.Integer, lo, hi),
                )
            )
        return must

    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked hits, the exact total, and facets.

        Where the time goes at 100k documents (BENCHMARKS.md, bench/perf.py):
        tantivy scores every document that matches, whether or not it counts
        them (a conjunction can't skip documents), so the exact total costs
        nothing extra; the phrase boosts are most of the scoring, and the
        facets are a second pass over the matches.
        """
        p = plan(query.q)
        searcher = self._searcher()
        filters = self._filters("doc", query)
        offset = (query.page - 1) * query.size
        if p.empty:  # newest first when there's no text to rank by
            full = tantivy.Query.boolean_query(filters)
            result = searcher.search(
                full, limit=query.size, count=True, offset=offset, order_by_field="date"
            )
        else:
            full = tantivy.Query.boolean_query(
                [*filters, (tantivy.Occur.Must, self._text_query(p, require_all=True))]
            )
            result = searcher.search(full, limit=query.size, count=True, offset=offset)
            if result.count == 0 and len(p.groups) > 1:
                # Nothing has every word: fall back to any word, best first.
                full = tantivy.Query.boolean_query(
                    [*filters, (tantivy.Occur.Must, self._text_query(p, require_all=False))]
                )
                result = searcher.search(full, limit=query.size, count=True, offset=offset)
        ids = [searcher.doc(addr).to_dict()["id"][0] for _, addr in result.hits]
        scores = [float(score) if not p.empty else 0.0 for score, _ in result.hits]
        rows = self._doc_rows(ids)
        hits = []
        for doc_id, score in zip(ids, scores, strict=True):
            row = rows.get(doc_id)
            if row is None:  # deleted after the index snapshot
                continue
            hits.append(
                SearchHit(
                    id=doc_id, score=score, title=row["title"], doc_type=row["doc_type"],
                    number_symbol=row["number_symbol"], issuer=row["issuer"],
                    issue_date=row["issue_date"], source=row["source"] or "", kind=row["kind"],
                    snippets=snippets(row["text"], query.q) if query.q else (),
                )
            )
        aggs = {
            name: {"terms": {"field": field, "size": 50}} for name, field in _FACETS.items()
        }
        raw = searcher.aggregate(full, aggs)
        facets = {
            name: [
                (b["key"], int(b["doc_count"]))
                for b in raw.get(name, {}).get("buckets", [])
                if b["key"]
            ]
            for name in _FACETS
        }
        return SearchResult(hits=tuple(hits), total=int(result.count), facets=facets)

    def _doc_rows(self, ids: Sequence[str]) -> dict[str, sqlite3.Row]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            "SELECT id, kind, title, doc_type, number_symbol, issuer, issue_date, text,"
            " (SELECT MIN(source) FROM sources s WHERE s.doc_id = d.id) AS source"
            f" FROM documents d WHERE id IN ({marks})",
            list(ids),
        )
        return {r["id"]: r for r in rows}

    def _task_ids_matching(self, q: str, doc_id: str | None) -> list[str]:
        p = plan(q)
        if p.empty:
            return []
        searcher = self._searcher()
        full = tantivy.Query.boolean_query(
            [
                *self._filters("task", doc_id=doc_id),
                (tantivy.Occur.Must, self._text_query(p, require_all=True)),
            ]
        )
        result = searcher.search(full, limit=10_000, count=False)
        return [searcher.doc(addr).to_dict()["id"][0] for _, addr in result.hits]

    @staticmethod
    def _task(row: sqlite3.Row) -> TaskRecord:
        corrected = []
        extracted_owners = json.loads(row["owners"])
        owners = json.loads(row["eff_owners"])
        if owners != extracted_owners:
            corrected.append("owners")
        if row["eff_deadline"] != row["deadline"]:
            corrected.append("deadline")
        if row["done"]:
            corrected.append("done")
        return TaskRecord(
            id=row["id"], doc_id=row["doc_id"], idx=row["idx"], owners=tuple(owners),
            cooperating=tuple(json.loads(row["cooperating"])), action=row["action"],
            text=row["text"], start=row["start"], end=row["end"],
            deadline=row["eff_deadline"], deadline_text=row["deadline_text"],
            recurring=row["recurring"], legal_basis=tuple(json.loads(row["legal_basis"])),
            done=bool(row["done"]), doc_number=row["doc_number"], doc_title=row["doc_title"],
            doc_date=row["doc_date"], doc_source=row["doc_source"],
            updated_by=row["updated_by"], updated_at=row["updated_at"],
            corrected=tuple(corrected),
        )

    def tasks(self, query: TaskQuery) -> list[TaskRecord]:
        where, args = ["1=1"], []
        if query.owner_names is not None:
            if not query.owner_names:
                return []
            marks = ",".join("?" * len(query.owner_names))
            role_sql = "" if query.role == "any" else " AND role = ?"
            where.append(
                f"id IN (SELECT task_id FROM task_agencies WHERE agency IN ({marks}){role_sql})"
            )
            args.extend(query.owner_names)
            if query.role != "any":
                args.append("lead" if query.role == "lead" else "cooperating")
        if query.doc_id:
            where.append("doc_id = ?")
            args.append(query.doc_id)
        if query.deadline_from:
            where.append("eff_deadline >= ?")
            args.append(query.deadline_from)
        if query.deadline_to:
            where.append("eff_deadline <= ?")
            args.append(query.deadline_to)
        rank: dict[str, int] | None = None
        if query.q:
            ids = self._task_ids_matching(query.q, query.doc_id)
            if not ids:
                return []
            rank = {tid: i for i, tid in enumerate(ids)}
            where.append(f"id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        today = query.today or dt.date.today()
        iso = today.isoformat()
        soon = (today + dt.timedelta(days=query.soon_days)).isoformat()
        status_sql = {
            "done": "done = 1",
            "open": "done = 0",
            "pending": "done = 0",
            "overdue": "done = 0 AND eff_deadline IS NOT NULL AND eff_deadline < ?",
            "due_soon": "done = 0 AND eff_deadline >= ? AND eff_deadline <= ?",
            "no_deadline": "done = 0 AND eff_deadline IS NULL",
        }
        if query.status:
            if query.status not in status_sql:
                raise NotFound(
                    f"unknown status {query.status!r}; use one of {', '.join(status_sql)}"
                )
            where.append(status_sql[query.status])
            if query.status == "overdue":
                args.append(iso)
            elif query.status == "due_soon":
                args.extend([iso, soon])
        sql = (
            f"SELECT * FROM task_view WHERE {' AND '.join(where)}"
            " ORDER BY eff_deadline IS NULL, eff_deadline, doc_date DESC, doc_id, idx LIMIT ?"
        )
        if rank is not None:  # words given: best match first
            rows = [self._task(r) for r in self._conn().execute(sql, [*args, 10_000])]
            rows.sort(key=lambda t: rank.get(t.id, len(rank)))
            return rows[: query.limit]
        args.append(query.limit)
        return [self._task(r) for r in self._conn().execute(sql, args)]

    def get_task(self, task_id: str) -> TaskRecord | None:
        row = self._conn().execute("SELECT * FROM task_view WHERE id = ?", (task_id,)).fetchone()
        return self._task(row) if row else None

    def update_task(self, task_id: str, update: TaskUpdate, *, who: str) -> TaskRecord:
        with self._lock:
            conn = self._conn()
            before = self.get_task(task_id)
            if before is None:
                raise NotFound(f"no task with id {task_id}")
            now = _now()
            with conn:
                conn.execute(
                    "INSERT OR IGNORE INTO task_overrides(task_id) VALUES(?)", (task_id,)
                )
                changes: list[tuple[str, str | None, str | None]] = []
                if update.done is not None and update.done != before.done:
                    conn.execute(
                        "UPDATE task_overrides SET done = ? WHERE task_id = ?",
                        (int(update.done), task_id),
                    )
                    changes.append(("done", str(before.done), str(update.done)))
                if update.owners is not None and tuple(update.owners) != before.owners:
                    owners_json = json.dumps(list(update.owners), ensure_ascii=False)
                    conn.execute(
                        "UPDATE task_overrides SET owners = ? WHERE task_id = ?",
                        (owners_json, task_id),
                    )
                    self._set_task_agencies(
                        conn, task_id, list(update.owners), list(before.cooperating)
                    )
                    changes.append(("owners", json.dumps(list(before.owners),
                                    ensure_ascii=False), owners_json))
                if update.clear_deadline and before.deadline is not None:
                    conn.execute(
                        "UPDATE task_overrides SET deadline = NULL, deadline_cleared = 1"
                        " WHERE task_id = ?",
                        (task_id,),
                    )
                    changes.append(("deadline", before.deadline, None))
                elif update.deadline is not None and update.deadline != before.deadline:
                    conn.execute(
                        "UPDATE task_overrides SET deadline = ?, deadline_cleared = 0"
                        " WHERE task_id = ?",
                        (update.deadline, task_id),
                    )
                    changes.append(("deadline", before.deadline, update.deadline))
                if changes:
                    self._bump(conn)
                    conn.execute(
                        "UPDATE task_overrides SET updated_by = ?, updated_at = ?"
                        " WHERE task_id = ?",
                        (who, now, task_id),
                    )
                    conn.executemany(
                        "INSERT INTO task_history(task_id, field, old, new, who, at)"
                        " VALUES(?,?,?,?,?,?)",
                        [(task_id, f, o, n, who, now) for f, o, n in changes],
                    )
            after = self.get_task(task_id)
            assert after is not None
            return after

    def task_history(self, task_id: str) -> list[dict[str, Any]]:
        rows = self._conn().execute(
            "SELECT field, old, new, who, at FROM task_history WHERE task_id = ? ORDER BY id",
            (task_id,),
        )
        return [dict(r) for r in rows]

    # -- answers that depend on the whole store, cached per write generation --
    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        """Count a committed change (inside its transaction), for the caches."""
        conn.execute(
            "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _cached(self, name: str, compute: Callable[[], Any]) -> Any:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        gen = row[0] if row else "0"
        hit = self._cache.get(name)
        if hit is not None and hit[0] == gen:
            return hit[1]
        value = compute()
        self._cache[name] = (gen, value)
        return value

    def ref_keys(self) -> list[str]:
        def compute() -> list[str]:
            rows = self._conn().execute("SELECT DISTINCT canonical FROM refs ORDER BY canonical")
            return [r[0] for r in rows]

        return list(self._cached("ref_keys", compute))

    def citations(
        self, canonicals: Sequence[str], *, limit: int | None = None
    ) -> list[RefCitation]:
        if not canonicals:
            return []
        marks = ",".join("?" * len(canonicals))
        rows = self._conn().execute(
            "SELECT r.*, d.title AS doc_title, d.number_symbol AS doc_number,"
            " d.issue_date AS doc_date FROM refs r JOIN documents d ON d.id = r.doc_id"
            f" WHERE r.canonical IN ({marks}) ORDER BY d.issue_date DESC, r.doc_id, r.start"
            " LIMIT ?",
            [*canonicals, -1 if limit is None else limit],
        )
        return [
            RefCitation(
                canonical=r["canonical"], type=r["type"], number=r["number"],
                doc_id=r["doc_id"], doc_title=r["doc_title"], doc_number=r["doc_number"],
                doc_date=r["doc_date"], article=r["article"], clause=r["clause"],
                point=r["point"], date=r["date"], text=r["text"], start=r["start"],
                end=r["end"], context=r["context"],
            )
            for r in rows
        ]

    def top_refs(self, limit: int = 20) -> list[tuple[str, int]]:
        rows = self._conn().execute(
            "SELECT canonical, COUNT(DISTINCT doc_id) AS n FROM refs GROUP BY canonical"
            " ORDER BY n DESC, canonical LIMIT ?",
            (limit,),
        )
        return [(r[0], int(r[1])) for r in rows]

    def agencies(self) -> list[AgencyRecord]:
        return list(self._cached("agencies", self._agencies))

    def _agencies(self) -> list[AgencyRecord]:
        rows = self._conn().execute(
            "SELECT name, current_name, documents, lead_tasks, cooperating_tasks"
            " FROM agency_stats"
        )
        return sorted(
            (
                AgencyRecord(
                    name=r[0], current_name=r[1], documents=int(r[2]), lead_tasks=int(r[3]),
                    cooperating_tasks=int(r[4]),
                )
                for r in rows
            ),
            key=lambda a: a.name,
        )

    def citing_documents(self, doc_id: str) -> list[RefCitation]:
        """Citations, in other stored documents, of this document's own number."""
        row = self._conn().execute(
            "SELECT number_symbol FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None or not row[0] or row[0].startswith("/"):
            return []
        rows = self._conn().execute(
            "SELECT DISTINCT canonical FROM refs WHERE number = ? AND doc_id != ?",
            (row[0], doc_id),
        )
        return self.citations([r[0] for r in rows])
