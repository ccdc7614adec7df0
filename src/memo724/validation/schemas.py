"""One Pandera schema per table, derived from the Table Schemas: the validator's and the user's.

`derive(contract, "events", context)` returns a `pandera.pandas.DataFrameSchema` that validates
the typed frame `memo724.load("events")` returns (same dtypes: both come from
`contract/typed.py`). The command line parses each CSV with those types, reports every cell that
does not parse, and validates the typed frames with these same schemas.

What a schema checks depends on what it is given:
- always: each field's type (the column dtype), required, unique, enum, pattern, lengths and
  bounds; the primary key; foreign keys into the same table; every date group (the EDTF value's
  bounds and precision, start <= end); evidence's one-record rule;
- with the memo's text: offsets against the memo (passages' text, evidence's exact, prefix and
  suffix; the documents row's hash and length);
- with the other tables: foreign keys into them, spans inside their passage, evidence for every
  record, verbatim fields inside a quoted passage, `names_as_written` from the evidence.

Every check comes from the rule catalogue (catalogue.py): each registered rule builds its checks
for a table from what the contract states, never from the table's name. The rules live by what
they judge: Table Schema's constraints and keys (table_schema.py), the memo and the date groups
(provenance.py), each record's evidence (records.py), the data model's own rules (rules.py);
their whole-column kernels are in columns.py. A rule that needs several columns of a row is a
DataFrame-level check returning one boolean per row, reported on one field (checks.py).

Backend: pandas, chosen by measurement. The polars backend was no faster on this workload (on a
1M-row frame with patterns, enums, bounds and a key, both took 5-6 s under the same load on this
2-core machine: Pandera's per-check bookkeeping dominates, not the kernels), and the pandas
backend validates exactly the frames `memo724.load()` returns by default, so users and the
command line share one schema. The measured end-to-end figures are in BENCHMARKS.md.

Written here rather than with `pandera.io.from_frictionless_schema` because that converter (as
measured for this project) never checks dates, coerces bad booleans to True, fails on nullable
integers and drops foreign keys, `format` and `exclusiveMinimum`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from ..contract import Contract
from ..contract.typed import pandas_dtype
from .catalogue import checks_for, table_schema_rules
from .columns import MemoSlices

# Rules Table Schema states (both validators enforce them); every other rule is provenance.
TABLE_SCHEMA_RULES = table_schema_rules()


@dataclasses.dataclass(frozen=True)
class Text(pandas_engine.STRING):
    """pandas' Arrow-backed string dtype, checked once per column.

    Pandera's own STRING check answers with one boolean per cell and then reshapes the (empty)
    failures, about 5 ms a column whatever its length; the dtype alone decides this, except for
    an object column (a user's own frame), which may hold anything: its cells are checked as
    the plain dtype checks them, so whole numbers there are refused.
    """

    def check(self, pandera_dtype: Any, data_container: Any = None) -> Any:
        if data_container is not None and pd.api.types.is_object_dtype(data_container):
            return super().check(pandera_dtype, data_container)
        return bool(super().check(pandera_dtype, None))


def column_dtype(field: dict[str, Any]) -> Any:
    """The Pandera dtype of a field: the pandas dtype `memo724.load()` gives it."""
    dtype = pandas_dtype(field)
    return Text("pyarrow") if isinstance(dtype, pd.StringDtype) else dtype


class Context:
    """What cross-table checks need: the other typed frames and the memo text, both optional."""

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None = None, memo: str | None = None):
        self.tables = dict(tables or {})
        self.memo = memo
        self.memo_sha256 = (
            None if memo is None else hashlib.sha256(memo.encode("utf-8")).hexdigest()
        )
        self._kept: dict[str, Any] = {}

    def column(self, table: str, field: str) -> pd.Series | None:
        frame = self.tables.get(table)
        if frame is None or field not in frame:
            return None
        return frame[field]

    def slices(self) -> MemoSlices:
        """The memo ready for slice comparisons (call only when `memo` is given)."""
        if self.memo is None:
            raise ValueError("no memo in this context")
        return self.memoized("memo-slices", lambda: MemoSlices(self.memo or ""))

    def forget(self) -> None:
        """Drop what `memoized` kept (the checks already built keep what they use)."""
        self._kept.clear()

    def memoized(self, key: str, make: Callable[[], Any]) -> Any:
        """What `make` gives, computed once per context (shared by the tables it checks)."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]


def derive(contract: Contract, name: str, ctx: Context | None = None) -> pa.DataFrameSchema:
    """The Pandera schema of one table; `ctx` adds the checks that need the memo or other tables."""
    ctx = ctx or Context()
    schema = contract[name]
    rows: list[pa.Check] = []
    extra: dict[str, list[pa.Check]] = {}
    for on, check in checks_for(contract, schema, ctx):
        if on is None:
            rows.append(check)
        else:
            extra.setdefault(on, []).append(check)
    columns = {}
    for field in schema.fields:
        fname = field["name"]
        constraints = field.get("constraints", {})
        columns[fname] = pa.Column(
            column_dtype(field),
            checks=extra.get(fname, []),
            nullable=not constraints.get("required", False),
            unique=bool(constraints.get("unique", False)),
            required=True,
            coerce=False,
        )
    # A one-field key whose field is declared unique is checked once, as that column's rule.
    pk = schema.primary_key
    key_is_unique = len(pk) == 1 and columns[pk[0]].unique
    return pa.DataFrameSchema(
        columns,
        checks=rows,
        strict=True,
        ordered=True,
        unique=None if key_is_unique else pk,
        name=name,
        report_duplicates="all",
    )
