"""How much work one file may cost, and the error that says a limit was reached.

Every limit is a setting (``VNDOC_*``, see :class:`pipeline.settings.Settings`)
with a default that real documents stay far below and that keeps a hostile
file under about 1 GB and 2 minutes. A refusal names the limit and the
variable that raises it, e.g. ``Can't read big.pdf: 2000 pages, over the
limit of 1000 pages (VNDOC_MAX_PAGES). Split the file, or raise the limit.``

Where each limit is enforced:

* ``max_file_bytes`` before anything is read (:func:`pipeline.ingest.load.load`);
* ``max_pages`` from the PDF's page tree, before any page is parsed;
* ``max_ocr_pages`` and ``max_page_pixels`` before a scanned page is drawn
  (a page too large for the pixel budget is drawn at a lower DPI, down to
  ``MIN_OCR_DPI``, and refused below that);
* ``max_unpacked_bytes`` and ``max_xml_bytes`` while a DOCX zip is unpacked
  (counted on the bytes that come out, not on the sizes its directory claims);
  ``max_xml_depth`` while its XML is parsed; ``max_html_depth`` before an
  HTML page is parsed;
* ``max_text_chars`` on the loaded text, before extraction;
* ``parse_timeout_s``, ``extract_timeout_s`` and ``memory_mb`` by the worker
  process that runs the whole file (:mod:`pipeline.ingest.worker`), which is
  killed when it overruns them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from pipeline.ingest.errors import IngestError

__all__ = ["MIN_OCR_DPI", "LimitExceeded", "Limits"]

# Below this a scanned page is too coarse for Tesseract to read Vietnamese marks.
MIN_OCR_DPI = 100


class LimitExceeded(IngestError):
    """A file needs more work than a limit allows (pages, pixels, bytes, time, memory)."""

    code = "E109"


@dataclass(frozen=True, slots=True)
class Limits:
    """The per-file limits; ``Limits()`` holds the defaults."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1000
    max_ocr_pages: int = 100
    max_page_pixels: int = 40_000_000  # an A3 page at 300 DPI is 17.4 M
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_xml_bytes: int = 32 * 1024 * 1024
    max_xml_depth: int = 200
    max_html_depth: int = 10_000
    max_text_chars: int = 3_000_000
    max_sidecar_bytes: int = 64 * 1024
    parse_timeout_s: float = 60.0
    extract_timeout_s: float = 60.0
    memory_mb: int = 1024

    @classmethod
    def from_settings(cls, settings: object | None = None) -> Limits:
        """The limits in force: the ``VNDOC_*`` settings (or the given Settings)."""
        if settings is None:
            from pipeline.settings import get_settings

            settings = get_settings()
        names = {
            "parse_timeout_s": "loader_timeout_s",
            "memory_mb": "worker_memory_mb",
        }
        values = {}
        for f in fields(cls):
            value = getattr(settings, names.get(f.name, f.name), None)
            if value is not None:
                values[f.name] = value
        return cls(**values)

    def refuse(self, source: str, what: str, name: str, unit: str, hint: str) -> LimitExceeded:
        """The error for ``what`` over limit ``name``, e.g. ("2000 pages", "max_pages", "pages")."""
        value = getattr(self, name)
        shown = f"{value:g}" if isinstance(value, float) else f"{value}"
        return LimitExceeded(
            source, f"{what}, over the limit of {shown} {unit} ({env_name(name)}). {hint}"
        )


def env_name(field: str) -> str:
    """The environment variable of a limit: ``max_pages`` -> ``VNDOC_MAX_PAGES``."""
    settings_name = {"parse_timeout_s": "loader_timeout_s", "memory_mb": "worker_memory_mb"}
    return "VNDOC_" + settings_name.get(field, field).upper()
