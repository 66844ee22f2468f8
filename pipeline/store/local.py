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
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tantivy

from extractors.model import ExtractedDocument
from extractors.textnorm import fold, tokens
from pipeline.query.highlight import snippets
from pipeline.query.plan import Group, QueryPlan, plan
from pipeline.store.base import (
    EXACT_PHRASE_BOOST,
    OWNER_KINDS,
    PHRASE_BOOST,
    REVIEW_ACTIONS,
    TASK_SORTS,
    AgencyRecord,
    Decision,
    NewTask,
    Page,
    PutOutcome,
    RefCitation,
    RemovedDocument,
    ReviewedDocument,
    ReviewItem,
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
from pipeline.store.base import json_text as _js
from pipeline.store.base import padded_kinds as _kinds
from pipeline.store.base import review_changes as _changes
from pipeline.store.errors import BackendUnavailable, IndexingError, NotFound, QueryError

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
"""

# Staff review (schema 2). Decisions are rows keyed by task or document id,
# never tied to a document row, so re-ingest, delete and reindex keep them:
# * task_overrides: the current decision on each task (what a read applies);
# * task_history: every change, with who, when, before and after;
# * added_tasks: tasks staff found, copied into ``tasks`` whenever their
#   document is written (origin 'added'), so filters and the index see them;
# * document_reviews: "Xác nhận tất cả" on a document;
# * removed_documents: soft-deleted documents, restorable.
# review_state is derived per document (cascades with it): task counts and
# whether it is reviewed, kept by each write so the queue is one indexed read.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        "ALTER TABLE tasks ADD COLUMN owner_kinds TEXT",
        "ALTER TABLE tasks ADD COLUMN rule_id TEXT",
        "ALTER TABLE tasks ADD COLUMN confidence REAL",
        "ALTER TABLE tasks ADD COLUMN flags TEXT",
        "ALTER TABLE tasks ADD COLUMN origin TEXT NOT NULL DEFAULT 'extracted'",
        "ALTER TABLE task_overrides ADD COLUMN doc_id TEXT",
        "ALTER TABLE task_overrides ADD COLUMN owner_kinds TEXT",
        "ALTER TABLE task_overrides ADD COLUMN cooperating TEXT",
        "ALTER TABLE task_overrides ADD COLUMN action TEXT",
        "ALTER TABLE task_overrides ADD COLUMN note TEXT",
        "ALTER TABLE task_overrides ADD COLUMN done_on TEXT",
        "ALTER TABLE task_overrides ADD COLUMN done_by TEXT",
        "ALTER TABLE task_overrides ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE task_overrides ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE task_history ADD COLUMN action TEXT",
        "ALTER TABLE task_history ADD COLUMN doc_id TEXT",
        "UPDATE task_history SET action = CASE field WHEN 'done' THEN"
        " CASE new WHEN 'True' THEN 'done' ELSE 'undone' END ELSE 'edit' END",
        "UPDATE task_history SET doc_id = (SELECT doc_id FROM tasks WHERE id = task_id)",
        "UPDATE task_overrides SET doc_id = (SELECT doc_id FROM tasks WHERE id = task_id)",
        "CREATE INDEX task_history_task ON task_history(task_id, id)",
        "CREATE INDEX task_history_doc ON task_history(doc_id, id)",
        "ALTER TABLE task_agencies ADD COLUMN kind TEXT",
        "CREATE INDEX task_agencies_kind ON task_agencies(kind, agency)",
        """CREATE TABLE added_tasks(
  task_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, start INTEGER NOT NULL,
  "end" INTEGER NOT NULL, text TEXT NOT NULL, owners TEXT NOT NULL, owner_kinds TEXT,
  cooperating TEXT NOT NULL, action TEXT, deadline TEXT, deadline_text TEXT,
  who TEXT NOT NULL, at TEXT NOT NULL)""",
        "CREATE INDEX added_tasks_doc ON added_tasks(doc_id)",
        """CREATE TABLE document_reviews(
  doc_id TEXT PRIMARY KEY, reviewed_by TEXT NOT NULL, reviewed_at TEXT NOT NULL)""",
        """CREATE TABLE removed_documents(
  doc_id TEXT PRIMARY KEY, data TEXT NOT NULL, sources TEXT NOT NULL,
  ingested_at TEXT NOT NULL, title TEXT, number_symbol TEXT, who TEXT NOT NULL,
  at TEXT NOT NULL)""",
        "CREATE INDEX removed_documents_at ON removed_documents(at)",
        """CREATE TABLE review_state(
  doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  ingested_at TEXT NOT NULL, total INTEGER NOT NULL, kept INTEGER NOT NULL,
  unreviewed INTEGER NOT NULL, reviewed INTEGER NOT NULL, reviewed_at TEXT,
  reviewed_by TEXT)""",
        "CREATE INDEX review_state_queue ON review_state(reviewed, ingested_at)",
        "CREATE INDEX review_state_done ON review_state(reviewed, reviewed_at)",
        "CREATE INDEX documents_ingested ON documents(ingested_at)",
        "DROP VIEW IF EXISTS task_view",
        # The task as read: extraction with the decisions applied.
        """CREATE VIEW task_view AS
  SELECT t.*, COALESCE(o.done, 0) AS done,
    CASE WHEN o.deadline_cleared THEN NULL ELSE COALESCE(o.deadline, t.deadline) END
      AS eff_deadline,
    COALESCE(o.owners, t.owners) AS eff_owners,
    COALESCE(o.owner_kinds, CASE WHEN o.owners IS NULL THEN t.owner_kinds END) AS eff_kinds,
    COALESCE(o.cooperating, t.cooperating) AS eff_cooperating,
    COALESCE(o.action, t.action) AS eff_action,
    o.note, o.done_on, o.done_by, o.updated_by, o.updated_at,
    CASE
      WHEN COALESCE(o.rejected, 0) THEN 'rejected'
      WHEN t.origin = 'added' THEN 'added'
      WHEN COALESCE(o.owners, t.owners) IS NOT t.owners
        OR COALESCE(o.cooperating, t.cooperating) IS NOT t.cooperating
        OR COALESCE(o.action, t.action) IS NOT t.action
        OR (CASE WHEN o.deadline_cleared THEN NULL ELSE COALESCE(o.deadline, t.deadline) END)
           IS NOT t.deadline THEN 'edited'
      WHEN COALESCE(o.confirmed, 0) THEN 'confirmed'
      ELSE 'unreviewed' END AS review,
    d.number_symbol AS doc_number, d.title AS doc_title, d.issue_date AS doc_date,
    d.issuer AS doc_issuer, d.doc_type AS doc_type, d.province AS doc_province,
    (SELECT MIN(source) FROM sources s WHERE s.doc_id = t.doc_id) AS doc_source
  FROM tasks t JOIN documents d ON d.id = t.doc_id
  LEFT JOIN task_overrides o ON o.task_id = t.id""",
    ),
}
SCHEMA_VERSION = str(max(_MIGRATIONS))

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



def _now(*, timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


_REVIEW_ACTIONS_SQL = ",".join(f"'{a}'" for a in REVIEW_ACTIONS)
# TaskQuery.status: (condition on task_view, how many of [today, today + soon] it takes)
_LATE_SQL = (
    "eff_deadline IS NOT NULL AND done_on IS NOT NULL AND substr(done_on, 1, 10) > eff_deadline"
)
_STATUS_SQL: dict[str, tuple[str, int]] = {
    "open": ("done = 0", 0),
    "pending": ("done = 0", 0),
    "overdue": ("done = 0 AND eff_deadline IS NOT NULL AND eff_deadline < ?", 1),
    "due_soon": ("done = 0 AND eff_deadline >= ? AND eff_deadline <= ?", 2),
    "no_deadline": ("done = 0 AND eff_deadline IS NULL", 0),
    "done": ("done = 1", 0),
    "done_on_time": (f"done = 1 AND NOT ({_LATE_SQL})", 0),
    "done_late": (f"done = 1 AND {_LATE_SQL}", 0),
}
# Sorting by status: overdue, due soon, open, no deadline, done late, done.
_STATUS_RANK_SQL = (
    f"(CASE WHEN done = 1 THEN (CASE WHEN {_LATE_SQL} THEN 4 ELSE 5 END)"
    " WHEN eff_deadline IS NULL THEN 3 WHEN eff_deadline < ? THEN 0"
    " WHEN eff_deadline <= ? THEN 1 ELSE 2 END)"
)
_REVIEW_SQL: dict[str, str | None] = {
    "kept": "review != 'rejected'",
    "any": None,
    "unreviewed": "review = 'unreviewed'",
    "confirmed": "review = 'confirmed'",
    "edited": "review = 'edited'",
    "rejected": "review = 'rejected'",
    "added": "review = 'added'",
    "reviewed": "review IN ('confirmed', 'edited', 'added')",
}


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
                "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1')"
            )
            conn.commit()
            self._migrate(conn)
            self._ensure_agency_stats(conn)
        self._schema = _schema()
        try:
            self._index = tantivy.Index(self._schema, path=str(self._index_dir), reuse=True)
        except (OSError, ValueError) as e:
            raise BackendUnavailable(
                f"can't open the search index in {self._index_dir}: {e}. "
                "Run `vndoc reindex` to rebuild it from SQLite."
            ) from e

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Bring an older store's schema up to SCHEMA_VERSION, in one transaction."""

        def version() -> int:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else 1

        if version() >= int(SCHEMA_VERSION):
            return
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                start = version()  # another process may have migrated meanwhile
                for v in sorted(_MIGRATIONS):
                    if v <= start:
                        continue
                    for stmt in _MIGRATIONS[v]:
                        conn.execute(stmt)
                    if v == 2:
                        for row in conn.execute("SELECT id FROM documents").fetchall():
                            self._refresh_review(conn, row[0])
                conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,)
                )
        except sqlite3.OperationalError as e:
            raise BackendUnavailable(
                f"can't update the store's schema in {self._db_path}: {e}; another "
                "process is writing to this store, try again when it has finished"
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
                    if conn.execute(
                        "SELECT 1 FROM removed_documents WHERE doc_id = ?", (doc.id,)
                    ).fetchone():
                        return "removed"  # deleted by staff: restored only when asked
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
        # Microseconds: the review queue lists the newest ingest first.
        self._insert_data(conn, doc.to_json(), _now(timespec="microseconds"))

    def _insert_data(
        self, conn: sqlite3.Connection, data: dict[str, Any], ingested_at: str
    ) -> None:
        """Write one document from its contract form, with its tasks (staff's
        added ones too, decisions applied to the owner index), references and agencies."""
        doc_id, text, d = data["id"], data["text"], data["doc"]
        title = d.get("subject") or d.get("title") or (text.strip().split("\n", 1)[0][:200] or None)
        conn.execute(
            "INSERT INTO documents(id, kind, doc_type, number_symbol, issuer, issue_date,"
            " date_key, province, title, text, data, ingested_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id, d.get("kind"), d.get("doc_type"), d.get("number_symbol"),
                d.get("issuer"), d.get("issue_date"), date_key(d.get("issue_date")),
                d.get("province"), title, text, json.dumps(data, ensure_ascii=False),
                ingested_at,
            ),
        )
        seen: dict[str, int] = {}
        rows = []
        for idx, t in enumerate(data.get("tasks", [])):
            occ = seen.get(t["text"], 0)
            seen[t["text"]] = occ + 1
            rows.append((
                task_id(doc_id, t["text"], occ), doc_id, idx, _js(t["owners"]),
                _js(t["cooperating"]), t.get("action"), t["text"], t["start"], t["end"],
                t.get("deadline"), t.get("deadline_text"), t.get("recurring"),
                _js(t.get("legal_basis") or []), _js(t.get("owner_kinds") or []),
                t.get("rule_id") or None, t.get("confidence"), _js(t.get("flags") or []),
                "extracted",
            ))
        n = len(rows)
        for k, a in enumerate(conn.execute(
            "SELECT * FROM added_tasks WHERE doc_id = ? ORDER BY start, task_id", (doc_id,)
        ).fetchall()):
            rows.append((
                a["task_id"], doc_id, n + k, a["owners"], a["cooperating"], a["action"],
                a["text"], a["start"], a["end"], a["deadline"], a["deadline_text"], None,
                "[]", a["owner_kinds"], None, None, "[]", "added",
            ))
        conn.executemany(
            "INSERT OR REPLACE INTO tasks(id, doc_id, idx, owners, cooperating, action, text,"
            ' start, "end", deadline, deadline_text, recurring, legal_basis, owner_kinds,'
            " rule_id, confidence, flags, origin) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        for row in conn.execute("SELECT id FROM tasks WHERE doc_id = ?", (doc_id,)).fetchall():
            self._sync_task_agencies(conn, row["id"])
        for r in data.get("legal_refs", []):
            conn.execute(
                "INSERT INTO refs(doc_id, canonical, type, number, article, clause, point, date,"
                ' start, "end", text, context) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)',
                (
                    doc_id, r["canonical"], r["type"], r.get("number"), r.get("article"),
                    r.get("clause"), r.get("point"), r.get("date"), r["start"], r["end"],
                    r["text"], citation_context(text, r["start"], r["end"]),
                ),
            )
        for a in data.get("agencies", []):
            conn.execute(
                "INSERT INTO agencies(doc_id, name, current_name, mentions) VALUES(?,?,?,?)",
                (doc_id, a["name"], a.get("current_name"), len(a.get("mentions", []))),
            )
        self._refresh_review(conn, doc_id)

    @staticmethod
    def _sync_task_agencies(conn: sqlite3.Connection, tid: str) -> None:
        """The owner index of one task: its effective owners (typed) and
        cooperating agencies; none for a rejected task, which is no task."""
        conn.execute("DELETE FROM task_agencies WHERE task_id = ?", (tid,))
        row = conn.execute(
            "SELECT eff_owners, eff_kinds, eff_cooperating, review FROM task_view WHERE id = ?",
            (tid,),
        ).fetchone()
        if row is None or row["review"] == "rejected":
            return
        owners = json.loads(row["eff_owners"])
        kinds = _kinds(owners, json.loads(row["eff_kinds"] or "[]"))
        conn.executemany(
            "INSERT INTO task_agencies(task_id, agency, role, kind) VALUES(?,?,?,?)",
            [(tid, o, "lead", k) for o, k in zip(owners, kinds, strict=True)]
            + [(tid, c, "cooperating", None) for c in json.loads(row["eff_cooperating"])],
        )

    @staticmethod
    def _refresh_review(conn: sqlite3.Connection, doc_id: str) -> None:
        """Recount one document's review state (inside the caller's transaction)."""
        doc = conn.execute(
            "SELECT ingested_at FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if doc is None:
            return
        total, kept, unreviewed = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(review != 'rejected'), 0),"
            " COALESCE(SUM(review = 'unreviewed'), 0) FROM task_view WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        confirmed = conn.execute(
            "SELECT reviewed_by, reviewed_at FROM document_reviews WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        reviewed = unreviewed == 0 and (total > 0 or confirmed is not None)
        last = conn.execute(
            "SELECT who, at FROM task_history WHERE doc_id = ? AND action IN"
            f" ({_REVIEW_ACTIONS_SQL}) ORDER BY id DESC LIMIT 1",
            (doc_id,),
        ).fetchone()
        by, at = (last["who"], last["at"]) if last else (None, None)
        if confirmed is not None and (at is None or confirmed["reviewed_at"] > at):
            by, at = confirmed["reviewed_by"], confirmed["reviewed_at"]
        conn.execute(
            "INSERT OR REPLACE INTO review_state(doc_id, ingested_at, total, kept, unreviewed,"
            " reviewed, reviewed_at, reviewed_by) VALUES(?,?,?,?,?,?,?,?)",
            (doc_id, doc["ingested_at"], total, kept, unreviewed, int(reviewed),
             at if reviewed else None, by if reviewed else None),
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
            with conn:  # and the agencies listing and review states, counted again
                conn.execute("BEGIN IMMEDIATE")
                self._rebuild_agency_stats(conn)
                for row in conn.execute("SELECT id FROM documents").fetchall():
                    self._refresh_review(conn, row[0])
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

    def _excluded(self, p: QueryPlan) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        return [(tantivy.Occur.MustNot, self._group_query(g)) for g in p.excluded]

    def _text_query(self, p: QueryPlan) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, self._group_query(g)) for g in p.groups]
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
        for field in ("issuer", "doc_type", "province", "year"):
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
        """Ranked hits, the exact total, and facets that follow the query.

        Every group of the plan is required (no fallback to any word: a
        query nothing matches finds nothing). Where the time goes at 100k
        documents (BENCHMARKS.md, bench/perf.py): tantivy scores every
        document that matches, whether or not it counts them (a conjunction
        can't skip documents), so the exact total costs nothing extra; the
        phrase boosts are most of the scoring, and the facets are a second
        pass over the matches.
        """
        p = plan(query.q)
        searcher = self._searcher()
        clauses = [*self._filters("doc", query), *self._excluded(p)]
        offset = (query.page - 1) * query.size
        by_date = p.empty or query.sort == "date"
        if not p.empty:
            clauses.append((tantivy.Occur.Must, self._text_query(p)))
        full = tantivy.Query.boolean_query(clauses)
        if by_date:  # newest first (also when there's no text to rank by)
            result = searcher.search(
                full, limit=query.size, count=True, offset=offset, order_by_field="date"
            )
        else:
            result = searcher.search(full, limit=query.size, count=True, offset=offset)
        ids = [searcher.doc(addr).to_dict()["id"][0] for _, addr in result.hits]
        scores = [float(score) if not by_date else 0.0 for score, _ in result.hits]
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
                    snippets=snippets(row["text"], p) if p.groups else (),
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
                *self._filters("task", doc_id=doc_id), *self._excluded(p),
                (tantivy.Occur.Must, self._text_query(p)),
            ]
        )
        result = searcher.search(full, limit=10_000, count=False)
        return [searcher.doc(addr).to_dict()["id"][0] for _, addr in result.hits]

    @staticmethod
    def _task(row: sqlite3.Row) -> TaskRecord:
        corrected = []
        owners = json.loads(row["eff_owners"])
        if owners != json.loads(row["owners"]):
            corrected.append("owners")
        cooperating = json.loads(row["eff_cooperating"])
        if cooperating != json.loads(row["cooperating"]):
            corrected.append("cooperating")
        if row["eff_action"] != row["action"]:
            corrected.append("action")
        if row["eff_deadline"] != row["deadline"]:
            corrected.append("deadline")
        if row["done"]:
            corrected.append("done")
        kinds = json.loads(row["eff_kinds"] or "[]")
        kinds = tuple([*kinds[: len(owners)], *["agency"] * (len(owners) - len(kinds))])
        return TaskRecord(
            id=row["id"], doc_id=row["doc_id"], idx=row["idx"], owners=tuple(owners),
            cooperating=tuple(cooperating), action=row["eff_action"],
            text=row["text"], start=row["start"], end=row["end"],
            deadline=row["eff_deadline"], deadline_text=row["deadline_text"],
            recurring=row["recurring"], legal_basis=tuple(json.loads(row["legal_basis"])),
            done=bool(row["done"]), doc_number=row["doc_number"], doc_title=row["doc_title"],
            doc_date=row["doc_date"], doc_source=row["doc_source"],
            updated_by=row["updated_by"], updated_at=row["updated_at"],
            corrected=tuple(corrected), owner_kinds=kinds, rule_id=row["rule_id"],
            confidence=row["confidence"], flags=tuple(json.loads(row["flags"] or "[]")),
            review=row["review"], note=row["note"], done_on=row["done_on"],
            done_by=row["done_by"], doc_issuer=row["doc_issuer"], doc_type=row["doc_type"],
            doc_province=row["doc_province"],
        )

    def tasks(self, query: TaskQuery) -> list[TaskRecord]:
        return list(self.task_page(query).items)

    def task_page(self, query: TaskQuery) -> Page[TaskRecord]:
        """The register: filters as SQL over ``task_view``, one page and the total."""
        where, args = ["1=1"], []
        if query.owner_names is not None:
            if not query.owner_names:
                return Page((), 0)
            marks = ",".join("?" * len(query.owner_names))
            role_sql = "" if query.role == "any" else " AND role = ?"
            where.append(
                f"id IN (SELECT task_id FROM task_agencies WHERE agency IN ({marks}){role_sql})"
            )
            args.extend(query.owner_names)
            if query.role != "any":
                args.append("lead" if query.role == "lead" else "cooperating")
        for column, value in (("doc_id", query.doc_id), ("doc_issuer", query.issuer),
                              ("doc_province", query.province)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        for cond, value in (
            ("eff_deadline >= ?", query.deadline_from), ("eff_deadline <= ?", query.deadline_to),
        ):
            if value:
                where.append(cond)
                args.append(value)
        lo, hi = date_key(query.issued_from), date_key(query.issued_to, end=True)
        if lo is not None or hi is not None:
            where.append("doc_id IN (SELECT id FROM documents WHERE date_key BETWEEN ? AND ?)")
            args.extend([lo if lo is not None else 0, hi if hi is not None else 99999999])
        if query.review not in _REVIEW_SQL:
            raise QueryError(
                f"unknown review filter {query.review!r}; use one of {', '.join(_REVIEW_SQL)}"
            )
        if _REVIEW_SQL[query.review]:
            where.append(_REVIEW_SQL[query.review])
        rank: dict[str, int] | None = None
        if query.q:
            ids = self._task_ids_matching(query.q, query.doc_id)
            if not ids:
                return Page((), 0)
            rank = {tid: i for i, tid in enumerate(ids)}
            where.append(f"id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        today = query.today or dt.date.today()
        iso = today.isoformat()
        soon = (today + dt.timedelta(days=query.soon_days)).isoformat()
        if query.status:
            if query.status not in _STATUS_SQL:
                raise NotFound(
                    f"unknown status {query.status!r}; use one of {', '.join(_STATUS_SQL)}"
                )
            cond, n = _STATUS_SQL[query.status]
            where.append(cond)
            args.extend([iso, soon][:n])
        if query.sort not in TASK_SORTS:
            raise QueryError(f"unknown sort {query.sort!r}; use one of {', '.join(TASK_SORTS)}")
        sql_where = " AND ".join(where)
        conn = self._conn()
        if rank is not None and query.sort == "default":  # words given: best match first
            rows = [self._task(r) for r in conn.execute(
                f"SELECT * FROM task_view WHERE {sql_where}", args)]
            rows.sort(key=lambda t: rank.get(t.id, len(rank)), reverse=query.descending)
            page = rows[query.offset : query.offset + query.limit]
            return Page(tuple(page), len(rows))
        total = int(conn.execute(
            f"SELECT COUNT(*) FROM task_view WHERE {sql_where}", args).fetchone()[0])
        order, order_args = self._order(query, iso, soon)
        rows = conn.execute(
            f"SELECT * FROM task_view WHERE {sql_where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*args, *order_args, query.limit, query.offset],
        )
        return Page(tuple(self._task(r) for r in rows), total)

    @staticmethod
    def _order(query: TaskQuery, iso: str, soon: str) -> tuple[str, list[Any]]:
        """ORDER BY for ``query.sort``: the key (missing values last, either way),
        then the default order."""
        default = "eff_deadline IS NULL, eff_deadline, doc_date DESC, doc_id, idx"
        direction = "DESC" if query.descending else "ASC"
        if query.sort == "default":
            if query.descending:
                return ("eff_deadline IS NULL, eff_deadline DESC, doc_date, doc_id DESC,"
                        " idx DESC"), []
            return default, []
        if query.sort == "status":
            return f"{_STATUS_RANK_SQL} {direction}, {default}", [iso, soon]
        key = {
            "deadline": "eff_deadline", "doc_date": "doc_date", "doc_number": "doc_number",
            "issuer": "doc_issuer", "owner": "json_extract(eff_owners, '$[0]')",
            "content": "COALESCE(eff_action, text)", "updated_at": "updated_at",
        }[query.sort]
        return f"{key} IS NULL, {key} {direction}, {default}", []

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
            changes = _changes(before, update, today=now[:10])
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT OR IGNORE INTO task_overrides(task_id, doc_id) VALUES(?, ?)",
                    (task_id, before.doc_id),
                )
                sets: dict[str, Any] = {}
                for action, fld, _old, new in changes:
                    if fld == "done":
                        sets["done"] = int(action == "done")
                        sets["done_on"] = (update.done_on or now[:10]) if action == "done" else None
                        sets["done_by"] = who if action == "done" else None
                    elif fld == "done_on":
                        sets["done_on"] = new
                    elif fld in ("owners", "owner_kinds"):
                        owners = list(update.owners if update.owners is not None
                                      else before.owners)
                        if update.owner_kinds is not None:
                            kinds = list(update.owner_kinds)
                        else:  # a name kept keeps its kind; a new one is an agency
                            known = dict(zip(before.owners, before.owner_kinds, strict=False))
                            kinds = [known.get(o, "agency") for o in owners]
                        sets["owners"] = _js(owners)
                        sets["owner_kinds"] = _js(_kinds(owners, kinds))
                    elif fld == "cooperating":
                        sets["cooperating"] = new
                    elif fld == "action":
                        sets["action"] = new
                    elif fld == "deadline":
                        sets["deadline"] = new
                        sets["deadline_cleared"] = int(new is None)
                    elif fld == "note":
                        sets["note"] = new
                    elif fld == "review":
                        sets["confirmed"] = int(new == "confirmed")
                        sets["rejected"] = int(new == "rejected")
                if changes:
                    sets["updated_by"], sets["updated_at"] = who, now
                    conn.execute(
                        f"UPDATE task_overrides SET {', '.join(f'{k} = ?' for k in sets)}"
                        " WHERE task_id = ?",
                        [*sets.values(), task_id],
                    )
                    if any(f in ("owners", "owner_kinds", "cooperating", "review")
                           for _, f, _, _ in changes):
                        self._sync_task_agencies(conn, task_id)
                    self._record(conn, before.doc_id, task_id, changes, who, now)
                    self._refresh_review(conn, before.doc_id)
                    self._bump(conn)
            after = self.get_task(task_id)
            if after is None:
                raise NotFound(f"task {task_id} was deleted while being changed")
            return after

    @staticmethod
    def _record(
        conn: sqlite3.Connection, doc_id: str, task_id: str | None,
        changes: Sequence[tuple[str, str | None, str | None, str | None]], who: str, now: str,
    ) -> None:
        conn.executemany(
            "INSERT INTO task_history(task_id, doc_id, action, field, old, new, who, at)"
            " VALUES(?,?,?,?,?,?,?,?)",
            [(task_id, doc_id, a, f, o, n, who, now) for a, f, o, n in changes],
        )

    def task_history(self, task_id: str) -> list[dict[str, Any]]:
        return [d.as_history() for d in self.decisions(task_id=task_id, limit=10_000).items]

    def decisions(
        self, *, doc_id: str | None = None, task_id: str | None = None, offset: int = 0,
        limit: int = 100,
    ) -> Page[Decision]:
        where, args = ["1=1"], []
        if doc_id is not None:
            where.append("doc_id = ?")
            args.append(doc_id)
        if task_id is not None:
            where.append("task_id = ?")
            args.append(task_id)
        conn = self._conn()
        sql_where = " AND ".join(where)
        total = int(conn.execute(
            f"SELECT COUNT(*) FROM task_history WHERE {sql_where}", args).fetchone()[0])
        rows = conn.execute(
            f"SELECT * FROM task_history WHERE {sql_where} ORDER BY id LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return Page(tuple(
            Decision(seq=r["id"], doc_id=r["doc_id"] or "", task_id=r["task_id"],
                     action=r["action"] or "edit", field=r["field"], old=r["old"],
                     new=r["new"], who=r["who"], at=r["at"])
            for r in rows
        ), total)

    # -- staff review ------------------------------------------------------------
    def add_task(self, doc_id: str, task: NewTask, *, who: str) -> TaskRecord:
        with self._lock:
            conn = self._conn()
            row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document with id {doc_id}")
            text = row["text"]
            if not 0 <= task.start < task.end <= len(text):
                raise QueryError(
                    f"the task's offsets {task.start}-{task.end} are outside the document "
                    f"(0-{len(text)})"
                )
            sentence = text[task.start : task.end]
            if not sentence.strip():
                raise QueryError("the selected text is empty")
            if len(task.owner_kinds) > len(task.owners) or any(
                k not in OWNER_KINDS for k in task.owner_kinds
            ):
                raise QueryError(f"owner kinds must be among {', '.join(OWNER_KINDS)}")
            same = conn.execute(
                "SELECT id FROM task_view WHERE doc_id = ? AND start = ? AND \"end\" = ?"
                " AND review != 'rejected'", (doc_id, task.start, task.end),
            ).fetchone()
            if same is not None:
                raise QueryError(f"this text is already task {same[0]} of the document")
            used = {r[0] for r in conn.execute("SELECT id FROM tasks WHERE doc_id = ?", (doc_id,))}
            used |= {r[0] for r in conn.execute(
                "SELECT task_id FROM added_tasks WHERE doc_id = ?", (doc_id,))}
            occ = 0
            while task_id(doc_id, sentence, occ) in used:
                occ += 1
            tid = task_id(doc_id, sentence, occ)
            now = _now()
            owners = list(task.owners)
            after = {
                "text": sentence, "start": task.start, "end": task.end, "owners": owners,
                "owner_kinds": _kinds(owners, task.owner_kinds),
                "cooperating": list(task.cooperating), "action": task.action,
                "deadline": task.deadline, "deadline_text": task.deadline_text,
            }
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO added_tasks(task_id, doc_id, start, \"end\", text, owners,"
                    " owner_kinds, cooperating, action, deadline, deadline_text, who, at)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (tid, doc_id, task.start, task.end, sentence, _js(owners),
                     _js(after["owner_kinds"]), _js(list(task.cooperating)), task.action,
                     task.deadline, task.deadline_text, who, now),
                )
                idx = conn.execute(
                    "SELECT COALESCE(MAX(idx), -1) + 1 FROM tasks WHERE doc_id = ?", (doc_id,)
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO tasks(id, doc_id, idx, owners, cooperating, action, text,"
                    ' start, "end", deadline, deadline_text, recurring, legal_basis,'
                    " owner_kinds, rule_id, confidence, flags, origin)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,NULL,'[]',?,NULL,NULL,'[]','added')",
                    (tid, doc_id, idx, _js(owners), _js(list(task.cooperating)), task.action,
                     sentence, task.start, task.end, task.deadline, task.deadline_text,
                     _js(after["owner_kinds"])),
                )
                conn.execute(
                    "INSERT INTO task_overrides(task_id, doc_id, updated_by, updated_at)"
                    " VALUES(?,?,?,?) ON CONFLICT(task_id) DO UPDATE SET rejected = 0,"
                    " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                    (tid, doc_id, who, now),
                )
                self._sync_task_agencies(conn, tid)
                changes = [("add", None, None, _js(after))]
                if task.note:
                    conn.execute("UPDATE task_overrides SET note = ? WHERE task_id = ?",
                                 (task.note, tid))
                    changes.append(("note", "note", None, task.note))
                self._record(conn, doc_id, tid, changes, who, now)
                self._refresh_review(conn, doc_id)
                conn.execute(
                    "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'add')", (doc_id,)
                )
                self._bump(conn)
            self._flush_pending()
            out = self.get_task(tid)
            assert out is not None
            return out

    def confirm_document(self, doc_id: str, *, who: str) -> int:
        with self._lock:
            conn = self._conn()
            if not self.has(doc_id):
                raise NotFound(f"no document with id {doc_id}")
            now = _now()
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                ids = [r[0] for r in conn.execute(
                    "SELECT id FROM task_view WHERE doc_id = ? AND review = 'unreviewed'"
                    " ORDER BY idx", (doc_id,))]
                for tid in ids:
                    conn.execute(
                        "INSERT INTO task_overrides(task_id, doc_id, confirmed, updated_by,"
                        " updated_at) VALUES(?,?,1,?,?) ON CONFLICT(task_id) DO UPDATE SET"
                        " confirmed = 1, updated_by = excluded.updated_by,"
                        " updated_at = excluded.updated_at",
                        (tid, doc_id, who, now),
                    )
                    self._record(conn, doc_id, tid,
                                 [("confirm", "review", "unreviewed", "confirmed")], who, now)
                conn.execute(
                    "INSERT OR REPLACE INTO document_reviews(doc_id, reviewed_by, reviewed_at)"
                    " VALUES(?,?,?)", (doc_id, who, now),
                )
                self._record(conn, doc_id, None,
                             [("confirm_document", None, None, str(len(ids)))], who, now)
                self._refresh_review(conn, doc_id)
                self._bump(conn)
            return len(ids)

    def review_queue(
        self, *, reviewed: bool = False, offset: int = 0, limit: int = 20
    ) -> Page[ReviewItem]:
        conn = self._conn()
        order = "r.reviewed_at DESC, r.doc_id" if reviewed else "r.ingested_at DESC, r.doc_id"
        total = int(conn.execute(
            "SELECT COUNT(*) FROM review_state WHERE reviewed = ?", (int(reviewed),)
        ).fetchone()[0])
        rows = conn.execute(
            "SELECT r.*, d.title, d.doc_type, d.number_symbol, d.issuer, d.issue_date,"
            " (SELECT MIN(source) FROM sources s WHERE s.doc_id = d.id) AS source"
            " FROM review_state r JOIN documents d ON d.id = r.doc_id"
            f" WHERE r.reviewed = ? ORDER BY {order} LIMIT ? OFFSET ?",
            (int(reviewed), limit, offset),
        )
        return Page(tuple(
            ReviewItem(
                doc_id=r["doc_id"], title=r["title"], doc_type=r["doc_type"],
                number_symbol=r["number_symbol"], issuer=r["issuer"],
                issue_date=r["issue_date"], source=r["source"], ingested_at=r["ingested_at"],
                tasks=r["kept"], unreviewed=r["unreviewed"], reviewed_at=r["reviewed_at"],
                reviewed_by=r["reviewed_by"],
            )
            for r in rows
        ), total)

    def reviewed_documents(self) -> Iterator[ReviewedDocument]:
        conn = self._conn()
        rows = conn.execute(
            "SELECT doc_id, reviewed_at FROM review_state WHERE reviewed = 1"
            " ORDER BY reviewed_at, doc_id"
        ).fetchall()
        for r in rows:
            doc = self.get(r["doc_id"])
            if doc is None:
                continue
            tasks = self.tasks(TaskQuery(doc_id=doc.id, review="any", limit=100_000))
            n = conn.execute(
                "SELECT COUNT(*) FROM task_history WHERE doc_id = ? AND task_id IS NOT NULL"
                f" AND action IN ({_REVIEW_ACTIONS_SQL}) AND action != 'confirm'",
                (doc.id,),
            ).fetchone()[0]
            yield ReviewedDocument(doc=doc, tasks=tuple(sorted(tasks, key=lambda t: t.start)),
                                   reviewed_at=r["reviewed_at"], decisions=int(n))

    def remove_document(self, doc_id: str, *, who: str) -> bool:
        with self._lock:
            conn = self._conn()
            now = _now()
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute(
                    "SELECT data, ingested_at, title, number_symbol FROM documents WHERE id = ?",
                    (doc_id,),
                ).fetchone()
                if row is None:
                    return False
                sources = [r[0] for r in conn.execute(
                    "SELECT source FROM sources WHERE doc_id = ? ORDER BY source", (doc_id,))]
                conn.execute(
                    "INSERT OR REPLACE INTO removed_documents(doc_id, data, sources, ingested_at,"
                    " title, number_symbol, who, at) VALUES(?,?,?,?,?,?,?,?)",
                    (doc_id, row["data"], _js(sources), row["ingested_at"], row["title"],
                     row["number_symbol"], who, now),
                )
                conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                self._record(conn, doc_id, None,
                             [("remove_document", None, None, row["title"])], who, now)
                conn.execute(
                    "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'delete')",
                    (doc_id,),
                )
                self._bump(conn)
            self._flush_pending()
            return True

    def restore_document(self, doc_id: str, *, who: str) -> bool:
        with self._lock:
            conn = self._conn()
            now = _now()
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute(
                    "SELECT * FROM removed_documents WHERE doc_id = ?", (doc_id,)
                ).fetchone()
                if row is None:
                    return False
                conn.execute("DELETE FROM removed_documents WHERE doc_id = ?", (doc_id,))
                if not conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                    self._insert_data(conn, json.loads(row["data"]), row["ingested_at"])
                for source in json.loads(row["sources"]):
                    prev = conn.execute(
                        "SELECT doc_id FROM sources WHERE source = ?", (source,)
                    ).fetchone()
                    if prev is None:  # a file name since given to another text keeps it
                        conn.execute("INSERT INTO sources(source, doc_id) VALUES(?, ?)",
                                     (source, doc_id))
                self._record(conn, doc_id, None,
                             [("restore_document", None, None, row["title"])], who, now)
                conn.execute(
                    "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'add')", (doc_id,)
                )
                self._bump(conn)
            self._flush_pending()
            return True

    def removed_documents(self, *, offset: int = 0, limit: int = 100) -> Page[RemovedDocument]:
        conn = self._conn()
        total = int(conn.execute("SELECT COUNT(*) FROM removed_documents").fetchone()[0])
        rows = conn.execute(
            "SELECT * FROM removed_documents ORDER BY at DESC, doc_id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return Page(tuple(
            RemovedDocument(id=r["doc_id"], title=r["title"], number_symbol=r["number_symbol"],
                            sources=tuple(json.loads(r["sources"])), removed_by=r["who"],
                            removed_at=r["at"])
            for r in rows
        ), total)

    def collectives(self) -> list[str]:
        def compute() -> list[str]:
            rows = self._conn().execute(
                "SELECT DISTINCT agency FROM task_agencies WHERE kind = 'collective'"
                " ORDER BY agency"
            )
            return [r[0] for r in rows]

        return list(self._cached("collectives", compute))

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
