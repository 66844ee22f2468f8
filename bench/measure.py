"""The measurements: ingest throughput, stage profile, search latency, memory, size.

Every function returns a plain dict (JSON-ready) and checks correctness where
a check applies (every document stored, every query answered with 200 and the
expected hits). Timing never fails anything; a failed check raises
:class:`BenchError`.
"""

from __future__ import annotations

import cProfile
import io
import math
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.procmem import TreeSampler, hwm_bytes, self_maxrss_bytes
from bench.server import free_port

ROOT = Path(__file__).resolve().parent.parent


class BenchError(AssertionError):
    """A correctness check failed (not a timing)."""


def check(cond: bool, message: str) -> None:
    if not cond:
        raise BenchError(message)


def loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def vndoc_cmd() -> list[str]:
    script = Path(sys.executable).parent / "vndoc"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from pipeline.cli import main; main()"]


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): the ceil(q/100 * n)-th smallest;
    0 for none. (An earlier copy here rounded half to even and so read one
    rank too high at times: p99 of 100 values gave the largest.)"""
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# --- ingest -------------------------------------------------------------------


def code_env(code: Path | None) -> tuple[dict[str, str], Path]:
    """The environment and working folder that run another version's code
    (a tree from ``git archive``) instead of this one: it comes first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env["VNDOC_STORE"] = "local"
    if code is None:
        return env, ROOT
    env["PYTHONPATH"] = str(code)
    return env, code


def stored_docs(data_dir: Path) -> int:
    """Documents in a LocalStore's SQLite, read without opening the store (which
    would upgrade an older version's schema)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{data_dir / 'vndoc.sqlite3'}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def ingest(dirs: Sequence[Path], data_dir: Path, *, workers: int, n_docs: int,
           n_bytes: int, code: Path | None = None) -> dict[str, Any]:
    """``vndoc ingest DIRS --workers N --quiet`` into a fresh store, in a child process
    (``code``: another version's tree, run instead of this one).

    Wall time from spawn to exit (Python start-up and imports included), the
    CPU time of the CLI and its workers (``cores_used`` = CPU / wall: how many
    cores the ingest kept busy), peak summed RSS, and the store's size after.
    Checks: exit 0, the summary line says n_docs added, and the store counts n_docs.
    """
    if data_dir.exists():
        shutil.rmtree(data_dir)
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", *(str(Path(d).resolve()) for d in dirs),
           "--workers", str(workers), "--quiet", "--data-dir", str(Path(data_dir).resolve())]
    env, cwd = code_env(code)
    load0 = loadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=cwd, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    check(proc.returncode == 0, f"ingest exited {proc.returncode}: {err[-2000:]}")
    summary = err.strip().splitlines()[-1] if err.strip() else ""
    check(f"{n_docs} added" in summary, f"not every document was added: {summary!r}")
    stored = stored_docs(data_dir)
    check(stored == n_docs, f"the store holds {stored} documents, expected {n_docs}")
    size = dir_bytes(data_dir)
    return {
        "docs": n_docs, "workers": workers, "seconds": round(wall, 2),
        "docs_per_s": round(n_docs / wall, 1), "mb_per_s": round(n_bytes / 1e6 / wall, 3),
        "input_mb": round(n_bytes / 1e6, 2), "cpu_s": round(sampler.cpu_s, 1),
        "cores_used": round(sampler.cpu_s / wall, 2),
        # CPU per document holds on a loaded machine, where wall time does not
        "cpu_ms_per_doc": round(sampler.cpu_s / n_docs * 1000, 2),
        "peak_rss_mb": round(sampler.peak / 1e6, 1), "peak_procs": sampler.peak_procs,
        "store_mb": round(size / 1e6, 1),
        "store_mb_per_1k_docs": round(size / 1e6 / (n_docs / 1000), 2),
        "summary": summary,
        "command": f"vndoc ingest <{len(dirs)} shard folders> --workers {workers} --quiet "
                   f"--data-dir {data_dir}",
        "code": str(code) if code else "this tree",
        "loadavg_before": load0, "loadavg_after": loadavg(),
    }


# --- stage profile --------------------------------------------------------------


STAGES = ("load", "clean", "metadata", "agencies", "legal_refs", "deadlines", "tasks",
          "assemble", "store")
# extractors.extraction's module-level names, by stage
_WRAPPED = (("metadata", "find_metadata"), ("agencies", "find_agencies"),
            ("legal_refs", "find_legal_refs"), ("deadlines", "find_deadlines"),
            ("deadlines", "find_recurrences"), ("tasks", "find_tasks"))


def stage_profile(files: Sequence[Path], data_dir: Path) -> dict[str, Any]:
    """Time each stage of one document's way through vndoc, over ``files``.

    Runs the real path (``pipeline.ingest.load.load``, ``pipeline.ingest.clean.clean``,
    ``extractors.extract``, ``LocalStore.put``) and times the extractor
    stages by wrapping the functions ``extract`` calls (``find_metadata``,
    ``find_agencies``, ``find_legal_refs``, ``find_deadlines`` +
    ``find_recurrences``, ``find_tasks``), so it follows ``extract`` as it
    changes. ``assemble`` is the rest of ``extract`` (id hash, building the
    ``ExtractedDocument``). ``store`` is ``LocalStore.put`` one document at a
    time, a tantivy commit each; ingest's bulk path is measured by ``ingest``.
    """
    import extractors.extraction as ex
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load
    from pipeline.ingest.run import raw_meta, sidecar_meta
    from pipeline.store.local import LocalStore

    if data_dir.exists():
        shutil.rmtree(data_dir)
    totals = dict.fromkeys(STAGES, 0.0)
    # warm-up: rule tables load lazily, once; time it separately
    t0 = time.perf_counter()
    ex.extract(clean(load(files[0]).text), source=str(files[0]))
    warmup = time.perf_counter() - t0

    def wrap(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - t
        return timed

    originals = {name: getattr(ex, name) for _, name in _WRAPPED}
    per_doc: list[float] = []
    n_bytes = 0
    try:
        for stage, name in _WRAPPED:
            setattr(ex, name, wrap(stage, originals[name]))
        with LocalStore(data_dir) as store:
            for path in files:
                t = time.perf_counter()
                raw = load(path)
                n_bytes += len(raw.text.encode("utf-8"))
                t1 = time.perf_counter()
                text = clean(raw.text)
                t2 = time.perf_counter()
                meta = dict(raw_meta(raw))
                meta.update(sidecar_meta(path))
                inner = sum(totals[s] for s in ("metadata", "agencies", "legal_refs",
                                                "deadlines", "tasks"))
                ed = ex.extract(text, source=str(path), meta=tuple(sorted(meta.items())))
                t3 = time.perf_counter()
                inner = sum(totals[s] for s in ("metadata", "agencies", "legal_refs",
                                                "deadlines", "tasks")) - inner
                store.put(ed)
                t4 = time.perf_counter()
                totals["load"] += t1 - t
                totals["clean"] += t2 - t1
                totals["assemble"] += (t3 - t2) - inner
                totals["store"] += t4 - t3
                per_doc.append(t3 - t)
            stored = store.count()
    finally:
        for name, fn in originals.items():
            setattr(ex, name, fn)
    check(stored == len(files), f"profile store holds {stored}, expected {len(files)}")
    n = len(files)
    extract_s = sum(totals[s] for s in STAGES if s != "store")
    return {
        "docs": n, "input_mb": round(n_bytes / 1e6, 2), "warmup_s": round(warmup, 2),
        "stages_ms_per_doc": {s: round(totals[s] / n * 1000, 3) for s in STAGES},
        "stages_share": {s: round(totals[s] / sum(totals.values()), 3) for s in STAGES},
        "extract_docs_per_s": round(n / extract_s, 1),
        "extract_ms_p50": round(statistics.median(per_doc) * 1000, 2),
        "extract_ms_p99": round(pct(per_doc, 99) * 1000, 2),
        "loadavg": loadavg(),
    }


def hotspots(files: Sequence[Path], *, top: int = 15) -> dict[str, Any]:
    """cProfile of load+clean+extract over ``files``: the functions with most own time."""
    from extractors.extraction import extract
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load

    extract(clean(load(files[0]).text))  # rules loaded outside the profile
    prof = cProfile.Profile()
    prof.enable()
    for f in files:
        extract(clean(load(f).text), source=str(f))
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append((tt, ct, nc, f"{_short(file)}:{line}({func})"))
    rows.sort(reverse=True)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return {
        "docs": len(files), "total_s": round(total, 2),
        "top_own_time": [
            {"function": name, "own_s": round(tt, 3), "share": round(tt / total, 3),
             "cum_s": round(ct, 3), "calls": nc}
            for tt, ct, nc, name in rows[:top]
        ],
    }


def _short(file: str) -> str:
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file if file.startswith("<") else Path(file).name


# --- route latency ------------------------------------------------------------


def _summary(samples: dict[str, list[float]], kinds: dict[str, str],
             counts: dict[str, int]) -> dict[str, Any]:
    per_kind: dict[str, list[float]] = {}
    for key, xs in samples.items():
        per_kind.setdefault(kinds[key], []).extend(xs)
    every = [x for xs in samples.values() for x in xs]
    return {
        "calls": len(every),
        "p50_ms": round(pct(every, 50) * 1000, 2),
        "p99_ms": round(pct(every, 99) * 1000, 2),
        "max_ms": round(max(every, default=0.0) * 1000, 2),
        "by_kind": {k: {"calls": len(v), "p50_ms": round(pct(v, 50) * 1000, 2),
                        "p99_ms": round(pct(v, 99) * 1000, 2)} for k, v in per_kind.items()},
        "slowest_queries": sorted(
            ({"query": k, "p50_ms": round(pct(xs, 50) * 1000, 2), "results": counts[k]}
             for k, xs in samples.items()), key=lambda r: -r["p50_ms"])[:5],
    }


# Words every generated store has, however small (its documents recombine the
# corpus's paragraphs about public investment and industrial zones): a search
# for them that finds nothing is a bug. Rarer topics ("tiêm chủng") may be
# absent from a 50-document store.
_COMMON_QUERIES = ("q=đầu tư công", "q=dau tu cong", "q=khu công nghiệp")


def _common(key: str) -> bool:
    return "province" not in key and any(key.endswith(q) for q in _COMMON_QUERIES)


def latency_inprocess(data_dir: Path, *, reps: int) -> dict[str, Any]:
    """p50/p99 of the fixed query mix (bench/routes.py) through the ASGI app in
    this process: every route's own work, no network. Checks: the free-text
    searches find something."""
    from bench.routes import measure as routes

    out = routes(data_dir, reps=reps)
    q = out["queries"]
    for key, v in q.items():
        if v["kind"] == "search" and _common(key):
            check(v["results"] > 0, f"search returned no hits: {key}")
    return {
        **out["all"], "by_kind": out["by_kind"], "queries": q, "reps": reps,
        "start_s": out["start_s"], "loadavg": out["loadavg"],
        "slowest_queries": sorted(
            ({"query": k, "p50_ms": v["p50_ms"], "results": v["results"]} for k, v in q.items()),
            key=lambda r: -r["p50_ms"])[:5],
        "self_maxrss_mb": round(self_maxrss_bytes() / 1e6, 1),
    }


def latency_http(data_dir: Path, *, reps: int, timeout_s: float = 600.0,
                 budget_s: float = 15.0) -> dict[str, Any]:
    """p50/p99 of the fixed query mix over HTTP: ``vndoc serve`` (uvicorn) on 127.0.0.1.

    One client, sequential requests (latency, not load; see bench/loadtest.py).
    Checks: every response is 200 and free-text searches have hits.
    Memory: the server's peak RSS (VmHWM) after the run.
    """
    import httpx

    from bench.routes import QUERY_MIX, qid, timed_rounds

    port = free_port()
    env = {**os.environ, "VNDOC_DATA_DIR": str(data_dir), "VNDOC_STORE": "local"}
    cmd = [*vndoc_cmd(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    samples: dict[str, list[float]] = {}
    kinds: dict[str, str] = {}
    counts: dict[str, int] = {}
    try:
        with httpx.Client(base_url=base, timeout=timeout_s) as client:
            deadline = time.monotonic() + min(timeout_s, 120.0)
            while True:
                check(proc.poll() is None, "vndoc serve exited before it answered /health")
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                check(time.monotonic() < deadline, "vndoc serve did not answer /health in time")
                time.sleep(0.2)
            rss_idle = hwm_bytes(proc.pid)
            some = client.get("/search", params={"q": "", "size": 1}).json()["data"]
            doc = some[0]["id"] if some else "0" * 16
            mix = [(k, p.replace("{doc}", doc), params) for k, p, params in QUERY_MIX]
            for kind, path, params in mix:  # warm-up and correctness
                key = qid(path, params)
                kinds[key], samples[key] = kind, []
                r = client.get(path, params=params)
                check(r.status_code == 200, f"{key} -> {r.status_code}: {r.text[:300]}")
                body = r.json()
                counts[key] = int(body.get("count", len(body.get("evidence", []) or [])))
            timed_rounds(
                client.get, mix, samples, reps=reps, budget_s=budget_s,
                each=lambda key, r: check(r.status_code == 200, f"{key} -> {r.status_code}"),
            )
            server_hwm = hwm_bytes(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for key, kind in kinds.items():
        if kind == "search" and _common(key):
            check(counts[key] > 0, f"search over HTTP returned no hits: {key}")
    out = _summary(samples, kinds, counts)
    out.update({"reps": reps, "server_peak_rss_mb": round(server_hwm / 1e6, 1),
                "server_rss_after_start_mb": round(rss_idle / 1e6, 1),
                "command": "vndoc serve --host 127.0.0.1 --port PORT"})
    return out


def time_call(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    r = fn()
    return time.perf_counter() - t, r
