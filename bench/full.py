"""The full benchmarks, before and after, in one run; rewrites BENCHMARKS.md.

    python -m bench.full                      # make bench-full
    python -m bench.full --before main --reps 20 --load-seconds 60

"Before" is another version's code (``--before REV``, default ``main``:
what this branch changes), exported with ``git archive`` to
``tmp/bench/code-<rev>/`` and run in child processes with that tree first on
the path; "after" is this tree. Both run on the same machine in the same
run, their steps alternating where they can, so the ratios hold even when
others load the machine (the load average is recorded at every step).

Steps (each with its command and raw result in the report):

1. ingest 10k generated documents end to end (``vndoc ingest``, 1 and 2
   workers after, 2 workers before): wall time, MB/s, CPU cores kept busy;
2. the writer's batching: the same 2,000 extracted documents written by
   ``LocalStore.put_many`` with other transaction and index-commit sizes;
3. the 100k stores: after, built by ``vndoc ingest`` with 2 workers (the
   100k ingest figure; reused from ``tmp/bench/cache`` while the schema and
   generator stay the same); before, written by the older LocalStore from
   the saved extraction results (bench/extracted.py);
4. store size at 10k and 100k, per table;
5. every route of the fixed mix (bench/routes.py) in-process at 10k and 100k;
6. search against a plain tantivy query for the same words, at 100k;
7. the load test (bench/loadtest.py) at 10k: 50 clients, with and without an
   ingest, before and after.

The 300k growth curve and the Elasticsearch sizing are ``bench.growth``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import cache, generate
from bench.measure import ROOT, cpu_model, dir_bytes, ingest, loadavg
from bench.run import Run

WORK = ROOT / "tmp" / "bench" / "full"
RESULTS = ROOT / "bench" / "results"
TARGETS = {"tasks": 20.0, "refs": 10.0, "ask": 50.0, "search": 60.0}  # p99 ms at 100k


def export_code(rev: str) -> Path:
    """``git archive REV`` unpacked under tmp/bench/code-<sha> (reused)."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    dest = ROOT / "tmp" / "bench" / f"code-{sha}"
    if not (dest / "pipeline").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "pipeline", "extractors",
                                  "search_api"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def _child_json(cmd: list[str], code: Path | None, timeout: float = 7200) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    proc = subprocess.run(cmd, cwd=code or ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {proc.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1]
                                     if not proc.stdout.strip().startswith("{")
                                     else proc.stdout)
    out["loadavg_after"] = loadavg()
    return out


def routes(data_dir: Path, code: Path | None, reps: int) -> dict[str, Any]:
    out = WORK / f"routes-{os.getpid()}.json"
    cmd = [sys.executable, str(ROOT / "bench" / "routes.py"), "--data-dir", str(data_dir),
           "--reps", str(reps), "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    proc = subprocess.run(cmd, cwd=code or ROOT, env=env, capture_output=True, text=True,
                          timeout=7200, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"routes on {data_dir} failed: {proc.stderr[-2000:]}")
    res: dict[str, Any] = json.loads(out.read_text("utf-8"))
    out.unlink()
    return res


def writer(code: Path | None, *, n: int, batch: int, tx: int | None,
           index_docs: int | None) -> dict[str, Any]:
    dd = WORK / f"writer-{os.getpid()}"
    shutil.rmtree(dd, ignore_errors=True)
    cmd = [sys.executable, str(ROOT / "bench" / "extracted.py"), "--replay", str(n),
           "--data-dir", str(dd), "--batch", str(batch)]
    if tx is not None:
        cmd += ["--tx", str(tx)]
    if index_docs is not None:
        cmd += ["--index-docs", str(index_docs)]
    res = _child_json(cmd, code)
    shutil.rmtree(dd, ignore_errors=True)
    return res


def store_size(data_dir: Path, docs: int, input_bytes: int) -> dict[str, Any]:
    """Bytes on disk (closed store: WAL checkpointed), per table and index."""
    conn = sqlite3.connect(f"file:{data_dir / 'vndoc.sqlite3'}?mode=ro", uri=True)
    try:
        tables = {r[0]: r[1] for r in conn.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")}
    except sqlite3.Error:
        tables = {}
    finally:
        conn.close()
    total = dir_bytes(data_dir)
    index = dir_bytes(data_dir / "index")
    return {
        "docs": docs, "total_mb": round(total / 1e6, 1),
        "mb_per_1k_docs": round(total / 1e6 / (docs / 1000), 2),
        "bytes_per_input_byte": round(total / input_bytes, 2), "index_mb": round(index / 1e6, 1),
        "sqlite_mb": round((total - index) / 1e6, 1),
        "largest_tables_mb": {k: round(v / 1e6, 1) for k, v in list(tables.items())[:8]},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="main", help="the code to compare with (a git rev)")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--load-seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--skip-100k", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    before = export_code(args.before)
    r = Run()
    info = {"cpu": cpu_model(), "nproc": os.cpu_count(), "git_rev": cache.git_rev(),
            "before": f"{args.before} ({before.name.removeprefix('code-')})",
            "started": dt.datetime.now().isoformat(timespec="minutes"), "loadavg": loadavg()}
    t_start = time.perf_counter()
    corpus = cache.CORPUS
    r.step("generate", "python -m bench.generate --n 100000",
           lambda: {k: v for k, v in generate.generate(100_000, corpus).items() if k != "sizes"})
    from bench.extracted import extract_shards

    r.step("extraction results saved", "python -m bench.extracted --n 100000",
           lambda: extract_shards(100_000))
    n10 = 10_000
    dirs10, bytes10 = generate.shard_dirs(corpus, n10), generate.corpus_bytes(corpus, n10)
    stores: dict[str, Path] = {}
    for label, code, workers in (("before", before, 2), ("after", None, 2), ("after", None, 1)):
        dd = WORK / f"{label}-{n10}-w{workers}"
        stores.setdefault(label, dd)
        r.step(f"ingest {n10} docs, {workers} worker(s), {label}",
               f"vndoc ingest <10 shards> --workers {workers} ({label})",
               lambda dd=dd, code=code, workers=workers: ingest(
                   dirs10, dd, workers=workers, n_docs=n10, n_bytes=bytes10, code=code))
    for label, code, batch, tx, idx in (
        ("before", before, 50, None, None), ("after", None, 50, 1, 50),
        ("after", None, 500, 1, 1000), ("after", None, 500, 25, 50),
        ("after", None, 500, 25, 1000), ("after", None, 500, 100, 1000),
    ):
        r.step(f"writer {label}: {batch} per put_many, {tx or 1} per transaction, "
               f"index commit per {idx or batch}",
               f"bench/extracted.py --replay 2000 --batch {batch}"
               + (f" --tx {tx} --index-docs {idx}" if tx else "") + f" ({label})",
               lambda code=code, batch=batch, tx=tx, idx=idx: writer(
                   code, n=2000, batch=batch, tx=tx, index_docs=idx))
    big: dict[str, Path] = {}
    if not args.skip_100k:
        def build_after() -> dict[str, Any]:
            d, rec = cache.cached_store(100_000, workers=2)
            big["after"] = d
            return rec

        def build_before() -> dict[str, Any]:
            d, rec = cache.replayed_store(100_000, before, f"before-{before.name}")
            big["before"] = d
            return rec

        r.step("ingest 100000 docs, 2 workers, after (cached store)",
               "python -m bench.cache --n 100000 --workers 2", build_after)
        r.step("store 100000 docs, before (its LocalStore, saved extraction)",
               f"PYTHONPATH={before} python bench/extracted.py --replay 100000 --batch 50",
               build_before)
    for n, pair in ((n10, stores), (100_000, big)):
        nbytes = generate.corpus_bytes(corpus, n)
        for label, dd in pair.items():
            r.step(f"store size {n} docs, {label}", f"du -b {dd}",
                   lambda dd=dd, n=n, nbytes=nbytes: store_size(dd, n, nbytes))
    for n, pair in ((n10, stores), (100_000, big)):
        order = ["before", "after"] if n == n10 else ["after", "before"]
        for label in order:
            if label in pair:
                code = before if label == "before" else None
                r.step(f"routes {n} docs, {label}",
                       f"python bench/routes.py --data-dir {pair[label]} --reps {args.reps}"
                       + (f"  (PYTHONPATH={code})" if code else ""),
                       lambda dd=pair[label], code=code: routes(dd, code, args.reps))
    if "after" in big:
        from bench.searchfloor import floor

        r.step("search against a plain tantivy query, 100000 docs",
               "python -m bench.searchfloor --data-dir <100k store>",
               lambda: floor(big["after"]))
    for label, code in (("after", None), ("before", before)):
        out = WORK / f"load-{label}.md"

        def load(label: str = label, code: Path | None = code, out: Path = out) -> dict:  # type: ignore[type-arg]
            cmd = [sys.executable, str(ROOT / "bench" / "loadtest.py"), "--clients",
                   str(args.clients), "--seconds", str(args.load_seconds), "--data-dir",
                   str(stores[label]), "--ingest-docs", "1000", "--out", str(out)]
            if code is not None:
                cmd += ["--code", str(code)]
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600,
                                  check=False)
            return {"exit_code": proc.returncode, "report": out.read_text("utf-8")
                    if out.is_file() else proc.stderr[-2000:], "loadavg_after": loadavg()}

        r.step(f"load test 10000 docs, {label}",
               f"python bench/loadtest.py --clients {args.clients} --seconds "
               f"{args.load_seconds:g} --data-dir <10k store> --ingest-docs 1000"
               + (" --code <before>" if code else ""), load)
    info["total_s"] = round(time.perf_counter() - t_start, 1)
    info["loadavg_end"] = loadavg()
    payload = {"machine": info, "steps": r.steps, "failures": r.failures}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "full.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
    from bench.report import render

    args.out.write_text(render(payload), "utf-8")
    print(f"[bench] wrote {args.out} in {info['total_s']} s", file=sys.stderr)
    return 1 if r.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
