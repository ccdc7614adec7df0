"""The memo itself: its text as shipped and its hash. Offsets in the data count its code points."""

from __future__ import annotations

import hashlib
from pathlib import Path


def read_memo(path: Path) -> str:
    # newline="" keeps the bytes' line ends: offsets count code points of the file as shipped.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
