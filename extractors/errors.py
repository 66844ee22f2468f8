"""The base of every vndoc error, and the extractors' own errors.

Messages say what happened, the likely cause, and the fix. They are
converted only at the boundaries: the CLI prints them and exits 1 (or 2 for
a partly failed batch); the API returns them as JSON.

Errors live where they are raised: reading files in
:mod:`pipeline.ingest.errors` (E1xx), the stores in :mod:`pipeline.store.errors`
(E3xx, E400, E404); every one is a :class:`PipelineError`.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every vndoc error."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.code}: {message}")
        self.message = message


class RuleTableError(PipelineError):
    """A data table in extractors/data/ is malformed."""

    code = "E200"
