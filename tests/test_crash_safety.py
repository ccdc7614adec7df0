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
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import date_unreleased

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


def test_a_real_release_killed_twice_is_finished_by_the_next(tmp_path: Path) -> None:
    """Killed while writing its scratch folder, then between its two renames: the case of the
    report (the folder in place, its zip not yet), where the next release used to refuse
    identical content as "already released with different content"."""
    root = checkout_copy(tmp_path / "checkout")
    # Between releases the top entry reads "Unreleased", which `release` refuses.
    date_unreleased(root)
    dist = root / "dist"
    records = tree(root / "releases")
    writing = memo724(root, "release", crash_at="release-writing")
    assert writing.returncode == KILLED, writing.stderr
    first_scratch = scratch(dist)
    assert len(first_scratch) == 1 and [p.name for p in dist.iterdir()] == first_scratch

    killed = memo724(root, "release", crash_at="release-between-renames")
    assert killed.returncode == KILLED, killed.stderr
    assert (dist / NAME).is_dir() and not (dist / f"{NAME}.zip").exists()
    assert len(scratch(dist)) == 1 and scratch(dist) != first_scratch  # the first one cleaned

    done = memo724(root, "release")
    assert done.returncode == 0, done.stderr
    assert f"released {dist / NAME}" in done.stdout
    assert scratch(dist) == [] and scratch(root) == []
    assert sorted(p.name for p in dist.iterdir()) == sorted([NAME, f"{NAME}.zip", "SHA256SUMS"])
    sums_hold(dist)
    # Earlier releases' records untouched; this version's rows and contract recorded once.
    after = tree(root / "releases")
    assert {k: v for k, v in after.items() if k in records} == records
    assert {f"{__version__}.json", f"contract/{__version__}.json"} <= set(after)


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
    """A folder without its zip was never a release: replaced. A zip is one: never overwritten
    with other content, nor its folder."""
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

    from memo724.contract.errors import DatasetError

    # A folder edited by hand beside its own zip: refused, naming the command that repairs it.
    (dist / NAME / "LICENSE").write_text("edited", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"rm -r .*\) and run `memo724 release` again"):
        write_release(source, dist, {"builder": "test"})
    shutil.rmtree(dist / NAME)
    write_release(source, dist, {"builder": "test"})  # restored from the same content
    assert tree(dist) == reference

    (dist / f"{NAME}.zip").write_bytes(b"another release")
    with pytest.raises(DatasetError, match="already released with different content"):
        write_release(source, dist, {"builder": "test"})
    assert (dist / f"{NAME}.zip").read_bytes() == b"another release"


# -- what the system refuses: one line, exit 1 or 2, nothing half-written ----------------------


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and "internal error" not in err and "Errno" not in err
    return lines[0]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A real file system of a given size (a tmpfs, mounted as root), to fill up."""
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        point = tmp_path / f"disk-{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip("mounting a small tmpfs needs root")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


@pytest.mark.parametrize(
    "size",
    [
        512 * 1024,  # not even the wheel and sdist fit
        1536 * 1024,  # the wheel and sdist fit, not the release
    ],
)
def test_a_release_on_a_full_disk_is_one_line_and_leaves_nothing(
    size: int, source_copy, small_disk, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import memo724.cli as cli

    layout = source_copy()
    date_unreleased(layout.root)  # else the release is refused for its undated entry first
    monkeypatch.setattr(cli, "REPO", layout)
    disk = small_disk(size)
    code = cli.main(["release", "--dist", str(disk / "dist")])
    line = one_line(capsys.readouterr().err)
    assert code == 1
    assert "no space left on the device" in line and str(disk / "dist") in line
    assert list((disk / "dist").iterdir()) == []  # the scratch went with the failure
    assert not (layout.root / "releases").exists()


def test_a_build_on_a_full_disk_is_one_line_and_changes_nothing(small_disk, capsys) -> None:
    import memo724.cli as cli

    size = sum(p.stat().st_size for part in CHECKOUT[1:] for p in _files(REPO.root / part))
    disk = small_disk(size + 512 * 1024)  # the checkout fits, not the build beside it
    root = disk / "checkout"
    for part in CHECKOUT[1:]:  # the code runs from here
        source = REPO.root / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copyfile(source, root / part)
    before = {rel: (root / rel).read_bytes() for rel in generated_files()}
    code = cli.main(["build", "--root", str(root)])
    line = one_line(capsys.readouterr().err)
    assert code == 1 and "no space left on the device" in line
    assert {rel: (root / rel).read_bytes() for rel in generated_files()} == before
    assert scratch(root) == []


def _files(path: Path) -> list[Path]:
    return [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]


def test_a_full_disk_anywhere_in_the_build_is_one_line(
    source_copy, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Where no tmpfs can be mounted: the write that fails is simulated, nothing else."""
    import errno

    import memo724.cli as cli
    import memo724.publication.build as build

    layout = source_copy()
    before = {rel: (layout.root / rel).read_bytes() for rel in generated_files()}

    def full(source: Layout, target: Layout) -> dict[str, list[str]]:
        (target.root / "half-written.csv").write_text("event_id\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target.data / "events.csv"))

    monkeypatch.setattr(build, "build_copy", full)
    code = cli.main(["build", "--root", str(layout.root)])
    line = one_line(capsys.readouterr().err)
    assert code == 1 and "events.csv: no space left on the device" in line
    assert {rel: (layout.root / rel).read_bytes() for rel in generated_files()} == before
    assert scratch(layout.root) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{long}"],
        ["verify", "{long}"],
        ["figures", "{long}"],
        ["coverage", "{long}"],
        ["build", "--root", "{long}"],
        ["validate", "{long}/datapackage.json"],
    ],
)
def test_a_path_longer_than_the_system_allows_is_one_line(
    argv: list[str], tmp_path: Path, capsys
) -> None:
    import memo724.cli as cli

    long = tmp_path / ("x" * 300)  # longer than NAME_MAX (255 bytes) on every file system here
    code = cli.main([a.format(long=long) for a in argv])
    line = one_line(capsys.readouterr().err)
    assert code == 2
    assert line.endswith("a name in this path is longer than the file system allows")
    assert list(tmp_path.iterdir()) == []


def test_a_release_into_a_path_too_long_writes_nothing(
    source_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import memo724.cli as cli

    layout = source_copy()
    date_unreleased(layout.root)  # else the release is refused for its undated entry first
    monkeypatch.setattr(cli, "REPO", layout)
    dist = tmp_path / "out" / ("x" * 300) / "dist"
    (tmp_path / "out").mkdir()
    code = cli.main(["release", "--dist", str(dist)])
    line = one_line(capsys.readouterr().err)
    assert code == 2 and "a name in this path is longer than the file system allows" in line
    assert list((tmp_path / "out").iterdir()) == []
    assert not (layout.root / "releases").exists()


def test_a_second_run_on_the_same_folder_is_refused_and_its_scratch_kept(tmp_path: Path) -> None:
    from memo724.contract.errors import DatasetError
    from memo724.publication.atomic import exclusive

    (tmp_path / ".build-running").mkdir()
    (tmp_path / ".keep").write_text("not memo724's", encoding="utf-8")
    with exclusive(tmp_path, ".build-"):
        (tmp_path / ".build-mine").mkdir()
        with (
            pytest.raises(DatasetError, match="another memo724 build or release"),
            exclusive(tmp_path, ".build-"),
        ):
            pass  # pragma: no cover
        assert (tmp_path / ".build-mine").is_dir()  # the running one's scratch is left alone
    assert not (tmp_path / ".build-running").exists()  # a killed run's, removed
    assert (tmp_path / ".keep").is_file()
    with exclusive(tmp_path, ".build-"):  # the lock went with the first run
        assert not (tmp_path / ".build-mine").exists()
