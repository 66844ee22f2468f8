"""Doctests over extractors/ and pipeline/ (``--doctest-modules``), and how the
suite is shared between pytest-xdist's workers (``-n 2 --dist loadgroup``).

A few examples illustrate a call on a store full of documents (``store``,
``extracted``); they are shown, not run, until they carry ``# doctest: +SKIP``
in their own docstrings. Everything else in the docstrings runs.

Workers: each test module runs whole on one worker (its module fixtures, the
servers they start, are set up once), so do the browser tests (one Chromium),
and every test that reads the served corpus in Elasticsearch (``served_es``)
runs on one worker, so the corpus is ingested into the emulator once
(:func:`xdist_group`). ``-n 0`` runs the suite in one process.
"""

from __future__ import annotations

from typing import Any

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


# Tests that read the served corpus in Elasticsearch (tests/conftest.py's
# ``served_es``): one worker runs them all, so the corpus is ingested into the
# emulator once. The collection check below keeps this list complete.
_SERVED_ES_TESTS = ("tests/ask/test_eval.py::test_same_answers_on_elasticsearch",)
_SERVED_ES_PARAMS = {"tests/api/test_acceptance.py": "[elastic"}  # module -> its ids' param
_ONE_GROUP_DIRS = ("tests/browser/",)  # folders whose session fixtures are set up once


def xdist_group(nodeid: str) -> str:
    """The group a test runs in: its module, the browser tests (one server and one
    Chromium for the session: tests/browser/conftest.py), or ``served_es``."""
    path, _, rest = nodeid.partition("::")
    param = _SERVED_ES_PARAMS.get(path)
    if nodeid in _SERVED_ES_TESTS or (param is not None and rest.find(param) >= 0):
        return "served_es"
    if path.startswith(_ONE_GROUP_DIRS):
        return path.rsplit("/", 1)[0]
    return path


def _reads_served_es(item: pytest.Item) -> bool:
    """Whether a test reads ``served_es`` (test_acceptance asks for it by parameter)."""
    callspec = getattr(item, "callspec", None)
    return "served_es" in getattr(item, "fixturenames", ()) or (
        callspec is not None and callspec.params.get("client") == "elastic"
        and item.nodeid.partition("::")[0] in _SERVED_ES_PARAMS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in _SHOWN_NOT_RUN:
            item.add_marker(pytest.mark.skip(reason="example on a store full of documents"))
        if _reads_served_es(item) and xdist_group(item.nodeid) != "served_es":
            raise pytest.UsageError(
                f"{item.nodeid} reads served_es: name it in conftest.py's _SERVED_ES_TESTS")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``, grouped by :func:`xdist_group`: whole modules (their
    module fixtures, servers and browsers are set up once) and ``served_es``.

    (pytest-xdist's own loadgroup reads ``xdist_group`` marks into node ids, which
    pytest 9 no longer lets it rewrite; a group named by such a mark still counts.)
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):
                return nodeid.split("@")[-1]
            return xdist_group(nodeid)

    return ByGroup(config, log)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failure is reported even when Python cannot show it with its source.

    CPython 3.11 before 3.11.8 can raise "AST constructor recursion depth mismatch"
    while pytest parses a traceback's source files (seen in the workers, whose
    stack is deeper); that error ends the whole run without naming the failed
    test. Such a failure is shown in Python's own traceback format instead.
    """
    try:
        return (yield)
    except SystemError as e:
        if "AST constructor recursion depth mismatch" not in str(e):
            raise
        option = item.config.option
        style, option.tbstyle = option.tbstyle, "native"
        try:
            return pytest.TestReport.from_item_and_call(item, call)
        finally:
            option.tbstyle = style
