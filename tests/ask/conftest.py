"""A store of the documents `make serve` ingests, shared by the tests of /ask."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.ingest.run import ingest
from pipeline.store.local import LocalStore
from tests.conftest import CORPUS

SERVED = [CORPUS / "seeds", CORPUS / "docs", CORPUS / "samples"]
HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def served_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the served corpus (read it, or copy it to write)."""
    data = tmp_path_factory.mktemp("ask-served") / "data"
    with LocalStore(data) as store:
        report = ingest([str(p) for p in SERVED], store)
        assert not report.failures, report.failures
    return data


@pytest.fixture(scope="session")
def served(served_dir: Path) -> Iterator[LocalStore]:
    with LocalStore(served_dir) as store:
        yield store


@pytest.fixture
def served_copy(served_dir: Path, tmp_path: Path) -> Iterator[LocalStore]:
    """A copy of the served store that a test may add documents to."""
    data = tmp_path / "data"
    shutil.copytree(served_dir, data)
    with LocalStore(data) as store:
        yield store
