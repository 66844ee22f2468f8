"""cProfile of the writer (or of cleaning) over generated documents, in one process.

    python -m bench.profile_writer --n 2000 store   # LocalStore.put_many, BATCH_DOCS at a time
    python -m bench.profile_writer --n 2000 clean   # pipeline.ingest.clean.clean

The documents are the first ``--n`` of ``tmp/bench/corpus`` (bench/generate.py),
read and extracted first (not profiled); the store is a fresh one. Prints the
CPU per document (the profiler's overhead included) and the top functions by
own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load
    from pipeline.ingest.run import BATCH_DOCS, process_raw, sidecar_meta
    from pipeline.store.local import LocalStore

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("store", "clean"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--top", type=int, default=35)
    args = ap.parse_args(argv)
    files = sorted((ROOT / "tmp" / "bench" / "corpus").glob("shard_*/*.txt"))[: args.n]
    prof = cProfile.Profile()
    if args.what == "clean":
        texts = [load(f).text for f in files]
        t = time.process_time()
        prof.enable()
        for text in texts:
            clean(text)
        prof.disable()
    else:
        docs = [process_raw(load(f), extra=sidecar_meta(f)) for f in files]
        tmp = tempfile.mkdtemp(prefix="vndoc-profile-")
        store = LocalStore(Path(tmp) / "data")
        t = time.process_time()
        prof.enable()
        for i in range(0, len(docs), BATCH_DOCS):
            store.put_many(docs[i:i + BATCH_DOCS])
        prof.disable()
        store.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.what}: {(time.process_time() - t) / len(files) * 1000:.2f} ms of CPU a document "
          f"({len(files)} documents, profiled)")
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
