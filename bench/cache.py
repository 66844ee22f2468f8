"""Stores built once and reused: the 10k and 100k LocalStores of the benchmarks.

Ingesting 100k documents takes longer than a benchmark run should, so the
store is built once under ``tmp/bench/cache/store-<n>`` with ``vndoc ingest``
(2 workers), and how the build went is recorded in ``store-<n>.build.json``
beside it (the same figures as any ingest measurement, plus the code version
and the schema it was built with). A store of another schema or generator
version is built again. Later runs reuse the store and report the recorded
build, marked as cached, with its date.

:func:`replayed_store` builds a store with another version's code (a tree
from ``git archive``) from the saved extraction results (bench/extracted.py):
the "before" stores of the before/after tables.

Example:
    python -m bench.cache --n 100000 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
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
        if (rec.get("schema") == _schema() and rec.get("generator_version")
                == generate.GENERATOR_VERSION):
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
    rec = ingest(dirs, data_dir, workers=workers, n_docs=n,
                 n_bytes=generate.corpus_bytes(corpus, n))
    rec.update({"built_at": dt.datetime.now().isoformat(timespec="seconds"),
                "git_rev": git_rev(), "generator_version": generate.GENERATOR_VERSION,
                "schema": _schema()})
    stamp.write_text(json.dumps(rec, indent=1, ensure_ascii=False), "utf-8")
    rec["cached"] = False
    return data_dir, rec


def _schema() -> str:
    from pipeline.store.local import SCHEMA_VERSION
    from pipeline.store.local_index import INDEX_VERSION

    return f"{SCHEMA_VERSION}/{INDEX_VERSION}"


def replayed_store(n: int, code: Path, name: str, *, cache: Path = CACHE, batch: int = 50,
                   rebuild: bool = False) -> tuple[Path, dict[str, Any]]:
    """A store of ``n`` documents written by the LocalStore of the code tree
    ``code`` (``name`` tells trees apart) from the saved extraction results;
    built once, then reused. Returns the data dir and the build record."""
    from bench.extracted import extract_shards

    data_dir = cache / f"{name}-{n}"
    stamp = cache / f"{name}-{n}.build.json"
    if stamp.is_file() and data_dir.is_dir() and not rebuild:
        rec = json.loads(stamp.read_text("utf-8"))
        if rec.get("generator_version") == generate.GENERATOR_VERSION:
            return data_dir, {**rec, "cached": True}
    extract_shards(n)
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    cache.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env["PYTHONPATH"] = str(code)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extracted.py"), "--replay", str(n),
         "--data-dir", str(data_dir), "--batch", str(batch)],
        cwd=code, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"replay into {data_dir} failed: {proc.stderr[-2000:]}")
    rec = json.loads(proc.stdout.strip().splitlines()[-1])
    rec.update({"built_at": dt.datetime.now().isoformat(timespec="seconds"), "code": str(code),
                "generator_version": generate.GENERATOR_VERSION})
    stamp.write_text(json.dumps(rec, indent=1, ensure_ascii=False), "utf-8")
    return data_dir, {**rec, "cached": False}


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
