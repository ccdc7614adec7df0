from datetime import date

import pytest

from memo724.contract.edtf import EDTFError, bounds


@pytest.mark.parametrize(
    ("value", "start", "end", "precision"),
    [
        ("2003-02-14", date(2003, 2, 14), date(2003, 2, 14), "day"),
        ("2021-08", date(2021, 8, 1), date(2021, 8, 31), "month"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "month"),
        ("2021-21", date(2021, 3, 1), date(2021, 5, 31), "season"),
        ("2021-23", date(2021, 9, 1), date(2021, 11, 30), "season"),
        # Winter runs into the next year; February's end follows that year's calendar.
        ("2023-24", date(2023, 12, 1), date(2024, 2, 29), "season"),
        ("2021-24", date(2021, 12, 1), date(2022, 2, 28), "season"),
        ("2003", date(2003, 1, 1), date(2003, 12, 31), "year"),
        ("199X", date(1990, 1, 1), date(1999, 12, 31), "decade"),
        ("201X", date(2010, 1, 1), date(2019, 12, 31), "decade"),
        ("2013/2017", date(2013, 1, 1), date(2017, 12, 31), "interval"),
        ("2021-08/..", date(2021, 8, 1), None, "interval"),
        ("../2003", None, date(2003, 12, 31), "interval"),
        ("", None, None, "unknown"),
        (None, None, None, "unknown"),
    ],
)
def test_bounds(value: str | None, start: date | None, end: date | None, precision: str) -> None:
    b = bounds(value)
    assert (b.start, b.end, b.precision) == (start, end, precision)


@pytest.mark.parametrize(
    "value",
    [
        "2021-13",
        "2021-25",
        "2021-02-30",
        "21",
        "2021-10-2X",
        "late 2021",
        "2021~",
        "../..",
        "2017/2013",
        "1/2/3",
    ],
)
def test_rejects_what_the_codebook_does_not_allow(value: str) -> None:
    with pytest.raises(EDTFError):
        bounds(value)
