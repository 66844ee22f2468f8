"""Memory of a process tree, from /proc (Linux), without extra dependencies.

:class:`TreeSampler` polls the resident set size of a process and all its
descendants (an ingest's main process plus its extraction workers) and keeps
the peak of their sum. Where /proc is missing it records nothing and the
report falls back to ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the
largest single child, not the sum).
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of one process so far, in clock ticks (0 if gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may hold spaces and parentheses
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_pids(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_bytes(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * _PAGE


def hwm_bytes(pid: int) -> int:
    """The process's own peak RSS (VmHWM), 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children_maxrss_bytes() -> int:
    """Largest RSS of any waited-for descendant so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def self_maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class TreeSampler:
    """Peak summed RSS of ``pid`` and its descendants, polled every ``interval`` s;
    and their CPU time, as last seen for each process (``cpu_s``: a process that
    ends between two polls loses at most one interval of it)."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.peak_procs = 0
        self._ticks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = Path("/proc/self/statm").exists()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree_pids(self.pid)
            total = sum(rss_bytes(p) for p in pids)
            if total > self.peak:
                self.peak, self.peak_procs = total, len(pids)
            for p in pids:
                t = cpu_ticks(p)
                if t:
                    self._ticks[p] = max(t, self._ticks.get(p, 0))
            self._stop.wait(self.interval)

    @property
    def cpu_s(self) -> float:
        return sum(self._ticks.values()) / _TICK

    def __enter__(self) -> TreeSampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()
