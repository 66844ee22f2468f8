"""Extraction quality on the gold set, end to end through `vndoc eval`'s code.

Two sets of floors (which may only go up): the whole tuning gold
(corpus/gold and the originals of corpus/pdf, tests/eval_floors.json), and
the 75 files the earlier floors were set on (tests/eval_core.txt,
tests/eval_floors_core.json), so that what was right on them stays right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.eval.evaluate import (
    DocEval,
    aggregate,
    check_floors,
    evaluate_document,
    find_gold_pairs,
    load_floors,
)
from pipeline.ingest.run import process_file

ROOT = Path(__file__).resolve().parent.parent
GOLD = [ROOT / "corpus" / "gold", ROOT / "corpus" / "pdf" / "gold"]
CORE = set((ROOT / "tests" / "eval_core.txt").read_text("utf-8").split())


@pytest.fixture(scope="module")
def scored() -> list[tuple[Path, DocEval]]:
    out = []
    for gold_dir in GOLD:
        for gold_path, doc_path in find_gold_pairs(gold_dir):
            gold = json.loads(gold_path.read_text("utf-8"))
            predicted = process_file(doc_path).to_json()
            out.append((gold_path, evaluate_document(gold, predicted, name=gold_path.stem)))
    return out


def test_the_whole_gold_meets_its_floors(scored: list[tuple[Path, DocEval]]) -> None:
    report = aggregate(e for _p, e in scored)
    assert report.documents >= 210
    bad = check_floors(report, load_floors(ROOT / "tests" / "eval_floors.json"))
    assert not bad, "\n".join(bad) + "\n" + report.render_details()


def test_the_earlier_gold_files_keep_their_floors(scored: list[tuple[Path, DocEval]]) -> None:
    core = [e for p, e in scored if p.parent == GOLD[0] and p.name in CORE]
    assert len(core) == len(CORE) == 75  # every listed file still exists
    report = aggregate(core)
    bad = check_floors(report, load_floors(ROOT / "tests" / "eval_floors_core.json"))
    assert not bad, "\n".join(bad) + "\n" + report.render_details()


def test_floors_cover_the_issue_targets() -> None:
    floors = load_floors(ROOT / "tests" / "eval_floors_core.json")
    targets = {"tasks.f1": 0.90, "owners.accuracy": 0.95, "deadline.accuracy": 0.95,
               "legal_refs.f1": 0.97, "legal_refs.pinpoint_accuracy": 0.95,
               "agencies.f1": 0.90, "doc_fields.accuracy": 0.90}  # fmt: skip
    for key, target in targets.items():
        assert floors[key] >= target, key
