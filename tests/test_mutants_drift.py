"""What differs between a copy's contract and its release's (validation/differences.py), on small
descriptors and schemas. Written to kill mutants `make mutation` found surviving (MUTATION.md):
the tests that judge a whole copy build a package and are left out of the mutation run.
"""

from __future__ import annotations

from typing import Any

from memo724.contract.errors import Problem
from memo724.contract.paths import DESCRIPTOR
from memo724.validation.differences import descriptor_drift, schema_drift, short


def lines(problems: list[Problem]) -> list[tuple[str, str, str | None]]:
    assert {p.rule for p in problems} <= {"contract-drift"}
    return [(p.where, p.message, p.field) for p in problems]


RELEASE_SCHEMA: dict[str, Any] = {
    "primaryKey": "id",
    "missingValues": [""],
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "pattern": "a"}},
        {"name": "n", "type": "integer"},
        {"name": "gone", "type": "string"},
        {"name": "e", "type": "string", "constraints": {"enum": ["a", "b", "c"]}},
        {"name": "o", "constraints": {"enum": ["a", "b"]}, "description": "x" * 100},
    ],
}
COPY_SCHEMA: dict[str, Any] = {
    "primaryKey": "id2",
    "extra": 1,
    "fields": [
        {"name": "n", "type": "number"},
        {"name": "id", "type": "string", "constraints": {"required": True, "maxLength": 5}},
        {"name": "new"},
        {"name": "e", "constraints": {"enum": ["c", "a", "d"]}, "type": "string"},
        "not an object",
        {"no name": 1},
        {"name": "o", "constraints": {"enum": ["b", "a"]}, "description": "y" * 100},
    ],
}


def test_every_difference_of_a_schema_is_one_line_naming_its_field() -> None:
    x, y = "x" * 86, "y" * 86
    assert lines(schema_drift("schemas/t.json", RELEASE_SCHEMA, COPY_SCHEMA)) == [
        ("schemas/t.json", 'primaryKey changed from "id" to "id2"', None),
        ("schemas/t.json", 'missingValues removed (the release has [""])', None),
        ("schemas/t.json", "extra added: 1 (the release has none)", None),
        ("schemas/t.json", 'constraints.pattern removed (the release has "a")', "id"),
        ("schemas/t.json", "constraints.maxLength added: 5 (the release has none)", "id"),
        ("schemas/t.json", 'type changed from "integer" to "number"', "n"),
        ("schemas/t.json", "field removed (the release has it)", "gone"),
        ("schemas/t.json", 'constraints.enum changed: removed ["b"]; added ["d"]', "e"),
        ("schemas/t.json", "constraints.enum changed: reordered", "o"),
        ("schemas/t.json", f'description changed from "{x}... to "{y}...', "o"),
        ("schemas/t.json", "field added (the release has none)", "new"),
        ("schemas/t.json", "fields reordered: the release has ['id', 'n', 'e', 'o']", None),
    ]


def test_an_enum_losing_or_gaining_values_only_says_so() -> None:
    release = {"fields": [{"name": "e", "constraints": {"enum": ["a", "b"]}}]}
    fewer = {"fields": [{"name": "e", "constraints": {"enum": ["a"]}}]}
    more = {"fields": [{"name": "e", "constraints": {"enum": ["a", "b", "c"]}}]}
    assert lines(schema_drift("s", release, fewer)) == [
        ("s", 'constraints.enum changed: removed ["b"]', "e")
    ]
    assert lines(schema_drift("s", release, more)) == [
        ("s", 'constraints.enum changed: added ["c"]', "e")
    ]
    assert schema_drift("s", release, {"fields": [dict(release["fields"][0])]}) == []


def test_a_schema_that_is_no_object_or_has_no_field_list_is_one_line() -> None:
    assert lines(schema_drift("s", RELEASE_SCHEMA, [])) == [
        ("s", "is not a Table Schema object as in the release", None)
    ]
    assert lines(schema_drift("s", {"a": 1, "fields": []}, {"a": 2, "fields": {}})) == [
        ("s", "a changed from 1 to 2", None),
        ("s", "fields is not a list as in the release", None),
    ]


def test_values_are_shown_whole_up_to_90_characters() -> None:
    assert short("x" * 88) == '"' + "x" * 88 + '"'  # 90 characters
    assert short("x" * 89) == '"' + "x" * 86 + "..."
    assert short({"b": "é", "a": 1}) == '{"a": 1, "b": "é"}'


RELEASE: dict[str, Any] = {
    "name": "pkg",
    "version": "1",
    "profile": "tabular-data-package",
    "resources": [
        {"name": "a", "path": "a.csv", "hash": "x", "title": "A"},
        {"name": "b", "path": "b.csv"},
    ],
}
COPY: dict[str, Any] = {
    "name": "pkg2",
    "title": "T",
    "profile": "data-package",
    "files": ["the release's own list"],  # a release's key: not compared
    "resources": [
        {"name": "a", "path": "a2.csv", "hash": "y", "title": "B"},
        {"path": "nameless"},
        "not an object",
        {"name": "a"},
        {"name": "c"},
    ],
}


def test_every_difference_of_a_copys_descriptor_is_one_line() -> None:
    assert lines(descriptor_drift(RELEASE, COPY)) == [
        (DESCRIPTOR, 'name changed from "pkg" to "pkg2"', "name"),
        (DESCRIPTOR, 'version removed (the release has "1")', "version"),
        (DESCRIPTOR, 'profile changed from "tabular-data-package" to "data-package"', "profile"),
        (DESCRIPTOR, 'title added: "T" (the release has none)', "title"),
        (DESCRIPTOR, "resource without a name", "resources[1]"),
        (DESCRIPTOR, "resource without a name", "resources[2]"),
        (DESCRIPTOR, "resource listed twice", "resources[a]"),
        (DESCRIPTOR, 'path changed from "a.csv" to "a2.csv"', "resources[a].path"),
        (DESCRIPTOR, 'hash changed from "x" to "y"', "resources[a].hash"),
        (DESCRIPTOR, 'title changed from "A" to "B"', "resources[a].title"),
        (DESCRIPTOR, "resource removed (the release has it)", "resources[b]"),
        (DESCRIPTOR, "resource added (the release has none)", "resources[c]"),
    ]


def test_a_package_of_its_own_is_compared_only_on_its_contract() -> None:
    assert lines(descriptor_drift(RELEASE, COPY, own=True)) == [
        (DESCRIPTOR, 'profile changed from "tabular-data-package" to "data-package"', "profile"),
        (DESCRIPTOR, "resource without a name", "resources[1]"),
        (DESCRIPTOR, "resource without a name", "resources[2]"),
        (DESCRIPTOR, "resource listed twice", "resources[a]"),
        (DESCRIPTOR, 'path changed from "a.csv" to "a2.csv"', "resources[a].path"),
        (DESCRIPTOR, "resource removed (the release has it)", "resources[b]"),
        (DESCRIPTOR, "resource added (the release has none)", "resources[c]"),
    ]


def test_resources_that_are_not_a_list_are_one_line() -> None:
    copy = {"name": "pkg", "profile": "tabular-data-package", "resources": {}}
    assert lines(descriptor_drift(RELEASE, copy)) == [
        (DESCRIPTOR, 'version removed (the release has "1")', "version"),
        (DESCRIPTOR, "resources is not a list", "resources"),
    ]
    assert descriptor_drift(RELEASE, dict(RELEASE)) == []


def test_only_an_enum_between_two_lists_is_told_value_by_value() -> None:
    release = {
        "missingValues": ["", "NA"],
        "fields": [{"name": "e", "constraints": {"enum": ["a"]}}],
    }
    copy = {"missingValues": [""], "fields": [{"name": "e", "constraints": {"enum": "a"}}]}
    assert lines(schema_drift("s", release, copy)) == [
        ("s", 'missingValues changed from ["", "NA"] to [""]', None),
        ("s", 'constraints.enum changed from ["a"] to "a"', "e"),
    ]


def test_only_constraints_are_told_rule_by_rule() -> None:
    release = {"dialect": {"delimiter": ","}, "fields": []}
    copy = {"dialect": {"delimiter": ";"}, "fields": []}
    assert lines(schema_drift("s", release, copy)) == [
        ("s", 'dialect changed from {"delimiter": ","} to {"delimiter": ";"}', None)
    ]
    assert lines(schema_drift("s", {"fields": []}, {"constraints": {"a": 1}, "fields": []})) == [
        ("s", 'constraints added: {"a": 1} (the release has none)', None)
    ]


def test_a_release_without_resources_leaves_every_copy_resource_added() -> None:
    copy = {"name": "pkg", "resources": [{"name": "a"}]}
    assert lines(descriptor_drift({"name": "pkg"}, copy)) == [
        (DESCRIPTOR, "resource added (the release has none)", "resources[a]"),
    ]


def test_resources_after_a_removed_one_are_still_compared() -> None:
    release = {"resources": [{"name": "gone"}, {"name": "kept", "path": "a.csv"}]}
    copy = {"resources": [{"name": "kept", "path": "b.csv"}]}
    assert lines(descriptor_drift(release, copy)) == [
        (DESCRIPTOR, "resource removed (the release has it)", "resources[gone]"),
        (DESCRIPTOR, 'path changed from "a.csv" to "b.csv"', "resources[kept].path"),
    ]


def test_a_release_schema_without_fields_leaves_every_copy_field_added() -> None:
    assert lines(schema_drift("s", {}, {"fields": [{"name": "a"}]})) == [
        ("s", "field added (the release has none)", "a")
    ]


def test_a_drifted_property_is_named_by_its_key_not_by_its_messages_first_word() -> None:
    """The field is the property's path as compared, whatever its name holds (a space here),
    never read back out of the message."""
    release = {"name": "pkg", "resources": [{"name": "t", "path": "data/t.csv"}]}
    copy = {
        "name": "pkg",
        "my note": "x",
        "resources": [{"name": "t", "path": "data/t.csv", "a b": 1}],
    }
    assert [p.field for p in descriptor_drift(release, copy)] == [
        "my note",
        "resources[t].a b",
    ]
