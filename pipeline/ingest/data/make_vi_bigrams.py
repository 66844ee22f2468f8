"""Build pipeline/ingest/data/vi_bigrams.txt: pairs of adjacent syllables with their
counts in the corpus texts, for the OCR cleanup's choice of a word's marks
(:func:`pipeline.ingest.ocr.restore_tones`: "tô chức" -> "tổ chức", "thị hành" ->
"thi hành").

Run ``python -m pipeline.ingest.data.make_vi_bigrams`` after the corpus changes.
Each line is ``first second<TAB>count``: two lowercase syllables (NFC,
traditional tone placement) written next to each other with only a space
between, in corpus/seeds and corpus/docs (the texts extraction is tuned on,
not the issued files of corpus/pdf), kept when seen at least twice. The
output is deterministic (sorted).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from extractors.textnorm import normalize

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent / "vi_bigrams.txt"
MIN_COUNT = 2
_RUN = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)+")


def corpus_pairs(root: Path = ROOT) -> Counter[str]:
    """Pair counts ("tổ chức") of the corpus texts."""
    counts: Counter[str] = Counter()
    for folder in ("corpus/seeds", "corpus/docs"):
        for path in sorted((root / folder).glob("*.txt")):
            text = normalize(path.read_text("utf-8")).lower()
            for run in _RUN.findall(text):
                words = run.split(" ")
                counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return counts


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    pairs = {p: n for p, n in corpus_pairs().items() if n >= MIN_COUNT}
    lines = [f"{p}\t{n}" for p, n in sorted(pairs.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pairs -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
