"""The validators' context (validation/schemas.py's Context), called directly.

The checks reach the context only through the rules, which always give it what they ask for:
what it answers when the memo or a table is missing, and that it builds each shared value once
until told to forget, were never observed, so mutants of them survived.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from test_mutants_builders import _typed_frames
from test_public_schema import wrongly_typed

import memo724
from memo724.contract import Contract
from memo724.contract.paths import REPO
from memo724.validation.schemas import Context, derive


def test_a_context_without_the_memo_refuses_its_slices() -> None:
    with pytest.raises(ValueError, match=r"^no memo in this context$"):
        Context().slices()


def test_the_memos_slices_are_of_the_memo_given() -> None:
    memo = "Kyiv — Київ"
    slices = Context(memo=memo).slices()
    found = slices.equal(np.array([0, 7]), np.array([4, 11]), pd.Series(["Kyiv", "Київ"]))
    assert found.tolist() == [True, True]
    assert slices.length == len(memo)
    assert Context(memo="").slices().length == 0  # an empty memo is a memo, of no text


def test_shared_values_are_built_once_until_forgotten() -> None:
    ctx = Context(memo="a memo")
    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        return len(made)

    assert [ctx.memoized("k", make), ctx.memoized("k", make)] == [1, 1]
    first = ctx.slices()
    assert ctx.slices() is first
    ctx.forget()
    assert ctx.memoized("k", make) == 2
    assert ctx.slices() is not first
    assert made == [0, 1]


def test_the_memos_hash_is_sha256_of_its_utf8_and_none_without_it() -> None:
    memo = "Policy Memo — «724»"
    assert Context(memo=memo).memo_sha256 == hashlib.sha256(memo.encode("utf-8")).hexdigest()
    assert Context(memo="").memo_sha256 == hashlib.sha256(b"").hexdigest()
    assert Context().memo_sha256 is None


def test_a_column_is_none_unless_its_table_and_field_are_given() -> None:
    frame = pd.DataFrame({"event_id": ["ev-1"]})
    ctx = Context({"events": frame})
    column = ctx.column("events", "event_id")
    assert column is not None and column.tolist() == ["ev-1"]
    assert ctx.column("events", "label") is None
    assert ctx.column("actors", "event_id") is None
    assert Context(None).tables == {}


def _failed_checks(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> set[str]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return set(errors.failure_cases["check"].astype(str))
    return set()


def test_a_table_must_have_its_columns_in_order_and_no_other() -> None:
    """strict, ordered and required: what the CSV header check also says, for a typed frame."""
    contract = Contract(REPO.schemas)
    schema = derive(contract, "event_participants")
    frame = memo724.load("event_participants")
    assert _failed_checks(schema, frame) == set()
    assert "column_in_schema" in _failed_checks(schema, frame.assign(extra="x"))
    assert "column_ordered" in _failed_checks(schema, frame[["actor_id", "event_id", "role"]])
    assert "column_in_dataframe" in _failed_checks(schema, frame.drop(columns="role"))


def test_a_key_of_several_fields_is_unique_as_a_whole() -> None:
    contract = Contract(REPO.schemas)
    schema = derive(contract, "event_participants")
    frame = memo724.load("event_participants")
    twice = pd.concat([frame, frame.iloc[:1]], ignore_index=True)
    assert "multiple_fields_uniqueness" in _failed_checks(schema, twice)
    # one field of the key repeated is no duplicate
    assert frame["event_id"].duplicated().any() and _failed_checks(schema, frame) == set()


def test_each_column_is_nullable_and_unique_as_its_field_states() -> None:
    contract = Contract(REPO.schemas)
    for name, table in contract.tables.items():
        schema = derive(contract, name)
        assert schema.name == name
        for field in table.fields:
            column = schema.columns[field["name"]]
            constraints = field.get("constraints", {})
            assert column.nullable is not constraints.get("required", False), field
            assert column.unique is bool(constraints.get("unique", False)), field
        one_unique = len(table.primary_key) == 1 and schema.columns[table.primary_key[0]].unique
        assert schema.unique == (None if one_unique else table.primary_key)


def test_a_one_field_key_is_checked_once_unique_or_not() -> None:
    """A duplicated key is reported once: as its column's rule when the field is declared
    unique, else as the key's (a key field that does not say unique is still a key)."""
    schemas = {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in REPO.schemas.glob("*.json")
    }
    frame = memo724.load("sources")
    twice = pd.concat([frame, frame.iloc[:1]], ignore_index=True)
    failed = _failed_checks(derive(Contract.of(schemas), "sources"), twice)
    assert "field_uniqueness" in failed and "multiple_fields_uniqueness" not in failed
    key = schemas["sources"]["primaryKey"]
    key = key if isinstance(key, str) else key[0]
    for field in schemas["sources"]["fields"]:
        if field["name"] == key:
            field["constraints"].pop("unique")
    failed = _failed_checks(derive(Contract.of(schemas), "sources"), twice)
    assert "multiple_fields_uniqueness" in failed and "field_uniqueness" not in failed


def test_a_column_of_another_type_is_reported_never_converted() -> None:
    """The schema validates the typed frame as it is: a key given as numbers is a wrong type,
    not something to convert to text and pass."""
    contract = Contract(REPO.schemas)
    schema = derive(contract, "event_participants")
    frame = memo724.load("event_participants")
    numbered = frame.assign(event_id=range(len(frame)))
    assert wrongly_typed(schema, numbered) == {"event_id"}


def test_an_object_column_of_a_text_field_is_judged_cell_by_cell() -> None:
    """A user's frame may hold a text field in an object column: its strings and missing cells
    pass as text, whole numbers are refused (Text.check's own path; the typed frames the fast
    tests read hold Arrow strings, judged by their dtype alone)."""
    contract, frames = _typed_frames()
    actors = frames["actors"]
    schema = derive(contract, "actors")
    assert wrongly_typed(schema, actors) == set()
    text = actors.astype({"actor_id": object, "role_title": object})
    text.loc[0, "role_title"] = None
    assert wrongly_typed(schema, text) == set()
    numbered = actors.assign(actor_id=pd.Series(range(len(actors)), dtype=object))
    assert wrongly_typed(schema, numbered) == {"actor_id"}
