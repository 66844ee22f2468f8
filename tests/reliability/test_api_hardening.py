"""Issue #6, part 5: API hardening.

Limits answer 413/422 with a message, never 500; untrusted text is never
query syntax (tantivy or SQL); API keys are compared in constant time and
never logged; CORS is off by default; errors are JSON without stack traces;
every bad input uploaded through the API gets a clear answer.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from pipeline.ingest.run import ingest
from pipeline.settings import Settings
from pipeline.store.local import LocalStore
from search_api import deps
from search_api.app import create_app
from tests.reliability.conftest import BAD, CORPUS, api_server

SECRET = "s3cret-Key-9f8e7d6c5b4a"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hardening") / "data"
    with LocalStore(data) as store:
        ingest([CORPUS / "seeds"], store)
    return data


def make_client(data_dir: Path, **settings: object) -> TestClient:
    app = create_app(
        Settings(data_dir=data_dir, api_keys=f"lan:{SECRET}", **settings)  # type: ignore[arg-type]
    )
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with make_client(data_dir, max_upload_bytes=200_000) as c:
        yield c


def assert_json_error(r: httpx.Response, status: int, words: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    assert isinstance(detail, str) and words in detail, detail
    assert "Traceback" not in r.text and 'File "' not in r.text


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "param"),
    [("/search", "q"), ("/refs", "q"), ("/ask", "q"), ("/tasks", "q"), ("/tasks", "owner")],
)
def test_long_text_is_413_with_a_message(client: TestClient, path: str, param: str) -> None:
    assert client.get(path, params={param: "đ" * 500}).status_code == 200
    assert_json_error(client.get(path, params={param: "đ" * 501}), 413, "too long")


def test_page_size_and_page_limits(client: TestClient) -> None:
    assert client.get("/search", params={"size": 100}).status_code == 200
    assert_json_error(client.get("/search", params={"size": 101}), 422, "at most 100")
    assert_json_error(client.get("/search", params={"size": 0}), 422, "size")
    assert_json_error(client.get("/search", params={"page": 10**6}), 422, "page")
    assert_json_error(client.get("/search", params={"page": "x"}), 422, "page")
    assert_json_error(client.get("/tasks", params={"size": 10**9}), 422, "at most 100")
    assert_json_error(client.get("/tasks", params={"page": 0}), 422, "page")
    assert_json_error(client.get("/refs/top", params={"limit": -1}), 422, "limit")


def test_limits_in_the_schema_follow_the_settings(data_dir: Path) -> None:
    with make_client(data_dir, max_query_chars=40, max_page_size=7) as c:
        params = {p["name"]: p for p in c.get("/openapi.json").json()["paths"]["/search"]["get"]
                  ["parameters"]}  # fmt: skip
        assert params["size"]["schema"]["maximum"] == 7
        assert params["q"]["schema"]["maxLength"] == 40
        assert_json_error(c.get("/search", params={"q": "x" * 41}), 413, "too long")
        assert_json_error(c.get("/search", params={"size": 8}), 422, "at most 7")


def test_upload_over_the_limit_is_413(client: TestClient) -> None:
    headers = {"X-API-Key": SECRET}
    ok = client.post("/documents", headers=headers,
                     files={"file": ("a.txt", "Giao Sở Tài chính chủ trì.".encode())})  # fmt: skip
    assert ok.status_code == 201, ok.text
    big = b"Giao So Tai chinh chu tri.\n" * 10_000  # 270 KB > 200 KB
    r = client.post("/documents", headers=headers, files={"file": ("big.txt", big)})
    assert_json_error(r, 413, "larger than")


def test_huge_upload_is_refused_on_its_header_or_stream(data_dir: Path) -> None:
    """Bodies over the limit are refused by a middleware before multipart parsing."""

    def body() -> Iterator[bytes]:  # chunked: no Content-Length to check
        yield b"--b\r\nContent-Disposition: form-data; name=file; filename=x.txt\r\n\r\n"
        for _ in range(40):
            yield b"x" * 65536

    with make_client(data_dir, max_upload_bytes=100_000) as c:
        headers = {"X-API-Key": SECRET, "Content-Type": "multipart/form-data; boundary=b"}
        assert_json_error(c.post("/documents", headers=headers, content=body()), 413, "larger")
        r = c.post("/documents", headers={**headers, "Content-Length": str(10**9)}, content=b"")
        assert_json_error(r, 413, "larger than")


# ---------------------------------------------------------------------------
# Untrusted text is never query syntax
# ---------------------------------------------------------------------------

NASTY = [
    'title:"x" OR *', "*", "?", "AND", "OR NOT", "(", ")", '"', '"unterminated', "\\",
    "field:[a TO z]", "a~2", "b^10", "+-!", "{}", "' OR 1=1 --", "'; DROP TABLE tasks; --",
    "%", "_", "\x00", "\u202e", "đ" * 300, "𝔘𝔅𝔑𝔇", "<script>alert(1)</script>",
    "doc_type:Công văn", "kind:task", "id:*",
]  # fmt: skip


@pytest.mark.parametrize("text", NASTY)
def test_untrusted_text_is_just_text(client: TestClient, text: str) -> None:
    for path, params in [
        ("/search", {"q": text}), ("/search", {"q": "so tai chinh", "issuer": text}),
        ("/tasks", {"q": text}), ("/tasks", {"owner": text}), ("/tasks", {"doc_id": text}),
        ("/refs", {"q": text}), ("/ask", {"q": text}),
    ]:  # fmt: skip
        r = client.get(path, params=params)
        assert r.status_code == 200, (path, params, r.text)
        assert r.headers["content-type"].startswith("application/json")


def test_field_syntax_and_sql_match_nothing(client: TestClient) -> None:
    every = client.get("/tasks").json()["count"]
    assert every > 0
    assert client.get("/tasks", params={"doc_id": "x' OR '1'='1"}).json()["count"] == 0
    assert client.get("/tasks", params={"owner": "' OR 1=1 --"}).json()["count"] == 0
    # "kind:task" would match every task if it were parsed as a field query.
    assert client.get("/tasks", params={"q": "kind:task"}).json()["count"] < every
    # Field syntax is punctuation: "kind:doc" searches the words "kind" and "doc".
    a = client.get("/search", params={"q": "id:* OR kind:doc"}).json()
    b = client.get("/search", params={"q": "id OR kind doc"}).json()
    assert [h["id"] for h in a["data"]] == [h["id"] for h in b["data"]]
    assert client.get("/tasks").json()["count"] == every  # and nothing was dropped


# ---------------------------------------------------------------------------
# API keys
# ---------------------------------------------------------------------------


def test_keys_are_compared_in_constant_time() -> None:
    source = inspect.getsource(deps.identify)
    assert "hmac.compare_digest" in source and "==" not in source.replace("!=", "")


def test_a_wrong_key_is_not_echoed(client: TestClient) -> None:
    tid = client.get("/tasks").json()["data"][0]["id"]
    wrong = SECRET[:-1] + "X"
    r = client.patch(f"/tasks/{tid}", json={"done": True}, headers={"X-API-Key": wrong})
    assert_json_error(r, 403, "not valid")
    assert wrong not in r.text
    assert_json_error(client.patch(f"/tasks/{tid}", json={"done": True}), 401, "X-API-Key")


def test_keys_never_reach_the_log_in_process(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tid = client.get("/tasks").json()["data"][0]["id"]
    h = {"X-API-Key": SECRET}
    assert client.patch(f"/tasks/{tid}", json={"done": True}, headers=h).status_code == 200
    assert client.patch(f"/tasks/{tid}", json={"done": 3}, headers=h).status_code == 422
    assert client.patch("/tasks/nope", json={"done": True}, headers=h).status_code == 404
    assert SECRET not in caplog.text
    assert client.get(f"/tasks/{tid}/history").json()[-1]["who"] == "lan"


@pytest.mark.slow
def test_keys_never_reach_the_server_log(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with LocalStore(data) as store:
        ingest([CORPUS / "seeds"], store)
    with api_server(data, VNDOC_API_KEYS=f"lan:{SECRET}") as url:
        h = {"X-API-Key": SECRET}
        tid = httpx.get(url + "/tasks", timeout=10).json()["data"][0]["id"]
        assert httpx.patch(f"{url}/tasks/{tid}", json={"done": True}, headers=h,
                           timeout=10).status_code == 200  # fmt: skip
        httpx.patch(f"{url}/tasks/{tid}", content=b"\xff{", headers=h, timeout=10)
        httpx.post(url + "/documents", files={"file": ("x.pdf", b"junk")}, headers=h, timeout=10)
        httpx.get(url + "/search", params={"q": SECRET[:4]}, headers=h, timeout=10)
        port = url.rsplit(":", 1)[1]
        log = (tmp_path / f"uvicorn-{port}.log").read_text(errors="replace")
    assert f"PATCH /tasks/{tid}" in log  # the access log is on, and has the request
    assert SECRET not in log


# ---------------------------------------------------------------------------
# CORS and errors
# ---------------------------------------------------------------------------


def test_cors_is_off_by_default(client: TestClient) -> None:
    pre = client.options(
        "/search",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in pre.headers
    r = client.get("/search", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_when_configured_allows_only_its_origins_and_reads(data_dir: Path) -> None:
    with make_client(data_dir, cors_origins="https://intranet.example") as c:
        ok = c.get("/health", headers={"Origin": "https://intranet.example"})
        assert ok.headers["access-control-allow-origin"] == "https://intranet.example"
        bad = c.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in bad.headers
        pre = c.options(
            "/tasks/x",
            headers={
                "Origin": "https://intranet.example",
                "Access-Control-Request-Method": "PATCH",
            },
        )
        assert pre.status_code == 400  # writes are not allowed cross-origin


def test_unexpected_errors_are_json_without_traces(data_dir: Path) -> None:
    with make_client(data_dir) as c:

        def boom(*a: object, **k: object) -> None:
            raise RuntimeError("secret internals /etc/passwd")

        c.app.state.store.search = boom  # type: ignore[attr-defined]
        r = c.get("/search", params={"q": "x"})
    assert_json_error(r, 500, "internal error")
    assert "secret internals" not in r.text and "RuntimeError" not in r.text


def test_routing_errors_are_json(client: TestClient) -> None:
    assert_json_error(client.get("/no/such/route"), 404, "Not Found")
    # A write is checked for its key first (before routing and before any body).
    assert_json_error(client.delete("/tasks/abc"), 401, "API key")
    r = client.delete("/tasks/abc", headers={"X-API-Key": SECRET})
    assert_json_error(r, 405, "Method Not Allowed")
    assert r.headers["allow"] == "GET, HEAD, PATCH"
    r = client.patch("/tasks/abc", content=b"\xff{", headers={"X-API-Key": SECRET,
                     "Content-Type": "application/json"})  # fmt: skip
    assert r.status_code in (400, 422) and isinstance(r.json()["detail"], str)


@pytest.mark.parametrize(
    "body",
    [{"done": "yes"}, {"done": 1}, {"deadline": "2024-02-30"}, {"deadline": "31/12/2024"},
     {"deadline": 20240101}, {"owners": "Sở Tài chính"}, {"owners": [1]}, {"extra": True},
     {"owners": ["x"] * 21}],
)  # fmt: skip
def test_task_patch_rejects_what_it_cannot_mean(client: TestClient, body: dict) -> None:
    tid = client.get("/tasks").json()["data"][0]["id"]
    r = client.patch(f"/tasks/{tid}", json=body, headers={"X-API-Key": SECRET})
    assert r.status_code == 422, r.text
    assert isinstance(r.json()["detail"], str)


def test_task_patch_sets_and_clears_a_deadline(client: TestClient) -> None:
    tid = client.get("/tasks").json()["data"][0]["id"]
    h = {"X-API-Key": SECRET}
    r = client.patch(f"/tasks/{tid}", json={"deadline": "2024-02-29"}, headers=h)
    assert r.status_code == 200 and r.json()["deadline"] == "2024-02-29"
    r = client.patch(f"/tasks/{tid}", json={"deadline": ""}, headers=h)
    assert r.status_code == 200 and r.json()["deadline"] is None


# ---------------------------------------------------------------------------
# Every bad input, uploaded
# ---------------------------------------------------------------------------

MANIFEST = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))


def test_bad_inputs_uploaded_get_clear_answers(data_dir: Path) -> None:
    """Each bad input of tests/data/bad, uploaded: the loader's answer (422 naming
    the upload), or 415 when the API sees from its suffix and first bytes that
    it is no supported format or not the format its name says (#14)."""
    import unicodedata

    from search_api.routers.documents import check_format

    files = {unicodedata.normalize("NFC", p.name): p for p in BAD.iterdir()}
    h = {"X-API-Key": SECRET}
    refused = []
    with make_client(data_dir) as c:
        for name, case in MANIFEST.items():
            if case.get("at_test_time") or name.startswith("sidecar"):
                continue  # sidecars are files beside files: nothing to upload
            data = files[name].read_bytes()
            r = c.post("/documents", headers=h, files={"file": (name, data)})
            try:
                check_format(name, data)
            except Exception:  # noqa: BLE001 - the API refuses it by its format
                assert_json_error(r, 415, name)
                assert "Không nhận tệp" in r.json()["message"]
                refused.append(name)
                continue
            if case["expect"] == "ok":
                assert r.status_code == 201, (name, r.text)
            else:
                assert_json_error(r, 422, case["cause"])
                assert name in r.json()["detail"]  # names the upload
                assert "Không đọc được tệp" in r.json()["message"]
    assert sorted(refused) == [
        "binary-junk.pdf", "docx-named.pdf", "not-a-zip.docx", "pdf-named.txt",
        "unknown-suffix.bin",
    ]


def test_upload_obeys_the_loader_timeout(data_dir: Path) -> None:
    pdf = (CORPUS / "samples" / "cv4150-bnn.pdf").read_bytes()
    with make_client(data_dir, loader_timeout_s=0.000001) as c:
        r = c.post("/documents", headers={"X-API-Key": SECRET}, files={"file": ("a.pdf", pdf)})
    assert_json_error(r, 422, "took longer than")


# ---------------------------------------------------------------------------
# Issue #19, items 11 and 12 (the API parts)
# ---------------------------------------------------------------------------


def test_security_headers_on_the_page_and_the_api(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for r in (page, client.get("/health"), client.get("/search", params={"q": "x"}),
              client.get("/no/such/route")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" in r.headers
    assert client.get("/health").headers["content-security-policy"].startswith(
        "default-src 'none'")


def _get_paths(app: object) -> list[str]:
    schema = app.openapi()  # type: ignore[attr-defined]
    return [p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p]


def test_head_wherever_get_is_answered(client: TestClient) -> None:
    paths = [*_get_paths(client.app), "/", "/docs", "/static/app.js"]
    assert "/tasks.ics" in paths and "/review" in paths
    needs = {"/refs": {"q": "Nghị định"}, "/ask": {"q": "nhiệm vụ quá hạn"}}
    for path in paths:
        if path == "/whoami":
            continue  # needs a key: HEAD answers 401 like GET
        params = needs.get(path, {})
        get, head = client.get(path, params=params), client.head(path, params=params)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
    assert client.head("/whoami").status_code == client.get("/whoami").status_code == 401


def test_no_redirect_is_built_from_the_host_header(client: TestClient) -> None:
    for path in ("/tasks/", "/search/", "/documents/", "/review/"):
        r = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert r.status_code in (404, 405), (path, r.status_code)
        assert "location" not in r.headers
        assert "evil.example" not in r.text


def _call(app: object, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[
        int, int]:
    """Call the ASGI app directly; (status, how many times it asked for the body)."""
    import asyncio

    asked = 0
    status = 0

    async def receive() -> dict[str, object]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    # In a thread of its own: another test may have left an event loop running in this one.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()  # type: ignore[operator]
    return status, asked


def test_auth_is_checked_before_the_body_is_read(client: TestClient) -> None:
    multipart = [(b"content-type", b"multipart/form-data; boundary=b"),
                 (b"content-length", b"1000")]
    for method, path in (("POST", "/documents"), ("PATCH", "/tasks/abc"), ("POST", "/tasks"),
                         ("DELETE", "/documents/abc"), ("POST", "/documents/abc/confirm")):
        assert _call(client.app, method, path, multipart) == (401, 0), path
        wrong = [*multipart, (b"x-api-key", b"wrong")]
        assert _call(client.app, method, path, wrong) == (403, 0), path
    right = [*multipart, (b"x-api-key", SECRET.encode())]
    status, asked = _call(client.app, "POST", "/documents", right)
    assert asked >= 1 and status in (400, 422)  # with a key the body is read (and is junk)


@pytest.mark.parametrize(
    "body",
    [{"owners": []}, {"owners": ["x" * 301]}, {"cooperating": ["x" * 301]},
     {"note": "x" * 4001}, {"action": "x" * 4001}, {"action": ""}, {"done_on": "2024-13-01"},
     {"owners": ["a"], "owner_kinds": ["bogus"]},
     {"review": "maybe"}, {"cooperating": ["x"] * 31}],
)  # fmt: skip
def test_every_string_field_is_limited(client: TestClient, body: dict) -> None:
    tid = client.get("/tasks").json()["data"][0]["id"]
    r = client.patch(f"/tasks/{tid}", json=body, headers={"X-API-Key": SECRET})
    assert r.status_code == 422, (body, r.text)
    assert r.json()["message"].startswith("Dữ liệu không hợp lệ")


def test_every_string_in_the_schema_has_a_limit(client: TestClient) -> None:
    """Query parameters and request bodies: every string has a maxLength (or is
    an enum, a pattern, a date or the uploaded file), and every list a maxItems."""
    schema = client.get("/openapi.json").json()
    comps = schema["components"]["schemas"]
    unbounded = []

    def walk(s: dict, where: str) -> None:  # type: ignore[type-arg]
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[1]
            walk(comps[name], name)
            return
        for alt in s.get("anyOf", []):
            walk(alt, where)
        kind = s.get("type")
        # A date is parsed strictly; a file is bounded by VNDOC_MAX_UPLOAD_BYTES.
        bounded = ({"maxLength", "enum", "pattern", "const", "contentMediaType"} & set(s)
                   or s.get("format") in ("date", "binary"))
        if kind == "string" and not bounded:
            unbounded.append(where)
        if kind == "array":
            if "maxItems" not in s:
                unbounded.append(where + "[]")
            walk(s.get("items", {}), where + "[]")
        for name, prop in s.get("properties", {}).items():
            walk(prop, f"{where}.{name}")

    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                if p["in"] == "query":  # header sizes are bounded by the HTTP server
                    walk(p["schema"], f"{method.upper()} {path} ?{p['name']}")
            body = op.get("requestBody", {}).get("content", {})
            for media in body.values():
                walk(media["schema"], f"{method.upper()} {path} body")
    assert unbounded == []


def test_task_add_validates_and_never_half_writes(client: TestClient) -> None:
    doc = client.get("/search", params={"size": 1}).json()["data"][0]["id"]
    h = {"X-API-Key": SECRET}
    for body in ({"doc_id": doc, "start": 0, "end": 10, "owners": []},
                 {"doc_id": doc, "start": 10, "end": 5, "owners": ["Sở Tài chính"]},
                 {"doc_id": "x" * 65, "start": 0, "end": 5, "owners": ["Sở Tài chính"]},
                 {"doc_id": doc, "start": 0, "end": 10**9, "owners": ["Sở Tài chính"]}):
        r = client.post("/tasks", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
    r = client.post("/tasks", json={"doc_id": "0" * 16, "start": 0, "end": 5,
                                    "owners": ["Sở Tài chính"]}, headers=h)
    assert r.status_code == 404 and r.json()["message"] == "Không tìm thấy."


def test_errors_speak_vietnamese(client: TestClient) -> None:
    r = client.get("/search", params={"q": "x" * 600})
    assert r.status_code == 413 and r.json()["message"].startswith("Từ khóa quá dài")
    r = client.get("/search", params={"size": 0})
    assert r.json()["message"] == "Dữ liệu không hợp lệ (Số kết quả mỗi trang: quá nhỏ)."
    r = client.patch("/tasks/x", json={"done": True}, headers={"X-API-Key": "nope"})
    assert r.json()["message"] == "Khóa API không hợp lệ."
    assert client.get("/documents/nope").json()["message"] == "Không tìm thấy văn bản."
    assert client.get("/no/such").json()["message"] == "Không có trang hoặc chức năng này."
