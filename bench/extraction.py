"""Extraction speed per core on the corpus (issue 20: >= 1.0 MB/s per core).

    python -m bench.extraction                 # MB/s per core, best of 5 rounds
    python -m bench.extraction --profile 25    # plus cProfile's top functions by own time
    python -m bench.extraction --stages        # plus the time of each extractor
    python -m bench.extraction --against /tmp/main  # rounds alternate with another checkout

The texts of ``corpus/seeds``, ``corpus/docs`` and ``corpus/pdf/docs`` are
loaded and cleaned once, outside the timing, as ``vndoc extract`` would
(with their sidecar facts). Each round runs ``extractors.extract`` over all
of them in this process. "Per core" is the bytes (UTF-8 of the cleaned
text) over the process's CPU time (``time.process_time``), which the other
work on a shared machine disturbs less than the wall time; both are
printed, with the load average. The best round is the figure: it is the one
least disturbed by other processes.

``--against DIR ...`` measures other checkouts of the project in the same
run (each a directory with its own ``extractors``, ``pipeline`` and
``corpus``, e.g. ``git worktree add /tmp/main main``): one process per
checkout (this one included) loads its own code and corpus, then the rounds
alternate between them, so that a change of load on the shared machine
weighs on every checkout alike. Each gets its best round.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DIRS = ("corpus/seeds", "corpus/docs", "corpus/pdf/docs")
# extractors.extraction's module-level names, timed by --stages
Texts = list[tuple[str, str, tuple[tuple[str, str], ...]]]  # (source, cleaned text, meta)
STAGES = ("find_metadata", "infer_province", "find_agencies", "find_legal_refs",
          "find_deadlines", "find_recurrences", "find_tasks")


def corpus_texts(dirs: tuple[str, ...] = DIRS) -> Texts:
    """(source, cleaned text, meta) of every corpus text, as ``vndoc extract`` reads it."""
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load
    from pipeline.ingest.run import raw_meta, sidecar_meta

    out = []
    for d in dirs:
        for p in sorted((ROOT / d).glob("*.txt")):
            raw = load(p)
            meta = dict(raw_meta(raw))
            meta.update(sidecar_meta(p))
            out.append((str(p.relative_to(ROOT)), clean(raw.text), tuple(sorted(meta.items()))))
    return out


def _round(texts: Texts) -> tuple[float, float]:
    from extractors.extraction import extract

    c, w = time.process_time(), time.perf_counter()
    for source, text, meta in texts:
        extract(text, source=source, meta=meta)
    return time.process_time() - c, time.perf_counter() - w


def speed(texts: Texts, *,
          rounds: int = 5) -> dict[str, Any]:
    """MB/s per core (CPU time) and per wall second, best of ``rounds``."""
    _round(texts[:1])  # rule tables load lazily, once: outside the timing
    mb = sum(len(t.encode("utf-8")) for _, t, _ in texts) / 1e6
    runs = [_round(texts) for _ in range(rounds)]
    cpu = min(r[0] for r in runs)
    wall = min(r[1] for r in runs)
    return {
        "docs": len(texts), "mb": round(mb, 3), "rounds": rounds,
        "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
        "mb_per_cpu_s": round(mb / cpu, 3), "mb_per_wall_s": round(mb / wall, 3),
        "all_cpu_s": [round(r[0], 3) for r in runs],
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


# One checkout's side of --against, run in that checkout with its own code
# (bench.extraction has had corpus_texts and _round from the start): a round
# for each line read.
_WORKER = """
import json, sys
from bench.extraction import _round, corpus_texts
texts = corpus_texts()
_round(texts[:1])
print(json.dumps({"mb": sum(len(t.encode("utf-8")) for _, t, _ in texts) / 1e6}), flush=True)
for _line in sys.stdin:
    print(json.dumps({"cpu": _round(texts)[0]}), flush=True)
"""


def interleaved(checkouts: list[Path], *, rounds: int = 5) -> list[dict[str, Any]]:
    """Best of ``rounds`` for each checkout, the rounds alternating between them."""
    import json
    import subprocess

    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            cwd=d, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(d)},
        )
        for d in checkouts
    ]
    try:
        mbs = [json.loads(p.stdout.readline())["mb"] for p in procs]  # type: ignore[union-attr]
        runs: list[list[float]] = [[] for _ in procs]
        for i in range(rounds):
            order = range(len(procs)) if i % 2 == 0 else reversed(range(len(procs)))
            for k in order:
                procs[k].stdin.write("go\n")  # type: ignore[union-attr]
                procs[k].stdin.flush()  # type: ignore[union-attr]
                runs[k].append(json.loads(procs[k].stdout.readline())["cpu"])  # type: ignore[union-attr]
    finally:
        for p in procs:
            p.stdin.close()  # type: ignore[union-attr]
            p.wait()
    load = [round(x, 2) for x in os.getloadavg()]
    return [
        {"checkout": str(d), "mb": round(mb, 3), "cpu_s": round(min(r), 3),
         "mb_per_cpu_s": round(mb / min(r), 3), "all_cpu_s": [round(x, 3) for x in r],
         "loadavg": load}
        for d, mb, r in zip(checkouts, mbs, runs, strict=True)
    ]


def stages(texts: Texts) -> dict[str, float]:
    """CPU seconds of each function ``extract`` calls, over one round."""
    import extractors.extraction as ex

    totals = dict.fromkeys(STAGES, 0.0)

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[name] += time.process_time() - t
        return timed

    originals = {name: getattr(ex, name) for name in STAGES}
    try:
        for name in STAGES:
            setattr(ex, name, wrap(name, originals[name]))
        cpu, _ = _round(texts)
    finally:
        for name, fn in originals.items():
            setattr(ex, name, fn)
    totals["(rest of extract)"] = cpu - sum(totals.values())
    return {k: round(v, 3) for k, v in totals.items()}


def profile(texts: Texts, *, top: int) -> str:
    """cProfile of one round: the ``top`` functions by own time."""
    prof = cProfile.Profile()
    prof.enable()
    _round(texts)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print cProfile's N functions with most own time")
    ap.add_argument("--stages", action="store_true", help="print the CPU time of each extractor")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    ap.add_argument("--against", nargs="+", type=Path, default=[], metavar="DIR",
                    help="other checkouts measured in the same run, rounds alternating")
    args = ap.parse_args(argv)
    if args.against:
        for r in interleaved([ROOT, *args.against], rounds=args.rounds):
            print(f"{r['checkout']}: {r['mb']} MB, best of {args.rounds}: {r['mb_per_cpu_s']} MB/s "
                  f"per core (CPU {r['cpu_s']} s); CPU s per round {r['all_cpu_s']}; "
                  f"load average {r['loadavg']}")
        return 0
    texts = corpus_texts()
    r = speed(texts, rounds=args.rounds)
    if args.json:
        import json

        print(json.dumps(r))
        return 0
    print(f"extraction: {r['docs']} documents, {r['mb']} MB, best of {r['rounds']}: "
          f"{r['mb_per_cpu_s']} MB/s per core (CPU {r['cpu_s']} s), "
          f"{r['mb_per_wall_s']} MB/s wall ({r['wall_s']} s); "
          f"CPU s per round {r['all_cpu_s']}; load average {r['loadavg']}")
    if args.stages:
        for name, s in stages(texts).items():
            print(f"  {name:20} {s:8.3f} s")
    if args.profile:
        print(profile(texts, top=args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
