"""Load test: concurrent clients against a real API server on 127.0.0.1.

Ingests the corpus into a temporary data directory (or copies --data-dir
there), starts uvicorn on a free port of 127.0.0.1, and runs ``--clients``
async clients (httpx) for ``--seconds`` over a mix of /search, /tasks, /refs
and /ask queries (the fixed values of bench/routes.py). Reports throughput,
p50/p99 latency and the error count (the target is zero), per route and
overall, and writes them as Markdown with the command and the machine.

``--workers N`` starts N server processes on the port (uvicorn's workers, as
``vndoc serve --workers N``). The clients (``--client raw``, the default) are
asyncio streams in this one process, a keep-alive connection each, that read
every answer whole: a fraction of httpx's CPU time (``--client httpx``), so
that the measurement is of the server on the cores both share. The report
gives the CPU cores the server, the clients and the ingest kept busy.

``--ingest-docs N`` runs a second pass while ``vndoc ingest`` writes N more
generated documents (bench/generate.py, numbered after the store's) into the
same data directory: the server answers while another process writes.
``--code TREE`` serves another version's code (a tree from ``git archive``).

The mix repeats a few dozen requests, which a server with the answer cache
(search_api/answer_cache.py) answers from it after their first time:
``--answer-cache-mb 0`` makes the server compute every answer, and
``--fresh SHARE`` sends that share of the requests with a parameter never
sent before (``fresh=N``, ignored by the routes), each computed.

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
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

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
    client: str = "raw"
    client_cpu_s: float = 0.0  # this process's CPU time over the run (the clients')
    server_cpu_s: float | None = None  # the server processes' over the same time
    other_cpu_s: float | None = None  # the concurrent ingest's, when there is one
    server_rss_mb: float | None = None  # the server processes' resident memory at the end

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


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    workers: int

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the server and its worker processes so far."""
        return tree_cpu_seconds(self.proc.pid)

    def rss_mb(self) -> float:
        """Memory of the server and its worker processes now (MB): their
        proportional set size (Pss), where VmRSS would count a page of the
        store's file once for every connection that maps it (each thread's
        SQLite connection maps the file: 40 threads, 40 times)."""
        total, todo = 0, [self.proc.pid]
        while todo:
            p = todo.pop()
            try:
                total += _pss_kb(p)
            except OSError:
                continue
            todo += _children(p)
        return total / 1024


def _pss_kb(pid: int) -> int:
    """A process's proportional set size (kB), or its VmRSS where the kernel
    has no smaps_rollup."""
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    if rollup.exists():
        for line in rollup.read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextmanager
def server(data_dir: Path, code: Path | None = None, *, workers: int = 1,
           answer_cache_mb: float | None = None) -> Iterator[Server]:
    """uvicorn on a free port of 127.0.0.1 (access log off), ``workers`` server
    processes; yields it once every worker answers. ``code``: another version's
    tree, served instead of this one; ``answer_cache_mb``: the server's
    VNDOC_ANSWER_CACHE_MB (0: every answer computed)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env["VNDOC_DATA_DIR"] = str(data_dir)
    if answer_cache_mb is not None:
        env["VNDOC_ANSWER_CACHE_MB"] = str(answer_cache_mb)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    log = open(data_dir.parent / f"loadtest-server-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
         "--host", HOST, "--port", str(port), "--log-level", "info", "--no-access-log",
         "--timeout-keep-alive", str(KEEP_ALIVE_S),
         *(["--workers", str(workers)] if workers > 1 else [])],
        env=env, cwd=code or ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://{HOST}:{port}"
    try:
        wait_until_healthy(url, proc, timeout_s=120, log=Path(log.name), workers=workers)
        yield Server(url, proc, workers)
    finally:
        stop(proc)
        log.close()
        sys.stderr.write(Path(log.name).read_text(errors="replace"))


def _children(pid: int) -> list[int]:
    try:
        found: list[int] = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(x) for x in (task / "children").read_text().split()]
        return found
    except OSError:
        return []


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants now alive
    (Linux /proc; 0.0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        todo += _children(p)
    return total / tick


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
    info["pid"] = proc.pid
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


class RawConnection:
    """One keep-alive HTTP/1.1 connection that sends GET requests and reads
    each answer whole (status line, headers, then the body by its
    Content-Length or its chunks): the load's client at a fraction of
    httpx's CPU time, so that the clients, on the same cores, take less of
    what the server needs."""

    def __init__(self, host: str, port: int, *, timeout_s: float = 60.0) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        """GET ``target`` (path and query, already encoded): (status, body)."""
        try:
            return await asyncio.wait_for(self._get(target), self.timeout_s)
        except BaseException:
            self.close()  # a half-read answer would be taken for the next one
            raise

    async def _get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          "Accept: application/json\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                close = value == b"close"
        if chunked:
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")  # no trailers are sent
            body = b"".join(parts)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body, close = await self.reader.read(), True
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_load(
    url: str, *, clients: int, seconds: float, max_requests: int = 1_000_000, seed: int = 6,
    client: str = "raw", fresh: float = 0.0,
) -> Result:
    """Run ``clients`` concurrent loops for ``seconds`` (or max_requests in all),
    each on its own keep-alive connection; ``client``: "raw"
    (:class:`RawConnection`) or "httpx" (its AsyncClient). ``fresh``: the share
    of requests sent with a parameter never sent before (``fresh=N``, which the
    routes ignore): a question the server's answer cache has not seen."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"load tests only target {HOST}, not {url}")
    if client not in ("raw", "httpx"):
        raise ValueError(f"unknown client {client!r}: raw or httpx")
    result = Result(clients=clients, seconds=seconds)
    weights = [w for w, _, _ in MIX]
    budget = [max_requests]
    sent = [0]
    port = int(url.rsplit(":", 1)[1])
    # Every query's target encoded once (as httpx would: UTF-8, percent-encoded).
    targets = [(route, [f"{route}?{urlencode(p)}" if p else route for p in choices])
               for _w, route, choices in MIX]

    async def client_loop(get: Callable[[str], Awaitable[tuple[int, bytes]]], n: int,
                          stop_at: float) -> None:
        rnd = random.Random(seed * 1000 + n)
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            route, choices = rnd.choices(targets, weights)[0]
            target = rnd.choice(choices)
            if fresh and rnd.random() < fresh:
                sent[0] += 1
                target += f"{'&' if '?' in target else '?'}fresh={sent[0]}"
            t0 = time.perf_counter()
            try:
                status, body = await get(target)
                ok = status == 200 and len(body) > 0
                detail = "" if ok else f"{status} {body[:120].decode('utf-8', 'replace')}"
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    TimeoutError, ValueError,
                    httpx.HTTPError) as e:
                ok, detail = False, f"{type(e).__name__}: {e}"
            took = time.perf_counter() - t0
            if ok:
                result.latencies.setdefault(route, []).append(took)
            else:
                result.errors[route] = result.errors.get(route, 0) + 1
                if len(result.error_samples) < 10:
                    result.error_samples.append(f"{target}: {detail}")

    cpu0 = time.process_time()
    if client == "raw":
        conns = [RawConnection(HOST, port) for _ in range(clients)]
        # One request each first, so connection setup is not in the figures.
        await asyncio.gather(*(c.get("/health") for c in conns))
        start = time.monotonic()
        stop_at = start + seconds
        await asyncio.gather(*(client_loop(c.get, n, stop_at) for n, c in enumerate(conns)))
        result.elapsed = time.monotonic() - start
        for c in conns:
            c.close()
    else:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as hc:

            async def get(target: str) -> tuple[int, bytes]:
                r = await hc.get(target)
                return r.status_code, r.content

            await asyncio.gather(*(get("/health") for _ in range(clients)))
            start = time.monotonic()
            stop_at = start + seconds
            await asyncio.gather(*(client_loop(get, n, stop_at) for n in range(clients)))
            result.elapsed = time.monotonic() - start
    result.client_cpu_s = time.process_time() - cpu0
    result.client = client
    return result


def render(result: Result, *, command: str, docs: int, heading: str = "# Load test",
           ingest: dict | None = None, workers: int = 1) -> str:  # type: ignore[type-arg]
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
            f"Server: {_processes(workers)} on {HOST} (access log off, keep-alive "
            f"{KEEP_ALIVE_S} s) over LocalStore with {docs} documents; the clients "
            f"({_CLIENTS[result.client]}) run on the same machine, so they share its CPUs.",
            "",
        ]
    lines += [f"Load average (1 min) at the end: {os.getloadavg()[0]:.2f}.", ""]
    if result.elapsed:
        cores = [f"the clients {result.client_cpu_s / result.elapsed:.2f}"]
        if result.server_cpu_s is not None:
            cores.insert(0, f"the server {result.server_cpu_s / result.elapsed:.2f}")
        if result.other_cpu_s is not None:
            cores.append(f"the ingest {result.other_cpu_s / result.elapsed:.2f}")
        lines += [f"CPU cores busy over the run (CPU seconds / wall seconds): "
                  f"{', '.join(cores)}"
                  + (f"; server CPU per request {result.server_cpu_s / result.requests * 1000:.1f}"
                     " ms" if result.server_cpu_s is not None and result.requests else "")
                  + (f"; the server's memory at the end {result.server_rss_mb:.0f} MB"
                     " (proportional set size)" if result.server_rss_mb else "") + ".", ""]
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


_CLIENTS = {"raw": "asyncio streams, one keep-alive connection each, in one process",
            "httpx": "httpx.AsyncClient, one keep-alive connection each, in one process"}


def _processes(workers: int) -> str:
    return "one uvicorn process" if workers == 1 else (
        f"uvicorn with {workers} worker processes (one port)")


def measured_load(srv: Server, args: argparse.Namespace, pid: int | None = None) -> Result:
    """The load, with the CPU time the server (and the ingest ``pid``) took meanwhile."""
    cpu0 = srv.cpu_seconds()
    other0 = tree_cpu_seconds(pid) if pid else None
    result = asyncio.run(run_load(srv.url, clients=args.clients, seconds=args.seconds,
                                  max_requests=args.max_requests, client=args.client,
                                  fresh=args.fresh))
    result.server_cpu_s = srv.cpu_seconds() - cpu0
    result.server_rss_mb = srv.rss_mb()
    if pid and other0 is not None:
        result.other_cpu_s = tree_cpu_seconds(pid) - other0
    return result


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
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (uvicorn --workers), as vndoc serve --workers")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="the clients' HTTP code (raw: asyncio streams; cheaper)")
    parser.add_argument("--answer-cache-mb", type=float, default=None,
                        help="the server's VNDOC_ANSWER_CACHE_MB (0: every answer computed)")
    parser.add_argument("--fresh", type=float, default=0.0,
                        help="share of requests (0..1) made new to the answer cache "
                             "(an ignored parameter fresh=N, never repeated)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.md")
    args = parser.parse_args(argv)
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be 1..16")
    if not 0 <= args.fresh <= 1:
        parser.error("--fresh must be 0..1")
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
            with server(data_dir, args.code, workers=args.workers,
                        answer_cache_mb=args.answer_cache_mb) as srv:
                docs = httpx.get(srv.url + "/health", timeout=10).json()["documents"]
                info = None
                if with_ingest:
                    with concurrent_ingest(data_dir, args.ingest_docs, args.code) as info:
                        result = measured_load(srv, args, info["pid"])
                else:
                    result = measured_load(srv, args)
            heading = "# Load test" if len(passes) == 1 else (
                "## During an ingest" if with_ingest else "# Load test\n\n## Without an ingest")
            reports.append(render(result, command=command.strip(), docs=docs, heading=heading,
                                  ingest=info, workers=args.workers))
            errors += result.error_count
    report = "\n".join(reports)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
