"""CPU per document of each stage of an ingest, in one process.

Reads ``--n`` generated documents (bench/generate.py's shard folder) the way
a worker does and writes them the way ``vndoc ingest`` does, timing each
stage with ``time.process_time``: loading, the sidecar check, cleaning,
extraction (``process_raw`` less cleaning), pickling the result both ways
(a result crosses from a worker so), and the writer (``LocalStore.put_many``,
``BATCH_DOCS`` at a time, into a fresh store). What is left of an ingest's
CPU beyond these is the processes' start-up and hand-offs.

Example:
    python -m bench.ingest_stages --folder tmp/bench/corpus/shard_002 --n 1000
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import tempfile
import time
from pathlib import Path


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, required=True, help="a folder of .txt documents")
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args(argv)
    files = sorted(args.folder.glob("*.txt"))[: args.n]
    if not files:
        ap.error(f"no .txt files in {args.folder}")
    print(json.dumps({"docs": len(files), "cpu_ms_per_doc": stages(files)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
