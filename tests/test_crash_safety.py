"""A build or release killed at any point: the next run finishes it and leaves no scratch.

Real processes are killed with SIGKILL at the named points of publication/atomic.py's test hook
(MEMO724_CRASH_AT), as `kill -9` would kill them: no cleanup runs. The real `memo724 release` and
`memo724 build` are killed in a temporary copy of the checkout; the other points of a release are
killed in `write_release` with its slow parts (site, Parquet, SQLite) stubbed, since the writing,
not the content, is under test there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from memo724 import __version__
from memo724.contract.paths import REPO, Layout
from memo724.publication import release as release_module
from memo724.publication.atomic import CRASH_AT
from memo724.publication.generate import build_copy, generated_files
from memo724.publication.release import release_name, write_release

if not hasattr(signal, "SIGKILL"):
    pytest.skip("needs SIGKILL", allow_module_level=True)

NAME = release_name()
KILLED = -signal.SIGKILL
SRC = REPO.root / "src"
PROVENANCE = {"source_commit": "test", "python": "3.11", "tools": {}, "builder": "test"}
# The checkout's files a release is made from (pyproject's sdist list, plus the release records).
CHECKOUT = [
    "src",
    "data",
    "schemas",
    "curation",
    "releases",
    "reliability",
    "datapackage.json",
    "CODEBOOK.md",
    "DATACARD.md",
    "CITATION.cff",
    "CHANGELOG.md",
    "README.md",
    "LICENSE",
    "hatch_build.py",
    "pyproject.toml",
]


def checkout_copy(target: Path) -> Path:
    for part in CHECKOUT:
        source = REPO.root / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, target / part)
    return target


def memo724(root: Path, *argv: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    """`memo724 ARGV` run from the code in root/src, killed at crash_at."""
    env = {k: v for k, v in os.environ.items() if k != CRASH_AT}
    env["PYTHONPATH"] = str(root / "src")
    if crash_at:
        env[CRASH_AT] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "memo724.cli", *argv],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def scratch(folder: Path) -> list[str]:
    """What killed runs may leave: dot-names of memo724's scratch."""
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith((".build-", ".ponars-", ".partial-"))
    )


def sums_hold(dist: Path) -> None:
    lines = (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert f"  {NAME}.zip" in lines[0]
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


# -- the real command ------------------------------------------------------------------------


def test_a_real_release_killed_between_its_renames_is_finished_by_the_next(tmp_path: Path) -> None:
    """The case of the report: the folder in place, its zip not yet. Before, the next release
    refused identical content as "already released with different content"."""
    root = checkout_copy(tmp_path / "checkout")
    dist = root / "dist"
    records = tree(root / "releases")
    killed = memo724(root, "release", crash_at="release-between-renames")
    assert killed.returncode == KILLED, killed.stderr
    assert (dist / NAME).is_dir() and not (dist / f"{NAME}.zip").exists()
    assert scratch(dist), "a killed run leaves its scratch folder"

    done = memo724(root, "release")
    assert done.returncode == 0, done.stderr
    assert f"released {dist / NAME}" in done.stdout
    assert scratch(dist) == [] and scratch(root) == []
    assert sorted(p.name for p in dist.iterdir()) == sorted([NAME, f"{NAME}.zip", "SHA256SUMS"])
    sums_hold(dist)
    assert tree(root / "releases") == records  # the same rows and contract, recorded again


def test_a_real_build_killed_while_replacing_is_finished_by_the_next(tmp_path: Path) -> None:
    root = checkout_copy(tmp_path / "checkout")
    committed = {rel: (root / rel).read_bytes() for rel in generated_files()}
    # Hand edits of two generated files, so that the build has something to replace.
    codebook = root / "CODEBOOK.md"
    codebook.write_bytes(codebook.read_bytes() + b"\nhand edit\n")
    datapackage = root / "datapackage.json"
    datapackage.write_bytes(datapackage.read_bytes().replace(b'"bytes"', b'"bytes" ', 1))

    before = memo724(root, "build", "--root", str(root), crash_at="build-written")
    assert before.returncode == KILLED, before.stderr
    assert codebook.read_bytes().endswith(b"hand edit\n")  # killed before its first rename
    first_scratch = scratch(root)
    assert len(first_scratch) == 1

    during = memo724(root, "build", "--root", str(root), crash_at="build-replacing")
    assert during.returncode == KILLED, during.stderr
    assert len(scratch(root)) == 1 and scratch(root) != first_scratch  # the first one cleaned
    # Killed after its first rename: the tables replaced, the descriptor (after them) not yet.
    assert generated_files().index("datapackage.json") > 0
    assert (root / "datapackage.json").read_bytes() != committed["datapackage.json"]

    done = memo724(root, "build", "--root", str(root))
    assert done.returncode == 0, done.stderr
    assert {rel: (root / rel).read_bytes() for rel in generated_files()} == committed
    assert scratch(root) == []


# -- every point of a release, its slow parts stubbed ------------------------------------------

STUBBED = """
import sys
from pathlib import Path
import memo724.publication.release as release
from memo724.contract.paths import Layout

release.write_release_site = lambda out, source: None
release.write_parquet = lambda contract, data, out: out.mkdir(parents=True)
release.write_sqlite = lambda contract, data, path: path.write_bytes(b"stub")
release.write_release(Layout(Path(sys.argv[1])), Path(sys.argv[2]), {"builder": "test"})
"""


def stub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(release_module, "write_release_site", lambda out, source: None)
    monkeypatch.setattr(
        release_module, "write_parquet", lambda contract, data, out: out.mkdir(parents=True)
    )
    monkeypatch.setattr(
        release_module, "write_sqlite", lambda contract, data, path: path.write_bytes(b"stub")
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    layout = Layout(tmp_path_factory.mktemp("built"))
    build_copy(REPO, layout)
    shutil.copyfile(REPO.root / "LICENSE", layout.root / "LICENSE")
    return layout


@pytest.fixture(scope="module")
def reference(built: Layout, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """dist/ of an uninterrupted (stubbed) release: what every killed-and-finished one must be."""
    source = Layout(tmp_path_factory.mktemp("reference") / "source")
    shutil.copytree(built.root, source.root)
    dist = source.root.parent / "dist"
    with pytest.MonkeyPatch.context() as patch:
        stub(patch)
        write_release(source, dist, {"builder": "test"})
    return tree(dist)


@pytest.mark.parametrize(
    ("point", "left"),
    [
        # while writing the scratch folder: dist/ holds nothing but the scratch
        ("release-writing", set()),
        # the release written in scratch, nothing in place yet
        ("release-written", set()),
        # the folder in place, not its zip
        ("release-between-renames", {NAME}),
        # both in place; the records and SHA256SUMS not written
        ("release-published", {NAME, f"{NAME}.zip"}),
        # the records written; SHA256SUMS not
        ("release-recorded", {NAME, f"{NAME}.zip"}),
    ],
)
def test_a_release_killed_at_each_point_is_finished_by_the_next(
    point: str,
    left: set[str],
    built: Layout,
    reference: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = Layout(tmp_path / "source")
    shutil.copytree(built.root, source.root)
    dist = tmp_path / "dist"
    killed = subprocess.run(
        [sys.executable, "-c", STUBBED, str(source.root), str(dist)],
        env={**os.environ, CRASH_AT: point, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == KILLED, killed.stderr
    assert {p.name for p in dist.iterdir() if not p.name.startswith(".")} == left
    recorded = source.root / "releases" / f"{__version__}.json"
    assert recorded.is_file() == (point == "release-recorded")

    stub(monkeypatch)
    write_release(source, dist, {"builder": "test"})
    assert tree(dist) == reference
    assert scratch(dist) == [] and scratch(source.root / "releases") == []
    assert recorded.is_file()


def test_a_killed_runs_folder_of_other_content_is_replaced_a_zip_never(
    built: Layout, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder without its zip was never a release: replaced. A zip is one: refused."""
    source = Layout(tmp_path / "source")
    shutil.copytree(built.root, source.root)
    dist = tmp_path / "dist"
    stale = dist / NAME
    stale.mkdir(parents=True)
    (stale / "datapackage.json").write_text("{}", encoding="utf-8")
    (dist / ".ponars-memo-724-0.0.0-killed").mkdir()  # a killed run's scratch folder
    stub(monkeypatch)
    write_release(source, dist, {"builder": "test"})
    assert tree(dist) == reference
    assert scratch(dist) == []

    (dist / f"{NAME}.zip").write_bytes(b"another release")
    from memo724.contract.errors import DatasetError

    with pytest.raises(DatasetError, match="already released with different content"):
        write_release(source, dist, {"builder": "test"})
    assert (dist / f"{NAME}.zip").read_bytes() == b"another release"
