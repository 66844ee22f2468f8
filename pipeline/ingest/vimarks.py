"""Vietnamese marks an OCR reading lost or misread, chosen for a whole run of syllables.

Tesseract's Vietnamese model often drops the tone mark above a hat ("sô điêu"
for "số điều", "Nguôn tiên" for "Nguồn tiền", "thâm quyên" for "thẩm quyền")
or reads one tone for another ("đê" for "để"). Each such reading is a valid
syllable, so a spelling check passes it, and when two neighbours are both
misread neither vouches for the other, which defeats a word-by-word repair
(:func:`pipeline.ingest.ocr.restore_tones`).

:func:`decode_marks` weighs every reading of a run of syllables at once: each
syllable may stay as read or take any reading with one vowel's marks changed
(or d/đ), and the run whose adjacent pairs are likeliest in the corpus texts
(``data/vi_bigrams.txt``: corpus/seeds and corpus/docs, never the files read)
wins, a syllable changed costing a fixed penalty (:data:`CHANGE_COST`). It is
a Viterbi search over a bigram model smoothed towards how often each syllable
starts or ends a pair (Dirichlet smoothing, :data:`SMOOTHING`). A run's first
syllable has no prior of its own: a reading is only changed because of the
syllables beside it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import cache

from extractors.textnorm import normalize

__all__ = ["CHANGE_COST", "DROP_COST", "SMOOTHING", "bigrams", "decode_marks"]

# A syllable changed must make its run this many times (e^cost) more likely.
# The three constants were chosen on 60 corpus/docs texts left out of the
# pair counts, with OCR-like mark errors put into 5 % of their syllables
# (after restore_tones: 796 errors left of 2607 and 291 words of the clean texts
# changed; with this search as well: 706 and 310).
CHANGE_COST = math.log(10_000.0)
# Tesseract's commonest confusion, a tone above a hat lost ("tiên" for "tiền"),
# costs less.
DROP_COST = math.log(100.0)
# Pseudo-count of the smoothing: how far a pair never seen falls back on how
# often its second syllable ends a pair.
SMOOTHING = 20.0

# Pseudo-count of a syllable never seen ending a pair, in the fallback.
PRIOR_FLOOR = 0.1
_WORD = re.compile(r"[^\W\d_]+")


@cache
def bigrams() -> dict[str, int]:
    """Adjacent syllable pairs ("tổ chức") and their corpus counts
    (``data/vi_bigrams.txt``, built by ``make_vi_bigrams``)."""
    from importlib.resources import files

    out: dict[str, int] = {}
    text = files("pipeline.ingest.data").joinpath("vi_bigrams.txt").read_text("utf-8")
    for line in text.splitlines():
        pair, _, n = line.partition("\t")
        if pair:
            out[pair] = int(n or 0)
    return out


@cache
def _model() -> tuple[dict[str, int], dict[str, int], dict[str, int], int]:
    """Pair counts, how often each syllable starts and ends a pair, and the total."""
    pairs = bigrams()
    left: dict[str, int] = {}
    right: dict[str, int] = {}
    total = 0
    for pair, n in pairs.items():
        a, _, b = pair.partition(" ")
        left[a] = left.get(a, 0) + n
        right[b] = right.get(b, 0) + n
        total += n
    return pairs, left, right, total


def _logp(a: str, b: str) -> float:
    """log P(b | a) of the smoothed bigram model."""
    pairs, left, right, total = _model()
    prior = (right.get(b, 0) + PRIOR_FLOOR) / (total + PRIOR_FLOOR * len(right))
    return math.log((pairs.get(f"{a} {b}", 0) + SMOOTHING * prior) / (left.get(a, 0) + SMOOTHING))


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_HATS = frozenset("\u0302\u0306\u031b")  # â ê ô, ă, ơ ư


def _toneless(word: str) -> str | None:
    """``word`` with the tone over its hat (or breve, horn) dropped, or None
    when it has no such tone: "tiền" -> "tiên", "số" -> "sô"."""
    d = unicodedata.normalize("NFD", word)
    if not (_TONES & set(d) and _HATS & set(d)):
        return None
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))


def _cost(read: str, cand: str) -> float:
    """What reading ``cand`` where OCR read ``read`` costs (a log-odds)."""
    if cand == read:
        return 0.0
    return DROP_COST if _toneless(cand) == read else CHANGE_COST


def _best_run(keys: list[str], options: Callable[[str], list[str]]) -> list[str]:
    """The likeliest reading of a run of lowercase syllables (Viterbi)."""
    cands = [[k, *[o for o in options(k) if o != k]] for k in keys]
    # score[c] of the first syllable: no prior, a change costs
    scores = [-_cost(keys[0], c) for c in cands[0]]
    back: list[list[int]] = []
    for i in range(1, len(keys)):
        row, ptr = [], []
        for c in cands[i]:
            cost = -_cost(keys[i], c)
            best_j, best = 0, -math.inf
            for j, p in enumerate(cands[i - 1]):
                s = scores[j] + _logp(p, c)
                if s > best:
                    best_j, best = j, s
            row.append(best + cost)
            ptr.append(best_j)
        scores = row
        back.append(ptr)
    k = max(range(len(scores)), key=scores.__getitem__)
    out = [cands[-1][k]]
    for i in range(len(keys) - 1, 0, -1):
        k = back[i - 1][k]
        out.append(cands[i - 1][k])
    return out[::-1]


def apply_case(template: str, word: str) -> str:
    """``word`` in the case ``template`` is written in ("Tô" -> "Tổ", "TÔ" -> "TỔ").

    Example:
        >>> apply_case("Tô", "tổ"), apply_case("TÔ", "tổ"), apply_case("tô", "tổ")
        ('Tổ', 'TỔ', 'tổ')
    """
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def decode_marks(line: str, options: Callable[[str], list[str]]) -> str:
    """``line`` with each run of syllables (words with one space between)
    given the marks the corpus's pairs make likeliest (see above); ``options``
    gives a syllable's other readings (:func:`pipeline.ingest.ocr._one_mark`). Words that
    are no syllable, and lines that look like a person's name ("Phạm Thị
    Thanh Trà"), stay as read.

    Example:
        >>> from pipeline.ingest.ocr import _one_mark
        >>> decode_marks("hướng dẫn thi hành một sô điêu của Luật", _one_mark)
        'hướng dẫn thi hành một số điều của Luật'
        >>> decode_marks("có thâm quyên; không đê xảy ra; tuyên truyền phô biên", _one_mark)
        'có thẩm quyền; không để xảy ra; tuyên truyền phổ biến'
        >>> decode_marks("Luật Tố tụng hành chính; tổ chức", _one_mark)
        'Luật Tố tụng hành chính; tổ chức'
        >>> decode_marks("Phạm Thị Thanh Trà", _one_mark)
        'Phạm Thị Thanh Trà'
    """
    from pipeline.ingest.legacy import syllables

    words = list(_WORD.finditer(line))
    if 2 <= len(words) <= 5 and all(m[0][:1].isupper() for m in words) and not line.isupper():
        return line  # a person's name ("Phạm Thị Thanh Trà" is not "thanh tra")
    sylls = syllables()
    runs: list[list[re.Match[str]]] = []
    for i, m in enumerate(words):
        key = normalize(m[0]).lower()
        joined = i > 0 and line[words[i - 1].end():m.start()] == " " and bool(runs)
        if key not in sylls:
            runs.append([])  # a run stops at a word that is no syllable
            continue
        if joined and runs[-1]:
            runs[-1].append(m)
        else:
            runs.append([m])
    edits: list[tuple[int, int, str]] = []
    for run in runs:
        if len(run) < 2:
            continue
        keys = [normalize(m[0]).lower() for m in run]
        best = _best_run(keys, options)
        for m, key, new in zip(run, keys, best, strict=True):
            if new != key:
                edits.append((m.start(), m.end(), apply_case(m[0], new)))
    for start, end, new in reversed(edits):
        line = line[:start] + new + line[end:]
    return line
