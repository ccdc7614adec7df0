"""Validation: any copy of the package judged against the contract."""
