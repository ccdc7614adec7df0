"""Validating lean (issue 16): once the last table's checks are built, the tables already
validated keep only the columns consequences are traced by. A column missing from that list
must fail loudly, never let a consequence go unmarked."""

from __future__ import annotations

import pandas as pd
import pytest

from memo724.contract import Contract
from memo724.contract.paths import Layout
from memo724.contract.typed import text_frame as read_frame
from memo724.publication.package import csv_text
from memo724.validation import validate
from memo724.validation.drift import _RESULTS, judge_own
from memo724.validation.rules import TimeModel

LINK = "abandoned-arms-until-memo"


def _break_link(layout: Layout, contract: Contract) -> int:
    """The time link LINK made to place no record (its event_id names nothing): its row."""
    frame = read_frame(layout.table("time_links")).astype(object).where(lambda f: f.notna(), "")
    rows = frame.to_dict("records")
    at = next(i for i, r in enumerate(rows) if r["time_link_id"] == LINK)
    rows[at]["event_id"] = "nobody"
    text = csv_text(contract["time_links"].field_names, rows)
    layout.table("time_links").write_text(text, encoding="utf-8")
    return at + 2


def _rows(layout: Layout) -> list[str]:
    _RESULTS.clear()  # judged afresh, not from the last result
    return [str(p) for p in judge_own(layout, frictionless=False)]


def test_the_kept_columns_are_every_key_and_what_consequences_read(contract: Contract) -> None:
    kept = validate.consequence_columns(contract)
    model = TimeModel.of(contract)
    assert model is not None
    for name, table in contract.tables.items():
        assert kept[name][: len(table.primary_key)] == table.primary_key
    evidence = contract.evidence_table
    assert evidence is not None
    assert {"evidence_id", *contract.evidence_subjects.values()} <= set(kept[evidence])
    assert {*model.subjects.values(), *validate.TIME_ANCHORS} <= set(kept[model.links])


def test_cutting_the_validated_tables_changes_no_line(
    package_copy: Layout, contract: Contract, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = _break_link(package_copy, contract)
    lean = _rows(package_copy)
    assert any(f"follows from time_links row {row}" in line for line in lean), lean
    monkeypatch.setattr(validate, "_keep_for_consequences", lambda *args: None)
    assert _rows(package_copy) == lean


@pytest.mark.parametrize(("table", "column"), [("time_links", "event_id"), ("events", "event_id")])
def test_a_column_not_kept_fails_loudly(
    package_copy: Layout,
    contract: Contract,
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    column: str,
) -> None:
    _break_link(package_copy, contract)
    full = validate.consequence_columns

    def without(c: Contract) -> dict[str, list[str]]:
        kept = full(c)
        return {**kept, table: [k for k in kept[table] if k != column]}

    monkeypatch.setattr(validate, "consequence_columns", without)
    with pytest.raises(KeyError):
        _rows(package_copy)


def test_a_cut_column_is_an_error_and_a_missing_one_is_not() -> None:
    frame = pd.DataFrame({"a": [1], "b": [2]})
    cut = frame[["a"]]
    cut.attrs[validate.CUT] = ["b"]
    assert validate._has(cut, "a")
    assert not validate._has(frame, "c")
    with pytest.raises(LookupError, match="column b was not kept"):
        validate._has(cut, "b")
