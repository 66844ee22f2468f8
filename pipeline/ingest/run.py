"""Orchestration: files -> load -> clean -> extract -> store.

A bad file never stops a batch: it is reported by name and cause, the rest
go on, and what was already stored stays stored. Every file is read and
extracted in a worker process within the limits of
:class:`~pipeline.ingest.limits.Limits` (:mod:`pipeline.ingest.worker`: a
worker that overruns its time or memory is killed and replaced);
``workers > 1`` runs that many at once while this process writes, in bulk,
to the store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractors import extract
from extractors.errors import PipelineError
from extractors.model import ExtractedDocument
from pipeline.ingest.clean import clean
from pipeline.ingest.errors import EmptyDocument, FileTooLarge, IngestError
from pipeline.ingest.limits import LimitExceeded, Limits
from pipeline.ingest.load import RawDocument, iter_files, load, load_bytes
from pipeline.ingest.worker import Job, WorkerBug, phase, shared_pool
from pipeline.store.base import Store

# Documents handed to the store at once: it writes them in small transactions
# and makes one index commit for them all (a commit costs tens of
# milliseconds whatever it holds; BENCHMARKS.md, "Writer batching").
BATCH_DOCS = 500


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
    new_version: int = 0  # a corrected text of a stored document (same number and date)
    failures: list[Failure] = field(default_factory=list)
    # Files stored with a caveat the user should hear of (bytes that were not
    # valid UTF-8, replaced by U+FFFD): not failures, the exit code stays 0.
    notes: list[str] = field(default_factory=list)
    # Store-wide problems that no single file caused (the search index locked by
    # another writer): the documents are stored, but the user must hear of it.
    warnings: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return (self.added + self.unchanged + self.replaced + self.new_version
                + len(self.failures))

    def summary(self) -> str:
        versions = f"{self.new_version} new versions, " if self.new_version else ""
        return (
            f"{self.seen} files: {self.added} added, {self.replaced} replaced, "
            f"{versions}{self.unchanged} unchanged, {len(self.failures)} failed"
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


_SIDECAR_VALUE_CHARS = 1000


def sidecar_meta(path: str | Path, *, max_bytes: int | None = None) -> dict[str, str]:
    """Facts about a file that its text lacks, from ``<file>.meta.json``.

    A portal page that reproduces a provincial Công văn may never name the
    province; ``{"province": "Lai Châu"}`` beside it says so. A sidecar is a
    few short facts: over ``VNDOC_MAX_SIDECAR_BYTES`` (64 KB) it is refused
    before it is read, and so is a value that is not a short string or number.
    """
    side = Path(f"{path}.meta.json")
    if not side.is_file():
        return {}
    limit = Limits().max_sidecar_bytes if max_bytes is None else max_bytes
    try:
        size = side.stat().st_size
        if size > limit:
            raise LimitExceeded(
                str(side),
                f"sidecar metadata of {size} bytes, over the limit of {limit} bytes "
                "(VNDOC_MAX_SIDECAR_BYTES). A sidecar holds a few facts, "
                'e.g. {"province": "Lai Châu"}.',
            )
        with side.open("rb") as fh:
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            raise LimitExceeded(str(side), f"sidecar metadata over the limit of {limit} bytes "
                                "(VNDOC_MAX_SIDECAR_BYTES)")
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as e:
        raise IngestError(str(side), f"sidecar metadata is not valid JSON: {e}") from e
    if not isinstance(data, dict):
        raise IngestError(str(side), "sidecar metadata must be a JSON object")
    out: dict[str, str] = {}
    for k, v in data.items():
        if v is None:
            continue
        if not isinstance(v, str | int | float | bool):
            raise IngestError(str(side), f"sidecar value of {k!r} must be a string or a number")
        value = str(v)
        if len(value) > _SIDECAR_VALUE_CHARS or len(str(k)) > 100:
            raise IngestError(
                str(side),
                f"sidecar value of {str(k)[:100]!r} is over {_SIDECAR_VALUE_CHARS} characters",
            )
        out[str(k)] = value
    return out


def process_raw(
    raw: RawDocument, *, extra: dict[str, str] | None = None, limits: Limits | None = None
) -> ExtractedDocument:
    """Clean and extract one loaded document (in a worker: the extraction budget starts here)."""
    limits = limits or Limits()
    text = clean(raw.text)
    if not text:
        raise EmptyDocument(raw.source, "no text left after cleaning (empty document)")
    if len(text) > limits.max_text_chars:
        raise limits.refuse(raw.source, f"{len(text)} characters of text", "max_text_chars",
                            "characters", "Split the file, or raise the limit.")
    meta = dict(raw_meta(raw))
    meta.update(extra or {})
    phase("extraction", limits.extract_timeout_s, "extract_timeout_s")
    return extract(text, source=raw.source, meta=tuple(sorted(meta.items())))


def read_file(path: str | Path, limits: Limits | None = None) -> ExtractedDocument:
    """Load, clean and extract one file in this process (what a worker runs)."""
    limits = limits or Limits()
    raw = load(path, limits=limits)
    return process_raw(
        raw, extra=sidecar_meta(path, max_bytes=limits.max_sidecar_bytes), limits=limits
    )


def read_upload(data: bytes, name: str, max_bytes: int, limits: Limits) -> ExtractedDocument:
    """Load, clean and extract an upload's bytes in this process (what a worker runs)."""
    return process_raw(load_bytes(data, name=name, max_bytes=max_bytes, limits=limits),
                       limits=limits)


def _limits(limits: Limits | None, max_bytes: int | None, timeout_s: float | None) -> Limits:
    import dataclasses

    limits = limits or Limits.from_settings()
    changes: dict[str, object] = {}
    if max_bytes is not None:
        changes["max_file_bytes"] = max_bytes
    if timeout_s is not None:
        changes["parse_timeout_s"] = timeout_s
    return dataclasses.replace(limits, **changes) if changes else limits


def process_file(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    timeout_s: float | None = None,
    limits: Limits | None = None,
) -> ExtractedDocument:
    """Load, clean and extract one file in a worker process, within the limits
    (``VNDOC_*`` settings unless given). Raises IngestError naming the file."""
    lim = _limits(limits, max_bytes, timeout_s)
    _check_size(str(path), lim)
    return shared_pool().run(read_file, str(path), str(path), lim, limits=lim)


def process_upload(
    data: bytes,
    *,
    name: str,
    max_bytes: int,
    timeout_s: float | None = None,
    limits: Limits | None = None,
) -> ExtractedDocument:
    """Load, clean and extract an upload's bytes in a worker process, within the limits."""
    lim = _limits(limits, max_bytes, timeout_s)
    return shared_pool().run(read_upload, name, data, name, max_bytes, lim, limits=lim)


def _check_size(path: str, limits: Limits) -> None:
    """Refuse a file over the size limit from stat(), before a worker is asked."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # the worker's load() reports it in its words
    if Path(path).is_file() and size > limits.max_file_bytes:
        raise FileTooLarge(path, f"{size} bytes is over the {limits.max_file_bytes}-byte limit")


def _safe_process(path: str, limits: Limits) -> ExtractedDocument | Failure:
    try:
        _check_size(path, limits)
        return shared_pool().run(read_file, path, path, limits, limits=limits)
    except Exception as e:  # noqa: BLE001 - a bug must not stop the batch
        return _failure(path, e)


def _failure(path: str, e: BaseException) -> Failure:
    """A file's failure, named by file and cause (a bug too: it must not stop the batch)."""
    if isinstance(e, PipelineError):
        return Failure(path, e.message, type(e).__name__)
    if isinstance(e, WorkerBug):
        return Failure(path, f"Can't read {path}: {e}", "Bug")
    return Failure(path, f"Can't read {path}: unexpected {type(e).__name__}: {e}", "Bug")


def _jobs(files: list[str], limits: Limits) -> Iterator[Job | BaseException]:
    for f in files:
        try:
            _check_size(f, limits)
        except PipelineError as e:
            yield e
            continue
        yield (read_file, f, (f, limits))


def _results(
    files: list[str], *, workers: int, limits: Limits
) -> Iterator[ExtractedDocument | Failure]:
    """Each file's extraction (or failure), in the order of ``files``: ``workers``
    worker processes at once, each handed its next file while it reads one,
    so that they never wait for this process while it writes."""
    if len(files) < 2:
        for f in files:
            yield _safe_process(f, limits)
        return
    pool = shared_pool(workers)
    outcomes = pool.stream(_jobs(files, limits), limits=limits, width=workers)
    try:
        for f, outcome in zip(files, outcomes, strict=True):
            yield _failure(f, outcome) if isinstance(outcome, BaseException) else outcome
    finally:
        outcomes.close()


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int = 1,
    max_bytes: int | None = None,
    timeout_s: float | None = None,
    limits: Limits | None = None,
    on_progress: Callable[[str], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into the store.

    Example:
        >>> report = ingest(["corpus/"], LocalStore(Path("data")))  # doctest: +SKIP
        >>> report.summary()  # doctest: +SKIP
        '30 files: 30 added, 0 replaced, 0 unchanged, 0 failed'
    """
    lim = _limits(limits, max_bytes, timeout_s)
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
    for result in _results(files, workers=workers, limits=lim):
        if isinstance(result, Failure):
            report.failures.append(result)
            source = result.source
        else:
            batch.append(result)
            source = result.source
            bad = dict(result.meta).get("decode_errors")
            if bad:
                report.notes.append(
                    f"{source}: {bad} invalid UTF-8 byte sequence(s) replaced by \ufffd; "
                    "the rest of the text is stored"
                )
            if len(batch) >= BATCH_DOCS:
                flush()
        if on_progress:
            on_progress(source)
    if batch:
        flush()
    return report
