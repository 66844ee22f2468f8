"""LocalStore at scale, correctness only (speed is measured in bench/):

* the register's indexed columns, totals from ``task_counts`` and from the
  owner index give exactly what reading every task gives, for every filter,
  after any mix of writes and decisions (#20 item 1);
* the derived tables equal a fresh count after writes, deletes and versions;
* a wiped index is refilled, a corrupt one is reported "degraded" and rebuilt
  by reindex without being read, pending work is healed (#19 item 3);
* the stored JSON has no second copy of the text (#20 item 5).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from extractors import doc_id_for
from extractors.model import DocKind, DocMeta, ExtractedDocument, Task
from pipeline.store import local_register as reg
from pipeline.store.base import STATUS_FILTERS, SearchQuery, TaskQuery, TaskRecord, TaskUpdate
from pipeline.store.errors import BackendUnavailable
from pipeline.store.local import LocalStore
from pipeline.store.local_dict import CONTRACT_DICT, TEXT_DICT

OWNERS = ["Sở Tài chính tỉnh Bắc Giang", "Sở Y tế tỉnh Bắc Ninh", "UBND huyện Gio Linh",
          "Sở Xây dựng tỉnh Bắc Giang"]
TODAY = dt.date(2025, 6, 15)


def _doc(n: int, rng: random.Random) -> ExtractedDocument:
    lines = [f"Công văn số {n}"] + [f"Việc {n}-{i} cần làm ngay." for i in range(5)]
    text = "\n".join(lines)
    tasks = []
    for i in range(rng.randint(0, 5)):
        sentence = lines[1 + i]
        start = text.index(sentence)
        day = TODAY + dt.timedelta(days=rng.randint(-40, 40))
        tasks.append(Task(
            text=sentence, start=start, end=start + len(sentence),
            owners=tuple(rng.sample(OWNERS, rng.randint(0, 2))),
            cooperating=tuple(rng.sample(OWNERS, rng.randint(0, 1))),
            deadline=day.isoformat() if rng.random() < 0.7 else None,
        ))
    return ExtractedDocument(
        id=doc_id_for(text), source=f"d{n}.txt", text=text,
        doc=DocMeta(kind=DocKind.OFFICIAL, doc_type="Công văn", number_symbol=f"{n}/UBND",
                    issuer=rng.choice(["UBND tỉnh Bắc Giang", "UBND tỉnh Bắc Ninh"]),
                    issue_date=f"2025-0{rng.randint(1, 5)}-1{rng.randint(0, 9)}",
                    title=lines[0], province=rng.choice(["Bắc Giang", "Bắc Ninh"])),
        tasks=tuple(tasks),
    )


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """60 documents, then decisions of every kind on a third of the tasks."""
    rng = random.Random(20)
    store = LocalStore(tmp_path_factory.mktemp("busy") / "data")
    store.put_many([_doc(n, rng) for n in range(60)])
    every = store.tasks(TaskQuery(review="any", limit=10_000))
    for t in rng.sample(every, len(every) // 3):
        update = rng.choice([
            TaskUpdate(done=True, done_on=(TODAY - dt.timedelta(days=rng.randint(0, 60)))
                       .isoformat()),
            TaskUpdate(review="rejected"), TaskUpdate(review="confirmed"),
            TaskUpdate(deadline=(TODAY + dt.timedelta(days=rng.randint(-5, 5))).isoformat()),
            TaskUpdate(clear_deadline=True), TaskUpdate(owners=(rng.choice(OWNERS),)),
        ])
        store.update_task(t.id, update, who="lan")
    store.delete(store.tasks(TaskQuery(limit=1))[0].doc_id)  # a delete cascades too
    return store


def _kept(t: TaskRecord, review: str) -> bool:
    return {
        "kept": t.review != "rejected", "any": True, "reviewed": t.review in (
            "confirmed", "edited", "added"),
    }.get(review, t.review == review)


def _status(t: TaskRecord, status: str | None) -> bool:
    s = t.status(TODAY)
    return {
        None: True, "open": not t.done, "pending": not t.done,
        "done": t.done, "done_on_time": s == "done", "done_late": s == "done_late",
    }.get(status, s == status)  # type: ignore[arg-type]


@pytest.mark.parametrize("review", ["kept", "any", "rejected", "reviewed", "unreviewed"])
@pytest.mark.parametrize("status", [None, *STATUS_FILTERS])
def test_register_totals_and_pages_read_every_task_the_same(
    busy: LocalStore, status: str | None, review: str
) -> None:
    every = busy.tasks(TaskQuery(review="any", limit=10_000, today=TODAY))
    for owners in (None, ("Sở Tài chính tỉnh Bắc Giang", "UBND huyện Gio Linh")):
        for window in ((None, None), ("2025-06-01", "2025-06-30")):
            q = TaskQuery(status=status, review=review, today=TODAY, owner_names=owners,
                          deadline_from=window[0], deadline_to=window[1], limit=7)
            want = [t for t in every if _status(t, status) and _kept(t, review)
                    and (owners is None or (t.review != "rejected" and set(owners)
                                            & {*t.owners, *t.cooperating}))
                    and (window[0] is None or (t.deadline is not None
                                               and window[0] <= t.deadline <= window[1]))]
            page = busy.task_page(q)
            assert page.total == len(want), q
            order = sorted(want, key=lambda t: (t.deadline or "~", _neg(t.doc_date), t.doc_id,
                                                t.idx))
            assert [t.id for t in page.items] == [t.id for t in order[:7]], q


def _neg(date: str | None) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in (date or ""))


def test_fast_counts_are_used_where_they_apply() -> None:
    plain = reg.conditions(TaskQuery(status="overdue", today=TODAY))
    assert "task_counts" in reg.fast_count(plain, TaskQuery(status="overdue"))[0]
    owner = TaskQuery(owner_names=("A",), status="due_soon", today=TODAY)
    assert "task_agencies" in reg.fast_count(reg.conditions(owner), owner)[0]
    late = TaskQuery(status="done_late", today=TODAY)
    assert reg.fast_count(reg.conditions(late), late) is None
    prov = TaskQuery(province="Bắc Ninh", today=TODAY)
    assert reg.fast_count(reg.conditions(prov), prov) is None


def test_derived_tables_equal_a_fresh_count(busy: LocalStore) -> None:
    conn = busy._conn()
    counts = sorted(tuple(r) for r in conn.execute(
        "SELECT review, done, due, n FROM task_counts ORDER BY 1, 2, 3"))
    fresh = sorted(tuple(r) for r in conn.execute(
        "SELECT review, done, due, COUNT(*) FROM tasks GROUP BY 1, 2, 3"))
    assert counts == fresh
    owners = sorted(tuple(r) for r in conn.execute(
        "SELECT ta.task_id, ta.done, ta.due FROM task_agencies ta"))
    tasks = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, done, due FROM tasks")}
    assert all(tasks[tid] == (done, due) for tid, done, due in owners)


def test_the_text_is_stored_once(tmp_path: Path, sample_docs) -> None:
    store = LocalStore(tmp_path / "d")
    store.put_many(sample_docs)
    conn = sqlite3.connect(tmp_path / "d" / "vndoc.sqlite3")
    by_id = {d.id: d for d in sample_docs}
    for doc_id, data, text in conn.execute("SELECT id, data, text FROM documents"):
        plain = by_id[doc_id].text.encode()
        # compressed, with an official document's phrases as zlib's preset
        # dictionary (schema 6: the header names it by its Adler-32)
        assert isinstance(text, bytes) and text[1] & 0x20
        assert int.from_bytes(text[2:6], "big") == zlib.adler32(TEXT_DICT)
        assert zlib.decompressobj(zdict=TEXT_DICT).decompress(text) == plain
        assert isinstance(data, bytes) and plain not in data  # compressed, no text
        # no span's text either: each is cut from the text again when read
        # compressed with a contract's keys and the text as zlib's preset dictionary
        assert data[1] & 0x20
        contract = json.loads(zlib.decompressobj(zdict=CONTRACT_DICT + plain).decompress(data))
        spans = [t for t in contract.get("tasks", []) if t.get("end", 0) > t.get("start", 0)]
        assert all(t["text"] is None for t in spans)
    conn.close()
    for doc in sample_docs:
        assert store.get(doc.id).data == doc.to_json()
    store.close()


def test_a_wiped_index_is_refilled_by_recover(tmp_path: Path, sample_docs) -> None:
    store = LocalStore(tmp_path / "d")
    store.put_many(sample_docs)
    store.close()
    shutil.rmtree(tmp_path / "d" / "index")
    store = LocalStore(tmp_path / "d")
    h = store.health()
    assert (h.status, h.documents, h.indexed) == ("degraded", 3, 0)
    assert "reindex" in (h.detail or "")
    assert store.recover() == 3
    assert store.health().status == "ok"
    assert store.search(SearchQuery(q="dat dai")).total == 1
    store.close()


def test_a_corrupt_index_is_reported_and_rebuilt_without_reading_it(
    tmp_path: Path, sample_docs
) -> None:
    store = LocalStore(tmp_path / "d")
    store.put_many(sample_docs)
    store.close()
    (tmp_path / "d" / "index" / "meta.json").write_text("{not json", "utf-8")
    store = LocalStore(tmp_path / "d")  # opens: the record answers
    assert store.count() == 3 and store.get(sample_docs[0].id) is not None
    h = store.health()
    assert h.status == "degraded" and h.indexed is None and "vndoc reindex" in (h.detail or "")
    with pytest.raises(BackendUnavailable, match="vndoc reindex"):
        store.search(SearchQuery(q="dat dai"))
    assert store.recover() == 0  # nothing it can do: the index can't be read
    assert store.reindex() == 3
    assert store.health().status == "ok"
    assert store.search(SearchQuery(q="dat dai")).total == 1
    store.close()


def test_pending_work_is_within_health(tmp_path: Path, sample_docs) -> None:
    store = LocalStore(tmp_path / "d")
    store.put_many(sample_docs[:2])
    store._write_sql(sample_docs[2])  # a writer died before indexing
    h = store.health()
    assert (h.status, h.documents, h.indexed, h.pending) == ("ok", 3, 2, 1)
    assert store.recover() == 1 and store.health().pending == 0
    store.close()


def test_an_older_store_gets_the_new_index_layout(tmp_path: Path, sample_docs) -> None:
    """A store whose index has another layout (meta.index_version) is queued
    for indexing again; recover() fills the new index."""
    store = LocalStore(tmp_path / "d")
    store.put_many(sample_docs)
    with store._conn() as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'index_version'")
    store.close()
    store = LocalStore(tmp_path / "d")
    assert store.health().pending == 3
    assert store.recover() == 3
    assert store.search(SearchQuery(q="so tai chinh")).total >= 1
    store.close()


def test_a_task_row_follows_its_decisions(tmp_path: Path, sample_docs) -> None:
    store = LocalStore(tmp_path / "d")
    store.put_many(sample_docs)
    t = store.tasks(TaskQuery(doc_id=sample_docs[0].id))[0]
    store.update_task(t.id, TaskUpdate(deadline="2030-01-01", done=True), who="lan")
    row = store._conn().execute(
        "SELECT done, eff_deadline, due, review, kept FROM tasks WHERE id = ?", (t.id,)
    ).fetchone()
    assert tuple(row) == (1, "2030-01-01", "2030-01-01", "edited", 1)
    store.update_task(t.id, TaskUpdate(review="rejected", clear_deadline=True), who="lan")
    row = store._conn().execute(
        "SELECT done, eff_deadline, due, review, kept FROM tasks WHERE id = ?", (t.id,)
    ).fetchone()
    assert tuple(row) == (1, None, "~", "rejected", 0)
    assert store._conn().execute(
        "SELECT COUNT(*) FROM task_agencies WHERE task_id = ?", (t.id,)).fetchone()[0] == 0
    # reingest after a hard delete: the decisions come back into the row
    store.delete(sample_docs[0].id)
    store.put(replace(sample_docs[0]))
    assert store.get_task(t.id).review == "rejected"
    store.close()


def test_vndoc_reindex_repairs_a_corrupt_index(tmp_path: Path, sample_docs) -> None:
    """Finding 9: opening the store no longer opens the index first."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    with LocalStore(tmp_path / "data") as store:
        store.put_many(sample_docs)
    (tmp_path / "data" / "index" / "meta.json").write_bytes(b"\x00garbage")
    res = CliRunner().invoke(app, ["reindex", "--data-dir", str(tmp_path / "data")])
    assert res.exit_code == 0, res.output
    assert "reindexed 3 documents" in res.output
    with LocalStore(tmp_path / "data") as store:
        assert store.health().status == "ok"
        assert store.search(SearchQuery(q="dat dai")).total == 1


def test_span_texts_left_out_only_where_they_read_back_exactly(tmp_path: Path,
                                                                sample_docs) -> None:
    """A span whose text is not its slice of the text keeps it; a contract that
    already has a null span text is stored whole (so null stays null)."""
    from pipeline.store.local import _inflate, _pack, _unpack

    data = sample_docs[0].to_json()
    text = data["text"]
    odd = {**data, "tasks": [{"start": 0, "end": 4, "text": "khác"},
                             {"start": 0, "end": 4, "text": text[:4]}]}
    stored = json.loads(_inflate(_pack(odd), text))
    assert [t["text"] for t in stored["tasks"]] == ["khác", None]
    assert _unpack(_pack(odd), text) == odd
    nulled = {**data, "tasks": [{"start": 0, "end": 4, "text": None},
                                {"start": 0, "end": 4, "text": text[:4]}]}
    stored = json.loads(_inflate(_pack(nulled), text))
    assert [t["text"] for t in stored["tasks"]] == [None, text[:4]]
    assert _unpack(_pack(nulled), text) == nulled


def test_packing_leaves_the_contract_as_it_was_and_equals_the_copied_form(sample_docs) -> None:
    """_pack nulls the spans' texts in place for its dump and puts them back: the
    caller's contract is unchanged after, even when a span dict is shared, and the
    bytes are those of the copied, cut contract (``_cut_spans``)."""
    import copy

    from pipeline.store.base import json_text
    from pipeline.store.local import _cut_spans, _inflate, _pack

    for doc in sample_docs:
        data = doc.to_json()
        text = data["text"]
        shared = {"start": 0, "end": 3, "text": text[:3]}
        data = {**data, "extra": [shared, {"inner": shared}]}
        before = copy.deepcopy(data)
        packed = _pack(data)
        assert data == before
        assert shared["text"] == text[:3]
        expected = json.dumps(_cut_spans(before), ensure_ascii=False, separators=(",", ":"))
        assert _inflate(packed, text) == expected.encode("utf-8")
    for value in ([], (), ["Sở Tài chính"], ("a", "b"), {"x": "đ"}, "chữ", None, 3):
        plain = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
        assert json_text(value) == plain
