"""The rules derived for every table (spreadsheet-safe, bounded text) and the Table Schema
constructs the validators support, each at its boundary: one past, case-only changes, reordering.
"""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest

from memo724.contract import Contract
from memo724.contract.paths import REPO
from memo724.contract.rules import (
    FORMULA_LEADS,
    SAFE_TEXT,
    SPREADSHEET_MESSAGE,
    effective_schema,
    formula_cells,
    formula_led,
    is_memo_text,
    json_problem,
    schema_problems,
    unwrap,
    wrapped_pattern,
)


def test_memo_text_fields_are_the_evidence_quote_and_the_passage_text() -> None:
    contract = Contract(REPO.schemas)
    found = {
        (name, f["name"])
        for name in contract.tables
        for f in contract[name].fields
        if is_memo_text(name, f)
    }
    assert found == {
        ("evidence", "exact"),
        ("evidence", "prefix"),
        ("evidence", "suffix"),
        ("passages", "text"),
    }


def test_a_schema_that_states_no_memo_text_falls_back_to_the_old_releases_fields() -> None:
    # Schemas of releases before the property: the same four fields, by table and name.
    for table, field in [("evidence", "exact"), ("evidence", "prefix"), ("evidence", "suffix")]:
        assert is_memo_text(table, {"name": field})
    assert is_memo_text("passages", {"name": "text"})
    assert not is_memo_text("passages", {"name": "exact"})  # the field of another table
    assert not is_memo_text("evidence", {"name": "text"})
    assert not is_memo_text("events", {"name": "summary"})
    assert not is_memo_text("Evidence", {"name": "exact"})  # names are case-sensitive
    # A stated property wins over the fallback, either way.
    assert is_memo_text("events", {"name": "summary", "memoText": "span"})


@pytest.mark.parametrize("lead", FORMULA_LEADS)
def test_safe_text_refuses_each_formula_lead_only_at_the_start(lead: str) -> None:
    assert re.fullmatch(SAFE_TEXT, f"{lead}SUM(A1)") is None
    assert re.fullmatch(SAFE_TEXT, f"a{lead}b") is not None


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_formula_led_is_the_safe_text_rule_on_the_first_character(kind: pa.DataType) -> None:
    # The Arrow lookup the validators run agrees with the pattern the schemas carry: each lead
    # at the start only, a wide first character, a lead after a space, missing and empty cells.
    cells = [f"{lead}1" for lead in FORMULA_LEADS]
    cells += ["\u00e9=", "\U0001f600", " =1", "a-b", "'=quoted", "", None, "\n=1"]
    found = formula_led(pa.chunked_array([pa.array(cells, kind)])).to_pylist()
    assert found == [c is not None and re.fullmatch(SAFE_TEXT, c) is None for c in cells]
    assert found.count(True) == len(FORMULA_LEADS)


def test_safe_text_accepts_any_other_text_including_line_breaks() -> None:
    for text in ("", "plain", " =leading space", "line\nbreak", "'=quoted"):
        assert re.fullmatch(SAFE_TEXT, text) is not None


def test_a_wrapped_pattern_guards_every_alternative() -> None:
    wrapped = wrapped_pattern("a|=b")
    assert re.fullmatch(wrapped, "a") is not None
    assert re.fullmatch(wrapped, "=b") is None  # unwrapped, the second branch would allow it
    assert re.fullmatch(wrapped_pattern("[a-z]+"), "abc") is not None
    assert re.fullmatch(wrapped_pattern("[a-z]+"), "ABC") is None


def _string(name: str, **constraints: object) -> dict:
    field: dict = {"name": name, "type": "string"}
    if constraints:
        field["constraints"] = dict(constraints)
    return field


def test_effective_schema_bounds_text_by_the_memo_and_guards_its_start() -> None:
    schema = {
        "fields": [
            _string("free"),
            {"name": "untyped"},  # no type: a string
            _string("long", maxLength=1001),  # one past the memo
            _string("exact", maxLength=1000),
            _string("short", maxLength=999),
            _string("text_limit", maxLength="20"),  # not an integer: replaced
            _string("coded", enum=["a", "b"]),
            _string("id", pattern="e[0-9]+"),
            {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "d", "type": "date"},
        ],
        "primaryKey": ["id"],
    }
    original = json.loads(json.dumps(schema))
    out = effective_schema("events", schema, 1000)
    assert schema == original  # the input is not changed
    c = {f["name"]: f.get("constraints") for f in out["fields"]}
    assert c["free"] == {"maxLength": 1000, "pattern": SAFE_TEXT}
    assert c["untyped"] == {"maxLength": 1000, "pattern": SAFE_TEXT}
    assert c["long"] == {"maxLength": 1000, "pattern": SAFE_TEXT}
    assert c["exact"] == {"maxLength": 1000, "pattern": SAFE_TEXT}
    assert c["short"] == {"maxLength": 999, "pattern": SAFE_TEXT}
    assert c["text_limit"] == {"maxLength": 1000, "pattern": SAFE_TEXT}
    assert c["coded"] == {"enum": ["a", "b"], "maxLength": 1000}  # a closed list: no pattern
    assert c["id"] == {"pattern": wrapped_pattern("e[0-9]+"), "maxLength": 1000}
    assert c["n"] == {"minimum": 0}  # only text is bounded and guarded
    assert c["d"] is None
    assert out["primaryKey"] == ["id"]
    assert [f["name"] for f in out["fields"]] == [f["name"] for f in schema["fields"]]


def test_memo_text_may_begin_as_the_memo_does_but_stays_bounded() -> None:
    schema = {"fields": [_string("exact"), _string("note")]}
    out = effective_schema("evidence", schema, 50)
    assert out["fields"][0]["constraints"] == {"maxLength": 50}
    assert out["fields"][1]["constraints"] == {"maxLength": 50, "pattern": SAFE_TEXT}
    # The same field name in another table is no memo text.
    out = effective_schema("events", {"fields": [_string("exact")]}, 50)
    assert out["fields"][0]["constraints"] == {"maxLength": 50, "pattern": SAFE_TEXT}
    assert effective_schema("events", {}, 50) == {}


def _text(**columns: list) -> pa.Table:
    return pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})


def test_formula_cells_are_found_in_typed_fields_only() -> None:
    schema = {
        "fields": [
            {"name": "n", "type": "integer"},
            {"name": "x", "type": "number"},
            {"name": "s", "type": "string"},
            {"name": "u"},  # no type: a string, guarded by its pattern instead
        ]
    }
    text = _text(
        n=["1", "+724", None, "-0", "2=", "@1"],
        x=["\t1", "1.5", "\r2", "=1", None, " +1"],
        s=["=x", "+y", "-z", "@w", "\tv", "ok"],
        u=["=x", None, None, None, None, None],
        extra=["=unknown", None, None, None, None, None],  # not in the schema: a string
    )
    problems = formula_cells("events", schema, text)
    assert [(p.field, p.row, p.value) for p in problems] == [
        ("n", 3, "+724"),
        ("n", 5, "-0"),
        ("n", 7, "@1"),
        ("x", 2, "\t1"),
        ("x", 4, "\r2"),
        ("x", 5, "=1"),
    ]
    first = problems[0]
    assert (first.where, first.rule, first.message, first.validator) == (
        "events",
        "spreadsheet-safe",
        SPREADSHEET_MESSAGE,
        "memo724",
    )


def test_formula_cells_skip_a_clean_table_and_memo_text() -> None:
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "exact", "type": "integer"}]}
    assert formula_cells("events", schema, _text(n=["1", None], exact=["2", "3"])) == []
    # A field of the memo's own words is never scanned, whatever its declared type.
    got = formula_cells("evidence", schema, _text(n=["1", "2"], exact=["=3", "4"]))
    assert got == []
    got = formula_cells("events", schema, _text(n=["1", "2"], exact=["=3", "4"]))
    assert [(p.field, p.row) for p in got] == [("exact", 2)]


def test_an_effective_pattern_unwraps_into_the_rules_it_was_made_of() -> None:
    # The inverse of effective_schema: which rule a pattern failure belongs to is read from
    # the pattern the value was checked against, never from a message.
    assert unwrap(wrapped_pattern("e[0-9]+")) == (True, "e[0-9]+")
    assert unwrap(SAFE_TEXT) == (True, None)  # the guard alone, on free text
    # A pattern of the schema's own (not derived here) is not the spreadsheet rule's.
    assert unwrap("e[0-9]+") == (False, "e[0-9]+")
    # One character short of the wrapping on either side is not a wrapped pattern.
    assert unwrap(wrapped_pattern("e[0-9]+")[:-1]) == (False, wrapped_pattern("e[0-9]+")[:-1])
    assert unwrap(wrapped_pattern("e")[1:])[0] is False
    for lead in FORMULA_LEADS:
        assert re.fullmatch(wrapped_pattern("e[0-9]+"), lead + "e1") is None
        assert re.fullmatch(wrapped_pattern("e[0-9]+"), "e1") is not None


def test_invalid_json_is_one_problem_naming_line_column_and_character() -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads('{\n  "a": 1,\n  oops\n}')
    p = json_problem(caught.value, "schemas/events.json")
    assert str(p) == (
        "schemas/events.json: not valid JSON at line 3 column 3 (character 14): "
        "Expecting property name enclosed in double quotes (rule: json)"
    )


def _problems(schema: object) -> list[str]:
    return [str(p) for p in schema_problems(schema, "s.json")]


def test_a_schema_needs_to_be_an_object_with_a_non_empty_list_of_fields() -> None:
    assert _problems([]) == ["s.json: a Table Schema is a JSON object (rule: table-schema)"]
    for bad in ({}, {"fields": []}, {"fields": {"name": "a"}}):
        assert _problems(bad) == ["s.json: needs a non-empty list of fields (rule: table-schema)"]


def test_a_supported_schema_has_no_problem() -> None:
    schema = {
        "fields": [
            {"name": "a"},
            {
                "name": "b",
                "type": "string",
                "constraints": {
                    "required": True,
                    "unique": False,
                    "enum": ["x"],
                    "pattern": "[a-z]+",
                    "minLength": 0,
                    "maxLength": 3,
                },
            },
            {"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 9}},
            {"name": "d", "type": "number"},
            {"name": "e", "type": "boolean"},
            {"name": "f", "type": "date"},
        ]
    }
    assert _problems(schema) == []


def test_each_unsupported_construct_is_named_by_field() -> None:
    schema = {
        "fields": [
            "a",
            {"type": "string"},
            {"name": 3},
            {"name": "dt", "type": "datetime"},
            {"name": "DT", "type": "Date"},  # a case-only change is not the type
            {"name": "c", "constraints": ["required"]},
            {"name": "x", "constraints": {"exclusiveMinimum": 1, "Required": True}},
            {"name": "p", "constraints": {"pattern": "("}},
            {"name": "q", "constraints": {"pattern": 5}},
            {"name": "e", "constraints": {"enum": "a"}},
            {"name": "l", "constraints": {"minLength": "1", "maxLength": True}},
            {"name": "m", "constraints": {"maxLength": 1.5}},
            {"name": "r", "constraints": {"required": "yes", "unique": 1}},
        ]
    }
    assert _problems(schema) == [
        "s.json: fields[0] is not an object with a name (rule: table-schema)",
        "s.json: fields[1] is not an object with a name (rule: table-schema)",
        "s.json: fields[2] is not an object with a name (rule: table-schema)",
        "s.json, field dt: type 'datetime' has no derivation; use one of string, integer, "
        "number, boolean, date (rule: unsupported-type)",
        "s.json, field DT: type 'Date' has no derivation; use one of string, integer, "
        "number, boolean, date (rule: unsupported-type)",
        "s.json, field c: constraints must be an object (rule: table-schema)",
        "s.json, field x: constraint 'exclusiveMinimum' has no derivation in memo724's "
        "validators (rule: unsupported-constraint)",
        "s.json, field x: constraint 'Required' has no derivation in memo724's validators "
        "(rule: unsupported-constraint)",
        "s.json, field p: pattern '(' is not a valid regular expression (missing ), "
        "unterminated subpattern at position 0) (rule: invalid-pattern)",
        "s.json, field q: pattern 5 is not a valid regular expression (not text) "
        "(rule: invalid-pattern)",
        "s.json, field e: enum must be a list (rule: table-schema)",
        "s.json, field l: minLength must be an integer (rule: table-schema)",
        "s.json, field l: maxLength must be an integer (rule: table-schema)",
        "s.json, field m: maxLength must be an integer (rule: table-schema)",
        "s.json, field r: required must be true or false (rule: table-schema)",
        "s.json, field r: unique must be true or false (rule: table-schema)",
    ]


def test_a_field_with_an_unsupported_type_is_still_checked_for_its_constraints() -> None:
    schema = {"fields": [{"name": "t", "type": "time", "constraints": {"enum": 1}}]}
    assert _problems(schema) == [
        "s.json, field t: type 'time' has no derivation; use one of string, integer, number, "
        "boolean, date (rule: unsupported-type)",
        "s.json, field t: enum must be a list (rule: table-schema)",
    ]


def _link_table(**props: object) -> dict:
    """A link table as event_participants is: its first key field references the record."""
    return {
        "fields": [{"name": "event_id"}, {"name": "actor_id"}, {"name": "role"}],
        "primaryKey": ["event_id", "actor_id", "role"],
        "foreignKeys": [
            {"fields": "event_id", "reference": {"resource": "events", "fields": "event_id"}},
            {"fields": "actor_id", "reference": {"resource": "actors", "fields": "actor_id"}},
        ],
        **props,
    }


def _with_field(**props: object) -> dict:
    return {"fields": [{"name": "a", **props}, {"name": "b"}]}


# memo724's own properties of a schema, each as contract/schema.py says: (schema, the problem
# it has, or None). A misspelt value is reported, never read as if the property were absent.
PROPERTY_CASES = [
    *[(_link_table(role=role), None) for role in ("document", "structure", "record", "link")],
    ({**_with_field(), "role": "evidence"}, None),
    (
        _link_table(role="recrod"),
        "role 'recrod' is not one of document, structure, record, link, evidence",
    ),
    (
        _link_table(role="Record"),
        "role 'Record' is not one of document, structure, record, link, evidence",
    ),
    (_link_table(role=None), "role None is not one of document, structure, record, link, evidence"),
    (_link_table(statement=True), None),
    (_link_table(statement=False), None),
    (_link_table(statement="yes"), "statement must be true or false"),
    (_link_table(statement=1), "statement must be true or false"),
    (_link_table(labelField="role"), None),
    (_link_table(labelField="nmae"), "labelField 'nmae' names no field of this table"),
    (_link_table(labelField="Role"), "labelField 'Role' names no field of this table"),
    (_link_table(recordList="participants"), None),
    (
        _link_table(recordList=""),
        "recordList must be the key (text) under which a record lists these rows",
    ),
    (
        _link_table(recordList=["participants"]),
        "recordList must be the key (text) under which a record lists these rows",
    ),
    (
        _link_table(recordList="participants", primaryKey=["actor_id", "event_id", "role"])
        | {"foreignKeys": []},
        "recordList needs a primary key whose first field is a foreign key to the record that "
        "lists these rows",
    ),
    (
        _link_table(recordList="participants", primaryKey=["role", "event_id"]),
        "recordList needs a primary key whose first field is a foreign key to the record that "
        "lists these rows",
    ),
    (_link_table(placesInTime=True), None),
    (_link_table(placesInTime=False), None),
    (_link_table(placesInTime="true"), "placesInTime must be true or false"),
    (
        _link_table(placesInTime=True, foreignKeys=[]),
        "placesInTime needs a foreign key named as the key it references (event_id -> "
        "events.event_id): the tables it places",
    ),
]


@pytest.mark.parametrize("case", range(len(PROPERTY_CASES)))
def test_each_property_of_a_table_is_checked_as_stated(case: int) -> None:
    schema, problem = PROPERTY_CASES[case]
    expected = [] if problem is None else [f"s.json: {problem} (rule: schema-property)"]
    assert _problems(schema) == expected


@pytest.mark.parametrize(
    ("props", "problem"),
    [
        ({"memoText": "span"}, None),
        ({"memoText": "prefix"}, None),
        ({"memoText": "suffix"}, None),
        ({"memoText": "Span"}, "memoText 'Span' is not one of span, prefix, suffix"),
        ({"memoText": "quote"}, "memoText 'quote' is not one of span, prefix, suffix"),
        ({"memoText": True}, "memoText True is not one of span, prefix, suffix"),
        ({"verbatim": True}, None),
        ({"verbatim": False}, None),
        ({"verbatim": "true"}, "verbatim must be true or false"),
    ],
)
def test_each_property_of_a_field_is_checked_as_stated(props: dict, problem: str | None) -> None:
    expected = [] if problem is None else [f"s.json, field a: {problem} (rule: schema-property)"]
    assert _problems(_with_field(**props)) == expected


def test_the_repositorys_schemas_state_their_properties_as_documented() -> None:
    for path in sorted(REPO.schemas.glob("*.json")):
        assert _problems(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


def test_formula_cells_scan_every_typed_column_after_a_text_one() -> None:
    schema = {"fields": [{"name": "s"}, {"name": "n", "type": "integer"}]}
    got = formula_cells("events", schema, _text(s=["=x"], n=["+1"]))
    assert [(p.field, p.row, p.value) for p in got] == [("n", 2, "+1")]
    # A schema without fields types nothing: every column is text.
    assert formula_cells("events", {}, _text(n=["+1"])) == []
