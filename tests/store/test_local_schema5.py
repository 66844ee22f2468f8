"""Schema 5: a task's sentence and a reference's text are not stored a second
time where they are slices of the document's text, and an older store is
brought up to it with every read unchanged.

The fixture (tests/store/data) was written by `vndoc ingest` with schema 4
(four files of corpus/docs), then four decisions: a task marked done, one
whose action and deadline were changed, one confirmed with a note, and one
added by staff. ``schema4-reads.json`` is what that code read back from it:
every task, the register in its "content" order both ways, every citation.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from typing import Any

from extractors import extract
from extractors.model import ExtractedDocument
from pipeline.store.base import NewTask, TaskQuery, TaskRecord, TaskUpdate
from pipeline.store.local import SCHEMA_VERSION, LocalStore

DATA = Path(__file__).parent / "data"
DONE, EDITED, CONFIRMED, ADDED = ("65ea6ea6a03f933c", "769e28fd14e1c145", "d77de479f2cf90c7",
                                  "1a48b8bdcedaad39")
FIELDS = ("id", "doc_id", "idx", "text", "action", "start", "end", "owners", "cooperating",
          "deadline", "done", "review", "corrected", "note")


def schema4_store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "vndoc.sqlite3").write_bytes(
        gzip.decompress((DATA / "schema4-store.sqlite3.gz").read_bytes()))
    return data


def as_read(t: TaskRecord) -> dict[str, Any]:
    return {f: list(v) if isinstance(v := getattr(t, f), tuple) else v for f in FIELDS}


def test_schema_4_store_is_migrated_and_reads_as_before(tmp_path: Path) -> None:
    data = schema4_store(tmp_path)
    old = sqlite3.connect(data / "vndoc.sqlite3")
    assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "4"
    assert old.execute("SELECT COUNT(*) FROM tasks WHERE text IS NULL").fetchone()[0] == 0
    old.close()
    expected = json.loads((DATA / "schema4-reads.json").read_text(encoding="utf-8"))

    with LocalStore(data) as store:
        conn = store._conn()
        assert conn.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == SCHEMA_VERSION
        # The sentences and reference texts left out are the text's slices.
        n_tasks, cut_tasks = conn.execute(
            "SELECT COUNT(*), SUM(text IS NULL) FROM tasks").fetchone()
        assert n_tasks == len(expected["tasks"]) == 36 and cut_tasks >= 30
        assert conn.execute("SELECT COUNT(*) FROM tasks WHERE text IS NULL"
                            " AND (action IS NULL OR origin = 'added' OR text_at IS NULL)"
                            ).fetchone()[0] == 0
        n_refs, cut_refs = conn.execute("SELECT COUNT(*), SUM(text IS NULL) FROM refs").fetchone()
        assert n_refs > 0 and cut_refs == n_refs

        got = {t.id: as_read(t) for t in store.tasks(TaskQuery(limit=1000))}
        assert got == expected["tasks"]
        for direction in ("asc", "desc"):
            page = store.tasks(TaskQuery(limit=1000, sort="content",
                                         descending=direction == "desc"))
            assert [t.id for t in page] == expected["content_order"][direction]
        for key, cites in expected["refs"].items():
            assert [[c.doc_id, c.start, c.end, c.text, c.context]
                    for c in store.citations([key])] == cites
        # The decisions made under schema 4.
        done, edited = store.get_task(DONE), store.get_task(EDITED)
        assert done is not None and done.done
        assert edited is not None and edited.review == "edited"
        assert edited.action == "rà soát lại toàn bộ hồ sơ" and "action" in edited.corrected
        assert store.get_task(ADDED) is not None
        # The index is rebuilt from the migrated rows: each task by its words.
        store.recover()
        t = store.get_task(CONFIRMED)
        assert t is not None and t.review == "confirmed" and t.note == "đã xem"
        words = " ".join(t.text.split()[:6])
        assert CONFIRMED in {x.id for x in store.tasks(TaskQuery(q=words, limit=100))}
    with LocalStore(data) as store:  # opening a current store again changes nothing
        assert {t.id: as_read(t) for t in store.tasks(TaskQuery(limit=1000))} == expected["tasks"]


def corpus_docs() -> list[ExtractedDocument]:
    root = Path(__file__).parents[2] / "corpus" / "docs"
    return [extract((root / name).read_text(encoding="utf-8"), source=name)
            for name in ("09_vpcp-cv668-vac-xin.txt", "104_ttg-cd190-nha-o-bat-dong-san-2025.txt")]


def test_new_rows_store_each_sentence_once_and_read_back_exactly(tmp_path: Path) -> None:
    """Written by this code: every task reads back the sentence and action of
    the extraction, through every read (a page, one task, a decision, a
    re-ingest), while the rows hold no copy of a sentence that has an action."""
    sample_docs = corpus_docs()
    with LocalStore(tmp_path / "data") as store:
        store.put_many(sample_docs)
        conn = store._conn()
        extracted = {(d.id, i): t for d in sample_docs for i, t in enumerate(d.tasks)}
        page = store.tasks(TaskQuery(limit=1000))
        assert len(page) == len(extracted) > 0
        for t in page:
            want = extracted[(t.doc_id, t.idx)]
            assert (t.text, t.action, t.start, t.end) == (want.text, want.action, want.start,
                                                          want.end)
            assert store.get_task(t.id) == t
        assert conn.execute("SELECT COUNT(*) FROM tasks WHERE text IS NOT NULL"
                            " AND action IS NOT NULL").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM tasks WHERE text IS NULL").fetchone()[0] > 10
        # The texts' beginnings a page was cut from are kept until the next write.
        assert store._heads and store.tasks(TaskQuery(limit=1000)) == page
        t = next(x for x in page if x.action)
        after = store.update_task(t.id, TaskUpdate(action="lập kế hoạch", done=True), who="lan")
        assert (after.text, after.action, after.review) == (t.text, "lập kế hoạch", "edited")
        assert list(store._heads) == [t.doc_id]  # the write dropped the others
        back = store.update_task(t.id, TaskUpdate(action=t.action), who="lan")
        assert back.action == t.action and "action" not in back.corrected
        doc = store.get(t.doc_id)
        assert doc is not None
        start = doc.data["text"].index("Thủ tướng")
        added = store.add_task(t.doc_id, NewTask(start=start, end=start + 30), who="lan")
        assert added.text == doc.data["text"][start:start + 30]
        store.put_many(sample_docs)  # the same files again: nothing changes
        assert [store.get_task(x.id) for x in page[1:]] == list(page[1:])
        assert store.get_task(added.id) == added
