"""Task tables laid out in columns of spaces.

A PDF's text read with its layout kept (``pdftotext -layout``, a copy pasted
from a viewer) writes a table as lines whose cells stand two spaces or more
apart, a cell's words running on over the lines below it::

      STT   Nội dung nhiệm vụ                Đơn vị chủ trì    Thời hạn
       1    Phủ sóng 5G toàn bộ các khu      Cục Viễn thông    2025-2026
            vực triển khai
       2    Xây dựng cơ sở dữ liệu           Sở Tài chính      Quý IV/2026

The extractors read a task table row by row ("| 1 | Phủ sóng 5G ... | Cục Viễn
thông | 2025-2026 |"), and cleaning squeezes runs of spaces, so such a table is
rewritten one line per row before that. Each column's place comes from the
header's cells; a word run belongs to the column whose place is nearest on its
left, a run that spans two columns one space apart is cut at the space nearest
the column's place. Only tables whose header names a content column and an
owners' column are rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.textnorm import fold

__all__ = ["rows_from_layout"]

_HEAD = re.compile(r"^[ \t]*(?:STT|TT|Stt)[ \t]{2,}\S[^\n]*$", re.MULTILINE)
_RUN = re.compile(r"\S+(?: \S+)*")
_ROW = re.compile(r"[ \t]*(\d{1,3})\.?(?=[ \t]{2,}|[ \t]*$)")
_GROUP = re.compile(r"[ \t]*(?:[IVX]{1,5}|[A-ZĐ])\.?(?=[ \t]{2,}|[ \t]*$)")
_CONTENT = re.compile(r"\b(?:noi\s+dung|nhiem\s+vu|cong\s+viec|hoat\s+dong|giai\s+phap|chi\s+tieu)")
_OWNER = re.compile(r"\b(?:chu\s+tri|thuc\s+hien|trach\s+nhiem)\b")
_PROSE = 60  # a run this long alone on a line, at the left: text again, the table has ended
_HEAD_LINES = 6  # a header's cells run over at most this many lines


def rows_from_layout(text: str) -> str:
    """``text`` with every task table laid out in columns written one row per line.

    Example:
        >>> t = "STT   Nội dung nhiệm vụ      Đơn vị chủ trì\\n"
        >>> t += " 1    Rà soát quy hoạch      Sở Xây dựng\\n      các khu công nghiệp\\n"
        >>> print(rows_from_layout(t))
        | STT | Nội dung nhiệm vụ | Đơn vị chủ trì |
        | 1 | Rà soát quy hoạch các khu công nghiệp | Sở Xây dựng |
    """
    if "   " not in text or _HEAD.search(text) is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _HEAD.fullmatch(lines[i]):
            table = _table_at(lines, i)
            if table is not None:
                rows, used = table
                out.extend("| " + " | ".join(r) + " |" for r in rows)
                i += used
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _runs(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _RUN.finditer(line)]


def _table_at(lines: list[str], k: int) -> tuple[list[list[str]], int] | None:
    """The rows of the task table whose header is line ``k`` (header first), and
    how many lines it takes; None when the header names no task table.

    The columns are the stretches that the rows' words fill, with blank
    channels between them (a header's names are often centred over their
    column, so they do not mark it); the header's words go to the column
    they overlap most."""
    head = _runs(lines[k])
    if len(head) < 3:
        return None
    first_cell = head[1][0]
    j = k + 1
    while j < len(lines) and j < k + _HEAD_LINES:
        if not lines[j].strip() or _ROW.match(lines[j]) or _GROUP.match(lines[j]):
            break
        j += 1
    body_start = j
    starts: list[int] = []  # the line of each row (group headings too)
    last = 0
    end = j
    blank = 0
    while j < len(lines):
        line = lines[j]
        runs = _runs(line)
        if not runs:
            blank += 1
            if blank >= 3:
                break
            j += 1
            continue
        blank = 0
        x0 = runs[0][0]
        number = _ROW.match(line)
        if number is not None and x0 < first_cell and int(number.group(1)) in (last + 1, 1):
            last = int(number.group(1))
            starts.append(j)
        elif _GROUP.match(line) and x0 < first_cell:
            starts.append(j)
        elif len(runs) == 1 and len(runs[0][1]) > _PROSE and x0 < first_cell:
            break
        elif not starts:
            break
        j += 1
        end = j
    if not starts:
        return None
    cols = _channels(lines[starts[0] : end])
    if len(cols) < 3:
        return None
    names: list[list[str]] = [[] for _ in cols]
    for line in lines[k:body_start]:
        for x, w in _runs(line):
            names[_overlapping(cols, x, x + len(w))].append(w)
    header = [" ".join(n) for n in names]
    folded = [fold(h) for h in header[1:]]
    if not any(_CONTENT.search(h) for h in folded) or not any(_OWNER.search(h) for h in folded):
        return None
    rows: list[list[list[str]]] = []
    for a, b in zip(starts, [*starts[1:], end], strict=True):
        cells: list[list[str]] = [[] for _ in cols]
        for line in lines[a:b]:
            for x, w in _split(_runs(line), [c0 for c0, _c1 in cols]):
                cells[_overlapping(cols, x, x + len(w))].append(w)
        rows.append(cells)
    table = [header] + [[" ".join(c) for c in row] for row in rows]
    return [_trimmed(r) for r in table], end - k


def _channels(lines: Sequence[str]) -> list[tuple[int, int]]:
    """The stretches of columns the lines' words fill, between blank channels two
    characters wide or more (what a layout puts between two columns)."""
    width = max((len(ln) for ln in lines), default=0)
    filled = [False] * width
    for line in lines:
        for x, w in _runs(line):
            for i in range(x, x + len(w)):
                filled[i] = True
    out: list[tuple[int, int]] = []
    x = 0
    while x < width:
        if not filled[x]:
            x += 1
            continue
        s = x
        while x < width and (filled[x] or (x + 1 < width and filled[x + 1])):
            x += 1  # a single blank inside a column is a space between words
        out.append((s, x))
    return out


def _overlapping(cols: Sequence[tuple[int, int]], a: int, b: int) -> int:
    best = max(range(len(cols)), key=lambda i: min(b, cols[i][1]) - max(a, cols[i][0]))
    if min(b, cols[best][1]) - max(a, cols[best][0]) > 0:
        return best
    return max((i for i, (c0, _c1) in enumerate(cols) if c0 <= a), default=0)


def _trimmed(row: list[str]) -> list[str]:
    """A row without the empty cells at its end (a group heading: "| I | Mục tiêu |")."""
    while len(row) > 2 and not row[-1]:
        row = row[:-1]
    return row


def _split(runs: list[tuple[int, str]], xs: Sequence[int]) -> list[tuple[int, str]]:
    """Runs cut where they pass over a column's place ("100% khu Ngay sau Cục Viễn
    thông" over three columns one space apart), at the space nearest to it."""
    out: list[tuple[int, str]] = []
    for x, w in runs:
        cuts = set()
        for cx in xs:
            if x + 2 < cx < x + len(w) - 2:
                span = range(max(0, cx - x - 4), min(len(w), cx - x + 4))
                near = [i for i in span if w[i] == " "]
                if near:
                    cuts.add(min(near, key=lambda i: abs(i - (cx - x))))
        p = 0
        for cut in sorted(cuts):
            if cut > p:
                out.append((x + p, w[p:cut]))
            p = cut + 1
        out.append((x + p, w[p:]))
    return out
