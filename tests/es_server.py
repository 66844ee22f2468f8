"""The Elasticsearch the tests talk to: a real cluster or a private noida-db.

* a real cluster when ``VNDOC_ES_URL`` is set (with ``VNDOC_ES_API_KEY`` or
  ``VNDOC_ES_USERNAME``/``VNDOC_ES_PASSWORD``, ``VNDOC_ES_CA_CERTS``);
* otherwise the noida-db emulator (PyPI ``noida-db==0.2.3``): its binary,
  found inside the installed package, is started directly on 127.0.0.1 with
  a free port, in its own process group, once per session, and stopped by
  that group when the session ends.

If neither is available, the Elasticsearch tests are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.server import free_port

_WHERE: list[str] = []  # where the ElasticStore tests ran, for the summary line


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


@pytest.fixture(scope="session")
def es_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Where ElasticStore tests connect: a real cluster or a private noida-db."""
    url = os.environ.get("VNDOC_ES_URL")
    if url:
        _WHERE.append(f"VNDOC_ES_URL={url}")
        yield {"url": url}
        return
    binary = _noida_binary()
    if binary is None:
        pytest.skip(
            "ElasticStore not tested: noida-db is not installed "
            "(pip install noida-db==0.2.3) and VNDOC_ES_URL is not set"
        )
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
        pytest.skip(f"ElasticStore not tested: can't run noida-db ({binary}): {e}")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            tail = log.read_text(errors="replace")[-800:]
            pytest.skip(
                f"ElasticStore not tested: noida-db did not answer on {url} "
                f"(exit code {proc.returncode}); its output: {tail!r}"
            )
        time.sleep(0.1)
    _WHERE.append(f"the noida-db emulator at {url}")
    try:
        yield {"url": url}
    finally:
        _stop(proc)


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


