"""Rules of the data model that Table Schema cannot state, written column-wise (one pass each).

Hedging, attribution and derived time windows: each rule is a registered row rule (see
catalogue.py, checks.py) on the frame being validated, reported on one field, applying by the
fields a table has. Everything is read from that frame, the other tables given as context and
the contract; nothing here knows how the tables were built, nor a table by its name.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow

from ..contract import Contract, TableSchema, singular
from ..contract.edtf import EDTFError, bounds
from ..contract.timeline import (
    BASES,
    EXPRESSED,
    TimeLink,
    Window,
    derive_placed,
    derive_windows,
)
from .catalogue import Built, register, rule
from .checks import filled, row_rule
from .columns import positions

AUTHOR_VIEW = "author"
# The role of a linked actor who perceives a record (a risk's perceivers, in its link table).
PERCEIVER = "perceiver"


def _certainty(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if not {"hedge", "certainty"} <= set(schema.field_names):
        return []
    scale = schema.enum("certainty")
    if schema.field("certainty").get("categoriesOrdered") is not True or not scale:
        return []  # no scale, no top: every value would need its words
    top = scale[-1]  # the scale runs up to its last value (asserted)

    def certainty(frame: pd.DataFrame) -> np.ndarray:
        below_top = filled(frame["certainty"]) & np.asarray(
            (frame["certainty"].astype("string") != top).fillna(True), dtype=bool
        )
        return ~below_top | filled(frame["hedge"])

    message = f"a certainty below '{top}' must show the memo's words in hedge"
    check = row_rule(
        certainty, rule("certainty-needs-hedge"), "certainty", message, ["certainty", "hedge"]
    )
    return [(None, check)]


register(
    "certainty-needs-hedge",
    "tables with hedge and an ordered certainty scale (categoriesOrdered, last value the top)",
    "certainty, hedge",
    "a certainty below '{top of the scale}' must show the memo's words in hedge",
)(_certainty)


def _band(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if not {"hedge", "certainty", "likelihood"} <= set(schema.field_names):
        return []
    check = row_rule(
        lambda f: ~filled(f["likelihood"]) | filled(f["hedge"]),
        rule("band-needs-hedge"),
        "likelihood",
        "an ICD 203 band needs the words that name a probability in hedge",
        ["likelihood", "hedge"],
    )
    return [(None, check)]


register(
    "band-needs-hedge",
    "tables with likelihood and hedge fields",
    "likelihood, hedge",
    "an ICD 203 band needs the words that name a probability in hedge",
)(_band)


def _view_holder(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    needed = ["attribution", "attributed_to_actor_id"]
    if not set(needed) <= set(schema.field_names):
        return []
    contract.require_codes(schema.name, "attribution", AUTHOR_VIEW, by="the rule view-holder")

    def holder(frame: pd.DataFrame) -> np.ndarray:
        by_author = np.asarray(
            (frame["attribution"].astype("string") == AUTHOR_VIEW).fillna(False), dtype=bool
        )
        return by_author != filled(frame["attributed_to_actor_id"])

    message = f"filled exactly when the view is an actor's (attribution other than '{AUTHOR_VIEW}')"
    return [(None, row_rule(holder, rule("view-holder"), needed[1], message, needed))]


register(
    "view-holder",
    "tables with attribution and attributed_to_actor_id fields (the attribution"
    f" '{AUTHOR_VIEW}' is required: rule code-reads)",
    "attribution, attributed_to_actor_id",
    f"filled exactly when the view is an actor's (attribution other than '{AUTHOR_VIEW}')",
)(_view_holder)


def _role_links(contract: Contract, schema: TableSchema) -> list[tuple[str, str]]:
    """(link table, its key into this table) of the tables that link actors to this one in a
    role (fields actor_id and role)."""
    out = []
    for name, link in contract.tables.items():
        if {"actor_id", "role"} <= set(link.field_names):
            out += [(name, fk.field) for fk in link.foreign_keys if fk.resource == schema.name]
    return out


def _perceivers(contract: Contract, schema: TableSchema) -> list[tuple[str, str]]:
    """The role links into this table (`_role_links`) whose roles include a perceiver."""
    links = _role_links(contract, schema)
    return [(n, k) for n, k in links if PERCEIVER in contract.tables[n].enum("role")]


def _view_holder_perceives(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if "attributed_to_actor_id" not in schema.field_names or len(schema.primary_key) != 1:
        return []
    pk = schema.primary_key[0]
    linked, perceiving_links = _role_links(contract, schema), _perceivers(contract, schema)
    if linked and not perceiving_links:
        # Role links into the table, none with a perceiver: the code was renamed, and the rule
        # would check nothing. Refused in one line (code-reads), never passed silently.
        contract.require_codes(linked[0][0], "role", PERCEIVER, by="the rule view-holder-perceives")
    built: Built = []
    for name, key in perceiving_links:
        links = ctx.tables.get(name)
        if links is None or not {key, "actor_id", "role"} <= set(links.columns):
            continue
        perceiving = links.loc[links["role"].astype("string") == PERCEIVER]
        perceivers = pd.MultiIndex.from_arrays(
            [perceiving[key].astype(object), perceiving["actor_id"].astype(object)]
        )

        def perceives(frame: pd.DataFrame, perceivers: pd.MultiIndex = perceivers) -> np.ndarray:
            pairs = pd.MultiIndex.from_arrays(
                [frame[pk].astype(object), frame["attributed_to_actor_id"].astype(object)]
            )
            return ~filled(frame["attributed_to_actor_id"]) | pairs.isin(perceivers)

        kind = singular(schema.name)
        message = f"the actor whose view a {kind} is must be one of its perceivers ({name})"
        check = row_rule(
            perceives,
            rule("view-holder-perceives"),
            "attributed_to_actor_id",
            message,
            [pk, "attributed_to_actor_id"],
        )
        built.append((None, check))
    return built


register(
    "view-holder-perceives",
    "tables with attributed_to_actor_id that a table of actor_id and role refers to (one such"
    " table's role must have 'perceiver': rule code-reads), given that table",
    "the primary key, attributed_to_actor_id; the link table's key, actor_id and role",
    "the actor whose view a risk is must be one of its perceivers (risk_actors)",
)(_view_holder_perceives)


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
    # The rows with an id, a subject and a relation, found on whole columns (`notna` is
    # `_text(x) is not None` cell by cell): each subject column fills a third of the links or
    # fewer, and a Python call per cell of every link was 0.3 s of the 1M-row package.
    filled = links["time_link_id"].notna() & links[key].notna() & links["relation"].notna()
    rows = links.loc[filled.to_numpy(dtype=bool)]
    return [
        TimeLink(str(i), str(e), str(r), _text(a))
        for i, e, r, a in zip(
            rows["time_link_id"].tolist(),
            rows[key].tolist(),
            rows["relation"].tolist(),
            rows["anchor_event_id"].tolist(),
            strict=True,
        )
        if str(e) != ""
    ]


def _stated(
    frame: pd.DataFrame, key: str, group: str
) -> dict[str, tuple[date | None, date | None]]:
    """Each record's stated (start, end): the bounds of its EDTF value, which the date cells
    only restate. Read from the EDTF value, a wrong date cell is reported once, on itself
    (edtf-bounds), not again as a wrong time window; the cells serve where the EDTF value is
    missing from the frame or unreadable (that is reported on its own)."""
    starts, ends = frame[f"{group}_start"], frame[f"{group}_end"]
    # Arrow dates (what `load()` gives) are already dates or None: `_day` would return them.
    as_read = _is_date32(starts) and _is_date32(ends)
    rows = len(frame)
    # Each row's EDTF bounds by code, parsed once per distinct value; the last code is a
    # missing value (read as "", which has no bounds), and None falls back to the cells.
    codes: Any = [-1] * rows
    by_code: list[tuple[date | None, date | None] | None] = [None]
    if f"{group}_edtf" in frame.columns:
        codes, uniques = pd.factorize(frame[f"{group}_edtf"], use_na_sentinel=True)
        by_code = [_edtf_window(_text(u) or "") for u in uniques] + [_edtf_window("")]
        codes = codes.tolist()
    out = {}
    for e, s, t, c in zip(frame[key].tolist(), _cells(starts), _cells(ends), codes, strict=True):
        if _text(e) is None:
            continue
        out[str(e)] = by_code[c] or ((s, t) if as_read else (_day(s), _day(t)))
    return out


def _is_date32(series: pd.Series) -> bool:
    dtype = series.dtype
    return isinstance(dtype, pd.ArrowDtype) and pyarrow.types.is_date32(dtype.pyarrow_dtype)


def _edtf_window(value: str) -> tuple[date | None, date | None] | None:
    """The (start, end) an EDTF value states, or None when it does not read."""
    try:
        b = bounds(value)
    except EDTFError:
        return None
    return b.start, b.end


@dataclass(frozen=True)
class TimeModel:
    """Where the contract keeps time links, read from their fields: the table with
    anchor_event_id and anchor_document_id, the tables it anchors to, and the subject column of
    each table it places (a key named as the key it references: event_id -> events)."""

    links: str
    events: str
    documents: str
    subjects: dict[str, str]  # placed table -> its column in the links table

    @classmethod
    def of(cls, contract: Contract) -> TimeModel | None:
        for name, schema in contract.tables.items():
            keys = {fk.field: fk for fk in schema.foreign_keys}
            if not {"anchor_event_id", "anchor_document_id"} <= set(keys):
                continue
            subjects = {
                fk.resource: fk.field
                for fk in schema.foreign_keys
                if fk.field == fk.ref_field and fk.resource != name
            }
            events = keys["anchor_event_id"].resource
            return cls(name, events, keys["anchor_document_id"].resource, subjects)
        return None


EXPRESSED_BY = "expressed_by_event_id"  # a stance takes the window of the event expressing it


def _windows(
    model: TimeModel, tables: Mapping[str, pd.DataFrame]
) -> tuple[dict[str, dict[str, Window]], set[str]] | None:
    """Windows re-derived from the stated dates and the time links (contract.timeline), by
    table (events, then what is placed relative to them), and the ids of links that contradict
    them; None when a table or column the rule needs is missing."""
    links, documents = tables.get(model.links), tables.get(model.documents)
    events = tables.get(model.events)
    if links is None or documents is None or events is None:
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
    found = {model.events: windows}
    bad = {c.link_id for c in conflicts}
    for table, key in model.subjects.items():
        frame = tables.get(table)
        if table == model.events or frame is None:
            continue
        if not {key, "as_of_start", "as_of_end"} <= set(frame.columns):
            continue
        expressed = {}
        if EXPRESSED_BY in frame.columns:
            expressed = {
                str(k): str(v)
                for k, v in zip(frame[key].tolist(), frame[EXPRESSED_BY].tolist(), strict=True)
                if _text(k) is not None and _text(v) is not None
            }
        placed, more = derive_placed(
            _stated(frame, key, "as_of"), _links(links, key), windows, document, expressed
        )
        found[table] = placed
        bad |= {c.link_id for c in more if c.link_id}
    return found, bad


def _derived(contract: Contract, ctx: Any) -> tuple[TimeModel, dict[str, Any], set[str]] | None:
    """The windows of every placed table and the contradicting links, derived once per context
    (the checks keep only plain dictionaries, so no reference cycle ties a frame to a schema)."""
    model = TimeModel.of(contract)
    if model is None:
        return None
    cached = ctx.memoized("time-windows", lambda: _windows(model, ctx.tables))
    if cached is None:
        return None
    return model, cached[0], cached[1]


TIME_FIELDS = ("time_start", "time_end", "time_basis")


def _time_window(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    model = TimeModel.of(contract)
    if model is None or schema.name not in model.subjects:
        return []
    if not set(TIME_FIELDS) <= set(schema.field_names):
        return []
    if schema.enum("time_basis"):  # the codes the derivation writes must be codes of the field
        placed_by_event = EXPRESSED_BY in schema.field_names
        bases = [*BASES, *([EXPRESSED] if placed_by_event else [])]
        contract.require_codes(schema.name, "time_basis", *bases, by="the rule time-window")
    derived = _derived(contract, ctx)
    windows = None if derived is None else derived[1].get(schema.name)
    if windows is None:
        return []
    key = model.subjects[schema.name]
    expected: dict[str, dict[str, Any]] = {
        "time_start": {e: w.start for e, w in windows.items()},
        "time_end": {e: w.end for e, w in windows.items()},
        "time_basis": {e: w.basis for e, w in windows.items()},
    }
    built: Built = []
    # The three fields' windows share their keys: each frame's keys are looked up once (the
    # frame held weakly, so the checks never keep it alive).
    ids = pd.Series(list(windows), dtype=pd.StringDtype("pyarrow"))
    last: list[Any] = [lambda: None, None]

    def lookup(frame: pd.DataFrame) -> np.ndarray | None:
        if not isinstance(frame[key].dtype, pd.StringDtype):
            return None  # _same_columnwise decides what to do with other keys
        if last[0]() is not frame:
            last[:] = [weakref.ref(frame), positions(frame[key], ids)]
        return np.asarray(last[1])

    for field, by_event in expected.items():

        def same(
            frame: pd.DataFrame,
            field: str = field,
            by_event: dict[str, Any] = by_event,
            key: str = key,
        ) -> np.ndarray:
            fast = _same_columnwise(frame[key], frame[field], by_event, lookup(frame))
            if fast is not None:
                return fast
            read = _text if field == "time_basis" else _day
            return _same_row_by_row(frame[key], frame[field], by_event, read)

        message = (
            f"{field} must be what the stated date and the time links give (contract.timeline)"
        )
        built.append((None, row_rule(same, rule("time-window"), field, message, [key, field])))
    return built


register(
    "time-window",
    "tables a time link places (a subject column of the time links) with time_start, time_end"
    " and time_basis, given the events, documents and time links",
    "the primary key, time_start, time_end, time_basis; every event and time link",
    "{field} must be what the stated date and the time links give (contract.timeline)",
)(_time_window)


def _same_row_by_row(
    keys: pd.Series, cells: pd.Series, by_event: dict[str, Any], read: Callable[[Any], Any]
) -> np.ndarray:
    """`read(cell) == by_event.get(key)` per row, for any dtypes; a missing key has no window
    (its text, "<NA>", "None" or "nan" by the dtype, would find a record spelled so)."""
    return np.asarray(
        [
            read(cell) == (None if (k := _text(e)) is None else by_event.get(k))
            for e, cell in zip(keys.tolist(), _cells(cells), strict=True)
        ],
        dtype=bool,
    )


def _same_columnwise(
    keys: pd.Series, cells: pd.Series, by_event: dict[str, Any], at: np.ndarray | None = None
) -> np.ndarray | None:
    """`_same_row_by_row` with `_day` (or `_text` for text), on whole columns, for the frames
    `load()` gives: text keys, and Arrow dates or text/coded cells. None for any other frame (a
    user's own dtypes), which the row-by-row comparison judges. At 1M rows the row-by-row form
    was the slowest of the time rules."""
    if not isinstance(keys.dtype, pd.StringDtype):
        return None
    if at is None:  # where each key is among by_event's (the caller may have looked it up)
        at = positions(keys, pd.Series(list(by_event), dtype=pd.StringDtype("pyarrow")))
    known = at >= 0
    dtype = cells.dtype
    if isinstance(dtype, pd.ArrowDtype) and pyarrow.types.is_date32(dtype.pyarrow_dtype):
        data = cells.array._pa_array  # as in _cells: no Python object per cell
        if isinstance(data, pyarrow.ChunkedArray):
            data = data.combine_chunks()
        got = data.to_numpy(zero_copy_only=False).astype("datetime64[D]")
        # pyarrow converts the dates in C: numpy's own conversion of date objects took 20x as
        # long (0.5 s of the 1M-row package).
        want = pyarrow.array([*by_event.values(), None], pyarrow.date32()).to_numpy(
            zero_copy_only=False
        )
        wanted = want[np.where(known, at, len(by_event))]
        return np.asarray((got == wanted) | (np.isnat(got) & np.isnat(wanted)), dtype=bool)
    if isinstance(dtype, (pd.CategoricalDtype, pd.StringDtype)):
        values = list(by_event.values())
        if not all(v is None or isinstance(v, str) for v in values):
            return None
        text = cells.astype(object)
        got_text = text.to_numpy(dtype=object, copy=True)
        got_text[~text.notna().to_numpy(dtype=bool)] = None
        want_text = np.array([*values, None], dtype=object)[np.where(known, at, len(values))]
        return np.asarray(got_text == want_text, dtype=bool)
    return None


def _link_rules(schema: TableSchema, contract: Contract) -> TimeModel | None:
    model = TimeModel.of(contract)
    return model if model is not None and model.links == schema.name else None


def _time_consistent(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if _link_rules(schema, contract) is None:
        return []
    derived = _derived(contract, ctx)
    if derived is None:
        return []
    bad = frozenset(derived[2])
    check = row_rule(
        lambda f: ~f["time_link_id"].astype(object).isin(bad).to_numpy(dtype=bool),
        rule("time-consistent"),
        "relation",
        "the link contradicts the dates and links of its event and anchor",
        ["time_link_id"],
    )
    return [(None, check)]


register(
    "time-consistent",
    "the time links table (fields anchor_event_id and anchor_document_id), given the events and"
    " documents",
    "time_link_id; every event and time link",
    "the link contradicts the dates and links of its event and anchor",
)(_time_consistent)


def _one_subject(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    model = _link_rules(schema, contract)
    if model is None:
        return []
    columns = list(model.subjects.values())
    check = row_rule(
        lambda f: sum(filled(f[c]).astype(int) for c in columns if c in f.columns) == 1,
        rule("one-subject"),
        columns[0],
        f"exactly one of {', '.join(columns)} must be filled",
        [c for c in columns if c in schema.field_names],
    )
    return [(None, check)]


register(
    "one-subject",
    "the time links table: its subject columns",
    "the subject columns (event_id, position_id, relation_id)",
    "exactly one of {subjects} must be filled",
)(_one_subject)


def _one_anchor(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if _link_rules(schema, contract) is None:
        return []
    check = row_rule(
        lambda f: filled(f["anchor_event_id"]) != filled(f["anchor_document_id"]),
        rule("one-anchor"),
        "anchor_event_id",
        "exactly one of anchor_event_id and anchor_document_id must be filled",
        ["anchor_event_id", "anchor_document_id"],
    )
    return [(None, check)]


register(
    "one-anchor",
    "the time links table",
    "anchor_event_id, anchor_document_id",
    "exactly one of anchor_event_id and anchor_document_id must be filled",
)(_one_anchor)


def _not_self(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if _link_rules(schema, contract) is None:
        return []

    def other(f: pd.DataFrame) -> np.ndarray:
        differs = f["anchor_event_id"].astype("string") != f["event_id"].astype("string")
        return ~filled(f["anchor_event_id"]) | np.asarray(differs.fillna(True), dtype=bool)

    check = row_rule(
        other,
        rule("not-self"),
        "anchor_event_id",
        "an event cannot be its own anchor",
        ["anchor_event_id", "event_id"],
    )
    return [(None, check)]


register(
    "not-self",
    "the time links table",
    "anchor_event_id, event_id",
    "an event cannot be its own anchor",
)(_not_self)
