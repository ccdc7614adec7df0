"""Rules of the data model that Table Schema cannot state, written column-wise (one pass each).

Hedging, attribution and derived time windows: each rule is a row rule (see checks.py) on the
frame being validated, reported on one field. Everything is read from that frame, the other
tables given as context and the contract; nothing here knows how the tables were built.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

from ..contract import TableSchema
from ..contract.edtf import EDTFError, bounds
from ..contract.timeline import PLACED_SUBJECTS, TimeLink, Window, derive_placed, derive_windows
from .checks import filled, row_rule

# Certainty values that need the memo's qualifying words in `hedge` (all but the top of the scale).
UNHEDGED_CERTAINTY = "asserted"
AUTHOR_VIEW = "author"


def hedging_rules(schema: TableSchema) -> list[pa.Check]:
    names = set(schema.field_names)
    out: list[pa.Check] = []
    if not {"hedge", "certainty"} <= names:
        return out

    def certainty(frame: pd.DataFrame) -> np.ndarray:
        below_top = filled(frame["certainty"]) & np.asarray(
            (frame["certainty"].astype("string") != UNHEDGED_CERTAINTY).fillna(True), dtype=bool
        )
        return ~below_top | filled(frame["hedge"])

    out.append(
        row_rule(
            certainty,
            "certainty-needs-hedge",
            "certainty",
            f"a certainty below '{UNHEDGED_CERTAINTY}' must show the memo's words in hedge",
            ["certainty", "hedge"],
        )
    )
    if "likelihood" in names:
        out.append(
            row_rule(
                lambda f: ~filled(f["likelihood"]) | filled(f["hedge"]),
                "band-needs-hedge",
                "likelihood",
                "an ICD 203 band needs the words that name a probability in hedge",
                ["likelihood", "hedge"],
            )
        )
    return out


def attribution_rules(schema: TableSchema, tables: Mapping[str, pd.DataFrame]) -> list[pa.Check]:
    names = set(schema.field_names)
    out: list[pa.Check] = []
    needed = ["attribution", "attributed_to_actor_id"]
    if not set(needed) <= names:
        return out

    def holder(frame: pd.DataFrame) -> np.ndarray:
        by_author = np.asarray(
            (frame["attribution"].astype("string") == AUTHOR_VIEW).fillna(False), dtype=bool
        )
        return by_author != filled(frame["attributed_to_actor_id"])

    out.append(
        row_rule(
            holder,
            "view-holder",
            "attributed_to_actor_id",
            "filled exactly when the view is an actor's (attribution other than 'author')",
            needed,
        )
    )
    links = tables.get("risk_actors")
    if (
        schema.name == "risks"
        and links is not None
        and {"risk_id", "actor_id", "role"} <= set(links.columns)
    ):
        perceiving = links.loc[links["role"].astype("string") == "perceiver"]
        perceivers = pd.MultiIndex.from_arrays(
            [perceiving["risk_id"].astype(object), perceiving["actor_id"].astype(object)]
        )

        def perceives(frame: pd.DataFrame) -> np.ndarray:
            pairs = pd.MultiIndex.from_arrays(
                [frame["risk_id"].astype(object), frame["attributed_to_actor_id"].astype(object)]
            )
            return ~filled(frame["attributed_to_actor_id"]) | pairs.isin(perceivers)

        out.append(
            row_rule(
                perceives,
                "view-holder-perceives",
                "attributed_to_actor_id",
                "the actor whose view a risk is must be one of its perceivers (risk_actors)",
                ["risk_id", "attributed_to_actor_id"],
            )
        )
    return out


def _cells(series: pd.Series) -> list[Any]:
    """A column's cells as Python values. Arrow dates (what `load()` gives) are converted by
    numpy in one pass: pandas makes each one a Python object in a loop, the slowest part of the
    time rules at 1M rows. Missing dates become None."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pyarrow.types.is_date32(dtype.pyarrow_dtype):
        data = series.array._pa_array  # a ChunkedArray on pandas 3, an Array or one on pandas 2
        if isinstance(data, pyarrow.ChunkedArray):
            data = data.combine_chunks()
        days = data.to_numpy(zero_copy_only=False)
        return days.astype("datetime64[D]").astype(object).tolist()
    return series.tolist()


def _day(value: Any) -> date | None:
    """A date cell as read (text, date, timestamp or missing) as a date; unreadable -> None."""
    if isinstance(value, date) and value is not pd.NaT:  # the common case first
        return value.date() if isinstance(value, datetime) else value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None  # the type check reports it


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _links(links: pd.DataFrame, key: str) -> list[TimeLink]:
    """The links whose subject column `key` is filled (the record they place as event_id)."""
    if key not in links.columns:
        return []
    return [
        TimeLink(str(i), str(e), str(r), _text(a))
        for i, e, r, a in zip(
            links["time_link_id"].tolist(),
            links[key].tolist(),
            links["relation"].tolist(),
            links["anchor_event_id"].tolist(),
            strict=True,
        )
        if None not in (_text(i), _text(e), _text(r)) and _text(e) != ""
    ]


def _stated(
    frame: pd.DataFrame, key: str, group: str
) -> dict[str, tuple[date | None, date | None]]:
    """Each record's stated (start, end): the bounds of its EDTF value, which the date cells
    only restate. Read from the EDTF value, a wrong date cell is reported once, on itself
    (edtf-bounds), not again as a wrong time window; the cells serve where the EDTF value is
    missing from the frame or unreadable (that is reported on its own)."""
    edtfs = frame[f"{group}_edtf"].tolist() if f"{group}_edtf" in frame.columns else None
    known: dict[str, tuple[date | None, date | None] | None] = {}  # few distinct EDTF values
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
            value = _text(edtfs[i]) or ""
            if value not in known:
                try:
                    b = bounds(value)
                    known[value] = (b.start, b.end)
                except EDTFError:
                    known[value] = None
            window = known[value] or window
        out[str(e)] = window
    return out


def _windows(
    events: pd.DataFrame, tables: Mapping[str, pd.DataFrame]
) -> tuple[dict[str, dict[str, Window]], set[str]] | None:
    """Windows re-derived from the stated dates and the time links (contract.timeline), by
    table (events, then what is placed relative to them), and the ids of links that contradict
    them; None when a table or column the rule needs is missing."""
    links, documents = tables.get("time_links"), tables.get("documents")
    if links is None or documents is None:
        return None
    if not {"event_id", "date_start", "date_end"} <= set(events.columns):
        return None
    if not {"time_link_id", "event_id", "relation", "anchor_event_id"} <= set(links.columns):
        return None
    document: tuple[date | None, date | None] = (None, None)
    if len(documents) and {"date_start", "date_end"} <= set(documents.columns):
        document = (_day(documents["date_start"].iloc[0]), _day(documents["date_end"].iloc[0]))
    windows, conflicts = derive_windows(
        _stated(events, "event_id", "date"), _links(links, "event_id"), document
    )
    found = {"events": windows}
    bad = {c.link_id for c in conflicts}
    for table, key in PLACED_SUBJECTS.items():
        frame = tables.get(table)
        if table == "events" or frame is None:
            continue
        if not {key, "as_of_start", "as_of_end"} <= set(frame.columns):
            continue
        expressed = {}
        if "expressed_by_event_id" in frame.columns:
            expressed = {
                str(k): str(v)
                for k, v in zip(
                    frame[key].tolist(), frame["expressed_by_event_id"].tolist(), strict=True
                )
                if _text(k) is not None and _text(v) is not None
            }
        placed, more = derive_placed(
            _stated(frame, key, "as_of"), _links(links, key), windows, document, expressed
        )
        found[table] = placed
        bad |= {c.link_id for c in more if c.link_id}
    return found, bad


def time_rules(schema: TableSchema, tables: Mapping[str, pd.DataFrame]) -> list[pa.Check]:
    """Events' windows must be what contract.timeline derives; time links must be consistent.

    The windows are derived once, here, from the tables given as context; the checks keep only
    plain dictionaries (no frame), so no reference cycle ties a frame to its schema.
    """
    out: list[pa.Check] = []
    if schema.name not in (*PLACED_SUBJECTS, "time_links"):
        return out  # derived only for the tables it checks (it reads every event)
    events = tables.get("events")
    derived = None if events is None else _windows(events, tables)
    if derived is None:
        return out
    by_table, conflicts = derived
    key = PLACED_SUBJECTS.get(schema.name)
    windows = by_table.get(schema.name)
    if (
        key is not None
        and windows is not None
        and {"time_start", "time_end", "time_basis"} <= set(schema.field_names)
    ):
        expected: dict[str, dict[str, Any]] = {
            "time_start": {e: w.start for e, w in windows.items()},
            "time_end": {e: w.end for e, w in windows.items()},
            "time_basis": {e: w.basis for e, w in windows.items()},
        }
        for field, by_event in expected.items():

            def same(
                frame: pd.DataFrame,
                field: str = field,
                by_event: dict[str, Any] = by_event,
                key: str = key,
            ) -> np.ndarray:
                read = _text if field == "time_basis" else _day
                return np.asarray(
                    [
                        read(cell) == by_event.get(str(e))
                        for e, cell in zip(frame[key].tolist(), _cells(frame[field]), strict=True)
                    ],
                    dtype=bool,
                )

            out.append(
                row_rule(
                    same,
                    "time-window",
                    field,
                    f"{field} must be what the stated date and the time links give"
                    " (contract.timeline)",
                    [key, field],
                )
            )
    if schema.name == "time_links" and "anchor_document_id" in schema.field_names:
        bad = frozenset(conflicts)
        out += [
            row_rule(
                lambda f: ~f["time_link_id"].astype(object).isin(bad).to_numpy(dtype=bool),
                "time-consistent",
                "relation",
                "the link contradicts the dates and links of its event and anchor",
                ["time_link_id"],
            ),
            row_rule(
                lambda f: (
                    sum(
                        filled(f[c]).astype(int) for c in PLACED_SUBJECTS.values() if c in f.columns
                    )
                    == 1
                ),
                "one-subject",
                "event_id",
                f"exactly one of {', '.join(PLACED_SUBJECTS.values())} must be filled",
                [c for c in PLACED_SUBJECTS.values() if c in schema.field_names],
            ),
            row_rule(
                lambda f: filled(f["anchor_event_id"]) != filled(f["anchor_document_id"]),
                "one-anchor",
                "anchor_event_id",
                "exactly one of anchor_event_id and anchor_document_id must be filled",
                ["anchor_event_id", "anchor_document_id"],
            ),
            row_rule(
                lambda f: (
                    ~filled(f["anchor_event_id"])
                    | np.asarray(
                        (
                            f["anchor_event_id"].astype("string") != f["event_id"].astype("string")
                        ).fillna(True),
                        dtype=bool,
                    )
                ),
                "not-self",
                "anchor_event_id",
                "an event cannot be its own anchor",
                ["anchor_event_id", "event_id"],
            ),
        ]
    return out


def model_rules(schema: TableSchema, tables: Mapping[str, pd.DataFrame]) -> list[pa.Check]:
    """Every rule of this module for one table (row rules on the frame being validated)."""
    return [*hedging_rules(schema), *attribution_rules(schema, tables), *time_rules(schema, tables)]
