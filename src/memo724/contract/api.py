"""The contract's face to the command line: where a package's files are, problems and how they
print, this package's version and the releases whose contracts it knows."""

from __future__ import annotations

from .errors import DatasetError, Problem, visible
from .paths import DESCRIPTOR, REPO, Layout
from .release import known_versions, release_contract
from .version import __version__

__all__ = [
    "DESCRIPTOR",
    "REPO",
    "DatasetError",
    "Layout",
    "Problem",
    "__version__",
    "known_versions",
    "release_contract",
    "visible",
]
