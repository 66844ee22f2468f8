"""Which of the rules' candidates are tasks: a linear model over what the rules saw.

The rules of :mod:`extractors.tasks` find every sentence that reads as an
assignment; some are not (an aim in a plan's purposes, a condition of a norm,
a report's finding). Each candidate is described by the rule that read it, its
owners' kinds, its deadline, the first words of its sentence and of the line
above, and scored by a logistic model that ``scripts/train_task_filter.py``
fits on the hand-annotated corpus (its labels come from the evaluator's
matching against the gold, never from the program). A candidate scored under
the model's threshold is dropped.

The weights live in ``extractors/data/task_filter.json`` with what they were
trained on and their cross-validated figures. Scoring is a sum of weights:
no library, about a microsecond per feature.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat

from extractors.errors import RuleTableError
from extractors.model import DocKind, DocMeta, Task

FEATURES_VERSION = 1

_WORD = re.compile(r"\w+")
_ITEM = re.compile(r"[ \t]*(?:[-+•]|\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.)")
_SENTENCE_WORDS = 25  # the bag of words looks at the sentence's start only
_SENTENCE_CHARS = 160  # where those words lie (a word is 5-6 characters with its space)
_SMALL = tuple(str(i) for i in range(7))
_WORD_NAMES = ("w0", "w1", "w2")

_DISABLED: ContextVar[bool] = ContextVar("task_filter_disabled", default=False)


@contextmanager
def candidates() -> Iterator[None]:
    """Within this block :func:`keep_tasks` keeps every candidate: what the model
    is trained on.

    Example:
        >>> with candidates():
        ...     _DISABLED.get()
        True
    """
    token = _DISABLED.set(True)
    try:
        yield
    finally:
        _DISABLED.reset(token)


@dataclass(frozen=True, slots=True)
class Model:
    bias: float
    weights: dict[str, float]
    threshold: float
    # the weights by the feature's name and value ("bow" -> {"báo": 0.3}): scoring looks
    # each part up without building its string
    tables: dict[str, dict[str, float]]

    def probability(self, feats: Sequence[str]) -> float:
        """The model's probability that a candidate with these features is a task."""
        get = self.weights.get
        z = self.bias
        for f in set(feats):
            z += get(f, 0.0)
        return 1.0 / (1.0 + math.exp(-z))

    def score(self, task: Task, text: str, meta: DocMeta) -> float:
        """:meth:`probability` of the candidate's :func:`features`, looked up part by part."""
        tables = self.tables
        fixed, bow = _parts(task, text, meta)
        z = self.bias
        for name, value in dict.fromkeys(fixed):
            table = tables.get(name)
            if table is not None:
                z += table.get(value, 0.0)
        words = tables.get("bow")
        if words is not None:
            z += sum(map(words.get, bow, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-z))


@cache
def model() -> Model | None:
    """The trained model, or None when no weights are shipped (every candidate kept)."""
    try:
        raw = resources.files("extractors.data").joinpath("task_filter.json").read_text("utf-8")
    except FileNotFoundError:
        return None
    return parse_model(raw)


def parse_model(raw: str) -> Model:
    """A model from its JSON; an error names the file and what is wrong.

    Example:
        >>> m = parse_model('{"features_version": 1, "threshold": 0.5, "bias": 0, "weights": {}}')
        >>> m.probability(["rule=x"])
        0.5
    """
    try:
        data = json.loads(raw)
        if data["features_version"] != FEATURES_VERSION:
            raise RuleTableError(
                f"task_filter.json was trained on features version {data['features_version']}, "
                f"the code makes version {FEATURES_VERSION}: run scripts/train_task_filter.py"
            )
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        tables: dict[str, dict[str, float]] = {}
        for k, v in weights.items():
            name, _, value = k.partition("=")
            tables.setdefault(name, {})[value] = v
        return Model(
            bias=float(data["bias"]),
            weights=weights,
            threshold=float(data["threshold"]),
            tables=tables,
        )
    except (ValueError, KeyError, TypeError) as e:
        raise RuleTableError(f"task_filter.json is not a valid model: {e}") from e


def features(task: Task, text: str, meta: DocMeta) -> list[str]:
    """What the model reads of one candidate, as ``name=value`` strings.

    Example:
        >>> t = Task(owners=("Sở Y tế tỉnh Gia Lai",), cooperating=(), text="Sở Y tế báo cáo.",
        ...          start=0, end=16, rule_id="task.owner.subject.v1", owner_kinds=("agency",))
        >>> f = features(t, "Sở Y tế báo cáo.", DocMeta())
        >>> "rule=task.owner.subject.v1" in f and "w0=sở" in f and "prev=" in f
        True
    """
    fixed, bow = _parts(task, text, meta)
    return [f"{name}={value}" for name, value in fixed] + [f"bow={w}" for w in bow]


def _parts(task: Task, text: str, meta: DocMeta) -> tuple[list[tuple[str, str]], list[str]]:
    """The candidate's features as (name, value) pairs, and its bag of words apart
    (the first words of its sentence, each once)."""
    words = _WORD.findall(task.text[:_SENTENCE_CHARS].lower())
    out = [
        ("rule", task.rule_id),
        ("kinds", ",".join(sorted(set(task.owner_kinds)))),
        ("owners", _SMALL[min(len(task.owners), 3)]),
        ("deadline", _SMALL[int(task.deadline is not None or task.deadline_text is not None)]),
        ("recurring", task.recurring.value if task.recurring else "None"),
        ("cooperating", _SMALL[int(bool(task.cooperating))]),
        ("basis", _SMALL[int(bool(task.legal_basis))]),
        ("kind", meta.kind.value),
        ("type", str(meta.doc_type)),
        ("length", _SMALL[min(len(task.text) // 60, 6)]),
        ("colon", _SMALL[int(task.text.rstrip().endswith(":"))]),
    ]
    out += zip(_WORD_NAMES, words[:3], strict=False)
    if len(words) > 1:
        out.append(("w01", f"{words[0]}_{words[1]}"))
    line_start = text.rfind("\n", 0, task.start) + 1
    prev_end = max(line_start - 1, 0)
    prev_start = text.rfind("\n", 0, prev_end) + 1
    prev = text[prev_start:prev_end].strip()[:40]
    out += [("prev", w) for w in _WORD.findall(prev.lower())[:3]] or [("prev", "")]
    out.append(("prevcaps", _SMALL[int(len(prev) > 3 and prev.upper() == prev)]))
    out.append(("item", _SMALL[int(_ITEM.match(text, line_start, task.start + 4) is not None)]))
    return out, list(dict.fromkeys(words[:_SENTENCE_WORDS]))


def filtered(meta: DocMeta) -> bool:
    """Whether a document's candidates go through the model: not a news passage's
    (news reports few sentences that are not directives; the model, cross-validated,
    only ever lost true tasks there)."""
    return meta.kind is not DocKind.NEWS


def keep_tasks(tasks: Sequence[Task], text: str, meta: DocMeta) -> tuple[Task, ...]:
    """The candidates the model scores at its threshold or above (all of them inside
    :func:`candidates`, in a news passage, or when no model is shipped)."""
    m = model()
    if m is None or _DISABLED.get() or not filtered(meta):
        return tuple(tasks)
    return tuple(t for t in tasks if m.score(t, text, meta) >= m.threshold)
