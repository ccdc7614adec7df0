"""The package-level checks, the derived check shapes and the row-by-row CSV reader, each rule at
its boundary (one past, case-only changes, reordering), on inputs small enough to read.

These run in `make mutation` (MUTATION.md) for every mutant of validation/files.py, checks.py and
structure.py, so they build no package.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa

from memo724.contract.csv_rows import first_columns, has_oversized_cell, read_rows
from memo724.contract.errors import Problem, Rule
from memo724.contract.files import MAX_CELL_CHARS
from memo724.validation.checks import Bound, bound, column_check, filled, row_rule
from memo724.validation.files import fact_problems

# ---- validation/files.py: the descriptor lists the files, each with its bytes and hash ----


def _facts(resource: dict) -> list[str]:
    body = b"abc"
    sha, md5 = hashlib.sha256(body).hexdigest(), hashlib.md5(body).hexdigest()
    return [str(p) for p in fact_problems("t", resource, 3, sha, lambda: md5)]


def test_bytes_and_hash_are_checked_only_when_stated() -> None:
    sha = hashlib.sha256(b"abc").hexdigest()
    assert _facts({}) == []
    assert _facts({"bytes": 3, "hash": f"sha256:{sha}"}) == []
    for stated in (0, 2, 4):  # one under, one past
        assert _facts({"bytes": stated}) == [
            f"t: the descriptor says {stated} bytes; the file has 3 (rule: byte-count) [memo724]"
        ]


def test_a_hash_without_prefix_is_md5_and_other_algorithms_are_refused() -> None:
    sha = hashlib.sha256(b"abc").hexdigest()
    md5 = hashlib.md5(b"abc").hexdigest()
    assert _facts({"hash": md5}) == []  # Table Schema: no prefix means MD5
    assert _facts({"hash": sha}) == []  # a bare sha256 is also the file's
    assert _facts({"hash": f"md5:{md5}"}) == [
        "t: unsupported hash 'md5' (rule: hash-count) [memo724]"
    ]
    assert _facts({"hash": f"SHA256:{sha}"}) == [  # a case-only change is another algorithm
        "t: unsupported hash 'SHA256' (rule: hash-count) [memo724]"
    ]
    assert _facts({"hash": f"sha256:{md5}"}) == [  # an MD5 under the sha256 prefix is wrong
        f"t: the descriptor says sha256 {md5}; the file's is {sha} (rule: hash-count) [memo724]"
    ]
    assert _facts({"hash": sha.upper()}) == [
        f"t: the descriptor says sha256 {sha.upper()}; the file's is {sha} "
        "(rule: hash-count) [memo724]"
    ]


# ---- validation/checks.py: the two shapes of derived check ----


MINIMUM = Rule("minimum")
ORDER = Rule("order")


def test_a_column_check_names_its_rule_and_message() -> None:
    check = column_check(lambda s: s > 0, MINIMUM, "must be at least 1")
    assert check.name == "minimum"
    assert check.error == "minimum: must be at least 1"
    assert bound(check) == Bound(MINIMUM, "must be at least 1")  # the rule travels as itself
    assert getattr(bound(check), "rule", None) is MINIMUM
    assert list(check._check_fn(pd.Series([1, 0]))) == [True, False]


def test_a_row_rule_reports_on_its_field_and_keeps_the_frames_index() -> None:
    check = row_rule(lambda f: f["a"] < f["b"], ORDER, "b", "must follow a", needs=["a", "b"])
    assert check.name == "order"
    assert check.error == "order@b: must follow a"
    assert check.ignore_na is False
    assert bound(check) == Bound(ORDER, "must follow a", "b")
    frame = pd.DataFrame({"a": [1, 5], "b": [2, 3]}, index=[10, 20])
    got = check._check_fn(frame)
    assert list(got) == [True, False] and list(got.index) == [10, 20]
    assert got.dtype == bool
    # A rule written to give 0 and 1 still gives one boolean per row.
    counted = row_rule(lambda f: (f["a"] < f["b"]).astype(int), ORDER, "b", "m", ["a", "b"])
    got = counted._check_fn(frame)
    assert got.dtype == bool and list(got) == [True, False]


def test_a_row_rule_passes_every_row_when_a_column_it_needs_is_missing() -> None:
    check = row_rule(lambda f: f["a"] < f["b"], ORDER, "b", "m", needs=["a", "b"])
    frame = pd.DataFrame({"a": [1, 5]}, index=[3, 4])
    got = check._check_fn(frame)
    assert list(got) == [True, True] and list(got.index) == [3, 4]
    # Any one missing column is enough; the order the columns are named in does not matter.
    check = row_rule(lambda f: f["a"] < f["b"], ORDER, "b", "m", needs=["b", "a"])
    assert list(check._check_fn(pd.DataFrame({"b": [1]}))) == [True]


def test_filled_counts_missing_and_empty_text_alike() -> None:
    series = pd.Series(["x", "", None, " ", "0"], dtype="string")
    assert filled(series).tolist() == [True, False, False, True, True]
    assert filled(pd.Series([1, None, 0], dtype="Int64")).tolist() == [True, False, True]
    assert filled(series).dtype == bool


# ---- contract/csv_rows.py: damaged rows read again and named ----


def _read(text: str) -> tuple[list[dict], list[str]]:
    table, problems = read_rows("t", text.encode("utf-8"), validator="v")
    assert table is not None
    return table.to_pylist(), [str(p) for p in problems]


def test_an_undamaged_table_is_read_as_text_with_empty_cells_missing() -> None:
    rows, problems = _read('a,b\n1,""\n"x,y",\n\n"q""r",z\r\n')
    assert problems == []
    assert rows == [
        {"a": "1", "b": None},
        {"a": "x,y", "b": None},
        {"a": 'q"r', "b": "z"},
    ]


def test_a_row_one_cell_over_or_under_the_header_is_named() -> None:
    rows, problems = _read("a,b\n1,2,3\n4\n5,6\n")
    assert problems == [
        "t, row 2: has 3 cells; the header has 2 (the row is not checked further) "
        "(rule: cell-count) [v]",
        "t, row 3: has 1 cell; the header has 2 (the row is not checked further) "
        "(rule: cell-count) [v]",
    ]
    assert rows == [{"a": "1", "b": "2"}, {"a": "4", "b": None}, {"a": "5", "b": "6"}]


def test_a_record_over_several_lines_says_which_lines() -> None:
    _, problems = _read('a,b\n"1\n2",3,4\nx,y\n5\n')
    assert problems == [
        "t, row 2: has 3 cells; the header has 2 (lines 2-3 of the file) "
        "(the row is not checked further) (rule: cell-count) [v]",
        "t, row 4: has 1 cell; the header has 2 (line 5 of the file) "
        "(the row is not checked further) (rule: cell-count) [v]",
    ]


def test_a_quote_the_file_ends_in_is_named_on_its_field() -> None:
    rows, problems = _read('a,b\n1,"open\nmore\n')
    assert problems == [
        "t, row 2, field b: the quote opened on line 2 is never closed: the file ends inside "
        "it (the row is not checked further) (rule: unclosed-quote) [v]",
        # Reading resumes on the line after the quote's: that line is a row again.
        "t, row 3: has 1 cell; the header has 2 (the row is not checked further) "
        "(rule: cell-count) [v]",
    ]
    assert rows == [{"a": "1", "b": None}, {"a": "more", "b": None}]


def test_a_stray_quote_that_swallows_rows_is_named_and_the_rows_read_again() -> None:
    rows, problems = _read('a,b\n"1,2\n3,4\n5,"6"x\n7,8\n')
    assert problems[0] == (
        "t, row 2, field a: the quote opened on line 2 is never closed: it runs on to line 4, "
        "where a quote is followed by '6'; the rows from line 3 on are read again "
        "(the row is not checked further) (rule: unclosed-quote) [v]"
    )
    assert rows[:3] == [{"a": None, "b": None}, {"a": "3", "b": "4"}, {"a": "5", "b": "6x"}]
    assert rows[-1] == {"a": "7", "b": "8"}


def test_a_quote_closed_and_followed_by_text_on_its_line_is_kept_as_text() -> None:
    rows, problems = _read('a,b\n"x"y,2\n')
    assert problems == [] and rows == [{"a": "xy", "b": "2"}]


def test_a_cell_of_exactly_the_limit_is_read_and_one_more_character_is_not() -> None:
    at = "a" * MAX_CELL_CHARS
    rows, problems = _read(f"a,b\n{at},1\n")
    assert problems == [] and rows[0]["a"] == at
    rows, problems = _read(f"a,b\n{at}a,1\n2,3\n")
    assert problems == [
        f"t, row 2, field a: a cell of {MAX_CELL_CHARS + 1:,} characters, over the limit of "
        f"{MAX_CELL_CHARS:,} a cell may hold; it is not read (the row is not checked further) "
        "(rule: cell-size) [v]"
    ]
    assert rows == [{"a": None, "b": "1"}, {"a": "2", "b": "3"}]


def test_a_quoted_cell_is_measured_with_doubled_quotes_counted_once() -> None:
    at = '""' * 10 + "a" * (MAX_CELL_CHARS - 10)  # exactly the limit once unescaped
    rows, problems = _read(f'a,b\n"{at}",1\n')
    assert problems == [] and len(rows[0]["a"]) == MAX_CELL_CHARS
    rows, problems = _read(f'a,b\n"{at}b",1\n')
    assert len(problems) == 1
    assert f"a cell of {MAX_CELL_CHARS + 1:,} characters," in problems[0]


def test_an_empty_file_has_no_header_and_a_header_only_file_no_rows() -> None:
    table, problems = read_rows("events", b"")
    assert table is None
    assert [str(p) for p in problems] == [
        "data/events.csv: is empty: a table has at least a header row (rule: readable-csv)"
    ]
    table, problems = read_rows("events", b"\xef\xbb\xbfa,b\n")
    assert problems == [] and table is not None
    assert table.column_names == ["a", "b"] and table.num_rows == 0


def test_a_file_read_from_disk_reads_as_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a\n1\n")
    table, problems = read_rows("t", path)
    assert problems == [] and table is not None and table.to_pylist() == [{"a": "1"}]


def test_a_repeated_column_keeps_the_first_and_names_the_repeat() -> None:
    text = pa.table({"a": ["1"], "b": ["2"]})
    assert first_columns("t", text) == (text, [])
    columns = [pa.array(["1"]), pa.array(["2"]), pa.array(["3"])]
    text = pa.Table.from_arrays(columns, ["a", "b", "a"])
    kept, problems = first_columns("t", text, validator="v")
    assert kept.column_names == ["a", "b"] and kept.column("a").to_pylist() == ["1"]
    assert [str(p) for p in problems] == [
        "t, row 1, field a: the header names this column again as column 3; only the first is "
        "checked (rule: duplicate-column) [v]"
    ]


def test_an_oversized_cell_is_found_by_characters_not_bytes() -> None:
    assert not has_oversized_cell(pa.table({"a": ["x" * 10]}))
    assert not has_oversized_cell(pa.table({"a": ["x" * MAX_CELL_CHARS]}))
    assert has_oversized_cell(pa.table({"a": ["x"], "b": ["x" * (MAX_CELL_CHARS + 1)]}))
    # Over the limit in bytes but not in characters (two bytes each): not oversized.
    assert not has_oversized_cell(pa.table({"a": ["é" * MAX_CELL_CHARS]}))
    # Many cells, each short, over the limit together: not oversized.
    assert not has_oversized_cell(pa.table({"a": ["x" * 1000] * 2000}))
    nulls = pa.array([None] * 10, pa.string())
    assert not has_oversized_cell(pa.table({"a": nulls, "b": ["y" * 200_000] * 10}))


def test_problems_are_plain_problems() -> None:
    _, problems = read_rows("t", b"a\n1,2\n")
    assert all(isinstance(p, Problem) for p in problems)
    assert json.dumps([p.rule for p in problems]) == '["cell-count"]'


def test_a_quote_opened_on_the_last_line_without_a_line_end_is_named() -> None:
    rows, problems = _read('a,b\n1,"open')
    assert problems == [
        "t, row 2, field b: the quote opened on line 2 is never closed: the file ends inside "
        "it (the row is not checked further) (rule: unclosed-quote) [v]"
    ]
    assert rows == [{"a": "1", "b": None}]


def test_lines_are_counted_through_quoted_cells_over_lf_crlf_and_cr() -> None:
    # Three line breaks inside the first cell (LF, CRLF, CR): the quote of the third cell
    # opens on line 2 + 3.
    # CRs and CRLFs before and after the record must not count.
    _, problems = _read('a,b,c\r\n"p\nq\r\nr\rs",1,"open\r\nmore,x,y\r\nz,z,z\r\n')
    assert problems[0] == (
        "t, row 2, field c: the quote opened on line 5 is never closed: the file ends inside it "
        "(the row is not checked further) (rule: unclosed-quote) [v]"
    )


def test_a_record_ending_in_a_comma_at_the_end_of_the_file_has_an_empty_last_cell() -> None:
    rows, problems = _read('a,b\n"x"y,')
    assert problems == [] and rows == [{"a": "xy", "b": None}]


def test_text_after_a_closing_quote_is_kept_after_a_comma_inside_the_quotes() -> None:
    rows, problems = _read('a,b\n"x,"y,2\n')
    assert problems == [] and rows == [{"a": "x,y", "b": "2"}]


def test_text_after_a_closing_quote_counts_towards_the_cells_size() -> None:
    inside = "a" * (MAX_CELL_CHARS - 1)
    rows, problems = _read(f'a,b\n"{inside}"b,1\n')  # exactly the limit with the "b"
    assert problems == [] and len(rows[0]["a"]) == MAX_CELL_CHARS
    rows, problems = _read(f'a,b\n"{inside}"bc,1\n')
    assert [p.split("(rule: ")[1] for p in problems] == ["cell-size) [v]"]


def test_doubled_quotes_of_other_cells_do_not_count_towards_a_cells_size() -> None:
    over = "a" * (MAX_CELL_CHARS + 1)
    rows, problems = _read(f'a,b\n"x""y",1\n"{over}","z""w"\n"q""",2\n')
    assert [p.split("(rule: ")[1] for p in problems] == ["cell-size) [v]"]
    assert rows[0] == {"a": 'x"y', "b": "1"} and rows[2] == {"a": 'q"', "b": "2"}


def test_bad_bytes_are_read_as_replacement_characters() -> None:
    table, problems = read_rows("t", b"a,b\n\xff1,2\n")
    assert problems == [] and table is not None
    assert table.to_pylist() == [{"a": "\ufffd1", "b": "2"}]


def test_a_column_of_empty_cells_is_still_text() -> None:
    table, _ = read_rows("t", b"a,b\n1,\n2,\n")
    assert table is not None
    assert table.schema == pa.schema([("a", pa.string()), ("b", pa.string())])
    table, _ = read_rows("t", b'a,b\n"x"y,\n')  # read again by the row reader: the same
    assert table is not None and table.schema.field("b").type == pa.string()


def test_after_a_row_read_again_the_reader_is_still_strict() -> None:
    rows, problems = _read('a,b\n"x"y,1\n2,"open\n')
    assert rows[0] == {"a": "xy", "b": "1"}
    assert [p.split(": ", 1)[0] + " " + p.rsplit("(rule: ", 1)[1] for p in problems] == [
        "t, row 3, field b unclosed-quote) [v]"
    ]


def test_damage_in_the_header_is_on_row_one_and_names_no_field() -> None:
    table, problems = read_rows("t", b'a,"b')
    assert [str(p) for p in problems] == [
        "t, row 1: the quote opened on line 1 is never closed: the file ends inside it "
        "(the row is not checked further) (rule: unclosed-quote)"
    ]
    assert table is not None and table.column_names == ["a", ""]


def test_damage_in_a_cell_past_the_header_names_no_field() -> None:
    _, problems = _read('a,b\n1,2,"open')
    assert problems == [
        "t, row 2: the quote opened on line 2 is never closed: the file ends inside it "
        "(the row is not checked further) (rule: unclosed-quote) [v]",
    ]


def test_a_row_cut_short_by_its_unclosed_quote_is_not_also_a_cell_count_problem() -> None:
    _, problems = _read('a,b\n"open\n')
    assert [p.rsplit("(rule: ", 1)[1] for p in problems] == ["unclosed-quote) [v]"]
    # Other damage does not excuse a wrong number of cells.
    over = "x" * (MAX_CELL_CHARS + 1)
    _, problems = _read(f"a,b\n{over},1,2\n")
    assert [p.rsplit("(rule: ", 1)[1] for p in problems] == ["cell-size) [v]", "cell-count) [v]"]


def test_blank_lines_far_into_a_file_are_skipped_as_near_its_start() -> None:
    long = "x" * (MAX_CELL_CHARS - 10)
    rows, problems = _read(f"a,b\n{long},1\n\n2,3\n\n")
    assert problems == []
    assert rows == [{"a": long, "b": "1"}, {"a": "2", "b": "3"}]


def test_a_header_cell_at_the_limit_counts_its_doubled_quotes_once() -> None:
    at = '""' * 10 + "a" * (MAX_CELL_CHARS - 10)  # the first record of the file, at offset 0
    table, problems = read_rows("t", f'"{at}",b\n1,2\n'.encode())
    assert problems == [] and table is not None
    assert len(table.column_names[0]) == MAX_CELL_CHARS
