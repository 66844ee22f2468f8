"""The question sets: well-formed, and answered right often enough (issue #16:
95% of the committed questions, 90% of each held-out set)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.eval.questions import QuestionSetError, evaluate, load_questions
from pipeline.settings import Settings
from pipeline.store.local import LocalStore

HERE = Path(__file__).parent
HELDOUT = sorted((HERE / "heldout").glob("*.yaml")) if (HERE / "heldout").is_dir() else []
# held-out sets scored once and folded into the development questions (tests/ask/folded/README.md)
FOLDED = sorted((HERE / "folded").glob("*.yaml"))
# the figure each folded set was scored at, once, while it was held out
SCORED_AT = {"set-1.yaml": 0.87, "set-2.yaml": 0.90}


def test_the_set_is_big_and_varied() -> None:
    qset = load_questions(HERE / "questions.yaml")
    assert len(qset.questions) >= 200
    tags = [t for q in qset.questions for t in q.tags]
    for tag in ("no-diacritics", "abbreviation", "typo", "word-order"):
        assert tags.count(tag) >= 3, tag
    targets = {q.expect.target for q in qset.questions}
    asks = {q.expect.ask for q in qset.questions}
    assert targets == {"tasks", "documents", "citations", "cited"}
    assert asks == {"list", "count", "yesno", "who", "when", "partners"}


def test_committed_questions_answered_right(served: LocalStore) -> None:
    report = evaluate(served, load_questions(HERE / "questions.yaml"), path="questions.yaml")
    assert report.accuracy() >= 0.95, report.render(details=True)


@pytest.mark.parametrize("path", HELDOUT, ids=[p.name for p in HELDOUT])
def test_heldout_questions_answered_right(served: LocalStore, path: Path) -> None:
    report = evaluate(served, load_questions(path), path=path.name)
    assert report.accuracy() >= 0.90, report.render(details=True)


@pytest.mark.parametrize("path", FOLDED, ids=[p.name for p in FOLDED])
def test_folded_questions_answered_right(served: LocalStore, path: Path) -> None:
    """A folded set keeps at least the figure it was scored at when held out."""
    report = evaluate(served, load_questions(path), path=path.name)
    assert report.accuracy() >= SCORED_AT[path.name], report.render(details=True)


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "set.yaml"
    p.write_text(body, "utf-8")
    return p


HEAD = "format: vndoc-ask/1\ntoday: 2024-06-25\nquestions:\n"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (HEAD + "  - {id: a, q: Bộ Y tế làm gì, parts: {agency: Bộ Y tế},"
                " expect: {ownr: Bộ Y tế}}\n",
         r"question a: .*ownr"),
        (HEAD + "  - {id: a, q: Bộ Y tế làm gì, parts: {agency: Sở Y tế}, expect: {}}\n",
         r"question a: .*not words of the question"),
        (HEAD + "  - {id: a, q: Bộ Y tế làm gì, parts: {place: Bộ Y tế}, expect: {}}\n",
         r"question a: .*part kind 'place'"),
        (HEAD + "  - {id: a, q: x, expect: {status: late}}\n",
         r"question a: .*status 'late' is none of"),
        (HEAD + "  - {id: a, q: x, expect: {}}\n  - {id: a, q: y, expect: {}}\n",
         r"used twice"),
        ("format: vndoc-ask/9\ntoday: 2024-06-25\nquestions: []\n", r"format"),
        ("questions: [: bad", r"not valid YAML"),
    ],
)
def test_bad_sets_are_refused_with_the_cause(tmp_path: Path, body: str, error: str) -> None:
    with pytest.raises(QuestionSetError, match=error) as e:
        load_questions(_write(tmp_path, body))
    assert "set.yaml" in str(e.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match="can't read"):
        load_questions(tmp_path / "nope.yaml")


def test_eval_ask_command_scores_any_file(served_dir: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + textwrap.indent(textwrap.dedent("""\
        - id: one
          q: Sở TNMT Quảng Trị phối hợp những việc gì?
          parts: {agency: Sở TNMT Quảng Trị, role: phối hợp, qword: gì}
          expect: {owner: Sở Tài nguyên và Môi trường tỉnh Quảng Trị, role: cooperating}
        - id: two
          q: Sở TNMT Quảng Trị phối hợp những việc gì?
          parts: {agency: Sở TNMT Quảng Trị, qword: gì}
          expect: {owner: Sở Tài nguyên và Môi trường tỉnh Quảng Trị, role: lead}
    """), "  "))
    result = CliRunner().invoke(app, ["eval-ask", str(path), "--data-dir", str(served_dir),
                                      "--details"])
    assert result.exit_code == 0, result.output
    assert "right (parts and answer): 1/2" in result.output
    assert "- two:" in result.output and "role: read 'phối hợp', not labelled" in result.output


def test_same_answers_on_elasticsearch(served: LocalStore, served_es: Settings) -> None:
    """The questions that need no full-text search (no topic words, no document
    named), every second one, over ElasticStore (noida-db, or VNDOC_ES_URL):
    right exactly where LocalStore is right. Searches over noida-db take seconds
    each, which would make the whole set take a quarter of an hour."""
    from pipeline.store import open_store

    store = open_store(served_es)
    try:
        full = load_questions(HERE / "questions.yaml")
        plain = [q for q in full.questions if q.expect.topic is None and q.expect.doc is None
                 and "topic" not in q.parts and "doc" not in q.parts]
        qset = full.model_copy(update={"questions": plain[::2]})
        local = evaluate(served, qset)
        elastic = evaluate(store, qset)
    finally:
        store.close()  # type: ignore[attr-defined]
    assert elastic.accuracy() >= 0.95, elastic.render(details=True)
    differ = [(a.id, a.misses, b.misses) for a, b in zip(local.outcomes, elastic.outcomes,
                                                          strict=True) if a.right != b.right]
    assert not differ, differ
