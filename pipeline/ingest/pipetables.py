"""Task tables that a page converter wrote one cell per line.

Pages converted from HTML to Markdown (law portals, e-office exports) often
write a table cell by cell: a line holding only "|" before every cell, and
one more between two rows, so that an empty item separates the rows::

    |
    TT
    |
    Nội dung nhiệm vụ
    |
    Cơ quan chủ trì
    |
    |
    1
    |
    Rà soát quy hoạch
    |
    Sở Xây dựng
    |

The extractors read a table row by row ("| 1 | Rà soát quy hoạch | Sở Xây
dựng |"), so such a table becomes one line per row. Only tables whose
header names a task table's columns (a content column and an owners'
column) are rewritten; a two-column page header or a signature block in the
same notation stays as it is.
"""

from __future__ import annotations

import re

from extractors.textnorm import fold

__all__ = ["rows_from_cell_lines"]

_NUMBER_HEAD = re.compile(r"(?:s?tt|so\s+tt|stt\.?)$")
_CONTENT_HEAD = re.compile(
    r"\b(?:noi\s+dung|nhiem\s+vu|cong\s+viec|hoat\s+dong|giai\s+phap|ten\s+)"
)
_OWNER_HEAD = re.compile(r"\b(?:chu\s+tri|thuc\s+hien|co\s+quan|don\s+vi|trach\s+nhiem)\b")
_MAX_COLUMNS = 12


def rows_from_cell_lines(text: str) -> str:
    """``text`` with every cell-per-line task table written one row per line.

    Example:
        >>> t = "|\\nTT\\n|\\nNội dung\\n|\\nCơ quan chủ trì\\n|\\n|"
        >>> print(rows_from_cell_lines(t + "\\n1\\n|\\nRà soát\\n|\\nSở Xây dựng\\n|"))
        | TT | Nội dung | Cơ quan chủ trì |
        | 1 | Rà soát | Sở Xây dựng |
    """
    if "\n|\n" not in text:
        return text
    lines = text.split("\n")
    pipes = [i for i, line in enumerate(lines) if line.strip() == "|"]
    if len(pipes) < 8:
        return text
    # the items: what lies between two pipe lines (None where a blank line
    # breaks it: no table runs over a blank line)
    items: list[str | None] = []
    for a, b in zip(pipes, pipes[1:], strict=False):
        chunk = lines[a + 1 : b]
        if any(not x.strip() for x in chunk):
            items.append(None)
        else:
            items.append(" ".join(" ".join(x.split()) for x in chunk))
    replace: list[tuple[int, int, list[str]]] = []  # (first line, last line, new lines)
    k = 0
    while k < len(items):
        table = _table_at(items, k)
        if table is None:
            k += 1
            continue
        rows, used = table
        replace.append((pipes[k], pipes[k + used], ["| " + " | ".join(r) + " |" for r in rows]))
        k += used + 1
    if not replace:
        return text
    out: list[str] = []
    at = 0
    for first, last, new in replace:
        out.extend(lines[at:first])
        out.extend(new)
        at = last + 1
    out.extend(lines[at:])
    return "\n".join(out)


_ORDINAL = re.compile(r"(?:\d{1,3}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.?|[A-ZĐ]\.|[a-zđ]\))$")
# a group heading's ordinal and its words in one cell: "I. NÂNG CAO NHẬN THỨC"
_HEADED = re.compile(r"(?:\*\*)?(?:[IVX]{1,5}|[A-ZĐ]|\d{1,2})\.\s+\S")


def _ordinal(item: str | None) -> bool:
    """A row's ordinal, as written or in a markdown copy's emphasis ("** II**")."""
    return bool(item) and _ORDINAL.match(str(item).strip(" *")) is not None


def _short_row(items: list[str | None], j: int, n: int) -> int:
    """The cells of a merged row at ``j`` (fewer than ``n``: an empty item and then
    the next row's ordinal come early), else 0; negative for a row without its own
    ordinal (the cell above spans it), whose cells start at the second column."""
    if items[j] and _HEADED.match(str(items[j])):
        # one merged cell with its ordinal inside ("I. NÂNG CAO NHẬN THỨC ..."), then the
        # next row's ordinal
        nxt = items[j + 2] if j + 2 < len(items) else None
        return 1 if j + 1 < len(items) and items[j + 1] == "" and _ordinal(nxt) else 0
    if not _ordinal(items[j]):
        # a row whose first cells another row spans (its number, merged above): its
        # own cells, then an empty item and the next row's ordinal
        for p in range(1, n - 1):
            if not items[j + p - 1]:
                return 0
            nxt = items[j + p + 1] if j + p + 1 < len(items) else None
            if j + p < len(items) and items[j + p] == "" and _ordinal(nxt):
                return -p
        return 0
    for p in range(1, n):
        nxt = items[j + p + 1] if j + p + 1 < len(items) else None
        if items[j + p] == "" and _ordinal(nxt):
            return p
        if not items[j + p]:
            return 0
    return 0


def _table_at(items: list[str | None], k: int) -> tuple[list[list[str]], int] | None:
    """The rows of a task table whose header starts at item ``k``, and how many
    items they take; None when no task table starts there."""
    first = items[k]
    if first is None or not _NUMBER_HEAD.match(fold(first).strip(" .:")):
        return None
    header: list[str] = []
    j = k
    while j < len(items) and items[j] and len(header) <= _MAX_COLUMNS:
        header.append(str(items[j]))
        j += 1
    n = len(header)
    if not 3 <= n <= _MAX_COLUMNS or j >= len(items) or items[j] != "":
        return None
    folded = [fold(h) for h in header[1:]]
    if not any(_CONTENT_HEAD.search(h) for h in folded) or not any(
        _OWNER_HEAD.search(h) for h in folded
    ):
        return None
    rows = [header]
    end = j  # the pipe line after the last cell read (items[i] runs from pipe i to pipe i + 1)
    j += 1  # the empty item between two rows
    while j + n <= len(items):
        row = items[j : j + n]
        short = _short_row(items, j, n)
        if short < 0:
            # "| | Xây dựng hạ tầng dự phòng | Trung tâm Chuyển đổi số |": the number's
            # cell is the row's above, its own cells come after it
            rows.append([""] + [str(c) for c in items[j : j - short]] + [""] * (n - 1 + short))
            end = j - short
            j += -short + 1
            continue
        if short:
            # a merged row ("A. | BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") has fewer cells
            rows.append([str(c) for c in items[j : j + short]] + [""] * (n - short))
            end = j + short
            j += short + 1
            continue
        if any(c is None for c in row):
            break
        rows.append([str(c) for c in row])
        end = j + n
        if j + n < len(items) and items[j + n] == "":
            j += n + 1  # another row follows
            continue
        break
    if len(rows) < 2:
        return None
    return rows, end - k
