"""Typed columns from the Table Schemas: one conversion for Parquet, SQLite and the loader.

Integers become int64, numbers float64, booleans bool, dates date32, coded fields (with an enum)
dictionary-encoded strings whose dictionary is the enum in schema order, ordered where the field
declares `"categoriesOrdered": true` (an ordinal scale), other text string.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa

from .schema import TRUE_VALUES, TableSchema


def is_ordinal(field: dict) -> bool:
    """Whether a coded field's values form an ordered scale (Table Schema v2 categoriesOrdered)."""
    return field.get("categoriesOrdered") is True


def arrow_type(field: dict) -> pa.DataType:
    ftype = field.get("type", "string")
    if ftype == "integer":
        return pa.int64()
    if ftype == "number":
        return pa.float64()
    if ftype == "boolean":
        return pa.bool_()
    if ftype == "date":
        return pa.date32()
    if "enum" in field.get("constraints", {}):
        return pa.dictionary(pa.int32(), pa.string(), ordered=is_ordinal(field))
    if ftype == "string":
        return pa.string()
    raise ValueError(f"field {field['name']}: no Arrow type for Table Schema type {ftype}")


def arrow_schema(schema: TableSchema) -> pa.Schema:
    fields = []
    for f in schema.fields:
        metadata = {
            "description": f.get("description", ""),
            "table_schema_type": f.get("type", "string"),
        }
        required = f.get("constraints", {}).get("required", False)
        fields.append(pa.field(f["name"], arrow_type(f), nullable=not required, metadata=metadata))
    table_schema = json.dumps(schema.descriptor, ensure_ascii=False, sort_keys=True)
    return pa.schema(fields, metadata={"table_schema": table_schema, "table_name": schema.name})


def read_text_columns(path: Path) -> dict[str, list[str | None]]:
    """A CSV as columns of text, empty cells as None (the Table Schema default missing value)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns: dict[str, list[str | None]] = {name: [] for name in header}
        for row in reader:
            for name, value in zip(header, row, strict=True):
                columns[name].append(value if value != "" else None)
    return columns


def _array(field: dict, values: list[str | None], typ: pa.DataType) -> pa.Array:
    text = pa.array(values, type=pa.string())
    if pa.types.is_dictionary(typ):
        enum = field["constraints"]["enum"]
        index = {v: i for i, v in enumerate(enum)}
        indices = pa.array([None if v is None else index[v] for v in values], type=pa.int32())
        return pa.DictionaryArray.from_arrays(
            indices, pa.array(enum, type=pa.string()), ordered=typ.ordered
        )
    if pa.types.is_boolean(typ):
        return pa.array([None if v is None else v in TRUE_VALUES for v in values], type=pa.bool_())
    return text.cast(typ)


def arrow_table(schema: TableSchema, csv_path: Path) -> pa.Table:
    """The CSV of a valid table, typed by its schema."""
    columns = read_text_columns(csv_path)
    target = arrow_schema(schema)
    arrays = [_array(f, columns[f["name"]], target.field(f["name"]).type) for f in schema.fields]
    return pa.Table.from_arrays(arrays, schema=target)
