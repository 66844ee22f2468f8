"""OCR evaluation: scan the seed documents, read them back, and compare.

Used by the tests (one or two documents at 150 dpi) and, as a script, for
the figures in bench/results/ocr.md (every document with gold, 300 dpi)::

    python -m tests.ocr.harness --dpi 300 --workers 2 --out bench/results/ocr.md

* CER: character error rate of the OCR'd text against the original, both
  cleaned (:func:`pipeline.ingest.clean.clean`) with whitespace runs made one space.
  Edit distance is computed block by block after aligning words with
  difflib (exact within each block; blocks are small).
* Extraction: ``run_eval`` (in one pass, :func:`eval_with_texts`) over a
  gold folder whose documents are the image-only PDFs, next to the same
  over the same gold with the text originals; the ratio of the F1 figures
  is what the issue asks of OCR.
"""

from __future__ import annotations

import argparse
import difflib
import os
import platform
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.ocr_quality import levenshtein

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "corpus" / "gold"
sys.path.insert(0, str(ROOT / "scripts"))

import make_ocr_samples  # noqa: E402

SEED_IDS = ("000", "001", "002", "003", "004")
DEV_IDS = tuple(f"{i:02d}" for i in range(1, 21))


def _flat(text: str) -> str:
    from pipeline.ingest.clean import clean

    return " ".join(clean(text).split())


def cer(ocr_text: str, original: str) -> tuple[int, int]:
    """(character edits, characters in the original)."""
    ref, hyp = _flat(original), _flat(ocr_text)
    rw, hw = re.split(r"( )", ref), re.split(r"( )", hyp)
    edits = 0
    sm = difflib.SequenceMatcher(a=rw, b=hw, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            edits += levenshtein("".join(rw[i1:i2]), "".join(hw[j1:j2]))
    return edits, len(ref)


@dataclass
class Figures:
    docs: list[str]
    dpi: int
    pages: int
    seconds: float
    edits: int
    chars: int
    ocr_scores: dict[str, float]
    text_scores: dict[str, float]
    per_doc_cer: dict[str, float]
    confidences: dict[str, str]

    @property
    def cer(self) -> float:
        return self.edits / max(1, self.chars)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def ratio(self, key: str) -> float:
        base = self.text_scores.get(key, 0.0)
        return self.ocr_scores.get(key, 0.0) / base if base else 1.0


def build_sets(work: Path, doc_ids: list[str], *, dpi: int) -> tuple[Path, Path]:
    """work/ocr/{gold,docs} with the scans, work/text/{gold,docs} with the originals."""
    ocr_root, text_root = work / "ocr", work / "text"
    for root in (ocr_root, text_root):
        (root / "gold").mkdir(parents=True, exist_ok=True)
        (root / "docs").mkdir(parents=True, exist_ok=True)
    scans = work / "samples"
    make_ocr_samples.make(scans, doc_ids, dpi=dpi, pdf=True)
    for doc_id in doc_ids:
        stem, text = make_ocr_samples.source_text(doc_id)
        shutil.copy(GOLD / f"{stem}.json", ocr_root / "gold" / f"{stem}.json")
        shutil.copy(GOLD / f"{stem}.json", text_root / "gold" / f"{stem}.json")
        shutil.copy(scans / "scans" / f"{stem}.pdf", ocr_root / "docs" / f"{stem}.pdf")
        side = scans / "scans" / f"{stem}.pdf.meta.json"
        if side.exists():
            shutil.copy(side, ocr_root / "docs" / side.name)
        (text_root / "docs" / f"{stem}.txt").write_text(text, encoding="utf-8")
        src = ROOT / "corpus" / ("seeds" if len(doc_id) == 3 else "docs") / f"{stem}.txt.meta.json"
        if src.exists():  # sidecar facts travel with the document
            for root, suffix in ((ocr_root, ".pdf"), (text_root, ".txt")):
                shutil.copy(src, root / "docs" / f"{stem}{suffix}.meta.json")
    return ocr_root / "gold", text_root / "gold"


def eval_with_texts(gold_dir: Path) -> tuple[dict[str, float], dict[str, str], float]:
    """``run_eval`` in one pass that also keeps each loaded text (for CER).

    Same steps as :func:`pipeline.eval.run.run_eval` (find_gold_pairs, then
    load + process_raw = process_file, evaluate_document, aggregate), so a
    scan is OCR'd once; tests check both give the same scores on the text set.
    Returns (scores, {stem: loaded text}, seconds spent loading).
    """
    import json

    from pipeline.eval.evaluate import aggregate, evaluate_document, find_gold_pairs
    from pipeline.ingest.load import load
    from pipeline.ingest.run import process_raw, sidecar_meta

    evals, texts, seconds = [], {}, 0.0
    for gold_path, doc_path in find_gold_pairs(gold_dir):
        gold = json.loads(gold_path.read_text("utf-8"))
        start = time.perf_counter()
        raw = load(doc_path)
        seconds += time.perf_counter() - start
        texts[gold_path.stem] = raw.text
        predicted = process_raw(raw, extra=sidecar_meta(doc_path)).to_json()
        evals.append(evaluate_document(gold, predicted, name=gold_path.stem))
        texts[gold_path.stem + ":meta"] = dict(raw.meta).get("ocr_confidence", "")
        texts[gold_path.stem + ":pages"] = dict(raw.meta).get("ocr_pages", "0")
    return dict(aggregate(evals).scores), texts, seconds


def measure(work: Path, doc_ids: list[str], *, dpi: int, workers: int) -> Figures:
    os.environ["VNDOC_OCR_DPI"] = str(dpi)
    os.environ["VNDOC_OCR_WORKERS"] = str(workers)
    from pipeline.settings import get_settings

    get_settings.cache_clear()  # the settings are read once per process
    ocr_gold, text_gold = build_sets(work, doc_ids, dpi=dpi)
    ocr_scores, texts, seconds = eval_with_texts(ocr_gold)
    text_scores, _t, _s = eval_with_texts(text_gold)
    edits = chars = pages = 0
    per_doc: dict[str, float] = {}
    confs: dict[str, str] = {}
    for doc_id in doc_ids:
        stem, original = make_ocr_samples.source_text(doc_id)
        e, n = cer(texts[stem], original)
        edits, chars = edits + e, chars + n
        per_doc[stem] = e / max(1, n)
        confs[stem] = texts[stem + ":meta"]
        pages += int(texts[stem + ":pages"])
    return Figures(
        doc_ids, dpi, pages, seconds, edits, chars, ocr_scores, text_scores, per_doc, confs
    )


KEYS = ("legal_refs.f1", "tasks.f1", "owners.accuracy", "deadline.accuracy", "agencies.f1",
        "doc_fields.accuracy")  # fmt: skip


def report(fig: Figures, *, command: str, workers: int) -> str:
    lines = [
        "# OCR: quality and throughput",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), {workers} OCR worker(s), "
        f"Tesseract {tesseract_version()} with Debian's `vie` model, `OMP_THREAD_LIMIT=1`.",
        "",
        f"Documents: {len(fig.docs)} ({', '.join(fig.docs)}), rendered by "
        f"`scripts/make_ocr_samples.py` to image-only PDFs at {fig.dpi} dpi (DejaVuSans 11 pt, "
        "A4, turned ±0.6-1.8°, speckle noise, JPEG), OCR'd at the same resolution.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| pages | {fig.pages} |",
        f"| OCR wall time (load: rasterize, deskew, Tesseract, cleanup) | {fig.seconds:.1f} s |",
        f"| throughput | {fig.pages_per_s:.2f} pages/s |",
        f"| character error rate (CER) | {100 * fig.cer:.2f} % ({fig.edits} edits / "
        f"{fig.chars} chars) |",
        "",
        "Extraction from the OCR'd PDFs against the same gold as the text originals "
        "(`pipeline.eval.run.run_eval`'s steps, one pass: `tests/ocr/harness.py`):",
        "",
        "| metric | text | OCR | OCR / text |",
        "|---|---|---|---|",
    ]
    for key in KEYS:
        if key in fig.text_scores:
            lines.append(
                f"| {key} | {fig.text_scores[key]:.3f} | {fig.ocr_scores.get(key, 0):.3f} | "
                f"{fig.ratio(key):.3f} |"
            )
    lines += ["", "Per document:", "", "| document | CER | page confidences |", "|---|---|---|"]
    for stem, c in fig.per_doc_cer.items():
        lines.append(f"| {stem} | {100 * c:.2f} % | {fig.confidences.get(stem, '')} |")
    return "\n".join(lines) + "\n"


def tesseract_version() -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, check=False
        )
    except OSError:
        return "(missing)"
    first = (out.stdout or out.stderr).splitlines()[:1]
    return first[0].split()[-1] if first else "?"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="OCR CER, extraction ratios and pages/s")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--docs", default=",".join(SEED_IDS + DEV_IDS))
    ap.add_argument("--work", type=Path, default=ROOT / "tmp" / "ocr-bench")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    fig = measure(args.work, args.docs.split(","), dpi=args.dpi, workers=args.workers)
    command = "python -m tests.ocr.harness " + " ".join(argv)
    text = report(fig, command=command.strip(), workers=args.workers)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
