"""Rules derived from the contract for every table, and the Table Schema constructs it supports.

Two rules hold for every table without being written into each schema:
- Spreadsheet-safe: no cell may begin with `=`, `+`, `-`, `@`, tab or carriage return (a
  spreadsheet would run it as a formula), unless the field holds the memo's own words at a place
  (the field property `memoText`: every character is checked against the memo).
- Bounded text: no text cell is longer than the memo itself.
Both are derived into the Table Schemas the validators read (`effective_schema`), so Frictionless
and Pandera enforce them alike.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from .errors import OWN, Problem, Rule
from .limits import pattern_error
from .schema import MEMO_TEXT_KINDS, ROLES, memo_text_kind

if TYPE_CHECKING:
    import pyarrow as pa

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# A lookahead that refuses a formula-leading first character; prefixed to string patterns.
SAFE_START = r"(?![=+\-@\t\r])"
SAFE_TEXT = SAFE_START + r"[\s\S]*"
SPREADSHEET_MESSAGE = (
    "must not begin with =, +, -, @, tab or carriage return (a spreadsheet would run it as a "
    "formula)"
)
SPREADSHEET_RULE = Rule(
    "spreadsheet-safe",
    "every field but the memo's own words at a place (memoText) and closed lists (enum)",
    "the cell's first character (of a typed field: its text before it is typed)",
    SPREADSHEET_MESSAGE,
)

# Table Schema types and constraints the validators derive checks for.
SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "date")
SUPPORTED_CONSTRAINTS = (
    "required",
    "unique",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
)


def is_memo_text(table: str, field: dict[str, Any]) -> bool:
    """Whether a field holds the memo's words at a place (they may begin as the memo does)."""
    return memo_text_kind(table, field) is not None


def wrapped_pattern(pattern: str) -> str:
    return f"{SAFE_START}(?:{pattern})"


def unwrap(pattern: str) -> tuple[bool, str | None]:
    """(spreadsheet-safe written in, the schema's own pattern or None) of an effective pattern:
    the inverse of what `effective_schema` writes, so each rule is checked and reported as
    itself."""
    if pattern == SAFE_TEXT:
        return True, None
    if pattern.startswith(SAFE_START + "(?:") and pattern.endswith(")"):
        return True, pattern[len(SAFE_START) + 3 : -1]
    return False, pattern


def effective_schema(table: str, schema: dict[str, Any], memo_code_points: int) -> dict[str, Any]:
    """The schema with the derived rules written in: what both validators enforce."""
    out = copy.deepcopy(schema)
    for field in out.get("fields", []):
        if field.get("type", "string") != "string":
            continue
        constraints = field.setdefault("constraints", {})
        limit = constraints.get("maxLength")
        if not isinstance(limit, int) or limit > memo_code_points:
            constraints["maxLength"] = memo_code_points
        if is_memo_text(table, field) or "enum" in constraints:
            continue  # the memo's words at their place; or a closed list (checked by a test)
        pattern = constraints.get("pattern")
        constraints["pattern"] = SAFE_TEXT if pattern is None else wrapped_pattern(pattern)
    return out


def formula_led(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Whether each cell of a text column begins with one of FORMULA_LEADS (missing: false).

    Its first character looked up among the leads by Arrow: an anchored RE2 search starts a
    matcher per cell, three times slower (0.22 s against 0.08 s on 6M cells).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    first = pc.utf8_slice_codeunits(column, 0, 1)
    return pc.is_in(first, value_set=pa.array(FORMULA_LEADS, first.type))


def formula_cells(table: str, schema: dict[str, Any], text: pa.Table) -> list[Problem]:
    """Formula-led cells of the fields a pattern cannot cover (integers, numbers, dates, booleans).

    The typed readers parse `+724` or `-0` as numbers, so these are checked on the CSV's text
    columns (as read by `typed.read_csv_text`, before typing), one Arrow kernel per column. Row
    numbers count records with the header as 1, as the validators do. Text fields need no scan:
    `effective_schema` writes the rule into their patterns, which both validators enforce.
    """
    import numpy as np
    import pyarrow.compute as pc

    fields = {f.get("name"): f for f in schema.get("fields", [])}
    problems = []
    for name, column in zip(text.column_names, text.columns, strict=True):
        field = fields.get(name, {"name": name})
        if field.get("type", "string") == "string" or is_memo_text(table, field):
            continue
        led = formula_led(column)
        if not pc.any(led).as_py():
            continue
        rows = np.flatnonzero(led.to_numpy(zero_copy_only=False))
        values = pc.take(column, rows).to_pylist()
        problems += [
            Problem(
                table,
                SPREADSHEET_RULE,
                SPREADSHEET_MESSAGE,
                row=int(row) + 2,
                field=name,
                value=value,
                validator=OWN,
            )
            for row, value in zip(rows.tolist(), values, strict=True)
        ]
    return problems


def json_problem(exc: json.JSONDecodeError, shown: str) -> Problem:
    return Problem(
        shown,
        "json",
        f"not valid JSON at line {exc.lineno} column {exc.colno} (character {exc.pos}): {exc.msg}",
    )


def schema_problems(schema: object, shown: str) -> list[Problem]:
    """Constructs a schema uses that the validators cannot derive, each naming file and field."""
    if not isinstance(schema, dict):
        return [Problem(shown, "table-schema", "a Table Schema is a JSON object")]
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [Problem(shown, "table-schema", "needs a non-empty list of fields")]
    problems = property_problems(schema, shown)
    for i, field in enumerate(fields):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            problems.append(
                Problem(shown, "table-schema", f"fields[{i}] is not an object with a name")
            )
            continue
        name = field["name"]
        problems += field_property_problems(field, shown)
        ftype = field.get("type", "string")
        if ftype not in SUPPORTED_TYPES:
            problems.append(
                Problem(
                    shown,
                    "unsupported-type",
                    f"type {ftype!r} has no derivation; use one of {', '.join(SUPPORTED_TYPES)}",
                    field=name,
                )
            )
        constraints = field.get("constraints", {})
        if not isinstance(constraints, dict):
            problems.append(
                Problem(shown, "table-schema", "constraints must be an object", field=name)
            )
            continue
        for rule, value in constraints.items():
            if rule not in SUPPORTED_CONSTRAINTS:
                problems.append(
                    Problem(
                        shown,
                        "unsupported-constraint",
                        f"constraint {rule!r} has no derivation in memo724's validators",
                        field=name,
                    )
                )
            elif rule == "pattern":
                error = pattern_error(value) if isinstance(value, str) else "not text"
                if error is not None:
                    text = repr(value) if len(repr(value)) <= 80 else repr(value)[:60] + "..."
                    problems.append(
                        Problem(
                            shown,
                            "invalid-pattern",
                            f"pattern {text} is not a valid regular expression ({error})",
                            field=name,
                        )
                    )
            elif rule == "enum" and not isinstance(value, list):
                problems.append(Problem(shown, "table-schema", "enum must be a list", field=name))
            elif rule in ("minLength", "maxLength") and (
                not isinstance(value, int) or isinstance(value, bool)
            ):
                problems.append(
                    Problem(shown, "table-schema", f"{rule} must be an integer", field=name)
                )
            elif rule in ("required", "unique") and not isinstance(value, bool):
                problems.append(
                    Problem(shown, "table-schema", f"{rule} must be true or false", field=name)
                )
    return problems


def _names(value: object) -> list[str]:
    """A key's field names (a name or a list of them), the others left out."""
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [n for n in names if isinstance(n, str)]


def _key_references(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, the field it references) of each one-field foreign key a schema states."""
    found = []
    for fk in schema.get("foreignKeys", []) if isinstance(schema.get("foreignKeys"), list) else []:
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict):
            continue
        fields, refs = _names(fk.get("fields")), _names(reference.get("fields"))
        if len(fields) == 1 and len(refs) == 1:
            found.append((fields[0], refs[0]))
    return found


def property_problems(schema: dict[str, Any], shown: str) -> list[Problem]:
    """memo724's own properties of a table (contract/schema.py says what each means), each
    checked as stated, so a misspelt one is reported, never read as absent: `role` one of
    ROLES, `statement` and `placesInTime` true or false, `labelField` a field of the table,
    `recordList` a key named on a table whose first key field references the record that
    lists its rows, `placesInTime` on a table with a key that names what it places."""
    names = [f.get("name") for f in schema.get("fields", []) if isinstance(f, dict)]
    problems = []

    def problem(what: str) -> None:
        problems.append(Problem(shown, "schema-property", what))

    if "role" in schema and schema["role"] not in ROLES:
        problem(f"role {schema['role']!r} is not one of {', '.join(ROLES)}")
    for flag in ("statement", "placesInTime"):
        if flag in schema and not isinstance(schema[flag], bool):
            problem(f"{flag} must be true or false")
    if "labelField" in schema and schema["labelField"] not in names:
        problem(f"labelField {schema['labelField']!r} names no field of this table")
    if "recordList" in schema:
        key = schema["recordList"]
        first = _names(schema.get("primaryKey"))[:1]
        if not isinstance(key, str) or not key:
            problem("recordList must be the key (text) under which a record lists these rows")
        elif not first or first[0] not in [f for f, _ in _key_references(schema)]:
            problem(
                "recordList needs a primary key whose first field is a foreign key to the "
                "record that lists these rows"
            )
    if schema.get("placesInTime") is True and not any(
        f == ref for f, ref in _key_references(schema)
    ):
        problem(
            "placesInTime needs a foreign key named as the key it references (event_id -> "
            "events.event_id): the tables it places"
        )
    return problems


def field_property_problems(field: dict[str, Any], shown: str) -> list[Problem]:
    """memo724's own properties of a field: `memoText` one of MEMO_TEXT_KINDS, `verbatim`
    true or false."""
    problems = []
    if "memoText" in field and field["memoText"] not in MEMO_TEXT_KINDS:
        what = f"memoText {field['memoText']!r} is not one of {', '.join(MEMO_TEXT_KINDS)}"
        problems.append(Problem(shown, "schema-property", what, field=field["name"]))
    if "verbatim" in field and not isinstance(field["verbatim"], bool):
        what = "verbatim must be true or false"
        problems.append(Problem(shown, "schema-property", what, field=field["name"]))
    return problems
