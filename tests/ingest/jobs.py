"""Jobs for the worker-pool tests: module-level, so a worker process can import them."""

from __future__ import annotations

import os
import time

from pipeline.ingest.errors import UnreadableDocx


def spin(seconds: float) -> int:
    """Burn CPU (no sleep: a stuck parser does not sleep)."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return os.getpid()


def pid() -> int:
    return os.getpid()


def hog(mb: int) -> int:
    """Allocate and touch ``mb`` megabytes."""
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def broken_docx(source: str) -> None:
    raise UnreadableDocx(source, "boom")


def bug() -> None:
    raise KeyError("not a PipelineError")


def abort() -> None:
    os.abort()  # a C reader dying on a failed allocation


def echo(value: object) -> object:
    return value
