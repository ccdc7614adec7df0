"""`load()` gives typed frames whose keys join; the wheel carries the data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import memo724
from memo724.contract import TABLES, Contract
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import text_frame as read_frame


def expected_dtype(field: dict) -> object:
    ftype = field["type"]
    enum = field.get("constraints", {}).get("enum")
    if ftype == "integer":
        return pd.Int64Dtype()
    if ftype == "date":
        return pd.ArrowDtype(pa.date32())
    if ftype == "boolean":
        return pd.BooleanDtype()
    if enum:
        return pd.CategoricalDtype(enum, ordered=field.get("categoriesOrdered") is True)
    return pd.StringDtype("pyarrow")


@pytest.mark.parametrize("name", TABLES)
def test_load_types_and_shape(pristine: Layout, contract: Contract, name: str) -> None:
    frame = memo724.load(name, layout=pristine)
    text = read_frame(pristine.table(name))
    assert frame.shape == text.shape
    for field in contract[name].fields:
        assert frame[field["name"]].dtype == expected_dtype(field), field["name"]
    # Same cells as the CSV, once typed back to text.
    as_text = frame.astype("string").astype(object).where(frame.notna(), None)
    assert as_text.to_dict("list") == text.astype(object).where(text.notna(), None).to_dict("list")


def test_load_all_and_joins_along_foreign_keys(pristine: Layout, contract: Contract) -> None:
    tables = memo724.load_all(layout=pristine)
    assert list(tables) == list(TABLES)
    for name in TABLES:
        for fk in contract[name].foreign_keys:
            child = tables[name].dropna(subset=[fk.field])
            parent = tables[fk.resource][[fk.ref_field]]
            joined = child.merge(
                parent, left_on=fk.field, right_on=fk.ref_field, how="left", indicator=True
            )
            assert (joined["_merge"] == "both").all(), f"{name}.{fk.field} -> {fk.resource}"
    events = tables["events"].merge(tables["event_participants"], on="event_id")
    assert len(events) == len(tables["event_participants"])


def test_evidence_offsets_index_the_memo(pristine: Layout) -> None:
    text = memo724.memo_text(pristine)
    ev = memo724.load("evidence", layout=pristine)
    assert all(text[s:e] == x for s, e, x in zip(ev["start"], ev["end"], ev["exact"], strict=True))


def test_polars_engine(pristine: Layout, contract: Contract) -> None:
    events = memo724.load("events", engine="polars", layout=pristine)
    assert isinstance(events, pl.DataFrame)
    assert events.schema["date_start"] == pl.Date
    assert events.schema["event_type"] == pl.Enum(contract["events"].enum("event_type"))
    risks = memo724.load("risks", engine="polars", layout=pristine)
    bands = contract["risks"].enum("likelihood")
    assert risks.schema["likelihood"] == pl.Enum(bands)
    # An Enum compares by the scale's order, not alphabetically.
    likely = risks.filter(pl.col("likelihood") >= "likely")["likelihood"].to_list()
    assert set(likely) <= set(bands[bands.index("likely") :])
    passages = memo724.load("passages", engine="polars", layout=pristine)
    assert passages.schema["ordinal"] == pl.Int64


def test_unknown_table_and_engine() -> None:
    with pytest.raises(KeyError, match="no table 'nope'"):
        memo724.load("nope")
    with pytest.raises(ValueError, match="engine"):
        memo724.load("events", engine="spark")  # type: ignore[arg-type]


def test_wheel_ships_the_data_and_loads_from_it(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in TABLES:
        assert f"memo724/package/data/{name}.csv" in names
    assert "memo724/package/data/ponars-policy-memo-724.txt" in names
    assert "memo724/package/datapackage.json" in names
    assert {"memo724/package/DATACARD.md", "memo724/package/CITATION.cff"} <= names
    script = (
        "import memo724, memo724.use.loader as l; "
        "print(l.package_layout().root); print(memo724.load('events').shape[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert out[0].startswith(str(tmp_path / "site" / "memo724" / "package"))
    assert int(out[1]) == len(read_frame(root / "data" / "events.csv"))
    # The installed command validates the copy it ships with.
    check = subprocess.run(
        [sys.executable, "-m", "memo724.cli", "validate"],
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert "memo724/package" in check.stdout


def test_load_reads_a_vendored_copy_with_the_bundled_types(tmp_path: Path) -> None:
    """`path=` reads another copy (a vendored one, here with one row fewer) with the same dtypes."""
    import memo724

    copy = tmp_path / "vendor" / "ponars-memo-724"
    shutil.copytree(REPO.data, copy / "data")
    shutil.copytree(REPO.schemas, copy / "schemas")
    shutil.copyfile(REPO.descriptor, copy / "datapackage.json")
    events_csv = copy / "data" / "events.csv"
    lines = events_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    events_csv.write_text("".join(lines[:-1]), encoding="utf-8")
    bundled = memo724.load("events")
    theirs = memo724.load("events", path=str(copy))
    assert len(theirs) == len(bundled) - 1
    assert theirs.dtypes.to_dict() == bundled.dtypes.to_dict()
    assert memo724.load("events", path=copy / "datapackage.json").shape == theirs.shape
    assert set(memo724.load_all(path=copy)) == set(memo724.tables())
    assert memo724.memo_text(path=copy) == memo724.memo_text()
    assert len(memo724.describe("events", path=copy)) == len(bundled.columns)
    first = theirs["event_id"].iloc[0]
    assert len(memo724.evidence("events", first, path=copy)) >= 1


def test_load_from_a_folder_that_is_no_copy_says_so_in_one_line(tmp_path: Path) -> None:
    import memo724

    with pytest.raises(FileNotFoundError, match="no such folder"):
        memo724.load("events", path=tmp_path / "missing")
    (tmp_path / "data").mkdir()
    with pytest.raises(FileNotFoundError, match=r"datapackage\.json, schemas/ missing"):
        memo724.load("events", path=tmp_path)
