"""Ruled tables of a page, from its ruling lines and its words' positions.

The task tables of a Kế hoạch and its Phụ lục (TT | Nhiệm vụ | Cơ quan chủ
trì | Cơ quan phối hợp | Thời gian ...) are drawn with rules. The rules come
from the PDF's vector graphics (:func:`pdf_rules`, through pdfium) or, on a
scanned page, from the image (:func:`image_rules`); :func:`find_tables` turns
crossing horizontal and vertical rules into a grid, merges the cells a missing
rule joins, and puts each word in the cell that holds its centre.

A table is read one row per line, its cells joined by " | " in order (the
header row first, as drawn): a cell merged down over several rows gives its
text to the first row and leaves the next ones empty (`` |  | Bộ Công
Thương``), so every line keeps its columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.ingest.pdfwords import Word, group_lines, median

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["Rule", "Table", "find_tables", "grid_rules", "image_rules", "pdf_rules", "table_cells"]

Rule = tuple[float, float, float, float]  # x0, top, x1, bottom in points (thin box)

_TOL = 3.0  # points: rules closer than this are one; a rule may stop this short of a crossing


@dataclass(frozen=True, slots=True)
class Table:
    x0: float
    y0: float
    x1: float
    y1: float
    rows: tuple[tuple[float, float, str], ...]  # (top, bottom, "cell | cell | ...")


def _merge(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _TOL:
            out[-1] = (out[-1] + v) / 2
        else:
            out.append(v)
    return out


def _covers(segs: Sequence[tuple[float, float, float]], at: float, lo: float, hi: float) -> bool:
    """Whether segments (position, start, end) at ``at`` cover most of [lo, hi]."""
    covered = 0.0
    for pos, a, b in segs:
        if abs(pos - at) <= _TOL:
            covered += max(0.0, min(b, hi) - max(a, lo))
    return covered >= 0.6 * (hi - lo)


def _clusters(hs: list[tuple[float, float, float]], vs: list[tuple[float, float, float]]
              ) -> list[tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]]:
    """Groups of rules that cross each other (one group per table)."""
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(hs):
        for j, (x, vy0, vy1) in enumerate(vs):
            if hx0 - _TOL <= x <= hx1 + _TOL and vy0 - _TOL <= y <= vy1 + _TOL:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Any], list[Any]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return list(groups.values())


def _split(rules: Sequence[Rule]) -> tuple[list[tuple[float, float, float]],
                                            list[tuple[float, float, float]]]:
    hs = [((r[1] + r[3]) / 2, r[0], r[2]) for r in rules
          if r[2] - r[0] >= 3 * max(r[3] - r[1], 0.1) and r[2] - r[0] > 10]
    vs = [((r[0] + r[2]) / 2, r[1], r[3]) for r in rules
          if r[3] - r[1] >= 3 * max(r[2] - r[0], 0.1) and r[3] - r[1] > 6]
    return hs, vs


def grid_rules(rules: Sequence[Rule]) -> list[Rule]:
    """The rules that make a grid (a table's): an underline, a frame or a
    stray dark run in a scan is not one.

    Example:
        >>> grid_rules([(0, 0, 100, 0.5)])
        []
    """
    hs, vs = _split(rules)
    # A column rule spans a row at least, from one row rule to another: a
    # seal's stroke that only crosses the table's top rule is none.
    vs = [v for v in vs if _spans_a_row(v, hs)]
    out: list[Rule] = []
    for hgroup, vgroup in _clusters(hs, vs):
        if len(_merge([x for x, _a, _b in vgroup])) >= 3 and len(
                _merge([y for y, _a, _b in hgroup])) >= 3:
            out += [(a, y, b, y) for y, a, b in hgroup] + [(x, a, x, b) for x, a, b in vgroup]
    return out


def _by_baseline(w: Word, med_h: float) -> Word:
    """A word OCR boxed over two lines of a cell ("chủ" from the top of "Cơ
    quan" to the foot of "chủ trì": "Cơ chủ quan trì") placed by its foot,
    where its own line is: as high as the table's words, bottom aligned."""
    if med_h <= 0 or w.y1 - w.y0 <= 1.6 * med_h:
        return w
    return Word(w.x0, w.y1 - med_h, w.x1, w.y1, w.text, w.widget)


def _spans_a_row(v: tuple[float, float, float], hs: Sequence[tuple[float, float, float]]
                 ) -> bool:
    x, top, bottom = v
    ys = sorted(y for y, a, b in hs if a - _TOL <= x <= b + _TOL and
                top - _TOL <= y <= bottom + _TOL)
    return len(ys) >= 2


Grid = tuple[list[float], list[float], dict[tuple[int, int], tuple[int, int]]]


def _grids(rules: Sequence[Rule]) -> list[Grid]:
    """Each ruled grid among ``rules`` of at least two columns and two rows:
    its column and row lines, and for each (row, col) the top-left (row, col)
    of the merged cell holding it (a missing rule joins two cells)."""
    hs, vs = _split(rules)
    out = []
    for hgroup, vgroup in _clusters(hs, vs):
        xs = _merge([x for x, _a, _b in vgroup])
        ys = _merge([y for y, _a, _b in hgroup])
        if len(xs) < 3 or len(ys) < 3:
            continue  # not a grid: a box, an underline, a frame
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        for i in range(len(ys) - 1):
            for j in range(len(xs) - 1):
                if j > 0 and not _covers(vgroup, xs[j], ys[i], ys[i + 1]):
                    owner[i, j] = owner[i, j - 1]  # no rule on the left: merged across
                elif i > 0 and not _covers(hgroup, ys[i], xs[j], xs[j + 1]):
                    owner[i, j] = owner[i - 1, j]  # no rule above: merged down
                else:
                    owner[i, j] = (i, j)
        out.append((xs, ys, owner))
    return out


def table_cells(rules: Sequence[Rule]) -> list[Rule]:
    """The box of every cell of the ruled tables among ``rules`` (a merged
    cell once, as drawn), from the centre lines of its rules, top to bottom.

    Example:
        >>> grid = [(0, y, 100, y) for y in (0, 10, 20)] + [(x, 0, x, 20) for x in (0, 40, 100)]
        >>> table_cells(grid)[:2]
        [(0.0, 0.0, 40.0, 10.0), (40.0, 0.0, 100.0, 10.0)]
    """
    out: list[Rule] = []
    for xs, ys, owner in _grids(rules):
        boxes: dict[tuple[int, int], list[float]] = {}
        for (i, j), top in owner.items():
            b = boxes.setdefault(top, [xs[j], ys[i], xs[j + 1], ys[i + 1]])
            b[2], b[3] = max(b[2], xs[j + 1]), max(b[3], ys[i + 1])
        out += [(float(a), float(b), float(c), float(d)) for a, b, c, d in boxes.values()]
    return sorted(out, key=lambda r: (r[1], r[0]))


def find_tables(rules: Sequence[Rule], words: Sequence[Word]) -> list[tuple[Table, list[Word]]]:
    """The ruled tables among ``rules`` with at least two columns and two rows,
    each with the words it holds (the caller reads the others as text)."""
    out = []
    for xs, ys, owner in _grids(rules):
        x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
        inside = [w for w in words
                  if x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1]
        if not inside:
            continue
        cell_words: dict[tuple[int, int], list[Word]] = {}
        for w in inside:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            i = max(k for k in range(len(ys) - 1) if ys[k] <= cy)
            j = max(k for k in range(len(xs) - 1) if xs[k] <= cx)
            cell_words.setdefault(owner[i, j], []).append(w)
        med_h = median([w.y1 - w.y0 for w in inside])
        rows = []
        for i in range(len(ys) - 1):
            cells: list[str] = []
            for j in range(len(xs) - 1):
                top = owner[i, j]
                if j > 0 and owner[i, j - 1] == top:
                    continue  # the rest of a cell merged across
                if top[0] != i:
                    cells.append("")  # a cell merged down from the row above
                    continue
                ws = [_by_baseline(w, med_h) for w in cell_words.get(top, [])]
                cells.append(" ".join(" ".join(w.text for w in ln) for ln in group_lines(ws)))
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                rows.append((ys[i], ys[i + 1], " | ".join(cells)))
        out.append((Table(x0, y0, x1, y1, tuple(rows)), inside))
    return out


# --------------------------------------------------------------------------
# Where the rules come from
# --------------------------------------------------------------------------


def pdf_rules(page: Any, left: float, top: float) -> list[Rule]:
    """Thin filled or stroked boxes and lines of a pdfium page, as rules in
    points from the page's top-left corner (``left``/``top``: its mediabox)."""
    import pypdfium2.raw as c

    rules: list[Rule] = []
    for obj in page.get_objects(max_depth=3):
        if obj.type != c.FPDF_PAGEOBJ_PATH:
            continue
        try:
            x0, y0, x1, y1 = obj.get_bounds()
        except Exception:  # noqa: BLE001 - a path pdfium can't bound
            continue
        w, h = x1 - x0, y1 - y0
        if min(w, h) <= 3 and max(w, h) > 6:
            rules.append((x0 - left, top - y1, x1 - left, top - y0))
        elif w > 6 and h > 6 and _is_rect(obj):
            # A cell drawn as a box: its four sides are rules.
            t, b, lft, r = top - y1, top - y0, x0 - left, x1 - left
            rules += [(lft, t, r, t), (lft, b, r, b), (lft, t, lft, b), (r, t, r, b)]
    return rules


def _is_rect(obj: Any) -> bool:
    """A stroked path of four straight segments (a cell's frame)."""
    import pypdfium2.raw as c

    n = c.FPDFPath_CountSegments(obj.raw)
    if n not in (4, 5):
        return False
    fill = c.c_int()
    stroke = c.FPDF_BOOL()
    if not c.FPDFPath_GetDrawMode(obj.raw, fill, stroke) or not stroke.value:
        return False
    return all(
        c.FPDFPathSegment_GetType(c.FPDFPath_GetPathSegment(obj.raw, k)) != c.FPDF_SEGMENT_BEZIERTO
        for k in range(n)
    )


_DARK = 200  # of 255: 8 pixels in a row this dark on average are part of a rule


def _alone(data: bytes, width: int, height: int, y: int, start: int, end: int,
           side: int) -> bool:
    """A rule has light paper on at least one side (1.5 pt away); a dense row
    in the middle of a line of text has ink above and below."""
    def inked(row: int) -> bool:
        if not 0 <= row < height:
            return False
        seg = data[row * width + start : row * width + end]
        return sum(seg) > 0.4 * 255 * len(seg)

    return not (inked(y - side) and inked(y + side))


def image_rules(img: PILImage.Image, scale: float) -> list[Rule]:
    """Ruling lines of a scanned page (grayscale): dark runs at least 1/12 of
    the page's width long (horizontal) or 1/30 of its height (vertical), in
    points (pixels × ``scale``).

    The image is shrunk 8× along the rule's direction (each output pixel the
    mean of 8 pixels), so a rule stays dark and a letter's stroke fades; then
    each row (column) is scanned for long dark runs, allowing short breaks."""
    from PIL import Image

    ink = img.point(lambda v: 255 if v < 140 else 0)
    rules: list[Rule] = []
    for vertical in (False, True):
        src = ink.transpose(Image.Transpose.TRANSPOSE) if vertical else ink
        w, h = src.size
        small = src.resize((max(1, w // 8), h), Image.Resampling.BOX)
        sw = small.width
        data = small.tobytes()
        # Vertical rules may be short: a table's header row is as high as two
        # lines of text (31 pt of a landscape page's 595) where the section
        # rows under it run across the columns (corpus/pdf 17, page 12).
        min_run = max(6, sw // 30) if vertical else max(6, sw // 12)
        side = max(3, round(1.5 / scale))  # pixels in 1.5 pt
        for y in range(h):
            row = data[y * sw : (y + 1) * sw]
            if max(row) < _DARK:
                continue  # no dark run on this row: most rows
            x = 0
            while x < sw:
                if row[x] < _DARK:
                    x += 1
                    continue
                start = x
                gap = 0
                while x < sw and gap <= 2:
                    gap = 0 if row[x] >= _DARK else gap + 1
                    x += 1
                end = x - gap
                if end - start >= min_run and _alone(data, sw, h, y, start, end, side):
                    a, b = start * 8 * scale, end * 8 * scale
                    rules.append((y * scale, a, (y + 1) * scale, b) if vertical
                                 else (a, y * scale, b, (y + 1) * scale))
    # A rule is a few pixels thick; a band of dark runs as thick as a line of
    # text is bold or dense print, not a rule. A long rule of a scan drifts
    # over a few pixel rows (a page skewed by a tenth of a degree, paper not
    # flat): 12 px over the 2,950 px of a landscape table's rule at 300 DPI
    # (corpus/pdf 17, Phụ lục I), so its band may be as thick as its slope.
    return [r for r in _thin(rules) if _thin_enough(r, scale)]


_MAX_THICK_PX = 8  # pixels: a straight rule's band
_MAX_SLOPE = 0.005  # a rule's drift over its length (0.3°), beyond the deskew


def _thin_enough(r: Rule, scale: float) -> bool:
    """Whether a merged band of dark runs is a rule, not a line of print:
    at most _MAX_THICK_PX thick, plus what a slight slope adds over its length.

    Example:
        >>> _thin_enough((0, 0, 708, 2.9), 0.24), _thin_enough((0, 0, 70, 2.9), 0.24)
        (True, False)
    """
    length, thick = max(r[2] - r[0], r[3] - r[1]), min(r[2] - r[0], r[3] - r[1])
    return thick <= _MAX_THICK_PX * scale + _MAX_SLOPE * length


def _thin(rules: list[Rule]) -> list[Rule]:
    """Adjacent pixel rows (columns) of one thick rule merged into one rule."""
    out: list[Rule] = []
    hs = sorted((r for r in rules if r[2] - r[0] >= r[3] - r[1]), key=lambda r: (r[1], r[0]))
    vs = sorted((r for r in rules if r[2] - r[0] < r[3] - r[1]), key=lambda r: (r[0], r[1]))
    for group, horizontal in ((hs, True), (vs, False)):
        merged: list[list[float]] = []
        for r in group:
            for m in reversed(merged[-20:]):
                if horizontal:
                    near = r[1] - m[3] <= 1.5 and r[0] < m[2] and m[0] < r[2]
                else:
                    near = r[0] - m[2] <= 1.5 and r[1] < m[3] and m[1] < r[3]
                if near:
                    m[0], m[1] = min(m[0], r[0]), min(m[1], r[1])
                    m[2], m[3] = max(m[2], r[2]), max(m[3], r[3])
                    break
            else:
                merged.append(list(r))
        out += [(a, b, c, d) for a, b, c, d in merged]
    return out
