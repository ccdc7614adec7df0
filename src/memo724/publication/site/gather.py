"""What the site shows, read from one copy of the package through its contract.

Every table is read as text rows whose columns are the schema's fields, so a column or a table
added to the contract reaches the site without a change here: the reader lists every field of a
record, and every table with a single-column key can be opened by a deep link `#<table>/<id>`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ...contract import Contract, TableSchema, singular
from ...contract.memo import read_memo
from ...contract.paths import Layout
from ...contract.typed import text_rows


@dataclass(frozen=True)
class Table:
    """One table as the site uses it: its schema and its rows as text (empty cells dropped)."""

    name: str
    schema: TableSchema
    rows: list[dict[str, str]]

    @property
    def key(self) -> str | None:
        """The key column, when the primary key is a single column."""
        pk = self.schema.primary_key
        return pk[0] if len(pk) == 1 else None

    @property
    def label(self) -> str:
        """The field that names a row in a list: the schema's `labelField`, else its first."""
        return self.schema.label_field or self.schema.field_names[0]

    def row(self, key: str) -> dict[str, str]:
        if self.key is None:
            raise KeyError(f"{self.name} has no single-column key")
        for row in self.rows:
            if row.get(self.key) == key:
                return row
        raise KeyError(f"no {key!r} in {self.name}")


@dataclass(frozen=True)
class Evidence:
    """One evidence span: the record it supports and where its words are in the memo."""

    evidence_id: str
    table: str
    record_id: str
    start: int
    end: int
    exact: str
    passage_id: str
    # Other references the span carries, e.g. the footnote it cites: (column, table, id).
    refs: tuple[tuple[str, str, str], ...] = ()

    @property
    def kind(self) -> str:
        return singular(self.table)


@dataclass(frozen=True)
class SiteData:
    contract: Contract
    tables: dict[str, Table]
    memo: str
    evidence: list[Evidence] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    # The descriptor's resources (the memo and every table's CSV) with their paths and types.
    resources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def record_tables(self) -> list[str]:
        """Tables whose rows evidence supports, in the contract's order: the kinds of marks."""
        return [t for t in self.contract.tables if t in self.contract.evidence_subjects]

    @cached_property
    def document(self) -> dict[str, str]:
        return self.tables[self.contract.only("document", by="the site")].rows[0]

    def passages(self) -> list[dict[str, str]]:
        passages = self.tables[self.contract.only("structure", by="the site's reader")]
        return sorted(passages.rows, key=lambda p: int(p["ordinal"]))

    def counts(self) -> dict[str, int]:
        return {name: len(t.rows) for name, t in self.tables.items()}


def read_rows(path: Path, schema: TableSchema) -> list[dict[str, str]]:
    """The rows of a CSV as text, in file order, each with the schema's fields that are filled."""
    return [{f: row[f] for f in schema.field_names if row.get(f)} for row in text_rows(path)]


def _evidence(contract: Contract, rows: list[dict[str, str]]) -> list[Evidence]:
    subjects = contract.evidence_subjects  # table -> evidence column
    other_refs = [
        fk
        for fk in contract[contract.only("evidence", by="the site's marks")].foreign_keys
        if contract[fk.resource].role not in ("document", "structure")
        and subjects.get(fk.resource) != fk.field
    ]
    spans = []
    for row in rows:
        table, record = next(
            (t, row[col]) for t, col in subjects.items() if row.get(col) not in (None, "")
        )
        refs = tuple((fk.field, fk.resource, row[fk.field]) for fk in other_refs if fk.field in row)
        spans.append(
            Evidence(
                evidence_id=row["evidence_id"],
                table=table,
                record_id=record,
                start=int(row["start"]),
                end=int(row["end"]),
                exact=row["exact"],
                passage_id=row.get("passage_id", ""),
                refs=refs,
            )
        )
    return spans


def gather(layout: Layout, descriptor: Path | None = None) -> SiteData:
    """Read every table of the copy at layout, the memo and a descriptor's metadata.

    descriptor defaults to the copy's own; a release passes its source's, since the release's
    descriptor is written last (it lists the site's files with their hashes).
    """
    descriptor = descriptor or layout.descriptor
    contract = Contract(layout.schemas)
    tables = {
        name: Table(name, contract[name], read_rows(layout.table(name), contract[name]))
        for name in contract.tables
    }
    metadata: dict[str, Any] = {}
    resources: list[dict[str, Any]] = []
    if descriptor.is_file():
        desc = json.loads(descriptor.read_text(encoding="utf-8"))
        metadata = {k: v for k, v in desc.items() if k not in ("resources", "files", "build")}
        resources = list(desc.get("resources", []))
    return SiteData(
        contract=contract,
        tables=tables,
        memo=read_memo(layout.memo),
        evidence=_evidence(contract, tables[contract.only("evidence", by="the site")].rows),
        metadata=metadata,
        resources=resources,
    )


@dataclass(frozen=True)
class Mention:
    """One place the memo names an actor in words its evidence or `names_as_written` use."""

    start: int
    end: int
    actors: tuple[str, ...]  # more than one when two actors are written the same way


def mentions(data: SiteData) -> list[Mention]:
    """Every mention of every actor, in text order.

    An actor's evidence marks one quote per spelling; a reader wants every place it is named. A
    spelling is the exact words of one of its evidence spans or one of its `names_as_written`; it
    matches as whole words, case and all. The evidence's own spans are mentions as coded (nested
    ones too); elsewhere, where spellings overlap, the longest wins ("the Taliban government" is
    the de facto authorities, not a mention of the Taliban inside it): a tokenizer's rule, written
    here because it is a dozen lines over the memo's own strings.
    """
    data.contract.require("actors", "actor_id", "names_as_written", by="the reader's mentions")
    spellings: dict[str, set[str]] = {}
    # What the evidence marks is a mention as coded, nested or not; the text adds the rest.
    found: dict[tuple[int, int], set[str]] = {}
    for ev in data.evidence:
        if ev.table == "actors":
            spellings.setdefault(ev.exact, set()).add(ev.record_id)
            found.setdefault((ev.start, ev.end), set()).add(ev.record_id)
    coded = list(found)
    for row in data.tables["actors"].rows:
        for name in row.get("names_as_written", "").split(" | "):
            if name.strip():
                spellings.setdefault(name.strip(), set()).add(row["actor_id"])
    matches: dict[tuple[int, int], set[str]] = {}
    for words, actors in spellings.items():
        pattern = re.compile(r"(?<!\w)" + re.escape(words) + r"(?!\w)")
        for m in pattern.finditer(data.memo):
            matches.setdefault((m.start(), m.end()), set()).update(actors)
    taken = list(coded)
    for (start, end), actors in sorted(
        matches.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0])
    ):
        if (start, end) in found:
            found[(start, end)].update(actors)
        elif not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            found[(start, end)] = set(actors)
    kept = [Mention(s, e, tuple(sorted(actors))) for (s, e), actors in found.items()]
    return sorted(kept, key=lambda m: (m.start, m.end))
