"""Each provenance check (what Table Schema cannot say) catches its own kind of damage."""

from __future__ import annotations

import csv
from collections.abc import Callable

import pytest

from memo724.contract import Contract
from memo724.contract.paths import Layout
from memo724.publication.package import csv_text, write_descriptor
from memo724.validation.validate import validate_package

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
    problems = [p for p in validate_package(package_copy) if p.rule == rule]
    assert problems, f"no {rule} problem reported"
    assert all(p.validator == "pandera" and p.row is not None for p in problems)
    if field is not None:
        assert {p.field for p in problems} == {field}
