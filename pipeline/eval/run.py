"""Run the whole pipeline over gold folders and score them (``vndoc eval``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from extractors.errors import PipelineError
from pipeline.eval.evaluate import EvalReport, aggregate, evaluate_document, find_gold_pairs
from pipeline.ingest.run import process_file


def run_eval(gold_dirs: Path | Sequence[Path], *, prefer: Sequence[str] = ()) -> EvalReport:
    """Extract every document that has a gold file and compare.

    Args:
        gold_dirs: one or more folders of gold JSON files; each gold file is
            paired with the document of the same stem beside the folder.
        prefer: suffixes (".pdf", ".docx") to read instead of the text copy
            when a document exists in several formats: the original files
            are then scored against the same gold.

    Example:
        >>> run_eval([Path("corpus/gold"), Path("corpus/pdf/gold")]).scores["tasks.f1"]
    """
    dirs = [gold_dirs] if isinstance(gold_dirs, Path) else list(gold_dirs)
    evals = []
    for gold_dir in dirs:
        if not gold_dir.is_dir():
            raise PipelineError(f"{gold_dir} is not a folder of gold JSON files")
        for gold_path, doc_path in find_gold_pairs(gold_dir, prefer=prefer):
            gold = json.loads(gold_path.read_text("utf-8"))
            predicted = process_file(doc_path).to_json()
            evals.append(evaluate_document(gold, predicted, name=gold_path.stem))
    return aggregate(evals)
