"""Fixtures shared by the API tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.store.local import LocalStore


@pytest.fixture
def data_dir(tmp_path: Path, sample_docs) -> Path:  # type: ignore[no-untyped-def]
    """A local store on disk holding the sample documents."""
    d = tmp_path / "data"
    with LocalStore(d) as s:
        s.put_many(sample_docs)
    return d
