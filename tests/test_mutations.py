"""The derivation is complete: every constraint of every schema is enforced by both validators.

For each type, constraint, primary key and foreign key, one value of a valid package is broken;
Frictionless and the derived Pandera schemas must each report that table, row and field under
that rule. To keep the suite fast, each round breaks one rule in every table at once (tables
do not share rows, so each report is still attributable).
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from memo724.contract import TABLES, Contract
from memo724.contract.errors import Problem
from memo724.contract.paths import Layout
from memo724.publication.package import csv_text, write_descriptor
from memo724.validation.drift import judge_own

BAD_TYPE = {"integer": "x1", "number": "one", "date": "2021-13-45", "boolean": "perhaps"}


@dataclass(frozen=True)
class Mutation:
    table: str
    rule: str  # the rule both validators must name
    field: str | None  # None: a whole-row rule (primary key)
    value: str | None  # None: duplicate a row instead of setting a value
    accept: frozenset[str] = frozenset()  # other rule names that also prove the catch

    @property
    def label(self) -> str:
        return f"{self.table}.{self.field or '*'}:{self.rule}"


def mutations_for(contract: Contract, name: str, rows: list[dict[str, str]]) -> list[Mutation]:
    schema = contract[name]
    out: list[Mutation] = []
    for field in schema.fields:
        fname, ftype = field["name"], field.get("type", "string")
        c = field.get("constraints", {})
        if ftype in BAD_TYPE:
            out.append(Mutation(name, "type", fname, BAD_TYPE[ftype]))
        if c.get("required"):
            out.append(Mutation(name, "required", fname, ""))
        if c.get("unique"):
            other = next(
                (r[fname] for r in rows[1:] if r[fname] and r[fname] != rows[0][fname]), None
            )
            if other is not None:
                out.append(Mutation(name, "unique", fname, other, frozenset({"primaryKey"})))
            else:  # a one-row table: a duplicated row repeats every unique value
                out.append(Mutation(name, "unique", fname, None, frozenset({"primaryKey"})))
        if "enum" in c:
            out.append(Mutation(name, "enum", fname, "zz-not-a-code"))
        if "pattern" in c:
            out.append(Mutation(name, "pattern", fname, "Not Valid!"))
        if "maxLength" in c:
            out.append(Mutation(name, "maxLength", fname, "a" * (c["maxLength"] + 1)))
        if "minLength" in c:
            out.append(Mutation(name, "minLength", fname, "a" * (c["minLength"] - 1) or None))
        if "minimum" in c:
            out.append(Mutation(name, "minimum", fname, str(c["minimum"] - 1)))
        if "maximum" in c:
            out.append(Mutation(name, "maximum", fname, str(c["maximum"] + 1)))
    out.append(Mutation(name, "primaryKey", None, None, frozenset({"unique"})))
    for fk in schema.foreign_keys:
        out.append(Mutation(name, "foreignKey", fk.field, "zz-no-such-row"))
    return out


def read_rows(layout: Layout, name: str) -> list[dict[str, str]]:
    with layout.table(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def apply(layout: Layout, contract: Contract, m: Mutation, rows: list[dict[str, str]]) -> set[int]:
    """Write the mutated table; return the CSV row numbers (header = 1) a report may name."""
    rows = [dict(r) for r in rows]
    if m.value is None:
        rows.append(dict(rows[0]))
        broken = {2, len(rows) + 1}  # either copy of a duplicated row may be the one reported
    else:
        # A value copied from another row makes both rows duplicates.
        broken = {2} | {
            i + 2 for i, r in enumerate(rows) if m.rule == "unique" and r[m.field] == m.value
        }
        rows[0][m.field] = m.value
    layout.table(m.table).write_text(
        csv_text(contract[m.table].field_names, rows), encoding="utf-8"
    )
    return broken


def caught(problems: list[Problem], m: Mutation, rows: set[int], validator: str) -> bool:
    rules = {m.rule} | set(m.accept)
    for p in problems:
        if (
            p.validator != validator
            or p.where != m.table
            or p.rule not in rules
            or p.row not in rows
        ):
            continue
        row_level = p.rule in ("primaryKey", "foreignKey") and p.field is None
        if row_level or m.field is None or p.field == m.field:
            return True
    return False


def rounds(pristine: Layout, contract: Contract) -> list[list[Mutation]]:
    per_table = {n: mutations_for(contract, n, read_rows(pristine, n)) for n in TABLES}
    depth = max(len(v) for v in per_table.values())
    return [[v[i] for v in per_table.values() if i < len(v)] for i in range(depth)]


def test_every_constraint_is_enforced_by_both_validators(
    pristine: Layout, contract: Contract, tmp_path: Path
) -> None:
    originals = {n: read_rows(pristine, n) for n in TABLES}
    missed: list[str] = []
    checked = 0
    for i, batch in enumerate(rounds(pristine, contract)):
        layout = Layout(tmp_path / f"round-{i}")
        shutil.copytree(pristine.root, layout.root)
        rows_broken = {m.label: apply(layout, contract, m, originals[m.table]) for m in batch}
        write_descriptor(layout, contract)  # fresh hashes: only the broken value may be reported
        problems = judge_own(layout)
        for m in batch:
            checked += 1
            for validator in ("frictionless", "pandera"):
                if not caught(problems, m, rows_broken[m.label], validator):
                    missed.append(f"{validator} missed {m.label} = {m.value!r}")
    print(f"\n{checked} constraint mutations, each caught by Frictionless and Pandera")
    assert checked > 100
    assert not missed, "\n".join(missed)


def test_mutation_list_covers_every_constraint_in_the_schemas(
    contract: Contract, pristine: Layout
) -> None:
    for name in TABLES:
        labels = {
            (m.field, m.rule) for m in mutations_for(contract, name, read_rows(pristine, name))
        }
        for field in contract[name].fields:
            for rule in field.get("constraints", {}):
                assert (field["name"], rule) in labels, (
                    f"{name}.{field['name']}:{rule} is never broken"
                )
        for fk in contract[name].foreign_keys:
            assert (fk.field, "foreignKey") in labels


def test_a_clean_copy_has_no_problems(pristine: Layout) -> None:
    assert judge_own(pristine, frictionless=False) == []


def case_twin(value: str) -> str:
    """The same key in other letter case ("russia" -> "Russia")."""
    twin = value[:1].upper() + value[1:]
    return twin if twin != value else value.swapcase()


def test_a_foreign_key_differing_only_in_letter_case_is_reported_by_both_validators(
    pristine: Layout, contract: Contract, tmp_path: Path
) -> None:
    """`Russia` is not the actor `russia`: keys match exactly, as Table Schema compares them.

    Each foreign key gets its own row (a key's own value in other case, where the row has one),
    so one report per key is expected; a table with fewer rows than keys takes another round.
    """
    originals = {n: read_rows(pristine, n) for n in TABLES}
    targets = {
        (fk.resource, fk.ref_field): {r[fk.ref_field] for r in originals[fk.resource]}
        for n in TABLES
        for fk in contract[n].foreign_keys
    }
    rounds: list[dict[str, dict[int, tuple[str, str]]]] = []  # table -> row -> (field, twin)
    for name in TABLES:
        rows = originals[name]
        for k, fk in enumerate(contract[name].foreign_keys):
            keys = targets[(fk.resource, fk.ref_field)]
            index, depth = k % len(rows), k // len(rows)
            own = rows[index][fk.field]
            cased = sorted(key for key in keys if key.lower() != key.upper())
            meant = own if own.lower() != own.upper() else cased[0]
            twin = case_twin(meant)
            assert twin != meant and twin.lower() == meant.lower() and twin not in keys
            while len(rounds) <= depth:
                rounds.append({})
            rounds[depth].setdefault(name, {})[index] = (fk.field, twin)
    assert len(rounds) <= 2  # only documents (one row, two keys) needs a second round
    missed, checked = [], 0
    for i, batch in enumerate(rounds):
        layout = Layout(tmp_path / f"case-{i}")
        shutil.copytree(pristine.root, layout.root)
        for name, edits in batch.items():
            rows = [dict(r) for r in originals[name]]
            for index, (field, twin) in edits.items():
                rows[index][field] = twin
            layout.table(name).write_text(
                csv_text(contract[name].field_names, rows), encoding="utf-8"
            )
        write_descriptor(layout, contract)
        problems = judge_own(layout)
        for name, edits in batch.items():
            for index, (field, twin) in edits.items():
                checked += 1
                m = Mutation(name, "foreignKey", field, twin)
                for validator in ("frictionless", "pandera"):
                    if not caught(problems, m, {index + 2}, validator):
                        missed.append(f"{validator} accepted {name}.{field} = {twin!r}")
    assert checked == sum(len(contract[n].foreign_keys) for n in TABLES)
    assert not missed, "\n".join(missed)
