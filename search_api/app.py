"""The FastAPI application: one router per resource, the web page at /."""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from extractors.errors import PipelineError
from pipeline.ingest.errors import (
    EmptyDocument,
    EncodingError,
    FileTooLarge,
    IngestError,
    LoaderTimeout,
    OcrUnavailable,
    UnreadableDocx,
    UnreadablePdf,
    UnsupportedFormat,
)
from pipeline.query.resolve import warm_up
from pipeline.settings import Settings, get_settings
from pipeline.store import open_store
from pipeline.store.errors import BackendUnavailable, NotFound, QueryError
from search_api.answer_cache import AnswerCache
from search_api.deps import KEY_HEADER, ApiError, StoreDep, identify
from search_api.routers import agencies, ask, documents, refs, review, search, tasks
from search_api.schemas import ErrorOut, HealthOut

log = logging.getLogger("vndoc.api")
VERSION = "0.1.0"


def _web(name: str) -> str:
    return resources.files("search_api.web").joinpath(name).read_text("utf-8")


_STATIC_NAME = re.compile(r"^(?:vendor/)?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(js|css)$")
_STATIC_TYPES = {"js": "text/javascript", "css": "text/css"}


@lru_cache(maxsize=64)
def _static(name: str) -> bytes | None:
    """A file of search_api/web (or web/vendor) by a plain name; None if there is none."""
    if not _STATIC_NAME.match(name):
        return None
    path = resources.files("search_api.web")
    for part in name.split("/"):
        path = path.joinpath(part)
    return path.read_bytes() if path.is_file() else None


# The page runs under a strict policy: every script and style from this server,
# no inline code, no eval (Alpine's CSP build), nothing fetched from elsewhere.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets inline styles.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """Security headers on every response; the page's Content-Security-Policy on HTML."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"content-security-policy"]
                ctype = dict(headers).get(b"content-type", b"")
                csp = API_CSP
                if ctype.startswith(b"text/html"):
                    csp = DOCS_CSP if path == "/docs" else PAGE_CSP
                headers += [*_SECURITY_HEADERS, (b"content-security-policy", csp.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """HEAD wherever GET is answered: the GET response's headers, no body."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def no_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


class AuthFirst:
    """Writes (POST, PUT, PATCH, DELETE) without a valid API key are refused
    (401/403) from the headers alone, before a byte of the body is read."""

    def __init__(self, app: Any, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        key = None
        for name, value in scope.get("headers", []):
            if name.lower() == KEY_HEADER.lower().encode():
                key = value.decode("latin-1")
        try:
            identify(self.settings, key)
        except ApiError as e:
            body = {"detail": e.detail, "message": e.message}
            await JSONResponse(body, status_code=e.status_code,
                               headers=e.headers)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413, before they are parsed.

    Starlette spools a whole multipart upload before the route can look at its
    size; this stops it at the Content-Length header, or, for a chunked body,
    as soon as the bytes received pass the limit.
    """

    def __init__(self, app: Any, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        detail = f"request body larger than {self.max_bytes} bytes"
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            body = {"detail": detail, "message": vi_message(413, detail)}
            await JSONResponse(body, status_code=413)(scope, receive, send)
            return
        received = 0

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise StarletteHTTPException(413, detail)  # FastAPI re-raises these
            return message

        await self.app(scope, limited, send)


def _allowed_methods(app: FastAPI, scope: Any) -> list[str]:
    """The methods some route answers on this path (for a 405's Allow header)."""
    allowed = []
    for method in ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"):
        probe = {**scope, "method": method}
        if any(route.matches(probe)[0] == Match.FULL for route in app.router.routes):
            allowed.append(method)
        elif method == "HEAD" and "GET" in allowed:  # HeadAsGet answers it
            allowed.append(method)
    return allowed


_DATE_PARAMS = frozenset({
    "date_from", "date_to", "deadline_from", "deadline_to", "issued_from", "issued_to", "today",
})
_TEXT_PARAMS = frozenset({"q", "owner"})


def _string_branch(schema: dict[str, Any]) -> dict[str, Any] | None:
    if schema.get("type") == "string":
        return schema
    for alt in schema.get("anyOf", []):
        if alt.get("type") == "string":
            return alt  # type: ignore[no-any-return]
    return None


def _openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The OpenAPI schema, saying what the API really does.

    * Every 422 (and every error) is ``{"detail": "..."}`` (ErrorOut), not
      FastAPI's list of validation errors; routes with a body document 400.
    * The configured limits are in the schema: ``maxLength`` of the text
      parameters, ``maximum`` page size; date parameters have ``format: date``.
    """
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components.setdefault(
        "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for item in schema.get("paths", {}).values():
        for op in item.values():
            responses = op.get("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Invalid input", "content": error_ref}
            if "requestBody" in op:  # a body that can't be parsed at all (not UTF-8)
                responses.setdefault(
                    "400", {"description": "Malformed request body", "content": error_ref}
                )
            for param in op.get("parameters", []):
                branch = _string_branch(param.get("schema", {}))
                name = param.get("name")
                if param.get("in") != "query":
                    continue
                if branch is not None and name in _DATE_PARAMS:
                    branch["format"] = "date"
                elif branch is not None and name in _TEXT_PARAMS:
                    branch["maxLength"] = settings.max_query_chars
                elif name == "size":  # where the route sets no bound of its own
                    param["schema"].setdefault("maximum", settings.max_page_size)
    app.openapi_schema = schema
    return schema


# Staff see errors in Vietnamese: each error body has "message" beside "detail".
_STATUS_VI = {
    400: "Yêu cầu không đọc được: dữ liệu gửi lên sai định dạng.",
    401: "Cần khóa API để thực hiện thao tác này. Khóa do quản trị viên cấp.",
    403: "Khóa API không hợp lệ hoặc không đủ quyền.",
    404: "Không tìm thấy.",
    405: "Thao tác này không được hỗ trợ ở đây.",
    413: "Nội dung gửi lên quá lớn.",
    415: "Định dạng tệp không được hỗ trợ.",
    422: "Dữ liệu không hợp lệ.",
    429: "Quá nhiều yêu cầu; xin thử lại sau ít phút.",
    500: "Lỗi máy chủ; xin thử lại, hoặc báo quản trị viên nếu lỗi lặp lại.",
    503: "Kho dữ liệu tạm thời không truy cập được; xin thử lại sau.",
}
_FIELD_VI = {
    "q": "Từ khóa", "owner": "Đơn vị", "size": "Số kết quả mỗi trang", "page": "Trang",
    "year": "Năm", "issuer": "Cơ quan ban hành", "doc_type": "Loại văn bản",
    "province": "Tỉnh, thành phố", "owners": "Đơn vị chủ trì", "owner_kinds": "Loại đơn vị",
    "cooperating": "Đơn vị phối hợp", "deadline": "Thời hạn", "done_on": "Ngày hoàn thành",
    "note": "Kết quả / ghi chú", "action": "Nội dung nhiệm vụ", "done": "Hoàn thành",
    "review": "Rà soát", "start": "Đoạn chọn", "end": "Đoạn chọn", "doc_id": "Văn bản",
    "task_id": "Nhiệm vụ", "status": "Trạng thái", "role": "Vai trò", "sort": "Sắp xếp",
    "order": "Thứ tự", "file": "Tệp", "limit": "Số lượng", "today": "Tính đến ngày",
    "due_within": "Số ngày sắp đến hạn", "format": "Định dạng", "x-api-key": "Khóa API",
}
_REASON_VI = {
    "missing": "còn thiếu", "string_too_short": "quá ngắn", "string_too_long": "quá dài",
    "too_short": "quá ít mục", "too_long": "quá nhiều mục", "greater_than_equal": "quá nhỏ",
    "greater_than": "quá nhỏ", "less_than_equal": "quá lớn", "less_than": "quá lớn",
    "literal_error": "không thuộc các giá trị cho phép", "bool_type": "phải là đúng/sai",
    "int_parsing": "phải là số nguyên", "string_pattern_mismatch": "sai định dạng",
    "extra_forbidden": "không được phép", "json_invalid": "không phải JSON hợp lệ",
    "list_type": "phải là một danh sách", "string_type": "phải là chữ",
    "value_error": "không hợp lệ",
}
_INGEST_VI: tuple[tuple[type[IngestError], str], ...] = (
    (UnsupportedFormat, "định dạng không được hỗ trợ"),
    (UnreadablePdf, "tệp PDF hỏng, có mật khẩu hoặc không có lớp chữ"),
    (UnreadableDocx, "tệp DOCX hỏng hoặc không phải DOCX"),
    (EmptyDocument, "tệp không có nội dung chữ"),
    (FileTooLarge, "tệp quá lớn"),
    (LoaderTimeout, "đọc tệp quá lâu, đã dừng"),
    (EncodingError, "không nhận ra bảng mã chữ của tệp"),
    (OcrUnavailable, "máy chủ chưa cài nhận dạng chữ (OCR) cho tệp quét"),
)


def vi_message(status: int, detail: str = "") -> str:
    """The Vietnamese message for an error with no message of its own."""
    if status == 413 and "too long" in detail:
        return "Nội dung nhập quá dài."
    if status == 404 and detail == "Not Found":
        return "Không có trang hoặc chức năng này."
    return _STATUS_VI.get(status, f"Lỗi {status}.")


def _validation_vi(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path", "header")]
        field = next((_FIELD_VI[x.lower()] for x in reversed(loc) if x.lower() in _FIELD_VI),
                     loc[-1] if loc else "dữ liệu")
        reason = _REASON_VI.get(str(e.get("type", "")), "không hợp lệ")
        parts.append(f"{field}: {reason}")
    return "Dữ liệu không hợp lệ (" + "; ".join(dict.fromkeys(parts)) + ")."


def _pipeline_vi(exc: PipelineError) -> str:
    if isinstance(exc, IngestError):
        name = exc.path.removeprefix("upload:")
        reason = next((r for cls, r in _INGEST_VI if isinstance(exc, cls)), "tệp không đọc được")
        return f"Không đọc được tệp “{name}”: {reason}."
    if isinstance(exc, NotFound):
        return "Không tìm thấy."
    if isinstance(exc, QueryError):
        return "Yêu cầu không hợp lệ: " + exc.message
    if isinstance(exc, BackendUnavailable):
        return _STATUS_VI[503]
    return _STATUS_VI[500]


def _docs_html() -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        "<title>vndoc API</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head><body>'
        '<div id="swagger-ui"></div>'
        '<script src="/static/vendor/swagger-ui-bundle.js"></script>'
        '<script src="/static/docs.js"></script></body></html>'
    )


class Healer:
    """Applies the index work a crashed ingest left, and refills an index
    found empty while the record holds documents (the store's ``recover``),
    one :meth:`step` at a time; ``run`` steps every ``interval_s`` until
    ``stop``, and never stops the server.

    Index work still waiting a whole step later was left by a crash; work just
    committed belongs to an ingest that is running, which indexes it itself
    within its batch. Taking that over would do the ingest's indexing in the
    server's processes, on the cores and the GIL the requests need.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        # a backend without pending index work of its own recovers every step
        self._pending_ops = getattr(store, "pending_ops", None)
        self._seen: frozenset[tuple[str, str]] = frozenset()

    def step(self) -> int:
        """One pass: the number of documents indexed."""
        try:
            waiting = self._pending_ops() if self._pending_ops is not None else None
            stale = waiting is None or not waiting or bool(waiting & self._seen)
            self._seen = waiting or frozenset()
            n = int(self.store.recover()) if stale else 0
            if n:
                log.info("indexed %d pending documents", n)
            return n
        except PipelineError as e:  # another process is writing; it will index
            log.warning("recovery skipped: %s", e)
        except Exception:  # noqa: BLE001 - the next pass tries again
            log.exception("recovery failed")
        return 0

    def run(self, stop: threading.Event, interval_s: float) -> None:
        while True:
            self.step()
            if stop.wait(interval_s):
                return


def _answer_stamp(app: FastAPI) -> Any:
    """The store's stamp for the answer cache (None: a backend without one, or
    no store open yet)."""
    store = getattr(app.state, "store", None)
    stamp = getattr(store, "answer_stamp", None)
    return stamp() if stamp is not None else None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. ``settings`` defaults to the environment (VNDOC_*).

    Refuses (:class:`~pipeline.settings.SettingsError`) an empty or placeholder
    secret where it guards writes: an API key, the Elasticsearch password.
    """
    settings = settings or get_settings()
    settings.check_secrets()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        app.state.store = store
        stop = threading.Event()
        healer = threading.Thread(target=Healer(store).run,
                                  args=(stop, settings.heal_interval_s),
                                  name="vndoc-heal", daemon=True)
        healer.start()
        # The rule tables and the agency names, so the first request after a
        # start isn't the slow one.
        warm_up(store)
        # What start-up loaded lives as long as the server: out of the garbage
        # collector's full passes, which walked all of it (~100 ms at 100k
        # documents, a few times a minute under load: the p99 of every route).
        gc.freeze()
        yield
        stop.set()
        healer.join(timeout=60)
        store.close()

    app = FastAPI(
        title="vndoc",
        version=VERSION,
        description=(
            "Search, task register, staff review and legal references over official "
            "Vietnamese texts. Writes need a key in X-API-Key (VNDOC_API_KEYS, "
            '"name:key[:role]"): a reviewer uploads, confirms, edits, adds and rejects; '
            "an admin also deletes and restores documents."
        ),
        lifespan=lifespan,
        docs_url=None,  # served below from local assets
        redoc_url=None,
    )
    # Never redirect "/tasks/" to "/tasks": the redirect would be built from the Host header.
    app.router.redirect_slashes = False
    app.state.settings = settings  # what SettingsDep reads
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    # Innermost: a remembered answer is sent with every outer middleware's headers.
    app.add_middleware(AnswerCache, stamp=lambda: _answer_stamp(app),
                       max_bytes=int(settings.answer_cache_mb * (1 << 20)))
    # The upload limit plus room for the multipart envelope.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + 64 * 1024)
    app.add_middleware(AuthFirst, settings=settings)
    if origins:  # CORS is off unless configured
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"])
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(PipelineError)
    async def pipeline_error(request: Request, exc: PipelineError) -> JSONResponse:
        status = 500
        if isinstance(exc, NotFound):
            status = 404
        elif isinstance(exc, IngestError | QueryError):
            status = 422
        elif isinstance(exc, BackendUnavailable):
            status = 503
        return JSONResponse({"detail": str(exc), "message": _pipeline_vi(exc)},
                            status_code=status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        msgs = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return JSONResponse({"detail": msgs, "message": _validation_vi(list(exc.errors()))},
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Keep the exception's headers ("WWW-Authenticate"); a 405 lists every method
        # the path allows, across routes (GET and PATCH /tasks/{id} are two routes).
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(app, request.scope))
        message = getattr(exc, "message", None) or vi_message(exc.status_code, str(exc.detail))
        return JSONResponse(
            {"detail": str(exc.detail), "message": message}, status_code=exc.status_code,
            headers=headers or None,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": "internal error; see the server log",
                             "message": _STATUS_VI[500]}, status_code=500)

    for r in (search.router, documents.router, tasks.router, refs.router, agencies.router,
              ask.router, review.router):
        app.include_router(r)
    app.openapi = lambda: _openapi(app, settings)  # type: ignore[method-assign]

    @app.get("/health", response_model=HealthOut, tags=["health"])
    def health(store: StoreDep) -> HealthOut:
        """"ok", or "degraded" (with the counts and what to do) when the record
        and the search index disagree beyond the index work still pending."""
        check = getattr(store, "health", None)
        if check is None:  # a backend without the check (ElasticStore before it has one)
            return HealthOut(status="ok", documents=store.count(), store=settings.store,
                             version=VERSION)
        h = check()
        return HealthOut(status=h.status, documents=h.documents, store=settings.store,
                         version=VERSION, indexed=h.indexed, pending=h.pending,
                         detail=h.detail)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(_web("index.html"))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_html())

    @app.get("/static/{name:path}", include_in_schema=False)
    def static(name: str) -> Response:
        body = _static(name)
        if body is None:
            return JSONResponse({"detail": "not found", "message": vi_message(404)},
                                status_code=404)
        kind = _STATIC_TYPES[name.rsplit(".", 1)[1]]
        cache = "public, max-age=86400" if name.startswith("vendor/") else "no-cache"
        return Response(body, media_type=f"{kind}; charset=utf-8",
                        headers={"Cache-Control": cache})

    return app
