"""Typed columns from the Table Schemas: one conversion for Parquet, SQLite, the loader and the
validator.

Integers become int64, numbers float64, booleans bool, dates date32, coded fields (with an enum)
dictionary-encoded strings whose dictionary is the enum in schema order, ordered where the field
declares `"categoriesOrdered": true` (an ordinal scale), other text string.

CSVs are read by pyarrow's CSV reader (on one thread, see `_read`) as text (empty cells
missing, as Table Schema's default `missingValues`), then each column is parsed with whole-column
operations: a regular expression (RE2) for the lexical form, a cast for the value, and Python
only once per distinct value where Arrow has no exact parser (calendar dates: Arrow's strptime
rolls 2021-02-30 over to March). `parse_table` reports every cell that does not parse;
`arrow_table` refuses them.

Why a cell parser of our own beside Frictionless's: Frictionless parses one cell at a time in
Python, which is what makes it minutes slower at a million rows; this one parses whole columns in
Arrow, and tests/test_differential.py holds its verdicts to Frictionless's on random damage.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .csv_rows import first_columns, has_oversized_cell, read_rows
from .errors import DatasetError, Problem
from .files import decode_utf8
from .schema import FALSE_VALUES, TRUE_VALUES, TableSchema


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


def read_header(source: Path | bytes) -> list[str]:
    """The header record of a CSV file, or of CSV bytes already read (only its first record).

    Without a byte order mark, as pyarrow reads the names (the guard of `memo724 validate` names
    the mark); with it, the first column would be a name pyarrow does not have, and untyped."""
    if isinstance(source, bytes):
        lines = io.TextIOWrapper(io.BytesIO(source), encoding="utf-8-sig", newline="")
        return next(csv.reader(lines), [])
    with source.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _read(source: Path | bytes, header: list[str], newlines_in_values: bool) -> pa.Table:
    # One thread: with line breaks allowed in values, row ends are found serially anyway, and
    # the thread pool's hand-offs cost more CPU than the parallel parse saves (measured at 1M
    # rows: 0.36 s of CPU for every table against 0.5-1.7 s threaded, the wall time no
    # longer on a 2-core machine), and fewer blocks are held at once.
    return pacsv.read_csv(
        pa.BufferReader(source) if isinstance(source, bytes) else source,
        read_options=pacsv.ReadOptions(use_threads=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    )


def read_csv_text(source: Path | bytes) -> pa.Table:
    """A CSV (a file, or its bytes already read) as Arrow columns of text, empty cells missing;
    every column stays a string.

    Line breaks are allowed inside quoted values (evidence prefixes and suffixes hold the
    memo's own), which makes pyarrow find row ends serially. Bytes are read in place (no
    copy), so a caller that has read and hashed a file once hands the same bytes here.
    """
    return _read(source, read_header(source), newlines_in_values=True)


def read_table_text(path: Path) -> pa.Table:
    """`read_csv_text` for the readers that do not validate (the loader, the figures): a CSV
    that cannot be read as a table is refused with DatasetError, naming the file and each
    damaged row with the rules and words of `memo724 validate` (csv_rows), never the parser's.

    A damaged row, an oversized cell, a column named twice, an empty file or bytes that are
    not UTF-8 are refused; rows are never dropped, padded or guessed at. An undamaged file is
    read once, as by `read_csv_text`; one pyarrow refuses is read again row by row, as
    `memo724 validate` reads it.
    """
    problems: list[Problem] = []
    refused = False
    try:
        text: pa.Table | None = read_csv_text(path)
    except OSError:
        raise  # the system's (pyarrow's I/O errors are OSErrors too): not the file's content
    except (ValueError, csv.Error, pa.ArrowException):
        text, refused = None, True
    if text is None or has_oversized_cell(text):
        text, problems = read_rows(path.stem, path)
    if refused:
        # The row reader reads past bytes that are not UTF-8 (validate's guard names them).
        _, encoding = decode_utf8(path.read_bytes(), str(path))
        problems += [p for p in encoding if p.rule == "utf-8"]
    if text is not None:
        text, repeated = first_columns(path.stem, text)
        problems += repeated
    if problems:
        # Located by the file as the caller named it: the user may not know which copy was read.
        raise DatasetError([dataclasses.replace(p, where=str(path)) for p in problems])
    assert text is not None  # no header is a problem (readable-csv), raised above
    return text


def text_rows(path: Path) -> list[dict[str, str]]:
    """A CSV's rows as text, in file order, empty cells as "" (read by `read_table_text`, so a
    damaged file is refused by row): for the readers that work on rows, not columns."""
    return [{k: v or "" for k, v in row.items()} for row in read_table_text(path).to_pylist()]


# Lexical forms (Table Schema v2 defaults; stricter than Python's int()/float(), which also take
# surrounding spaces and underscores).
INTEGER = r"[+-]?[0-9]+"
NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|INF|-INF"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


@dataclass(frozen=True)
class Unparsed:
    """Cells of one column that do not parse as the field's type (or are not in its enum)."""

    field: str
    rule: str  # "type" or "enum"
    rows: np.ndarray  # 0-based row positions
    values: list[str]


def unparsed_problems(
    where: str, schema: TableSchema, unparsed: list[Unparsed], validator: str | None = None
) -> list[Problem]:
    """A Problem for each cell that is not of its field's type (rule `type`) or not a code of
    its enum (rule `enum`), in the words of `memo724 validate`; rows count the header as 1."""
    problems = []
    for cells in unparsed:
        if cells.rule == "enum":
            message = f"must be one of {schema.enum(cells.field)}"
        else:
            kind = schema.field(cells.field).get("type", "string")
            message = f"must be {'an' if kind[:1] in tuple('aeiou') else 'a'} {kind}"
        problems += [
            Problem(where, cells.rule, message, row=row + 2, field=cells.field, value=value,
                    validator=validator)
            for row, value in zip(cells.rows.tolist(), cells.values, strict=True)
        ]  # fmt: skip
    return problems


def text_array(values: Sequence[str | None]) -> pa.Array:
    """A string array from its buffers: `pa.array(list)` would import pandas, which the polars
    path of the loader does not need (pyarrow asks pandas whether a list is "array-like")."""
    offsets, data, valid = array("i", [0]), bytearray(), bytearray((len(values) + 7) // 8)
    for i, value in enumerate(values):
        if value is not None:
            data += value.encode("utf-8")
            valid[i // 8] |= 1 << (i % 8)
        offsets.append(len(data))
    nulls = sum(v is None for v in values)
    return pa.Array.from_buffers(
        pa.string(),
        len(values),
        [pa.py_buffer(bytes(valid)), pa.py_buffer(offsets.tobytes()), pa.py_buffer(bytes(data))],
        null_count=nulls,
    )


def _null(typ: pa.DataType) -> pa.Scalar:
    """A typed null; a bare None would go through pyarrow's Python conversion (importing pandas)."""
    return pa.nulls(1, typ)[0]


def _fullmatch(text: pa.ChunkedArray, pattern: str) -> pa.ChunkedArray:
    return pc.match_substring_regex(text, f"^(?:{pattern})$")


def _per_distinct(text: pa.ChunkedArray, parse: Any, typ: pa.DataType) -> pa.ChunkedArray:
    """Parse each distinct value once in Python; None where it does not parse."""
    distinct = pc.unique(text).drop_null()
    parsed = []
    for value in distinct.to_pylist():
        try:
            parsed.append(parse(value))
        except (ValueError, OverflowError):
            parsed.append(None)
    return pc.take(pa.array(parsed, type=typ), pc.index_in(text, value_set=distinct))


def _to_int(value: str) -> int:
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise OverflowError(value)
    return number


def parse_column(field: dict[str, Any], text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, str]:
    """The column typed as the field says; cells that do not parse become null.

    Returns the typed column and the rule a non-null cell that became null breaks.
    """
    ftype = field.get("type", "string")
    target = arrow_type(field)
    if pa.types.is_dictionary(target):
        enum = text_array(field["constraints"]["enum"])
        indices = pc.cast(pc.index_in(text, value_set=enum), pa.int32())
        chunks = [
            pa.DictionaryArray.from_arrays(c, enum, ordered=target.ordered) for c in indices.chunks
        ]
        return pa.chunked_array(chunks, type=target), "enum"
    if ftype == "string":
        return text, "type"
    if ftype == "boolean":
        truth = pc.is_in(text, value_set=text_array(TRUE_VALUES))
        known = pc.or_(truth, pc.is_in(text, value_set=text_array(FALSE_VALUES)))
        return pc.if_else(known, truth, _null(pa.bool_())), "type"
    if ftype == "date":
        valid = pc.if_else(_fullmatch(text, DATE), text, _null(pa.string()))
        try:  # Arrow's own ISO parser: no Python objects (and no pandas import) for valid data
            return pc.cast(valid, pa.date32()), "type"
        except pa.ArrowInvalid:  # an impossible date (2021-02-30): decide per value
            return _per_distinct(valid, date.fromisoformat, pa.date32()), "type"
    pattern = INTEGER if ftype == "integer" else NUMBER
    valid = pc.if_else(_fullmatch(text, pattern), text, _null(pa.string()))
    if ftype == "integer":
        valid = pc.replace_substring_regex(valid, r"^\+", "")
        try:
            return pc.cast(valid, target), "type"
        except (pa.ArrowInvalid, OverflowError):  # beyond int64: decide per value
            return _per_distinct(valid, _to_int, target), "type"
    if ftype == "number":
        return pc.cast(valid, target), "type"
    raise ValueError(f"field {field['name']}: no parser for Table Schema type {ftype}")


def parse_table(schema: TableSchema, text: pa.Table) -> tuple[pa.Table, list[Unparsed]]:
    """Type every column the schema knows (others stay text); list the cells that do not parse.

    Columns keep the CSV's order, so a misplaced or unknown column is still there to report.
    """
    known = {f["name"]: f for f in schema.fields}
    arrays, fields, unparsed = [], [], []
    for name, column in zip(text.column_names, text.columns, strict=True):
        field = known.get(name)
        if field is None:
            arrays.append(column)
            fields.append(pa.field(name, column.type))
            continue
        typed, rule = parse_column(field, column)
        lost = pc.and_(pc.is_null(typed), pc.is_valid(column))
        if pc.any(lost).as_py():
            rows = np.flatnonzero(lost.to_numpy(zero_copy_only=False))
            values = pc.take(column, pa.array(rows)).to_pylist()
            unparsed.append(Unparsed(name, rule, rows, values))
        arrays.append(typed)
        fields.append(pa.field(name, typed.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields)), unparsed


def arrow_table(schema: TableSchema, csv_path: Path) -> pa.Table:
    """The CSV of a valid table, typed by its schema (DatasetError for a damaged CSV)."""
    typed, unparsed = parse_table(schema, read_table_text(csv_path))
    if unparsed:
        raise DatasetError(unparsed_problems(str(csv_path), schema, unparsed))
    target = arrow_schema(schema)
    return pa.Table.from_arrays(
        [typed.column(f["name"]) for f in schema.fields], schema=target
    ).combine_chunks()


# pandas dtypes of the typed columns: what `memo724.load()` returns and the Pandera schemas expect.
def text_frame(path: Path) -> Any:
    """A CSV as text, empty cells as missing: what Frictionless sees, as a pandas DataFrame.

    Read by `read_table_text`, so a damaged CSV is refused by row (pandas would name the line
    in its own words, and pad a short row or rename a repeated column without a word)."""
    import pandas as pd

    string = pd.StringDtype()  # what read_csv(dtype="string") gives
    return read_table_text(path).to_pandas(
        types_mapper=lambda typ: string if typ == pa.string() else None
    )


def pandas_dtype(field: dict[str, Any]) -> Any:
    import pandas as pd

    typ = arrow_type(field)
    if pa.types.is_dictionary(typ):
        return pd.CategoricalDtype(field["constraints"]["enum"], ordered=is_ordinal(field))
    return _pandas_type(typ)  # one mapping for the frames and the schemas that check them


def _pandas_type(typ: pa.DataType) -> Any:
    import pandas as pd

    if pa.types.is_int64(typ):
        return pd.Int64Dtype()
    if pa.types.is_float64(typ):
        return pd.Float64Dtype()
    if pa.types.is_boolean(typ):
        return pd.BooleanDtype()
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return pd.StringDtype("pyarrow")
    if pa.types.is_date32(typ):
        return pd.ArrowDtype(pa.date32())
    return None  # dictionaries become categoricals by default


def to_pandas(table: pa.Table) -> Any:
    """A typed Arrow table as the pandas frame users get (strings stay Arrow-backed)."""
    return table.to_pandas(types_mapper=_pandas_type)
