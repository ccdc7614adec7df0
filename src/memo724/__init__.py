"""PONARS Eurasia Policy Memo No. 724 as a validated data package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .contract.version import __version__
from .use.helpers import describe, evidence, tables
from .use.loader import load, load_all, load_arrow, memo_text

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "__version__",
    "describe",
    "evidence",
    "load",
    "load_all",
    "load_arrow",
    "memo_text",
    "schema",
    "tables",
]


def schema(table: str, tables: Mapping[str, Any] | None = None, memo: str | None = None) -> Any:
    """The Pandera schema of one table; it validates the frames `load()` returns.

    `memo724.schema("events").validate(df)` checks every field, key and date rule of the table;
    pass `tables=memo724.load_all()` (or your own frames) and `memo=memo724.memo_text()` to add
    foreign keys into other tables and the provenance checks against the memo. Pandera is
    imported only here, so `import memo724` stays light, and only the `validate` extra installs it.
    """
    from .contract import Contract
    from .use.loader import package_layout

    try:
        from .validation.schemas import Context, derive
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] != "pandera":
            raise
        raise ModuleNotFoundError(
            "memo724.schema() needs pandera, which the validate extra installs: "
            "pip install 'ponars-memo-724[validate]'",
            name="pandera",
        ) from error

    contract = Contract(package_layout().schemas)
    if table not in contract.tables:
        raise KeyError(f"no table {table!r}; the tables are {', '.join(contract.tables)}")
    return derive(contract, table, Context(tables, memo))
