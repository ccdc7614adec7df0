"""The catalogue of row rules: every rule the validators check, one registered record each.

A record (`Entry`) holds the rule (`contract.errors.Rule`: its name as users see it, the contract
facts it applies to, the fields it reads, its message) with an example failure line and, for the
rules memo724 derives itself, the builder that makes its checks for one table. Pandera's own
column options (dtype, required, unique, the column set) and the typed reader report the other
rules; they are registered here too, with no builder, so every rule a report names is an object
of this catalogue and the docs list them all (`memo724 build` writes the list into CODEBOOK.md).

The form follows pycldf's validators and Pandera's registered checks: a list of records, each
applying by what the contract states (fields with an enum, date groups, the table that holds
evidence, ...), never by a table's name. `derive` (schemas.py) asks every builder in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..contract.errors import Rule
from ..contract.rules import SPREADSHEET_MESSAGE, SPREADSHEET_RULE
from .structure import CELL_COUNT, CELL_SIZE, DUPLICATE_COLUMN, UNCLOSED_QUOTE

if TYPE_CHECKING:
    import pandera.pandas as pa

    from ..contract import Contract, TableSchema

# What a builder returns: (field, check) pairs; field None for a check on the whole frame.
Built = list[tuple[str | None, "pa.Check"]]
Builder = Callable[["Contract", "TableSchema", Any], Built]


@dataclass(frozen=True)
class Entry:
    rule: Rule
    example: str  # a failure line as `memo724 validate` prints it
    build: Builder | None = None  # None: Pandera's column options or the typed reader report it
    kind: str = "provenance"  # "table-schema": a rule Table Schema states (Frictionless has it)


CATALOGUE: dict[str, Entry] = {}


def register(
    name: str, applies: str, reads: str, message: str, example: str, kind: str = "provenance"
) -> Callable[[Builder], Builder]:
    """Register the decorated builder as the rule `name` (a rule is registered once)."""

    def decorate(build: Builder) -> Builder:
        _add(Entry(Rule(name, applies, reads, message), example, build, kind))
        return build

    return decorate


def declare(
    name: str, applies: str, reads: str, message: str, example: str, kind: str = "table-schema"
) -> Rule:
    """Register a rule that Pandera's own options or the typed reader check (no builder)."""
    return _add(Entry(Rule(name, applies, reads, message), example, None, kind)).rule


def adopt(rule: Rule, example: str, kind: str = "table-schema") -> Rule:
    """Register a rule defined where it is checked (the CSV reader, the contract's rules)."""
    return _add(Entry(rule, example, None, kind)).rule


def _add(entry: Entry) -> Entry:
    if entry.rule.name in CATALOGUE:
        raise ValueError(f"rule {entry.rule.name!r} is registered twice")
    CATALOGUE[entry.rule.name] = entry
    return entry


def rule(name: str) -> Rule:
    """The registered rule of that name (KeyError for a name no record has)."""
    return CATALOGUE[name].rule


TYPE = declare(
    "type",
    "every field (its Table Schema type)",
    "the field",
    "must be a {type}",
    "events, row 7, field date_start: value '2021-02-30': must be a date (rule: type) [pandera]",
)
REQUIRED = declare(
    "required",
    "fields with constraints.required",
    "the field",
    "fails required",
    "actors, row 3, field name: fails required (rule: required) [pandera]",
)
UNIQUE = declare(
    "unique",
    "fields with constraints.unique (a one-field primary key is checked as this)",
    "the field",
    "fails unique",
    "actors, row 9, field actor_id: value 'russia': fails unique (rule: unique) [pandera]",
)
PRIMARY_KEY = declare(
    "primaryKey",
    "tables whose primaryKey has several fields",
    "the key's fields",
    "fails primaryKey",
    "risk_actors, row 4, field actor_id: fails primaryKey (rule: primaryKey) [pandera]",
)
MISSING_COLUMN = declare(
    "missing-column",
    "every field of the schema",
    "the header",
    "fails missing-column",
    "events, field place: fails missing-column (rule: missing-column) [pandera]",
)
UNEXPECTED_COLUMN = declare(
    "unexpected-column",
    "every table (a column the schema lacks)",
    "the header",
    "fails unexpected-column",
    "events, field notes: fails unexpected-column (rule: unexpected-column) [pandera]",
)
COLUMN_ORDER = declare(
    "column-order",
    "every table (the schema's field order)",
    "the header",
    "fails column-order",
    "events, field summary: fails column-order (rule: column-order) [pandera]",
)
SPREADSHEET = adopt(
    SPREADSHEET_RULE,
    f"actors, row 5, field name: value '=1+1': {SPREADSHEET_MESSAGE} (rule: spreadsheet-safe)"
    " [pandera]",
    kind="contract",  # written into the patterns both validators read; not Table Schema's own
)
for _csv_rule, _example in (
    (CELL_COUNT, "events, row 4: has 3 cells, the header 15 (rule: cell-count) [pandera]"),
    (
        UNCLOSED_QUOTE,
        "events, row 4: a quote opens a cell and is never closed (rule: unclosed-quote)",
    ),
    (CELL_SIZE, "events, row 4, field summary: is over the cell size limit (rule: cell-size)"),
    (
        DUPLICATE_COLUMN,
        "events, row 1, field summary: names a column twice (rule: duplicate-column)",
    ),
):
    adopt(_csv_rule, _example)

# Pandera's names of its built-in checks, as the registered rule they enforce.
PANDERA_RULES = {
    "not_nullable": REQUIRED,
    "field_uniqueness": UNIQUE,
    "multiple_fields_uniqueness": PRIMARY_KEY,
    "column_in_dataframe": MISSING_COLUMN,
    "column_in_schema": UNEXPECTED_COLUMN,
    "column_ordered": COLUMN_ORDER,
}


def table_schema_rules() -> frozenset[str]:
    """The rules Table Schema states (both validators enforce them); the others are provenance."""
    return frozenset(n for n, e in CATALOGUE.items() if e.kind == "table-schema")


def checks_for(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    """Every registered builder's checks for one table, in catalogue order."""
    built: Built = []
    for entry in CATALOGUE.values():
        if entry.build is not None:
            built += entry.build(contract, schema, ctx)
    return built
