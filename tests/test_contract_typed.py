"""Typed columns from the Table Schemas (contract/typed.py): each type's lexical form at its
boundary (one past int64, case-only changes of booleans, impossible dates), coded fields in the
schema's order, and the schema a Parquet file carries.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from memo724.contract.errors import DatasetError
from memo724.contract.schema import TableSchema
from memo724.contract.typed import (
    arrow_schema,
    arrow_table,
    arrow_type,
    is_ordinal,
    pandas_dtype,
    parse_column,
    parse_table,
    read_csv_text,
    read_header,
    text_array,
    text_frame,
    to_pandas,
)


def _column(*values: str | None) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(list(values), pa.string())])


def _parse(field: dict, *values: str | None) -> tuple[list, str]:
    typed, rule = parse_column(field, _column(*values))
    return typed.to_pylist(), rule


def test_arrow_types_follow_the_table_schema_type() -> None:
    assert arrow_type({"name": "a", "type": "integer"}) == pa.int64()
    assert arrow_type({"name": "a", "type": "number"}) == pa.float64()
    assert arrow_type({"name": "a", "type": "boolean"}) == pa.bool_()
    assert arrow_type({"name": "a", "type": "date"}) == pa.date32()
    assert arrow_type({"name": "a", "type": "string"}) == pa.string()
    assert arrow_type({"name": "a"}) == pa.string()
    coded = {"name": "a", "constraints": {"enum": ["x"]}}
    assert arrow_type(coded) == pa.dictionary(pa.int32(), pa.string(), ordered=False)
    ordinal = {**coded, "categoriesOrdered": True}
    assert arrow_type(ordinal) == pa.dictionary(pa.int32(), pa.string(), ordered=True)
    with pytest.raises(ValueError, match="field a: no Arrow type for Table Schema type time"):
        arrow_type({"name": "a", "type": "time"})


def test_only_a_literal_true_makes_a_scale_ordinal() -> None:
    assert is_ordinal({"categoriesOrdered": True})
    for value in (False, "true", 1, None):
        assert not is_ordinal({"categoriesOrdered": value})
    assert not is_ordinal({})


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("+7", 7),
        ("-7", -7),
        ("007", 7),
        ("9223372036854775807", 2**63 - 1),
        ("-9223372036854775808", -(2**63)),
    ],
)
def test_integers_in_their_lexical_form_and_range_parse(text: str, value: int) -> None:
    assert _parse({"name": "n", "type": "integer"}, text) == ([value], "type")


@pytest.mark.parametrize(
    "text", ["9223372036854775808", "-9223372036854775809", "1.0", " 1", "1_000", "", "1e3", "+"]
)
def test_integers_out_of_form_or_one_past_int64_do_not(text: str) -> None:
    assert _parse({"name": "n", "type": "integer"}, text) == ([None], "type")


def test_one_integer_past_int64_spoils_only_its_own_cell() -> None:
    got = _parse({"name": "n", "type": "integer"}, "1", "9223372036854775808", None, "+2", "1")
    assert got == ([1, None, None, 2, 1], "type")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1.0),
        ("-1.5", -1.5),
        ("+.5", 0.5),
        ("1.", 1.0),
        ("2e3", 2000.0),
        ("1E-1", 0.1),
        ("INF", float("inf")),
        ("-INF", float("-inf")),
    ],
)
def test_numbers_in_their_lexical_form_parse(text: str, value: float) -> None:
    assert _parse({"name": "x", "type": "number"}, text) == ([value], "type")


@pytest.mark.parametrize("text", ["inf", "nan", "Infinity", "1,5", ".", "e3", "1e", "0x1", " 1"])
def test_numbers_out_of_form_do_not(text: str) -> None:
    assert _parse({"name": "x", "type": "number"}, text) == ([None], "type")


def test_nan_is_a_number() -> None:
    [value], _ = _parse({"name": "x", "type": "number"}, "NaN")
    assert value != value  # NaN


def test_booleans_are_the_table_schema_spellings_only() -> None:
    field = {"name": "b", "type": "boolean"}
    got, rule = _parse(field, "true", "True", "TRUE", "1", "false", "False", "FALSE", "0")
    assert (got, rule) == ([True] * 4 + [False] * 4, "type")
    assert _parse(field, "tRUE", "yes", "2", "", None) == ([None] * 5, "type")


def test_dates_are_calendar_days_in_iso_form() -> None:
    field = {"name": "d", "type": "date"}
    assert _parse(field, "2021-11-01", "2024-02-29") == (
        [date(2021, 11, 1), date(2024, 2, 29)],
        "type",
    )
    # An impossible day spoils only its own cell (Arrow's cast refuses the whole column).
    assert _parse(field, "2021-02-29", "2021-02-28", "2021-13-01", None) == (
        [None, date(2021, 2, 28), None, None],
        "type",
    )
    assert _parse(field, "2021-1-01", "21-01-01", "2021-01-01T00:00", "2021/01/01") == (
        [None] * 4,
        "type",
    )


def test_coded_fields_keep_the_schemas_order_and_case() -> None:
    field = {"name": "c", "constraints": {"enum": ["low", "high"]}, "categoriesOrdered": True}
    typed, rule = parse_column(field, _column("high", "low", "High", None))
    assert rule == "enum"
    assert typed.type == pa.dictionary(pa.int32(), pa.string(), ordered=True)
    assert typed.to_pylist() == ["high", "low", None, None]
    assert typed.chunk(0).dictionary.to_pylist() == ["low", "high"]
    assert typed.chunk(0).indices.to_pylist() == [1, 0, None, None]


def test_text_stays_text() -> None:
    assert _parse({"name": "s", "type": "string"}, "=x", None) == (["=x", None], "type")


def test_a_type_with_no_parser_is_refused() -> None:
    # arrow_type names the field before parse_column could.
    with pytest.raises(ValueError, match="field t: no Arrow type"):
        parse_column({"name": "t", "type": "duration"}, _column("P1D"))


SCHEMA = TableSchema(
    "things",
    {
        "fields": [
            {
                "name": "id",
                "type": "string",
                "description": "The key",
                "constraints": {"required": True},
            },
            {"name": "n", "type": "integer"},
            {
                "name": "level",
                "constraints": {"enum": ["low", "high"]},
                "categoriesOrdered": True,
            },
            {"name": "day", "type": "date"},
        ],
        "primaryKey": ["id"],
        "title": "Tést",
    },
)


def test_parse_table_lists_each_cell_that_does_not_parse_and_keeps_unknown_columns() -> None:
    text = pa.table(
        {
            "n": pa.array(["1", "x", None, "y"], pa.string()),
            "extra": pa.array(["a", "b", "c", "d"], pa.string()),
            "level": pa.array(["low", "mid", "high", None], pa.string()),
            "id": pa.array(["a", "b", "c", "d"], pa.string()),
        }
    )
    typed, unparsed = parse_table(SCHEMA, text)
    assert typed.column_names == ["n", "extra", "level", "id"]  # the CSV's order
    assert typed.schema.field("n").type == pa.int64()
    assert typed.schema.field("extra").type == pa.string()
    assert [(u.field, u.rule, u.rows.tolist(), u.values) for u in unparsed] == [
        ("n", "type", [1, 3], ["x", "y"]),
        ("level", "enum", [1], ["mid"]),
    ]


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "things.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_arrow_table_is_in_the_schemas_order_with_its_metadata(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'day,level,n,id\n2021-11-01,high,1,"a\nb"\n,,,c\n')
    table = arrow_table(SCHEMA, path)
    assert table.column_names == ["id", "n", "level", "day"]
    assert table.to_pylist() == [
        {"id": "a\nb", "n": 1, "level": "high", "day": date(2021, 11, 1)},
        {"id": "c", "n": None, "level": None, "day": None},
    ]
    assert all(column.num_chunks == 1 for column in table.columns)
    schema = table.schema
    assert schema == arrow_schema(SCHEMA)
    assert not schema.field("id").nullable and schema.field("n").nullable
    assert schema.field("id").metadata == {
        b"description": b"The key",
        b"table_schema_type": b"string",
    }
    assert schema.field("level").metadata == {b"description": b"", b"table_schema_type": b"string"}
    assert schema.metadata[b"table_name"] == b"things"
    stored = schema.metadata[b"table_schema"].decode("utf-8")
    assert json.loads(stored) == SCHEMA.descriptor
    assert stored == json.dumps(SCHEMA.descriptor, ensure_ascii=False, sort_keys=True)
    assert "Tést" in stored


def test_arrow_table_refuses_every_cell_that_does_not_parse_as_validate_does(
    tmp_path: Path,
) -> None:
    # A DatasetError, as for a damaged row (README: "load raises memo724.DatasetError"), with
    # one problem per cell in validate's words: a ValueError named only the first cell.
    path = _csv(tmp_path, "id,n,level,day\na,1,low,\nb,x,low,\nc,y,mid,\n")
    with pytest.raises(DatasetError) as caught:
        arrow_table(SCHEMA, path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, row 3, field n: value 'x': must be an integer (rule: type)",
        f"{path}, row 4, field n: value 'y': must be an integer (rule: type)",
        f"{path}, row 4, field level: value 'mid': must be one of ['low', 'high'] (rule: enum)",
    ]


def test_csv_text_is_read_with_empty_cells_missing_and_every_column_text(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'a,b,c\n1,"",x\n,2,"y\nz"\n')
    table = read_csv_text(path)
    assert table.schema == pa.schema([("a", pa.string()), ("b", pa.string()), ("c", pa.string())])
    assert table.to_pylist() == [
        {"a": "1", "b": None, "c": "x"},
        {"a": None, "b": "2", "c": "y\nz"},
    ]
    assert read_csv_text(path.read_bytes()).equals(table)


def test_the_header_is_the_first_record_only(tmp_path: Path) -> None:
    path = _csv(tmp_path, '"a,1",b\n1,2\n')
    assert read_header(path) == ["a,1", "b"]
    assert read_header(path.read_bytes()) == ["a,1", "b"]
    assert read_header(b"") == []
    assert read_header(_csv(tmp_path, "")) == []


def test_a_text_array_keeps_values_and_missing_cells() -> None:
    values = ["a", None, "", "é", None, "x" * 3, None, None, "last"]  # past one validity byte
    array = text_array(values)
    assert array.type == pa.string()
    assert array.to_pylist() == values
    assert array.null_count == 4
    assert text_array([]).to_pylist() == []


def test_pandas_dtypes_are_the_loaders() -> None:
    assert pandas_dtype({"name": "a", "type": "integer"}) == pd.Int64Dtype()
    assert pandas_dtype({"name": "a", "type": "number"}) == pd.Float64Dtype()
    assert pandas_dtype({"name": "a", "type": "boolean"}) == pd.BooleanDtype()
    assert pandas_dtype({"name": "a"}) == pd.StringDtype("pyarrow")
    assert pandas_dtype({"name": "a", "type": "date"}) == pd.ArrowDtype(pa.date32())
    coded = pandas_dtype({"name": "a", "constraints": {"enum": ["b", "a"]}})
    assert coded == pd.CategoricalDtype(["b", "a"], ordered=False)
    assert list(coded.categories) == ["b", "a"] and not coded.ordered
    ordinal = pandas_dtype(
        {"name": "a", "constraints": {"enum": ["b", "a"]}, "categoriesOrdered": True}
    )
    assert ordinal.ordered and list(ordinal.categories) == ["b", "a"]


def test_to_pandas_gives_the_loaders_dtypes(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,n,level,day\na,1,high,2021-11-01\n")
    frame = to_pandas(arrow_table(SCHEMA, path))
    assert frame.dtypes.to_dict() == {
        "id": pd.StringDtype("pyarrow"),
        "n": pd.Int64Dtype(),
        "level": pd.CategoricalDtype(["low", "high"], ordered=True),
        "day": pd.ArrowDtype(pa.date32()),
    }
    assert frame.loc[0, "n"] == 1
    numbers = to_pandas(pa.table({"x": pa.array([1.5], pa.float64()), "b": [True]}))
    assert numbers.dtypes.to_dict() == {"x": pd.Float64Dtype(), "b": pd.BooleanDtype()}


def test_a_text_frame_reads_what_frictionless_sees(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b\nNA,\n1,null\n")
    frame = text_frame(path)
    assert frame.dtypes.to_dict() == {"a": pd.StringDtype(), "b": pd.StringDtype()}
    assert frame["a"].tolist() == ["NA", "1"]  # only the empty cell is missing
    assert frame["b"].isna().tolist() == [True, False]
    assert frame.loc[1, "b"] == "null"


def test_int64s_bounds_hold_in_a_column_that_also_overflows() -> None:
    # One cell past int64 sends the column through the per-value parser: its bounds are int64's.
    field = {"name": "n", "type": "integer"}
    got = _parse(field, "9223372036854775808", "9223372036854775807", "-9223372036854775808",
                 "-9223372036854775809", "1000", "-1000", "126", "-127")  # fmt: skip
    assert got == (
        [None, 2**63 - 1, -(2**63), None, 1000, -1000, 126, -127],
        "type",
    )


def test_a_column_of_impossible_dates_only_is_still_a_date_column() -> None:
    typed, rule = parse_column({"name": "d", "type": "date"}, _column("2021-02-30", None))
    assert (typed.type, typed.to_pylist(), rule) == (pa.date32(), [None, None], "type")
    typed, _ = parse_column({"name": "n", "type": "integer"}, _column("99999999999999999999"))
    assert (typed.type, typed.to_pylist()) == (pa.int64(), [None])


def test_each_parquet_field_records_its_table_schema_type() -> None:
    schema = arrow_schema(SCHEMA)
    types = {f.name: f.metadata[b"table_schema_type"] for f in schema}
    assert types == {"id": b"string", "n": b"integer", "level": b"string", "day": b"date"}


def test_a_field_without_a_type_is_text() -> None:
    assert _parse({"name": "s"}, "=x", "1", None) == (["=x", "1", None], "type")


def test_only_empty_cells_are_missing_whatever_other_readers_call_missing(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, 'a,b,c\nNA,null,""\nN/A,NaN,\n')
    assert read_csv_text(path).to_pydict() == {
        "a": ["NA", "N/A"],
        "b": ["null", "NaN"],
        "c": [None, None],
    }


def test_a_header_keeps_the_line_breaks_inside_its_quotes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b'"a\r\nb",c\r\n1,2\r\n')
    assert read_header(path) == ["a\r\nb", "c"]
    assert read_header(path.read_bytes()) == ["a\r\nb", "c"]


def test_an_empty_coded_column_is_still_coded() -> None:
    field = {"name": "c", "constraints": {"enum": ["low", "high"]}}
    typed, rule = parse_column(field, pa.chunked_array([], type=pa.string()))
    assert (typed.type, len(typed), rule) == (arrow_type(field), 0, "enum")


def test_line_breaks_in_quoted_cells_are_read_across_read_blocks(tmp_path: Path) -> None:
    """pyarrow reads a CSV in blocks of about 1 MiB: a block must never end inside a quote."""
    rows = 150_000  # about 1.6 MB: more than one block
    path = _csv(tmp_path, "a,b\n" + '"x\ny",1\n' * rows)
    table = read_csv_text(path)
    assert table.num_rows == rows
    assert set(table.column("a").to_pylist()) == {"x\ny"}
