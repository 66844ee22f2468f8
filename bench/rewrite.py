"""A store's documents written again into a fresh store by this code.

The stored contracts are today's extraction results; writing them again with
``LocalStore.put_many`` (500 at a time, by source) gives the store a fresh
``vndoc ingest`` of the same files would write, without extracting again:
how the store-size figures of a writer or schema change are measured.

Example:
    python -m bench.rewrite tmp/bench/full/after-10000-w2 tmp/bench/full/final-10000

A store's size (``bench.full.store_size``) is recorded as a step of
bench/results/full.json (group "size", marked with the commit that measured
it), from which ``python -m bench.report`` renders BENCHMARKS.md:

    python -m bench.rewrite --size tmp/s/v5 --docs 10000 \
        --record "store size 10000 docs, ..." --command "python -m bench.rewrite A B"
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

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


RESULTS = Path(__file__).resolve().parent / "results" / "full.json"


def record(name: str, command: str, result: dict[str, Any], *, path: Path = RESULTS) -> None:
    """Put a store-size step into the payload of bench/full.py (replacing a
    step of that name), marked with the commit and the time it was measured."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True, cwd=path.parent).stdout.strip()
    step = {"name": name, "command": command, "seconds": 0.0, "result": result, "group": "size",
            "reused": {"git_rev": rev or "?",
                       "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M")}}
    steps = [s for s in payload["steps"] if s["name"] != name]
    at = max((i for i, s in enumerate(steps) if s.get("group") == "size"), default=len(steps) - 1)
    steps.insert(at + 1, step)
    payload["steps"] = steps
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, nargs="?")
    ap.add_argument("dst", type=Path, nargs="?")
    ap.add_argument("--size", type=Path, default=None, help="measure this store's size")
    ap.add_argument("--docs", type=int, default=None, help="its documents (for --size)")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="the generated corpus (its manifest gives the input bytes)")
    ap.add_argument("--record", default=None, help="the step's name in full.json")
    ap.add_argument("--command", default=None, help="the command that made the store")
    args = ap.parse_args(argv)
    if args.size is None:
        if args.src is None or args.dst is None:
            ap.error("give SRC and DST, or --size")
        print(json.dumps(rewrite(args.src, args.dst)))
        return 0
    from bench.cache import CORPUS
    from bench.full import store_size
    from bench.generate import corpus_bytes

    if args.docs is None:
        ap.error("--size needs --docs")
    result = store_size(args.size, args.docs, corpus_bytes(args.corpus or CORPUS, args.docs))
    print(json.dumps(result, ensure_ascii=False))
    if args.record:
        record(args.record, f"{args.command or ''}; du -b {args.size}; SQLite dbstat".lstrip("; "),
               result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
