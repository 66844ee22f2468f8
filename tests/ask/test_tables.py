"""The question tables: every example reads as its row says, every counter-example not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.errors import RuleTableError
from extractors.rules import load_model, pattern_table
from pipeline.query.ask_words import AskWords, same_word
from pipeline.query.question import parse

TABLE = pattern_table("ask_parts.yaml")
ROWS = [(r.id, r) for r in TABLE.rows]
TODAY = dt.date(2024, 6, 25)
WORDS = load_model("ask_words.yaml", AskWords)


@pytest.mark.parametrize(("rid", "row"), ROWS, ids=[i for i, _ in ROWS])
def test_pattern_examples(rid: str, row: object) -> None:
    rx = TABLE.compiled(row)  # type: ignore[arg-type]
    for ex in row.examples:  # type: ignore[attr-defined]
        assert rx.search(ex), f"{rid} misses its example {ex!r}"
    for ex in row.counter_examples:  # type: ignore[attr-defined]
        assert not rx.search(ex), f"{rid} matches its counter-example {ex!r}"


def test_every_pattern_row_has_examples() -> None:
    assert all(r.examples for r in TABLE.rows)
    assert len({r.id for r in TABLE.rows}) == len(TABLE.rows)


@pytest.mark.parametrize("row", WORDS.shorthand, ids=[s.id for s in WORDS.shorthand])
def test_shorthand_examples_read_the_long_form(row: object) -> None:
    """A shorthand example reads as if the long form had been typed."""
    for ex in row.examples:  # type: ignore[attr-defined]
        long = ex.replace(row.short, row.long)  # type: ignore[attr-defined]
        got = parse(ex, today=TODAY).query
        want = parse(long, today=TODAY).query
        assert got == want, (ex, long)


@pytest.mark.parametrize("row", WORDS.agency_aliases, ids=[a.id for a in WORDS.agency_aliases])
def test_agency_alias_examples(row: object) -> None:
    for ex in row.examples:  # type: ignore[attr-defined]
        values = [p.value for p in parse(ex, today=TODAY).parts if p.kind in ("agency", "issuer")]
        assert row.name in values, ex  # type: ignore[attr-defined]


def test_tables_reject_unknown_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo'd key fails when the table loads, naming the file and the row."""
    from extractors import rules

    bad = rules.read_yaml("ask_words.yaml")
    bad["shorthand"][0]["shrot"] = "x"
    monkeypatch.setattr(rules, "read_yaml", lambda name: bad)
    with pytest.raises(RuleTableError, match=r"ask_words.yaml: row short.nv"):
        load_model("ask_words.yaml", AskWords)


def test_accents_count_only_when_typed() -> None:
    assert same_word("o", "ở", bare=True)
    assert not same_word("ô", "ở", bare=False)
    assert not same_word("tai", "tại", bare=False)  # "thiên tai"
    assert same_word("TẠI", "tại", bare=False)
