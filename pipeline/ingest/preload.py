"""Imported once by the worker pool's fork server, so every worker starts with
the readers and the extraction rule tables already loaded (a fork, not a
fresh interpreter: milliseconds instead of a second per worker)."""

from __future__ import annotations

import docx  # noqa: F401
import pdfplumber  # noqa: F401
import pypdfium2  # noqa: F401
from selectolax.lexbor import LexborHTMLParser  # noqa: F401

from extractors import extract
from pipeline.ingest import clean, formats, load, run, signatures  # noqa: F401

# Rule tables are built on first use: build them here, once.
extract("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.")
