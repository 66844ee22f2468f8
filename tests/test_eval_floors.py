"""Extraction quality on the gold set, end to end through `vndoc eval`'s code,
held to the floors in tests/eval_floors.json (which may only go up)."""

from __future__ import annotations

from pathlib import Path

from pipeline.eval.evaluate import check_floors, load_floors
from pipeline.eval.run import run_eval

ROOT = Path(__file__).resolve().parent.parent


def test_gold_set_meets_the_floors() -> None:
    report = run_eval(ROOT / "corpus" / "gold")
    assert report.documents >= 25
    bad = check_floors(report, load_floors(ROOT / "tests" / "eval_floors.json"))
    assert not bad, "\n".join(bad) + "\n" + report.render_details()


def test_floors_cover_the_issue_targets() -> None:
    floors = load_floors(ROOT / "tests" / "eval_floors.json")
    targets = {"tasks.f1": 0.90, "owners.accuracy": 0.95, "deadline.accuracy": 0.95,
               "legal_refs.f1": 0.97, "legal_refs.pinpoint_accuracy": 0.95,
               "agencies.f1": 0.90, "doc_fields.accuracy": 0.90}
    for key, target in targets.items():
        assert floors[key] >= target, key
