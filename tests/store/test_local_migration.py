"""LocalStore opens a store written with schema 1 (before staff review) and
brings it to the current schema: nothing lost, old corrections kept as decisions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pipeline.store.base import TaskQuery, task_id
from pipeline.store.local import SCHEMA_VERSION, LocalStore

# The schema of vndoc 0.1 (pipeline/store/local.py before schema 2), verbatim.
V1_DDL = """
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


def write_v1_store(data: Path, doc) -> str:  # type: ignore[no-untyped-def]
    """One document with its task and a correction, as schema 1 stored them."""
    data.mkdir(parents=True)
    conn = sqlite3.connect(data / "vndoc.sqlite3")
    conn.executescript(V1_DDL)
    conn.execute("INSERT INTO meta VALUES('schema_version', '1')")
    d, t = doc.doc, doc.tasks[0]
    conn.execute(
        "INSERT INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        (doc.id, "official", d.doc_type, d.number_symbol, d.issuer, d.issue_date, 20230228,
         d.province, d.title, doc.text, json.dumps(doc.to_json(), ensure_ascii=False),
         "2024-01-01T00:00:00+00:00"),
    )
    conn.execute("INSERT INTO sources VALUES(?, ?)", (doc.source, doc.id))
    tid = task_id(doc.id, t.text, 0)
    conn.execute(
        "INSERT INTO tasks VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (tid, doc.id, 0, json.dumps(list(t.owners), ensure_ascii=False), "[]", None, t.text,
         t.start, t.end, None, None, None, "[]"),
    )
    conn.execute("INSERT INTO task_agencies VALUES(?,?,?)", (tid, t.owners[0], "lead"))
    conn.execute(
        "INSERT INTO task_overrides VALUES(?, 1, NULL, '2023-03-10', 0, 'lan', '2024-02-01')",
        (tid,),
    )
    conn.execute(
        "INSERT INTO task_history(task_id, field, old, new, who, at) VALUES"
        "(?, 'done', 'False', 'True', 'lan', '2024-02-01'),"
        "(?, 'deadline', NULL, '2023-03-10', 'lan', '2024-02-01')",
        (tid, tid),
    )
    conn.commit()
    conn.close()
    return tid


def test_schema_1_store_is_migrated(tmp_path: Path, sample_docs) -> None:  # type: ignore[no-untyped-def]
    doc = sample_docs[1]
    tid = write_v1_store(tmp_path / "data", doc)
    with LocalStore(tmp_path / "data") as store:
        store.reindex()  # the v1 store had no index written here
        version = store._conn().execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == SCHEMA_VERSION
        t = store.get_task(tid)
        assert t is not None
        assert (t.done, t.deadline, t.updated_by, t.review) == (True, "2023-03-10", "lan", "edited")
        assert t.owner_kinds == ("agency",)
        assert [(h["action"], h["field"]) for h in store.task_history(tid)] == [
            ("done", "done"), ("edit", "deadline")]
        assert store.decisions(doc_id=doc.id).total == 2
        queue = store.review_queue(reviewed=True)
        assert [i.doc_id for i in queue.items] == [doc.id]
        assert store.tasks(TaskQuery(owner_names=(doc.tasks[0].owners[0],)))[0].id == tid
    with LocalStore(tmp_path / "data") as store:  # opening again changes nothing
        assert store.get_task(tid) == t
