"""The measurements: ingest throughput, stage profile, search latency, memory, size.

Every function returns a plain dict (JSON-ready) and checks correctness where
a check applies (every document stored, every query answered with 200 and the
expected hits). Timing never fails anything; a failed check raises
:class:`BenchError`.
"""

from __future__ import annotations

import cProfile
import datetime as dt
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.procmem import TreeSampler, children_maxrss_bytes, hwm_bytes, self_maxrss_bytes
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


# The index LocalStore lacks (see BENCHMARKS.md, "What would close it"):
# ``_same_official_document`` looks documents up by number and date on every
# insert, and without it each lookup scans the whole documents table.
BENCH_INDEX = ("CREATE INDEX IF NOT EXISTS bench_documents_number"
               " ON documents(number_symbol, issue_date)")


def add_number_index(data_dir: Path) -> None:
    """Create the store's schema, plus :data:`BENCH_INDEX`, before an ingest."""
    import sqlite3

    from pipeline.store.local import LocalStore

    LocalStore(data_dir).close()
    conn = sqlite3.connect(data_dir / "vndoc.sqlite3")
    conn.execute(BENCH_INDEX)
    conn.commit()
    conn.close()


def ingest(dirs: Sequence[Path], data_dir: Path, *, workers: int, n_docs: int,
           n_bytes: int, number_index: bool = False) -> dict[str, Any]:
    """``vndoc ingest DIRS --workers N --quiet`` into a fresh store, in a child process.

    Wall time from spawn to exit (Python start-up and imports included), peak
    summed RSS of the CLI and its workers, and the store's size afterwards.
    Checks: exit 0, the summary line says n_docs added, and the store counts n_docs.
    ``number_index`` first adds :data:`BENCH_INDEX` to the empty store (a
    workaround measured separately, not what `vndoc ingest` does by itself).
    """
    if data_dir.exists():
        shutil.rmtree(data_dir)
    if number_index:
        add_number_index(data_dir)
    cmd = [*vndoc_cmd(), "ingest", *map(str, dirs), "--workers", str(workers), "--quiet",
           "--data-dir", str(data_dir)]
    env = {**os.environ, "VNDOC_DATA_DIR": str(data_dir), "VNDOC_STORE": "local"}
    load0 = loadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=ROOT, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    check(proc.returncode == 0, f"ingest exited {proc.returncode}: {err[-2000:]}")
    summary = err.strip().splitlines()[-1] if err.strip() else ""
    check(f"{n_docs} added" in summary, f"not every document was added: {summary!r}")
    from pipeline.store.local import LocalStore

    with LocalStore(data_dir) as st:
        stored = st.count()
    check(stored == n_docs, f"the store holds {stored} documents, expected {n_docs}")
    size = dir_bytes(data_dir)
    return {
        "docs": n_docs, "workers": workers, "seconds": round(wall, 2),
        "docs_per_s": round(n_docs / wall, 1), "mb_per_s": round(n_bytes / 1e6 / wall, 3),
        "input_mb": round(n_bytes / 1e6, 2),
        "peak_rss_mb": round(sampler.peak / 1e6, 1), "peak_procs": sampler.peak_procs,
        "largest_child_maxrss_mb": round(children_maxrss_bytes() / 1e6, 1),
        "store_mb": round(size / 1e6, 1),
        "store_mb_per_1k_docs": round(size / 1e6 / (n_docs / 1000), 2),
        "summary": summary, "command": " ".join(["vndoc", *cmd[len(vndoc_cmd()):]]),
        "loadavg_before": load0, "loadavg_after": loadavg(),
        "number_index": number_index,
    }


def same_document_lookup_ms(data_dir: Path, reps: int = 20) -> dict[str, Any]:
    """Time the per-insert lookup of ``LocalStore._same_official_document``."""
    import sqlite3

    conn = sqlite3.connect(f"file:{data_dir / 'vndoc.sqlite3'}?mode=ro", uri=True)
    sql = ("SELECT id, issuer FROM documents WHERE kind = 'official' AND number_symbol = ?"
           " AND issue_date = ? ORDER BY id")
    n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    plan = " ".join(str(r[-1]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ("1/X", "")))
    t = time.perf_counter()
    for i in range(reps):
        conn.execute(sql, (f"{i}/NONE", "2020-01-01")).fetchall()
    ms = (time.perf_counter() - t) / reps * 1000
    conn.close()
    return {"docs": n, "ms_per_lookup": round(ms, 3), "plan": plan}


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


# --- search latency -------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str  # search | search_folded | search_filter | tasks | refs | ask
    path: str
    params: dict[str, str]


def query_mix(data_dir: Path) -> list[Query]:
    """The API's query mix, with values taken from what the store holds."""
    import sqlite3

    conn = sqlite3.connect(data_dir / "vndoc.sqlite3")
    province = conn.execute(
        "SELECT province, COUNT(*) n FROM documents WHERE province IS NOT NULL"
        " GROUP BY province ORDER BY n DESC LIMIT 1").fetchone()
    doc_type = conn.execute(
        "SELECT doc_type, COUNT(*) n FROM documents WHERE doc_type IS NOT NULL"
        " GROUP BY doc_type ORDER BY n DESC LIMIT 1").fetchone()
    ref = conn.execute(
        "SELECT canonical FROM refs WHERE type = 'Nghị định' AND number IS NOT NULL"
        " GROUP BY canonical ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    owner = conn.execute(
        "SELECT agency FROM task_agencies WHERE role = 'lead' AND agency LIKE 'Sở %'"
        " GROUP BY agency ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    conn.close()
    prov = province[0] if province else "Bắc Ninh"
    lead = owner[0] if owner else f"Sở Tài chính tỉnh {prov}"
    dtype = doc_type[0] if doc_type else "Công văn"
    nd = ref[0] if ref else "Nghị định 29/2021/NĐ-CP"
    num = nd.split()[-1].split("/")
    nd_loose = f"nghi dinh {num[0]}/{num[1]}" if len(num) > 1 else nd
    return [
        Query("search", "/search", {"q": "đầu tư công"}),
        Query("search", "/search", {"q": "khu công nghiệp"}),
        # Every word is required: an agency the corpus names for sure (its province's UBND).
        Query("search", "/search", {"q": f"UBND tỉnh {prov}"}),
        Query("search_folded", "/search", {"q": "dau tu cong"}),
        Query("search_folded", "/search", {"q": "o nhiem khong khi"}),
        Query("search_folded", "/search", {"q": "ubnd tinh giai ngan"}),
        Query("search_filter", "/search", {"q": "khu công nghiệp", "province": prov}),
        Query("search_filter", "/search", {"q": "dau tu", "doc_type": dtype,
                                           "date_from": "2018-01-01", "date_to": "2020-12-31"}),
        Query("search_filter", "/search", {"province": prov}),
        Query("tasks", "/tasks", {"owner": lead, "limit": "100"}),
        Query("tasks", "/tasks", {"owner": "so xay dung", "status": "overdue",
                                  "today": "2025-01-01", "limit": "100"}),
        Query("tasks", "/tasks", {"status": "due_soon", "today": "2020-06-01",
                                  "due_within": "30", "limit": "100"}),
        Query("refs", "/refs", {"q": nd_loose}),
        Query("refs", "/refs", {"q": "luat dau tu"}),
        Query("ask", "/ask", {"q": "Sở Tài chính được giao những nhiệm vụ gì?",
                              "today": "2025-01-01"}),
        Query("ask", "/ask", {"q": f"Văn bản nào dẫn chiếu {nd}?"}),
        # questions read by their parts (issue #16): an agency with a status and a
        # count, a yes/no, partners, who leads a piece of work, a period, documents
        # of an issuer and year, a search of documents, and the broadest one
        Query("ask", "/ask", {"q": f"{lead} có bao nhiêu nhiệm vụ quá hạn?",
                              "today": "2025-01-01"}),
        Query("ask", "/ask", {"q": f"nhiem vu qua han cua so xay dung {prov} khong",
                              "today": "2025-01-01"}),
        Query("ask", "/ask", {"q": f"{lead} phối hợp với ai?"}),
        Query("ask", "/ask", {"q": "Ai chủ trì việc giám sát, đánh giá đầu tư?"}),
        Query("ask", "/ask", {"q": "Việc gì phải xong trong quý II/2024?"}),
        Query("ask", "/ask", {"q": f"Công văn của UBND tỉnh {prov} năm 2020 giao những việc gì?"}),
        Query("ask", "/ask", {"q": "Có văn bản nào về ô nhiễm không khí không?"}),
        Query("ask", "/ask", {"q": "Nhiệm vụ nào quá hạn?", "today": "2025-01-01"}),
    ]


def _inprocess_call(store: Any, q: Query) -> int:
    """Run a query the way its route does, without HTTP. Returns a result count."""
    from extractors.textnorm import normalize_query
    from pipeline.query.ask import ask
    from pipeline.query.resolve import lookup_refs, resolve_owner
    from pipeline.store.base import SearchQuery, TaskQuery

    p = q.params
    if q.path == "/search":
        res = store.search(SearchQuery(
            q=normalize_query(p.get("q", "")), issuer=p.get("issuer"),
            doc_type=p.get("doc_type"), province=p.get("province"),
            date_from=p.get("date_from"), date_to=p.get("date_to"), page=1, size=10))
        return int(res.total)
    if q.path == "/tasks":
        names = resolve_owner(store, normalize_query(p["owner"])) if "owner" in p else None
        today = dt.date.fromisoformat(p["today"]) if "today" in p else dt.date.today()
        rows = store.tasks(TaskQuery(
            owner_names=tuple(names) if names is not None else None, role="any",
            status=p.get("status"), today=today, soon_days=int(p.get("due_within", 7)),
            limit=int(p.get("limit", 1000))))
        return len(rows)
    if q.path == "/refs":
        _keys, cites = lookup_refs(store, normalize_query(p["q"]))
        return len(cites)
    if q.path == "/ask":
        today = dt.date.fromisoformat(p["today"]) if "today" in p else None
        a = ask(store, p["q"], today=today)
        return len(a.evidence) + (1 if a.answer else 0)
    raise ValueError(q.path)


def _summarize(samples: dict[str, list[float]], counts: dict[str, int],
               mix: list[Query]) -> dict[str, Any]:
    per_kind: dict[str, list[float]] = {}
    for q in mix:
        per_kind.setdefault(q.kind, []).extend(samples[_qid(q)])
    every = [x for xs in samples.values() for x in xs]
    return {
        "calls": len(every),
        "p50_ms": round(pct(every, 50) * 1000, 2),
        "p99_ms": round(pct(every, 99) * 1000, 2),
        "max_ms": round(max(every) * 1000, 2),
        "by_kind": {
            k: {"calls": len(v), "p50_ms": round(pct(v, 50) * 1000, 2),
                "p99_ms": round(pct(v, 99) * 1000, 2)}
            for k, v in per_kind.items()
        },
        "calls_by_query": {_qid(q): len(samples[_qid(q)]) for q in mix},
        "slowest_queries": sorted(
            ({"query": _qid(q), "p50_ms": round(pct(samples[_qid(q)], 50) * 1000, 2),
              "results": counts[_qid(q)]} for q in mix),
            key=lambda r: -r["p50_ms"])[:5],
    }


def _qid(q: Query) -> str:
    return f"{q.path}?" + "&".join(f"{k}={v}" for k, v in q.params.items())


SLOW_WARMUP_S = 1.0


def _first_sample(samples: dict[str, list[float]], spent: dict[str, float], qid: str,
                  took: float) -> None:
    """A warm-up call that took over a second is a sample too: slow queries
    stay slow warm, and repeating them would make the run take hours."""
    spent[qid] = 0.0
    if took > SLOW_WARMUP_S:
        _add(samples, spent, qid, took)


def _add(samples: dict[str, list[float]], spent: dict[str, float], qid: str,
         took: float) -> None:
    samples[qid].append(took)
    spent[qid] = spent.get(qid, 0.0) + took


def _more(samples: dict[str, list[float]], spent: dict[str, float], qid: str, reps: int,
          budget_s: float) -> bool:
    """Repeat a query up to ``reps`` times or until it has used ``budget_s``."""
    return len(samples[qid]) < reps and (not samples[qid] or spent[qid] < budget_s)


def latency_inprocess(data_dir: Path, *, reps: int, budget_s: float = 15.0) -> dict[str, Any]:
    """p50/p99 of the query mix against LocalStore in this process (warm caches).

    Each query runs ``reps`` times after a warm-up, or fewer once it has used
    ``budget_s`` seconds (see ``_first_sample``); ``calls`` says how many ran.

    Checks: the free-text searches find something; every query runs.
    """
    from pipeline.store.local import LocalStore

    mix = query_mix(data_dir)
    samples: dict[str, list[float]] = {_qid(q): [] for q in mix}
    counts: dict[str, int] = {}
    load0 = loadavg()
    spent: dict[str, float] = {}
    with LocalStore(data_dir) as store:
        t0 = time.perf_counter()
        for q in mix:  # warm-up and correctness
            t = time.perf_counter()
            counts[_qid(q)] = _inprocess_call(store, q)
            _first_sample(samples, spent, _qid(q), time.perf_counter() - t)
        first_s = time.perf_counter() - t0
        for _ in range(reps):
            for q in mix:
                if not _more(samples, spent, _qid(q), reps, budget_s):
                    continue
                t = time.perf_counter()
                _inprocess_call(store, q)
                _add(samples, spent, _qid(q), time.perf_counter() - t)
    for q in mix:
        if q.kind in ("search", "search_folded"):
            check(counts[_qid(q)] > 0, f"search returned no hits: {_qid(q)}")
    out = _summarize(samples, counts, mix)
    out.update({"first_pass_s": round(first_s, 2), "reps": reps, "loadavg_before": load0,
                "loadavg_after": loadavg(), "self_maxrss_mb": round(self_maxrss_bytes() / 1e6, 1)})
    return out


def latency_http(data_dir: Path, *, reps: int, timeout_s: float = 600.0,
                 budget_s: float = 15.0) -> dict[str, Any]:
    """p50/p99 of the query mix over HTTP: ``vndoc serve`` (uvicorn) on 127.0.0.1.

    One client, sequential requests (latency, not load; see bench/loadtest.py).
    Checks: every response is 200 and free-text searches have hits.
    Memory: the server's peak RSS (VmHWM) after the run.
    """
    import httpx

    port = free_port()
    env = {**os.environ, "VNDOC_DATA_DIR": str(data_dir), "VNDOC_STORE": "local"}
    cmd = [*vndoc_cmd(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    mix = query_mix(data_dir)
    samples: dict[str, list[float]] = {_qid(q): [] for q in mix}
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
            spent: dict[str, float] = {}
            for q in mix:
                t = time.perf_counter()
                r = client.get(q.path, params=q.params)
                _first_sample(samples, spent, _qid(q), time.perf_counter() - t)
                check(r.status_code == 200, f"{_qid(q)} -> {r.status_code}: {r.text[:300]}")
                body = r.json()
                counts[_qid(q)] = int(body.get("count", len(body.get("evidence", []))))
            for _ in range(reps):
                for q in mix:
                    if not _more(samples, spent, _qid(q), reps, budget_s):
                        continue
                    t = time.perf_counter()
                    r = client.get(q.path, params=q.params)
                    _add(samples, spent, _qid(q), time.perf_counter() - t)
                    check(r.status_code == 200, f"{_qid(q)} -> {r.status_code}")
            server_hwm = hwm_bytes(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for q in mix:
        if q.kind in ("search", "search_folded"):
            check(counts[_qid(q)] > 0, f"search over HTTP returned no hits: {_qid(q)}")
    out = _summarize(samples, counts, mix)
    out.update({"reps": reps, "server_peak_rss_mb": round(server_hwm / 1e6, 1),
                "server_rss_after_start_mb": round(rss_idle / 1e6, 1),
                "command": "vndoc serve --host 127.0.0.1 --port PORT"})
    return out


def time_call(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    r = fn()
    return time.perf_counter() - t, r
