"""Staff review: suggestions for a missed task, reviewed documents as gold,
and how the extractors did on them (the "Chất lượng" figures).

Backend-neutral: everything here reads the ``Store`` protocol. A reviewed
document (every task confirmed, edited, rejected or added, or confirmed as a
whole) is gold: its kept tasks, as staff left them, are what the extractor
should have found. Scoring the extractor's own output, stored with the
document, against that gold with ``pipeline.eval.evaluate`` gives the
office's own accuracy figures; scoring the store's current tasks against it
gives 1.0 (the export is faithful).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from extractors.agencies import find_agencies
from extractors.deadlines import find_deadlines, find_recurrences
from extractors.legal_refs import find_legal_refs
from extractors.model import DocKind, DocMeta, Document
from extractors.tasks import find_tasks
from pipeline.eval.evaluate import EvalReport, aggregate, evaluate_document
from pipeline.store.base import ReviewedDocument, Store, TaskRecord

_GOLD_DOC_FIELDS = ("kind", "doc_type", "number_symbol", "issuer", "issue_date")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the extractors read in a stretch of a document, to pre-fill a new task."""

    start: int
    end: int
    text: str
    owners: tuple[str, ...]
    owner_kinds: tuple[str, ...]
    cooperating: tuple[str, ...]
    action: str | None
    deadline: str | None
    deadline_text: str | None
    rule_id: str | None  # the task rule that read it, None when no rule did


def suggest_task(data: dict[str, Any], start: int, end: int) -> Suggestion:
    """Run the extractors on ``text[start:end]`` of a stored document.

    The document's own date and province resolve deadlines ("trước ngày
    10/8") and qualify names ("Sở Tài chính" of that province). When no task
    rule reads the stretch, its first agencies and deadline are offered.

    Example:
        >>> s = suggest_task(stored.data, 120, 210)  # doctest: +SKIP
        >>> s.owners, s.deadline  # doctest: +SKIP
        (('Sở Tài chính tỉnh Bắc Giang',), '2024-03-31')
    """
    text = data["text"]
    start, end = max(0, start), min(len(text), end)
    sel = text[start:end]
    d = data.get("doc") or {}
    province = d.get("province")
    kind = d.get("kind") or "other"
    meta = DocMeta(
        kind=DocKind(kind) if kind in {k.value for k in DocKind} else DocKind.OTHER,
        doc_type=d.get("doc_type"), number_symbol=d.get("number_symbol"),
        issuer=d.get("issuer"), issue_date=d.get("issue_date"), province=province,
    )
    doc = Document(id="selection", source="selection", text=sel)
    found = find_agencies(doc, province=province)
    refs = find_legal_refs(doc)
    deadlines = find_deadlines(doc, doc_date=d.get("issue_date"))
    tasks = find_tasks(
        doc, meta=meta, agency_spans=found.spans, legal_refs=refs, deadlines=deadlines,
        recurrences=find_recurrences(doc),
        organization_spans=[replace(m, norm=o.name) for o in found.organizations
                            for m in o.mentions],
    )
    if tasks:
        t = max(tasks, key=lambda x: x.end - x.start)
        kinds = tuple(t.owner_kinds) or ("agency",) * len(t.owners)
        return Suggestion(start, end, sel, tuple(t.owners), kinds, tuple(t.cooperating),
                          t.action, t.deadline, t.deadline_text, t.rule_id or None)
    # No rule read it: the bodies it names (agencies, then organizations), in order.
    named = [(a.name, "agency", min((m.start for m in a.mentions), default=0))
             for a in found.agencies]
    named += [(o.name, "organization", min((m.start for m in o.mentions), default=0))
              for o in found.organizations]
    names = list(dict.fromkeys((n, k) for n, k, _ in sorted(named, key=lambda x: x[2])))
    dated = [x for x in deadlines if x.date]
    first = dated[0] if dated else (deadlines[0] if deadlines else None)
    return Suggestion(
        start, end, sel, tuple(n for n, _ in names[:1]), tuple(k for _, k in names[:1]),
        tuple(n for n, _ in names[1:]), None, first.date if first else None,
        first.text if first else None, None,
    )


def _task_gold(t: TaskRecord) -> dict[str, Any]:
    return {
        "owners": list(t.owners),
        "owner_kinds": list(t.owner_kinds),
        "cooperating": list(t.cooperating),
        "summary": t.action or t.text,
        "deadline": t.deadline,
        "deadline_text": t.deadline_text if t.deadline_text and t.deadline_text in t.text
        else None,
        "recurring": t.recurring,
        "evidence": t.text,
    }


def gold_of(r: ReviewedDocument) -> dict[str, Any]:
    """One reviewed document in the corpus gold format (``corpus/gold/*.json``).

    Tasks are staff's: every kept task as decided, rejected ones left out,
    added ones in. The document fields are the extractor's (staff review
    tasks, not headers); agencies, organizations, people and references were
    not reviewed and are null, so ``vndoc eval`` does not score them.
    """
    d = r.doc.data.get("doc") or {}
    signer = d.get("signer") or {}
    doc = {f: d.get(f) for f in _GOLD_DOC_FIELDS}
    doc["signer"] = signer.get("name") if isinstance(signer, dict) else signer
    kept = [t for t in r.tasks if t.review != "rejected"]
    return {
        "doc": doc,
        "agencies": None,
        "organizations": None,
        "people": None,
        "legal_refs": None,
        "tasks_exhaustive": True,
        "tasks": [_task_gold(t) for t in sorted(kept, key=lambda t: t.start)],
    }


def current_as_predicted(r: ReviewedDocument) -> dict[str, Any]:
    """The store's current tasks of a reviewed document, in the contract form."""
    data = dict(r.doc.data)
    data["tasks"] = [
        {"owners": list(t.owners), "cooperating": list(t.cooperating), "action": t.action,
         "text": t.text, "start": t.start, "end": t.end, "deadline": t.deadline,
         "deadline_text": t.deadline_text, "recurring": t.recurring,
         "legal_basis": list(t.legal_basis)}
        for t in r.tasks if t.review != "rejected"
    ]
    return data


def export_gold(store: Store, out_dir: Path) -> int:
    """Write every reviewed document as ``out_dir/gold/<id>.json`` with its text
    as ``out_dir/docs/<id>.txt``, so that ``vndoc eval out_dir/gold`` runs on it.
    Returns the number of documents written.

    Example:
        >>> export_gold(store, Path("gold-2024"))  # doctest: +SKIP
        12
    """
    gold_dir, docs_dir = out_dir / "gold", out_dir / "docs"
    gold_dir.mkdir(parents=True, exist_ok=True)
    docs_dir.mkdir(parents=True, exist_ok=True)
    n = 0
    for r in store.reviewed_documents():
        (docs_dir / f"{r.doc.id}.txt").write_text(r.doc.data["text"], "utf-8")
        (gold_dir / f"{r.doc.id}.json").write_text(
            json.dumps(gold_of(r), ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
        n += 1
    return n


@dataclass(frozen=True, slots=True)
class QualityRow:
    """How the extractors did on the documents reviewed in one period."""

    period: str  # "2024-07", or "" for all of them
    documents: int
    tasks: int  # tasks after review (kept, extracted or added)
    extracted: int  # tasks the extractor found
    rejected: int
    added: int
    precision: float | None  # of the extracted tasks, the share staff kept
    recall: float | None  # of the tasks after review, the share the extractor found
    owners: float | None  # of the extracted tasks kept, the share with the right owners
    deadline: float | None  # ... with the right deadline
    edits_per_10: float | None  # review decisions that changed something, per 10 tasks


def _row(period: str, docs: list[ReviewedDocument]) -> QualityRow:
    report: EvalReport = aggregate(
        evaluate_document(gold_of(r), r.doc.data, name=r.doc.id) for r in docs
    )
    fields = {f.name: f for f in report.fields}
    tasks, owners, deadline = fields["tasks"], fields["owners"], fields["deadline"]
    extracted = sum(len(r.doc.data.get("tasks") or []) for r in docs)
    reviewed = sum(len(r.tasks) for r in docs)
    edits = sum(r.decisions for r in docs)

    def ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    return QualityRow(
        period=period, documents=len(docs),
        tasks=sum(1 for r in docs for t in r.tasks if t.review != "rejected"),
        extracted=extracted,
        rejected=sum(1 for r in docs for t in r.tasks if t.review == "rejected"),
        added=sum(1 for r in docs for t in r.tasks if t.review == "added"),
        precision=ratio(tasks.tp, tasks.tp + tasks.fp),
        recall=ratio(tasks.tp, tasks.tp + tasks.fn),
        owners=ratio(owners.correct, owners.total),
        deadline=ratio(deadline.correct, deadline.total),
        edits_per_10=round(10 * edits / reviewed, 2) if reviewed else None,
    )


def quality(reviewed: Iterable[ReviewedDocument]) -> tuple[QualityRow, list[QualityRow]]:
    """Figures over every reviewed document, and per month of review (newest first)."""
    docs = list(reviewed)
    by_month: dict[str, list[ReviewedDocument]] = {}
    for r in docs:
        by_month.setdefault(r.reviewed_at[:7], []).append(r)
    months = [_row(m, by_month[m]) for m in sorted(by_month, reverse=True)]
    return _row("", docs), months
