"""The contract: the Table Schemas read as objects, the memo as text and hash, typed columns.

Every other stage imports from here; this stage imports no other.
"""

from .schema import (
    CONTEXT_CHARS,
    FALSE_VALUES,
    NAME_SEPARATOR,
    TABLES,
    TRUE_VALUES,
    Contract,
    ForeignKey,
    TableSchema,
    singular,
)

__all__ = [
    "CONTEXT_CHARS",
    "FALSE_VALUES",
    "NAME_SEPARATOR",
    "TABLES",
    "TRUE_VALUES",
    "Contract",
    "ForeignKey",
    "TableSchema",
    "singular",
]
