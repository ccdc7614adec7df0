"""Events placed in time: the windows the time links give, derived by the contract's one rule
and re-derived by the validator on any copy."""

from __future__ import annotations

from datetime import date

import pandas as pd

from memo724.contract import Contract
from memo724.contract.paths import Layout
from memo724.contract.timeline import TimeLink, derive_windows
from memo724.contract.typed import text_frame as read_frame
from memo724.publication.package import csv_text
from memo724.validation.drift import judge_own

MEMO = (date(2021, 11, 1), date(2021, 11, 30))


def test_windows_follow_anchors_through_a_chain() -> None:
    stated = {
        "takeover": (date(2021, 8, 1), date(2021, 8, 31)),
        "reaction": (None, None),
        "follow-up": (None, None),
        "ongoing": (None, None),
        "floating": (None, None),
    }
    links = [
        TimeLink("l1", "follow-up", "after", "reaction"),
        TimeLink("l2", "reaction", "after", "takeover"),
        TimeLink("l3", "reaction", "before", None),
        TimeLink("l4", "follow-up", "before", None),
        TimeLink("l5", "ongoing", "overlaps", None),
        TimeLink("l6", "takeover", "before", None),
    ]
    windows, conflicts = derive_windows(stated, links, MEMO)
    assert conflicts == []
    assert windows["reaction"].start == date(2021, 8, 1)
    assert windows["reaction"].end == date(2021, 11, 30)
    assert windows["reaction"].basis == "anchored"
    # The follow-up is placed through the reaction, which is itself derived.
    assert (windows["follow-up"].start, windows["follow-up"].basis) == (
        date(2021, 8, 1),
        "anchored",
    )
    assert (windows["ongoing"].start, windows["ongoing"].end) == (None, date(2021, 11, 30))
    assert windows["ongoing"].basis == "document-date"
    assert windows["floating"].basis == "unknown" and not windows["floating"].bounded
    # A stated date is the window; links only have to agree with it.
    assert windows["takeover"].basis == "stated"
    assert windows["takeover"].end == date(2021, 8, 31)


def test_contradicting_links_are_reported() -> None:
    stated = {
        "a": (date(2003, 1, 1), date(2003, 12, 31)),
        "b": (date(2021, 8, 1), date(2021, 8, 31)),
    }
    _, conflicts = derive_windows(stated, [TimeLink("bad", "b", "before", "a")], MEMO)
    assert [c.link_id for c in conflicts] == ["bad"]


def test_almost_every_event_that_happened_is_placed_in_time(pristine: Layout) -> None:
    events = read_frame(pristine.table("events"))
    happened = events[events["factuality"].isin(["occurred", "reported"])]
    placed = happened["time_start"].notna() | happened["time_end"].notna()
    assert placed.mean() >= 0.95, happened.loc[~placed, "event_id"].tolist()
    by_id = events.set_index("event_id")
    call = by_id.loc["kremlin-calls-for-recognizing-taliban-control"]
    assert (call["time_start"], call["time_end"], call["time_basis"]) == (
        "2021-08-01",
        "2021-11-30",
        "anchored",
    )
    invites = by_id.loc["russia-invites-taliban-to-moscow-initiated-negotiations"]
    assert (invites["time_start"], invites["time_end"]) == ("2010-01-01", "2021-08-31")
    dated = events[events["date_edtf"].notna()]
    assert (dated["time_basis"] == "stated").all()
    assert (dated["time_start"].fillna("") == dated["date_start"].fillna("")).all()


def test_review_c_windows_are_no_more_precise_than_the_words(pristine: Layout) -> None:
    by_id = read_frame(pristine.table("events")).set_index("event_id")
    # "From the outset ... engaging it militarily": begun before the mid-2010s decision, never
    # said to have ended, so only the memo's date bounds it (not the decade's last day).
    engage = by_id.loc["taliban-engage-isis-k-militarily"]
    assert pd.isna(engage["time_start"])
    assert (engage["time_end"], engage["time_basis"]) == ("2021-11-30", "document-date")
    # Executed in prison though "detained by the previous government": after the takeover.
    execution = by_id.loc["taliban-execute-abu-umar-khorasani"]
    assert (execution["time_start"], execution["time_end"], execution["time_basis"]) == (
        "2021-08-01",
        "2021-11-30",
        "anchored",
    )
    links = read_frame(pristine.table("time_links")).set_index("time_link_id")
    # One fact, one row: the execution-after-detention link has no inverse twin.
    pairs = {
        (r.event_id, r.anchor_event_id)
        for r in links.itertuples()
        if isinstance(r.anchor_event_id, str)
    }
    assert not {(b, a) for a, b in pairs} & pairs


def test_every_time_link_has_evidence_and_one_anchor(pristine: Layout) -> None:
    links = read_frame(pristine.table("time_links"))
    evidence = read_frame(pristine.table("evidence"))
    assert set(links["time_link_id"]) <= set(evidence["time_link_id"].dropna())
    assert (links["anchor_event_id"].notna() != links["anchor_document_id"].notna()).all()


def _rewrite(layout: Layout, contract: Contract, table: str, key: str, rid: str, **cells) -> None:
    frame = read_frame(layout.table(table)).astype(object).where(lambda f: f.notna(), "")
    rows = frame.to_dict("records")
    row = next(r for r in rows if r[key] == rid)
    row.update(cells)
    layout.table(table).write_text(csv_text(contract[table].field_names, rows), encoding="utf-8")


def test_validator_rederives_the_windows(package_copy: Layout, contract: Contract) -> None:
    _rewrite(
        package_copy,
        contract,
        "events",
        "event_id",
        "kremlin-calls-for-recognizing-taliban-control",
        time_start="2021-01-01",
    )
    # The 2000 ban cannot come after the zero production of 2001: a contradiction, not a window.
    _rewrite(
        package_copy,
        contract,
        "time_links",
        "time_link_id",
        "poppy-ban-before-zero-production",
        relation="after",
    )
    _rewrite(
        package_copy,
        contract,
        "time_links",
        "time_link_id",
        "execution-before-memo",
        anchor_event_id="taliban-takeover-of-afghanistan",
    )
    found = {(p.where, p.rule, p.field) for p in judge_own(package_copy, frictionless=False)}
    assert ("events", "time-window", "time_start") in found
    assert ("time_links", "one-anchor", "anchor_event_id") in found
    assert ("time_links", "time-consistent", "relation") in found


def test_a_wrong_date_cell_is_reported_once_at_its_cell(
    package_copy: Layout, contract: Contract
) -> None:
    """A stated month with a wrong first day: one problem, on date_start with its value; the
    window derived from the EDTF value is still right, so no follow-on time-window problem."""
    events = read_frame(package_copy.table("events"))
    month = events.loc[events["date_precision"] == "month"].iloc[0]
    _rewrite(
        package_copy, contract, "events", "event_id", month["event_id"], date_start="2021-03-01"
    )
    found = [
        (p.where, p.rule, p.field, p.value)
        for p in judge_own(package_copy, frictionless=False)
        if p.rule
        not in (
            "hash-count",
            "byte-count",
            "changed-since-release",
        )  # the edit itself changes the file
    ]
    assert found == [("events", "edtf-bounds", "date_start", "2021-03-01")]


def test_problems_that_follow_from_a_broken_evidence_key_come_after_it_and_say_so(
    package_copy: Layout, contract: Contract
) -> None:
    evidence = read_frame(package_copy.table("evidence"))
    span = evidence.loc[evidence["actor_id"] == "kremlin", "evidence_id"].iloc[0]
    _rewrite(package_copy, contract, "evidence", "evidence_id", span, actor_id="kreml")
    found = [
        p
        for p in judge_own(package_copy, frictionless=False)
        if p.rule not in ("hash-count", "byte-count", "changed-since-release")
    ]
    assert (found[0].where, found[0].rule, found[0].value) == ("evidence", "foreignKey", "kreml")
    row = int(evidence.index[evidence["evidence_id"] == span][0]) + 2
    rest = found[1:]
    assert {(p.where, p.rule) for p in rest} == {
        ("actors", "has-evidence"),
        ("actors", "names-from-evidence"),
    }
    for p in rest:
        assert p.follows is not None and p.follows.startswith(f"evidence row {row} ")
        assert f"follows from evidence row {row}" in str(p)
