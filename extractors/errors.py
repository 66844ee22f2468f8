"""Every error vndoc raises, with coded, actionable messages.

Messages say what happened, the likely cause, and the fix. They are
converted only at the boundaries: the CLI prints them and exits 1 (or 2 for
a partly failed batch); the API returns them as JSON.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every vndoc error."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.code}: {message}")
        self.message = message


class IngestError(PipelineError):
    """A file could not be read into a document."""

    code = "E100"

    def __init__(self, path: str, cause: str) -> None:
        super().__init__(f"Can't read {path}: {cause}")
        self.path = path
        self.cause = cause


class UnsupportedFormat(IngestError):
    code = "E101"


class UnreadablePdf(IngestError):
    code = "E102"


class UnreadableDocx(IngestError):
    code = "E103"


class EmptyDocument(IngestError):
    code = "E104"


class FileTooLarge(IngestError):
    code = "E105"


class LoaderTimeout(IngestError):
    code = "E106"


class EncodingError(IngestError):
    code = "E107"


class OcrUnavailable(IngestError):
    """OCR is needed but Tesseract or its language model is missing."""

    code = "E108"


class RuleTableError(PipelineError):
    """A data table in extractors/data/ is malformed."""

    code = "E200"


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
