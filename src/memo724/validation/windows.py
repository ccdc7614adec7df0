"""Time windows held as columns: each record's id, start, end and basis in arrays.

The derivation itself is contract.timeline's, one Python step per record. In a large package
most records have no time link, and their window follows from their own row alone (a stated
date, else the window of the event expressing them, else none): those are set on whole columns,
and only the records that links reach go through contract.timeline. At 10M rows the windows
built record by record, and the dictionaries read from them, were a sixth of the validate's time.

The columns read as a Mapping from record id to what contract.timeline's dictionaries hold
(a (start, end) pair, a Window), built on first use, so they stand where those dictionaries did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..contract.timeline import (
    EXPRESSED,
    STATED,
    UNKNOWN,
    TimeLink,
    Window,
    derive_placed,
    derive_windows,
)
from .columns import arrow, positions

NAT = np.datetime64("NaT", "D")
TEXT = pd.StringDtype("pyarrow")
Pair = tuple[date | None, date | None]


def key_texts(series: pd.Series, text: Callable[[Any], str | None]) -> pd.Series:
    """A key column as Arrow text (missing where `text` gives None): text keys as they are,
    other dtypes (a user's own frame) one cell at a time."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.astype(TEXT)
    return pd.Series([text(v) for v in series.tolist()], dtype=TEXT)


def days(series: pd.Series, day: Callable[[Any], date | None]) -> np.ndarray:
    """A date column as datetime64[D], NaT where missing or unreadable: Arrow dates (what
    `load()` gives) converted by Arrow and numpy in one pass, other cells read by `day`."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pyarrow.types.is_date32(dtype.pyarrow_dtype):
        data = series.array._pa_array
        if isinstance(data, pyarrow.ChunkedArray):
            data = data.combine_chunks()
        return np.asarray(data.to_numpy(zero_copy_only=False).astype("datetime64[D]"))
    return as_days(day(v) for v in series.tolist())


def as_days(values: Iterable[date | None]) -> np.ndarray:
    """Dates (None: none) as datetime64[D], converted by Arrow (numpy takes a Python call per
    date object, ten times as long)."""
    days = pyarrow.array(list(values), pyarrow.date32()).to_numpy(zero_copy_only=False)
    return np.asarray(days.astype("datetime64[D]"))


def _date(value: np.datetime64) -> date | None:
    return None if np.isnat(value) else value.astype(object)


def last_rows(keys: pd.Series) -> np.ndarray:
    """The row of each distinct non-missing key, the last where it repeats (as a dictionary
    filled row by row keeps it), in row order."""
    codes, _ = pd.factorize(keys, use_na_sentinel=True)
    kept = np.flatnonzero(codes >= 0)
    # The first occurrence in the reversed rows is each key's last row.
    _, first = np.unique(codes[kept][::-1], return_index=True)
    return np.sort(kept[::-1][first])


class Dated(Mapping[str, Pair]):
    """Each record's (start, end), by id: ids unique, bounds as datetime64[D] (NaT: none)."""

    def __init__(self, ids: pd.Series, start: np.ndarray, end: np.ndarray) -> None:
        self.ids = ids.reset_index(drop=True)
        self.start, self.end = start, end

    @classmethod
    def of(cls, keys: pd.Series, start: np.ndarray, end: np.ndarray) -> Dated:
        """The rows of `keys` (Arrow text), each id's last row."""
        rows = last_rows(keys)
        return cls(keys.iloc[rows], start[rows], end[rows])

    @property
    def dated(self) -> np.ndarray:
        return ~(np.isnat(self.start) & np.isnat(self.end))

    def where(self, ids: Iterable[str]) -> np.ndarray:
        """The positions, in order, of the records among `ids`: the few ids hashed and every
        record's looked up (ids are unique), not the other way round."""
        wanted = pyarrow.array(list(ids), pyarrow.string())
        found = pc.is_in(arrow(self.ids), value_set=pc.cast(wanted, arrow(self.ids).type))
        return np.flatnonzero(pc.fill_null(found, False).to_numpy(zero_copy_only=False))

    def pairs(self, where: np.ndarray) -> dict[str, Pair]:
        """(start, end) as dates, of the records at `where`."""
        starts, ends = self.start[where].astype(object), self.end[where].astype(object)
        names = self.ids.iloc[where].tolist()
        return dict(zip(names, zip(starts.tolist(), ends.tolist(), strict=True), strict=True))

    @cached_property
    def _index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.ids.tolist())}

    def __getitem__(self, key: str) -> Pair:
        i = self._index[key]
        return _date(self.start[i]), _date(self.end[i])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self.ids)


class Windows(Mapping[str, Window]):
    """Each record's derived window, by id, as columns (see Dated); basis as Python text."""

    def __init__(self, dated: Dated, basis: np.ndarray) -> None:
        self._dated, self.basis = dated, basis

    @property
    def ids(self) -> pd.Series:
        return self._dated.ids

    @property
    def start(self) -> np.ndarray:
        return self._dated.start

    @property
    def end(self) -> np.ndarray:
        return self._dated.end

    def windows(self, ids: Iterable[str]) -> dict[str, Window]:
        """The windows of those of `ids` that are here."""
        where = self._dated.where(ids)
        pairs = self._dated.pairs(where).items()
        basis = self.basis[where].tolist()
        return {n: Window(s, e, str(b)) for (n, (s, e)), b in zip(pairs, basis, strict=True)}

    def set(self, where: np.ndarray, found: Mapping[str, Window]) -> None:
        """Put the windows `found` (record by record) for the records at `where`."""
        ordered = [found[n] for n in self.ids.iloc[where].tolist()]
        self.start[where] = as_days(w.start for w in ordered)
        self.end[where] = as_days(w.end for w in ordered)
        self.basis[where] = [w.basis for w in ordered]

    def __getitem__(self, key: str) -> Window:
        i = self._dated._index[key]
        return Window(_date(self.start[i]), _date(self.end[i]), str(self.basis[i]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._dated)

    def __len__(self) -> int:
        return len(self.ids)


def event_windows(
    stated: Dated, links: list[TimeLink], document: Pair
) -> tuple[Windows, list[Any]]:
    """contract.timeline.derive_windows on columns: an event no link names (as its event or
    its anchor) keeps its stated window (basis stated), or has none (unknown)."""
    dated = stated.dated
    windows = Windows(
        Dated(stated.ids, stated.start.copy(), stated.end.copy()),
        np.where(dated, STATED, UNKNOWN).astype(object),
    )
    named = {k.event_id for k in links} | {k.anchor_event_id for k in links if k.anchor_event_id}
    where = stated.where(named)
    derived, conflicts = derive_windows(stated.pairs(where), links, document)
    windows.set(where, derived)  # derive_windows gives every event it was given a window
    return windows, conflicts


def placed_windows(
    stated: Dated,
    links: list[TimeLink],
    events: Windows,
    document: Pair,
    expressed_by: pd.Series,
) -> tuple[Windows, list[Any]]:
    """contract.timeline.derive_placed on columns. `expressed_by` is the expressing event's id
    for each of `stated`'s ids (missing: none). A record no link places keeps its stated window,
    else takes the bounded window of the event expressing it, else has none."""
    dated = stated.dated
    event_at = positions(expressed_by, events.ids)
    n = len(events.ids)
    e_start = np.append(events.start, NAT)[np.where(event_at >= 0, event_at, n)]
    e_end = np.append(events.end, NAT)[np.where(event_at >= 0, event_at, n)]
    expressed = ~dated & ~(np.isnat(e_start) & np.isnat(e_end))
    windows = Windows(
        Dated(
            stated.ids,
            np.where(dated, stated.start, e_start),
            np.where(dated, stated.end, e_end),
        ),
        np.where(dated, STATED, np.where(expressed, EXPRESSED, UNKNOWN)).astype(object),
    )
    where = stated.where({k.event_id for k in links})
    own = stated.pairs(where)
    said = expressed_by.iloc[where].tolist()
    expressing = {r: e for r, e in zip(own, said, strict=True) if isinstance(e, str)}
    anchors = {k.anchor_event_id for k in links if k.anchor_event_id} | set(expressing.values())
    found, conflicts = derive_placed(own, links, events.windows(anchors), document, expressing)
    windows.set(where, found)  # as derive_windows, a window for every record given
    return windows, conflicts
