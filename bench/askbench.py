"""/ask timed per question on a big store, for one or two code versions side by side.

    nice python bench/askbench.py --data-dir tmp/store100k --code . --code tmp/base \\
        --reps 10 --out tmp/ask.json

The questions are the /ask questions of bench/routes.py's fixed mix and,
with ``--sets``, every question of the evaluation sets (tests/ask/*.yaml,
tests/ask/folded/*.yaml), each at its own "today". Each ``--code DIR`` (a
checkout, e.g. ``git archive main | tar -x -C tmp/base``) runs in its own
child process with DIR first on the path: the app is built with
``search_api.app.create_app`` and started with its lifespan, as a server
does, and asked through Starlette's TestClient (the route's whole work, no
network). The children take turns question by question, so both versions
see the same machine load; each times itself and reports the time, the
answer's count, its first sentence and the ids of its first page.

Per question: p50 and p99 of each version (nearest rank over ``--reps``
calls after one first call), the load average at the end, and whether the
versions answered the same (the sentence, the count and the page). Exit 1
when a version answers an error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))]


def mix_questions() -> list[dict[str, str]]:
    from routes import QUERY_MIX  # bench/routes.py: the fixed mix

    return [{"id": f"mix-{i}", "q": p["q"], "today": p.get("today", "")}
            for i, (kind, _path, p) in enumerate(QUERY_MIX) if kind == "ask"]


def set_questions(paths: list[Path]) -> list[dict[str, str]]:
    import yaml

    out = []
    for path in paths:
        data = yaml.safe_load(path.read_text("utf-8"))
        today = str(data.get("today", ""))
        for q in data["questions"]:
            out.append({"id": q["id"], "q": q["q"], "today": str(q.get("today") or today)})
    return out


# ------------------------------------------------------------------ the child


def _child(data_dir: str) -> None:
    os.environ.setdefault("VNDOC_HEAL_INTERVAL_S", "3600")
    from fastapi.testclient import TestClient

    import search_api.app as app_module
    from pipeline.settings import Settings

    app = app_module.create_app(Settings(data_dir=Path(data_dir)))
    out = sys.stdout
    with TestClient(app) as client:
        out.write(json.dumps({"ready": str(Path(app_module.__file__).resolve().parents[1])})
                  + "\n")
        out.flush()
        for line in sys.stdin:
            item = json.loads(line)
            params = {"q": item["q"]}
            if item.get("today"):
                params["today"] = item["today"]
            t = time.perf_counter()
            r = client.get("/ask", params=params)
            took = time.perf_counter() - t
            row: dict[str, Any] = {"s": took, "status": r.status_code, "bytes": len(r.content)}
            if item.get("check"):
                body = r.json() if r.status_code == 200 else {}
                ids = [d.get("task_id") or d.get("doc_id") or d.get("canonical")
                       for d in body.get("data", [])]
                row.update(count=body.get("count"), answer=body.get("answer", r.text[:300]),
                           page=hashlib.sha1(json.dumps(ids).encode()).hexdigest()[:12],
                           items=len(ids))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()


class Child:
    def __init__(self, code: Path, data_dir: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(code.resolve()))
        self.code = str(code)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", "--data-dir",
             str(data_dir.resolve())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
            cwd=str(code.resolve()),
        )
        ready = json.loads(self._line())
        self.loaded_from = ready["ready"]

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.code}: the child ended")
        return line

    def ask(self, item: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(item, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(self._line())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--code", type=Path, action="append", default=[],
                    help="a checkout to time (repeat for two versions); default: this one")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--sets", action="store_true", help="also every question of tests/ask")
    ap.add_argument("--only", default="",
                    help="only questions whose id starts with one of these (comma-separated)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(str(args.data_dir))
        return 0
    questions = mix_questions()
    if args.sets:
        here = ROOT / "tests" / "ask"
        questions += set_questions([here / "questions.yaml",
                                    *sorted((here / "folded").glob("*.yaml"))])
    questions = [q for q in questions if q["id"].startswith(tuple(args.only.split(",")))]
    codes = args.code or [ROOT]
    children = [Child(c, args.data_dir) for c in codes]
    names = [c.code for c in children]
    res: dict[str, dict[str, Any]] = {}
    load = [os.getloadavg()[0]]
    try:
        for q in questions:  # the first call, checked
            res[q["id"]] = {"q": q["q"], "today": q["today"], "first": {}, "answer": {},
                            "s": {n: [] for n in names}}
            for c in children:
                row = c.ask({**q, "check": True})
                if row["status"] != 200:
                    raise SystemExit(f"{c.code}: {q['id']} -> {row['status']}: {row['answer']}")
                res[q["id"]]["first"][c.code] = row["s"]
                res[q["id"]]["answer"][c.code] = {k: row[k] for k in
                                                  ("count", "answer", "page", "items", "bytes")}
        for _ in range(args.reps):
            for q in questions:
                for c in children:
                    res[q["id"]]["s"][c.code].append(c.ask(q)["s"])
            load.append(os.getloadavg()[0])
    finally:
        for c in children:
            c.close()
    ms = 1000.0
    table = []
    for qid, r in res.items():
        row = {"id": qid, "q": r["q"], "today": r["today"]}
        for n in names:
            xs = r["s"][n]
            row[n] = {"first_ms": round(r["first"][n] * ms, 2),
                      "p50_ms": round(pct(xs, 50) * ms, 2),
                      "p99_ms": round(pct(xs, 99) * ms, 2),
                      "mean_ms": round(statistics.fmean(xs) * ms, 2) if xs else 0.0,
                      **r["answer"][n]}
        if len(names) > 1:
            a, b = (r["answer"][n] for n in names[:2])
            row["same"] = all(a[k] == b[k] for k in ("count", "answer", "page"))
        table.append(row)
    summary = {}
    for n in names:
        every = [x for r in res.values() for x in r["s"][n]]
        summary[n] = {"calls": len(every), "p50_ms": round(pct(every, 50) * ms, 2),
                      "p99_ms": round(pct(every, 99) * ms, 2),
                      "max_ms": round(max(every, default=0.0) * ms, 2),
                      "worst_p99": max(table, key=lambda t: t[n]["p99_ms"])["id"]}
    out = {"data_dir": str(args.data_dir), "reps": args.reps, "codes": names,
           "loadavg": {"min": min(load), "max": max(load),
                       "mean": round(statistics.fmean(load), 2)},
           "summary": summary, "questions": table}
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, "utf-8")
    lines = [f"load average {out['loadavg']}"]
    for n in names:
        lines.append(f"{n}: {summary[n]}")
    head = "  ".join(f"{n[-12:]:>25}" for n in names)
    lines.append(f"{'id':<12} {head}  same  question")
    for t in sorted(table, key=lambda t: -t[names[0]]["p99_ms"]):
        cols = "  ".join(f"{t[n]['p50_ms']:>8.1f}/{t[n]['p99_ms']:>7.1f} n={t[n]['count']!s:>6}"
                         for n in names)
        lines.append(f"{t['id']:<12} {cols}  {'' if len(names) < 2 else t['same']!s:<5} "
                     f"{t['q'][:60]}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
