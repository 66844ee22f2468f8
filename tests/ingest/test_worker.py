"""Issue #19 items 1, 4, 5: work that can outlive its caller runs in a worker
process that is killed at its limit; the pool replaces it and goes on."""

from __future__ import annotations

import dataclasses
import functools
import os
import time

import pytest

from pipeline.ingest.errors import LoaderTimeout, UnreadableDocx
from pipeline.ingest.limits import LimitExceeded, Limits
from pipeline.ingest.worker import WorkerBug, WorkerPool
from tests.ingest import jobs

FAST = dataclasses.replace(Limits(), parse_timeout_s=0.5, memory_mb=512)


@pytest.fixture
def pool():
    p = WorkerPool(1)
    yield p
    p.close()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0); its state says it no longer runs.
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] in ("Z", "X")


def test_a_stuck_job_is_killed_at_its_limit_and_stops_using_cpu(pool: WorkerPool) -> None:
    worker_pid = pool.run(jobs.pid, "a.pdf", limits=FAST)
    t0 = time.monotonic()
    with pytest.raises(LoaderTimeout, match=r"a\.pdf: parsing took longer than 0\.5s "
                       r"\(VNDOC_LOADER_TIMEOUT_S\)"):
        pool.run(jobs.spin, "a.pdf", 30, limits=FAST)
    assert time.monotonic() - t0 < 3
    # The process that ran it is gone (a thread would spin on for 30 s) ...
    assert _gone(worker_pid)
    # ... and the pool goes on with a new one.
    assert pool.run(jobs.pid, "b.pdf", limits=FAST) != worker_pid


def test_each_phase_has_its_own_budget(pool: WorkerPool) -> None:
    """The extraction budget (VNDOC_EXTRACT_TIMEOUT_S) starts when extraction does."""
    from pipeline.ingest.load import RawDocument
    from pipeline.ingest.run import process_raw

    text = "".join(
        f"{i}. Giao Sở Tài chính chủ trì, hoàn thành trước ngày {i % 28 + 1}/3/2024.\n"
        for i in range(20000)
    )
    raw = RawDocument(source="long.txt", text=text, format="txt")
    limits = dataclasses.replace(
        FAST, parse_timeout_s=60, extract_timeout_s=0.05, max_text_chars=10**7
    )
    with pytest.raises(LoaderTimeout, match=r"long\.txt: extraction took longer than 0\.05s "
                       r"\(VNDOC_EXTRACT_TIMEOUT_S\)"):
        pool.run(functools.partial(process_raw, limits=limits), "long.txt", raw, limits=limits)


def test_memory_over_the_limit_is_refused_by_name(pool: WorkerPool) -> None:
    with pytest.raises(LimitExceeded, match=r"big\.docx: .*memory.*512 MB "
                       r"\(VNDOC_WORKER_MEMORY_MB\)"):
        pool.run(jobs.hog, "big.docx", 2048, limits=FAST)
    assert pool.run(jobs.hog, "small.docx", 50, limits=FAST) == 50 * 1024 * 1024


def test_a_reader_that_dies_is_reported_and_replaced(pool: WorkerPool) -> None:
    with pytest.raises(LimitExceeded, match=r"x\.pdf: .*signal 6"):
        pool.run(jobs.abort, "x.pdf", limits=FAST)
    assert pool.run(jobs.hog, "y.pdf", 1, limits=FAST) == 1024 * 1024


def test_errors_cross_the_process_with_their_class(pool: WorkerPool) -> None:
    with pytest.raises(UnreadableDocx, match="a.docx: boom"):
        pool.run(jobs.broken_docx, "a.docx", "a.docx", limits=FAST)
    with pytest.raises(WorkerBug, match="unexpected KeyError"):
        pool.run(jobs.bug, "a.docx", limits=FAST)


def test_the_pool_runs_jobs_side_by_side() -> None:
    import threading

    pool = WorkerPool(2)
    try:
        pids: list[int] = []
        ts = [threading.Thread(target=lambda: pids.append(pool.run(jobs.spin, "f", 0.3,
                                                                      limits=FAST)))
              for _ in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert len(set(pids)) == 2
    finally:
        pool.close()


def test_a_stream_answers_in_order_and_each_failure_in_its_place() -> None:
    """Every job's outcome in the order given, whatever the workers finished first;
    a job killed at its limit, a dead reader and an error take only their own job
    (the job already sent after them to the same worker runs again elsewhere)."""
    pool = WorkerPool(2)
    given = ValueError("refused before any worker saw it")
    job_list = [
        (jobs.echo, "0", (0,)), (jobs.spin, "stuck.pdf", (30,)), (jobs.echo, "2", (2,)),
        (jobs.abort, "x.pdf", ()), (jobs.echo, "4", (4,)), given,
        (jobs.broken_docx, "a.docx", ("a.docx",)),
        *((jobs.echo, str(i), (i,)) for i in range(7, 40)),
    ]
    try:
        t0 = time.monotonic()
        out = list(pool.stream(job_list, limits=FAST, width=2))
        assert time.monotonic() - t0 < 10
    finally:
        pool.close()
    assert len(out) == len(job_list)
    assert isinstance(out[1], LoaderTimeout) and "stuck.pdf" in str(out[1])
    assert isinstance(out[3], LimitExceeded) and "signal 6" in str(out[3])
    assert out[5] is given
    assert isinstance(out[6], UnreadableDocx)
    assert [v for k, v in enumerate(out) if k not in (1, 3, 5, 6)] == [
        0, 2, 4, *range(7, 40)]


def test_a_stream_retires_its_workers_and_closes_early(monkeypatch) -> None:
    import pipeline.ingest.worker as w

    monkeypatch.setattr(w, "_JOBS_PER_WORKER", 3)
    pool = WorkerPool(2)
    try:
        pids = list(pool.stream([(jobs.pid, str(i), ()) for i in range(20)], limits=FAST,
                                width=2))
        assert len(pids) == 20
        assert len(set(pids)) >= 20 // 3  # no worker ran more than its share
        assert max(pids.count(p) for p in set(pids)) <= 3
        # an iterator closed early stops handing out jobs and kills what still runs
        it = pool.stream([(jobs.spin, str(i), (0.05,)) for i in range(1000)], limits=FAST,
                         width=2)
        first = next(it)
        it.close()
        assert isinstance(first, int)
        assert pool.run(jobs.echo, "after", 7, limits=FAST) == 7
    finally:
        pool.close()


def test_a_stream_of_a_closed_pool_fails_instead_of_waiting() -> None:
    pool = WorkerPool(1)
    pool.close()
    with pytest.raises(WorkerBug, match="closed"):
        list(pool.stream([(jobs.echo, "a", (1,))], limits=FAST, width=1))
