"""Schema 6 and index layout 5: texts and contracts packed with zlib preset
dictionaries, ``agency_stats`` without rowids, an index without the ``id``
field. A store written before reads the same, and its upgrade packs every row
again; an index of the older layout is rebuilt with the same hits."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest

from pipeline.store.base import SearchQuery, TaskQuery, TaskUpdate
from pipeline.store.local import SCHEMA_VERSION, LocalStore, _pack_text, _text, _unpack
from pipeline.store.local_dict import CONTRACT_DICT, TEXT_DICT, dict_id
from pipeline.store.local_index import INDEX_VERSION


def _old_rows(db: Path) -> None:
    """Pack every document as schema 5 did (no dictionary for the text, the
    text alone for the contract) and mark the store as schema 5."""
    conn = sqlite3.connect(db)
    with conn:
        for rowid, text, data in conn.execute("SELECT rowid, text, data FROM documents").fetchall():
            plain = zlib.decompressobj(zdict=TEXT_DICT).decompress(text)
            raw = zlib.decompressobj(zdict=CONTRACT_DICT + plain).decompress(data)
            packer = zlib.compressobj(6, zdict=plain)
            conn.execute("UPDATE documents SET text = ?, data = ? WHERE rowid = ?",
                         (zlib.compress(plain, 6), packer.compress(raw) + packer.flush(), rowid))
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.close()


def _answers(store: LocalStore) -> tuple[object, ...]:
    found = store.search(SearchQuery(q="sở tài chính"))
    tasks = store.tasks(TaskQuery(limit=50))
    return ([(h.id, h.score) for h in found.hits], found.total,
            [(t.id, t.text, t.action) for t in tasks],
            [(a.name, a.current_name, a.documents, a.lead_tasks) for a in store.agencies()])


def test_a_new_store_packs_with_the_dictionaries(tmp_path: Path, sample_docs) -> None:
    with LocalStore(tmp_path / "d") as store:
        store.put_many(sample_docs)
        conn = store._conn()
        for doc in sample_docs:
            text, data = conn.execute("SELECT text, data FROM documents WHERE id = ?",
                                      (doc.id,)).fetchone()
            assert dict_id(text) == zlib.adler32(TEXT_DICT)
            assert dict_id(data) == zlib.adler32(CONTRACT_DICT + doc.text.encode())
            assert store.get(doc.id).data == doc.to_json()  # type: ignore[union-attr]
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'agency_stats'").fetchone()
        assert "WITHOUT ROWID" in sql


def test_a_schema_5_store_reads_the_same_and_is_packed_again(tmp_path: Path,
                                                           sample_docs) -> None:
    data = tmp_path / "d"
    with LocalStore(data) as store:
        store.put_many(sample_docs)
        store.update_task(store.tasks(TaskQuery(limit=1))[0].id,  # a decision, kept
                          TaskUpdate(done=True), who="test")
        before = _answers(store)
        contracts = {d.id: store.get(d.id).data for d in sample_docs}  # type: ignore[union-attr]
    _old_rows(data / "vndoc.sqlite3")
    conn = sqlite3.connect(data / "vndoc.sqlite3")
    assert all(dict_id(t) is None for (t,) in conn.execute("SELECT text FROM documents"))
    conn.close()
    with LocalStore(data) as store:
        conn = store._conn()
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                            ).fetchone()[0] == SCHEMA_VERSION == "6"
        for text, packed in conn.execute("SELECT text, data FROM documents"):
            assert dict_id(text) == zlib.adler32(TEXT_DICT)
            plain = _text(text).encode()
            assert dict_id(packed) == zlib.adler32(CONTRACT_DICT + plain)
        assert {d.id: store.get(d.id).data for d in sample_docs} == contracts  # type: ignore[union-attr]
        assert _answers(store) == before


def test_rows_packed_before_schema_6_read_as_they_are(sample_docs) -> None:
    for doc in sample_docs:
        plain = doc.text.encode()
        assert _text(zlib.compress(plain, 6)) == doc.text
        assert _text(_pack_text(doc.text)) == doc.text
        body = {k: v for k, v in doc.to_json().items() if k != "text"}
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        packer = zlib.compressobj(6, zdict=plain)
        assert _unpack(packer.compress(raw) + packer.flush(), doc.text) == doc.to_json()
        assert _unpack(zlib.compress(raw, 6), doc.text) == doc.to_json()


def test_a_text_packed_with_an_unknown_dictionary_is_refused_by_name() -> None:
    packer = zlib.compressobj(6, zdict=b"another dictionary")
    packed = packer.compress("Sở Tài chính".encode()) + packer.flush()
    with pytest.raises(ValueError, match="unknown dictionary"):
        _text(packed)


def test_an_index_of_the_older_layout_is_rebuilt_with_the_same_hits(tmp_path: Path,
                                                                    sample_docs) -> None:
    data = tmp_path / "d"
    with LocalStore(data) as store:
        store.put_many(sample_docs)
        before = _answers(store)
        fields = json.loads((data / "index" / "meta.json").read_text())["schema"]
        assert "id" not in {f["name"] for f in fields}
    conn = sqlite3.connect(data / "vndoc.sqlite3")
    with conn:
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'index_version'")
    conn.close()
    with LocalStore(data) as store:
        store.recover()
        assert store._conn().execute(
            "SELECT value FROM meta WHERE key = 'index_version'").fetchone()[0] == INDEX_VERSION
        assert _answers(store) == before
