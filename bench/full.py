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

Step groups (``--only``, ``--reuse``): extraction, ingest10k, writer,
ingest100k, size, routes10k, routes100k, searchfloor, load. A run that fits
in one sitting of a shared machine can measure the slow groups (the ingests)
first and the latency groups later, each at its own commit: ``--reuse
bench/results/full.json --only routes100k,searchfloor,load,size`` keeps the
other groups' figures, each marked with the git rev and date it was
measured at.

The 300k growth curve is ``bench.growth``; the Elasticsearch sizing is in
README ("Elasticsearch sizing").
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
    by_kind: dict[str, int] = {}  # tantivy's files by kind: postings, positions, terms ...
    for f in (data_dir / "index").glob("*"):
        if f.is_file():
            by_kind[f.suffix or f.name] = by_kind.get(f.suffix or f.name, 0) + f.stat().st_size
    return {
        "docs": docs, "total_mb": round(total / 1e6, 1),
        "mb_per_1k_docs": round(total / 1e6 / (docs / 1000), 2),
        "bytes_per_input_byte": round(total / input_bytes, 2), "index_mb": round(index / 1e6, 1),
        "sqlite_mb": round((total - index) / 1e6, 1),
        "largest_tables_mb": {k: round(v / 1e6, 1) for k, v in list(tables.items())[:8]},
        "bytes_per_doc": {"sqlite": round((total - index) / docs),
                          **{f"index {k}": round(v / docs) for k, v in sorted(
                              by_kind.items(), key=lambda kv: -kv[1]) if v >= docs}},
    }


GROUPS = ("extraction", "ingest10k", "writer", "ingest100k", "size", "routes10k",
          "routes100k", "searchfloor", "load")


def extraction(code: Path | None, rounds: int = 5) -> dict[str, Any]:
    """bench/extraction.py (MB/s per core on the corpus) with ``code``'s extractors."""
    return _child_json([sys.executable, str(ROOT / "bench" / "extraction.py"), "--json",
                        "--rounds", str(rounds)], code)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="main", help="the code to compare with (a git rev)")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--load-seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--server-workers", type=int, default=2,
                    help="server processes of the load test's after run (and 1)")
    ap.add_argument("--skip-100k", action="store_true")
    ap.add_argument("--only", default=",".join(GROUPS),
                    help=f"comma-separated step groups to run, of: {', '.join(GROUPS)}")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="a previous full.json: the groups not run now are copied from it, "
                         "marked with that run's git rev and date")
    ap.add_argument("--before-100k", type=Path, default=None,
                    help="a 100k store written by the before code (instead of replaying one)")
    ap.add_argument("--after-100k", type=Path, default=None,
                    help="a 100k store written by this code (instead of bench.cache's)")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args(argv)
    only = {g.strip() for g in args.only.split(",") if g.strip()}
    if only - set(GROUPS):
        ap.error(f"unknown step groups: {', '.join(sorted(only - set(GROUPS)))}")
    if args.skip_100k:
        only -= {"ingest100k", "routes100k", "searchfloor"}
    WORK.mkdir(parents=True, exist_ok=True)
    before = export_code(args.before)
    r = Run()
    info = {"cpu": cpu_model(), "nproc": os.cpu_count(), "git_rev": cache.git_rev(),
            "before": f"{args.before} ({before.name.removeprefix('code-')})",
            "started": dt.datetime.now().isoformat(timespec="minutes"), "loadavg": loadavg(),
            "groups_run": sorted(only, key=GROUPS.index)}
    t_start = time.perf_counter()
    group = ""

    def step(name: str, command: str, fn: Any) -> None:
        r.step(name, command, fn)
        r.steps[-1]["group"] = group

    corpus = cache.CORPUS
    n10 = 10_000
    if only & {"ingest10k", "ingest100k", "routes10k", "load", "writer", "size"}:
        group = "ingest10k"
        step("generate", "python -m bench.generate --n 100000",
             lambda: {k: v for k, v in generate.generate(100_000, corpus).items()
                      if k != "sizes"})
    if "extraction" in only:
        group = "extraction"
        for label, code in (("before", before), ("after", None)):
            step(f"extraction per core, {label}",
                 "python bench/extraction.py --json --rounds 5"
                 + (f"  (PYTHONPATH={code})" if code else ""),
                 lambda code=code: extraction(code))
    stores = {"before": WORK / f"before-{n10}-w2", "after": WORK / f"after-{n10}-w2"}
    if "ingest10k" in only:
        group = "ingest10k"
        # the generated corpus: only the groups that ingest it need it
        dirs10, bytes10 = generate.shard_dirs(corpus, n10), generate.corpus_bytes(corpus, n10)
        for label, code, workers in (("before", before, 2), ("after", None, 2),
                                     ("after", None, 1)):
            dd = WORK / f"{label}-{n10}-w{workers}"
            step(f"ingest {n10} docs, {workers} worker(s), {label}",
                 f"vndoc ingest <10 shards> --workers {workers} ({label})",
                 lambda dd=dd, code=code, workers=workers: ingest(
                     dirs10, dd, workers=workers, n_docs=n10, n_bytes=bytes10, code=code))
    if "writer" in only:
        group = "writer"
        from bench.extracted import extract_shards

        step("extraction results saved", "python -m bench.extracted --n 2000",
             lambda: extract_shards(2000))
        for label, code, batch, tx, idx in (
            ("before", before, 50, None, None), ("after", None, 50, 1, 50),
            ("after", None, 500, 1, 1000), ("after", None, 500, 25, 50),
            ("after", None, 500, 25, 1000), ("after", None, 500, 100, 1000),
        ):
            step(f"writer {label}: {batch} per put_many, {tx or 1} per transaction, "
                 f"index commit per {idx or batch}",
                 f"bench/extracted.py --replay 2000 --batch {batch}"
                 + (f" --tx {tx} --index-docs {idx}" if tx else "") + f" ({label})",
                 lambda code=code, batch=batch, tx=tx, idx=idx: writer(
                     code, n=2000, batch=batch, tx=tx, index_docs=idx))
    big: dict[str, Path] = {}
    if args.after_100k is not None:  # absolute: the before code runs from its own folder
        big["after"] = args.after_100k.resolve()
    if args.before_100k is not None:
        big["before"] = args.before_100k.resolve()
    if "ingest100k" in only:
        group = "ingest100k"

        def build_after() -> dict[str, Any]:
            d, rec = cache.cached_store(100_000, workers=2)
            big.setdefault("after", d)
            return rec

        step("ingest 100000 docs, 2 workers, after",
             "python -m bench.cache --n 100000 --workers 2  (vndoc ingest, niced)", build_after)
        if "before" not in big:
            def build_before() -> dict[str, Any]:
                from bench.extracted import extract_shards

                extract_shards(100_000)
                d, rec = cache.replayed_store(100_000, before, f"before-{before.name}")
                big["before"] = d
                return rec

            step("store 100000 docs, before (its LocalStore, saved extraction)",
                 f"PYTHONPATH={before} python bench/extracted.py --replay 100000 --batch 50",
                 build_before)
    elif "after" not in big and (only & {"routes100k", "searchfloor", "size"}):
        d = cache.CACHE / "store-100000"
        if d.is_dir():
            big["after"] = d
    if "size" in only:
        group = "size"
        for n, pair in ((n10, stores), (100_000, big)):
            nbytes = generate.corpus_bytes(corpus, n)
            for label, dd in pair.items():
                if dd.is_dir():
                    step(f"store size {n} docs, {label}", f"du -b {dd}; SQLite dbstat",
                         lambda dd=dd, n=n, nbytes=nbytes: store_size(dd, n, nbytes))
    for n, pair, g in ((n10, stores, "routes10k"), (100_000, big, "routes100k")):
        if g not in only:
            continue
        group = g
        order = ["before", "after"] if n == n10 else ["after", "before"]
        for label in order:
            if label in pair and pair[label].is_dir():
                code = before if label == "before" else None
                step(f"routes {n} docs, {label}",
                     f"python bench/routes.py --data-dir {pair[label]} --reps {args.reps}"
                     + (f"  (PYTHONPATH={code})" if code else ""),
                     lambda dd=pair[label], code=code: routes(dd, code, args.reps))
    if "searchfloor" in only and "after" in big:
        group = "searchfloor"
        from bench.searchfloor import floor

        step("search against a plain tantivy query, 100000 docs",
             f"python -m bench.searchfloor --data-dir {big['after']} --reps {args.reps}",
             lambda: floor(big["after"], reps=args.reps))
    if "load" in only:
        group = "load"
        from bench.run import load_test

        # after with 1 and with --server-workers processes, before with 1 (as it served)
        runs = [("after", None, args.server_workers), ("after", None, 1), ("before", before, 1)]
        for label, code, workers in dict.fromkeys(runs):
            name = label if workers == 1 else f"{label}, {workers} server processes"
            step(f"load test 10000 docs, {name}",
                 f"python bench/loadtest.py --clients {args.clients} --seconds "
                 f"{args.load_seconds:g} --data-dir {stores[label]} --ingest-docs 1000"
                 + (f" --code {code}" if code else "")
                 + (f" --workers {workers}" if workers > 1 else ""),
                 lambda label=label, code=code, workers=workers: load_test(
                     stores[label], seconds=args.load_seconds, ingest_docs=1000,
                     out=WORK / f"load-{label}-w{workers}.md", clients=args.clients,
                     code=code, workers=workers))
    info["total_s"] = round(time.perf_counter() - t_start, 1)
    info["loadavg_end"] = loadavg()
    steps = r.steps
    if args.reuse is not None and args.reuse.is_file():
        old = json.loads(args.reuse.read_text("utf-8"))
        kept = [{**s, "reused": s.get("reused") or {"git_rev": old["machine"].get("git_rev"),
                                                     "started": old["machine"].get("started")}}
                for s in old["steps"] if s.get("group") not in only
                and s.get("group") in GROUPS]
        info["reused_groups"] = sorted({s["group"] for s in kept}, key=GROUPS.index)
        steps = sorted([*kept, *steps], key=lambda s: GROUPS.index(s.get("group") or GROUPS[1]))
    payload = {"machine": info, "steps": steps, "failures": r.failures}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "full.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
    from bench.report import render

    args.out.write_text(render(payload), "utf-8")
    print(f"[bench] wrote {args.out} in {info['total_s']} s", file=sys.stderr)
    return 1 if r.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
