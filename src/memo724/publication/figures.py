"""The figures issue 7 is judged by, measured on a built copy of the package.

Events placed in time, orphan actors, duplicate groups, risks with perceivers, rows saying whose
view they are, sources cited, retired ids: `memo724 figures` prints them.
"""

from __future__ import annotations

import pandas as pd

from ..contract import TABLES, Contract
from ..contract.paths import Layout
from ..curation.audit import (
    allowed_duplicates,
    duplicate_groups,
    orphan_actors,
    retired,
    uncited_sources,
)
from ..validation.validate import read_frame

HAPPENED = ("occurred", "reported")


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})" if whole else f"{part} of 0"


def figures(layout: Layout) -> list[tuple[str, str]]:
    contract = Contract(layout.schemas)
    frames: dict[str, pd.DataFrame] = {name: read_frame(layout.table(name)) for name in TABLES}
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
            ", ".join(
                f"{b} {int(basis.get(b, 0))}"
                for b in ("stated", "anchored", "document-date", "unknown")
            ),
        )
    )
    out.append(("time links", str(len(frames["time_links"]))))

    orphans = orphan_actors(contract, frames)
    out.append(
        ("orphan actors", f"{len(orphans)}" + (f" ({', '.join(orphans)})" if orphans else ""))
    )

    groups = duplicate_groups(contract, frames)
    allowed = allowed_duplicates(layout.curation)
    explained = sum(1 for g in groups if g.records in allowed)
    out.append(
        (
            "duplicate groups (statement records quoting exactly the same spans)",
            f"{len(groups)} ({explained} allowlisted with a reason, {len(groups) - explained} not)",
        )
    )

    risks, links = frames["risks"], frames["risk_actors"]
    perceived = set(links.loc[links["role"] == "perceiver", "risk_id"])
    amplified = set(links.loc[links["role"] == "amplifier", "risk_id"])
    out.append(
        ("risks with a perceiver", _share(len(perceived & set(risks["risk_id"])), len(risks)))
    )
    out.append(
        ("risks with an amplifier", _share(len(amplified & set(risks["risk_id"])), len(risks)))
    )

    for table in ("positions", "risks", "assessments"):
        frame = frames[table]
        attributed = int(frame["attribution"].notna().sum())
        actor = (
            int(frame["attributed_to_actor_id"].notna().sum())
            if "attributed_to_actor_id" in frame
            else int((frame["attribution"] != "author-assessment").sum())
        )
        hedged = int(frame["hedge"].notna().sum())
        below = int((frame["certainty"] != "asserted").sum())
        out.append(
            (
                f"{table} with attribution",
                f"{_share(attributed, len(frame))}; an actor's view {actor}; hedge {hedged};"
                f" certainty below asserted {below}",
            )
        )

    sources = frames["sources"]
    cited = len(sources) - len(uncited_sources(frames))
    out.append(("sources cited by the evidence of a row", _share(cited, len(sources))))
    out.append(("retired ids (curation/retired.yaml)", str(len(retired(layout.curation)))))
    return out


def figures_text(layout: Layout) -> str:
    rows = figures(layout)
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)
