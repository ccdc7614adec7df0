"""Frictionless's problems as the contract's rules (validation/validate.py): its error types
mapped to Table Schema's rule names, a pattern failure traced back to the spreadsheet rule or
the schema's own pattern, each problem located by table, row, field and value. Written to kill
mutants `make mutation` found with no test in the fast selection (MUTATION.md): the tests that
run Frictionless build a package; these run it on a package of one small table.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from memo724.contract.errors import Problem
from memo724.contract.paths import Layout
from memo724.contract.rules import SPREADSHEET_MESSAGE, SPREADSHEET_RULE, wrapped_pattern
from memo724.validation.catalogue import CATALOGUE
from memo724.validation.validate import (
    _pattern_rule,
    _registered,
    frictionless_problems,
    frictionless_rule,
)


def test_frictionless_error_types_are_named_as_table_schema_rules() -> None:
    def rule(**error: Any) -> str:
        return frictionless_rule(SimpleNamespace(**error))

    assert rule(type="constraint-error", note='constraint "maxLength" is "5"') == "maxLength"
    assert rule(type="constraint-error", note="some other words") == "constraint-error"
    assert rule(type="constraint-error", note=None) == "constraint-error"
    assert rule(type="constraint-error") == "constraint-error"
    assert rule(type="type-error") == "type"
    assert rule(type="foreign-key") == "foreignKey"
    assert rule(type="primary-key") == "primaryKey"
    assert rule(type="unique-error") == "unique"
    assert rule(type="missing-cell") == "cell-count"
    assert rule(type="extra-cell") == "cell-count"
    assert rule(type="source-error") == "readable-csv"
    assert rule(type="blank-row") == "blank-row"
    assert rule() == "error"


def test_a_rule_is_the_catalogues_where_it_has_one() -> None:
    assert _registered("pattern") is CATALOGUE["pattern"].rule
    assert _registered("no-such-rule") == "no-such-rule"


SCHEMAS = {
    "t": {
        "fields": [
            {"name": "code", "constraints": {"pattern": wrapped_pattern("[a-z]+")}},
            {"name": "own", "constraints": {"pattern": "[a-z]+"}},
            {"name": "free"},
        ]
    }
}


def test_a_pattern_failure_is_traced_to_the_rule_the_schema_states() -> None:
    assert _pattern_rule(SCHEMAS, "t", "code", "=1+1") == (SPREADSHEET_RULE, SPREADSHEET_MESSAGE)
    assert _pattern_rule(SCHEMAS, "t", "code", "ABC") == ("pattern", "must match [a-z]+")
    assert _pattern_rule(SCHEMAS, "t", "code", None) == ("pattern", "must match [a-z]+")
    assert _pattern_rule(SCHEMAS, "t", "own", "=1") is None  # Frictionless's own words
    assert _pattern_rule(SCHEMAS, "t", "free", "=1") is None
    assert _pattern_rule(SCHEMAS, "t", "absent", "=1") is None
    assert _pattern_rule(SCHEMAS, "other", "code", "=1") is None


def _package(root: Path) -> dict[str, Any]:
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "parent", "type": "integer"},
            {
                "name": "name",
                "type": "string",
                "constraints": {"required": True, "pattern": wrapped_pattern("[a-z]+")},
            },
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}],
    }
    (root / "data").mkdir()
    (root / "data" / "t.csv").write_text(
        "id,parent,name\n1,,ok\nx,1,abc\n3,1,=bad\n4,1,\n5,9,dup\n", "utf-8"
    )
    resource = {"name": "t", "path": "data/t.csv", "format": "csv", "schema": schema}
    (root / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}))
    return {"t": schema}


def test_frictionless_problems_are_located_and_named_by_the_contracts_rules(
    tmp_path: Path,
) -> None:
    schemas = _package(tmp_path)

    def problem(rule: str, message: str, row: int, field: str, value: str) -> Problem:
        return Problem("t", rule, message, row=row, field=field, value=value,
                       validator="frictionless")  # fmt: skip

    type_error = problem("type", 'type is "integer/default"', 3, "id", "x")
    required = problem("required", 'constraint "required" is "True"', 5, "name", "")
    found = frictionless_problems(Layout(tmp_path), schemas)
    assert [p for p in found if p.rule not in ("primaryKey", "foreignKey")] == [
        type_error,
        problem("spreadsheet-safe", SPREADSHEET_MESSAGE, 4, "name", "=bad"),
        required,
    ]
    # a foreign key of one field names it; its value is the row's, not one cell's
    (key,) = [p for p in found if p.rule == "foreignKey"]
    assert (key.where, key.row, key.field, key.validator) == ("t", 6, "parent", "frictionless")
    # without the schemas, a pattern failure is Frictionless's own
    plain = frictionless_problems(Layout(tmp_path))
    assert [(p.rule, p.row) for p in plain if p.rule not in ("primaryKey", "foreignKey")] == [
        ("type", 3),
        ("pattern", 4),
        ("required", 5),
    ]
