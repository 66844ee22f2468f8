"""Issue #19 items 1, 5, 11: generated hostile files are refused by a named
limit (or read), each within 2 minutes and well under 1 GB of memory, and a
batch of them still stores the good file beside them.

The peak is the worker process's own high-water mark (VmHWM), read after the
job; the worker's address space is capped at VNDOC_WORKER_MEMORY_MB (1 GB by
default), so no file can take more.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors.model import ExtractedDocument
from pipeline.ingest import errors
from pipeline.ingest.limits import LimitExceeded
from pipeline.ingest.ocr import unavailable_reason
from pipeline.ingest.run import ingest, process_file
from pipeline.ingest.worker import shared_pool
from pipeline.store.local import LocalStore
from tests.ingest import hostile as h

GB = 1024.0  # MB
SECONDS = 120

# name -> (bytes maker, expected error class, what the message must say)
CASES = {
    # A 339-byte PDF: one blank 200-inch page; at 300 DPI 3.6 G pixels.
    "huge-page.pdf": (lambda: h.blank_pages_pdf(1, size=14400), LimitExceeded,
                      "(VNDOC_MAX_PAGE_PIXELS)"),
    "2000-blank-pages.pdf": (lambda: h.blank_pages_pdf(2000), LimitExceeded,
                             "2000 pages, over the limit of 1000 pages (VNDOC_MAX_PAGES)"),
    "150-blank-pages.pdf": (lambda: h.blank_pages_pdf(150), LimitExceeded,
                            "150 scanned pages to OCR, over the limit of 100 pages "
                            "(VNDOC_MAX_OCR_PAGES)"),
    # 1 MB that inflates to 1 GB in one content stream.
    "flate-bomb.pdf": (lambda: h.flate_bomb_pdf(1 << 30), LimitExceeded,
                       "(VNDOC_WORKER_MEMORY_MB)"),
    # The zip directory says 1,000 bytes; the part inflates to 100 MB.
    "understated-sizes.docx": (lambda: h.understated_zip_docx(100 << 20), errors.UnreadableDocx,
                               "Bad CRC-32"),
    # 100 MB of XML in a 30 MB zip (under the zip-bomb ratio).
    "big-xml.docx": (lambda: h.big_xml_docx(100 << 20), LimitExceeded,
                     "over the limit of 33554432 bytes (VNDOC_MAX_XML_BYTES)"),
    "deep-xml.docx": (lambda: h.deep_xml_docx(5000), LimitExceeded,
                      "more than 200 deep, over the limit of 200 levels (VNDOC_MAX_XML_DEPTH)"),
    # 2.2 MB of unclosed <div>s: the HTML parser's work grows with the square.
    "nested.html": (lambda: h.nested_html(150_000), LimitExceeded, "(VNDOC_MAX_HTML_DEPTH)"),
    # 8 MB of distinct task lines: extraction would take minutes.
    "long.txt": (lambda: "".join(
        f"{i}. Giao Sở Tài chính chủ trì, hoàn thành trước ngày {i % 28 + 1}/3/2024.\n"
        for i in range(120_000)).encode(), LimitExceeded,
        "characters of text, over the limit of 3000000 characters (VNDOC_MAX_TEXT_CHARS)"),
}
NEEDS_OCR = {"huge-page.pdf", "150-blank-pages.pdf"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    for name, (make, _cls, _msg) in CASES.items():
        h.write(d, name, make())
    return d


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_by_a_named_limit(folder: Path, name: str) -> None:
    if name in NEEDS_OCR and unavailable_reason():
        pytest.skip(f"needs OCR: {unavailable_reason()}")
    _make, cls, message = CASES[name]
    t0 = time.monotonic()
    with pytest.raises(cls) as info:
        process_file(folder / name)
    seconds = time.monotonic() - t0
    assert f"{name}: " in str(info.value) and message in str(info.value)
    assert seconds < SECONDS
    assert shared_pool().last_peak_mb < GB, f"{name}: peak {shared_pool().last_peak_mb:.0f} MB"


def test_many_text_pages_do_not_hold_memory_per_page(tmp_path: Path) -> None:
    """900 pages (under the page limit) are read with a flat memory profile."""
    path = h.write(tmp_path, "900-pages.pdf", h.text_pages_pdf(900))
    doc = process_file(path)
    assert isinstance(doc, ExtractedDocument)
    assert "Page 899: Giao So Tai chinh" in doc.text
    assert shared_pool().last_peak_mb < 300


def test_a_huge_sidecar_is_refused_before_it_is_read(tmp_path: Path) -> None:
    doc = tmp_path / "cv.txt"
    doc.write_text("Giao Sở Tài chính chủ trì.\n", "utf-8")
    side = tmp_path / "cv.txt.meta.json"
    with side.open("wb") as fh:  # 300 MB, sparse: no disk used
        fh.truncate(300 * 1024 * 1024)
    t0 = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"cv\.txt\.meta\.json: sidecar metadata of "
                       r"314572800 bytes, over the limit of 65536 bytes "
                       r"\(VNDOC_MAX_SIDECAR_BYTES\)"):
        process_file(doc)
    assert time.monotonic() - t0 < 5
    assert shared_pool().last_peak_mb < 200


def test_a_sidecar_value_must_be_short_and_flat(tmp_path: Path) -> None:
    doc = tmp_path / "cv.txt"
    doc.write_text("Giao Sở Tài chính chủ trì.\n", "utf-8")
    side = tmp_path / "cv.txt.meta.json"
    side.write_text('{"province": "' + "x" * 5000 + '"}', "utf-8")
    with pytest.raises(errors.IngestError, match="over 1000 characters"):
        process_file(doc)
    side.write_text('{"province": {"a": 1}}', "utf-8")
    with pytest.raises(errors.IngestError, match="must be a string or a number"):
        process_file(doc)
    side.write_text('{"province": "Lai Châu"}', "utf-8")
    assert dict(process_file(doc).meta)["province"] == "Lai Châu"


def test_a_batch_of_hostile_files_stores_the_good_one(folder: Path, tmp_path: Path) -> None:
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.\n", "utf-8")
    picks = [folder / n for n in ("flate-bomb.pdf", "nested.html", "2000-blank-pages.pdf")]
    with LocalStore(tmp_path / "data") as store:
        report = ingest([*picks, good.parent], store, workers=2)
        assert report.added == 1 and store.count() == 1
    assert sorted(Path(f.source).name for f in report.failures) == sorted(p.name for p in picks)
    assert all(f.kind == "LimitExceeded" for f in report.failures), report.failures
