"""PONARS Eurasia Policy Memo No. 724 as a validated data package."""

__version__ = "0.1.0"
