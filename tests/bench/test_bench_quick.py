"""The benchmark harness works: a tiny quick run, checked for correctness only.

Timings are never asserted (CI machines vary); what is checked is that every
generated document is ingested and stored, queries answer, and the figures
are there and positive.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import generate

ROOT = Path(__file__).resolve().parents[2]


def test_generator_is_deterministic_and_unique(tmp_path: Path) -> None:
    a = generate.generate(30, tmp_path / "a")
    b = generate.generate(30, tmp_path / "b")
    assert a["sizes"] == b["sizes"]
    texts = [generate.doc_path(tmp_path / "a", i).read_text("utf-8") for i in range(30)]
    assert texts == [generate.doc_path(tmp_path / "b", i).read_text("utf-8") for i in range(30)]
    assert len(set(texts)) == 30  # every document is a different document
    # A document's number is unique in its year (issue years cycle over 2015-2026).
    numbers = [(t.split("Số: ", 1)[1].split("\n", 1)[0], t.split(" năm ", 1)[1][:4])
               for t in texts if "Số: " in t]
    assert len(numbers) == len(set(numbers))
    assert len({y for _n, y in numbers}) == 12
    assert all(s > 200 for s in a["sizes"])
    # a prefix of a bigger corpus is the smaller corpus
    assert generate.make_document(7) == texts[7]


def test_store_rows_hash_tells_two_writes_apart(tmp_path: Path) -> None:
    from bench.store_rows import store_hashes

    generate.generate(4, tmp_path)
    files = sorted((tmp_path / "shard_000").glob("*.txt"))
    first = store_hashes(files)
    assert store_hashes(files) == first  # the time of writing is left out
    assert store_hashes(files[:3])[0] != first[0]


@pytest.mark.slow
def test_quick_bench_runs_and_checks_correctness(tmp_path: Path) -> None:
    out = tmp_path / "results"
    cmd = [sys.executable, "-m", "bench.run", "--quick", "--size", "50", "--reps", "1",
           "--gold-limit", "3", "--out", str(out), "--work", str(tmp_path / "work"),
           "--load-seconds", "2"]
    has_baseline = importlib.util.find_spec("underthesea") is not None
    if not has_baseline:
        cmd.append("--no-baseline")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads((out / "quick.json").read_text("utf-8"))
    assert data["failures"] == []
    steps = {s["name"]: s["result"] for s in data["steps"]}
    for w in ("1 worker", "2 workers"):
        ing = steps[f"ingest 50 docs, {w}"]
        assert ing["docs"] == 50 and "50 added" in ing["summary"]
        assert ing["docs_per_s"] > 0 and ing["mb_per_s"] > 0
        assert ing["store_mb"] > 0 and ing["peak_rss_mb"] > 0
    prof = steps["stage profile"]
    assert prof["extract_docs_per_s"] > 0
    assert all(v >= 0 for v in prof["stages_ms_per_doc"].values())
    for where in ("in-process", "HTTP"):
        lat = steps[f"latency {where} 50 docs"]
        assert lat["calls"] > 0 and lat["p50_ms"] > 0 and lat["p99_ms"] >= lat["p50_ms"]
    assert steps["latency HTTP 50 docs"]["server_peak_rss_mb"] > 0
    if has_baseline:
        assert steps["baseline speed"]["docs_per_s"] > 0
        scores = steps["quality on corpus/gold"]["scores"]
        assert scores["vndoc"]["legal_refs.f1"] > 0
        assert "baseline (tasks=org)" in scores
    load = steps["load test 50 docs"]
    assert load["exit_code"] == 0 and load["errors"] == [0, 0]  # without, during an ingest
    md = (out / "quick.md").read_text("utf-8")
    assert "## Ingest throughput" in md and "## Search latency" in md
    lines = md.splitlines()
    assert "## Load test (50 docs)" in lines and "### During an ingest" in lines  # demoted
    assert "## During an ingest" not in lines and "| /tasks |" in md


@pytest.mark.parametrize("bad", ["0", "1000"])
def test_quick_size_is_bounded(bad: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--size", bad, "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--size" in proc.stderr


def test_extraction_speed_reports_its_figures() -> None:
    from bench import extraction

    texts = extraction.corpus_texts()[:3]
    r = extraction.speed(texts, rounds=1)
    assert r["docs"] == 3 and r["mb"] > 0 and r["mb_per_cpu_s"] > 0 and len(r["loadavg"]) == 3
    stages = extraction.stages(texts)
    assert set(stages) == {*extraction.STAGES, "(rest of extract)"}
