"""The blind second coding and what is computed from it: the coder's manual, the parts, the
alignment, Krippendorff's alpha, the published reliability tables and the adjudication log."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from memo724.cli import main
from memo724.contract import Contract
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO
from memo724.curation import agreement
from memo724.curation.agreement import Unit, align, alpha
from memo724.curation.blind import check_part, parts
from memo724.curation.manual import MANUAL_PATH, leaked_phrases, strip_examples

MEMO = read_memo(REPO.memo)


def _rows(name: str) -> list[dict[str, str]]:
    with (REPO.root / "reliability" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_manual_quotes_nothing_of_the_memo() -> None:
    text = (REPO.root / MANUAL_PATH).read_text(encoding="utf-8")
    assert leaked_phrases(text, MEMO) == []
    # The guard itself: a definition that quotes the memo loses its example, keeps its meaning.
    definition = 'The words cast doubt on it ("more perceived than real").'
    assert strip_examples(definition, MEMO) == "The words cast doubt on it."
    assert leaked_phrases("so the ball is now on the side of someone", MEMO) != []
    # A quote that is not the memo's (an ICD 203 band's own words) stays.
    assert "almost no chance" in strip_examples('ICD 203 "almost no chance / remote".', MEMO)


def test_manual_is_what_the_codebook_gives(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manual", "--check"]) == 0, capsys.readouterr().err


def test_every_part_of_the_second_coding_builds_clean() -> None:
    found = parts(REPO)
    assert [p.name for p in found] == ["b1", "b2", "b3", "b4", "b5", "b6"]
    for part in found:
        assert check_part(REPO, part) == [], part.name


def test_a_broken_part_is_reported_at_its_line(tmp_path: Path) -> None:
    part = tmp_path / "bx"
    (part / "records").mkdir(parents=True)
    (part / "records" / "10-x.yaml").write_text(
        "events:\n  - id: e\n    summary: s\n    event_type: parade\n    factuality: occurred\n"
        "    participants:\n      - {actor_id: nobody, role: agent}\n"
        "    evidence: [The key words to describe]\n",
        encoding="utf-8",
    )
    problems = {(p.rule, p.where.split(":")[0]) for p in check_part(REPO, part)}
    assert ("enum", "records/10-x.yaml") in problems
    assert ("reference", "records/10-x.yaml") in problems


def test_alpha_matches_a_hand_computation() -> None:
    # Coder 1: a b a; coder 2: a b b. Do = 2/6, De = 2*3*3/(6*5) = 0.6 -> alpha = 1 - (1/3)/0.6.
    assert alpha([("a", "a"), ("b", "b"), ("a", "b")], "nominal", []) == pytest.approx(4 / 9)
    assert alpha([("a", "a"), ("b", "b")], "nominal", []) == pytest.approx(1.0)
    # Ordinal: a near miss on the scale costs less than a far one.
    scale = ["unlikely", "doubtful", "possible", "probable", "asserted"]
    base = [("asserted", "asserted"), ("possible", "possible"), ("unlikely", "unlikely")] * 3
    near = alpha([*base, ("asserted", "probable")], "ordinal", scale)
    far = alpha([*base, ("asserted", "unlikely")], "ordinal", scale)
    assert near is not None and far is not None and near > far


def _unit(table: str, uid: str, *spans: tuple[int, int], **fields: str) -> Unit:
    return Unit(table, uid, list(spans), dict(fields))


def test_alignment_pairs_by_overlap_merges_part_splits_and_obeys_the_file() -> None:
    main_coding = {t: [] for t in agreement.COMPARED} | {
        "events": [
            _unit("events", "takeover", (0, 100), (500, 540)),
            _unit("events", "talks", (200, 260)),
            _unit("events", "missed", (900, 950)),
        ]
    }
    blind_coding = {t: [] for t in agreement.COMPARED} | {
        "events": [
            _unit("events", "b1:seize", (10, 90)),  # inside the takeover's first quote
            _unit("events", "b3:seize-again", (505, 560)),  # its second quote, another part
            _unit("events", "b2:meeting", (230, 300)),  # overlaps talks by 30 of 60: 0.5
            _unit("events", "b2:extra", (700, 720)),
        ]
    }
    found = align(main_coding, blind_coding, [])
    assert [(m, b) for m, b, _, _ in found.pairs["events"]] == [
        ("takeover", "b1:seize"),
        ("talks", "b2:meeting"),
    ]
    assert found.merged["events"] == [("takeover", "b3:seize-again")]
    assert found.main_only["events"] == ["missed"]
    assert found.blind_only["events"] == ["b2:extra"]
    # The alignment file unpairs a wrong match and pairs a missed one.
    fixed = align(
        main_coding,
        blind_coding,
        [
            {"table": "events", "blind": "b2:meeting", "main": None},
            {"table": "events", "blind": "b2:extra", "main": "missed"},
        ],
    )
    assert ("missed", "b2:extra") in [(m, b) for m, b, _, _ in fixed.pairs["events"]]
    assert "b2:meeting" in fixed.blind_only["events"]
    assert "talks" in fixed.main_only["events"]


def test_reliability_tables_are_what_the_codings_give(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reliability", "--check"]) == 0, capsys.readouterr().err


def test_reliability_package_is_valid_for_frictionless() -> None:
    from frictionless import Package

    report = Package(str(REPO.root / "reliability" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_published_figures_are_complete_and_consistent() -> None:
    units = {r["table"]: r for r in _rows("units")}
    assert set(units) == set(agreement.COMPARED)
    aligned = Counter((r["table"], r["status"]) for r in _rows("alignment"))
    for table, row in units.items():
        both, m, b = int(row["both"]), int(row["main_only"]), int(row["blind_only"])
        assert (both, m, b) == (
            aligned[(table, "matched")],
            aligned[(table, "main-only")],
            aligned[(table, "blind-only")],
        )
        assert float(row["unit_agreement"]) == pytest.approx(both / (both + m + b), abs=5e-4)
    fields = _rows("agreement")
    # Every compared field of every table, and every child table's roles, has its row.
    expected = {(t, f) for t, fs in agreement.COMPARED.items() for f in fs}
    expected |= {(child, "role") for child in agreement.CHILDREN.values()}
    assert {(r["table"], r["field"]) for r in fields} == expected
    for r in fields:
        has_alpha = int(r["pairs"]) >= agreement.MIN_PAIRS
        assert bool(r["alpha"]) == has_alpha, r
        if has_alpha:
            assert (
                float(r["alpha_low"]) <= float(r["alpha"]) + 1e-9 <= float(r["alpha_high"]) + 2e-9
            )


def test_every_disagreement_is_settled_in_the_log() -> None:
    rows = _rows("adjudication")
    assert rows, "no disagreements at all would be suspicious"
    for r in rows:
        assert r["decision"] in agreement.DECISIONS[r["kind"]], r["item"]
        assert r["reason"].strip() and r["change"].strip(), r["item"]
    # No decision in the log for an item that is not a disagreement (a stale or mistyped item).
    items = {r["item"] for r in rows}
    assert set(agreement.decisions(REPO)) <= items


def test_adjudication_changed_the_main_coding_where_it_says() -> None:
    """A blind value the third reader accepted is what the main coding now holds."""
    contract = Contract(REPO.schemas)
    checked = 0
    for r in _rows("adjudication"):
        if r["kind"] != "field" or r["decision"] != "blind" or r["table"] == "actors":
            continue
        field = r["field"]
        if field not in contract[r["table"]].field_names or r["main_id"] == "":
            continue
        key = contract[r["table"]].primary_key[0]
        with REPO.table(r["table"]).open(encoding="utf-8", newline="") as f:
            current = {row[key]: row for row in csv.DictReader(f)}
        if r["main_id"] not in current or r["blind_value"].startswith("unmapped:"):
            continue  # merged into another record (retired) or an actor the main coding lacks
        value = current[r["main_id"]][field] or agreement.NONE
        assert value == r["blind_value"], r["item"]
        checked += 1
    assert checked > 0


def test_snapshot_is_the_released_main_coding() -> None:
    """The frozen main coding names the 0.2.1 records whose row digests the release keeps."""
    snapshot = json.loads((REPO.root / agreement.SNAPSHOT).read_text(encoding="utf-8"))
    released = json.loads((REPO.root / "releases" / "0.2.1.json").read_text(encoding="utf-8"))
    for table, units in snapshot.items():
        assert {u["id"] for u in units} == set(released[table]), table


def test_a_stale_reliability_table_is_named_then_rewritten(tmp_path: Path) -> None:
    import shutil

    from memo724.contract.paths import Layout
    from memo724.curation.agreement import refresh_reliability

    copy = Layout(tmp_path / "checkout")
    for part in ("curation", "schemas", "data", "reliability"):
        shutil.copytree(REPO.root / part, copy.root / part)
    (copy.root / "reliability" / "units.csv").write_text("table\n", encoding="utf-8")
    assert refresh_reliability(copy, check_only=True) == ["units.csv"]
    assert (copy.root / "reliability" / "units.csv").read_text(encoding="utf-8") == "table\n"
    assert refresh_reliability(copy) == ["units.csv"]
    assert refresh_reliability(copy, check_only=True) == []
    assert (copy.root / "reliability" / "units.csv").read_bytes() == (
        REPO.root / "reliability" / "units.csv"
    ).read_bytes()


def test_a_frozen_snapshot_reads_back_as_the_units_it_froze(tmp_path: Path) -> None:
    """The main coding frozen for a blind round (snapshot) is compared as the same units."""
    from memo724.curation.agreement import load_snapshot, snapshot

    frozen = snapshot(REPO)
    path = tmp_path / "main.json"
    path.write_text(json.dumps(frozen), encoding="utf-8")
    units = load_snapshot(path)
    assert set(units) == set(frozen) and "events" in units
    events = {u.id: u for u in units["events"]}
    assert len(events) == len(pd.read_csv(REPO.table("events"))) == len(frozen["events"])
    # each unit keeps the spans its evidence rows give, as [start, end) pairs of the memo
    evidence = pd.read_csv(REPO.table("evidence"), dtype=str, keep_default_na=False)
    first = evidence[evidence["event_id"] != ""].iloc[0]
    assert (int(first["start"]), int(first["end"])) in events[first["event_id"]].spans
