"""Run each file's parsing and extraction in a worker process killed at its limits.

A parser stuck in C code or a regex can't be stopped from a thread, and a
reader that inflates a small file into gigabytes takes its whole process
with it. So every file is read, cleaned and extracted in a worker process
(:class:`WorkerPool`), which:

* starts each job with the parsing budget (``VNDOC_LOADER_TIMEOUT_S``); the
  job moves to the next budget as it goes (OCR: ``_ocr_budget``, extraction:
  ``VNDOC_EXTRACT_TIMEOUT_S``) by calling :func:`phase`; past the budget the
  worker is killed (SIGKILL) and the caller gets
  :class:`~pipeline.ingest.errors.LoaderTimeout` naming the phase and the limit;
* runs under an address-space limit (``VNDOC_WORKER_MEMORY_MB``, with
  ``RLIMIT_AS``, which Tesseract inherits too): an allocation past it fails
  with ``MemoryError`` in Python, or kills a C reader, and the caller gets
  :class:`~pipeline.ingest.limits.LimitExceeded` naming the limit;
* is replaced after a kill or a crash, so a batch goes on with the next file
  and the server keeps serving.

Workers fork from a clean server process (``forkserver``, never from the
caller, which may hold threads and locks) with the readers and rule tables
already imported, so starting one costs milliseconds. Idle workers are reused;
one is retired after ``_JOBS_PER_WORKER`` jobs or when its peak memory passed
half the limit.

Example:
    >>> from pipeline.ingest.limits import Limits
    >>> shared_pool().run(len, "a.txt", b"abc", limits=Limits())
    3
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.spawn
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from extractors.errors import PipelineError
from pipeline.ingest import errors
from pipeline.ingest.limits import Limits, env_name

__all__ = ["WorkerBug", "WorkerPool", "phase", "shared_pool"]

T = TypeVar("T")
# A job of WorkerPool.stream: (fn, the file's name for messages, fn's arguments).
Job = tuple[Callable[..., Any], str, tuple[Any, ...]]

_JOBS_PER_WORKER = 200
_NAME = "vndoc-worker"
_PRELOAD = ["pipeline.ingest.preload"]

# In a worker: the connection to the parent, for phase(); None elsewhere.
_CONN: Connection | None = None


class WorkerBug(RuntimeError):
    """An unexpected exception inside a worker (a bug, not bad input)."""


def phase(name: str, seconds: float, field: str) -> None:
    """Start a new phase of the current job with its own time budget.

    ``field`` is the limit's name (for the message), e.g. "extract_timeout_s".
    Outside a worker this does nothing.
    """
    if _CONN is not None:
        _CONN.send(("phase", name, float(seconds), field))


def _spent(worker: _Worker, limits: Limits) -> bool:
    """A worker to retire: it ran its share of jobs, or its peak memory passed half the limit."""
    return worker.jobs >= _JOBS_PER_WORKER or worker.peak_mb >= limits.memory_mb / 2


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM) in MB."""
    return _status_mb(os.getpid())


def _status_mb(pid: int, key: str = "VmHWM") -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _limit_memory(mb: int) -> None:
    import resource

    soft = mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _few_arenas() -> None:
    """Each thread's malloc arena reserves 128 MB of address space: keep two."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def _error_payload(e: BaseException) -> tuple[Any, ...]:
    if isinstance(e, errors.IngestError):
        return ("ingest", type(e).__module__, type(e).__name__, e.path, e.cause)
    if isinstance(e, PipelineError):
        return ("pipeline", type(e).__module__, type(e).__name__, e.message)
    return ("bug", type(e).__name__, str(e)[:2000])


def _child(conn: Connection) -> None:
    """A worker's loop: one job at a time until the parent closes the pipe."""
    global _CONN
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    _few_arenas()
    _CONN = conn
    while True:
        try:
            fn, args, kwargs, memory_mb = conn.recv()
        except (EOFError, OSError):
            return
        _limit_memory(memory_mb)
        try:
            result = fn(*args, **kwargs)
        except MemoryError:
            conn.send(("memory", _peak_mb()))
            return  # a process that ran out of memory is not trusted again
        except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
            try:
                conn.send(("error", _error_payload(e), _peak_mb()))
            except MemoryError:
                return
            continue
        try:
            conn.send(("ok", result, _peak_mb()))
        except MemoryError:
            conn.send(("memory", _peak_mb()))
            return


def _without_main(get_preparation_data: Callable[[str], dict]) -> Callable[[str], dict]:
    """A worker needs nothing from the caller's ``__main__`` (a script, pytest,
    stdin); multiprocessing would import it again in every worker, or fail to."""

    def prep(name: str) -> dict:
        data = get_preparation_data(name)
        if name == _NAME:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    return prep


multiprocessing.spawn.get_preparation_data = _without_main(  # type: ignore[attr-defined]
    multiprocessing.spawn.get_preparation_data  # type: ignore[attr-defined]
)


def _rebuild(payload: tuple[Any, ...]) -> BaseException:
    kind = payload[0]
    if kind == "bug":
        return WorkerBug(f"unexpected {payload[1]}: {payload[2]}")
    import importlib

    module, name = payload[1], payload[2]
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        cls = errors.IngestError if kind == "ingest" else PipelineError
    if kind == "ingest":
        try:
            return cls(payload[3], payload[4])
        except TypeError:
            return errors.IngestError(payload[3], payload[4])
    try:
        return cls(payload[3])
    except TypeError:
        return PipelineError(payload[3])


class _Worker:
    def __init__(self, ctx: Any) -> None:
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_child, args=(child,), daemon=True, name=_NAME)
        self.proc.start()
        child.close()
        self.conn: Connection = parent
        self.jobs = 0
        self.peak_mb = 0.0
        self.alive = True

    def kill(self) -> None:
        self.alive = False
        if self.proc.is_alive():
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.join(5)
        self.conn.close()

    def call(self, fn: Callable[..., T], source: str, args: tuple, kwargs: dict,
             limits: Limits) -> T:
        self.send(fn, args, kwargs, limits)
        return self.wait(source, limits)  # type: ignore[no-any-return]

    def send(self, fn: Callable[..., Any], args: tuple, kwargs: dict, limits: Limits) -> None:
        """Hand a job over; the worker runs the jobs it was sent one after the other."""
        self.jobs += 1
        try:
            self.conn.send((fn, args, kwargs, limits.memory_mb))
        except (OSError, ValueError) as e:
            self.kill()
            raise WorkerBug(f"can't hand the file to a worker ({e})") from e

    def wait(self, source: str, limits: Limits) -> Any:
        """The result of the oldest job sent and not yet answered, whose budget
        starts now (it starts when the job before it was answered)."""
        name, budget, field = "parsing", limits.parse_timeout_s, "parse_timeout_s"
        deadline = time.monotonic() + budget
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.peak_mb = _status_mb(self.proc.pid)
                self.kill()
                raise errors.LoaderTimeout(
                    source,
                    f"{name} took longer than {budget:g}s ({env_name(field)}). "
                    "Split the file, or raise the limit.",
                )
            try:
                ready = self.conn.poll(min(remaining, 0.2))
                msg = self.conn.recv() if ready else None
            except (EOFError, OSError):
                msg = ("died",)
            if msg is None:
                if not self.proc.is_alive():
                    msg = ("died",)
                else:
                    continue
            kind = msg[0]
            if kind == "phase":
                name, budget, field = msg[1], msg[2], msg[3]
                deadline = time.monotonic() + budget
                continue
            if kind == "ok":
                self.peak_mb = msg[2]
                return msg[1]
            if kind == "error":
                self.peak_mb = msg[2]
                raise _rebuild(msg[1])
            # Out of memory, or the process died under us (a C reader aborting
            # on a failed allocation, or the kernel's OOM killer).
            if kind == "memory":
                self.peak_mb = msg[1]
            self.kill()
            code = self.proc.exitcode
            if kind != "memory" and code is not None and code >= 0:
                raise WorkerBug(f"the worker process exited with code {code}")
            how = "" if kind == "memory" or code is None else (
                f" (the reader stopped with signal {-code})"
            )
            raise limits.refuse(
                source, f"reading it needed more memory than allowed{how}", "memory_mb", "MB",
                "The file is probably built to exhaust memory (a compression bomb); "
                "if it is genuine, raise the limit.",
            )


class WorkerPool:
    """Up to ``size`` worker processes; :meth:`run` blocks until one is free.

    Thread-safe: a batch runs ``size`` files at once from as many threads,
    and the API server hands uploads to it from its thread pool.
    """

    def __init__(self, size: int = 1) -> None:
        self.size = max(1, size)
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(_PRELOAD)
        self._idle: list[_Worker] = []
        self._busy = 0
        self._cond = threading.Condition()
        self._closed = False
        self.last_peak_mb = 0.0  # the peak memory of the last job that finished

    def grow(self, size: int) -> None:
        with self._cond:
            if size > self.size:
                self.size = size
                self._cond.notify_all()

    def _acquire(self) -> _Worker | None:
        """A slot (blocks while ``size`` are busy), with an idle worker if any."""
        with self._cond:
            while self._busy >= self.size and not self._closed:
                self._cond.wait()
            if self._closed:
                raise WorkerBug("the worker pool is closed")
            self._busy += 1
            return self._idle.pop() if self._idle else None

    def _release(self, worker: _Worker | None, limits: Limits) -> None:
        with self._cond:
            self._busy -= 1
            keep = (
                worker is not None and worker.alive and not self._closed
                and not _spent(worker, limits) and len(self._idle) < self.size
            )
            if keep:
                self._idle.append(worker)  # type: ignore[arg-type]
            self._cond.notify()
        if worker is not None and not keep and worker.alive:
            worker.kill()

    def run(self, fn: Callable[..., T], source: str, *args: Any, limits: Limits,
            **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a worker, within ``limits``; errors re-raised here."""
        worker = self._acquire()
        try:
            if worker is None or not worker.proc.is_alive():
                worker = _Worker(self._ctx)
            try:
                return worker.call(fn, source, args, kwargs, limits)
            finally:
                self.last_peak_mb = worker.peak_mb
        finally:
            self._release(worker, limits)

    def stream(self, jobs: Iterable[Job | BaseException], *, limits: Limits, width: int,
               window: int = 2000) -> Iterator[Any]:
        """Run ``jobs`` (``(fn, source, args)``), ``width`` at once, each in a
        worker within ``limits``; yield each one's result, or the exception it
        raised, in the order of ``jobs`` (an exception given as a job is
        yielded as it is, in its place).

        Each worker is sent its next job while it runs one, so it goes on
        without waiting for this process (which may be busy writing what
        came back). A worker killed at a limit, or dead, takes only its job
        with it: the job sent after it goes again to its replacement. At most
        ``window`` results wait to be taken. Closing the iterator early kills
        the jobs still running.
        """
        cond = threading.Condition()
        todo = enumerate(jobs)
        done: dict[int, Any] = {}
        st: dict[str, Any] = {"next": 0, "taken": 0, "total": None, "stop": False,
                              "crash": None, "running": width}

        def take(block: bool) -> tuple[int, Job | BaseException] | None:
            with cond:
                while st["next"] - st["taken"] >= window:
                    if not block or st["stop"]:
                        return None
                    cond.wait()
                if st["stop"] or st["total"] is not None:
                    return None
                try:
                    i, job = next(todo)
                except StopIteration:
                    st["total"] = st["next"]
                    cond.notify_all()
                    return None
                st["next"] = i + 1
                return i, job

        def put(i: int, value: Any) -> None:
            with cond:
                done[i] = value
                cond.notify_all()

        def feed() -> None:
            try:
                worker = self._acquire()
            except BaseException as e:  # noqa: BLE001 - the pool was closed under us
                with cond:
                    st["crash"] = st["crash"] or e
                    st["running"] -= 1
                    cond.notify_all()
                return
            sent: deque[tuple[int, Job]] = deque()  # handed to the worker, in its order
            again: deque[tuple[int, Job]] = deque()  # lost with a worker: send again
            tries: dict[int, int] = {}

            def hand(i: int, job: Job) -> None:
                nonlocal worker
                if worker is None:
                    worker = _Worker(self._ctx)
                try:
                    worker.send(job[0], job[2], {}, limits)
                except WorkerBug as e:  # the worker is gone, and what it was sent
                    worker = None
                    tries[i] = tries.get(i, 0) + 1
                    if tries[i] > 2:
                        put(i, e)
                    else:
                        again.append((i, job))
                    again.extend(sent)
                    sent.clear()
                    return
                sent.append((i, job))

            try:
                while not st["stop"]:
                    if worker is not None and not worker.alive:
                        worker = None
                    if worker is not None and not sent and _spent(worker, limits):
                        worker.kill()  # retired between two jobs, as run() does
                        worker = None
                    # the job it runs and the next one, unless it is to retire
                    while len(sent) < 2 and not (worker is not None and _spent(worker, limits)):
                        got = again.popleft() if again else take(block=not sent)
                        if got is None:
                            break
                        if isinstance(got[1], BaseException):
                            put(got[0], got[1])
                        else:
                            hand(got[0], got[1])
                    if not sent or worker is None:
                        return
                    i, job = sent.popleft()
                    try:
                        value = worker.wait(job[1], limits)
                    except Exception as e:  # noqa: BLE001 - the job's outcome
                        value = e
                    self.last_peak_mb = worker.peak_mb
                    put(i, value)
                    if not worker.alive:
                        # killed or dead: the job sent after that one went with it
                        worker = None
                        again.extend(sent)
                        sent.clear()
            except BaseException as e:  # noqa: BLE001 - a bug here must not hang the caller
                with cond:
                    st["crash"] = st["crash"] or e
            finally:
                if sent and worker is not None and worker.alive:
                    worker.kill()  # stopped early: what it still runs is not wanted
                self._release(worker, limits)
                with cond:
                    st["running"] -= 1
                    cond.notify_all()

        threads = [threading.Thread(target=feed, name=f"vndoc-feed-{n}", daemon=True)
                   for n in range(max(1, width))]
        for t in threads:
            t.start()
        try:
            i = 0
            while True:
                with cond:
                    while i not in done:
                        if st["crash"] is not None:
                            raise WorkerBug(f"the worker threads stopped: {st['crash']!r}")
                        if st["total"] is not None and i >= st["total"]:
                            return
                        if st["running"] == 0:
                            raise WorkerBug("the worker threads stopped early")
                        cond.wait()
                    value = done.pop(i)
                    st["taken"] = i + 1
                    cond.notify_all()
                yield value
                i += 1
        finally:
            with cond:
                st["stop"] = True
                cond.notify_all()
            for t in threads:
                t.join()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for w in idle:
            w.kill()


_POOL: WorkerPool | None = None
_POOL_LOCK = threading.Lock()


def shared_pool(size: int = 1) -> WorkerPool:
    """The process-wide pool, grown to at least ``size`` workers."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = WorkerPool(size)
            atexit.register(_POOL.close)
        else:
            _POOL.grow(size)
        return _POOL
