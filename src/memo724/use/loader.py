"""Load the tables as typed DataFrames: `load("events")`, `load_all()`, or `engine="polars"`.

The data ships inside the wheel (memo724/package/); from a source checkout the repository's own
files are used. Types come from the Table Schemas (through contract.typed, the one conversion
shared with Parquet and SQLite): nullable integers (Int64), dates (date32[pyarrow]), categoricals
for coded fields (categories = the codebook's values in schema order, ordered where the schema
marks the scale ordinal with `categoriesOrdered`), booleans (boolean) and strings (string).
With polars, coded fields are `pl.Enum` with the same categories in the same order.

`path=` reads another copy of the package instead of the installed one, with the same types: a
vendored copy or an unzipped release (a folder holding `datapackage.json`, `data/` and
`schemas/`), or its `datapackage.json`. Its own schemas type its columns.

Every pandas frame carries its table's documentation in `DataFrame.attrs`: `table`,
`description`, `primary_key` and `descriptions` (field name -> description). The Arrow table of
`load_arrow` carries the same in its schema metadata (per field: `description`).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..contract import Contract, TableSchema
from ..contract.memo import read_memo
from ..contract.paths import REPO, Layout

if TYPE_CHECKING:  # imported where used: `import memo724` costs neither pandas nor pyarrow
    import pyarrow as pa

Engine = Literal["pandas", "polars"]
PathLike = str | os.PathLike[str]


def package_layout() -> Layout:
    """Where this installation's copy of the package lives."""
    bundled = resources.files("memo724") / "package"
    if bundled.is_dir() and (bundled / "datapackage.json").is_file():
        return Layout(Path(str(bundled)))
    return REPO


def copy_layout(path: PathLike) -> Layout:
    """The copy of the package at `path`: its folder or its datapackage.json.

    Raises FileNotFoundError, in one line, when there is no package there.
    """
    folder = Path(path).expanduser()
    if folder.is_file() and folder.name == "datapackage.json":
        folder = folder.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder (a copy of the package was expected)")
    layout = Layout(folder)
    missing = [
        name
        for name, place in (("datapackage.json", layout.descriptor), ("schemas/", layout.schemas))
        if not place.exists()
    ]
    if missing or not layout.data.is_dir():
        missing += [] if layout.data.is_dir() else ["data/"]
        raise FileNotFoundError(
            f"{folder} holds no copy of the package: {', '.join(missing)} missing "
            "(give the folder of a vendored copy or an unzipped release)"
        )
    return layout


def resolve(layout: Layout | None = None, path: PathLike | None = None) -> Layout:
    """The copy to read: `path` (a user's copy), else `layout`, else the installed one."""
    if path is not None:
        return copy_layout(path)
    return layout or package_layout()


def table_schema(table: str, layout: Layout | None = None) -> TableSchema:
    """The Table Schema of one table of this installation's copy (KeyError naming the tables)."""
    contract = Contract((layout or package_layout()).schemas)
    if table not in contract.tables:
        raise KeyError(f"no table {table!r}; the tables are {', '.join(contract.tables)}")
    return contract[table]


def load_arrow(
    table: str, layout: Layout | None = None, *, path: PathLike | None = None
) -> pa.Table:
    """One table as a typed Arrow table; field descriptions are in its schema metadata."""
    from ..contract.typed import arrow_table

    layout = resolve(layout, path)
    return arrow_table(table_schema(table, layout), layout.table(table))


def frame_attrs(schema: TableSchema) -> dict[str, Any]:
    """The documentation a pandas frame of this table carries in `DataFrame.attrs`."""
    return {
        "table": schema.name,
        "description": schema.descriptor.get("description", ""),
        "primary_key": schema.primary_key,
        "descriptions": {f["name"]: f.get("description", "") for f in schema.fields},
    }


def to_polars(data: pa.Table, schema: TableSchema) -> Any:
    """A typed Arrow table as a polars DataFrame, coded fields as `pl.Enum` of the schema's enum."""
    try:
        import polars as pl
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "engine='polars' needs polars: pip install 'ponars-memo-724[polars]'",
            name="polars",
        ) from error
    frame = pl.DataFrame(pl.from_arrow(data))
    enums = [pl.col(n).cast(pl.Enum(schema.enum(n))) for n in schema.field_names if schema.enum(n)]
    return frame.with_columns(enums)


def load(
    table: str,
    engine: Engine = "pandas",
    layout: Layout | None = None,
    *,
    path: PathLike | None = None,
) -> Any:
    """One table as a typed pandas (default) or polars DataFrame; `path=` reads another copy."""
    if engine not in ("pandas", "polars"):
        raise ValueError(f"engine must be 'pandas' or 'polars', not {engine!r}")
    layout = resolve(layout, path)
    schema = table_schema(table, layout)
    data = load_arrow(table, layout)
    if engine == "polars":
        return to_polars(data, schema)
    from ..contract.typed import to_pandas

    frame = to_pandas(data)
    frame.attrs.update(frame_attrs(schema))
    return frame


def load_all(
    engine: Engine = "pandas", layout: Layout | None = None, *, path: PathLike | None = None
) -> dict[str, Any]:
    """Every table, keyed by name, in the package's order; `path=` reads another copy."""
    layout = resolve(layout, path)
    names = Contract(layout.schemas).tables
    return {name: load(name, engine, layout) for name in names}


def memo_text(layout: Layout | None = None, *, path: PathLike | None = None) -> str:
    """The memo exactly as shipped: evidence offsets index into this string."""
    return read_memo(resolve(layout, path).memo)
