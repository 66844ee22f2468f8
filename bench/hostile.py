"""Hostile and long inputs: do the extractors stay linear? (``make bench``)

    python -m bench.hostile            # prints a Markdown table
    python -m bench.hostile --out F    # also writes it to F

For each extractor and each hostile line (a phrase repeated until the line
is 100-400 KB, or 200 KB of the corpus's real text on one line), the time
for the whole line and for its first half, best of three. Linear work gives
a ratio near 2; catastrophic backtracking gives 4 or more. Nothing here
fails a test run: the unit tests only check that such input is handled
(tests/extractors: ``test_hostile_lines_are_handled``), the speed is read
here, on one machine in one run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from extractors import extract
from extractors.agencies import find_agencies
from extractors.deadlines import find_deadlines, find_recurrences
from extractors.legal_refs import find_legal_refs
from extractors.model import Document
from pipeline.ingest.clean import clean

ROOT = Path(__file__).resolve().parents[1]

LEGAL_REFS = [
    "Điều 1, " * 30_000,
    "khoản 1, khoản 2, " * 12_000,
    "điểm a, " * 25_000,
    "Nghị định số 1/" * 14_000,
    "35/2022/" * 25_000,
    "số 1-" * 40_000,
    "1/a-" * 50_000,
    "Luật Tổ chức " * 16_000,
    "văn bản số " * 20_000,
    "a" * 200_000,
    " " * 200_000,
]
DEADLINES = [
    "trước ngày 1/" * 15_000,
    "tại phiên họp " * 15_000,
    "định kỳ hằng quý, " * 11_000,
    "trong vòng 1 " * 15_000,
    "hoàn thành " * 20_000,
    "1/" * 100_000,
    " " * 200_000,
]


def corpus_line(length: int) -> str:
    """The corpus's documents as one line of ``length`` characters."""
    texts = [
        p.read_text("utf-8")
        for d in ("seeds", "docs")
        for p in sorted((ROOT / "corpus" / d).glob("*.txt"))
    ]
    one = " ".join(texts).replace("\n", " ")
    return (one * (length // len(one) + 1))[:length]


def _doc(text: str) -> Document:
    return Document(id="bench", source="bench", text=text)


def _best(fn: Callable[[str], object], text: str, reps: int = 3) -> float:
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def _deadlines(text: str) -> None:
    find_deadlines(_doc(text), doc_date="2024-01-01")
    find_recurrences(_doc(text))


CASES: list[tuple[str, Callable[[str], object], list[str]]] = [
    ("legal_refs", lambda t: find_legal_refs(_doc(t)), LEGAL_REFS),
    ("deadlines", _deadlines, DEADLINES),
    ("agencies", lambda t: find_agencies(_doc(t)), []),
    ("clean", clean, []),
    # the whole extraction, on phrases the grammars care about
    (
        "extract",
        extract,
        [
            (u * (200_000 // len(u) + 1))[:200_000]
            for u in (
                "Nghị định ",
                "Sở ",
                "1/",
                "(",
                "quý II/2024 ",
                "UBND các huyện, ",
                "ngày 31/12/2024 ",
                "Điều 1 khoản 2 ",
                "giao Sở Tài chính chủ trì, ",
            )
        ],
    ),
]


def long_list() -> str:
    """The 10,000-item list of scripts/make_bad_inputs.py (an appendix of
    tasks, one per line): lines, not one line, so the task finder's layout
    and owners work over every item."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return clean(mod.ten_thousand_items())


def rows() -> list[tuple[str, str, int, float, float]]:
    real = corpus_line(200_000)
    CASES[-1][2].append(long_list())
    out = []
    for name, fn, lines in CASES:
        fn(real[:2000])  # tables built once
        for line in [*lines, real]:
            label = "corpus text" if line is real else repr(line[:14])
            if "\n" in line:
                label = f"{line.count(chr(10)) + 1:,} lines of tasks"
            half = _best(fn, line[: len(line) // 2])
            full = _best(fn, line)
            out.append((name, label, len(line), half, full))
    return out


def render(table: list[tuple[str, str, int, float, float]]) -> str:
    lines = [
        "| extractor | line | chars | half (s) | full (s) | full/half |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, label, n, half, full in table:
        ratio = full / half if half > 0 else float("nan")
        lines.append(f"| {name} | `{label}` | {n:,} | {half:.3f} | {full:.3f} | {ratio:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    md = "# Hostile inputs (python -m bench.hostile)\n\n" + render(rows())
    print(md)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(md, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
