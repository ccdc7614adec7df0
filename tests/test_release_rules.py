"""The rules of the build and the release (catalogue kind "release"): a failing and a passing
case for those a unit can break; NOT_HERE names the others, whose cases are in
test_rule_catalogue.py (they need a stage run: a build, a wheel, a site, a release record)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rule_cases import RuleCase

from memo724.contract.errors import DatasetError, Problem
from memo724.publication.atomic import exclusive
from memo724.publication.changes import changelog_problems
from memo724.validation.catalogue import CATALOGUE

# Rules of the release that a build or release stage breaks (a built wheel, the site's extra, a
# released version, a generated file): their cases are in test_rule_catalogue.py (STAGE_CASES).
NOT_HERE = {
    "generated",
    "python-dists",
    "release-exists",
    "site-extra",
    "profile-page-name",
    "code-reads",
}

ReleaseCase = RuleCase[Path]


def changelog(head: str, version: str = "9.9.9") -> Callable[[Path], list[Problem]]:
    def run(root: Path) -> list[Problem]:
        (root / "CHANGELOG.md").write_text(f"# Changelog\n\n{head}\n\n- a change\n")
        return changelog_problems(root, version)

    return run


def locked(twice: bool) -> Callable[[Path], list[Problem]]:
    def run(root: Path) -> list[Problem]:
        try:
            with exclusive(root):
                if twice:  # another run on the same folder while this one holds it
                    with exclusive(root):
                        pass
            with exclusive(root):  # after it: free again
                pass
        except DatasetError as error:
            return error.problems
        return []

    return run


CASES = [
    ReleaseCase("changelog-entry", True, changelog("## [9.9.9] - Unreleased"), why="undated"),
    ReleaseCase("changelog-entry", True, changelog("## [9.9.8] - 2026-01-01"), why="other"),
    ReleaseCase("changelog-entry", False, changelog("## [9.9.9] - 2026-01-01")),
    ReleaseCase("busy", True, locked(twice=True), why="nested"),
    ReleaseCase("busy", False, locked(twice=False), why="one-after-another"),
]


def test_every_release_rule_has_a_case_or_is_named_as_without_one() -> None:
    rules = {name for name, entry in CATALOGUE.items() if entry.kind == "release"}
    failing = {c.rule for c in CASES if c.fails}
    assert failing | NOT_HERE == rules and not failing & NOT_HERE
    assert {c.rule for c in CASES if not c.fails} == failing


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_release_rule_case(case: ReleaseCase, tmp_path: Path) -> None:
    problems = case.run(tmp_path)
    mine = [p for p in problems if p.rule == case.rule]
    assert bool(mine) == case.fails, problems
