"""What runs in production needs only the runtime dependencies: dateparser and
httpx are dev extras (the benchmark's baseline, test clients), so extracting,
ingesting, searching and serving must work where they cannot be imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

_SCRIPT = textwrap.dedent(
    """
    import sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("dateparser", "httpx"):
                raise ImportError(f"{name} is a dev extra")

    sys.meta_path.insert(0, Block())
    import tempfile
    from pathlib import Path

    from extractors import extract
    from pipeline.ingest.clean import clean
    from pipeline.ingest.load import load_bytes
    from pipeline.settings import Settings
    from pipeline.store.base import SearchQuery
    from pipeline.store.local import LocalStore
    from search_api.app import create_app

    raw = load_bytes(
        "Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.".encode(), name="a.txt"
    )
    doc = extract(clean(raw.text), source="a.txt")
    assert doc.tasks[0].deadline == "2024-03-10", doc.tasks
    with tempfile.TemporaryDirectory() as d:
        store = LocalStore(Path(d))
        store.put(doc)
        assert store.search(SearchQuery(q="tài chính")).total == 1
        store.close()
        create_app(Settings(data_dir=Path(d)))
    assert not {"dateparser", "httpx"} & set(sys.modules)
    print("ok")
    """
)


def test_runtime_needs_neither_dateparser_nor_httpx() -> None:
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "ok"
