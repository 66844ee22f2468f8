"""LocalStore's SQLite schema: the tables, their migrations, and the derived
tables that triggers keep current inside each write's transaction.

Schema versions (``meta.schema_version``), each a list of statements applied
in one transaction by ``LocalStore._migrate`` (plus the Python steps named
there):

* 1: documents, sources, tasks, owners, overrides, history, references, agencies.
* 2: staff review (decisions, added tasks, document reviews, soft delete,
  the review queue's counts).
* 3: an indexable register and a smaller store. Each task carries what its
  decisions make of it (``done``, ``eff_deadline``, ``due``: the deadline or
  "~" for none, which sorts last; ``review``, ``kept``) and its document's
  date, issuer and province, with covering indexes for the register's
  filters and default order; each owner row (``task_agencies``) carries its
  task's ``done`` and ``due``, so an owner's page is one index range.
  References carry their document's date, indexed with the key (newest
  first); their context sentence is cut from the text when read.
  ``documents.data`` holds the contract JSON without the text (kept once, in
  ``text``), zlib-compressed. Versions of a document (``document_versions``)
  and the ids a stored document stands for (``doc_aliases``).
* 4: a smaller store. ``documents.text`` is zlib-compressed UTF-8 (an older
  row's plain text still reads), and the contract JSON leaves out each span's
  text (a task's sentence, a mention, a reference: ``text[start:end]``),
  cut again from the document's text when read. The collectives' owner rows
  get a partial index instead of every row's ``(kind, agency)``; a
  province's tasks are indexed in the register's order.
* 5: no second copy of what the text holds. A task's sentence and a
  reference's text are NULL in their rows where they are ``text[start:end]``
  of their document's text (which is kept once, compressed), cut again when
  read; a task's ``text_at`` is where its sentence's bytes are in the text's
  UTF-8 (``LocalStore._task_text``), so a page of the register decompresses
  each text only that far. A task without an action keeps its sentence (the
  register's "content" order sorts by ``COALESCE(eff_action, text)`` in SQL);
  actions stay as written (that order, and the review state's comparison
  with a decision's action).
* 6: zlib preset dictionaries (pipeline/store/local_dict.py): a text is
  compressed with the fixed phrases of an official document, a contract with
  a contract's keys before its text (zlib's header names the dictionary, so
  an older row still reads); every row is packed again by the upgrade.
  ``agency_stats`` is a WITHOUT ROWID table (its name was stored twice, in
  the table and in its primary key's index).

Derived tables, rebuilt from the rows by ``vndoc reindex`` and whenever their
version changes (``meta.<name>``): ``agency_stats`` (the agencies listing),
``task_counts`` (tasks per review state, done flag and deadline day: the
register's totals without counting rows) and ``ref_keys`` (each cited
instrument once, with its number part for prefix lookups and its count of
citing documents).
"""

from __future__ import annotations

DDL = """
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
MIGRATIONS: dict[int, tuple[str, ...]] = {
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
    3: (
        "ALTER TABLE tasks ADD COLUMN done INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE tasks ADD COLUMN eff_deadline TEXT",
        "ALTER TABLE tasks ADD COLUMN due TEXT NOT NULL DEFAULT '~'",
        "ALTER TABLE tasks ADD COLUMN review TEXT NOT NULL DEFAULT 'unreviewed'",
        "ALTER TABLE tasks ADD COLUMN kept INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE tasks ADD COLUMN doc_date TEXT",
        "ALTER TABLE tasks ADD COLUMN doc_issuer TEXT",
        "ALTER TABLE tasks ADD COLUMN doc_province TEXT",
        "UPDATE tasks SET (doc_date, doc_issuer, doc_province) = (SELECT issue_date, issuer,"
        " province FROM documents d WHERE d.id = tasks.doc_id)",
        "UPDATE tasks SET eff_deadline = deadline, due = COALESCE(deadline, '~'),"
        " review = CASE origin WHEN 'added' THEN 'added' ELSE 'unreviewed' END",
        "DROP VIEW IF EXISTS task_view",
        # Recreated with the derived tables (they fired on every column).
        "DROP TRIGGER IF EXISTS agency_stats_task_agencies_upd",
        "DROP TRIGGER IF EXISTS agency_stats_agencies_upd",
        "ALTER TABLE task_agencies ADD COLUMN done INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE task_agencies ADD COLUMN due TEXT NOT NULL DEFAULT '~'",
        "DROP INDEX IF EXISTS task_agencies_agency",
        "CREATE INDEX task_agencies_owner ON task_agencies(agency, done, due, role, task_id)",
        "CREATE INDEX tasks_register ON tasks(kept, due, doc_date DESC, doc_id, idx)",
        "CREATE INDEX tasks_status ON tasks(kept, done, due, doc_date DESC, doc_id, idx)",
        "CREATE INDEX tasks_province ON tasks(doc_province, kept, done, due)",
        "CREATE INDEX tasks_issuer ON tasks(doc_issuer, kept, done, due)",
        "CREATE INDEX tasks_issued ON tasks(kept, doc_date)",
        "ALTER TABLE refs ADD COLUMN doc_date TEXT",
        "UPDATE refs SET doc_date = (SELECT issue_date FROM documents d WHERE d.id = refs.doc_id),"
        " context = NULL",
        "DROP INDEX IF EXISTS refs_canonical",
        "CREATE INDEX refs_canonical ON refs(canonical, doc_date DESC, doc_id, start)",
        "CREATE INDEX refs_number ON refs(number)",
        """CREATE TABLE document_versions(
  doc_id TEXT PRIMARY KEY, data BLOB NOT NULL, sources TEXT NOT NULL, ingested_at TEXT NOT NULL,
  title TEXT, number_symbol TEXT, issue_date TEXT, superseded_by TEXT NOT NULL,
  superseded_at TEXT NOT NULL, changes TEXT NOT NULL)""",
        "CREATE INDEX document_versions_by ON document_versions(superseded_by)",
        "CREATE TABLE doc_aliases(alias TEXT PRIMARY KEY, doc_id TEXT NOT NULL)",
        "CREATE INDEX doc_aliases_doc ON doc_aliases(doc_id)",
        # The task as read: extraction with the decisions applied; what the
        # decisions make of its status and review come with t.* (MATERIALIZE).
        """CREATE VIEW task_view AS
  SELECT t.*,
    COALESCE(o.owners, t.owners) AS eff_owners,
    COALESCE(o.owner_kinds, CASE WHEN o.owners IS NULL THEN t.owner_kinds END) AS eff_kinds,
    COALESCE(o.cooperating, t.cooperating) AS eff_cooperating,
    COALESCE(o.action, t.action) AS eff_action,
    o.note, o.done_on, o.done_by, o.updated_by, o.updated_at,
    d.number_symbol AS doc_number, d.title AS doc_title, d.doc_type AS doc_type,
    (SELECT MIN(source) FROM sources s WHERE s.doc_id = t.doc_id) AS doc_source
  FROM tasks t JOIN documents d ON d.id = t.doc_id
  LEFT JOIN task_overrides o ON o.task_id = t.id""",
    ),
    4: (
        # An index older stores had twice (schema 3 dropped it, the table's DDL
        # made it again); the collectives' rows only, not every owner row.
        "DROP INDEX IF EXISTS task_agencies_agency",
        "DROP INDEX IF EXISTS task_agencies_kind",
        "CREATE INDEX task_agencies_collective ON task_agencies(agency)"
        " WHERE kind = 'collective'",
        # A province's tasks in the register's order (the status narrows it).
        "DROP INDEX IF EXISTS tasks_province",
        "CREATE INDEX tasks_province ON tasks(doc_province, kept, done, due, doc_date DESC,"
        " doc_id, idx)",
    ),
    5: (
        "ALTER TABLE tasks ADD COLUMN text_at INTEGER",  # filled by LocalStore._migrate_5
    ),
    6: (),  # texts and contracts packed again by LocalStore._migrate_6
}
SCHEMA_VERSION = str(max(MIGRATIONS))

# What a task's decisions make of it, written into its row (schema 3) after
# every write of the task or of its decisions; ``{where}`` selects the tasks
# (a condition on ``tasks``). Three statements, run in the caller's transaction.
MATERIALIZE = (
    """UPDATE tasks SET (done, eff_deadline, review) = (
  SELECT COALESCE(o.done, 0),
    CASE WHEN o.deadline_cleared THEN NULL ELSE COALESCE(o.deadline, tasks.deadline) END,
    CASE
      WHEN COALESCE(o.rejected, 0) THEN 'rejected'
      WHEN tasks.origin = 'added' THEN 'added'
      WHEN COALESCE(o.owners, tasks.owners) IS NOT tasks.owners
        OR COALESCE(o.cooperating, tasks.cooperating) IS NOT tasks.cooperating
        OR COALESCE(o.action, tasks.action) IS NOT tasks.action
        OR (CASE WHEN o.deadline_cleared THEN NULL ELSE COALESCE(o.deadline, tasks.deadline) END)
           IS NOT tasks.deadline THEN 'edited'
      WHEN COALESCE(o.confirmed, 0) THEN 'confirmed'
      ELSE 'unreviewed' END
  FROM (SELECT 1) LEFT JOIN task_overrides o ON o.task_id = tasks.id)
WHERE {where}""",
    "UPDATE tasks SET due = COALESCE(eff_deadline, '~'), kept = (review != 'rejected')"
    " WHERE {where}",
    "UPDATE task_agencies SET (done, due) = (SELECT done, due FROM tasks"
    " WHERE tasks.id = task_agencies.task_id)"
    " WHERE task_id IN (SELECT id FROM tasks WHERE {where})",
)



# The agencies listing (``agencies()``, and every owner filter through
# ``pipeline.query.resolve.resolve_owner``), kept by triggers in the same
# transaction as each write instead of aggregating ~10 rows per document on
# read (3-4 s at 100k documents). A row holds exactly what a GROUP BY over
# ``agencies`` and ``task_agencies`` gives (the tests check it after every kind of write):
# the triggers fire on every insert and delete of those rows, including the
# ones ON DELETE CASCADE removes (document delete, replace, owner corrections),
# and a crash rolls them back with the rest of the transaction.
# 2: update triggers on the counted columns only; 3: WITHOUT ROWID (the name
# once, not in the table and again in its primary key's index)
AGENCY_STATS_VERSION = "3"
AGENCY_STATS_DDL = (
    """CREATE TABLE agency_stats(
  name TEXT PRIMARY KEY NOT NULL, current_name TEXT,
  documents INTEGER NOT NULL DEFAULT 0, lead_tasks INTEGER NOT NULL DEFAULT 0,
  cooperating_tasks INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID""",
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
        f"""CREATE TRIGGER agency_stats_{table}_upd AFTER UPDATE OF {cols} ON {table} BEGIN
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
        for table, col, cols in (("agencies", "name", "doc_id, name, current_name"),
                                 ("task_agencies", "agency", "task_id, agency, role"))
    ),
)
AGENCY_STATS_OBJECTS = (
    ("trigger", "agency_stats_agencies_ins"), ("trigger", "agency_stats_agencies_del"),
    ("trigger", "agency_stats_task_agencies_ins"), ("trigger", "agency_stats_task_agencies_del"),
    ("trigger", "agency_stats_agencies_upd"), ("trigger", "agency_stats_task_agencies_upd"),
    ("table", "agency_stats"),
)
# The same figures from scratch: the backfill of an older store, and `reindex`.
AGENCY_STATS_FILL = """
INSERT INTO agency_stats(name, current_name, documents, lead_tasks, cooperating_tasks)
SELECT name, MAX(cur), SUM(docs), SUM(lead), SUM(coop) FROM (
  SELECT name, MAX(current_name) AS cur, COUNT(DISTINCT doc_id) AS docs, 0 AS lead, 0 AS coop
    FROM agencies WHERE name IS NOT NULL GROUP BY name
  UNION ALL
  SELECT agency, NULL, 0, SUM(role IS 'lead'), SUM(role IS NOT 'lead')
    FROM task_agencies WHERE agency IS NOT NULL GROUP BY agency)
GROUP BY name
"""


# Tasks per (review state, done, due day), kept by triggers on ``tasks``: the
# register's totals for the status, review and deadline filters are a sum
# over a few thousand rows instead of a count of every task (hundreds of
# thousands at 100k documents).
TASK_COUNTS_VERSION = "1"
TASK_COUNTS_DDL = (
    """CREATE TABLE task_counts(
  review TEXT NOT NULL, done INTEGER NOT NULL, due TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(review, done, due)) WITHOUT ROWID""",
    """CREATE TRIGGER task_counts_ins AFTER INSERT ON tasks BEGIN
  INSERT INTO task_counts(review, done, due, n) VALUES(NEW.review, NEW.done, NEW.due, 1)
  ON CONFLICT(review, done, due) DO UPDATE SET n = n + 1;
END""",
    """CREATE TRIGGER task_counts_del AFTER DELETE ON tasks BEGIN
  UPDATE task_counts SET n = n - 1
    WHERE review = OLD.review AND done = OLD.done AND due = OLD.due;
  DELETE FROM task_counts
    WHERE review = OLD.review AND done = OLD.done AND due = OLD.due AND n <= 0;
END""",
    """CREATE TRIGGER task_counts_upd AFTER UPDATE OF review, done, due ON tasks
WHEN OLD.review IS NOT NEW.review OR OLD.done IS NOT NEW.done OR OLD.due IS NOT NEW.due BEGIN
  UPDATE task_counts SET n = n - 1
    WHERE review = OLD.review AND done = OLD.done AND due = OLD.due;
  DELETE FROM task_counts
    WHERE review = OLD.review AND done = OLD.done AND due = OLD.due AND n <= 0;
  INSERT INTO task_counts(review, done, due, n) VALUES(NEW.review, NEW.done, NEW.due, 1)
  ON CONFLICT(review, done, due) DO UPDATE SET n = n + 1;
END""",
)
TASK_COUNTS_OBJECTS = (
    ("trigger", "task_counts_ins"), ("trigger", "task_counts_del"),
    ("trigger", "task_counts_upd"), ("table", "task_counts"),
)
TASK_COUNTS_FILL = """
INSERT INTO task_counts(review, done, due, n)
SELECT review, done, due, COUNT(*) FROM tasks GROUP BY review, done, due
"""

# Each cited instrument once: its type, the rest of its key after the type
# name (folded, lowercased, no spaces around "/", ":" or "-": what a lookup's
# number or name prefix is compared with, by an index range), and how many
# documents cite it (``top_refs``). Triggers count the documents; the writer
# fills ``type`` and ``rest`` for a new key in the same transaction.
REF_KEYS_VERSION = "1"
REF_KEYS_DDL = (
    """CREATE TABLE ref_keys(
  canonical TEXT PRIMARY KEY NOT NULL, type TEXT, rest TEXT,
  docs INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX ref_keys_rest ON ref_keys(rest)",
    "CREATE INDEX ref_keys_type ON ref_keys(type, rest)",
    "CREATE INDEX ref_keys_docs ON ref_keys(docs DESC, canonical)",
    """CREATE TRIGGER ref_keys_ins AFTER INSERT ON refs BEGIN
  INSERT INTO ref_keys(canonical, docs) VALUES(
    NEW.canonical, NOT EXISTS(SELECT 1 FROM refs WHERE doc_id = NEW.doc_id
                              AND canonical = NEW.canonical AND rowid != NEW.rowid))
  ON CONFLICT(canonical) DO UPDATE SET docs = docs + excluded.docs;
END""",
    """CREATE TRIGGER ref_keys_del AFTER DELETE ON refs BEGIN
  UPDATE ref_keys SET docs = docs - NOT EXISTS(
      SELECT 1 FROM refs WHERE doc_id = OLD.doc_id AND canonical = OLD.canonical)
    WHERE canonical = OLD.canonical;
  DELETE FROM ref_keys WHERE canonical = OLD.canonical AND docs <= 0;
END""",
)
REF_KEYS_OBJECTS = (
    ("trigger", "ref_keys_ins"), ("trigger", "ref_keys_del"), ("table", "ref_keys"),
)
REF_KEYS_FILL = """
INSERT INTO ref_keys(canonical, type, docs)
SELECT canonical, MIN(type), COUNT(DISTINCT doc_id) FROM refs GROUP BY canonical
"""

# Repeating tasks (a few percent of them), in the register's order.
TASKS_RECURRING_VERSION = "2"
TASKS_RECURRING_DDL = (
    "CREATE INDEX tasks_recurring ON tasks(recurring, kept, done, due, doc_date DESC, doc_id,"
    " idx, id) WHERE recurring IS NOT NULL",
)
TASKS_RECURRING_OBJECTS = (("index", "tasks_recurring"),)

# name -> (version, objects to drop, statements to create, fill)
DERIVED: dict[str, tuple[str, tuple[tuple[str, str], ...], tuple[str, ...], str]] = {
    "agency_stats": (AGENCY_STATS_VERSION, AGENCY_STATS_OBJECTS, AGENCY_STATS_DDL,
                     AGENCY_STATS_FILL),
    "task_counts": (TASK_COUNTS_VERSION, TASK_COUNTS_OBJECTS, TASK_COUNTS_DDL, TASK_COUNTS_FILL),
    "ref_keys": (REF_KEYS_VERSION, REF_KEYS_OBJECTS, REF_KEYS_DDL, REF_KEYS_FILL),
    "tasks_recurring": (TASKS_RECURRING_VERSION, TASKS_RECURRING_OBJECTS, TASKS_RECURRING_DDL,
                        "SELECT 1"),
}
