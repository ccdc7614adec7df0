"""The data-quality figures, measured on a built copy of the package.

Events placed in time, orphan actors, duplicate groups, risks with perceivers, rows saying whose
view they are, sources cited, retired ids: `memo724 figures` prints them.
"""

from __future__ import annotations

import pandas as pd

from ..contract import Contract
from ..contract.paths import Layout
from ..contract.timeline import UNKNOWN
from ..contract.typed import text_frame
from ..curation.audit import (
    allowed_duplicates,
    duplicate_groups,
    explained_overlaps,
    orphan_actors,
    retired,
    uncited_sources,
    unlinked_overlaps,
)
from .reliability import reliability_tables

HAPPENED = ("occurred", "reported")
PERCEIVER, AMPLIFIER = "perceiver", "amplifier"
# The top of the certainty scale, the positions' attribution of the author's own view.
ASSERTED, AUTHOR_ASSESSMENT = "asserted", "author-assessment"


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})" if whole else f"{part} of 0"


# What the figures read by name (the events' windows, the risks' perceivers, the assessments,
# the sources): refused in one line when a schema no longer has it (Contract.require).
READS: dict[str, tuple[str, ...]] = {
    "events": ("factuality", "time_start", "time_end", "time_basis"),
    "time_links": (),
    "risks": ("risk_id",),
    "risk_actors": ("risk_id", "role"),
    "assessments": (),
    "sources": ("source_id",),
}


# The codes they count by their value: refused in one line when an enum no longer has one
# (Contract.require_codes), never counted as zero.
CODES: dict[tuple[str, str], tuple[str, ...]] = {
    ("events", "factuality"): HAPPENED,
    ("risk_actors", "role"): (PERCEIVER, AMPLIFIER),
}
BY = "the README's figures"


def figures(layout: Layout) -> list[tuple[str, str]]:
    contract = Contract(layout.schemas)
    for table, fields in READS.items():
        contract.require(table, *fields, by=BY)
    for (table, field), codes in CODES.items():
        contract.require_codes(table, field, *codes, by=BY)
    frames: dict[str, pd.DataFrame] = {
        name: text_frame(layout.table(name)) for name in contract.tables
    }
    out: list[tuple[str, str]] = []

    events = frames["events"]
    happened = events[events["factuality"].isin(HAPPENED)]
    start, end = happened["time_start"].notna(), happened["time_end"].notna()
    out.append(
        (
            "occurred/reported events with a time window",
            _share(int((start | end).sum()), len(happened)),
        )
    )
    out.append(("  ... bounded on both sides", _share(int((start & end).sum()), len(happened))))
    basis = happened["time_basis"].value_counts()
    out.append(
        (
            "  ... by basis",
            ", ".join(f"{b} {int(basis.get(b, 0))}" for b in contract["events"].enum("time_basis")),
        )
    )
    out.append(("time links", str(len(frames["time_links"]))))

    orphans = orphan_actors(contract, frames)
    out.append(
        ("orphan actors", f"{len(orphans)}" + (f" ({', '.join(orphans)})" if orphans else ""))
    )

    # The allowlists and the retired ids are curation records: a source checkout has them, an
    # installed wheel or a vendored copy does not, and then the counts stand alone.
    lists = layout.curation.is_dir()
    groups = duplicate_groups(contract, frames)
    allowed = allowed_duplicates(layout.curation)
    explained = sum(1 for g in groups if g.records in allowed)
    out.append(
        (
            "duplicate groups (statement records quoting exactly the same spans)",
            f"{len(groups)} ({explained} allowlisted with a reason, {len(groups) - explained} not)"
            if lists
            else f"{len(groups)} (their reasons are in a source checkout's curation/)",
        )
    )

    risks, links = frames["risks"], frames["risk_actors"]
    perceived = set(links.loc[links["role"] == PERCEIVER, "risk_id"])
    amplified = set(links.loc[links["role"] == AMPLIFIER, "risk_id"])
    out.append(
        ("risks with a perceiver", _share(len(perceived & set(risks["risk_id"])), len(risks)))
    )
    out.append(
        ("risks with an amplifier", _share(len(amplified & set(risks["risk_id"])), len(risks)))
    )

    # Tables of views: whose view a row is, how sure, in whose words.
    views = [
        n
        for n, s in contract.tables.items()
        if {"attribution", "hedge", "certainty"} <= set(s.field_names)
    ]
    for table in views:
        frame = frames[table]
        contract.require_codes(table, "certainty", ASSERTED, by=BY)
        attributed = int(frame["attribution"].notna().sum())
        if "attributed_to_actor_id" in frame:
            actor = int(frame["attributed_to_actor_id"].notna().sum())
        else:
            contract.require_codes(table, "attribution", AUTHOR_ASSESSMENT, by=BY)
            actor = int((frame["attribution"] != AUTHOR_ASSESSMENT).sum())
        hedged = int(frame["hedge"].notna().sum())
        below = int((frame["certainty"] != ASSERTED).sum())
        out.append(
            (
                f"{table} with attribution",
                f"{_share(attributed, len(frame))}; an actor's view {actor}; hedge {hedged};"
                f" certainty below asserted {below}",
            )
        )

    # Records placed in time relative to the events (an as-of date and a derived window).
    placed_tables = [
        n for n, s in contract.tables.items() if {"as_of_edtf", "time_basis"} <= set(s.field_names)
    ]
    for table in placed_tables:
        frame = frames[table]
        contract.require_codes(table, "time_basis", UNKNOWN, by=BY)
        placed = int((frame["time_basis"] != UNKNOWN).sum())
        by = frame["time_basis"].value_counts()
        out.append(
            (
                f"{table} placed in time",
                f"{_share(placed, len(frame))}; "
                + ", ".join(f"{b} {int(n)}" for b, n in sorted(by.items())),
            )
        )
    judgments = frames["assessments"]
    about = [c for c in judgments.columns if c.startswith("about_")]
    named = int(judgments[about].notna().any(axis=1).sum())
    out.append(("judgments naming what they judge (about_*)", _share(named, len(judgments))))
    overlaps = unlinked_overlaps(contract, frames)
    with_reason = explained_overlaps(layout.curation)
    listed = sum(1 for a, b, _ in overlaps if (a, b) in with_reason)
    out.append(
        (
            "unlinked records sharing most of their words",
            f"{len(overlaps)} ({listed} allowlisted with a reason, {len(overlaps) - listed} not)"
            if lists
            else f"{len(overlaps)} (their reasons are in a source checkout's curation/)",
        )
    )
    out += reliability_figures(layout)

    sources = frames["sources"]
    cited = len(sources) - len(uncited_sources(contract, frames))
    out.append(("sources cited by the evidence of a row", _share(cited, len(sources))))
    if lists:
        out.append(("retired ids (curation/retired.yaml)", str(len(retired(layout.curation)))))
    return out


def reliability_figures(layout: Layout) -> list[tuple[str, str]]:
    """Unit agreement per table and alpha per field, from reliability/ (before adjudication)."""
    found = reliability_tables(layout.root)
    if found is None:
        return []
    units, fields, _ = found
    out = [("blind second coding, before adjudication", "unit agreement; alpha per field")]
    for u in units:
        alphas = ", ".join(
            f"{r['field']} {float(r['alpha']):.2f}"
            for r in fields
            if r["table"] == u["table"] and r["alpha"]
        )
        out.append(
            (
                f"  {u['table']}",
                f"units {float(u['unit_agreement']):.2f} ({u['both']} both, {u['main_only']} main "
                f"only, {u['blind_only']} blind only)" + (f"; {alphas}" if alphas else ""),
            )
        )
    for child in Contract(layout.schemas).with_role("link"):
        for r in fields:
            if r["table"] == child and r["alpha"]:
                out.append((f"  {child}", f"{r['field']} alpha {float(r['alpha']):.2f}"))
    return out


def figures_text(layout: Layout) -> str:
    rows = figures(layout)
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)
