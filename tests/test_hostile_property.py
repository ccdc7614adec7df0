"""Random damage: flip, insert or truncate bytes of a random file of a vendored copy.

`verify` must flag every change (the file by name), and `validate` must end cleanly: exit 0 or 1,
no traceback. Examples are bounded, derandomized (the same on every CI run) and deadline-free.
"""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memo724.cli import main
from memo724.contract.paths import Layout
from memo724.contract.release import installed_contract

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


@st.composite
def damage(draw: st.DrawFn) -> tuple[str, str, int, bytes]:
    """(file, operation, position, bytes): a change that always alters the file."""
    rel = draw(st.sampled_from(sorted(installed_contract().files)))
    operation = draw(st.sampled_from(["flip", "insert", "truncate"]))
    position = draw(st.integers(min_value=0, max_value=10**9))
    if operation == "flip":
        payload = bytes([draw(st.integers(min_value=1, max_value=255))])
    elif operation == "insert":
        payload = draw(st.binary(min_size=1, max_size=8))
    else:
        payload = b""
    return rel, operation, position, payload


def apply(root: Path, change: tuple[str, str, int, bytes]) -> None:
    rel, operation, position, payload = change
    path = root / rel
    data = path.read_bytes()
    at = position % len(data)
    if operation == "flip":
        data = data[:at] + bytes([data[at] ^ payload[0]]) + data[at + 1 :]
    elif operation == "insert":
        data = data[:at] + payload + data[at:]
    else:
        data = data[:at]
    path.write_bytes(data)


def damaged_run(
    command: str, change, pristine: Layout, tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, str]:
    """Run a command on a fresh copy of the package with one change applied; never a traceback."""
    root = tmp_path_factory.mktemp("damaged") / "copy"
    shutil.copytree(pristine.root, root)
    apply(root, change)
    code, out = run([command, str(root)])
    assert "Traceback" not in out, (change[:3], out)
    return code, out


@settings(max_examples=60, **SETTINGS)  # type: ignore[arg-type]
@given(change=damage())
def test_verify_flags_every_change(
    pristine: Layout, tmp_path_factory: pytest.TempPathFactory, change
) -> None:
    code, out = damaged_run("verify", change, pristine, tmp_path_factory)
    assert code == 1, (change[:3], out)
    assert any(line.startswith(f"{change[0]}:") for line in out.splitlines()), (change[:3], out)


@settings(max_examples=8, **SETTINGS)  # type: ignore[arg-type]
@given(change=damage())
def test_validate_survives_random_damage(
    pristine: Layout, tmp_path_factory: pytest.TempPathFactory, change
) -> None:
    code, out = damaged_run("validate", change, pristine, tmp_path_factory)
    # An unexpected failure is the CLI's own "error: ..." line; a problem message may quote a
    # reader's words such as "CSV parse error: ...".
    assert not any(line.startswith("error:") for line in out.splitlines()), (change[:3], out)
    assert code in (0, 1), (change[:3], out)
    assert code == 1  # every change of a release file is at least a change since the release
