"""A vndoc API server on 127.0.0.1 for tests and benchmarks: a free port,
waiting for /health, and stopping it. One copy for every caller."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


STARTED = "Application startup complete."  # uvicorn's line (log level info) per process


def wait_until_healthy(
    url: str, proc: subprocess.Popen[bytes], *, timeout_s: float = 60.0, log: Path | None = None,
    workers: int = 1,
) -> None:
    """Poll ``url/health`` until it answers 200; with ``workers`` > 1, also
    until ``log`` (uvicorn's, at level info) says that many processes started
    (any one of them may answer the health check).

    Raises:
        RuntimeError: the process exited first, or ``timeout_s`` passed; the
            message ends with the tail of ``log`` when given.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}{_tail(log)}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200 and (
                    workers <= 1 or started(log) >= workers):
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not answer {url}/health in {timeout_s:.0f} s"
                               f"{_tail(log)}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes], *, timeout_s: float = 15.0) -> None:
    """Terminate, then kill if it doesn't exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def started(log: Path | None) -> int:
    """How many server processes the log says have started."""
    if log is None or not log.exists():
        return 0
    return log.read_text("utf-8", "replace").count(STARTED)


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return ":\n" + log.read_text("utf-8", "replace")[-3000:]
