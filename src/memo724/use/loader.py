"""Load the tables as typed DataFrames: `load("events")`, `load_all()`, or `engine="polars"`.

The data ships inside the wheel (memo724/package/); from a source checkout the repository's own
files are used. Types come from the Table Schemas: nullable integers (Int64), dates
(date32[pyarrow]), categoricals for coded fields (categories = the codebook's values in schema
order), booleans (boolean) and strings (string).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from ..contract import TABLES, Contract
from ..contract.memo import read_memo
from ..contract.paths import REPO, Layout
from ..contract.typed import arrow_table

Engine = Literal["pandas", "polars"]


def package_layout() -> Layout:
    """Where this installation's copy of the package lives."""
    bundled = resources.files("memo724") / "package"
    if bundled.is_dir() and (bundled / "datapackage.json").is_file():
        return Layout(Path(str(bundled)))
    return REPO


def _pandas_type(typ: pa.DataType) -> Any:
    if pa.types.is_int64(typ):
        return pd.Int64Dtype()
    if pa.types.is_float64(typ):
        return pd.Float64Dtype()
    if pa.types.is_boolean(typ):
        return pd.BooleanDtype()
    if pa.types.is_string(typ):
        return pd.StringDtype()
    if pa.types.is_date32(typ):
        return pd.ArrowDtype(pa.date32())
    return None  # dictionaries become categoricals by default


def load_arrow(table: str, layout: Layout | None = None) -> pa.Table:
    layout = layout or package_layout()
    if table not in TABLES:
        raise KeyError(f"no table {table!r}; the tables are {', '.join(TABLES)}")
    return arrow_table(Contract(layout.schemas)[table], layout.table(table))


def load(table: str, engine: Engine = "pandas", layout: Layout | None = None) -> Any:
    """One table as a typed pandas (default) or polars DataFrame."""
    data = load_arrow(table, layout)
    if engine == "polars":
        import polars as pl

        return pl.from_arrow(data)
    if engine != "pandas":
        raise ValueError(f"engine must be 'pandas' or 'polars', not {engine!r}")
    return data.to_pandas(types_mapper=_pandas_type)


def load_all(engine: Engine = "pandas", layout: Layout | None = None) -> dict[str, Any]:
    """Every table, keyed by name, in the package's order."""
    return {name: load(name, engine, layout) for name in TABLES}


def memo_text(layout: Layout | None = None) -> str:
    """The memo exactly as shipped: evidence offsets index into this string."""
    return read_memo((layout or package_layout()).memo)
