"""The Elasticsearch the tests talk to: a real cluster, or noida-db behind a strict front.

* a real cluster when ``VNDOC_ES_URL`` is set (with ``VNDOC_ES_API_KEY`` or
  ``VNDOC_ES_USERNAME``/``VNDOC_ES_PASSWORD``, ``VNDOC_ES_CA_CERTS``);
* otherwise the noida-db emulator (PyPI ``noida-db==0.2.3``): its binary,
  found inside the installed package, is started directly on 127.0.0.1 with
  a free port, in its own process group, once per session, and stopped by
  that group when the session ends.

The emulator is more lenient than a real cluster in three ways that matter
to vndoc, so the tests reach it through :class:`StrictFront`, a small HTTP
front that applies the real rules before forwarding each request and
records every request the store sends:

* REST API compatibility headers: a server accepts ``compatible-with`` its
  own major and the one before (an 8.x server refuses a 9.x client);
* Lucene's term limit: a keyword value over 32,766 UTF-8 bytes makes a real
  cluster reject the whole document;
* ``search.allow_expensive_queries: false``: range queries on keyword or
  text fields (and prefix, wildcard, regexp, fuzzy, script queries) are
  refused.

If neither a cluster nor the emulator is available, the Elasticsearch tests
are skipped with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from bench.server import free_port

_WHERE: list[str] = []  # where the ElasticStore tests ran, for the summary line
MAX_TERM_BYTES = 32_766
NOIDA_VERSION = "8.15.3"  # what noida-db 0.2.3 says it is


def unavailable(reason: str) -> None:
    """Skip an Elasticsearch test, or fail it under CI=true (CI must run them)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: Elasticsearch tests may not be skipped)")
    pytest.skip(reason)


# -- the emulator -----------------------------------------------------------------------


def _noida_binary() -> Path | None:
    try:
        from importlib.resources import files

        pkg = files("noida_db")
    except ModuleNotFoundError:
        return None
    name = "noida-db.exe" if os.name == "nt" else "noida-db"
    path = Path(str(pkg.joinpath(name)))
    return path if path.is_file() else None


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:  # noqa: S310 - local URL
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


_RUNNING: list[str] = []  # the URL of this session's emulator, while it runs


@contextlib.contextmanager
def _noida(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private noida-db for this session (started once; the starter stops it)."""
    if _RUNNING:
        yield _RUNNING[0]
        return
    binary = _noida_binary()
    if binary is None:
        unavailable(
            "ElasticStore not tested: noida-db is not installed "
            "(pip install noida-db==0.2.3) and VNDOC_ES_URL is not set"
        )
        raise AssertionError("unreachable")
    if not os.access(binary, os.X_OK):
        with contextlib.suppress(OSError):
            binary.chmod(0o755)
    port = free_port()
    data_dir = tmp_path_factory.mktemp("noida")
    log = data_dir / "noida.log"
    cmd = [
        str(binary), "start", "--only", "elasticsearch", "--host", "127.0.0.1",
        "--elasticsearch-port", str(port), "--data-dir", str(data_dir / "data"),
    ]
    try:
        with log.open("wb") as out:
            proc = subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
    except OSError as e:
        unavailable(f"ElasticStore not tested: can't run noida-db ({binary}): {e}")
        raise AssertionError("unreachable") from e
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            tail = log.read_text(errors="replace")[-800:]
            unavailable(
                f"ElasticStore not tested: noida-db did not answer on {url} "
                f"(exit code {proc.returncode}); its output: {tail!r}"
            )
        time.sleep(0.1)
    _RUNNING.append(url)
    try:
        yield url
    finally:
        _RUNNING.remove(url)
        _stop(proc)


@pytest.fixture(scope="session")
def noida(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of this session's noida-db (the one es_server uses, if it started)."""
    with _noida(tmp_path_factory) as url:
        yield url


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process group we started, by its id; never anything else."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def es_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Where ElasticStore tests connect: a real cluster, or noida-db behind a
    strict 8.x front (the version the emulator reports)."""
    url = os.environ.get("VNDOC_ES_URL")
    if url:
        _WHERE.append(f"VNDOC_ES_URL={url}")
        yield {"url": url, "front": None}
        return
    # the emulator answers in one Python process: on a busy two-core machine an
    # aggregation over the served corpus can take longer than a cluster's 30 s
    os.environ.setdefault("VNDOC_ES_TIMEOUT", "120")
    with _noida(tmp_path_factory) as upstream:
        front = StrictFront(upstream, version=NOIDA_VERSION)
        _WHERE.append(
            f"noida-db {NOIDA_VERSION} at {upstream} behind a strict front (8.x header rules, "
            "term limit, allow_expensive_queries=false)"
        )
        try:
            yield {"url": front.url, "front": front, "upstream": upstream}
        finally:
            front.close()


# -- the strict front ---------------------------------------------------------------------


@dataclass
class Seen:
    """One request as the front received it."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]  # lowercased names
    body: bytes
    query: str = ""  # the raw query string
    status: int = 0  # what the front answered
    refused: str = ""  # why the front refused it ("" when forwarded)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def ndjson(self) -> list[Any]:
        return [json.loads(line) for line in self.body.splitlines() if line.strip()]


_COMPAT = re.compile(r"application/vnd\.elasticsearch\+[\w-]+\s*;\s*compatible-with=(\d+)")
_EXPENSIVE = ("prefix", "wildcard", "regexp", "fuzzy", "script")


def compat_refusal(major: int, accept: str, content_type: str, has_body: bool) -> str:
    """Why a server of this major refuses these headers ("" if it accepts them).

    The rules of Elasticsearch's RestCompatibleVersionHelper: a requested
    version must be the server's major or the one before, and with a body,
    Accept and Content-Type must both ask for the same version or neither.
    """

    def version(h: str) -> int | None:
        m = _COMPAT.search(h or "")
        return int(m.group(1)) if m else None

    a, c = version(accept), version(content_type)
    ok = (major, major - 1)
    if a is not None and a not in ok:
        return (f"Accept version must be either version {major} or {major - 1}, but found "
                f"{a}. Accept={accept}")
    if has_body:
        if c is not None and c not in ok:
            return (f"Content-Type version must be either version {major} or {major - 1}, "
                    f"but found {c}. Content-Type={content_type}")
        if (a is not None or c is not None) and a != c:
            return ("A compatible version is required on both Content-Type and Accept headers "
                    "if either one has requested a compatible version and the compatible "
                    f"versions must match. Accept={accept}, Content-Type={content_type}")
    return ""


class StrictFront:
    """An HTTP front before an Elasticsearch(-like) server: applies the rules
    listed in this module's docstring, answers ``GET /`` with its own version,
    records every request (``requests``) and forwards the rest unchanged."""

    def __init__(self, upstream: str, *, version: str = NOIDA_VERSION) -> None:
        self.upstream = urlsplit(upstream)
        self.version = version
        self.major = int(version.split(".")[0])
        self.requests: list[Seen] = []
        self._templates: dict[str, dict[str, Any]] = {}  # index prefix -> properties
        self._local = threading.local()
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # one write per answer (flushed after each request)

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _any(self) -> None:
                front._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def clear(self) -> None:
        self.requests.clear()

    @property
    def refused(self) -> list[Seen]:
        return [r for r in self.requests if r.refused]

    # -- what the rules need to know: the mappings vndoc put --------------------------------
    def _learn(self, seen: Seen) -> None:
        parts = seen.path.strip("/").split("/")
        if seen.method not in ("PUT", "POST") or not seen.body or len(parts) > 2:
            return
        try:
            body = seen.json()
        except ValueError:
            return
        if not isinstance(body, dict):
            return
        if len(parts) == 2 and parts[0] == "_index_template":
            for pattern in body.get("index_patterns") or []:
                props = ((body.get("template") or {}).get("mappings") or {}).get("properties")
                if props:
                    self._templates[pattern.rstrip("*")] = props
        elif len(parts) == 1 and not parts[0].startswith("_"):
            props = (body.get("mappings") or {}).get("properties")
            if props:
                self._templates[parts[0]] = props

    def _props(self, index: str | None) -> list[dict[str, Any]]:
        """The mappings that apply to an index or alias name (all when unknown)."""
        if not index:
            return list(self._templates.values())
        found = [p for prefix, p in self._templates.items()
                 if index.startswith(prefix) or (index + "-v").startswith(prefix)]
        return found or list(self._templates.values())

    def _field_types(self, index: str | None, name: str) -> set[str]:
        base, _, sub = name.partition(".")
        types = set()
        for props in self._props(index):
            m = props.get(base)
            if m is None:
                continue
            if sub:
                m = (m.get("fields") or {}).get(sub, m)
            types.add(str(m.get("type", "object")))
        return types

    def _immense(self, index: str | None, source: Any) -> str:
        """The first keyword field whose value is over Lucene's term limit."""
        if not isinstance(source, dict):
            return ""
        for name, value in source.items():
            for props in self._props(index):
                m = props.get(name) or {}
                if m.get("type") != "keyword" or m.get("index") is False:
                    continue
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if not isinstance(v, str):
                        continue
                    if "ignore_above" in m and len(v) > int(m["ignore_above"]):
                        continue  # kept in _source, not indexed
                    n = len(v.encode("utf-8"))
                    if n > MAX_TERM_BYTES:
                        return (f"Document contains at least one immense term in field=\"{name}\" "
                                f"(whose UTF8 encoding is longer than the max length "
                                f"{MAX_TERM_BYTES}), all of which were skipped. The prefix of "
                                f"the first immense term is: '{v[:30]}...', original message: "
                                f"bytes can be at most {MAX_TERM_BYTES} in length; got {n}")
        return ""

    def _expensive(self, index: str | None, query: Any) -> str:
        """Why a cluster with search.allow_expensive_queries=false refuses this query."""
        if isinstance(query, list):
            for q in query:
                why = self._expensive(index, q)
                if why:
                    return why
            return ""
        if not isinstance(query, dict):
            return ""
        for key, value in query.items():
            if key in _EXPENSIVE:
                return (f"[{key}] queries cannot be executed when "
                        "'search.allow_expensive_queries' is set to false.")
            if key == "range" and isinstance(value, dict):
                for fname in value:
                    if self._field_types(index, fname) & {"keyword", "text"}:
                        return ("[range] queries on [text] or [keyword] fields cannot be executed "
                                "when 'search.allow_expensive_queries' is set to false.")
            why = self._expensive(index, value)
            if why:
                return why
        return ""

    # -- handling ------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        split = urlsplit(h.path)
        length = int(h.headers.get("content-length") or 0)
        body = h.rfile.read(length) if length else b""
        seen = Seen(
            method=h.command, path=split.path, params=dict(parse_qsl(split.query)),
            headers={k.lower(): v for k, v in h.headers.items()}, body=body, query=split.query,
        )
        self.requests.append(seen)
        why = compat_refusal(
            self.major, seen.headers.get("accept", ""), seen.headers.get("content-type", ""),
            bool(body),
        )
        if why:
            self._refuse(h, seen, 400, "media_type_header_exception", why,
                         "Invalid media-type value on headers [Accept, Content-Type]")
            return
        parts = [p for p in split.path.split("/") if p]
        index = parts[0] if parts and not parts[0].startswith("_") else None
        last = parts[-1] if parts else ""
        doc_write = len(parts) >= 2 and parts[1] in ("_doc", "_create", "_update")
        if h.command in ("GET", "POST") and last in ("_search", "_count", "_delete_by_query"):
            q = (seen.json() or {}).get("query") if body else None
            why = self._expensive(index, q)
            if why:
                self._refuse(h, seen, 400, "search_phase_execution_exception", why,
                             "all shards failed")
                return
        if h.command in ("PUT", "POST") and doc_write and body:
            source = seen.json()
            if parts[1] == "_update":
                source = (source or {}).get("doc")
            why = self._immense(index, source)
            if why:
                self._refuse(h, seen, 400, "illegal_argument_exception", why, why)
                return
        if h.command in ("POST", "PUT") and last == "_bulk":
            self._bulk(h, seen, index)
            return
        status, headers, answer = self._forward(seen)
        if h.command == "GET" and not parts and status == 200:
            info = json.loads(answer)
            info["version"]["number"] = self.version
            answer = json.dumps(info).encode()
        if 200 <= status < 300:
            self._learn(seen)
        self._reply(h, seen, status, headers, answer)

    def _bulk(self, h: BaseHTTPRequestHandler, seen: Seen, index: str | None) -> None:
        lines = seen.ndjson()
        kept: list[Any] = []
        errors: dict[int, dict[str, Any]] = {}
        i = n = 0
        while i < len(lines):
            action = lines[i]
            op, meta = next(iter(action.items()))
            source = None
            if op != "delete":
                source = lines[i + 1]
                if op == "update":
                    source = source.get("doc")
            why = self._immense(meta.get("_index") or index, source)
            if why:
                errors[n] = {op: {
                    "_index": meta.get("_index") or index, "_id": meta.get("_id"), "status": 400,
                    "error": {"type": "illegal_argument_exception", "reason": why},
                }}
            else:
                kept.extend(lines[i: i + (1 if op == "delete" else 2)])
            i += 1 if op == "delete" else 2
            n += 1
        if not errors:
            status, headers, answer = self._forward(seen)
            self._reply(h, seen, status, headers, answer)
            return
        items: list[Any] = []
        headers = {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
        if kept:
            body = b"".join(json.dumps(x).encode() + b"\n" for x in kept)
            status, headers, answer = self._forward(seen, body=body)
            if status != 200:
                self._reply(h, seen, status, headers, answer)
                return
            items = json.loads(answer)["items"]
        out, it = [], iter(items)
        for k in range(n):
            out.append(errors[k] if k in errors else next(it))
        seen.refused = "; ".join(next(iter(e.values()))["error"]["reason"] for e in errors.values())
        answer = json.dumps({"took": 1, "errors": True, "items": out}).encode()
        self._reply(h, seen, 200, headers, answer)

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(
                self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=60
            )
            self._local.conn = conn
        return conn

    def _forward(
        self, seen: Seen, *, body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        data = seen.body if body is None else body
        target = seen.path + ("?" + seen.query if seen.query else "")
        headers = {k: v for k, v in seen.headers.items()
                   if k in ("accept", "content-type", "authorization")}
        headers["content-length"] = str(len(data))
        for attempt in range(2):
            conn = self._conn()
            try:
                conn.request(seen.method, target, body=data or None, headers=headers)
                resp = conn.getresponse()
                answer = resp.read()
                return resp.status, {k.lower(): v for k, v in resp.getheaders()}, answer
            except (http.client.HTTPException, OSError):
                conn.close()
                self._local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _refuse(self, h: BaseHTTPRequestHandler, seen: Seen, status: int, kind: str,
                reason: str, top: str) -> None:
        seen.refused = reason
        err = {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind,
                         "reason": top, "caused_by": {"type": "status_exception",
                                                      "reason": reason}}, "status": status}
        headers = {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
        self._reply(h, seen, status, headers, json.dumps(err).encode())

    @staticmethod
    def _reply(h: BaseHTTPRequestHandler, seen: Seen, status: int, headers: dict[str, str],
               answer: bytes) -> None:
        seen.status = status
        h.send_response(status)
        for k, v in headers.items():
            if k in ("content-type", "x-elastic-product", "warning"):
                h.send_header(k, v)
        h.send_header("content-length", str(len(answer)))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(answer)


@dataclass
class Fronts:
    """Strict fronts of given versions over the session's emulator."""

    upstream: str
    made: list[StrictFront] = field(default_factory=list)

    def __call__(self, version: str) -> StrictFront:
        front = StrictFront(self.upstream, version=version)
        self.made.append(front)
        return front


@pytest.fixture
def strict_front(noida: str) -> Iterator[Fronts]:
    """A factory of strict fronts (``strict_front("8.19.0")``) over the emulator,
    even when the rest of the suite runs against VNDOC_ES_URL."""
    fronts = Fronts(noida)
    yield fronts
    for f in fronts.made:
        f.close()
