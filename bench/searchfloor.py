"""/search against the floor: a plain tantivy query for the same words.

    python -m bench.searchfloor --data-dir tmp/bench/cache/store-100000 --reps 20

For each free-text search of the fixed mix (bench/routes.py), in this process:

* ``plain``: the query's words (every group required, the exact form
  boosted) and its filters, 10 hits and the count, nothing else: the floor;
* ``phrases``: the same with the words-in-order boosts as phrase queries
  over positions, as LocalStore ranked before;
* ``ranking``: LocalStore's query now, the boosts as word pairs
  (pipeline/store/local_index.py);
* ``search``: ``LocalStore.search`` whole: ranking, document rows, snippets,
  and the facets as a repeated query finds them (remembered until the index
  changes); ``search, new query``: the same with the facets counted afresh.

Also how much of the first page the two rankings share.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any


def _time(fn: Any, reps: int) -> dict[str, float]:
    fn()
    xs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return {"p50_ms": round(statistics.median(xs), 2),
            "p99_ms": round(xs[min(len(xs) - 1, int(0.99 * len(xs)))], 2)}


def floor(data_dir: Path, *, reps: int = 20) -> dict[str, Any]:
    import tantivy

    from bench.routes import QUERY_MIX
    from extractors.textnorm import normalize_query
    from pipeline.query.plan import plan
    from pipeline.store.base import SearchQuery, date_key
    from pipeline.store.local import LocalStore

    out: dict[str, Any] = {"queries": {}}
    with LocalStore(data_dir) as store:
        ti = store._text
        s = ti.searcher()
        for _kind, path, params in QUERY_MIX:
            if path != "/search" or not params.get("q") or params.get("sort") == "date":
                continue
            q = normalize_query(params["q"])
            p = plan(q)
            base = ti.filters("doc", terms={f: params.get(f) or "" for f in (
                "issuer", "doc_type", "province", "year")}, date_range=(
                date_key(params.get("date_from")), date_key(params.get("date_to"), end=True)))
            words = tantivy.Query.boolean_query(
                [*base, (tantivy.Occur.Must, ti.words_query(p))])
            full = tantivy.Query.boolean_query([*base, (tantivy.Occur.Must, tantivy.Query.
                                                        boolean_query([(tantivy.Occur.Must,
                                                                        ti.words_query(p)),
                                                                       *ti.positional_boosts(p)]))])
            sq = SearchQuery(q=q, province=params.get("province"),
                             doc_type=params.get("doc_type"), date_from=params.get("date_from"),
                             date_to=params.get("date_to"))

            def fresh(sq: SearchQuery = sq) -> Any:
                store._facets.clear()
                return store.search(sq)

            one = s.search(full, limit=10, count=True)
            one_ids = ti.ids(s, [a for _, a in one.hits])
            ranked = ti.ranked(base, p, offset=0, limit=10, by_date=False)
            row = {
                "matches": int(one.count),
                "plain": _time(lambda w=words: s.search(w, limit=10, count=True), reps),
                "phrases": _time(lambda f=full: s.search(f, limit=10, count=True), reps),
                "ranking": _time(lambda b=base, pp=p: ti.ranked(b, pp, offset=0, limit=10,
                                                                 by_date=False), reps),
                "search": _time(lambda sq=sq: store.search(sq), reps),
                "search_new_query": _time(fresh, reps),
                "same_first_page": list(ranked.ids) == one_ids,
                "first_page_shared": len(set(ranked.ids) & set(one_ids)),
            }
            row["ratio_search_to_plain"] = round(
                row["search"]["p50_ms"] / max(row["plain"]["p50_ms"], 0.01), 2)
            row["ratio_new_query_to_plain"] = round(
                row["search_new_query"]["p50_ms"] / max(row["plain"]["p50_ms"], 0.01), 2)
            out["queries"][path + "?" + "&".join(f"{k}={v}" for k, v in params.items())] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args(argv)
    print(json.dumps(floor(args.data_dir, reps=args.reps), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
