"""The whole-column forms of per-row rules (issue 16, speed) judge exactly as the row-by-row
forms they replace, on the frames `load()` gives, with missing, unknown and wrong cells."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from memo724.contract.edtf import EDTFError, bounds
from memo724.validation.columns import positions
from memo724.validation.rules import _day, _same, _stated, _text
from memo724.validation.text import _any_outside_quotes
from memo724.validation.windows import TEXT, as_days


def _cells(series: pd.Series) -> list[Any]:
    """A column's cells as Python values, as the rule read them row by row."""
    return series.tolist()


def _row_by_row(keys: pd.Series, cells: pd.Series, by_event: dict, read) -> list[bool]:
    """The rule's words, one row at a time: the cell, read, is its record's value (none for a
    missing or unknown key)."""
    return [
        read(c) == (by_event.get(k) if isinstance(k, str) else None)
        for k, c in zip(keys.tolist(), _cells(cells), strict=True)
    ]


def test_time_windows_are_compared_columnwise_as_row_by_row() -> None:
    rng = random.Random(16)
    days = [date(2021, 1, 1) + timedelta(days=i) for i in range(5)]
    by_start = {f"ev{i}": rng.choice([*days, None]) for i in range(40)}
    by_basis = {f"ev{i}": rng.choice(["stated", "anchored", "unknown"]) for i in range(40)}
    n = 500
    key_values = [rng.choice([*by_start, "ev-unknown", None]) for _ in range(n)]
    keys = pd.Series(key_values, dtype=TEXT)
    starts = pd.Series(
        pd.arrays.ArrowExtensionArray(
            pa.array([rng.choice([*days, None]) for _ in range(n)], pa.date32())
        )
    )
    basis = pd.Series(
        [rng.choice(["stated", "anchored", "unknown", None]) for _ in range(n)], dtype="category"
    )
    at = positions(keys, pd.Series(list(by_start), dtype=TEXT))
    wanted_days = as_days(by_start.values())
    wanted_basis = np.array(list(by_basis.values()), dtype=object)
    for cells, wanted, by_event, read in [
        (starts, wanted_days, by_start, _day),
        (starts.astype(str), wanted_days, by_start, _day),  # a user's dates as text
        (starts.astype(object), wanted_days, by_start, _day),  # as Python dates
        (basis, wanted_basis, by_basis, _text),
        (basis.astype(object), wanted_basis, by_basis, _text),
    ]:
        got = _same(cells, wanted, at)
        assert got.tolist() == _row_by_row(keys, cells, by_event, read), cells.dtype
        assert 0 < got.sum() < n  # both verdicts occur


def _any_outside_quotes_reference(data: bytes) -> bool:
    """The form the literal-led search replaced: every empty line, found with `^`."""
    quotes = last = 0
    for found in re.finditer(rb"(?m)^\r?\n", data):
        quotes += data.count(b'"', last, found.start())
        last = found.start()
        if quotes % 2 == 0:
            return True
    return False


def test_empty_lines_outside_quotes_are_found_as_before() -> None:
    rng = random.Random(724)
    verdicts = set()
    for _ in range(3000):
        data = bytes(rng.choice(b'\n\n\r"aa,') for _ in range(rng.randrange(0, 14)))
        verdict = _any_outside_quotes(data)
        assert verdict == _any_outside_quotes_reference(data), data
        verdicts.add(verdict)
    assert verdicts == {True, False}


def _stated_reference(frame: pd.DataFrame, key: str, group: str) -> dict:
    """The row-by-row form `_stated` replaced."""
    edtfs = frame[f"{group}_edtf"].tolist() if f"{group}_edtf" in frame.columns else None
    out = {}
    for i, (e, s, t) in enumerate(
        zip(
            frame[key].tolist(),
            _cells(frame[f"{group}_start"]),
            _cells(frame[f"{group}_end"]),
            strict=True,
        )
    ):
        if _text(e) is None:
            continue
        window = (_day(s), _day(t))
        if edtfs is not None:
            try:
                b = bounds(_text(edtfs[i]) or "")
                window = (b.start, b.end)
            except EDTFError:
                pass
        out[str(e)] = window
    return out


def test_stated_dates_are_read_as_row_by_row() -> None:
    rng = random.Random(9)
    n = 400
    days = [date(2021, 8, 15) + timedelta(days=i) for i in range(3)]
    frame = pd.DataFrame(
        {
            "event_id": pd.Series(
                [rng.choice([f"ev{i % 300}", None, ""]) for i in range(n)],
                dtype=pd.StringDtype("pyarrow"),
            ),
            "date_edtf": pd.Series(
                [rng.choice(["2021-08", "2021-08-15", "2021-08-15/2021-09", "not edtf", None, ""])
                 for _ in range(n)],
                dtype=pd.StringDtype("pyarrow"),
            ),
            "date_start": pd.arrays.ArrowExtensionArray(
                pa.array([rng.choice([*days, None]) for _ in range(n)], pa.date32())
            ),
            "date_end": pd.arrays.ArrowExtensionArray(
                pa.array([rng.choice([*days, None]) for _ in range(n)], pa.date32())
            ),
        }
    )  # fmt: skip
    found = _stated(frame, "event_id", "date")
    assert found == _stated_reference(frame, "event_id", "date")
    assert "" in found and len(found) > 100 and None not in found
    # Dates as text (a user's frame) and no EDTF column are read the same way too.
    as_text = frame.drop(columns="date_edtf").astype({"date_start": str, "date_end": object})
    assert _stated(as_text, "event_id", "date") == _stated_reference(as_text, "event_id", "date")


def test_positions_are_pandas_get_indexer() -> None:
    rng = random.Random(5)
    text = pd.StringDtype("pyarrow")
    keys = pd.Series([f"p{i}" for i in range(50)], dtype=text).sample(frac=1, random_state=1)
    cells = pd.Series([rng.choice([*keys, "p-none", None]) for _ in range(300)], dtype=text)
    expected = pd.Index(keys.astype(object)).get_indexer(cells.astype(object))
    assert (positions(cells, keys) == expected).all() and (expected == -1).any()
    # Categorical cells, missing keys: the pandas form, same answer.
    assert (positions(cells.astype("category"), keys) == expected).all()
    with_missing = pd.concat([keys, pd.Series([None], dtype=text)], ignore_index=True)
    want = pd.Index(with_missing.astype(object)).get_indexer(cells.astype(object))
    assert (positions(cells, with_missing) == want).all()
    # Repeated keys are refused as pandas refuses them.
    with pytest.raises(pd.errors.InvalidIndexError):
        positions(cells, pd.concat([keys, keys]))
