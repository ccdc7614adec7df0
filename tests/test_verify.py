"""`memo724 verify`: a vendored copy's files against the hashes of a release (also at the lowest
supported versions, where `make test` runs this file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from memo724.cli import main
from memo724.contract.paths import REPO


def vendor(tmp_path: Path) -> Path:
    """A user's vendored copy, as the README says: data/, schemas/ and datapackage.json."""
    copy = tmp_path / "vendor" / "ponars-memo-724"
    shutil.copytree(REPO.data, copy / "data")
    shutil.copytree(REPO.schemas, copy / "schemas")
    shutil.copyfile(REPO.descriptor, copy / "datapackage.json")
    return copy


def test_a_faithful_copy_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = vendor(tmp_path)
    assert main(["verify", str(copy), "--against", str(REPO.descriptor)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verified: ") and f" files of {copy} match " in out
    assert int(out.split()[1]) >= 25  # at least the memo, the 12 tables and their 12 schemas


def test_a_changed_byte_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = vendor(tmp_path)
    path = copy / "data" / "events.csv"
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(bytes(data))
    assert main(["verify", str(copy), "--against", str(REPO.descriptor)]) == 1
    err = capsys.readouterr().err
    assert "data/events.csv" in err and "drifted" in err
    assert "data/actors.csv" not in err
