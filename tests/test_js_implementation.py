"""A second implementation of the specs reads the package: JavaScript datapackage/tableschema.

The libraries are installed by `make tools` (npm ci from tests/js/package-lock.json). They read
every resource with its schema, cast every cell and resolve every foreign key.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from memo724.contract import TABLES
from memo724.contract.paths import Layout
from memo724.contract.typed import text_frame as read_frame

JS = Path(__file__).parent / "js"


def run_check(folder: Path) -> tuple[int, dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed, so the JavaScript implementation cannot be run")
    if not (JS / "node_modules" / ".installed").is_file():
        pytest.fail("the JavaScript libraries are not installed: run `make tools` (npm ci)")
    out = subprocess.run(
        [node, str(JS / "check.js"), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, json.loads(out.stdout)


def test_javascript_reads_every_table_with_keys(pristine: Layout) -> None:
    code, report = run_check(pristine.root)
    assert report["errors"] == {} and code == 0
    assert report["rows"] == {name: len(read_frame(pristine.table(name))) for name in TABLES}


def test_javascript_catches_a_dangling_foreign_key(package_copy: Layout) -> None:
    path = package_copy.table("event_participants")
    lines = path.read_text(encoding="utf-8").split("\n")
    event, _actor, role = lines[1].split(",")
    lines[1] = ",".join([event, "no-such-actor", role])
    path.write_text("\n".join(lines), encoding="utf-8")
    code, report = run_check(package_copy.root)
    assert code == 1 and set(report["errors"]) == {"event_participants"}
    assert "foreign key" in report["errors"]["event_participants"].lower()
