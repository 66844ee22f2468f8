"""BENCHMARKS.md from the payload of bench/full.py (``{"machine", "steps", "failures"}``).

Every figure comes with the command that produced it: first the targets of
issue 20 (before and after, measured in one run), then a table per kind of
measurement, the analysis notes (``bench/notes.md``), and every step's
command with its raw result.

Example:
    python -m bench.report bench/results/full.json > BENCHMARKS.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"tasks": 20.0, "refs": 10.0, "ask": 50.0, "search": 60.0}  # p99 ms at 100k (#20)


def _steps(payload: dict[str, Any], prefix: str) -> dict[str, dict[str, Any]]:
    """Steps whose name starts with ``prefix``: rest of the name -> step (no failed ones)."""
    return {s["name"].removeprefix(prefix): s for s in payload["steps"]
            if s["name"].startswith(prefix) and "error" not in s["result"]}


def _when(s: dict[str, Any]) -> str:
    """Where a step's figure comes from when not from this run."""
    if "reused" in s:
        return f" (git {s['reused'].get('git_rev')}, {s['reused'].get('started')})"
    return ""


def _met(value: float | None, target: float, *, most: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if most else value >= target
    return "yes" if ok else "**no**"


def _targets(payload: dict[str, Any]) -> list[str]:
    routes = _steps(payload, "routes 100000 docs, ")
    out = ["## Issue 20's targets", "",
           "At 100k documents, in-process, this machine, one run (p99 over 20 passes of the "
           "fixed query mix of `bench/routes.py`; \"before\" is the code named above; in "
           "brackets the p99 of the process's CPU time per request, which waiting for a "
           "core on the shared machine does not inflate).", "",
           "| target | before | after | met (after) |", "|---|---|---|---|"]
    for kind, target in TARGETS.items():
        cells = []
        for label in ("before", "after"):
            v = routes.get(label, {}).get("result", {}).get("by_kind", {}).get(kind)
            cells.append((f"{v['p99_ms']} ms" + (f" (CPU {v['cpu_p99_ms']} ms)"
                                                 if "cpu_p99_ms" in v else "")) if v else "-")
        after = routes.get("after", {}).get("result", {}).get("by_kind", {}).get(kind)
        out.append(f"| /{kind} p99 <= {target:g} ms | {cells[0]} | {cells[1]} | "
                   f"{_met(after['p99_ms'] if after else None, target)} |")
    ing = _steps(payload, "ingest 100000 docs, 2 workers, ").get("after")
    if ing:
        x = ing["result"]
        minutes = round(x["seconds"] / 60, 1)
        out.append(f"| ingest of 100k generated documents, 2 workers, <= 8 min | - | "
                   f"{minutes} min ({x.get('docs_per_s')} docs/s, {x.get('cores_used')} cores "
                   f"busy, load {x.get('loadavg_before')}-{x.get('loadavg_after')})"
                   f"{_when(ing)} | {_met(minutes, 8.0)} |")
    ext = _steps(payload, "extraction per core, ")
    if ext:
        cells = [f"{ext[x]['result']['mb_per_cpu_s']} MB/s{_when(ext[x])}" if x in ext else "-"
                 for x in ("before", "after")]
        a = ext.get("after", {}).get("result", {}).get("mb_per_cpu_s")
        out.append(f"| extraction >= 1.0 MB/s per core | {cells[0]} | {cells[1]} | "
                   f"{_met(a, 1.0, most=False)} |")
    size = _steps(payload, "store size 100000 docs, ")
    if size:
        cells = [f"{size[x]['result']['mb_per_1k_docs']} MB{_when(size[x])}" if x in size
                 else "-" for x in ("before", "after")]
        a = size.get("after", {}).get("result", {}).get("mb_per_1k_docs")
        out.append(f"| store <= 12 MB per 1,000 documents | {cells[0]} | {cells[1]} | "
                   f"{_met(a, 12.0)} |")
    load = _steps(payload, "load test 10000 docs, ")
    if load:
        # "after" is the served configuration: several server processes when measured
        after = next((k for k in load if k.startswith("after, ")), "after")
        cells, a = [], None
        for x in ("before", after):
            if x not in load:
                cells.append("-")
                continue
            p99s = [float(v) for v in _p99s(load[x]["result"].get("report", ""))]
            errs = load[x]["result"].get("errors", [])
            cells.append(f"p99 {' / '.join(f'{v:g}' for v in p99s)} ms, errors "
                         f"{' / '.join(map(str, errs))}{_when(load[x])}"
                         + (f" ({x.removeprefix('after, ')})" if x != "after"
                            and x != "before" else ""))
            if x == after and p99s:
                a = max(p99s) if not any(errs) else float("inf")
        out.append(f"| load test at 10k (50 clients; without / during an ingest): p99 <= 300 "
                   f"ms, 0 errors | {cells[0]} | {cells[1]} | {_met(a, 300.0)} |")
    return [*out, ""]


def _p99s(report: str) -> list[str]:
    import re

    return re.findall(r"p99 ([\d.]+) ms, \d+ errors\*\*", report)


def _routes_tables(payload: dict[str, Any]) -> list[str]:
    """Per store size: route kind x (before, after) p50 / p99; then per query at 100k."""
    runs: dict[str, dict[str, dict[str, Any]]] = {}
    for s in payload["steps"]:
        name = s["name"]
        if not name.startswith("routes ") or "error" in s["result"]:
            continue
        size, label = name.removeprefix("routes ").split(", ", 1)
        runs.setdefault(size, {})[label] = s
    out: list[str] = []
    for size, by_label in runs.items():
        labels = [x for x in ("before", "after") if x in by_label]
        kinds = sorted({k for s in by_label.values() for k in s["result"].get("by_kind", {})})
        out += [f"### Routes at {size}, in-process (p50 / p99 ms)", "",
                "Wall time, and where measured the process's CPU time per request (what "
                "a request costs whatever else keeps the cores busy).", ""]
        for x in labels:
            s = by_label[x]
            out.append(f"- {x}: `{s['command']}`, load average {s['result'].get('loadavg')}"
                       f"{_when(s)}")
        cpu = [x for x in labels if any("cpu_p99_ms" in v for v in
                                        by_label[x]["result"]["by_kind"].values())]
        out += ["", "| route | " + " | ".join(labels)
                + "".join(f" | {x}: CPU time" for x in cpu) + " | p99 target at 100k |",
                "|---|" + "---|" * (len(labels) + len(cpu)) + "---|"]
        for k in kinds:
            cells = []
            for x in labels:
                v = by_label[x]["result"]["by_kind"].get(k)
                cells.append(f"{v['p50_ms']} / {v['p99_ms']}" if v else "-")
            for x in cpu:
                v = by_label[x]["result"]["by_kind"].get(k)
                cells.append(f"{v['cpu_p50_ms']} / {v['cpu_p99_ms']}" if v else "-")
            out.append(f"| {k} | " + " | ".join(cells) + f" | {TARGETS.get(k) or ''} |")
        out.append("")
        if size.startswith("100000"):
            queries = list(by_label[labels[-1]]["result"].get("queries", {}))
            out += ["Per query (p50 / p99 ms; results: the total the answer reports):", "",
                    "| query | " + " | ".join(labels)
                    + "".join(f" | {x}: CPU time" for x in cpu) + " | results |",
                    "|---|" + "---|" * (len(labels) + len(cpu)) + "---|"]
            for q in queries:
                cells, res = [], ""
                for x in labels:
                    v = by_label[x]["result"].get("queries", {}).get(q)
                    cells.append(f"{v['p50_ms']} / {v['p99_ms']}" if v else "-")
                    res = str(v["results"]) if v else res
                for x in cpu:
                    v = by_label[x]["result"].get("queries", {}).get(q)
                    cells.append(f"{v['cpu_p50_ms']} / {v['cpu_p99_ms']}" if v else "-")
                out.append(f"| `{q}` | " + " | ".join(cells) + f" | {res} |")
            out.append("")
    return out


def _table(payload: dict[str, Any], title: str, prefix: str, cols: list[tuple[str, str]],
           note: str = "") -> list[str]:
    rows = [s for s in payload["steps"] if s["name"].startswith(prefix)
            and "error" not in s["result"]]
    if not rows:
        return []
    out = [f"### {title}", ""] + ([note, ""] if note else [])
    out += ["| step | " + " | ".join(c for c, _ in cols) + " | command |",
            "|---|" + "---|" * len(cols) + "---|"]
    for s in rows:
        cells = [str(s["result"].get(k, "")) for _, k in cols]
        out.append(f"| {s['name'].removeprefix(prefix)}{_when(s)} | " + " | ".join(cells)
                   + f" | `{s['command']}` |")
    return [*out, ""]


def render(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    lines = ["# Benchmarks", "",
             f"Generated by `python -m bench.full` (`make bench-full`) at git {m.get('git_rev')},"
             f" before = {m.get('before')}, started {m.get('started')}; CPU {m.get('cpu')}, "
             f"{m.get('nproc')} cores, shared with other work; load average (1 min) "
             f"{m.get('loadavg')} at start, {m.get('loadavg_end')} at the end; "
             f"{m.get('total_s')} s in all. Step groups run now: "
             f"{', '.join(m.get('groups_run', [])) or '-'}"
             + (f"; copied from an earlier run (`--reuse`, each marked with its git rev and "
                f"date): {', '.join(m['reused_groups'])}" if m.get("reused_groups") else "")
             + ".", "",
             "```sh",
             "make bench        # quick (CI): ~300 documents, a 10 s load test; "
             "bench/results/quick.md",
             "make bench-full   # python -m bench.full: this file", "```", ""]
    lines += _targets(payload)
    lines += ["## Figures", ""]
    lines += _routes_tables(payload)
    lines += _table(payload, "Ingest (`vndoc ingest`, end to end)", "ingest ",
                    [("seconds", "seconds"), ("docs/s", "docs_per_s"), ("MB/s", "mb_per_s"),
                     ("cores busy", "cores_used"), ("CPU ms / doc", "cpu_ms_per_doc"),
                     ("peak RSS MB", "peak_rss_mb"),
                     ("store MB / 1k", "store_mb_per_1k_docs"), ("load before", "loadavg_before"),
                     ("load after", "loadavg_after")],
                    "Wall time from spawn to exit; \"cores busy\" is the CPU time of the CLI and "
                    "its workers over the wall time.")
    lines += _table(payload, "Writer (2,000 saved extraction results, `LocalStore.put_many`)",
                    "writer ", [("ms per document", "ms_per_doc"), ("seconds", "seconds")])
    lines += _table(payload, "Store size", "store size ",
                    [("MB / 1k documents", "mb_per_1k_docs"), ("total MB", "total_mb"),
                     ("index MB", "index_mb"), ("SQLite MB", "sqlite_mb"),
                     ("largest tables MB", "largest_tables_mb")])
    lines += _table(payload, "Extraction per core (corpus texts, best of 5 rounds)",
                    "extraction per core, ", [("MB/s per core", "mb_per_cpu_s"),
                                              ("CPU s", "cpu_s"), ("load", "loadavg")])
    floor = _steps(payload, "search against a plain tantivy query")
    for s in floor.values():
        lines += ["### /search against a plain tantivy query (100k)", "",
                  f"`{s['command']}`{_when(s)}: p50 ms of the plain query (the words, every "
                  "group required), of LocalStore's ranking, and of the whole search.", "",
                  "| query | matches | plain | ranking | search | search / plain |",
                  "|---|---|---|---|---|---|"]
        for q, v in s["result"].get("queries", {}).items():
            lines.append(f"| `{q}` | {v['matches']} | {v['plain']['p50_ms']} | "
                         f"{v['ranking']['p50_ms']} | {v['search']['p50_ms']} | "
                         f"{v['ratio_search_to_plain']} |")
        lines.append("")
    for name, s in _steps(payload, "load test ").items():
        lines += [f"### Load test, {name}{_when(s)}", "", f"`{s['command']}`", "",
                  _demote(s["result"].get("report", "")), ""]
    notes = ROOT / "bench" / "notes.md"
    if notes.is_file():
        lines += [notes.read_text("utf-8").rstrip(), ""]
    lines += ["## Every step", ""]
    for s in payload["steps"]:
        res = {k: v for k, v in s["result"].items() if k not in ("queries", "report")}
        lines += [f"### {s['name']}{_when(s)}", "", f"`{s['command']}` ({s['seconds']} s)", "",
                  "```json", json.dumps(res, ensure_ascii=False, indent=1)[:4000], "```", ""]
    if payload["failures"]:
        lines += ["## Failures", ""] + [f"- {f}" for f in payload["failures"]] + [""]
    return "\n".join(lines)


def _demote(md: str, levels: int = 2) -> str:
    """An included report under a level-3 heading: its title dropped, headings down."""
    rows = md.strip().splitlines()
    if rows and rows[0].startswith("# "):
        rows = rows[1:]
    return "\n".join("#" * levels + r if r.startswith("#") else r for r in rows).strip()


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    payload = json.loads(Path(args[0]).read_text("utf-8"))
    sys.stdout.write(render(payload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
