"""Where a LocalStore's bytes are: SQLite's pages by table and index, and the
tantivy index's files by kind, for one or more data directories side by side.

SQLite is read through ``dbstat`` on a read-only connection (the store is not
changed; a WAL not yet checkpointed is counted in the file's total only).
Tantivy's files are grouped by extension: ``idx`` (postings), ``pos``
(positions), ``term`` (term dictionaries), ``store`` (stored fields),
``fast`` and ``fieldnorm``; the number of segments is the number of ``idx``
files.

Example:
    python -m bench.store_size tmp/bench/cache/store-10000 /tmp/base/tmp/bench/cache/store-10000
    python -m bench.store_size --docs 10000 --top 20 tmp/bench/cache/store-10000
"""

from __future__ import annotations

import argparse
import collections
import json
import sqlite3
from pathlib import Path
from typing import Any

MB = 1e6


def measure(data_dir: Path) -> dict[str, Any]:
    """Bytes of every table and index, and of the index's files by kind."""
    db = data_dir / "vndoc.sqlite3"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT name, SUM(pgsize), SUM(unused) FROM dbstat GROUP BY name"
            " ORDER BY 2 DESC").fetchall()
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        conn.close()
    index: collections.Counter[str] = collections.Counter()
    segments = 0
    for f in (data_dir / "index").iterdir():
        if f.is_file():
            ext = f.name.rsplit(".", 1)[-1]
            index[ext] += f.stat().st_size
            segments += ext == "idx"
    files = sum(f.stat().st_size for f in data_dir.rglob("*") if f.is_file())
    return {
        "data_dir": str(data_dir), "documents": docs, "total_mb": round(files / MB, 1),
        "sqlite_mb": round(sum(r[1] for r in rows) / MB, 1),
        "index_mb": round(sum(index.values()) / MB, 1), "segments": segments,
        "index_files_mb": {k: round(v / MB, 2) for k, v in index.most_common()},
        "tables_mb": {r[0]: round(r[1] / MB, 2) for r in rows},
        "unused_mb": {r[0]: round(r[2] / MB, 2) for r in rows},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dirs", nargs="+", type=Path)
    ap.add_argument("--top", type=int, default=16, help="tables and indexes listed")
    ap.add_argument("--json", action="store_true", help="print the full figures as JSON")
    args = ap.parse_args(argv)
    results = [measure(d) for d in args.data_dirs]
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
        return 0
    for r in results:
        per_k = r["total_mb"] / r["documents"] * 1000 if r["documents"] else 0.0
        print(f"{r['data_dir']}: {r['documents']} documents, {r['total_mb']} MB"
              f" ({per_k:.2f} MB per 1,000): SQLite {r['sqlite_mb']}, index {r['index_mb']}"
              f" in {r['segments']} segments")
        print("  index files: " + ", ".join(f"{k} {v}" for k, v in r["index_files_mb"].items()))
        top = list(r["tables_mb"].items())[: args.top]
        print("  SQLite: " + ", ".join(
            f"{k} {v} (unused {r['unused_mb'][k]})" for k, v in top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
