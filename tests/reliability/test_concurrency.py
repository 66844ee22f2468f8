"""Issue #6, part 3: one process ingests while a real API server answers.

`vndoc ingest` runs on 300 new documents while reader threads search, open
every hit, list tasks and look up references through uvicorn on 127.0.0.1,
and a staff member uploads a file through the API. Readers never get an
error and never see half a document: every hit opens, with all its tasks
and citations.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.reliability.conftest import (
    CORPUS,
    ROOT,
    api_server,
    ingest_cmd,
    make_mixed_corpus,
    run_ingest,
    vndoc_env,
)

N_DOCS = 300
QUERIES = ["so tai chinh", "khu công nghiệp", "UBND tỉnh", "nghi dinh", "đầu tư công",
           "kế hoạch", "Bộ Y tế", "giải ngân", "quy hoạch", "môi trường"]  # fmt: skip


class Reader:
    """Hammers the API until told to stop; records every problem it sees."""

    def __init__(self, url: str, seed: int) -> None:
        self.url = url
        self.seed = seed
        self.requests = 0
        self.documents_checked = 0
        self.problems: list[str] = []

    def get(self, client: httpx.Client, path: str, **params: object) -> dict | list | None:
        self.requests += 1
        try:
            r = client.get(path, params=params)
        except httpx.HTTPError as e:
            self.problems.append(f"{path} {params}: {type(e).__name__}: {e}")
            return None
        if r.status_code != 200:
            self.problems.append(f"{path} {params}: {r.status_code} {r.text[:200]}")
            return None
        return r.json()

    def check_document(self, client: httpx.Client, doc_id: str) -> None:
        d = self.get(client, f"/documents/{doc_id}")
        if d is None:
            return
        assert isinstance(d, dict)
        self.documents_checked += 1
        data = d["document"]
        if len(d["tasks"]) != len(data["tasks"]):
            self.problems.append(f"{doc_id}: {len(d['tasks'])} of {len(data['tasks'])} tasks")
        if len(d["cites"]) != len(data["legal_refs"]):
            self.problems.append(
                f"{doc_id}: {len(d['cites'])} of {len(data['legal_refs'])} citations"
            )

    def run(self, stop: threading.Event) -> None:
        i = self.seed
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not stop.is_set():
                q = QUERIES[i % len(QUERIES)]
                i += 1
                res = self.get(client, "/search", q=q, size=20)
                if isinstance(res, dict):
                    for hit in res["data"]:
                        self.check_document(client, hit["id"])
                tasks = self.get(client, "/tasks", q=q, limit=50)
                if isinstance(tasks, dict):
                    for t in tasks["data"][:3]:
                        self.get(client, f"/tasks/{t['id']}")
                self.get(client, "/refs", q="Nghị định")
                self.get(client, "/search", q="", size=50, page=1 + i % 3)


@pytest.mark.slow
def test_readers_never_see_half_written_documents(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_ingest(data, CORPUS / "seeds").returncode == 0
    folder = make_mixed_corpus(tmp_path / "docs", N_DOCS, seed=3)[0].parent
    with api_server(data, VNDOC_API_KEYS="lan:key-lan") as url:
        stop = threading.Event()
        readers = [Reader(url, seed) for seed in range(4)]
        threads = [threading.Thread(target=r.run, args=(stop,)) for r in readers]
        ingest = subprocess.Popen(
            ingest_cmd(data, folder), env=vndoc_env(data), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for t in threads:
            t.start()
        try:
            # Meanwhile staff upload a document: both writers share the index.
            time.sleep(1.0)
            upload = httpx.post(
                url + "/documents",
                files={"file": ("them.txt", "Giao Sở Nội vụ chủ trì, hoàn thành trước "
                                "ngày 30/6/2025.".encode())},
                headers={"X-API-Key": "key-lan"}, timeout=60,
            )  # fmt: skip
            _, stderr = ingest.communicate(timeout=240)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
            if ingest.poll() is None:
                ingest.kill()
                ingest.wait()
        assert upload.status_code == 201, upload.text
        assert ingest.returncode == 0, stderr
        assert f"{N_DOCS} files: {N_DOCS} added" in stderr
        health = httpx.get(url + "/health", timeout=10).json()
        final = httpx.get(url + "/search", params={"size": 1}, timeout=10).json()

    problems = [p for r in readers for p in r.problems]
    assert problems == []
    assert sum(r.requests for r in readers) > 100
    assert sum(r.documents_checked for r in readers) > 50
    assert health["documents"] == 5 + N_DOCS + 1
    assert final["count"] == health["documents"]  # all indexed, none twice
