"""Errors of the stores (E3xx), and of queries they can't answer (E400, E404)."""

from __future__ import annotations

from extractors.errors import PipelineError

__all__ = ["BackendUnavailable", "IndexingError", "NotFound", "QueryError"]


class IndexingError(PipelineError):
    """The store could not write or read."""

    code = "E300"


class BackendUnavailable(IndexingError):
    code = "E301"


class NotFound(PipelineError):
    code = "E404"


class QueryError(PipelineError):
    """A query the store can't answer as given (bad date, bad filter)."""

    code = "E400"
