"""Whole-column kernels the checks are written with: Arrow hash joins and string kernels (RE2),
one Python call per distinct combination, and slices of the memo compared without a loop.

Every check of the catalogue works on whole columns with these; plain comprehensions remain only
where no columnar kernel exists (slicing the memo at offsets is gathered here into one array).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc


def ints(series: pd.Series) -> np.ndarray:
    """An integer column as int64, missing as -1 (offsets are never negative when valid)."""
    return series.astype("Int64").to_numpy(dtype="int64", na_value=-1)


def arrow(series: pd.Series) -> pyarrow.ChunkedArray | pyarrow.Array:
    """The Arrow data under a column (no copy for Arrow-backed strings and dates)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pyarrow.array(series.astype("string").array)
    try:
        data = series.array._pa_array  # Arrow-backed: no copy
        # pandas 2.x already holds a ChunkedArray, which pyarrow < 16 cannot wrap again
        return data if isinstance(data, pyarrow.ChunkedArray) else pyarrow.chunked_array(data)
    except AttributeError:
        return pyarrow.array(series.array, from_pandas=True)


def text_data(series: pd.Series) -> pyarrow.ChunkedArray | pyarrow.Array:
    """A column's Arrow data as text: string or large_string as it is (no copy), else cast."""
    data = arrow(series)
    return data if _is_text(data.type) else pc.cast(data, pyarrow.string())


def texts(series: pd.Series) -> list[str]:
    """A text column as Python strings, missing as ''."""
    return pc.fill_null(pc.cast(arrow(series), pyarrow.string()), "").to_pylist()


def isin(series: pd.Series, values: pd.Series | Sequence[Any]) -> np.ndarray:
    """Whether each cell is one of `values` (missing cells: False), as an Arrow hash join.

    pandas' isin on Arrow strings builds a Python list of the values first; this does not.
    """
    if isinstance(series.dtype, pd.CategoricalDtype) or not len(series):
        return np.asarray(series.isin(list(values)), dtype=bool)
    value_set = arrow(values) if isinstance(values, pd.Series) else pyarrow.array(values)
    cells = arrow(series)
    if value_set.type != cells.type:
        value_set = pc.cast(value_set, cells.type)
    if isinstance(value_set, pyarrow.ChunkedArray):
        value_set = value_set.combine_chunks()
    found = pc.is_in(cells, value_set=value_set.drop_null())
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def positions(series: pd.Series, keys: pd.Series) -> np.ndarray:
    """Where each cell is among `keys`, -1 where it is not: what
    `pd.Index(keys).get_indexer(series)` gives, as an Arrow hash lookup on text columns (the
    pandas form makes a Python string of every cell first: a second at 1M rows). Keys that
    repeat or are missing take the pandas form, which refuses repeated keys as it always did."""
    cells, value_set = arrow(series), arrow(keys)
    if isinstance(value_set, pyarrow.ChunkedArray):
        value_set = value_set.combine_chunks()
    if (
        not _is_text(cells.type)
        or not _is_text(value_set.type)
        or value_set.null_count
        or pc.count_distinct(value_set).as_py() != len(value_set)
    ):
        return pd.Index(keys.astype(object)).get_indexer(series.astype(object))
    if value_set.type != cells.type:  # string and large_string: one type for the lookup
        value_set = value_set.cast(cells.type)
    found = pc.fill_null(pc.index_in(cells, value_set=value_set), -1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _is_text(kind: pyarrow.DataType) -> bool:
    # The typed reader gives large_string to big columns: both are text for a hash lookup.
    return bool(pyarrow.types.is_string(kind) or pyarrow.types.is_large_string(kind))


def valid(series: pd.Series) -> np.ndarray:
    return series.notna().to_numpy(dtype=bool)


def matches(series: pd.Series, regex: str) -> np.ndarray:
    if isinstance(series.dtype, pd.CategoricalDtype):  # a coded field: each code once
        codes = series.cat.codes.to_numpy()
        each = matches(pd.Series(series.cat.categories.astype(str)), regex)
        return np.where(codes >= 0, np.append(each, False)[codes], False)
    found = pc.match_substring_regex(text_data(series), regex)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def _distinct_rows(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, first row of each code) for the distinct combinations of `columns`."""
    key = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes + 1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse, first


def plain(value: Any) -> Any:
    return None if value is None or value is pd.NA or value is pd.NaT or value != value else value


def per_distinct(
    frame: pd.DataFrame, columns: Sequence[str], test: Callable[..., bool]
) -> np.ndarray:
    """Run `test(*values)` once per distinct combination of `columns`, spread to every row."""
    if len(frame) == 0:
        return np.ones(0, dtype=bool)
    inverse, first = _distinct_rows(frame, columns)
    sample = [[plain(v) for v in frame[c].iloc[first].astype(object).tolist()] for c in columns]
    verdicts = np.array([bool(test(*values)) for values in zip(*sample, strict=True)])
    return verdicts[inverse]


class MemoSlices:
    """Compare many slices of the memo (code-point offsets) with a column, without a loop.

    The slices are gathered from the memo's UTF-8 bytes into one Arrow string array (a code
    point's byte position comes from a cumulative sum of UTF-8 widths), then compared with the
    column by Arrow. Offsets are clipped into the memo, as Python slicing does.
    """

    def __init__(self, memo: str) -> None:
        raw = memo.encode("utf-8")
        self.length = len(memo)
        self.data = np.frombuffer(raw, dtype=np.uint8)
        self.byte_at: np.ndarray | None = None  # None: ASCII, a code point is a byte
        if len(raw) != len(memo):
            points = np.frombuffer(memo.encode("utf-32-le"), dtype=np.uint32)
            widths = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
            self.byte_at = np.concatenate([[0], np.cumsum(widths)])

    def equal(self, start: np.ndarray, end: np.ndarray, column: pd.Series) -> np.ndarray:
        """memo[start:end] == column (a missing cell counts as ''), per row."""
        text = pc.fill_null(pc.cast(arrow(column), pyarrow.large_string()), "")
        if isinstance(text, pyarrow.ChunkedArray):
            text = text.combine_chunks()
        # Blocks of about 1 MiB of gathered text, so the byte index (8 bytes a byte, and its
        # temporaries) stays small: about 30 MiB at once (4 MiB blocks held 80 MiB).
        widths = np.maximum(np.clip(end, 0, self.length) - np.clip(start, 0, self.length), 0)
        block = np.cumsum(widths) // (1 << 20)
        bounds = [0, *(np.flatnonzero(np.diff(block)) + 1).tolist(), len(start)]
        parts = [
            self._equal(start[a:b], end[a:b], text.slice(a, b - a))
            for a, b in itertools.pairwise(bounds)
        ]
        return np.concatenate(parts) if parts else np.ones(0, dtype=bool)

    def _equal(self, start: np.ndarray, end: np.ndarray, text: pyarrow.Array) -> np.ndarray:
        s = np.clip(start, 0, self.length)
        e = np.clip(end, s, self.length)
        b0, b1 = (s, e) if self.byte_at is None else (self.byte_at[s], self.byte_at[e])
        lengths = b1 - b0
        offsets = np.zeros(len(s) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        gather = np.repeat(b0 - offsets[:-1], lengths) + np.arange(offsets[-1])
        sliced = pyarrow.Array.from_buffers(
            pyarrow.large_string(),
            len(s),
            [None, pyarrow.py_buffer(offsets), pyarrow.py_buffer(self.data[gather])],
        )
        same = pc.equal(sliced, text)
        return np.asarray(pc.fill_null(same, False).to_numpy(zero_copy_only=False), dtype=bool)


def isin_test(values: pd.Series) -> Callable[[pd.Series], pd.Series]:
    """A column test: each cell is one of `values` (a key that must exist elsewhere)."""
    return lambda s: pd.Series(isin(s, values), index=s.index)
