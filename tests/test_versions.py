"""One version, in src/memo724/contract/version.py, and everything that names it agrees."""

from __future__ import annotations

import json
import re
from importlib import metadata

import pytest

from memo724 import __version__
from memo724.contract.paths import REPO
from memo724.publication.changes import changelog_top_entry

SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


def top_changelog_version() -> str:
    top = changelog_top_entry(REPO.root)
    assert top, "CHANGELOG.md has no version entry"
    return top[0]


def test_version_is_semver_and_agrees_everywhere() -> None:
    assert SEMVER.fullmatch(__version__)
    assert json.loads(REPO.descriptor.read_text(encoding="utf-8"))["version"] == __version__
    assert metadata.version("ponars-memo-724") == __version__
    assert top_changelog_version() == __version__


def test_changelog_entry_has_a_date_and_a_generated_data_summary() -> None:
    text = (REPO.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(
        rf"^## \[{re.escape(__version__)}\] - (\d{{4}}-\d{{2}}-\d{{2}}|Unreleased)$",
        text,
        re.MULTILINE,
    )
    assert f"BEGIN GENERATED: data-changes-{__version__}" in text
    assert re.search(r"^- `events`: \d+ rows \(\+\d+ / -\d+ / ~\d+\)$", text, re.MULTILINE)


def test_previous_release_snapshots_are_older_versions() -> None:
    for path in (REPO.root / "releases").glob("*.json"):
        older, current = SEMVER.fullmatch(path.stem), SEMVER.fullmatch(__version__)
        assert older and current
        assert tuple(map(int, older.groups())) <= tuple(map(int, current.groups()))


def test_released_data_never_changes_under_the_same_version(pristine, contract) -> None:
    """Once releases/<version>.json exists, new rows or corrections need a new version."""
    from memo724.publication.changes import diff, row_digests, snapshot_path

    path = snapshot_path(REPO.root, __version__)
    if not path.is_file():
        pytest.skip(f"{__version__} is not released yet")
    released = json.loads(path.read_text(encoding="utf-8"))
    changed = {
        name: change
        for name, change in diff(released, row_digests(pristine, contract)).items()
        if change.added or change.removed or change.changed
    }
    assert not changed, (
        f"data differs from released {__version__}: bump __version__ in "
        f"src/memo724/contract/version.py and add a CHANGELOG entry ({sorted(changed)})"
    )


def test_versions_are_ordered_as_releases_not_as_text() -> None:
    from memo724.contract.version import version_order

    assert version_order({"0.10.0", "0.9.0", "0.2.1", "1.0.0"}) == [
        "0.2.1",
        "0.9.0",
        "0.10.0",
        "1.0.0",
    ]
