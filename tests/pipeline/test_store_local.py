"""LocalStore only: SQLite as the record, tantivy derived from it, crash recovery.

What every store does (search, filters, tasks, citations, versions, review) is
held to one suite over both backends: tests/store/test_conformance.py.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.store.base import SearchQuery, TaskQuery, TaskUpdate
from pipeline.store.errors import NotFound
from pipeline.store.local import LocalStore


@pytest.fixture
def store(tmp_path: Path, sample_docs):  # type: ignore[no-untyped-def]
    s = LocalStore(tmp_path / "data")
    s.put_many(sample_docs)
    yield s
    s.close()


def ids(res) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in res.hits]


def test_task_update_survives_reingest_and_is_recorded(tmp_path: Path, sample_docs) -> None:
    s = LocalStore(tmp_path / "d")
    s.put_many(sample_docs)
    t = s.tasks(TaskQuery(status="overdue", today=dt.date(2024, 7, 1)))[0]
    s.update_task(t.id, TaskUpdate(done=True), who="lan")
    s.update_task(t.id, TaskUpdate(owners=("Sở Xây dựng tỉnh Bắc Giang",)), who="lan")
    s.delete(sample_docs[0].id)
    s.put_many(sample_docs)  # re-ingest the source
    again = s.get_task(t.id)
    assert again is not None and again.done and again.owners == ("Sở Xây dựng tỉnh Bắc Giang",)
    assert again.updated_by == "lan"
    assert [h["field"] for h in s.task_history(t.id)] == ["done", "owners"]
    lead = s.tasks(TaskQuery(owner_names=("Sở Xây dựng tỉnh Bắc Giang",), role="lead"))
    assert [x.id for x in lead] == [t.id]
    with pytest.raises(NotFound):
        s.update_task("nope", TaskUpdate(done=True), who="x")
    s.close()


def test_reindex_rebuilds_from_sqlite(store, sample_docs) -> None:
    import shutil

    before = ids(store.search(SearchQuery(q="so tai chinh")))
    store.close()
    shutil.rmtree(store.dir / "index")
    s = LocalStore(store.dir)
    assert s.search(SearchQuery(q="so tai chinh")).total == 0
    assert s.reindex() == 3
    assert ids(s.search(SearchQuery(q="so tai chinh"))) == before
    s.close()


def test_pending_index_work_is_recovered(tmp_path: Path, sample_docs) -> None:
    """A crash after the SQLite commit but before the tantivy commit."""
    s = LocalStore(tmp_path / "d")
    s._write_sql(sample_docs[1])  # stored, index not yet updated
    s.close()
    s2 = LocalStore(tmp_path / "d")
    assert s2.search(SearchQuery(q="dat dai")).total == 0
    assert s2.recover() == 1
    assert s2.search(SearchQuery(q="dat dai")).total == 1
    s2.close()


def test_one_transaction_per_document(tmp_path: Path, sample_docs) -> None:
    """A failure inside a document's write leaves nothing of it behind."""
    s = LocalStore(tmp_path / "d")
    bad = replace(sample_docs[0], tasks=(*sample_docs[0].tasks, None))  # type: ignore[arg-type]
    with pytest.raises(AttributeError):  # None has no .text
        s.put(bad)
    conn = sqlite3.connect(tmp_path / "d" / "vndoc.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0
    conn.close()
    s.close()


def test_whole_store_answers_follow_every_write(tmp_path: Path, sample_docs) -> None:
    """agencies() and ref_keys() are cached per write generation, across processes."""
    s = LocalStore(tmp_path / "d")
    s.put(sample_docs[2])
    assert s.ref_keys() == [] and s.agencies() == s.agencies()
    other = LocalStore(tmp_path / "d")  # another connection writes
    other.put(sample_docs[1])
    other.close()
    assert s.ref_keys() == ["Nghị định 35/2022/NĐ-CP"]
    names = {a.name for a in s.agencies()}
    assert "Sở Tài nguyên và Môi trường tỉnh Quảng Trị" in names
    t = s.tasks(TaskQuery())[0]
    s.update_task(t.id, TaskUpdate(owners=("Sở Xây dựng tỉnh Bắc Giang",)), who="lan")
    assert "Sở Xây dựng tỉnh Bắc Giang" in {a.name for a in s.agencies()}
    s.close()


def test_citations_limit(store) -> None:
    assert len(store.citations(["Nghị định 35/2022/NĐ-CP"])) == 2
    assert len(store.citations(["Nghị định 35/2022/NĐ-CP"], limit=1)) == 1


