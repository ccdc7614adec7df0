"""The version of this package and the order of versions: every piece of version logic.

`__version__` is the one place the version is written: hatchling reads it from this file
([tool.hatch.version] in pyproject.toml), the Makefile reinstalls when it changes, and
`memo724.__version__` is this one. Releases are ordered by PEP 440 (0.9.0 before 0.10.0).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__version__ = "0.5.2"


def version_key(version: str) -> tuple[int, Any]:
    """Sort key of a version in release order; a name that is no version sorts last, as text.

    packaging is imported here, not at the top: only validation and the changelog ask, and
    their extras (Pandera, hatchling) bring it along; `import memo724` stays light.
    """
    from packaging.version import InvalidVersion, Version

    try:
        return (0, Version(version))
    except InvalidVersion:
        return (1, version)


def version_order(versions: Iterable[str]) -> list[str]:
    """Versions in release order (0.9.0 before 0.10.0)."""
    return sorted(versions, key=version_key)
