"""Fit the task filter (extractors/task_filter.py) on the hand-annotated corpus.

Every gold document is extracted with the filter off (every candidate the rules
read); the evaluator's own matching labels each candidate: a required gold task
(a task), spurious (not one), or neither (an optional gold task, a gold file that
does not list every task; left out). A logistic model over
:func:`extractors.task_filter.features` is fitted by gradient descent (numpy),
and its threshold chosen by cross-validation that leaves out one block of 100
document numbers at a time (each held-out set was folded in as one block, so a
block's figures are what the filter does on a set it was not trained on): the best
F1 among the thresholds that lose at most one task for four spurious candidates
removed (a missed task costs staff more than a spurious one to delete). News
passages are not filtered (cross-validated, the model only lost true tasks there).

    python scripts/train_task_filter.py                 # writes extractors/data/task_filter.json
    python scripts/train_task_filter.py --check         # compare with the committed model
    python scripts/train_task_filter.py --out /tmp/m.json corpus/gold
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.task_filter import (  # noqa: E402
    FEATURES_VERSION,
    candidates,
    features,
    filtered,
    parse_model,
)
from pipeline.eval.evaluate import find_gold_pairs, task_labels  # noqa: E402
from pipeline.ingest.run import read_file  # noqa: E402

L2 = 1.0
ITERATIONS = 300
RATE = 0.5
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
MIN_WEIGHT = 0.005  # smaller weights are left out of the file
LOST_PER_REMOVED = 4  # spurious candidates a threshold must remove for each task it loses


@dataclass
class Data:
    rows: list[list[str]]
    labels: list[int]
    blocks: list[int]
    names: list[str]
    required: int  # required gold tasks of every document (the recall's denominator)
    documents: int
    news_tasks: int  # candidates of news passages, never filtered: true tasks
    news_spurious: int  # and spurious ones


def collect(gold_dirs: list[Path]) -> Data:
    rows: list[list[str]] = []
    labels: list[int] = []
    blocks: list[int] = []
    names: list[str] = []
    required = documents = 0
    kept_news = [0, 0]  # spurious, tasks
    for gold_dir in gold_dirs:
        for gold_path, doc_path in find_gold_pairs(gold_dir):
            gold = json.loads(gold_path.read_text("utf-8"))
            with candidates():
                extracted = read_file(doc_path)  # in this process: the filter stays off
            predicted = extracted.to_json()
            documents += 1
            required += sum(1 for t in gold.get("tasks") or [] if not t.get("optional"))
            head = gold_path.stem.split("_")[0]
            block = int(head) // 100 if head.isdigit() else -1
            for task, label in zip(extracted.tasks, task_labels(gold, predicted), strict=True):
                if label is None or not filtered(extracted.doc):
                    # a news passage's candidates are kept whatever the model says (in
                    # cross-validation the model only ever lost true tasks of news)
                    if label is not None:
                        kept_news[int(label)] += 1
                    continue
                rows.append(features(task, extracted.text, extracted.doc))
                labels.append(int(label))
                blocks.append(block)
                names.append(gold_path.stem)
    return Data(rows, labels, blocks, names, required, documents, kept_news[1], kept_news[0])


def _vocab(rows: list[list[str]]) -> dict[str, int]:
    """Each feature's column, in the order the features first occur."""
    vocab: dict[str, int] = {}
    for row in rows:
        for f in row:
            vocab.setdefault(f, len(vocab))
    return vocab


def _matrix(rows: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    m = np.zeros((len(rows), len(vocab)), dtype=np.float64)
    for i, row in enumerate(rows):
        for f in set(row):
            j = vocab.get(f)
            if j is not None:
                m[i, j] = 1.0
    return m


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by full-batch gradient descent (deterministic)."""
    w = np.zeros(x.shape[1])
    b = 0.0
    n = len(y)
    for _ in range(ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = p - y
        w -= RATE * (x.T @ g / n + L2 * w / n)
        b -= RATE * float(g.mean())
    return w, b


def _scores(tp: int, fp: int, required: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / required if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def cross_validate(data: Data) -> tuple[float, dict[str, object]]:
    """Leave one block out: each block scored by a model fitted on the others."""
    vocab = _vocab(data.rows)
    x = _matrix(data.rows, vocab)
    y = np.array(data.labels, dtype=np.float64)
    blocks = np.array(data.blocks)
    prob = np.zeros(len(y))
    for block in sorted(set(data.blocks)):
        test = blocks == block
        w, b = fit(x[~test], y[~test])
        prob[test] = 1.0 / (1.0 + np.exp(-(x[test] @ w + b)))
    tp = int(y.sum()) + data.news_tasks
    fp = int(len(y) - y.sum()) + data.news_spurious
    by_threshold = {}
    for th in THRESHOLDS:
        drop = prob < th
        dtp = int((drop & (y == 1)).sum())
        dfp = int((drop & (y == 0)).sum())
        by_threshold[th] = {
            "dropped_tasks": dtp,
            "dropped_spurious": dfp,
            **_scores(tp - dtp, fp - dfp, data.required),
        }
    # a task lost costs staff far more than a spurious one to delete (they must find it
    # in the document): at most one lost for every four spurious candidates removed,
    # and of those thresholds the best F1
    allowed = [
        th
        for th in THRESHOLDS
        if LOST_PER_REMOVED * by_threshold[th]["dropped_tasks"]
        <= by_threshold[th]["dropped_spurious"]
    ]
    best = max(allowed or [THRESHOLDS[0]], key=lambda th: (by_threshold[th]["f1"], -th))
    report = {
        "method": "leave one block of 100 document numbers out (each held-out set is one block)",
        "blocks": len(set(data.blocks)),
        "without_filter": _scores(tp, fp, data.required),
        "by_threshold": {str(k): v for k, v in by_threshold.items()},
        "chosen_threshold": best,
    }
    return best, report


def train(data: Data, threshold: float) -> dict[str, object]:
    vocab = _vocab(data.rows)
    w, b = fit(_matrix(data.rows, vocab), np.array(data.labels, dtype=np.float64))
    weights = {
        f: round(float(w[j]), 4) for f, j in sorted(vocab.items()) if abs(w[j]) >= MIN_WEIGHT
    }
    return {
        "features_version": FEATURES_VERSION,
        "threshold": threshold,
        "bias": round(b, 4),
        "weights": weights,
    }


def agreement(a: dict[str, object], b: dict[str, object], data: Data) -> float:
    """The share of the corpus's candidates two models decide alike (each scored as
    extraction scores it: :class:`extractors.task_filter.Model`)."""
    ma, mb = parse_model(json.dumps(a)), parse_model(json.dumps(b))
    same = sum(
        (ma.probability(row) >= ma.threshold) == (mb.probability(row) >= mb.threshold)
        for row in data.rows
    )
    return same / len(data.rows) if data.rows else 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold_dirs", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "extractors/data/task_filter.json")
    ap.add_argument("--check", action="store_true", help="compare with the committed model")
    args = ap.parse_args(argv)
    gold_dirs = args.gold_dirs or [ROOT / "corpus/gold", ROOT / "corpus/pdf/gold"]
    data = collect(gold_dirs)
    threshold, report = cross_validate(data)
    model = train(data, threshold)
    model["trained_on"] = {
        "gold_dirs": [str(d.resolve().relative_to(ROOT)) for d in gold_dirs],
        "documents": data.documents,
        "candidates": len(data.labels),
        "tasks": sum(data.labels),
        "spurious": len(data.labels) - sum(data.labels),
        "news_candidates_kept": data.news_tasks + data.news_spurious,
    }
    model["cross_validation"] = report
    model["command"] = "python scripts/train_task_filter.py"
    if args.check:
        committed = json.loads(args.out.read_text("utf-8"))
        share = agreement(committed, model, data)
        print(f"committed and retrained models decide alike on {share:.4f} of the candidates")
        return 0 if share >= 0.98 else 1
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"{args.out}: {len(model['weights'])} weights, threshold {threshold}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
