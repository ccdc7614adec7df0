"""PONARS Eurasia Policy Memo No. 724 as a validated data package."""

__version__ = "0.2.0"

from .use.helpers import describe, evidence, tables
from .use.loader import load, load_all, load_arrow, memo_text

__all__ = [
    "__version__",
    "describe",
    "evidence",
    "load",
    "load_all",
    "load_arrow",
    "memo_text",
    "tables",
]
