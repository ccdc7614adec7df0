"""Issue 7: one fact one row, every actor linked, every source cited, every view attributed,
no released id gone unexplained, and the new rules enforced by the validator."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from memo724.contract import TABLES, Contract
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import text_frame as read_frame
from memo724.curation.audit import (
    allowed_duplicates,
    duplicate_groups,
    orphan_actors,
    retired,
    uncited_sources,
)
from memo724.publication.package import csv_text
from memo724.validation.drift import judge_own

RECORD_TABLES = (
    "actors",
    "events",
    "positions",
    "risks",
    "sources",
    "assessments",
    "relations",
    "time_links",
)


@pytest.fixture(scope="module")
def frames(pristine: Layout) -> dict:
    return {name: read_frame(pristine.table(name)) for name in TABLES}


def test_no_two_statement_records_quote_the_same_spans_unless_allowed(
    contract: Contract, frames: dict
) -> None:
    allowed = allowed_duplicates(REPO.curation)
    found = {g.records for g in duplicate_groups(contract, frames)}
    unexplained = found - set(allowed)
    assert not unexplained, f"one fact, one row: merge or allowlist {sorted(unexplained)}"
    stale = set(allowed) - found
    assert not stale, f"allowlist entries that are no longer duplicates: {sorted(stale)}"
    assert all(len(reason) > 20 for reason in allowed.values())


def test_duplicate_detection_finds_a_copied_record(contract: Contract, frames: dict) -> None:
    evidence = frames["evidence"].copy()
    rows = evidence[evidence["assessment_id"] == "russia-reaction-pragmatic-calm-restrained"]
    copied = rows.assign(assessment_id=None, risk_id="combat-violence-in-afghanistan")
    others = evidence[evidence["risk_id"].fillna("") != "combat-violence-in-afghanistan"]
    groups = duplicate_groups(contract, {**frames, "evidence": pd.concat([others, copied])})
    assert (
        "assessments/russia-reaction-pragmatic-calm-restrained",
        "risks/combat-violence-in-afghanistan",
    ) in {g.records for g in groups}


def test_every_actor_takes_part_in_something(contract: Contract, frames: dict) -> None:
    assert orphan_actors(contract, frames) == []
    lonely = frames["actors"].iloc[:1].assign(actor_id="zz-nobody")
    actors = pd.concat([frames["actors"], lonely])
    assert orphan_actors(contract, {**frames, "actors": actors}) == ["zz-nobody"]


def test_every_forum_is_linked_beyond_its_name(frames: dict) -> None:
    actors = frames["actors"]
    forums = set(actors.loc[actors["kind"] == "forum", "actor_id"])
    relations = frames["relations"]
    participants = frames["event_participants"]
    linked = set(relations["object_actor_id"]) | set(participants["actor_id"])
    assert forums and forums <= linked


def test_every_source_is_cited_by_the_evidence_of_a_row(contract: Contract, frames: dict) -> None:
    assert uncited_sources(contract, frames) == []
    uncited = frames["sources"].iloc[:1].assign(source_id="zz-never-cited")
    sources = pd.concat([frames["sources"], uncited])
    assert uncited_sources(contract, {**frames, "sources": sources}) == ["zz-never-cited"]
    sources = frames["sources"]
    footnote_2 = sources.set_index("source_id").loc["footnote-2"]
    assert footnote_2["date_text"] == "February 14, 2003"
    assert footnote_2["date_edtf"] == "2003-02-14"
    spoken = sources[sources["kind"].isin(["speech", "official-statement", "court-ruling"])]
    assert spoken["records_event_id"].notna().all()


def test_no_released_id_disappears_unexplained(pristine: Layout, contract: Contract) -> None:
    # Every release's ids, so an id released in any version (and a table added later) counts.
    released: dict[str, set[str]] = {t: set() for t in RECORD_TABLES}
    snapshots = sorted((REPO.root / "releases").glob("*.json"))
    assert len(snapshots) >= 2, snapshots
    for path in snapshots:
        snapshot = json.loads(path.read_text(encoding="utf-8"))
        for table in RECORD_TABLES:
            released[table] |= set(snapshot.get(table, {}))
    assert released["time_links"], "the 0.2.0 time links are missing from the snapshots"
    gone = retired(REPO.curation)
    for table in RECORD_TABLES:
        pk = contract[table].primary_key[0]
        now = set(read_frame(pristine.table(table))[pk])
        for rid in released[table] - now:
            assert (table, rid) in gone, f"{table}/{rid} vanished without a retired.yaml entry"
    everything = {
        t: set(read_frame(pristine.table(t))[contract[t].primary_key[0]]) for t in RECORD_TABLES
    }
    for (table, rid), (replacement, reason) in gone.items():
        assert rid not in everything[table], f"{table}/{rid} is retired but still exists"
        assert rid in released[table], f"{table}/{rid} was never released"
        target_table, _, target = replacement.rpartition("/")
        assert target in everything[target_table or table], f"{table}/{rid} -> {replacement}"
        assert reason.strip()


def test_changelog_names_each_retired_id_with_its_replacement(pristine: Layout) -> None:
    text = (pristine.root / "CHANGELOG.md").read_text(encoding="utf-8")
    for (table, rid), (replacement, _) in retired(REPO.curation).items():
        target = replacement if "/" in replacement else f"{table}/{replacement}"
        assert f"`{rid}` -> `{target}`" in text


def test_ordinal_fields_are_declared_ordered(contract: Contract) -> None:
    ordered = {}
    for name in TABLES:
        for field in contract[name].fields:
            if "categories" in field:
                assert field["categories"] == field["constraints"]["enum"], field["name"]
                assert field.get("categoriesOrdered") is True
                ordered[f"{name}.{field['name']}"] = field["categories"]
    scale = ["unlikely", "doubtful", "possible", "probable", "asserted"]
    for table in ("positions", "risks", "assessments"):
        assert ordered[f"{table}.certainty"] == scale
    assert "risks.likelihood" in ordered and "assessments.likelihood" in ordered


def test_every_hedged_row_has_a_certainty_and_views_are_attributed(frames: dict) -> None:
    for table in ("positions", "risks", "assessments"):
        frame = frames[table]
        assert frame["certainty"].notna().all()
        below = frame[frame["certainty"] != "asserted"]
        assert below["hedge"].notna().all(), table
    for table in ("risks", "assessments"):
        frame = frames[table]
        actor_view = frame[frame["attribution"] != "author"]
        assert actor_view["attributed_to_actor_id"].notna().all()
    risks = frames["risks"].set_index("risk_id")
    assert risks.loc["state-failure-in-afghanistan", "attributed_to_actor_id"] == "russia"
    assessments = frames["assessments"].set_index("assessment_id")
    assert assessments.loc["rahmon-motive-domestic-credentials", "attribution"] == "actor-reported"
    positions = frames["positions"].set_index("position_id")
    assert positions.loc["moscow-could-live-with-islamist-regime", "hedge"] == (
        "In theory, Moscow could"
    )
    links = frames["risk_actors"]
    assert {"amplifier"} <= set(links["role"])
    assert not ((links["actor_id"] == "emomali-rahmon") & (links["role"] == "perceiver")).any(), (
        "Rahmon elevates the threat; he is its amplifier, not a perceiver"
    )


def _rewrite(layout: Layout, contract: Contract, table: str, change) -> None:
    frame = read_frame(layout.table(table)).astype(object).where(lambda f: f.notna(), "")
    rows = frame.to_dict("records")
    change(rows)
    layout.table(table).write_text(csv_text(contract[table].field_names, rows), encoding="utf-8")


def test_validator_enforces_hedging_and_attribution(
    package_copy: Layout, contract: Contract
) -> None:
    def unhedge(rows: list[dict]) -> None:
        row = next(r for r in rows if r["position_id"] == "moscow-could-live-with-islamist-regime")
        row["hedge"] = ""

    def author_with_actor(rows: list[dict]) -> None:
        row = next(r for r in rows if r["assessment_id"] == "taliban-role-has-evolved")
        row["attributed_to_actor_id"] = "russia"

    def view_not_perceived(rows: list[dict]) -> None:
        row = next(r for r in rows if r["risk_id"] == "combat-violence-in-afghanistan")
        row["attribution"], row["attributed_to_actor_id"] = "actor-reported", "russia"

    _rewrite(package_copy, contract, "positions", unhedge)
    _rewrite(package_copy, contract, "assessments", author_with_actor)
    _rewrite(package_copy, contract, "risks", view_not_perceived)
    found = {(p.where, p.rule, p.field) for p in judge_own(package_copy, frictionless=False)}
    assert ("positions", "certainty-needs-hedge", "certainty") in found
    assert ("assessments", "view-holder", "attributed_to_actor_id") in found
    assert ("risks", "view-holder-perceives", "attributed_to_actor_id") in found


def test_figures_command_prints_the_issue_figures(capsys: pytest.CaptureFixture[str]) -> None:
    from memo724.cli import main

    assert main(["figures"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"occurred/reported events with a time window +(\d+) of \1 \(100%\)", out)
    assert re.search(r"orphan actors +0\n", out)
    assert re.search(r"duplicate groups .* (\d+) \(\1 allowlisted with a reason, 0 not\)", out)
    assert re.search(r"sources cited by the evidence of a row +(\d+) of \1 ", out)
