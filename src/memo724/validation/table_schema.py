"""The rules Table Schema states, as checks of the catalogue: constraints and foreign keys.

Each field constraint the contract supports (contract.rules.SUPPORTED_CONSTRAINTS) is one rule
with one column check per field that has it (required and unique are Pandera's column options).
A pattern into which `effective_schema` wrote the spreadsheet-safe rule is checked as two rules,
each reported as itself: the first character (spreadsheet-safe), then the schema's own pattern on
the cells that pass it (so a formula-led cell is reported once, as a formula).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..contract import Contract, TableSchema
from ..contract.rules import SPREADSHEET_MESSAGE, formula_led, unwrap
from .catalogue import SPREADSHEET, Built, register, rule
from .checks import column_check, row_rule
from .columns import arrow, isin, isin_test, matches, text_data


def _constrained(schema: TableSchema, constraint: str) -> list[tuple[dict[str, Any], Any]]:
    """(field, value) of each field that states `constraint`."""
    return [
        (f, f["constraints"][constraint])
        for f in schema.fields
        if constraint in f.get("constraints", {})
    ]


def _enum(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    return [
        (
            f["name"],
            column_check(_one_of(list(values)), rule("enum"), f"must be one of {values}"),
        )
        for f, values in _constrained(schema, "enum")
    ]


register(
    "enum",
    "fields with constraints.enum (the codebook's coded values)",
    "the field",
    "must be one of {enum}",
    kind="table-schema",
)(_enum)


def _one_of(values: list[Any]) -> Callable[[pd.Series], pd.Series]:
    return lambda s: pd.Series(isin(s, values), index=s.index)


def _leads(series: pd.Series) -> np.ndarray:
    led = formula_led(text_data(series))
    return np.asarray(pc.fill_null(led, False).to_numpy(zero_copy_only=False), dtype=bool)


def _pattern(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    """The schema's own pattern, by Arrow (RE2); a formula-led cell is left to spreadsheet-safe.

    The effective schema writes spreadsheet-safe into patterns as a lookahead, which RE2 lacks:
    pandas would match every cell with Python's `re`, the slowest check of a large package.
    `unwrap` takes the lookahead back out, so each rule is one Arrow kernel of its own.
    """
    built: Built = []
    for f, value in _constrained(schema, "pattern"):
        safe, pattern = unwrap(str(value))
        if pattern is not None:
            built.append(
                (
                    f["name"],
                    column_check(
                        _full_match(pattern, safe), rule("pattern"), f"must match {pattern}"
                    ),
                )
            )
        if safe:
            built.append(
                (
                    f["name"],
                    column_check(
                        lambda s: pd.Series(~_leads(s), index=s.index),
                        SPREADSHEET,
                        SPREADSHEET_MESSAGE,
                    ),
                )
            )
    return built


register(
    "pattern",
    "fields with constraints.pattern (the whole value must match, XML Schema style)",
    "the field",
    "must match {pattern}",
    kind="table-schema",
)(_pattern)


def _full_match(pattern: str, spare_formulas: bool) -> Callable[[pd.Series], pd.Series]:
    def test(series: pd.Series) -> pd.Series:
        try:
            ok = matches(series, f"^(?:{pattern})$")
        except pyarrow.ArrowInvalid:  # not RE2 syntax: Python's re
            ok = series.astype("string").str.fullmatch(pattern).fillna(False).to_numpy(bool)
        if spare_formulas and not ok.all():
            ok = ok | _leads(series)  # reported once, by spreadsheet-safe
        return pd.Series(ok, index=series.index)

    return test


def _bound(constraint: str, compare: Callable[[Any, Any], Any], message: str) -> None:
    def build(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
        built: Built = []
        for f, value in _constrained(schema, constraint):
            limit = date.fromisoformat(str(value)) if f.get("type") == "date" else value
            if constraint.endswith("Length"):

                def test(s: pd.Series, n: Any = limit) -> Any:
                    return pd.Series(compare(lengths(s, n), n), index=s.index)

            else:

                def test(s: pd.Series, n: Any = limit) -> Any:
                    return compare(s, n)

            built.append((f["name"], column_check(test, rule(constraint), message.format(value))))
        return built

    register(
        constraint,
        f"fields with constraints.{constraint}",
        "the field",
        message,
        kind="table-schema",
    )(build)


_bound("minLength", lambda a, b: a >= b, "at least {} characters")
_bound("maxLength", lambda a, b: a <= b, "at most {} characters")
_bound("minimum", lambda a, b: a >= b, "must be >= {}")
_bound("maximum", lambda a, b: a <= b, "must be <= {}")


def lengths(series: pd.Series, missing: Any) -> np.ndarray:
    """Each cell's length in code points (a missing cell: `missing`, which the bound passes), by
    Arrow into numpy: pandas' `.str.len()` gave an Arrow-backed column whose comparison Pandera
    then reduced cell by cell through pandas (0.5 s of the 1M-row package)."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # a coded field: each code's length
        codes = series.cat.codes.to_numpy()
        each = lengths(pd.Series(series.cat.categories.astype(str)), missing)
        return np.where(codes >= 0, np.append(each, missing)[codes], missing)
    counted = pc.utf8_length(pc.cast(arrow(series), pyarrow.string()))
    return np.asarray(pc.fill_null(counted, missing).to_numpy(zero_copy_only=False))


def _foreign_keys(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    built: Built = []
    for fk in schema.foreign_keys:
        message = f"must be a {fk.resource}.{fk.ref_field}"
        if fk.resource == schema.name:  # into the same table: the frame itself is the reference

            def inside(frame: pd.DataFrame, f: str = fk.field, r: str = fk.ref_field) -> np.ndarray:
                child = frame[f]
                return child.isna().to_numpy(dtype=bool) | isin(child, frame[r].dropna())

            check = row_rule(
                inside, rule("foreignKey"), fk.field, message, [fk.field, fk.ref_field]
            )
            built.append((None, check))
            continue
        parent = ctx.column(fk.resource, fk.ref_field)
        if parent is not None:
            built.append(
                (fk.field, column_check(isin_test(parent.dropna()), rule("foreignKey"), message))
            )
    return built


register(
    "foreignKey",
    "fields of a foreignKey (one column each); a key into another table when that table is given",
    "the field and the referenced table's key",
    "must be a {resource}.{field}",
    kind="table-schema",
)(_foreign_keys)
