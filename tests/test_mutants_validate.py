"""The validators' path (validation/validate.py): the problems that follow from a broken
evidence link say which evidence row they follow from, and the text and formula checks run
only when asked for. Written to kill mutants `make mutation` found surviving (MUTATION.md): the
tests that check these build a package, which the fast selection leaves out.
"""

from __future__ import annotations

import copy

import pyarrow
import pytest
from test_mutants_builders import _contract, _memo, _tables, judge, set_cell

from memo724.contract import Contract
from memo724.contract.rules import effective_schema
from memo724.publication.package import csv_text
from memo724.validation import validate
from memo724.validation.validate import load_typed, validate_tables


def _follows(problems: list) -> list[tuple[str, int | None, str | None, str, str | None]]:
    return sorted((p.where, p.row, p.field, p.rule, p.follows) for p in problems)


def test_an_evidence_row_moved_to_another_record_marks_both_records_problems() -> None:
    rows = _tables()["evidence"]
    named, other = rows[0]["actor_id"], rows[1]["actor_id"]
    assert named != other  # the first two evidence rows name two actors
    cause = f"evidence row 2 (actor_id is not {named!r})"
    found = judge(set_cell("evidence", 0, actor_id=other))
    actors = [r["actor_id"] for r in _tables()["actors"]]
    at, moved_to = actors.index(named) + 2, actors.index(other) + 2
    assert _follows(found) == sorted(
        [
            # the cause, at the row that moved: its id still names the record it left
            ("evidence", 2, "evidence_id", "id-names-record", None),
            ("actors", at, "names_as_written", "names-from-evidence", cause),
            ("actors", at, "actor_id", "has-evidence", cause),
            # the record the row now names gains a span, and a name form with it
            ("actors", moved_to, "names_as_written", "names-from-evidence", cause),
        ]
    )


def test_an_evidence_row_naming_no_record_marks_the_record_it_left() -> None:
    named = _tables()["evidence"][0]["actor_id"]
    found = judge(set_cell("evidence", 0, actor_id=""))
    cause = f"evidence row 2 (actor_id is not {named!r})"
    marked = [p for p in found if p.follows is not None]
    assert {p.rule for p in marked} == {"names-from-evidence", "has-evidence"}
    assert {p.follows for p in marked} == {cause}
    # the evidence row's own problem is the cause, and follows from nothing
    assert [(p.where, p.row, p.rule, p.follows) for p in found if p.where == "evidence"] == [
        ("evidence", 2, "one-record", None)
    ]


def _sources(control_in: str) -> tuple[Contract, dict[str, bytes]]:
    tables = copy.deepcopy(_tables())
    tables["actors"][0]["name"] = control_in  # a field of no verbatim rule
    judged = Contract.of(
        {n: effective_schema(n, s.descriptor, len(_memo())) for n, s in _contract().tables.items()}
    )
    sources = {n: csv_text(list(t[0]), t).encode("utf-8") for n, t in tables.items()}
    return judged, sources


def test_the_text_rules_run_only_when_asked_for() -> None:
    judged, sources = _sources("a\x07b")
    assert [p.rule for p in validate_tables(judged, sources, _memo())] == []
    judged, sources = _sources("a\x07b")
    found = validate_tables(judged, sources, _memo(), spreadsheet_safe=True)
    assert [(p.where, p.row, p.field, p.rule) for p in found] == [
        ("actors", 2, "name", "control-character")
    ]


def test_loading_checks_the_text_rules_only_when_asked_for() -> None:
    judged, sources = _sources("a\x07b")
    assert load_typed(sources, judged)[1] == []
    judged, sources = _sources("a\x07b")
    found = load_typed(sources, judged, spreadsheet_safe=True)[1]
    assert [(p.where, p.row, p.field, p.rule) for p in found] == [
        ("actors", 2, "name", "control-character")
    ]


def test_memory_is_returned_where_the_c_library_cannot_be_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(name: object) -> object:
        raise OSError("no C library here")

    monkeypatch.setattr(validate.ctypes, "CDLL", refused)
    validate._return_freed_memory()  # nothing to trim: no error


def test_arrow_allocates_from_jemalloc_where_it_has_it() -> None:
    try:
        jemalloc = pyarrow.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    before = pyarrow.default_memory_pool()
    try:
        system = pyarrow.system_memory_pool()
        pyarrow.set_memory_pool(system)
        assert validate.lean_memory_pool().backend_name == system.backend_name
        assert pyarrow.default_memory_pool().backend_name == "jemalloc"
        pyarrow.set_memory_pool(jemalloc)
        assert validate.lean_memory_pool().backend_name == "jemalloc"
        assert pyarrow.default_memory_pool().backend_name == "jemalloc"
    finally:
        pyarrow.set_memory_pool(before)


def test_validating_puts_the_callers_arrow_pool_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """jemalloc is the validation's choice, not the user's: their process gets its pool back,
    after a valid package and after a validation that raised."""
    before = pyarrow.default_memory_pool()
    system = pyarrow.system_memory_pool()
    try:
        pyarrow.set_memory_pool(system)
        judged, sources = _sources("plain")
        assert validate_tables(judged, sources, _memo()) == []
        assert pyarrow.default_memory_pool().backend_name == system.backend_name

        def broken(*args: object) -> object:
            raise RuntimeError("a check raised")

        monkeypatch.setattr(validate, "schema_problems", broken)
        judged, sources = _sources("plain")
        with pytest.raises(RuntimeError):
            validate_tables(judged, sources, _memo())
        assert pyarrow.default_memory_pool().backend_name == system.backend_name
    finally:
        pyarrow.set_memory_pool(before)


def test_problems_are_sorted_in_the_contracts_table_order() -> None:
    """A table the code has never heard of (a new schema) takes its place in the reading order
    it is given, after the package's own problems; causes before what follows from them."""
    from memo724.contract.errors import Problem

    found = [
        Problem("pledges", "unique", "x", row=3),
        Problem("actors", "unique", "x", row=9, follows="pledges row 3"),
        Problem("actors", "unique", "x", row=2),
        Problem("datapackage.json", "contract-drift", "x"),
        Problem("pledges", "unique", "x", row=2),
    ]
    shown = validate.sorted_problems(found, ["pledges", "actors"])
    assert [(p.where, p.row) for p in shown] == [
        ("datapackage.json", None),
        ("pledges", 2),
        ("pledges", 3),
        ("actors", 2),
        ("actors", 9),
    ]
    assert [p.where for p in validate.sorted_problems(found[:3], ["actors", "pledges"])] == [
        "actors",
        "pledges",
        "actors",
    ]
