"""PONARS Eurasia Policy Memo No. 724 as a validated data package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .contract.errors import DatasetError
from .contract.version import __version__
from .use.helpers import describe, evidence, tables
from .use.loader import load, load_all, load_arrow, memo_text

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DatasetError",
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
    foreign keys into other tables and the provenance checks against the memo. It is the schema
    `memo724 validate` derives: the same derived rules are written in (text bounded by the
    memo's length and spreadsheet-safe, `contract.rules.effective_schema`). What `validate` also
    judges is the files' bytes, which a frame no longer has: encoding, control and bidi
    characters, formula-led numbers, CSV structure, hashes. Pandera is imported only here, so
    `import memo724` stays light, and only the `validate` extra installs it.
    """
    from .contract import Contract
    from .contract.rules import effective_schema
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

    layout = package_layout()
    contract = Contract(layout.schemas)
    if table not in contract.tables:
        raise KeyError(f"no table {table!r}; the tables are {', '.join(contract.tables)}")
    code_points = len(memo if memo is not None else memo_text(layout))
    judged = Contract.of(
        {n: effective_schema(n, s.descriptor, code_points) for n, s in contract.tables.items()}
    )
    return derive(judged, table, Context(tables, memo))
