"""The command line never surprises: a version, and one clear line (exit 2) for a wrong place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import memo724
import memo724.cli as cli
from memo724.contract.paths import Layout


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"memo724 {memo724.__version__}"


@pytest.mark.parametrize("command", ["validate", "verify", "coverage"])
def test_missing_path(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([command, str(tmp_path / "nope")], capsys)
    assert code == 2
    assert one_line_error(err) == f"error: {tmp_path / 'nope'}: no such file or folder"


@pytest.mark.parametrize("command", ["validate", "verify", "coverage"])
def test_file_where_a_folder_is_expected(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("hello\n", encoding="utf-8")
    code, _, err = run([command, str(readme)], capsys)
    assert code == 2
    assert f"{readme} is a file; expected a folder" in one_line_error(err)


@pytest.mark.parametrize("command", ["validate", "verify", "coverage"])
def test_folder_with_no_package(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([command, str(tmp_path)], capsys)
    assert code == 2
    also = " and no data/ folder" if command == "verify" else ""
    assert one_line_error(err) == (
        f"error: {tmp_path} holds no data package: there is no datapackage.json{also} in it"
    )


def test_validate_accepts_the_descriptor_itself(
    package_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["validate", str(package_copy.descriptor)], capsys)
    assert code == 0 and out.startswith(f"valid: {package_copy.root}")


@pytest.mark.parametrize("argv", [["build"], ["build", "--check"], ["release"], ["coverage"]])
def test_maintainer_commands_outside_a_checkout(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # As from an installed wheel: the "checkout" above the package is site-packages' parent.
    monkeypatch.setattr(cli, "REPO", Layout(tmp_path))
    if argv[0] == "build":
        argv = [*argv, "--root", str(tmp_path)]
    code, _, err = run(argv, capsys)
    assert code == 2
    line = one_line_error(err)
    assert f"`memo724 {argv[0]}` is a maintainer command" in line and str(tmp_path) in line


def test_maintainer_command_without_the_curation_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ruamel.yaml", None)  # as if ruamel.yaml were not installed
    code, _, err = run(["build", "--check"], capsys)
    assert code == 2
    assert "pip install 'ponars-memo-724[curation]'" in one_line_error(err)


VALIDATE_EXTRA = "pip install 'ponars-memo-724[validate]'"


@pytest.mark.parametrize(
    ("argv", "missing"),
    [
        (["validate"], "pandera"),
        (["validate", "--frictionless"], "pandera"),
        (["validate", "--frictionless"], "frictionless"),
        (["build", "--check"], "pandera"),
    ],
)
def test_a_command_without_the_validate_extra_names_it(
    argv: list[str],
    missing: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # as if it were not installed
    code, _, err = run(argv, capsys)
    assert code == 2
    assert one_line_error(err) == (
        f"error: `memo724 {argv[0]}` needs {missing}, which the validate extra installs: "
        f"{VALIDATE_EXTRA}"
    )


def test_coverage_reads_the_tables_without_the_validators(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pandera", None)  # as if it were not installed
    code, out, err = run(["coverage"], capsys)
    assert code == 0, err
    assert "body sentences = 100.0%" in out


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "memo724", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"memo724 {memo724.__version__}"


def test_validate_without_frictionless_needs_it_only_for_its_pass(
    package_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "frictionless", None)
    code, out, _ = run(["validate", str(package_copy.root)], capsys)
    assert code == 0 and out.startswith(f"valid: {package_copy.root}")


def test_schema_without_pandera_names_the_extra() -> None:
    # A fresh interpreter: this one has imported the schemas' module, with Pandera, already.
    probe = (
        "import sys\n"
        "sys.modules['pandera'] = None  # as if Pandera were not installed\n"
        "import memo724\n"
        "assert len(memo724.load('events')) > 0\n"
        "try:\n"
        "    memo724.schema('events')\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error.name, error, sep='|')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == (
        "pandera|memo724.schema() needs pandera, which the validate extra installs: "
        f"{VALIDATE_EXTRA}\n"
    )


def test_polars_engine_without_polars_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # as if polars were not installed
    with pytest.raises(ModuleNotFoundError) as caught:
        memo724.load("events", engine="polars")
    message = str(caught.value)
    assert "\n" not in message and "pip install 'ponars-memo-724[polars]'" in message


def test_an_internal_fault_is_one_line_with_its_own_exit_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> int:
        raise KeyError("a bug, not the user's input")

    monkeypatch.setattr(cli, "cmd_validate", broken)
    monkeypatch.delenv("MEMO724_DEBUG", raising=False)
    code, _, err = run(["validate"], capsys)
    assert code == cli.INTERNAL_ERROR == 3
    line = one_line_error(err)
    assert "internal error, please report it: KeyError" in line and "MEMO724_DEBUG=1" in line
    monkeypatch.setenv("MEMO724_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["validate"])


def test_running_out_of_memory_is_one_line_exit_1_not_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def too_big(*args: object) -> int:
        raise MemoryError

    monkeypatch.setattr(cli, "cmd_validate", too_big)
    monkeypatch.delenv("MEMO724_DEBUG", raising=False)
    code, _, err = run(["validate"], capsys)
    line = one_line_error(err)
    assert code == 1 and "out of memory" in line and "internal error" not in line


def test_figures_of_a_copy_without_the_curation_records(pristine: Layout) -> None:
    """What a wheel or a vendored copy has: no curation/, and neither the curation extra
    (ruamel) nor the validate extra (pandera, frictionless)."""
    import subprocess

    assert not (pristine.root / "curation").exists()
    code = (
        "import sys\n"
        "for name in ('ruamel', 'ruamel.yaml', 'pandera', 'frictionless'):\n"
        "    sys.modules[name] = None  # the curation and validate extras absent\n"
        "from memo724.cli import main\n"
        f"sys.exit(main(['figures', {str(pristine.root)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "their reasons are in a source checkout's curation/" in done.stdout
    assert "retired ids" not in done.stdout
    assert "blind second coding, before adjudication" in done.stdout  # reliability/ is there
    assert "internal error" not in done.stderr and "(issue" not in done.stdout


def test_help_lists_user_commands_first_and_marks_the_maintainers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("    ")]
    assert listed[:3] == ["validate", "verify", "figures"]
    maintainers = [line for line in out.splitlines() if "(maintainers)" in line]
    assert {line.split()[0] for line in maintainers} >= {"build", "release", "coverage"}
    assert "issue" not in out.lower()


def test_manual_check_names_a_stale_manual_and_the_command_rewrites_it(
    source_copy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = source_copy()
    monkeypatch.setattr(cli, "REPO", layout)
    manual = layout.root / "curation" / "blind" / "MANUAL.md"
    committed = manual.read_text(encoding="utf-8")
    manual.write_text(committed + "\nhand edit\n", encoding="utf-8")
    code, _, err = run(["manual", "--check"], capsys)
    assert code == 1 and "MANUAL.md is stale: run `memo724 manual`" in err
    assert run(["manual"], capsys)[:2] == (0, "wrote curation/blind/MANUAL.md\n")
    assert manual.read_text(encoding="utf-8") == committed
    assert run(["manual", "--check"], capsys)[:2] == (0, "curation/blind/MANUAL.md is up to date\n")
