"""bench/rewrite.py: a store written again by this code holds the same
documents, and its size is recorded as a step of bench/results/full.json's
payload (what BENCHMARKS.md's "Store size" table is rendered from)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.full import store_size
from bench.report import render
from bench.rewrite import record, rewrite
from pipeline.store.base import TaskQuery
from pipeline.store.local import LocalStore


def test_a_rewritten_store_reads_back_the_same(tmp_path: Path, sample_docs) -> None:  # type: ignore[no-untyped-def]
    src, dst = tmp_path / "src", tmp_path / "dst"
    with LocalStore(src) as store:
        store.put_many(sample_docs)
        before = {d.id: store.get(d.id).data for d in sample_docs}  # type: ignore[union-attr]
        tasks = store.tasks(TaskQuery(limit=100))
    out = rewrite(src, dst, batch=1)
    assert out["docs"] == len(sample_docs)
    with LocalStore(dst) as store:
        assert {i: store.get(i).data for i in before} == before  # type: ignore[union-attr]
        assert store.tasks(TaskQuery(limit=100)) == tasks


def test_a_size_is_recorded_as_a_step_and_rendered(tmp_path: Path, sample_docs) -> None:  # type: ignore[no-untyped-def]
    with LocalStore(tmp_path / "data") as store:
        store.put_many(sample_docs)
    payload = tmp_path / "full.json"
    payload.write_text(json.dumps({"machine": {"cpu": "x"}, "steps": [], "failures": []}))
    result = store_size(tmp_path / "data", len(sample_docs), 1000)
    for _ in range(2):  # the same name again replaces the step
        record("store size 3 docs, after", "python -m bench.rewrite a b", result, path=payload)
    steps = json.loads(payload.read_text())["steps"]
    assert [s["name"] for s in steps] == ["store size 3 docs, after"]
    assert steps[0]["group"] == "size" and steps[0]["result"] == result
    assert steps[0]["reused"]["git_rev"]
    page = render(json.loads(payload.read_text()))
    assert f"| {result['mb_per_1k_docs']} |" in page and "python -m bench.rewrite a b" in page
