"""Build pipeline/ingest/data/vi_syllables.txt: the Vietnamese syllables OCR cleanup and
legacy-encoding detection check words against.

Run ``python -m pipeline.ingest.data.make_vi_syllables`` after the corpus changes.
Each line is ``syllable<TAB>count``: every lowercase syllable the spelling
rules allow (onset x rhyme x tone, with stop-final rhymes taking only the
sắc and nặng tones), with the number of times it occurs in the corpus texts
(corpus/seeds, corpus/docs), plus the corpus's other words seen at least
twice ("covid", "vsip", "kạn", "hđnd"). Tone marks are placed by
:func:`extractors.textnorm.normalize` (traditional convention), as cleaning does.
The output is deterministic (sorted).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from extractors.textnorm import normalize

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent / "vi_syllables.txt"

ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
    "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
# Every rhyme (vần) of the standard spelling, without tone.
RHYMES = """
a ai ao au ay an ang anh am ap at ac ach
ăn ăng ăm ăp ăt ăc
âu ây ân âng âm âp ât âc
e eo en eng em ep et ec
ê êu ên ênh êm êp êt êch
i ia iu in inh im ip it ich
iêu iên iêng iêm iêp iêt iêc
yêu yên yêm yêt
o oa oe oi on ong om op ot oc oong ooc
oai oao oay oan oang oanh oam oap oat oac oach
oăn oăng oăm oăt oăc
oeo oen oem oet
ô ôi ôn ông ôm ôp ôt ôc
ơ ơi ơn ơm ơp ơt
u ua ui un ung um up ut uc
uân uâng uât uây
uê uênh uêch
uy uya uyu uyên uyêt uynh uych uyt uyn
uôi uôn uông uôm uôt uôc
uơ
ư ưa ưi ưu ưn ưng ưm ưt ưc
ươi ươu ươn ương ươm ươp ươt ươc
y
""".split()
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_FRONT = ("i", "e", "ê", "y")


def _allowed(onset: str, rhyme: str) -> bool:
    first = rhyme[0]
    if onset in ("k", "gh", "ngh"):
        return first in _FRONT and (onset == "k" or first != "y") and rhyme[:2] != "yê"
    if onset in ("c", "g", "ng") and first in _FRONT:
        return False  # written k, gh, ngh
    if onset == "qu":
        return first in "aăâeêôơyi" and not rhyme.startswith(("ia", "iê"))
    if onset == "gi":
        return not rhyme.startswith(("i", "y"))  # "gì" is gi + i: covered by "g"?
    if rhyme.startswith("yê") and onset:
        return False  # "yê" only without an onset (else "iê"), or after qu
    if rhyme == "y":
        return onset in ("", "h", "k", "l", "m", "s", "t", "v", "qu")
    if rhyme.startswith(("o", "u")) and rhyme[:2] in ("oa", "oă", "oe", "uâ", "uê", "uy"):
        return onset not in ("b", "p", "m", "v", "ph", "r", "gi")
    return True


def _stop_final(rhyme: str) -> bool:
    return rhyme.endswith(("p", "t", "c", "ch"))


def generated() -> set[str]:
    out: set[str] = set()
    for onset in ONSETS:
        for rhyme in RHYMES:
            if not _allowed(onset, rhyme):
                continue
            for tone in TONES:
                if _stop_final(rhyme) and tone not in ("\u0301", "\u0323"):
                    continue
                # Put the tone after the first vowel; normalize() moves it.
                word = onset + rhyme
                i = len(onset)
                toned = unicodedata.normalize("NFC", word[: i + 1] + tone + word[i + 1 :])
                out.add(normalize(toned))
    out.update({"gì", "gìn", "gìm", "gí", "gỉ", "gĩ", "gị", "ghi"})  # gi + i
    out.update(normalize(f"gi{t}n") for t in TONES)
    return out


def corpus_counts(root: Path = ROOT) -> Counter[str]:
    counts: Counter[str] = Counter()
    for folder in ("corpus/seeds", "corpus/docs"):
        for path in sorted((root / folder).glob("*.txt")):
            text = normalize(path.read_text("utf-8")).lower()
            counts.update(re.findall(r"[^\W\d_]+", text))
    return counts


def build(root: Path = ROOT) -> dict[str, int]:
    counts = corpus_counts(root)
    gen = generated()
    table = {s: counts.get(s, 0) for s in gen}
    for word, n in counts.items():
        if word not in table and n >= 2:  # "covid", "kạn", "hđnd"
            table[word] = n
    return table


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    table = build()
    lines = [f"{w}\t{n}" for w, n in sorted(table.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} syllables -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
