"""The text of a DOCX as it reads on the page, behind :func:`pipeline.ingest.formats.docx_to_text`.

python-docx gives a paragraph's runs; a Word document shows more than that.
This reader walks the WordprocessingML itself (through python-docx's parts)
and writes, in reading order:

* the page header's text first and the page footer's last (once, however
  many sections repeat them; page-number fields are codes, not text);
* each paragraph with its **automatic numbering**, which exists only in
  ``numbering.xml`` ("Điều 1.", "1.", "a)", "- "): counters per list and
  level, deeper levels restarted, start values and overrides, the number
  formats Word uses (decimal, letters, Roman), and numbering given by the
  paragraph's style;
* **tracked changes accepted**: inserted and moved-to runs kept, deleted and
  moved-from runs dropped;
* **text boxes** (shapes and frames holding text), after the paragraph they
  are anchored in, each of their paragraphs a line (Word stores a box twice,
  for new and old readers: only one copy is read);
* **tables**: a borderless table of up to three columns is a layout table
  (the header's issuer | quốc hiệu, the Nơi nhận | signature block) and is
  read column by column, each paragraph a line; any other table is a data
  table, one row per line, its cells joined by " | " in order, the header row
  first, a cell merged down from the row above left empty;
* footnotes at the end as "¹ text", their reference marks dropped from the
  text;
* runs typed in a legacy font (.VnTime, VNI-Times) converted to Unicode.

Decorative rule lines ("_______") under the header are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.ingest import legacy

__all__ = ["docx_lines"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_RULE = re.compile(r"[\s_\-–—=.*~]{3,}")

# Containers whose runs are read as the paragraph's own.
_PASS = frozenset(
    _W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "sdt",
                     "sdtContent", "dir", "bdo")
)
_DROP = frozenset(_W + t for t in ("del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr"))


# --------------------------------------------------------------------------
# Fonts (legacy encodings)
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Fonts:
    styles: dict[str, str | None] = field(default_factory=dict)
    default: str | None = None
    used: set[str] = field(default_factory=set)  # legacy encodings met


def _fonts(styles_el: Any) -> _Fonts:
    """Each style's font (following basedOn) and the document default font."""
    raw: dict[str, tuple[str | None, str | None]] = {}
    for st in styles_el.iterchildren(f"{_W}style"):
        sid = st.get(f"{_W}styleId")
        fonts = st.find(f"{_W}rPr/{_W}rFonts")
        based = st.find(f"{_W}basedOn")
        font = None
        if fonts is not None:
            font = fonts.get(f"{_W}hAnsi") or fonts.get(f"{_W}ascii")
        raw[sid] = (font, based.get(f"{_W}val") if based is not None else None)

    def resolve(sid: str | None, depth: int = 0) -> str | None:
        if sid is None or sid not in raw or depth > 20:
            return None
        font, based = raw[sid]
        return font or resolve(based, depth + 1)

    default = None
    dd = styles_el.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
    if dd is not None:
        default = dd.get(f"{_W}hAnsi") or dd.get(f"{_W}ascii")
    return _Fonts({sid: resolve(sid) for sid in raw}, default)


# --------------------------------------------------------------------------
# Automatic numbering (numbering.xml)
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False  # isLgl: referenced levels shown as decimal


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                       (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                       (4, "iv"), (1, "i")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    # Word: a..z, then aa..zz, aaa..
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A list counter in a Word number format.

    Example:
        >>> [format_number(4, f) for f in ("decimal", "lowerLetter", "upperRoman", "decimalZero")]
        ['4', 'd', 'IV', '04']
    """
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


_BULLETS_KEPT = frozenset("-+–")


class Numbering:
    """The lists of a document and their counters, read in document order."""

    def __init__(self, numbering_el: Any | None, styles_el: Any | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        if numbering_el is not None:
            self._read(numbering_el)
        if styles_el is not None:
            self._read_styles(styles_el)

    def _read(self, root: Any) -> None:
        for ab in root.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in ab.iterchildren(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = _level(lvl)
            self.abstract[ab.get(f"{_W}abstractNumId")] = levels
        for num in root.iterchildren(f"{_W}num"):
            ab = num.find(f"{_W}abstractNumId")
            if ab is None:
                continue
            starts = {}
            for ov in num.iterchildren(f"{_W}lvlOverride"):
                so = ov.find(f"{_W}startOverride")
                if so is not None:
                    starts[int(ov.get(f"{_W}ilvl", "0"))] = _int(so.get(f"{_W}val"), 1)
                lvl = ov.find(f"{_W}lvl")
                if lvl is not None:  # a whole level redefined for this list
                    key = f"{ab.get(f'{_W}val')}@{num.get(f'{_W}numId')}"
                    base = dict(self.abstract.get(ab.get(f"{_W}val"), {}))
                    base[int(ov.get(f"{_W}ilvl", "0"))] = _level(lvl)
                    self.abstract[key] = base
            abstract_id = ab.get(f"{_W}val")
            own = f"{abstract_id}@{num.get(f'{_W}numId')}"
            self.nums[num.get(f"{_W}numId")] = (own if own in self.abstract else abstract_id,
                                                starts)

    def _read_styles(self, styles_el: Any) -> None:
        raw: dict[str, tuple[str | None, int | None, str | None]] = {}
        for st in styles_el.iterchildren(f"{_W}style"):
            num_pr = st.find(f"{_W}pPr/{_W}numPr")
            num_id = ilvl = None
            if num_pr is not None:
                nid = num_pr.find(f"{_W}numId")
                lvl = num_pr.find(f"{_W}ilvl")
                num_id = nid.get(f"{_W}val") if nid is not None else None
                ilvl = _int(lvl.get(f"{_W}val"), 0) if lvl is not None else None
            based = st.find(f"{_W}basedOn")
            raw[st.get(f"{_W}styleId")] = (num_id, ilvl,
                                           based.get(f"{_W}val") if based is not None else None)

        def resolve(sid: str, depth: int = 0) -> tuple[str | None, int | None]:
            num_id, ilvl, based = raw[sid]
            if num_id is None and based in raw and depth < 20:
                return resolve(based, depth + 1)  # type: ignore[arg-type]
            return num_id, ilvl

        self.style_num = {sid: resolve(sid) for sid in raw}

    def label(self, p: Any) -> str:
        """The number or bullet Word shows before paragraph ``p`` (and counts it)."""
        ppr = p.find(f"{_W}pPr")
        num_id: str | None = None
        ilvl: int | None = None
        if ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            if style is not None:
                num_id, ilvl = self.style_num.get(style.get(f"{_W}val"), (None, None))
            num_pr = ppr.find(f"{_W}numPr")
            if num_pr is not None:
                nid = num_pr.find(f"{_W}numId")
                lvl = num_pr.find(f"{_W}ilvl")
                if nid is not None:
                    num_id = nid.get(f"{_W}val")
                if lvl is not None:
                    ilvl = _int(lvl.get(f"{_W}val"), 0)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level_no = ilvl or 0
        lvl = levels.get(level_no, _Level())
        key = abstract_id if not starts else f"num:{num_id}"
        counters = self.counters.setdefault(key, {})
        start = starts.get(level_no, lvl.start)
        counters[level_no] = counters[level_no] + 1 if level_no in counters else start
        for deeper in [k for k in counters if k > level_no]:
            del counters[deeper]
        if lvl.fmt == "bullet":
            mark = lvl.text.strip()
            return (mark if mark in _BULLETS_KEPT else "-") + " "
        if lvl.fmt == "none" and "%" not in lvl.text:
            return lvl.text + (" " if lvl.text.strip() else "")

        def value(m: re.Match[str]) -> str:
            k = int(m[1]) - 1
            other = levels.get(k, _Level())
            n = counters.get(k, starts.get(k, other.start))
            return format_number(n, "decimal" if lvl.legal and k != level_no else other.fmt)

        text = re.sub(r"%([1-9])", value, lvl.text)
        if not text.strip():
            return ""
        return text + ("" if lvl.suffix == "nothing" else " ")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl: Any) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{_W}{tag}")
        return el.get(f"{_W}val") if el is not None else None

    return _Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",  # type: ignore[arg-type]
        suffix=val("suff") or "tab",
        legal=lvl.find(f"{_W}isLgl") is not None,
    )


# --------------------------------------------------------------------------
# Paragraphs, text boxes, tables
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Reader:
    fonts: _Fonts
    numbering: Numbering
    footnotes: dict[str, str]  # id -> text
    noted: list[str] = field(default_factory=list)  # footnote ids, in reference order

    # -- runs ---------------------------------------------------------------

    def _run(self, r: Any, para_font: str | None, boxes: list[Any]) -> str:
        out = []
        for child in r.iterchildren():
            tag = child.tag
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                out.append("\t")
            elif tag == f"{_W}br":
                out.append("\n" if child.get(f"{_W}type") in (None, "textWrapping") else "")
            elif tag == f"{_W}cr":
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            elif tag == f"{_W}softHyphen":
                out.append("\u00ad")  # the letter ư in a .VnTime (TCVN3) run
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                note_id = child.get(f"{_W}id")
                if note_id is not None and note_id in self.footnotes:
                    self.noted.append(note_id)
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_MC}AlternateContent", f"{_W}object"):
                boxes.extend(_text_boxes(child))
        text = "".join(out)
        if not text:
            return ""
        rfonts = r.find(f"{_W}rPr/{_W}rFonts")
        font = None
        if rfonts is not None:
            font = rfonts.get(f"{_W}hAnsi") or rfonts.get(f"{_W}ascii")
        if font is None:
            rstyle = r.find(f"{_W}rPr/{_W}rStyle")
            font = self.fonts.styles.get(rstyle.get(f"{_W}val")) if rstyle is not None else None
        enc = legacy.font_encoding(font or para_font)
        if enc and not text.isascii():
            converted = legacy.convert_run(text, enc)
            if converted != text:
                self.fonts.used.add(enc)
            text = converted
        return text

    def _inline(self, el: Any, para_font: str | None, boxes: list[Any]) -> str:
        parts = []
        for child in el.iterchildren():
            tag = child.tag
            if tag == f"{_W}r":
                parts.append(self._run(child, para_font, boxes))
            elif tag in _PASS:
                parts.append(self._inline(child, para_font, boxes))
            elif tag == f"{_MC}AlternateContent":
                choice = _choice(child)
                if choice is not None:
                    parts.append(self._inline(choice, para_font, boxes))
        return "".join(parts)

    def paragraph(self, p: Any) -> list[str]:
        """The paragraph's line (numbering first), then its text boxes' lines."""
        ppr_style = p.find(f"{_W}pPr/{_W}pStyle")
        para_font = (
            self.fonts.styles.get(ppr_style.get(f"{_W}val")) if ppr_style is not None else None
        ) or self.fonts.styles.get("Normal") or self.fonts.default
        boxes: list[Any] = []
        text = self._inline(p, para_font, boxes)
        label = self.numbering.label(p) if text.strip() else ""
        out = [label + text]
        for box in boxes:
            out.extend(ln for ln in self.blocks(box) if ln.strip())
        return out

    # -- blocks ---------------------------------------------------------------

    def blocks(self, parent: Any) -> list[str]:
        out: list[str] = []
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                out.extend(self.paragraph(child))
            elif tag == f"{_W}tbl":
                out.extend(self.table(child))
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins",
                         f"{_W}moveTo", f"{_W}smartTag"):
                out.extend(self.blocks(child))
            elif tag == f"{_MC}AlternateContent":
                choice = _choice(child)
                if choice is not None:
                    out.extend(self.blocks(choice))
        return out

    def _grid(self, tbl: Any) -> list[list[tuple[Any, bool]]]:
        """Rows of (cell, continues a vertical merge), one entry per grid column."""
        rows = []
        for tr in tbl.iterchildren(f"{_W}tr"):
            row: list[tuple[Any, bool]] = []
            for tc in _cells(tr):
                tcpr = tc.find(f"{_W}tcPr")
                span = 1
                merged = False
                if tcpr is not None:
                    gs = tcpr.find(f"{_W}gridSpan")
                    span = max(1, _int(gs.get(f"{_W}val"), 1)) if gs is not None else 1
                    vm = tcpr.find(f"{_W}vMerge")
                    merged = vm is not None and vm.get(f"{_W}val") in (None, "continue")
                row.append((tc, merged))
                row.extend([(None, True)] * (span - 1))
            rows.append(row)
        return rows

    def table(self, tbl: Any) -> list[str]:
        grid = self._grid(tbl)
        ncols = max((len(r) for r in grid), default=0)
        real_cols = max((sum(1 for tc, _m in r if tc is not None) for r in grid), default=0)
        if not grid:
            return []
        if _borderless(tbl) and real_cols <= 3:
            # A layout table: column by column, each paragraph a line.
            out = []
            for c in range(ncols):
                for row in grid:
                    if c < len(row) and row[c][0] is not None and not row[c][1]:
                        out.extend(ln for ln in self.blocks(row[c][0]) if ln.strip())
            return out
        lines = []
        for row in grid:
            cells = []
            for tc, merged in row:
                if tc is None:
                    continue  # the rest of a horizontally merged cell
                text = "" if merged else " ".join(" ".join(self.blocks(tc)).split())
                cells.append(text)
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                lines.append(" | ".join(cells))
        return lines


def _cells(tr: Any) -> list[Any]:
    out = []
    for child in tr.iterchildren():
        if child.tag == f"{_W}tc":
            out.append(child)
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):  # cells wrapped in a content control
            out.extend(c for c in child.iter(f"{_W}tc"))
    return out


def _choice(alt: Any) -> Any | None:
    """Word writes shapes twice (mc:Choice for new readers, mc:Fallback for old):
    read one copy."""
    return alt.find(f"{_MC}Choice") if alt.find(f"{_MC}Choice") is not None else alt.find(
        f"{_MC}Fallback")


def _text_boxes(el: Any) -> list[Any]:
    """The w:txbxContent elements in a drawing, a VML shape or an
    mc:AlternateContent (one copy), outermost only."""
    if el.tag == f"{_MC}AlternateContent":
        choice = _choice(el)
        return _text_boxes(choice) if choice is not None else []
    found = []
    for child in el.iterchildren():
        if child.tag == f"{_W}txbxContent":
            found.append(child)
        elif child.tag == f"{_MC}AlternateContent":
            found.extend(_text_boxes(child))
        elif isinstance(child.tag, str):
            found.extend(_text_boxes(child))
    return found


_VISIBLE = frozenset({"single", "thick", "double", "dotted", "dashed", "dotDash", "dotDotDash",
                      "triple", "thinThickSmallGap", "thickThinSmallGap", "wave", "doubleWave",
                      "dashSmallGap", "outset", "inset", "threeDEmboss", "threeDEngrave"})


def _borders_visible(borders: Any | None) -> bool | None:
    if borders is None:
        return None
    vals = [b.get(f"{_W}val") for b in borders.iterchildren()]
    return any(v in _VISIBLE or (v not in (None, "nil", "none") and v is not None) for v in vals)


def _borderless(tbl: Any) -> bool:
    """No visible border on the table or on any cell."""
    own = _borders_visible(tbl.find(f"{_W}tblPr/{_W}tblBorders"))
    if own is None:
        style = tbl.find(f"{_W}tblPr/{_W}tblStyle")
        # Word's "Table Grid" and most named table styles draw borders.
        own = style is not None and style.get(f"{_W}val") not in (None, "TableNormal")
    if own:
        return False
    return not any(_borders_visible(b) for b in tbl.iter(f"{_W}tcBorders"))


# --------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------


def _related(part: Any, kind: str) -> list[Any]:
    """Parts related to ``part`` by a relationship of that kind ("header" ...), in
    the order the last section names them, then any others."""
    return [rel.target_part for rel in part.rels.values()
            if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] == kind]


def _footnotes(part: Any, fonts: _Fonts) -> dict[str, str]:
    from lxml import etree

    notes: dict[str, str] = {}
    for kind in ("footnotes", "endnotes"):
        for fp in _related(part, kind):
            root = etree.fromstring(fp.blob)
            reader = _Reader(fonts, Numbering(None, None), {})
            for note in root.iterchildren(f"{_W}footnote", f"{_W}endnote"):
                if note.get(f"{_W}type") in ("separator", "continuationSeparator",
                                             "continuationNotice"):
                    continue
                text = " ".join(" ".join(reader.blocks(note)).split())
                if text:
                    notes[note.get(f"{_W}id")] = text
    return notes


def docx_lines(document: Any) -> tuple[list[str], set[str]]:
    """The lines of a python-docx ``Document`` in reading order (see the module
    docstring), and the legacy encodings met in its runs."""
    part = document.part
    styles_el = document.styles.element
    fonts = _fonts(styles_el)
    numbering_el = None
    try:
        numbering_el = part.numbering_part.element
    except (KeyError, NotImplementedError):
        pass
    reader = _Reader(fonts, Numbering(numbering_el, styles_el), _footnotes(part, fonts))
    out: list[str] = []
    seen: set[str] = set()

    def furniture(kind: str) -> list[str]:
        from lxml import etree

        lines: list[str] = []
        for hp in _related(part, kind):
            root = etree.fromstring(hp.blob)
            text = [ln for ln in reader.blocks(root) if ln.strip()]
            key = "\n".join(text)
            if text and key not in seen:
                seen.add(key)
                lines.extend(text)
        return lines

    out.extend(furniture("header"))
    out.extend(reader.blocks(document.element.body))
    out.extend(furniture("footer"))
    for n, note_id in enumerate(dict.fromkeys(reader.noted), 1):
        out.append(f"{str(n).translate(_SUPERSCRIPTS)} {reader.footnotes[note_id]}")
    # A paragraph may hold line breaks; decorative rules ("_______") go.
    lines = [ln for block in out for ln in block.split("\n") if not _RULE.fullmatch(ln)]
    return lines, fonts.used
