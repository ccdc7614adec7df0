"""The helpers of the time rules (validation/rules.py): how cells are read as dates and text, which
time links count, the stated window of each record, and where the contract keeps its time links.

Fast unit tests on small frames, written to kill the mutants `make mutation` found surviving in
these helpers (MUTATION.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from memo724.contract import Contract, TableSchema
from memo724.contract.paths import REPO
from memo724.contract.timeline import TimeLink, Window
from memo724.validation import rules
from memo724.validation.columns import positions
from memo724.validation.windows import as_days, days, key_texts


def _dates(*values: str | None) -> list[object]:
    return [None if v is None else np.datetime64(v, "D") for v in values]


def test_arrow_date_cells_become_days_and_missing_ones_none() -> None:
    series = pd.Series(pd.array([date(2020, 1, 2), None], dtype=pd.ArrowDtype(pa.date32())))
    got = days(series, rules._day)
    assert got.dtype == np.dtype("datetime64[D]")
    assert [None if np.isnat(d) else d for d in got] == _dates("2020-01-02", None)


def test_a_chunked_arrow_date_column_is_read_whole() -> None:
    chunked = pa.chunked_array([[date(2020, 1, 2)], [None, date(2021, 3, 4)]], type=pa.date32())
    series = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    got = days(series, rules._day)
    assert [None if np.isnat(d) else d for d in got] == _dates("2020-01-02", None, "2021-03-04")


def test_other_cells_are_read_one_by_one_as_dates() -> None:
    cells = pd.Series(["2020-01-02", None, "not a date", date(2021, 3, 4)], dtype=object)
    got = days(cells, rules._day)
    assert [None if np.isnat(d) else d for d in got] == _dates(
        "2020-01-02", None, None, "2021-03-04"
    )
    text = pd.Series(["2020-01-02"], dtype=pd.ArrowDtype(pa.string()))  # Arrow, but no dates
    assert days(text, rules._day).tolist() == [date(2020, 1, 2)]


def test_arrow_date_columns_are_converted_whole_never_handed_to_the_cell_reader() -> None:
    # One Arrow pass: a Python call per cell was a large part of a 10M-row validate.
    def refuse(value: Any) -> date | None:
        raise AssertionError(f"an Arrow date read cell by cell: {value!r}")

    series = pd.Series(pd.array([date(2020, 1, 2), None], dtype=pd.ArrowDtype(pa.date32())))
    got = days(series, refuse)
    assert [None if np.isnat(d) else d for d in got] == _dates("2020-01-02", None)


def test_a_users_key_column_becomes_arrow_text_with_missing_keys_na() -> None:
    got = key_texts(pd.Series([7, None, "x"], dtype=object), rules._text)
    assert got.dtype == pd.StringDtype("pyarrow")
    assert got.tolist() == ["7", pd.NA, "x"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2020, 1, 2), date(2020, 1, 2)),
        (datetime(2020, 1, 2, 23, 59), date(2020, 1, 2)),
        (pd.Timestamp("2020-01-02 10:00"), date(2020, 1, 2)),
        ("2020-01-05", date(2020, 1, 5)),
        ("2020-01-05T10:00", date(2020, 1, 5)),
        (np.datetime64("2020-01-06"), date(2020, 1, 6)),  # neither text nor a date
        (np.datetime64("NaT"), None),
        ("2020-1-5", None),
        ("", None),
        (None, None),
        (pd.NaT, None),
        (pd.NA, None),
        (float("nan"), None),
    ],
)
def test_a_date_cell_is_read_as_a_date_or_none(value: object, expected: date | None) -> None:
    got = rules._day(value)
    assert got == expected
    assert type(got) is (date if expected is not None else type(None))


def test_a_text_cell_is_text_or_none() -> None:
    assert rules._text("x") == "x"
    assert rules._text("") == ""
    assert rules._text(3) == "3"
    for missing in (None, pd.NA, float("nan"), pd.NaT):
        assert rules._text(missing) is None


def _links_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "time_link_id": ["l1", "l2", None, "l4", "l5"],
            "event_id": ["e1", None, "e3", "", "e5"],
            "position_id": [None, "p2", None, None, None],
            "relation": ["before", "after", "before", "before", None],
            "anchor_event_id": ["e9", None, "e9", "e9", "e9"],
        },
        dtype=object,
    )


def test_the_links_of_a_subject_are_those_that_name_it() -> None:
    frame = _links_frame()
    assert rules._links(frame, "event_id") == [TimeLink("l1", "e1", "before", "e9")]
    assert rules._links(frame, "position_id") == [TimeLink("l2", "p2", "after", None)]
    assert rules._links(frame, "relation_id") == []  # no such column


def _events(**columns: list[object]) -> pd.DataFrame:
    base: dict[str, list[object]] = {
        "event_id": ["a", "b", None, "d"],
        "date_start": ["2020-01-01", None, "2020-01-01", "2021-05-01"],
        "date_end": ["2020-12-31", None, "2020-01-01", "2021-05-31"],
    }
    return pd.DataFrame({**base, **columns}, dtype=object)


def test_a_stated_window_is_read_from_the_date_cells_without_an_edtf_column() -> None:
    got = rules._stated(_events(), "event_id", "date")
    assert got == {
        "a": (date(2020, 1, 1), date(2020, 12, 31)),
        "b": (None, None),
        "d": (date(2021, 5, 1), date(2021, 5, 31)),
    }


def test_a_stated_window_is_the_edtf_values_bounds_the_cells_only_where_it_is_unreadable() -> None:
    frame = _events(date_edtf=["2019", None, "2020", "not a date"])
    frame.loc[1, ["date_start", "date_end"]] = ["2018-01-01", "2018-01-02"]
    got = rules._stated(frame, "event_id", "date")
    assert got == {
        "a": (date(2019, 1, 1), date(2019, 12, 31)),  # the EDTF value wins over the cells
        "b": (None, None),  # no EDTF value: no date (the cells' dates are edtf-bounds' to report)
        "d": (date(2021, 5, 1), date(2021, 5, 31)),  # unreadable: its cells
    }


def test_the_same_edtf_value_gives_the_same_window_each_time() -> None:
    frame = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "date_edtf": ["2019-03", "2019-03"],
            "date_start": [None, "2000-01-01"],
            "date_end": [None, "2000-01-02"],
        },
        dtype=object,
    )
    window = (date(2019, 3, 1), date(2019, 3, 31))
    assert rules._stated(frame, "event_id", "date") == {"a": window, "b": window}


def test_the_time_model_is_read_from_the_contracts_foreign_keys() -> None:
    model = rules.TimeModel.of(Contract(REPO.schemas))
    assert model == rules.TimeModel(
        "time_links",
        "events",
        "documents",
        {"events": "event_id", "positions": "position_id", "relations": "relation_id"},
    )


class _Contract:
    def __init__(self, tables: dict[str, dict[str, object]]) -> None:
        self.tables = {name: TableSchema(name, d) for name, d in tables.items()}


def _fk(field: str, resource: str, ref: str) -> dict[str, object]:
    return {"fields": field, "reference": {"resource": resource, "fields": ref}}


def test_without_both_anchors_no_table_holds_the_time_links() -> None:
    links = {
        "fields": [{"name": n} for n in ("link", "event_id", "anchor_event_id")],
        "foreignKeys": [_fk("anchor_event_id", "events", "event_id")],
    }
    assert rules.TimeModel.of(_Contract({"links": links})) is None  # type: ignore[arg-type]


def test_a_subject_is_a_key_named_as_the_key_it_references_in_another_table() -> None:
    links = {
        "fields": [
            {"name": n} for n in ("l", "event_id", "x_id", "anchor_event_id", "anchor_document_id")
        ],
        "foreignKeys": [
            _fk("anchor_event_id", "events", "event_id"),
            _fk("anchor_document_id", "docs", "document_id"),
            _fk("event_id", "events", "event_id"),
            _fk("x_id", "xs", "other_id"),  # named otherwise: no subject
            _fk("l", "links", "l"),  # itself: no subject
        ],
    }
    model = rules.TimeModel.of(_Contract({"links": links}))  # type: ignore[arg-type]
    assert model == rules.TimeModel("links", "events", "docs", {"events": "event_id"})


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "time_links": pd.DataFrame(
            {
                "time_link_id": ["l1", "l2", "l3", "l4"],
                "event_id": ["b", None, "c", "a"],
                "position_id": [None, "p", None, None],
                "relation": ["after", "before", "before", "after"],
                "anchor_event_id": ["a", "a", None, "d"],
            },
            dtype=object,
        ),
        "events": pd.DataFrame(
            {
                "event_id": ["a", "b", "c", "d"],
                "date_start": ["2020-03-01", None, None, "2022-01-01"],
                "date_end": ["2020-03-31", None, None, "2022-12-31"],
            },
            dtype=object,
        ),
        "documents": pd.DataFrame(
            {"date_start": ["2021-10-01"], "date_end": ["2021-10-31"]}, dtype=object
        ),
        "positions": pd.DataFrame(
            {"position_id": ["p"], "as_of_start": [None], "as_of_end": [None]}, dtype=object
        ),
    }


def _model() -> rules.TimeModel:
    model = rules.TimeModel.of(Contract(REPO.schemas))
    assert model is not None
    return model


def test_windows_are_derived_for_events_and_the_tables_placed_relative_to_them() -> None:
    found = rules._windows(_model(), _tables())
    assert found is not None
    windows, bad = found
    assert windows == {
        "events": {
            "a": Window(date(2020, 3, 1), date(2020, 3, 31), "stated"),
            "b": Window(date(2020, 3, 1), None, "anchored"),  # after a
            "c": Window(None, date(2021, 10, 31), "document-date"),  # before the memo
            "d": Window(date(2022, 1, 1), date(2022, 12, 31), "stated"),
        },
        "positions": {"p": Window(None, date(2020, 3, 31), "anchored")},  # before a
    }
    assert bad == {"l4"}  # a (2020) is not after d (2022)


def test_the_memos_date_is_the_first_document_row_and_a_missing_one_bounds_nothing() -> None:
    tables = _tables()
    tables["documents"] = tables["documents"].iloc[0:0]
    found = rules._windows(_model(), tables)
    assert found is not None and found[0]["events"]["c"] == Window(None, None, "unknown")
    tables["documents"] = pd.DataFrame(
        {"date_start": ["2021-09-01", "1999-01-01"], "date_end": ["2021-09-30", "1999-01-02"]}
    )
    found = rules._windows(_model(), tables)
    assert found is not None
    assert found[0]["events"]["c"] == Window(None, date(2021, 9, 30), "document-date")


def test_a_placed_record_that_contradicts_its_link_marks_the_link() -> None:
    tables = _tables()
    tables["positions"]["as_of_start"] = ["2025-01-01"]
    tables["positions"]["as_of_end"] = ["2025-01-31"]
    found = rules._windows(_model(), tables)
    assert found is not None
    assert found[0]["positions"]["p"] == Window(date(2025, 1, 1), date(2025, 1, 31), "stated")
    assert found[1] == {"l2", "l4"}


@pytest.mark.parametrize(
    ("table", "drop"),
    [
        ("time_links", None),
        ("events", None),
        ("documents", None),
        ("events", "date_end"),
        ("events", "event_id"),
        ("time_links", "anchor_event_id"),
        ("time_links", "relation"),
        ("time_links", "time_link_id"),
    ],
)
def test_no_windows_without_a_table_or_column_the_rule_needs(table: str, drop: str | None) -> None:
    tables = _tables()
    if drop is None:
        del tables[table]
    else:
        tables[table] = tables[table].drop(columns=[drop])
    assert rules._windows(_model(), tables) is None


def test_a_placed_table_without_its_columns_gets_no_windows() -> None:
    tables = _tables()
    tables["positions"] = tables["positions"].drop(columns=["as_of_end"])
    found = rules._windows(_model(), tables)
    assert found is not None and set(found[0]) == {"events"}


def test_the_perceivers_of_a_table_are_the_link_tables_keys_into_it() -> None:
    contract = Contract(REPO.schemas)
    assert rules._perceivers(contract, contract["risks"]) == [("risk_actors", "risk_id")]
    assert rules._perceivers(contract, contract["events"]) == []


def _role_links(
    roles: list[str], fields: tuple[str, ...] = ("risk_id", "actor_id", "role")
) -> dict[str, object]:
    return {
        "fields": [
            {"name": n, **({"constraints": {"enum": roles}} if n == "role" else {})} for n in fields
        ],
        "foreignKeys": [_fk("risk_id", "risks", "risk_id"), _fk("actor_id", "actors", "actor_id")],
    }


def test_a_link_table_counts_only_with_actor_id_role_and_a_perceiver_role() -> None:
    risks = {"fields": [{"name": "risk_id"}]}
    for links, expected in (
        (_role_links(["perceiver", "target"]), [("links", "risk_id")]),
        (_role_links(["target"]), []),
        (_role_links(["perceiver"], ("risk_id", "actor_id")), []),
        (_role_links(["perceiver"], ("risk_id", "role")), []),
    ):
        contract = _Contract({"risks": risks, "links": links})
        assert rules._perceivers(contract, contract.tables["risks"]) == expected  # type: ignore[arg-type]


class _Ctx:
    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.keys: list[str] = []

    def memoized(self, key: str, make: object) -> object:
        self.keys.append(key)
        return make()  # type: ignore[operator]


def test_the_derived_windows_are_asked_of_the_context_once_under_their_key() -> None:
    contract = Contract(REPO.schemas)
    ctx = _Ctx(_tables())
    derived = rules._derived(contract, ctx)
    assert derived is not None
    model, windows, bad = derived
    assert model == _model() and ctx.keys == ["time-windows"]
    assert windows["positions"]["p"] == Window(None, date(2020, 3, 31), "anchored")
    assert bad == {"l4"}
    tables = _tables()
    del tables["events"]
    assert rules._derived(contract, _Ctx(tables)) is None
    assert rules._derived(_Contract({}), _Ctx(_tables())) is None  # type: ignore[arg-type]


def test_the_link_rules_apply_to_the_time_links_table_only() -> None:
    contract = Contract(REPO.schemas)
    assert rules._link_rules(contract["time_links"], contract) == _model()
    assert rules._link_rules(contract["events"], contract) is None
    assert rules._link_rules(contract["events"], _Contract({})) is None  # type: ignore[arg-type]


def test_a_placed_record_without_links_takes_the_window_of_the_event_expressing_it() -> None:
    tables = _tables()
    tables["time_links"] = tables["time_links"].iloc[[0, 2, 3]]  # p has no link
    tables["positions"]["expressed_by_event_id"] = ["d"]
    found = rules._windows(_model(), tables)
    assert found is not None
    expressed = Window(date(2022, 1, 1), date(2022, 12, 31), "expressed-by-event")
    assert found[0]["positions"] == {"p": expressed}
    tables["positions"]["expressed_by_event_id"] = [None]
    found = rules._windows(_model(), tables)
    assert found is not None and found[0]["positions"] == {"p": Window(None, None, "unknown")}


def test_a_link_table_of_just_actor_id_and_role_counts() -> None:
    links = {
        "fields": [{"name": "actor_id"}, {"name": "role", "constraints": {"enum": ["perceiver"]}}],
        "foreignKeys": [_fk("actor_id", "actors", "actor_id")],
    }
    contract = _Contract({"actors": {"fields": [{"name": "actor_id"}]}, "links": links})
    assert rules._perceivers(contract, contract.tables["actors"]) == [("links", "actor_id")]  # type: ignore[arg-type]


def test_every_perceiver_link_table_into_a_table_is_listed() -> None:
    risks = {"fields": [{"name": "risk_id"}]}
    other = {**_role_links(["perceiver"]), "foreignKeys": [_fk("actor_id", "actors", "actor_id")]}
    tables = {"risks": risks, "a": _role_links(["perceiver"]), "b": _role_links(["perceiver"])}
    contract = _Contract({**tables, "c": other})  # c comes last and links to no risk
    expected = [("a", "risk_id"), ("b", "risk_id")]
    assert rules._perceivers(contract, contract.tables["risks"]) == expected  # type: ignore[arg-type]


def test_links_of_just_the_columns_the_rule_reads_are_enough() -> None:
    tables = _tables()
    links = tables["time_links"]
    tables["time_links"] = links.loc[
        links["event_id"].notna(), ["time_link_id", "event_id", "relation", "anchor_event_id"]
    ]
    found = rules._windows(_model(), tables)
    assert found is not None
    assert found[0]["events"]["c"] == Window(None, date(2021, 10, 31), "document-date")


def test_a_missing_expressing_event_expresses_nothing_even_beside_an_event_named_none() -> None:
    tables = _tables()
    tables["time_links"] = tables["time_links"].iloc[[0, 2, 3]]  # p has no link
    tables["events"].loc[len(tables["events"])] = ["None", "2022-01-01", "2022-12-31"]
    tables["positions"]["expressed_by_event_id"] = [None]
    found = rules._windows(_model(), tables)
    assert found is not None and found[0]["positions"] == {"p": Window(None, None, "unknown")}


def test_a_placed_table_without_its_columns_does_not_stop_the_next_one() -> None:
    tables = _tables()
    tables["positions"] = tables["positions"].drop(columns=["as_of_end"])
    tables["relations"] = pd.DataFrame(
        {"relation_id": ["r"], "as_of_start": ["2020-01-01"], "as_of_end": ["2020-01-31"]}
    )
    found = rules._windows(_model(), tables)
    assert found is not None and set(found[0]) == {"events", "relations"}
    assert found[0]["relations"]["r"] == Window(date(2020, 1, 1), date(2020, 1, 31), "stated")


def test_a_placed_record_linked_to_the_memo_ends_by_the_memos_date() -> None:
    tables = _tables()
    tables["time_links"].loc[1, "anchor_event_id"] = None  # p before the memo
    found = rules._windows(_model(), tables)
    assert found is not None
    assert found[0]["positions"]["p"] == Window(None, date(2021, 10, 31), "document-date")


def test_a_links_table_of_just_its_two_anchors_is_the_time_model() -> None:
    links = {
        "fields": [{"name": n} for n in ("l", "anchor_event_id", "anchor_document_id")],
        "foreignKeys": [
            _fk("anchor_event_id", "events", "event_id"),
            _fk("anchor_document_id", "docs", "document_id"),
        ],
    }
    model = rules.TimeModel.of(_Contract({"links": links}))  # type: ignore[arg-type]
    assert model == rules.TimeModel("links", "events", "docs", {})


@pytest.mark.parametrize(
    ("spelling", "dtype"),
    [("<NA>", pd.StringDtype("pyarrow")), ("None", pd.StringDtype("pyarrow")), ("nan", "str")],
)
def test_a_missing_key_finds_no_window_even_where_a_record_is_spelled_as_its_text(
    spelling: str, dtype: Any
) -> None:
    # str() of a missing key reads "<NA>", "None" or "nan" (pandas 3's `str`): a row-by-row
    # lookup by that text once gave a record spelled so to the missing key's rows.
    keys = pd.Series(["a", None], dtype=dtype)
    cells = pd.Series(
        pd.array([date(2020, 1, 1), date(2021, 1, 1)], dtype=pd.ArrowDtype(pa.date32()))
    )
    ids = pd.Series(["a", spelling], dtype=pd.StringDtype("pyarrow"))
    wanted = as_days([date(2020, 1, 1), date(2021, 1, 1)])
    for given in (keys, keys.astype(object)):  # as loaded, and a user's own dtype
        at = positions(key_texts(given, rules._text), ids)
        assert at.tolist() == [0, -1]
        assert rules._same(cells, wanted, at).tolist() == [True, False]
        assert rules._same(cells.astype(object), wanted, at).tolist() == [True, False]


def test_a_window_with_arrow_dates_on_one_side_only_still_reads_the_text_side_as_a_date() -> None:
    frame = pd.DataFrame(
        {
            "event_id": ["a"],
            "date_start": pd.array([date(2020, 1, 1)], dtype=pd.ArrowDtype(pa.date32())),
            "date_end": pd.Series(["2020-01-31"], dtype=object),
        }
    )
    got = rules._stated(frame, "event_id", "date")
    assert got == {"a": (date(2020, 1, 1), date(2020, 1, 31))}
    assert type(got["a"][1]) is date  # not the text "2020-01-31" as read


def test_an_empty_edtf_text_states_no_date_as_a_missing_value_does() -> None:
    frame = _events(date_edtf=["", None, "2020", "2021-05"])
    got = rules._stated(frame, "event_id", "date")
    assert got["a"] == (None, None)  # not the cells' 2020-01-01..2020-12-31
    assert got["b"] == (None, None)


def test_windows_without_any_date_are_compared_columnwise_as_missing_dates() -> None:
    # Every expected start missing: the expected dates are still dates (all missing), never an
    # untyped column that numpy cannot compare with the cells' dates.
    cells = pd.Series(pd.array([None, date(2020, 1, 1), None], dtype=pd.ArrowDtype(pa.date32())))
    at = np.array([0, 1, -1])  # the third row's key is no record's
    got = rules._same(cells, as_days([None, None]), at)
    assert got.tolist() == [True, False, True]
    empty = rules._same(cells, as_days([]), np.array([-1, -1, -1]))
    assert empty.tolist() == [True, False, True]
