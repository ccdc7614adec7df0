"""Writing a release: CSV, Parquet, SQLite, docs and the site with their hashes, a zip, SHA256SUMS.

The release is written into a scratch folder and renamed into place, so a reader never sees half a
release; an existing release of the same version is left alone when identical and refused when not.
A run killed at any point leaves what the next run completes or cleans (atomic.py, _publish).
Nothing in it depends on the clock, so a rebuild from one commit gives the same bytes.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..contract import Contract
from ..contract.errors import DatasetError, Problem
from ..contract.line_ends import GITATTRIBUTES
from ..contract.memo import sha256_of
from ..contract.paths import REPO_ROOT, Layout
from ..contract.release import contract_of, read_snapshot, snapshot_file, snapshot_text
from ..contract.typed import arrow_table
from ..contract.version import __version__
from .atomic import PARTIAL, clean_leftovers, crash_point, exclusive, write_atomic
from .changes import changelog_problems, release_date, row_digests, snapshot_path
from .croissant import CROISSANT_NAME, croissant
from .datasette import METADATA_NAME, datasette_metadata
from .package import NAME, descriptor, dump_json, file_facts
from .python_dist import build_python_dists, user_readme
from .sqlite_export import write_sqlite

RELIABILITY = "reliability"
DOCS = ("README.md", "CHANGELOG.md", "LICENSE", "CODEBOOK.md", "DATACARD.md", "CITATION.cff")
TOOLS = ("frictionless", "pandera", "pandas", "pyarrow")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: no clock in the archive
SCRATCH = f".{NAME}-"  # the scratch folders of a release in dist/, and of killed runs


def release_name(version: str = __version__) -> str:
    return f"{NAME}-{version}"


def _git(root: Path, *args: str) -> str | None:
    """Output of a git command in root, or None outside a checkout or without git."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def build_provenance(root: Path) -> dict[str, Any]:
    status = _git(root, "status", "--porcelain")
    return {
        "source_commit": _git(root, "rev-parse", "HEAD") or None,
        # Whether the checkout had no uncommitted changes, so the commit alone names the input.
        "source_tree_clean": None if status is None else status == "",
        "python": platform.python_version(),
        "tools": {tool: metadata.version(tool) for tool in TOOLS},
        "builder": f"memo724 {__version__}",
    }


def write_parquet(contract: Contract, data_dir: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in contract.tables:
        table = arrow_table(contract[name], data_dir / f"{name}.csv")
        pq.write_table(table, out_dir / f"{name}.parquet", compression="zstd", store_schema=True)


def _file_entry(root: Path, rel: str) -> dict[str, Any]:
    path = root / rel
    return {"path": rel, **file_facts(path)}


def release_descriptor(
    folder: Path, contract: Contract, provenance: dict[str, Any]
) -> dict[str, Any]:
    """The package descriptor plus, for every other file of the release, its size and hash.

    Parquet and SQLite files are listed under `files` rather than as resources: Frictionless would
    try to open them as tables, and Parquet needs an optional plugin there. Their schemas are the
    CSV resources' schemas, carried inside each Parquet file as well.
    """
    desc = descriptor(Layout(folder), contract)
    listed = {r["path"] for r in desc["resources"]} | {"datapackage.json"}
    others = sorted(
        rel
        for rel in (str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if rel not in listed
    )
    desc["files"] = [_file_entry(folder, rel) for rel in others]
    desc["build"] = provenance
    return desc


def _write_zip(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder)}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def _same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def _released(where: Path, what: str) -> DatasetError:
    return DatasetError([Problem(str(where), "release-exists", what)])


def release_records(source: Layout, contract: Contract) -> dict[Path, str]:
    """releases/<version>.json (the row digests the next CHANGELOG entry is compared with) and
    releases/contract/<version>.json (the contract later copies are judged by), as this release
    writes them. Refused, before anything is written, when the version was released with other
    rows or another contract."""
    rows = snapshot_path(source.root, __version__)
    rows_text = json.dumps(row_digests(source, contract), indent=1, sort_keys=True) + "\n"
    if rows.is_file() and rows.read_text(encoding="utf-8") != rows_text:
        raise _released(
            rows.relative_to(source.root),
            f"version {__version__} was released with other rows; bump the version",
        )
    terms = snapshot_file(source.root, __version__)
    released = contract_of(source, str(terms.relative_to(source.root)))
    if terms.is_file() and read_snapshot(terms).to_json() != released.to_json():
        raise _released(
            terms.relative_to(source.root),
            f"version {__version__} was released with another contract; bump the version",
        )
    return {rows: rows_text, terms: snapshot_text(released)}


def write_release_site(out: Layout, source: Layout) -> None:
    """The release's site/ (reader, timeline, network), from the release's own files.

    Imported here, not at the top: the site's libraries are the `site` extra, which loading or
    validating data never needs.
    """
    try:
        from .site import write_site
    except ModuleNotFoundError as missing:
        raise DatasetError(
            [
                Problem(
                    "site",
                    "site-extra",
                    f"writing the release's site needs {missing.name}: "
                    "pip install 'ponars-memo-724[site]'",
                )
            ]
        ) from missing
    write_site(out, out.root / "site", descriptor=source.descriptor)


def write_release(
    source: Layout,
    dist: Path,
    provenance: dict[str, Any] | None = None,
    python_dists: Sequence[Path] = (),
) -> Path:
    """Write dist/<name>-<version>/, its zip and SHA256SUMS from source's validated package.

    python_dists (the wheel and sdist, see python_dist.py) are copied into the release folder, so
    the zip a user downloads installs with `pip install` and SHA256SUMS hashes them too.
    """
    dist.mkdir(parents=True, exist_ok=True)
    with (
        exclusive(source.root),
        exclusive(dist, SCRATCH),
        tempfile.TemporaryDirectory(prefix=SCRATCH, dir=dist) as tmp,
    ):
        return _write_release(source, dist, Path(tmp), provenance, python_dists)


def release(source: Layout, dist: Path) -> Path:
    """`memo724 release`: judge the checkout's package and its CHANGELOG entry, then write the
    release with the wheel and sdist of the code that runs (this checkout's pyproject.toml and
    src/). Refused (DatasetError), with nothing written, when either is not ready."""
    from ..validation.api import judge_own

    with exclusive(source.root):
        problems = judge_own(source, frictionless=True)
        problems += changelog_problems(source.root, __version__)
        if problems:
            raise DatasetError(problems)
        dist.mkdir(parents=True, exist_ok=True)
        with exclusive(dist, SCRATCH), tempfile.TemporaryDirectory(prefix=SCRATCH, dir=dist) as tmp:
            dists = build_python_dists(REPO_ROOT, Path(tmp) / "python-dists")
            return _write_release(source, dist, Path(tmp), None, dists)


def _write_release(
    source: Layout,
    dist: Path,
    tmp: Path,
    provenance: dict[str, Any] | None,
    python_dists: Sequence[Path],
) -> Path:
    """The release, written into tmp (a scratch folder in dist/) and only then put in place
    (_publish); the caller holds the locks of source.root and dist."""
    name = release_name()
    contract = Contract(source.schemas)
    records = release_records(source, contract)
    folder = tmp / name
    out = Layout(folder)
    out.data.mkdir(parents=True)
    shutil.copyfile(source.memo, out.memo)
    for table in contract.tables:
        shutil.copyfile(source.table(table), out.table(table))
    shutil.copytree(source.schemas, out.schemas)
    for doc in DOCS:
        shutil.copyfile(source.root / doc, folder / doc)
    # Vendored into a Git repository, the files keep their bytes on every system.
    (folder / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
    # The inter-coder reliability of this coding (DATACARD.md, Reliability): its own small
    # Frictionless package, shipped beside the tables it measures.
    if (source.root / RELIABILITY).is_dir():
        shutil.copytree(source.root / RELIABILITY, folder / RELIABILITY)
    # The release is for users: its README stops where the maintainers' part begins.
    readme = (source.root / "README.md").read_text(encoding="utf-8")
    (folder / "README.md").write_text(user_readme(readme), encoding="utf-8")
    for path in python_dists:
        shutil.copyfile(path, folder / path.name)
    write_parquet(contract, out.data, folder / "parquet")
    crash_point("release-writing")
    write_sqlite(contract, out.data, folder / f"{NAME}.sqlite")
    package = descriptor(out, contract)
    # The same tables for Croissant readers (mlcroissant, dataset search, ML loaders); before
    # the site, whose index links to it.
    released = release_date(folder, __version__)
    (folder / CROISSANT_NAME).write_text(
        dump_json(croissant(package, contract, released)), encoding="utf-8"
    )
    write_release_site(out, source)
    metadata = datasette_metadata(contract, package, NAME)
    (folder / METADATA_NAME).write_text(dump_json(metadata), encoding="utf-8")
    desc = release_descriptor(folder, contract, provenance or build_provenance(source.root))
    out.descriptor.write_text(dump_json(desc), encoding="utf-8")
    archive = tmp / f"{name}.zip"
    _write_zip(folder, archive)
    crash_point("release-written")
    final = _publish(folder, archive, dist)
    crash_point("release-published")
    for path, text in records.items():
        clean_leftovers(path.parent, PARTIAL)  # a killed run's half-written record
        write_atomic(path, text)
    crash_point("release-recorded")
    final_zip = dist / f"{name}.zip"
    sums = [f"{sha256_of(final_zip)}  {final_zip.name}"]
    sums += [
        f"{sha256_of(p)}  {p.relative_to(dist)}" for p in sorted(final.rglob("*")) if p.is_file()
    ]
    write_atomic(dist / "SHA256SUMS", "\n".join(sums) + "\n")
    return final


def _publish(folder: Path, archive: Path, dist: Path) -> Path:
    """Put a release written in scratch (its folder and zip) in place in dist/, or find it there.

    Each part is renamed into place whole, the zip last: a zip in dist/ is a release, never
    overwritten with other content, while a release folder without its zip is what a killed run
    left, and is completed when identical or else replaced. So a release killed at any point is
    finished by the next run from the same commit.
    """
    final, final_zip = dist / folder.name, dist / archive.name
    if final_zip.exists():
        if final_zip.read_bytes() != archive.read_bytes():
            raise _released(
                final_zip,
                f"version {__version__} was already released with different content; "
                "bump the version (and the CHANGELOG) instead of overwriting a release",
            )
        if final.exists() and not _same_tree(folder, final):
            raise _released(
                final,
                f"differs from {final_zip.name}, the release it was unpacked with; "
                f"remove the folder (rm -r {final}) and run `memo724 release` again",
            )
    elif final.exists() and not _same_tree(folder, final):
        # A killed run's folder, never completed by its zip: out of the way, into the scratch
        # folder, which goes with it.
        os.rename(final, archive.parent / f"replaced-{folder.name}")
    if not final.exists():
        os.rename(folder, final)
    crash_point("release-between-renames")
    if not final_zip.exists():
        os.rename(archive, final_zip)
    return final
