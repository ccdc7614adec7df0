"""A checkout whose schemas/ is missing or broken: one clear line naming the file, exit 1.

The contract is read where the stage that needs it loads (contract.schema.read_schemas); the
command line only prints what it refuses. Each case is run as users run it, `memo724 build
--check --root COPY`, in a process of its own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from memo724.contract.paths import REPO


def _remove_folder(schemas: Path) -> str:
    shutil.rmtree(schemas)
    return f"{schemas}: the folder of Table Schemas is missing (rule: missing)"


def _remove_one(schemas: Path) -> str:
    (schemas / "risks.json").unlink()
    return f"{schemas / 'risks.json'}: the file is missing (rule: missing)"


def _not_json(schemas: Path) -> str:
    (schemas / "events.json").write_text('{"fields": [\n', encoding="utf-8")
    return (
        f"{schemas / 'events.json'}: not valid JSON at line 2 column 1 (character 13): "
        "Expecting value (rule: json)"
    )


def _not_utf8(schemas: Path) -> str:
    (schemas / "actors.json").write_bytes(b'\xff{"fields": []}')
    return f"{schemas / 'actors.json'}: not UTF-8 text: byte 0xff at offset 0 (rule: utf-8)"


def _not_a_schema(schemas: Path) -> str:
    (schemas / "actors.json").write_text("[]", encoding="utf-8")
    return (
        f"{schemas / 'actors.json'}: a Table Schema is a JSON object with a list of fields "
        "(rule: table-schema)"
    )


BREAKS: dict[str, Callable[[Path], str]] = {
    "folder-missing": _remove_folder,
    "one-missing": _remove_one,
    "not-json": _not_json,
    "not-utf-8": _not_utf8,
    "not-a-schema": _not_a_schema,
}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    for part in ("curation", "schemas", "data"):
        shutil.copytree(REPO.root / part, root / part)
    return root


@pytest.mark.parametrize("name", list(BREAKS))
def test_a_broken_schemas_folder_is_one_line_naming_the_file(checkout: Path, name: str) -> None:
    line = BREAKS[name](checkout / "schemas")
    done = subprocess.run(
        [sys.executable, "-m", "memo724", "build", "--check", "--root", str(checkout)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.splitlines() == [line, "build refused, nothing written: 1 problem(s)"]
    assert done.stdout == ""


def test_an_intact_copy_of_the_schemas_loads(checkout: Path) -> None:
    from memo724.contract import Contract

    assert list(Contract(checkout / "schemas").tables) == list(Contract(REPO.schemas).tables)
