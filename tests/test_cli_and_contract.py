"""End to end through the real CLI: extract validates against the contract,
ingest is idempotent and reports bad files, search finds with and without
diacritics, eval runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "extractors" / "data" / "extracted-document.schema.json"
SHARED_SCHEMA = ROOT.parent / "shared" / "contract" / "extracted-document.schema.json"


def vndoc(*args: str, data_dir: Path | None = None, check: bool = True,
          stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if data_dir is not None:
        env["VNDOC_DATA_DIR"] = str(data_dir)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, env=env, text=True,
        capture_output=True, input=stdin, timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"vndoc {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def _extends(ours: object, contract: object, where: str = "$") -> list[str]:
    """Where ``ours`` fails to keep what ``contract`` says: every key of the
    contract is kept with the same value, except that ``properties`` may list
    more fields and descriptions may be reworded."""
    if isinstance(contract, dict) and isinstance(ours, dict):
        problems = []
        for key, value in contract.items():
            if key == "description":
                continue
            if key not in ours:
                problems.append(f"{where}.{key} missing")
            else:
                problems += _extends(ours[key], value, f"{where}.{key}")
        return problems
    return [] if ours == contract else [f"{where}: {ours!r} != {contract!r}"]


def test_schema_extends_the_shared_contract() -> None:
    if not SHARED_SCHEMA.exists():
        pytest.skip(f"{SHARED_SCHEMA} not beside the project (only in the dev workspace)")
    ours = json.loads(SCHEMA.read_text("utf-8"))
    assert _extends(ours, json.loads(SHARED_SCHEMA.read_text("utf-8"))) == []


def test_the_extension_check_can_fail() -> None:
    contract = {"required": ["a"], "properties": {"a": {"type": "string"}}}
    assert _extends({"required": ["a"], "properties": {"a": {"type": "string"},
                                                       "b": {"type": "number"}}}, contract) == []
    assert _extends({"required": [], "properties": {"a": {"type": "string"}}}, contract)
    assert _extends({"required": ["a"], "properties": {"a": {"type": "integer"}}}, contract)
    assert _extends({"required": ["a"], "properties": {}}, contract)


def test_extract_validates_against_the_contract() -> None:
    seeds = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "corpus" / "seeds").glob("*.txt"))
    proc = vndoc("extract", *seeds, "--format", "jsonl")
    lines = proc.stdout.splitlines()
    assert len(lines) == len(seeds) == 5
    schema = json.loads(SCHEMA.read_text("utf-8"))
    for line in lines:
        obj = json.loads(line)
        jsonschema.validate(obj, schema)
        if SHARED_SCHEMA.exists():
            jsonschema.validate(obj, json.loads(SHARED_SCHEMA.read_text("utf-8")))
        text = obj["text"]
        for r in obj["legal_refs"]:
            assert text[r["start"]:r["end"]] == r["text"]
        for t in obj["tasks"]:
            assert text[t["start"]:t["end"]] == t["text"]
        for a in obj["agencies"]:
            for m in a["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]


def test_extract_reads_stdin() -> None:
    proc = vndoc("extract", "-", stdin="Giao Sở Tài chính chủ trì, xong trong tháng 6/2024.")
    obj = json.loads(proc.stdout)
    assert obj["source"] == "<stdin>"


def test_ingest_is_idempotent_and_search_ignores_diacritics(tmp_path: Path) -> None:
    data = tmp_path / "data"
    n = len([*(ROOT / "corpus" / "seeds").glob("*.txt"), *(ROOT / "corpus" / "docs").glob("*.txt")])
    first = vndoc("ingest", "corpus/seeds", "corpus/docs", data_dir=data)
    assert f"{n} added" in first.stderr
    again = vndoc("ingest", "corpus/seeds", "corpus/docs", data_dir=data)
    assert "0 added" in again.stderr and f"{n} unchanged" in again.stderr
    plain = vndoc("search", "dat dai", data_dir=data).stdout
    accented = vndoc("search", "đất đai", data_dir=data).stdout
    assert plain.splitlines()[0] == accented.splitlines()[0]
    assert int(plain.split()[0]) > 0


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
@pytest.mark.parametrize(("option", "lower"),
                         [([], 10), (["--nice", "3"], 3), (["--nice", "0"], 0)])
def test_ingest_runs_at_a_lower_priority(tmp_path: Path, option: list[str], lower: int) -> None:
    """Issue #20: an ingest beside the API server lowers its own CPU priority
    (10 by default), so the server's answers come first."""
    (tmp_path / "a.txt").write_text("Giao Sở Tài chính chủ trì rà soát kinh phí.", "utf-8")
    report = "import atexit, os; atexit.register(lambda: print('nice', os.nice(0)))"
    run = (f"{report}; import sys; from pipeline.cli import app; "
           "sys.argv[0] = 'vndoc'; app()")
    proc = subprocess.run(
        [sys.executable, "-c", run, "ingest", str(tmp_path / "a.txt"), "--quiet",
         "--workers", "1", "--data-dir", str(tmp_path / "data"), *option],
        cwd=ROOT, text=True, capture_output=True, timeout=600)
    assert "1 added" in proc.stderr, proc.stderr
    assert f"nice {min(19, os.nice(0) + lower)}" in proc.stdout


def test_bad_file_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Giao Sở Tài chính chủ trì rà soát kinh phí, xong trong tháng 3/2024.", "utf-8")
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "junk.pdf").write_bytes(b"\x00\x01not a pdf at all")
    proc = vndoc("ingest", str(folder), data_dir=tmp_path / "data", check=False)
    assert proc.returncode == 2
    assert "empty.txt" in proc.stderr and "junk.pdf" in proc.stderr
    assert "1 added" in proc.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for cmd in ("ingest", "extract", "search", "tasks", "refs", "ask", "eval", "reindex",
                "serve", "schema"):
        assert vndoc(cmd, "--help").returncode == 0
        assert f"vndoc {cmd}" in readme, cmd
