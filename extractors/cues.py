"""The cue table of task extraction, compiled once and grouped by label.

Rows live in ``data/task_cues.yaml`` (ids, examples, counter-examples; see its
description for the labels). Layout, owner and task steps all read it.
"""

from __future__ import annotations

import re
from functools import cache

from extractors.prefilter import branch_trie, head_gate, skip_start
from extractors.rules import PatternTable, Row, pattern_table

TABLE = "task_cues.yaml"
_Rows = list[tuple[Row, re.Pattern[str]]]
_MAX_CACHED = 4096  # characters whose rows a label keeps
_HEAD_CHARS = 6  # the length of the strings the collective rows are gated by


def _first_char(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern of one character that every match of ``rx`` starts with
    (its :func:`head_gate` of one character); None when a match may start
    with anything, or be empty."""
    gate = head_gate(rx.pattern, rx.flags, 1)
    return None if gate is None else re.compile(gate, rx.flags & ~re.VERBOSE)


class Cues:
    """The compiled rows of ``task_cues.yaml``, grouped by label."""

    def __init__(self, table: PatternTable) -> None:
        self.rows: dict[str, list[tuple[Row, re.Pattern[str]]]] = {}
        for row in table.rows:
            self.rows.setdefault(row.label, []).append((row, table.compiled(row)))
        # collectives in one pass: an alternation in row order (longest first)
        coll = [row for row, _rx in self.rows.get("COLLECTIVE", ())]
        alt = "|".join(f"(?P<c{i}>{table.expand(r.pattern)})" for i, r in enumerate(coll))
        # a one-char gate: every collective row starts with one of these letters
        # ("các", "UBND"/"Ủy ban", "Quý", "Bộ trưởng", "Sở", "tổ chức", "đại biểu", "HĐND");
        # a test runs every row's examples through the combined pattern
        gate = r"(?=[cCuUỦủQBbSsTtHh]|[đĐ]ại\s)"
        body = f"(?:{alt or '(?!)'})"
        # then the strings of six characters the rows start with ("các b", "UBND ",
        # "Sở Tà" ...): most places that pass the one-char gate fail here, before any
        # row is tried (six against three: 0.072 against 0.094 CPU s over the corpus)
        head = head_gate(gate + body, re.VERBOSE | re.I, _HEAD_CHARS) or ""
        self.collective = (coll, re.compile(gate + head + body, re.VERBOSE | re.I))
        # each row's first character, as a one-character gate (None: any); the
        # pattern tried at a place with its alternatives joined by first letter
        # (branch_trie: the same matches)
        self._gates = {
            label: [(row, branch_trie(rx), _first_char(rx)) for row, rx in rows]
            for label, rows in self.rows.items()
        }
        self._by_char: dict[str, dict[str, _Rows]] = {}
        self._scanning: dict[str, list[re.Pattern[str]]] = {}
        # each row's literal prefilter (data.keyword: a string or a list; () none), read once
        self._keywords = {
            label: [_keywords(row) for row, _rx in rows] for label, rows in self.rows.items()
        }

    def scanning(self, label: str) -> list[re.Pattern[str]]:
        """The patterns of ``label``'s rows, in order, compiled to skip to the
        characters their matches start with (:func:`skip_start`): the same
        matches, for ``finditer`` and ``search`` over a stretch of text."""
        found = self._scanning.get(label)
        if found is None:
            found = [skip_start(rx) for _row, rx in self.rows.get(label, ())]
            self._scanning[label] = found
        return found

    def _rows_for(self, label: str, ch: str) -> _Rows:
        """The rows of ``label`` that may match where ``ch`` is: those whose
        first character can be ``ch`` (a row matches nothing where its
        :func:`head_gate` fails), in table order."""
        rows = [
            (row, rx)
            for row, rx, gate in self._gates.get(label, ())
            if gate is None or gate.match(ch)
        ]
        by_char = self._by_char.setdefault(label, {})
        if len(by_char) < _MAX_CACHED:
            by_char[ch] = rows
        return rows

    def match(
        self, label: str, text: str, pos: int, endpos: int | None = None
    ) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        if 0 <= pos < end and pos < len(text):
            ch = text[pos]
            try:
                rows = self._by_char[label][ch]
            except KeyError:
                rows = self._rows_for(label, ch)
            if not rows:  # most places: no row of the label starts with their character
                return None
        else:
            rows = self.rows.get(label, [])
        for _row, rx in rows:
            m = rx.match(text, pos, end)
            if m:
                return m
        return None

    def search(self, label: str, text: str) -> tuple[Row, re.Match[str]] | None:
        """First row that matches anywhere; rows with a ``keyword`` run only
        when that literal (or one of that list) occurs (lower-cased)."""
        low: str | None = None
        rows = self.rows.get(label, ())
        for (row, _rx), rx, kws in zip(
            rows, self.scanning(label), self._keywords.get(label, ()), strict=True
        ):
            if kws:
                low = text.lower() if low is None else low
                for kw in kws:
                    if kw in low:
                        break
                else:
                    continue
            m = rx.search(text)
            if m:
                return row, m
        return None

    def search_at(
        self, label: str, text: str, pos: int, end: int
    ) -> tuple[Row, re.Match[str]] | None:
        """The first row that matches at ``pos``, with the row."""
        for row, rx in self.rows.get(label, ()):
            m = rx.match(text, pos, end)
            if m:
                return row, m
        return None

    def search_tail(self, label: str, text: str, size: int = 240) -> re.Match[str] | None:
        """For patterns anchored at the end (headers): search the tail only,
        so a long sentence costs no more than a short one."""
        pos = max(0, len(text) - size)
        for rx in self.scanning(label):
            m = rx.search(text, pos)
            if m:
                return m
        return None


def _keywords(row: Row) -> tuple[str, ...]:
    """A row's ``data.keyword``: strings one of which every match holds in lower case."""
    kw = row.data.get("keyword")
    if not kw:
        return ()
    return (kw,) if isinstance(kw, str) else tuple(str(k) for k in kw)


@cache
def task_cues(name: str = TABLE) -> Cues:
    return Cues(pattern_table(name))
