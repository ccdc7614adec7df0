"""The rules of `memo724 verify` (catalogue kind "verify"), a failing and a passing case each.

A vendored copy (data/, schemas/, the descriptor) is checked against the repository's descriptor
as the list of hashes, as `memo724 verify PATH --against datapackage.json` does. The rules the
release and the build report (catalogue kind "release") have no case here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from memo724.contract.errors import DatasetError, Problem
from memo724.contract.paths import REPO
from memo724.use.verify import verify_copy
from memo724.validation.catalogue import CATALOGUE


@dataclass(frozen=True)
class VerifyCase:
    rule: str
    fails: bool
    change: Callable[[Path, Path], Path]  # (copy, tmp) -> the list of hashes to verify against
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fails' if self.fails else 'passes'}-{self.why}".rstrip("-")


def against_descriptor(copy: Path, tmp: Path) -> Path:
    return REPO.descriptor


def flip_last_byte(copy: Path, tmp: Path) -> Path:
    path = copy / "data" / "events.csv"
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(bytes(data))
    return REPO.descriptor


def extra_file(name: str) -> Callable[[Path, Path], Path]:
    def change(copy: Path, tmp: Path) -> Path:
        (copy / name).write_text("x\n", encoding="utf-8")
        return REPO.descriptor

    return change


def not_a_list(copy: Path, tmp: Path) -> Path:
    path = tmp / "hashes.json"
    path.write_text("[1, 2]", encoding="utf-8")
    return path


CASES = [
    VerifyCase("against", True, not_a_list),
    VerifyCase("against", False, against_descriptor),
    VerifyCase("drifted", True, flip_last_byte),
    VerifyCase("drifted", False, against_descriptor),
    VerifyCase("unverified", True, extra_file("data/extra.csv"), why="in-data"),
    VerifyCase("unverified", False, extra_file("NOTES.md"), why="outside-the-package-folders"),
]


def test_every_verify_rule_has_a_failing_and_a_passing_case() -> None:
    rules = {name for name, entry in CATALOGUE.items() if entry.kind == "verify"}
    assert {c.rule for c in CASES if c.fails} == rules
    assert {c.rule for c in CASES if not c.fails} == rules


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_verify_rule_case(case: VerifyCase, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(REPO.data, copy / "data")
    shutil.copytree(REPO.schemas, copy / "schemas")
    shutil.copyfile(REPO.descriptor, copy / "datapackage.json")
    reference = case.change(copy, tmp_path)
    problems: list[Problem]
    try:
        problems = verify_copy(copy, reference)[0]
    except DatasetError as error:
        problems = error.problems
    mine = [p for p in problems if p.rule == case.rule]
    assert bool(mine) == case.fails, problems[:5]
