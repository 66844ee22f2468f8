"""OCR quality on the scanned originals of corpus/pdf: vndoc's text against the typed copy.

    python -m bench.ocr_quality                    # writes bench/results/ocr-quality.md (+ .json)
    python -m bench.ocr_quality --files 03,09      # a few files
    python -m bench.ocr_quality --no-cache         # Tesseract again for every page

Each scanned original (corpus/pdf/files 03, 04, 06-09, 11, 12, 15-17) is read
as ``vndoc eval --prefer .pdf`` reads it (:func:`pipeline.ingest.run.read_file`:
load with OCR, clean, extract), in this process; its text is compared with the
same reading of its text copy (corpus/pdf/docs/<stem>.txt, typed by hand from
the page images). The copies are used here only, to measure.

Figures, all after whitespace normalisation (every run of spaces and line
breaks is one space) and NFC:

* **CER**: character edits (Levenshtein) / characters of the copy. The texts
  are first aligned syllable by syllable (difflib), then every differing stretch
  is scored by its characters' edit distance; the copy's own conventions (the
  header's line order, stamps dropped, footnotes moved to the end) count as
  errors too, so CER is an upper bound of the OCR's own errors.
* **SER**: syllable edits / syllables of the copy (syllables: runs of letters
  and digits; punctuation aside, case kept).
* **tasks hit**: gold tasks (corpus/pdf/gold) whose evidence sentence, found in
  the copy, has at least one syllable edit in the original's text: the tasks an
  exact-text match loses to OCR.
* error classes of the one-for-one syllable substitutions (tone, hat/horn,
  d/đ, case, one letter, other) and of the uneven stretches (split, merged,
  dropped, inserted), with the commonest confusions.
* the eval scores of the 17 files (scanned ones from this reading; the others
  are read too), which must equal ``vndoc eval corpus/pdf/gold --prefer .pdf
  --prefer .docx``.

Tesseract's pages are kept under ``tmp/bench/ocr-cache`` keyed by the page
image and by the source of the OCR stage (``pipeline/ingest/ocr.py`` above its
post-OCR cleanup, ``handdigits.py``, ``pdftables.py``), so changing the cleanup
re-scores in seconds and changing the OCR stage reads the pages again.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import pickle
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "corpus" / "pdf"
SCANNED = ("03", "04", "06", "07", "08", "09", "11", "12", "15", "16", "17")
CACHE = ROOT / "tmp" / "bench" / "ocr-cache"
OUT = ROOT / "bench" / "results" / "ocr-quality.md"
_CLEANUP_MARK = "# Post-OCR Vietnamese cleanup"


# --- alignment ----------------------------------------------------------------


def norm_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_SYLL = re.compile(r"\w+")


def levenshtein(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Edit distance (substitution, insertion, deletion all cost 1).

    Example:
        >>> levenshtein("tổ chức", "tô chúc"), levenshtein(["a", "b"], ["b"])
        (2, 1)
    """
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


# A stretch of this many syllables or more missing from one side only is text
# the copy leaves out (17's Phụ lục II, stamps) or puts elsewhere (the V/v line):
# counted in CER, and left out of "CER in place".
LONG_GAP = 8
_BIG = 4_000_000  # cells: a longer stretch is scored as its length, not aligned


def _dist(a: Sequence[Any], b: Sequence[Any]) -> int:
    if len(a) * len(b) > _BIG:
        return max(len(a), len(b))
    return levenshtein(a, b)


def base(s: str) -> str:
    """Letters without any mark, đ as d: "Đường" -> "duong"."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def no_tone(s: str) -> str:
    """Letters with hats and horns but no tone: "Đường" -> "đương"."""
    s = unicodedata.normalize("NFD", s.lower())
    return unicodedata.normalize("NFC", "".join(c for c in s if c not in _TONE_MARKS))


def classify(ref: str, hyp: str) -> str:
    """What kind of misreading ``hyp`` is of ``ref`` (one syllable for one).

    Example:
        >>> [classify(*p) for p in [("tổ", "tô"), ("ơn", "on"), ("đây", "dây"), ("Bộ", "bộ"),
        ...                         ("hiện", "biện"), ("299", "899"), ("cao", "xyz")]]
        ['tone', 'hat/horn', 'd/đ', 'case', 'one letter', 'digits', 'other']
    """
    if ref.lower() == hyp.lower():
        return "case"
    if ref.isdigit() or hyp.isdigit():
        return "digits"
    if base(ref) == base(hyp):
        r, h = ref.lower(), hyp.lower()
        if ("đ" in r) != ("đ" in h) and base(r) == base(h) and no_tone(r).replace("đ", "d") == \
                no_tone(h).replace("đ", "d"):
            return "d/đ"
        if no_tone(r) == no_tone(h):
            return "tone"
        return "hat/horn"
    if levenshtein(ref.lower(), hyp.lower()) == 1:
        return "one letter"
    return "other"


def compare(ref_text: str, hyp_text: str, evidences: Sequence[str] = ()) -> dict[str, Any]:
    """CER, SER, error classes and task sentences hit, of ``hyp_text`` against ``ref_text``."""
    ref, hyp = norm_space(ref_text), norm_space(hyp_text)
    rtok = [(m.start(), m.end()) for m in _SYLL.finditer(ref)]
    htok = [(m.start(), m.end()) for m in _SYLL.finditer(hyp)]
    rs = [ref[a:b] for a, b in rtok]
    hs = [hyp[a:b] for a, b in htok]
    sm = difflib.SequenceMatcher(None, rs, hs, autojunk=False)
    char_edits = syl_edits = gap_edits = 0
    classes: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    bad = [False] * (len(rs) + 1)  # ref syllable i is misread (or a syllable is put before it)
    ops = sm.get_opcodes()
    # characters between syllables (spaces, punctuation) are compared with the stretch before
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        rstart = rtok[i1][0] if i1 < len(rtok) else len(ref)
        rend = rtok[i2][0] if i2 < len(rtok) else len(ref)
        hstart = htok[j1][0] if j1 < len(htok) else len(hyp)
        hend = htok[j2][0] if j2 < len(htok) else len(hyp)
        if k == 0:
            rstart = hstart = 0
        if tag == "equal":
            # the syllables agree; what lies between them (punctuation) may not
            for di in range(i2 - i1):
                i, j = i1 + di, j1 + di
                r_gap = ref[rtok[i][1]: rtok[i + 1][0] if i + 1 < len(rtok) else len(ref)]
                h_gap = hyp[htok[j][1]: htok[j + 1][0] if j + 1 < len(htok) else len(hyp)]
                if r_gap != h_gap:
                    char_edits += _dist(r_gap, h_gap)
                    classes["punctuation"] += 1
            if k == 0 and (ref[:rtok[i1][0]] if rtok else ref) != (hyp[:htok[j1][0]] if htok
                                                                   else hyp):
                char_edits += _dist(ref[:rtok[0][0]], hyp[:htok[0][0]])
            continue
        rblock, hblock = rs[i1:i2], hs[j1:j2]
        cost = _dist(ref[rstart:rend], hyp[hstart:hend])
        char_edits += cost
        if not (rblock and hblock) and len(rblock) + len(hblock) >= LONG_GAP:
            gap_edits += cost
        syl_edits += _dist(rblock, hblock)
        for i in range(i1, max(i2, i1 + 1)):
            bad[i] = True
        if len(rblock) == len(hblock):
            for r, h in zip(rblock, hblock, strict=True):
                if r != h:
                    classes[classify(r, h)] += 1
                    pairs[(r, h)] += 1
        elif not hblock:
            classes["dropped"] += len(rblock)
        elif not rblock:
            classes["inserted"] += len(hblock)
        elif "".join(rblock).lower() == "".join(hblock).lower():
            classes["split" if len(hblock) > len(rblock) else "merged"] += 1
        elif base("".join(rblock)) == base("".join(hblock)):
            classes["split+marks" if len(hblock) > len(rblock) else "merged+marks"] += 1
        else:
            classes["uneven other"] += max(len(rblock), len(hblock))
            if len(rblock) + len(hblock) <= 6:
                pairs[(" ".join(rblock), " ".join(hblock))] += 1
    # task sentences: the syllables of each evidence found in the copy
    hit = found = 0
    hit_list: list[str] = []
    starts = [a for a, _b in rtok]
    import bisect

    for ev in evidences:
        ev_n = norm_space(ev)
        at = ref.find(ev_n)
        if at < 0:
            continue
        found += 1
        i1 = bisect.bisect_left(starts, at)
        i2 = bisect.bisect_left(starts, at + len(ev_n))
        if any(bad[i1:i2]):
            hit += 1
            hit_list.append(ev_n)
    return {
        "chars": len(ref),
        "char_edits": char_edits,
        "gap_edits": gap_edits,
        "syllables": len(rs),
        "syllable_edits": syl_edits,
        "classes": dict(classes),
        "pairs": {f"{r} → {h}": n for (r, h), n in pairs.most_common()},
        "tasks_found": found,
        "tasks_hit": hit,
        "hit": hit_list,
    }


def unlocated(copy: str, original: str, evidences: Sequence[str]) -> dict[str, Any]:
    """The task sentences the evaluator finds in the copy's text but not in the
    original's (it compares whitespace and then diacritics aside: these are the
    tasks OCR loses), each with the stretch of the original's text read in its place."""
    from pipeline.eval.evaluate import _Locator

    in_copy, in_orig = _Locator(copy), _Locator(original)
    lost = []
    found = 0
    for ev in evidences:
        if not in_copy.find(ev):
            continue
        found += 1
        if not in_orig.find(ev):
            lost.append(ev)
    return {"tasks_located": found, "tasks_lost": len(lost), "lost": lost}


# --- reading the originals, Tesseract's pages cached ------------------------------


def _stage_key() -> str:
    """A digest of the code that runs before the post-OCR cleanup."""
    h = hashlib.sha256()
    src = (ROOT / "pipeline" / "ingest" / "ocr.py").read_text("utf-8")
    h.update(src.split(_CLEANUP_MARK, 1)[0].encode())
    for name in ("handdigits.py", "pdftables.py", "limits.py"):
        p = ROOT / "pipeline" / "ingest" / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def install_cache(cache: Path, stats: Counter[str]) -> None:
    """Wrap :func:`pipeline.ingest.ocr.ocr_images` so a page image already read
    by the same OCR code comes from ``cache``."""
    from pipeline.ingest import ocr

    real = ocr.ocr_images
    stage = _stage_key()
    cache.mkdir(parents=True, exist_ok=True)

    def cached(images: Sequence[Any], **kw: Any) -> list[Any]:
        out: list[Any] = [None] * len(images)
        todo = []
        keys = []
        for k, img in enumerate(images):
            h = hashlib.sha256(stage.encode())
            h.update(f"{img.size}{img.mode}{img.info.get('dpi')}{sorted(kw.items())}".encode())
            h.update(img.tobytes())
            color = img.info.get("color")
            if color is not None:
                h.update(color.tobytes())
            key = h.hexdigest()[:24]
            keys.append(key)
            f = cache / f"{key}.pickle"
            if f.exists():
                out[k] = pickle.loads(f.read_bytes())
                stats["cached"] += 1
            else:
                todo.append(k)
        if todo:
            read = real([images[k] for k in todo], **kw)
            for k, page in zip(todo, read, strict=True):
                out[k] = page
                (cache / f"{keys[k]}.pickle").write_bytes(pickle.dumps(page))
                stats["read"] += 1
        return out

    ocr.ocr_images = cached  # type: ignore[assignment]


def read(path: Path) -> dict[str, Any]:
    from pipeline.ingest.run import read_file

    return read_file(path).to_json()  # type: ignore[no-any-return]


# --- the report ---------------------------------------------------------------------


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.2f} %" if d else "-"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", help="comma-separated prefixes (default: the scanned ones)")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--no-eval", action="store_true", help="skip the 17 files' eval")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--label", default="", help="a line saying what was measured")
    args = ap.parse_args(argv)

    from pipeline.eval.evaluate import aggregate, evaluate_document, find_gold_pairs

    stats: Counter[str] = Counter()
    if not args.no_cache:
        install_cache(args.cache, stats)
    wanted = tuple(args.files.split(",")) if args.files else SCANNED
    pairs = find_gold_pairs(PDF / "gold", prefer=(".pdf", ".docx"))
    rows = []
    evals = []
    t0 = time.monotonic()
    for gold_path, doc_path in pairs:
        stem = gold_path.stem
        prefix = stem[:2]
        scanned = prefix in wanted
        if not scanned and (args.no_eval or args.files):
            continue
        gold = json.loads(gold_path.read_text("utf-8"))
        predicted = read(doc_path)
        evals.append(evaluate_document(gold, predicted, name=stem))
        if not scanned:
            continue
        copy = read(PDF / "docs" / f"{stem}.txt")
        evidences = [t["evidence"] for t in gold.get("tasks", []) if t.get("evidence")]
        res = compare(copy["text"], predicted["text"], evidences)
        res.update(unlocated(copy["text"], predicted["text"], evidences))
        res["file"] = stem
        res["ocr_unread"] = (predicted.get("meta") or {}).get("ocr_unread")
        rows.append(res)
        print(f"{stem[:30]:30} CER {_pct(res['char_edits'], res['chars']):>8} "
              f"SER {_pct(res['syllable_edits'], res['syllables']):>8} "
              f"tasks hit {res['tasks_hit']}/{res['tasks_found']} "
              f"lost {res['tasks_lost']}/{res['tasks_located']}", file=sys.stderr)
    elapsed = time.monotonic() - t0
    report = aggregate(evals) if evals else None
    _write(args, rows, report, stats, elapsed)
    return 0


def _write(args: argparse.Namespace, rows: list[dict[str, Any]], report: Any,
           stats: Counter[str], elapsed: float) -> None:
    import subprocess

    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "pipeline"], cwd=ROOT,
                           capture_output=True, text=True, check=False).stdout.strip()
    tot = Counter[str]()
    classes: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for r in rows:
        for k in ("chars", "char_edits", "gap_edits", "syllables", "syllable_edits", "tasks_found",
                  "tasks_hit", "tasks_located", "tasks_lost"):
            tot[k] += r[k]
        classes.update(r["classes"])
        pairs.update(r["pairs"])
    cmd = "python -m bench.ocr_quality" + (f" --files {args.files}" if args.files else "")
    lines = [
        "# OCR quality on the scanned originals (corpus/pdf)",
        "",
        f"Command: `{cmd}` at {rev}{' + working tree' if dirty else ''}"
        + (f" ({args.label})" if args.label else ""),
        "",
        "vndoc's text of each scanned original (load with OCR, clean) against the same reading "
        "of its typed copy (corpus/pdf/docs), whitespace normalised. CER: character edits / "
        "characters of the copy; CER in place: without the stretches of 8 syllables or more "
        "that only one side has (text the copy leaves out or puts elsewhere); SER: syllable "
        "edits / syllables; tasks hit: gold task "
        "sentences with at least one syllable misread; tasks lost: gold task sentences the "
        "evaluator's locator (whitespace, then diacritics aside) finds in the copy's text "
        "but not in the original's. The copy's layout conventions (header "
        "line order, dropped stamps, footnotes at the end) count as errors too.",
        "",
        f"Pages: {stats['read']} read by Tesseract, {stats['cached']} from the cache; "
        f"{elapsed:.0f} s.",
        "",
        "| file | chars | CER | CER in place | syllables | SER | tasks hit | tasks lost | "
        "left blank |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['file'][:32]} | {r['chars']} | {_pct(r['char_edits'], r['chars'])} | "
            f"{_pct(r['char_edits'] - r['gap_edits'], r['chars'])} | "
            f"{r['syllables']} | {_pct(r['syllable_edits'], r['syllables'])} | "
            f"{r['tasks_hit']}/{r['tasks_found']} | {r['tasks_lost']}/{r['tasks_located']} | "
            f"{r['ocr_unread'] or ''} |")
    lines.append(
        f"| **all** | {tot['chars']} | **{_pct(tot['char_edits'], tot['chars'])}** | "
        f"**{_pct(tot['char_edits'] - tot['gap_edits'], tot['chars'])}** | "
        f"{tot['syllables']} | **{_pct(tot['syllable_edits'], tot['syllables'])}** | "
        f"**{tot['tasks_hit']}/{tot['tasks_found']}** | **{tot['tasks_lost']}/"
        f"{tot['tasks_located']}** | |")
    lines += ["", "Error classes (syllables; one-for-one substitutions by kind, uneven "
              "stretches by shape):", "", "| class | count |", "|---|---|"]
    lines += [f"| {k} | {n} |" for k, n in classes.most_common()]
    lines += ["", "Commonest confusions (copy → OCR):", "",
              ", ".join(f"{p} ({n})" for p, n in pairs.most_common(60))]
    if report is not None:
        s = report.scores
        names = ("tasks.f1", "legal_refs.f1", "doc_fields.accuracy", "owners.accuracy",
                 "agencies.f1")
        lines += ["", f"Eval of the {report.documents} files read here "
                  "(= `vndoc eval corpus/pdf/gold --prefer .pdf --prefer .docx` when all 17):", "",
                  "| " + " | ".join(names) + " |", "|" + "---|" * len(names),
                  "| " + " | ".join(f"{s.get(n, float('nan')):.3f}" for n in names) + " |"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps({"rows": rows, "scores": report.scores if report else None}, ensure_ascii=False,
                   indent=1) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
