"""The FastAPI application: one router per resource, the web page at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from extractors.errors import (
    BackendUnavailable,
    IngestError,
    NotFound,
    PipelineError,
    QueryError,
)
from pipeline.settings import Settings, get_settings
from pipeline.store import open_store
from search_api.deps import StoreDep
from search_api.routers import agencies, ask, documents, refs, search, tasks
from search_api.schemas import HealthOut

log = logging.getLogger("vndoc.api")
VERSION = "0.1.0"


def _web(name: str) -> str:
    return resources.files("search_api.web").joinpath(name).read_text("utf-8")


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
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)

    for r in (search.router, documents.router, tasks.router, refs.router, agencies.router,
              ask.router):
        app.include_router(r)

    @app.get("/health", response_model=HealthOut, tags=["health"])
    def health(store: StoreDep) -> HealthOut:
        return HealthOut(status="ok", documents=store.count(), store=settings.store,
                         version=VERSION)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(_web("index.html"))

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        types = {"app.js": "text/javascript", "app.css": "text/css"}
        if name not in types:
            return JSONResponse({"detail": "not found"}, status_code=404)
        return Response(_web(name), media_type=f"{types[name]}; charset=utf-8")

    return app
