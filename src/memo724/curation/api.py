"""The curation stage's face: what the command line calls. Each name is imported when first
used (_lazy.py), so a command loads only its own part of the stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .agreement import RELIABILITY_DIR, refresh_reliability
    from .blind import check_part
    from .coverage import copy_coverage
    from .manual import MANUAL_PATH, refresh_manual

__all__ = [
    "MANUAL_PATH",
    "RELIABILITY_DIR",
    "check_part",
    "copy_coverage",
    "refresh_manual",
    "refresh_reliability",
]

__getattr__ = lazy_exports(
    "memo724.curation",
    {
        "MANUAL_PATH": ".manual",
        "RELIABILITY_DIR": ".agreement",
        "check_part": ".blind",
        "copy_coverage": ".coverage",
        "refresh_manual": ".manual",
        "refresh_reliability": ".agreement",
    },
)
