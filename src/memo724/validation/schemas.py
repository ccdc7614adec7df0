"""One Pandera schema per table, derived from the Table Schemas: the validator's and the user's.

`derive(contract, "events", context)` returns a `pandera.pandas.DataFrameSchema` that validates
the typed frame `memo724.load("events")` returns (same dtypes: both come from
`contract/typed.py`). The command line parses each CSV with those types, reports every cell that
does not parse, and validates the typed frames with these same schemas.

What a schema checks depends on what it is given:
- always: each field's type (the column dtype), required, unique, enum, pattern, lengths and
  bounds; the primary key; foreign keys into the same table; every date group (the EDTF value's
  bounds and precision, start <= end); evidence's one-record rule;
- with the memo's text: offsets against the memo (passages' text, evidence's exact, prefix and
  suffix; the documents row's hash and length);
- with the other tables: foreign keys into them, spans inside their passage, evidence for every
  record, verbatim fields inside a quoted passage, `names_as_written` from the evidence.

Every check works on whole columns: Arrow-backed string kernels (RE2) for patterns and lengths,
hash joins (`isin`, `Index.get_indexer`) for keys, one Python call per *distinct* combination
for EDTF bounds, a group-by for names, and plain comprehensions only to slice the memo at
offsets, where no columnar kernel exists. A rule that needs several columns of a row is a
DataFrame-level check returning one boolean per row; its error reads "rule@field: message", so a
failure is reported on that field.

Backend: pandas, chosen by measurement. The polars backend was no faster on this workload (on a
1M-row frame with patterns, enums, bounds and a key, both took 5-6 s under the same load on this
2-core machine: Pandera's per-check bookkeeping dominates, not the kernels), and the pandas
backend validates exactly the frames `memo724.load()` returns by default, so users and the
command line share one schema. The measured end-to-end figures are in BENCHMARKS.md.

Written here rather than with `pandera.io.from_frictionless_schema` because that converter (as
measured for this project) never checks dates, coerces bad booleans to True, fails on nullable
integers and drops foreign keys, `format` and `exclusiveMinimum`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.engines import pandas_engine

from ..contract import CONTEXT_CHARS, NAME_SEPARATOR, Contract, TableSchema
from ..contract.edtf import EDTFError, bounds
from ..contract.rules import FORMULA_START, SAFE_START, SAFE_TEXT, SUPPORTED_CONSTRAINTS
from ..contract.typed import pandas_dtype
from .checks import column_check as _check
from .checks import row_rule as _row_rule
from .rules import model_rules
from .structure import CSV_RULES

# Rules Table Schema states (both validators enforce them); every other rule is provenance. The
# constraints are the ones the contract supports (contract.rules), named once there; the CSV's
# own structure (structure.py: cells per row, quotes, cell size, header) is refused by both too.
TABLE_SCHEMA_RULES = frozenset(
    {
        "type",
        "primaryKey",
        "foreignKey",
        "missing-column",
        "unexpected-column",
        "column-order",
        *SUPPORTED_CONSTRAINTS,
        *CSV_RULES,
    }
)


@dataclasses.dataclass(frozen=True)
class Text(pandas_engine.STRING):
    """pandas' Arrow-backed string dtype, checked once per column.

    Pandera's own STRING check answers with one boolean per cell and then reshapes the (empty)
    failures, about 5 ms a column whatever its length; the dtype alone decides this.
    """

    def check(self, pandera_dtype: Any, data_container: Any = None) -> bool:
        return bool(super().check(pandera_dtype, None))


def column_dtype(field: dict[str, Any]) -> Any:
    """The Pandera dtype of a field: the pandas dtype `memo724.load()` gives it."""
    dtype = pandas_dtype(field)
    return Text("pyarrow") if isinstance(dtype, pd.StringDtype) else dtype


class Context:
    """What cross-table checks need: the other typed frames and the memo text, both optional."""

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None = None, memo: str | None = None):
        self.tables = dict(tables or {})
        self.memo = memo
        self.memo_sha256 = (
            None if memo is None else hashlib.sha256(memo.encode("utf-8")).hexdigest()
        )

    def column(self, table: str, field: str) -> pd.Series | None:
        frame = self.tables.get(table)
        if frame is None or field not in frame:
            return None
        return frame[field]


def _ints(series: pd.Series) -> np.ndarray:
    """An integer column as int64, missing as -1 (offsets are never negative when valid)."""
    return series.astype("Int64").to_numpy(dtype="int64", na_value=-1)


def _arrow(series: pd.Series) -> pyarrow.ChunkedArray | pyarrow.Array:
    """The Arrow data under a column (no copy for Arrow-backed strings and dates)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pyarrow.array(series.astype("string").array)
    try:
        data = series.array._pa_array  # Arrow-backed: no copy
        # pandas 2.x already holds a ChunkedArray, which pyarrow < 16 cannot wrap again
        return data if isinstance(data, pyarrow.ChunkedArray) else pyarrow.chunked_array(data)
    except AttributeError:
        return pyarrow.array(series.array, from_pandas=True)


def _texts(series: pd.Series) -> list[str]:
    """A text column as Python strings, missing as ''."""
    return pc.fill_null(pc.cast(_arrow(series), pyarrow.string()), "").to_pylist()


def isin(series: pd.Series, values: pd.Series | Sequence[Any]) -> np.ndarray:
    """Whether each cell is one of `values` (missing cells: False), as an Arrow hash join.

    pandas' isin on Arrow strings builds a Python list of the values first; this does not.
    """
    if isinstance(series.dtype, pd.CategoricalDtype) or not len(series):
        return np.asarray(series.isin(list(values)), dtype=bool)
    value_set = _arrow(values) if isinstance(values, pd.Series) else pyarrow.array(values)
    cells = _arrow(series)
    if value_set.type != cells.type:
        value_set = pc.cast(value_set, cells.type)
    if isinstance(value_set, pyarrow.ChunkedArray):
        value_set = value_set.combine_chunks()
    found = pc.is_in(cells, value_set=value_set.drop_null())
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def _valid(series: pd.Series) -> np.ndarray:
    return series.notna().to_numpy(dtype=bool)


def _constraint_test(rule: str, value: Any, ftype: str) -> Callable[[pd.Series], Any]:
    """The whole-column test of one constraint (missing cells are dropped before it runs)."""
    if rule == "enum":
        return lambda s: pd.Series(isin(s, list(value)), index=s.index)
    if rule == "pattern":
        return _pattern_test(value)
    if rule == "minLength":
        return lambda s: s.astype("string").str.len() >= value
    if rule == "maxLength":
        return lambda s: s.astype("string").str.len() <= value
    limit = date.fromisoformat(str(value)) if ftype == "date" else value
    if rule == "minimum":
        return lambda s: s >= limit
    if rule == "maximum":
        return lambda s: s <= limit
    raise ValueError(f"constraint {rule} has no Pandera derivation")


def _matches(series: pd.Series, regex: str) -> np.ndarray:
    found = pc.match_substring_regex(pc.cast(_arrow(series), pyarrow.string()), regex)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def _pattern_test(pattern: str) -> Callable[[pd.Series], Any]:
    """The whole value must match (Table Schema patterns are XML Schema style), tested by Arrow.

    The spreadsheet-safe rule is written into patterns as a lookahead (contract.rules.SAFE_START),
    which RE2 lacks: pandas would then match every cell with Python's `re`, the slowest check of
    a large package. Here the lookahead becomes one test of the first character and the rest one
    RE2 match; a pattern RE2 cannot compile falls back to Python's `re`.
    """
    safe = pattern.startswith(SAFE_START)
    inner: str | None = pattern[len(SAFE_START) :] if safe else pattern
    if inner == SAFE_TEXT[len(SAFE_START) :]:
        inner = None  # any text: only the first character is tested

    def test(series: pd.Series) -> pd.Series:
        ok = np.ones(len(series), dtype=bool)
        if inner is not None:
            try:
                ok &= _matches(series, f"^(?:{inner})$")
            except pyarrow.ArrowInvalid:  # not RE2 syntax
                return series.astype("string").str.fullmatch(pattern).fillna(False).astype(bool)
        if safe:
            ok &= ~_matches(series, FORMULA_START)
        return pd.Series(ok, index=series.index)

    return test


MESSAGES = {
    "enum": "must be one of {}",
    "pattern": "must match {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minimum": "must be >= {}",
    "maximum": "must be <= {}",
}


def field_checks(field: dict[str, Any]) -> list[pa.Check]:
    """One Pandera check per Table Schema constraint, named after the rule (the type is the
    column's dtype; required and unique are column options)."""
    ftype = field.get("type", "string")
    checks = []
    for rule, value in field.get("constraints", {}).items():
        if rule in ("required", "unique"):
            continue
        if rule not in MESSAGES:
            raise ValueError(f"field {field['name']}: constraint {rule} has no Pandera derivation")
        checks.append(
            _check(_constraint_test(rule, value, ftype), rule, MESSAGES[rule].format(value))
        )
    return checks


def _isin(values: pd.Series) -> Callable[[pd.Series], pd.Series]:
    return lambda s: pd.Series(isin(s, values), index=s.index)


def _distinct_rows(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, first row of each code) for the distinct combinations of `columns`."""
    key = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes + 1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse, first


def _plain(value: Any) -> Any:
    return None if value is None or value is pd.NA or value is pd.NaT or value != value else value


def per_distinct(
    frame: pd.DataFrame, columns: Sequence[str], test: Callable[..., bool]
) -> np.ndarray:
    """Run `test(*values)` once per distinct combination of `columns`, spread to every row."""
    if len(frame) == 0:
        return np.ones(0, dtype=bool)
    inverse, first = _distinct_rows(frame, columns)
    sample = [[_plain(v) for v in frame[c].iloc[first].astype(object).tolist()] for c in columns]
    verdicts = np.array([bool(test(*values)) for values in zip(*sample, strict=True)])
    return verdicts[inverse]


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


def _date_group_checks(prefix: str) -> list[pa.Check]:
    edtf, start, end, precision = (f"{prefix}_{s}" for s in ("edtf", "start", "end", "precision"))

    def ordered(frame: pd.DataFrame) -> np.ndarray:
        return ~(frame[start] > frame[end]).fillna(False).to_numpy(dtype=bool)

    def readable(frame: pd.DataFrame) -> np.ndarray:
        return per_distinct(frame, [edtf], _edtf_readable)

    checks = [
        _row_rule(ordered, "date-order", end, f"{end} before {start}", [start, end]),
        _row_rule(readable, "edtf", edtf, "must be an EDTF value of the codebook", [edtf]),
    ]
    # Each derived cell is judged on its own field, so a report names the cell that is wrong
    # (a bad start is not reported as a bad precision). The precision column is required, so
    # a row with no EDTF value is checked too.
    for field, part in ((start, "start"), (end, "end"), (precision, "precision")):

        def matches(frame: pd.DataFrame, field: str = field, part: str = part) -> np.ndarray:
            return per_distinct(frame, [edtf, field], _edtf_part(part))

        checks.append(
            _row_rule(
                matches,
                "edtf-bounds",
                field,
                f"must be the {part} that {edtf} gives",
                [edtf, field],
            )
        )
    return checks


def _foreign_key_checks(
    schema: TableSchema, ctx: Context
) -> tuple[list[pa.Check], dict[str, list[pa.Check]]]:
    """(row checks for keys into the same table, column checks for keys into the others)."""
    rows: list[pa.Check] = []
    columns: dict[str, list[pa.Check]] = {}
    for fk in schema.foreign_keys:
        message = f"must be a {fk.resource}.{fk.ref_field}"
        if fk.resource == schema.name:  # into the same table: the frame itself is the reference

            def inside(frame: pd.DataFrame, f: str = fk.field, r: str = fk.ref_field) -> np.ndarray:
                child = frame[f]
                return child.isna().to_numpy(dtype=bool) | isin(child, frame[r].dropna())

            rows.append(
                _row_rule(inside, "foreignKey", fk.field, message, [fk.field, fk.ref_field])
            )
            continue
        parent = ctx.column(fk.resource, fk.ref_field)
        if parent is None:
            continue
        columns.setdefault(fk.field, []).append(
            _check(_isin(parent.dropna()), "foreignKey", message)
        )
    return rows, columns


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
        text = pc.fill_null(pc.cast(_arrow(column), pyarrow.large_string()), "")
        if isinstance(text, pyarrow.ChunkedArray):
            text = text.combine_chunks()
        # Blocks of about 4 MiB of gathered text, so the byte index (8 bytes a byte) stays small.
        widths = np.maximum(np.clip(end, 0, self.length) - np.clip(start, 0, self.length), 0)
        block = np.cumsum(widths) // (1 << 22)
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


def _span_checks(memo: MemoSlices) -> list[pa.Check]:
    """evidence: the quote and its context are the memo's code points at the offsets."""
    n = CONTEXT_CHARS

    def exact(frame: pd.DataFrame) -> np.ndarray:
        s, e = _ints(frame["start"]), _ints(frame["end"])
        return (s >= 0) & (s < e) & memo.equal(s, e, frame["exact"])

    def prefix(frame: pd.DataFrame) -> np.ndarray:
        s, e = _ints(frame["start"]), _ints(frame["end"])
        return (s >= 0) & (e >= 0) & memo.equal(np.maximum(s - n, 0), s, frame["prefix"])

    def suffix(frame: pd.DataFrame) -> np.ndarray:
        s, e = _ints(frame["start"]), _ints(frame["end"])
        return (s >= 0) & (e >= 0) & memo.equal(e, e + n, frame["suffix"])

    return [
        _row_rule(
            exact,
            "exact-at-offsets",
            "exact",
            "memo[start:end] must equal exact",
            ["start", "end", "exact"],
        ),
        # On the required offsets, so a prefix or suffix left empty is checked too.
        _row_rule(
            prefix,
            "prefix-at-offsets",
            "start",
            f"prefix must be the {CONTEXT_CHARS} code points before start",
            ["start", "end", "prefix"],
        ),
        _row_rule(
            suffix,
            "suffix-at-offsets",
            "end",
            f"suffix must be the {CONTEXT_CHARS} code points after end",
            ["start", "end", "suffix"],
        ),
    ]


def _in_passage_check(passages: pd.DataFrame) -> pa.Check:
    """evidence: the span lies inside the passage it names."""
    table = passages.dropna(subset=["passage_id"]).drop_duplicates("passage_id")
    index = pd.Index(table["passage_id"].astype(object))
    p_start, p_end = _ints(table["start"]), _ints(table["end"])

    def inside(frame: pd.DataFrame) -> np.ndarray:
        at = index.get_indexer(frame["passage_id"].astype(object))
        s, e = _ints(frame["start"]), _ints(frame["end"])
        known = (at >= 0) & (s >= 0) & (e >= 0)  # types and foreign keys report the others
        at = np.where(known, at, 0)
        ok = (p_start[at] <= s) & (e <= p_end[at]) & (p_start[at] >= 0)
        return ~known | ok

    return _row_rule(
        inside,
        "span-in-passage",
        "passage_id",
        "the span must lie inside this passage",
        ["passage_id", "start", "end"],
    )


def _record_checks(
    schema: TableSchema, subject: str, evidence: pd.DataFrame, passages: pd.DataFrame | None
) -> tuple[list[pa.Check], list[pa.Check]]:
    """(checks on the key column, row checks) tying a record table to its evidence."""
    pk = schema.primary_key[0]
    if subject not in evidence:
        return [], []
    quoted = evidence[subject].dropna()
    key_checks = [_check(_isin(quoted), "has-evidence", "every record needs an evidence span")]
    needed = [c for c in (subject, "passage_id", "exact") if c in evidence]
    spans = evidence.loc[evidence[subject].notna(), needed]
    rows: list[pa.Check] = []

    if passages is not None and "passage_id" in spans and "text" in passages:
        table = passages.dropna(subset=["passage_id"]).drop_duplicates("passage_id")
        texts = [*_texts(table["text"]), ""]  # the last entry: a passage that does not exist
        at = pd.Index(table["passage_id"].astype(object)).get_indexer(
            spans["passage_id"].astype(object)
        )
        span_text = [texts[i] for i in at]  # -1 picks the empty text
        span_record = spans[subject].astype(object)

        for name in schema.verbatim_fields:

            def inside(frame: pd.DataFrame, n: str = name) -> np.ndarray:
                record_at = pd.Index(frame[pk].astype(object)).get_indexer(span_record)
                values = _texts(frame[n])
                hit = np.fromiter(
                    (r >= 0 and values[r] in t for r, t in zip(record_at, span_text, strict=True)),
                    bool,
                    len(span_text),
                )
                found = np.bincount(record_at[hit], minlength=len(frame)) > 0
                return found | ~_valid(frame[n])

            rows.append(
                _row_rule(
                    inside,
                    "verbatim",
                    name,
                    "must be words of a passage the record's evidence quotes",
                    [pk, name],
                )
            )

    if schema.name == "actors" and "exact" in spans:
        forms = spans[[subject, "exact"]].dropna().drop_duplicates()
        quotes: dict[str, list[str]] = {}
        for record, quote in zip(_texts(forms[subject]), _texts(forms["exact"]), strict=True):
            quotes.setdefault(record, []).append(quote)
        expected = {record: NAME_SEPARATOR.join(said) for record, said in quotes.items()}

        def names(frame: pd.DataFrame) -> np.ndarray:
            keys, written = _texts(frame[pk]), _texts(frame["names_as_written"])
            return np.fromiter(
                (expected.get(k, "") == w for k, w in zip(keys, written, strict=True)),
                bool,
                len(keys),
            )

        rows.append(
            _row_rule(
                names,
                "names-from-evidence",
                "names_as_written",
                "must list the actor's evidence quotes in order",
                [pk, "names_as_written"],
            )
        )
    return key_checks, rows


def derive(contract: Contract, name: str, ctx: Context | None = None) -> pa.DataFrameSchema:
    """The Pandera schema of one table; `ctx` adds the checks that need the memo or other tables."""
    ctx = ctx or Context()
    schema = contract[name]
    rows, extra = _foreign_key_checks(schema, ctx)
    for prefix in schema.date_groups:
        rows += _date_group_checks(prefix)

    subjects = list(contract.evidence_subjects.values())
    if name == "evidence":

        def one_record(frame: pd.DataFrame) -> np.ndarray:
            present = [s for s in subjects if s in frame.columns]
            return (frame[present].notna().sum(axis=1) == 1).to_numpy(dtype=bool)

        rows.append(
            _row_rule(
                one_record,
                "one-record",
                "evidence_id",
                f"exactly one of {subjects} must be filled",
                ["evidence_id"],
            )
        )
        if ctx.memo is not None:
            rows += _span_checks(MemoSlices(ctx.memo))
        passages = ctx.tables.get("passages")
        if passages is not None and {"passage_id", "start", "end"} <= set(passages.columns):
            rows.append(_in_passage_check(passages))

    if name == "passages" and ctx.memo is not None:
        memo = MemoSlices(ctx.memo)

        def text_at_offsets(frame: pd.DataFrame) -> np.ndarray:
            s, e = _ints(frame["start"]), _ints(frame["end"])
            return (s >= 0) & memo.equal(s, e, frame["text"])

        rows.append(
            _row_rule(
                text_at_offsets,
                "text-at-offsets",
                "text",
                "memo[start:end] must equal text",
                ["start", "end", "text"],
            )
        )

    if name == "documents" and ctx.memo is not None:
        sha, length = ctx.memo_sha256, len(ctx.memo)
        extra.setdefault("sha256", []).append(
            _check(lambda s: s == sha, "memo-hash", f"the shipped memo's sha256 is {sha}")
        )
        extra.setdefault("code_points", []).append(
            _check(
                lambda s: s == length, "memo-length", f"the shipped memo has {length} code points"
            )
        )

    rows += model_rules(schema, ctx.tables)

    subject = contract.evidence_subjects.get(name)
    evidence = ctx.tables.get("evidence")
    if subject is not None and evidence is not None:
        key_checks, record_rows = _record_checks(
            schema, subject, evidence, ctx.tables.get("passages")
        )
        extra.setdefault(schema.primary_key[0], []).extend(key_checks)
        rows += record_rows

    columns = {}
    for field in schema.fields:
        fname = field["name"]
        constraints = field.get("constraints", {})
        columns[fname] = pa.Column(
            column_dtype(field),
            checks=field_checks(field) + extra.get(fname, []),
            nullable=not constraints.get("required", False),
            unique=bool(constraints.get("unique", False)),
            required=True,
            coerce=False,
        )
    # A one-field key whose field is declared unique is checked once, as that column's rule.
    pk = schema.primary_key
    key_is_unique = len(pk) == 1 and columns[pk[0]].unique
    return pa.DataFrameSchema(
        columns,
        checks=rows,
        strict=True,
        ordered=True,
        unique=None if key_is_unique else pk,
        name=name,
        report_duplicates="all",
    )
