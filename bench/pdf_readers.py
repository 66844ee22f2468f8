"""PDF readers side by side on the real born-digital PDFs (issue #13).

    python -m bench.pdf_readers                      # writes bench/results/pdf.md
    python -m bench.pdf_readers --repeat 1 --out bench/results/quick-pdf.md   # make bench
    python -m bench.pdf_readers --originals          # writes bench/results/pdf-originals.md

``--originals`` scores extraction from the 17 original files of corpus/pdf
(signed PDFs, scans, DOCX) against the same gold as their clean text copies
(``vndoc eval corpus/pdf/gold`` with and without ``--prefer .pdf --prefer
.docx``), file by file, with each file's reading time (OCR included: the
originals are read one after another in this process, ``VNDOC_OCR_WORKERS``
pages at a time).

Each reader reads every page of the real issued PDFs that have a text layer
(corpus/pdf/files 01, 02, 05, 10: e-office PDFs, signed, with the number and
day in signature widgets), in this one process, one page after another, so the
figures are for one core. Time is CPU time, this process's plus its children's
(poppler runs as a ``pdftotext`` process), best of ``--repeat`` runs; pages per
second = pages / CPU seconds. Wall time is shown too (the machine is shared).

Readers:

* ``pypdfium2``: each page's text (``get_textpage().get_text_range()``);
* ``pdfplumber``: each page's ``extract_text()`` (vndoc's reader without poppler);
* ``poppler -layout``: ``pdftotext -layout``, the whole file;
* ``poppler -bbox-layout``: ``pdftotext -bbox-layout``, every word with its box;
* ``vndoc pages``: :func:`pipeline.ingest.formats.pdf_pages`, what vndoc reads a
  PDF's pages with: poppler's word boxes, pdfium's widget rectangles and images,
  then the layout (header and signature columns, furniture, footnotes);
* ``vndoc load``: :func:`pipeline.ingest.load.load_bytes`, the whole loader, with
  the digital signatures read and checked by pyHanko.

"In text" counts the files whose text holds the document number and the issue
day exactly as issued ("Số: 11/TB-UBND", "ngày 08 tháng 01"): the number and
day are in signature widgets, which only poppler draws.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "corpus" / "pdf" / "files"
GOLD = ROOT / "corpus" / "pdf" / "gold"
BORN_DIGITAL = ("01", "02", "05", "10")


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def read_pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return "\n".join(out)
    finally:
        pdf.close()


def read_plumber(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out = []
        for page in pdf.pages:
            out.append(page.extract_text() or "")
            page.close()
        return "\n".join(out)


def _pdftotext(data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run(["pdftotext", "-q", *args, "-enc", "UTF-8", tmp.name, "-"],
                             capture_output=True, check=True, timeout=120)
    return out.stdout.decode("utf-8", errors="replace")


def read_poppler_layout(data: bytes) -> str:
    return _pdftotext(data, "-layout")


def read_poppler_bbox(data: bytes) -> str:
    from html import unescape

    xml = _pdftotext(data, "-bbox-layout")
    return " ".join(unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", xml))


def read_vndoc_pages(data: bytes) -> str:
    from pipeline.ingest.formats import pdf_pages

    return "\n".join("\n".join(p) for p in pdf_pages(data, source="bench.pdf").pages)


def read_vndoc_load(data: bytes) -> str:
    from pipeline.ingest.load import load_bytes

    return load_bytes(data, name="bench.pdf").text


READERS: dict[str, Callable[[bytes], str]] = {
    "pypdfium2": read_pdfium,
    "pdfplumber": read_plumber,
    "poppler -layout": read_poppler_layout,
    "poppler -bbox-layout": read_poppler_bbox,
    "vndoc pages": read_vndoc_pages,
    "vndoc load": read_vndoc_load,
}


def _facts(stem: str) -> tuple[str, str]:
    """('Số: 11/TB-UBND', 'ngày 08 tháng 01') from the gold file."""
    doc = json.loads((GOLD / f"{stem}.json").read_text("utf-8"))["doc"]
    y, m, d = doc["issue_date"].split("-")
    return f"Số: {doc['number_symbol']}", f"ngày {d} tháng {m}"


def _has(text: str, fact: str) -> bool:
    flat = " ".join(text.split())
    day = re.match(r"ngày (\d+) tháng (\d+)", fact)
    if day:  # "tháng 5" and "tháng 05" are the same month
        d, m = day.groups()
        return re.search(rf"ngày 0?{int(d)} tháng 0?{int(m)}\b", flat) is not None
    return fact in flat


def measure(repeat: int) -> dict[str, object]:
    import pypdfium2 as pdfium

    files = sorted(p for p in FILES.glob("*.pdf") if p.name[:2] in BORN_DIGITAL)
    datas = {p.stem: p.read_bytes() for p in files}
    pages = 0
    for data in datas.values():
        pdf = pdfium.PdfDocument(data)
        pages += len(pdf)
        pdf.close()
    for reader in READERS.values():  # warm up: imports, caches, the first pdftotext
        reader(next(iter(datas.values())))
    rows = []
    for name, reader in READERS.items():
        best_cpu = best_wall = float("inf")
        texts: dict[str, str] = {}
        for _ in range(repeat):
            c0, w0 = _cpu(), time.perf_counter()
            texts = {stem: reader(data) for stem, data in datas.items()}
            best_cpu = min(best_cpu, _cpu() - c0)
            best_wall = min(best_wall, time.perf_counter() - w0)
        found = sum(all(_has(texts[s], f) for f in _facts(s)) for s in datas)
        rows.append({
            "reader": name, "cpu_s": round(best_cpu, 3), "wall_s": round(best_wall, 3),
            "pages_per_cpu_s": round(pages / best_cpu, 1) if best_cpu > 0 else None,
            "number_and_day_in_text": f"{found}/{len(datas)}",
        })
    return {"files": [p.name for p in files], "pages": pages, "repeat": repeat, "rows": rows,
            "loadavg": os.getloadavg()[0]}


def to_markdown(r: dict[str, object], command: str) -> str:
    from importlib.metadata import version

    popp = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.split("\n")[0]
    lines = [
        "# PDF readers side by side",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), one process, one core used; "
        f"1-minute load average {r['loadavg']:.1f} at the end (the machine is shared). "
        f"pypdfium2 {version('pypdfium2')}, pdfplumber {version('pdfplumber')}, {popp}, "
        f"pyHanko {version('pyhanko')}.",
        "",
        f"Files: {', '.join(r['files'])} ({r['pages']} pages, born-digital e-office PDFs with the "
        f"number and day in signature widgets). CPU time of this process and its children, "
        f"best of {r['repeat']}.",
        "",
        "| reader | CPU s | wall s | pages / CPU s | number and day in text |",
        "|---|---|---|---|---|",
    ]
    rows = {row["reader"]: row for row in r["rows"]}  # type: ignore[attr-defined]
    for row in rows.values():
        lines.append(f"| {row['reader']} | {row['cpu_s']} | {row['wall_s']} | "
                     f"{row['pages_per_cpu_s']} | {row['number_and_day_in_text']} |")
    load = rows["vndoc load"]["pages_per_cpu_s"]
    lines += [
        "",
        "**Choice.** vndoc reads a PDF's text pages with poppler's word boxes "
        "(`pdftotext -bbox-layout`), the only reader of the three that draws the signature "
        "widgets where the e-office systems put the number and the day; pdfium adds what "
        "poppler does not say (widget rectangles, images, ruling lines) and pdfplumber stays "
        "as the reader for machines without poppler. pypdfium2 alone is the fastest and "
        "pdfplumber the slowest (and neither reads the widgets). The whole loader, layout "
        f"and the digital signatures' checks included, reads {load} pages per CPU second "
        "(target: at least 5 on one core); most of its time is pyHanko's reading of the "
        "signed revisions, not the text.",
    ]
    return "\n".join(lines) + "\n"


ORIGINAL_KEYS = ("tasks.f1", "legal_refs.f1", "doc_fields.accuracy", "owners.accuracy",
                 "agencies.f1")


def originals() -> dict[str, object]:
    """Per file and overall: the figures from the text copy and from the original."""
    from pipeline.eval.evaluate import aggregate, evaluate_document, find_gold_pairs
    from pipeline.ingest.run import read_file

    gold_dir = ROOT / "corpus" / "pdf" / "gold"
    copies = dict(find_gold_pairs(gold_dir))
    origs = dict(find_gold_pairs(gold_dir, prefer=(".pdf", ".docx")))
    rows = []
    evals: dict[str, list[object]] = {"copy": [], "original": []}
    for gold_path in sorted(copies):
        gold = json.loads(gold_path.read_text("utf-8"))
        row: dict[str, object] = {"file": gold_path.stem}
        for kind, path in (("copy", copies[gold_path]), ("original", origs[gold_path])):
            w0 = time.perf_counter()
            doc = read_file(path).to_json()
            row[f"{kind}_s"] = round(time.perf_counter() - w0, 1)
            e = evaluate_document(gold, doc, name=gold_path.stem)
            evals[kind].append(e)
            scores = aggregate([e], by_group=False).scores
            row[kind] = {k: scores.get(k) for k in ORIGINAL_KEYS}
            if kind == "original":
                row["ocr_pages"] = doc["meta"].get("ocr_pages", "0")
                row["ocr_unread"] = doc["meta"].get("ocr_unread", "")
        rows.append(row)
    total = {kind: {k: aggregate(es, by_group=False).scores.get(k)  # type: ignore[arg-type]
                    for k in ORIGINAL_KEYS} for kind, es in evals.items()}
    return {"rows": rows, "total": total, "loadavg": os.getloadavg()[0]}


def originals_markdown(r: dict[str, object]) -> str:
    def f(v: object) -> str:
        return "–" if v is None else f"{v:.2f}"

    names = ("tasks F1", "refs F1", "doc fields", "owners", "agencies F1")
    lines = [
        "# Extraction from the original files against their text copies",
        "",
        "Command: `python -m bench.pdf_readers --originals`",
        "",
        f"Machine: {os.cpu_count()} cores, one file at a time, OCR workers "
        f"{os.environ.get('VNDOC_OCR_WORKERS', '1')}; 1-minute load average "
        f"{r['loadavg']:.1f} at the end (the machine is shared). Each cell: text copy / "
        "original; time: seconds to read and extract the original (OCR included).",
        "",
        "| file | " + " | ".join(names) + " | OCR pages | s | left blank by OCR |",
        "|---|" + "---|" * (len(names) + 3),
    ]
    for row in r["rows"]:  # type: ignore[attr-defined]
        cells = [f"{f(row['copy'][k])} / {f(row['original'][k])}" for k in ORIGINAL_KEYS]
        lines.append(f"| {row['file'][:24]} | " + " | ".join(cells)
                     + f" | {row['ocr_pages']} | {row['original_s']} | {row['ocr_unread']} |")
    tot = r["total"]
    lines.append(f"| **all {len(r['rows'])}** | " + " | ".join(  # type: ignore[arg-type]
        f"**{tot['copy'][k]:.3f} / {tot['original'][k]:.3f}**"  # type: ignore[index]
        for k in ORIGINAL_KEYS) + " | | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--originals", action="store_true",
                    help="score the original files against their text copies, file by file")
    args = ap.parse_args(argv)
    if args.originals:
        md = originals_markdown(originals())
        out = args.out or ROOT / "bench" / "results" / "pdf-originals.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(md, "utf-8")
        sys.stdout.write(md)
        return 0
    args.out = args.out or ROOT / "bench" / "results" / "pdf.md"
    r = measure(max(1, args.repeat))
    command = "python -m bench.pdf_readers" + (
        f" --repeat {args.repeat}" if args.repeat != 3 else "")
    md = to_markdown(r, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, "utf-8")
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
