"""Words placed on a PDF page, and their grouping into lines.

The lowest piece of the PDF reader: :mod:`pipeline.ingest.pdflayout` (the
page's layout) and :mod:`pipeline.ingest.pdftables` (ruled tables) both build
on it, so neither needs the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Word", "group_lines", "median"]


@dataclass(slots=True)
class Word:
    x0: float
    y0: float  # top, in points from the page's top
    x1: float
    y1: float
    text: str
    widget: int = -1  # index of the widget whose rectangle holds it, -1, or TABLE_ROW

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap, each line left to right.

    A word joins a line when it overlaps the line's band (the median top and
    bottom of its words) by half the smaller height: one tall word (a stamp,
    a scanner smear, a raised widget digit) does not glue two lines together.
    """
    lines: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.cy, w.x0)):
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bands[i]
            overlap = min(bottom, w.y1) - max(top, w.y0)
            if overlap >= 0.5 * min(w.h, bottom - top):
                lines[i].append(w)
                bands[i] = (median([x.y0 for x in lines[i]]), median([x.y1 for x in lines[i]]))
                break
        else:
            lines.append([w])
            bands.append((w.y0, w.y1))
    for line in lines:
        line.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: min(w.y0 for w in ln))
    return lines


def median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0
