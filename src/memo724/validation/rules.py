"""Rules of the data model that Table Schema cannot state, written column-wise (one pass each).

Hedging, attribution and derived time windows: each rule returns, per field it is reported on,
the Pandera checks to add. Everything is read from the frames of the copy being validated and
from the contract; nothing here knows how the tables were built.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from ..contract import TableSchema

# Certainty values that need the memo's qualifying words in `hedge` (all but the top of the scale).
UNHEDGED_CERTAINTY = "asserted"
AUTHOR_VIEW = "author"


def _check(fn: Callable[[pd.Series], pd.Series], rule: str, message: str) -> pa.Check:
    return pa.Check(fn, name=rule, error=f"{rule}: {message}")


def _filled(frame: pd.DataFrame, field: str) -> pd.Series:
    return frame[field].notna() & (frame[field] != "")


def hedging_rules(schema: TableSchema, frame: pd.DataFrame) -> dict[str, list[pa.Check]]:
    names = set(schema.field_names)
    out: dict[str, list[pa.Check]] = {}
    if not {"hedge", "certainty"} <= names or not {"hedge", "certainty"} <= set(frame.columns):
        return out
    hedged = _filled(frame, "hedge")
    below_top = frame["certainty"].notna() & (frame["certainty"] != UNHEDGED_CERTAINTY)
    out["certainty"] = [
        _check(
            lambda s: (~below_top | hedged).reindex(s.index),
            "certainty-needs-hedge",
            f"a certainty below '{UNHEDGED_CERTAINTY}' must show the memo's words in hedge",
        )
    ]
    if "likelihood" in names and "likelihood" in frame.columns:
        banded = _filled(frame, "likelihood")
        out["likelihood"] = [
            _check(
                lambda s: (~banded | hedged).reindex(s.index),
                "band-needs-hedge",
                "an ICD 203 band needs the words that name a probability in hedge",
            )
        ]
    return out


def attribution_rules(
    schema: TableSchema, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]
) -> dict[str, list[pa.Check]]:
    names = set(schema.field_names)
    out: dict[str, list[pa.Check]] = {}
    needed = {"attribution", "attributed_to_actor_id"}
    if not needed <= names or not needed <= set(frame.columns):
        return out
    by_author = frame["attribution"] == AUTHOR_VIEW
    named = _filled(frame, "attributed_to_actor_id")
    out["attributed_to_actor_id"] = [
        _check(
            lambda s: (by_author != named).reindex(s.index),
            "view-holder",
            "filled exactly when the view is an actor's (attribution other than 'author')",
        )
    ]
    links = frames.get("risk_actors")
    if (
        schema.name == "risks"
        and links is not None
        and {"risk_id", "actor_id", "role"} <= set(links.columns)
    ):
        perceivers = set(
            zip(
                links.loc[links["role"] == "perceiver", "risk_id"],
                links.loc[links["role"] == "perceiver", "actor_id"],
                strict=True,
            )
        )
        pairs = pd.Series(
            list(zip(frame["risk_id"], frame["attributed_to_actor_id"], strict=True)),
            index=frame.index,
        )
        ok = ~named | pairs.map(lambda p: p in perceivers).astype(bool)
        out["attributed_to_actor_id"].append(
            _check(
                lambda s: ok.reindex(s.index),
                "view-holder-perceives",
                "the actor whose view a risk is must be one of its perceivers (risk_actors)",
            )
        )
    return out


def model_rules(schema: TableSchema, frames: dict[str, pd.DataFrame]) -> dict[str, list[pa.Check]]:
    """Every rule of this module for one table, keyed by the field a failure is reported on."""
    frame = frames.get(schema.name)
    out: dict[str, list[pa.Check]] = {}
    if frame is None:
        return out
    for rules in (hedging_rules(schema, frame), attribution_rules(schema, frame, frames)):
        for field, checks in rules.items():
            out.setdefault(field, []).extend(checks)
    return out
