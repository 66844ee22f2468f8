"""Several server processes over one data directory (`vndoc serve --workers N`):
a write through one process (an upload, a review decision, a removal) is read
by the others, and the search index has one writer at a time.

Two uvicorn processes on two ports stand for two workers (on one port the
kernel picks the process, so a test couldn't say which one answered); one
test starts `vndoc serve --workers 2` itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from bench.server import free_port, started, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
KEYS = "lan:key-lan,an:key-an:admin"
LAN = {"X-API-Key": "key-lan"}
ADMIN = {"X-API-Key": "key-an"}


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env.update(VNDOC_DATA_DIR=str(data_dir), VNDOC_API_KEYS=KEYS, PYTHONUNBUFFERED="1")
    return env


@contextmanager
def _server(data_dir: Path, cmd: list[str], port: int, *, workers: int = 1) -> Iterator[str]:
    log = data_dir.parent / f"server-{port}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, env=_env(data_dir), cwd=ROOT, stdout=fh,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, proc, timeout_s=90, log=log, workers=workers)
        yield url
    finally:
        stop(proc)


def uvicorn(data_dir: Path) -> tuple[list[str], int]:
    port = free_port()
    return [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"], port


def _found(url: str, q: str) -> list[str]:
    r = httpx.get(url + "/search", params={"q": q}, timeout=30)
    assert r.status_code == 200, r.text
    return [h["id"] for h in r.json()["data"]]


def test_a_write_through_one_process_is_read_by_the_other(data_dir: Path) -> None:
    with ExitStack() as stack:
        a, b = (stack.enter_context(_server(data_dir, *uvicorn(data_dir))) for _ in range(2))
        assert _found(b, "kho lưu trữ điện tử") == []
        assert _found(a, "kho lưu trữ điện tử") == []  # both have read the index
        up = httpx.post(a + "/documents", headers=LAN, timeout=60, files={"file": (
            "them.txt", "Giao Sở Nội vụ chủ trì xây dựng kho lưu trữ điện tử, hoàn thành "
            "trước ngày 30/6/2025.".encode())})
        assert up.status_code == 201, up.text
        doc = up.json()["id"]
        # the other process sees the new commit of SQLite and of the index
        assert _found(b, "kho lưu trữ điện tử") == [doc]
        assert httpx.get(f"{b}/documents/{doc}", timeout=30).status_code == 200
        tasks = httpx.get(b + "/tasks", params={"owner": "Sở Nội vụ"}, timeout=30).json()
        task = next(t for t in tasks["data"] if t["doc_id"] == doc)
        # a review decision through the second, read through the first
        r = httpx.patch(f"{b}/tasks/{task['id']}", headers=LAN, timeout=30,
                        json={"done": True, "done_on": "2025-06-01"})
        assert r.status_code == 200, r.text
        again = httpx.get(a + "/tasks", params={"owner": "Sở Nội vụ", "status": "done"},
                          timeout=30).json()
        assert task["id"] in [t["id"] for t in again["data"]]
        # a removal through the first: gone from the second's search and register
        assert httpx.delete(f"{a}/documents/{doc}", headers=ADMIN, timeout=60).status_code == 200
        assert _found(b, "kho lưu trữ điện tử") == []
        left = httpx.get(b + "/tasks", params={"owner": "Sở Nội vụ", "status": "done"},
                         timeout=30).json()
        assert task["id"] not in [t["id"] for t in left["data"]]


def test_uploads_through_both_processes_at_once(data_dir: Path) -> None:
    """Two processes write at the same moment: the index's writer lock makes
    one wait for the other; both documents are stored and found by both."""
    import threading

    with ExitStack() as stack:
        urls = [stack.enter_context(_server(data_dir, *uvicorn(data_dir))) for _ in range(2)]
        results: dict[int, httpx.Response] = {}

        def upload(i: int) -> None:
            text = (f"Giao Sở Xây dựng chủ trì lập quy hoạch bến thủy nội địa số {i}, xong "
                    "trước ngày 31/12/2025.")
            results[i] = httpx.post(urls[i] + "/documents", headers=LAN, timeout=90,
                                    files={"file": (f"ben-{i}.txt", text.encode())})

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert [results[i].status_code for i in range(2)] == [201, 201], [
            r.text for r in results.values()]
        ids = {results[i].json()["id"] for i in range(2)}
        for url in urls:
            assert set(_found(url, "bến thủy nội địa")) == ids
            assert httpx.get(url + "/health", timeout=30).json()["status"] == "ok"


def test_vndoc_serve_workers_starts_that_many_processes(data_dir: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--workers", "2"]
    with _server(data_dir, cmd, port, workers=2) as url:
        assert started(data_dir.parent / f"server-{port}.log") == 2
        up = httpx.post(url + "/documents", headers=LAN, timeout=60, files={"file": (
            "cau.txt", "Giao Sở Giao thông vận tải chủ trì sửa chữa cầu treo, hoàn thành "
            "trước ngày 15/9/2025.".encode())})
        assert up.status_code == 201, up.text
        # whichever process answers (a new connection each time), it has it
        for _ in range(20):
            assert _found(url, "cầu treo") == [up.json()["id"]]
