"""Pandera schemas derived from the Table Schemas, plus the checks Table Schema cannot state.

Written here rather than with `pandera.io.from_frictionless_schema` because that converter (as
measured for this project) never checks dates, coerces bad booleans to True, fails on nullable
integers and drops foreign keys, `format` and `exclusiveMinimum`. Frames are validated as the CSV
text they are, so a vendored copy is judged on exactly what it ships.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..contract import (
    CONTEXT_CHARS,
    FALSE_VALUES,
    NAME_SEPARATOR,
    TRUE_VALUES,
    Contract,
    TableSchema,
)
from ..contract.edtf import EDTFError, bounds
from .rules import model_rules


def _is_integer(value: str) -> bool:
    return re.fullmatch(r"-?[0-9]+", value) is not None


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _is_date(value: str) -> bool:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


TYPE_TESTS: dict[str, Callable[[str], bool]] = {
    "string": lambda v: True,
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda v: v in TRUE_VALUES or v in FALSE_VALUES,
    "date": _is_date,
}

PARSERS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": float,
    "date": date.fromisoformat,
}


def _check(fn: Callable[[pd.Series], Any], rule: str, message: str) -> pa.Check:
    """A check whose failure cases read 'rule: message' (Pandera reports `error`, not `name`)."""
    return pa.Check(fn, name=rule, error=f"{rule}: {message}")


def _elementwise(test: Callable[[str], bool], name: str, error: str) -> pa.Check:
    return _check(lambda s: s.map(test).astype(bool), name, error)


def _bound(ftype: str, limit: Any, above: bool) -> Callable[[str], bool]:
    parse = PARSERS[ftype]
    limit = parse(str(limit)) if ftype == "date" else limit

    def test(value: str) -> bool:
        try:
            parsed = parse(value)
        except ValueError:
            return True  # the type check reports it
        return parsed >= limit if above else parsed <= limit

    return test


def _isin(values: Iterable[str], rule: str, message: str) -> pa.Check:
    allowed = set(values)

    def test(series: pd.Series) -> pd.Series:
        return series.isin(allowed)

    return _check(test, rule, message)


def _matches(pattern: str) -> Callable[[str], bool]:
    # Table Schema patterns are XML Schema style: the whole value must match.
    regex = re.compile(pattern)
    return lambda value: regex.fullmatch(value) is not None


def _length(limit: int, at_least: bool) -> Callable[[str], bool]:
    return lambda value: len(value) >= limit if at_least else len(value) <= limit


def field_checks(field: dict[str, Any]) -> list[pa.Check]:
    """One Pandera check per Table Schema type and constraint, named after the rule."""
    ftype = field.get("type", "string")
    if ftype not in TYPE_TESTS:
        raise ValueError(f"field {field['name']}: type {ftype} has no Pandera derivation")
    checks = [_elementwise(TYPE_TESTS[ftype], "type", f"must be a {ftype}")]
    constraints = field.get("constraints", {})
    for rule, value in constraints.items():
        if rule in ("required", "unique"):
            continue  # column options, below
        if rule == "enum":
            checks.append(_isin(value, "enum", f"must be one of {value}"))
        elif rule == "pattern":
            checks.append(_elementwise(_matches(value), "pattern", f"must match {value}"))
        elif rule == "minLength":
            checks.append(
                _elementwise(_length(value, True), "minLength", f"at least {value} characters")
            )
        elif rule == "maxLength":
            checks.append(
                _elementwise(_length(value, False), "maxLength", f"at most {value} characters")
            )
        elif rule == "minimum":
            checks.append(
                _elementwise(_bound(ftype, value, True), "minimum", f"must be >= {value}")
            )
        elif rule == "maximum":
            checks.append(
                _elementwise(_bound(ftype, value, False), "maximum", f"must be <= {value}")
            )
        else:
            raise ValueError(f"field {field['name']}: constraint {rule} has no Pandera derivation")
    return checks


class Context:
    """What the cross-table checks need: every frame and the memo text."""

    def __init__(self, frames: dict[str, pd.DataFrame], memo: str, memo_sha256: str) -> None:
        self.frames = frames
        self.memo = memo
        self.memo_sha256 = memo_sha256

    def column(self, table: str, field: str) -> pd.Series:
        frame = self.frames.get(table)
        if frame is None or field not in frame:
            return pd.Series([], dtype="string")
        return frame[field]

    def values(self, table: str, field: str) -> set[str]:
        return set(self.column(table, field).dropna())


def _row_check(
    frame: pd.DataFrame, test: Callable[[pd.Series], bool], name: str, error: str
) -> pa.Check:
    """A check on one column that looks at the whole row (by index) of the frame given."""

    def check(series: pd.Series) -> pd.Series:
        return pd.Series([bool(test(frame.loc[i])) for i in series.index], index=series.index)

    return _check(check, name, error)


def _text(value: Any) -> str:
    return "" if pd.isna(value) else str(value)


def provenance_checks(
    schema: TableSchema, ctx: Context, contract: Contract
) -> dict[str, list[pa.Check]]:
    """Checks Table Schema cannot say, keyed by the field a failure is reported on."""
    frame = ctx.frames[schema.name]
    memo = ctx.memo
    out: dict[str, list[pa.Check]] = {}

    def add(field: str, check: pa.Check) -> None:
        out.setdefault(field, []).append(check)

    for prefix in schema.date_groups:

        def edtf_ok(row: pd.Series, p: str = prefix) -> bool:
            try:
                b = bounds(_text(row[f"{p}_edtf"]))
            except EDTFError:
                return False
            return (
                _text(row[f"{p}_start"]) == (b.start.isoformat() if b.start else "")
                and _text(row[f"{p}_end"]) == (b.end.isoformat() if b.end else "")
                and _text(row[f"{p}_precision"]) == b.precision
            )

        def ordered(row: pd.Series, p: str = prefix) -> bool:
            start, end = _text(row[f"{p}_start"]), _text(row[f"{p}_end"])
            return not (_is_date(start) and _is_date(end)) or start <= end

        add(
            f"{prefix}_end",
            _row_check(frame, ordered, "date-order", f"{prefix}_end before {prefix}_start"),
        )
        # On the required precision column, so a row with no EDTF value is checked too.
        add(
            f"{prefix}_precision",
            _row_check(
                frame,
                edtf_ok,
                "edtf-bounds",
                f"{prefix}_start, _end and _precision must be those of {prefix}_edtf",
            ),
        )

    if schema.name == "evidence":
        passages = (
            ctx.frames.get("passages", pd.DataFrame()).set_index("passage_id", drop=False)
            if "passages" in ctx.frames
            else pd.DataFrame()
        )
        subjects = list(contract.evidence_subjects.values())

        def offsets(row: pd.Series) -> tuple[int, int] | None:
            s, e = _text(row["start"]), _text(row["end"])
            return (int(s), int(e)) if _is_integer(s) and _is_integer(e) else None

        def exact_ok(row: pd.Series) -> bool:
            o = offsets(row)
            return o is not None and o[0] < o[1] and memo[o[0] : o[1]] == _text(row["exact"])

        def prefix_ok(row: pd.Series) -> bool:
            o = offsets(row)
            return o is not None and memo[max(0, o[0] - CONTEXT_CHARS) : o[0]] == _text(
                row["prefix"]
            )

        def suffix_ok(row: pd.Series) -> bool:
            o = offsets(row)
            return o is not None and memo[o[1] : o[1] + CONTEXT_CHARS] == _text(row["suffix"])

        def in_passage(row: pd.Series) -> bool:
            o, pid = offsets(row), _text(row["passage_id"])
            if o is None or pid not in passages.index:
                return True  # the type and foreign-key checks report these
            p = passages.loc[pid]
            return int(str(p["start"])) <= o[0] and o[1] <= int(str(p["end"]))

        def one_record(row: pd.Series) -> bool:
            return sum(not pd.isna(row[s]) for s in subjects) == 1

        add(
            "exact",
            _row_check(frame, exact_ok, "exact-at-offsets", "memo[start:end] must equal exact"),
        )
        # On the required offsets, so a prefix or suffix left empty is checked too.
        add(
            "start",
            _row_check(
                frame,
                prefix_ok,
                "prefix-at-offsets",
                "prefix must be the 32 code points before start",
            ),
        )
        add(
            "end",
            _row_check(
                frame, suffix_ok, "suffix-at-offsets", "suffix must be the 32 code points after end"
            ),
        )
        add(
            "passage_id",
            _row_check(
                frame, in_passage, "span-in-passage", "the span must lie inside this passage"
            ),
        )
        add(
            "evidence_id",
            _row_check(
                frame, one_record, "one-record", f"exactly one of {subjects} must be filled"
            ),
        )

    if schema.name == "passages":

        def text_at_offsets(row: pd.Series) -> bool:
            s, e = _text(row["start"]), _text(row["end"])
            return _is_integer(s) and _is_integer(e) and memo[int(s) : int(e)] == _text(row["text"])

        add(
            "text",
            _row_check(
                frame, text_at_offsets, "text-at-offsets", "memo[start:end] must equal text"
            ),
        )

    if schema.name == "documents":
        add(
            "sha256",
            _check(
                lambda s: s == ctx.memo_sha256,
                "memo-hash",
                f"the shipped memo's sha256 is {ctx.memo_sha256}",
            ),
        )
        add(
            "code_points",
            _check(
                lambda s: s == str(len(memo)),
                "memo-length",
                f"the shipped memo has {len(memo)} code points",
            ),
        )

    for name, checks in model_rules(schema, ctx.frames).items():
        out.setdefault(name, []).extend(checks)

    subject = contract.evidence_subjects.get(schema.name)
    if subject is not None:
        pk = schema.primary_key[0]
        evidence = ctx.frames.get("evidence", pd.DataFrame(columns=[subject, "exact"]))
        spans = (
            evidence.dropna(subset=[subject]).groupby(subject)["exact"].apply(list).to_dict()
            if subject in evidence
            else {}
        )
        add(
            pk,
            _check(
                lambda s: s.isin(set(spans)), "has-evidence", "every record needs an evidence span"
            ),
        )
        passage_text = dict(
            zip(ctx.column("passages", "passage_id"), ctx.column("passages", "text"), strict=True)
        )
        passages_of = (
            evidence.dropna(subset=[subject]).groupby(subject)["passage_id"].apply(list).to_dict()
            if subject in evidence
            else {}
        )
        for name in schema.verbatim_fields:

            def inside(row: pd.Series, n: str = name) -> bool:
                value = _text(row[n])
                texts = [passage_text.get(p, "") for p in passages_of.get(_text(row[pk]), [])]
                return not value or any(value in t for t in texts)

            add(
                name,
                _row_check(
                    frame,
                    inside,
                    "verbatim",
                    "must be words of a passage the record's evidence quotes",
                ),
            )
        if schema.name == "actors":

            def names_ok(row: pd.Series) -> bool:
                expected = NAME_SEPARATOR.join(dict.fromkeys(spans.get(_text(row[pk]), [])))
                return _text(row["names_as_written"]) == expected

            add(
                "names_as_written",
                _row_check(
                    frame,
                    names_ok,
                    "names-from-evidence",
                    "must list the actor's evidence quotes in order",
                ),
            )
    return out


def table_schema(schema: TableSchema, ctx: Context, contract: Contract) -> pa.DataFrameSchema:
    extra = provenance_checks(schema, ctx, contract)
    fks = {fk.field: fk for fk in schema.foreign_keys}
    columns = {}
    for field in schema.fields:
        name = field["name"]
        constraints = field.get("constraints", {})
        checks = field_checks(field)
        if name in fks:
            fk = fks[name]
            refs = ctx.values(fk.resource, fk.ref_field)
            checks.append(_isin(refs, "foreignKey", f"must be a {fk.resource}.{fk.ref_field}"))
        checks += extra.get(name, [])
        columns[name] = pa.Column(
            "string",
            checks=checks,
            nullable=not constraints.get("required", False),
            unique=bool(constraints.get("unique", False)),
            required=True,
            coerce=False,
        )
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=schema.primary_key,
        name=schema.name,
        report_duplicates="all",
    )
