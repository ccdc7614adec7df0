"""Rules of the data model that Table Schema cannot state, written column-wise (one pass each).

Hedging, attribution and derived time windows: each rule is a row rule (see checks.py) on the
frame being validated, reported on one field. Everything is read from that frame, the other
tables given as context and the contract; nothing here knows how the tables were built.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..contract import TableSchema
from .checks import filled, row_rule

# Certainty values that need the memo's qualifying words in `hedge` (all but the top of the scale).
UNHEDGED_CERTAINTY = "asserted"
AUTHOR_VIEW = "author"


def hedging_rules(schema: TableSchema) -> list[pa.Check]:
    names = set(schema.field_names)
    out: list[pa.Check] = []
    if not {"hedge", "certainty"} <= names:
        return out

    def certainty(frame: pd.DataFrame) -> np.ndarray:
        below_top = filled(frame["certainty"]) & np.asarray(
            (frame["certainty"].astype("string") != UNHEDGED_CERTAINTY).fillna(True), dtype=bool
        )
        return ~below_top | filled(frame["hedge"])

    out.append(
        row_rule(
            certainty,
            "certainty-needs-hedge",
            "certainty",
            f"a certainty below '{UNHEDGED_CERTAINTY}' must show the memo's words in hedge",
            ["certainty", "hedge"],
        )
    )
    if "likelihood" in names:
        out.append(
            row_rule(
                lambda f: ~filled(f["likelihood"]) | filled(f["hedge"]),
                "band-needs-hedge",
                "likelihood",
                "an ICD 203 band needs the words that name a probability in hedge",
                ["likelihood", "hedge"],
            )
        )
    return out


def attribution_rules(schema: TableSchema, tables: Mapping[str, pd.DataFrame]) -> list[pa.Check]:
    names = set(schema.field_names)
    out: list[pa.Check] = []
    needed = ["attribution", "attributed_to_actor_id"]
    if not set(needed) <= names:
        return out

    def holder(frame: pd.DataFrame) -> np.ndarray:
        by_author = np.asarray(
            (frame["attribution"].astype("string") == AUTHOR_VIEW).fillna(False), dtype=bool
        )
        return by_author != filled(frame["attributed_to_actor_id"])

    out.append(
        row_rule(
            holder,
            "view-holder",
            "attributed_to_actor_id",
            "filled exactly when the view is an actor's (attribution other than 'author')",
            needed,
        )
    )
    links = tables.get("risk_actors")
    if (
        schema.name == "risks"
        and links is not None
        and {"risk_id", "actor_id", "role"} <= set(links.columns)
    ):
        perceiving = links.loc[links["role"].astype("string") == "perceiver"]
        perceivers = pd.MultiIndex.from_arrays(
            [perceiving["risk_id"].astype(object), perceiving["actor_id"].astype(object)]
        )

        def perceives(frame: pd.DataFrame) -> np.ndarray:
            pairs = pd.MultiIndex.from_arrays(
                [frame["risk_id"].astype(object), frame["attributed_to_actor_id"].astype(object)]
            )
            return ~filled(frame["attributed_to_actor_id"]) | pairs.isin(perceivers)

        out.append(
            row_rule(
                perceives,
                "view-holder-perceives",
                "attributed_to_actor_id",
                "the actor whose view a risk is must be one of its perceivers (risk_actors)",
                ["risk_id", "attributed_to_actor_id"],
            )
        )
    return out


def model_rules(schema: TableSchema, tables: Mapping[str, pd.DataFrame]) -> list[pa.Check]:
    """Every rule of this module for one table (row rules on the frame being validated)."""
    return [*hedging_rules(schema), *attribution_rules(schema, tables)]
