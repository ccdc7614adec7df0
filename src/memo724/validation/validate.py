"""Validating a copy of the package: descriptor and hashes, the derived Pandera schemas with
their provenance checks, and on request Frictionless's full pass.

Every failure becomes a Problem naming table, row, field, value and rule. Row numbers are CSV
line numbers with the header as line 1, as Frictionless counts them (a record spanning lines
counts once, as there).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import ctypes
import dataclasses
import re
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow

from ..contract import Contract, singular
from ..contract.csv_rows import (
    CELL_COUNT,
    CSV_RULES,
    first_columns,
    has_oversized_cell,
    read_rows,
)
from ..contract.errors import OWN, Problem, Rule
from ..contract.evidence_ids import named_records
from ..contract.paths import Layout
from ..contract.rules import (
    FORMULA_LEADS,
    SPREADSHEET_MESSAGE,
    SPREADSHEET_RULE,
    formula_cells,
    unwrap,
)
from ..contract.typed import (
    Unparsed,
    parse_table,
    read_csv_text,
    to_pandas,
    unparsed_problems,
)
from .catalogue import CATALOGUE, PANDERA_RULES, TYPE
from .checks import Bound, bound
from .columns import arrow
from .rules import TimeModel
from .schemas import Context, derive
from .text import text_problems

# The name problems found by the derived schemas carry (the parse with their types included).
DERIVED = "pandera"


# Frictionless error types, as the Table Schema rule they enforce (constraint errors name theirs).
FRICTIONLESS_RULES = {
    "type-error": "type",
    "foreign-key": "foreignKey",
    "primary-key": "primaryKey",
    "unique-error": "unique",
    # a row with fewer or more cells than the header (an empty required cell is a
    # constraint-error "required")
    "missing-cell": "cell-count",
    "extra-cell": "cell-count",
    "source-error": "readable-csv",
}


def frictionless_rule(error: object) -> str:
    kind = str(getattr(error, "type", "error"))
    if kind == "constraint-error":
        match = re.match(r'constraint "(\w+)"', getattr(error, "note", "") or "")
        if match:
            return match.group(1)
    return FRICTIONLESS_RULES.get(kind, kind)


def _registered(name: str) -> str:
    """The catalogue's rule of that name, where it has one (else the name as given)."""
    entry = CATALOGUE.get(name)
    return entry.rule if entry is not None else name


def _pattern_rule(
    schemas: dict[str, dict[str, Any]], table: str, field: str | None, value: str | None
) -> tuple[str, str] | None:
    """A Frictionless pattern failure as the rule of the contract it came from, found from the
    schema it was checked against (never from its message): the spreadsheet rule for a
    formula-led cell, else the schema's own pattern."""
    fields = schemas.get(table, {}).get("fields", [])
    stated: dict[str, Any] = next((f for f in fields if f.get("name") == field), {})
    pattern = stated.get("constraints", {}).get("pattern")
    if not isinstance(pattern, str):
        return None
    safe, own = unwrap(pattern)
    if not safe:
        return None  # the schema's own pattern, as Frictionless words it
    if value is not None and value[:1] in FORMULA_LEADS:
        return SPREADSHEET_RULE, SPREADSHEET_MESSAGE
    return _registered("pattern"), f"must match {own}"


def frictionless_problems(
    layout: Layout, schemas: dict[str, dict[str, Any]] | None = None
) -> list[Problem]:
    """Frictionless's own pass over the package at layout; `schemas` (table -> the Table Schema
    it was given) names the contract's rule of each pattern failure."""
    # Imported here: Frictionless is slow to import and only this step needs it.
    from frictionless import Package

    problems = []
    counted: set[tuple[str, int | None]] = set()
    package = Package(str(layout.descriptor))
    report = package.validate()
    for error in report.errors:
        problems.append(
            Problem("datapackage.json", error.type, error.message, validator="frictionless")
        )
    for task in report.tasks:
        for error in task.errors:
            field = getattr(error, "field_name", None) or None  # "" for a row's error
            fields = getattr(error, "field_names", None) or []
            if field is None and len(fields) == 1:
                field = fields[0]
            table = task.name or task.place
            rule: str = _registered(frictionless_rule(error))
            message = getattr(error, "note", "") or error.message
            value = getattr(error, "cell", None)
            row = getattr(error, "row_number", None)
            if rule == "cell-count":
                # One line per row, as memo724's own reader gives it (Frictionless gives one
                # per missing or extra cell).
                if (table, row) in counted:
                    continue
                counted.add((table, row))
                field, value = None, None
            if rule == "pattern" and schemas is not None:
                rule, message = _pattern_rule(schemas, table, field, value) or (rule, message)
            problems.append(
                Problem(
                    table,
                    rule,
                    message,
                    row=row,
                    field=field,
                    value=value,
                    validator="frictionless",
                )
            )
    return problems


def _parse_problems(table: str, contract: Contract, unparsed: list[Unparsed]) -> list[Problem]:
    rules: dict[str, Rule] = {"type": TYPE, "enum": CATALOGUE["enum"].rule}
    return [
        dataclasses.replace(p, rule=rules[p.rule])
        for p in unparsed_problems(table, contract[table], unparsed, validator=DERIVED)
    ]


# A table's CSV: a file to read, or its bytes already read (and hashed) through the guard.
Source = Path | bytes


def _return_freed_memory() -> None:
    """Hand memory freed by Python back to the system, where the C library allows it (glibc).

    glibc keeps freed heap pages for reuse by malloc, but Arrow allocates from its own pool: the
    bytes of a table just parsed would stay counted beside the Arrow columns that replace them.
    Arrow's own pool (mimalloc or jemalloc) likewise keeps what it freed until asked.
    """
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(None).malloc_trim(0)
    pyarrow.default_memory_pool().release_unused()


def lean_memory_pool() -> pyarrow.MemoryPool:
    """Allocate Arrow buffers from jemalloc, where this pyarrow has it (Linux and macOS wheels);
    the pool it replaced, for the caller to put back (Arrow's pool is the whole process's: a
    notebook that validates keeps its own choice of pool afterwards).

    Arrow's default pool on Linux is mimalloc, which hands pages back to the system and faults
    them in again table after table: at 1M rows that was 2.3 s of system time more than jemalloc
    and a peak 70-90 MiB higher (measured with `/usr/bin/time -v`, back to back on the same
    package: 3.2-3.6 s against 0.9-1.1 s of system time, 609-633 MiB against 537-541 MiB).
    Only buffers allocated from here on come from it; those already allocated keep their pool.
    """
    before = pyarrow.default_memory_pool()
    if before.backend_name != "jemalloc":
        with contextlib.suppress(NotImplementedError):  # a pyarrow built without jemalloc
            pyarrow.set_memory_pool(pyarrow.jemalloc_memory_pool())
    return before


def load_typed(
    sources: dict[str, Source], contract: Contract, spreadsheet_safe: bool = False
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every readable table parsed with its schema's types, and every cell that does not parse.

    `sources` is consumed: each entry is removed as its table is read, so bytes handed over
    in memory are freed table by table. `spreadsheet_safe` also reports formula-led cells of the
    typed fields (contract.rules), on the same Arrow text, before it is typed and dropped.
    """
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    names = [name for name in contract.tables if name in sources]
    # The next table is read (pyarrow, without the GIL) on the second core while this one is
    # checked and typed here: at most two tables' text are held at once.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reads: list[Future[pyarrow.Table | OSError | None] | None] = []
        if names:
            reads.append(pool.submit(_read_text, sources[names[0]]))
        for i, name in enumerate(names):
            if i + 1 < len(names):
                reads.append(pool.submit(_read_text, sources[names[i + 1]]))
            future, reads[i] = reads[i], None
            assert future is not None
            handed = [future.result()]
            del future  # `_typed` holds the only reference, and drops it once typed
            problems += _typed(name, sources, handed, contract, spreadsheet_safe, frames)
    return frames, problems


def _read_text(source: Source) -> pyarrow.Table | OSError | None:
    """A table's text, the error that kept it from being read, or None when pyarrow refused
    it whole (in its own words, naming no row)."""
    try:
        return read_csv_text(source)
    except OSError as exc:
        return exc
    except (ValueError, csv.Error, pyarrow.ArrowException):
        return None


def _typed(
    name: str,
    sources: dict[str, Source],
    handed: list[pyarrow.Table | OSError | None],
    contract: Contract,
    spreadsheet_safe: bool,
    frames: dict[str, pd.DataFrame],
) -> list[Problem]:
    """One table's text (`handed` over from `_read_text`) checked and typed into `frames`; its
    problems. Its source and text are taken out of `sources` and `handed`, so they are freed
    here, before its frame is made."""
    problems: list[Problem] = []
    source, text = sources.pop(name), handed.pop()
    if isinstance(text, OSError):
        return [Problem(f"data/{name}.csv", "readable-csv", text.strerror or str(text))]
    if text is None or has_oversized_cell(text):
        # Read again row by row, to name each damaged row and check all the others.
        text, damage = read_rows(name, source, validator=OWN)
        problems += damage
        if text is None:
            return problems
    text, repeated = first_columns(name, text, validator=OWN)
    problems += repeated
    if spreadsheet_safe:
        problems += formula_cells(name, contract[name].descriptor, text)
        problems += text_problems(name, contract[name].descriptor, text)
    typed, unparsed = parse_table(contract[name], text)
    del text, source
    _return_freed_memory()
    problems += _parse_problems(name, contract, unparsed)
    frames[name] = to_pandas(typed)
    return problems


def schema_problems(
    contract: Contract, frames: dict[str, pd.DataFrame], memo: str | None
) -> list[Problem]:
    """Validate each typed frame with its derived schema, the other frames and memo as context.

    `frames` is consumed: once checked, every table but the last is replaced in it by a frame
    cut to its `consequence_columns` (pass a copy of the dict to keep whole frames).
    """
    ctx = Context(frames, memo)
    names = [name for name in contract.tables if name in frames]
    if not names:
        return []
    last = names[-1]
    # The last table (the largest, evidence) is checked on the second core while the others are
    # checked here: much of a check is Arrow and numpy work, which releases the GIL. Its schema
    # is derived first, here (deriving reads the context; checking never does).
    last_schema = derive(contract, last, ctx)
    with ThreadPoolExecutor(max_workers=1) as pool:
        checked = pool.submit(
            contextvars.copy_context().run,  # the caller's Pandera settings, in the thread too
            _failures,
            last,
            last_schema,
            frames[last],
        )
        del last_schema
        problems = []
        for name in names[:-1]:
            problems += _failures(name, derive(contract, name, ctx), frames[name])
            _return_freed_memory()
        # Every check has read its context (each rule reads the other tables when it is built,
        # never while it runs): the tables already checked keep only the columns the
        # problems' consequences are traced by.
        _keep_for_consequences(contract, frames, ctx, last)
        problems += checked.result()
    _return_freed_memory()
    return problems


def _failures(name: str, schema: pa.DataFrameSchema, frame: pd.DataFrame) -> list[Problem]:
    """One frame validated by its derived schema: the problems found."""
    # A shallow view (no data copied): Pandera registers the schema on the frame it validates,
    # which would keep every check's captured context (joined spans, windows) alive as long as
    # the frame; on the view it dies with the view.
    view = frame.copy(deep=False)
    try:
        schema.validate(view, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        return _pandera_failures(name, schema, exc.failure_cases)
    return []


def consequence_columns(contract: Contract) -> dict[str, list[str]]:
    """The columns of each table `mark_consequences` reads: every primary key, evidence's id and
    subject columns, the time links' subject and anchor columns."""
    kept: dict[str, list[str]] = {name: list(t.primary_key) for name, t in contract.tables.items()}
    if contract.evidence_table in kept:
        kept[contract.evidence_table] += ["evidence_id", *contract.evidence_subjects.values()]
    model = TimeModel.of(contract)
    if model is not None and model.links in kept:
        kept[model.links] += [*model.subjects.values(), *TIME_ANCHORS]
    return kept


def _keep_for_consequences(
    contract: Contract, frames: dict[str, pd.DataFrame], ctx: Context, current: str
) -> None:
    """Every frame but `current` cut to its `consequence_columns`, in `frames` and in the context
    (whose derived values are dropped too): the largest table, checked last (on its own
    thread), then runs on beside the other tables' keys only."""
    kept = consequence_columns(contract)
    for name, frame in frames.items():
        if name != current:
            wanted = [c for c in dict.fromkeys(kept.get(name, [])) if c in frame.columns]
            cut = frame[wanted]
            cut.attrs[CUT] = [c for c in frame.columns if c not in wanted]
            frames[name] = ctx.tables[name] = cut
    ctx.forget()
    _return_freed_memory()


# The attribute of a frame cut by `_keep_for_consequences`: the columns it no longer holds.
CUT = "memo724-columns-not-kept"


def _has(frame: pd.DataFrame, column: str) -> bool:
    """Whether a frame has a column; a column cut from it is an error, never a column the table
    lacks (which would let a consequence go unmarked without a word)."""
    if column in frame.columns:
        return True
    if column in frame.attrs.get(CUT, ()):
        raise LookupError(f"column {column} was not kept for tracing consequences")
    return False


def _failed_check(schema: pa.DataFrameSchema, case: dict[Any, Any]) -> Bound | None:
    """The check of ours that failed (Pandera names it by its place), or None for Pandera's own
    checks (dtype, nullable, unique, the column set), which carry no number."""
    number = case.get("check_number")
    if number is None or pd.isna(number):
        return None
    if case.get("schema_context") == "DataFrameSchema":
        checks = schema.checks
    else:
        column = schema.columns.get(str(case.get("column")))
        checks = [] if column is None else column.checks
    return bound(checks[int(number)]) if int(number) < len(checks) else None


def _pandera_failures(table: str, schema: pa.DataFrameSchema, cases: pd.DataFrame) -> list[Problem]:
    problems = []
    for case in cases.to_dict("records"):
        column = case.get("column")
        field = None if column is None or pd.isna(column) else str(column)
        check = _failed_check(schema, case)
        rule: str
        if check is not None:
            rule, message = check.rule, check.message
            if check.on_field is not None and field != check.on_field:
                at = case.get("index")
                if at is not None and not pd.isna(at):
                    continue  # Pandera lists every cell of a failing row; keep the rule's own
                # No row: the check raised instead of answering (Pandera names the table or no
                # column). Report it on its field, or a crashing rule would pass every table.
                field = check.on_field
        else:
            name = str(case["check"])
            if name.startswith("dtype("):  # Pandera's dtype check names the dtype it wanted
                rule, message = TYPE, f"the column's dtype must be {name[6:-1]}"
            else:
                rule = PANDERA_RULES.get(name, name)
                message = f"fails {rule}"
        index = case.get("index")
        row = None if index is None or pd.isna(index) else int(index) + 2
        value = case.get("failure_case")
        value = (
            None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        )
        if rule == "primaryKey" and row is not None:
            value = None
        if rule in ("missing-column", "unexpected-column", "column-order"):
            field, value = value, None  # Pandera names the table as the column here
        problems.append(
            Problem(table, rule, message, row=row, field=field, value=value, validator=DERIVED)
        )
    return problems


def validate_tables(
    contract: Contract,
    sources: dict[str, Source],
    memo: str | None,
    spreadsheet_safe: bool = False,
) -> list[Problem]:
    """The rows of the tables at `sources` (consumed, see `load_typed`): every cell parsed with
    its type, then the derived Pandera schemas with the other tables and the memo as context.
    Arrow allocates from `lean_memory_pool` meanwhile; the caller's pool is put back after."""
    callers_pool = lean_memory_pool()
    try:
        frames, read_problems = load_typed(sources, contract, spreadsheet_safe)
        found = schema_problems(contract, frames, memo)
    finally:
        pyarrow.set_memory_pool(callers_pool)
    # A cell that did not parse is missing in the typed frame: report it once, as unparsed.
    unparsed = {(p.where, p.row, p.field) for p in read_problems if p.rule in ("type", "enum")}
    found = [p for p in found if (p.where, p.row, p.field) not in unparsed]
    problems = [*read_problems, *mark_consequences(contract, frames, found)]
    # A row with broken structure (structure.py) is reported as that alone: its cells are padded,
    # cut or missing, so whatever else they break says nothing more.
    damaged = {(p.where, p.row) for p in read_problems if p.rule in CSV_RULES}
    if not damaged:
        return problems
    # A damaged header (row 1) leaves every row of its table padded or cut: only what is said of
    # the table as a whole (its columns) is kept beside it.
    headers = {p.where for p in read_problems if p.rule == CELL_COUNT and p.row == 1}
    return [
        p
        for p in problems
        if p.rule in CSV_RULES
        or ((p.where, p.row) not in damaged and (p.where not in headers or p.row is None))
    ]


# Rules a record fails only because an evidence row no longer points at it (or now points at
# it by mistake): its spans, the name forms they give, the verbatim words they must hold.
EVIDENCE_FOLLOWERS = frozenset({"has-evidence", "names-from-evidence", "verbatim"})
# The columns of the time links that anchor a link to an event or to the document.
TIME_ANCHORS = ("anchor_event_id", "anchor_document_id")
# The rule a record fails only because a time link that placed it lost a key.
TIME_FOLLOWERS = frozenset({"time-window"})


def mark_consequences(
    contract: Contract, frames: dict[str, pd.DataFrame], problems: list[Problem]
) -> list[Problem]:
    """Mark the problems that only follow from a broken link, with the row of the broken link.

    An evidence id names its record (`<kind>.<record id>.<start>`): an evidence row whose record
    column holds another value (a broken or moved foreign key) leaves the named record without
    that span and may give the record it now names one more. Their evidence-derived problems
    are consequences of the one foreign-key problem, and say so. Likewise a time link whose key
    is broken no longer places its record: the record's time window, derived from the links,
    is then wrong only because of that key (see `_time_link_causes`).
    """
    # Only the rules of EVIDENCE_FOLLOWERS can follow a broken evidence link: with none of them
    # failing (a valid package) the per-row scan of evidence is skipped; at 1M rows it costs
    # seconds.
    followers = any(p.rule in EVIDENCE_FOLLOWERS for p in problems)
    causes = [
        (EVIDENCE_FOLLOWERS, _evidence_causes(contract, frames) if followers else {}),
        (TIME_FOLLOWERS, _time_link_causes(contract, frames, problems)),
    ]
    tables = {t for _, cause in causes for t, _ in cause}
    if not tables:
        return problems
    keys = {
        name: frames[name][contract[name].primary_key[0]].astype("string").tolist()
        for name in tables
        if name in frames
    }
    marked = []
    for p in problems:
        rows = keys.get(p.where)
        if rows is not None and p.row is not None and 0 <= p.row - 2 < len(rows):
            key = str(rows[p.row - 2])
            follows = next(
                (
                    c[(p.where, key)]
                    for rules, c in causes
                    if p.rule in rules and (p.where, key) in c
                ),
                None,
            )
            if follows:
                p = dataclasses.replace(p, follows=follows)
        marked.append(p)
    return marked


def _evidence_causes(
    contract: Contract, frames: dict[str, pd.DataFrame]
) -> dict[tuple[str, str], str]:
    """(table, record id) -> the evidence row whose record column no longer names it."""
    name = contract.evidence_table
    evidence = None if name is None else frames.get(name)
    key = None if name is None or not contract[name].primary_key else contract[name].primary_key[0]
    if evidence is None or key is None or not _has(evidence, key):
        return {}
    kinds = {
        singular(t): (t, c) for t, c in contract.evidence_subjects.items() if _has(evidence, c)
    }
    cause: dict[tuple[str, str], str] = {}
    _, by_kind = named_records(arrow(evidence[key]), kinds)
    for kind, (rows, records) in by_kind.items():
        table, column = kinds[kind]
        cells = evidence[column].astype("string").iloc[rows].tolist()
        for row, named, value in zip(rows.tolist(), records.to_pylist(), cells, strict=True):
            if value is pd.NA or value is None or str(value) != named:
                where = f"evidence row {row + 2} ({column} is not {named!r})"
                cause.setdefault((table, named), where)
                if value is not pd.NA and value is not None:
                    cause.setdefault((table, str(value)), where)
    return cause


def _time_link_causes(
    contract: Contract, frames: dict[str, pd.DataFrame], problems: list[Problem]
) -> dict[tuple[str, str], str]:
    """(table, record id) -> the time link whose broken key leaves that record unplaced.

    A link's subject key that names nothing (a foreignKey problem) no longer places the record
    it was written for, which is then the record of that table that no link names; a broken
    anchor leaves the records its row still names without their anchor.
    """
    model = TimeModel.of(contract)
    links = None if model is None else frames.get(model.links)
    if model is None or links is None:
        return {}
    anchors = TIME_ANCHORS
    columns = {*model.subjects.values(), *anchors}
    broken = [
        p
        for p in problems
        if p.where == model.links
        and p.rule == "foreignKey"
        and p.field in columns
        and p.row is not None
        and 0 <= p.row - 2 < len(links)
    ]
    cause: dict[tuple[str, str], str] = {}
    for p in broken:
        where = f"{model.links} row {p.row} ({p.field} {p.value!r} names no record)"
        if p.field in anchors:
            row = links.iloc[(p.row or 2) - 2]
            for table, column in model.subjects.items():
                value = row.get(column)
                if value is not None and value is not pd.NA and str(value) != "":
                    cause.setdefault((table, str(value)), where)
            continue
        table = next(t for t, c in model.subjects.items() if c == p.field)
        frame = frames.get(table)
        if frame is None or not contract[table].primary_key:
            continue
        named = set(links[p.field].dropna().astype(str))
        for key in frame[contract[table].primary_key[0]].dropna().astype(str):
            if key not in named:
                cause.setdefault((table, key), where)
    return cause


def sorted_problems(problems: list[Problem], tables: Iterable[str]) -> list[Problem]:
    """Package problems first, then each table's in reading order (`tables`: the contract's,
    so a new table's problems take its place), by row and field."""
    order = {name: i for i, name in enumerate(("datapackage.json", "memo", *tables))}
    return sorted(
        problems,
        key=lambda p: (
            p.follows is not None,  # causes first, then what only follows from them
            order.get(p.where, 99),
            p.row or 0,
            p.field or "",
            p.validator or "",
        ),
    )
