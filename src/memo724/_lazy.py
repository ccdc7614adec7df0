"""Names a stage's face (its api module) exports, each imported when first asked for."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module __getattr__ (PEP 562) giving each exported name from its module (relative to
    package), imported on first use: one face per stage, while each command loads only what it
    runs (the `figures` command needs neither the curation nor the validation extra)."""

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package}.api has no attribute {name!r}")
        return getattr(import_module(where[name], package), name)

    return __getattr__
