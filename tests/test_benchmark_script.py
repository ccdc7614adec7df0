"""`scripts/benchmark.py`, the speed figures anyone can reproduce, runs and prints its table.

Only its shape is checked here: the figures themselves are measured, never asserted in a test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from memo724.contract.paths import REPO

SECONDS_AND_MIB = r"\d+\.\d\d s (\(CPU \d+\.\d\d s\) )?/ \d+ MiB"


def test_the_release_row_has_every_figure(tmp_path: Path) -> None:
    script = REPO.root / "scripts" / "benchmark.py"
    argv = [sys.executable, str(script), "--sizes", "--repeat", "1", "--work", str(tmp_path)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    header, rule, release = lines  # the release only: no synthetic size was asked for
    names = [cell.strip() for cell in header.strip("|").split("|")]
    cells = dict(zip(names, (cell.strip() for cell in release.strip("|").split("|")), strict=True))
    assert rule == "|" + "---|" * len(names)
    assert cells["rows"].endswith("(release)")
    for name in (
        "pyarrow read",
        "frictionless validate",
        "memo724 validate",
        "imports + parse",
        "load_all()",
    ):
        assert re.fullmatch(SECONDS_AND_MIB, cells[name]), (name, cells[name])
    for name in ("fl / memo724", "memo724 / pyarrow"):
        assert re.fullmatch(r"\d+\.\dx", cells[name]), (name, cells[name])
    for name in ("memo724 peak / CSV bytes", "pyarrow peak / CSV bytes"):
        assert float(cells[name]) > 1, (name, cells[name])
