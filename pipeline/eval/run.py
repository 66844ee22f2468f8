"""Run the whole pipeline over a gold folder and score it (``vndoc eval``)."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.errors import PipelineError
from pipeline.eval.evaluate import EvalReport, aggregate, evaluate_document, find_gold_pairs
from pipeline.ingest.run import process_file


def run_eval(gold_dir: Path) -> EvalReport:
    """Extract every document that has a gold file and compare.

    Example:
        >>> run_eval(Path("corpus/gold")).scores["tasks.f1"]
    """
    if not gold_dir.is_dir():
        raise PipelineError(f"{gold_dir} is not a folder of gold JSON files")
    evals = []
    for gold_path, doc_path in find_gold_pairs(gold_dir):
        gold = json.loads(gold_path.read_text("utf-8"))
        predicted = process_file(doc_path).to_json()
        evals.append(evaluate_document(gold, predicted, name=gold_path.stem))
    return aggregate(evals)
