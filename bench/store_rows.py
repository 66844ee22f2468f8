"""One hash of what a store holds after an ingest: for comparing two checkouts' writers.

Reads ``--n`` documents of a folder (bench/generate.py's shard folder) the way
a worker does, writes them into a fresh ``LocalStore`` the way ``vndoc ingest``
does (``BATCH_DOCS`` at a time, then the first 50 again: "unchanged"), and
prints a hash of every table's rows (sorted; the columns that hold the time
of writing left out) and one of those rows with the ids, scores and totals of
a few searches. Two checkouts that print the same hashes wrote the same rows
and index the same words.

Run as a file, so that the code measured is the checkout on ``PYTHONPATH``:
    python bench/store_rows.py --folder tmp/bench/corpus/shard_002 --n 600
    PYTHONPATH=/tmp/base python bench/store_rows.py --folder ... --n 600
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import tempfile
from pathlib import Path

_WHEN = {"ingested_at", "at", "updated_at", "superseded_at", "reviewed_at"}
QUERIES = ("đầu tư công", "Sở Tài chính", "báo cáo kết quả", "ubnd tinh", "hoàn thành trước")


def store_hashes(files: list[Path]) -> tuple[str, str]:
    """(hash of the rows, hash of the rows and the searches' answers)."""
    from pipeline.ingest.load import load
    from pipeline.ingest.run import BATCH_DOCS, process_raw, sidecar_meta
    from pipeline.store.base import SearchQuery
    from pipeline.store.local import LocalStore

    docs = [process_raw(load(f), extra=sidecar_meta(f)) for f in files]
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
        conn.close()
        rows_hash = h.hexdigest()
        for query in QUERIES:
            r = store.search(SearchQuery(q=query, size=30, details=False))
            h.update(repr(([x.id for x in r.hits], [round(x.score, 4) for x in r.hits],
                           r.total)).encode())
        store.close()
    return rows_hash, h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, required=True, help="a folder of .txt documents")
    ap.add_argument("--n", type=int, default=600)
    args = ap.parse_args(argv)
    files = sorted(args.folder.glob("*.txt"))[: args.n]
    if not files:
        ap.error(f"no .txt files in {args.folder}")
    rows, with_search = store_hashes(files)
    print(f"{len(files)} documents: rows {rows}; rows and searches {with_search}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
