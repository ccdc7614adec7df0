"""Every rule of the catalogue, with a passing and a failing case, in one table.

Each case changes the repository's own tables (or a schema, where no field of the contract uses
the constraint) as CSV text and runs the validators' own path (`validate_tables`, as `judge`
does, with the derived rules written in). A failing case must report its rule at the cell it
names, as the catalogue's rule object; a passing case (the boundary: one short of failing, the
same value, the order kept) must not report it. The pristine tables report nothing.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rule_cases import RuleCase

from memo724.contract import CONTEXT_CHARS, TABLES, Contract
from memo724.contract.errors import Problem, Rule
from memo724.contract.files import MAX_CELL_CHARS, MAX_SCHEMA_BYTES
from memo724.contract.limits import MAX_JSON_DEPTH
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO, Layout
from memo724.contract.release import release_contract
from memo724.contract.rules import effective_schema
from memo724.publication.package import csv_text
from memo724.validation.api import judge
from memo724.validation.catalogue import CATALOGUE
from memo724.validation.drift import _one_line
from memo724.validation.guard import MEMORY_PER_BYTE
from memo724.validation.validate import sorted_problems, validate_tables

Row = dict[str, str]
Tables = dict[str, list[Row]]


@cache
def memo() -> str:
    return read_memo(REPO.memo)


@cache
def contract() -> Contract:
    return Contract(REPO.schemas)


@cache
def pristine() -> tuple[Tables, dict[str, str]]:
    tables, texts = {}, {}
    for name in contract().tables:
        text = REPO.table(name).read_text(encoding="utf-8")
        texts[name] = text
        tables[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return tables, texts


def first(rows: list[Row], test: Callable[[Row], bool]) -> int:
    return next(i for i, r in enumerate(rows) if test(r))


@dataclass(frozen=True)
class Case:
    rule: str
    fails: bool
    table: str
    change: Callable[[Tables], int | None]  # edits the rows; the row index it expects, if any
    field: str | None
    schema: Callable[[dict[str, Any]], None] | None = None  # edits the effective schemas
    raw: Callable[[str], str] | None = None  # edits the table's CSV text as written
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fails' if self.fails else 'passes'}-{self.why}".rstrip("-")


def run(case: Case) -> tuple[list[Problem], int | None]:
    tables, _ = pristine()
    tables = copy.deepcopy(tables)
    row = case.change(tables)
    schemas = {
        name: effective_schema(name, s.descriptor, len(memo()))
        for name, s in contract().tables.items()
    }
    if case.schema is not None:
        case.schema(schemas)
    judged = Contract.of(schemas)
    sources: dict[str, Any] = {}
    for name, rows in tables.items():
        fields = list(rows[0]) if rows else judged[name].field_names
        text = csv_text(fields, rows)
        if case.raw is not None and name == case.table:
            text = case.raw(text)
        sources[name] = text.encode("utf-8")
    return validate_tables(judged, sources, memo(), spreadsheet_safe=True), row


def edit(table: str, pick: Callable[[Row], bool], **cells: str | Callable[[Row], str]):
    """A change: the first row of `table` that `pick` accepts gets `cells` (values or functions
    of the row); it returns that row's index."""

    def change(tables: Tables) -> int:
        rows = tables[table]
        i = first(rows, pick)
        for field, value in cells.items():
            rows[i][field] = value(rows[i]) if callable(value) else value
        return i

    return change


def anyrow(_: Row) -> bool:
    return True


def constraint(table: str, field: str, **rules: Any) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        for f in schemas[table]["fields"]:
            if f["name"] == field:
                f.setdefault("constraints", {}).update(rules)

    return change


def renamed_rows(
    table: str, old: str, new: str, pick: Callable[[Row], bool] | None = None
) -> Callable[[Tables], int | None]:
    """A change: column `old` of `table` is called `new` (in place); the first row `pick`
    accepts, if given, gets its value upper-cased (the memo's words in another case)."""

    def change(tables: Tables) -> int | None:
        tables[table] = [{new if k == old else k: v for k, v in r.items()} for r in tables[table]]
        if pick is None:
            return None
        i = first(tables[table], pick)
        tables[table][i][new] = tables[table][i][new].upper()
        return i

    return change


def renamed_field(table: str, old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        for f in schemas[table]["fields"]:
            if f["name"] == old:
                f["name"] = new

    return change


def drop_column(table: str, field: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        for r in tables[table]:
            del r[field]

    return change


def add_column(tables: Tables) -> None:
    for r in tables["events"]:
        r["notes"] = ""


def swap_columns(tables: Tables) -> None:
    tables["events"] = [
        {"summary": r["summary"], "event_id": r["event_id"]}
        | {k: v for k, v in r.items() if k not in ("event_id", "summary")}
        for r in tables["events"]
    ]


def duplicate_key_row(tables: Tables) -> int:
    rows = tables["risk_actors"]
    rows.insert(1, dict(rows[0]))
    return 1


def new_actor(tables: Tables) -> int:
    row = dict(tables["actors"][0])
    row["actor_id"] = "zz-actor-with-no-evidence"
    tables["actors"].append(row)
    return len(tables["actors"]) - 1


def days(value: str, n: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(value) + timedelta(days=n)).isoformat()


def second_line(change: Callable[[str], str]) -> Callable[[str], str]:
    """Edit the first data line of a CSV text."""

    def edit_text(text: str) -> str:
        header, line, rest = text.split("\n", 2)
        return "\n".join([header, change(line), rest])

    return edit_text


def last_line(change: Callable[[str], str]) -> Callable[[str], str]:
    """Edit the last data line of a CSV text (one ending in a line break)."""

    def edit_text(text: str) -> str:
        rest, line, end = text.rsplit("\n", 2)
        return "\n".join([rest, change(line), end])

    return edit_text


def has_both(r: Row) -> bool:
    return r["date_start"] != "" and r["date_end"] != ""


NAMED = "afghan-anti-taliban-resistance"  # an actor with two name forms in the memo
RISK_AUTHOR = "afghan-refugee-flows-into-central-asia"  # a risk in the author's own view
LONG_ID = "a" * 64


def author_risk(r: Row) -> bool:
    return r["attribution"] == "author"


def span(r: Row) -> bool:
    return r["actor_id"] != ""


OTHER_EVENT = "taliban-takeover-of-afghanistan"  # an event to anchor a time link to


def quoting(row: Row, passage: str, start: int, end: int) -> Row:
    """The evidence row made to quote memo[start:end] in `passage`, with its context and an id
    naming the new start, as the build writes them."""
    m, n = memo(), CONTEXT_CHARS
    return dict(
        row,
        evidence_id=f"{row['evidence_id'].rsplit('.', 1)[0]}.{start}",
        passage_id=passage,
        start=str(start),
        end=str(end),
        exact=m[start:end],
        prefix=m[max(start - n, 0) : start],
        suffix=m[end : end + n],
    )


def respan(
    pick: Callable[[Row], bool], where: Callable[[Tables, Row], tuple[str, int, int]]
) -> Callable[[Tables], int]:
    """A change: the first evidence row `pick` accepts quotes (passage, start, end) instead."""

    def change(tables: Tables) -> int:
        rows = tables["evidence"]
        i = first(rows, pick)
        rows[i] = quoting(rows[i], *where(tables, rows[i]))
        return i

    return change


def passage_of(tables: Tables, row: Row) -> Row:
    """The passage an evidence row names."""
    return tables["passages"][
        first(tables["passages"], lambda p: p["passage_id"] == row["passage_id"])
    ]


def whole_passage(tables: Tables, row: Row) -> tuple[str, int, int]:
    passage = passage_of(tables, row)
    return row["passage_id"], int(passage["start"]), int(passage["end"])


def new_actor_quoted(tables: Tables) -> int:
    """The new actor of `new_actor` (a copy of the first), with a span of the first's words."""
    at = new_actor(tables)
    copied = tables["actors"][0]["actor_id"]
    evidence = tables["evidence"]
    quoted = dict(evidence[first(evidence, lambda r: r["actor_id"] == copied)])
    quoted["actor_id"] = tables["actors"][at]["actor_id"]
    quoted["evidence_id"] = quoted["evidence_id"].replace(copied, quoted["actor_id"], 1)
    evidence.append(quoted)
    return at


def name_quoted_again(tables: Tables) -> int:
    """Russia quoted once more in a form its names already list (the next 'Russia' in the
    passage of its span that quotes it so): the form is listed once, where it first occurs."""
    evidence = tables["evidence"]
    said = evidence[first(evidence, lambda r: r["actor_id"] == "russia" and r["exact"] == "Russia")]
    start = memo().index("Russia", int(said["end"]), int(passage_of(tables, said)["end"]))
    evidence.append(quoting(said, said["passage_id"], start, start + len("Russia")))
    return first(tables["actors"], lambda r: r["actor_id"] == "russia")


def other_perceiver(tables: Tables) -> int:
    """The first risk in an actor's view that another actor perceives too, attributed to that
    other perceiver."""
    perceivers: dict[str, list[str]] = {}
    for link in tables["risk_actors"]:
        if link["role"] == "perceiver":
            perceivers.setdefault(link["risk_id"], []).append(link["actor_id"])
    risks = tables["risks"]
    i = first(
        risks,
        lambda r: (
            r["attributed_to_actor_id"] != ""
            and len(set(perceivers.get(r["risk_id"], [])) - {r["attributed_to_actor_id"]}) > 0
        ),
    )
    holder = risks[i]["attributed_to_actor_id"]
    risks[i]["attributed_to_actor_id"] = next(
        a for a in perceivers[risks[i]["risk_id"]] if a != holder
    )
    return i


def emptied(table: str, field: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        for r in tables[table]:
            r[field] = ""

    return change


def declared(table: str, field: str) -> Callable[[dict[str, Any]], None]:
    """The schema with one more (last) text field."""

    def change(schemas: dict[str, Any]) -> None:
        schemas[table]["fields"].append({"name": field, "type": "string"})

    return change


def swapped_fields(table: str, a: str, b: str) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        fields = schemas[table]["fields"]
        i, j = (next(k for k, f in enumerate(fields) if f["name"] == n) for n in (a, b))
        fields[i], fields[j] = fields[j], fields[i]

    return change


def quoted_last_cell(text: str) -> Callable[[str], str]:
    """A line whose last cell is `text`, quoted."""

    def change(line: str) -> str:
        return line.rpartition(",")[0] + ',"' + text.replace('"', '""') + '"'

    return change


def escaped_quote(line: str) -> str:
    """The line with its second cell quoted, ending in a doubled (escaped) quote."""
    head, cell, rest = line.split(",", 2)
    return f'{head},"{cell}""",{rest}'


def renamed_field_cases(
    rule: str, table: str, old: str, new: str, pick: Callable[[Row], bool]
) -> list[Case]:
    """A span rule applies by memoText, whatever its field is called: the field renamed in the
    schema and the rows, broken at a row `pick` accepts, and left whole."""
    schema = renamed_field(table, old, new)
    return [
        Case(
            rule,
            True,
            table,
            renamed_rows(table, old, new, pick),
            new,
            schema=schema,
            why="renamed-field",
        ),
        Case(
            rule,
            False,
            table,
            renamed_rows(table, old, new),
            new,
            schema=schema,
            why="renamed-field",
        ),
    ]


CASES: list[Case] = [
    # Table Schema, as the typed reader and Pandera check it
    Case("type", True, "events", edit("events", has_both, date_start="2021-02-30"), "date_start"),
    Case("type", False, "events", edit("events", has_both), "date_start", why="unchanged"),
    Case("required", True, "actors", edit("actors", anyrow, name=""), "name"),
    Case("required", False, "actors", edit("actors", anyrow, name=" x"), "name", why="one char"),
    Case(
        "unique",
        True,
        "actors",
        edit("actors", lambda r: r["actor_id"] == NAMED, actor_id="abdul-latif-pedram"),
        "actor_id",
    ),
    Case(
        "unique",
        False,
        "actors",
        edit("actors", lambda r: r["actor_id"] == NAMED, actor_id="Abdul-Latif-Pedram"),
        "actor_id",
        why="case-only",
    ),
    Case("primaryKey", True, "risk_actors", duplicate_key_row, None),
    Case("primaryKey", False, "risk_actors", lambda t: None, None, why="pristine"),
    Case("missing-column", True, "events", drop_column("events", "place"), "place"),
    Case("missing-column", False, "events", emptied("events", "place"), "place", why="emptied"),
    Case("unexpected-column", True, "events", add_column, "notes"),
    Case(
        "unexpected-column",
        False,
        "events",
        add_column,
        "notes",
        schema=declared("events", "notes"),
        why="declared",
    ),
    Case("column-order", True, "events", swap_columns, None),
    Case(
        "column-order",
        False,
        "events",
        swap_columns,
        None,
        schema=swapped_fields("events", "event_id", "summary"),
        why="as-the-schema",
    ),
    Case("cell-count", True, "actors", lambda t: 0, None, raw=second_line(lambda s: s + ",x")),
    Case(
        "cell-count",
        False,
        "actors",
        lambda t: 0,
        None,
        raw=second_line(quoted_last_cell(",x")),
        why="quoted-comma",
    ),
    Case(
        "unclosed-quote",
        True,
        "actors",
        lambda t: 0,
        None,
        raw=second_line(lambda s: s.replace(",", ',"', 1)),
    ),
    Case(
        "unclosed-quote",
        False,
        "actors",
        lambda t: 0,
        None,
        raw=second_line(escaped_quote),
        why="escaped-quote",
    ),
    Case(
        "cell-size",
        True,
        "actors",
        edit("actors", anyrow, role_title="x" * (MAX_CELL_CHARS + 1)),
        "role_title",
        why="one-past",
    ),
    Case(
        "cell-size",
        False,
        "actors",
        edit("actors", anyrow, role_title="x" * MAX_CELL_CHARS),
        "role_title",
        why="boundary",
    ),
    Case(
        "cell-size",
        False,
        "actors",
        edit("actors", anyrow, role_title="x" * MAX_CELL_CHARS),
        "role_title",
        raw=last_line(lambda s: s + ",x"),  # refused by pyarrow: every row measured one by one
        why="boundary-row-by-row",
    ),
    Case(
        "duplicate-column",
        True,
        "actors",
        lambda t: None,
        "name",
        raw=lambda s: s.replace("names_as_written", "name", 1),
    ),
    Case(
        "duplicate-column",
        False,
        "actors",
        lambda t: None,
        "name",
        raw=lambda s: s.replace("names_as_written", "Name", 1),
        why="case-only",
    ),
    # constraints
    Case(
        "enum",
        True,
        "events",
        edit("events", anyrow, factuality="Hypothetical"),
        "factuality",
        why="case-only",
    ),
    Case("enum", False, "events", edit("events", anyrow, factuality="occurred"), "factuality"),
    Case(
        "pattern",
        True,
        "actors",
        edit("actors", lambda r: r["iso3"] != "", iso3=lambda r: r["iso3"].lower()),
        "iso3",
        why="case-only",
    ),
    Case("pattern", False, "actors", edit("actors", lambda r: r["iso3"] != "", iso3="ZZZ"), "iso3"),
    Case(
        "minLength",
        True,
        "actors",
        edit("actors", lambda r: r["role_title"] == "", role_title="abcd"),
        "role_title",
        schema=constraint("actors", "role_title", minLength=5),
        why="one-short",
    ),
    Case(
        "minLength",
        False,
        "actors",
        edit("actors", lambda r: r["role_title"] == "", role_title="abcde"),
        "role_title",
        schema=constraint("actors", "role_title", minLength=5),
        why="boundary",
    ),
    Case(
        "maxLength",
        True,
        "actors",
        edit("actors", anyrow, actor_id=LONG_ID + "a"),
        "actor_id",
        why="one-past",
    ),
    Case(
        "maxLength",
        False,
        "actors",
        edit("actors", anyrow, actor_id=LONG_ID),
        "actor_id",
        why="boundary",
    ),
    Case(
        "minimum",
        True,
        "documents",
        edit("documents", anyrow, number="0"),
        "number",
        why="one-past",
    ),
    Case(
        "minimum",
        False,
        "documents",
        edit("documents", anyrow, number="1"),
        "number",
        why="boundary",
    ),
    Case(
        "maximum",
        True,
        "documents",
        edit("documents", anyrow, number="725"),
        "number",
        schema=constraint("documents", "number", maximum=724),
        why="one-past",
    ),
    Case(
        "maximum",
        False,
        "documents",
        edit("documents", anyrow),
        "number",
        schema=constraint("documents", "number", maximum=724),
        why="boundary",
    ),
    Case(
        "spreadsheet-safe", True, "actors", edit("actors", anyrow, role_title="=1+1"), "role_title"
    ),
    Case(
        "spreadsheet-safe",
        True,
        "documents",
        edit("documents", anyrow, number="+724"),
        "number",
        why="typed",
    ),
    Case(
        "spreadsheet-safe",
        False,
        "actors",
        edit("actors", anyrow, role_title="1+1=2"),
        "role_title",
        why="inner",
    ),
    Case(
        "foreignKey",
        True,
        "risk_actors",
        edit("risk_actors", anyrow, actor_id="nobody"),
        "actor_id",
    ),
    Case(
        "foreignKey",
        False,
        "risk_actors",
        edit("risk_actors", lambda r: r["actor_id"] != "taliban", actor_id="taliban"),
        "actor_id",
        why="another-record",
    ),
    Case(
        "foreignKey",
        True,
        "actors",
        edit(
            "actors",
            lambda r: r["parent_actor_id"] != "",
            parent_actor_id=lambda r: r["parent_actor_id"].upper(),
        ),
        "parent_actor_id",
        why="self-case-only",
    ),
    Case(
        "foreignKey",
        False,
        "actors",
        edit(
            "actors",
            lambda r: r["parent_actor_id"] not in ("", "russia") and r["actor_id"] != "russia",
            parent_actor_id="russia",
        ),
        "parent_actor_id",
        why="self-another-record",
    ),
    # dates
    Case(
        "date-order",
        True,
        "events",
        edit("events", has_both, date_end=lambda r: days(r["date_start"], -1)),
        "date_end",
        why="one-past",
    ),
    Case(
        "date-order",
        False,
        "events",
        edit("events", has_both, date_end=lambda r: r["date_start"]),
        "date_end",
        why="equal",
    ),
    Case(
        "edtf",
        True,
        "events",
        edit("events", has_both, date_edtf="2021-13"),
        "date_edtf",
        why="one-past",
    ),
    Case(
        "edtf",
        False,
        "events",
        edit("events", has_both, date_edtf="2021-12"),
        "date_edtf",
        why="boundary",
    ),
    Case(
        "edtf-bounds",
        True,
        "events",
        edit("events", has_both, date_start=lambda r: days(r["date_start"], -1)),
        "date_start",
        why="one-past",
    ),
    Case("edtf-bounds", False, "events", edit("events", has_both), "date_start"),
    # the memo
    Case(
        "one-record",
        True,
        "evidence",
        edit(
            "evidence",
            span,
            event_id="kremlin-calls-for-recognizing-taliban-control",
        ),
        "evidence_id",
        why="two",
    ),
    Case(
        "one-record",
        True,
        "evidence",
        edit("evidence", span, actor_id=""),
        "evidence_id",
        why="none",
    ),
    # a span moved to another existing record: every key still resolves, but the id names the
    # record it left (the cause of that record's has-evidence and names problems)
    Case(
        "id-names-record",
        True,
        "evidence",
        edit("evidence", span, actor_id=NAMED),
        "evidence_id",
        why="moved",
    ),
    Case("id-names-record", False, "evidence", edit("evidence", span), "evidence_id"),
    # a second record beside the one the id names is one-record's to report
    Case(
        "id-names-record",
        False,
        "evidence",
        edit("evidence", span, event_id="kremlin-calls-for-recognizing-taliban-control"),
        "evidence_id",
        why="two",
    ),
    Case(
        "one-record",
        False,
        "evidence",
        edit(
            "evidence",
            span,
            actor_id="",
            event_id="kremlin-calls-for-recognizing-taliban-control",
        ),
        "evidence_id",
        why="switched",
    ),
    Case(
        "exact-at-offsets",
        True,
        "evidence",
        edit("evidence", span, exact=lambda r: r["exact"].lower()),
        "exact",
        why="case-only",
    ),
    Case("exact-at-offsets", False, "evidence", edit("evidence", span), "exact"),
    # The span rules apply by memoText, whatever the field is called.
    *renamed_field_cases("exact-at-offsets", "evidence", "exact", "quote", span),
    Case(
        "prefix-at-offsets",
        True,
        "evidence",
        edit("evidence", span, prefix=lambda r: r["prefix"][1:]),
        "start",
        why="one-short",
    ),
    Case(
        "prefix-at-offsets",
        False,
        "evidence",
        respan(span, lambda t, r: ("title", 1, 1 + len("Russia"))),  # one code point before it
        "start",
        why="memo-start",
    ),
    Case(
        "suffix-at-offsets",
        True,
        "evidence",
        edit("evidence", span, suffix=lambda r: r["suffix"] + "x"),
        "end",
        why="one-past",
    ),
    Case(
        "suffix-at-offsets",
        False,
        "evidence",
        respan(
            lambda r: int(r["end"]) == len(memo()),
            lambda t, r: (r["passage_id"], int(r["start"]), len(memo()) - CONTEXT_CHARS),
        ),
        "end",
        why="memo-end",
    ),
    Case(
        "span-in-passage",
        True,
        "evidence",
        edit("evidence", span, passage_id="title"),
        "passage_id",
    ),
    Case(
        "span-in-passage",
        False,
        "evidence",
        respan(span, whole_passage),
        "passage_id",
        why="whole-passage",
    ),
    Case(
        "text-at-offsets",
        True,
        "passages",
        edit("passages", anyrow, text=lambda r: r["text"].upper()),
        "text",
        why="case-only",
    ),
    *renamed_field_cases("text-at-offsets", "passages", "text", "words", anyrow),
    Case(
        "text-at-offsets",
        False,
        "passages",
        edit(
            "passages", anyrow, end=lambda r: str(int(r["end"]) - 1), text=lambda r: r["text"][:-1]
        ),
        "text",
        why="one-short",
    ),
    Case("memo-hash", True, "documents", edit("documents", anyrow, sha256="0" * 64), "sha256"),
    Case(
        "memo-hash",
        False,
        "documents",
        edit(
            "documents", anyrow, sha256=lambda r: hashlib.sha256(REPO.memo.read_bytes()).hexdigest()
        ),
        "sha256",
        why="the-shipped-file",
    ),
    Case(
        "memo-length",
        True,
        "documents",
        edit("documents", anyrow, code_points=lambda r: str(int(r["code_points"]) + 1)),
        "code_points",
        why="one-past",
    ),
    Case("memo-length", False, "documents", edit("documents", anyrow), "code_points"),
    # the data model
    Case(
        "certainty-needs-hedge",
        True,
        "risks",
        edit(
            "risks", lambda r: r["certainty"] not in ("", "asserted") and r["hedge"] != "", hedge=""
        ),
        "certainty",
    ),
    Case(
        "certainty-needs-hedge",
        False,
        "risks",
        edit("risks", lambda r: r["hedge"] != "", certainty="asserted", hedge=""),
        "certainty",
        why="top",
    ),
    Case(
        "band-needs-hedge",
        True,
        "risks",
        edit(
            "risks",
            lambda r: r["certainty"] == "asserted" and r["hedge"] == "",
            likelihood="likely",
        ),
        "likelihood",
    ),
    Case(
        "band-needs-hedge",
        False,
        "risks",
        edit("risks", lambda r: r["hedge"] != "", likelihood="likely"),
        "likelihood",
    ),
    Case(
        "view-holder",
        True,
        "risks",
        edit("risks", author_risk, attributed_to_actor_id="russia"),
        "attributed_to_actor_id",
    ),
    Case(
        "view-holder",
        False,
        "risks",
        edit("risks", lambda r: r["attributed_to_actor_id"] != "", attribution="actor-reported"),
        "attributed_to_actor_id",
    ),
    Case(
        "view-holder-perceives",
        True,
        "risks",
        edit(
            "risks",
            lambda r: r["attributed_to_actor_id"] == "russia",
            attributed_to_actor_id="taliban",
        ),
        "attributed_to_actor_id",
    ),
    Case(
        "view-holder-perceives",
        False,
        "risks",
        other_perceiver,
        "attributed_to_actor_id",
        why="other-perceiver",
    ),
    Case(
        "time-window",
        True,
        "events",
        edit(
            "events", lambda r: r["time_start"] != "", time_start=lambda r: days(r["time_start"], 1)
        ),
        "time_start",
        why="one-past",
    ),
    Case(
        "time-window",
        False,
        "events",
        edit("events", lambda r: r["time_start"] != ""),
        "time_start",
    ),
    Case(
        "time-consistent",
        True,
        "time_links",
        edit(
            "time_links",
            lambda r: r["time_link_id"] == "poppy-ban-before-zero-production",
            relation="after",
        ),
        "relation",
    ),
    Case(
        "time-consistent",
        False,
        "time_links",
        edit("time_links", lambda r: r["time_link_id"] == "poppy-ban-before-zero-production"),
        "relation",
    ),
    Case(
        "one-subject",
        True,
        "time_links",
        edit(
            "time_links",
            lambda r: r["event_id"] != "",
            position_id="afghan-authorities-seek-legitimacy",
        ),
        "event_id",
    ),
    Case(
        "one-subject",
        False,
        "time_links",
        edit(
            "time_links",
            lambda r: r["event_id"] != "",
            event_id="",
            position_id="afghan-authorities-seek-legitimacy",
        ),
        "event_id",
        why="switched",
    ),
    Case(
        "one-anchor",
        True,
        "time_links",
        edit(
            "time_links",
            lambda r: r["anchor_document_id"] != "",
            anchor_event_id="taliban-takeover-of-afghanistan",
        ),
        "anchor_event_id",
    ),
    Case(
        "one-anchor",
        False,
        "time_links",
        edit(
            "time_links",
            lambda r: r["anchor_document_id"] != "" and r["event_id"] != OTHER_EVENT,
            anchor_document_id="",
            anchor_event_id=OTHER_EVENT,
        ),
        "anchor_event_id",
        why="switched",
    ),
    Case(
        "not-self",
        True,
        "time_links",
        edit(
            "time_links",
            lambda r: r["anchor_event_id"] != "",
            anchor_event_id=lambda r: r["event_id"],
        ),
        "anchor_event_id",
    ),
    Case(
        "not-self",
        False,
        "time_links",
        edit(
            "time_links",
            lambda r: (
                r["anchor_event_id"] not in ("", OTHER_EVENT) and r["event_id"] != OTHER_EVENT
            ),
            anchor_event_id=OTHER_EVENT,
        ),
        "anchor_event_id",
        why="another-event",
    ),
    # each record's evidence
    Case("has-evidence", True, "actors", new_actor, "actor_id"),
    Case("has-evidence", False, "actors", new_actor_quoted, "actor_id", why="one-span"),
    Case(
        "verbatim",
        True,
        "events",
        edit("events", lambda r: r["place"] != "", place=lambda r: r["place"] + " itself"),
        "place",
        why="one-past",
    ),
    Case(
        "verbatim",
        False,
        "events",
        edit("events", lambda r: r["place"] != "", place=lambda r: r["place"][1:]),
        "place",
        why="inside",
    ),
    Case(
        "names-from-evidence",
        True,
        "actors",
        edit(
            "actors",
            lambda r: r["actor_id"] == NAMED,
            names_as_written=lambda r: " | ".join(reversed(r["names_as_written"].split(" | "))),
        ),
        "names_as_written",
        why="reordered",
    ),
    Case(
        "names-from-evidence",
        True,
        "actors",
        edit(
            "actors",
            lambda r: r["actor_id"] == NAMED,
            names_as_written=lambda r: r["names_as_written"].upper(),
        ),
        "names_as_written",
        why="case-only",
    ),
    Case(
        "names-from-evidence",
        False,
        "actors",
        name_quoted_again,
        "names_as_written",
        why="repeated-form",
    ),
]


def test_every_rule_has_a_failing_and_a_passing_case_and_every_case_a_rule() -> None:
    judged = {name for name, entry in CATALOGUE.items() if entry.kind in JUDGED_KINDS}
    failing = {c.rule for c in [*CASES, *FILE_CASES] if c.fails}
    assert judged == failing, judged ^ failing
    # and a passing case (its boundary), so a rule added without one fails here
    passing = {c.rule for c in [*CASES, *FILE_CASES] if not c.fails}
    assert passing == failing, passing ^ failing


def test_every_rule_has_a_description_and_an_example() -> None:
    for name, entry in CATALOGUE.items():
        assert entry.rule.applies and entry.rule.reads and entry.rule.message, name
        if entry.kind in JUDGED_KINDS:
            assert f"(rule: {name}" in entry.example, name
        elif name in STAGE_RULES:  # a stage's rule with its case below: the line it prints
            assert f"(rule: {name})" in entry.example, name
        else:  # the other rules of the build, the release and verify: no copy breaks them
            assert entry.example == "", name


def test_the_pristine_tables_break_no_rule() -> None:
    problems, _ = run(Case("none", False, "actors", lambda t: None, None))
    assert problems == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_case(case: Case) -> None:
    problems, row = run(case)
    mine = [p for p in problems if p.rule == case.rule and p.where == case.table]
    if not case.fails:  # on no cell of the table, not only the case's own
        assert not mine, mine
        return
    assert mine, problems[:8]
    # the failure carries the catalogue's own record, not just its name
    assert all(p.rule is CATALOGUE[case.rule].rule for p in mine), mine
    assert all(isinstance(p.rule, Rule) for p in mine)
    located = [
        p
        for p in mine
        if (case.field is None or p.field == case.field) and (row is None or p.row == row + 2)
    ]
    assert located, (row, mine[:4])
    if case is next(c for c in CASES if c.rule == case.rule and c.fails):
        # the catalogue's example line (listed in the docs) is this case's, as users see it
        assert str(_one_line(located[0])) == CATALOGUE[case.rule].example


def test_a_broken_time_link_key_marks_the_window_it_leaves_wrong_as_a_consequence() -> None:
    tables, _ = pristine()
    link = first(tables["time_links"], lambda r: r["time_link_id"] == "abandoned-arms-until-memo")
    placed = tables["time_links"][link]["event_id"]
    event = first(tables["events"], lambda r: r["event_id"] == placed)
    case = Case(
        "foreignKey",
        True,
        "time_links",
        edit("time_links", lambda r: r["time_link_id"] == "abandoned-arms-until-memo",
             event_id="nobody"),
        "event_id",
    )  # fmt: skip
    problems, _ = run(case)
    causes = [p for p in problems if p.rule == "foreignKey" and p.where == "time_links"]
    assert [(p.row, p.field, p.follows) for p in causes] == [(link + 2, "event_id", None)]
    windows = [p for p in problems if p.rule == "time-window"]
    assert windows, problems
    assert {(p.where, p.row) for p in windows} == {("events", event + 2)}
    assert all(
        p.follows == f"time_links row {link + 2} (event_id 'nobody' names no record)"
        for p in windows
    ), windows
    # as reported, the cause is listed before what follows from it
    shown = sorted_problems(problems, TABLES)
    assert shown.index(causes[0]) < min(shown.index(p) for p in windows)


# ---- The rules of a copy's files: its descriptor, schemas, paths, bytes and text ----
#
# Each case changes a copy of the built package on disk and judges it through the one entry
# point (`judge`, as `memo724 validate PATH` does); `own` judges it as a package of its own that
# follows the release's contract (`--contract VERSION`), which states its files' bytes and hashes.


@dataclass(frozen=True)
class FileCase:
    rule: str
    fails: bool
    change: Callable[[Path, pytest.MonkeyPatch], None]
    why: str = ""
    own: bool = False

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fails' if self.fails else 'passes'}-{self.why}".rstrip("-")


def unchanged(root: Path, mp: pytest.MonkeyPatch) -> None:
    return None


def descriptor(change: Callable[[dict[str, Any]], None]) -> Callable[[Path, Any], None]:
    def edit_file(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / "datapackage.json"
        value = json.loads(path.read_text(encoding="utf-8"))
        change(value)
        path.write_text(json.dumps(value, indent=2, ensure_ascii=False), encoding="utf-8")

    return edit_file


def resource_of(name: str, **props: Any) -> Callable[[dict[str, Any]], None]:
    def change(value: dict[str, Any]) -> None:
        entry = next(r for r in value["resources"] if r.get("name") == name)
        entry.update(props)

    return change


def resource_bytes(value: dict[str, Any], name: str) -> int:
    return int(next(r for r in value["resources"] if r.get("name") == name)["bytes"])


def text_of(rel: str, change: Callable[[str], str]) -> Callable[[Path, Any], None]:
    def edit_file(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")

    return edit_file


def bytes_of(rel: str, change: Callable[[bytes], bytes]) -> Callable[[Path, Any], None]:
    def edit_file(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / rel
        path.write_bytes(change(path.read_bytes()))

    return edit_file


def schema_of(table: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Path, Any], None]:
    def edit_file(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / "schemas" / f"{table}.json"
        value = json.loads(path.read_text(encoding="utf-8"))
        change(value)
        path.write_text(json.dumps(value, indent=2, ensure_ascii=False), encoding="utf-8")

    return edit_file


def field_of(name: str, **props: Any) -> Callable[[dict[str, Any]], None]:
    def change(value: dict[str, Any]) -> None:
        field = next(f for f in value["fields"] if f["name"] == name)
        for key, new in props.items():
            if key == "constraints":
                field.setdefault("constraints", {}).update(new)
            else:
                field[key] = new

    return change


def in_actor_name(text: str) -> Callable[[Path, Any], None]:
    """The first actor's name with `text` inserted after its first character (as CSV)."""

    def change(csv_text_: str) -> str:
        rows = list(csv.DictReader(io.StringIO(csv_text_, newline="")))
        rows[0]["name"] = rows[0]["name"][:1] + text + rows[0]["name"][1:]
        return csv_text(list(rows[0]), rows)

    return text_of("data/actors.csv", change)


def symlink(rel: str, target: Callable[[Path], Path]) -> Callable[[Path, Any], None]:
    def edit_file(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / rel
        to = target(root)
        if to != path and not to.exists():
            to.write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(to)

    return edit_file


def folder_for(path: Path) -> None:
    path.unlink()
    path.mkdir()


def data_bytes(root: Path) -> int:
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return sum((root / r["path"]).stat().st_size for r in desc["resources"])


def copy_limit(offset: int) -> Callable[[Path, Any], None]:
    def change(root: Path, mp: pytest.MonkeyPatch) -> None:
        mp.setattr("memo724.validation.guard.MAX_COPY_BYTES", data_bytes(root) + offset)

    return change


def memory_left(offset: int) -> Callable[[Path, Any], None]:
    def change(root: Path, mp: pytest.MonkeyPatch) -> None:
        need = data_bytes(root) * MEMORY_PER_BYTE
        mp.setattr("memo724.validation.guard.available_memory", lambda: need + offset)

    return change


def padded_schema(size: int) -> Callable[[Path, Any], None]:
    """schemas/events.json padded with trailing spaces (the same JSON) to `size` bytes."""

    def change(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / "schemas" / "events.json"
        raw = path.read_bytes()
        path.write_bytes(raw + b" " * (size - len(raw)))

    return change


def nested(depth: int) -> Callable[[Path, Any], None]:
    """The descriptor with a key whose value nests lists to `depth` levels in all."""

    def change(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / "datapackage.json"
        text = path.read_text(encoding="utf-8").rstrip()
        inner = depth - 1  # the descriptor itself is the first level
        path.write_text(
            text[:-1] + ', "x-nested": ' + "[" * inner + "]" * inner + "}", encoding="utf-8"
        )

    return change


def duplicate_key(second: str) -> Callable[[Path, Any], None]:
    def change(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / "datapackage.json"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("{", f'{{"{second}": "x", ', 1), encoding="utf-8")

    return change


def with_line(line: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        header, rest = text.split("\n", 1)
        return f"{header}\n{line}{rest}"

    return change


def quoted_blank(text: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    rows[0]["role_title"] = "first\n\nthird"
    return csv_text(list(rows[0]), rows)


FILE_CASES: list[FileCase] = [
    FileCase("descriptor", True, text_of("datapackage.json", lambda s: "[]")),
    FileCase("descriptor", False, unchanged),
    FileCase("release-version", True, descriptor(lambda d: d.update(version="9.9.9"))),
    FileCase("release-version", False, unchanged),
    FileCase(
        "contract-drift",
        True,
        schema_of("events", field_of("factuality", constraints={"enum": ["Occurred"]})),
        why="case-only",
    ),
    FileCase(
        "contract-drift",
        True,
        schema_of("events", lambda s: s["fields"].insert(1, s["fields"].pop(2))),
        why="reordered",
    ),
    FileCase(
        "contract-drift",
        False,
        schema_of("events", lambda s: s.update(dict(reversed(list(s.items()))))),
        why="keys-reordered",
    ),
    FileCase(
        "changed-since-release",
        True,
        text_of("data/actors.csv", lambda s: s.replace("Taliban", "taliban", 1)),
        why="case-only",
    ),
    FileCase("changed-since-release", False, unchanged),
    FileCase("line-endings", True, text_of("data/actors.csv", lambda s: s.replace("\n", "\r\n"))),
    FileCase("line-endings", False, unchanged),
    FileCase(
        "byte-count",
        True,
        descriptor(lambda d: resource_of("actors", bytes=resource_bytes(d, "actors") + 1)(d)),
        why="one-past",
        own=True,
    ),
    FileCase("byte-count", False, unchanged, own=True),
    FileCase(
        "hash-count",
        True,
        descriptor(lambda d: resource_of("actors", hash="sha256:" + "0" * 64)(d)),
        own=True,
    ),
    FileCase(
        "hash-count",
        False,
        lambda root, mp: descriptor(
            resource_of(
                "actors",
                hash=hashlib.md5((root / "data/actors.csv").read_bytes()).hexdigest(),
            )
        )(root, mp),
        why="md5-without-prefix",
        own=True,
    ),
    FileCase("missing", True, lambda root, mp: (root / "data/sources.csv").unlink()),
    FileCase("missing", False, unchanged),
    FileCase(
        "unreadable",
        True,
        symlink("data/sources.csv", lambda root: root / "data/sources.csv"),
        why="symlink-loop",
    ),
    FileCase("unreadable", False, unchanged),
    FileCase(
        "not-a-regular-file",
        True,
        lambda root, mp: folder_for(root / "data/sources.csv"),
        why="folder",
    ),
    FileCase(
        "not-a-regular-file",
        False,
        symlink("data/sources.csv", lambda root: root / "data/sources-target.csv"),
        why="symlink-inside",
    ),
    FileCase("file-size", True, padded_schema(MAX_SCHEMA_BYTES + 1), why="one-past"),
    FileCase("file-size", False, padded_schema(MAX_SCHEMA_BYTES), why="boundary"),
    FileCase("copy-size", True, copy_limit(-1), why="one-past"),
    FileCase("copy-size", False, copy_limit(0), why="boundary"),
    FileCase("memory", True, memory_left(-1), why="one-past"),
    FileCase("memory", False, memory_left(0), why="boundary"),
    FileCase("path", True, descriptor(resource_of("sources", path=""))),
    FileCase(
        "path-url",
        True,
        descriptor(resource_of("sources", path="https://example.invalid/sources.csv")),
    ),
    FileCase(
        "path-url",
        False,
        descriptor(resource_of("sources", path="data/sources.csv")),
        why="relative",
    ),
    FileCase("path-absolute", True, descriptor(resource_of("sources", path="/data/sources.csv"))),
    FileCase("path-absolute", False, unchanged),
    FileCase("path-parent", True, descriptor(resource_of("sources", path="../sources.csv"))),
    FileCase("path-parent", False, unchanged),
    FileCase(
        "path-outside",
        True,
        symlink("data/sources.csv", lambda root: root.parent / "outside.csv"),
    ),
    FileCase("path", False, unchanged),
    FileCase(
        "path-outside",
        False,
        symlink("data/sources.csv", lambda root: root / "data/sources-target.csv"),
        why="symlink-inside",
    ),
    FileCase("json", True, text_of("schemas/events.json", lambda s: s.replace("{", "{,", 1))),
    FileCase("json", False, unchanged),
    FileCase("json-strict", True, duplicate_key("name")),
    FileCase("json-strict", False, duplicate_key("Name"), why="case-only"),
    FileCase("json-depth", True, nested(MAX_JSON_DEPTH + 1), why="one-past"),
    FileCase("json-depth", False, nested(MAX_JSON_DEPTH), why="boundary"),
    FileCase(
        "utf-8",
        True,
        bytes_of("data/actors.csv", lambda b: b.replace(b"Taliban", b"T\xe4liban", 1)),
    ),
    FileCase("utf-8", False, in_actor_name("\u00e9"), why="two-bytes"),
    FileCase("utf-8-bom", True, bytes_of("data/actors.csv", lambda b: b"\xef\xbb\xbf" + b)),
    FileCase("utf-8-bom", False, unchanged),
    FileCase(
        "table-schema",
        True,
        schema_of("events", field_of("summary", constraints={"required": "yes"})),
    ),
    FileCase("table-schema", False, unchanged),
    FileCase("unsupported-type", True, schema_of("events", field_of("summary", type="geopoint"))),
    FileCase("unsupported-type", False, unchanged),
    FileCase(
        "unsupported-constraint",
        True,
        schema_of("documents", field_of("number", constraints={"exclusiveMinimum": 0})),
    ),
    FileCase("unsupported-constraint", False, unchanged),
    FileCase(
        "invalid-pattern",
        True,
        schema_of("actors", field_of("iso3", constraints={"pattern": "[A-Z"})),
    ),
    FileCase("invalid-pattern", False, unchanged),
    FileCase("schema-property", True, schema_of("events", lambda s: s.update(role="recrod"))),
    FileCase(
        "schema-property",
        False,
        schema_of("events", lambda s: s.update(role="link")),
        why="another-role",
    ),
    # the text of every cell
    FileCase("control-character", True, in_actor_name("\x01")),
    FileCase("control-character", False, in_actor_name("\t"), why="tab"),
    FileCase("bidi-control", True, in_actor_name("\u202e")),
    FileCase("bidi-control", False, in_actor_name("\u202f"), why="one-past"),
    FileCase("zero-width", True, in_actor_name("\u200b")),
    FileCase("zero-width", False, in_actor_name("\u200a"), why="one-before"),
    FileCase("line-separator", True, in_actor_name("\u2028")),
    FileCase("line-separator", False, in_actor_name("\u2027"), why="one-before"),
    FileCase("nfc", True, in_actor_name("e\u0301")),
    FileCase("nfc", False, in_actor_name("\u00e9"), why="composed"),
    FileCase("blank-line", True, text_of("data/actors.csv", with_line("\n"))),
    FileCase("blank-line", False, text_of("data/actors.csv", quoted_blank), why="quoted"),
    FileCase("readable-csv", True, text_of("data/actors.csv", lambda s: ""), why="empty"),
    FileCase(
        "readable-csv",
        False,
        text_of("data/actors.csv", lambda s: s.split("\n", 1)[0] + "\n"),
        why="header-only",
    ),
]

# The rules `memo724 validate` reports; the others belong to the build, the release and verify.
JUDGED_KINDS = ("table-schema", "provenance", "contract", "text", "file")


def judged_copy(pristine: Layout, tmp_path: Path, case: FileCase, mp: pytest.MonkeyPatch):
    root = tmp_path / "copy"
    shutil.copytree(pristine.root, root, symlinks=True)
    case.change(root, mp)
    if case.own:
        release = release_contract(json.loads((pristine.descriptor).read_text())["version"])
        return judge(root, release, own=True)
    return judge(root)


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_file_rule_case(
    case: FileCase, pristine: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = judged_copy(pristine, tmp_path, case, monkeypatch)
    mine = [p for p in problems if p.rule == case.rule]
    if not case.fails:
        assert not mine, mine
        return
    assert mine, problems[:8]
    assert all(p.rule is CATALOGUE[case.rule].rule for p in mine), mine
    if case is next(c for c in FILE_CASES if c.rule == case.rule and c.fails):
        assert str(mine[0]) == CATALOGUE[case.rule].example


def test_the_generated_rule_list_names_every_rule_once() -> None:
    from memo724.publication.docs import rules_markdown

    rows = [line for line in rules_markdown() if line.startswith("| `")]
    named = [row.split("`")[1] for row in rows]
    assert sorted(named) == sorted(CATALOGUE), set(named) ^ set(CATALOGUE)
    for row, name in zip(rows, named, strict=True):
        if CATALOGUE[name].kind in JUDGED_KINDS:  # its example failure line, as users see it
            assert "(rule: " in row, name


def test_the_codebook_lists_each_rule_in_the_catalogues_words() -> None:
    # The build writes the list into CODEBOOK.md; read here without a build, so words changed
    # in a rule's registration and not in the committed codebook fail the fast tests too.
    from memo724.publication.docs import rules_markdown

    codebook = (REPO.root / "CODEBOOK.md").read_text(encoding="utf-8").splitlines()
    rows = [line for line in rules_markdown() if line.startswith("| `")]
    assert rows and [row for row in rows if row not in codebook] == []


# ---- The rules of the build, the release and the blind second coding ----
#
# Each case breaks (or leaves whole) the cheapest input the stage reads: a copy of the checkout's
# inputs (`source_copy`), a part of the blind coding written into it, a one-module Python project
# for the wheel, a copy of the built package (`pristine`), and calls the stage's own function, as
# the command that reports the rule does. The first failing case of each rule prints the
# catalogue's example line exactly.

MEMO_WORDS = "Note the key words to describe each act."  # five words of its first paragraph
NEAR_WORDS = "Note the key words to name each act."  # four: one short of a quote


@dataclass
class Stage:
    source: Callable[[], Layout]
    pristine: Layout
    tmp: Path
    mp: pytest.MonkeyPatch


StageCase = RuleCase[Stage]


def refused(call: Callable[[], object]) -> list[Problem]:
    from memo724.contract.errors import DatasetError

    try:
        call()
    except DatasetError as error:
        return error.problems
    return []


KREMLIN = """actors:
  - id: russia
    name: Russia
    kind: state
    evidence:
      - quote: Russia
        context: However, Russia, like most other states
  - id: kremlin
    name: Kremlin
    kind: government-body
    parent_actor_id: {parent}
    evidence:
      - the Kremlin
"""


def blind_part(files: dict[str, str]) -> Callable[[Stage], list[Problem]]:
    """`memo724 second-coding` on a part of the blind coding holding these records files."""

    def run_part(stage: Stage) -> list[Problem]:
        from memo724.curation.blind import check_part

        source = stage.source()
        part = source.curation / "blind" / "zz-test"
        (part / "records").mkdir(parents=True)
        for name, text in files.items():
            (part / "records" / name).write_text(text, encoding="utf-8")
        return check_part(source, part)

    return run_part


def manual_rule(text: str) -> Callable[[Stage], list[Problem]]:
    """`memo724 manual --check` with one more unitizing rule in the codebook."""

    def run_manual(stage: Stage) -> list[Problem]:
        from memo724.curation.manual import refresh_manual

        source = stage.source()
        codebook = source.curation / "codebook.yaml"
        before = codebook.read_text(encoding="utf-8")
        assert "  unitizing:\n" in before
        codebook.write_text(
            before.replace("  unitizing:\n", f"  unitizing:\n    - {text}\n", 1), encoding="utf-8"
        )
        return refused(lambda: refresh_manual(source, check_only=True))

    return run_manual


def built(edit: Callable[[Layout], None]) -> Callable[[Stage], list[Problem]]:
    """`memo724 build --check` on a copy of the checkout, after `edit`."""

    def run_build(stage: Stage) -> list[Problem]:
        from memo724.publication.build import build

        source = stage.source()
        for part in ("reliability", "releases"):  # what the README and CHANGELOG figures read
            shutil.copytree(REPO.root / part, source.root / part)
        edit(source)
        return build(source, check_only=True)

    return run_build


def renamed_header(source: Layout) -> None:
    path = source.table("actors")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("actor_id", "actor_key", 1), encoding="utf-8", newline="")


def python_project(pyproject: str) -> Callable[[Stage], list[Problem]]:
    """The wheel and sdist of a one-module project, as `memo724 release` builds its own."""

    def run_dists(stage: Stage) -> list[Problem]:
        from memo724.publication.python_dist import build_python_dists

        project = stage.tmp / "project"
        (project / "zz_probe").mkdir(parents=True)
        (project / "zz_probe" / "__init__.py").write_text("", encoding="utf-8")
        (project / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        found = refused(lambda: build_python_dists(project, stage.tmp / "out"))
        if not found:  # built: a wheel and an sdist, nothing else
            assert sorted(p.suffix for p in (stage.tmp / "out").iterdir()) == [".gz", ".whl"]
        return found

    return run_dists


PROJECT = '[project]\nversion = "0.0.1"\n'


def released(rows: str | None) -> Callable[[Stage], list[Problem]]:
    """The release's records of a copy of the checkout whose releases/ already holds this
    version with `rows` (None: as this release writes them, then written again)."""

    def run_release(stage: Stage) -> list[Problem]:
        from memo724.contract.version import __version__
        from memo724.publication.changes import snapshot_path
        from memo724.publication.release import release_records

        source = stage.source()
        shutil.copytree(REPO.root / "releases", source.root / "releases")
        contract = Contract(source.schemas)
        snapshot = snapshot_path(source.root, __version__)
        snapshot.unlink(missing_ok=True)
        if rows is not None:
            snapshot.write_text(rows, encoding="utf-8")
            return refused(lambda: release_records(source, contract))
        for path, text in release_records(source, contract).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return refused(lambda: release_records(source, contract))  # the same release again

    return run_release


def release_site(without: str | None) -> Callable[[Stage], list[Problem]]:
    """The release's site, with the `site` extra's module `without` not installed (None: all
    installed; the pages themselves are written by test_site.py, so a recorder stands in)."""

    def run_site(stage: Stage) -> list[Problem]:
        import sys

        from memo724.publication.release import write_release_site

        written: list[Path] = []
        if without is None:
            stage.mp.setattr(
                "memo724.publication.site.write_site", lambda out, site, **kw: written.append(site)
            )
        else:
            stage.mp.setitem(sys.modules, without, None)  # an import of it fails, as uninstalled
            for name in [n for n in sys.modules if n.startswith("memo724.publication.site")]:
                stage.mp.delitem(sys.modules, name)
        found = refused(lambda: write_release_site(stage.pristine, stage.pristine))
        assert written == ([] if without else [stage.pristine.root / "site"])
        return found

    return run_site


def profiled(actor_id: str) -> Callable[[Stage], list[Problem]]:
    """The site's profiles of a copy of the built package with one more actor."""

    def run_profiles(stage: Stage) -> list[Problem]:
        from memo724.publication.site.gather import gather
        from memo724.publication.site.profiles import Profiles

        copy = Layout(stage.tmp / "copy")
        shutil.copytree(stage.pristine.root, copy.root)
        path = copy.table("actors")
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        rows.insert(0, dict(rows[0], actor_id=actor_id))
        path.write_text(csv_text(list(rows[0]), rows), encoding="utf-8", newline="")
        return refused(lambda: Profiles(gather(copy)))

    return run_profiles


def covered(field: str | None) -> Callable[[Stage], list[Problem]]:
    """`memo724 coverage` on a copy of the checkout whose sources schema renames `field`."""

    def run_coverage(stage: Stage) -> list[Problem]:
        from memo724.curation.coverage import copy_coverage

        source = stage.source()
        if field is not None:
            path = source.schema("sources")
            value = json.loads(path.read_text(encoding="utf-8"))
            next(f for f in value["fields"] if f["name"] == field)["name"] = f"source_{field}"
            path.write_text(json.dumps(value, indent=2), encoding="utf-8")
        found = refused(lambda: copy_coverage(source))
        if not found:
            assert copy_coverage(source).total > 0
        return found

    return run_coverage


STAGE_CASES: list[StageCase] = [
    StageCase("blind-part", True, blind_part({"00-document.yaml": "documents: []\n"})),
    StageCase(
        "blind-part",
        False,
        blind_part({"01-document.yaml": KREMLIN.format(parent="russia")}),
        why="other-name",
    ),
    StageCase("reference", True, blind_part({"10-test.yaml": KREMLIN.format(parent="rusia")})),
    StageCase("reference", False, blind_part({"10-test.yaml": KREMLIN.format(parent="russia")})),
    StageCase("blind-manual", True, manual_rule(MEMO_WORDS)),
    StageCase("blind-manual", False, manual_rule(NEAR_WORDS), why="one-short"),
    StageCase("generated", True, built(renamed_header)),
    StageCase("generated", False, built(lambda source: None)),
    StageCase("python-dists", True, python_project(PROJECT)),
    StageCase("python-dists", False, python_project(PROJECT + 'name = "zz-probe"\n')),
    StageCase("release-exists", True, released("{}\n")),
    StageCase("release-exists", False, released(None), why="same-rows-again"),
    StageCase("site-extra", True, release_site("jinja2")),
    StageCase("site-extra", False, release_site(None)),
    StageCase("profile-page-name", True, profiled("Zz-Actor"), why="case-only"),
    StageCase("profile-page-name", False, profiled("zz-actor")),
    StageCase("code-reads", True, covered("kind"), why="renamed"),
    StageCase("code-reads", False, covered(None)),
]

# The build's, the release's and the blind coding's rules whose cases are here (the others of
# those kinds are in test_record_rules.py and test_release_rules.py).
STAGE_RULES = {
    "blind-part",
    "reference",
    "blind-manual",
    "generated",
    "python-dists",
    "release-exists",
    "site-extra",
    "profile-page-name",
    "code-reads",
}


def test_every_stage_rule_here_has_a_failing_and_a_passing_case() -> None:
    assert {c.rule for c in STAGE_CASES if c.fails} == STAGE_RULES
    assert {c.rule for c in STAGE_CASES if not c.fails} == STAGE_RULES
    assert all(CATALOGUE[name].kind in ("records", "release") for name in STAGE_RULES)


@pytest.mark.parametrize("case", STAGE_CASES, ids=lambda c: c.id)
def test_stage_rule_case(
    case: StageCase,
    source_copy: Callable[[], Layout],
    pristine: Layout,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problems = case.run(Stage(source_copy, pristine, tmp_path, monkeypatch))
    mine = [p for p in problems if p.rule == case.rule]
    if not case.fails:
        assert not mine, mine
        return
    assert mine, problems[:8]
    if case is next(c for c in STAGE_CASES if c.rule == case.rule and c.fails):
        assert str(mine[0]) == CATALOGUE[case.rule].example
