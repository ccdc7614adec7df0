"""A copy of the package judged against its release (validation/drift.py), one fault at a time,
each asserting the problem reported. Written for mutants `make mutation` found surviving
(MUTATION.md): the tests that judge copies use fixtures that build a package, which the fast
selection leaves out; these copy the checkout's descriptor, schemas and data (under 0.5 MB) to a
temporary folder instead.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from memo724.contract.errors import Problem
from memo724.contract.paths import DESCRIPTOR, REPO
from memo724.validation.drift import judge


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copy(REPO.descriptor, tmp_path / DESCRIPTOR)
    shutil.copytree(REPO.data, tmp_path / "data")
    shutil.copytree(REPO.schemas, tmp_path / "schemas")
    return tmp_path


def _edit_json(path: Path, change: Any) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), "utf-8")


def _lines(problems: list[Problem]) -> list[tuple[str, str, int | None, str | None]]:
    return [(p.where, p.rule, p.row, p.field) for p in problems]


def test_an_untouched_copy_has_no_problem(copy: Path) -> None:
    assert judge(copy) == []


def test_a_table_with_only_its_line_ends_changed_says_so(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (problem,) = judge(copy)
    assert (problem.where, problem.rule) == ("data/actors.csv", "line-endings")
    assert problem.message.startswith("only its line ends changed, LF to CRLF")


def test_a_resource_title_added_is_contract_drift(copy: Path) -> None:
    def retitle(d: dict[str, Any]) -> None:
        d["resources"][1]["title"] = "Other"

    _edit_json(copy / DESCRIPTOR, retitle)
    name = json.loads((copy / DESCRIPTOR).read_text("utf-8"))["resources"][1]["name"]
    (problem,) = judge(copy)
    assert _lines([problem]) == [(DESCRIPTOR, "contract-drift", None, f"resources[{name}].title")]
    assert problem.message == 'title added: "Other" (the release has none)'


def test_a_field_description_changed_is_contract_drift(copy: Path) -> None:
    def describe(s: dict[str, Any]) -> None:
        s["fields"][0]["description"] = "changed"

    _edit_json(copy / "schemas" / "actors.json", describe)
    (problem,) = judge(copy)
    assert _lines([problem]) == [("schemas/actors.json", "contract-drift", None, "actor_id")]
    assert problem.message.endswith('to "changed"')


def test_a_missing_table_is_reported_by_its_path(copy: Path) -> None:
    (copy / "data" / "actors.csv").unlink()
    assert _lines(judge(copy)) == [("data/actors.csv", "missing", None, None)]


def test_a_version_no_release_has_names_the_field(copy: Path) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(version="9.9.9"))
    (problem,) = judge(copy)
    assert _lines([problem]) == [(DESCRIPTOR, "release-version", None, "version")]
    assert 'names version "9.9.9"' in problem.message


def test_a_blank_line_is_reported_by_row_and_the_file_as_changed(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    data = path.read_bytes()
    header = data.index(b"\n") + 1
    path.write_bytes(data[:header] + b"\n" + data[header:])
    assert _lines(judge(copy)) == [
        ("data/actors.csv", "changed-since-release", None, None),
        ("actors", "blank-line", 2, None),
    ]
