"""A scanned page's words read as text (pipeline.ingest.ocr.layout_lines):
marks a scanner leaves in the margin stay out of the sentences, and the
paragraphs are joined as on a clean page (corpus/pdf 17, page 9: "báo sua
cáo", "giải = pháp", every line taken for a new paragraph). Synthetic word
boxes: no OCR run."""

from __future__ import annotations

from pipeline.ingest.ocr import OcrPage, layout_lines

PARAGRAPH = [
    "Các bộ, cơ quan ngang bộ, Ủy ban nhân dân cấp tỉnh và các cơ quan liên quan",
    "theo chức năng, nhiệm vụ, ngành, lĩnh vực, địa bàn quản lý được giao báo",
    "cáo tình hình thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ, hoạt động được",
    "giao tại Kế hoạch hành động quốc gia này, gửi Bộ Tài nguyên và Môi trường",
    "để tổng hợp, sơ kết, tổng kết, báo cáo Thủ tướng Chính phủ.",
]


def _page(specks: bool) -> OcrPage:
    boxes = []
    y = 120.0
    for k, line in enumerate(PARAGRAPH):
        x = 142.0 if k == 0 else 115.0  # the first line indented
        words = line.split()
        step = (531.0 - x) / len(words) if k < len(PARAGRAPH) - 1 else 7.0
        for w in words:
            boxes.append((x, y, x + min(step - 3, 6.0 * len(w)), y + 11.0, w))
            x += step if k < len(PARAGRAPH) - 1 else 6.0 * len(w) + 4
        if specks:  # marks at the left edge of the scan, on every line's height
            boxes.append((12.0, y + 2, 24.0, y + 8, ("sua", "=", "-", '"', ":")[k]))
        y += 15.0
    return OcrPage(lines=(), confidence=90.0, words=len(boxes), boxes=tuple(boxes),
                   size=(606.0, 851.0))


def test_margin_specks_stay_out_of_the_paragraph() -> None:
    clean = layout_lines([_page(specks=False)])[0]
    specked = layout_lines([_page(specks=True)])[0]
    assert clean == [" ".join(PARAGRAPH)]
    assert specked == clean


def _line_page(lines: list[tuple[float, str]]) -> OcrPage:
    boxes = []
    for y, text in lines:
        x = 115.0
        for w in text.split():
            boxes.append((x, y, x + 6.0 * len(w), y + 11.0, w))
            x += 6.0 * len(w) + 4
    return OcrPage(lines=(), confidence=90.0, words=len(boxes), boxes=tuple(boxes),
                   size=(606.0, 851.0))


def test_a_list_item_on_a_new_page_does_not_join_the_last_paragraph() -> None:
    """corpus/pdf 08: page 1 ends with a footnote OCR did not recognize as one
    ("! Thông báo số 185/TB-VPCP ..."), page 2 starts with item "b)"."""
    first = _line_page([(100.0, "a) Các bộ tiếp nhận hồ sơ."),
                        (780.0, "! Thông báo số 185/TB-VPCP ngày 14/04/2026")])
    second = _line_page([(100.0, "b) Ủy ban nhân dân các tỉnh khẩn trương tiếp nhận."),
                         (115.0, "tiếp tục như trên")])
    pages = layout_lines([first, second])
    assert pages[1][0] == "b) Ủy ban nhân dân các tỉnh khẩn trương tiếp nhận."
    assert pages[0][-1] == "! Thông báo số 185/TB-VPCP ngày 14/04/2026"
