"""Extracted documents saved once, replayed into stores (``python -m bench.extracted``).

Reading and extracting a generated document costs far more than storing it,
and the result does not depend on the store. So the stores that only the
store's speed and size are measured on (the "before" store written by an
older version of LocalStore, and the 300k-1M growth curve) are written from
the extraction results saved here, one gzipped JSON Lines file per shard of
1,000 documents (``tmp/bench/extracted/shard_NNN.jsonl.gz``), instead of
extracting every document again. Ingest itself (reading, extraction and
writing together) is always measured end to end with ``vndoc ingest``.

:class:`Replayed` is a saved document that ``Store.put_many`` accepts: it
answers the attributes a store reads of an ``ExtractedDocument`` (``id``,
``source``, ``text``, ``doc``, ``to_json()``).

Example:
    python -m bench.extracted --n 100000 --workers 2
    PYTHONPATH=tmp/bench/before-code python bench/extracted.py --replay 100000 \
        --data-dir tmp/bench/before/store-100000     # written by that version's LocalStore

Run as a script this file imports nothing of vndoc's but the store, so that
``PYTHONPATH`` can put another version's code first.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXTRACTED = ROOT / "tmp" / "bench" / "extracted"
SHARD = 1000  # documents per shard, as bench/generate.py writes them


class Replayed:
    """A saved extraction result that quacks like ``ExtractedDocument`` for a store."""

    __slots__ = ("_data", "id", "source", "text", "doc")

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.id: str = data["id"]
        self.source: str = data["source"]
        self.text: str = data["text"]
        self.doc = SimpleNamespace(**data["doc"])

    def to_json(self) -> dict[str, Any]:
        return self._data

    def renamed(self, i: int, *, prefix: str = "copy") -> Replayed:
        """The same document as another one: text, id, number and source changed
        (for stores larger than the generated corpus)."""
        import hashlib

        data = json.loads(json.dumps(self._data))
        mark = f"\n{prefix} {i}"
        data["text"] = data["text"] + mark
        data["id"] = hashlib.sha256(data["text"].encode()).hexdigest()[:16]
        data["source"] = f"{prefix}-{i}/{data['source']}"
        number = data["doc"].get("number_symbol")
        if number and number[:1].isdigit():
            data["doc"]["number_symbol"] = f"{i}{number}"
        return Replayed(data)


def shard_path(out: Path, shard: int) -> Path:
    return out / f"shard_{shard:03d}.jsonl.gz"


def extract_shards(n: int, *, workers: int = 2, corpus: Path = ROOT / "tmp" / "bench" / "corpus",
                   out: Path = EXTRACTED) -> dict[str, Any]:
    """Extract generated documents 0..n-1 into per-shard files (reusing finished shards)."""
    from bench import generate
    from pipeline.ingest.limits import Limits
    from pipeline.ingest.run import Failure, _results

    generate.generate(n, corpus)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    done = failed = 0
    for s, folder in enumerate(generate.shard_dirs(corpus, n)):
        path = shard_path(out, s)
        if path.is_file():
            continue
        files = sorted(str(f) for f in folder.glob("doc_*.txt"))
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            for r in _results(files, workers=workers, limits=Limits.from_settings()):
                if isinstance(r, Failure):
                    failed += 1
                    continue
                fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
                done += 1
        tmp.rename(path)
        print(f"[extracted] shard {s}: {done} documents in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)
    return {"documents": done, "failed": failed, "seconds": round(time.perf_counter() - t0, 1)}


def replay(n: int, *, out: Path = EXTRACTED) -> Iterator[Replayed]:
    """The first ``n`` saved documents, in corpus order."""
    k = 0
    for s in range((n + SHARD - 1) // SHARD):
        with gzip.open(shard_path(out, s), "rt", encoding="utf-8") as fh:
            for line in fh:
                if k >= n:
                    return
                yield Replayed(json.loads(line))
                k += 1


def replay_into(n: int, data_dir: Path, *, batch: int = 50, start: int = 0,
                copies: int = 1, tx: int | None = None,
                index_docs: int | None = None) -> dict[str, Any]:
    """Write saved documents into the LocalStore at ``data_dir`` with
    ``put_many`` (``batch`` at a time: what ingest hands the store), with the
    LocalStore of whatever code comes first on the path. ``copies`` > 1 writes
    each document that many times, renamed (a larger store, same texts).
    ``tx`` and ``index_docs`` set LocalStore's documents per transaction and per
    index commit (``TX_DOCS``, ``INDEX_DOCS``) where the code has them."""
    import pipeline.store.local as local

    if tx is not None and hasattr(local, "TX_DOCS"):
        local.TX_DOCS = tx
    if index_docs is not None and hasattr(local, "INDEX_DOCS"):
        local.INDEX_DOCS = index_docs
    LocalStore = local.LocalStore  # noqa: N806

    t0 = time.perf_counter()
    done = 0
    with LocalStore(data_dir) as store:
        buf: list[Replayed] = []
        for k in range(copies):
            for doc in replay(n):
                buf.append(doc if k == 0 and start == 0 else doc.renamed(start + k))
                if len(buf) >= batch:
                    store.put_many(buf)
                    done += len(buf)
                    buf.clear()
        if buf:
            store.put_many(buf)
            done += len(buf)
        count = store.count()
    took = time.perf_counter() - t0
    return {"documents": done, "stored": count, "seconds": round(took, 1),
            "ms_per_doc": round(took / max(done, 1) * 1000, 3), "batch": batch,
            "tx_docs": getattr(local, "TX_DOCS", 1), "index_docs": getattr(local, "INDEX_DOCS",
                                                                            None)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--replay", type=int, default=None, metavar="N",
                    help="write the first N saved documents into --data-dir instead")
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="first copy number (renamed copies)")
    ap.add_argument("--tx", type=int, default=None, help="documents per SQLite transaction")
    ap.add_argument("--index-docs", type=int, default=None, help="documents per index commit")
    args = ap.parse_args(argv)
    if args.replay is not None:
        if args.data_dir is None:
            ap.error("--replay needs --data-dir")
        print(json.dumps(replay_into(args.replay, args.data_dir, batch=args.batch,
                                     start=args.start, copies=args.copies, tx=args.tx,
                                     index_docs=args.index_docs)))
        return 0
    print(json.dumps(extract_shards(args.n, workers=args.workers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
