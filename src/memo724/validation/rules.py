"""Rules of the data model that Table Schema cannot state, written column-wise (one pass each).

Hedging, attribution and derived time windows: each rule is a registered row rule (see
catalogue.py, checks.py) on the frame being validated, reported on one field, applying by the
fields a table has. Everything is read from that frame, the other tables given as context and
the contract; nothing here knows how the tables were built, nor a table by its name.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..contract import Contract, TableSchema, singular
from ..contract.edtf import EDTFError, bounds
from ..contract.timeline import (
    BASES,
    EXPRESSED,
    TimeLink,
)
from .catalogue import Built, register, rule
from .checks import filled, row_rule
from .columns import positions
from .windows import (
    NAT,
    TEXT,
    Dated,
    Windows,
    as_days,
    days,
    event_windows,
    key_texts,
    last_rows,
    placed_windows,
)

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


def _stated(frame: pd.DataFrame, key: str, group: str) -> Dated:
    """Each record's stated (start, end): the bounds of its EDTF value, which the date cells
    only restate. Read from the EDTF value, a wrong date cell is reported once, on itself
    (edtf-bounds), not again as a wrong time window; the cells serve where the EDTF value is
    missing from the frame or unreadable (that is reported on its own). A repeated id keeps its
    last row."""
    start = days(frame[f"{group}_start"], _day)
    end = days(frame[f"{group}_end"], _day)
    if f"{group}_edtf" in frame.columns:
        # Each EDTF value's bounds parsed once; the last code is a missing value (read as "",
        # which has no bounds), and an unreadable value (None) leaves the cells.
        codes, uniques = pd.factorize(frame[f"{group}_edtf"], use_na_sentinel=True)
        by_code = [_edtf_window(_text(u) or "") for u in uniques] + [_edtf_window("")]
        readable = np.array([w is not None for w in by_code], dtype=bool)[codes]
        start = np.where(readable, as_days(w[0] if w else None for w in by_code)[codes], start)
        end = np.where(readable, as_days(w[1] if w else None for w in by_code)[codes], end)
    return Dated.of(key_texts(frame[key], _text), start, end)


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
) -> tuple[dict[str, Windows], set[str]] | None:
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
    windows, conflicts = event_windows(
        _stated(events, "event_id", "date"), _links(links, "event_id"), document
    )
    found: dict[str, Windows] = {model.events: windows}
    bad = {c.link_id for c in conflicts}
    for table, key in model.subjects.items():
        frame = tables.get(table)
        if table == model.events or frame is None:
            continue
        if not {key, "as_of_start", "as_of_end"} <= set(frame.columns):
            continue
        stated = _stated(frame, key, "as_of")
        placed, more = placed_windows(
            stated, _links(links, key), windows, document, _expressed_by(frame, key, stated)
        )
        found[table] = placed
        bad |= {c.link_id for c in more if c.link_id}
    return found, bad


def _expressed_by(frame: pd.DataFrame, key: str, stated: Dated) -> pd.Series:
    """The id of the event expressing each of `stated`'s records (missing: none), from the
    last row where the record has one."""
    if EXPRESSED_BY not in frame.columns:
        return pd.Series([None] * len(stated.ids), dtype=TEXT)
    events = key_texts(frame[EXPRESSED_BY], _text)
    keys = key_texts(frame[key], _text).where(events.notna())
    rows = last_rows(keys)
    at = positions(stated.ids, keys.iloc[rows])
    said = events.iloc[rows].reset_index(drop=True)
    return pd.Series(
        pd.array(said.array.take(at, allow_fill=True), dtype=TEXT)  # -1: missing
    )


def _derived(contract: Contract, ctx: Any) -> tuple[TimeModel, dict[str, Any], set[str]] | None:
    """The windows of every placed table and the contradicting links, derived once per context
    (the checks keep only arrays, so no reference cycle ties a frame to a schema)."""
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
    expected = {"time_start": windows.start, "time_end": windows.end, "time_basis": windows.basis}
    built: Built = []
    # The three fields' windows share their keys: each frame's keys are looked up once (the
    # frame held weakly, so the checks never keep it alive).
    last: list[Any] = [lambda: None, None]

    def lookup(frame: pd.DataFrame) -> np.ndarray:
        if last[0]() is not frame:
            last[:] = [weakref.ref(frame), positions(key_texts(frame[key], _text), windows.ids)]
        return np.asarray(last[1])

    for field, wanted in expected.items():

        def same(
            frame: pd.DataFrame, field: str = field, wanted: np.ndarray = wanted
        ) -> np.ndarray:
            return _same(frame[field], wanted, lookup(frame))

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


def _same(cells: pd.Series, wanted: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether each cell is its record's derived value: `wanted` by record (datetime64[D], NaT
    for none, or the bases as text), `at` each row's record among them (-1: none, so no value).

    Dates are compared on whole columns (read as `_day` reads them); text and coded cells too,
    other cells (a user's own dtypes) are read one at a time as text."""
    if np.issubdtype(wanted.dtype, np.datetime64):
        wanted = np.append(wanted, NAT)[np.where(at >= 0, at, len(wanted))]
        got = days(cells, _day)
        return np.asarray((got == wanted) | (np.isnat(got) & np.isnat(wanted)), dtype=bool)
    wanted = np.append(wanted, np.array([None], dtype=object))[np.where(at >= 0, at, len(wanted))]
    if isinstance(cells.dtype, (pd.CategoricalDtype, pd.StringDtype)):
        text = cells.astype(object)
        got_text = text.to_numpy(dtype=object, copy=True)
        got_text[~text.notna().to_numpy(dtype=bool)] = None
        return np.asarray(got_text == wanted, dtype=bool)
    return np.asarray([_text(c) == w for c, w in zip(cells.tolist(), wanted, strict=True)])


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
