"""What changed in the data since the previous release: rows added, removed and changed, by id.

Each release leaves a snapshot in releases/<version>.json: per table, each row's key and a digest
of its CSV text. The next version's CHANGELOG entry is generated against the latest snapshot.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..contract import Contract
from ..contract.errors import Problem
from ..contract.paths import Layout
from ..contract.typed import text_rows
from ..contract.version import version_key
from ..curation.audit import retired
from .package import csv_text

Snapshot = dict[str, dict[str, str]]


def row_digests(layout: Layout, contract: Contract) -> Snapshot:
    out: Snapshot = {}
    for name in contract.tables:
        schema = contract[name]
        rows = text_rows(layout.table(name))
        # 16 hex digits of sha256: ample to tell a changed row among a few thousand.
        out[name] = {
            "/".join(row[k] for k in schema.primary_key): hashlib.sha256(
                csv_text(schema.field_names, [row]).encode("utf-8")
            ).hexdigest()[:16]
            for row in rows
        }
    return out


def changelog_top_entry(root: Path) -> tuple[str, str] | None:
    """Version and date (or 'Unreleased') of the first '## [X.Y.Z] - ...' entry in CHANGELOG.md."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    # Our own reader, on purpose: only the entry heads of our own CHANGELOG are read, and a
    # Markdown or keep-a-changelog library would be a dependency for one regular expression.
    match = re.search(r"^## \[([^\]]+)\] - (.+)$", text, re.MULTILINE)
    return (match.group(1), match.group(2)) if match else None


def release_date(root: Path, version: str) -> str | None:
    """The date of `version`'s CHANGELOG entry when it is the top entry and dated (YYYY-MM-DD),
    else None: the one rule for "this version is ready to release"."""
    top = changelog_top_entry(root)
    if top is None or top[0] != version or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", top[1]):
        return None
    return top[1]


def changelog_problems(root: Path, version: str) -> list[Problem]:
    """What stops `version` from being released: CHANGELOG.md's top entry must be it, dated."""
    if release_date(root, version) is not None:
        return []
    return [
        Problem(
            "CHANGELOG.md",
            "changelog-entry",
            f"the top entry must be '## [{version}] - YYYY-MM-DD' to release {version}",
        )
    ]


def snapshot_path(root: Path, version: str) -> Path:
    return root / "releases" / f"{version}.json"


def previous_snapshot(root: Path, version: str) -> tuple[str, Snapshot] | None:
    """The latest snapshot of a version before `version`, if any."""
    older = [
        p.stem
        for p in (root / "releases").glob("*.json")
        if version_key(p.stem) < version_key(version)
    ]
    if not older:
        return None
    latest = max(older, key=version_key)
    return latest, json.loads(snapshot_path(root, latest).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class TableChange:
    added: list[str]
    removed: list[str]
    changed: list[str]


def diff(old: Snapshot, new: Snapshot) -> dict[str, TableChange]:
    out = {}
    for name in [*new, *(t for t in old if t not in new)]:  # a table removed since is listed too
        a, b = old.get(name, {}), new.get(name, {})
        out[name] = TableChange(
            added=sorted(set(b) - set(a)),
            removed=sorted(set(a) - set(b)),
            changed=sorted(k for k in set(a) & set(b) if a[k] != b[k]),
        )
    return out


def retired_ids(root: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, id) -> (replacement, reason) from curation/retired.yaml; empty when absent."""
    return retired(root / "curation")


def _removed_line(table: str, rid: str, retired: dict[tuple[str, str], tuple[str, str]]) -> str:
    replacement, _ = retired.get((table, rid), ("", ""))
    if not replacement:
        return f"`{rid}`"
    target = replacement if "/" in replacement else f"{table}/{replacement}"
    return f"`{rid}` -> `{target}`"


def changes_markdown(
    previous: str | None,
    changes: dict[str, TableChange],
    new: Snapshot,
    retired: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> str:
    since = f"since {previous}" if previous else "in this first release (no earlier release)"
    lines = [f"Rows per table, and data changes {since} (added / removed / changed):", ""]
    for name, c in changes.items():
        counts = f"+{len(c.added)} / -{len(c.removed)} / ~{len(c.changed)}"
        lines.append(f"- `{name}`: {len(new.get(name, {}))} rows ({counts})")
        if previous:  # a first release adds every row; listing them all would say nothing
            for label, ids in (("added", c.added), ("removed", c.removed), ("changed", c.changed)):
                if not ids:
                    continue
                if label == "removed":
                    shown = [_removed_line(name, i, retired or {}) for i in ids]
                else:
                    shown = [f"`{i}`" for i in ids]
                lines.append(f"  - {label}: {', '.join(shown)}")
    return "\n".join(lines)
