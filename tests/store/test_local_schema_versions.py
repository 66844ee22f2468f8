"""LocalStore checks a store's schema version when it opens it: an older file
(here one written by vndoc with schema 2, tests/store/data) is brought up to
the current schema with nothing lost; a newer one is refused, unchanged, with
an error naming the file."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.query.resolve import lookup_refs
from pipeline.store.base import SearchQuery, TaskQuery
from pipeline.store.errors import BackendUnavailable
from pipeline.store.local import SCHEMA_VERSION, LocalStore

# Written by `vndoc ingest` with schema 2 (three files of corpus/docs), then
# one decision: task 743d646f14ce569b done, its deadline moved to 30/04/2023.
SCHEMA2 = Path(__file__).parent / "data" / "schema2-store.sqlite3.gz"
DECIDED = "743d646f14ce569b"


def schema2_store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "vndoc.sqlite3").write_bytes(gzip.decompress(SCHEMA2.read_bytes()))
    return data


def schema_version(data: Path) -> str:
    conn = sqlite3.connect(data / "vndoc.sqlite3")
    try:
        return str(conn.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    finally:
        conn.close()


def test_the_fixture_is_a_schema_2_store(tmp_path: Path) -> None:
    assert schema_version(schema2_store(tmp_path)) == "2"


def test_schema_2_store_is_migrated_with_nothing_lost(tmp_path: Path) -> None:
    data = schema2_store(tmp_path)
    old = sqlite3.connect(data / "vndoc.sqlite3")
    datas = {i: json.loads(d) for i, d in old.execute("SELECT id, data FROM documents")}
    n_tasks = old.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    old.close()
    assert len(datas) == 3 and n_tasks == 3

    with LocalStore(data) as store:
        assert schema_version(data) == SCHEMA_VERSION
        assert store.count() == 3
        for doc_id, contract in datas.items():  # the contract JSON, now compressed, reads back
            got = store.get(doc_id)
            assert got is not None and got.data == contract
        # The staff decision made under schema 2 is kept, and the indexed
        # register columns agree with it.
        t = store.get_task(DECIDED)
        assert t is not None
        assert (t.done, t.deadline, t.updated_by, t.review) == (True, "2023-04-30", "lan",
                                                                 "edited")
        done = store.tasks(TaskQuery(status="done", limit=10))
        assert [x.id for x in done] == [DECIDED]
        owned = store.tasks(TaskQuery(owner_names=("UBND huyện Triệu Phong",), limit=10))
        assert [x.deadline for x in owned] == ["2024-05-20"]
        keys, cites = lookup_refs(store, "nghi dinh 83/2014")
        assert keys == ["Nghị định 83/2014/NĐ-CP"] and len(cites) == 1
        # The file came without an index of this layout: every document is
        # queued for it, and the pending work fills it.
        h = store.health()
        assert (h.indexed, h.pending) == (0, 3)
        store.recover()
        h = store.health()
        assert (h.status, h.indexed, h.pending) == ("ok", 3, 0)
        hits = store.search(SearchQuery(q="titan", page=1, size=10))
        assert hits.total >= 1
    with LocalStore(data) as store:  # opening a current store again changes nothing
        assert store.count() == 3 and store.get_task(DECIDED).done  # type: ignore[union-attr]


def test_a_newer_schema_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    data = schema2_store(tmp_path)
    db = data / "vndoc.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                 (str(int(SCHEMA_VERSION) + 1),))
    conn.commit()
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(BackendUnavailable) as e:
        LocalStore(data)
    msg = str(e.value)
    assert str(db) in msg
    assert f"phiên bản {int(SCHEMA_VERSION) + 1}" in msg and "newer than" in msg
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not (data / "index").exists() or not any((data / "index").iterdir())


def test_the_upgrade_compresses_texts_into_larger_pages(tmp_path: Path) -> None:
    """Schema 4: each text compressed, the store vacuumed into 16 KB pages,
    every document reading back as before."""
    from pipeline.store.local import PAGE_SIZE

    data = schema2_store(tmp_path)
    old = sqlite3.connect(data / "vndoc.sqlite3")
    texts = dict(old.execute("SELECT id, text FROM documents").fetchall())
    old.close()
    with LocalStore(data) as store:
        conn = store._conn()
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for doc_id, stored in conn.execute("SELECT id, text FROM documents"):
            assert isinstance(stored, bytes) and isinstance(texts[doc_id], str)
            got = store.get(doc_id)
            assert got is not None and got.data["text"] == texts[doc_id]


def test_a_contract_is_packed_against_its_text_and_older_rows_still_read(
    tmp_path: Path, sample_docs
) -> None:  # type: ignore[no-untyped-def]
    """A contract is compressed with its document's text as zlib's preset
    dictionary (the header's FDICT bit says so); a row packed without it (a
    store written before) reads back the same."""
    import zlib

    from pipeline.store.local import _cut_spans

    with LocalStore(tmp_path / "data") as store:
        store.put_many(sample_docs)
        conn = store._conn()
        for doc in sample_docs:
            (packed,) = conn.execute("SELECT data FROM documents WHERE id = ?",
                                     (doc.id,)).fetchone()
            assert packed[1] & 0x20
            got = store.get(doc.id)
            assert got is not None
            assert got.data == json.loads(json.dumps(doc.to_json(), ensure_ascii=False))
            plain = zlib.compress(json.dumps(_cut_spans(doc.to_json()), ensure_ascii=False,
                                             separators=(",", ":")).encode("utf-8"), 6)
            assert len(plain) > len(packed)
            with conn:
                conn.execute("UPDATE documents SET data = ? WHERE id = ?", (plain, doc.id))
            again = store.get(doc.id)
            assert again is not None and again.data == got.data
