"""A store built once and reused: the 100k-document LocalStore of full mode.

Ingesting 100k documents takes longer than a benchmark run should (see
BENCHMARKS.md), so full mode builds that store once under
``tmp/bench/cache/store-<n>`` and records how the build went in
``build.json`` beside it (the same figures as any ingest measurement, plus
the code version it was built with). Later runs reuse the store and report
the recorded build figures, marked as cached, with their date.

Example:
    python -m bench.cache --n 100000 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import generate
from bench.measure import ROOT, ingest

CACHE = ROOT / "tmp" / "bench" / "cache"
CORPUS = ROOT / "tmp" / "bench" / "corpus"


def git_rev() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cached_store(n: int, *, workers: int = 2, corpus: Path = CORPUS,
                 cache: Path = CACHE, rebuild: bool = False) -> tuple[Path, dict[str, Any]]:
    """The data dir of an n-document store, building it if needed; and its build record."""
    data_dir = cache / f"store-{n}"
    stamp = cache / f"store-{n}.build.json"
    lock = cache / f"store-{n}.building"
    while lock.is_file() and _alive(int(lock.read_text().strip() or 0)):
        time.sleep(5)  # another process is building it: wait, then reuse
    if stamp.is_file() and data_dir.is_dir() and not rebuild:
        rec = json.loads(stamp.read_text("utf-8"))
        rec["cached"] = True
        return data_dir, rec
    cache.mkdir(parents=True, exist_ok=True)
    lock.write_text(str(os.getpid()))
    try:
        return _build(n, workers=workers, corpus=corpus, data_dir=data_dir, stamp=stamp)
    finally:
        lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _build(n: int, *, workers: int, corpus: Path, data_dir: Path,
           stamp: Path) -> tuple[Path, dict[str, Any]]:
    generate.generate(n, corpus)
    dirs = generate.shard_dirs(corpus, n)
    # With the number index (see bench.measure.BENCH_INDEX): without it each
    # insert scans the documents table and 100k documents take hours.
    rec = ingest(dirs, data_dir, workers=workers, n_docs=n,
                 n_bytes=generate.corpus_bytes(corpus, n), number_index=True)
    rec.update({"built_at": dt.datetime.now().isoformat(timespec="seconds"),
                "git_rev": git_rev(), "generator_version": generate.GENERATOR_VERSION})
    stamp.write_text(json.dumps(rec, indent=1, ensure_ascii=False), "utf-8")
    rec["cached"] = False
    return data_dir, rec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build (or reuse) the cached n-document store.")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    data_dir, rec = cached_store(args.n, workers=args.workers, rebuild=args.rebuild)
    print(json.dumps(rec, indent=1, ensure_ascii=False))
    print(data_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
