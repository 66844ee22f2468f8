"""Issue #19 items 10 and 12 (CLI): text is never read as Rich markup, option
ranges are checked, one line per failed file, and the exit codes of the README:
0 ok, 1 bad input or usage (or every input failed), 2 partial failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

TASK = "Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _run(runner: CliRunner, tmp_path: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(tmp_path / "data")])


def test_text_with_rich_markup_is_printed_as_text(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "in" / "cv.txt"
    doc.parent.mkdir()
    doc.write_text("Công văn về giá đất (chi tiết tại [/vbpq] và [bold]mục 2[/bold])\n" + TASK,
                   "utf-8")
    assert _run(runner, tmp_path, "ingest", str(doc.parent), "--quiet").exit_code == 0
    res = _run(runner, tmp_path, "search", "chi tiết")
    assert res.exit_code == 0, res.output
    assert "[/vbpq]" in res.output and "[bold]mục 2[/bold]" in res.output
    res = _run(runner, tmp_path, "tasks")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("size", ["0", "-5", "100000000000000000000"])
def test_search_size_out_of_range_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, size: str
) -> None:
    res = _run(runner, tmp_path, "search", "", "--size", size)
    assert res.exit_code == 1, res.output
    assert "--size" in res.output
    assert "Traceback" not in res.output and not isinstance(res.exception, OverflowError)


def test_unknown_option_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    assert _run(runner, tmp_path, "ingest", "--no-such-option").exit_code == 1


def test_exit_codes_of_a_batch(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(TASK, "utf-8")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.pdf").write_bytes(b"%PDF-1.4 truncated")
    (bad / "y.docx").write_bytes(b"not a zip")
    assert _run(runner, tmp_path, "ingest", str(good), "-q").exit_code == 0
    res = _run(runner, tmp_path, "ingest", str(bad), "-q")
    assert res.exit_code == 1, res.output  # every input failed: nothing stored
    res = _run(runner, tmp_path, "ingest", str(good), str(bad), "-q")
    assert res.exit_code == 2, res.output  # some stored, some failed
    empty = tmp_path / "empty"
    empty.mkdir()
    res = _run(runner, tmp_path, "ingest", str(empty), "-q")
    assert res.exit_code == 1 and "no supported files" in res.output


def test_a_line_break_in_a_file_name_keeps_one_line_per_failure(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "two\nlines.pdf").write_bytes(b"%PDF-1.4 truncated")
    (bad / "[red]x[bold].pdf").write_bytes(b"%PDF-1.4 truncated")
    (bad / "ok.txt").write_text(TASK, "utf-8")
    res = _run(runner, tmp_path, "ingest", str(bad), "-q")
    assert res.exit_code == 2, res.output
    failed = [ln for ln in res.output.splitlines() if ln.startswith("failed ")]
    assert len(failed) == 2, res.output
    assert any("two\\nlines.pdf: corrupt or truncated PDF" in ln for ln in failed)
    assert any("[red]x[bold].pdf: corrupt" in ln for ln in failed)
    # Nothing else starts a line but the failures, the summary and the notes.
    others = [ln for ln in res.output.splitlines() if not ln.startswith(("failed ", "warning "))]
    assert len(others) == 1 and others[0].startswith("3 files:"), res.output


def test_a_damaged_utf8_byte_is_a_warning_not_a_failure(
    runner: CliRunner, tmp_path: Path
) -> None:
    doc = tmp_path / "in" / "cv.txt"
    doc.parent.mkdir()
    data = (TASK * 3).encode()
    doc.write_bytes(data[:20] + b"\xff" + data[20:])
    res = _run(runner, tmp_path, "ingest", str(doc.parent), "-q")
    assert res.exit_code == 0, res.output
    assert "1 added" in res.output
    assert "cv.txt: 1 invalid UTF-8 byte sequence(s) replaced" in res.output
