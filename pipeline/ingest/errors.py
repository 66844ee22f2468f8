"""Errors reading a file into a document (E1xx): each names the file and the cause."""

from __future__ import annotations

from extractors.errors import PipelineError

__all__ = [
    "EmptyDocument", "EncodingError", "FileTooLarge", "IngestError", "LoaderTimeout",
    "OcrUnavailable", "UnreadableDocx", "UnreadablePdf", "UnsupportedFormat",
]


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
