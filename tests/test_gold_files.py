"""The hand-made gold stays consistent with its documents: every evidence,
deadline_text and reference text is in the text, keys and dates are valid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("folder", ["corpus"])
def test_gold_matches_its_documents(folder: str) -> None:
    proc = subprocess.run(
        [sys.executable, "corpus/check_gold.py", folder], cwd=ROOT, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert " 0 with problems" in proc.stdout
