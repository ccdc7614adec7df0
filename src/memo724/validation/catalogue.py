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
from ..contract.rules import SPREADSHEET_RULE
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
    build: Builder | None = None  # None: Pandera's column options or the typed reader report it
    kind: str = "provenance"  # "table-schema": a rule Table Schema states (Frictionless has it)

    @property
    def example(self) -> str:
        """A failure line as `memo724 validate` prints it (EXAMPLES)."""
        return EXAMPLES.get(self.rule.name, "")


CATALOGUE: dict[str, Entry] = {}


def register(
    name: str, applies: str, reads: str, message: str, kind: str = "provenance"
) -> Callable[[Builder], Builder]:
    """Register the decorated builder as the rule `name` (a rule is registered once)."""

    def decorate(build: Builder) -> Builder:
        _add(Entry(Rule(name, applies, reads, message), build, kind))
        return build

    return decorate


def declare(name: str, applies: str, reads: str, message: str, kind: str = "table-schema") -> Rule:
    """Register a rule that Pandera's own options or the typed reader check (no builder)."""
    return _add(Entry(Rule(name, applies, reads, message), None, kind)).rule


def adopt(rule: Rule, kind: str = "table-schema") -> Rule:
    """Register a rule defined where it is checked (the CSV reader, the contract's rules)."""
    return _add(Entry(rule, None, kind)).rule


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
)
REQUIRED = declare(
    "required",
    "fields with constraints.required",
    "the field",
    "fails required",
)
UNIQUE = declare(
    "unique",
    "fields with constraints.unique (a one-field primary key is checked as this)",
    "the field",
    "fails unique",
)
PRIMARY_KEY = declare(
    "primaryKey",
    "tables whose primaryKey has several fields",
    "the key's fields",
    "fails primaryKey",
)
MISSING_COLUMN = declare(
    "missing-column",
    "every field of the schema",
    "the header",
    "fails missing-column",
)
UNEXPECTED_COLUMN = declare(
    "unexpected-column",
    "every table (a column the schema lacks)",
    "the header",
    "fails unexpected-column",
)
COLUMN_ORDER = declare(
    "column-order",
    "every table (the schema's field order)",
    "the header",
    "fails column-order",
)
SPREADSHEET = adopt(
    SPREADSHEET_RULE,
    kind="contract",  # written into the patterns both validators read; not Table Schema's own
)
for _csv_rule in (CELL_COUNT, UNCLOSED_QUOTE, CELL_SIZE, DUPLICATE_COLUMN):
    adopt(_csv_rule)

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


# One real failure line per rule: the first failing case of tests/test_rule_catalogue.py, as
# `memo724 validate` prints it (that test proves each line; the docs list them).
EXAMPLES: dict[str, str] = {
    "type": (
        "events, row 6, field date_start: value '2021-02-30': must be a date (rule: type) [pandera]"
    ),
    "required": "actors, row 2, field name: fails required (rule: required) [pandera]",
    "unique": (
        "actors, row 4, field actor_id: value 'abdul-latif-pedram': fails unique (rule: "
        "unique) [pandera]"
    ),
    "primaryKey": (
        "risk_actors, row 3, field risk_id: fails primaryKey (rule: primaryKey) [pandera]"
    ),
    "missing-column": "events, field place: fails missing-column (rule: missing-column) [pandera]",
    "unexpected-column": (
        "events, field notes: fails unexpected-column (rule: unexpected-column) [pandera]"
    ),
    "column-order": "events, field summary: fails column-order (rule: column-order) [pandera]",
    "cell-count": (
        "actors, row 2: has 8 cells; the header has 7 (the row is not checked further) "
        "(rule: cell-count) [pandera]"
    ),
    "unclosed-quote": (
        "actors, row 2, field name: the quote opened on line 2 is never closed: it runs "
        "on to line 42, where a quote is followed by 'L'; the rows from line 3 on are "
        "read again (the row is not checked further) (rule: unclosed-quote) [pandera]"
    ),
    "cell-size": (
        "actors, row 2, field role_title: a cell of 1,048,577 characters, over the limit "
        "of 1,048,576 a cell may hold; it is not read (the row is not checked further) "
        "(rule: cell-size) [pandera]"
    ),
    "duplicate-column": (
        "actors, row 1, field name: the header names this column again as column 3; only "
        "the first is checked (rule: duplicate-column) [pandera]"
    ),
    "enum": (
        "events, row 2, field factuality: value 'Hypothetical': must be one of "
        "['occurred', 'reported', 'expected', 'hypothetical', 'negated'] (rule: enum) "
        "[pandera]"
    ),
    "pattern": (
        "actors, row 11, field iso3: value 'afg': must match [A-Z]{3} (rule: pattern) [pandera]"
    ),
    "minLength": (
        "actors, row 2, field role_title: value 'abcd': at least 5 characters (rule: "
        "minLength) [pandera]"
    ),
    "maxLength": (
        "actors, row 2, field actor_id: value "
        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': at most 64 "
        "characters (rule: maxLength) [pandera]"
    ),
    "minimum": "documents, row 2, field number: value '0': must be >= 1 (rule: minimum) [pandera]",
    "maximum": (
        "documents, row 2, field number: value '725': must be <= 724 (rule: maximum) [pandera]"
    ),
    "spreadsheet-safe": (
        "actors, row 2, field role_title: value '=1+1': must not begin with =, +, -, @, "
        "tab or carriage return (a spreadsheet would run it as a formula) (rule: "
        "spreadsheet-safe) [pandera]"
    ),
    "foreignKey": (
        "risk_actors, row 2, field actor_id: value 'nobody': must be a actors.actor_id "
        "(rule: foreignKey) [pandera]"
    ),
    "date-order": (
        "events, row 6, field date_end: value '2021-09-30': date_end before date_start "
        "(rule: date-order) [pandera]"
    ),
    "edtf": (
        "events, row 6, field date_edtf: value '2021-13': must be an EDTF value of the "
        "codebook (rule: edtf) [pandera]"
    ),
    "edtf-bounds": (
        "events, row 6, field date_start: value '2021-09-30': must be the start that "
        "date_edtf gives (rule: edtf-bounds) [pandera]"
    ),
    "one-record": (
        "evidence, row 2, field evidence_id: value 'actor.abdul-latif-pedram.14235': "
        "exactly one of ['actor_id', 'event_id', 'position_id', 'risk_id', 'source_id', "
        "'assessment_id', 'relation_id', 'time_link_id'] must be filled (rule: "
        "one-record) [pandera]"
    ),
    "exact-at-offsets": (
        "evidence, row 2, field exact: value 'abdul latif pedram': memo[start:end] must "
        "equal exact (rule: exact-at-offsets) [pandera]"
    ),
    "prefix-at-offsets": (
        "evidence, row 2, field start: value '14235': prefix must be the 32 code points "
        "before start (rule: prefix-at-offsets) [pandera]"
    ),
    "suffix-at-offsets": (
        "evidence, row 2, field end: value '14253': suffix must be the 32 code points "
        "after end (rule: suffix-at-offsets) [pandera]"
    ),
    "span-in-passage": (
        "evidence, row 2, field passage_id: value 'title': the span must lie inside this "
        "passage (rule: span-in-passage) [pandera]"
    ),
    "text-at-offsets": (
        "passages, row 2, field text: value \"RUSSIA'S APPROACH TO AFGHANISTAN FOLLOWING "
        'THE TALIBAN TAKEOVER": memo[start:end] must equal text (rule: text-at-offsets) '
        "[pandera]"
    ),
    "memo-hash": (
        "documents, row 2, field sha256: value "
        "'0000000000000000000000000000000000000000000000000000000000000000': the shipped "
        "memo's sha256 is "
        "15d7950851dcc052a5ce54949b520583fbbda05fc50f5b111c8ca50198eda4a3 (rule: "
        "memo-hash) [pandera]"
    ),
    "memo-length": (
        "documents, row 2, field code_points: value '16901': the shipped memo has 16900 "
        "code points (rule: memo-length) [pandera]"
    ),
    "certainty-needs-hedge": (
        "risks, row 2, field certainty: value 'possible': a certainty below 'asserted' "
        "must show the memo's words in hedge (rule: certainty-needs-hedge) [pandera]"
    ),
    "band-needs-hedge": (
        "risks, row 5, field likelihood: value 'likely': an ICD 203 band needs the words "
        "that name a probability in hedge (rule: band-needs-hedge) [pandera]"
    ),
    "view-holder": (
        "risks, row 3, field attributed_to_actor_id: value 'russia': filled exactly when "
        "the view is an actor's (attribution other than 'author') (rule: view-holder) "
        "[pandera]"
    ),
    "view-holder-perceives": (
        "risks, row 2, field attributed_to_actor_id: value 'taliban': the actor whose "
        "view a risk is must be one of its perceivers (risk_actors) (rule: "
        "view-holder-perceives) [pandera]"
    ),
    "time-window": (
        "events, row 5, field time_start: value '2021-01-02': time_start must be what the "
        "stated date and the time links give (contract.timeline) (rule: time-window) "
        "[pandera]"
    ),
    "time-consistent": (
        "time_links, row 76, field relation: value 'after': the link contradicts the "
        "dates and links of its event and anchor (rule: time-consistent) [pandera]"
    ),
    "one-subject": (
        "time_links, row 2, field event_id: value 'spread-of-abandoned-arms': exactly one "
        "of event_id, position_id, relation_id must be filled (rule: one-subject) "
        "[pandera]"
    ),
    "one-anchor": (
        "time_links, row 2, field anchor_event_id: value "
        "'taliban-takeover-of-afghanistan': exactly one of anchor_event_id and "
        "anchor_document_id must be filled (rule: one-anchor) [pandera]"
    ),
    "not-self": (
        "time_links, row 5, field anchor_event_id: value "
        "'taliban-engage-isis-k-militarily': an event cannot be its own anchor (rule: "
        "not-self) [pandera]"
    ),
    "has-evidence": (
        "actors, row 77, field actor_id: value 'zz-actor-with-no-evidence': every record "
        "needs an evidence span (rule: has-evidence) [pandera]"
    ),
    "verbatim": (
        'events, row 2, field place: value "the country\'s gray areas itself": must be '
        "words of a passage the record's evidence quotes (rule: verbatim) [pandera]"
    ),
    "names-from-evidence": (
        "actors, row 4, field names_as_written: value 'the nascent anti-Taliban Afghan "
        "resistance | anti-Taliban resistance': must list the actor's evidence quotes in "
        "order (rule: names-from-evidence) [pandera]"
    ),
}
