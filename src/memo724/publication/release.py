"""Writing a release: CSV, Parquet, SQLite, docs and the site with their hashes, a zip, SHA256SUMS.

The release is written into a scratch folder and renamed into place, so a reader never sees half a
release; an existing release of the same version is left alone when identical and refused when not.
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

from .. import __version__
from ..contract import Contract
from ..contract.errors import DatasetError, Problem
from ..contract.line_ends import GITATTRIBUTES
from ..contract.memo import sha256_of
from ..contract.paths import Layout
from ..contract.release import contract_of, read_snapshot, snapshot_file, write_snapshot
from ..contract.typed import arrow_table
from .changes import release_date, row_digests, snapshot_path
from .croissant import CROISSANT_NAME, croissant
from .datasette import METADATA_NAME, datasette_metadata
from .package import NAME, descriptor, dump_json, file_facts
from .python_dist import user_readme
from .sqlite_export import write_sqlite

RELIABILITY = "reliability"
DOCS = ("README.md", "CHANGELOG.md", "LICENSE", "CODEBOOK.md", "DATACARD.md", "CITATION.cff")
TOOLS = ("frictionless", "pandera", "pandas", "pyarrow")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: no clock in the archive


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


def record_snapshot(source: Layout, contract: Contract) -> None:
    """Keep releases/<version>.json, the row digests the next CHANGELOG entry is compared with."""
    path = snapshot_path(source.root, __version__)
    text = json.dumps(row_digests(source, contract), indent=1, sort_keys=True) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") != text:
        raise DatasetError(
            [
                Problem(
                    str(path.relative_to(source.root)),
                    "release-exists",
                    f"version {__version__} was released with other rows; bump the version",
                )
            ]
        )
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    record_contract(source)


def record_contract(source: Layout) -> None:
    """Keep releases/contract/<version>.json, the contract later copies of it are judged by."""
    path = snapshot_file(source.root, __version__)
    contract = contract_of(source, str(path.relative_to(source.root)))
    if path.is_file() and read_snapshot(path).to_json() != contract.to_json():
        raise DatasetError(
            [
                Problem(
                    str(path.relative_to(source.root)),
                    "release-exists",
                    f"version {__version__} was released with another contract; bump the version",
                )
            ]
        )
    write_snapshot(contract, path)


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
    name = release_name()
    final, final_zip = dist / name, dist / f"{name}.zip"
    contract = Contract(source.schemas)
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{name}-", dir=dist) as tmp:
        folder = Path(tmp) / name
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
        scratch_zip = Path(tmp) / f"{name}.zip"
        _write_zip(folder, scratch_zip)

        if final.exists() or final_zip.exists():
            same = final.exists() and _same_tree(folder, final)
            same = (
                same and final_zip.exists() and final_zip.read_bytes() == scratch_zip.read_bytes()
            )
            if not same:
                raise DatasetError(
                    [
                        Problem(
                            str(final),
                            "release-exists",
                            f"version {__version__} was already released with different content; "
                            "bump the version (and the CHANGELOG) instead of overwriting a release",
                        )
                    ]
                )
        else:
            os.rename(folder, final)
            os.rename(scratch_zip, final_zip)
    record_snapshot(source, contract)
    sums = [f"{sha256_of(final_zip)}  {final_zip.name}"]
    sums += [
        f"{sha256_of(p)}  {p.relative_to(dist)}" for p in sorted(final.rglob("*")) if p.is_file()
    ]
    (dist / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    return final
