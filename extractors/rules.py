"""Rule tables: gazetteers and patterns kept as data in ``extractors/data``.

Every pattern row has an id, a label, a pattern, ``examples`` that must
match and optional ``counter_examples`` that must not. Reusable regex pieces
are ``fragments`` referenced as ``{name}`` inside patterns. Tables are
validated when they load (pydantic, ``extra="forbid"``): a typo'd key fails
and the error names the file and the row id.

Tables whose patterns run on folded text (legal references, deadlines) are
compiled here once, row by row (:func:`folded_rules`), and run as one
prefiltered family (:func:`rule_family`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from extractors.errors import RuleTableError
from extractors.prefilter import Family
from extractors.textnorm import fold


class Row(BaseModel):
    """A pattern row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    pattern: str
    examples: list[str] = []
    counter_examples: list[str] = []
    # payload the extractor reads (e.g. {"type": "Nghị định"})
    data: dict[str, Any] = {}
    flags: str = ""  # "i" for IGNORECASE


class PatternTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    fragments: dict[str, str] = {}
    rows: list[Row]

    def expand(self, pattern: str) -> str:
        """Substitute ``{fragment}`` references (recursively, 5 levels)."""
        for _ in range(5):
            new = re.sub(
                r"\{([a-z_]+)\}",
                lambda m: self.fragments.get(m.group(1), m.group(0)),
                pattern,
            )
            if new == pattern:
                break
            pattern = new
        return pattern

    def compiled(self, row: Row) -> re.Pattern[str]:
        flags = re.VERBOSE
        if "i" in row.flags:
            flags |= re.IGNORECASE
        return re.compile(self.expand(row.pattern), flags)


T = TypeVar("T", bound=BaseModel)


def read_yaml(name: str) -> Any:
    """Read ``extractors/data/<name>`` (package data, no file-system path)."""
    try:
        raw = resources.files("extractors.data").joinpath(name).read_text("utf-8")
    except FileNotFoundError as e:
        raise RuleTableError(f"rule table {name} is missing from extractors/data") from e
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise RuleTableError(f"{name} is not valid YAML: {e}") from e


def load_model(name: str, model: type[T]) -> T:
    """Load and validate a table; errors name the file and the row id."""
    data = read_yaml(name)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        where = []
        for err in e.errors():
            loc = err["loc"]
            row_id = None
            if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
                rows = data.get(loc[0]) if isinstance(loc[0], str) else None
                if isinstance(rows, list) and loc[1] < len(rows):
                    row = rows[loc[1]]
                    row_id = row.get("id") if isinstance(row, dict) else None
            where.append(f"row {row_id or loc}: {err['msg']}")
        raise RuleTableError(f"{name}: " + "; ".join(where)) from e


@cache
def pattern_table(name: str) -> PatternTable:
    """A validated pattern table, compiled once per process."""
    table = load_model(name, PatternTable)
    for row in table.rows:
        try:
            table.compiled(row)
        except re.error as e:
            raise RuleTableError(f"{name}: row {row.id}: bad pattern: {e}") from e
    return table


# -- tables that run on folded text ------------------------------------------


def fold_pattern(pattern: str) -> str:
    """A pattern for folded text: its accented letters folded, ASCII kept.

    Example:
        >>> fold_pattern(r"Nghị\\s+định|Đ")
        'Nghi\\\\s+dinh|d'
    """
    return "".join(c if c.isascii() else fold(c) for c in pattern)


def compile_folded(table: PatternTable, row: Row) -> re.Pattern[str]:
    """Compile a row for folded text (``Document.match_text``): fragments
    expanded, accents folded, VERBOSE and IGNORECASE."""
    return re.compile(fold_pattern(table.expand(row.pattern)), re.VERBOSE | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A row and its compiled pattern."""

    row: Row
    regex: re.Pattern[str]


@cache
def folded_rules(name: str, label: str | None = None) -> tuple[CompiledRule, ...]:
    """The rows of table ``name`` (of ``label``, if given) compiled for folded text."""
    table = pattern_table(name)
    return tuple(
        CompiledRule(row, compile_folded(table, row))
        for row in table.rows
        if label is None or row.label == label
    )


@cache
def rule_family(name: str, label: str | None = None) -> Family:
    """:func:`folded_rules` as one family, each run only where its core occurs."""
    return Family([rule.regex for rule in folded_rules(name, label)])
