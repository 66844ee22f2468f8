"""Answers of the read routes remembered until the store changes.

The same questions come back all day (a department's overdue tasks, a
decree's citations, the words of a current topic), and every answer is a pure
function of the request, the day and the store's content. :class:`AnswerCache`
keeps the bytes of the last answers of ``GET /search``, ``/ask``, ``/tasks``
and ``/refs`` keyed by the request's path and query string and the server's
date, valid while the store's *stamp* stays the same: the store's
``answer_stamp()`` changes with every committed write, this process's or
another's (an ingest, a review edit), and every commit of the search index.

* The stamp is read before the answer is computed: an answer computed while a
  write commits is kept under the stamp of before the write, which the next
  request finds changed; all the kept answers go when the stamp changes.
* Nothing is written anywhere: a crash or a restart starts with no answers.
* Bounded: at most ``max_bytes`` of answers in all (least recently used go
  first), none larger than ``max_entry_bytes``; only 200 answers in JSON.
* A backend without ``answer_stamp`` (or a stamp of None) is never cached.

A hit is answered here, before FastAPI's validation and its thread pool: the
same bytes and headers the route sent (the outer middleware add theirs). A
request that arrives while the same request is being answered under the same
stamp waits for that answer instead of computing it again (after every write
of an ingest, 50 clients would otherwise compute the same few answers at once).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

CACHED_PATHS = frozenset({"/search", "/ask", "/tasks", "/refs"})

Entry = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers, body
Key = tuple[str, bytes, str]  # path, query string, the server's date


class AnswerCache:
    """ASGI middleware: GET answers of ``paths`` remembered per store stamp (see the module)."""

    def __init__(
        self, app: Any, *, stamp: Callable[[], Hashable | None], max_bytes: int = 32 << 20,
        max_entry_bytes: int = 1 << 20, paths: frozenset[str] = CACHED_PATHS,
    ) -> None:
        self.app = app
        self.stamp = stamp
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self.paths = paths
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0
        self._stamp: Hashable | None = None
        # requests being answered: what the same request arriving meanwhile waits for
        self._running: dict[Key, tuple[Hashable, asyncio.Future[Entry | None]]] = {}
        self.hits = self.misses = self.joined = 0

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _current(self) -> Hashable | None:
        """The store's stamp now; the kept answers go when it changed."""
        try:
            now = self.stamp()
        except Exception:  # noqa: BLE001 - no stamp, no caching; the route answers
            now = None
        if now is None or now != self._stamp:
            self.clear()
            self._stamp = now
        return now

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            self.max_bytes <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in self.paths
        ):
            await self.app(scope, receive, send)
            return
        stamp = self._current()
        if stamp is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), dt.date.today().isoformat())
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            await _send(send, hit)
            return
        running = self._running.get(key)
        if running is not None and running[0] == stamp:
            # The same request is being answered under this stamp: its answer is
            # this one's too (no write was seen since it began).
            got = await asyncio.shield(running[1])
            if got is not None:
                self.joined += 1
                await _send(send, got)
                return
        self.misses += 1
        done: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        mine = (stamp, done)
        if running is None or running[0] != stamp:
            self._running[key] = mine
        entry: Entry | None = None
        try:
            entry = await self._answer(scope, receive, send)
        finally:
            done.set_result(entry)
            if self._running.get(key) is mine:
                del self._running[key]
        # computed under the stamp read before it: kept only if no later stamp was seen
        if entry is None or stamp != self._stamp:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old[2])
        self._entries[key] = entry
        self._bytes += len(entry[2])
        while self._bytes > self.max_bytes and self._entries:
            _key, (_s, _h, gone) = self._entries.popitem(last=False)
            self._bytes -= len(gone)

    async def _answer(self, scope: Any, receive: Any, send: Any) -> Entry | None:
        """The route's answer, sent; and returned if it may be kept."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        whole = False

        async def keep(message: Any) -> None:
            nonlocal whole
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                whole = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") != 200 or not whole:
            return None
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        if not any(k.lower() == b"content-type" and v.startswith(b"application/json")
                   for k, v in headers):
            return None
        body = b"".join(chunks)
        return (200, headers, body) if len(body) <= self.max_entry_bytes else None


async def _send(send: Any, entry: Entry) -> None:
    status, headers, body = entry
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
