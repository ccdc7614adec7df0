"""Each provenance check (what Table Schema cannot say) catches its own kind of damage."""

from __future__ import annotations

import csv
from collections.abc import Callable

import pytest

from memo724.contract import CONTEXT_CHARS, Contract
from memo724.contract.errors import Problem
from memo724.contract.memo import read_memo
from memo724.contract.paths import Layout
from memo724.publication.package import csv_text, write_descriptor
from memo724.validation.drift import judge_own

Row = dict[str, str]


def first(rows: list[Row], test: Callable[[Row], bool]) -> Row:
    return next(r for r in rows if test(r))


def _span_in_other_passage(rows: list[Row]) -> None:
    r = first(rows, lambda r: r["passage_id"] == "paragraph-02")
    r["passage_id"] = "paragraph-03"


def _two_records(rows: list[Row]) -> None:
    first(rows, lambda r: r["event_id"] != "")["actor_id"] = "russia"


def _no_evidence(rows: list[Row]) -> None:
    rows[:] = [r for r in rows if r["risk_id"] != "tajikistan-afghanistan-tensions"]


def _hedge_not_in_memo(rows: list[Row]) -> None:
    first(rows, lambda r: r["hedge"] != "")["hedge"] = "almost certainly"


def _names_not_from_evidence(rows: list[Row]) -> None:
    first(rows, lambda r: r["actor_id"] == "russia")["names_as_written"] = "Russland"


def _passage_text(rows: list[Row]) -> None:
    rows[0]["text"] = rows[0]["text"].upper()


def _code_points(rows: list[Row]) -> None:
    rows[0]["code_points"] = "16901"


def _exact(rows: list[Row]) -> None:
    first(rows, lambda r: r["exact"] == "the Kremlin")["exact"] = "the Kremlin!"


CASES = {
    "span-in-passage": ("evidence", _span_in_other_passage, "passage_id"),
    "one-record": ("evidence", _two_records, "evidence_id"),
    "has-evidence": ("evidence", _no_evidence, None),
    "verbatim": ("risks", _hedge_not_in_memo, "hedge"),
    "names-from-evidence": ("actors", _names_not_from_evidence, "names_as_written"),
    "text-at-offsets": ("passages", _passage_text, "text"),
    "memo-length": ("documents", _code_points, "code_points"),
    "exact-at-offsets": ("evidence", _exact, "exact"),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_provenance_rule(rule: str, package_copy: Layout, contract: Contract) -> None:
    table, damage, field = CASES[rule]
    with package_copy.table(table).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    damage(rows)
    package_copy.table(table).write_text(
        csv_text(contract[table].field_names, rows), encoding="utf-8"
    )
    write_descriptor(package_copy, contract)
    problems = [p for p in judge_own(package_copy, frictionless=False) if p.rule == rule]
    assert problems, f"no {rule} problem reported"
    assert all(p.validator == "pandera" and p.row is not None for p in problems)
    if field is not None:
        assert {p.field for p in problems} == {field}


def read_rows(layout: Layout, table: str) -> list[Row]:
    with layout.table(table).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def problems_of_row(
    layout: Layout, contract: Contract, table: str, rows: list[Row], row: Row
) -> list[Problem]:
    """Write the rows, refresh the hashes, and return the problems on that row of the table."""
    layout.table(table).write_text(csv_text(contract[table].field_names, rows), encoding="utf-8")
    write_descriptor(layout, contract)
    line = rows.index(row) + 2
    return [p for p in judge_own(layout, frictionless=False) if p.where == table and p.row == line]


def test_an_end_one_code_point_long_is_reported_even_with_its_suffix_moved(
    package_copy: Layout, contract: Contract
) -> None:
    """The quote is memo[start:end]: an end one past it is wrong, though the suffix that follows
    the new end is the memo's words (a check of the quote's length alone would pass it)."""
    memo = read_memo(package_copy.memo)
    ends = {p["passage_id"]: int(p["end"]) for p in read_rows(package_copy, "passages")}
    rows = read_rows(package_copy, "evidence")
    row = first(rows, lambda r: int(r["end"]) < ends[r["passage_id"]])  # stays in its passage
    end = int(row["end"]) + 1
    row["end"] = str(end)
    row["suffix"] = memo[end : end + CONTEXT_CHARS]
    found = problems_of_row(package_copy, contract, "evidence", rows, row)
    assert [(p.rule, p.field) for p in found] == [("exact-at-offsets", "exact")], found


def test_a_span_ending_one_code_point_past_its_passage_is_reported(
    package_copy: Layout, contract: Contract
) -> None:
    """A span must lie inside its passage: a quote of a passage's last words taken one code
    point further (its exact and suffix still the memo's words at the offsets) is reported."""
    memo = read_memo(package_copy.memo)
    ends = {p["passage_id"]: int(p["end"]) for p in read_rows(package_copy, "passages")}
    rows = read_rows(package_copy, "evidence")
    # A statement's quote (not an actor's name, which names_as_written repeats) ending its passage.
    row = first(rows, lambda r: int(r["end"]) == ends[r["passage_id"]] and not r["actor_id"])
    end = ends[row["passage_id"]] + 1
    row["end"] = str(end)
    row["exact"] = memo[int(row["start"]) : end]
    row["suffix"] = memo[end : end + CONTEXT_CHARS]
    found = problems_of_row(package_copy, contract, "evidence", rows, row)
    assert [(p.rule, p.field) for p in found] == [("span-in-passage", "passage_id")], found
