"""Audits of a built package against the curated lists: one fact one row, links, sources, ids.

Each function takes the tables as frames (text, empty cells missing) and returns what it found,
so the same code answers the tests and the `memo724 figures` command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import Contract
from .coverage import HYPERLINK, SOURCE_KIND, coverage_tables

# The table the orphan audit reads by name: every actor should be referred to by some row.
ACTORS = "actors"
# The table the uncited-source audit reads by name: every source should be cited by a span.
SOURCES = "sources"


@dataclass(frozen=True)
class DuplicateGroup:
    records: tuple[str, ...]  # table/id, sorted
    spans: tuple[tuple[int, int], ...]


def duplicate_groups(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[DuplicateGroup]:
    """Groups of two or more statement records whose evidence quotes exactly the same spans."""
    by_spans: dict[tuple[tuple[int, int], ...], list[str]] = {}
    for record, spans in _spans(contract, frames).items():
        by_spans.setdefault(tuple(spans), []).append(record)
    return [
        DuplicateGroup(tuple(sorted(records)), spans)
        for spans, records in sorted(by_spans.items())
        if len(records) > 1
    ]


def _allowed_groups(curation: Path, name: str) -> dict[tuple[str, ...], str]:
    """An allowlist of record groups (sorted table/id tuple) -> reason, from curation/<name>."""
    path = curation / name
    if not path.is_file():
        return {}
    from .records import load_yaml  # ruamel, a curation extra: only where the lists exist

    doc = load_yaml(path, f"curation/{name}") or {}
    return {
        tuple(sorted(str(r) for r in entry["records"])): str(entry["reason"])
        for entry in doc.get("allowed") or []
    }


def allowed_duplicates(curation: Path) -> dict[tuple[str, ...], str]:
    """Allowlisted duplicate groups (sorted table/id tuple) -> reason."""
    return _allowed_groups(curation, "duplicate-spans.yaml")


# Two records that share at least this share of the longer one's evidence code points code
# (facets of) the same words, reworded twins included: they must be linked by a declared key or
# allowlisted with a reason. Measured against the longer side, a short record inside a long
# sentence (an actor's membership named in a judgment) is not counted as the same words.
OVERLAP = 0.5


def _spans(contract: Contract, frames: dict[str, pd.DataFrame]) -> dict[str, list[tuple[int, int]]]:
    """table/id -> evidence spans, for every statement record (bare link anchors left out)."""
    _, evidence_table, sources_table = coverage_tables(contract)  # as coverage counts them
    evidence, sources = frames[evidence_table], frames[sources_table]
    subjects = contract.evidence_subjects
    (key,) = contract[sources_table].primary_key
    links = set(sources.loc[sources[SOURCE_KIND] == HYPERLINK, key])
    out: dict[str, list[tuple[int, int]]] = {}
    for table in contract.statement_tables:
        column = subjects[table]
        rows = evidence[evidence[column].notna()]
        for record, group in rows.groupby(column):
            if table == sources_table and record in links:
                continue
            starts, ends = group["start"].astype(int), group["end"].astype(int)
            out[f"{table}/{record}"] = sorted(zip(starts, ends, strict=True))
    return out


def _links(contract: Contract, frames: dict[str, pd.DataFrame]) -> set[frozenset[str]]:
    """Pairs of statement records joined by a declared key (either direction)."""
    pairs: set[frozenset[str]] = set()
    statements = contract.statement_tables
    for table in statements:
        schema = contract[table]
        frame = frames.get(table)
        if frame is None:
            continue
        pk = schema.primary_key[0]
        for fk in schema.foreign_keys:
            if fk.resource not in statements or fk.field not in frame:
                continue
            for record, target in zip(frame[pk], frame[fk.field], strict=True):
                if isinstance(target, str) and target:
                    pairs.add(frozenset((f"{table}/{record}", f"{fk.resource}/{target}")))
    return pairs


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]], over: str = "longer") -> float:
    """Shared code points of two records' spans over the longer (or shorter) side's total; 0
    when either has no span. Capped at 1: a record's own quotes may overlap each other (a quote
    and its wider context)."""
    la, lb = sum(e - s for s, e in a), sum(e - s for s, e in b)
    if not la or not lb:
        return 0.0
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    return min(1.0, shared / (max(la, lb) if over == "longer" else min(la, lb)))


def unlinked_overlaps(
    contract: Contract, frames: dict[str, pd.DataFrame]
) -> list[tuple[str, str, float]]:
    """Pairs of statement records whose evidence overlaps by OVERLAP or more and that no
    declared key links (table/id, table/id, overlap), sorted."""
    spans = _spans(contract, frames)
    linked = _links(contract, frames)
    records = sorted(spans)
    # Candidates first by shared code points: a sweep over span starts keeps this near-linear.
    points = sorted((s, e, r) for r in records for s, e in spans[r])
    candidates: set[tuple[str, str]] = set()
    active: list[tuple[int, str]] = []
    for s, e, r in points:
        active = [(end, other) for end, other in active if end > s]
        candidates |= {tuple(sorted((r, other))) for _, other in active if other != r}  # type: ignore[misc]
        active.append((e, r))
    out = []
    for a, b in sorted(candidates):
        score = overlap(spans[a], spans[b])
        if score >= OVERLAP and frozenset((a, b)) not in linked:
            out.append((a, b, round(score, 3)))
    return out


def allowed_overlap_groups(curation: Path) -> dict[tuple[str, ...], str]:
    """Allowlisted groups of overlapping records (sorted table/id tuple) -> reason."""
    return _allowed_groups(curation, "overlaps.yaml")


def group_pairs(groups: dict[tuple[str, ...], str]) -> set[tuple[str, str]]:
    """Every pair (sorted table/id pair) of every allowlisted group."""
    return {(a, b) for group in groups for i, a in enumerate(group) for b in group[i + 1 :]}


def explained_overlaps(curation: Path) -> set[tuple[str, str]]:
    """The overlapping pairs a list gives a reason for: overlaps.yaml, and duplicate-spans.yaml
    (identical spans are the extreme overlap)."""
    return group_pairs(allowed_overlap_groups(curation)) | group_pairs(allowed_duplicates(curation))


def orphan_actors(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[str]:
    """Actors no row of another table refers to (a parent link alone does not count)."""
    (key,) = contract.require(ACTORS, by="the orphan-actor audit").primary_key
    referenced: set[str] = set()
    for name, schema in contract.tables.items():
        if name == ACTORS or schema.role == "evidence":  # a name quoted is no reference
            continue
        for fk in schema.foreign_keys:
            if fk.resource == ACTORS and name in frames and fk.field in frames[name]:
                referenced |= set(frames[name][fk.field].dropna())
    return sorted(set(frames[ACTORS][key]) - referenced)


def uncited_sources(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[str]:
    """Sources no evidence row cites (by the evidence's foreign key to the sources). Refused in
    one line (rule `code-reads`) when the schemas have no sources table or no such key."""
    by = "the uncited-source audit"
    (key,) = contract.require(SOURCES, by=by).primary_key
    evidence = contract.only("evidence", by=by)
    cites = contract.require_key(evidence, SOURCES, by=by).field
    cited = set(frames[evidence][cites].dropna())
    return sorted(set(frames[SOURCES][key]) - cited)


def retired(curation: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, id) -> (replacement, reason) from curation/retired.yaml."""
    path = curation / "retired.yaml"
    if not path.is_file():
        return {}
    from .records import load_yaml

    doc = load_yaml(path, "curation/retired.yaml") or {}
    return {
        (str(e["table"]), str(e["id"])): (str(e.get("replaced_by") or ""), str(e["reason"]))
        for e in doc.get("retired") or []
    }
