"""Audits of a built package against the curated lists: one fact one row, links, sources, ids.

Each function takes the tables as frames (text, empty cells missing) and returns what it found,
so the same code answers the tests and the `memo724 figures` command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import Contract
from .records import load_yaml

# Records that state something (actor name quotes and bare link anchors state nothing).
STATEMENT_TABLES = ("events", "positions", "risks", "assessments", "relations", "sources")


@dataclass(frozen=True)
class DuplicateGroup:
    records: tuple[str, ...]  # table/id, sorted
    spans: tuple[tuple[int, int], ...]


def duplicate_groups(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[DuplicateGroup]:
    """Groups of two or more statement records whose evidence quotes exactly the same spans."""
    evidence = frames["evidence"]
    subjects = contract.evidence_subjects
    links = set()
    if "sources" in frames:
        sources = frames["sources"]
        links = set(sources.loc[sources["kind"] == "hyperlink", "source_id"])
    by_spans: dict[tuple[tuple[int, int], ...], list[str]] = {}
    for table in STATEMENT_TABLES:
        column = subjects[table]
        rows = evidence[evidence[column].notna()]
        for record, group in rows.groupby(column):
            if table == "sources" and record in links:
                continue
            starts, ends = group["start"].astype(int), group["end"].astype(int)
            spans = tuple(sorted(zip(starts, ends, strict=True)))
            by_spans.setdefault(spans, []).append(f"{table}/{record}")
    return [
        DuplicateGroup(tuple(sorted(records)), spans)
        for spans, records in sorted(by_spans.items())
        if len(records) > 1
    ]


def allowed_duplicates(curation: Path) -> dict[tuple[str, ...], str]:
    """Allowlisted duplicate groups (sorted table/id tuple) -> reason."""
    path = curation / "duplicate-spans.yaml"
    if not path.is_file():
        return {}
    doc = load_yaml(path, "curation/duplicate-spans.yaml") or {}
    return {
        tuple(sorted(str(r) for r in entry["records"])): str(entry["reason"])
        for entry in doc.get("allowed") or []
    }


def orphan_actors(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[str]:
    """Actors no row of another table refers to (a parent link alone does not count)."""
    referenced: set[str] = set()
    for name, schema in contract.tables.items():
        if name in ("actors", "evidence"):
            continue
        for fk in schema.foreign_keys:
            if fk.resource == "actors" and name in frames and fk.field in frames[name]:
                referenced |= set(frames[name][fk.field].dropna())
    return sorted(set(frames["actors"]["actor_id"]) - referenced)


def uncited_sources(frames: dict[str, pd.DataFrame]) -> list[str]:
    cited = set(frames["evidence"]["cites_source_id"].dropna())
    return sorted(set(frames["sources"]["source_id"]) - cited)


def retired(curation: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, id) -> (replacement, reason) from curation/retired.yaml."""
    path = curation / "retired.yaml"
    if not path.is_file():
        return {}
    doc = load_yaml(path, "curation/retired.yaml") or {}
    return {
        (str(e["table"]), str(e["id"])): (str(e.get("replaced_by") or ""), str(e["reason"]))
        for e in doc.get("retired") or []
    }
