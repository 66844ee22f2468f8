"""A store's documents written again into a fresh store by this code.

The stored contracts are today's extraction results; writing them again with
``LocalStore.put_many`` (500 at a time, by source) gives the store a fresh
``vndoc ingest`` of the same files would write, without extracting again:
how the store-size figures of a writer or schema change are measured.

Example:
    python -m bench.rewrite tmp/bench/full/after-10000-w2 tmp/bench/full/final-10000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from pathlib import Path

from bench.extracted import Replayed
from pipeline.store.local import LocalStore, _text, _unpack


def rewrite(src: Path, dst: Path, *, batch: int = 500) -> dict[str, float]:
    shutil.rmtree(dst, ignore_errors=True)
    conn = sqlite3.connect(f"file:{src / 'vndoc.sqlite3'}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT d.text, d.data, MIN(s.source) FROM documents d"
            " JOIN sources s ON s.doc_id = d.id GROUP BY d.id ORDER BY 3").fetchall()
    finally:
        conn.close()
    t, cpu = time.perf_counter(), time.process_time()
    with LocalStore(dst) as store:
        buf: list[Replayed] = []
        for text, data, _source in rows:
            buf.append(Replayed(_unpack(data, _text(text))))
            if len(buf) == batch:
                store.put_many(buf)  # type: ignore[arg-type]
                buf.clear()
        if buf:
            store.put_many(buf)  # type: ignore[arg-type]
        n = store.count()
    return {"docs": n, "seconds": round(time.perf_counter() - t, 1),
            "cpu_ms_per_doc": round((time.process_time() - cpu) / max(n, 1) * 1000, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    args = ap.parse_args(argv)
    print(json.dumps(rewrite(args.src, args.dst)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
