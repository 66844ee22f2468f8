"""scripts/train_task_filter.py: the shipped task filter is what the script makes of
today's corpus and rules, its labels are the evaluator's, and it measurably helps on
the blocks it was not trained on (cross-validation)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.eval.evaluate import task_labels
from tests.conftest import ROOT, load_script


@pytest.fixture(scope="module")
def trainer():  # noqa: ANN201 - a module of scripts/
    return load_script("train_task_filter")


@pytest.fixture(scope="module")
def data(trainer):  # noqa: ANN001, ANN201
    return trainer.collect([ROOT / "corpus/gold", ROOT / "corpus/pdf/gold"])


def test_labels_are_the_evaluators_matching() -> None:
    gold = {
        "tasks": [
            {"evidence": "Sở Y tế báo cáo.", "owners": []},
            {"evidence": "Sở Xây dựng họp.", "owners": [], "optional": True},
        ]
    }
    text = "Sở Y tế báo cáo. Sở Xây dựng họp. Trời mưa to."
    spans = [(0, 16), (17, 33), (34, 46)]
    pred = {"text": text, "tasks": [{"start": a, "end": b} for a, b in spans]}
    assert task_labels(gold, pred) == [True, None, False]
    assert task_labels({**gold, "tasks_exhaustive": False}, pred) == [True, None, None]


def test_the_shipped_model_is_what_the_script_makes_of_the_corpus(trainer, data) -> None:  # noqa: ANN001
    """Rules or gold changed without retraining: the committed weights no longer decide
    like a model fitted now (run ``python scripts/train_task_filter.py``)."""
    committed = json.loads((ROOT / "extractors/data/task_filter.json").read_text("utf-8"))
    threshold, report = trainer.cross_validate(data)
    fresh = trainer.train(data, threshold)
    assert threshold == committed["threshold"]
    assert trainer.agreement(committed, fresh, data) >= 0.98
    # on each block it never saw, the filter removes more spurious candidates than tasks
    chosen = report["by_threshold"][str(threshold)]
    assert chosen["dropped_spurious"] >= 4 * chosen["dropped_tasks"] > 0
    assert chosen["f1"] > report["without_filter"]["f1"]


def test_fitting_separates_what_it_is_shown(trainer) -> None:  # noqa: ANN001
    x = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    y = np.array([1, 1, 0, 0], dtype=float)
    w, b = trainer.fit(x, y)
    p = 1 / (1 + np.exp(-(x @ w + b)))
    assert p[0] > 0.6 > 0.4 > p[2]


def test_news_candidates_are_left_out_of_training(data) -> None:  # noqa: ANN001
    assert data.news_tasks + data.news_spurious > 0
    assert not any("kind=news" in row for row in data.rows)
    assert Path(ROOT / "scripts/train_task_filter.py").is_file()
