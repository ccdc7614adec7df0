"""Imports cost only what is used: checked in a fresh interpreter, as a user's script runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "pyarrow", "polars", "frictionless", "pandera", "ruamel")


def imported_after(code: str) -> set[str]:
    """The heavy top-level packages a fresh interpreter has imported after running code."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(set(sys.modules))))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    modules = json.loads(out.splitlines()[-1])
    return {m for m in modules if m in HEAVY}


def test_import_costs_no_data_library() -> None:
    assert imported_after("import memo724") == set()


def test_pandas_load_imports_neither_validator() -> None:
    code = "import memo724\nframe = memo724.load('evidence')\nassert len(frame) > 0"
    assert imported_after(code) == {"pandas", "pyarrow"}


def test_polars_load_imports_no_pandas() -> None:
    pytest.importorskip("polars")
    code = "import memo724\nassert memo724.load('evidence', engine='polars').height > 0"
    assert imported_after(code) == {"polars", "pyarrow"}


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["--version"], set()),
        (["verify", "."], set()),
    ],
)
def test_cli_imports_a_commands_modules_only_when_it_runs(argv: list[str], allowed: set) -> None:
    code = (
        "import contextlib, io, memo724.cli as cli\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    try:\n        cli.main({argv!r})\n    except SystemExit:\n        pass"
    )
    assert imported_after(code) == allowed


def test_load_and_verify_work_without_the_validators() -> None:
    """pandera and frictionless are the `validate` extra: the data stack alone loads, verifies."""
    code = (
        "import sys\n"
        "sys.modules['pandera'] = sys.modules['frictionless'] = None  # as if not installed\n"
        "import contextlib, io, memo724, memo724.cli as cli\n"
        "from memo724.contract.paths import REPO\n"
        "assert all(len(frame) > 0 for frame in memo724.load_all().values())\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert cli.main(['verify', str(REPO.root)]) == 0\n"
        "del sys.modules['pandera'], sys.modules['frictionless']  # the blocks, not imports\n"
    )
    assert imported_after(code) == {"pandas", "pyarrow"}


@pytest.mark.parametrize("stage", ["contract", "curation", "publication", "use", "validation"])
def test_each_stage_face_gives_every_name_it_exports(stage: str) -> None:
    """The command line reaches a stage only through memo724.<stage>.api (lint-imports): each
    name it lists there must resolve, lazily imported or not."""
    import importlib

    face = importlib.import_module(f"memo724.{stage}.api")
    assert face.__all__
    for name in face.__all__:
        assert getattr(face, name) is not None, f"memo724.{stage}.api.{name}"
