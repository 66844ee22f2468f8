"""LocalStore's agencies listing (``agency_stats``, kept by triggers at write
time) always equals the listing counted from the rows, whatever was written,
replaced, deleted, corrected, reindexed or interrupted. Correctness only;
speed is measured in bench/ (``python -m bench.perf``), never here."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

from extractors import doc_id_for
from extractors.model import Agency, DocKind, DocMeta, ExtractedDocument, Task
from pipeline.store.base import AgencyRecord, TaskQuery, TaskUpdate
from pipeline.store.local import LocalStore

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "Sở Tài chính tỉnh Bắc Giang", "Sở Xây dựng tỉnh Bắc Giang", "Sở Y tế tỉnh Bắc Ninh",
    "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang", "Ban Quản lý các KCN tỉnh Bắc Giang",
    "UBND huyện Gio Linh",
]
CURRENT = {"Sở Kế hoạch và Đầu tư tỉnh Bắc Giang": "Sở Tài chính tỉnh Bắc Giang"}


def doc(n: int, rng: random.Random, *, source: str | None = None) -> ExtractedDocument:
    """A document naming some agencies (sometimes twice) and assigning tasks to some."""
    text = f"Văn bản số {n}\n" + "\n".join(f"Việc {n}-{i} cần làm." for i in range(4))
    agencies = []
    for name in rng.sample(NAMES, rng.randint(0, 4)):
        # current_name varies for one name, so its MAX has to be maintained.
        cur = CURRENT.get(name) if rng.random() < 0.7 else rng.choice([None, "Z mới"])
        agencies.append(Agency(name=name, current_name=cur))
        if rng.random() < 0.2:  # the same name twice in one document
            agencies.append(Agency(name=name, current_name=cur))
    tasks = []
    for i in range(rng.randint(0, 3)):
        sentence = f"Việc {n}-{i} cần làm."
        start = text.index(sentence)
        tasks.append(Task(
            text=sentence, start=start, end=start + len(sentence),
            owners=tuple(rng.sample(NAMES, rng.randint(0, 2))),
            cooperating=tuple(rng.sample(NAMES + ["Bộ Tài chính"], rng.randint(0, 2))),
        ))
    return ExtractedDocument(
        id=doc_id_for(text), source=source or f"doc{n}.txt", text=text,
        doc=DocMeta(kind=DocKind.OFFICIAL, doc_type="Công văn", number_symbol=f"{n}/UBND",
                    issuer="UBND tỉnh Bắc Giang", issue_date="2024-03-12",
                    title=f"Văn bản số {n}", province="Bắc Giang"),
        agencies=tuple(agencies), tasks=tuple(tasks),
    )


def aggregate_from_rows(store: LocalStore) -> list[AgencyRecord]:
    """The listing counted from the rows, independently of the triggers and of
    the store's own backfill query: what ``agency_stats`` must always equal."""
    conn = store._conn()
    docs = {
        r[0]: (r[1], int(r[2]))
        for r in conn.execute(
            "SELECT name, MAX(current_name), COUNT(DISTINCT doc_id) FROM agencies"
            " GROUP BY name"
        )
    }
    counts: dict[str, list[int]] = {}
    for r in conn.execute(
        "SELECT agency, role, COUNT(*) FROM task_agencies GROUP BY agency, role"
    ):
        c = counts.setdefault(r[0], [0, 0])
        c[0 if r[1] == "lead" else 1] += int(r[2])
    return [
        AgencyRecord(
            name=n, current_name=docs.get(n, (None, 0))[0],
            documents=docs.get(n, (None, 0))[1],
            lead_tasks=counts.get(n, [0, 0])[0], cooperating_tasks=counts.get(n, [0, 0])[1],
        )
        for n in sorted(set(docs) | set(counts))
    ]


def assert_consistent(store: LocalStore) -> None:
    assert store._agencies() == aggregate_from_rows(store)
    assert store.agencies() == aggregate_from_rows(store)


def test_listing_follows_every_kind_of_write(tmp_path: Path) -> None:
    rng = random.Random(7)
    store = LocalStore(tmp_path / "d")
    assert store.agencies() == []
    live: dict[str, ExtractedDocument] = {}  # source -> its document
    ever: set[str] = set()
    n = 0
    for step in range(150):
        op = rng.random()
        if op < 0.45 or not live:
            n += 1
            d = doc(n, rng)
            assert store.put(d) == "added"
        elif op < 0.6:  # the same file, new content: replaced
            n += 1
            d = doc(n, rng, source=rng.choice(sorted(live)))
            assert store.put(d) == "replaced"
        elif op < 0.7:
            d = live.pop(rng.choice(sorted(live)))
            store.delete(d.id)
            continue
        elif op < 0.8:  # the same document read from a second file
            d = live[rng.choice(sorted(live))]
            d = replace(d, source=d.source + ".pdf")
            store.put(d)
        else:  # staff correct a task's owners
            tasks = store.tasks(TaskQuery(limit=10_000))
            if tasks:
                t = rng.choice(tasks)
                owners = tuple(rng.sample(NAMES + ["Sở Nội vụ tỉnh Bắc Giang"], rng.randint(0, 2)))
                store.update_task(t.id, TaskUpdate(owners=owners), who="test")
            continue
        live[d.source] = d
        ever.add(d.id)
        if step % 10 == 0:
            assert_consistent(store)
    assert_consistent(store)
    assert {a.name for a in store.agencies()}  # the test exercised something
    more = [doc(1000 + i, rng) for i in range(20)]
    store.put_many(more)
    ever.update(d.id for d in more)
    assert_consistent(store)
    store.reindex()
    assert_consistent(store)
    for doc_id in sorted(ever):
        store.delete(doc_id)
    assert_consistent(store)
    # Corrections outlive their task, but its task_agencies rows don't.
    assert store.agencies() == []
    store.close()


def test_one_document_naming_an_agency_twice_counts_once(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "d")
    d = doc(1, random.Random(1))
    d = replace(d, agencies=(
        Agency(name="Sở Y tế tỉnh Bắc Ninh"),
        Agency(name="Sở Y tế tỉnh Bắc Ninh", current_name="B"),
        Agency(name="Sở Y tế tỉnh Bắc Ninh", current_name="A"),
    ), tasks=())
    store.put(d)
    (rec,) = store.agencies()
    assert (rec.documents, rec.current_name) == (1, "B")
    assert_consistent(store)
    e = replace(doc(2, random.Random(2)), agencies=(Agency(name="Sở Y tế tỉnh Bắc Ninh"),),
                tasks=())
    store.put(e)
    assert [(a.documents, a.current_name) for a in store.agencies()] == [(2, "B")]
    store.delete(d.id)  # the holder of the largest current_name goes
    assert [(a.documents, a.current_name) for a in store.agencies()] == [(1, None)]
    store.delete(e.id)
    assert store.agencies() == []
    store.close()


def test_other_processes_writes_are_seen(tmp_path: Path) -> None:
    rng = random.Random(3)
    a = LocalStore(tmp_path / "d")
    a.put(doc(1, rng))
    before = a.agencies()
    b = LocalStore(tmp_path / "d")
    b.put(doc(2, rng))
    b.close()
    assert a.agencies() != before or not doc(2, random.Random(3)).agencies
    assert_consistent(a)
    a.close()


def test_an_older_store_is_counted_when_opened(tmp_path: Path) -> None:
    rng = random.Random(4)
    store = LocalStore(tmp_path / "d")
    store.put_many([doc(i, rng) for i in range(30)])
    expected = aggregate_from_rows(store)
    store.close()
    # Make it a store from before the table: no table, no triggers, no marker.
    conn = sqlite3.connect(tmp_path / "d" / "vndoc.sqlite3")
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE agency_stats")
    conn.execute("DELETE FROM meta WHERE key = 'agency_stats'")
    conn.commit()
    conn.close()
    store = LocalStore(tmp_path / "d")
    assert store.agencies() == expected
    store.put(doc(99, rng))  # and the triggers are back
    assert_consistent(store)
    store.close()


def test_a_killed_writer_leaves_the_listing_consistent(tmp_path: Path) -> None:
    """kill -9 inside a document's transaction: its rows and its counts go together."""
    rng = random.Random(5)
    store = LocalStore(tmp_path / "d")
    store.put_many([doc(i, rng) for i in range(10)])
    store.close()
    child = textwrap.dedent(f"""
        import os, random, sys
        sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_agency_table import doc
        from pipeline.store.local import LocalStore
        store = LocalStore({str(tmp_path / "d")!r})
        rng = random.Random(6)
        store.put(doc(50, rng))
        # Die after the next document's rows are written, before its commit.
        LocalStore._bump = staticmethod(lambda conn: os.kill(os.getpid(), 9))
        store.put(doc(51, rng))
    """)
    proc = subprocess.run([sys.executable, "-c", child], cwd=ROOT, env={**os.environ},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    store = LocalStore(tmp_path / "d")
    store.recover()
    assert store.count() == 11
    assert_consistent(store)
    store.close()


def test_rows_changed_in_place_are_counted_again(tmp_path: Path) -> None:
    """Nothing updates these rows today; if something does, the listing follows."""
    store = LocalStore(tmp_path / "d")
    store.put_many([doc(i, random.Random(i)) for i in range(8)])
    conn = store._conn()
    with conn:
        conn.execute("UPDATE agencies SET name = 'Sở Nội vụ tỉnh Bắc Giang'"
                     " WHERE rowid = (SELECT MIN(rowid) FROM agencies)")
        conn.execute("UPDATE task_agencies SET role = 'lead' WHERE role = 'cooperating'")
        conn.execute("UPDATE agencies SET current_name = 'X' WHERE rowid % 2 = 0")
    assert_consistent(store)
    store.close()
