"""The two shapes of derived check: one column's cells, or one boolean per row.

A row rule is a DataFrame-level Pandera check whose error reads "rule@field: message"; the
validator reports its failures on that field only (Pandera lists every cell of a failing row).
It receives the frame being validated, so the same schema checks a user's transformed frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa


def column_check(fn: Callable[[pd.Series], Any], rule: str, message: str) -> pa.Check:
    """A column check whose failure cases read 'rule: message' (Pandera reports `error`)."""
    return pa.Check(fn, name=rule, error=f"{rule}: {message}")


def row_rule(
    fn: Callable[[pd.DataFrame], Any],
    rule: str,
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

    return pa.Check(check, name=rule, error=f"{rule}@{field}: {message}", ignore_na=False)


def filled(series: pd.Series) -> np.ndarray:
    """Cells that hold a value (missing and empty text are both empty)."""
    return np.asarray((series.notna() & (series.astype("string") != "")).fillna(False), dtype=bool)
