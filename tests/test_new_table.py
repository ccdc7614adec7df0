"""A new table is a schema file plus its curated records: no code changes.

A temporary copy of the checkout's inputs gets a toy table `pledges` (a key, a foreign key into
actors, a label and evidence): its schema, the subject column the evidence table's exclusive arc
needs, and its records. The real build, validation, loader, docs, Parquet, SQLite, Datasette and
Croissant exports and the site's table list then all carry it, and the validators judge it (keys,
foreign keys, evidence) like any other table. The files the newcomer touches are measured: the
copy's files, hashed before and after.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from file_tree import changed, tree

import memo724
from memo724.contract import Contract
from memo724.contract.paths import REPO, Layout
from memo724.publication.croissant import croissant
from memo724.publication.datasette import datasette_metadata
from memo724.publication.generate import build_copy
from memo724.publication.release import write_parquet
from memo724.publication.site.gather import gather
from memo724.publication.site.pages import _context
from memo724.publication.sqlite_export import write_sqlite
from memo724.validation.drift import judge_own

TOY = "pledges"
SCHEMA = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "description": "A toy table: what an actor pledges, in the memo's words.",
    "role": "record",
    "statement": True,
    "labelField": "summary",
    "fields": [
        {
            "name": "pledge_id",
            "type": "string",
            "description": "Stable slug of the pledge.",
            "constraints": {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
        },
        {
            "name": "actor_id",
            "type": "string",
            "description": "Who pledges.",
            "constraints": {"required": True},
        },
        {
            "name": "summary",
            "type": "string",
            "description": "The pledge in a sentence.",
            "constraints": {"required": True},
        },
    ],
    "primaryKey": ["pledge_id"],
    "foreignKeys": [
        {"fields": ["actor_id"], "reference": {"resource": "actors", "fields": ["actor_id"]}}
    ],
}
RECORDS = """\
pledges:
  - id: russia-keeps-its-embassy-open
    actor_id: russia
    summary: Russia keeps its embassy in Kabul open.
    evidence:
      - the Russian embassy in Kabul
"""


def add_toy_table(source: Layout) -> None:
    """Add the toy table to the copy at source."""
    (source.schemas / f"{TOY}.json").write_text(json.dumps(SCHEMA, indent=2) + "\n")
    # The evidence table's exclusive arc: one subject column per record table.
    path = source.schemas / "evidence.json"
    evidence = json.loads(path.read_text(encoding="utf-8"))
    at = next(i for i, f in enumerate(evidence["fields"]) if f["name"] == "cites_source_id")
    evidence["fields"].insert(
        at, {"name": "pledge_id", "type": "string", "description": "The pledge quoted."}
    )
    evidence["foreignKeys"].append(
        {"fields": ["pledge_id"], "reference": {"resource": TOY, "fields": ["pledge_id"]}}
    )
    path.write_text(json.dumps(evidence, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (source.curation / "records" / "99-pledges.yaml").write_text(RECORDS, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, set[str]]:
    root = tmp_path_factory.mktemp("toy")
    source = Layout(root / "source")
    for part in ("curation", "schemas", "data"):
        shutil.copytree(REPO.root / part, source.root / part)
    for name in ("README.md", "CODEBOOK.md", "CHANGELOG.md", "DATACARD.md", "LICENSE"):
        shutil.copyfile(REPO.root / name, source.root / name)
    before = tree(source.root)
    add_toy_table(source)
    touched = changed(before, tree(source.root))  # measured on the copy, not declared
    target = Layout(root / "package")
    build_copy(source, target)
    return target, touched


def test_a_new_table_touches_three_files_and_no_code(built: tuple[Layout, set[str]]) -> None:
    _, touched = built
    # its schema, the evidence table's subject column for it, and its records
    assert touched == {
        f"schemas/{TOY}.json",
        "schemas/evidence.json",
        "curation/records/99-pledges.yaml",
    }, touched


def test_the_build_writes_it_and_lists_it(built: tuple[Layout, set[str]]) -> None:
    package, _ = built
    text = package.table(TOY).read_text(encoding="utf-8")
    assert text.splitlines() == [
        "pledge_id,actor_id,summary",
        "russia-keeps-its-embassy-open,russia,Russia keeps its embassy in Kabul open.",
    ]
    evidence = package.table("evidence").read_text(encoding="utf-8")
    assert "pledge.russia-keeps-its-embassy-open." in evidence
    names = [r["name"] for r in json.loads(package.descriptor.read_text())["resources"]]
    assert TOY in names and names[-1] == "evidence"


def test_it_is_validated_with_keys_and_evidence(built: tuple[Layout, set[str]]) -> None:
    package, _ = built
    assert judge_own(package, frictionless=False) == []
    contract = Contract(package.schemas)
    assert contract.evidence_subjects[TOY] == "pledge_id"
    assert contract[TOY].label_field == "summary" and TOY in contract.statement_tables


def test_its_broken_key_and_missing_evidence_are_reported(
    built: tuple[Layout, set[str]], tmp_path: Path
) -> None:
    package, _ = built
    copy = Layout(tmp_path / "copy")
    shutil.copytree(package.root, copy.root)
    copy.table(TOY).write_text(
        "pledge_id,actor_id,summary\n"
        "russia-keeps-its-embassy-open,nobody,Russia keeps its embassy in Kabul open.\n"
        "an-unquoted-pledge,russia,Nothing in the memo says so.\n",
        encoding="utf-8",
    )
    problems = [p for p in judge_own(copy, frictionless=False) if p.where == TOY]
    found = {(p.rule, p.row, p.field) for p in problems}
    assert ("foreignKey", 2, "actor_id") in found, problems
    assert ("has-evidence", 3, "pledge_id") in found, problems


def test_it_loads_is_documented_and_exported(
    built: tuple[Layout, set[str]], tmp_path: Path
) -> None:
    package, _ = built
    frame = memo724.load(TOY, path=package.root)
    assert frame["pledge_id"].tolist() == ["russia-keeps-its-embassy-open"]
    assert TOY in memo724.load_all(path=package.root)
    assert TOY in memo724.describe(path=package.root)["table"].tolist()
    codebook = (package.root / "CODEBOOK.md").read_text(encoding="utf-8")
    assert f"## {TOY}" in codebook and "Russia keeps its embassy in Kabul open." in codebook
    assert f"| `{TOY}` | 1 |" in (package.root / "README.md").read_text(encoding="utf-8")

    contract = Contract(package.schemas)
    write_parquet(contract, package.data, tmp_path / "parquet")
    assert pq.read_table(tmp_path / "parquet" / f"{TOY}.parquet").num_rows == 1
    write_sqlite(contract, package.data, tmp_path / "package.sqlite")
    with sqlite3.connect(tmp_path / "package.sqlite") as con:
        assert con.execute(f"SELECT actor_id FROM {TOY}").fetchall() == [("russia",)]
    descriptor = json.loads(package.descriptor.read_text(encoding="utf-8"))
    metadata = datasette_metadata(contract, descriptor, "package")
    tables = metadata["databases"]["package"]["tables"]
    assert tables[TOY]["label_column"] == "summary"
    sets = croissant(descriptor, contract, None)["recordSet"]
    assert any(TOY in json.dumps(s) for s in sets)


def test_the_site_lists_it(built: tuple[Layout, set[str]]) -> None:
    package, _ = built
    data = gather(package)
    assert TOY in data.tables and TOY in data.record_tables
    assert data.tables[TOY].rows[0]["pledge_id"] == "russia-keeps-its-embassy-open"
    index = _context(data, package.root)  # what the site's index page lists
    assert {"name": TOY, "rows": 1} in [
        {"name": t["name"], "rows": t["rows"]} for t in index["tables"]
    ]
