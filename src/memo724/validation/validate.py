"""Validating a copy of the package: Frictionless, the derived Pandera schemas, provenance.

Every failure becomes a Problem naming table, row, field, value and rule. Row numbers are CSV
line numbers with the header as line 1, as Frictionless counts them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..contract import TABLES, Contract
from ..contract.errors import Problem
from ..contract.memo import read_memo, sha256_of
from ..contract.paths import Layout
from .pandera_schemas import Context, table_schema

# Pandera's built-in check names, as the Table Schema rule they enforce.
PANDERA_RULES = {
    "not_nullable": "required",
    "field_uniqueness": "unique",
    "multiple_fields_uniqueness": "primaryKey",
    "column_in_dataframe": "missing-column",
    "column_in_schema": "unexpected-column",
    "column_ordered": "column-order",
}


def read_frame(path: Path) -> pd.DataFrame:
    """A CSV as text, empty cells as missing: what Frictionless sees, as a DataFrame."""
    return pd.read_csv(
        path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8"
    )


# Frictionless error types, as the Table Schema rule they enforce (constraint errors name theirs).
FRICTIONLESS_RULES = {
    "type-error": "type",
    "foreign-key": "foreignKey",
    "primary-key": "primaryKey",
    "unique-error": "unique",
    "missing-cell": "required",
}


def frictionless_rule(error: object) -> str:
    kind = str(getattr(error, "type", "error"))
    if kind == "constraint-error":
        match = re.match(r'constraint "(\w+)"', getattr(error, "note", "") or "")
        if match:
            return match.group(1)
    return FRICTIONLESS_RULES.get(kind, kind)


def frictionless_problems(layout: Layout) -> list[Problem]:
    # Imported here: Frictionless is slow to import and only this step needs it.
    from frictionless import Package

    problems = []
    package = Package(str(layout.descriptor))
    report = package.validate()
    for error in report.errors:
        problems.append(
            Problem("datapackage.json", error.type, error.message, validator="frictionless")
        )
    for task in report.tasks:
        for error in task.errors:
            field = getattr(error, "field_name", None)
            fields = getattr(error, "field_names", None) or []
            if field is None and len(fields) == 1:
                field = fields[0]
            problems.append(
                Problem(
                    task.name or task.place,
                    frictionless_rule(error),
                    getattr(error, "note", "") or error.message,
                    row=getattr(error, "row_number", None),
                    field=field,
                    value=getattr(error, "cell", None),
                    validator="frictionless",
                )
            )
    return problems


def load_frames(layout: Layout) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    frames, problems = {}, []
    for name in TABLES:
        path = layout.table(name)
        try:
            frames[name] = read_frame(path)
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            problems.append(Problem(f"data/{name}.csv", "readable-csv", str(exc).splitlines()[0]))
    return frames, problems


def pandera_problems(
    layout: Layout, contract: Contract, frames: dict[str, pd.DataFrame]
) -> list[Problem]:
    memo = read_memo(layout.memo)
    ctx = Context(frames, memo, sha256_of(layout.memo))
    problems = []
    for name in TABLES:
        if name not in frames:
            continue
        schema = table_schema(contract[name], ctx, contract)
        try:
            schema.validate(frames[name], lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += _pandera_failures(name, exc.failure_cases)
    return problems


def _pandera_failures(table: str, cases: pd.DataFrame) -> list[Problem]:
    problems = []
    for case in cases.to_dict("records"):
        check = str(case["check"])
        rule, _, message = check.partition(": ")
        rule = PANDERA_RULES.get(rule, rule)
        message = message or f"fails {rule}"
        index = case.get("index")
        row = None if index is None or pd.isna(index) else int(index) + 2
        column = case.get("column")
        field = None if column is None or pd.isna(column) else str(column)
        value = case.get("failure_case")
        value = (
            None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        )
        if rule == "primaryKey" and row is not None:
            value = None
        if rule in ("missing-column", "unexpected-column", "column-order"):
            field, value = value, None  # Pandera names the table as the column here
        problems.append(
            Problem(table, rule, message, row=row, field=field, value=value, validator="pandera")
        )
    return problems


def validate_package(layout: Layout) -> list[Problem]:
    """All problems of the copy at layout.root; an empty list means valid."""
    if not layout.descriptor.is_file():
        return [Problem(str(layout.descriptor), "descriptor", "no datapackage.json here")]
    try:
        json.loads(layout.descriptor.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        return [Problem("datapackage.json", "descriptor", f"not readable JSON: {exc}")]
    try:
        contract = Contract(layout.schemas)
    except (OSError, ValueError, KeyError) as exc:
        return [Problem("schemas/", "table-schema", f"cannot read the Table Schemas: {exc}")]
    problems = frictionless_problems(layout)
    frames, read_problems = load_frames(layout)
    problems += read_problems
    if layout.memo.is_file():
        problems += pandera_problems(layout, contract, frames)
    else:
        problems.append(Problem(f"data/{layout.memo.name}", "memo", "the memo file is missing"))
    order = {name: i for i, name in enumerate(("datapackage.json", "memo", *TABLES))}
    problems.sort(
        key=lambda p: (order.get(p.where, 99), p.row or 0, p.field or "", p.validator or "")
    )
    return problems
