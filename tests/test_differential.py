"""Frictionless and the derived schemas agree on every random single-cell or single-row change.

A small synthetic package (scripts/synthetic.py, every rule satisfied) is broken one cell or one
row at a time, seeded; each copy is validated by both. On the rules Table Schema states, the two
must give the same verdict: both valid or both invalid. (Provenance rules are the derived side's
alone, so they are left out of the comparison; a change that breaks only them counts as valid.)
Where this project is deliberately stricter than Frictionless, the last test pins the difference.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pytest
from synthetic import write_package

from memo724.contract import TABLES, Contract
from memo724.contract.errors import Problem
from memo724.contract.files import MAX_CELL_CHARS
from memo724.contract.paths import Layout
from memo724.publication.package import csv_text, write_descriptor
from memo724.validation.drift import judge_own
from memo724.validation.schemas import TABLE_SCHEMA_RULES

SEED = 724
MUTATIONS = 24
Row = dict[str, str]

# Values a careless edit or a broken export leaves behind, for every type.
POOL = [
    "",
    "x1",
    "Not Valid!",
    "-1",
    "0",
    "+3",
    "1.5",
    "007",
    "2021-02-30",
    "2021-13-01",
    "2021-08-15",
    "true",
    "zz-no-such-row",
    "a" * 130,
    "Ünïcödé",
    "with, comma",
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    return write_package(tmp_path_factory.mktemp("synthetic") / "pkg", rows=160, seed=SEED)


def read_rows(layout: Layout, name: str) -> list[Row]:
    with layout.table(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mutate(rng: random.Random, contract: Contract, tables: dict[str, list[Row]]) -> str:
    """Change one cell or one row of one table in place; describe the change."""
    name = rng.choice([n for n in TABLES if tables[n]])
    rows = tables[name]
    i = rng.randrange(len(rows))
    kind = rng.random()
    if kind < 0.08:
        del rows[i]
        return f"{name}: row {i + 2} deleted"
    if kind < 0.16:
        rows.append(dict(rows[i]))
        return f"{name}: row {i + 2} duplicated"
    field = rng.choice(contract[name].field_names)
    source = rng.random()
    if source < 0.5:
        value = rng.choice(POOL)
    elif source < 0.7:  # a value of the same column elsewhere (a key copied: a duplicate)
        value = rng.choice(rows)[field]
    elif source < 0.85:  # a value of another column of the same row
        value = rows[i][rng.choice(contract[name].field_names)]
    else:  # a key of another table (a foreign key pointing at the wrong table)
        other = rng.choice([n for n in TABLES if tables[n]])
        value = rng.choice(tables[other])[contract[other].field_names[0]]
    before = rows[i][field]
    rows[i][field] = value
    return f"{name}: row {i + 2} {field} {before!r} -> {value!r}"


# The default path's labels: memo724's own reader (structural damage), Pandera's schemas.
DEFAULT_PATH = ("memo724", "pandera")


def verdicts(problems: list[Problem]) -> tuple[bool, bool]:
    frictionless = any(p.validator == "frictionless" for p in problems)
    derived = any(p.validator in DEFAULT_PATH and p.rule in TABLE_SCHEMA_RULES for p in problems)
    return frictionless, derived


def write(layout: Layout, contract: Contract, tables: dict[str, list[Row]]) -> None:
    for name in TABLES:
        text = csv_text(contract[name].field_names, tables[name])
        layout.table(name).write_text(text, encoding="utf-8", newline="")
    write_descriptor(layout, contract)  # fresh hashes: only the change itself may be reported


def test_both_validators_agree_on_random_changes(synthetic: Layout, tmp_path: Path) -> None:
    contract = Contract(synthetic.schemas)
    assert judge_own(synthetic) == []
    original = {n: read_rows(synthetic, n) for n in TABLES}
    rng = random.Random(SEED)
    disagreements, invalid = [], 0
    for k in range(MUTATIONS):
        layout = Layout(tmp_path / f"m{k}")
        shutil.copytree(synthetic.root, layout.root)
        tables = {n: [dict(r) for r in rows] for n, rows in original.items()}
        change = mutate(rng, contract, tables)
        write(layout, contract, tables)
        problems = judge_own(layout)
        frictionless, derived = verdicts(problems)
        invalid += frictionless
        if frictionless != derived:
            shown = "\n    ".join(str(p) for p in problems[:6])
            disagreements.append(
                f"{change}: frictionless {frictionless}, derived {derived}\n    {shown}"
            )
        shutil.rmtree(layout.root)
    print(f"\n{MUTATIONS} random changes, {invalid} invalid, both validators agreeing on each")
    assert not disagreements, "\n".join(disagreements)
    assert MUTATIONS // 4 < invalid < MUTATIONS  # the changes exercise both verdicts


# Cells Frictionless accepts though Table Schema's lexical forms do not allow them.
STRICTER = {
    ("passages", "ordinal"): [" 1", "1_000000"],
    ("sources", "date_start"): ["2021-1-5"],
}


@pytest.mark.parametrize(("table", "field"), sorted(STRICTER))
def test_where_the_derived_schemas_are_stricter(
    synthetic: Layout, tmp_path: Path, table: str, field: str
) -> None:
    contract = Contract(synthetic.schemas)
    for value in STRICTER[(table, field)]:
        layout = Layout(tmp_path / "strict")
        shutil.copytree(synthetic.root, layout.root, dirs_exist_ok=True)
        tables = {n: read_rows(synthetic, n) for n in TABLES}
        tables[table][0][field] = value
        write(layout, contract, tables)
        problems = judge_own(layout)
        assert not any(p.validator == "frictionless" and p.field == field for p in problems)
        assert any(
            p.validator == "pandera" and p.rule == "type" and p.field == field and p.row == 2
            for p in problems
        ), value


def stray_quote(line: str) -> str:
    """The line with a quote opening its fourth cell and never closed on the line."""
    cells = next(csv.reader([line]))
    head, tail = (csv_text(part, []).rstrip("\n") for part in (cells[:3], cells[3:]))
    return f'{head},"{tail}'


# Structural damage of row 3 of risks (a record per line), as the rule the derived side names.
STRUCTURAL = {
    "too many cells": ("cell-count", lambda line: line + ",surplus"),
    "too few cells": ("cell-count", lambda line: line.rsplit(",", 1)[0]),
    "unclosed quote": ("unclosed-quote", stray_quote),
    # The cell is set before writing, in a coded field: the contract as written bounds no free
    # text (the memo's length bounds it in a judged copy, where Frictionless reports maxLength).
    "oversized cell": ("cell-size", lambda line: line),
}


@pytest.mark.parametrize("kind", sorted(STRUCTURAL))
def test_both_validators_refuse_structural_damage(
    synthetic: Layout, tmp_path: Path, kind: str
) -> None:
    """A row pyarrow cannot read: Frictionless finds the file invalid too, and the derived side
    names the row under a rule of the CSV's structure (a Table Schema rule for the verdict)."""
    contract = Contract(synthetic.schemas)
    rule, edit = STRUCTURAL[kind]
    layout = Layout(tmp_path / "damaged")
    shutil.copytree(synthetic.root, layout.root)
    tables = {n: read_rows(synthetic, n) for n in TABLES}
    if kind == "oversized cell":
        tables["risks"][1]["category"] = "A" * (MAX_CELL_CHARS + 1)
    write(layout, contract, tables)
    path = layout.table("risks")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == len(tables["risks"]) + 2  # a record per line
    lines[2] = edit(lines[2])
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    write_descriptor(layout, contract)
    problems = judge_own(layout)
    assert verdicts(problems) == (True, True), problems[:6]
    assert any(
        p.validator == "memo724" and p.rule == rule and p.where == "risks" and p.row == 3
        for p in problems
    ), problems[:6]
