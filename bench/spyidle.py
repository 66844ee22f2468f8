"""Where the processes of a run waited: py-spy's raw samples, per process.

Record with py-spy, idle stacks included, then read the file with this:

    py-spy record --subprocesses --idle -r 50 -f raw -o run.txt -- \
        vndoc ingest tmp/bench/corpus/shard_001 --workers 2 --quiet --data-dir tmp/d
    python -m bench.spyidle run.txt

A sample is "waiting" when its innermost frame is a wait for input (a
selector, a pipe's ``recv``, a condition's ``wait``, ``poll``); every other
sample is "busy", which includes waiting for a core (py-spy samples the wall
clock). For an ingest's extraction workers, "waiting" is the time a worker
had no file to read.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

_WAITS = ("select", "recv", "_recv", "wait", "read_signed", "poll", "accept")


def per_process(raw: str) -> dict[str, tuple[int, int]]:
    """{process: (busy samples, waiting samples)}, from py-spy's ``-f raw`` output."""
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for line in raw.splitlines():
        if not line.strip():
            continue
        stack, n = line.rsplit(" ", 1)
        frames = stack.split(";")
        procs = [f for f in frames if f.startswith("process ")]
        if not procs:
            continue
        rest = frames[len(procs):]
        leaf = rest[-1].split(" ")[0] if rest else ""
        waiting = any(w in leaf for w in _WAITS)
        counts[procs[-1][:100]][1 if waiting else 0] += int(n)
    return {p: (c[0], c[1]) for p, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("raw", type=Path, help="py-spy record -f raw output")
    args = ap.parse_args(argv)
    rows = sorted(per_process(args.raw.read_text("utf-8")).items(), key=lambda kv: -sum(kv[1]))
    for proc, (busy, waiting) in rows:
        share = waiting / (busy + waiting) if busy + waiting else 0.0
        print(f"{busy:7d} busy {waiting:7d} waiting ({share:4.0%})  {proc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
