"""Snapshot of what vndoc extracts from the corpus, to prove a change keeps it.

    python scripts/extract_snapshot.py write tmp/snap-before.json
    python scripts/extract_snapshot.py write tmp/snap-after.json
    python scripts/extract_snapshot.py compare tmp/snap-before.json tmp/snap-after.json

``write`` reads every document of ``corpus/seeds``, ``corpus/docs``,
``corpus/pdf/docs`` and ``corpus/samples`` the way ``vndoc extract`` does
(load, clean, sidecar facts, extract; in this process) and writes one JSON
file: per document its ``vndoc extract`` output (``to_json()``) and a digest
of the whole ``ExtractedDocument`` (``repr``: the fields the JSON leaves out
too, such as rule ids and the offsets of a task's deadline). It adds the
first ``--generated`` documents of ``bench/generate.py`` (default 300): the
corpus's paragraphs recombined with other provinces, departments, dates and
numbers, cleaned and extracted, for more inputs than the corpus alone.
``--originals`` adds the original files of ``corpus/pdf/files`` (signed
PDFs, scans read by OCR, DOCX; a few minutes for the OCR), read the same way.
``compare`` exits 1 and names the documents and keys that differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DIRS = ("corpus/seeds", "corpus/docs", "corpus/pdf/docs", "corpus/samples")
ORIGINALS = ("corpus/pdf/files",)
SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}


sys.path.insert(0, str(ROOT))  # bench.generate, when run as a script


def corpus_files(dirs: tuple[str, ...] = DIRS) -> list[Path]:
    """The corpus documents (sidecars and notes are not documents)."""
    return sorted(
        p for d in dirs for p in (ROOT / d).iterdir()
        if p.suffix in SUFFIXES and p.is_file()
    )


def snapshot(files: list[Path]) -> dict[str, Any]:
    from pipeline.ingest.run import read_file

    out: dict[str, Any] = {}
    os.chdir(ROOT)  # sources as relative paths: two checkouts give the same snapshot
    for p in files:
        name = str(p.relative_to(ROOT))
        ed = read_file(name)
        out[name] = {
            "json": ed.to_json(),
            "repr_sha256": hashlib.sha256(repr(ed).encode("utf-8")).hexdigest(),
        }
    return out


def snapshot_generated(n: int) -> dict[str, Any]:
    from bench.generate import make_document
    from extractors.extraction import extract
    from pipeline.ingest.clean import clean

    out: dict[str, Any] = {}
    for i in range(n):
        ed = extract(clean(make_document(i)), source=f"generated/{i}")
        out[f"generated/{i:04d}"] = {
            "json": ed.to_json(),
            "repr_sha256": hashlib.sha256(repr(ed).encode("utf-8")).hexdigest(),
        }
    return out


def _diff(a: Any, b: Any, where: str, found: list[str]) -> None:
    if len(found) >= 20:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                found.append(f"{where}.{k}: only in {'after' if k in b else 'before'}")
            else:
                _diff(a[k], b[k], f"{where}.{k}", found)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{where}[{i}]", found)
    elif a != b or type(a) is not type(b):
        found.append(f"{where}: {json.dumps(a, ensure_ascii=False)[:160]}"
                     f" -> {json.dumps(b, ensure_ascii=False)[:160]}")


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            found.append(f"{name}: only in {'after' if name in after else 'before'}")
            continue
        a, b = before[name], after[name]
        if json.dumps(a["json"], ensure_ascii=False) != json.dumps(b["json"], ensure_ascii=False):
            _diff(a["json"], b["json"], name, found)
        elif a["repr_sha256"] != b["repr_sha256"]:
            found.append(f"{name}: same JSON, different ExtractedDocument (repr)")
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="extract the corpus and write the snapshot")
    w.add_argument("out", type=Path)
    w.add_argument("--generated", type=int, default=300,
                   help="generated documents to add (bench/generate.py)")
    w.add_argument("--originals", action="store_true",
                   help="add the original PDF/DOCX files of corpus/pdf/files (OCR: minutes)")
    c = sub.add_parser("compare", help="exit 1 when two snapshots differ")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "write":
        files = corpus_files(DIRS + ORIGINALS if args.originals else DIRS)
        snap = snapshot(files) | snapshot_generated(args.generated)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(snap, ensure_ascii=False, sort_keys=True, indent=0),
                            "utf-8")
        sys.stderr.write(f"{len(snap)} documents -> {args.out}\n")
        return 0
    before = json.loads(args.before.read_text("utf-8"))
    after = json.loads(args.after.read_text("utf-8"))
    found = compare(before, after)
    for line in found:
        sys.stdout.write(line + "\n")
    sys.stderr.write(f"{len(before)} / {len(after)} documents: "
                     f"{'identical' if not found else 'DIFFERENT'}\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
