"""Slices of the memo compared with a column (validation/columns.py's MemoSlices), at the UTF-8
width boundaries. Written to kill a mutant `make mutation` found surviving (MUTATION.md): no
memo in the tests held a character of exactly U+10000, the first one four bytes wide.
"""

from __future__ import annotations

import random
import warnings

import numpy as np
import pandas as pd
import pyarrow
import pytest

from memo724.contract import NAME_SEPARATOR
from memo724.validation.columns import (
    MemoSlices,
    arrow,
    ints,
    isin,
    isin_test,
    matches,
    per_distinct,
    positions,
    texts,
)
from memo724.validation.records import _joined_by_record


def test_slices_are_compared_at_every_utf8_width_boundary() -> None:
    # the first character of each UTF-8 width, and the last one of each narrower width
    chars = ["\x7f", "\x80", "\u07ff", "\u0800", "\uffff", "\U00010000", "\U0010ffff"]
    memo = "".join(chars)
    slices = MemoSlices(memo)
    start = np.arange(len(chars), dtype=np.int64)
    column = pd.Series(chars, dtype="string[pyarrow]")
    assert slices.equal(start, start + 1, column).tolist() == [True] * len(chars)
    # each slice differs from the next character
    shifted = pd.Series([*chars[1:], chars[0]], dtype="string[pyarrow]")
    assert slices.equal(start, start + 1, shifted).tolist() == [False] * len(chars)
    # a slice across them all, and one clipped at the memo's end
    whole = pd.Series([memo, chars[-1]], dtype="string[pyarrow]")
    ends = np.array([len(chars), len(chars) + 5], dtype=np.int64)
    assert slices.equal(np.array([0, len(chars) - 1]), ends, whole).tolist() == [True, True]


def test_positions_of_text_cells_among_unique_keys() -> None:
    keys = pd.Series(["a", "b", "c"], dtype="string[pyarrow]")
    cells = pd.Series(["c", "x", None, "a"], dtype="string[pyarrow]")
    found = positions(cells, keys)
    assert found.dtype == np.int64
    assert found.tolist() == [2, -1, -1, 0]
    # other types take pandas' form, with the same answer
    assert positions(pd.Series([3, 9, 1]), pd.Series([1, 2, 3])).tolist() == [2, -1, 0]


def test_a_coded_column_is_read_as_its_text() -> None:
    coded = pd.Series(["ab", None, "cd", "ab"], dtype="category")
    assert arrow(coded).to_pylist() == ["ab", None, "cd", "ab"]
    assert matches(coded, "^a").tolist() == [True, False, False, True]
    assert isin(coded, ["cd"]).tolist() == [False, False, True, False]


def test_an_empty_column_is_in_nothing_whatever_its_type() -> None:
    # an empty object column has no Arrow type to compare the values with
    assert isin(pd.Series([], dtype=object), ["a"]).tolist() == []
    assert isin(pd.Series([], dtype="string[pyarrow]"), ["a"]).tolist() == []


def _large(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.arrays.ArrowExtensionArray(pyarrow.array(values, pyarrow.large_string())))


def _small(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.arrays.ArrowExtensionArray(pyarrow.array(values, pyarrow.string())))


def test_positions_of_large_string_cells_take_the_arrow_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The typed reader gives big columns large_string: they were looked up by pandas, one Python
    # string per cell (3 s of a 10M-row validate). Either text type, or a mix, is looked up by
    # Arrow, with the same answer.
    def no_pandas(*args: object, **kwargs: object) -> None:
        raise AssertionError("looked up by pandas")

    monkeypatch.setattr(pd.Index, "get_indexer", no_pandas)
    small = pd.Series(["a", "b", "c"], dtype="string[pyarrow]")
    cells = ["c", "x", None, "a"]
    assert positions(_large(cells), _large(["a", "b", "c"])).tolist() == [2, -1, -1, 0]
    assert positions(_large(cells), small).tolist() == [2, -1, -1, 0]
    # pandas 3 holds string[pyarrow] as large_string too, so the mix of the two Arrow text
    # types is also built from Arrow arrays of each: the keys are cast to the cells' type.
    assert positions(_small(cells), _large(["a", "b", "c"])).tolist() == [2, -1, -1, 0]
    assert positions(_large(cells), _small(["a", "b", "c"])).tolist() == [2, -1, -1, 0]
    assert positions(
        pd.Series(cells, dtype="string[pyarrow]"), _large(["a", "b", "c"])
    ).tolist() == [
        2,
        -1,
        -1,
        0,
    ]


def test_quotes_are_joined_per_record_in_the_order_given() -> None:
    # names-from-evidence's expected name forms: each record once (first seen first), its quotes
    # in the evidence's order, whichever Arrow text type the columns hold.
    records = _large(["b", "a", "b", "c", "a"])
    quotes = pd.Series(["y1", "x1", "y2", "z", "x2"], dtype="string[pyarrow]")
    keys, joined = _joined_by_record(records, quotes)
    assert keys.tolist() == ["b", "a", "c"]
    assert joined.to_pylist() == ["y1 | y2", "x1 | x2", "z"]
    keys, joined = _joined_by_record(records[:0], quotes[:0])
    assert keys.tolist() == [] and joined.to_pylist() == []


def test_many_quotes_of_each_record_keep_the_evidences_order() -> None:
    # On more than a handful of rows numpy's default sort is not stable: grouping the quotes
    # by record keeps their order only because a stable sort is asked for.
    rng = random.Random(7)
    records = [f"r{rng.randrange(20)}" for _ in range(2000)]
    quotes = [f"q{i}" for i in range(2000)]
    keys, joined = _joined_by_record(
        pd.Series(records, dtype="string[pyarrow]"), pd.Series(quotes, dtype="string[pyarrow]")
    )
    expected: dict[str, list[str]] = {}
    for record, quote in zip(records, quotes, strict=True):
        expected.setdefault(record, []).append(quote)
    assert keys.tolist() == list(expected)
    assert joined.to_pylist() == [NAME_SEPARATOR.join(q) for q in expected.values()]


@pytest.mark.parametrize("memo", ["abc", "a\u00e9c"])  # ASCII (a byte a character) or not
def test_a_slice_past_the_memos_end_or_ending_before_its_start_is_empty(memo: str) -> None:
    # As Python slices: memo[5:7] and memo[2:1] are '' (offsets a broken row may hold).
    slices = MemoSlices(memo)
    start, end = np.array([5, 2, 1], dtype=np.int64), np.array([7, 1, 3], dtype=np.int64)
    column = pd.Series(["", "", memo[1:3]], dtype="string[pyarrow]")
    assert slices.equal(start, end, column).tolist() == [True, True, True]
    other = pd.Series(["c", "b", "x"], dtype="string[pyarrow]")
    assert slices.equal(start, end, other).tolist() == [False, False, False]


def test_a_coded_columns_matches_are_a_bool_array_a_check_can_invert() -> None:
    # A mask of numpy bools, as for a text column: in an object array of Python bools, ~True
    # is -2 and a check's mask would no longer be a mask.
    coded = pd.Series(["ab", None, "cd"], dtype="category")
    found = matches(coded, "^a")
    assert found.dtype == np.bool_
    assert (~found).tolist() == [False, True, True]


def test_values_of_another_type_are_compared_as_the_cells_type() -> None:
    # A text column keyed into a column of whole numbers: the numbers are cast to text first
    # (Arrow's is_in refuses a value set of int64 for string cells).
    cells = pd.Series(["1", "x", None, "2"], dtype="string[pyarrow]")
    assert isin(cells, pd.Series([1, 2], dtype="Int64")).tolist() == [True, False, False, True]
    assert isin(cells, [2]).tolist() == [False, False, False, True]


def test_text_cells_among_keys_of_numbers_are_looked_up_as_pandas_does() -> None:
    # Only text among text takes the Arrow lookup; otherwise no cast: the text '1' is not the
    # number 1, as in pd.Index(keys).get_indexer(cells).
    text = pd.Series(["1", "x", None], dtype="string[pyarrow]")
    assert positions(text, pd.Series([1, 2])).tolist() == [-1, -1, -1]
    numbers = pd.Series([1, 5])
    assert positions(numbers, pd.Series(["1", "5"], dtype="string[pyarrow]")).tolist() == [-1, -1]


def test_a_missing_cell_matches_no_pattern() -> None:
    for dtype in ("string[pyarrow]", object):
        assert matches(pd.Series(["a", None, "b"], dtype=dtype), "^a|^$").tolist() == [
            True,
            False,
            False,
        ]


def test_slices_over_more_than_a_block_of_text_are_each_compared_with_their_own_cell() -> None:
    # The rows are compared in blocks of about 1 MiB of gathered text (to bound memory): each
    # block's slices against the same block of the column.
    size = 1 << 20
    memo = "a" * size + "b" * 10
    slices = MemoSlices(memo)
    # blocks of rows [0], [1] and [2, 3, 4]: the text passes 1 MiB in row 1, 2 MiB in row 2
    start = np.array([0, size - 3, 0, 2, size + 5], dtype=np.int64)
    end = np.array([size - 3, size + 3, size, 5, size + 10], dtype=np.int64)
    column = pd.Series(
        [memo[s:e] for s, e in zip(start, end, strict=True)], dtype="string[pyarrow]"
    )
    assert slices.equal(start, end, column).tolist() == [True] * 5
    shifted = pd.Series([*column.iloc[1:], column.iloc[0]], dtype="string[pyarrow]")
    assert slices.equal(start, end, shifted).tolist() == [False] * 5


def test_comparing_slices_warns_of_nothing() -> None:
    slices = MemoSlices("abc")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        column = pd.Series(["ab", "c"], dtype="string[pyarrow]")
        found = slices.equal(np.array([0, 2]), np.array([2, 3]), column)
    assert found.tolist() == [True, True]


def test_a_frame_of_no_rows_gets_an_empty_bool_answer_without_a_test_run() -> None:
    def never(*values: object) -> bool:
        raise AssertionError("no row to test")

    found = per_distinct(pd.DataFrame({"a": pd.Series([], dtype=object)}), ["a"], never)
    assert found.shape == (0,)
    assert found.dtype == np.bool_


def test_an_integer_column_keeps_integers_past_a_floats_precision() -> None:
    big = 2**53 + 1  # the first integer a float64 cannot hold
    assert ints(pd.Series([big, None, 3], dtype="Int64")).tolist() == [big, -1, 3]


def test_per_distinct_answers_each_row_as_the_test_does_on_that_row() -> None:
    # Combinations of three columns (missing cells among them) are told apart exactly: the
    # test runs once per distinct combination, and each row gets its own combination's answer.
    rng = random.Random(11)
    a = [rng.choice(["p", "q", "r", "s", "t", None]) for _ in range(300)]
    b = [rng.choice(["x", "y", None]) for _ in range(300)]
    c = [rng.choice([1, 2]) for _ in range(300)]
    frame = pd.DataFrame({"a": a, "b": b, "c": c})
    seen: list[tuple[object, ...]] = []

    def test(*values: object) -> bool:
        seen.append(values)
        return sum(map(ord, repr(values))) % 3 == 0

    found = per_distinct(frame, ["a", "b", "c"], test)
    rows = list(zip(a, b, c, strict=True))
    assert sorted(seen, key=repr) == sorted(set(rows), key=repr)
    assert found.tolist() == [sum(map(ord, repr(row))) % 3 == 0 for row in rows]


def test_a_missing_cell_of_an_object_column_is_null_in_arrow_and_empty_as_text() -> None:
    # pandas marks a missing object cell with NaN or None: both are Arrow's null, and ''
    # among the Python strings of texts().
    cells = pd.Series(["a", float("nan"), None], dtype=object)
    assert arrow(cells).to_pylist() == ["a", None, None]
    assert texts(cells) == ["a", "", ""]
    assert texts(pd.Series(["b", None], dtype="string[pyarrow]")) == ["b", ""]


def test_a_column_of_numbers_is_matched_as_its_text() -> None:
    assert matches(pd.Series([12, 3, None], dtype="Int64"), "^1").tolist() == [True, False, False]


def test_an_isin_check_keeps_the_columns_index() -> None:
    check = isin_test(pd.Series(["a"], dtype="string[pyarrow]"))
    found = check(pd.Series(["a", "b"], index=[10, 11], dtype="string[pyarrow]"))
    assert found.index.tolist() == [10, 11]
    assert found.tolist() == [True, False]
