"""The blind second coding's figures as written to reliability/ (units, agreement per field,
adjudication), read once for the data card, the site and `memo724 figures`."""

from __future__ import annotations

from pathlib import Path

from ..contract.typed import text_rows

FILES = ("units", "agreement", "adjudication")


def reliability_tables(root: Path) -> tuple[list[dict[str, str]], ...] | None:
    """The rows of reliability/units.csv, agreement.csv and adjudication.csv (empty cells as
    ""), or None when the copy has no second coding. Read by the contract's row reader, so a
    damaged file is refused by row (DatasetError), never with a parser's own words."""
    folder = root / "reliability"
    if not (folder / "units.csv").is_file():
        return None
    return tuple(text_rows(folder / f"{name}.csv") for name in FILES)
