"""The validators' path (validation/validate.py): the problems that follow from a broken
evidence link say which evidence row they follow from, and the text and formula checks run
only when asked for. Written to kill mutants `make mutation` found surviving (MUTATION.md): the
tests that check these build a package, which the fast selection leaves out.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import frictionless
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pytest
from test_mutants_builders import _contract, _memo, _tables, judge, set_cell

from memo724.contract import Contract
from memo724.contract.errors import Problem
from memo724.contract.paths import REPO, Layout
from memo724.contract.rules import effective_schema
from memo724.contract.schema import TABLES
from memo724.publication.package import csv_text
from memo724.validation import validate
from memo724.validation.catalogue import rule
from memo724.validation.checks import BOUND, Bound, bound, column_check, row_rule
from memo724.validation.schemas import derive
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


# --- Written for the full run of validate.py (issue 16). ---


def _p(where: str, row: int | None = None, field: str | None = None, by: str | None = None):
    return Problem(where, "r", "m", row=row, field=field, validator=by)


def test_problems_sort_package_first_then_tables_in_reading_order() -> None:
    unknown, table = _p("elsewhere"), _p(TABLES[1])
    first_table, memo, package = _p(TABLES[0]), _p("memo"), _p("datapackage.json")
    found = validate.sorted_problems([unknown, table, first_table, memo, package], TABLES)
    assert found == [package, memo, first_table, table, unknown]


def test_problems_of_a_table_sort_by_row_then_field_then_validator_none_first() -> None:
    # no row (the table's) before the header's row 1; no field or validator before any named
    rows = [_p("actors", 3), _p("actors", 1), _p("actors"), _p("actors", 2)]
    assert [p.row for p in validate.sorted_problems(rows, TABLES)] == [None, 1, 2, 3]
    fields = [_p("actors", 2, "b"), _p("actors", 2, "B"), _p("actors", 2)]
    assert [p.field for p in validate.sorted_problems(fields, TABLES)] == [None, "B", "b"]
    # "V" and "B" sort before any placeholder a missing name might be given ("XXXX")
    by = [_p("actors", 2, "f", "pandera"), _p("actors", 2, "f", "V"), _p("actors", 2, "f")]
    assert [p.validator for p in validate.sorted_problems(by, TABLES)] == [None, "V", "pandera"]


def test_a_cause_sorts_before_what_follows_from_it() -> None:
    follows = Problem("actors", "r", "m", row=2, follows="evidence row 5")
    cause = _p("evidence", 5)
    assert validate.sorted_problems([follows, cause], TABLES) == [cause, follows]


def test_a_column_cut_from_a_validated_table_is_an_error_a_column_it_lacks_is_not() -> None:
    frame = pd.DataFrame({"kept": ["a"]})
    assert validate._has(frame, "kept")
    assert not validate._has(frame, "never")
    frame.attrs[validate.CUT] = ("cut",)
    assert not validate._has(frame, "never")
    with pytest.raises(LookupError, match=r"^column cut was not kept for tracing consequences$"):
        validate._has(frame, "cut")


def _evidence(**columns: list[str | None]) -> dict[str, pd.DataFrame]:
    return {"evidence": pd.DataFrame(columns, dtype="string")}


# (why, the evidence's columns, the causes traced): each row is passed over or traced alone, and
# the rows and columns after it are still read.
EVIDENCE_CAUSES: list[tuple[str, dict[str, list[str | None]], dict[tuple[str, str], str]]] = [
    (
        "a record id holding dots is named whole",
        {"evidence_id": ["actor.a.b.14235"], "actor_id": ["c"]},
        {
            ("actors", "a.b"): "evidence row 2 (actor_id is not 'a.b')",
            ("actors", "c"): "evidence row 2 (actor_id is not 'a.b')",
        },
    ),
    (
        "a row without an id is passed over, not the rows after it",
        {"evidence_id": [None, "actor.a.1"], "actor_id": ["x", None]},
        {("actors", "a"): "evidence row 3 (actor_id is not 'a')"},
    ),
    (
        "a subject column the evidence lacks (actor_id, the first) is passed over, not the others",
        {"evidence_id": ["event.e.1"], "event_id": ["f"]},
        {
            ("events", "e"): "evidence row 2 (event_id is not 'e')",
            ("events", "f"): "evidence row 2 (event_id is not 'e')",
        },
    ),
    (
        "a row of another kind is passed over, not the rows after it",
        {
            "evidence_id": ["event.e.1", "nonsense.z.1", "actor.a.1"],
            "actor_id": [None, None, "x"],
            "event_id": ["e", None, None],
        },
        {
            ("actors", "a"): "evidence row 4 (actor_id is not 'a')",
            ("actors", "x"): "evidence row 4 (actor_id is not 'a')",
        },
    ),
    (
        # "<NA>" is how pandas prints a missing cell: an id that reads so is still an id
        "an empty subject cell names only the record the row was written for",
        {"evidence_id": ["actor.a.1", "actor.<NA>.2"], "actor_id": [None, None]},
        {
            ("actors", "a"): "evidence row 2 (actor_id is not 'a')",
            ("actors", "<NA>"): "evidence row 3 (actor_id is not '<NA>')",
        },
    ),
    ("no evidence ids traces no cause", {"actor_id": ["a"]}, {}),
]


@pytest.mark.parametrize(
    ("why", "columns", "causes"), EVIDENCE_CAUSES, ids=[c[0] for c in EVIDENCE_CAUSES]
)
def test_the_evidence_rows_causes_are_traced_row_by_row(
    contract: Contract,
    why: str,
    columns: dict[str, list[str | None]],
    causes: dict[tuple[str, str], str],
) -> None:
    assert next(iter(contract.evidence_subjects.values())) == "actor_id"  # the cases' premise
    assert validate._evidence_causes(contract, _evidence(**columns)) == causes, why


def test_no_evidence_table_traces_no_cause(contract: Contract) -> None:
    assert validate._evidence_causes(contract, {}) == {}


def test_a_package_level_frictionless_error_is_one_line_on_the_descriptor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Frictionless raises on a descriptor it cannot load, so a package-level error in its report
    # is fed through a stand-in for its Package: what is tested is how it is reported.
    error = SimpleNamespace(type="package-error", message="the package has an error")

    class Package:
        def __init__(self, descriptor: str) -> None:
            assert descriptor == str(tmp_path / "datapackage.json")

        def validate(self) -> SimpleNamespace:
            return SimpleNamespace(errors=[error], tasks=[])

    monkeypatch.setattr(frictionless, "Package", Package)
    assert validate.frictionless_problems(Layout(tmp_path)) == [
        Problem(
            "datapackage.json",
            "package-error",
            "the package has an error",
            validator="frictionless",
        )
    ]


def test_a_failure_is_traced_to_our_check_only_by_a_number_the_schema_has(
    contract: Contract,
) -> None:
    schema = derive(contract, "actors")
    column = schema.columns["actor_id"]
    ours = {"check_number": 0, "schema_context": "Column", "column": "actor_id"}
    assert validate._failed_check(schema, ours) == bound(column.checks[0])
    frame = {"check_number": 0, "schema_context": "DataFrameSchema", "column": None}
    assert validate._failed_check(schema, frame) == bound(schema.checks[0])
    for case in (
        {**ours, "check_number": None},  # Pandera's own checks carry no number
        {**ours, "check_number": float("nan")},
        {**ours, "column": "no such column"},
        {**ours, "check_number": len(column.checks)},
    ):
        assert validate._failed_check(schema, case) is None, case


def _case(**fields: object) -> pd.DataFrame:
    case = {"column": "actor_id", "check": "not_nullable", "check_number": None, "index": 0}
    return pd.DataFrame([{**case, "failure_case": None, **fields}])


def test_pandera_failures_name_the_field_only_where_pandera_names_a_column(
    contract: Contract,
) -> None:
    schema = derive(contract, "actors")
    for column in (None, float("nan")):
        (problem,) = validate._pandera_failures("actors", schema, _case(column=column))
        assert problem.field is None
    (problem,) = validate._pandera_failures("actors", schema, _case())
    assert (problem.field, problem.row) == ("actor_id", 2)


def test_a_row_rule_that_raises_is_reported_on_its_field_not_passed() -> None:
    """Pandera reports a check that raised on no row (naming the table as its column, or none);
    dropping it as another column's cell (as for a failing row's other cells) would pass a
    table the rule never judged."""

    def crash(frame: pd.DataFrame) -> Any:
        raise AttributeError("Bounds has no attribute 'finish'")

    check = row_rule(crash, rule("edtf-bounds"), "date_end", "must be the end", ["date_end"])
    frame = pd.DataFrame({"date_end": ["2021-10-31"]})
    for name in (None, "events"):
        schema = pa.DataFrameSchema(checks=[check], name=name)
        (problem,) = validate._failures("events", schema, frame)
        assert (problem.where, problem.rule, problem.field, problem.row) == (
            "events",
            "edtf-bounds",
            "date_end",
            None,
        )
        assert problem.value is not None and "finish" in problem.value


def test_a_pandera_check_of_its_own_and_a_stray_attribute_are_bound_to_no_rule() -> None:
    """bound() names the rule of the checks memo724 builds; Pandera's own checks carry no
    rule, and whatever else sits where the rule would be is not one."""
    assert bound(pa.Check.greater_than(0)) is None
    stray = pa.Check.greater_than(0)
    setattr(stray, BOUND, "minimum")
    assert bound(stray) is None
    check = column_check(lambda s: s > 0, rule("minimum"), "must be at least 1")
    assert bound(check) == Bound(rule("minimum"), "must be at least 1")


def test_a_column_check_with_a_missing_cell_keeps_the_frames_own_index() -> None:
    """A user's frame may be indexed from anywhere: with a missing cell in the column (which
    passes), the failing cell is still reported at its own row."""
    check = column_check(lambda s: s > 0, rule("minimum"), "must be at least 1")
    schema = pa.DataFrameSchema({"n": pa.Column("Int64", checks=[check], nullable=True)})
    frame = pd.DataFrame({"n": pd.array([1, None, -1], dtype="Int64")}, index=[10, 11, 12])
    (problem,) = validate._failures("events", schema, frame)
    assert (problem.rule, problem.field, problem.row) == ("minimum", "n", 14)


def test_a_pandera_dtype_failure_is_the_type_rule_naming_the_dtype(contract: Contract) -> None:
    schema = derive(contract, "actors")
    (problem,) = validate._pandera_failures("actors", schema, _case(check="dtype('Int64')"))
    assert (problem.rule, problem.message) == ("type", "the column's dtype must be 'Int64'")


def test_a_pandera_failure_without_a_row_or_a_value_names_neither(contract: Contract) -> None:
    schema = derive(contract, "actors")
    nan = float("nan")
    (problem,) = validate._pandera_failures("actors", schema, _case(index=nan, failure_case=nan))
    assert (problem.row, problem.value) == (None, None)
    (problem,) = validate._pandera_failures("actors", schema, _case(failure_case="x"))
    assert (problem.row, problem.value) == (2, "x")


def test_a_pandera_check_of_no_known_rule_is_named_as_pandera_names_it(
    contract: Contract,
) -> None:
    schema = derive(contract, "actors")
    case = _case(check="a_check_memo724_does_not_name")
    (problem,) = validate._pandera_failures("actors", schema, case)
    assert (problem.rule, problem.message) == (
        "a_check_memo724_does_not_name",
        "fails a_check_memo724_does_not_name",
    )


def test_a_cell_that_does_not_parse_is_reported_once_as_unparsed() -> None:
    # The typed frame holds it as missing: Pandera's "required" of it would say it twice.
    found = judge(set_cell("evidence", 0, start="abc"))
    assert [(p.where, p.rule, p.row, p.field) for p in found if p.field == "start"] == [
        ("evidence", "type", 2, "start")
    ]
    found = judge(set_cell("actors", 0, kind="nonsense"))
    assert [(p.where, p.rule, p.row, p.field) for p in found] == [("actors", "enum", 2, "kind")]


def test_a_row_of_broken_structure_is_reported_as_that_alone_and_other_rows_as_they_are() -> None:
    judged, sources = _sources("plain")
    lines = sources["actors"].decode("utf-8").split("\n")
    lines[1] = lines[1].split(",")[0] + ",plain"  # row 2: two cells of seven
    cells = lines[2].split(",")
    lines[2] = ",".join(["", *cells[1:]])  # row 3: no actor_id
    sources["actors"] = "\n".join(lines).encode("utf-8")
    found = [p for p in validate_tables(judged, sources, _memo()) if p.where == "actors"]
    assert [(p.rule, p.row, p.field) for p in found] == [
        ("cell-count", 2, None),  # not the required cells it lacks
        ("verbatim", 3, "role_title"),
        ("names-from-evidence", 3, "names_as_written"),
        ("required", 3, "actor_id"),
    ]


def test_a_consequence_at_a_tables_last_row_is_marked() -> None:
    actors = [r["actor_id"] for r in _tables()["actors"]]
    evidence = _tables()["evidence"]
    at = next(i for i, r in enumerate(evidence) if r["actor_id"] == actors[-1])
    found = judge(set_cell("evidence", at, actor_id=actors[0]))
    cause = f"evidence row {at + 2} (actor_id is not {actors[-1]!r})"
    last = [p for p in found if p.where == "actors" and p.row == len(actors) + 1]
    assert last and all(p.follows == cause for p in last), last


def test_only_a_following_rule_at_a_caused_record_is_marked(contract: Contract) -> None:
    frames = {
        **_evidence(evidence_id=["actor.a.1"], actor_id=[None]),
        "actors": pd.DataFrame({"actor_id": ["a", "b"]}, dtype="string"),
    }
    follows = [
        Problem("actors", "names-from-evidence", "m", row=2),  # a: its evidence row left it
        Problem("actors", "required", "m", row=2),  # a rule no broken link explains
        Problem("actors", "names-from-evidence", "m", row=3),  # b: no cause
        Problem("actors", "names-from-evidence", "m", row=4),  # past the frame's last row
    ]
    marked = validate.mark_consequences(contract, frames, follows)
    assert [p.follows for p in marked] == ["evidence row 2 (actor_id is not 'a')", None, None, None]


def test_no_time_model_or_no_time_links_frame_traces_no_time_cause(contract: Contract) -> None:
    broken = [Problem("time_links", "foreignKey", "m", row=2, field="event_id")]
    assert validate._time_link_causes(contract, {}, broken) == {}
    alone = Contract.of({"actors": contract["actors"].descriptor})
    assert validate._time_link_causes(alone, {}, broken) == {}


def test_a_broken_time_link_key_or_anchor_names_the_records_it_leaves_unplaced(
    contract: Contract,
) -> None:
    links = pd.DataFrame(
        {
            "time_link_id": ["l1", "l2"],
            "event_id": ["e1", "gone"],
            "position_id": ["", None],  # an empty key names no record either
            "relation_id": [None, None],
            "anchor_event_id": ["e2", "e3"],
            "anchor_document_id": [None, None],
        },
        dtype="string",
    )
    frames = {"time_links": links, "events": pd.DataFrame({"event_id": ["e1", "e9"]})}
    problems = [
        Problem("events", "required", "m", row=2, field="event_id"),  # no link's key
        # a broken key into a table not validated here (no frame): nothing to trace, go on
        Problem("time_links", "foreignKey", "m", row=2, field="position_id", value="p"),
        Problem("time_links", "foreignKey", "m", row=3, field="event_id", value="gone"),
        Problem("time_links", "foreignKey", "m", row=2, field="anchor_event_id", value="e2"),
        Problem("time_links", "foreignKey", "m", row=3, field="anchor_event_id", value="e3"),
        Problem("time_links", "foreignKey", "m", row=4, field="anchor_event_id", value="x"),
    ]
    assert validate._time_link_causes(contract, frames, problems) == {
        # the last link's event key names nothing: e9, which no link names, is the one it left
        ("events", "e9"): "time_links row 3 (event_id 'gone' names no record)",
        # the first link lost its anchor: the event it still names is left without it
        ("events", "e1"): "time_links row 2 (anchor_event_id 'e2' names no record)",
        ("events", "gone"): "time_links row 3 (anchor_event_id 'e3' names no record)",
    }


def test_the_cause_is_traced_through_the_evidence_key_whatever_its_name(tmp_path: Path) -> None:
    # The key is the contract's, not a field named evidence_id (a rename kept the trace silent).
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO.schemas, schemas)
    path = schemas / "evidence.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"evidence_id"', '"span_key"'))
    renamed = Contract(schemas)
    assert renamed[renamed.evidence_table or ""].primary_key == ["span_key"]
    frames = _evidence(span_key=["actor.a.1"], actor_id=["b"])
    where = "evidence row 2 (actor_id is not 'a')"
    assert validate._evidence_causes(renamed, frames) == {
        ("actors", "a"): where,
        ("actors", "b"): where,
    }
