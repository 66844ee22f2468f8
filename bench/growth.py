"""Growth: what one more document costs, locally and on Elasticsearch (the 1M plan).

    python -m bench.growth --es --n 1000       # bytes per document per index, on the emulator
    python -m bench.growth --local STORE10K STORE100K   # per-document cost at two sizes

``--es`` writes ``--n`` saved extraction results (bench/extracted.py) into an
ElasticStore on the noida-db emulator (started here on 127.0.0.1, stopped at
the end; ``VNDOC_ES_URL`` instead points at a real cluster), then reads every
stored record back and sums its ``_source`` bytes per index: what each
document adds to each index before Lucene's own structures (the bulk
write is timed too). The emulator is not Lucene: its timings and its disk
use say nothing of a real cluster's, so only the source bytes are used for
sizing (README, "Elasticsearch sizing").

``--local`` reads two LocalStores of the same generated corpus (10k and
100k documents) and reports bytes per document by table and for the index,
so growth to 1M can be read off two measured points rather than one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def emulator() -> Iterator[str]:
    """noida-db on a free port of 127.0.0.1 (or VNDOC_ES_URL), stopped at the end."""
    if os.environ.get("VNDOC_ES_URL"):
        yield os.environ["VNDOC_ES_URL"]
        return
    from importlib.resources import files

    from bench.server import free_port

    binary = Path(str(files("noida_db").joinpath("noida-db")))
    if not os.access(binary, os.X_OK):
        binary.chmod(0o755)
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="vndoc-noida-"))
    proc = subprocess.Popen(  # noqa: S603 - the installed emulator, fixed arguments
        [str(binary), "start", "--only", "elasticsearch", "--host", "127.0.0.1",
         "--elasticsearch-port", str(port), "--data-dir", str(tmp / "data")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - local
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"noida-db did not answer on {url}") from None
                time.sleep(0.1)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def es_sizes(n: int, *, chunks: tuple[int, ...] = (500,)) -> dict[str, Any]:
    """Source bytes per document in each index, and bulk timings per chunk size."""
    from elasticsearch import Elasticsearch

    from bench.extracted import extract_shards, replay
    from pipeline.store.elastic import ElasticStore

    extract_shards(n)
    docs = list(replay(n))
    out: dict[str, Any] = {"documents": n, "bulk": {}}
    with emulator() as url:
        es = Elasticsearch(url, request_timeout=120)
        for chunk in chunks:
            prefix = f"growth{chunk}"
            store = ElasticStore(es, prefix=prefix, replicas=0, chunk_size=chunk, setup=True)
            t = time.perf_counter()
            store.put_many(docs)
            took = time.perf_counter() - t
            out["bulk"][chunk] = {"seconds": round(took, 2),
                                  "docs_per_s": round(n / took, 1)}
            if chunk == chunks[-1]:
                out["indices"] = _source_bytes(es, prefix, n)
            for idx in es.indices.get(index=f"{prefix}-*"):
                es.indices.delete(index=idx)
    return out


def _source_bytes(es: Any, prefix: str, n: int) -> dict[str, Any]:
    """Per index: records, and ``_source`` bytes per record and per document."""
    out: dict[str, Any] = {}
    for name in sorted(es.indices.get(index=f"{prefix}-*")):
        kind = name.removeprefix(prefix + "-").rsplit("-", 1)[0]
        total, count = 0, 0
        while count < 9000:  # within max_result_window: a sample is enough per record
            hits = es.search(index=name, size=1000, from_=count,
                             query={"match_all": {}})["hits"]["hits"]
            if not hits:
                break
            total += sum(len(json.dumps(h["_source"], ensure_ascii=False,
                                        separators=(",", ":")).encode("utf-8")) for h in hits)
            count += len(hits)
        records = int(es.count(index=name)["count"])
        per = total / count if count else 0.0
        out[kind] = {"records": records, "records_per_doc": round(records / n, 2),
                     "source_bytes_per_record": round(per),
                     "source_bytes_per_doc": round(per * records / n)}
    return out


def local_sizes(stores: list[Path]) -> dict[str, Any]:
    """Bytes per document by table (and the index) of each store."""
    out: dict[str, Any] = {}
    for d in stores:
        conn = sqlite3.connect(f"file:{d / 'vndoc.sqlite3'}?mode=ro", uri=True)
        n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        tasks = conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        tables = {r[0]: r[1] for r in conn.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")}
        conn.close()
        index = sum(f.stat().st_size for f in (d / "index").rglob("*") if f.is_file())
        sqlite_bytes = (d / "vndoc.sqlite3").stat().st_size
        out[str(d)] = {
            "documents": n, "tasks_per_doc": round(tasks / n, 2),
            "bytes_per_doc": round((index + sqlite_bytes) / n),
            "index_bytes_per_doc": round(index / n),
            "sqlite_bytes_per_doc": round(sqlite_bytes / n),
            "largest_tables_bytes_per_doc": {k: round(v / n) for k, v in
                                             list(tables.items())[:8]},
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--es", action="store_true", help="measure on the Elasticsearch emulator")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--local", type=Path, nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    if args.es:
        out["elasticsearch"] = es_sizes(args.n)
    if args.local:
        out["local"] = local_sizes(args.local)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
