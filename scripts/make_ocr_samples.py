"""Make OCR and legacy-encoding test material from the seed documents.

Run ``python scripts/make_ocr_samples.py OUT_DIR [--dpi 150] [--docs 000,001]``.

For each document (corpus/seeds/<stem>.txt, or corpus/docs/<NN>_*.txt for
a two-digit id):

* ``scans/<stem>.pdf``: an image-only PDF, as an office scanner makes it.
  The text is drawn with DejaVuSans on A4 pages at ``--dpi`` (lines wrapped
  to the page, a "Trang N/M" footer), each page turned by a small angle
  (±0.6-1.8°, seeded per page) and speckled with noise, then saved as
  JPEG-compressed images in a PDF with no text layer.
  A scraper's leading "date YYYY-MM-DD" marker is not printed; it goes to
  the sidecar ``scans/<stem>.pdf.meta.json`` as ``published``.
* ``legacy/<stem>.tcvn3.txt`` and ``legacy/<stem>.vni.txt``: the text
  re-encoded to TCVN3 (ABC) and VNI-Windows bytes.

Everything is seeded from the stem, so a run gives the same files.

Example:
    python scripts/make_ocr_samples.py /tmp/ocr --dpi 150 --docs 000,001
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "corpus" / "seeds"
DOCS = ROOT / "corpus" / "docs"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
A4_INCHES = (8.27, 11.69)


def source_text(doc_id: str) -> tuple[str, str]:
    """(stem, text) for a seed stem prefix ("001") or a dev doc number ("07")."""
    if len(doc_id) == 3:
        (path,) = SEEDS.glob(f"{doc_id}_*.txt")
    else:
        (path,) = DOCS.glob(f"{doc_id}_*.txt")
    return path.stem, path.read_text(encoding="utf-8")


def _rng(stem: str, salt: str) -> random.Random:
    digest = hashlib.sha256(f"{stem}:{salt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def render_pages(text: str, *, dpi: int, stem: str) -> list[object]:
    """The text as grayscale A4 page images (PIL), scanned-looking."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    margin_x, margin_y = round(0.9 * dpi), round(0.8 * dpi)
    font = ImageFont.truetype(str(FONT), size=round(11 / 72 * dpi))  # 11 pt
    line_h = round(font.size * 1.45)
    usable = width - 2 * margin_x
    # Wrap each source line greedily to the page width, measured with the font,
    # as a word processor does.
    wrapped: list[str] = []
    for para in text.splitlines():
        words = para.split()
        if not words:
            wrapped.append("")
            continue
        line = words[0]
        for word in words[1:]:
            if font.getlength(f"{line} {word}") <= usable:
                line = f"{line} {word}"
            else:
                wrapped.append(line)
                line = word
        wrapped.append(line)
    # Collapse blank runs, drop leading blanks.
    clean: list[str] = []
    for ln in wrapped:
        if ln or (clean and clean[-1]):
            clean.append(ln)
    per_page = (height - 2 * margin_y - 2 * line_h) // line_h
    chunks = [clean[i : i + per_page] for i in range(0, len(clean), per_page)] or [[]]
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        y = margin_y
        for ln in chunk:
            if ln:
                draw.text((margin_x, y), ln, font=font, fill=20)
            y += line_h
        footer = f"Trang {n}/{len(chunks)}"
        fw = font.getlength(footer)
        draw.text(((width - fw) / 2, height - margin_y + line_h // 2), footer, font=font, fill=20)
        rng = _rng(stem, f"page{n}")
        # Scanner noise: specks, a light blur, a slight turn.
        for _ in range(width * height // 4000):
            x, yy = rng.randrange(width), rng.randrange(height)
            r = rng.choice((0, 0, 1))
            draw.ellipse((x, yy, x + r, yy + r), fill=rng.randrange(60, 200))
        img = img.filter(ImageFilter.GaussianBlur(radius=dpi / 400))
        angle = rng.choice((-1, 1)) * rng.uniform(0.6, 1.8)
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        pages.append(img)
    return pages


def pages_to_pdf(pages: list[object], *, dpi: int) -> bytes:
    """Image-only PDF (JPEG pages, no text layer), deterministic bytes."""
    buf = io.BytesIO()
    first, rest = pages[0], pages[1:]
    first.save(  # type: ignore[attr-defined]
        buf,
        format="PDF",
        save_all=True,
        append_images=rest,
        resolution=float(dpi),
        quality=70,
        producer="vndoc make_ocr_samples",
        creationDate=None,
        modDate=None,
    )
    return buf.getvalue()


def make(out: Path, doc_ids: list[str], *, dpi: int, pdf: bool = True) -> list[Path]:
    from pipeline.ingest import legacy

    made = []
    for doc_id in doc_ids:
        stem, text = source_text(doc_id)
        if pdf:
            (out / "scans").mkdir(parents=True, exist_ok=True)
            path = out / "scans" / f"{stem}.pdf"
            # A scraper's "date YYYY-MM-DD" marker is not on paper: it goes to a sidecar.
            m = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\b[ \t]*", text)
            body = text[m.end() :] if m else text
            path.write_bytes(pages_to_pdf(render_pages(body, dpi=dpi, stem=stem), dpi=dpi))
            made.append(path)
            if m:
                side = out / "scans" / f"{stem}.pdf.meta.json"
                side.write_text(json.dumps({"published": m[1]}) + "\n", encoding="utf-8")
                made.append(side)
        (out / "legacy").mkdir(parents=True, exist_ok=True)
        for enc in ("tcvn3", "vni"):
            path = out / "legacy" / f"{stem}.{enc}.txt"
            path.write_bytes(legacy.encode(text, enc))
            made.append(path)
    return made


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--docs", default="000,001,002,003,004", help="seed stems or dev doc numbers")
    ap.add_argument("--no-pdf", action="store_true", help="only the legacy-encoded texts")
    args = ap.parse_args(argv)
    made = make(args.out, args.docs.split(","), dpi=args.dpi, pdf=not args.no_pdf)
    for p in made:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
