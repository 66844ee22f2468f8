"""LocalStore: the embedded default. SQLite is the system of record; tantivy
is the full-text index derived from it (pipeline/store/local_index.py).

* Documents are written to SQLite in transactions of ``TX_DOCS`` documents,
  each document with its tasks, references, agencies and an
  ``index_pending`` row. The tantivy index is updated after the commit, one
  commit for everything pending (up to ``INDEX_DOCS`` documents at a time);
  a pending row is removed only once tantivy has committed. A crash between
  the two leaves pending rows, and :meth:`LocalStore.recover` (run by the API
  at start and on a timer, and by every ingest) or the next writer indexes
  them: the index is never missing a stored document for long, and SQLite
  never holds half a document (kill -9 is tested in tests/reliability/test_crash.py).
* The tantivy writer lock is held only while pending rows are applied, so
  an API server and `vndoc ingest` can write to one data directory at once.
* Ids come from content, so re-ingesting a file changes nothing. A text with
  the number and date of a stored document is the same document in another
  file, or a new version that supersedes it (pipeline/store/versions.py).
* Staff corrections to tasks live in ``task_overrides``, keyed by the
  deterministic task id and not tied to the document row, so they survive
  re-ingesting (or deleting and re-adding) the source document; what they
  make of a task (done, deadline, review state) is written into the task's
  row too, for the register's indexes (pipeline/store/local_register.py).
* The contract JSON is stored once, without the text (which has its own
  column), zlib-compressed with the text as the preset dictionary (after a
  contract's keys, schema 6; the text's own dictionary is the phrases of an
  official document: pipeline/store/local_dict.py). A task's
  sentence and a reference's text are offsets into the text (schema 5), cut
  again when read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from extractors.model import ExtractedDocument
from extractors.textnorm import fold, tokens
from pipeline.query.highlight import snippets
from pipeline.query.plan import plan
from pipeline.store import local_register as reg
from pipeline.store.base import (
    REVIEW_ACTIONS,
    AgencyRecord,
    Decision,
    DocumentVersion,
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
    StoreHealth,
    TaskQuery,
    TaskRecord,
    TaskUpdate,
    added_task_fields,
    citation_context,
    date_key,
    free_task_id,
    identity_key,
    new_task_sentence,
    task_id,
)
from pipeline.store.base import json_text as _js
from pipeline.store.base import padded_kinds as _kinds
from pipeline.store.base import ref_parts as _ref_parts
from pipeline.store.base import ref_rest as _ref_rest
from pipeline.store.base import review_changes as _changes
from pipeline.store.errors import BackendUnavailable, IndexingError, NotFound, QueryError
from pipeline.store.local_dict import (
    CONTRACT_DICT,
    CONTRACT_DICT_ADLER,
    TEXT_DICT,
    TEXT_DICT_ID,
    dict_id,
)
from pipeline.store.local_index import (  # the boosts: ElasticStore ranks the same way
    EXACT_PHRASE_BOOST,
    INDEX_VERSION,
    PHRASE_BOOST,
    TextIndex,
)
from pipeline.store.local_schema import DDL, DERIVED, MATERIALIZE, MIGRATIONS, SCHEMA_VERSION
from pipeline.store.versions import (
    SAME_DOCUMENT_OVERLAP,
    VERSION_OVERLAP,
    carried_fields,
    compare,
    match_tasks,
    overlap,
)

__all__ = ["EXACT_PHRASE_BOOST", "INDEX_DOCS", "PHRASE_BOOST", "SCHEMA_VERSION", "TX_DOCS",
           "LocalStore"]

# Chosen by measurement (BENCHMARKS.md, "Writer batching" and "Ingest, writer
# and cleaning"): a transaction per document spends most of its time
# committing; as the store grows, each of the tasks' eight indexes takes a
# document's rows on pages of its own, and a transaction of 100 documents
# writes such a page once where four of 25 wrote it up to four times (12,000
# documents, bench/writer_scale.py: the writing thread 3.14 -> 2.72 ms a
# document). A batch is all-or-nothing, so a crash loses at most that (the
# next ingest stores it).
TX_DOCS = 100
# SQLite's page cache of a connection that writes, in KB: the default, 2 MB,
# is 125 pages of 16 KB, fewer than a transaction dirties, so they were
# spilled to the WAL before its commit. Only the writing connection grows;
# readers share the file through mmap.
WRITER_CACHE_KB = 65536
# A tantivy commit costs tens of milliseconds whatever it holds.
INDEX_DOCS = 1000
# An owner filter matching at most this many tasks is answered from its owner
# rows, sorted; a larger one walks the register's default order (its index).
# None: always walk the register (tests compare the two ways).
OWNER_ROWS_FIRST: int | None = 2000
# An owner filter in the default order takes its page's candidates from the
# owner rows by deadline, while they are at most this many (a deeper page, or
# more tasks tied on one deadline, goes one of the two ways above). None: never.
OWNER_DUE_CANDIDATES: int | None = 2000
# A document-date range with more tasks than this walks the register's order
# (its index has the date) instead of sorting the range's tasks.
DATE_RANGE_SORTED = 2000
# SQLite's page size for new stores (and older ones at their schema 4
# upgrade): a document row (its compressed text and contract, ~2.4 KB) leaves
# ~40 % of a 4 KB page unused, ~10 % of a 16 KB one (at 100k documents,
# 868 -> 792 MB).
PAGE_SIZE = 16384
# The beginnings of texts a register page cut its tasks' sentences from, kept
# per process (bytes of UTF-8; at 100k documents a text is ~5-15 KB).
TEXT_HEADS = 8_000_000
MMAP_BYTES = 0x7FFF0000  # SQLite's largest by default (SQLITE_MAX_MMAP_SIZE)
# Register words with no other filter are answered by the index alone, the
# rejected tasks left out by id, while there are at most this many of them.
REJECTED_LEFT_OUT = 1000
SYSTEM = "vndoc"  # who the store records as making a change itself (a new version)


def _now(*, timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


_CUT = "_spans"  # a stored contract whose spans' texts were left out (schema 4)


def _pack(data: dict[str, Any], *, with_text: bool = False) -> bytes:
    """The contract JSON as stored, compressed: without the text (it has its
    column), and (``with_text`` False) without the text of every span that
    is a slice of it (``{"start", "end", "text"}``: the text is null, cut
    again from the document's text when read). Without its text, it is
    compressed with the text as zlib's preset dictionary: the names, task
    sentences and numbers it repeats from the text cost a back-reference
    (2,000 generated documents: 1,832 -> 1,122 bytes a contract); the
    dictionary starts with a contract's keys (``local_dict.CONTRACT_DICT``,
    schema 6: 3,000 generated contracts 1,315 -> 1,049 bytes)."""
    text = None if with_text else data.get("text")
    if with_text:
        raw = _dumps(data)
    else:
        # What _cut_spans returns, dumped without copying the contract: the
        # spans' texts are nulled in place for the dump, then put back (the
        # copy was 0.3 ms of a document's ~4 in the writer).
        body = {k: v for k, v in data.items() if k != "text"}
        cut = _spans_to_cut(body, text) if isinstance(text, str) else None
        if cut is None:
            raw = _dumps(body)
        else:
            body[_CUT] = 1
            try:
                for span, _value in cut:
                    span["text"] = None
                raw = _dumps(body)
            finally:
                for span, value in reversed(cut):
                    span["text"] = value
    if isinstance(text, str) and text:
        packer = zlib.compressobj(6, zdict=CONTRACT_DICT + text.encode("utf-8"))
        return packer.compress(raw) + packer.flush()
    return zlib.compress(raw, 6)


# json.dumps(x, ensure_ascii=False, separators=(",", ":")) without building an
# encoder for every call.
_CONTRACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(data: dict[str, Any]) -> bytes:
    return _CONTRACT_JSON.encode(data).encode("utf-8")


def _inflate(value: bytes, text: str | None) -> bytes:
    """A packed contract's JSON bytes (``text``: its document's text, the preset
    dictionary of a contract packed against it, which zlib's header flags)."""
    packed_with = dict_id(value)
    if packed_with is not None:
        if text is None:
            raise ValueError("a contract packed against its text is read without the text")
        raw = text.encode("utf-8")
        # schema 6: the contract's keys, then the text; before: the text alone
        zdict = (CONTRACT_DICT + raw if packed_with == zlib.adler32(raw, CONTRACT_DICT_ADLER)
                 else raw)
        unpacker = zlib.decompressobj(zdict=zdict)
        return unpacker.decompress(value) + unpacker.flush()
    return zlib.decompress(value)


def _unpack(value: bytes | str, text: str | None = None) -> dict[str, Any]:
    """The contract JSON back, the text where the contract has it (third)."""
    data: dict[str, Any] = json.loads(_inflate(value, text) if isinstance(value, bytes)
                                      else value)
    if data.pop(_CUT, None) and text is not None:
        _fill_spans(data, text)
    if text is None or "text" in data:
        return data
    out = {k: data[k] for k in ("id", "source") if k in data}
    out["text"] = text
    out.update((k, v) for k, v in data.items() if k not in out)
    return out


def _is_span(x: dict[str, Any]) -> bool:
    return (type(x.get("start")) is int and type(x.get("end")) is int  # noqa: E721
            and "text" in x)


def _cut_spans(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without its text, each span's text that is exactly
    ``text[start:end]`` nulled; unchanged (but for the text) when any span
    already has a null text, so that reading it back is exact."""
    text = data.get("text")
    body = {k: v for k, v in data.items() if k != "text"}
    if not isinstance(text, str):
        return body
    cut = 0
    null = False

    def copy(x: Any) -> Any:  # one pass: copy, cutting as it goes
        nonlocal cut, null
        if isinstance(x, dict):
            if _is_span(x):
                if x["text"] is None:
                    null = True
                elif text[x["start"]:x["end"]] == x["text"]:
                    cut += 1
                    return {k: (None if k == "text" else copy(v)) for k, v in x.items()}
            return {k: (v if k == "text" else copy(v)) for k, v in x.items()}
        if isinstance(x, list):
            return [copy(v) for v in x]
        return x

    out: dict[str, Any] = copy(body)
    if null or not cut:
        return body
    out[_CUT] = 1
    return out


def _spans_to_cut(body: dict[str, Any], text: str) -> list[tuple[dict[str, Any], Any]] | None:
    """The spans of ``body`` (a contract without its text) whose text
    ``_cut_spans`` nulls, with that text, in the order met; None when it
    nulls none (no span is a slice of ``text``, or a span's text is null
    already). The same walk as ``_cut_spans``: every value but a "text"."""
    cut: list[tuple[dict[str, Any], Any]] = []
    null = False
    stack: list[Any] = [body]
    while stack:
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(v for v in x if isinstance(v, dict | list))
            continue
        if type(x.get("start")) is int and type(x.get("end")) is int and "text" in x:  # noqa: E721
            value = x["text"]
            if value is None:
                null = True
            elif text[x["start"]:x["end"]] == value:
                cut.append((x, value))
        stack.extend(v for k, v in x.items() if k != "text" and isinstance(v, dict | list))
    if null or not cut:
        return None
    return cut


def _fill_spans(x: Any, text: str) -> None:
    """The texts ``_cut_spans`` left out, cut again from the document's text."""
    if isinstance(x, dict):
        if _is_span(x) and x["text"] is None:
            x["text"] = text[x["start"]:x["end"]]
        for k, v in x.items():
            if k != "text":
                _fill_spans(v, text)
    elif isinstance(x, list):
        for v in x:
            _fill_spans(v, text)


def _pack_text(text: str) -> bytes:
    """A document's text as stored: UTF-8, zlib-compressed (schema 4) with
    the phrases of an official document as the preset dictionary (schema 6,
    ``local_dict.TEXT_DICT``: -14 % on the corpus's texts)."""
    packer = zlib.compressobj(6, zdict=TEXT_DICT)
    return packer.compress(text.encode("utf-8")) + packer.flush()


def _text_inflater(packed: bytes) -> Any:
    """A decompressor for a stored text, with the dictionary it was packed with."""
    packed_with = dict_id(packed)
    if packed_with is None:  # schema 4-5
        return zlib.decompressobj()
    if packed_with != TEXT_DICT_ID:
        raise ValueError(f"a text packed with an unknown dictionary ({packed_with:08x})")
    return zlib.decompressobj(zdict=TEXT_DICT)


def _text(value: bytes | str) -> str:
    """A document's text as read (an older store's rows are plain text)."""
    if isinstance(value, str):
        return value
    inflater = _text_inflater(value)
    return (inflater.decompress(value) + inflater.flush()).decode("utf-8")


def _cut(text: str, value: str | None, start: Any, end: Any) -> str | None:
    """A row's text as stored (schema 5): None where it is ``text[start:end]``."""
    if (value is not None and type(start) is int and type(end) is int  # noqa: E721
            and text[start:end] == value):
        return None
    return value


# A cut sentence's place in its document's UTF-8 text (``tasks.text_at``): its
# first byte shifted left by AT_BITS, plus its length in bytes.
AT_BITS = 20
_AT_MASK = (1 << AT_BITS) - 1


def _task_text(text: str, sentence: str | None, start: Any, end: Any, action: str | None,
               origin: str) -> tuple[str | None, int | None]:
    """A task's ``(text, text_at)`` as stored (schema 5): where the sentence is
    its slice of the document's text, no text but its bytes' place in the
    text's UTF-8 (a page of the register decompresses each text only up to
    its tasks and decodes only their bytes); a task without an action (the
    register's "content" order is ``COALESCE(eff_action, text)`` in SQL) and a
    task staff added (its row is copied from ``added_tasks``) keep it."""
    if action is None or origin == "added" or sentence is None or (
            _cut(text, sentence, start, end) is not None):
        return sentence, None
    size = len(sentence.encode("utf-8"))
    if size > _AT_MASK:
        return sentence, None
    return None, (len(text[:start].encode("utf-8")) << AT_BITS) | size


def _task_ids(doc_id: str, tasks: Sequence[dict[str, Any]]) -> list[str]:
    """The deterministic ids of a document's extracted tasks, in order."""
    seen: dict[str, int] = {}
    out = []
    for t in tasks:
        occ = seen.get(t["text"], 0)
        seen[t["text"]] = occ + 1
        out.append(task_id(doc_id, t["text"], occ))
    return out


_WRITTEN_MAX = 5_000  # texts LocalStore keeps for the index at most (then it reads them back)
_REVIEW_ACTIONS_SQL = ",".join(f"'{a}'" for a in REVIEW_ACTIONS)
# task_overrides columns carried to the next version, by carried field.
_CARRY_COLUMNS = {
    "done": ("done",), "done_on": ("done_on",), "done_by": ("done_by",), "note": ("note",),
    "rejected": ("rejected",), "confirmed": ("confirmed",), "owners": ("owners",),
    "owner_kinds": ("owner_kinds",), "cooperating": ("cooperating",), "action": ("action",),
    "deadline": ("deadline",), "deadline_cleared": ("deadline_cleared",),
}


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
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []  # every thread's, closed together
        self._lock = threading.RLock()
        self._cache: dict[str, tuple[str, Any]] = {}
        # The texts of the documents written since the index last took its
        # pending work (a document's text never changes: its id is the text's
        # hash), so that the index need not read them back from SQLite and
        # inflate them: 0.5 ms a document.
        self._written: dict[str, str] = {}
        self._facets: OrderedDict[tuple[Any, ...], dict[str, list[tuple[str, int]]]] = (
            OrderedDict())
        self._facets_lock = threading.Lock()
        self._heads: OrderedDict[str, tuple[bytes, bool]] = OrderedDict()
        self._heads_bytes = 0
        self._heads_gen = ""
        self._heads_lock = threading.Lock()
        self._text = TextIndex(self._index_dir, writer_heap=writer_heap)
        with self._lock:
            conn = self._conn()
            try:
                self._check_version(conn)
            except BackendUnavailable:
                self.close()
                raise
            conn.executescript(DDL)
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1')"
            )
            conn.commit()
            self._migrate(conn)
            self._ensure_derived(conn)
            self._ensure_index_version(conn)

    # -- schema ----------------------------------------------------------------
    def _check_version(self, conn: sqlite3.Connection) -> None:
        """Refuse a store written by a newer vndoc, before anything is written
        to it (an older one is brought up to date by ``_migrate``)."""
        try:
            row = conn.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # a new file: no meta table yet
            return
        except sqlite3.DatabaseError as e:
            raise BackendUnavailable(
                f"{self._db_path} không phải cơ sở dữ liệu SQLite của vndoc ({e}) / "
                f"{self._db_path} is not a vndoc SQLite store ({e})") from e
        if row is None:
            return
        try:
            found = int(row[0])
        except (TypeError, ValueError):
            found = None
        if found is None or found > int(SCHEMA_VERSION):
            raise BackendUnavailable(
                f"{self._db_path} có lược đồ phiên bản {row[0]}, mới hơn phiên bản "
                f"{SCHEMA_VERSION} mà bản vndoc này đọc được: hãy cập nhật vndoc, "
                "dữ liệu được giữ nguyên / "
                f"{self._db_path} has schema version {row[0]}, newer than the version "
                f"{SCHEMA_VERSION} this vndoc reads: upgrade vndoc; the store was not changed")

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
                for v in sorted(MIGRATIONS):
                    if v <= start:
                        continue
                    for stmt in MIGRATIONS[v]:
                        conn.execute(stmt)
                    if v == 3:
                        self._migrate_3(conn)
                    if v == 4:
                        self._migrate_4(conn)
                    if v == 5:
                        self._migrate_5(conn)
                    if v == 6:
                        self._migrate_6(conn)
                if start < 2:  # review states, counted from the task rows as they are now
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
        if start < 6:  # schemas 3-6 rewrote every document smaller: give the space back
            self._vacuum(conn)

    @staticmethod
    def _vacuum(conn: sqlite3.Connection) -> None:
        """VACUUM, into pages of PAGE_SIZE (a WAL store changes its page size
        only out of WAL mode, so only while no other process has it open)."""
        try:
            if conn.execute("PRAGMA page_size").fetchone()[0] != PAGE_SIZE:
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        except sqlite3.OperationalError:  # another connection: keep the page size
            pass
        conn.execute("VACUUM")
        conn.execute("PRAGMA journal_mode=WAL")

    def _migrate_3(self, conn: sqlite3.Connection) -> None:
        """Schema 3's Python steps: decisions written into the task rows, the
        contract JSON stored once and compressed."""
        for stmt in MATERIALIZE:
            conn.execute(stmt.format(where="id IN (SELECT task_id FROM task_overrides)"))
        conn.execute("UPDATE task_agencies SET (done, due) = (SELECT done, due FROM tasks"
                     " WHERE tasks.id = task_agencies.task_id)")
        rows = conn.execute("SELECT rowid, data FROM documents").fetchall()
        for r in rows:
            if isinstance(r[1], str):
                conn.execute("UPDATE documents SET data = ? WHERE rowid = ?",
                             (_pack(json.loads(r[1])), r[0]))
        for r in conn.execute("SELECT rowid, data FROM removed_documents").fetchall():
            if isinstance(r[1], str):
                conn.execute("UPDATE removed_documents SET data = ? WHERE rowid = ?",
                             (_pack(json.loads(r[1]), with_text=True), r[0]))

    @staticmethod
    def _migrate_4(conn: sqlite3.Connection) -> None:
        """Schema 4's Python step: each document's text compressed, its contract
        JSON stored again without the spans' texts."""
        rows = conn.execute("SELECT rowid, text, data FROM documents").fetchall()
        for r in rows:
            if isinstance(r[1], str):
                conn.execute("UPDATE documents SET text = ?, data = ? WHERE rowid = ?",
                             (_pack_text(r[1]), _pack(_unpack(r[2], r[1])), r[0]))

    @staticmethod
    def _migrate_5(conn: sqlite3.Connection) -> None:
        """Schema 5's Python step: each task's sentence and each reference's
        text left out where it is its slice of the document's text (what
        ``_insert_data`` writes)."""
        tasks: list[tuple[Any, ...]] = []
        refs: list[tuple[Any, ...]] = []
        for doc_id, packed in conn.execute("SELECT id, text FROM documents").fetchall():
            text = _text(packed)
            for r in conn.execute(
                'SELECT rowid, text, start, "end", action, origin FROM tasks'
                " WHERE doc_id = ? AND text IS NOT NULL", (doc_id,)).fetchall():
                stored, at = _task_text(text, r[1], r[2], r[3], r[4], r[5])
                if stored is None:
                    tasks.append((at, r[0]))
            for r in conn.execute('SELECT rowid, text, start, "end" FROM refs'
                                  " WHERE doc_id = ? AND text IS NOT NULL", (doc_id,)).fetchall():
                if _cut(text, r[1], r[2], r[3]) is None:
                    refs.append((r[0],))
        conn.executemany("UPDATE tasks SET text = NULL, text_at = ? WHERE rowid = ?", tasks)
        conn.executemany("UPDATE refs SET text = NULL WHERE rowid = ?", refs)

    @staticmethod
    def _migrate_6(conn: sqlite3.Connection) -> None:
        """Schema 6's Python step: each document's text and contract packed
        again with their preset dictionaries (``local_dict``), a thousand
        rows read at a time (a 100k store: 67 s of CPU with the VACUUM)."""
        last = -1
        while True:
            rows = conn.execute("SELECT rowid, text, data FROM documents WHERE rowid > ?"
                                " ORDER BY rowid LIMIT 1000", (last,)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            for r in rows:
                if isinstance(r[1], bytes) and dict_id(r[1]) == TEXT_DICT_ID:
                    continue  # packed with the dictionary already
                text = _text(r[1])
                conn.execute("UPDATE documents SET text = ?, data = ? WHERE rowid = ?",
                             (_pack_text(text), _pack(_unpack(r[2], text)), r[0]))

    def _ensure_derived(self, conn: sqlite3.Connection) -> None:
        """Create each derived table and its triggers once, filled from the rows
        (a store written before it existed is counted once, in the same
        transaction that creates the triggers)."""

        def current(name: str, version: str) -> bool:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
            return row is not None and row[0] == version

        stale = [n for n, (v, *_rest) in DERIVED.items() if not current(n, v)]
        if not stale:
            return
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                for name in stale:
                    version = DERIVED[name][0]
                    if current(name, version):  # another process did it meanwhile
                        continue
                    self._rebuild_derived(conn, name)
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)",
                                 (name, version))
        except sqlite3.OperationalError as e:
            raise BackendUnavailable(
                f"can't prepare the store's listings in {self._db_path}: {e}; another "
                "process is writing to this store, try again when it has finished"
            ) from e

    def _rebuild_derived(self, conn: sqlite3.Connection, name: str) -> None:
        """Drop and recreate one derived table and its triggers, then count
        (inside a transaction)."""
        _version, objects, ddl, fill = DERIVED[name]
        for kind, obj in objects:
            conn.execute(f"DROP {kind.upper()} IF EXISTS {obj}")
        for stmt in ddl:
            conn.execute(stmt)
        conn.execute(fill)
        if name == "ref_keys":
            self._fill_ref_rest(conn)
        self._bump(conn)

    @staticmethod
    def _fill_ref_rest(conn: sqlite3.Connection, canonicals: Iterable[str] | None = None) -> None:
        """``type`` and ``rest`` of the reference keys that lack them."""
        if canonicals is None:
            rows = conn.execute(
                "SELECT k.canonical, (SELECT type FROM refs r WHERE r.canonical = k.canonical"
                " LIMIT 1) FROM ref_keys k WHERE k.rest IS NULL").fetchall()
        else:
            marks = ",".join("?" * len(list(canonicals)))
            rows = conn.execute(
                "SELECT k.canonical, (SELECT type FROM refs r WHERE r.canonical = k.canonical"
                f" LIMIT 1) FROM ref_keys k WHERE k.rest IS NULL AND k.canonical IN ({marks})",
                list(canonicals)).fetchall()
        conn.executemany(
            "UPDATE ref_keys SET type = ?, rest = ? WHERE canonical = ?",
            [(*_ref_parts(r[0], r[1]), r[0]) for r in rows],
        )

    def _ensure_index_version(self, conn: sqlite3.Connection) -> None:
        """An index of another layout (an older store's) is started again empty,
        every document queued for it: the next recover() or write fills it."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
        if row is not None and row[0] == INDEX_VERSION:
            return
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
            if row is not None and row[0] == INDEX_VERSION:
                return
            n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            if n or row is not None:
                self._text.recreate()
                conn.execute("INSERT OR REPLACE INTO index_pending(doc_id, op)"
                             " SELECT id, 'add' FROM documents")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('index_version', ?)",
                         (INDEX_VERSION,))

    # -- connections ---------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._db_path, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's; no-op after
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            # Pages read through the OS's page cache in place, shared by every
            # thread's connection and process, rather than copied into each
            # connection's own 2 MB cache (the API's 40 threads each had a cold
            # one: at 100k documents, 50 tasks by id 1.4 -> 0.5 ms of CPU).
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (call when no other thread uses the store)."""
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
            self._local = threading.local()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------
    def put(self, doc: ExtractedDocument) -> PutOutcome:
        return self.put_many([doc])[0]

    def put_many(self, docs: Iterable[ExtractedDocument]) -> list[PutOutcome]:
        """Write documents in transactions of ``TX_DOCS``, then index them all."""
        outcomes: list[PutOutcome] = []
        it = iter(docs)
        with self._lock:
            while chunk := list(islice(it, TX_DOCS)):
                outcomes.extend(self._write_sql(*chunk))
            if any(o != "unchanged" for o in outcomes):
                self._flush_pending()
        return outcomes

    def _write_sql(self, *docs: ExtractedDocument) -> list[PutOutcome]:
        """Write documents to SQLite in one transaction (their index work pending)."""
        with self._lock:
            conn = self._conn()
            if not getattr(self._local, "writer_cache", False):
                conn.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KB}")
                self._local.writer_cache = True
            outcomes: list[PutOutcome] = []
            try:
                with conn:  # one transaction
                    conn.execute("BEGIN IMMEDIATE")
                    for doc in docs:
                        try:
                            outcomes.append(self._write_one(conn, doc))
                        except sqlite3.Error as e:
                            raise IndexingError(f"can't store {doc.source}: {e}") from e
                    self._bump(conn)
            except sqlite3.Error as e:
                raise IndexingError(f"can't store {docs[0].source}: {e}") from e
            return outcomes

    def _write_one(self, conn: sqlite3.Connection, doc: ExtractedDocument) -> PutOutcome:
        """Write one document inside the caller's transaction."""
        prev_row = conn.execute(
            "SELECT doc_id FROM sources WHERE source = ?", (doc.source,)).fetchone()
        prev = prev_row["doc_id"] if prev_row else None
        if conn.execute("SELECT 1 FROM removed_documents WHERE doc_id = ?", (doc.id,)).fetchone():
            return "removed"  # deleted by staff: restored only when asked
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
            conn.execute("INSERT OR IGNORE INTO sources(source, doc_id) VALUES(?, ?)",
                         (doc.source, doc.id))
            if prev and prev != doc.id:
                conn.execute("UPDATE sources SET doc_id = ? WHERE source = ?", (doc.id, doc.source))
                self._drop_orphan(conn, prev)
                return "replaced"
            return "unchanged"
        if conn.execute(
            "SELECT 1 FROM document_versions WHERE doc_id = ?", (doc.id,)
        ).fetchone():
            return "unchanged"  # an earlier version: the later one stays current
        data = doc.to_json()
        same, older = self._identity_match(conn, doc, data)
        if same is not None and (not prev or prev == same):
            # The same signed document in another file (a PDF and a DOCX of
            # one Công văn): one document, two sources.
            conn.execute("INSERT OR REPLACE INTO sources(source, doc_id) VALUES(?, ?)",
                         (doc.source, same))
            conn.execute("INSERT OR REPLACE INTO doc_aliases(alias, doc_id) VALUES(?, ?)",
                         (doc.id, same))
            return "unchanged"
        outcome: PutOutcome = "added"
        if older is not None:
            self._supersede(conn, older, data)
            outcome = "new_version"
        self._insert_data(conn, data, _now(timespec="microseconds"))
        prev_left = conn.execute(
            "SELECT doc_id FROM sources WHERE source = ?", (doc.source,)).fetchone()
        if prev_left and prev_left["doc_id"] != doc.id:
            conn.execute("UPDATE sources SET doc_id = ? WHERE source = ?", (doc.id, doc.source))
            self._drop_orphan(conn, prev_left["doc_id"])
            if outcome == "added":
                outcome = "replaced"
        else:
            conn.execute("INSERT OR REPLACE INTO sources(source, doc_id) VALUES(?, ?)",
                         (doc.source, doc.id))
        conn.execute(
            "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'add')", (doc.id,))
        return outcome

    def _identity_match(
        self, conn: sqlite3.Connection, doc: ExtractedDocument, data: dict[str, Any]
    ) -> tuple[str | None, sqlite3.Row | None]:
        """(the stored copy of this signed document read from another file, or
        None; else the stored version this text supersedes, or None).

        An official document is identified by its number and date with an
        issuer that does not disagree. Most words shared and nothing said
        differently: the same document; enough words shared and tasks,
        deadlines, owners or references changed: a new version
        (pipeline/store/versions.py); otherwise another document. The word
        set is built only when a stored document has the identity.
        """
        key = identity_key(doc)
        if key is None:
            return None, None
        rows = conn.execute(
            "SELECT id, issuer, text, data, ingested_at, title, number_symbol, issue_date"
            " FROM documents WHERE kind = 'official' AND number_symbol = ? AND issue_date = ?"
            " ORDER BY id", key,
        ).fetchall()
        if not rows:
            return None, None
        words = set(tokens(doc.text))
        best: tuple[float, sqlite3.Row] | None = None
        for row in rows:
            if doc.doc.issuer and row["issuer"] and doc.doc.issuer != row["issuer"]:
                continue
            row_text = _text(row["text"])
            share = overlap(words, set(tokens(row_text)))
            if share < VERSION_OVERLAP:
                continue
            substantive = compare(_unpack(row["data"], row_text), data).substantive
            if not substantive and share >= SAME_DOCUMENT_OVERLAP:
                return str(row["id"]), None
            if substantive and (best is None or share > best[0]):
                best = (share, row)
        return None, best[1] if best else None

    def _supersede(self, conn: sqlite3.Connection, old: sqlite3.Row,
                   data: dict[str, Any]) -> None:
        """Make ``data`` the new version of the stored document ``old`` (before
        ``data`` is inserted): carry staff decisions to the matching tasks, keep
        the old version with what changed, and drop it from every answer."""
        old_id, new_id = str(old["id"]), data["id"]
        old_data = _unpack(old["data"], _text(old["text"]))
        changes = compare(old_data, data)
        old_tasks, new_tasks = old_data.get("tasks", []), data.get("tasks", [])
        old_ids, new_ids = _task_ids(old_id, old_tasks), _task_ids(new_id, new_tasks)
        now = _now()
        carried: list[tuple[str, str | None, str | None, str | None]] = []
        for m in match_tasks(old_tasks, new_tasks):
            fields = carried_fields(old_tasks[m.old], new_tasks[m.new], exact=m.exact)
            if self._carry_override(conn, old_ids[m.old], new_ids[m.new], new_id, fields):
                carried.append(("carry_over", None, old_ids[m.old], new_ids[m.new]))
        # Tasks staff added: found again in the new text, they come along.
        used = set(new_ids)
        text = data["text"]
        for a in conn.execute(
            "SELECT * FROM added_tasks WHERE doc_id = ? ORDER BY start, task_id", (old_id,)
        ).fetchall():
            start = text.find(a["text"])
            if start < 0:
                continue
            occ = 0
            while task_id(new_id, a["text"], occ) in used:
                occ += 1
            tid = task_id(new_id, a["text"], occ)
            used.add(tid)
            conn.execute(
                "INSERT OR REPLACE INTO added_tasks(task_id, doc_id, start, \"end\", text, owners,"
                " owner_kinds, cooperating, action, deadline, deadline_text, who, at)"
                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (tid, new_id, start, start + len(a["text"]), a["text"], a["owners"],
                 a["owner_kinds"], a["cooperating"], a["action"], a["deadline"],
                 a["deadline_text"], a["who"], a["at"]),
            )
            self._carry_override(conn, a["task_id"], tid, new_id, set(_CARRY_COLUMNS))
            carried.append(("carry_over", None, a["task_id"], tid))
        sources = [r[0] for r in conn.execute(
            "SELECT source FROM sources WHERE doc_id = ? ORDER BY source", (old_id,))]
        conn.execute(
            "INSERT OR REPLACE INTO document_versions(doc_id, data, sources, ingested_at, title,"
            " number_symbol, issue_date, superseded_by, superseded_at, changes)"
            " VALUES(?,?,?,?,?,?,?,?,?,?)",
            (old_id, _pack(old_data, with_text=True), _js(sources), old["ingested_at"],
             old["title"], old["number_symbol"], old["issue_date"], new_id, now,
             json.dumps(changes.to_json(), ensure_ascii=False)),
        )
        conn.execute("DELETE FROM documents WHERE id = ?", (old_id,))
        conn.execute(
            "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'delete')", (old_id,))
        conn.execute("UPDATE doc_aliases SET doc_id = ? WHERE doc_id = ?", (new_id, old_id))
        conn.execute("INSERT OR REPLACE INTO doc_aliases(alias, doc_id) VALUES(?, ?)",
                     (old_id, new_id))
        self._record(conn, new_id, None, [("new_version", None, old_id, new_id)], SYSTEM, now)
        for c in carried:
            self._record(conn, new_id, c[3], [c], SYSTEM, now)

    @staticmethod
    def _carry_override(conn: sqlite3.Connection, old_tid: str, new_tid: str, doc_id: str,
                        fields: set[str]) -> bool:
        """Copy the carried fields of one task's decisions to its match."""
        row = conn.execute("SELECT * FROM task_overrides WHERE task_id = ?", (old_tid,)).fetchone()
        if row is None:
            return False
        cols = [c for f in sorted(fields) for c in _CARRY_COLUMNS.get(f, ())]
        values = [row[c] for c in cols]
        conn.execute(
            f"INSERT OR REPLACE INTO task_overrides(task_id, doc_id, updated_by, updated_at"
            f"{''.join(', ' + c for c in cols)}) VALUES(?,?,?,?{',?' * len(cols)})",
            (new_tid, doc_id, row["updated_by"], row["updated_at"], *values),
        )
        return True

    def _drop_orphan(self, conn: sqlite3.Connection, doc_id: str) -> None:
        left = conn.execute("SELECT 1 FROM sources WHERE doc_id = ?", (doc_id,)).fetchone()
        if not left:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            conn.execute(
                "INSERT OR REPLACE INTO index_pending(doc_id, op) VALUES(?, 'delete')", (doc_id,)
            )

    def _insert_data(
        self, conn: sqlite3.Connection, data: dict[str, Any], ingested_at: str
    ) -> None:
        """Write one document from its contract form, with its tasks (staff's
        added ones too, decisions applied), references and agencies."""
        doc_id, text, d = data["id"], data["text"], data["doc"]
        if len(self._written) >= _WRITTEN_MAX:
            self._written.clear()
        self._written[doc_id] = text
        title = d.get("subject") or d.get("title") or (text.strip().split("\n", 1)[0][:200] or None)
        issue_date, issuer, province = d.get("issue_date"), d.get("issuer"), d.get("province")
        conn.execute(
            "INSERT INTO documents(id, kind, doc_type, number_symbol, issuer, issue_date,"
            " date_key, province, title, text, data, ingested_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id, d.get("kind"), d.get("doc_type"), d.get("number_symbol"),
                issuer, issue_date, date_key(issue_date), province, title, _pack_text(text),
                _pack(data), ingested_at,
            ),
        )
        rows = []
        for idx, (tid, t) in enumerate(zip(_task_ids(doc_id, data.get("tasks", [])),
                                           data.get("tasks", []), strict=True)):
            rows.append((
                tid, doc_id, idx, _js(t["owners"]), _js(t["cooperating"]), t.get("action"),
                t["text"], t["start"], t["end"], t.get("deadline"), t.get("deadline_text"),
                t.get("recurring"), _js(t.get("legal_basis") or []),
                _js(t.get("owner_kinds") or []), t.get("rule_id") or None, t.get("confidence"),
                _js(t.get("flags") or []), "extracted", t.get("deadline"),
                t.get("deadline") or reg.NO_DEADLINE, "unreviewed",
            ))
        n = len(rows)
        for k, a in enumerate(conn.execute(
            "SELECT * FROM added_tasks WHERE doc_id = ? ORDER BY start, task_id", (doc_id,)
        ).fetchall()):
            rows.append((
                a["task_id"], doc_id, n + k, a["owners"], a["cooperating"], a["action"],
                a["text"], a["start"], a["end"], a["deadline"], a["deadline_text"], None,
                "[]", a["owner_kinds"], None, None, "[]", "added", a["deadline"],
                a["deadline"] or reg.NO_DEADLINE, "added",
            ))
        # One row per id (an added task whose sentence extraction now finds
        # too is the added one), inserted plainly so that the triggers count it.
        rows = list({r[0]: r for r in rows}.values())
        ids = [r[0] for r in rows]
        decided = set()
        if ids:
            marks = ",".join("?" * len(ids))
            decided = {r[0] for r in conn.execute(
                f"SELECT task_id FROM task_overrides WHERE task_id IN ({marks})", ids)}
        # the sentences as places in the text (schema 5)
        cuts = [_task_text(text, r[6], r[7], r[8], r[5], r[17]) for r in rows]
        conn.executemany(
            "INSERT INTO tasks(id, doc_id, idx, owners, cooperating, action, text,"
            ' start, "end", deadline, deadline_text, recurring, legal_basis, owner_kinds,'
            " rule_id, confidence, flags, origin, eff_deadline, due, review, text_at, done,"
            " kept, doc_date, doc_issuer, doc_province)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,1,?,?,?)",
            [(*r[:6], cut[0], *r[7:], cut[1], issue_date, issuer, province)
             for r, cut in zip(rows, cuts, strict=True)],
        )
        if decided:
            where = f"id IN ({','.join('?' * len(decided))})"
            for stmt in MATERIALIZE:
                conn.execute(stmt.format(where=where), list(decided))
        owner_rows: list[tuple[Any, ...]] = []
        if decided:
            for tid in decided:
                owner_rows.extend(self._owner_rows(conn, tid))
        for r in rows:
            if r[0] in decided:
                continue
            owners = json.loads(r[3])
            kinds = _kinds(owners, json.loads(r[13] or "[]"))
            owner_rows.extend((r[0], o, "lead", k, 0, r[19]) for o, k in zip(owners, kinds,
                                                                               strict=True))
            owner_rows.extend((r[0], c, "cooperating", None, 0, r[19])
                              for c in json.loads(r[4]))
        conn.executemany(
            "INSERT INTO task_agencies(task_id, agency, role, kind, done, due)"
            " VALUES(?,?,?,?,?,?)", owner_rows)
        refs = data.get("legal_refs", [])
        conn.executemany(
            "INSERT INTO refs(doc_id, canonical, type, number, article, clause, point, date,"
            ' start, "end", text, doc_date) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)',
            [(doc_id, r["canonical"], r["type"], r.get("number"), r.get("article"),
              r.get("clause"), r.get("point"), r.get("date"), r["start"], r["end"],
              _cut(text, r["text"], r["start"], r["end"]), issue_date) for r in refs],
        )
        if refs:
            self._fill_ref_rest(conn, sorted({r["canonical"] for r in refs}))
        conn.executemany(
            "INSERT INTO agencies(doc_id, name, current_name, mentions) VALUES(?,?,?,?)",
            [(doc_id, a["name"], a.get("current_name"), len(a.get("mentions", [])))
             for a in data.get("agencies", [])],
        )
        self._refresh_review(conn, doc_id)

    @staticmethod
    def _owner_rows(conn: sqlite3.Connection, tid: str) -> list[tuple[Any, ...]]:
        """The owner index rows of one task: its effective owners (typed) and
        cooperating agencies; none for a rejected task, which is no task."""
        row = conn.execute(
            "SELECT eff_owners, eff_kinds, eff_cooperating, review, done, due FROM task_view"
            " WHERE id = ?", (tid,),
        ).fetchone()
        if row is None or row["review"] == "rejected":
            return []
        owners = json.loads(row["eff_owners"])
        kinds = _kinds(owners, json.loads(row["eff_kinds"] or "[]"))
        return ([(tid, o, "lead", k, row["done"], row["due"])
                 for o, k in zip(owners, kinds, strict=True)]
                + [(tid, c, "cooperating", None, row["done"], row["due"])
                   for c in json.loads(row["eff_cooperating"])])

    def _sync_task(self, conn: sqlite3.Connection, tid: str) -> None:
        """After a decision: the task's row, then its owner index rows."""
        for stmt in MATERIALIZE:
            conn.execute(stmt.format(where="id = ?"), (tid,))
        conn.execute("DELETE FROM task_agencies WHERE task_id = ?", (tid,))
        conn.executemany(
            "INSERT INTO task_agencies(task_id, agency, role, kind, done, due)"
            " VALUES(?,?,?,?,?,?)", self._owner_rows(conn, tid))

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
            " COALESCE(SUM(review = 'unreviewed'), 0) FROM tasks WHERE doc_id = ?",
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

    # -- the index -------------------------------------------------------------
    def _index_docs(self, conn: sqlite3.Connection, doc_id: str) -> list[Any]:
        row = conn.execute(
            "SELECT title, doc_type, issuer, province, issue_date, date_key"
            " FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return []
        text = self._written.pop(doc_id, None)
        if text is None:
            text = _text(conn.execute(
                "SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()["text"])
        facets: dict[str, Any] = {
            "doc_type": row["doc_type"] or "", "issuer": row["issuer"] or "",
            "province": row["province"] or "", "year": (row["issue_date"] or "")[:4],
        }
        if row["date_key"] is not None:
            facets["date"] = int(row["date_key"])
        tasks = [(t[0], t[1], t[2]) for t in conn.execute(
            'SELECT id, start, "end" FROM tasks WHERE doc_id = ?', (doc_id,))]
        return self._text.documents(doc_id, title=row["title"] or "", text=text,
                                    folded=fold(text), tasks=tasks, facets=facets)

    def _flush_pending(self, *, wait_s: float = 30.0) -> int:
        """Apply pending index operations (anyone's), ``INDEX_DOCS`` per commit,
        then forget them."""
        done = 0
        with self._lock:
            conn = self._conn()
            while True:
                pending = conn.execute(
                    "SELECT doc_id, op FROM index_pending LIMIT ?", (INDEX_DOCS,)).fetchall()
                if not pending:
                    break
                writer = self._text.writer(wait_s=wait_s)
                try:
                    for row in pending:
                        writer.delete_documents_by_term("doc_id", row["doc_id"])
                        if row["op"] == "add":
                            for tdoc in self._index_docs(conn, row["doc_id"]):
                                writer.add_document(tdoc)
                    writer.commit()
                finally:
                    self._text.release(writer)
                with conn:
                    conn.executemany(
                        "DELETE FROM index_pending WHERE doc_id = ? AND op = ?",
                        [(r["doc_id"], r["op"]) for r in pending],
                    )
                done += len(pending)
                if len(pending) < INDEX_DOCS:
                    break
            if done:
                self._text.reload()
            self._written.clear()  # taken, or to be read from SQLite by whoever indexes them
        return done

    def recover(self) -> int:
        """Index whatever a crashed writer left pending, and refill an index
        that was wiped (empty while SQLite holds documents). Returns the count.

        Never waits: when another process holds the index lock, that writer
        applies every pending row itself on its next flush.
        """
        try:
            conn = self._conn()
            if not conn.execute("SELECT 1 FROM index_pending LIMIT 1").fetchone():
                docs = self.count()
                if docs and self._text.counts() == (0, 0):
                    with self._lock, conn:
                        conn.execute("INSERT OR REPLACE INTO index_pending(doc_id, op)"
                                     " SELECT id, 'add' FROM documents")
            return self._flush_pending(wait_s=0)
        except BackendUnavailable:
            return 0

    def pending_ops(self, limit: int = 100) -> frozenset[tuple[str, str]]:
        """The first ``limit`` index operations waiting, oldest first, as (doc
        id, op): a writer that is alive applies them within its batch, so the
        same ones still waiting a while later were left by a crash."""
        return frozenset((r[0], r[1]) for r in self._conn().execute(
            "SELECT doc_id, op FROM index_pending ORDER BY rowid LIMIT ?", (limit,)))

    def reindex(self) -> int:
        """Rebuild the tantivy index from SQLite, never reading the old index
        (it may be corrupt), and count the derived tables again. Returns the
        document count."""
        with self._lock:
            conn = self._conn()
            self._text.recreate()
            writer = self._text.writer()
            n = 0
            try:
                for row in conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
                    for tdoc in self._index_docs(conn, row["id"]):
                        writer.add_document(tdoc)
                    n += 1
                writer.commit()
            finally:
                self._text.release(writer)
            with conn:
                conn.execute("DELETE FROM index_pending")
            with conn:  # the decisions' effect, the listings and review states, again
                conn.execute("BEGIN IMMEDIATE")
                for stmt in MATERIALIZE:
                    conn.execute(stmt.format(where="1=1"))
                for name in DERIVED:
                    self._rebuild_derived(conn, name)
                for row in conn.execute("SELECT id FROM documents").fetchall():
                    self._refresh_review(conn, row[0])
            self._text.reload()
            return n

    def health(self) -> StoreHealth:
        conn = self._conn()
        docs = self.count()
        pending = int(conn.execute("SELECT COUNT(*) FROM index_pending").fetchone()[0])
        try:
            indexed, _tasks = self._text.counts()
        except BackendUnavailable as e:
            return StoreHealth("degraded", docs, None, pending, str(e))
        if abs(indexed - docs) > pending:
            return StoreHealth(
                "degraded", docs, indexed, pending,
                f"the search index holds {indexed} documents and SQLite {docs}, with "
                f"{pending} index operations pending; run `vndoc reindex`",
            )
        return StoreHealth("ok", docs, indexed, pending)

    # -- reading ---------------------------------------------------------------
    def has(self, doc_id: str) -> bool:
        row = self._conn().execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,))
        return row.fetchone() is not None

    def count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def get(self, doc_id: str) -> StoredDocument | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT data, text, ingested_at FROM documents WHERE id = ?", (doc_id,)
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
            id=doc_id, sources=sources, data=_unpack(row["data"], _text(row["text"])),
            ingested_at=row["ingested_at"],
        )

    def resolve_id(self, doc_id: str) -> str | None:
        conn = self._conn()
        seen = set()
        current = doc_id
        while current not in seen and len(seen) < 32:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (current,)).fetchone():
                return current
            seen.add(current)
            row = conn.execute(
                "SELECT doc_id FROM doc_aliases WHERE alias = ?", (current,)).fetchone()
            if row is None:
                return None
            current = row[0]
        return None

    def versions(self, doc_id: str) -> list[DocumentVersion]:
        conn = self._conn()
        out: list[DocumentVersion] = []
        current = doc_id
        while len(out) < 100:
            row = conn.execute(
                "SELECT * FROM document_versions WHERE superseded_by = ?"
                " ORDER BY superseded_at DESC LIMIT 1", (current,)).fetchone()
            if row is None or any(v.id == row["doc_id"] for v in out):
                break
            out.append(DocumentVersion(
                id=row["doc_id"], title=row["title"], number_symbol=row["number_symbol"],
                issue_date=row["issue_date"], sources=tuple(json.loads(row["sources"])),
                ingested_at=row["ingested_at"], superseded_by=row["superseded_by"],
                superseded_at=row["superseded_at"], changes=json.loads(row["changes"]),
            ))
            current = row["doc_id"]
        return out

    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked hits, the exact total, and facets that follow the query.

        Every group of the plan is required (no fallback to any word: a
        query nothing matches finds nothing). The phrase boosts reorder the
        best matches by the words (pipeline/store/local_index.py); the facets
        are a second pass over the matches, remembered per query until the
        index changes.
        """
        p = plan(query.q)
        base = self._text.filters(
            "doc", terms={f: getattr(query, f) for f in ("issuer", "doc_type", "province",
                                                         "year")},
            date_range=(date_key(query.date_from), date_key(query.date_to, end=True)))
        offset = (query.page - 1) * query.size
        ranked = self._text.ranked(base, p, offset=offset, limit=query.size,
                                   by_date=p.empty or query.sort == "date")
        rows = self._doc_rows(ranked.ids)
        hits = []
        for doc_id, score in zip(ranked.ids, ranked.scores, strict=True):
            row = rows.get(doc_id)
            if row is None:  # deleted after the index snapshot
                continue
            hits.append(
                SearchHit(
                    id=doc_id, score=score, title=row["title"], doc_type=row["doc_type"],
                    number_symbol=row["number_symbol"], issuer=row["issuer"],
                    issue_date=row["issue_date"], source=row["source"] or "", kind=row["kind"],
                    snippets=snippets(_text(row["text"]), p) if p.groups and query.details
                    else (),
                )
            )
        if not query.details:
            return SearchResult(hits=tuple(hits), total=ranked.total, facets={})
        key = (self._text.stamp(), query.q, query.issuer, query.doc_type, query.province,
               query.year, query.date_from, query.date_to)
        with self._facets_lock:
            facets = self._facets.get(key)
            if facets is not None:
                self._facets.move_to_end(key)
        if facets is None:
            facets = self._text.facets(base, p)
            with self._facets_lock:
                self._facets[key] = facets
                while len(self._facets) > 256:
                    self._facets.popitem(last=False)
        return SearchResult(hits=tuple(hits), total=ranked.total, facets=facets)

    def documents_numbered(self, prefix: str) -> list[SearchHit]:
        """The documents whose number and symbol starts with ``prefix`` ("707/"),
        by the number index, as search hits without a score (in no order)."""
        if not prefix:
            return []
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        ids = [r[0] for r in self._conn().execute(
            "SELECT id FROM documents WHERE number_symbol >= ? AND number_symbol < ?",
            (prefix, end))]
        rows = self._doc_rows(ids)
        return [SearchHit(id=i, score=0.0, title=r["title"], doc_type=r["doc_type"],
                          number_symbol=r["number_symbol"], issuer=r["issuer"],
                          issue_date=r["issue_date"], source=r["source"] or "", kind=r["kind"])
                for i, r in rows.items()]

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
        return self._text.matching_ids(self._text.filters("task", doc_id=doc_id), p,
                                       limit=10_000)

    def _task_records(self, rows: Sequence[sqlite3.Row]) -> list[TaskRecord]:
        """Task rows as read: the sentences stored as places in their documents'
        texts (schema 5) cut from them, each text read once and decompressed
        only up to the last byte its tasks need."""
        upto: dict[str, int] = {}  # doc id -> bytes of its text needed (-1: all, as text)
        for r in rows:
            if r["text"] is None:
                at = r["text_at"]
                need = -1 if at is None else (at >> AT_BITS) + (at & _AT_MASK)
                have = upto.get(r["doc_id"], 0)
                upto[r["doc_id"]] = -1 if -1 in (need, have) else max(need, have)
        raw: dict[str, bytes] = {}
        texts: dict[str, str] = {}
        gen = self.generation() if upto else ""
        with self._heads_lock:  # the texts' beginnings kept from earlier pages
            if gen != self._heads_gen:  # (kept since the last write only)
                self._heads.clear()
                self._heads_bytes, self._heads_gen = 0, gen
            for doc_id, size in upto.items():
                head = self._heads.get(doc_id)
                if head is not None and size >= 0 and (len(head[0]) >= size or head[1]):
                    self._heads.move_to_end(doc_id)
                    raw[doc_id] = head[0]
        ids = [d for d in upto if d not in raw]
        conn = self._conn()
        for k in range(0, len(ids), 900):
            chunk = ids[k: k + 900]
            for doc_id, packed in conn.execute(
                    f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk):
                if upto[doc_id] < 0 or not isinstance(packed, bytes):
                    texts[doc_id] = _text(packed)
                else:
                    raw[doc_id] = self._text_head(doc_id, packed, upto[doc_id])
        return [self._task(r, raw, texts) for r in rows]

    def _text_head(self, doc_id: str, packed: bytes, size: int) -> bytes:
        """A stored text's first ``size`` bytes of UTF-8, decompressed, and kept
        for the next pages until the store's next write (``TEXT_HEADS`` bytes
        at most, the least recently read dropped first)."""
        key = doc_id
        out = _text_inflater(packed)
        data = out.decompress(packed, size)
        with self._heads_lock:
            old = self._heads.pop(key, None)
            self._heads_bytes += len(data) - (len(old[0]) if old else 0)
            self._heads[key] = (data, out.eof)
            while self._heads_bytes > TEXT_HEADS and len(self._heads) > 1:
                _key, (dropped, _eof) = self._heads.popitem(last=False)
                self._heads_bytes -= len(dropped)
        return data

    @staticmethod
    def _task(row: sqlite3.Row, raw: dict[str, bytes], texts: dict[str, str]) -> TaskRecord:
        sentence = row["text"]
        if sentence is None:
            at, doc_id = row["text_at"], row["doc_id"]
            if at is not None and doc_id in raw:
                first = at >> AT_BITS
                sentence = raw[doc_id][first:first + (at & _AT_MASK)].decode("utf-8")
            elif doc_id in texts:
                sentence = texts[doc_id][row["start"]:row["end"]]
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
            text=sentence, start=row["start"], end=row["end"],
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

    def _task_rows(self, ids: Sequence[str]) -> list[TaskRecord]:
        """The tasks with these ids, as read (decisions applied), in this order."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in self._conn().execute(
            f"SELECT * FROM task_view WHERE id IN ({marks})", list(ids))}
        return self._task_records([rows[i] for i in ids if i in rows])

    def tasks(self, query: TaskQuery) -> list[TaskRecord]:
        return list(self.task_page(query).items)

    def task_page(self, query: TaskQuery) -> Page[TaskRecord]:
        """The register: the filters as conditions on indexed task columns, one
        page of ids in order, then those tasks as read; and the total."""
        ids = self.task_ids(query)
        return Page(tuple(self._task_rows(ids.items)), ids.total)

    def task_agency_rows(self, task_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(task id, agency, role) of these tasks' owners ("lead") and cooperating
        agencies, as read (decisions applied), from the owner rows; in no order."""
        out: list[tuple[str, str, str]] = []
        conn = self._conn()
        for k in range(0, len(task_ids), 900):
            chunk = list(task_ids[k: k + 900])
            out.extend(conn.execute(
                "SELECT task_id, agency, role FROM task_agencies WHERE agency IS NOT NULL"
                f" AND task_id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def owner_agency_rows(self, query: TaskQuery) -> list[tuple[str, str, str]] | None:
        """(task id, agency, role) of every owner row of the tasks that
        ``query.owner_names`` lead or cooperate on, in no order, read from the
        owner index alone; None when ``query`` filters on more than the owners
        and a status the owner rows carry."""
        if query.owner_names is None:
            return None
        c = reg.conditions(dataclasses.replace(query, role="any"))
        if c.row_filters or query.q or query.deadline_from or query.deadline_to:
            return None
        if not query.owner_names:
            return []
        inner = " AND ".join([c.owner_sql or "1=1", *c.status])
        return [tuple(r) for r in self._conn().execute(
            "SELECT task_id, agency, role FROM task_agencies WHERE agency IS NOT NULL AND task_id"
            f" IN (SELECT task_id FROM task_agencies WHERE {inner})",
            [*c.owner_args, *c.status_args])]

    def task_deadlines(self, task_ids: Sequence[str]) -> list[str | None]:
        """The deadline (as read, decisions applied) of each of these tasks, in no order."""
        out: list[str | None] = []
        conn = self._conn()
        for k in range(0, len(task_ids), 900):
            chunk = list(task_ids[k: k + 900])
            out.extend(r[0] for r in conn.execute(
                f"SELECT eff_deadline FROM tasks WHERE id IN ({','.join('?' * len(chunk))})",
                chunk))
        return out

    def task_ids(self, query: TaskQuery) -> Page[str]:
        """:meth:`task_page` without reading the tasks: one page of their ids, in
        order, and the total."""
        if query.owner_names is not None and not query.owner_names:
            return Page((), 0)
        c = reg.conditions(query)
        conn = self._conn()
        sql, args = c.sql(), list(c.args)
        order, order_args, view = reg.order(query, c)
        table = "task_view" if view else "tasks"
        # Where the rows come from. CROSS JOIN keeps the order of the tables:
        # the few candidate ids first, each task then read by its key, rather
        # than the register walked in its order testing every task.
        source, source_args = table, []
        words_only = query.review in ("kept", "any") and c.where == (
            [c.review] if c.review else [])
        if query.q and words_only and query.sort == "default" and not query.descending \
                and not query.doc_id:
            # Words and nothing else the index lacks: the index's page and its
            # exact count, the tasks staff rejected left out (at 100k documents,
            # "rà soát": 19,503 tasks, 109 -> 8 ms).
            words = plan(query.q)
            if words.empty:
                return Page((), 0)
            without: list[str] = []
            if query.review == "kept":
                without = [r[0] for r in conn.execute(
                    "SELECT id FROM tasks WHERE kept = 0 LIMIT ?", (REJECTED_LEFT_OUT + 1,))]
            if len(without) <= REJECTED_LEFT_OUT:
                ids, total = self._text.best_page(
                    self._text.filters("task"), words, offset=query.offset,
                    limit=query.limit, without=without)
                return Page(tuple(ids), total)
        if query.recurring and not view:
            # A few percent of the tasks, by their partial index (at 100k documents
            # 5,785 of 187,575; the register's order walked instead: 450-700 ms).
            source = "tasks INDEXED BY tasks_recurring"
        if query.q:
            ids = self._task_ids_matching(query.q, query.doc_id)
            if not ids:
                return Page((), 0)
            # The tasks with the words, from the index (at 100k documents, "Ai
            # chủ trì việc giám sát, đánh giá đầu tư?": 775 tasks, see the commit).
            source = (f"(SELECT column1 AS task_key FROM (VALUES {','.join(['(?)'] * len(ids))}))"
                      f" AS m CROSS JOIN {table} ON {table}.id = m.task_key")
            source_args = list(ids)
            if query.sort == "default":  # words given: best match first
                rank = {tid: i for i, tid in enumerate(ids)}
                found = [r[0] for r in conn.execute(
                    f"SELECT id FROM {source} WHERE {sql}", [*source_args, *args])]
                found.sort(key=lambda t: rank.get(t, len(rank)), reverse=query.descending)
                return Page(tuple(found[query.offset: query.offset + query.limit]), len(found))
            total = int(conn.execute(f"SELECT COUNT(*) FROM {source} WHERE {sql}",
                                     [*source_args, *args]).fetchone()[0])
        elif query.doc_id or query.doc_ids is not None:
            # One document's tasks, by its key (at 100k documents 70 ms -> under
            # 1: the register's order was walked instead), or a few documents'.
            docs = [query.doc_id] if query.doc_id else list(query.doc_ids or ())
            if not docs:
                return Page((), 0)
            source = (f"(SELECT id AS task_key FROM tasks WHERE doc_id IN"
                      f" ({','.join('?' * len(docs))})) AS d"
                      f" CROSS JOIN {table} ON {table}.id = d.task_key")
            source_args = docs
            total = int(conn.execute(f"SELECT COUNT(*) FROM {source} WHERE {sql}",
                                     [*source_args, *args]).fetchone()[0])
        else:
            fast = reg.fast_count(c, query)
            total_sql, total_args = fast or (f"SELECT COUNT(*) FROM {source} WHERE {sql}", args)
            total = int(conn.execute(total_sql, total_args).fetchone()[0])
            if total and fast is not None and OWNER_DUE_CANDIDATES is not None:
                due_page = reg.owner_page_by_due(conn, c, query,
                                                 max_candidates=OWNER_DUE_CANDIDATES)
                if due_page is not None:
                    return Page(tuple(due_page), total)
            # (repeating tasks come by their own index, smaller than most owners')
            if c.owner_sql is not None and OWNER_ROWS_FIRST is not None and (
                    not query.recurring) and (
                    total <= OWNER_ROWS_FIRST or query.sort != "default"):
                # A few tasks of an owner, or an order no index keeps: the owner's
                # tasks from its owner rows, sorted (at 100k documents: UBND tỉnh
                # Bắc Ninh, 284 tasks, 8 ms, not 174; Sở Tài chính by status,
                # 5,393 tasks, 78 ms, not 440).
                source = (f"(SELECT DISTINCT task_id FROM task_agencies WHERE {c.owner_sql})"
                          f" AS o CROSS JOIN {table} ON {table}.id = o.task_id")
                source_args = list(c.owner_args)
            elif c.issued and query.sort == "default" and total > DATE_RANGE_SORTED:
                # Many documents' dates: the register's order walked, each task's
                # date tested on its index entry, until the page is full (at 100k
                # documents, the tasks of 2024's documents: 16,209, 41 -> 2 ms),
                # rather than every task of the range read and sorted.
                sql = c.sql(walk=True)
        page_ids = [r[0] for r in conn.execute(
            f"SELECT id FROM {source} WHERE {sql} ORDER BY {order} LIMIT ? OFFSET ?",
            [*source_args, *args, *order_args, query.limit, query.offset],
        )]
        return Page(tuple(page_ids), total)

    def get_task(self, task_id: str) -> TaskRecord | None:
        row = self._conn().execute("SELECT * FROM task_view WHERE id = ?", (task_id,)).fetchone()
        return self._task_records([row])[0] if row else None

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
                    self._sync_task(conn, task_id)
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
            row = conn.execute(
                "SELECT text, issue_date, issuer, province FROM documents WHERE id = ?",
                (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document with id {doc_id}")
            text = _text(row["text"])
            sentence = new_task_sentence(text, task)
            same = conn.execute(
                "SELECT id FROM tasks WHERE doc_id = ? AND start = ? AND \"end\" = ?"
                " AND review != 'rejected'", (doc_id, task.start, task.end),
            ).fetchone()
            if same is not None:
                raise QueryError(f"this text is already task {same[0]} of the document")
            used = {r[0] for r in conn.execute("SELECT id FROM tasks WHERE doc_id = ?", (doc_id,))}
            used |= {r[0] for r in conn.execute(
                "SELECT task_id FROM added_tasks WHERE doc_id = ?", (doc_id,))}
            tid = free_task_id(doc_id, sentence, used)
            now = _now()
            after = added_task_fields(task, sentence)
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO added_tasks(task_id, doc_id, start, \"end\", text, owners,"
                    " owner_kinds, cooperating, action, deadline, deadline_text, who, at)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (tid, doc_id, task.start, task.end, sentence, _js(after["owners"]),
                     _js(after["owner_kinds"]), _js(list(task.cooperating)), task.action,
                     task.deadline, task.deadline_text, who, now),
                )
                idx = conn.execute(
                    "SELECT COALESCE(MAX(idx), -1) + 1 FROM tasks WHERE doc_id = ?", (doc_id,)
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO tasks(id, doc_id, idx, owners, cooperating, action, text,"
                    ' start, "end", deadline, deadline_text, recurring, legal_basis,'
                    " owner_kinds, rule_id, confidence, flags, origin, eff_deadline, due,"
                    " review, doc_date, doc_issuer, doc_province)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,NULL,'[]',?,NULL,NULL,'[]','added',?,?,"
                    "'added',?,?,?)",
                    (tid, doc_id, idx, _js(after["owners"]), _js(after["cooperating"]), task.action,
                     sentence, task.start, task.end, task.deadline, task.deadline_text,
                     _js(after["owner_kinds"]), task.deadline,
                     task.deadline or reg.NO_DEADLINE, row["issue_date"], row["issuer"],
                     row["province"]),
                )
                conn.execute(
                    "INSERT INTO task_overrides(task_id, doc_id, updated_by, updated_at)"
                    " VALUES(?,?,?,?) ON CONFLICT(task_id) DO UPDATE SET rejected = 0,"
                    " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                    (tid, doc_id, who, now),
                )
                changes = [("add", None, None, _js(after))]
                if task.note:
                    conn.execute("UPDATE task_overrides SET note = ? WHERE task_id = ?",
                                 (task.note, tid))
                    changes.append(("note", "note", None, task.note))
                self._sync_task(conn, tid)
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
                    "SELECT id FROM tasks WHERE doc_id = ? AND review = 'unreviewed'"
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
                if ids:
                    for stmt in MATERIALIZE:
                        conn.execute(stmt.format(where="doc_id = ?"), (doc_id,))
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
                    "SELECT data, text, ingested_at, title, number_symbol FROM documents"
                    " WHERE id = ?", (doc_id,),
                ).fetchone()
                if row is None:
                    return False
                sources = [r[0] for r in conn.execute(
                    "SELECT source FROM sources WHERE doc_id = ? ORDER BY source", (doc_id,))]
                conn.execute(
                    "INSERT OR REPLACE INTO removed_documents(doc_id, data, sources, ingested_at,"
                    " title, number_symbol, who, at) VALUES(?,?,?,?,?,?,?,?)",
                    (doc_id, _pack(_unpack(row["data"], _text(row["text"])), with_text=True),
                     _js(sources), row["ingested_at"], row["title"], row["number_symbol"],
                     who, now),
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
                    self._insert_data(conn, _unpack(row["data"]), row["ingested_at"])
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

    def generation(self) -> str:
        """Changes with every committed write (this process's or another's)."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return str(row[0]) if row else "0"

    def answer_stamp(self) -> tuple[str, object] | None:
        """Changes whenever an answer of the store may change: with every
        committed write (the generation, this process's or another's) and every
        commit of the search index. None when the index has no commit to stamp.
        What the API's answer cache (search_api/answer_cache.py) keys on."""
        index = self._text.stamp()
        return None if index is None else (self.generation(), index)

    def _cached(self, name: str, compute: Callable[[], Any]) -> Any:
        gen = self.generation()
        hit = self._cache.get(name)
        if hit is not None and hit[0] == gen:
            return hit[1]
        value = compute()
        self._cache[name] = (gen, value)
        return value

    # -- references ----------------------------------------------------------
    def ref_keys(self) -> list[str]:
        rows = self._conn().execute("SELECT canonical FROM ref_keys ORDER BY canonical")
        return [r[0] for r in rows]

    def find_ref_keys(self, ref_type: str | None, number_prefix: str | None) -> list[str]:
        prefix = _ref_rest(number_prefix) if number_prefix else ""
        hi = prefix + "\U0010ffff"
        if ref_type:
            rows = self._conn().execute(
                "SELECT canonical FROM ref_keys WHERE type = ? AND rest >= ? AND rest < ?"
                " ORDER BY canonical", (ref_type, prefix, hi))
        else:
            rows = self._conn().execute(
                "SELECT canonical FROM ref_keys WHERE rest >= ? AND rest < ? ORDER BY canonical",
                (prefix, hi))
        return [r[0] for r in rows]

    _CITATION_SQL = (
        "SELECT r.*, d.title AS doc_title, d.number_symbol AS doc_number,"
        " d.issue_date AS doc_issue_date, d.text AS doc_text FROM refs r"
        " JOIN documents d ON d.id = r.doc_id WHERE r.canonical IN ({marks})"
        " ORDER BY r.doc_date DESC, r.doc_id, r.start LIMIT ? OFFSET ?"
    )

    def _citations(self, canonicals: Sequence[str], *, offset: int,
                   limit: int | None) -> list[RefCitation]:
        marks = ",".join("?" * len(canonicals))
        rows = self._conn().execute(
            self._CITATION_SQL.format(marks=marks),
            [*canonicals, -1 if limit is None else limit, offset],
        )
        texts: dict[str, str] = {}  # each citing document's text, decompressed once

        def text_of(r: sqlite3.Row) -> str:
            if r["doc_id"] not in texts:
                texts[r["doc_id"]] = _text(r["doc_text"])
            return texts[r["doc_id"]]

        return [
            RefCitation(
                canonical=r["canonical"], type=r["type"], number=r["number"],
                doc_id=r["doc_id"], doc_title=r["doc_title"], doc_number=r["doc_number"],
                doc_date=r["doc_issue_date"], article=r["article"], clause=r["clause"],
                point=r["point"], date=r["date"],
                text=r["text"] if r["text"] is not None else text_of(r)[r["start"]:r["end"]],
                start=r["start"],
                end=r["end"],
                context=r["context"] or citation_context(text_of(r), r["start"], r["end"]),
            )
            for r in rows
        ]

    def citations(
        self, canonicals: Sequence[str], *, limit: int | None = None
    ) -> list[RefCitation]:
        if not canonicals:
            return []
        return self._citations(canonicals, offset=0, limit=limit)

    def citation_page(
        self, canonicals: Sequence[str], *, offset: int = 0, limit: int = 50
    ) -> Page[RefCitation]:
        if not canonicals:
            return Page((), 0)
        marks = ",".join("?" * len(canonicals))
        total = int(self._conn().execute(
            f"SELECT COUNT(*) FROM refs WHERE canonical IN ({marks})", list(canonicals)
        ).fetchone()[0])
        return Page(tuple(self._citations(canonicals, offset=offset, limit=limit)), total)

    def top_refs(self, limit: int = 20) -> list[tuple[str, int]]:
        rows = self._conn().execute(
            "SELECT canonical, docs FROM ref_keys ORDER BY docs DESC, canonical LIMIT ?",
            (limit,),
        )
        return [(r[0], int(r[1])) for r in rows]

    def agencies(self) -> list[AgencyRecord]:
        return list(self._cached("agencies", self._agencies))

    def agency_names(self) -> tuple[str, ...]:
        """The names of :meth:`agencies`, in their order: the same tuple until
        the next write (what owner filters resolve against, on every request)."""
        return tuple(self._cached(
            "agency_names", lambda: tuple(a.name for a in self.agencies())))

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
