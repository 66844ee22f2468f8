"""Load test: concurrent clients against a real API server on 127.0.0.1.

Ingests the corpus into a temporary data directory (or copies --data-dir
there), starts uvicorn on a free port of 127.0.0.1, and runs ``--clients``
async clients (httpx) for ``--seconds`` over a mix of /search, /tasks, /refs
and /ask queries (the fixed values of bench/routes.py). Reports throughput,
p50/p99 latency and the error count (the target is zero), per route and
overall, and writes them as Markdown with the command and the machine.

``--ingest-docs N`` runs a second pass while ``vndoc ingest`` writes N more
generated documents (bench/generate.py, numbered after the store's) into the
same data directory: the server answers while another process writes.
``--code TREE`` serves another version's code (a tree from ``git archive``).

Traffic goes to 127.0.0.1 only, and the run is bounded in time and in
requests (``--max-requests``); the server is stopped at the end.

Example:
    python bench/loadtest.py                              # 50 clients, 30 s
    python bench/loadtest.py --clients 10 --seconds 5 --out /tmp/load.md
    python bench/loadtest.py --data-dir tmp/bench/cache/store-10000 --seconds 60 \
        --ingest-docs 1000                                # make bench-load
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python bench/loadtest.py
    sys.path.insert(0, str(ROOT))
from bench.measure import cpu_model, pct  # noqa: E402
from bench.routes import QUERY_MIX  # noqa: E402
from bench.server import free_port, stop, wait_until_healthy  # noqa: E402

DEFAULT_CORPUS = [ROOT / "corpus" / "seeds", ROOT / "corpus" / "docs", ROOT / "corpus" / "samples"]
HOST = "127.0.0.1"  # never anything else
# uvicorn closes a keep-alive connection idle for 5 s by default; under load a
# client can send its next request on a connection the server is closing, and
# sees "Server disconnected without sending a response" (2-3 in ~3000 requests
# here). Proxies and long-lived clients want the server to outwait them.
KEEP_ALIVE_S = 75

# (weight, route, params): a staff member's day, roughly, with the fixed
# values of bench/routes.py (the same queries the route timings use).
_WEIGHTS = {"/search": 40, "/tasks": 25, "/refs": 20, "/ask": 15}
MIX: list[tuple[int, str, list[dict[str, str]]]] = [
    (w, route, [params for _k, path, params in QUERY_MIX if path == route])
    for route, w in _WEIGHTS.items()
]


@dataclass
class Result:
    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # route -> seconds
    errors: dict[str, int] = field(default_factory=dict)  # route -> count
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + sum(self.errors.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def throughput(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0


def machine() -> dict[str, str]:
    return {
        "nproc": str(os.cpu_count() or "?"),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


@contextmanager
def server(data_dir: Path, code: Path | None = None) -> Iterator[str]:
    """uvicorn on a free port of 127.0.0.1 (access log off); yields the base URL.
    ``code``: another version's tree, served instead of this one."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env["VNDOC_DATA_DIR"] = str(data_dir)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    log = open(data_dir.parent / f"loadtest-server-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
         "--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log",
         "--timeout-keep-alive", str(KEEP_ALIVE_S)],
        env=env, cwd=code or ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://{HOST}:{port}"
    try:
        wait_until_healthy(url, proc, timeout_s=60, log=Path(log.name))
        yield url
    finally:
        stop(proc)
        log.close()
        sys.stderr.write(Path(log.name).read_text(errors="replace"))


@contextmanager
def concurrent_ingest(data_dir: Path, n: int, code: Path | None = None) -> Iterator[dict]:  # type: ignore[type-arg]
    """``vndoc ingest`` of ``n`` generated documents numbered after the store's,
    in a child process writing to ``data_dir`` while the block runs; yields a
    dict that gets the ingest's summary line, exit code and seconds."""
    import sqlite3

    from bench import generate

    conn = sqlite3.connect(f"file:{data_dir / 'vndoc.sqlite3'}?mode=ro", uri=True)
    have = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    conn.close()
    first = -(-have // generate.SHARD) * generate.SHARD
    corpus = ROOT / "tmp" / "bench" / "corpus"
    generate.generate(first + -(-n // generate.SHARD) * generate.SHARD, corpus)
    folder = data_dir.parent / f"ingest-{first}-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(first, first + n):
        shutil.copy(generate.doc_path(corpus, i), folder / f"doc_{i:06d}.txt")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--quiet",
           "--workers", "1", "--data-dir", str(data_dir)]
    info: dict = {"docs": n, "command": f"vndoc ingest <{n} new documents> --workers 1"}  # type: ignore[type-arg]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=code or ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        yield info
    finally:
        info["running_at_end"] = proc.poll() is None
        _out, err = proc.communicate(timeout=1800)
        info["exit_code"] = proc.returncode
        info["seconds"] = round(time.monotonic() - t0, 1)
        info["summary"] = err.strip().splitlines()[-1] if err.strip() else ""


def ingest(data_dir: Path, corpus: list[Path]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", *map(str, corpus), "--quiet",
           "--data-dir", str(data_dir)]  # fmt: skip
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 2):
        raise RuntimeError(f"ingest failed: {proc.stderr}")


async def run_load(
    url: str, *, clients: int, seconds: float, max_requests: int = 1_000_000, seed: int = 6
) -> Result:
    """Run ``clients`` concurrent loops for ``seconds`` (or max_requests in all)."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"load tests only target {HOST}, not {url}")
    result = Result(clients=clients, seconds=seconds)
    weights = [w for w, _, _ in MIX]
    budget = [max_requests]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient, n: int, stop_at: float) -> None:
        rnd = random.Random(seed * 1000 + n)
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            _, route, choices = rnd.choices(MIX, weights)[0]
            params = rnd.choice(choices)
            t0 = time.perf_counter()
            try:
                r = await client.get(route, params=params)
                ok = r.status_code == 200
                detail = f"{r.status_code} {r.text[:120]}"
            except httpx.HTTPError as e:
                ok, detail = False, f"{type(e).__name__}: {e}"
            took = time.perf_counter() - t0
            if ok:
                result.latencies.setdefault(route, []).append(took)
            else:
                result.errors[route] = result.errors.get(route, 0) + 1
                if len(result.error_samples) < 10:
                    result.error_samples.append(f"{route} {params}: {detail}")

    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        # One request each first, so connection setup is not in the figures.
        await client.get("/health")
        start = time.monotonic()
        stop_at = start + seconds
        await asyncio.gather(*(client_loop(client, n, stop_at) for n in range(clients)))
        result.elapsed = time.monotonic() - start
    return result


def render(result: Result, *, command: str, docs: int, heading: str = "# Load test",
           ingest: dict | None = None) -> str:  # type: ignore[type-arg]
    m = machine()
    all_lat = [x for v in result.latencies.values() for x in v]
    lines = [heading, ""]
    if not heading.startswith("## During"):
        lines += [
            f"Command: `{command}`",
            "",
            f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, {m['os']}. "
            f"Date: {dt.date.today().isoformat()}.",
            "",
            f"Server: one uvicorn process on {HOST} (access log off, keep-alive "
            f"{KEEP_ALIVE_S} s) over LocalStore with {docs} documents; the clients run on "
            "the same machine, so they share its CPUs.",
            "",
        ]
    lines += [f"Load average (1 min) at the end: {os.getloadavg()[0]:.2f}.", ""]
    if ingest is not None:
        lines += [
            f"Meanwhile `{ingest['command']}` wrote to the same data directory "
            f"({ingest.get('summary', '')}; {ingest.get('seconds')} s, "
            f"{'still running' if ingest.get('running_at_end') else 'finished'} when the "
            "clients stopped).",
            "",
        ]
    lines += [
        f"{result.clients} clients for {result.seconds:g} s: **{result.requests} requests, "
        f"{result.throughput():.1f} req/s, p50 {pct(all_lat, 50) * 1000:.1f} ms, "
        f"p99 {pct(all_lat, 99) * 1000:.1f} ms, {result.error_count} errors**.",
        "",
        "| route | share | requests | req/s | p50 ms | p99 ms | max ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for weight, route, _ in MIX:
        lat = result.latencies.get(route, [])
        n = len(lat) + result.errors.get(route, 0)
        lines.append(
            f"| {route} | {weight}% | {n} | {n / result.elapsed if result.elapsed else 0:.1f} "
            f"| {pct(lat, 50) * 1000:.1f} | {pct(lat, 99) * 1000:.1f} "
            f"| {max(lat, default=0) * 1000:.1f} | {result.errors.get(route, 0)} |"
        )
    if result.error_samples:
        lines += ["", "Errors seen:", ""] + [f"- `{e}`" for e in result.error_samples]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path,
                        help="an ingested data directory to serve (a copy of it is used)")
    parser.add_argument("--corpus", type=Path, nargs="*", default=DEFAULT_CORPUS,
                        help="what to ingest when no --data-dir is given")  # fmt: skip
    parser.add_argument("--ingest-docs", type=int, default=0,
                        help="then run again while this many new documents are ingested")
    parser.add_argument("--code", type=Path, default=None,
                        help="serve (and ingest with) another version's code tree")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.md")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 600:
        parser.error("--clients must be 1..500 and --seconds 0..600")
    command = "python bench/loadtest.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    reports, errors = [], 0
    with tempfile.TemporaryDirectory(prefix="vndoc-load-") as tmp:
        data_dir = Path(tmp) / "data"
        if args.data_dir is None:
            ingest(data_dir, args.corpus)
        else:
            shutil.copytree(args.data_dir, data_dir)
        passes = [False] + ([True] if args.ingest_docs else [])
        for with_ingest in passes:
            with server(data_dir, args.code) as url:
                docs = httpx.get(url + "/health", timeout=10).json()["documents"]
                info = None
                if with_ingest:
                    with concurrent_ingest(data_dir, args.ingest_docs, args.code) as info:
                        result = asyncio.run(run_load(
                            url, clients=args.clients, seconds=args.seconds,
                            max_requests=args.max_requests))
                else:
                    result = asyncio.run(run_load(url, clients=args.clients,
                                                  seconds=args.seconds,
                                                  max_requests=args.max_requests))
            heading = "# Load test" if len(passes) == 1 else (
                "## During an ingest" if with_ingest else "# Load test\n\n## Without an ingest")
            reports.append(render(result, command=command.strip(), docs=docs, heading=heading,
                                  ingest=info))
            errors += result.error_count
    report = "\n".join(reports)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
