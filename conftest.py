"""Doctests over extractors/ and pipeline/ (``--doctest-modules``).

A few examples illustrate a call on a store full of documents (``store``,
``extracted``); they are shown, not run, until they carry ``# doctest: +SKIP``
in their own docstrings. Everything else in the docstrings runs.
"""

from __future__ import annotations

import pytest

_SHOWN_NOT_RUN = {
    "pipeline.query.ask.answer",
    "pipeline.query.ask_query.find_documents",
    "pipeline.query.ask_query.run",
    "pipeline.query.ask_words.AskWords.filler_length",
    "pipeline.store.local.LocalStore",
    "pipeline.query.owners.OwnerIndex.match",
    "pipeline.query.resolve.citation_page",
    "pipeline.query.resolve.owner_task_page",
    "pipeline.query.resolve.ref_keys_for",
    "pipeline.store.versions.compare",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in _SHOWN_NOT_RUN:
            item.add_marker(pytest.mark.skip(reason="example on a store full of documents"))
