"""scripts/backend_compare.py: every backend it times checks what it claims to check.

The figures it prints are measured, never asserted (SCALING.md). What is asserted here is that
the polars schemas and queries derived from the Table Schemas, and the cross-table rules as
polars joins, find the same damage the project's validator does, on a 1,000-row synthetic
package: a comparison of times means nothing if one side checks less.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("polars", reason="polars is a dev tool (the polars extra): not installed")
pytest.importorskip("pandera.polars", reason="pandera's polars backend needs polars")

import backend_compare
from synthetic import write_package

from memo724.contract import TABLES
from memo724.contract.paths import Layout
from memo724.validation.drift import judge_own

CHECKING = [v for v in backend_compare.VARIANTS if not v.endswith("read")]
Row = dict[str, str]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    return write_package(tmp_path_factory.mktemp("compare") / "pkg", rows=1000, seed=16)


def rows_of(layout: Layout, table: str) -> tuple[list[str], list[Row]]:
    with layout.table(table).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def rewrite(layout: Layout, table: str, header: list[str], rows: list[Row]) -> None:
    with layout.table(table).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def damaged(package: Layout, tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The package with one break of each kind the variants check (row numbers: CSV lines)."""
    layout = Layout(tmp_path_factory.mktemp("damaged") / "pkg")
    shutil.copytree(package.root, layout.root)
    header, evidence = rows_of(layout, "evidence")
    evidence[0]["evidence_id"] = "Not Valid!"  # pattern
    evidence[1]["start"] = "x1"  # not an integer
    evidence[2]["evidence_id"] = evidence[3]["evidence_id"]  # unique, twice
    actor_row = next(i for i, r in enumerate(evidence[4:], 4) if r["actor_id"])
    evidence[actor_row]["actor_id"] = "zz-no-such-row"  # foreign key
    rewrite(layout, "evidence", header, evidence)
    header, actors = rows_of(layout, "actors")
    titled = next(r for r in actors if r["role_title"])
    titled["role_title"] = "words the memo never says"  # verbatim
    actors[0]["names_as_written"] = "a form no span quotes"  # names_as_written
    rewrite(layout, "actors", header, actors)
    header, links = rows_of(layout, "time_links")
    links.append({**links[0], "time_link_id": "time-link-without-evidence"})  # has-evidence
    rewrite(layout, "time_links", header, links)
    return layout


def test_the_project_validator_sees_the_damage(damaged: Layout) -> None:
    rules = {p.rule for p in judge_own(damaged)}
    assert {"pattern", "type", "unique", "foreignKey", "verbatim", "has-evidence"} <= rules


@pytest.mark.parametrize("variant", CHECKING)
def test_a_valid_package_passes_every_variant(package: Layout, variant: str) -> None:
    report = backend_compare.child(variant, package.root, "evidence")
    counts = report["counts"]
    assert counts["rows"] == len(rows_of(package, "evidence")[1])
    assert counts.get("unparsed", 0) == 0
    assert counts["failures"] == 0
    assert counts.get("fk failures", 0) == 0
    assert "import" in report["phases"] and any("checks" in p for p in report["phases"])


@pytest.mark.parametrize("variant", CHECKING)
def test_every_variant_finds_the_column_damage(damaged: Layout, variant: str) -> None:
    counts = backend_compare.child(variant, damaged.root, "evidence")["counts"]
    assert counts["unparsed"] == 1
    # At least the bad pattern and both rows of the repeated id (Pandera may list more cells).
    assert counts["failures"] >= 3
    if variant != "memo724 (pandas)":  # the project's path is run without the other tables
        assert counts["fk failures"] == 1


def test_the_polars_lazy_query_counts_each_break_once(damaged: Layout) -> None:
    counts = backend_compare.child("polars lazy", damaged.root, "evidence")["counts"]
    # pattern 1, unique 2, required 1 (the unparsed start is missing once typed).
    assert counts["failures"] == 4


def test_the_cross_table_rules_as_joins(package: Layout, damaged: Layout) -> None:
    clean = backend_compare.child(backend_compare.CROSS, package.root, "evidence")["counts"]
    assert clean == {"has-evidence": 0, "verbatim": 0, "names-from-evidence": 0}
    counts = backend_compare.child(backend_compare.CROSS, damaged.root, "evidence")["counts"]
    # The orphaned actor span also takes one span from its actor: its names (and perhaps its
    # verbatim title) break too, as the project's validator reports (mark_consequences).
    assert counts["has-evidence"] == 1
    assert 1 <= counts["verbatim"] <= 2
    assert 1 <= counts["names-from-evidence"] <= 2


def test_the_script_prints_a_row_per_variant(package: Layout) -> None:
    script = Path(backend_compare.__file__)
    args = ["--tables", "risk_actors", "--repeat", "1", "--no-cross", "--no-package"]
    out = subprocess.run(
        [sys.executable, str(script), str(package.root), *args, "--variants", "polars lazy"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [line for line in out.splitlines() if "| risk_actors |" in line]
    assert len(rows) == 1 and "| polars lazy |" in rows[0]
    assert f"| {len(rows_of(package, 'risk_actors')[1]):,} |" in rows[0]


def test_without_polars_it_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        backend_compare.importlib.util, "find_spec", lambda name: None if name == "polars" else 1
    )
    assert backend_compare.main(["/nowhere"]) == 2
    err = capsys.readouterr().err
    assert err == "backend_compare.py needs polars: the dev tools\n"


@pytest.mark.parametrize("variant", list(backend_compare.PACKAGE))
def test_a_whole_package_variant_checks_every_table(
    package: Layout, damaged: Layout, variant: str
) -> None:
    clean = backend_compare.child(variant, package.root, "")["counts"]
    assert clean["rows"] == sum(len(rows_of(package, t)[1]) for t in TABLES)
    assert sum(v for k, v in clean.items() if k != "rows") == 0
    counts = backend_compare.child(variant, damaged.root, "")["counts"]
    assert counts["unparsed"] == 1 and counts["failures"] >= 3
    if backend_compare.PACKAGE[variant] == "memo724 (pandas)":
        assert "fk failures" not in counts and "has-evidence" not in counts  # no context
    else:
        assert counts["fk failures"] == 1
        assert counts["has-evidence"] == 1 and counts["verbatim"] >= 1


def test_the_project_record_rules_alone(package: Layout, damaged: Layout) -> None:
    cross = backend_compare.CROSS_PANDAS
    clean = backend_compare.child(cross, package.root, "")["counts"]
    assert clean == {"has-evidence": 0, "verbatim": 0, "names-from-evidence": 0}
    counts = backend_compare.child(cross, damaged.root, "")["counts"]
    assert counts["has-evidence"] == 1
    assert counts["verbatim"] >= 1 and counts["names-from-evidence"] >= 1
