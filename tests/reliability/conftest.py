"""Shared helpers for the reliability suite (issue #6): generated corpora,
`vndoc ingest` in a subprocess, and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.server import free_port, stop, wait_until_healthy
from extractors.model import ExtractedDocument

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
BAD = ROOT / "tests" / "data" / "bad"


def corpus_texts() -> list[Path]:
    return sorted([*CORPUS.glob("seeds/*.txt"), *CORPUS.glob("docs/*.txt")])


# "Công văn số 846/UBND-TH": a paragraph naming an administrative document by its
# number can make the generated file look like that signed document.
_OWN_NUMBER = re.compile(r"[Ss]ố:?\s+\d+\s*/\s*[A-ZĐ]")


def corpus_paragraphs(*, min_chars: int = 60) -> list[str]:
    """Body lines of the corpus long enough to be sentences, in file order."""
    out: list[str] = []
    for path in corpus_texts():
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if len(line) >= min_chars and line not in out and not _OWN_NUMBER.search(line):
                out.append(line)
    return out


HEADERS = [
    "UBND TỈNH BẮC NINH\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh",
    "UBND TỈNH QUẢNG TRỊ\nCÔNG VĂN\nVề việc triển khai nhiệm vụ",
    "VĂN PHÒNG CHÍNH PHỦ\nTHÔNG BÁO\nÝ kiến chỉ đạo",
    "UBND TỈNH LAI CHÂU\nKẾ HOẠCH\nThực hiện nhiệm vụ trọng tâm",
]


def make_mixed_corpus(folder: Path, n: int, *, seed: int = 6) -> list[Path]:
    """n small, distinct documents, each a header plus 2-5 corpus paragraphs.

    No "Số: ..." line, so no two files count as the same signed document.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paras = corpus_paragraphs()
    rnd = random.Random(seed)
    seen: set[str] = set()
    paths: list[Path] = []
    i = 0
    while len(paths) < n:
        body = rnd.sample(paras, rnd.randint(2, 5))
        text = HEADERS[i % len(HEADERS)] + "\n" + "\n".join(body) + "\n"
        i += 1
        if text in seen:
            continue
        seen.add(text)
        path = folder / f"doc-{len(paths):04d}.txt"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def vndoc_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNDOC_")}
    env.update({"VNDOC_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}, **extra)
    return env


def ingest_cmd(data_dir: Path, *paths: Path | str, workers: int = 1) -> list[str]:
    return [
        sys.executable, "-m", "pipeline.cli", "ingest", *map(str, paths), "--quiet",
        "--data-dir", str(data_dir), "--workers", str(workers),
    ]  # fmt: skip


def run_ingest(
    data_dir: Path, *paths: Path | str, timeout: float = 240, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ingest_cmd(data_dir, *paths), env=vndoc_env(data_dir, **env), cwd=ROOT,
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def stored_count(data_dir: Path) -> int:
    """Documents in the SQLite store, read without taking any lock a writer needs."""
    db = data_dir / "vndoc.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0  # schema not created yet


@contextmanager
def api_server(data_dir: Path, **env: str) -> Iterator[str]:
    """A real uvicorn process on 127.0.0.1; yields its base URL, stops it after."""
    port = free_port()
    log = data_dir.parent / f"uvicorn-{port}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"],
            env=vndoc_env(data_dir, **env), cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, proc, timeout_s=60, log=log)
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def paragraphs() -> list[str]:
    return corpus_paragraphs()


def span_errors(doc: ExtractedDocument) -> list[str]:
    """Every way the document's spans break the contract (empty when valid).

    ``text[start:end] == span text`` for tasks, references, deadlines and
    agency/organization/person mentions, and every date is a real date.
    """
    text = doc.text
    bad: list[str] = []

    def check(kind: str, start: int, end: int, value: str) -> None:
        if not (0 <= start <= end <= len(text)) or text[start:end] != value:
            bad.append(f"{kind} [{start}:{end}] {value[:60]!r} != {text[start:end][:60]!r}")

    def real_date(kind: str, value: str | None) -> None:
        if value is None:
            return
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            bad.append(f"{kind} date {value!r} is not a real date")

    for t in doc.tasks:
        check("task", t.start, t.end, t.text)
        real_date("task deadline", t.deadline)
        if t.deadline_start is not None and t.deadline_end is not None:
            check("task deadline", t.deadline_start, t.deadline_end, t.deadline_text or "")
    for r in doc.legal_refs:
        check("legal ref", r.start, r.end, r.text)
        if r.date is not None and len(r.date) == 10:
            real_date("legal ref", r.date)
    for d in doc.deadlines:
        check("deadline", d.start, d.end, d.text)
        real_date("deadline", d.date)
    for group in (doc.agencies, doc.organizations, doc.people):
        for entity in group:
            for m in entity.mentions:
                check(f"mention of {entity.name}", m.start, m.end, m.text)
    return bad
