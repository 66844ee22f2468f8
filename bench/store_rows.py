"""What a store holds after an ingest, for comparing two checkouts' writers.

Reads ``--n`` documents (the ``.txt`` files of a folder, or of its shard
folders, bench/generate.py's layout, in order) the way a worker does, writes
them into a fresh ``LocalStore`` the way ``vndoc ingest`` does (``BATCH_DOCS``
at a time, then the first 50 again: "unchanged"), and prints a hash of every
table's rows (sorted; the columns that hold the time of writing left out) and
one of those rows with the answers of a fixed list of reads: searches (ids,
scores, totals; by relevance and by date, filtered, a second page), task
searches and register pages, the agencies listing and the most cited
references with their citations. Two checkouts that print the same hashes
wrote the same rows and index the same words. ``--dump FILE`` writes the rows
and answers as text, to ``diff`` when the hashes differ.

Run as a file, so that the code measured is the checkout on ``PYTHONPATH``:
    python bench/store_rows.py --folder tmp/bench/corpus --n 2000 --dump after.txt
    PYTHONPATH=/tmp/base python bench/store_rows.py --folder ... --n 2000 --dump before.txt
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_WHEN = {"ingested_at", "at", "updated_at", "superseded_at", "reviewed_at"}
QUERIES = ("đầu tư công", "Sở Tài chính", "báo cáo kết quả", "ubnd tinh", "hoàn thành trước",
           "kế hoạch", "Ủy ban nhân dân tỉnh", "phòng chống thiên tai", "nghị định",
           '"chuyển đổi số"', "giáo dục -đào", "tai nguyen moi truong")


def _reads(store: Any) -> list[tuple[str, Callable[[], Any]]]:
    """The fixed reads whose answers are compared (a name, and the call)."""
    from pipeline.store.base import SearchQuery, TaskQuery

    out: list[tuple[str, Callable[[], Any]]] = []

    def hits(r: Any) -> Any:
        return ([x.id for x in r.hits], [round(x.score, 4) for x in r.hits], r.total)

    for q in QUERIES:
        out.append((f"search {q}", lambda q=q: hits(store.search(
            SearchQuery(q=q, size=30, details=False)))))
    for q in QUERIES[:4]:
        out.append((f"search {q} page 2", lambda q=q: hits(store.search(
            SearchQuery(q=q, size=20, page=2, details=False)))))
        out.append((f"search {q} by date", lambda q=q: hits(store.search(
            SearchQuery(q=q, size=20, sort="date", details=False)))))
        out.append((f"search {q} in 2020", lambda q=q: hits(store.search(
            SearchQuery(q=q, size=20, year="2020", details=False)))))
    out.append(("search all by date", lambda: hits(store.search(
        SearchQuery(q="", size=50, sort="date", details=False)))))
    out.append(("search details", lambda: [(x.id, x.snippets) for x in store.search(
        SearchQuery(q="Sở Tài chính", size=10)).hits]))

    def tasks(**kw: Any) -> Any:
        return [(t.id, t.deadline, t.owners, t.text, t.done) for t in store.tasks(TaskQuery(**kw))]

    for q in ("báo cáo", "Sở Tài chính chủ trì", "hoàn thành"):
        out.append((f"tasks q={q}", lambda q=q: tasks(q=q, limit=50)))
    out.append(("tasks first 200", lambda: tasks(limit=200)))
    out.append(("tasks by deadline", lambda: tasks(limit=100, sort="deadline")))
    out.append(("agencies", lambda: [(a.name, a.documents, a.lead_tasks, a.cooperating_tasks)
                                     for a in store.agencies()]))
    out.append(("top refs", lambda: store.top_refs(30)))
    out.append(("citations", lambda: [
        (c.doc_id, c.canonical, c.text, c.context) for c in store.citations(
            [k for k, _ in store.top_refs(5)], limit=100)]))
    return out


def store_rows(files: list[Path]) -> tuple[str, str, list[str]]:
    """(hash of the rows, hash of the rows and the reads' answers, the lines of a dump)."""
    from pipeline.ingest.load import load
    from pipeline.ingest.run import BATCH_DOCS, process_raw, sidecar_meta
    from pipeline.store.local import LocalStore

    docs = [process_raw(load(f), extra=sidecar_meta(f)) for f in files]
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vndoc-rows-") as tmp:
        store = LocalStore(Path(tmp) / "data")
        for i in range(0, len(docs), BATCH_DOCS):
            store.put_many(docs[i:i + BATCH_DOCS])
        store.put_many(docs[:50])
        h = hashlib.sha256()
        conn = sqlite3.connect(Path(tmp) / "data" / "vndoc.sqlite3")
        for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')
                    if r[1] not in _WHEN]
            if not cols:
                continue
            q = ",".join(f'"{c}"' for c in cols)
            rows = conn.execute(f'SELECT {q} FROM "{name}" ORDER BY {q}').fetchall()
            if name == "meta":
                rows = [r for r in rows if "at" not in str(r[0])]
            h.update(repr((name, cols, rows)).encode())
            lines.append(f"== {name} {cols} {len(rows)} rows")
            lines.extend(repr(r) for r in rows)
        conn.close()
        rows_hash = h.hexdigest()
        for name, read in _reads(store):
            answer = repr(read())
            h.update(answer.encode())
            lines.append(f"== {name}")
            lines.append(answer)
        store.close()
    return rows_hash, h.hexdigest(), lines


def store_hashes(files: list[Path]) -> tuple[str, str]:
    """(hash of the rows, hash of the rows and the reads' answers)."""
    rows, with_reads, _lines = store_rows(files)
    return rows, with_reads


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, required=True,
                    help="a folder of .txt documents, or of shard folders of them")
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--dump", type=Path, default=None, help="write the rows and answers here")
    args = ap.parse_args(argv)
    files = sorted(args.folder.glob("*.txt")) or sorted(args.folder.glob("*/*.txt"))
    files = files[: args.n]
    if not files:
        ap.error(f"no .txt files in {args.folder}")
    rows, with_reads, lines = store_rows(files)
    if args.dump:
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(files)} documents: rows {rows}; rows and reads {with_reads}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
