"""Issue #6, part 4: bench/loadtest.py in its short mode (10 clients, 5 s)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.loadtest import run_load
from bench.measure import pct as percentile
from tests.reliability.conftest import ROOT


def test_percentile_is_nearest_rank() -> None:
    values = [float(x) for x in range(1, 101)]
    assert percentile(values, 50) == 50 and percentile(values, 99) == 99
    assert percentile([], 50) == 0.0 and percentile([3.0], 99) == 3.0


def test_only_loopback_is_a_target() -> None:
    # In a thread of its own: an earlier test (Playwright's sync API) may have
    # left an event loop set on the main thread.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        fut = pool.submit(lambda: asyncio.run(run_load("http://10.0.0.1:8000", clients=1,
                                                        seconds=1)))
        with pytest.raises(ValueError, match="only target 127.0.0.1"):
            fut.result()


@pytest.mark.slow
def test_short_load_run_has_no_errors(tmp_path: Path) -> None:
    out = tmp_path / "load.md"
    proc = subprocess.run(
        [sys.executable, "bench/loadtest.py", "--clients", "10", "--seconds", "5",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = out.read_text("utf-8")
    m = re.search(r"10 clients for 5 s: \*\*(\d+) requests, ([\d.]+) req/s, p50 ([\d.]+) ms, "
                  r"p99 ([\d.]+) ms, (\d+) errors\*\*", report)  # fmt: skip
    assert m, report
    assert int(m[1]) > 50 and m[5] == "0"
    assert "--clients 10 --seconds 5" in report and "CPUs (" in report
    for route in ("/search", "/tasks", "/refs", "/ask"):
        assert f"| {route} |" in report
