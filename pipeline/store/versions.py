"""Versions of one signed document: what changed, and which tasks are the same.

A document's identity is its number and date (``identity_key``) with an
issuer that does not disagree. Two texts with that identity are:

* the same document read from two files (a PDF and a DOCX of one Công văn)
  when most of their words are shared (``SAME_DOCUMENT_OVERLAP``) and what
  they say is the same: the same tasks (word for word, line breaks aside)
  with the same deadlines and the same owners, and the same legal
  references (:func:`compare` finds no substantive change). What differs
  between two readings of one text is not a change: a heading read as the
  title, an owner named with or without the province the extractor could
  infer ("Sở Tài nguyên và Môi trường" and "... tỉnh Quảng Trị");
* two versions when they share at least ``VERSION_OVERLAP`` of their words
  and say something different: a corrected re-issue with a new deadline or
  one more task. The later one supersedes the earlier, and staff decisions
  on the tasks carry over where the tasks match (:func:`match_tasks`);
* two documents otherwise (a number misread, or two texts that say the same
  in different words): both are kept.

Everything here is pure (contract JSON in, plain data out), shared by both
stores.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors.textnorm import tokens
from pipeline.store.base import SAME_DOCUMENT_OVERLAP

__all__ = ["SAME_DOCUMENT_OVERLAP", "VERSION_OVERLAP", "Changes", "TaskMatch", "carried_fields",
           "compare", "match_tasks", "overlap", "same_names"]

VERSION_OVERLAP = 0.5  # shared words of two versions of one document
TASK_OVERLAP = 0.6  # shared words of a task and its edited form in the next version
MAX_DIFF_LINES = 200


def overlap(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two word sets (1.0 for two empty ones)."""
    union = a | b
    return len(a & b) / len(union) if union else 1.0


@dataclass(frozen=True, slots=True)
class TaskMatch:
    """A task of the old version (by index) and the same task in the new one."""

    old: int
    new: int
    exact: bool  # the same sentence, word for word


def _task_words(t: dict[str, Any]) -> tuple[str, ...]:
    return tuple(tokens(t.get("text") or ""))


def match_tasks(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> list[TaskMatch]:
    """Pair each task of the old version with the same task in the new one.

    The same sentence (word for word) pairs first, in order; then a sentence
    that was edited (a new deadline written into it) pairs with the old
    sentence it shares most words with, at least ``TASK_OVERLAP``.

    Example:
        >>> match_tasks([{"text": "Sở Y tế báo cáo trước 10/5."}],
        ...             [{"text": "Sở Y tế báo cáo trước 20/5."}])
        [TaskMatch(old=0, new=0, exact=False)]
    """
    old_words = [_task_words(t) for t in old]
    new_words = [_task_words(t) for t in new]
    out: list[TaskMatch] = []
    free_old = list(range(len(old)))
    free_new: list[int] = []
    by_words: dict[tuple[str, ...], list[int]] = {}
    for i in free_old:
        by_words.setdefault(old_words[i], []).append(i)
    for j, w in enumerate(new_words):
        same = by_words.get(w)
        if same:
            i = same.pop(0)
            out.append(TaskMatch(i, j, True))
            free_old.remove(i)
        else:
            free_new.append(j)
    pairs = sorted(
        ((overlap(set(old_words[i]), set(new_words[j])), i, j)
         for i in free_old for j in free_new),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in pairs:
        if score < TASK_OVERLAP:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        out.append(TaskMatch(i, j, False))
    return sorted(out, key=lambda m: m.new)


# The fields of a task whose change is a change of what the document says.
TASK_FIELDS = ("owners", "cooperating", "deadline", "action")


@dataclass(frozen=True, slots=True)
class Changes:
    """What a new version changes: tasks added, removed and changed, references,
    and the text lines (a unified diff, cut at ``MAX_DIFF_LINES``)."""

    tasks_added: tuple[str, ...] = ()
    tasks_removed: tuple[str, ...] = ()
    tasks_changed: tuple[dict[str, Any], ...] = ()  # {old_text, text, <field>: [old, new]}
    refs_added: tuple[str, ...] = ()
    refs_removed: tuple[str, ...] = ()
    fields: dict[str, list[Any]] = field(default_factory=dict)  # doc fields: [old, new]
    diff: tuple[str, ...] = ()
    lines_added: int = 0
    lines_removed: int = 0
    # Whether the new text says something the old one didn't: a task added
    # or removed, a deadline, owner or partner changed, a reference added or
    # removed (not a field read differently, or an owner named more fully).
    substantive: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks_added": list(self.tasks_added), "tasks_removed": list(self.tasks_removed),
            "tasks_changed": list(self.tasks_changed), "refs_added": list(self.refs_added),
            "refs_removed": list(self.refs_removed), "fields": dict(self.fields),
            "diff": list(self.diff), "lines_added": self.lines_added,
            "lines_removed": self.lines_removed, "substantive": self.substantive,
        }


_DOC_FIELDS = ("doc_type", "title", "subject", "issuer", "signer", "province")


def compare(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """What changed from one version's contract JSON to the next one's.

    Example:
        >>> compare(old_json, new_json).tasks_added
        ('UBND các huyện báo cáo kết quả trước ngày 30/9/2025.',)
    """
    old_tasks, new_tasks = old.get("tasks", []), new.get("tasks", [])
    matches = match_tasks(old_tasks, new_tasks)
    matched_old = {m.old for m in matches}
    matched_new = {m.new for m in matches}
    changed = []
    substantive = False
    for m in matches:
        a, b = old_tasks[m.old], new_tasks[m.new]
        delta: dict[str, Any] = {
            f: [a.get(f), b.get(f)] for f in TASK_FIELDS if _norm(a.get(f)) != _norm(b.get(f))
        }
        if delta:  # (an edited sentence that changes no field is a wording change)
            changed.append({"old_text": a.get("text"), "text": b.get("text"), **delta})
            substantive = substantive or "deadline" in delta or any(
                f in delta and not same_names(a.get(f) or [], b.get(f) or [])
                for f in ("owners", "cooperating"))
    old_refs = {r["canonical"] for r in old.get("legal_refs", [])}
    new_refs = {r["canonical"] for r in new.get("legal_refs", [])}
    added = tuple(t.get("text") or "" for j, t in enumerate(new_tasks) if j not in matched_new)
    gone = tuple(t.get("text") or "" for i, t in enumerate(old_tasks) if i not in matched_old)
    substantive = substantive or bool(added or gone or old_refs != new_refs)
    od, nd = old.get("doc") or {}, new.get("doc") or {}
    fields = {f: [od.get(f), nd.get(f)] for f in _DOC_FIELDS
              if od.get(f) is not None and nd.get(f) is not None and od.get(f) != nd.get(f)}
    old_lines = (old.get("text") or "").splitlines()
    new_lines = (new.get("text") or "").splitlines()
    diff = list(difflib.unified_diff(old_lines, new_lines, "cũ", "mới", n=1, lineterm=""))
    plus = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
    minus = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
    return Changes(
        tasks_added=added,
        tasks_removed=gone,
        tasks_changed=tuple(changed),
        refs_added=tuple(sorted(new_refs - old_refs)),
        refs_removed=tuple(sorted(old_refs - new_refs)),
        fields=fields,
        diff=tuple(diff[:MAX_DIFF_LINES]),
        lines_added=plus,
        lines_removed=minus,
        substantive=substantive,
    )


def _norm(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def same_names(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two lists of agency names name the same bodies, one more fully
    than the other at most ("Sở Y tế" and "Sở Y tế tỉnh Bắc Ninh").

    Example:
        >>> same_names(["Sở Y tế"], ["Sở Y tế tỉnh Bắc Ninh"])
        True
        >>> same_names(["Sở Y tế"], ["Sở Nội vụ"])
        False
    """
    if len(a) != len(b):
        return False
    left = [tuple(tokens(x)) for x in a]
    free = [tuple(tokens(x)) for x in b]
    for x in left:
        hit = next((y for y in free if x[: len(y)] == y or y[: len(x)] == x), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


# Staff decisions (task_overrides) carried from a task to its match in the
# next version. A correction of a field is kept only where the new version
# says what the old one said about that field (the document's own change
# wins); "confirmed" only for the same sentence word for word.
CORRECTABLE = ("owners", "owner_kinds", "cooperating", "deadline", "action")


def carried_fields(old_task: dict[str, Any], new_task: dict[str, Any], *,
                   exact: bool) -> set[str]:
    """The override fields that carry from ``old_task`` to ``new_task``.

    Always done (with its day and who), note and rejection; a correction of
    owners, cooperating agencies, deadline or action where the extracted
    value is the same in both versions; confirmation for the same sentence.
    """
    out = {"done", "done_on", "done_by", "note", "rejected"}
    for f in ("owners", "cooperating", "deadline", "action"):
        if _norm(old_task.get(f)) == _norm(new_task.get(f)):
            out.add(f)
            if f == "owners":
                out.add("owner_kinds")
            if f == "deadline":
                out.add("deadline_cleared")
    if exact:
        out.add("confirmed")
    return out
