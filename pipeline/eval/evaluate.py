"""Score extracted documents against hand-made gold (``vndoc eval``).

Pure functions: the caller loads, cleans and extracts each document, then
passes gold JSON and ``ExtractedDocument.to_json()`` to
:func:`evaluate_document`; :func:`aggregate` sums the counts over documents.

Names are compared by a *key*: ``textnorm.normalize`` (NFC, one tone-mark
convention), ``fold`` (no diacritics, đ -> d, lower case) and whitespace
collapsed, so "Uỷ ban"/"Ủy ban" or "Sở Tài chính"/"sở tài chính" never
count as errors. Apart from that, canonical names must match exactly.

Precision is 1.0 when nothing was predicted, recall 1.0 when gold has
nothing, and an accuracy over no items is 1.0 (the table shows "n/a").

Metrics:

- ``tasks`` (P/R/F1). Each gold task's ``evidence`` is located in
  ``predicted["text"]``: with whitespace collapsed, then also folded, then
  with all whitespace removed, then (evidence of 40 letters or more, found
  nowhere so) where at most 3% of its letters differ, as an OCR reading of a
  scan misreads them. overlap = |[gold_start, gold_end) ∩
  [pred.start, pred.end)|; a pair is a candidate when overlap >= 0.5 × the
  located evidence length; pairs are taken greedily, largest overlap first,
  one-to-one; then a required gold task left unmatched takes a prediction
  that went to an optional one and covers it too. A prediction matched to an
  ``optional`` gold task counts
  neither TP nor FP; an unmatched optional task is not an FN. In a gold file
  with ``"tasks_exhaustive": false`` an unmatched prediction can't be judged
  and is not an FP of ``tasks``; ``tasks_strict`` counts it as one anyway.
- Over matched *required* pairs:
  ``owners.accuracy`` (the owner key sets are equal);
  ``cooperating`` (micro P/R/F1 over (pair, agency key) items);
  ``deadline.accuracy`` and ``recurrence.accuracy`` (equal values, both
  None is correct);
  ``legal_basis`` (micro P/R/F1 over (pair, number) items; a predicted
  basis "Nghị định 35/2022/NĐ-CP" is reduced to its number, through the
  predicted ``legal_refs`` canonical -> number, else to the text from its
  first token with a digit). Scored only in documents where some gold task
  has a ``legal_basis`` key (dev gold has none); there a missing key is [].
- ``legal_refs`` (P/R/F1): a gold ref matches a predicted ref with the same
  (type, number) keys; with a null number (named laws) the name key of the
  gold ``text`` (pinpoint prefix "Điều 77" and trailing "ngày ..."/year
  removed) must equal that of the predicted ``text`` or ``canonical``.
  One-to-one, same pinpoint and date first. Predicted refs repeating one instrument
  and pinpoint count once (gold lists them once; a named law and its amending law of
  another date are two). Gold lists a chained
  pinpoint one ref per article ("Điều 69, 70 và 72"), so a predicted ref
  with a list of articles stands for one ref per article. ``optional`` gold refs
  work as for tasks. Over matched required pairs:
  ``legal_refs.pinpoint_accuracy`` (article, clause, and point when gold
  has it, equal) and ``legal_refs.date_accuracy``.
- ``agencies``, ``organizations``, ``people`` (P/R/F1): per document the
  set of name keys (predicted ``[i]["name"]``), micro-averaged over all
  documents. A document whose gold lacks the list is not scored for it.
- Owner names compare by ``_owner_key``: "UBND" = "Ủy ban nhân dân", and a
  group's list ignores "các", "và", "(trực) thuộc" and commas; in a ministry's
  own document its units read the same with or without the ministry's name
  ("Cục Phòng bệnh" in Bộ Y tế's circular is "Cục Phòng bệnh Bộ Y tế").
- ``owner_kinds.accuracy``: over matched required pairs whose owners are
  right and whose gold has ``owner_kinds``, the kinds (agency, collective,
  organization, person) are the same.
- ``review_edits.per_10_tasks``: the edits staff make to get the register
  right, per 10 required gold tasks: add a missed task, delete a spurious
  one (exhaustive gold only), fix an owner, fix a deadline. Lower is better;
  as a floor it is a ceiling.
- ``doc_fields.accuracy`` and ``doc.<field>.accuracy``: kind, doc_type,
  number_symbol, issuer, issue_date, signer (gold name vs predicted
  ``doc.signer.name``), and place, signer_title, signing_authority (the
  list, in order) only when the gold ``doc`` has those keys. Keys are
  compared, except issue_date (exact). For news, doc_type, number_symbol,
  issuer and signer describe the directive the article reports; gold
  that leaves them null did not annotate them, and they are not scored.

Example:
    >>> report = aggregate([evaluate_document(gold, pred, name="01_cv707")])  # doctest: +SKIP
    >>> report.scores["tasks.f1"]  # doctest: +SKIP
    1.0
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from extractors.errors import PipelineError
from extractors.gazetteer import gazetteer
from extractors.gazetteer import key as gazetteer_key
from extractors.textnorm import fold, normalize

__all__ = [
    "DEFAULT_FLOORS",
    "DocEval",
    "EvalReport",
    "FieldScore",
    "Miss",
    "aggregate",
    "check_floors",
    "evaluate_document",
    "find_gold_pairs",
    "load_floors",
]

# Minimum figures for `vndoc eval --floors` / `make eval`; set from measurements.
DEFAULT_FLOORS: dict[str, float] = {}

_PRF = (
    "tasks",
    "tasks_strict",
    "cooperating",
    "legal_basis",
    "legal_refs",
    "agencies",
    "organizations",
    "people",
)
_DOC_FIELDS = (
    "kind",
    "doc_type",
    "number_symbol",
    "issuer",
    "issue_date",
    "signer",
    "place",
    "signer_title",
    "signing_authority",
)
_OPTIONAL_DOC_FIELDS = ("place", "signer_title", "signing_authority")
# Table order; accuracy scores are the names not in _PRF.
_ORDER = (
    "tasks",
    "tasks_strict",
    "owners",
    "owner_kinds",
    "cooperating",
    "deadline",
    "recurrence",
    "review_edits",
    "legal_basis",
    "legal_refs",
    "legal_refs.pinpoint",
    "legal_refs.date",
    "agencies",
    "organizations",
    "people",
    "doc_fields",
    *(f"doc.{f}" for f in _DOC_FIELDS),
)
_ACCURACY_KEY = {
    "legal_refs.pinpoint": "legal_refs.pinpoint_accuracy",
    "legal_refs.date": "legal_refs.date_accuracy",
}
# Figures where lower is better: a floor on them is a ceiling.
LOWER_IS_BETTER = frozenset({"review_edits.per_10_tasks"})
LONG_DOCUMENT = 5000  # characters: longer documents are "long" in the report by length
_CLIP = 100


@dataclass(frozen=True, slots=True)
class FieldScore:
    """Counts for one metric: tp/fp/fn for P/R/F1, correct/total for accuracy."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    total: int = 0

    @property
    def is_accuracy(self) -> bool:
        return self.name not in _PRF

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        if self.name == "review_edits":  # edits (correct) per 10 gold tasks (total)
            return 10 * self.correct / self.total if self.total else 0.0
        return self.correct / self.total if self.total else 1.0

    @property
    def empty(self) -> bool:
        if self.is_accuracy:
            return self.total == 0
        return self.tp + self.fp + self.fn == 0

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(
            self.name,
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.correct + other.correct,
            self.total + other.total,
        )

    def scores(self) -> dict[str, float]:
        """Flat figures, e.g. {"tasks.f1": 0.9, ...} or {"owners.accuracy": 0.8}."""
        if self.name == "review_edits":
            return {"review_edits.per_10_tasks": self.accuracy}
        if self.is_accuracy:
            return {_ACCURACY_KEY.get(self.name, f"{self.name}.accuracy"): self.accuracy}
        n = self.name
        return {f"{n}.precision": self.precision, f"{n}.recall": self.recall, f"{n}.f1": self.f1}

    def counts(self) -> str:
        if self.name == "review_edits":
            return f"{self.correct} edits / {self.total} tasks"
        if self.is_accuracy:
            return f"{self.correct}/{self.total}"
        return f"tp={self.tp} fp={self.fp} fn={self.fn}"


@dataclass(frozen=True, slots=True)
class Miss:
    """One error: ``kind`` is "missed", "spurious" or "wrong".

    ``context`` says where, for task and ref fields (the task's evidence
    start, the ref's text).
    """

    doc: str
    field: str
    kind: str
    expected: str | None
    got: str | None
    context: str | None = None


@dataclass(frozen=True, slots=True)
class DocEval:
    """The counts and misses of one document, and its group ("official/long")."""

    name: str
    fields: tuple[FieldScore, ...]
    details: tuple[Miss, ...]
    group: str = ""


@dataclass(frozen=True, slots=True)
class EvalReport:
    scores: dict[str, float]
    details: list[Miss]
    documents: int
    fields: tuple[FieldScore, ...] = ()
    groups: dict[str, EvalReport] = dataclasses.field(default_factory=dict)  # by kind and length

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": {
                g: {"documents": r.documents, "scores": r.scores} for g, r in self.groups.items()
            },
            "documents": self.documents,
            "scores": self.scores,
            "counts": {
                f.name: {"correct": f.correct, "total": f.total}
                if f.is_accuracy
                else {"tp": f.tp, "fp": f.fp, "fn": f.fn}
                for f in self.fields
            },
            "details": [asdict(m) for m in self.details],
        }

    def render_table(self) -> str:
        """One row per metric: P, R, F1 (or accuracy) and the counts.

        Plain text without square brackets, so rich prints it unchanged.
        """
        lines = [f"{'field':<26}{'P':>7}{'R':>7}{'F1/acc':>8}  counts"]
        for f in self.fields:
            if f.empty:
                p = r = ""
                main = "n/a"
            elif f.is_accuracy:
                p = r = ""
                main = f"{f.accuracy:.3f}"
            else:
                p, r, main = f"{f.precision:.3f}", f"{f.recall:.3f}", f"{f.f1:.3f}"
            lines.append(f"{f.name:<26}{p:>7}{r:>7}{main:>8}  {f.counts()}")
        lines.append(f"documents: {self.documents}, misses: {len(self.details)}")
        if len(self.groups) > 1:
            lines += ["", self.render_groups()]
        return "\n".join(lines)

    def render_groups(self) -> str:
        """The main figures by kind (official/news) and length (short/long)."""
        cols = (
            ("tasks F1", "tasks.f1"),
            ("R", "tasks.recall"),
            ("owners", "owners.accuracy"),
            ("deadline", "deadline.accuracy"),
            ("agencies", "agencies.f1"),
            ("refs F1", "legal_refs.f1"),
            ("pinpoint", "legal_refs.pinpoint_accuracy"),
            ("doc", "doc_fields.accuracy"),
            ("edits/10", "review_edits.per_10_tasks"),
        )
        head = f"{'group':<16}{'docs':>5}{'tasks':>6}" + "".join(f"{c:>10}" for c, _ in cols)
        lines = [head]
        for name, r in sorted(self.groups.items()):
            by = {f.name: f for f in r.fields}
            n_tasks = by["review_edits"].total if "review_edits" in by else 0
            cells = []
            for _c, key in cols:
                f = by.get(key.split(".")[0].replace("_accuracy", ""))
                if key.startswith("legal_refs.pinpoint"):
                    f = by.get("legal_refs.pinpoint")
                cells.append("n/a" if f is None or f.empty else f"{r.scores[key]:.3f}")
            lines.append(
                f"{name:<16}{r.documents:>5}{n_tasks:>6}" + "".join(f"{c:>10}" for c in cells)
            )
        return "\n".join(lines)

    def render_details(self) -> str:
        """Every miss, grouped by document."""
        lines: list[str] = []
        doc = None
        for m in self.details:
            if m.doc != doc:
                doc = m.doc
                lines.append(f"{doc}:")
            where = f" (at: {m.context})" if m.context else ""
            lines.append(f"  {m.field} {m.kind}{where}: expected {_q(m.expected)}, got {_q(m.got)}")
        return "\n".join(lines) if lines else "no misses"


# --- finding gold and documents -------------------------------------------


def find_gold_pairs(gold_dir: Path, *, prefer: Sequence[str] = ()) -> list[tuple[Path, Path]]:
    """Pair each gold ``*.json`` with the document of the same stem.

    The document is any non-JSON file of that stem under ``gold_dir.parent``
    outside ``gold_dir`` (a ``.txt`` wins over other formats, unless a suffix
    of ``prefer`` is present: ``prefer=(".pdf", ".docx")`` scores originals).

    Example:
        >>> find_gold_pairs(Path("corpus/gold"))[0]
        (PosixPath('corpus/gold/000_1708979d649a01d1.json'), PosixPath('corpus/seeds/000_...txt'))

    Raises:
        PipelineError: a gold file has no document, or several.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise PipelineError(f"{gold_dir} is not a folder. Pass the folder of gold JSON files.")
    gold_root = gold_dir.resolve()
    by_stem: dict[str, list[Path]] = {}
    for root, dirs, files in os.walk(gold_dir.parent):
        # Skip hidden folders (.venv, .git) and the gold folder itself.
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != gold_root
        )
        for f in sorted(files):
            path = Path(root, f)
            if not f.startswith(".") and path.suffix != ".json":
                by_stem.setdefault(path.stem, []).append(path)
    pairs = []
    for gold in sorted(gold_dir.glob("*.json")):
        found = by_stem.get(gold.stem, [])
        txt = [p for p in found if p.suffix == ".txt"]
        preferred = [p for p in found if p.suffix.lower() in prefer]
        if len(preferred) == 1:
            pairs.append((gold, preferred[0]))
        elif len(found) == 1 or len(txt) == 1:
            pairs.append((gold, found[0] if len(found) == 1 else txt[0]))
        elif not found:
            raise PipelineError(
                f"No document for gold file {gold}: expected a file named {gold.stem}.* "
                f"under {gold_dir.parent} (outside {gold_dir}). Add it or remove the gold file."
            )
        else:
            names = ", ".join(str(p) for p in found)
            raise PipelineError(
                f"Several documents for gold file {gold}: {names}. Keep one (or one .txt)."
            )
    return pairs


# --- scoring one document ---------------------------------------------------


def evaluate_document(gold: dict[str, Any], predicted: dict[str, Any], *, name: str) -> DocEval:
    """Compare one gold annotation with one ``ExtractedDocument.to_json()``.

    Example:
        >>> gold = {"doc": {"issuer": "UBND tỉnh Quảng Trị"}, "agencies": ["Sở Tài chính"]}
        >>> ev = evaluate_document(gold, pred, name="01_cv707")  # doctest: +SKIP
    """
    t = _Tally(name)
    text = predicted.get("text") or ""
    _score_tasks(gold, predicted, _Locator(text), t)
    _score_refs(
        gold.get("legal_refs"), predicted.get("legal_refs") or [], t, own=_reported(gold, predicted)
    )
    for field in ("agencies", "organizations", "people"):
        if gold.get(field) is not None:
            _score_names(field, gold[field], predicted.get(field) or [], t)
    _score_doc(gold.get("doc") or {}, predicted.get("doc") or {}, t)
    kind = (gold.get("doc") or {}).get("kind") or (predicted.get("doc") or {}).get("kind")
    length = "long" if len(text) > LONG_DOCUMENT else "short"
    return t.result(group=f"{kind or 'other'}/{length}")


def aggregate(evals: Iterable[DocEval], *, by_group: bool = True) -> EvalReport:
    """Sum the counts of every document into one report (micro averages),
    with one sub-report per group (kind and length)."""
    evals = list(evals)
    totals: dict[str, FieldScore] = {n: FieldScore(n) for n in _ORDER}
    details: list[Miss] = []
    for ev in evals:
        for f in ev.fields:
            totals[f.name] = totals.get(f.name, FieldScore(f.name)) + f
        details.extend(ev.details)
    scores: dict[str, float] = {}
    for f in totals.values():
        scores.update(f.scores())
    groups: dict[str, EvalReport] = {}
    if by_group:
        for g in sorted({ev.group for ev in evals}):
            groups[g] = aggregate([ev for ev in evals if ev.group == g], by_group=False)
    return EvalReport(scores, details, len(evals), tuple(totals.values()), groups)


def check_floors(report: EvalReport, floors: dict[str, float]) -> list[str]:
    """The floors the report falls below, e.g. "tasks.f1 0.873 < floor 0.900".

    A floor naming no reported figure is a violation too, so a typo is seen.
    """
    bad = []
    for key, floor in sorted(floors.items()):
        if key not in report.scores:
            bad.append(f"{key} is not a reported figure (known: {', '.join(report.scores)})")
        elif key in LOWER_IS_BETTER:
            if report.scores[key] > floor + 1e-9:
                bad.append(f"{key} {report.scores[key]:.3f} > ceiling {floor:.3f}")
        elif report.scores[key] + 1e-9 < floor:
            bad.append(f"{key} {report.scores[key]:.3f} < floor {floor:.3f}")
    return bad


def load_floors(path: Path) -> dict[str, float]:
    """Read ``{"tasks.f1": 0.8, ...}`` from a JSON or YAML (.yaml/.yml) file.

    Raises:
        PipelineError: the file is missing, unparsable, or not a mapping of
            figure names to numbers between 0 and 1.
    """
    path = Path(path)
    try:
        raw = path.read_text("utf-8")
    except OSError as e:
        raise PipelineError(f"Can't read floors file {path}: {e.strerror}.") from e
    try:
        data = yaml.safe_load(raw) if path.suffix in (".yaml", ".yml") else json.loads(raw)
    except (ValueError, yaml.YAMLError) as e:
        raise PipelineError(f"Can't parse floors file {path}: {e}") from e
    if not isinstance(data, dict):
        raise PipelineError(f'Floors file {path} must hold a mapping like {{"tasks.f1": 0.8}}.')
    floors = {}
    for key, value in data.items():
        if str(key).startswith("_"):  # "_comment" and the like
            continue
        top = 10 if str(key) in LOWER_IS_BETTER else 1
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= top:
            raise PipelineError(
                f"Floor {key!r} in {path} must be a number from 0 to 1, not {value!r}."
            )
        floors[str(key)] = float(value)
    return floors


# --- helpers ----------------------------------------------------------------


class _Tally:
    """Counts and misses of one document while it is scored."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.counts = {n: FieldScore(n) for n in _ORDER}
        self.misses: list[Miss] = []

    def add(self, field: str, **counts: int) -> None:
        self.counts[field] = self.counts[field] + FieldScore(field, **counts)

    def miss(
        self, field: str, kind: str, expected: Any, got: Any, context: str | None = None
    ) -> None:
        self.misses.append(Miss(self.doc, field, kind, _show(expected), _show(got), context))

    def result(self, *, group: str = "") -> DocEval:
        doc = [self.counts[f"doc.{f}"] for f in _DOC_FIELDS]
        self.counts["doc_fields"] = FieldScore(
            "doc_fields", correct=sum(f.correct for f in doc), total=sum(f.total for f in doc)
        )
        return DocEval(self.doc, tuple(self.counts.values()), tuple(self.misses), group)


def _key(value: Any) -> str:
    """Name key: normalized, folded, whitespace collapsed."""
    if value is None:
        return ""
    return " ".join(fold(normalize(str(value))).split())


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        value = "; ".join(str(v) for v in value)
    return _clip(str(value))


def _clip(s: str, n: int = _CLIP) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _q(s: str | None) -> str:
    return "-" if s is None else f'"{s}"'


def _squeeze(text: str, *, drop: bool) -> tuple[str, list[int]]:
    """Collapse (or with ``drop`` remove) whitespace; map new index -> old.
    ``drop`` also removes Markdown's emphasis stars, which gold copied from a
    Markdown source keeps and the cleaner takes out ("**trước ngày 30/11**")."""
    out: list[str] = []
    idx: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if drop and ch == "*":
            continue
        if ch.isspace():
            if not drop and not space:
                out.append(" ")
                idx.append(i)
            space = True
        else:
            out.append(ch)
            idx.append(i)
            space = False
    return "".join(out), idx


class _Locator:
    """Find a phrase in a text ignoring whitespace runs, then diacritics, then (a
    phrase of 40 letters or more) a few letters read wrong: an OCR reading's "chế
    tà" for "chế tài" or ":" for ";" inside a task's evidence still places it."""

    def __init__(self, text: str) -> None:
        plain, idx = _squeeze(text, drop=False)
        tight, tidx = _squeeze(text, drop=True)
        self._levels = ((plain, idx, False, False), (fold(plain), idx, True, False))
        self._levels += ((fold(tight), tidx, True, True),)

    def find(self, phrase: str) -> list[tuple[int, int]]:
        """Every [start, end) of ``phrase`` at the first level that has one."""
        phrase = normalize(phrase)
        for hay, idx, folded, drop in self._levels:
            needle = _squeeze(phrase, drop=drop)[0].strip()
            needle = fold(needle) if folded else needle
            if not needle:
                return []
            spans = []
            at = hay.find(needle)
            while at >= 0:
                spans.append((idx[at], idx[at + len(needle) - 1] + 1))
                at = hay.find(needle, at + 1)
            if spans:
                return spans
        # the last level's hay and needle (whitespace dropped, folded): a near place
        at = _near(hay, needle)
        return [] if at is None else [(idx[at], idx[min(len(idx), at + len(needle)) - 1] + 1)]


# At most this share of a phrase's letters may differ where it is placed by _near.
_NEAR_EDITS = 0.03
_NEAR_MIN = 40


def _near(hay: str, needle: str) -> int | None:
    """Where ``needle`` (40 letters or more) stands in ``hay`` with at most 3% of its
    letters changed, dropped or added (the start of the best place), else None.
    Places are proposed by 12-letter pieces of the needle found as they are."""
    n = len(needle)
    if n < _NEAR_MIN:
        return None
    k = max(1, int(n * _NEAR_EDITS))
    starts: set[int] = set()
    for off in range(0, n - 12, max(8, n // 8)):
        piece = needle[off : off + 12]
        at, seen = hay.find(piece), 0
        while at >= 0 and seen < 8:
            starts.add(at - off)
            at, seen = hay.find(piece, at + 1), seen + 1
    best: tuple[int, int] | None = None
    for st in sorted(starts):
        for s0 in range(max(0, st - k), st + k + 1):
            d = _edits_within(needle, hay[s0 : s0 + n + k], k)
            if d is not None and (best is None or d < best[0]):
                best = (d, s0)
    return None if best is None else best[1]


def _edits_within(a: str, b: str, k: int) -> int | None:
    """The fewest edits that turn ``a`` into a prefix of ``b``, if at most ``k``."""
    inf = k + 1
    prev = list(range(len(b) + 1))  # a[:0] against b[:j]: j insertions
    for i in range(1, len(a) + 1):
        lo, hi = max(0, i - k), min(len(b), i + k)
        cur = [inf] * (len(b) + 1)
        if lo == 0:
            cur[0] = i
        for j in range(max(1, lo), hi + 1):
            cur[j] = min(
                prev[j - 1] + (a[i - 1] != b[j - 1]),
                prev[j] + 1,
                cur[j - 1] + 1,
            )
        if min(cur[lo : hi + 1]) > k:
            return None
        prev = cur
    d = min(prev[max(0, len(a) - k) : min(len(b), len(a) + k) + 1])
    return d if d <= k else None


def _greedy(cands: Iterable[tuple[int, int, int]], optional: Sequence[bool] = ()) -> dict[int, int]:
    """One-to-one matching of (overlap, gold, pred), largest overlap first. Then
    a required gold task left unmatched takes a prediction that went to an
    optional one and covers it too (a prediction of "Sở Xây dựng chủ trì theo
    dõi tiến độ dự án; thống nhất đề xuất họp ..." carries the required task,
    whatever the optional clause after it)."""
    cands = sorted(cands, key=lambda c: (-c[0], c[1], c[2]))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, g, p in cands:
        if g not in pairs and p not in used:
            pairs[g] = p
            used.add(p)
    if any(optional):
        by_pred = {p: g for g, p in pairs.items()}
        for _, g, p in cands:
            if g in pairs or (g < len(optional) and optional[g]):
                continue
            held = by_pred.get(p)
            if held is not None and held < len(optional) and optional[held]:
                del pairs[held]
                pairs[g] = p
                by_pred[p] = g
    return pairs


def _pred_span(task: dict[str, Any], loc: _Locator) -> tuple[int, int] | None:
    start, end = task.get("start"), task.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    spans = loc.find(task.get("text") or "")
    return spans[0] if spans else None


def _pair_tasks(
    gold: dict[str, Any], pred: dict[str, Any], loc: _Locator
) -> tuple[dict[int, int], list[list[tuple[int, int]]]]:
    """Which prediction each gold task is matched to (gold index -> predicted index),
    and where each gold task's evidence lies."""
    gtasks = gold.get("tasks") or []
    ptasks = pred.get("tasks") or []
    gspans = [loc.find(t.get("evidence") or "") for t in gtasks]
    pspans = [_pred_span(t, loc) for t in ptasks]
    cands = []
    for gi, spans in enumerate(gspans):
        for pi, ps in enumerate(pspans):
            if ps is None:
                continue
            best = 0
            for gs, ge in spans:
                ov = max(0, min(ge, ps[1]) - max(gs, ps[0]))
                if ov >= 0.5 * (ge - gs):
                    best = max(best, ov)
            if best:
                cands.append((best, gi, pi))
    return _greedy(cands, [bool(g.get("optional")) for g in gtasks]), gspans


def task_labels(gold: dict[str, Any], predicted: dict[str, Any]) -> list[bool | None]:
    """For each predicted task: True when it is matched to a required gold task,
    False when the evaluator counts it as spurious, None when it counts neither
    way (matched to an optional task, or a gold file that does not list every task).
    What ``scripts/train_task_filter.py`` learns from.

    Example:
        >>> gold = {"tasks": [{"evidence": "Sở Y tế báo cáo.", "owners": []}]}
        >>> pred = {"text": "Sở Y tế báo cáo. Sở Xây dựng họp.", "tasks": [
        ...     {"start": 0, "end": 16}, {"start": 17, "end": 33}]}
        >>> task_labels(gold, pred)
        [True, False]
    """
    pairs, _spans = _pair_tasks(gold, predicted, _Locator(predicted.get("text") or ""))
    gtasks = gold.get("tasks") or []
    by_pred = {pi: gi for gi, pi in pairs.items()}
    exhaustive = gold.get("tasks_exhaustive", True) is not False
    out: list[bool | None] = []
    for pi in range(len(predicted.get("tasks") or [])):
        if pi in by_pred:
            out.append(None if gtasks[by_pred[pi]].get("optional") else True)
        else:
            out.append(False if exhaustive else None)
    return out


def _score_tasks(gold: dict[str, Any], pred: dict[str, Any], loc: _Locator, t: _Tally) -> None:
    gtasks = gold.get("tasks") or []
    ptasks = pred.get("tasks") or []
    pairs, gspans = _pair_tasks(gold, pred, loc)
    matched = set(pairs.values())
    exhaustive = gold.get("tasks_exhaustive", True) is not False
    okey = _owner_key_within(gold)
    required = sum(1 for g in gtasks if not g.get("optional"))
    t.add("review_edits", total=required)
    for pi, pt in enumerate(ptasks):
        if pi not in matched:
            # A gold file that says it does not list every task can't judge
            # an extra prediction: it counts in tasks_strict only.
            t.add("tasks_strict", fp=1)
            if exhaustive:
                t.add("tasks", fp=1)
                t.add("review_edits", correct=1)
                t.miss("tasks", "spurious", None, pt.get("text"))
            else:
                t.miss("tasks_strict", "unjudged", None, pt.get("text"))
    refs = {_key(r.get("canonical")): _key(r.get("number")) for r in pred.get("legal_refs") or []}
    with_basis = any("legal_basis" in t for t in gtasks)
    for gi, gt in enumerate(gtasks):
        if gt.get("optional"):
            continue
        if gi not in pairs:
            t.add("tasks", fn=1)
            t.add("tasks_strict", fn=1)
            t.add("review_edits", correct=1)
            got = None if gspans[gi] else "(evidence not located in the text)"
            t.miss("tasks", "missed", gt.get("evidence"), got)
            continue
        t.add("tasks", tp=1)
        t.add("tasks_strict", tp=1)
        pt = ptasks[pairs[gi]]
        where = _clip(gt.get("evidence") or "", 60)
        gown, pown = gt.get("owners") or [], pt.get("owners") or []
        ok = {okey(o) for o in gown} == {okey(o) for o in pown}
        t.add("owners", correct=int(ok), total=1)
        if not ok:
            t.add("review_edits", correct=1)
            t.miss("owners", "wrong", gown, pown, where)
        elif gt.get("owner_kinds") is not None:
            gk = sorted(zip((okey(o) for o in gown), gt["owner_kinds"], strict=False))
            pkinds = pt.get("owner_kinds") or ["agency"] * len(pown)
            pk = sorted(zip((okey(o) for o in pown), pkinds, strict=False))
            ok_kind = gk == pk
            t.add("owner_kinds", correct=int(ok_kind), total=1)
            if not ok_kind:
                t.miss("owner_kinds", "wrong", [k for _, k in gk], [k for _, k in pk], where)
        for fname, gk_, pk_ in (
            ("deadline", "deadline", "deadline"),
            ("recurrence", "recurring", "recurring"),
        ):
            ok = (gt.get(gk_) or None) == (pt.get(pk_) or None)
            t.add(fname, correct=int(ok), total=1)
            if not ok:
                if fname == "deadline":
                    t.add("review_edits", correct=1)
                t.miss(fname, "wrong", gt.get(gk_), pt.get(pk_), where)
        _score_items(
            "cooperating",  # partners are named as owners are, read with the same key
            {okey(c): c for c in gt.get("cooperating") or []},
            {okey(c): c for c in pt.get("cooperating") or []},
            t,
            where,
        )
        if with_basis:
            _score_items(
                "legal_basis",
                {_basis_key(b, {}): b for b in gt.get("legal_basis") or []},
                {_basis_key(b, refs): b for b in pt.get("legal_basis") or []},
                t,
                where,
            )


def _owner_key_within(gold: dict[str, Any]) -> Callable[[Any], str]:
    """:func:`_owner_key` in a ministry's own document, where its units are one name
    with or without the ministry's: in Bộ Y tế's circular "Cục Phòng bệnh" is "Cục
    Phòng bệnh Bộ Y tế" (the gold's issuer says whose document it is).

        >>> k = _owner_key_within({"doc": {"issuer": "Bộ Y tế"}})
        >>> k("Cục Phòng bệnh") == k("Cục Phòng bệnh Bộ Y tế"), k("Bộ Y tế") == k("")
        (True, False)
    """
    issuer = str((gold.get("doc") or {}).get("issuer") or "")
    own = _owner_key(issuer) if issuer.startswith("Bộ ") else ""
    if not own:
        return _owner_key

    def key(value: Any) -> str:
        k = _owner_key(value)
        return k[: -len(own) - 1] if k.endswith(" " + own) else k

    return key


def _owner_key(value: Any) -> str:
    """An owner's key: "Ủy ban nhân dân" and "UBND" are one spelling (so are
    "Mặt trận Tổ quốc" and "MTTQ", "Hội đồng nhân dân" and "HĐND", "Trung
    ương" and "TW"), and a group's list reads the same with or without "các",
    "và" and "của" ("các Bộ, ngành và địa phương" is "các bộ, ngành, địa phương", "các
    Ban của HĐND tỉnh" is "các Ban HĐND tỉnh"), "thuộc UBND" before its unit ("các
    cơ quan chuyên môn thuộc UBND tỉnh X" is "... tỉnh X"), and its
    jurisdiction with or without "(trực) thuộc" or "trên địa bàn" ("UBND cấp
    xã thuộc tỉnh Bắc Ninh" is "UBND cấp xã tỉnh Bắc Ninh", "các chủ rừng
    trên địa bàn tỉnh X" is "các chủ rừng tỉnh X"), and a province's name with
    or without "tỉnh" before it. A level's committees read the same whether
    the text names the level or lists its kinds of unit ("UBND cấp xã" is "UBND
    các xã, phường, thị trấn", "UBND cấp huyện" is "UBND các huyện, thị xã,
    thành phố", "UBND cấp tỉnh" is "UBND các tỉnh, thành phố"), and a group
    the same with or without "(có) liên quan", its field words spelled out or
    abbreviated ("KCB BHYT"), and "các tỉnh, thành phố" with or without "trực
    thuộc Trung ương" (there are no others), and a department "của các tỉnh, thành
    phố" the same as "các Sở ..." (every province's)."""
    # "các địa phương trong tỉnh X" is "các địa phương tỉnh X"
    k = _abbreviated(_key(_PROVINCE_WORD.sub("", _WITHIN_UNIT.sub("", str(value or "")))))
    k = " ".join(k.replace(",", " ").replace("truc thuoc", " ").split())
    k = k.replace("tren dia ban", " ")
    k = _spelled_departments(k)
    for long, short in _OWNER_ABBREVIATIONS:
        k = k.replace(long, short)
    k = _UNDER_UNIT.sub("", k)  # "các quận, huyện thuộc Thành phố X" reads as "... Thành phố X"
    k = _COMMUNE_LEVEL.sub(" cap xa ", k)
    k = _DISTRICT_LEVEL.sub(" cap huyen ", k)
    k = _PROVINCE_LEVEL.sub(" ubnd cap tinh ", k)
    k = _CONCERNED.sub(" ", k)
    k = k.replace("tinh thanh pho tw", "tinh thanh pho")
    # "các cơ quan chuyên môn thuộc UBND tỉnh X" are the province's: "... tỉnh X"
    k = _UNDER_COMMITTEE.sub(" ", k)
    k = " ".join(w for w in k.split() if w not in ("cac", "va", "thuoc", "cua"))
    # "các Sở Khoa học và Công nghệ" is "Sở Khoa học và Công nghệ các tỉnh, thành phố"
    return k.removesuffix(" tinh thanh pho") if k.startswith("so ") else k


# (folded key) a group's "thuộc UBND" before its unit or its place (the "tỉnh" before a
# province's name is gone by then): the jurisdiction says it
_UNDER_COMMITTEE = re.compile(r"\bthuoc ubnd (?=\S)")


@cache
def _departments() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each department's abbreviated name after its head, in an owner key, and the
    name spelled out (the gazetteer's aliases)."""
    out = []
    for d in gazetteer().agencies.departments:
        for alias in d.aliases:
            short = re.escape(_key(alias).replace(",", " "))
            long = _key(d.name).replace(",", " ")
            out.append((re.compile(rf"\b(so|phong|bo) {short}(?![\w&])"), long))
    return tuple(out)


def _spelled_departments(k: str) -> str:
    """An owner key with a department's abbreviated name spelled out after its head
    ("so gddt", "phong gd&dt" are "so giao duc va dao tao"...), as the gazetteer
    lists the abbreviations."""
    if "so " not in k and "phong " not in k and "bo " not in k:
        return k
    for rx, long in _departments():
        k = rx.sub(rf"\1 {long}", k)
    return k


_WITHIN_UNIT = re.compile(r"(?<![\w])trong\s+(?=(?:tỉnh|thành\s+phố|huyện)(?![\w]))")


# Field words official texts abbreviate inside group names, in an owner key
# (folded, commas gone): "các cơ sở khám bệnh, chữa bệnh bảo hiểm y tế" is "các
# cơ sở KCB BHYT".
_OWNER_ABBREVIATIONS = (
    ("kham benh chua benh", "kcb"),
    ("kham chua benh", "kcb"),
    ("bao hiem y te", "bhyt"),
    ("bao hiem xa hoi", "bhxh"),
    ("khu cong nghiep", "kcn"),
)


# A level named by the kinds of its units, in an owner key (folded, commas
# gone): "cac xa phuong thi tran", "cac phuong va xa" or, two kinds or more
# without "các", "xa phuong thi tran" and "phuong - xa" are the communes' level,
# "cac huyen thi xa thanh pho", "cac quan huyen" or "quan - huyen" the districts'. A list that
# starts with "tinh" is the provinces' and stays as it is.
_COMMUNE_UNIT = r"(?:xa|phuong|thi tran|dac khu)"
_COMMUNE_LEVEL = re.compile(
    rf"\b(?:cac {_COMMUNE_UNIT}(?: (?:va |- )?{_COMMUNE_UNIT})*"
    rf"|{_COMMUNE_UNIT}(?: (?:va |- )?{_COMMUNE_UNIT})+)(?= |$)"
)
_DISTRICT_UNIT = r"(?:huyen|quan|thi xa|thanh pho)"
_DISTRICT_LEVEL = re.compile(
    rf"\b(?:cac (?:huyen|quan|thi xa)(?: (?:va |- )?{_DISTRICT_UNIT})*"
    rf"|(?:huyen|quan|thi xa)(?: (?:va |- )?{_DISTRICT_UNIT})+)(?= |$)"
)
_UNDER_UNIT = re.compile(r"\bthuoc (?=(?:tinh|thanh pho|huyen|quan|thi xa) )")
_CONCERNED = re.compile(r"\b(?:co )?lien quan\b")
# every province's: "UBND các tỉnh, thành phố (trực thuộc TW)" is "UBND cấp tỉnh"
_PROVINCE_LEVEL = re.compile(r"\bubnd (?:cac )?tinh thanh pho(?: tw)?(?= |$)")


def _basis_key(value: str, refs: dict[str, str]) -> str:
    """The number of a basis: "Nghị định 35/2022/NĐ-CP" -> "35/2022/nd-cp"."""
    key = _key(value)
    if refs.get(key):
        return refs[key]
    words = key.split()
    for i, w in enumerate(words):
        if any(c.isdigit() for c in w):
            return " ".join(words[i:])
    return key


def _score_items(
    field: str,
    gold: dict[str, Any],
    pred: dict[str, Any],
    t: _Tally,
    where: str | None = None,
) -> None:
    """Set comparison of keyed items (key -> original spelling)."""
    gold.pop("", None)
    pred.pop("", None)
    tp = len(gold.keys() & pred.keys())
    t.add(field, tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)
    for k in gold:
        if k not in pred:
            t.miss(field, "missed", gold[k], None, where)
    for k in pred:
        if k not in gold:
            t.miss(field, "spurious", None, pred[k], where)


def _score_names(field: str, gold: list[Any], pred: list[Any], t: _Tally) -> None:
    def name(x: Any) -> str | None:
        return x.get("name") if isinstance(x, dict) else x

    k = {"agencies": _agency_key, "organizations": _organization_key}.get(field, _key)
    g = {k(name(x)): name(x) for x in gold}
    p = {k(name(x)): name(x) for x in pred}
    _score_items(field, g, p, t)


def _organization_key(name: Any) -> str:
    """A state corporation by its full name, whichever a side wrote ("EVN" is
    "Tập đoàn Điện lực Việt Nam"); any other name as written."""
    table = gazetteer().agencies.enterprise_acronyms
    return _key(table.get(str(name or "").strip(), name))


def _agency_key(name: Any) -> str:
    """A national body by its canonical name, whichever of its names a side wrote
    ("Ban Bí thư Trung ương Đảng" is "Ban Bí thư"); any other name as written, a
    province's name with or without "tỉnh" before it, and the long words official
    names abbreviate ("Ủy ban MTTQ Việt Nam tỉnh X" is "Ủy ban Mặt trận Tổ quốc
    Việt Nam tỉnh X")."""
    if isinstance(name, str):
        # a committee of the National Assembly with or without "của Quốc hội" after it
        name = _OF_ASSEMBLY.sub(r"\1", name)
        head = gazetteer().heads.get(gazetteer_key(name))
        if head is not None and head.needs_unit == "none" and head.rule_id.startswith("body."):
            return _key(head.name)
    return _abbreviated(_key(_PROVINCE_WORD.sub("", name) if isinstance(name, str) else name))


_OF_ASSEMBLY = re.compile(r"^((?:Ủy\s+ban|Hội\s+đồng\s+Dân\s+tộc)\b.*?)\s+của\s+Quốc\s+hội$")


def _abbreviated(k: str) -> str:
    """A key with the abbreviations official names use for their long words:
    "Ủy ban nhân dân" is "UBND", "Mặt trận Tổ quốc" "MTTQ", "Hội đồng nhân dân"
    "HĐND", "Trung ương" "TW"."""
    for long, short in _ABBREVIATIONS:
        k = k.replace(long, short)
    # the Front is only Vietnam's: "Ủy ban MTTQ xã X" is "Ủy ban MTTQ Việt Nam xã X"
    return k.replace("mttq viet nam", "mttq")


_ABBREVIATIONS = (
    ("uy ban nhan dan", "ubnd"),
    ("mat tran to quoc", "mttq"),
    ("hoi dong nhan dan", "hdnd"),
    ("trung uong", "tw"),
)


# "tỉnh" before a province's name: "Kho bạc Nhà nước tỉnh Quảng Ngãi" is the body
# officially named "Kho bạc Nhà nước Quảng Ngãi" (so are "Đài Phát thanh và Truyền hình
# Lạng Sơn" and "UBND Quảng Ngãi"); one side writing the unit word is no other body
_PROVINCE_WORD = re.compile(
    r"\btỉnh\s+(?!(?:thành|và|ủy|uỷ|đoàn|lộ|trưởng|[Ủủ]y\s+ban)\b)(?=[^\W\d_])", re.IGNORECASE
)


_PINPOINT = re.compile(r"^(?:(?:diem|khoan|dieu|muc|chuong)\s+[\w.]+\s*,?\s*)+")
_TRAIL_DATE = re.compile(r"\s*,?\s*(?:ngay\s*\d.*|(?:nam\s*)?\d{4})$")


def _name_key(text: Any) -> str:
    """A named law by its name, spaces ignored (a copy may glue words: "Luật
    Bảo hiểmXã hội"): "Điều 77 Luật Đầu tư ngày 1/1/2020" -> "luatdautu"."""
    return _TRAIL_DATE.sub("", _PINPOINT.sub("", _key(text))).replace(" ", "")


def _ref_keys(ref: dict[str, Any], *, predicted: bool) -> set[tuple[str, str]]:
    typ = _key(ref.get("type"))
    if ref.get("number"):
        # a standard's number with or without its type word: "QCVN 01:2021/BXD" is "01:2021/BXD"
        number = _key(ref["number"])
        if typ and number.startswith(typ + " "):
            number = number[len(typ) + 1 :]
        return {(typ, number)}
    names = {_name_key(ref.get("text"))}
    if predicted:
        names.add(_name_key(ref.get("canonical")))
    return {(typ, "name:" + n) for n in names if n}


def _pinpoint(ref: dict[str, Any], *, point: bool = True) -> tuple[str, ...]:
    """Article, clause (and point) as keys; point "đ" stays apart from point "d" (the
    points of a clause run a, b, c, d, đ, e: two points, not one spelling)."""
    key = (_key(ref.get("article")), _key(ref.get("clause")))
    if not point:
        return key
    p = str(ref.get("point") or "").strip().lower()
    return (*key, "dd" if p == "đ" else _key(p))


def _per_article(ref: dict[str, Any]) -> list[dict[str, Any]]:
    """A ref citing "69, 70, 72" as three refs, articles 69, 70 and 72
    (clause and point stay with a single article only); a chain the extractor
    split ("khoản 4 Điều 14 và Điều 27": ``pinpoints``) as one ref per pinpoint,
    each with its own clause and point."""
    pins = ref.get("pinpoints") or []
    if len(pins) > 1:
        return [{**ref, **{k: p.get(k) for k in ("article", "clause", "point")}} for p in pins]
    articles = [a.strip() for a in str(ref.get("article") or "").split(",")]
    if len(articles) < 2:
        return [ref]
    return [{**ref, "article": a, "clause": None, "point": None} for a in articles if a]


def _reported(gold: dict[str, Any], predicted: dict[str, Any]) -> set[str]:
    """A news item's own document, the directive it reports (its number as the
    gold and as the prediction read it): gold lists no document's own number among
    its references, so a prediction citing it is not scored against them."""
    if (gold.get("doc") or {}).get("kind") != "news":
        return set()
    numbers = {
        (gold.get("doc") or {}).get("number_symbol"),
        (predicted.get("doc") or {}).get("number_symbol"),
    }
    return {_key(n) for n in numbers if n}


def _own(ref: dict[str, Any], own: set[str]) -> bool:
    """A reference to the document's own number, written whole or short ("Chỉ
    thị 26" for 26/CT-TTg), with no pinpoint."""
    number = _key(ref.get("number"))
    if not number or not own or any(ref.get(f) for f in ("article", "clause", "point")):
        return False
    return any(n == number or n.startswith(number + "/") for n in own)


def _score_refs(
    gold: list[dict[str, Any]] | None,
    pred: list[dict[str, Any]],
    t: _Tally,
    *,
    own: set[str] | None = None,
) -> None:
    if gold is None:
        return
    seen: dict[tuple[Any, ...], set[Any]] = {}
    preds = []
    for r in (one for ref in pred for one in _per_article(ref)):
        # gold lists one instrument + pinpoint once; a named law and its amending law of
        # another date are two instruments (both dated, the dates differ)
        keys = _ref_keys(r, predicted=True)
        dup = (min(keys, default=None), _pinpoint(r))
        date = None if r.get("number") else r.get("date")
        dates = seen.get(dup)
        if dates is None or (date is not None and None not in dates and date not in dates):
            seen.setdefault(dup, set()).add(date)
            preds.append((r, keys))
    pairs: dict[int, int] = {}
    for same_pinpoint, same_date in ((True, True), (True, False), (False, False)):
        for gi, g in enumerate(gold):
            if gi in pairs:
                continue
            gkeys = _ref_keys(g, predicted=False)
            for pi, (p, pkeys) in enumerate(preds):
                if pi in pairs.values() or not gkeys & pkeys:
                    continue
                if same_date and (p.get("date") or None) != (g.get("date") or None):
                    continue
                if not same_pinpoint or _pinpoint(p) == _pinpoint(g):
                    pairs[gi] = pi
                    break
    matched = set(pairs.values())
    for pi, (p, _) in enumerate(preds):
        if pi not in matched and not _own(p, own or set()):
            t.add("legal_refs", fp=1)
            t.miss("legal_refs", "spurious", None, p.get("canonical") or p.get("text"))
    for gi, g in enumerate(gold):
        if g.get("optional"):
            continue
        if gi not in pairs:
            t.add("legal_refs", fn=1)
            t.miss("legal_refs", "missed", g.get("text"), None)
            continue
        t.add("legal_refs", tp=1)
        p = preds[pairs[gi]][0]
        where = _clip(g.get("text") or "", 60)
        has_point = "point" in g
        ok = _pinpoint(g, point=has_point) == _pinpoint(p, point=has_point)
        t.add("legal_refs.pinpoint", correct=int(ok), total=1)
        if not ok:
            t.miss("legal_refs.pinpoint", "wrong", _pin_text(g), _pin_text(p), where)
        ok = (g.get("date") or None) == (p.get("date") or None)
        t.add("legal_refs.date", correct=int(ok), total=1)
        if not ok:
            t.miss("legal_refs.date", "wrong", g.get("date"), p.get("date"), where)


def _pin_text(ref: dict[str, Any]) -> str:
    parts = [f"{f} {ref[f]}" for f in ("point", "clause", "article") if ref.get(f)]
    return ", ".join(parts) or "none"


# For news the contract gives doc_type, number_symbol, issuer and signer of
# the directive an article reports; gold that leaves them null did not
# annotate them, so they are scored only where gold gives them.
_REPORTED_FIELDS = frozenset({"doc_type", "number_symbol", "issuer", "signer"})


def _doc_values(gold: dict[str, Any], pred: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    signer = pred.get("signer") or {}
    if not isinstance(signer, dict):
        signer = {"name": signer}
    got = {
        **pred,
        "signer": signer.get("name"),
        "signer_title": signer.get("title"),
        "signing_authority": signer.get("authority") or [],
    }
    news = gold.get("kind") == "news"
    for field in _DOC_FIELDS:
        if field in _OPTIONAL_DOC_FIELDS and field not in gold:
            continue
        if news and field in _REPORTED_FIELDS and not gold.get(field):
            continue  # the reported directive's fields were not annotated
        yield field, gold.get(field), got.get(field)


def _score_doc(gold: dict[str, Any], pred: dict[str, Any], t: _Tally) -> None:
    for field, g, p in _doc_values(gold, pred):
        if field == "signing_authority":
            ok = [_key(x) for x in g or []] == [_key(x) for x in p or []]
        elif field == "issue_date":
            ok = (g or None) == (p or None)
        elif field == "issuer":
            # a body as agencies compare it: "Ủy ban MTTQ" is "Ủy ban Mặt trận Tổ quốc"
            ok = (_agency_key(g) if g else "") == (_agency_key(p) if p else "")
        else:
            ok = _key(g) == _key(p)
        t.add(f"doc.{field}", correct=int(ok), total=1)
        if not ok:
            t.miss(f"doc.{field}", "wrong", g, p)
