"""Run the whole pipeline over gold folders and score them (``vndoc eval``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from extractors.errors import PipelineError
from pipeline.eval.evaluate import EvalReport, aggregate, evaluate_document, find_gold_pairs
from pipeline.ingest.run import process_file


def run_eval(
    gold_dirs: Path | Sequence[Path],
    *,
    prefer: Sequence[str] = (),
    predictions: Path | None = None,
    save_to: Path | None = None,
) -> EvalReport:
    """Extract every document that has a gold file and compare.

    Args:
        gold_dirs: one or more folders of gold JSON files; each gold file is
            paired with the document of the same stem beside the folder.
        prefer: suffixes (".pdf", ".docx") to read instead of the text copy
            when a document exists in several formats: the original files
            are then scored against the same gold.
        predictions: a folder of saved outputs (``<gold stem>.json``, as
            ``vndoc extract`` writes them) to score instead of extracting:
            the output of another version, scored by this evaluator.
        save_to: a folder to write each document's output into.

    Example:
        >>> report = run_eval([Path("corpus/gold"), Path("corpus/pdf/gold")])  # doctest: +SKIP
        >>> report.scores["tasks.f1"]  # doctest: +SKIP
    """
    dirs = [gold_dirs] if isinstance(gold_dirs, Path) else list(gold_dirs)
    evals = []
    for gold_dir in dirs:
        if not gold_dir.is_dir():
            raise PipelineError(f"{gold_dir} is not a folder of gold JSON files")
        for gold_path, doc_path in find_gold_pairs(gold_dir, prefer=prefer):
            gold = json.loads(gold_path.read_text("utf-8"))
            if predictions is not None:
                saved = predictions / f"{gold_path.stem}.json"
                if not saved.is_file():
                    raise PipelineError(f"{saved}: no saved output for {gold_path.name}")
                predicted = json.loads(saved.read_text("utf-8"))
            else:
                predicted = process_file(doc_path).to_json()
            if save_to is not None:
                save_to.mkdir(parents=True, exist_ok=True)
                (save_to / f"{gold_path.stem}.json").write_text(
                    json.dumps(predicted, ensure_ascii=False) + "\n", encoding="utf-8"
                )
            evals.append(evaluate_document(gold, predicted, name=gold_path.stem))
    return aggregate(evals)
