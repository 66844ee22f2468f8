"""Orchestration: files -> load -> clean -> extract -> store.

A bad file never stops a batch: it is reported by name and cause, the rest
go on, and what was already stored stays stored. ``workers > 1`` extracts in
separate processes while this process writes, in bulk, to the store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from extractors import extract
from extractors.errors import EmptyDocument, IngestError, PipelineError
from extractors.model import ExtractedDocument
from pipeline.ingest.clean import clean
from pipeline.ingest.load import RawDocument, iter_files, load, load_bytes
from pipeline.store.base import Store


@dataclass(frozen=True, slots=True)
class Failure:
    source: str
    error: str  # names the file and the cause
    kind: str = ""  # the error class, e.g. "UnreadablePdf"


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failures: list[Failure] = field(default_factory=list)
    # Store-wide problems that no single file caused (the search index locked by
    # another writer): the documents are stored, but the user must hear of it.
    warnings: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.added + self.unchanged + self.replaced + len(self.failures)

    def summary(self) -> str:
        return (
            f"{self.seen} files: {self.added} added, {self.replaced} replaced, "
            f"{self.unchanged} unchanged, {len(self.failures)} failed"
        )


def raw_meta(raw: RawDocument) -> tuple[tuple[str, str], ...]:
    """What the loader learned, as the extractor's ``Document.meta``."""
    meta = dict(raw.meta)
    meta["format"] = raw.format
    if raw.title:
        meta["title"] = raw.title
    if raw.published:
        meta["published"] = raw.published
    if raw.source_name:
        meta["source_name"] = raw.source_name
    return tuple(sorted(meta.items()))


def sidecar_meta(path: str | Path) -> dict[str, str]:
    """Facts about a file that its text lacks, from ``<file>.meta.json``.

    A portal page that reproduces a provincial Công văn may never name the
    province; ``{"province": "Lai Châu"}`` beside it says so.
    """
    side = Path(f"{path}.meta.json")
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise IngestError(str(side), f"sidecar metadata is not valid JSON: {e}") from e
    if not isinstance(data, dict):
        raise IngestError(str(side), "sidecar metadata must be a JSON object")
    return {str(k): str(v) for k, v in data.items() if v is not None}


def process_raw(raw: RawDocument, *, extra: dict[str, str] | None = None) -> ExtractedDocument:
    """Clean and extract one loaded document."""
    text = clean(raw.text)
    if not text:
        raise EmptyDocument(raw.source, "no text left after cleaning (empty document)")
    meta = dict(raw_meta(raw))
    meta.update(extra or {})
    return extract(text, source=raw.source, meta=tuple(sorted(meta.items())))


def process_file(
    path: str | Path, *, max_bytes: int = 50 * 1024 * 1024, timeout_s: float = 60.0
) -> ExtractedDocument:
    """Load, clean and extract one file. Raises IngestError naming the file."""
    raw = load(path, max_bytes=max_bytes, timeout_s=timeout_s)
    return process_raw(raw, extra=sidecar_meta(path))


def process_upload(
    data: bytes, *, name: str, max_bytes: int, timeout_s: float = 60.0
) -> ExtractedDocument:
    """Load, clean and extract an upload's bytes, within the loader limits."""
    return process_raw(load_bytes(data, name=name, max_bytes=max_bytes, timeout_s=timeout_s))


def _safe_process(args: tuple[str, int, float]) -> ExtractedDocument | Failure:
    path, max_bytes, timeout_s = args
    try:
        return process_file(path, max_bytes=max_bytes, timeout_s=timeout_s)
    except PipelineError as e:
        return Failure(path, e.message, type(e).__name__)
    except Exception as e:  # a bug must not stop the batch; report it by file
        return Failure(path, f"Can't read {path}: unexpected {type(e).__name__}: {e}", "Bug")


def _results(
    files: list[str], *, workers: int, max_bytes: int, timeout_s: float
) -> Iterator[ExtractedDocument | Failure]:
    jobs = [(f, max_bytes, timeout_s) for f in files]
    if workers <= 1 or len(files) < 2:
        yield from map(_safe_process, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_safe_process, jobs, chunksize=max(1, min(32, len(jobs) // 8)))


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int = 1,
    max_bytes: int = 50 * 1024 * 1024,
    timeout_s: float = 60.0,
    on_progress: Callable[[str], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into the store.

    Example:
        >>> report = ingest(["corpus/"], LocalStore(Path("data")))
        >>> report.summary()
        '30 files: 30 added, 0 replaced, 0 unchanged, 0 failed'
    """
    report = IngestReport()
    # A run killed between a SQLite commit and the index commit left pending
    # rows; apply them even if this run has nothing new to write.
    store.recover()
    files: list[str] = []
    for p in paths:
        if not Path(p).exists():
            report.failures.append(
                Failure(str(p), f"Can't read {p}: no such file or directory", "IngestError")
            )
            continue
        files.extend(str(f) for f in iter_files([p]))
    if on_total:
        on_total(len(files))
    batch: list[ExtractedDocument] = []

    def count(outcome: str) -> None:
        setattr(report, outcome, getattr(report, outcome) + 1)

    def flush() -> None:
        try:
            outcomes = store.put_many(batch)
        except PipelineError as batch_error:
            per_doc = getattr(batch_error, "outcomes", None)
            failures = getattr(batch_error, "failures", None)
            if per_doc is not None and failures is not None:
                # The store says which documents it rejected and what became of
                # every other one (ElasticStore's bulk errors).
                for source, why in failures:
                    report.failures.append(Failure(source, why, type(batch_error).__name__))
                for outcome in per_doc:
                    if outcome is not None:
                        count(outcome)
                batch.clear()
                return
            # Find the document at fault; keep every other one.
            outcomes = []
            failed = len(report.failures)
            for doc in batch:
                try:
                    count(store.put(doc))
                except PipelineError as e:
                    report.failures.append(Failure(doc.source, e.message, type(e).__name__))
            if len(report.failures) == failed:
                # No document was at fault: the store failed after writing them (the
                # index locked by another writer?). Those count as "unchanged" now.
                report.warnings.append(
                    f"{batch_error}. The documents are stored; the next ingest or "
                    "`vndoc reindex` brings the search index up to date."
                )
        for outcome in outcomes:
            count(outcome)
        batch.clear()

    workers = max(1, min(workers, os.cpu_count() or 1, 32))
    for result in _results(files, workers=workers, max_bytes=max_bytes, timeout_s=timeout_s):
        if isinstance(result, Failure):
            report.failures.append(result)
            source = result.source
        else:
            batch.append(result)
            source = result.source
            if len(batch) >= 50:
                flush()
        if on_progress:
            on_progress(source)
    if batch:
        flush()
    return report
