"""A folder's files by content, to measure which files a change touched (rather than have the
change say so itself)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree(root: Path) -> dict[str, str]:
    """Every file under root (its path relative to root) with the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The files added, removed or rewritten with other bytes between two trees."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
