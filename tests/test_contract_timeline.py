"""Dates (contract/edtf.py) and relative time (contract/timeline.py): each form's edge and what
a refusal says; each link type's bound, taken one day past its anchor, the fixed point through
chains in any order, the basis of each window, and the conflicts named.
"""

from __future__ import annotations

from datetime import date

import pytest

from memo724.contract.edtf import EDTFError, bounds
from memo724.contract.timeline import (
    EXPRESSED,
    Conflict,
    TimeLink,
    Window,
    derive_placed,
    derive_windows,
)

MEMO = (date(2021, 11, 1), date(2021, 11, 30))  # the memo's own date, as a window
A = (date(2021, 8, 15), date(2021, 8, 31))  # an anchor event's stated window
NONE: tuple[None, None] = (None, None)


def _one(relation: str, anchor: str | None = "a") -> Window:
    stated = {"a": A, "e": NONE}
    windows, conflicts = derive_windows(stated, [TimeLink("l1", "e", relation, anchor)], MEMO)
    assert conflicts == []
    return windows["e"]


@pytest.mark.parametrize(
    ("relation", "start", "end"),
    [
        ("before", None, A[1]),
        ("after", A[0], None),
        ("during", A[0], A[1]),
        ("simultaneous", A[0], A[1]),
        ("begins", A[0], A[1]),
        ("ends", A[0], A[1]),
        ("includes", None, None),
        ("overlaps", None, None),
        ("Before", None, None),  # relations are lower-case codes: a case change bounds nothing
    ],
)
def test_each_relation_to_an_event_bounds_as_the_rule_says(relation, start, end) -> None:
    window = _one(relation)
    assert (window.start, window.end) == (start, end)
    assert window.basis == ("anchored" if start or end else "unknown")


@pytest.mark.parametrize(
    ("relation", "end"),
    [
        ("before", MEMO[1]),
        ("overlaps", MEMO[1]),
        ("during", MEMO[1]),
        ("simultaneous", MEMO[1]),
        ("ends", MEMO[1]),
        ("after", None),
        ("begins", None),
        ("includes", None),
    ],
)
def test_the_memos_date_bounds_only_the_end_of_what_it_reports(relation, end) -> None:
    window = _one(relation, anchor=None)
    assert (window.start, window.end) == (None, end)
    assert window.basis == ("document-date" if end else "unknown")


def test_a_stated_date_is_the_window_and_its_links_only_checked() -> None:
    stated = {"a": A, "e": (date(2021, 9, 1), date(2021, 9, 30))}
    links = [TimeLink("l1", "e", "after", "a"), TimeLink("l2", "e", "before", None)]
    windows, conflicts = derive_windows(stated, links, MEMO)
    assert conflicts == []
    assert windows["e"] == Window(date(2021, 9, 1), date(2021, 9, 30), "stated")
    assert windows["a"] == Window(A[0], A[1], "stated")
    # Half a date is a date too.
    windows, _ = derive_windows({"a": (None, date(2021, 1, 1))}, [], MEMO)
    assert windows["a"] == Window(None, date(2021, 1, 1), "stated")


def test_a_stated_date_its_link_contradicts_is_a_conflict_one_day_past() -> None:
    def conflicts(e_start: date) -> list[Conflict]:
        stated = {"a": A, "e": (e_start, date(2021, 12, 31))}
        return derive_windows(stated, [TimeLink("l9", "e", "before", "a")], MEMO)[1]

    assert conflicts(A[1]) == []  # the same day leaves one day
    assert conflicts(date(2021, 9, 1)) == [
        Conflict(
            "l9", "e", "'before' its anchor leaves no day for the event (2021-09-01 > 2021-08-31)"
        )
    ]


def test_windows_follow_a_chain_whatever_order_the_links_come_in() -> None:
    stated = {"a": A, "b": NONE, "c": NONE, "d": NONE}
    links = [
        TimeLink("l3", "d", "before", "c"),
        TimeLink("l2", "c", "during", "b"),
        TimeLink("l1", "b", "during", "a"),
        TimeLink("l4", "d", "after", "a"),
    ]
    for order in (links, list(reversed(links))):
        windows, conflicts = derive_windows(stated, order, MEMO)
        assert conflicts == []
        assert windows["b"] == Window(A[0], A[1], "anchored")
        assert windows["c"] == Window(A[0], A[1], "anchored")
        assert windows["d"] == Window(A[0], A[1], "anchored")


def test_links_narrow_to_the_tightest_bound_each_side() -> None:
    stated = {"a": A, "b": (date(2021, 8, 1), date(2021, 8, 20)), "e": NONE}
    links = [
        TimeLink("l1", "e", "after", "b"),  # start >= 08-01
        TimeLink("l2", "e", "after", "a"),  # start >= 08-15: tighter
        TimeLink("l3", "e", "before", "a"),  # end <= 08-31
        TimeLink("l4", "e", "before", "b"),  # end <= 08-20: tighter
        TimeLink("l5", "e", "before", None),  # end <= 11-30: looser, and by the memo
    ]
    for order in (links, list(reversed(links))):
        windows, conflicts = derive_windows(stated, order, MEMO)
        assert conflicts == []
        assert windows["e"] == Window(date(2021, 8, 15), date(2021, 8, 20), "anchored")


def test_derived_links_that_leave_no_day_are_each_named() -> None:
    stated = {"a": A, "b": (date(2021, 9, 1), date(2021, 9, 2)), "e": NONE}
    links = [TimeLink("l1", "e", "after", "b"), TimeLink("l2", "e", "before", "a")]
    windows, conflicts = derive_windows(stated, links, MEMO)
    assert [c.link_id for c in conflicts] == ["l1", "l2"]
    assert windows["e"] == Window(date(2021, 9, 1), A[1], "anchored")  # kept, though empty
    assert conflicts[1].event_id == "e"
    assert conflicts[1].message == (
        "'before' its anchor leaves no day for the event (2021-09-01 > 2021-08-31)"
    )
    # The same day for both ends is a day.
    stated["b"] = (date(2021, 8, 31), date(2021, 8, 31))
    assert derive_windows(stated, links, MEMO)[1] == []


def test_links_to_unknown_events_are_skipped() -> None:
    stated = {"a": A, "e": NONE}
    links = [TimeLink("l1", "e", "after", "zz"), TimeLink("l2", "zz", "after", "a")]
    windows, conflicts = derive_windows(stated, links, MEMO)
    assert conflicts == []
    assert set(windows) == {"a", "e"}
    assert windows["e"] == Window(None, None, "unknown")


def test_an_event_bound_by_events_and_the_memo_is_anchored() -> None:
    stated = {"a": A, "e": NONE, "f": NONE}
    links = [
        TimeLink("l1", "e", "before", None),
        TimeLink("l2", "e", "after", "a"),
        TimeLink("l3", "f", "includes", "a"),  # bounds nothing
        TimeLink("l4", "f", "before", None),
    ]
    windows, _ = derive_windows(stated, links, MEMO)
    assert windows["e"] == Window(A[0], MEMO[1], "anchored")
    assert windows["f"] == Window(None, MEMO[1], "document-date")


def test_an_anchor_without_a_window_bounds_nothing() -> None:
    stated = {"a": NONE, "e": NONE}
    windows, _ = derive_windows(stated, [TimeLink("l1", "e", "during", "a")], MEMO)
    assert windows["e"] == Window(None, None, "unknown")


# ---- placed records: positions and relations ----

EVENTS = {
    "a": Window(A[0], A[1], "stated"),
    "u": Window(None, None, "unknown"),
    "h": Window(None, date(2021, 9, 10), "anchored"),
}


def _placed(stated, links, expressed_by=None):
    return derive_placed(stated, links, EVENTS, MEMO, expressed_by)


def test_a_stated_as_of_date_is_the_window() -> None:
    windows, conflicts = _placed({"p": (date(2021, 9, 1), date(2021, 9, 1))}, [])
    assert conflicts == []
    assert windows["p"] == Window(date(2021, 9, 1), date(2021, 9, 1), "stated")


def test_a_stance_is_placed_by_its_own_links() -> None:
    links = [TimeLink("l1", "p", "after", "a"), TimeLink("l2", "q", "before", None)]
    windows, conflicts = _placed({"p": NONE, "q": NONE, "r": NONE}, links)
    assert conflicts == []
    assert windows["p"] == Window(A[0], None, "anchored")
    assert windows["q"] == Window(None, MEMO[1], "document-date")
    assert windows["r"] == Window(None, None, "unknown")


def test_a_stance_takes_its_expressing_events_window_when_no_event_link_bounds_it() -> None:
    stated = {"p": NONE, "q": NONE, "r": NONE, "s": NONE, "t": NONE}
    links = [
        TimeLink("l1", "q", "before", None),  # the memo only: the event still narrows it
        TimeLink("l2", "r", "after", "a"),  # an event link: its own window wins
        TimeLink("l3", "t", "includes", "a"),  # bounds nothing
    ]
    expressed = {"p": "a", "q": "h", "r": "h", "s": "u", "t": "a"}
    windows, conflicts = _placed(stated, links, expressed)
    assert conflicts == []
    assert windows["p"] == Window(A[0], A[1], EXPRESSED)
    assert windows["q"] == Window(None, date(2021, 9, 10), EXPRESSED)
    assert windows["r"] == Window(A[0], None, "anchored")
    assert windows["s"] == Window(None, None, "unknown")  # its event has no window
    assert windows["t"] == Window(A[0], A[1], EXPRESSED)


def test_a_stance_whose_links_leave_no_day_is_named_by_its_first_link() -> None:
    stated = {"p": NONE}
    links = [TimeLink("l1", "p", "after", "a"), TimeLink("l2", "p", "before", "h")]
    windows, conflicts = _placed(stated, links)
    assert conflicts == []  # 08-15 .. 09-10
    links = [TimeLink("l1", "p", "after", "h"), TimeLink("l2", "p", "before", "a")]
    stated = {"p": NONE}
    events = {**EVENTS, "h": Window(date(2021, 9, 10), None, "anchored")}
    windows, conflicts = derive_placed(stated, links, events, MEMO)
    assert conflicts == [
        Conflict("l1", "p", "its time links leave no day for 'p' (2021-09-10 > 2021-08-31)")
    ]
    assert windows["p"] == Window(date(2021, 9, 10), A[1], "anchored")


def test_a_stated_date_that_its_links_contradict_is_a_conflict_but_stays_stated() -> None:
    stated = {"p": (date(2021, 9, 1), date(2021, 9, 1))}
    windows, conflicts = _placed(stated, [TimeLink("l7", "p", "before", "a")])
    assert conflicts == [
        Conflict("l7", "p", "its time links leave no day for 'p' (2021-09-01 > 2021-08-31)")
    ]
    assert windows["p"] == Window(date(2021, 9, 1), date(2021, 9, 1), "stated")
    assert _placed({"p": (A[1], A[1])}, [TimeLink("l7", "p", "before", "a")])[1] == []


def test_placed_links_to_unknown_records_or_events_are_skipped() -> None:
    links = [TimeLink("l1", "p", "after", "zz"), TimeLink("l2", "zz", "after", "a")]
    windows, conflicts = _placed({"p": NONE}, links)
    assert conflicts == [] and windows == {"p": Window(None, None, "unknown")}


def test_a_link_that_bounds_nothing_does_not_hide_the_links_after_it() -> None:
    links = [TimeLink("l1", "p", "includes", "a"), TimeLink("l2", "p", "after", "a")]
    windows, _ = _placed({"p": NONE}, links)
    assert windows["p"] == Window(A[0], None, "anchored")


def test_a_stated_as_of_that_ends_before_it_starts_is_a_conflict_with_no_link() -> None:
    windows, conflicts = _placed({"p": (date(2021, 9, 2), date(2021, 9, 1))}, [])
    assert conflicts == [
        Conflict("", "p", "its time links leave no day for 'p' (2021-09-02 > 2021-09-01)")
    ]
    assert windows["p"].basis == "stated"


# ---- contract/edtf.py: the boundaries of each form, and what a refusal says ----


@pytest.mark.parametrize(
    ("value", "start", "end", "precision"),
    [
        ("2021-01", date(2021, 1, 1), date(2021, 1, 31), "month"),  # the first month
        ("2021-12", date(2021, 12, 1), date(2021, 12, 31), "month"),  # the last
        ("2021-22", date(2021, 6, 1), date(2021, 8, 31), "season"),
        ("0001", date(1, 1, 1), date(1, 12, 31), "year"),
        ("2021-11-01/2021-11-01", date(2021, 11, 1), date(2021, 11, 1), "interval"),  # one day
        ("2021-12-31/2022", date(2021, 12, 31), date(2022, 12, 31), "interval"),
    ],
)
def test_edtf_bounds_at_each_edge(value: str, start: date, end: date, precision: str) -> None:
    b = bounds(value)
    assert (b.start, b.end, b.precision) == (start, end, precision)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-02-29", "'2021-02-29' is not a calendar day"),
        ("2021-00", "'2021-00': month or season 0 is not 01-12 or 21-24"),
        ("2021-13", "'2021-13': month or season 13 is not 01-12 or 21-24"),
        ("2021-20", "'2021-20': month or season 20 is not 01-12 or 21-24"),
        ("2021-25", "'2021-25': month or season 25 is not 01-12 or 21-24"),
        ("2021/2022/2023", "'2021/2022/2023' has more than one '/'"),
        ("../..", "'../..': an interval needs at least one known end"),
        ("2021-11-02/2021-11-01", "'2021-11-02/2021-11-01': the interval ends before it starts"),
        (
            "Late 2021",
            "'Late 2021' is not a supported EDTF date (YYYY, YYYY-MM, YYYY-MM-DD, "
            "YYYY-21..24, YYYX, or an interval A/B with '..' for an open end)",
        ),
    ],
)
def test_an_edtf_refusal_says_what_is_wrong(value: str, message: str) -> None:
    with pytest.raises(EDTFError) as caught:
        bounds(value)
    assert str(caught.value) == message


def test_a_link_on_a_dated_event_does_not_stop_the_links_after_it() -> None:
    stated = {"a": A, "e": NONE}
    links = [TimeLink("l1", "a", "before", None), TimeLink("l2", "e", "after", "a")]
    windows, _ = derive_windows(stated, links, MEMO)
    assert windows["e"] == Window(A[0], None, "anchored")


def test_a_link_to_an_event_with_no_window_does_not_make_the_basis_anchored() -> None:
    stated = {"u": NONE, "e": NONE}
    links = [TimeLink("l1", "e", "after", "u"), TimeLink("l2", "e", "before", None)]
    windows, _ = derive_windows(stated, links, MEMO)
    assert windows["e"] == Window(None, MEMO[1], "document-date")
