"""The owner filter cold and warm, and search, on a big store: two code versions side by side.

    python -m bench.perf --store tmp/perf/store-100k --before tmp/perf/before \\
        --rounds 3 --reps 15 --out bench/results/perf.md

Every sample runs in a fresh child process, as a restarted server would:
open the store, ``recover()`` and, when the code has it,
``pipeline.query.resolve.warm_up()`` (what the API's start-up does), then time

* ``/tasks?owner=`` the way the route runs it (``resolve_owner`` then
  ``store.tasks``): the first call (cold), the second (warm), and the first
  call after a write (a document added and deleted again, so the store's
  contents end as they began);
* every search of ``bench.measure.query_mix``: one warm-up pass, then
  ``--reps`` passes.

``--before DIR`` names a folder holding another ``pipeline/`` package (e.g.
``git archive HEAD pipeline``) that is put first on the child's path; the
children of both versions alternate, ``--rounds`` times each, so both see
the same machine load. Checks (exit 1 when they fail): both versions return
the same task ids, the same owner names, and for every search the same hit
ids, scores, total and facets. Timings never fail anything.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import ROOT, BenchError, check, loadavg, pct, query_mix

OWNERS = ("so xay dung",)  # besides the mix's own owner queries


def _child(store_dir: str, reps: int) -> dict[str, Any]:
    import datetime as dt

    t0 = time.perf_counter()
    from extractors.textnorm import normalize_query
    from pipeline.query import resolve as queries
    from pipeline.store.base import SearchQuery, TaskQuery
    from pipeline.store.local import LocalStore

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = LocalStore(store_dir)
    t_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.recover()
    warm = getattr(queries, "warm_up", None)
    if warm is not None:
        warm()
    t_start = time.perf_counter() - t0
    mix = query_mix(Path(store_dir))
    owners = [q.params for q in mix if q.path == "/tasks" and "owner" in q.params]
    owners += [{"owner": o, "limit": "100"} for o in OWNERS]

    def owner_call(p: dict[str, str]) -> dict[str, Any]:
        t = time.perf_counter()
        names = queries.resolve_owner(store, normalize_query(p["owner"]))
        t_resolve = time.perf_counter() - t
        today = dt.date.fromisoformat(p["today"]) if "today" in p else dt.date(2025, 1, 1)
        rows = store.tasks(TaskQuery(owner_names=tuple(names), status=p.get("status"),
                                     today=today, limit=int(p.get("limit", 1000))))
        total = time.perf_counter() - t
        return {"ms": round(1000 * total, 2), "resolve_ms": round(1000 * t_resolve, 2),
                "names": names, "tasks": [r.id for r in rows]}

    out: dict[str, Any] = {"import_s": round(t_import, 3), "open_s": round(t_open, 3),
                           "startup_s": round(t_start, 3), "owner": []}
    first = True
    for p in owners:
        cold = owner_call(p)
        again = owner_call(p)
        out["owner"].append({"params": p, "cold_first_request": first, "cold": cold,
                             "warm": again})
        first = False
    # After a write: add a document and delete it again (two write generations).
    from extractors import extract

    d = extract(f"Văn bản đo {os.getpid()} {time.time()}\nSở Xây dựng tỉnh Bắc Giang chủ trì.",
                source=f"bench-perf-{os.getpid()}.txt")
    t = time.perf_counter()
    store.put(d)
    store.delete(d.id)
    out["write_s"] = round(time.perf_counter() - t, 3)
    out["after_write"] = [owner_call(p) for p in owners[:1]]

    searches = [q for q in mix if q.path == "/search"]

    def sq(p: dict[str, str]) -> SearchQuery:
        return SearchQuery(q=normalize_query(p.get("q", "")), issuer=p.get("issuer"),
                           doc_type=p.get("doc_type"), province=p.get("province"),
                           date_from=p.get("date_from"), date_to=p.get("date_to"), size=10)

    results = {}
    for q in searches:  # warm-up pass, and what each search answers
        r = store.search(sq(q.params))
        results[json.dumps(q.params, ensure_ascii=False)] = {
            "ids": [h.id for h in r.hits], "scores": [h.score for h in r.hits],
            "total": r.total, "facets": r.facets}
    samples: dict[str, list[float]] = {json.dumps(q.params, ensure_ascii=False): []
                                       for q in searches}
    for _ in range(reps):
        for q in searches:
            t = time.perf_counter()
            store.search(sq(q.params))
            samples[json.dumps(q.params, ensure_ascii=False)].append(
                1000 * (time.perf_counter() - t))
    out["search"] = {"results": results, "samples": samples}
    store.close()
    return out


def _run_child(code: Path | None, store: Path, reps: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.perf", "--child", "--store", str(store),
           "--reps", str(reps)]
    if code is not None:  # first on sys.path, ahead of the working tree (see main)
        cmd += ["--code", str(code.resolve())]
    env = dict(os.environ)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    check(proc.returncode == 0, f"child failed ({code or 'working tree'}): {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    owner = {}
    for i, o in enumerate(runs[0]["owner"]):
        key = json.dumps(o["params"], ensure_ascii=False)
        cold = [r["owner"][i]["cold"]["ms"] for r in runs]
        warm = [r["owner"][i]["warm"]["ms"] for r in runs]
        owner[key] = {"first_request": o["cold_first_request"],
                      "cold_ms_median": round(statistics.median(cold), 1), "cold_ms": cold,
                      "warm_ms_median": round(statistics.median(warm), 1), "warm_ms": warm,
                      "names": len(o["cold"]["names"]), "tasks": len(o["cold"]["tasks"])}
    after = [r["after_write"][0]["ms"] for r in runs]
    search: dict[str, Any] = {}
    all_ms: list[float] = []
    for key in runs[0]["search"]["samples"]:
        xs = [x for r in runs for x in r["search"]["samples"][key]]
        all_ms += xs
        search[key] = {"p50": round(pct(xs, 50), 1), "p99": round(pct(xs, 99), 1),
                       "total": runs[0]["search"]["results"][key]["total"]}
    return {
        "startup_s": [r["startup_s"] for r in runs], "open_s": [r["open_s"] for r in runs],
        "owner": owner, "after_write_ms": after,
        "after_write_ms_median": round(statistics.median(after), 1),
        "search": search, "search_p50": round(pct(all_ms, 50), 1),
        "search_p99": round(pct(all_ms, 99), 1), "search_calls": len(all_ms),
    }


def _same_answers(a: dict[str, Any], b: dict[str, Any]) -> None:
    for oa, ob in zip(a["owner"], b["owner"], strict=True):
        check(oa["cold"]["names"] == ob["cold"]["names"],
              f"owner names differ for {oa['params']}")
        check(oa["cold"]["tasks"] == ob["cold"]["tasks"], f"tasks differ for {oa['params']}")
    for key, ra in a["search"]["results"].items():
        rb = b["search"]["results"][key]
        for field in ("ids", "scores", "total"):
            check(ra[field] == rb[field], f"search {key}: {field} differ")
        check(json.dumps(ra["facets"]) == json.dumps(rb["facets"]), f"search {key}: facets differ")


def render(info: dict[str, Any]) -> str:
    names = list(info["versions"])
    S = {n: info["versions"][n]["summary"] for n in names}
    L = ["# Owner filter (cold) and search at scale", "",
         f"Command: `{info['command']}`", "",
         f"Date: {info['date']}; store: `{info['store']}` ({info['docs']} documents); "
         f"machine: {os.cpu_count()} CPUs; load average {info['load_before']} at start, "
         f"{info['load_after']} at end; {info['rounds']} fresh processes per version, "
         "alternating; answers checked identical between versions.", "",
         "Each process opens the store, runs `recover()` and `warm_up()` when the code has it "
         "(the API's start-up), then times `/tasks?owner=` the way the route runs it "
         "(`resolve_owner` + `store.tasks`): the first call after start (cold), the second "
         "(warm), and the first call after a write.", "",
         "## /tasks?owner= (ms, median over processes)", "",
         "| query | " + " | ".join(f"{n} cold | {n} warm" for n in names) + " | names | tasks |",
         "|---|" + "---|---|" * len(names) + "---|---|"]
    for key, o in S[names[0]]["owner"].items():
        cells = []
        for n in names:
            x = S[n]["owner"][key]
            cells += [f"{x['cold_ms_median']}", f"{x['warm_ms_median']}"]
        first = " (first request)" if o["first_request"] else ""
        L.append(f"| `{key}`{first} | " + " | ".join(cells) + f" | {o['names']} | {o['tasks']} |")
    L += ["", "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names),
          "| first owner call after a write (ms, median) | "
          + " | ".join(str(S[n]["after_write_ms_median"]) for n in names) + " |",
          "| start-up: recover + warm_up (s) | "
          + " | ".join(str(S[n]["startup_s"]) for n in names) + " |",
          "| opening the store (s) | " + " | ".join(str(S[n]["open_s"]) for n in names) + " |",
          "", "## Search (ms, in-process, one client)", "",
          "| query | total | " + " | ".join(f"{n} p50 | {n} p99" for n in names) + " |",
          "|---|---|" + "---|---|" * len(names)]
    for key, x in S[names[0]]["search"].items():
        cells = []
        for n in names:
            y = S[n]["search"][key]
            cells += [str(y["p50"]), str(y["p99"])]
        L.append(f"| `{key}` | {x['total']} | " + " | ".join(cells) + " |")
    L.append("| **all searches** | | " + " | ".join(
        f"**{S[n]['search_p50']}** | **{S[n]['search_p99']}**" for n in names) + " |")
    L += ["", f"Search calls per version: {S[names[0]]['search_calls']}.", ""]
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--store", type=Path, required=True, help="a LocalStore data dir")
    ap.add_argument("--before", type=Path, default=None,
                    help="folder with the other version's pipeline/ package")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--out", type=Path, default=None, help="write this .md (and .json beside)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--code", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        if args.code is not None:
            assert "pipeline" not in sys.modules
            sys.path.insert(0, str(args.code))
        import pipeline

        check(Path(pipeline.__file__).resolve().parent.parent == (args.code or ROOT).resolve(),
              f"imported {pipeline.__file__}, not the version asked for")
        print(json.dumps(_child(str(args.store), args.reps), ensure_ascii=False))
        return 0
    versions: dict[str, Path | None] = {}
    if args.before is not None:
        versions["before"] = args.before
    versions["after" if args.before is not None else "this"] = None
    load0 = loadavg()
    runs: dict[str, list[dict[str, Any]]] = {n: [] for n in versions}
    try:
        for _ in range(args.rounds):
            for n, code in versions.items():
                runs[n].append(_run_child(code, args.store, args.reps))
                print(f"{n}: done", file=sys.stderr)
        if len(versions) == 2:
            a, b = (runs[n][0] for n in versions)
            _same_answers(a, b)
    except BenchError as e:
        print(f"bench.perf: {e}", file=sys.stderr)
        return 1
    import sqlite3

    conn = sqlite3.connect(args.store / "vndoc.sqlite3")
    docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    conn.close()
    rel = " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
    info = {
        "command": f"python -m bench.perf {rel}", "date": time.strftime("%Y-%m-%d %H:%M"),
        "store": str(args.store), "docs": docs, "rounds": args.rounds,
        "load_before": load0, "load_after": loadavg(),
        "versions": {n: {"code": str(c) if c else "working tree",
                         "summary": _summary(runs[n])} for n, c in versions.items()},
    }
    md = render(info)
    print(md)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(md, "utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps(info, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
