"""Issue #6, part 1: the bad-input corpus in tests/data/bad/.

Every case in expected.yaml gets its expected outcome: a clean result or a
clear error naming the file and the cause. Nothing crashes a batch, nothing
hangs, and nothing already stored is lost.
"""

from __future__ import annotations

import functools
import re
import shutil
import time
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from extractors.errors import PipelineError
from extractors.model import ExtractedDocument
from pipeline.ingest import errors
from pipeline.ingest.run import ingest, process_file
from pipeline.store.base import SearchQuery
from pipeline.store.local import LocalStore
from tests.conftest import load_script
from tests.reliability.conftest import BAD, CORPUS, run_ingest, span_errors

MANIFEST: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))
COMMITTED = sorted(k for k, v in MANIFEST.items() if not v.get("at_test_time"))
# A case must finish well within this (the loaders' own timeout is 60 s).
CASE_SECONDS = 15


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _case_files(folder: Path) -> dict[str, Path]:
    """The case files of a folder by NFC name (one name is stored in NFD on disk)."""
    return {
        _nfc(p.name): p
        for p in folder.iterdir()
        if p.name != "expected.yaml" and not p.name.endswith(".meta.json")
    }


@functools.cache
def make_bad_inputs() -> ModuleType:
    return load_script("make_bad_inputs")


def outcome(path: Path, **limits: float) -> ExtractedDocument | Exception:
    try:
        return process_file(path, **limits)  # type: ignore[arg-type]
    except PipelineError as e:
        return e


def check_case(name: str, result: ExtractedDocument | Exception, path: Path) -> None:
    case = MANIFEST[name]
    expect = case["expect"]
    if expect == "ok":
        assert isinstance(result, ExtractedDocument), f"{name}: expected ok, got {result!r}"
        assert not span_errors(result), span_errors(result)
        checks = case.get("checks") or {}
        for s in checks.get("contains", []):
            assert s in result.text, f"{name}: {s!r} missing from the text"
        for s in checks.get("absent", []):
            assert s not in result.text, f"{name}: {s!r} leaked into the text"
        if "tasks_min" in checks:
            assert len(result.tasks) >= checks["tasks_min"], (name, len(result.tasks))
        if "legal_refs" in checks:
            assert len(result.legal_refs) == checks["legal_refs"], name
        if "deadlines" in checks:
            assert [d.date for d in result.deadlines] == checks["deadlines"], name
        assert result.text == unicodedata.normalize("NFC", result.text)
        return
    cls = getattr(errors, expect)
    assert type(result) is cls, f"{name}: expected {expect}, got {result!r}"
    assert case["cause"] in result.cause, (name, result.cause)
    # The message names the file, so a batch report says which one failed.
    assert str(path) in str(result)


# ---------------------------------------------------------------------------
# The corpus itself
# ---------------------------------------------------------------------------


def test_manifest_lists_every_committed_file() -> None:
    assert len(MANIFEST) >= 30
    assert set(_case_files(BAD)) == set(COMMITTED)
    for name, case in MANIFEST.items():
        assert case["expect"] == "ok" or hasattr(errors, case["expect"]), name
        assert case["expect"] == "ok" or case.get("cause"), f"{name}: errors need a cause"


def _what_vndoc_reads(path: Path) -> tuple[str, str]:
    """A file's content as vndoc sees it: the text read, or the error's class and cause."""
    result = outcome(path)
    if isinstance(result, Exception):
        return type(result).__name__, getattr(result, "cause", str(result))
    return "ok", result.text


def test_committed_files_are_what_the_script_makes(tmp_path: Path) -> None:
    """Issue #19 (13): compared by content, so the test holds on any machine.

    PDFs are drawn by fpdf2 with the system's DejaVu font, so their bytes
    differ from machine to machine; what vndoc reads from them must not.
    Every other case is compared byte for byte.
    """
    make_bad_inputs().make_bad_inputs(tmp_path)
    fresh, committed = _case_files(tmp_path), _case_files(BAD)
    assert set(fresh) == set(committed)
    for name, path in fresh.items():
        new, old = path.read_bytes(), committed[name].read_bytes()
        if new == old:
            continue
        assert new[:5] == old[:5] == b"%PDF-", (
            f"{name} is out of date: run python scripts/make_bad_inputs.py"
        )
        assert _what_vndoc_reads(path) == _what_vndoc_reads(committed[name]), (
            f"{name} reads differently from the committed file: "
            "run python scripts/make_bad_inputs.py"
        )


# ---------------------------------------------------------------------------
# One case at a time, through load -> clean -> extract
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", COMMITTED)
def test_bad_input(name: str) -> None:
    path = _case_files(BAD)[name]
    t0 = time.monotonic()
    result = outcome(path, timeout_s=CASE_SECONDS)
    assert time.monotonic() - t0 < CASE_SECONDS
    check_case(name, result, path)


def test_fifty_megabyte_file_is_refused_on_its_size(tmp_path: Path) -> None:
    path = make_bad_inputs().make_fifty_megabytes(tmp_path)
    assert path.stat().st_size == 50 * 1024 * 1024 + 1
    t0 = time.monotonic()
    result = outcome(path)
    assert time.monotonic() - t0 < 1  # refused from stat(), nothing read
    check_case("fifty-megabytes.txt", result, path)


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, float]:
    """The 10,000-item list, extracted once for the tests below (~10 s)."""
    path = make_bad_inputs().make_ten_thousand_items(tmp_path_factory.mktemp("list"))
    t0 = time.monotonic()
    result = outcome(path)
    return result, time.monotonic() - t0


@pytest.mark.slow
def test_ten_thousand_item_list(ten_thousand: tuple[object, float]) -> None:
    result, seconds = ten_thousand
    assert isinstance(result, ExtractedDocument), result
    assert seconds < 60
    assert not span_errors(result)
    assert len(result.deadlines) == 10_000
    assert len(result.tasks) >= 100


@pytest.mark.slow
def test_every_item_of_a_long_list_is_a_task(ten_thousand: tuple[object, float]) -> None:
    result, _ = ten_thousand
    assert isinstance(result, ExtractedDocument)
    assert len(result.tasks) >= MANIFEST["ten-thousand-items.txt"]["checks"]["tasks_min"]


# ---------------------------------------------------------------------------
# Symlink loops (made at test time: git would store them as plain links)
# ---------------------------------------------------------------------------


def _symlink_tree(root: Path) -> Path:
    top = root / "symlink-loop"
    (top / "sub").mkdir(parents=True)
    (top / "a.txt").write_text("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.\n")
    (top / "sub" / "b.txt").write_text("Giao Sở Xây dựng chủ trì, xong trong tháng 6/2024.\n")
    (top / "sub" / "back").symlink_to("..")  # a loop through the parent
    (top / "sub" / "self").symlink_to(".")  # a loop onto itself
    (top / "dangling.txt").symlink_to("nowhere.txt")
    return top


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    top = _symlink_tree(tmp_path)
    with LocalStore(tmp_path / "data") as store:
        t0 = time.monotonic()
        report = ingest([top], store)
        assert time.monotonic() - t0 < 30
        assert report.added == 2 and store.count() == 2
    assert [(Path(f.source).name, f.kind) for f in report.failures] == [
        ("dangling.txt", "IngestError")
    ]
    assert "no such file" in report.failures[0].error


def test_file_symlink_loop_is_reported(tmp_path: Path) -> None:
    top = _symlink_tree(tmp_path)
    (top / "x.txt").symlink_to("y.txt")
    (top / "y.txt").symlink_to("x.txt")
    with LocalStore(tmp_path / "data") as store:
        report = ingest([top], store)
    assert {Path(f.source).name for f in report.failures} >= {"x.txt", "y.txt"}


# ---------------------------------------------------------------------------
# The whole folder through `vndoc ingest`, after good documents
# ---------------------------------------------------------------------------

GOOD = [CORPUS / "seeds", CORPUS / "samples"]


def _snapshot(store: LocalStore) -> dict[str, tuple[dict, list[tuple], int]]:  # type: ignore[type-arg]
    """Each document's contract JSON (as the store reads it back), tasks and
    reference count."""
    conn = store._conn()
    out = {}
    for row in conn.execute("SELECT id FROM documents"):
        stored = store.get(row["id"])
        assert stored is not None
        tasks = conn.execute(
            'SELECT id, text, owners, deadline, start, "end" FROM tasks WHERE doc_id = ? '
            "ORDER BY idx",
            (row["id"],),
        ).fetchall()
        refs = conn.execute("SELECT COUNT(*) FROM refs WHERE doc_id = ?", (row["id"],))
        out[row["id"]] = (stored.data, [tuple(t) for t in tasks], refs.fetchone()[0])
    return out


@pytest.mark.slow
def test_bad_folder_after_good_documents(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with LocalStore(data) as store:
        report = ingest(GOOD, store)
        assert not report.failures and report.added >= 10
        before = _snapshot(store)
    # The bad folder as a user would have it: the committed cases, the 50 MB file
    # and a symlink loop (the 10,000-item list has its own test: it takes ~10 s).
    bad = tmp_path / "bad"
    shutil.copytree(BAD, bad, symlinks=True)
    make_bad_inputs().make_fifty_megabytes(bad)
    _symlink_tree(bad)
    t0 = time.monotonic()
    proc = run_ingest(data, bad, timeout=180)
    assert time.monotonic() - t0 < 120
    assert proc.returncode == 2, proc.stderr  # partial failure, reported
    assert "Traceback" not in proc.stderr
    failed = [ln for ln in proc.stderr.splitlines() if ln.startswith("failed ")]
    expected_errors = {
        name: case
        for name, case in MANIFEST.items()
        if case["expect"] != "ok" and case.get("in_folder", True)
    }
    assert len(failed) == len(expected_errors) + 1, proc.stderr  # + dangling.txt
    for name, case in expected_errors.items():
        # (sidecar-bad.txt is reported by its sidecar's name, sidecar-bad.txt.meta.json)
        hits = [
            ln for ln in failed if any(_nfc(f"/{name}{x}:") in _nfc(ln) for x in ("", ".meta.json"))
        ]
        assert len(hits) == 1, f"{name} not reported: {proc.stderr}"
        assert case["cause"] in hits[0], hits[0]

    with LocalStore(data) as store:
        after = _snapshot(store)
        # Nothing already stored is lost or changed.
        for doc_id, snap in before.items():
            assert after.get(doc_id) == snap, f"{doc_id} changed"
        # Every good document is still found by search, by its own words.
        indexed = {h.id for h in store.search(SearchQuery(size=1000)).hits}
        assert set(after) <= indexed
        for doc_id, (data, _, _) in before.items():
            title = data["doc"].get("subject") or data["text"]
            words = " ".join(title.split()[:8])
            hits = store.search(SearchQuery(q=words, size=50)).hits
            assert doc_id in {h.id for h in hits}, f"{doc_id} not found by {words!r}"
    # Every readable bad input was stored (many are one text in several encodings,
    # so they count as unchanged): the committed ok cases plus the 2 symlink-tree files.
    ok_files = sum(1 for n in COMMITTED if MANIFEST[n]["expect"] == "ok") + 2
    m = re.search(r"(\d+) added, (\d+) replaced, (\d+) unchanged, (\d+) failed", proc.stderr)
    assert m, proc.stderr
    assert sum(map(int, m.groups()[:3])) == ok_files
    assert int(m[4]) == len(failed)


def test_loader_limits_are_configurable(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_text("Giao Sở Tài chính chủ trì.\n" * 4000, "utf-8")
    shutil.copy(CORPUS / "samples" / "cv4150-bnn.pdf", folder / "slow.pdf")
    proc = run_ingest(
        tmp_path / "data", folder, VNDOC_MAX_FILE_BYTES="100000", VNDOC_LOADER_TIMEOUT_S="0.000001"
    )
    assert proc.returncode == 1, proc.stderr  # every input failed: nothing stored
    big = [ln for ln in proc.stderr.splitlines() if "big.txt:" in ln]
    assert big and "bytes is over the 100000-byte limit" in big[0]
    assert "slow.pdf: parsing took longer than 1e-06s" in proc.stderr
