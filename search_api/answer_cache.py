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
same bytes and headers the route sent (the outer middleware add theirs).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

CACHED_PATHS = frozenset({"/search", "/ask", "/tasks", "/refs"})

Entry = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers, body


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
        self._entries: OrderedDict[tuple[str, bytes, str], Entry] = OrderedDict()
        self._bytes = 0
        self._stamp: Hashable | None = None
        self.hits = self.misses = 0

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
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        self.misses += 1
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
            return
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        if not any(k.lower() == b"content-type" and v.startswith(b"application/json")
                   for k, v in headers):
            return
        body = b"".join(chunks)
        # computed under the stamp read before it: kept only if no later stamp was seen
        if len(body) > self.max_entry_bytes or stamp != self._stamp:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old[2])
        self._entries[key] = (200, headers, body)
        self._bytes += len(body)
        while self._bytes > self.max_bytes and self._entries:
            _key, (_s, _h, gone) = self._entries.popitem(last=False)
            self._bytes -= len(gone)
