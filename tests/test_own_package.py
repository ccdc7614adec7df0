"""A package of its own that follows a release's contract: `memo724 validate PATH --contract V`.

The synthetic packages of scripts/synthetic.py are such packages: their own name, version, memo
and rows in this release's schemas. They are not this release, so judged as a copy they are
refused; judged by the contract they follow, a clean one is valid and a damaged one names the
table, row, field, value and rule.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from synthetic import write_own_descriptor, write_package

import memo724.cli as cli
from memo724 import __version__
from memo724.contract import Contract
from memo724.contract.paths import Layout
from memo724.publication.package import csv_text


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    return write_package(tmp_path_factory.mktemp("own") / "pkg", rows=120, seed=9)


@pytest.fixture
def own_copy(own: Layout, tmp_path: Path) -> Layout:
    shutil.copytree(own.root, tmp_path / "pkg")
    return Layout(tmp_path / "pkg")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def judged_again(layout: Layout, what: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Restate the package's own descriptor (honest bytes and hashes), validate it under this
    release's contract, and return what it printed on stderr (it must exit 1)."""
    write_own_descriptor(layout, Contract(layout.schemas), what)
    code, _, err = run(["validate", str(layout.root), "--contract", __version__], capsys)
    assert code == 1, err
    return err


def set_cell(layout: Layout, table: str, field: str, value: str) -> None:
    """Set one cell of the first row, the rest of the file written as the package writes it."""
    with layout.table(table).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][field] = value
    text = csv_text(list(rows[0]), rows)
    layout.table(table).write_text(text, encoding="utf-8", newline="")


def test_a_package_of_its_own_is_valid_under_the_contract_it_follows(
    own: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = json.loads(own.descriptor.read_text(encoding="utf-8"))
    assert (descriptor["name"], descriptor["version"]) != ("ponars-memo-724", __version__)
    code, out, err = run(["validate", str(own.root), "--contract", __version__], capsys)
    assert (code, err) == (0, "")
    assert f"follows the contract of memo724 {__version__}" in out


def test_a_larger_package_with_stances_expressed_by_dated_events_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # At this size and seed an undated stance expressed by a dated event drew a 'before the memo'
    # link, which contradicts its event's dates: the benchmark timed an invalid package.
    layout = write_package(tmp_path / "pkg", rows=3000, seed=1)
    code, out, err = run(["validate", str(layout.root), "--contract", __version__], capsys)
    assert (code, err) == (0, ""), err
    assert out.startswith("valid: ")


def test_judged_as_a_copy_it_names_no_release_and_the_message_says_what_to_do(
    own: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["validate", str(own.root)], capsys)
    assert code == 1
    assert "rule: release-version" in err and "--contract VERSION" in err


def test_a_damaged_row_is_named_with_table_row_field_value_and_rule(
    own_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(own_copy, "events", "factuality", "rumoured")
    err = judged_again(own_copy, "damaged", capsys)
    assert any(
        line.startswith("events, row 2, field factuality: value 'rumoured':")
        and "rule: enum" in line
        for line in err.splitlines()
    ), err
    assert "hash-count" not in err and "changed-since-release" not in err


def test_a_file_that_differs_from_its_own_descriptor_is_named(
    own_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    path = own_copy.table("risks")
    with path.open("ab") as handle:
        handle.write(b"\n")  # a blank line: the rows are the same, the bytes are not
    code, _, err = run(["validate", str(own_copy.root), "--contract", __version__], capsys)
    assert code == 1
    assert "risks: the descriptor says" in err and "rule: byte-count" in err
    assert "rule: hash-count" in err


def test_its_schemas_are_still_judged_against_the_release(
    own_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    path = own_copy.schema("events")
    schema = json.loads(path.read_text(encoding="utf-8"))
    for field in schema["fields"]:
        if field["name"] == "factuality":
            field["constraints"].pop("enum")
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    err = judged_again(own_copy, "weakened", capsys)
    assert "schemas/events.json, field factuality" in err and "rule: contract-drift" in err


def test_its_memo_facts_come_from_its_own_memo(
    own_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    # The synthetic memo is not the release's: a clean package passes the memo-hash and
    # memo-length checks (above); a changed memo fails them against its own documents row.
    own_copy.memo.write_bytes(own_copy.memo.read_bytes() + b" more")
    err = judged_again(own_copy, "longer memo", capsys)
    assert "documents, row 2, field sha256" in err and "rule: memo-hash" in err
    assert "rule: memo-length" in err


def test_an_unknown_contract_is_a_usage_error(
    own: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["validate", str(own.root), "--contract", "9.9.9"], capsys)
    assert code == 2
    assert err.startswith("error: --contract 9.9.9: not a release this memo724 knows")
