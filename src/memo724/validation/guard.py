"""A vendored copy checked before anything in it is read: paths, file kinds, sizes, encodings.

Every path the copy's descriptor names, and every file of the release, is refused (one line each)
when it is a URL, absolute, climbs with `..`, resolves outside the copy or is not a regular file.
Nothing is fetched and nothing can block: the validators only ever see files read from here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..contract.errors import Problem
from ..contract.files import (
    MAX_DESCRIPTOR_BYTES,
    MAX_MEMO_BYTES,
    MAX_SCHEMA_BYTES,
    MAX_TABLE_BYTES,
    Refused,
    decode_utf8,
    locate_inside,
    path_problem,
    read_inside,
)
from ..contract.limits import (
    MAX_COPY_BYTES,
    MAX_OWN_PACKAGE_BYTES,
    NotStrictJSON,
    strict_json,
)
from ..contract.paths import DESCRIPTOR
from ..contract.rules import json_problem

# Refusals that stop the check before anything else is read.
HOSTILE_RULES = frozenset(
    {
        "path",
        "path-url",
        "path-absolute",
        "path-parent",
        "path-outside",
        "not-a-regular-file",
        "file-size",
        "unreadable",
    }
)


# A package of its own (`validate --contract`) is one its user names as theirs, not a vendored
# copy of a release: its tables and memo (more memos in the same schemas) may be this large.
MAX_OWN_DATA_BYTES = 4 * 1024 * 1024 * 1024


def limit_for(rel: str, own: bool = False) -> int:
    """How many bytes a file of a copy (or of a package of its own) may hold."""
    if own and not rel.endswith(".json"):
        return MAX_OWN_DATA_BYTES
    if rel.endswith(".csv"):
        return MAX_TABLE_BYTES
    if rel == DESCRIPTOR:
        return MAX_DESCRIPTOR_BYTES
    if rel.endswith(".json"):
        return MAX_SCHEMA_BYTES
    return MAX_MEMO_BYTES


def read_json(root: Path, rel: str) -> tuple[Any, list[Problem]]:
    """A JSON file of the copy, or None with the one line that says why it cannot be used."""
    try:
        raw = read_inside(root, rel, limit_for(rel))
    except Refused as refused:
        return None, [refused.problem]
    text, problems = decode_utf8(raw, rel)
    try:
        return strict_json(text), problems
    except json.JSONDecodeError as exc:
        return None, [*problems, json_problem(exc, rel)]
    except NotStrictJSON as exc:  # duplicate keys, NaN, numbers out of range, depth (limits)
        return None, [*problems, Problem(rel, exc.rule, str(exc), field=exc.path or None)]


def read_descriptor(root: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    descriptor, problems = read_json(root, DESCRIPTOR)
    if problems and problems[-1].rule == "missing":
        return None, [Problem(str(root / DESCRIPTOR), "descriptor", "no datapackage.json here")]
    if descriptor is not None and not isinstance(descriptor, dict):
        return None, [Problem(DESCRIPTOR, "descriptor", "must be a JSON object")]
    return descriptor, problems


def _label(resource: Any, i: int) -> str:
    name = resource.get("name") if isinstance(resource, dict) else None
    return f"resources[{name if isinstance(name, str) else i}]"


def declared_paths(descriptor: dict[str, Any]) -> list[tuple[str, Any]]:
    """(field, value) of every file reference in a descriptor: paths, schemas, dialects."""
    out: list[tuple[str, Any]] = []
    for key in ("resources", "files"):
        entries = descriptor.get(key, [])
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            label = _label(entry, i) if key == "resources" else f"files[{i}]"
            path = entry.get("path")
            for j, part in enumerate(path if isinstance(path, list) else [path]):
                suffix = f".path[{j}]" if isinstance(path, list) else ".path"
                out.append((label + suffix, part))
            for prop in ("schema", "dialect"):
                if isinstance(entry.get(prop), str):
                    out.append((f"{label}.{prop}", entry[prop]))
    return out


def refusals(root: Path, descriptor: dict[str, Any], release_files: list[str]) -> list[Problem]:
    """Every path that must not be followed, from the copy's descriptor and the release's list."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for field, value in declared_paths(descriptor):
        problem = path_problem(value, DESCRIPTOR, field=field)
        if problem is None:
            try:
                locate_inside(root, value)
            except Refused as refused:
                problem = refused.problem if refused.problem.rule in HOSTILE_RULES else None
        if problem is not None and str(problem) not in seen:
            seen.add(str(problem))
            problems.append(problem)
    for rel in release_files:
        try:
            locate_inside(root, rel)
        except Refused as refused:
            if refused.problem.rule in HOSTILE_RULES and str(refused.problem) not in seen:
                seen.add(str(refused.problem))
                problems.append(refused.problem)
    return problems


# Validating holds at most about 3x a package's CSV bytes at its peak, beyond a fixed ~140 MiB
# (SCALING.md: 2.2x in all at 9.73M rows; 3.8x at 1M, where the fixed part weighs).
MEMORY_PER_BYTE = 3


def available_memory() -> int | None:
    """Bytes of memory the system can give without swapping (Linux's MemAvailable), or None
    where it does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def total_size(root: Path, rels: list[str], own: bool = False) -> list[Problem]:
    """One line when the files to read are, together, over the copy's limit (contract.limits)
    or need more memory than the system has, summed from their sizes before any is read: each
    may be under its own limit and all of them still more than memory holds."""
    limit = MAX_OWN_PACKAGE_BYTES if own else MAX_COPY_BYTES
    total = 0
    for rel in rels:
        try:
            total += locate_inside(root, rel).stat().st_size
        except (Refused, OSError):
            continue  # named where the file is read
    what = "a package of its own" if own else "a copy"
    if total > limit:
        message = (
            f"its data files hold {total} bytes together, more than the {limit} bytes {what} "
            "may hold; not parsed"
        )
        return [Problem("the copy", "copy-size", message)]
    available = available_memory()
    if available is not None and total * MEMORY_PER_BYTE > available:
        message = (
            f"its data files hold {total} bytes together; validating them needs about "
            f"{MEMORY_PER_BYTE}x that in memory, more than the {available} bytes this system has "
            "available; not parsed"
        )
        return [Problem("the copy", "memory", message)]
    return []
