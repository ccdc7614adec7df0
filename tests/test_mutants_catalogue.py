"""The catalogue's records as registered (validation/catalogue.py): the kind each rule is filed
under, its builder or none, its words, and a name registered twice. Written to kill mutants
`make mutation` found surviving (MUTATION.md): registration runs at import, so these mutants are
run with `--fresh` (each in a new process that imports the catalogue with the mutant active).
"""

from __future__ import annotations

import pytest

import memo724.validation.validate  # noqa: F401  (imports every module that registers a builder)
from memo724.validation.catalogue import (
    CATALOGUE,
    adopt,
    declare,
    register,
    rule,
    table_schema_rules,
)


def test_the_rules_table_schema_states_are_the_table_schema_kind() -> None:
    assert table_schema_rules() == {
        "cell-count",
        "cell-size",
        "column-order",
        "duplicate-column",
        "enum",
        "foreignKey",
        "maxLength",
        "maximum",
        "minLength",
        "minimum",
        "missing-column",
        "pattern",
        "primaryKey",
        "required",
        "type",
        "unclosed-quote",
        "unexpected-column",
        "unique",
    }


def test_each_way_of_registering_files_the_rule_with_its_kind_and_builder() -> None:
    built = CATALOGUE["certainty-needs-hedge"]  # register(...)(builder), kind by default
    assert (built.rule.name, built.kind, callable(built.build)) == (
        "certainty-needs-hedge",
        "provenance",
        True,
    )
    assert built.rule.reads == "certainty, hedge"
    bound = CATALOGUE["minLength"]  # register(..., kind="table-schema")(builder)
    assert (bound.kind, callable(bound.build)) == ("table-schema", True)
    assert (bound.rule.applies, bound.rule.message) == (
        "fields with constraints.minLength",
        "at least {} characters",
    )
    declared = CATALOGUE["type"]  # declare(...): no builder, Table Schema's kind by default
    assert (declared.kind, declared.build) == ("table-schema", None)
    assert (declared.rule.applies, declared.rule.reads, declared.rule.message) == (
        "every field (its Table Schema type)",
        "the field",
        "must be a(n) {type}",
    )
    text = CATALOGUE["control-character"]  # declare(..., kind="text")
    assert (text.kind, text.build) == ("text", None)
    adopted = CATALOGUE["cell-count"]  # adopt(rule): the reader's own rule object
    assert (adopted.kind, adopted.build, adopted.rule.name) == ("table-schema", None, "cell-count")
    assert adopted.rule.message == "a row has as many cells as the header"
    assert CATALOGUE["spreadsheet-safe"].kind == "contract"  # adopt(rule, kind=...)
    assert all(rule(name) is entry.rule for name, entry in CATALOGUE.items())


def test_a_rule_is_registered_once() -> None:
    before = dict(CATALOGUE)
    with pytest.raises(ValueError, match=r"^rule 'type' is registered twice$"):
        declare("type", "a", "b", "c")
    with pytest.raises(ValueError, match=r"^rule 'cell-count' is registered twice$"):
        adopt(CATALOGUE["cell-count"].rule)
    with pytest.raises(ValueError, match=r"^rule 'minLength' is registered twice$"):
        register("minLength", "a", "b", "c")(lambda contract, schema, ctx: [])
    assert before == CATALOGUE
