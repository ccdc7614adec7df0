"""A release is complete, typed, reproducible, written atomically and verifiable downstream."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from memo724 import __version__
from memo724.cli import main
from memo724.contract import TABLES, Contract
from memo724.contract.errors import DatasetError
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import arrow_table
from memo724.publication.release import release_name, write_release

PROVENANCE = {"source_commit": "test", "python": "3.11", "tools": {}, "builder": "test"}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """A built package with its docs, as `make release` sees the checkout."""
    from memo724.publication.generate import build_copy

    layout = Layout(tmp_path_factory.mktemp("source"))
    build_copy(REPO, layout)
    shutil.copyfile(REPO.root / "LICENSE", layout.root / "LICENSE")
    return layout


@pytest.fixture(scope="module")
def release(source: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_release(source, tmp_path_factory.mktemp("dist"), PROVENANCE)


def csv_cells(path: Path) -> list[list[str | None]]:
    """The CSV's cells as text, read without the package's own typing code."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return [[v if v != "" else None for v in row] for row in rows]


def as_text(value: object) -> str | None:
    """A typed value as the Table Schema text it came from."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_release_layout(release: Path) -> None:
    assert release.name == f"ponars-memo-724-{__version__}"
    files = set(tree(release))
    for name in TABLES:
        assert f"data/{name}.csv" in files and f"parquet/{name}.parquet" in files
        assert f"schemas/{name}.json" in files
    for doc in ("README.md", "CHANGELOG.md", "LICENSE", "CODEBOOK.md", "datapackage.json"):
        assert doc in files
    assert "ponars-memo-724.sqlite" in files
    # Croissant metadata of the tables (tests/test_croissant.py reads it with mlcroissant).
    assert "croissant.json" in files
    # Vendored into Git, the files keep their bytes (no CRLF checkout on Windows).
    assert "* -text" in (release / ".gitattributes").read_text(encoding="utf-8").splitlines()
    # The reliability of the coding ships with it (DATACARD.md, Reliability).
    for name in ("units", "agreement", "alignment", "adjudication"):
        assert {f"reliability/{name}.csv", f"reliability/{name}.schema.json"} <= files
    assert "reliability/datapackage.json" in files
    index = (release / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="../reliability/agreement.csv"' in index
    assert 'href="../croissant.json"' in index
    for page in ("index", "reader", "timeline", "network"):
        assert f"site/{page}.html" in files
    for figure in ("timeline", "network"):
        assert {f"site/figures/{figure}.svg", f"site/figures/{figure}.png"} <= files
    assert (release.parent / f"{release.name}.zip").is_file()
    assert (release.parent / "SHA256SUMS").is_file()


def test_descriptor_hashes_every_file_and_records_provenance(release: Path) -> None:
    import hashlib

    desc = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    listed = {e["path"]: e for e in [*desc["resources"], *desc["files"]]}
    assert set(listed) == set(tree(release)) - {"datapackage.json"}
    for rel, entry in listed.items():
        data = (release / rel).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert desc["build"] == PROVENANCE
    assert desc["version"] == __version__


def test_real_provenance_names_commit_and_tools(source: Layout, tmp_path: Path) -> None:
    import subprocess

    from memo724.publication.release import build_provenance

    folder = write_release(source, tmp_path)
    build = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["build"]
    assert set(build["tools"]) == {"frictionless", "pandera", "pandas", "pyarrow"}
    assert build["tools"]["pyarrow"] == pa.__version__
    # The scratch source is no git checkout: provenance says so rather than guessing.
    assert build["source_commit"] is None and build["source_tree_clean"] is None
    head = subprocess.run(
        ["git", "-C", str(REPO.root), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        pytest.skip("the repository is not a git checkout here")
    repo = build_provenance(REPO.root)
    assert repo["source_commit"] == head.stdout.strip()
    assert isinstance(repo["source_tree_clean"], bool)


def test_rebuild_is_byte_identical(source: Layout, release: Path, tmp_path: Path) -> None:
    again = write_release(source, tmp_path, PROVENANCE)
    assert tree(again) == tree(release)
    zip_name = f"{release.name}.zip"
    assert (tmp_path / zip_name).read_bytes() == (release.parent / zip_name).read_bytes()
    assert (tmp_path / "SHA256SUMS").read_bytes() == (release.parent / "SHA256SUMS").read_bytes()


def test_same_version_is_never_overwritten_with_other_content(
    source: Layout, tmp_path: Path
) -> None:
    work = Layout(tmp_path / "work")
    shutil.copytree(source.root, work.root)
    dist = tmp_path / "dist"
    first = write_release(work, dist, PROVENANCE)
    before = tree(first)
    write_release(work, dist, PROVENANCE)  # identical: accepted, nothing changes
    assert tree(first) == before
    csv = work.table("events")
    csv.write_text(
        csv.read_text(encoding="utf-8").replace("occurred", "reported", 1), encoding="utf-8"
    )
    shutil.rmtree(work.root / "releases")  # even without the snapshot, the folder is protected
    with pytest.raises(DatasetError, match="already released with different content"):
        write_release(work, dist, PROVENANCE)
    assert tree(first) == before
    assert not [p for p in dist.iterdir() if p.name.startswith(".")], "scratch folder left behind"


def test_zip_and_sha256sums_agree_with_the_folder(release: Path) -> None:
    import hashlib

    with zipfile.ZipFile(release.parent / f"{release.name}.zip") as archive:
        names = {n.removeprefix(release.name + "/") for n in archive.namelist()}
        assert names == set(tree(release))
    lines = (release.parent / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ")[1] for line in lines}
    assert listed == {f"{release.name}.zip"} | {f"{release.name}/{rel}" for rel in tree(release)}
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((release.parent / name).read_bytes()).hexdigest() == digest


# -- Parquet -------------------------------------------------------------------------------


def expected_types(field: dict) -> tuple[pa.DataType, str, str]:
    """Arrow type, polars dtype name and DuckDB type for a Table Schema field."""
    ftype = field["type"]
    if ftype == "integer":
        return pa.int64(), "Int64", "BIGINT"
    if ftype == "date":
        return pa.date32(), "Date", "DATE"
    if ftype == "boolean":
        return pa.bool_(), "Boolean", "BOOLEAN"
    if "enum" in field.get("constraints", {}):
        ordered = field.get("categoriesOrdered") is True  # an ordinal scale keeps its order
        return pa.dictionary(pa.int32(), pa.string(), ordered=ordered), "Categorical", "VARCHAR"
    return pa.string(), "String", "VARCHAR"


@pytest.mark.parametrize("name", TABLES)
def test_parquet_types_values_and_metadata(release: Path, contract: Contract, name: str) -> None:
    path = release / "parquet" / f"{name}.parquet"
    schema = contract[name]
    expected = arrow_table(schema, release / "data" / f"{name}.csv")
    stored = pq.read_schema(path)
    assert json.loads(stored.metadata[b"table_schema"]) == schema.descriptor
    for field in schema.fields:
        arrow_t, _, _ = expected_types(field)
        f = stored.field(field["name"])
        assert f.type == arrow_t, field["name"]
        assert f.metadata[b"description"].decode() == field["description"]

    # Every value, read back by each library, equals the CSV's text (read without typed.py).
    cells = csv_cells(release / "data" / f"{name}.csv")
    assert len(expected) == len(cells)

    frame = pd.read_parquet(path, dtype_backend="pyarrow")
    assert list(frame.columns) == schema.field_names
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    assert [[as_text(v) for v in r] for r in rows] == cells

    pframe = pl.read_parquet(path)
    for field in schema.fields:
        assert str(pframe.schema[field["name"]]).startswith(expected_types(field)[1]), field["name"]
    assert [[as_text(v) for v in r] for r in pframe.rows()] == cells

    con = duckdb.connect()
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    assert [(c[0], c[1]) for c in described] == [
        (f["name"], expected_types(f)[2]) for f in schema.fields
    ]
    rows = con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
    assert [[as_text(v) for v in r] for r in rows] == cells


# -- SQLite --------------------------------------------------------------------------------


def test_sqlite_has_every_table_key_and_description(release: Path, contract: Contract) -> None:
    con = sqlite3.connect(release / "ponars-memo-724.sqlite")
    con.execute("PRAGMA foreign_keys = ON")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    for name in TABLES:
        schema = contract[name]
        info = con.execute(f'PRAGMA table_info("{name}")').fetchall()
        assert [c[1] for c in info] == schema.field_names
        assert [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] == schema.primary_key
        fks = {(r[3], r[2], r[4]) for r in con.execute(f'PRAGMA foreign_key_list("{name}")')}
        assert fks == {(fk.field, fk.resource, fk.ref_field) for fk in schema.foreign_keys}
        rows = con.execute(f'SELECT * FROM "{name}"').fetchall()
        booleans = {i for i, f in enumerate(schema.fields) if f["type"] == "boolean"}
        text = [
            [
                as_text(bool(v)) if i in booleans and v is not None else as_text(v)
                for i, v in enumerate(r)
            ]
            for r in rows
        ]
        assert text == csv_cells(release / "data" / f"{name}.csv"), name
        described = dict(
            con.execute("SELECT field_name, description FROM _fields WHERE table_name = ?", (name,))
        )
        assert described == {f["name"]: f["description"] for f in schema.fields}


# -- verify --------------------------------------------------------------------------------


def test_verify_flags_a_changed_byte(release: Path, tmp_path: Path, capsys) -> None:
    vendored = tmp_path / "vendor"
    shutil.copytree(release / "data", vendored / "data")
    shutil.copytree(release / "schemas", vendored / "schemas")
    shutil.copyfile(release / "datapackage.json", vendored / "datapackage.json")
    reference = release / "datapackage.json"
    assert main(["verify", str(vendored), "--against", str(reference)]) == 0
    capsys.readouterr()
    sums = release.parent / "SHA256SUMS"
    assert main(["verify", str(vendored), "--against", str(sums)]) == 0
    # The descriptor, the memo, every table and its schema.
    assert f"verified: {2 + 2 * len(TABLES)} files" in capsys.readouterr().out
    path = vendored / "data" / "actors.csv"
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(bytes(data))
    (vendored / "data" / "risks.csv").unlink()
    schema = vendored / "schemas" / "events.json"
    schema.write_text(
        schema.read_text(encoding="utf-8").replace('"required": true', '"required": false', 1)
    )
    capsys.readouterr()
    assert main(["verify", str(vendored), "--against", str(reference)]) == 1
    err = capsys.readouterr().err
    assert "data/actors.csv" in err and "rule: drifted" in err
    assert "data/risks.csv" in err and "rule: missing" in err
    assert "schemas/events.json" in err  # a weakened contract is drift too
    assert "data/events.csv" not in err
    assert main(["verify", str(vendored), "--against", str(sums)]) == 1
    err = capsys.readouterr().err
    assert "data/actors.csv" in err and "rule: drifted" in err and "data/risks.csv" in err


def test_release_name_follows_the_version() -> None:
    assert release_name("1.2.3") == "ponars-memo-724-1.2.3"


def test_verify_defaults_to_the_installed_release(tmp_path: Path, capsys) -> None:
    vendored = tmp_path / "vendor"
    shutil.copytree(REPO.data, vendored / "data")
    shutil.copytree(REPO.schemas, vendored / "schemas")
    shutil.copyfile(REPO.descriptor, vendored / "datapackage.json")
    assert main(["verify", str(vendored)]) == 0
    # The descriptor, the memo, every table and its schema.
    assert f"verified: {2 + 2 * len(TABLES)} files" in capsys.readouterr().out
    (vendored / "datapackage.json").unlink()
    assert main(["verify", str(vendored)]) == 1
    assert "datapackage.json: the release has this file" in capsys.readouterr().err


def test_the_release_itself_validates(release: Path) -> None:
    from memo724.validation.drift import judge

    # As users check it: `memo724 validate` judges the release against its version's contract.
    assert judge(release) == []


def test_release_command_needs_a_dated_changelog_entry(
    source_copy, tmp_path: Path, capsys, monkeypatch
) -> None:
    import memo724.cli as cli

    layout = source_copy()
    monkeypatch.setattr(cli, "REPO", layout)
    changelog = layout.root / "CHANGELOG.md"
    dated, unreleased = f"## [{__version__}] - 2026-11-25", f"## [{__version__}] - Unreleased"
    # The version in progress may be either; start from Unreleased, then date it.
    top = re.compile(rf"## \[{re.escape(__version__)}\] - [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}")
    text = top.sub(unreleased, changelog.read_text(encoding="utf-8"), count=1)
    assert unreleased in text
    changelog.write_text(text, encoding="utf-8")
    assert main(["release", "--dist", str(tmp_path / "dist")]) == 1
    assert "rule: changelog-entry" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()
    changelog.write_text(text.replace(unreleased, dated), encoding="utf-8")
    assert main(["release", "--dist", str(tmp_path / "dist")]) == 0
    assert (tmp_path / "dist" / f"ponars-memo-724-{__version__}.zip").is_file()
