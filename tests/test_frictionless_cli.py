"""The committed package passes a full `frictionless validate`, as a downstream CI would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from memo724.contract.paths import REPO


def test_frictionless_validate_the_committed_package() -> None:
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(frictionless), "validate", "datapackage.json"],
        cwd=REPO.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout.upper()


def test_memo724_validate_the_committed_package() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "memo724.cli", "validate"],
        cwd=REPO.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid:")
