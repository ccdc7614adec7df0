"""The two shapes of derived check: one column's cells, or one boolean per row.

Each check carries its rule (a `contract.errors.Rule` of the catalogue) and the field a failure
is reported on, as attributes of the Pandera check: the validator reads them back from the check
that failed (Pandera names it by position), never from its message. The error text Pandera shows
a user of `memo724.schema()` reads "rule: message", or "rule@field: message" for a row rule.
A row rule is a DataFrame-level Pandera check; the validator reports its failures on that field
only (Pandera lists every cell of a failing row). It receives the frame being validated, so the
same schema checks a user's transformed frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..contract.errors import Rule

# The attribute of a Pandera check that holds what it was built for.
BOUND = "memo724_rule"


@dataclass(frozen=True)
class Bound:
    """What a check of ours reports: its rule, its message, and the field a row rule names."""

    rule: Rule
    message: str
    on_field: str | None = None


def bound(check: pa.Check) -> Bound | None:
    """The rule a check was built for (None for Pandera's own checks)."""
    found = getattr(check, BOUND, None)
    return found if isinstance(found, Bound) else None


def column_check(fn: Callable[[pd.Series], Any], rule: Rule, message: str) -> pa.Check:
    """A column check whose failure cases read 'rule: message' (Pandera reports `error`).

    Missing cells pass, as Pandera's `ignore_na` has them pass, but without it: Pandera would
    copy every column that has a missing cell without them first (`dropna`) and compare the
    indexes after, which at 1M rows cost more than most checks themselves."""

    def run(series: pd.Series) -> Any:
        out = fn(series)
        missing = series.isna().to_numpy(dtype=bool)
        if not missing.any():
            return out
        if isinstance(out, pd.Series):
            out = out.fillna(True)  # a comparison with a missing cell is missing: it passes
        return pd.Series(np.asarray(out, dtype=bool) | missing, index=series.index)

    check = pa.Check(run, name=rule.name, error=f"{rule.name}: {message}", ignore_na=False)
    setattr(check, BOUND, Bound(rule, message))
    return check


def row_rule(
    fn: Callable[[pd.DataFrame], Any],
    rule: Rule,
    field: str,
    message: str,
    needs: Sequence[str],
) -> pa.Check:
    """A check with one boolean per row, reported on `field`; skipped if a column it needs is
    missing (the missing column is reported on its own)."""

    def check(frame: pd.DataFrame) -> pd.Series:
        if any(c not in frame.columns for c in needs):
            return pd.Series(True, index=frame.index)
        return pd.Series(np.asarray(fn(frame), dtype=bool), index=frame.index)

    built = pa.Check(
        check, name=rule.name, error=f"{rule.name}@{field}: {message}", ignore_na=False
    )
    setattr(built, BOUND, Bound(rule, message, field))
    return built


def filled(series: pd.Series) -> np.ndarray:
    """Cells that hold a value (missing and empty text are both empty)."""
    return np.asarray((series.notna() & (series.astype("string") != "")).fillna(False), dtype=bool)
