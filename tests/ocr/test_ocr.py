"""OCR of scanned PDFs and images (Tesseract + Vietnamese model).

Tests that need Tesseract skip, saying why, on a machine without it
(``apt-get install tesseract-ocr tesseract-ocr-vie``). The default run OCRs
two seed documents at 150 dpi (~7 pages); the full evaluation at 300 dpi
over every document with gold runs with ``VNDOC_OCR_FULL=1`` (and is what
``python -m tests.ocr.harness`` writes to bench/results/ocr.md).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from extractors.errors import PipelineError
from pipeline.ingest import ocr
from pipeline.ingest.errors import IngestError, UnreadablePdf
from pipeline.ingest.load import SUPPORTED_SUFFIXES, load, load_bytes
from pipeline.settings import get_settings
from tests.ocr import harness

REASON = ocr.unavailable_reason("vie")
needs_tesseract = pytest.mark.skipif(REASON is not None, reason=f"OCR tests skipped: {REASON}")


# --------------------------------------------------------------------------
# Without Tesseract
# --------------------------------------------------------------------------


def test_image_suffixes_are_supported() -> None:
    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= SUPPORTED_SUFFIXES


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the one settings object: read once, not on every call."""
    monkeypatch.setenv("VNDOC_OCR_WORKERS", "3")
    monkeypatch.setenv("VNDOC_OCR_DPI", "150")
    monkeypatch.delenv("VNDOC_OCR_LANG", raising=False)
    get_settings.cache_clear()
    try:
        cfg = ocr.settings()
        assert (cfg.workers, cfg.dpi, cfg.lang) == (3, 150, "vie")
        monkeypatch.setenv("VNDOC_OCR_DPI", "200")
        assert ocr.settings().dpi == 150  # the process's settings, read once
        monkeypatch.setenv("VNDOC_OCR_WORKERS", "many")
        get_settings.cache_clear()
        with pytest.raises(PipelineError, match="VNDOC_OCR_WORKERS"):
            ocr.settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("nghiẹp", "nghiệp"),
        ("hoach", "hoạch"),
        ("Nghị", "Nghị"),
        ("UBND", "UBND"),
        ("vói", "vói"),
    ],  # "vói" is a syllable too: left alone
)
def test_post_ocr_cleanup(read: str, fixed: str) -> None:
    assert ocr.correct_word(read) == fixed


def test_scanned_pdf_without_tesseract_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ocr, "unavailable_reason", lambda lang="vie": "tesseract is missing")
    pages = harness.make_ocr_samples.render_pages("Sở Tài chính", dpi=72, stem="x")
    path = tmp_path / "scan.pdf"
    path.write_bytes(harness.make_ocr_samples.pages_to_pdf(pages, dpi=72))
    with pytest.raises(
        UnreadablePdf, match=r"no text layer \(scanned PDF\?\).*tesseract is missing"
    ):
        load(path)
    png = io.BytesIO()
    pages[0].save(png, format="PNG")  # type: ignore[attr-defined]
    with pytest.raises(ocr.OcrUnavailable, match="needs OCR, but tesseract is missing"):
        load_bytes(png.getvalue(), name="scan.png")


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"not a jpeg at all")
    with pytest.raises(IngestError, match="not a PNG, JPEG or TIFF"):
        load(path)


def test_deskew_finds_the_angle() -> None:
    from PIL import Image

    page = harness.make_ocr_samples.render_pages(
        "\n".join(["Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan"] * 12),
        dpi=100,
        stem="deskew",
    )[0]
    straight = ocr._rotate(page, ocr.deskew_angle(page))  # type: ignore[arg-type]
    turned = straight.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert abs(ocr.deskew_angle(turned) + 2.0) <= 0.3


def test_harness_eval_matches_run_eval(tmp_path: Path) -> None:
    from pipeline.eval.run import run_eval

    _ocr_gold, text_gold = harness.build_sets(tmp_path, ["000"], dpi=72)
    scores, _texts, _s = harness.eval_with_texts(text_gold)
    assert scores == dict(run_eval(text_gold).scores)


def test_cer() -> None:
    assert harness.cer("Sở Tài chính", "Sở Tài chính") == (0, 12)
    assert harness.cer("Sớ Tài chinh", "Sở Tài chính") == (2, 12)


# --------------------------------------------------------------------------
# With Tesseract
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> harness.Figures:
    if REASON is not None:
        pytest.skip(f"OCR tests skipped: {REASON}")
    full = os.environ.get("VNDOC_OCR_FULL") == "1"
    docs = list(harness.SEED_IDS + harness.DEV_IDS) if full else ["000", "001"]
    dpi = 300 if full else 150
    old = {k: os.environ.get(k) for k in ("VNDOC_OCR_DPI", "VNDOC_OCR_WORKERS")}
    try:
        return harness.measure(tmp_path_factory.mktemp("ocr"), docs, dpi=dpi, workers=2)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()


@needs_tesseract
def test_ocr_character_error_rate(figures: harness.Figures) -> None:
    assert figures.cer < 0.02, figures.per_doc_cer


@needs_tesseract
def test_ocr_extraction_is_close_to_the_text_original(figures: harness.Figures) -> None:
    assert figures.ratio("legal_refs.f1") >= 0.9, (figures.ocr_scores, figures.text_scores)
    assert figures.ratio("tasks.f1") >= 0.8, (figures.ocr_scores, figures.text_scores)


@needs_tesseract
def test_ocr_metadata_has_per_page_confidence(figures: harness.Figures) -> None:
    for stem, confs in figures.confidences.items():
        values = [float(c) for c in confs.split(",")]
        assert values and all(60 <= v <= 100 for v in values), stem


@needs_tesseract
def test_rotated_png_is_read_upright(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(["Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì thực hiện."] * 6)
    page = harness.make_ocr_samples.render_pages(text, dpi=150, stem="osd")[0]
    turned = page.rotate(90, expand=True)  # type: ignore[attr-defined]
    buf = io.BytesIO()
    turned.save(buf, format="PNG")
    raw = load_bytes(buf.getvalue(), name="photo.png")
    assert raw.format == "image"
    assert "Sở Tài chính chủ trì" in raw.text
    meta = dict(raw.meta)
    assert meta["ocr_pages"] == "1" and meta["ocr_lang"] == "vie"


@needs_tesseract
def test_multipage_tiff(tmp_path: Path) -> None:
    pages = harness.make_ocr_samples.render_pages(
        "Kính gửi: Sở Tài chính\n" + "Nội dung công văn.\n" * 50 + "Giao Sở Xây dựng chủ trì",
        dpi=150,
        stem="tiff",
    )
    assert len(pages) == 2
    path = tmp_path / "scan.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:])  # type: ignore[attr-defined]
    raw = load(path)
    assert "Sở Tài chính" in raw.text and "Sở Xây dựng" in raw.text
    assert dict(raw.meta)["ocr_pages"] == "2"
    assert "Trang 1/2" not in raw.text  # the running footer is removed


@needs_tesseract
def test_blank_scan_is_a_clear_error(tmp_path: Path) -> None:
    from PIL import Image

    page = Image.new("L", (600, 800), 255)
    path = tmp_path / "blank.pdf"
    path.write_bytes(harness.make_ocr_samples.pages_to_pdf([page], dpi=72))
    with pytest.raises(UnreadablePdf, match="OCR found no text"):
        load(path)
