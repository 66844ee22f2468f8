"""The obvious alternative: what a user would do without vndoc.

* underthesea (9.5.0, its bundled CRF models: no download) splits each line
  into sentences (``sent_tokenize``) and tags every sentence with ``ner``.
* a regular expression finds legal references ("Nghị định số
  35/2022/NĐ-CP", "Công văn 846/UBND-TH", "Luật Đầu tư");
* a regular expression finds date phrases ("ngày 21/5/2019", "ngày 8 tháng
  10 năm 2020", "23/5/2019") and ``dateparser.parse(..., languages=["vi"])``
  converts each.

Its output is converted into the ``ExtractedDocument`` JSON shape so that
``pipeline.eval.evaluate`` scores it exactly as it scores vndoc:

* ``agencies``: the ORG entities (B-ORG + following I-ORG tokens), one per
  distinct name. (underthesea tags most agency names as LOC, e.g. "Sở Tài
  chính tỉnh Bắc Ninh"; the ``orgloc`` variant also counts LOC entities that
  start with an agency word, which is already a rule of our own.)
* ``people``: PER entities.
* ``legal_refs``: the regex matches: type = the type word, number = the
  symbol after it, no pinpoint, date = the first date within 20 characters.
* ``deadlines``: dates preceded by "trước", "chậm nhất", "hạn" or "đến".
* ``tasks`` (variant ``tasks=org``, the default): one task per sentence that
  has an ORG entity: owners = [that first ORG], deadline = the sentence's
  first deadline date; variant ``tasks=none`` predicts no task.
* ``doc``: nothing (the baseline has no notion of the header).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

_TYPE_WORDS = (
    "Nghị định", "Nghị quyết", "Quyết định", "Thông tư", "Chỉ thị", "Công văn", "Công điện",
    "Kết luận", "Thông báo", "Kế hoạch", "Hướng dẫn", "Luật", "Pháp lệnh", "Văn bản",
)
_REF = re.compile(
    r"\b(?P<type>" + "|".join(_TYPE_WORDS) + r")\s+(?:số\s+)?"
    r"(?P<number>\d+(?:/\d{4})?[/-][A-ZĐ][\wĐđ&.-]*(?:/[A-ZĐ][\wĐđ-]*)?"
    r"|[A-ZĐ][a-zà-ỹđ]+(?:\s+[a-zà-ỹđ]+){0,4}(?:\s+năm\s+\d{4})?)"
)
_DATE = re.compile(
    r"(?:ngày\s+)?\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\b"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
)
_DEADLINE_CUE = re.compile(r"(?:trước|chậm nhất|hạn|đến)\s*(?:ngày\s*)?$", re.IGNORECASE)
_AGENCY_WORDS = ("Sở", "Bộ", "UBND", "Ủy ban", "Ban", "Văn phòng", "Cục", "Tổng cục",
                 "HĐND", "Hội đồng", "Công an", "Tỉnh ủy", "Chính phủ", "Thủ tướng")


@lru_cache(maxsize=1)
def _nlp() -> tuple[Any, Any]:
    from underthesea import ner, sent_tokenize

    return ner, sent_tokenize


def _iso(phrase: str) -> str | None:
    import dateparser

    s = re.sub(r"^ngày\s+", "", phrase.strip())
    s = re.sub(r"\s*/\s*", "/", s)
    m = re.match(r"(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", s)
    if m:
        s = f"{m[1]}/{m[2]}/{m[3]}"
    d = dateparser.parse(s, languages=["vi"], settings={"DATE_ORDER": "DMY"})
    return d.date().isoformat() if d else None


def _entities(tagged: Sequence[Sequence[str]], sentence: str, offset: int
              ) -> list[tuple[str, str, int, int]]:
    """(label, text, start, end) from underthesea's (word, pos, chunk, tag) rows."""
    out: list[tuple[str, str, int, int]] = []
    cursor = 0
    cur: list[Any] | None = None
    for row in tagged:
        word, tag = row[0], row[-1]
        at = sentence.find(word, cursor)
        if at < 0:
            at = cursor
        end = at + len(word)
        cursor = end
        if tag.startswith("B-"):
            if cur:
                out.append(tuple(cur))  # type: ignore[arg-type]
            cur = [tag[2:], at, end]
        elif tag.startswith("I-") and cur and cur[0] == tag[2:]:
            cur[2] = end
        else:
            if cur:
                out.append(tuple(cur))  # type: ignore[arg-type]
            cur = None
    if cur:
        out.append(tuple(cur))  # type: ignore[arg-type]
    return [(lab, sentence[s:e], offset + s, offset + e) for lab, s, e in out]


def _sentences(text: str) -> list[tuple[str, int]]:
    _, sent_tokenize = _nlp()
    out = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        cursor = 0
        for s in sent_tokenize(line):
            at = line.find(s, cursor)
            if at < 0:
                at = cursor
            cursor = at + len(s)
            out.append((s, line_start + at))
    return out


_TAG_CACHE: dict[str, Any] | None = None  # only while scoring variants of one output


def _tag(sentence: str) -> Any:
    ner, _ = _nlp()
    if _TAG_CACHE is None:
        return ner(sentence)
    if sentence not in _TAG_CACHE:
        _TAG_CACHE[sentence] = ner(sentence)
    return _TAG_CACHE[sentence]


def extract(text: str, *, tasks: str = "org", orgloc: bool = False) -> dict[str, Any]:
    """The baseline over one cleaned text, as ExtractedDocument JSON."""
    orgs: dict[str, dict[str, Any]] = {}
    people: dict[str, dict[str, Any]] = {}
    task_list: list[dict[str, Any]] = []
    deadlines: list[dict[str, Any]] = []
    dates: list[tuple[int, int, str | None]] = []
    for m in _DATE.finditer(text):
        dates.append((m.start(), m.end(), _iso(m[0])))
        if _DEADLINE_CUE.search(text[max(0, m.start() - 20):m.start()]):
            deadlines.append({"text": m[0], "start": m.start(), "end": m.end(),
                              "date": dates[-1][2]})
    for sentence, off in _sentences(text):
        ents = _entities(_tag(sentence), sentence, off)
        sent_orgs = []
        for label, name, s, e in ents:
            is_org = label == "ORG" or (
                orgloc and label == "LOC" and name.startswith(_AGENCY_WORDS))
            if is_org:
                sent_orgs.append(name)
                orgs.setdefault(name, {"name": name, "mentions": []})["mentions"].append(
                    {"start": s, "end": e, "text": name})
            elif label == "PER":
                people.setdefault(name, {"name": name, "mentions": []})["mentions"].append(
                    {"start": s, "end": e, "text": name})
        if tasks == "org" and sent_orgs:
            dl = next((d for d in deadlines if off <= d["start"] < off + len(sentence)), None)
            task_list.append({
                "owners": [sent_orgs[0]], "cooperating": [], "action": sentence,
                "text": sentence, "start": off, "end": off + len(sentence),
                "deadline": dl["date"] if dl else None,
                "deadline_text": dl["text"] if dl else None, "recurring": None,
                "legal_basis": [],
            })
    refs = []
    for m in _REF.finditer(text):
        near = next((d for d in dates if m.end() <= d[0] <= m.end() + 20), None)
        number = m["number"] if any(c.isdigit() for c in m["number"]) else None
        refs.append({
            "text": m[0], "start": m.start(), "end": m.end(), "type": m["type"],
            "number": number, "canonical": f"{m['type']} {m['number']}", "article": None,
            "clause": None, "point": None, "date": near[2] if near else None, "issuer": None,
        })
    return {
        "text": text, "doc": {}, "agencies": list(orgs.values()), "organizations": [],
        "people": list(people.values()), "legal_refs": refs, "deadlines": deadlines,
        "tasks": task_list,
    }


def speed(texts: Sequence[str]) -> dict[str, Any]:
    """Baseline documents/s over cleaned texts, one process (models loaded first)."""
    extract("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.")
    t = time.perf_counter()
    for tx in texts:
        extract(tx)
    dt = time.perf_counter() - t
    return {"docs": len(texts), "seconds": round(dt, 2), "docs_per_s": round(len(texts) / dt, 2),
            "mb_per_s": round(sum(len(x.encode()) for x in texts) / 1e6 / dt, 4)}


def vndoc_speed(texts: Sequence[str]) -> dict[str, Any]:
    """vndoc's extract() documents/s over the same cleaned texts, one process."""
    from extractors.extraction import extract as vextract

    vextract("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.")
    t = time.perf_counter()
    for tx in texts:
        vextract(tx)
    dt = time.perf_counter() - t
    return {"docs": len(texts), "seconds": round(dt, 2), "docs_per_s": round(len(texts) / dt, 2),
            "mb_per_s": round(sum(len(x.encode()) for x in texts) / 1e6 / dt, 4)}


QUALITY_KEYS = (
    "tasks.precision", "tasks.recall", "tasks.f1", "owners.accuracy", "deadline.accuracy",
    "legal_refs.precision", "legal_refs.recall", "legal_refs.f1",
    "agencies.precision", "agencies.recall", "agencies.f1", "people.f1",
    "doc_fields.accuracy",
)


def quality(gold_dir: Path, *, limit: int | None = None) -> dict[str, Any]:
    """vndoc and the baseline variants scored by pipeline.eval.evaluate on the gold set
    (the first ``limit`` gold documents if given)."""
    import json

    global _TAG_CACHE

    from pipeline.eval.evaluate import aggregate, evaluate_document, find_gold_pairs
    from pipeline.ingest.run import process_file

    variants = {"vndoc": [], "baseline (tasks=org)": [], "baseline (tasks=none)": [],
                "baseline (tasks=org, agencies=ORG+LOC)": []}
    pairs = find_gold_pairs(gold_dir)[:limit]
    _TAG_CACHE = {}  # the variants share one NER pass per sentence
    for gold_path, doc_path in pairs:
        gold = json.loads(gold_path.read_text("utf-8"))
        pred = process_file(doc_path).to_json()
        name = gold_path.stem
        variants["vndoc"].append(evaluate_document(gold, pred, name=name))
        text = pred["text"]  # the same cleaned text for both
        b = extract(text)
        variants["baseline (tasks=org)"].append(evaluate_document(gold, b, name=name))
        variants["baseline (tasks=none)"].append(
            evaluate_document(gold, {**b, "tasks": []}, name=name))
        variants["baseline (tasks=org, agencies=ORG+LOC)"].append(
            evaluate_document(gold, extract(text, orgloc=True), name=name))
    _TAG_CACHE = None
    out: dict[str, Any] = {"documents": len(pairs), "scores": {}}
    for v, evals in variants.items():
        rep = aggregate(evals)
        empty = {f.name for f in rep.fields if f.empty and f.is_accuracy}
        out["scores"][v] = {
            k: (None if k.split(".")[0] in empty else round(rep.scores[k], 3))
            for k in QUALITY_KEYS if k in rep.scores
        }
    return out


if __name__ == "__main__":
    import json
    import sys

    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load

    for p in sys.argv[1:]:
        d = extract(clean(load(p).text))
        d.pop("text")
        print(json.dumps(d, ensure_ascii=False)[:3000])
