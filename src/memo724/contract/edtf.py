"""Bounds of the EDTF (ISO 8601-2) dates this dataset uses.

Written here rather than taken from the PyPI `edtf` package because, as measured for this project,
that package gives wrong bounds for winter (`2021-24`), very wide fuzzy bounds, and raises plain
ValueErrors on some unspecified digits. The subset below is exactly what the codebook allows, and
every published bound is tested.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# Seasons (EDTF level 1, 21-24) as northern-hemisphere meteorological seasons.
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_DECADE = re.compile(r"(\d{3})X")


class EDTFError(ValueError):
    """A date string outside the EDTF subset this dataset uses."""


@dataclass(frozen=True)
class Bounds:
    start: date | None
    end: date | None
    precision: str


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _single(value: str) -> Bounds:
    if m := _DAY.fullmatch(value):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise EDTFError(f"{value!r} is not a calendar day") from exc
        return Bounds(d, d, "day")
    if m := _MONTH.fullmatch(value):
        year, part = int(m[1]), int(m[2])
        if 1 <= part <= 12:
            return Bounds(date(year, part, 1), _last_day(year, part), "month")
        if part in SEASON_MONTHS:
            first, last = SEASON_MONTHS[part]
            end_year = year + 1 if last < first else year
            return Bounds(date(year, first, 1), _last_day(end_year, last), "season")
        raise EDTFError(f"{value!r}: month or season {part} is not 01-12 or 21-24")
    if m := _YEAR.fullmatch(value):
        year = int(m[1])
        return Bounds(date(year, 1, 1), date(year, 12, 31), "year")
    if m := _DECADE.fullmatch(value):
        decade = int(m[1]) * 10
        return Bounds(date(decade, 1, 1), date(decade + 9, 12, 31), "decade")
    raise EDTFError(
        f"{value!r} is not a supported EDTF date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-21..24, YYYX, "
        "or an interval A/B with '..' for an open end)"
    )


def bounds(value: str | None) -> Bounds:
    """First and last day an EDTF value can denote, and its named precision."""
    if value is None or value == "":
        return Bounds(None, None, "unknown")
    if "/" in value:
        left, _, right = value.partition("/")
        if "/" in right:
            raise EDTFError(f"{value!r} has more than one '/'")
        start = None if left == ".." else _single(left).start
        end = None if right == ".." else _single(right).end
        if start is None and end is None:
            raise EDTFError(f"{value!r}: an interval needs at least one known end")
        if start and end and end < start:
            raise EDTFError(f"{value!r}: the interval ends before it starts")
        return Bounds(start, end, "interval")
    return _single(value)
