"""The answer cache (search_api/answer_cache.py): the same bytes while the
store's stamp holds, a fresh answer after any write, bounded, never an error
or a non-JSON answer kept."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from pipeline.settings import Settings
from pipeline.store.base import TaskQuery, TaskUpdate
from pipeline.store.local import LocalStore
from search_api.answer_cache import AnswerCache
from search_api.app import create_app

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: a loop may already run in this
    one (another test's, in the same worker)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Backend:
    """A stand-in app: answers with a counter, so a recomputed answer differs."""

    def __init__(self, status: int = 200, ctype: bytes = b"application/json",
                 size: int = 10, chunks: int = 1) -> None:
        self.calls = 0
        self.status, self.ctype, self.size, self.chunks = status, ctype, size, chunks

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        body = json.dumps({"n": self.calls, "pad": "x" * self.size}).encode()
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", self.ctype),
                                (b"content-length", str(len(body)).encode())]})
        for i in range(self.chunks):
            part = body[i * len(body) // self.chunks:(i + 1) * len(body) // self.chunks]
            await send({"type": "http.response.body", "body": part,
                        "more_body": i + 1 < self.chunks})


async def call(app: Any, path: str, query: bytes, method: str = "GET") -> tuple[int, bytes]:
    """One request through the ASGI app: its status and body."""
    out: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        else:
            out["body"] += message.get("body", b"")

    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": []}
    await app(scope, receive, send)
    return out["status"], out["body"]


def get(app: Any, path: str = "/search", query: bytes = b"q=x",
        method: str = "GET") -> tuple[int, bytes]:
    return run(call(app, path, query, method))


def test_same_request_same_bytes_until_the_stamp_changes() -> None:
    stamp = [1]
    backend = Backend()
    cache = AnswerCache(backend, stamp=lambda: stamp[0])
    first = get(cache)
    assert get(cache) == first and backend.calls == 1 and cache.hits == 1
    assert get(cache, query=b"q=y") != first and backend.calls == 2  # another query
    stamp[0] = 2  # a write committed
    again = get(cache)
    assert again != first and backend.calls == 3
    assert get(cache) == again and backend.calls == 3


def test_an_answer_computed_across_a_write_is_not_kept() -> None:
    stamp = [1]
    backend = Backend()
    cache = AnswerCache(backend, stamp=lambda: stamp[0])

    class Writing:
        """The route runs while a write commits and another request sees it."""

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            stamp[0] = 2
            cache._current()  # the next request's stamp check
            await backend(scope, receive, send)

    cache.app = Writing()
    get(cache)
    cache.app = backend
    get(cache)
    assert backend.calls == 2  # the first answer, computed under stamp 1, was not kept


class Slow(Backend):
    """Answers after the other requests have arrived."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(0.05)
        await super().__call__(scope, receive, send)


def together(app: Any, n: int, query: bytes = b"q=x") -> list[tuple[int, bytes]]:
    async def main() -> list[tuple[int, bytes]]:
        return list(await asyncio.gather(*(call(app, "/ask", query) for _ in range(n))))

    return run(main())


def test_the_same_request_arriving_meanwhile_waits_for_the_answer() -> None:
    backend = Slow()
    cache = AnswerCache(backend, stamp=lambda: 1)
    got = together(cache, 5)
    assert backend.calls == 1 and cache.joined == 4
    assert len(set(got)) == 1 and got[0][0] == 200


def test_waiting_for_an_answer_that_cannot_be_kept_computes_again() -> None:
    backend = Slow(status=500)
    cache = AnswerCache(backend, stamp=lambda: 1)
    got = together(cache, 3)
    assert backend.calls == 3 and cache.joined == 0
    assert {s for s, _ in got} == {500}


@pytest.mark.parametrize("backend", [
    Backend(status=404), Backend(ctype=b"text/csv"), Backend(size=5000),
])
def test_only_whole_small_json_200_answers_are_kept(backend: Backend) -> None:
    cache = AnswerCache(backend, stamp=lambda: 1, max_entry_bytes=1000)
    get(cache)
    get(cache)
    assert backend.calls == 2 and cache.hits == 0


def test_an_answer_sent_in_pieces_is_kept_whole() -> None:
    backend = Backend(chunks=3)
    cache = AnswerCache(backend, stamp=lambda: 1)
    first = get(cache)
    assert json.loads(first[1])["n"] == 1
    assert get(cache) == first and backend.calls == 1


def test_other_paths_methods_and_no_stamp_pass_through() -> None:
    backend = Backend()
    cache = AnswerCache(backend, stamp=lambda: 1)
    for _ in range(2):
        get(cache, path="/documents/abc")
        get(cache, method="POST")
    assert backend.calls == 4
    off = AnswerCache(backend, stamp=lambda: None)
    get(off)
    get(off)
    assert backend.calls == 6
    failing = AnswerCache(backend, stamp=lambda: 1 / 0)
    assert get(failing)[0] == 200 and get(failing)[0] == 200
    assert backend.calls == 8


def test_bounded_least_recently_used_go_first() -> None:
    backend = Backend(size=100)
    cache = AnswerCache(backend, stamp=lambda: 1, max_bytes=400)
    for q in (b"a", b"b", b"c"):
        get(cache, query=q)
    get(cache, query=b"a")  # a is used again: b is now the oldest
    get(cache, query=b"d")  # over 400 bytes: b goes
    assert cache._bytes <= 400
    calls = backend.calls
    get(cache, query=b"a")
    assert backend.calls == calls
    get(cache, query=b"b")
    assert backend.calls == calls + 1


@pytest.fixture
def client(data_dir: Path):  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=data_dir, api_keys="lan:key-lan"))
    with TestClient(app) as c:
        yield c


def test_a_write_by_another_process_is_seen(client: TestClient, data_dir: Path) -> None:
    """A store opened elsewhere (an ingest, another server process) marks a task
    done: the next answer of the same request shows it."""
    params = {"today": "2025-06-01"}
    before = client.get("/tasks", params=params)
    assert client.get("/tasks", params=params).content == before.content
    tid = before.json()["data"][0]["id"]
    with LocalStore(data_dir) as other:
        other.update_task(tid, TaskUpdate(done=True), who="an")
    after = client.get("/tasks", params=params).json()
    assert next(t for t in after["data"] if t["id"] == tid)["done"] is True


def test_a_removed_document_leaves_search_and_the_register(client: TestClient,
                                                           data_dir: Path) -> None:
    hits = client.get("/search", params={"q": "Sở Tài chính"}).json()
    assert hits["count"]
    doc = hits["data"][0]["id"]
    with LocalStore(data_dir) as other:
        assert other.remove_document(doc, who="an")
        left = {t.doc_id for t in other.tasks(TaskQuery(limit=1000))}
    after = client.get("/search", params={"q": "Sở Tài chính"}).json()
    assert doc not in {h["id"] for h in after["data"]}
    assert doc not in left


def test_the_setting_sizes_the_cache(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    def cache_bytes(settings: Settings) -> int:
        app = create_app(settings)
        (mw,) = [m for m in app.user_middleware if m.cls is AnswerCache]
        return int(mw.kwargs["max_bytes"])

    assert cache_bytes(Settings(data_dir=data_dir)) == 32 << 20
    monkeypatch.setenv("VNDOC_ANSWER_CACHE_MB", "0")
    assert cache_bytes(Settings(data_dir=data_dir)) == 0  # off
    monkeypatch.setenv("VNDOC_ANSWER_CACHE_MB", "-1")
    with pytest.raises(ValueError):
        Settings(data_dir=data_dir)
