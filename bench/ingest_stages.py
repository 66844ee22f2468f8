"""CPU per document of each stage of an ingest, in one process.

Reads ``--n`` generated documents (bench/generate.py's shard folder) the way
a worker does and writes them the way ``vndoc ingest`` does, timing each
stage with ``time.process_time``: loading, the sidecar check, cleaning,
extraction (``process_raw`` less cleaning), pickling the result both ways
(a result crosses from a worker so), and the writer (``LocalStore.put_many``,
``BATCH_DOCS`` at a time, into a fresh store). What is left of an ingest's
CPU beyond these is the processes' start-up and hand-offs.

``--against DIR ...`` measures other checkouts too (each a directory with
its own ``extractors``, ``pipeline`` and ``bench``, e.g. a ``git worktree``
of an earlier commit): every round runs this script once in each checkout,
in its own process, the order alternating from round to round, over the same
files; each stage's figure is its lowest over the rounds (the round least
disturbed by other work on a shared machine), with the median beside it.

Example:
    python -m bench.ingest_stages --folder tmp/bench/corpus/shard_002 --n 1000
    python -m bench.ingest_stages --folder tmp/bench/corpus/shard_002 --n 1000 \\
        --rounds 3 --against /tmp/base
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any


def stages(files: list[Path]) -> dict[str, float]:
    """Milliseconds of CPU per document, by stage."""
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load
    from pipeline.ingest.run import BATCH_DOCS, process_raw, sidecar_meta
    from pipeline.store.local import LocalStore

    cpu = time.process_time
    spent = dict.fromkeys(("load", "sidecar", "clean", "extract", "pickle", "unpickle",
                           "store"), 0.0)
    process_raw(load(files[0]))  # rule tables are built on first use
    docs = []
    for f in files:
        t = cpu()
        raw = load(f)
        spent["load"] += cpu() - t
        t = cpu()
        extra = sidecar_meta(f)
        spent["sidecar"] += cpu() - t
        t = cpu()
        clean(raw.text)
        spent["clean"] += cpu() - t
        t = cpu()
        doc = process_raw(raw, extra=extra)  # cleans again: taken off below
        spent["extract"] += cpu() - t
        t = cpu()
        blob = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        spent["pickle"] += cpu() - t
        t = cpu()
        docs.append(pickle.loads(blob))
        spent["unpickle"] += cpu() - t
    spent["extract"] -= spent["clean"]
    with tempfile.TemporaryDirectory(prefix="vndoc-stages-") as tmp:
        store = LocalStore(Path(tmp) / "data")
        t = cpu()
        for i in range(0, len(docs), BATCH_DOCS):
            store.put_many(docs[i:i + BATCH_DOCS])
        spent["store"] += cpu() - t
        store.close()
        shutil.rmtree(tmp, ignore_errors=True)
    out = {k: round(v / len(files) * 1000, 2) for k, v in spent.items()}
    out["total"] = round(sum(out.values()), 2)
    return out


def interleaved(checkouts: list[Path], folder: Path, n: int, rounds: int) -> list[dict[str, Any]]:
    """Each stage's lowest and median CPU per document in each checkout, over
    ``rounds`` runs of this script there, the order alternating."""
    import os
    import statistics
    import subprocess
    import sys

    runs: list[list[dict[str, float]]] = [[] for _ in checkouts]
    for i in range(rounds):
        order = range(len(checkouts)) if i % 2 == 0 else reversed(range(len(checkouts)))
        for k in order:
            d = checkouts[k]
            out = subprocess.run(
                [sys.executable, "-m", "bench.ingest_stages", "--folder", str(folder),
                 "--n", str(n)],
                cwd=d, env={**os.environ, "PYTHONPATH": str(d)}, check=True,
                capture_output=True, text=True,
            ).stdout
            runs[k].append(json.loads(out.strip().splitlines()[-1])["cpu_ms_per_doc"])
    return [
        {"checkout": str(d),
         "best": {k: min(r[k] for r in rs) for k in rs[0]},
         "median": {k: round(statistics.median(r[k] for r in rs), 2) for k in rs[0]},
         "totals": [r["total"] for r in rs]}
        for d, rs in zip(checkouts, runs, strict=True)
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, required=True, help="a folder of .txt documents")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--against", nargs="+", type=Path, default=[], metavar="DIR",
                    help="other checkouts, measured in the same run (rounds alternate)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds with --against")
    args = ap.parse_args(argv)
    files = sorted(args.folder.glob("*.txt"))[: args.n]
    if not files:
        ap.error(f"no .txt files in {args.folder}")
    if args.against:
        root = Path(__file__).resolve().parents[1]
        for r in interleaved([root, *(d.resolve() for d in args.against)],
                             args.folder.resolve(), len(files), args.rounds):
            print(json.dumps(r))
        return 0
    print(json.dumps({"docs": len(files), "cpu_ms_per_doc": stages(files)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
