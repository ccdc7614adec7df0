"""Rules that tie the tables to the memo: date groups, spans at their offsets, the document's hash.

Each applies by what the contract states: fields named `<group>_edtf` (a date group with its
bounds and precision), fields of the memo's own words (`memoText`: the span between `start` and
`end`, or the context before or after it), the table of role "document" and the table of role
"evidence" with its foreign key into the passages (role "structure").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..contract import CONTEXT_CHARS, Contract, TableSchema, singular
from ..contract.edtf import EDTFError, bounds
from ..contract.evidence_ids import named_records
from .catalogue import Built, register, rule
from .checks import column_check, row_rule
from .columns import arrow, ints, isin, per_distinct, positions


def _edtf_readable(edtf: str | None) -> bool:
    try:
        bounds(edtf or "")
    except EDTFError:
        return False
    return True


def _edtf_part(part: str) -> Callable[[str | None, Any], bool]:
    """Whether a derived cell (start, end or precision) is what its EDTF value gives; an
    unreadable EDTF value is reported once, on itself, not again on every derived cell."""

    def test(edtf: str | None, value: Any) -> bool:
        try:
            b = bounds(edtf or "")
        except EDTFError:
            return True
        return bool(value == getattr(b, part))

    return test


def _group(prefix: str) -> tuple[str, str, str, str]:
    edtf, start, end, precision = (f"{prefix}_{s}" for s in ("edtf", "start", "end", "precision"))
    return edtf, start, end, precision


def _date_order(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    built: Built = []
    for prefix in schema.date_groups:
        _, start, end, _ = _group(prefix)

        def ordered(frame: pd.DataFrame, start: str = start, end: str = end) -> np.ndarray:
            return ~(frame[start] > frame[end]).fillna(False).to_numpy(dtype=bool)

        message = f"{end} before {start}"
        built.append((None, row_rule(ordered, rule("date-order"), end, message, [start, end])))
    return built


register(
    "date-order",
    "date groups (fields <group>_edtf, _start, _end, _precision)",
    "<group>_start, <group>_end",
    "{end} before {start}",
)(_date_order)


def _edtf(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    built: Built = []
    for prefix in schema.date_groups:
        edtf = _group(prefix)[0]

        def readable(frame: pd.DataFrame, edtf: str = edtf) -> np.ndarray:
            return per_distinct(frame, [edtf], _edtf_readable)

        message = "must be an EDTF value of the codebook"
        built.append((None, row_rule(readable, rule("edtf"), edtf, message, [edtf])))
    return built


register(
    "edtf",
    "date groups",
    "<group>_edtf",
    "must be an EDTF value of the codebook",
)(_edtf)


def _edtf_bounds(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    # Each derived cell is judged on its own field, so a report names the cell that is wrong
    # (a bad start is not reported as a bad precision). The precision column is required, so
    # a row with no EDTF value is checked too.
    built: Built = []
    for prefix in schema.date_groups:
        edtf, start, end, precision = _group(prefix)
        for field, part in ((start, "start"), (end, "end"), (precision, "precision")):

            def matches(
                frame: pd.DataFrame, field: str = field, part: str = part, edtf: str = edtf
            ) -> np.ndarray:
                return per_distinct(frame, [edtf, field], _edtf_part(part))

            message = f"must be the {part} that {edtf} gives"
            check = row_rule(matches, rule("edtf-bounds"), field, message, [edtf, field])
            built.append((None, check))
    return built


register(
    "edtf-bounds",
    "date groups",
    "<group>_edtf with <group>_start, _end and _precision (each judged on its own field)",
    "must be the {part} that {edtf} gives",
)(_edtf_bounds)


def _one_record(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if schema.role != "evidence":
        return []
    subjects = list(contract.evidence_subjects.values())
    key = schema.primary_key[0]

    def one_record(frame: pd.DataFrame) -> np.ndarray:
        present = [s for s in subjects if s in frame.columns]
        return (frame[present].notna().sum(axis=1) == 1).to_numpy(dtype=bool)

    message = f"exactly one of {subjects} must be filled"
    return [(None, row_rule(one_record, rule("one-record"), key, message, [key]))]


register(
    "one-record",
    "the evidence table (role evidence): its subject columns, one per record table",
    "the subject columns",
    "exactly one of {subjects} must be filled",
)(_one_record)


def _id_names_record(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if schema.role != "evidence":
        return []
    subjects = contract.evidence_subjects
    kinds = {singular(table): column for table, column in subjects.items()}
    key = schema.primary_key[0]
    # The records' keys, read now (rules read their context when built): a row whose record
    # column names no record is its foreign key's to report, once, not this rule's again.
    keys = {
        column: ctx.column(table, contract[table].primary_key[0])
        for table, column in subjects.items()
        if contract[table].primary_key
    }

    def names_its_record(frame: pd.DataFrame) -> np.ndarray:
        present = {k: c for k, c in kinds.items() if c in frame.columns}
        if key not in frame.columns or not present:
            return np.ones(len(frame), dtype=bool)
        formed, by_kind = named_records(arrow(frame[key]), present)
        passes = ~formed  # an id not of that form is its pattern's to report
        for k, (rows, record) in by_kind.items():
            cells = pc.cast(pc.take(arrow(frame[present[k]]), rows), record.type)
            same = pc.fill_null(pc.equal(record, cells), False).to_numpy(zero_copy_only=False)
            passes[rows[np.asarray(same, dtype=bool)]] = True
        if passes.all():
            return passes
        # Only the rows left: one that points at no record is one-record's to report, one
        # whose record column names no record its foreign key's.
        rest = frame.loc[~passes, list(present.values())]
        excused = np.zeros(len(rest), dtype=bool)
        for column in present.values():
            filled = rest[column].notna().to_numpy(dtype=bool)
            known = keys.get(column)
            if known is not None:
                excused |= filled & ~isin(rest[column], known)
        excused |= ~rest.notna().any(axis=1).to_numpy(dtype=bool)
        passes[np.flatnonzero(~passes)[excused]] = True
        return passes

    message = "must be <kind>.<record id>.<start> of the record its row points to"
    return [(None, row_rule(names_its_record, rule("id-names-record"), key, message, [key]))]


register(
    "id-names-record",
    "the evidence table (role evidence): its key, which names the record (record.id.start)",
    "the key and the subject columns",
    "must be <kind>.<record id>.<start> of the record its row points to",
)(_id_names_record)


def _span_rule(name: str, structure: bool) -> None:
    """`name`: every memoText span field of the structure's table (role structure: the
    passages' text) or, `structure` False, of every other table (a record's quote), is the
    memo's code points start to end. Applied by `memoText`, whatever the field is called; the
    rule names keep the fields they were first written for (`text`, `exact`)."""
    which = (
        "the structure's table (role structure), whatever their name (the memo's words between"
        " start and end)"
        if structure
        else "every other table, whatever their name (the memo's words between start and end;"
        " an evidence span is never empty)"
    )

    def build(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
        if ctx.memo is None or (schema.role == "structure") != structure:
            return []
        memo = ctx.slices()
        built: Built = []
        for field in schema.memo_text("span"):

            def at_offsets(frame: pd.DataFrame, field: str = field) -> np.ndarray:
                s, e = ints(frame["start"]), ints(frame["end"])
                ok = memo.equal(s, e, frame[field]) & (s >= 0)
                return ok & (s < e) if schema.role == "evidence" else ok

            message = f"memo[start:end] must equal {field}"
            needs = ["start", "end", field]
            built.append((None, row_rule(at_offsets, rule(name), field, message, needs)))
        return built

    register(
        name,
        f"memoText 'span' fields of {which}, given the memo",
        "start, end, the span field",
        "memo[start:end] must equal {field}",
    )(build)


_span_rule("exact-at-offsets", structure=False)


def _context_rule(kind: str, on: str, side: str) -> None:
    """`<kind>-at-offsets`: the context field is the memo's code points before start (prefix)
    or after end (suffix); reported on the required offset, so an empty context is checked."""
    name = f"{kind}-at-offsets"
    message = f"{kind} must be the {CONTEXT_CHARS} code points {side} {on}"

    def build(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
        if ctx.memo is None:
            return []
        memo, n = ctx.slices(), CONTEXT_CHARS
        built: Built = []
        for field in schema.memo_text(kind):

            def at_offsets(frame: pd.DataFrame, field: str = field) -> np.ndarray:
                s, e = ints(frame["start"]), ints(frame["end"])
                if kind == "prefix":
                    same = memo.equal(np.maximum(s - n, 0), s, frame[field])
                else:
                    same = memo.equal(e, e + n, frame[field])
                return (s >= 0) & (e >= 0) & same

            check = row_rule(at_offsets, rule(name), on, message, ["start", "end", field])
            built.append((None, check))
        return built

    register(
        name,
        f"memoText '{kind}' fields (the context {side} the span), given the memo",
        f"start, end, the {kind} field",
        message,
    )(build)


_context_rule("prefix", "start", "before")
_context_rule("suffix", "end", "after")


def _span_in_passage(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if schema.role == "structure" or not schema.memo_text("span"):
        return []
    built: Built = []
    for fk in schema.foreign_keys:
        if fk.resource not in contract.tables or contract[fk.resource].role != "structure":
            continue
        passages = ctx.tables.get(fk.resource)
        if passages is None or not {fk.ref_field, "start", "end"} <= set(passages.columns):
            continue
        table = passages.dropna(subset=[fk.ref_field]).drop_duplicates(fk.ref_field)
        ids = table[fk.ref_field]
        p_start, p_end = ints(table["start"]), ints(table["end"])

        def inside(
            frame: pd.DataFrame,
            key: str = fk.field,
            ids: pd.Series = ids,
            p_start: np.ndarray = p_start,
            p_end: np.ndarray = p_end,
        ) -> np.ndarray:
            at = positions(frame[key], ids)
            s, e = ints(frame["start"]), ints(frame["end"])
            known = (at >= 0) & (s >= 0) & (e >= 0)  # types and foreign keys report the others
            at = np.where(known, at, 0)
            ok = (p_start[at] <= s) & (e <= p_end[at]) & (p_start[at] >= 0)
            return ~known | ok

        message = "the span must lie inside this passage"
        needs = [fk.field, "start", "end"]
        built.append((None, row_rule(inside, rule("span-in-passage"), fk.field, message, needs)))
    return built


register(
    "span-in-passage",
    "tables with a memoText span and a foreign key into the passages (role structure), given"
    " the passages",
    "the key, start, end; the passage's start and end",
    "the span must lie inside this passage",
)(_span_in_passage)


_span_rule("text-at-offsets", structure=True)


def _memo_hash(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if schema.role != "document" or ctx.memo is None or "sha256" not in schema.field_names:
        return []
    sha = ctx.memo_sha256
    message = f"the shipped memo's sha256 is {sha}"
    return [("sha256", column_check(lambda s: s == sha, rule("memo-hash"), message))]


register(
    "memo-hash",
    "the document table (role document): its sha256 field, given the memo",
    "sha256",
    "the shipped memo's sha256 is {sha256}",
)(_memo_hash)


def _memo_length(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    if schema.role != "document" or ctx.memo is None or "code_points" not in schema.field_names:
        return []
    length = len(ctx.memo)
    message = f"the shipped memo has {length} code points"
    return [("code_points", column_check(lambda s: s == length, rule("memo-length"), message))]


register(
    "memo-length",
    "the document table (role document): its code_points field, given the memo",
    "code_points",
    "the shipped memo has {length} code points",
)(_memo_length)
