"""PONARS Eurasia Policy Memo No. 724 as a validated data package."""

__version__ = "0.2.0"

from .use.loader import load, load_all, memo_text

__all__ = ["__version__", "load", "load_all", "memo_text"]
