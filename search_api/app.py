"""The FastAPI application: one router per resource, the web page at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from extractors.errors import (
    BackendUnavailable,
    IngestError,
    NotFound,
    PipelineError,
    QueryError,
)
from pipeline.query.resolve import warm_up
from pipeline.settings import Settings, get_settings
from pipeline.store import open_store
from search_api.deps import StoreDep
from search_api.routers import agencies, ask, documents, refs, search, tasks
from search_api.schemas import ErrorOut, HealthOut

log = logging.getLogger("vndoc.api")
VERSION = "0.1.0"


def _web(name: str) -> str:
    return resources.files("search_api.web").joinpath(name).read_text("utf-8")


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
            await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)
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
    return allowed


_DATE_PARAMS = frozenset({"date_from", "date_to", "deadline_from", "deadline_to", "today"})
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
                elif name == "size":
                    param["schema"]["maximum"] = settings.max_page_size
    app.openapi_schema = schema
    return schema


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. ``settings`` defaults to the environment (VNDOC_*)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        app.state.store = store
        try:
            store.recover()
        except PipelineError as e:  # another process is writing; it will index
            log.warning("recovery skipped: %s", e)
        warm_up()  # the rule tables, so the first request after a start isn't the slow one
        yield
        store.close()

    app = FastAPI(
        title="vndoc",
        version=VERSION,
        description="Search, task register and legal references over official Vietnamese texts.",
        lifespan=lifespan,
    )
    app.dependency_overrides[get_settings] = lambda: settings
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    # The upload limit plus room for the multipart envelope.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + 64 * 1024)
    if origins:  # CORS is off unless configured
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"])

    @app.exception_handler(PipelineError)
    async def pipeline_error(request: Request, exc: PipelineError) -> JSONResponse:
        status = 500
        if isinstance(exc, NotFound):
            status = 404
        elif isinstance(exc, IngestError | QueryError):
            status = 422
        elif isinstance(exc, BackendUnavailable):
            status = 503
        return JSONResponse({"detail": str(exc)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        msgs = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return JSONResponse({"detail": msgs}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Keep the exception's headers ("WWW-Authenticate"); a 405 lists every method
        # the path allows, across routes (GET and PATCH /tasks/{id} are two routes).
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(app, request.scope))
        return JSONResponse(
            {"detail": str(exc.detail)}, status_code=exc.status_code, headers=headers or None
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)

    for r in (search.router, documents.router, tasks.router, refs.router, agencies.router,
              ask.router):
        app.include_router(r)
    app.openapi = lambda: _openapi(app, settings)  # type: ignore[method-assign]

    @app.get("/health", response_model=HealthOut, tags=["health"])
    def health(store: StoreDep) -> HealthOut:
        return HealthOut(status="ok", documents=store.count(), store=settings.store,
                         version=VERSION)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(_web("index.html"))

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        types = {"app.js": "text/javascript", "ask.js": "text/javascript", "app.css": "text/css",
                 "ask.css": "text/css"}
        if name not in types:
            return JSONResponse({"detail": "not found"}, status_code=404)
        return Response(_web(name), media_type=f"{types[name]}; charset=utf-8")

    return app
