"""Scoring the answers to questions against a labelled set (`vndoc eval-ask`).

The format of a set is tests/ask/README.md (``format: vndoc-ask/1``). Each
question carries the parts it is made of and its expected answer written as
the query it should run. A question's answer is right when the query the
parser makes from it returns the same set as the labelled query (and, for
counts and yes/no, the answer says the same); its parts are right when every
labelled part was read (see the README for how words are compared). A
question is right when both are.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from extractors.errors import PipelineError
from extractors.textnorm import fold, tokens
from pipeline.query.ask import answer
from pipeline.query.ask_query import (
    RECURRENCES,
    ROLES,
    SHAPES,
    STATUSES,
    TARGETS,
    AskQuery,
    DocSpec,
    Result,
    content_words,
    run,
)
from pipeline.query.question import PART_KINDS, Parsed
from pipeline.store.base import Store

FORMAT = "vndoc-ask/1"
DEFAULT_CORPUS = ["corpus/seeds", "corpus/docs", "corpus/samples"]


class QuestionSetError(PipelineError):
    """A question set that doesn't follow tests/ask/README.md."""

    code = "E120"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocLabel(_Strict):
    number: str | None = None
    type: str | None = None
    issuer: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    about: str | None = None


def _one_of(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is not None and value not in allowed:
        raise ValueError(f"{what} {value!r} is none of {', '.join(allowed)}")
    return value


class ExpectLabel(_Strict):
    target: str = "tasks"
    ask: str = "list"
    owner: str | list[str] | None = None
    owners: Literal["any", "all"] = "any"
    province: str | None = None
    role: str | None = None
    status: str | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    recurring: str | None = None
    doc: str | DocLabel | None = None
    ref: str | None = None
    topic: str | None = None

    @model_validator(mode="after")
    def _values(self) -> ExpectLabel:
        _one_of(self.target, TARGETS, "target")
        _one_of(self.ask, SHAPES, "ask")
        _one_of(self.role, ROLES, "role")
        _one_of(self.status, STATUSES, "status")
        _one_of(self.recurring, RECURRENCES, "recurring")
        return self

    def query(self) -> AskQuery:
        owners = [self.owner] if isinstance(self.owner, str) else list(self.owner or [])
        doc: DocSpec | None = None
        if isinstance(self.doc, str):
            doc = DocSpec(number=self.doc)
        elif self.doc is not None:
            d = self.doc
            doc = DocSpec(number=d.number, type=d.type, issuer=d.issuer,
                          date_from=d.date_from.isoformat() if d.date_from else None,
                          date_to=d.date_to.isoformat() if d.date_to else None, about=d.about)
        return AskQuery(
            target=self.target, ask=self.ask,  # type: ignore[arg-type]
            owner=owners[0] if owners else None, also=tuple(owners[1:]),
            together=self.owners == "all",
            province=self.province, role=self.role, status=self.status,  # type: ignore[arg-type]
            deadline_from=self.deadline_from.isoformat() if self.deadline_from else None,
            deadline_to=self.deadline_to.isoformat() if self.deadline_to else None,
            recurring=self.recurring, doc=doc, ref=self.ref, topic=self.topic,
        )


class QuestionLabel(_Strict):
    id: str
    q: str
    parts: dict[str, str | list[str] | None] = {}
    expect: ExpectLabel
    today: dt.date | None = None
    tags: list[str] = []
    note: str | None = None

    @field_validator("parts")
    @classmethod
    def _kinds(cls, v: dict[str, Any]) -> dict[str, Any]:
        for k in v:
            if k not in PART_KINDS:
                raise ValueError(f"part kind {k!r} is none of {', '.join(PART_KINDS)}")
        return v

    @model_validator(mode="after")
    def _words_in_question(self) -> QuestionLabel:
        q = " ".join(tokens(self.q))
        for kind, texts in self.part_texts():
            for t in texts:
                if " ".join(tokens(t)) not in q:
                    raise ValueError(f"part {kind}: {t!r} is not words of the question")
        return self

    def part_texts(self) -> list[tuple[str, list[str]]]:
        out = []
        for k, v in self.parts.items():
            if v is None:
                continue
            out.append((k, [v] if isinstance(v, str) else list(v)))
        return out


class QuestionSet(_Strict):
    format: Literal["vndoc-ask/1"]
    today: dt.date
    corpus: list[str] = DEFAULT_CORPUS
    questions: list[QuestionLabel]

    @model_validator(mode="after")
    def _unique(self) -> QuestionSet:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"question id {q.id!r} is used twice")
            seen.add(q.id)
        return self


def load_questions(path: Path) -> QuestionSet:
    """Read and check a question set; errors name the file and the question id."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except OSError as e:
        raise QuestionSetError(f"can't read {path}: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise QuestionSetError(f"{path} is not valid YAML: {e}") from e
    try:
        return QuestionSet.model_validate(raw)
    except ValidationError as e:
        where = []
        for err in e.errors():
            loc = list(err["loc"])
            qid = None
            if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
                qs = raw.get("questions") if isinstance(raw, dict) else None
                if isinstance(qs, list) and loc[1] < len(qs) and isinstance(qs[loc[1]], dict):
                    qid = qs[loc[1]].get("id")
            inner = ".".join(str(x) for x in loc[2:] if not str(x).startswith("function-"))
            at = f"question {qid}" if qid else ".".join(str(x) for x in loc) or "file"
            where.append(f"{at}: {inner + ': ' if inner else ''}{err['msg']}")
        raise QuestionSetError(
            f"{path} does not follow the format of tests/ask/README.md: " + "; ".join(where[:8])
        ) from e


# ------------------------------------------------------------------ scoring


def _words(text: str) -> set[str]:
    return set(tokens(text))


def _part_matches(kind: str, label: str, read: list[str]) -> bool:
    if kind == "topic":
        want = {fold(w) for w in content_words(label)}
        return any({fold(w) for w in content_words(r)} == want for r in read)
    want = _words(label)
    return any(want and (want <= (got := _words(r)) or got <= want) and got for r in read)


def score_parts(label: QuestionLabel, parsed: Parsed) -> list[str]:
    """The misses among the parts: labelled parts not read, parts read but not labelled."""
    read: dict[str, list[str]] = defaultdict(list)
    for p in parsed.parts:
        read[p.kind].append(p.text)
        if p.pieces:  # "có … không": each word on its own as well
            read[p.kind].extend(parsed.question[a:b] for a, b in p.pieces)
    misses = []
    labelled = dict(label.part_texts())
    for kind, texts in labelled.items():
        for t in texts:
            if not _part_matches(kind, t, read.get(kind, [])):
                got = "; ".join(read.get(kind, [])) or "nothing"
                misses.append(f"{kind}: expected {t!r}, read {got}")
    for kind, texts in read.items():
        if kind not in labelled and kind not in ("topic", "qword"):
            misses.append(f"{kind}: read {texts[0]!r}, not labelled")
    return misses


@dataclass
class Outcome:
    id: str
    question: str
    tags: tuple[str, ...]
    parts_ok: bool
    answer_ok: bool
    misses: list[str] = field(default_factory=list)
    expected: int = 0
    got: int = 0

    @property
    def right(self) -> bool:
        return self.parts_ok and self.answer_ok


def score_answer(expected: Result, got: Result, said: dict[str, Any]) -> list[str]:
    """Misses of the answer: another target, shape or set; a wrong count or yes/no."""
    misses = []
    if got.query.target != expected.query.target:
        misses.append(f"target: expected {expected.query.target}, got {got.query.target}")
    if got.query.ask != expected.query.ask:
        misses.append(f"ask: expected {expected.query.ask}, got {got.query.ask}")
    want, have = expected.keys(), got.keys()
    if want != have:
        lost, extra = sorted(want - have)[:5], sorted(have - want)[:5]
        misses.append(f"result: {len(want)} expected, {len(have)} got"
                      + (f"; missing {lost}" if lost else "")
                      + (f"; extra {extra}" if extra else ""))
    if expected.query.ask == "count" and said.get("count") != len(want):
        misses.append(f"count: said {said.get('count')}, expected {len(want)}")
    if expected.query.ask == "yesno" and said.get("yes") != bool(want):
        misses.append(f"yes/no: said {said.get('yes')}, expected {bool(want)}")
    return misses


@dataclass
class Report:
    path: str
    outcomes: list[Outcome]

    def accuracy(self, which: str = "right", tag: str | None = None) -> float:
        rows = [o for o in self.outcomes if tag is None or tag in o.tags]
        if not rows:
            return 0.0
        return sum(bool(getattr(o, which)) for o in rows) / len(rows)

    def render(self, *, details: bool = False) -> str:
        n = len(self.outcomes)
        right = sum(o.right for o in self.outcomes)
        lines = [
            f"{self.path}: {n} questions",
            f"  right (parts and answer): {right}/{n} = {self.accuracy():.3f}",
            f"  answers right:            {sum(o.answer_ok for o in self.outcomes)}/{n}"
            f" = {self.accuracy('answer_ok'):.3f}",
            f"  parts right:              {sum(o.parts_ok for o in self.outcomes)}/{n}"
            f" = {self.accuracy('parts_ok'):.3f}",
        ]
        tags = sorted({t for o in self.outcomes for t in o.tags})
        if tags:
            lines.append("  by tag (right / questions):")
            for t in tags:
                rows = [o for o in self.outcomes if t in o.tags]
                lines.append(f"    {t:<18} {sum(o.right for o in rows)}/{len(rows)}")
        if details:
            for o in self.outcomes:
                if not o.right:
                    lines.append(f"- {o.id}: {o.question}")
                    lines.extend(f"    {m}" for m in o.misses)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "questions": len(self.outcomes),
            "right": self.accuracy(), "answers_right": self.accuracy("answer_ok"),
            "parts_right": self.accuracy("parts_ok"),
            "misses": {o.id: o.misses for o in self.outcomes if not o.right},
        }


def evaluate(store: Store, qset: QuestionSet, *, path: str = "") -> Report:
    """Score every question of a set over a store."""
    outcomes = []
    for label in qset.questions:
        today = label.today or qset.today
        expected = run(store, label.expect.query(), today=today)
        a = answer(store, label.q, today=today, size=1)
        misses = score_parts(label, a.parsed)
        parts_ok = not misses
        said = {"count": a.count, "yes": a.yes}
        # the whole result of the query the question made (the answer lists a page)
        got = run(store, a.query, today=a.today)
        answer_misses = score_answer(expected, got, said)
        outcomes.append(Outcome(
            id=label.id, question=label.q, tags=tuple(label.tags), parts_ok=parts_ok,
            answer_ok=not answer_misses, misses=misses + answer_misses,
            expected=expected.size, got=got.size,
        ))
    return Report(path, outcomes)


def fresh_store(corpus: list[str], root: Path, workdir: Path) -> Store:
    """A LocalStore in ``workdir`` holding the corpus (paths relative to ``root``)."""
    from pipeline.ingest.run import ingest
    from pipeline.store.local import LocalStore

    store = LocalStore(workdir)
    paths = [root / c for c in corpus]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise QuestionSetError(f"the corpus of the question set is missing: {', '.join(missing)}")
    report = ingest([str(p) for p in paths], store)
    if report.failures:
        raise QuestionSetError(
            "the corpus did not ingest cleanly: "
            + "; ".join(f.error for f in report.failures[:3])
        )
    return store


def eval_files(paths: list[Path], *, store: Store | None = None, root: Path | None = None
               ) -> list[Report]:
    """Score each question set; without a store, over a fresh one of its corpus."""
    reports = []
    for path in paths:
        qset = load_questions(path)
        if store is not None:
            reports.append(evaluate(store, qset, path=str(path)))
            continue
        with tempfile.TemporaryDirectory(prefix="vndoc-eval-ask-") as tmp:
            st = fresh_store(qset.corpus, root or Path.cwd(), Path(tmp))
            try:
                reports.append(evaluate(st, qset, path=str(path)))
            finally:
                st.close()  # type: ignore[attr-defined]
    return reports
