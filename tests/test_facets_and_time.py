"""Facets of one fact linked, and stances and relations placed in time (issue 15, items 4-5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from memo724.contract import Contract
from memo724.contract.paths import REPO, Layout
from memo724.contract.timeline import TimeLink, Window, derive_placed
from memo724.contract.typed import text_frame as read_frame
from memo724.curation.audit import (
    allowed_overlap_groups,
    explained_overlaps,
    group_pairs,
    overlap,
    unlinked_overlaps,
)
from memo724.curation.records import load_yaml
from memo724.publication.package import csv_text
from memo724.validation.drift import judge_own

MEMO = (date(2021, 11, 1), date(2021, 11, 30))
TAKEOVER = Window(date(2021, 8, 1), date(2021, 8, 31), "stated")


def _frames(contract: Contract) -> dict[str, pd.DataFrame]:
    return {name: read_frame(REPO.table(name)) for name in contract.tables}


def test_overlap_is_measured_against_the_longer_record() -> None:
    assert overlap([(0, 100)], [(0, 100)]) == 1.0
    assert overlap([(0, 100)], [(0, 40)]) == pytest.approx(0.4)  # a short clause of a sentence
    assert overlap([(0, 60), (100, 140)], [(0, 60)]) == pytest.approx(0.6)
    assert overlap([(0, 10)], [(20, 30)]) == 0.0


def test_every_unlinked_overlap_is_listed_with_a_reason(contract: Contract) -> None:
    found = {(a, b) for a, b, _ in unlinked_overlaps(contract, _frames(contract))}
    assert sorted(found - explained_overlaps(REPO.curation)) == []
    # The list never goes stale: every listed group still holds an unlinked overlapping pair.
    stale = [g for g in allowed_overlap_groups(REPO.curation) if not group_pairs({g: ""}) & found]
    assert stale == []


def test_a_reworded_twin_is_found(contract: Contract) -> None:
    """Two records that quote nearly the same words, one a few words longer, are caught (the
    exact-span duplicate test alone would pass them)."""
    frames = _frames(contract)
    ev = frames["evidence"]
    judged = ev[ev["assessment_id"].notna()]
    single = judged["assessment_id"].map(judged["assessment_id"].value_counts()) == 1
    row = judged[single].iloc[0]  # a judgment quoted by one span
    twin = row.copy()
    twin["evidence_id"] = "position.twin.0"
    twin["assessment_id"] = None
    twin["position_id"] = "twin"
    twin["end"] = str(int(row["end"]) - 3)
    frames["evidence"] = pd.concat([ev, twin.to_frame().T], ignore_index=True)
    positions = frames["positions"]
    frames["positions"] = pd.concat(
        [positions, positions.iloc[[0]].assign(position_id="twin")], ignore_index=True
    )
    pairs = {(a, b) for a, b, _ in unlinked_overlaps(contract, frames)}
    assert (f"assessments/{row['assessment_id']}", "positions/twin") in pairs


def test_most_judgments_name_what_they_judge(contract: Contract) -> None:
    judgments = _frames(contract)["assessments"]
    about = [c for c in judgments.columns if c.startswith("about_")]
    named = judgments[about].notna().any(axis=1)
    assert named.mean() >= 0.8, judgments.loc[~named, "assessment_id"].tolist()


def test_a_stance_takes_the_window_of_the_event_that_expresses_it() -> None:
    stated = {"accepts": (None, None), "floating": (None, None), "dated": MEMO}
    events = {"call": Window(date(2021, 8, 15), date(2021, 11, 30), "anchored")}
    windows, conflicts = derive_placed(
        stated, [], events, MEMO, expressed_by={"accepts": "call", "floating": "missing"}
    )
    assert conflicts == []
    assert windows["accepts"] == Window(date(2021, 8, 15), date(2021, 11, 30), "expressed-by-event")
    assert windows["floating"].basis == "unknown"
    assert windows["dated"].basis == "stated"


def test_links_place_a_relation_and_an_event_link_outranks_the_expressing_event() -> None:
    stated = {"ally": (None, None), "stance": (None, None)}
    events = {"takeover": TAKEOVER, "call": Window(date(2021, 9, 1), date(2021, 9, 30), "stated")}
    links = [
        TimeLink("ally-at-memo", "ally", "overlaps", None),
        TimeLink("stance-after", "stance", "after", "takeover"),
        TimeLink("stance-at-memo", "stance", "overlaps", None),
    ]
    windows, _ = derive_placed(stated, links, events, MEMO, expressed_by={"stance": "call"})
    assert windows["ally"] == Window(None, date(2021, 11, 30), "document-date")
    assert windows["stance"] == Window(date(2021, 8, 1), date(2021, 11, 30), "anchored")


def test_contradicting_links_on_a_relation_are_reported() -> None:
    stated = {"r": (None, None)}
    events = {"takeover": TAKEOVER, "old": Window(date(2003, 1, 1), date(2003, 12, 31), "stated")}
    links = [TimeLink("a", "r", "after", "takeover"), TimeLink("b", "r", "before", "old")]
    _, conflicts = derive_placed(stated, links, events, MEMO)
    assert [c.event_id for c in conflicts] == ["r"]


def test_positions_and_relations_are_placed_or_say_why_not(contract: Contract) -> None:
    doc = load_yaml(REPO.curation / "unplaced.yaml", "curation/unplaced.yaml") or {}
    listed = {(e["table"], e["id"]): e["reason"] for e in doc.get("unplaced") or []}
    assert all(str(r).strip() for r in listed.values())
    for table in ("positions", "relations"):
        frame = read_frame(REPO.table(table))
        key = contract[table].primary_key[0]
        unplaced = set(frame.loc[frame["time_basis"] == "unknown", key])
        assert unplaced == {i for t, i in listed if t == table}, table
        assert (frame["time_basis"] != "unknown").mean() >= 0.75, table


def _rewrite(
    layout: Layout, contract: Contract, table: str, key: str, rid: str, **cells: str
) -> None:
    frame = read_frame(layout.table(table)).astype(object).where(lambda f: f.notna(), "")
    rows = frame.to_dict("records")
    row = next(r for r in rows if r[key] == rid)
    row.update(cells)
    layout.table(table).write_text(csv_text(contract[table].field_names, rows), encoding="utf-8")


def test_validator_rederives_the_windows_of_stances_and_relations(
    package_copy: Layout, contract: Contract
) -> None:
    positions = read_frame(package_copy.table("positions"))
    placed = positions.loc[positions["time_basis"] != "unknown", "position_id"].iloc[0]
    _rewrite(package_copy, contract, "positions", "position_id", placed, time_start="1990-01-01")
    relations = read_frame(package_copy.table("relations"))
    rid = relations["relation_id"].iloc[0]
    _rewrite(package_copy, contract, "relations", "relation_id", rid, time_basis="stated")
    links = read_frame(package_copy.table("time_links"))
    on_relation = links.loc[links["relation_id"].notna(), "time_link_id"].iloc[0]
    # A link that places a relation and an event at once.
    _rewrite(
        package_copy,
        contract,
        "time_links",
        "time_link_id",
        on_relation,
        event_id="taliban-takeover-of-afghanistan",
    )
    found = {(p.where, p.rule, p.field) for p in judge_own(package_copy, frictionless=False)}
    assert ("positions", "time-window", "time_start") in found
    assert ("relations", "time-window", "time_basis") in found
    assert ("time_links", "one-subject", "event_id") in found


def test_relations_hedged_below_asserted_show_their_words(contract: Contract) -> None:
    relations = read_frame(REPO.table("relations"))
    below = relations[relations["certainty"] != "asserted"]
    assert below["hedge"].notna().all()


def test_schemas_declare_the_placed_tables() -> None:
    """The derived window fields exist wherever a time link can point (no table left out)."""
    contract = Contract(Path(REPO.schemas))
    links = contract["time_links"]
    for fk in links.foreign_keys:
        if fk.field in ("event_id", "position_id", "relation_id"):
            assert {"time_start", "time_end", "time_basis"} <= set(
                contract[fk.resource].field_names
            ), fk.resource
