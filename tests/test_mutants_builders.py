"""The rule builders (validation/table_schema.py, rules.py, provenance.py, records.py) on inputs
the repository's own tables never hold. Written to kill mutants `make mutation` found surviving
(MUTATION.md): each test changes the repository's tables or a schema, runs the validators' own
path (`validate_tables`, as `memo724 validate` does) and asserts the problem reported, so it holds
whatever the builders' code looks like inside.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from typing import Any

import pandas as pd

from memo724.contract import CONTEXT_CHARS, Contract
from memo724.contract.errors import Problem
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO
from memo724.contract.rules import effective_schema
from memo724.publication.package import csv_text
from memo724.validation.table_schema import _full_match, _one_of, lengths
from memo724.validation.validate import load_typed, schema_problems, validate_tables

Row = dict[str, str]
Tables = dict[str, list[Row]]


@cache
def _memo() -> str:
    return read_memo(REPO.memo)


@cache
def _contract() -> Contract:
    return Contract(REPO.schemas)


@cache
def _tables() -> Tables:
    return {
        name: list(csv.DictReader(io.StringIO(REPO.table(name).read_text("utf-8"), newline="")))
        for name in _contract().tables
    }


def judge(
    rows: Callable[[Tables], None] | None = None,
    schemas: Callable[[dict[str, Any]], None] | None = None,
) -> list[Problem]:
    """The problems `validate_tables` reports for the repository's tables and schemas, after
    `rows` edits the rows and `schemas` the effective schemas."""
    tables = copy.deepcopy(_tables())
    if rows is not None:
        rows(tables)
    effective = {
        name: effective_schema(name, s.descriptor, len(_memo()))
        for name, s in _contract().tables.items()
    }
    if schemas is not None:
        schemas(effective)
    judged = Contract.of(effective)
    sources = {
        name: csv_text(list(t[0]) if t else judged[name].field_names, t).encode("utf-8")
        for name, t in tables.items()
    }
    return validate_tables(judged, sources, _memo(), spreadsheet_safe=True)


def constrain(table: str, field: str, **rules: Any) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        for f in schemas[table]["fields"]:
            if f["name"] == field:
                f.setdefault("constraints", {}).update(rules)

    return change


def where(problems: list[Problem], rule: str) -> list[tuple[str, int | None, str | None]]:
    return sorted((p.where, p.row, p.field) for p in problems if p.rule == rule)


def set_cell(table: str, index: int, **cells: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table][index].update(cells)

    return change


def _dated_event() -> tuple[int, date, date]:
    """A dated event, and the earliest and latest date_start of all events."""
    rows = _tables()["events"]
    days = [date.fromisoformat(r["date_start"]) for r in rows if r["date_start"]]
    return next(i for i, r in enumerate(rows) if r["date_start"]), min(days), max(days)


def test_a_date_minimum_is_compared_as_a_date() -> None:
    """constraints.minimum on a date field: a day before it fails, the day itself passes."""
    i, low, _ = _dated_event()
    schema = constrain("events", "date_start", minimum=low.isoformat())
    before = (low - timedelta(days=1)).isoformat()
    assert where(judge(set_cell("events", i, date_start=before), schema), "minimum") == [
        ("events", i + 2, "date_start")
    ]
    assert where(judge(set_cell("events", i, date_start=low.isoformat()), schema), "minimum") == []


def test_a_date_maximum_is_compared_as_a_date() -> None:
    i, _, high = _dated_event()
    schema = constrain("events", "date_start", maximum=high.isoformat())
    after = (high + timedelta(days=1)).isoformat()
    assert where(judge(set_cell("events", i, date_start=after), schema), "maximum") == [
        ("events", i + 2, "date_start")
    ]
    assert where(judge(set_cell("events", i, date_start=high.isoformat()), schema), "maximum") == []


def test_a_pattern_re2_cannot_read_is_matched_by_python_and_spares_missing_cells() -> None:
    """A lookahead is not RE2 syntax: the pattern is matched by Python's re instead, and a
    missing cell (iso3 is empty for every actor but a state) still passes."""
    schema = constrain("actors", "iso3", pattern="(?!ZZ)[A-Z]{3}")
    i = next(i for i, r in enumerate(_tables()["actors"]) if r["iso3"])
    assert any(not r["iso3"] for r in _tables()["actors"])
    assert where(judge(schemas=schema), "pattern") == []
    assert where(judge(set_cell("actors", i, iso3="ZZA"), schema), "pattern") == [
        ("actors", i + 2, "iso3")
    ]


def test_a_pattern_spares_formula_led_cells_only_when_spreadsheet_safe_reports_them() -> None:
    cells = pd.Series(["=AB", "abc", "ABC"], dtype="string[pyarrow]", index=[5, 6, 7])
    spared = _full_match("[A-Z]{3}", True)(cells)
    assert spared.index.tolist() == [5, 6, 7]  # the column's own rows
    assert spared.tolist() == [True, False, True]  # "=AB" is spreadsheet-safe's to report
    assert _full_match("[A-Z]{3}", False)(cells).tolist() == [False, False, True]


def test_a_coded_value_is_judged_on_the_columns_own_rows() -> None:
    cells = pd.Series(["a", "b"], index=[7, 8])
    judged = _one_of(["a"])(cells)
    assert judged.index.tolist() == [7, 8] and judged.tolist() == [True, False]


def test_a_value_outside_the_enum_in_ones_own_frame_is_reported_with_the_values_allowed() -> None:
    # A CSV's coded cells are refused as they are parsed; a frame of one's own (text, not
    # categories) reaches the enum check, whose message lists what is allowed.
    contract, frames = _typed_frames()
    cells = frames["events"]["factuality"].astype(object)
    cells.iloc[0] = "occured"
    frames["events"]["factuality"] = cells
    enum = [p for p in schema_problems(contract, frames, _memo()) if p.rule == "enum"]
    assert [(p.where, p.row, p.field) for p in enum] == [("events", 2, "factuality")]
    assert enum[0].message.startswith("must be one of") and "occurred" in enum[0].message


def test_a_key_into_its_own_table_is_reported_with_the_key_it_must_be_and_ends_no_others() -> None:
    """A self-referencing foreign key (a passage continuing another) listed before a key into
    another table: both are checked, each reported with the key it must be."""

    def self_first(schemas: dict[str, Any]) -> None:
        keys = schemas["passages"]["foreignKeys"]
        keys.sort(key=lambda fk: fk["reference"]["resource"] != "passages")

    def broken(tables: Tables) -> None:
        tables["passages"][0].update(
            document_id="no-such-document", continues_passage_id="no-such-passage"
        )

    found = [(p.field, p.message) for p in judge(broken, self_first) if p.rule == "foreignKey"]
    assert sorted(found) == [
        ("continues_passage_id", "must be a passages.passage_id"),
        ("document_id", "must be a documents.document_id"),
    ]


def test_a_span_may_start_at_the_memos_first_character() -> None:
    memo = _memo()

    def at_start(tables: Tables) -> None:
        tables["evidence"][0].update(start="0", end="12", exact=memo[:12])

    assert where(judge(at_start), "exact-at-offsets") == []

    def before_start(tables: Tables) -> None:
        tables["evidence"][0].update(start="-1", end="12", exact=memo[:12])

    assert ("evidence", 2, "exact") in where(judge(before_start), "exact-at-offsets")


def test_an_evidence_span_must_not_be_empty() -> None:
    def empty(tables: Tables) -> None:
        row = tables["evidence"][0]
        row.update(end=row["start"], exact="")

    assert ("evidence", 2, "exact") in where(judge(empty), "exact-at-offsets")


def test_verbatim_is_left_unchecked_without_the_passages_or_their_key() -> None:
    """The rule needs the passages and the evidence's passage key: without either, it checks
    nothing (and fails on nothing) rather than break the validation."""

    def no_passages(tables: Tables) -> None:
        del tables["passages"]

    assert where(judge(no_passages), "verbatim") == []

    def no_passage_key(tables: Tables) -> None:
        for row in tables["evidence"]:
            del row["passage_id"]

    assert where(judge(no_passage_key), "verbatim") == []

    def wrong_words(tables: Tables) -> None:
        row = next(r for r in tables["positions"] if r["hedge"])
        row["hedge"] = "words the memo never says"

    assert where(judge(wrong_words), "verbatim") != []


def test_verbatim_is_left_unchecked_when_the_evidence_has_no_key_into_the_passages() -> None:
    """Without a foreign key from the evidence into the structure's table there is no passage to
    find words in: the rule checks nothing rather than stop the validation."""

    def no_key(schemas: dict[str, Any]) -> None:
        schemas["evidence"]["foreignKeys"] = [
            fk
            for fk in schemas["evidence"]["foreignKeys"]
            if fk["reference"]["resource"] != "passages"
        ]

    def wrong_words(tables: Tables) -> None:
        row = next(r for r in tables["positions"] if r["hedge"])
        row["hedge"] = "words the memo never says"

    assert where(judge(wrong_words), "verbatim") != []
    assert where(judge(wrong_words, no_key), "verbatim") == []


def test_verbatim_is_left_unchecked_without_the_passages_words() -> None:
    def no_words(tables: Tables) -> None:
        for row in tables["passages"]:
            del row["text"]

    assert where(judge(no_words), "verbatim") == []


def test_a_repeated_passage_id_is_the_keys_to_report_and_verbatim_reads_its_first_row() -> None:
    def repeated(tables: Tables) -> None:
        first = tables["passages"][0]
        tables["passages"].append(dict(first, text="other words", ordinal="999"))

    problems = judge(repeated)
    assert where(problems, "verbatim") == []
    assert {(w, f) for w, _, f in where(problems, "unique")} == {("passages", "passage_id")}


def _quoted_in_one_passage() -> tuple[int, str]:
    """A position with a hedge whose evidence all lies in one passage: its row and that passage."""
    tables = _tables()
    passages: dict[str, set[str]] = {}
    for r in tables["evidence"]:
        if r["position_id"]:
            passages.setdefault(r["position_id"], set()).add(r["passage_id"])
    i, row = next(
        (i, r)
        for i, r in enumerate(tables["positions"])
        if r["hedge"] and len(passages.get(r["position_id"], ())) == 1
    )
    return i, next(iter(passages[row["position_id"]]))


def test_verbatim_words_are_found_in_the_first_passage_too() -> None:
    _, passage = _quoted_in_one_passage()

    def first(tables: Tables) -> None:
        rows = tables["passages"]
        rows.insert(0, rows.pop(next(k for k, r in enumerate(rows) if r["passage_id"] == passage)))

    assert where(judge(first), "verbatim") == []


def test_a_span_into_a_passage_that_does_not_exist_finds_no_words_at_all() -> None:
    i, _ = _quoted_in_one_passage()
    record = _tables()["positions"][i]["position_id"]
    # a letter most passages' words hold, and words of the passages' last row
    for words in ("X", _tables()["passages"][-1]["text"][:20]):

        def nowhere(tables: Tables, words: str = words) -> None:
            for r in tables["evidence"]:
                if r["position_id"] == record:
                    r["passage_id"] = "no-such-passage"
            tables["positions"][i]["hedge"] = words

        assert ("positions", i + 2, "hedge") in where(judge(nowhere), "verbatim")


def test_words_ending_in_a_nul_character_are_found_as_they_are() -> None:
    # numpy's fixed-width text drops trailing NULs: the passages' words stay Python strings.
    i, passage = _quoted_in_one_passage()

    def nul(tables: Tables) -> None:
        row = next(r for r in tables["passages"] if r["passage_id"] == passage)
        row["text"] += "\x00"
        tables["positions"][i]["hedge"] = row["text"][-6:]

    assert where(judge(nul), "verbatim") == []


def test_a_record_without_evidence_has_no_name_forms_to_list() -> None:
    """A record no evidence quotes lists no name forms: an empty names_as_written is what it
    should hold (it fails has-evidence, and required, not names-from-evidence)."""

    def new_actor(tables: Tables) -> None:
        row = dict(tables["actors"][0], actor_id="zz-actor-with-no-evidence", names_as_written="")
        tables["actors"].append(row)

    problems = judge(new_actor)
    row = len(_tables()["actors"]) + 2
    assert ("actors", row, "actor_id") in where(problems, "has-evidence")
    assert where(problems, "names-from-evidence") == []


def test_name_forms_are_left_unchecked_when_the_evidence_quotes_no_span() -> None:
    """Without a memoText span field the evidence has no quotes to list: names-from-evidence
    checks nothing rather than stop the validation."""

    def no_span(schemas: dict[str, Any]) -> None:
        # the quote under another name, stating no memoText (only `exact` is a span unstated)
        for f in schemas["evidence"]["fields"]:
            if f.get("memoText") == "span":
                f["name"] = "quote"
                del f["memoText"]

    i = next(i for i, r in enumerate(_tables()["actors"]) if r["names_as_written"])

    def wrong(tables: Tables, renamed: bool = False) -> None:
        tables["actors"][i]["names_as_written"] = "Nobody the memo names"
        for row in tables["evidence"] if renamed else []:
            row["quote"] = row.pop("exact")

    assert where(judge(wrong), "names-from-evidence") != []
    problems = judge(lambda tables: wrong(tables, renamed=True), no_span)
    assert where(problems, "names-from-evidence") == []


def test_name_forms_are_left_unchecked_without_the_evidence_quotes_column() -> None:
    def no_quotes(tables: Tables) -> None:
        for row in tables["evidence"]:
            del row["exact"]

    assert where(judge(no_quotes), "names-from-evidence") == []


def test_name_forms_the_evidence_does_not_quote_are_reported_on_their_field() -> None:
    i = next(i for i, r in enumerate(_tables()["actors"]) if r["names_as_written"])
    problems = judge(set_cell("actors", i, names_as_written="Nobody the memo names"))
    assert where(problems, "names-from-evidence") == [("actors", i + 2, "names_as_written")]


def test_a_band_without_hedge_is_reported_once_on_likelihood() -> None:
    """A row rule names one field: the failing row is one line, not one per cell."""
    rows = _tables()["risks"]
    i = next(i for i, r in enumerate(rows) if r["certainty"] == "asserted" and not r["hedge"])
    problems = judge(set_cell("risks", i, likelihood="likely"))
    assert where(problems, "band-needs-hedge") == [("risks", i + 2, "likelihood")]


def _typed_frames() -> tuple[Contract, dict[str, Any]]:
    effective = {
        name: effective_schema(name, s.descriptor, len(_memo()))
        for name, s in _contract().tables.items()
    }
    judged = Contract.of(effective)
    sources = {name: REPO.table(name).read_bytes() for name in judged.tables}
    frames, problems = load_typed(sources, judged, True)
    assert problems == []
    return judged, frames


def test_time_windows_of_ones_own_frames_are_judged_row_by_row() -> None:
    """Frames of one's own dtypes (keys as Python objects, not Arrow text) take the row-by-row
    comparison: the repository's windows hold there too, and a wrong time_basis is found."""
    contract, frames = _typed_frames()
    placed = [
        n for n, f in frames.items() if {"time_start", "time_end", "time_basis"} <= set(f.columns)
    ]
    assert placed
    for name in placed:
        key = contract[name].primary_key[0]
        frames[name][key] = frames[name][key].astype(object)
    # schema_problems consumes its dict (it cuts the tables validated first): pass a copy.
    assert where(schema_problems(contract, dict(frames), _memo()), "time-window") == []
    name = placed[0]
    basis = frames[name]["time_basis"].astype(object)
    i = int(basis.notna().to_numpy().argmax())
    other = next(
        v
        for v in contract[name].field("time_basis").get("constraints", {}).get("enum", [])
        if v != basis[i]
    )
    frames[name]["time_basis"] = basis.where(basis.index != i, other)
    assert (name, i + 2, "time_basis") in where(
        schema_problems(contract, frames, _memo()), "time-window"
    )


def test_a_length_bound_judges_a_frame_of_ones_own_by_its_index() -> None:
    """A frame whose index is not 0..n-1 (rows a user selected or renumbered): the cell too long
    is reported on its own row, the lengths kept on the column's index."""
    contract, frames = _typed_frames()
    actors = frames["actors"].copy()
    actors.index = actors.index + 100
    ids = actors["actor_id"].astype(object)
    ids.iloc[1] = "a" * 65  # one past the key's maxLength
    actors["actor_id"] = ids.astype(frames["actors"]["actor_id"].dtype)
    frames["actors"] = actors
    problems = schema_problems(contract, frames, _memo())
    assert where(problems, "maxLength") == [("actors", 103, "actor_id")]


def test_a_formula_led_cell_is_reported_once_on_its_own_row_of_ones_own_frame() -> None:
    """A cell failing its pattern because it starts like a formula is spreadsheet-safe's to
    report, not the pattern's too; on a frame whose index is not 0..n-1 (and a column with no
    missing cell, whose checks' results are not realigned), on its own row."""
    contract, frames = _typed_frames()
    actors = frames["actors"].copy()
    actors.index = actors.index + 100
    ids = actors["actor_id"].astype(object)
    ids.iloc[1] = "=ab"
    actors["actor_id"] = ids.astype(frames["actors"]["actor_id"].dtype)
    frames["actors"] = actors
    problems = schema_problems(contract, frames, _memo())
    assert where(problems, "spreadsheet-safe") == [("actors", 103, "actor_id")]
    assert where(problems, "pattern") == []


def test_the_length_of_a_text_cell_is_in_code_points_and_a_missing_one_passes() -> None:
    text = pd.Series(["ab", None, "a\U0001f600"], dtype="string[pyarrow]")
    assert lengths(text, 99).tolist() == [2, 99, 2]


def test_the_length_of_a_coded_cell_is_its_codes_and_a_missing_one_passes() -> None:
    coded = pd.Series(["ab", None, "abcd", "ab"], dtype="category")
    assert lengths(coded, 99).tolist() == [2, 99, 4, 2]


def test_without_the_memo_the_memo_rules_check_nothing() -> None:
    contract, frames = _typed_frames()
    problems = schema_problems(contract, frames, None)
    assert problems == []


def test_a_field_without_constraints_is_judged_by_the_others() -> None:
    def unconstrained(schemas: dict[str, Any]) -> None:
        for f in schemas["events"]["fields"]:
            if f["name"] == "summary":
                f.pop("constraints", None)

    assert judge(schemas=unconstrained) == []


def _quote_with_context() -> int:
    """An evidence row whose prefix and suffix are CONTEXT_CHARS long (inside the memo)."""
    rows, n = _tables()["evidence"], len(_memo())
    return next(
        i
        for i, r in enumerate(rows)
        if int(r["start"]) >= CONTEXT_CHARS and int(r["end"]) + CONTEXT_CHARS <= n
    )


def _memo_words(problems: list[Problem]) -> list[tuple[str, str, int | None, str | None, str]]:
    rules = ("exact-at-offsets", "text-at-offsets", "prefix-at-offsets", "suffix-at-offsets")
    return sorted((p.where, p.rule, p.row, p.field, p.message) for p in problems if p.rule in rules)


def test_words_off_the_memo_are_reported_on_their_field_saying_what_they_must_be() -> None:
    i = _quote_with_context()

    def damage(tables: Tables) -> None:
        row = tables["evidence"][i]
        row.update(
            exact=row["exact"] + "!",
            prefix="x" + row["prefix"][1:],
            suffix=row["suffix"][:-1] + "x",
        )
        tables["passages"][0]["text"] = tables["passages"][0]["text"].upper()

    before = f"prefix must be the {CONTEXT_CHARS} code points before start"
    after = f"suffix must be the {CONTEXT_CHARS} code points after end"
    assert _memo_words(judge(damage)) == [
        ("evidence", "exact-at-offsets", i + 2, "exact", "memo[start:end] must equal exact"),
        ("evidence", "prefix-at-offsets", i + 2, "start", before),
        ("evidence", "suffix-at-offsets", i + 2, "end", after),
        ("passages", "text-at-offsets", 2, "text", "memo[start:end] must equal text"),
    ]


def test_a_context_at_the_memos_first_code_point_is_empty_before_and_the_memo_after() -> None:
    """Offset 0 is inside the memo: a span there has no words before it (start and end both 0
    here), and the context rules judge it right; only the empty quote is wrong."""
    memo = _memo()

    def at_start(tables: Tables) -> None:
        row = tables["evidence"][0]
        row.update(start="0", end="0", exact="", prefix="", suffix=memo[:CONTEXT_CHARS])

    assert [w[:4] for w in _memo_words(judge(at_start))] == [
        ("evidence", "exact-at-offsets", 2, "exact")
    ]

    def wrong(tables: Tables) -> None:
        at_start(tables)
        tables["evidence"][0].update(prefix="x", suffix=memo[1 : CONTEXT_CHARS + 1])

    assert [w[:4] for w in _memo_words(judge(wrong))] == [
        ("evidence", "exact-at-offsets", 2, "exact"),
        ("evidence", "prefix-at-offsets", 2, "start"),
        ("evidence", "suffix-at-offsets", 2, "end"),
    ]


def _into_passage(passage: str) -> Callable[[Tables], None]:
    """Evidence row 0's span moved into `passage`, at that passage's own offsets."""

    def move(tables: Tables) -> None:
        at = next(r for r in tables["passages"] if r["passage_id"] == passage)
        start = int(at["start"])
        tables["evidence"][0].update(passage_id=passage, start=str(start), end=str(start + 5))

    return move


def test_a_span_may_start_where_a_passage_starting_at_the_memos_first_code_point_does() -> None:
    def first_at_zero(tables: Tables) -> None:
        tables["passages"][0]["start"] = "0"  # text-at-offsets reports its text, not the span
        _into_passage(tables["passages"][0]["passage_id"])(tables)

    assert where(judge(first_at_zero), "span-in-passage") == []


def test_a_span_is_placed_by_passages_holding_only_their_key_and_offsets() -> None:
    keep = ("passage_id", "start", "end")

    def bare_schema(schemas: dict[str, Any]) -> None:
        passages = schemas["passages"]
        passages["fields"] = [f for f in passages["fields"] if f["name"] in keep]
        passages.pop("foreignKeys", None)

    def bare_rows(tables: Tables) -> None:
        tables["passages"] = [{k: r[k] for k in keep} for r in tables["passages"]]
        row = tables["evidence"][0]
        other = next(r for r in tables["passages"] if r["passage_id"] != row["passage_id"])
        row["passage_id"] = other["passage_id"]  # its span lies in another passage

    found = where(judge(bare_rows, bare_schema), "span-in-passage")
    assert found == [("evidence", 2, "passage_id")]


def test_a_span_into_no_passage_is_left_to_the_key_when_one_passage_is_left() -> None:
    """Only the first passage is left: every other evidence row points at no passage (its
    foreign key's to report); the one moved into it is placed, and nothing else breaks."""

    def one_passage(tables: Tables) -> None:
        del tables["passages"][1:]
        _into_passage(tables["passages"][0]["passage_id"])(tables)

    problems = judge(one_passage)
    assert where(problems, "span-in-passage") == []
    assert ("evidence", 3, "passage_id") in where(problems, "foreignKey")


def test_an_evidence_row_naming_no_record_is_its_foreign_keys_to_report_not_its_ids() -> None:
    """The id names the record its row pointed to; the row now points at a record that does
    not exist: the foreign key reports that, once, and id-names-record stays silent."""
    problems = judge(set_cell("evidence", 0, actor_id="no-such-actor"))
    assert ("evidence", 2, "actor_id") in where(problems, "foreignKey")
    assert where(problems, "id-names-record") == []
    # The same row pointing at another actor that exists is the id's to report.
    named = _tables()["evidence"][0]["actor_id"]
    other = next(r["actor_id"] for r in _tables()["actors"] if r["actor_id"] != named)
    problems = judge(set_cell("evidence", 0, actor_id=other))
    assert where(problems, "id-names-record") == [("evidence", 2, "evidence_id")]


def test_an_evidence_frame_of_ones_own_without_subject_columns_has_no_ids_to_judge() -> None:
    """Each missing column is reported on its own; id-names-record has no record to hold the
    ids to, and passes every row."""
    contract, frames = _typed_frames()
    subjects = list(contract.evidence_subjects.values())
    frames["evidence"] = frames["evidence"].drop(columns=subjects)
    problems = schema_problems(contract, frames, _memo())
    assert where(problems, "id-names-record") == []
    assert {f for _, _, f in where(problems, "missing-column")} == set(subjects)


def test_an_empty_passage_at_its_offsets_is_the_memos_words_there() -> None:
    """Only an evidence span must not be empty: a passage with start equal to end and no text
    is the memo's (empty) words there, for text-at-offsets."""

    def empty(tables: Tables) -> None:
        row = tables["passages"][0]
        row.update(end=row["start"], text="")

    assert where(judge(empty), "text-at-offsets") == []


def test_without_the_memo_a_document_frame_of_ones_own_has_no_hash_to_match() -> None:
    """memo-hash needs the memo's hash: without the memo it is not built (an object column,
    as a user's own frame may hold, would fail every cell against a missing hash)."""
    contract, frames = _typed_frames()
    documents = frames["documents"]
    frames["documents"] = documents.assign(sha256=documents["sha256"].astype(object))
    assert where(schema_problems(contract, frames, None), "memo-hash") == []


def test_span_in_passage_judges_only_tables_that_quote_a_span() -> None:
    """The evidence without its span field (exact) quotes nothing: its offsets are not placed
    in passages, though it keeps its key into them and its prefix and suffix."""

    def no_span_field(schemas: dict[str, Any]) -> None:
        evidence = schemas["evidence"]
        evidence["fields"] = [f for f in evidence["fields"] if f["name"] != "exact"]

    def moved(tables: Tables) -> None:
        for r in tables["evidence"]:
            del r["exact"]
        row = tables["evidence"][0]
        other = next(r for r in tables["passages"] if r["passage_id"] != row["passage_id"])
        row["passage_id"] = other["passage_id"]  # its offsets lie in another passage

    assert where(judge(moved, no_span_field), "span-in-passage") == []


def test_a_span_is_placed_only_by_keys_into_the_passages() -> None:
    """Actors given offsets of their own are not passages: evidence's key into them places no
    span, and nothing is reported on actor_id."""

    def offsets(schemas: dict[str, Any]) -> None:
        schemas["actors"]["fields"] += [
            {"name": "start", "type": "integer"},
            {"name": "end", "type": "integer"},
        ]

    def at_zero(tables: Tables) -> None:
        for r in tables["actors"]:
            r.update(start="0", end="0")

    assert where(judge(at_zero, offsets), "span-in-passage") == []


def test_a_repeated_passage_places_spans_by_its_first_row() -> None:
    def repeated(tables: Tables) -> None:
        passage = tables["evidence"][0]["passage_id"]
        first = next(r for r in tables["passages"] if r["passage_id"] == passage)
        tables["passages"].append(dict(first, start="0", end="1", ordinal="999"))

    assert where(judge(repeated), "span-in-passage") == []


def test_a_span_at_the_memos_first_code_point_outside_its_passage_is_reported() -> None:
    """Offsets 0 are known offsets: a span there, in a passage that starts later, lies outside
    it (empty, start and end both 0, or not)."""
    assert int(_tables()["passages"][0]["start"]) > 0  # no passage starts at 0 here
    for end in ("0", "5"):
        problems = judge(set_cell("evidence", 0, start="0", end=end))
        assert where(problems, "span-in-passage") == [("evidence", 2, "passage_id")], end


def test_an_id_naming_a_record_its_row_no_longer_points_to_is_reported() -> None:
    """The row's actor column is emptied and an event named instead: the id still names the
    actor, whose cell is now missing, so it names no record of this row."""
    event = _tables()["events"][0]["event_id"]
    assert _tables()["evidence"][0]["evidence_id"].startswith("actor.")
    problems = judge(set_cell("evidence", 0, actor_id="", event_id=event))
    assert where(problems, "id-names-record") == [("evidence", 2, "evidence_id")]
