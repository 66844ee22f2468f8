"""vndoc extractors: pure functions from cleaned Vietnamese text to structured data.

The public API is :func:`extract`; the per-kind finders live in their modules
(``metadata``, ``agencies``, ``legal_refs``, ``deadlines``, ``tasks``).
Importing the package is cheap: the rule tables load on first use.
"""

from __future__ import annotations

import hashlib
from typing import Any

__all__ = ["extract", "doc_id_for"]


def doc_id_for(text: str) -> str:
    """Stable id from the cleaned content: the same text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def __getattr__(name: str) -> Any:
    if name == "extract":
        from extractors.extraction import extract

        return extract
    raise AttributeError(name)
