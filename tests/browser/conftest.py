"""Headless Chromium against a real uvicorn server over the hand-built sample docs.

Uses Debian's Chromium (/usr/bin/chromium, apt package ``chromium``) through
Playwright; Playwright's own browser download is never used. Without Chromium,
or when Playwright cannot start it, every test here is skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from bench.server import free_port, stop, wait_until_healthy
from extractors.model import ExtractedDocument

ROOT = Path(__file__).resolve().parents[2]
# Debian's package "chromium"; another binary can be named for a one-off run.
CHROMIUM = Path(os.environ.get("VNDOC_TEST_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
API_KEY = "test-key"
API_USER = "lan"
ADMIN_KEY = "admin-key"
ADMIN_USER = "an"
# Screenshots are kept as test artefacts (every page the tests look at, at 1366
# and 390 px): test-artifacts/screenshots/ in the repository, or $VNDOC_SHOTS.
SHOTS = Path(os.environ.get("VNDOC_SHOTS", ROOT / "test-artifacts" / "screenshots"))
WIDTHS = (1366, 390)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip (never silently pass) when the browser is not there."""
    reason = None
    if not CHROMIUM.exists():
        reason = (f"{CHROMIUM} not found: install Debian's Chromium "
                  "(apt-get install -y chromium, or `make browser`)")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed (pip install -e '.[dev]')"
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


def sample_documents() -> list[ExtractedDocument]:
    """The three hand-built documents of tests/conftest.py's ``sample_docs``."""
    from tests import conftest

    fixture = conftest.sample_docs
    build = getattr(fixture, "__wrapped__", None) or fixture._get_wrapped_function()
    return list(build())


@dataclass
class Server:
    url: str
    docs: list[ExtractedDocument]
    data_dir: Path
    proc: subprocess.Popen[bytes]

    def get(self, path: str, **params: Any) -> Any:
        r = httpx.get(self.url + path, params=params, timeout=10)
        r.raise_for_status()
        return r.json()


@contextmanager
def run_server(data_dir: Path, extra: tuple[ExtractedDocument, ...] = ()) -> Iterator[Server]:
    """Write the sample docs (and ``extra``) into a LocalStore at ``data_dir`` and serve it."""
    from pipeline.store.local import LocalStore

    docs = sample_documents() + list(extra)
    with LocalStore(data_dir) as s:
        s.put_many(docs)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env.update(VNDOC_DATA_DIR=str(data_dir),
               VNDOC_API_KEYS=f"{API_USER}:{API_KEY},{ADMIN_USER}:{ADMIN_KEY}:admin")
    log = (data_dir.parent / f"uvicorn-{port}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=data_dir.parent,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_healthy(url, proc, timeout_s=60, log=Path(log.name))
        except RuntimeError as e:
            pytest.fail(f"uvicorn did not come up: {e}")
        yield Server(url=url, docs=docs, data_dir=data_dir, proc=proc)
    finally:
        stop(proc, timeout_s=10)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A read-mostly server shared by the session; tests that write use ``fresh_server``."""
    with run_server(tmp_path_factory.mktemp("web") / "data") as s:
        yield s


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    with run_server(tmp_path / "data") as s:
        yield s


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS,
                                  headless=True)
        except Error as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
            pytest.skip(f"Playwright could not launch {CHROMIUM}: {first}")
        yield b
        b.close()


@dataclass
class Traffic:
    """Every request the page made, and every uncaught script error."""

    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign(self, base: str) -> list[str]:
        host = urlsplit(base).hostname
        return [u for u in self.requests
                if not u.startswith(("data:", "blob:")) and urlsplit(u).hostname != host]


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def make_page(browser: Any, traffic: Traffic, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Open a page on a server; on teardown, check it never left 127.0.0.1 and threw nothing."""
    contexts: list[Any] = []
    bases: list[str] = []

    def open_page(srv: Server, hash_: str = "#/", *, width: int = 1366) -> Any:
        # en-US: dates must read dd/mm/yyyy whatever the browser's own locale.
        ctx = browser.new_context(accept_downloads=True, locale="en-US",
                                  viewport={"width": width, "height": 900})
        contexts.append(ctx)
        bases.append(srv.url)
        # Anything not local is recorded and refused, so a stray CDN link can't hang a test.
        ctx.route(lambda url: urlsplit(url).hostname != "127.0.0.1",
                  lambda route: route.abort())
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.on("request", lambda req: traffic.requests.append(req.url))
        page.on("pageerror", lambda err: traffic.page_errors.append(str(err)))
        page.goto(srv.url + "/" + hash_)
        page.wait_for_selector("body[data-ready]", state="attached")  # the page's script is up
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()
    for base in bases:
        assert not traffic.foreign(base), f"the page fetched from outside: {traffic.foreign(base)}"
    assert not traffic.page_errors, f"uncaught errors in the page: {traffic.page_errors}"


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as an artefact, named with the viewport width,
    and check the page does not scroll sideways at that width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = SHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name} is {scroll} px wide at {width} px"
    return path
