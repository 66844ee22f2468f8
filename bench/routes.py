"""The API's routes timed in-process, through the ASGI app, for any code version.

    python bench/routes.py --data-dir tmp/bench/cache/store-10000 --reps 20 --out r.json
    PYTHONPATH=tmp/base python bench/routes.py --data-dir tmp/bench/before/store-10000 ...

The app is built with ``search_api.app.create_app`` from whatever code comes
first on the path (``PYTHONPATH`` picks an older version: this file imports
nothing else of vndoc's), started with its lifespan (what a server does at
start), and asked the fixed query mix below through Starlette's TestClient:
the route's own work (validation, the store, the answer's serialization), no
network. Each query runs once cold (the first call after start), then
``--reps`` times; p50 and p99 per query and per route.

The mix repeats the same requests: from the second on, a version with the
API's answer cache (search_api/answer_cache.py) answers them from it;
``--no-answer-cache`` turns it off, so that every answer is computed.

``--driver asgi`` calls the app directly instead (no HTTP client, no portal
thread: the CPU time is the app's own). Every answer's bytes and type are
recorded as a digest; ``--against EARLIER.json`` prints the two runs side
by side and every query whose answer differs (a change of speed must change
no answer).

The mix is fixed, values a staff member would type (not drawn from the
store), over the generated corpus of bench/generate.py: years 2015-2026,
provinces drawn from all 97 names, "today" fixed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

TODAY = "2025-06-01"

# (route kind, path, params): the routes, and the filters of each.
QUERY_MIX: list[tuple[str, str, dict[str, str]]] = [
    ("search", "/search", {"q": "đầu tư công"}),
    ("search", "/search", {"q": "khu công nghiệp"}),
    ("search", "/search", {"q": "UBND tỉnh Bắc Ninh"}),
    ("search", "/search", {"q": "dau tu cong"}),
    ("search", "/search", {"q": "o nhiem khong khi"}),
    ("search", "/search", {"q": "ubnd tinh giai ngan"}),
    ("search", "/search", {"q": "khu công nghiệp", "province": "Bắc Ninh"}),
    (
        "search",
        "/search",
        {"q": "dau tu", "doc_type": "Công văn", "date_from": "2018-01-01", "date_to": "2020-12-31"},
    ),
    ("search", "/search", {"province": "Bắc Ninh"}),
    ("search", "/search", {"q": "tiêm chủng", "sort": "date"}),
    ("tasks", "/tasks", {"today": TODAY}),
    ("tasks", "/tasks", {"status": "due_soon", "today": TODAY, "due_within": "30"}),
    ("tasks", "/tasks", {"status": "overdue", "today": TODAY}),
    ("tasks", "/tasks", {"owner": "UBND tỉnh Bắc Ninh", "today": TODAY}),
    ("tasks", "/tasks", {"owner": "so xay dung", "status": "overdue", "today": TODAY}),
    ("tasks", "/tasks", {"owner": "Sở Tài chính", "today": TODAY}),
    ("tasks", "/tasks", {"owner": "Trung tâm Lưu trữ lịch sử tỉnh Bắc Ninh", "today": TODAY}),
    ("tasks", "/tasks", {"province": "Bắc Ninh", "status": "open", "today": TODAY}),
    ("tasks", "/tasks", {"q": "rà soát", "today": TODAY}),
    ("tasks", "/tasks", {"issued_from": "2024-01-01", "issued_to": "2024-12-31", "today": TODAY}),
    ("refs", "/refs", {"q": "nghi dinh 30/2020"}),
    ("refs", "/refs", {"q": "luat dau tu"}),
    ("refs", "/refs", {"q": "ND 171/2017"}),
    ("ask", "/ask", {"q": "Sở Tài chính được giao những nhiệm vụ gì?", "today": TODAY}),
    ("ask", "/ask", {"q": "Văn bản nào dẫn chiếu Nghị định 30/2020/NĐ-CP?", "today": TODAY}),
    ("ask", "/ask", {"q": "Những nhiệm vụ nào quá hạn?", "today": TODAY}),
    # questions read by their parts (issue #16): an agency with a status and a
    # count, a yes/no, partners, who leads a piece of work, a period, documents
    # of an issuer and year, a search of documents
    (
        "ask",
        "/ask",
        {"q": "Sở Tài chính tỉnh Bắc Ninh có bao nhiêu nhiệm vụ quá hạn?", "today": TODAY},
    ),
    ("ask", "/ask", {"q": "nhiem vu qua han cua so xay dung Bắc Ninh khong", "today": TODAY}),
    ("ask", "/ask", {"q": "Sở Tài chính tỉnh Bắc Ninh phối hợp với ai?", "today": TODAY}),
    ("ask", "/ask", {"q": "Ai chủ trì việc giám sát, đánh giá đầu tư?", "today": TODAY}),
    ("ask", "/ask", {"q": "Việc gì phải xong trong quý II/2024?", "today": TODAY}),
    (
        "ask",
        "/ask",
        {"q": "Công văn của UBND tỉnh Bắc Ninh năm 2020 giao những việc gì?", "today": TODAY},
    ),
    ("ask", "/ask", {"q": "Có văn bản nào về ô nhiễm không khí không?", "today": TODAY}),
    ("documents", "/documents/{doc}", {}),
    ("health", "/health", {}),
]


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return 0.0
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))]


def answer_digest(content_type: str, body: bytes) -> str:
    """What must not change between two versions of the code: the answer's
    content type and bytes (SHA-1, 12 hex digits). /health's counts aside,
    two runs on one store give equal digests only for equal answers."""
    return hashlib.sha1(content_type.encode() + b"\n" + body).hexdigest()[:12]


def qid(path: str, params: dict[str, str]) -> str:
    return path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def timed_rounds(
    get: Callable[..., Any],
    mix: list[tuple[str, str, dict[str, str]]],
    samples: dict[str, list[float]],
    *,
    reps: int,
    budget_s: float,
    each: Callable[[str, Any], None] | None = None,
    cpu: dict[str, list[float]] | None = None,
) -> None:
    """``reps`` rounds of the mix: each query's wall time appended to its
    ``samples[qid]``, until that query has spent ``budget_s``; ``each(key,
    response)`` sees every response (a check); ``cpu[qid]`` gets the
    process's CPU time for it (every thread: the app's and the client's)."""
    spent = dict.fromkeys(samples, 0.0)
    for _ in range(reps):
        for _kind, path, params in mix:
            key = qid(path, params)
            if spent[key] > budget_s:
                continue
            c = time.process_time()
            t = time.perf_counter()
            r = get(path, params=params)
            took = time.perf_counter() - t
            if cpu is not None:
                cpu.setdefault(key, []).append(time.process_time() - c)
            samples[key].append(took)
            spent[key] += took
            if each is not None:
                each(key, r)


class AsgiGet:
    """GET requests straight into the ASGI app, on an event loop of its own (run in
    this thread, or in a thread of its own when a loop already runs here): no HTTP
    client and no portal thread (TestClient's ~1.5 ms of CPU
    a request), so the CPU time measured is the app's (routing, validation,
    the route in FastAPI's thread pool, serialization) and little else."""

    @dataclass
    class Answer:
        status_code: int
        content: bytes
        headers: dict[str, str]

        def json(self) -> Any:
            return json.loads(self.content)

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        self.loop.close()

    def get(self, path: str, params: dict[str, Any] | None = None) -> AsgiGet.Answer:
        coro = self._get(path, params or {})
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.loop.run_until_complete(coro)
        # a loop already runs in this thread (a caller's, e.g. a test runner's): ours
        # runs in a thread of its own
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(self.loop.run_until_complete, coro).result()

    async def _get(self, path: str, params: dict[str, Any]) -> AsgiGet.Answer:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": urlencode(params).encode(),
            "headers": [(b"host", b"bench")],
            "client": ("127.0.0.1", 1),
            "server": ("bench", 80),
        }
        sent = False
        status, headers, body = 0, {}, bytearray()

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # the client never disconnects
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.update(
                    (k.decode("latin-1").lower(), v.decode("latin-1"))
                    for k, v in message.get("headers", [])
                )
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, send)
        return AsgiGet.Answer(status, bytes(body), headers)


def measure(
    data_dir: Path, *, reps: int, budget_s: float = 20.0, driver: str = "testclient"
) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    import search_api.app as app_module
    from pipeline.settings import Settings

    os.environ.setdefault("VNDOC_HEAL_INTERVAL_S", "3600")
    t0 = time.perf_counter()
    app = app_module.create_app(Settings(data_dir=data_dir))
    samples: dict[str, list[float]] = {}
    # CPU time per request: what a request costs whatever else runs on the
    # machine (the wall time includes waiting for a core: on a shared machine
    # at load 5-15, 3-5x the quiet figure)
    cpu: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    results: dict[str, int] = {}
    sizes: dict[str, int] = {}
    digests: dict[str, str] = {}  # the first answer's bytes and type: before = after
    kinds: dict[str, str] = {}
    with TestClient(app) as started:  # the lifespan: what a server does at start
        client: Any = started if driver == "testclient" else AsgiGet(app)
        start_s = time.perf_counter() - t0
        some = client.get("/search", params={"q": "", "size": 1}).json()["data"]
        doc = some[0]["id"] if some else "0" * 16
        mix = [(k, p.replace("{doc}", doc), params) for k, p, params in QUERY_MIX]
        for kind, path, params in mix:
            key = qid(path, params)
            kinds[key] = kind
            t = time.perf_counter()
            r = client.get(path, params=params)
            first[key] = time.perf_counter() - t
            if r.status_code != 200:
                raise SystemExit(f"{key} -> {r.status_code}: {r.text[:300]}")
            body = r.json()
            results[key] = int(body.get("count", len(body.get("evidence", []) or [])))
            sizes[key] = len(r.content)
            digests[key] = answer_digest(r.headers.get("content-type", ""), r.content)
            samples[key] = []
        timed_rounds(client.get, mix, samples, reps=reps, budget_s=budget_s, cpu=cpu)
        if isinstance(client, AsgiGet):
            client.close()
    by_kind: dict[str, list[float]] = {}
    cpu_by_kind: dict[str, list[float]] = {}
    for key, xs in samples.items():
        by_kind.setdefault(kinds[key], []).extend(xs)
        cpu_by_kind.setdefault(kinds[key], []).extend(cpu.get(key, []))
    every = [x for xs in samples.values() for x in xs]
    ms = 1000.0
    return {
        "all": {
            "calls": len(every),
            "p50_ms": round(pct(every, 50) * ms, 2),
            "p99_ms": round(pct(every, 99) * ms, 2),
            "max_ms": round(max(every, default=0.0) * ms, 2),
        },
        "data_dir": str(data_dir),
        "reps": reps,
        "start_s": round(start_s, 2),
        "driver": driver,
        "answer_cache_mb": os.environ.get("VNDOC_ANSWER_CACHE_MB", "default"),
        "code": str(Path(app_module.__file__).resolve().parents[1]),
        "loadavg": round(os.getloadavg()[0], 2),
        "queries": {
            key: {
                "kind": kinds[key],
                "calls": len(xs),
                "first_ms": round(first[key] * ms, 2),
                "p50_ms": round(pct(xs, 50) * ms, 2),
                "p99_ms": round(pct(xs, 99) * ms, 2),
                "mean_ms": round(statistics.fmean(xs) * ms, 2) if xs else 0.0,
                "cpu_p50_ms": round(pct(cpu.get(key, []), 50) * ms, 2),
                "cpu_p99_ms": round(pct(cpu.get(key, []), 99) * ms, 2),
                "results": results[key],
                "bytes": sizes[key],
                "sha1": digests[key],
            }
            for key, xs in samples.items()
        },
        "by_kind": {
            k: {
                "calls": len(xs),
                "p50_ms": round(pct(xs, 50) * ms, 2),
                "p99_ms": round(pct(xs, 99) * ms, 2),
                "cpu_p50_ms": round(pct(cpu_by_kind[k], 50) * ms, 2),
                "cpu_p99_ms": round(pct(cpu_by_kind[k], 99) * ms, 2),
            }
            for k, xs in by_kind.items()
        },
    }


def compare(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Two runs side by side (Markdown): per route kind p50/p99 wall and CPU
    time, and every query whose answer changed (its digest), which should be none."""
    lines = [
        f"before: {before['code']} (load {before['loadavg']}); "
        f"after: {after['code']} (load {after['loadavg']})",
        "",
        "| route | p50 ms before → after | p99 ms | CPU p50 ms | CPU p99 ms |",
        "|---|---|---|---|---|",
    ]
    for kind, a in after["by_kind"].items():
        b = before["by_kind"].get(kind)
        if b is None:
            continue
        lines.append(
            f"| {kind} | "
            + " | ".join(
                f"{b[m]} → {a[m]}" for m in ("p50_ms", "p99_ms", "cpu_p50_ms", "cpu_p99_ms")
            )
            + " |"
        )
    changed = [
        key
        for key, q in after["queries"].items()
        if q["kind"] != "health"
        and key in before["queries"]
        and before["queries"][key].get("sha1") != q.get("sha1")
    ]
    lines += ["", f"answers changed: {len(changed)}", *(f"- {key}" for key in changed)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--driver",
        choices=("testclient", "asgi"),
        default="testclient",
        help="testclient: Starlette's TestClient (an HTTP client and a portal "
        "thread, as the earlier figures); asgi: the app called directly, "
        "the CPU time the app's own",
    )
    ap.add_argument(
        "--no-answer-cache",
        action="store_true",
        help="VNDOC_ANSWER_CACHE_MB=0: every answer computed (the repeats of the "
        "mix are otherwise answered from the API's answer cache)",
    )
    ap.add_argument(
        "--against",
        type=Path,
        default=None,
        help="an earlier run's --out: print both side by side, and the "
        "queries whose answers differ",
    )
    args = ap.parse_args(argv)
    if args.against and args.out and args.out.exists() and args.data_dir == Path("-"):
        # --data-dir - : compare two saved runs, measure nothing
        sys.stdout.write(
            compare(
                json.loads(args.against.read_text("utf-8")), json.loads(args.out.read_text("utf-8"))
            )
        )
        return 0
    if args.no_answer_cache:
        os.environ["VNDOC_ANSWER_CACHE_MB"] = "0"
    out = measure(args.data_dir, reps=args.reps, driver=args.driver)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, "utf-8")
    elif not args.against:
        sys.stdout.write(text + "\n")
    if args.against:
        sys.stdout.write(compare(json.loads(args.against.read_text("utf-8")), out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
