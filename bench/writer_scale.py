"""The writer's CPU per document as a store grows, in one process per checkout.

Replays the first ``--n`` saved extraction results (bench/extracted.py; run
``python -m bench.extracted --n N`` first) into a fresh ``LocalStore`` the way
``vndoc ingest`` hands them over (``BATCH_DOCS`` to a ``put_many``), and
prints, for every ``--block`` documents and in all: the process's CPU (the
tantivy threads included), the writing thread's CPU and the wall time, in ms
a document. The saved results are read before the clock starts.

``--against DIR ...`` runs the same in other checkouts (directories with
their own ``pipeline``, e.g. ``git archive`` of an earlier commit), each in its
own process, the order alternating from round to round, so that a shared
machine's load falls on both alike.

Example:
    python -m bench.writer_scale --n 20000 --rounds 2 --against tmp/base
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(n: int, block: int, tx: int | None = None) -> dict[str, object]:
    sys.path.append(str(ROOT))  # bench.extracted; the pipeline of PYTHONPATH comes first
    import pipeline
    import pipeline.store.local as local
    from bench.extracted import replay
    from pipeline.ingest.run import BATCH_DOCS
    from pipeline.store.local import LocalStore

    if tx is not None:
        local.TX_DOCS = tx

    docs = list(replay(n, out=ROOT / "tmp" / "bench" / "extracted"))  # this tree's saved results
    tmp = tempfile.mkdtemp(prefix="vndoc-writer-")
    store = LocalStore(Path(tmp) / "data")
    names = ("cpu", "thread", "wall")
    clocks = (time.process_time, time.thread_time, time.perf_counter)
    start = last = [c() for c in clocks]
    blocks: list[dict[str, float]] = []
    for i in range(0, len(docs), BATCH_DOCS):
        store.put_many(docs[i:i + BATCH_DOCS])
        done = min(i + BATCH_DOCS, len(docs))
        if done % block == 0 or done == len(docs):
            now = [c() for c in clocks]
            k = done - int(blocks[-1]["docs"] if blocks else 0)
            blocks.append({"docs": done, **{name: round((a - b) / k * 1000, 3) for name, a, b
                                            in zip(names, now, last, strict=True)}})
            last = now
    end = [c() for c in clocks]
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    total = {name: round((a - b) / len(docs) * 1000, 3)
             for name, a, b in zip(names, end, start, strict=True)}
    return {"docs": len(docs), "ms_per_doc": total, "blocks": blocks,
            "loadavg": round(os.getloadavg()[0], 2), "code": str(Path(pipeline.__file__).parent),
            "tx_docs": getattr(local, "TX_DOCS", None)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--block", type=int, default=4000)
    ap.add_argument("--against", nargs="+", type=Path, default=[], metavar="DIR")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--tx", type=int, default=None,
                    help="documents per SQLite transaction (LocalStore's TX_DOCS)")
    args = ap.parse_args(argv)
    if not args.against:
        print(json.dumps(run(args.n, args.block, args.tx)))
        return 0
    checkouts = [ROOT, *(d.resolve() for d in args.against)]
    for i in range(args.rounds):
        order = checkouts if i % 2 == 0 else checkouts[::-1]
        for d in order:
            out = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "writer_scale.py"), "--n", str(args.n),
                 "--block", str(args.block)],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(d)}, check=True,
                capture_output=True, text=True).stdout
            print(json.dumps({"round": i + 1, "checkout": str(d),
                              **json.loads(out.strip().splitlines()[-1])}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
