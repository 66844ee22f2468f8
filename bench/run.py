"""Run the benchmarks and write the report (``make bench`` / ``make bench-full``).

    python -m bench.run --quick    # ~300 docs, well under 2 minutes; CI
    python -m bench.run --full     # before/after at 10k and 100k (bench/full.py)

Where results go (so CI's quick runs never clobber the full figures):

* ``--full`` runs ``bench.full``, which rewrites ``BENCHMARKS.md`` (and
  ``bench/results/full.json``).
* ``--quick`` writes ``bench/results/quick.md`` and ``bench/results/quick.json``
  only (not committed: ``bench/results/.gitignore``).
* ``--out DIR`` writes ``DIR/<mode>.md`` and ``DIR/<mode>.json`` instead (tests).

Exit status: 0 when every correctness check passed (every generated document
ingested and stored, every query answered, searches find hits, the baseline
ran); 1 otherwise. Timings and targets never fail the run: a missed target is
reported as missed.

Generated corpora and stores live under ``tmp/bench/`` (git-ignored); the
100k store of full mode is built once into ``tmp/bench/cache`` and reused
(``python -m bench.cache --rebuild`` to rebuild it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench import generate, measure
from bench.cache import git_rev
from bench.measure import ROOT, BenchError

RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "tmp" / "bench"

TARGETS = {
    "extract_per_core": 50.0,  # docs/s, one process
    "baseline_ratio": 100.0,  # vndoc docs/s / baseline docs/s
    "search_p99_ms_100k": 50.0,
    "ingest_10k_2w_s": 300.0,
    "peak_mb": 1000.0,
}


def machine() -> dict[str, Any]:
    cpu = measure.cpu_model()
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    from importlib.metadata import version

    import tantivy  # noqa: F401

    return {
        "nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 2**30, 1),
        "python": platform.python_version(), "platform": platform.platform(),
        "sqlite": __import__("sqlite3").sqlite_version, "tantivy": version("tantivy"),
        "git_rev": git_rev(), "loadavg": measure.loadavg(),
    }


class Run:
    """Collects each step's command, result and failure."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.failures: list[str] = []

    def step(self, name: str, command: str, fn: Any) -> Any:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            result = fn()
        except BenchError as e:
            self.failures.append(f"{name}: {e}")
            result = {"error": str(e)}
        except Exception as e:  # report, keep going with the other measurements
            self.failures.append(f"{name}: unexpected {type(e).__name__}: {e}")
            traceback.print_exc()
            result = {"error": f"{type(e).__name__}: {e}"}
        took = time.perf_counter() - t
        print(f"[bench] {name}: {took:.1f} s", file=sys.stderr, flush=True)
        self.steps.append({"name": name, "command": command, "seconds": round(took, 1),
                           "result": result})
        return result

    def get(self, name: str) -> dict[str, Any]:
        for s in self.steps:
            if s["name"] == name:
                return s["result"]
        return {}


def _files(corpus: Path, n: int) -> list[Path]:
    return [generate.doc_path(corpus, i) for i in range(n)]


def run(mode: str, *, size: int, reps: int, baseline: bool, work: Path,
        gold_limit: int | None = None, load_seconds: float = 10.0) -> tuple[Run, dict]:
    r = Run()
    info = machine()
    started = time.perf_counter()
    corpus = work / f"quick-corpus-{size}"
    shutil.rmtree(corpus, ignore_errors=True)
    r.step("generate", f"python -m bench.generate --n {size} --out {_rel(corpus)}",
           lambda: {k: v for k, v in generate.generate(size, corpus).items() if k != "sizes"})
    sizes = [size]
    # ingest throughput, 1 and 2 workers
    for n in sizes:
        dirs = generate.shard_dirs(corpus, n)
        nbytes = generate.corpus_bytes(corpus, n)
        for w in (1, 2):
            dd = work / f"store-{n}-w{w}"
            r.step(f"ingest {n} docs, {w} worker{'s' if w > 1 else ''}",
                   f"vndoc ingest {_rel(corpus)}/shard_* --workers {w} --quiet "
                   f"--data-dir {_rel(dd)}",
                   lambda dirs=dirs, dd=dd, w=w, n=n, nbytes=nbytes: measure.ingest(
                       dirs, dd, workers=w, n_docs=n, n_bytes=nbytes))
    # per-stage profile and hotspots
    n_prof = min(size, 1000) if mode == "full" else min(size, 100)
    pfiles = _files(corpus, n_prof)
    r.step("stage profile", f"bench.measure.stage_profile({n_prof} docs)",
           lambda: measure.stage_profile(pfiles, work / "store-profile"))
    n_hot = 300 if mode == "full" else min(size, 50)
    r.step("hotspots", f"cProfile of load+clean+extract over {n_hot} docs",
           lambda: measure.hotspots(_files(corpus, n_hot)))
    # search latency
    latency_steps(r, size, work / f"store-{size}-w2", reps)
    # 50 clients against a real server, without and with an ingest running
    # (issue 19: 0 errors). Short here; bench.full runs it for 60 s at 10k.
    if load_seconds > 0:
        r.step(f"load test {size} docs",
               f"python bench/loadtest.py --clients 50 --seconds {load_seconds:g} "
               f"--data-dir {_rel(work / f'store-{size}-w2')} --ingest-docs {min(size, 100)}",
               lambda: load_test(work / f"store-{size}-w2", seconds=load_seconds,
                                 ingest_docs=min(size, 100), out=work / "load-quick.md"))
    # the baseline, side by side
    if baseline:
        n_base = 100 if mode == "full" else min(size, 20)
        try:
            import underthesea  # noqa: F401

            from bench import baseline as bl
        except ImportError:
            r.failures.append("baseline: underthesea is not installed "
                              "(pip install underthesea==9.5.0); run with --no-baseline to skip")
        else:
            texts = _clean_texts(_files(corpus, n_base))
            r.step("baseline speed", f"bench.baseline.speed({n_base} docs)",
                   lambda: bl.speed(texts))
            r.step("vndoc speed (same docs)", f"bench.baseline.vndoc_speed({n_base} docs)",
                   lambda: bl.vndoc_speed(texts))
            r.step("quality on corpus/gold",
                   f"bench.baseline.quality(corpus/gold, limit={gold_limit})",
                   lambda: bl.quality(ROOT / "corpus" / "gold", limit=gold_limit))
    info["total_s"] = round(time.perf_counter() - started, 1)
    info["loadavg_end"] = measure.loadavg()
    return r, info


def load_test(data_dir: Path, *, seconds: float, ingest_docs: int, out: Path,
              clients: int = 50, code: Path | None = None, workers: int = 1) -> dict[str, Any]:
    """bench/loadtest.py in a child process: its report, per route and pass
    (without, then during an ingest), and the error count (the check: 0)."""
    import re
    import subprocess

    cmd = [sys.executable, str(ROOT / "bench" / "loadtest.py"), "--clients", str(clients),
           "--seconds", str(seconds), "--data-dir", str(data_dir), "--ingest-docs",
           str(ingest_docs), "--out", str(out)]
    if code is not None:
        cmd += ["--code", str(code)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600,
                          check=False)
    report = out.read_text("utf-8") if out.is_file() else ""
    errors = [int(x) for x in re.findall(r"(\d+) errors\*\*", report)]
    measure.check(proc.returncode == 0 and bool(errors) and not any(errors),
                  f"load test: exit {proc.returncode}, errors {errors}: {proc.stderr[-1500:]}")
    return {"exit_code": proc.returncode, "errors": errors, "report": report,
            "loadavg_after": measure.loadavg()}


def latency_steps(r: Run, n: int, dd: Path, reps: int) -> None:
    r.step(f"latency in-process {n} docs", f"bench.measure.latency_inprocess({n} docs, "
           f"reps={reps})", lambda: measure.latency_inprocess(dd, reps=reps))
    r.step(f"latency HTTP {n} docs", f"vndoc serve on 127.0.0.1 ({n} docs), reps={reps}",
           lambda: measure.latency_http(dd, reps=reps))


def _clean_texts(files: list[Path]) -> list[str]:
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load

    return [clean(load(f).text) for f in files]


def _rel(p: Path | None) -> str:
    if p is None:
        return "-"
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


# --- targets -------------------------------------------------------------------


def targets(r: Run, mode: str) -> list[dict[str, Any]]:
    out = []
    prof = r.get("stage profile")
    if "extract_docs_per_s" in prof:
        v = prof["extract_docs_per_s"]
        out.append({"target": "extraction >= 50 docs/s per core",
                    "measured": f"{v} docs/s (1 process, load..assemble, {prof['docs']} docs)",
                    "met": v >= TARGETS["extract_per_core"]})
    bs, vs = r.get("baseline speed"), r.get("vndoc speed (same docs)")
    if "docs_per_s" in bs and "docs_per_s" in vs:
        ratio = vs["docs_per_s"] / bs["docs_per_s"]
        out.append({"target": ">= 100x the baseline's docs/s",
                    "measured": f"{ratio:.1f}x ({vs['docs_per_s']} vs {bs['docs_per_s']} docs/s)",
                    "met": ratio >= TARGETS["baseline_ratio"]})
    lats = [(int(s["name"].split()[-2]), s["result"]) for s in r.steps
            if s["name"].startswith("latency in-process") and "p99_ms" in s["result"]]
    if mode == "full" and lats:
        n, lat = max(lats, key=lambda x: x[0])
        sp99 = _search_p99(lat)
        reached = n >= 100_000
        out.append({"target": "search p99 <= 50 ms at 100k docs, in-process",
                    "measured": f"at {n} docs{'' if reached else ' (largest store measured)'}: "
                                f"search p99 {sp99} ms; whole mix p99 {lat['p99_ms']} ms",
                    "met": (sp99 <= TARGETS["search_p99_ms_100k"]) if reached else
                    (False if sp99 > TARGETS["search_p99_ms_100k"] else None)})
    ing = r.get("ingest 10000 docs, 2 workers")
    if "seconds" in ing:
        out.append({"target": "ingest 10k docs < 5 min with 2 workers",
                    "measured": f"{ing['seconds']} s", "met": ing["seconds"] < 300})
    peaks = [s["result"].get("peak_rss_mb", 0) for s in r.steps if s["name"].startswith("ingest")]
    peaks += [s["result"].get("server_peak_rss_mb", 0) for s in r.steps
              if s["name"].startswith("latency HTTP")]
    peaks = [p for p in peaks if p]
    if peaks:
        out.append({"target": "peak memory < 1 GB (ingest: CLI + workers summed; serving)",
                    "measured": f"{max(peaks)} MB at most", "met": max(peaks) < 1000})
    return out


def _search_p99(lat: dict[str, Any]) -> float:
    kinds = [v for k, v in lat.get("by_kind", {}).items() if k.startswith("search")]
    return max((v["p99_ms"] for v in kinds), default=float("nan"))


# --- rendering -----------------------------------------------------------------


def render(r: Run, info: dict[str, Any], mode: str, *, size: int) -> str:
    L: list[str] = []
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    cmd = f"python -m bench.run --{mode}" + (f" --size {size}" if mode == "quick" else "")
    if mode == "full":
        L += ["# Benchmarks", "",
              f"Generated by `{cmd}` (`make bench-full`) on {when}, git {info['git_rev']}. "
              "Figures below are rewritten by that command; the analysis sections come from "
              "`bench/notes.md`. The quick mode (`make bench`, CI) writes "
              "`bench/results/quick.md` instead and never touches this file.", ""]
    else:
        L += [f"# Benchmarks: quick mode ({size} documents)", "",
              f"Generated by `{cmd}` (`make bench`) on {when}, git {info['git_rev']}. "
              "Small sizes: correctness is checked, timings are indicative only. "
              "The full figures are in BENCHMARKS.md.", ""]
    if info.get("big_store") and info["big_store"]["docs"] < 100_000:
        b = info["big_store"]
        L += [f"The largest store measured holds {b['docs']} documents (`{b['dir']}`), added "
              f"with `python -m bench.run --add-big {b['dir']}`; see \"Scale\" below for why "
              "it is not 100k.", ""]
    L += ["## How to run", "",
          "```sh",
          "make bench        # .venv/bin/python -m bench.run --quick  (~300 docs, < 2 min, CI)",
          "make bench-full   # .venv/bin/python -m bench.run --full   (1k/10k/100k docs)",
          "```", "",
          "Generated documents go to `tmp/bench/` (git-ignored). The 100k store is built once "
          "into `tmp/bench/cache/` and reused (`python -m bench.cache --rebuild`). The run "
          "fails (exit 1) only on correctness checks, never on timings.", ""]
    L += ["## Machine", "", "| | |", "|---|---|"]
    for k in ("nproc", "cpu", "ram_gb", "python", "sqlite", "tantivy", "platform", "loadavg",
              "loadavg_end", "total_s", "redone"):
        if k not in info:
            continue
        label = {"loadavg": "load average (1 min) at start", "loadavg_end": "load average at end",
                 "total_s": "bench run time (s)", "ram_gb": "RAM (GiB)",
                 "redone": "steps run again later (`--redo`)"}.get(k, k)
        L.append(f"| {label} | {info.get(k)} |")
    L.append("")
    if r.failures:
        L += ["## Correctness failures", ""] + [f"- {f}" for f in r.failures] + [""]
    tg = targets(r, mode)
    if tg:
        L += ["## Targets (2-core machine)", "", "| target | measured | met |", "|---|---|---|"]
        L += [f"| {t['target']} | {t['measured']} | "
              f"{'not measured' if t['met'] is None else 'yes' if t['met'] else '**no**'} |"
              for t in tg]
        L.append("")
    # ingest
    ing = [s for s in r.steps if s["name"].startswith("ingest") and "error" not in s["result"]]
    if ing:
        L += ["## Ingest throughput (end to end: `vndoc ingest`)", "",
              "Wall time of the CLI process from spawn to exit: start-up, load, clean, extract, "
              "SQLite and tantivy writes. Peak memory is the summed RSS of the CLI and its "
              "worker processes, sampled every 0.1 s.", "",
              "| docs | workers | seconds | docs/s | MB/s | input MB | peak RSS MB | store MB "
              "| store MB / 1k docs | note |", "|---|---|---|---|---|---|---|---|---|---|"]
        for s in ing:
            x = s["result"]
            note = ""
            if x.get("cached") is not None:
                note += (f"; built {x.get('built_at')} (git {x.get('git_rev')})"
                        + (", reused from cache" if x.get("cached") else "")
                        + (f"; {x['note']}" if x.get("note") else ""))
            L.append(f"| {x['docs']} | {x['workers']} | {x['seconds']} | {x['docs_per_s']} | "
                     f"{x['mb_per_s']} | {x['input_mb']} | {x['peak_rss_mb']} | {x['store_mb']} "
                     f"| {x['store_mb_per_1k_docs']} | {note} |")
        L.append("")
    prof = r.get("stage profile")
    if "stages_ms_per_doc" in prof:
        L += ["## Extraction profile per stage", "",
              f"In one process over {prof['docs']} generated documents ({prof['input_mb']} MB); "
              f"rule tables loaded first (warm-up {prof['warmup_s']} s, not counted). "
              f"`store` is `LocalStore.put` one document at a time (a tantivy commit each); "
              f"ingest writes in batches of 50-200.", "",
              "| stage | ms/doc | share |", "|---|---|---|"]
        for st, ms in prof["stages_ms_per_doc"].items():
            L.append(f"| {st} | {ms} | {prof['stages_share'][st] * 100:.1f} % |")
        L += ["", f"Extraction only (load..assemble): **{prof['extract_docs_per_s']} docs/s** "
              f"per core; per document p50 {prof['extract_ms_p50']} ms, "
              f"p99 {prof['extract_ms_p99']} ms.", ""]
    hot = r.get("hotspots")
    if "top_own_time" in hot:
        L += [f"Hotspots (cProfile over {hot['docs']} docs, {hot['total_s']} s profiled; "
              "own time, profiler overhead included):", "",
              "| function | own s | share | cumulative s | calls |", "|---|---|---|---|---|"]
        L += [f"| `{h['function']}` | {h['own_s']} | {h['share'] * 100:.1f} % | {h['cum_s']} "
              f"| {h['calls']} |" for h in hot["top_own_time"]]
        L.append("")
    lat = [s for s in r.steps if s["name"].startswith("latency") and "error" not in s["result"]]
    if lat:
        L += ["## Search latency", "",
              "The fixed query mix of `bench/routes.py`: search with and without diacritics "
              "and with filters, the task register by owner, status, province, words and "
              "issue period, reference lookup, /ask and a document. One client, sequential, "
              "after one warm-up pass. In-process goes through the ASGI app (TestClient); "
              "HTTP through `vndoc serve` (uvicorn) on 127.0.0.1.", "",
              "| store | where | calls | p50 ms | p99 ms | max ms | search p99 | tasks p99 "
              "| refs p99 | ask p99 |", "|---|---|---|---|---|---|---|---|---|---|"]
        for s in lat:
            x = s["result"]
            bk = x["by_kind"]
            search99 = max(v["p99_ms"] for k, v in bk.items() if k.startswith("search"))
            n = s["name"].split()[-2]
            where = "in-process" if "in-process" in s["name"] else "HTTP"
            L.append(f"| {n} docs | {where} | {x['calls']} | {x['p50_ms']} | {x['p99_ms']} | "
                     f"{x['max_ms']} | {search99} | {bk.get('tasks', {}).get('p99_ms')} | "
                     f"{bk.get('refs', {}).get('p99_ms')} | {bk.get('ask', {}).get('p99_ms')} |")
        L += ["", "Slowest queries (p50), per store:", ""]
        for s in lat:
            L.append(f"- {s['name']}: " + "; ".join(
                f"`{q['query']}` {q['p50_ms']} ms ({q['results']} results)"
                for q in s["result"]["slowest_queries"][:3]))
        L.append("")
        mem = [(s["name"], s["result"].get("server_peak_rss_mb")) for s in lat
               if s["result"].get("server_peak_rss_mb")]
        if mem:
            L += ["Serving memory (uvicorn process VmHWM after the run): "
                  + "; ".join(f"{n.split()[-2]} docs {m} MB" for n, m in mem), ""]
    bs, vs, q = r.get("baseline speed"), r.get("vndoc speed (same docs)"), r.get(
        "quality on corpus/gold")
    if "docs_per_s" in bs:
        L += ["## Baseline side by side", "",
              "What a user would do without vndoc (`bench/baseline.py`): underthesea 9.5.0 "
              "`sent_tokenize` + `ner` over every sentence (its bundled CRF model; nothing is "
              "downloaded), a regular expression for legal references, and `dateparser` over "
              "date phrases. Both run in one process over the same cleaned texts.", "",
              "| | docs | seconds | docs/s | MB/s |", "|---|---|---|---|---|",
              f"| baseline | {bs['docs']} | {bs['seconds']} | {bs['docs_per_s']} | "
              f"{bs['mb_per_s']} |"]
        if "docs_per_s" in vs:
            L.append(f"| vndoc extract | {vs['docs']} | {vs['seconds']} | {vs['docs_per_s']} | "
                     f"{vs['mb_per_s']} |")
            L += ["", f"Speed ratio: **{vs['docs_per_s'] / bs['docs_per_s']:.1f}x**.", ""]
    if "scores" in q:
        variants = list(q["scores"])
        L += [f"Quality on corpus/gold ({q['documents']} documents, scored by "
              "`pipeline.eval.evaluate`; the baseline's output converted to the ExtractedDocument "
              "JSON shape: agencies = ORG entities, legal_refs = regex, tasks = one per "
              "sentence with an ORG, owner = that ORG, deadline = a date after "
              "\"trước/chậm nhất/hạn/đến\"; n/a = no matched pair to score):", "",
              "| metric | " + " | ".join(variants) + " |",
              "|---|" + "---|" * len(variants)]
        for k in q["scores"]["vndoc"]:
            cells = [q["scores"][v].get(k) for v in variants]
            L.append(f"| {k} | " + " | ".join("n/a" if c is None else f"{c:.3f}"
                                               for c in cells) + " |")
        L.append("")
    for s in r.steps:
        if s["name"].startswith("load test") and s["result"].get("report"):
            L += [f"## Load test ({s['name'].removeprefix('load test ')})", "",
                  f"`{s['command']}`", "", _demote(s["result"]["report"]).rstrip(), ""]
    if mode == "full":
        notes = ROOT / "bench" / "notes.md"
        if notes.is_file():
            L += [notes.read_text("utf-8").rstrip(), ""]
        for name, title in (("load.md", "Load test"), ("ocr.md", "OCR"),
                            ("pdf.md", "PDF readers"),
                            ("perf.md", "Owner filter and search, before and after")):
            part = RESULTS / name
            if part.is_file():
                L += [f"## {title} (`bench/results/{name}`)", "",
                      _demote(part.read_text("utf-8")).rstrip(), ""]
    L += ["## Commands and output", "",
          "Each step, the command (or function) that produced it, and its raw result.", ""]
    for s in r.steps:
        res = {k: v for k, v in s["result"].items() if k != "report"}
        L += [f"### {s['name']} ({s['seconds']} s)", "", f"`{s['command']}`", "", "```json",
              json.dumps(res, ensure_ascii=False, indent=1), "```", ""]
    return "\n".join(L).rstrip() + "\n"


def _demote(md: str) -> str:
    """An included file under our heading: its own title dropped, headings one level down."""
    lines = md.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join("#" + line if line.startswith("#") else line for line in lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="vndoc benchmarks")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="~300 docs, < 2 min (default)")
    g.add_argument("--full", action="store_true",
                   help="before/after at 10k and 100k (bench.full); rewrites BENCHMARKS.md")
    ap.add_argument("--size", type=int, default=300, help="quick mode: documents (< 1000)")
    ap.add_argument("--reps", type=int, default=None, help="passes over the query mix")
    ap.add_argument("--no-baseline", action="store_true", help="skip the underthesea baseline")
    ap.add_argument("--gold-limit", type=int, default=None,
                    help="score only the first N gold documents (tests)")
    ap.add_argument("--load-seconds", type=float, default=10.0,
                    help="quick mode: seconds of each load-test pass (0: none)")
    ap.add_argument("--out", type=Path, default=None, help="write <mode>.md/.json here instead")
    ap.add_argument("--work", type=Path, default=WORK, help="scratch folder (tmp/bench)")
    args = ap.parse_args(argv)
    if args.full:
        from bench import full

        return full.main([])
    mode = "quick"
    if not 0 < args.size < 1000:
        ap.error("--size must be between 1 and 999 in quick mode")
    reps = args.reps or 3
    args.work.mkdir(parents=True, exist_ok=True)
    r, info = run(mode, size=args.size, reps=reps, baseline=not args.no_baseline,
                  work=args.work, gold_limit=args.gold_limit, load_seconds=args.load_seconds)
    md = render(r, info, mode, size=args.size)
    payload = {"mode": mode, "machine": info, "failures": r.failures,
               "targets": targets(r, mode), "steps": r.steps}
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        md_path, json_path = args.out / f"{mode}.md", args.out / f"{mode}.json"
    elif mode == "full":
        md_path, json_path = ROOT / "BENCHMARKS.md", RESULTS / "full.json"
    else:
        md_path, json_path = RESULTS / "quick.md", RESULTS / "quick.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(md, "utf-8")
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
    print(f"[bench] wrote {_rel(md_path)} and {_rel(json_path)} in {info['total_s']} s",
          file=sys.stderr)
    for t in payload["targets"]:
        word = "n/a   " if t["met"] is None else "met   " if t["met"] else "MISSED"
        print(f"[bench] target {word} {t['target']}: {t['measured']}", file=sys.stderr)
    if r.failures:
        print("[bench] correctness checks failed:\n  " + "\n  ".join(r.failures),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
