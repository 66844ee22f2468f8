"""The /ask tests read the served corpus: ``served_dir``, ``served`` and
``served_copy`` are session fixtures of tests/conftest.py, shared with the
acceptance tests of the API."""

from __future__ import annotations

from tests.conftest import SERVED

__all__ = ["SERVED"]
