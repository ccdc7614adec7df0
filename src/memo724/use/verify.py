"""Checking a vendored copy's files against the hashes of a release.

Every file the release lists is hashed, datapackage.json and schemas/ included; missing and changed
files are reported. Files are read through contract.files: nothing outside the copy, nothing that
is not a regular file, nothing larger than its limit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..contract.errors import DatasetError, Problem
from ..contract.files import MAX_DESCRIPTOR_BYTES, MAX_TABLE_BYTES, Refused, read_inside
from ..contract.line_ends import FIX, only_line_ends_changed
from ..contract.memo import sha256_of
from ..contract.paths import DESCRIPTOR
from ..contract.release import (
    ReleaseContract,
    canonical_json,
    descriptor_digest,
    installed_contract,
    release_contract,
)


def expected_hashes(reference: Path) -> dict[str, str]:
    """relative path -> sha256, from a release's datapackage.json or its SHA256SUMS; a list that
    cannot be read is a DatasetError naming it (a special file is refused unread: a FIFO would
    block forever)."""
    if not reference.is_file():
        raise DatasetError(
            [
                Problem(
                    str(reference),
                    "against",
                    "not a regular file: give a datapackage.json or SHA256SUMS",
                )
            ]
        )
    try:
        return _expected_hashes(reference)
    except (UnicodeDecodeError, ValueError, RecursionError, AttributeError, TypeError) as exc:
        raise DatasetError(
            [Problem(str(reference), "against", f"not a release's list of hashes: {exc}")]
        ) from None


def unverified(copy_root: Path, expected: dict[str, str]) -> list[Problem]:
    """The copy's package files (the descriptor, data/, schemas/) that the list does not cover:
    a list cut short must not verify the files it leaves out."""
    present = {
        p.relative_to(copy_root).as_posix()
        for folder in ("data", "schemas")
        if (copy_root / folder).is_dir()
        for p in (copy_root / folder).rglob("*")
        if p.is_file() or p.is_symlink()
    }
    if (copy_root / DESCRIPTOR).exists():
        present.add(DESCRIPTOR)
    return [
        Problem(rel, "unverified", "the list of hashes does not cover this file: not verified")
        for rel in sorted(present - set(expected))
    ]


def _expected_hashes(reference: Path) -> dict[str, str]:
    # SHA256SUMS is coreutils' "<hex>  <path>" format, as `memo724 release` writes it: two fields
    # split at the first double space need no library (and `sha256sum -c` reads the same file).
    if reference.name == "SHA256SUMS":
        out = {}
        for line in reference.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if "/" in name:  # "<release>/<path>": the zip itself is not part of a copy
                out[name.split("/", 1)[1]] = digest
        return out
    desc = json.loads(reference.read_text(encoding="utf-8"))
    entries = [*desc.get("resources", []), *desc.get("files", [])]
    out = {e["path"]: e["hash"].removeprefix("sha256:") for e in entries if "hash" in e}
    # The schemas are part of the contract a copy is validated with: hash them from the reference.
    for resource in desc.get("resources", []):
        schema = resource.get("schema")
        if isinstance(schema, str) and (reference.parent / schema).is_file():
            out.setdefault(schema, sha256_of(reference.parent / schema))
    out[DESCRIPTOR] = descriptor_digest(desc)
    return out


def required_paths(expected: dict[str, str]) -> set[str]:
    """Files every copy must have: the descriptor, the schemas, the memo and the CSV tables.

    A copy may leave out the release's other files (Parquet, SQLite, docs); if present, they are
    checked.
    """
    return {
        p
        for p in expected
        if p == DESCRIPTOR
        or p.startswith("schemas/")
        or (p.startswith("data/") and not p.endswith(".parquet"))
    }


def _matches(rel: str, data: bytes, digest: str) -> bool:
    if hashlib.sha256(data).hexdigest() == digest:
        return True
    if rel != DESCRIPTOR:
        return False
    # A release folder's descriptor also lists its other files: its package part must be the
    # release's, and the whole written exactly as memo724 writes it.
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
    return (
        isinstance(parsed, dict)
        and canonical_json(parsed).encode("utf-8") == data
        and descriptor_digest(parsed) == digest
    )


def verify_files(copy_root: Path, expected: dict[str, str]) -> tuple[list[Problem], int]:
    """Problems for every changed, missing or refused file, and how many files matched."""
    problems, matched = [], 0
    required = required_paths(expected)
    for rel, digest in sorted(expected.items()):
        limit = MAX_DESCRIPTOR_BYTES if rel == DESCRIPTOR else MAX_TABLE_BYTES
        try:
            data = read_inside(copy_root, rel, limit)
        except Refused as refused:
            if refused.problem.rule != "missing":
                problems.append(refused.problem)
            elif rel in required:
                problems.append(
                    Problem(rel, "missing", "the release has this file; the copy does not")
                )
            continue
        if _matches(rel, data, digest):
            matched += 1
        elif only_line_ends_changed(data, digest):
            problems.append(Problem(rel, "line-endings", FIX))
        else:
            actual = hashlib.sha256(data).hexdigest()
            problems.append(
                Problem(
                    rel,
                    "drifted",
                    f"changed since the release: sha256 {actual} differs from the release's "
                    f"{digest}",
                )
            )
    return problems, matched


def verify_copy(copy_root: Path, reference: Path) -> tuple[list[Problem], int]:
    """Problems for every drifted, missing or unverified file against a release's descriptor or
    SHA256SUMS."""
    expected = expected_hashes(reference)
    problems, matched = verify_files(copy_root, expected)
    return [*problems, *unverified(copy_root, expected)], matched


def claimed_release(copy_root: Path) -> tuple[ReleaseContract, list[Problem]]:
    """The release a copy names in its descriptor; the installed one when it names none known."""
    installed = installed_contract()
    try:
        desc = json.loads(read_inside(copy_root, DESCRIPTOR, MAX_DESCRIPTOR_BYTES).decode("utf-8"))
    except (Refused, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return installed, []  # the descriptor itself is then reported as changed or refused
    version = desc.get("version") if isinstance(desc, dict) else None
    known = release_contract(version) if isinstance(version, str) else None
    if known is not None:
        return known, []
    note = Problem(
        DESCRIPTOR,
        "release-version",
        f"names version {version!r}, not a release this memo724 knows; compared with the "
        f"installed release {installed.version}",
        field="version",
    )
    return installed, [note]


def verify_release(copy_root: Path) -> tuple[list[Problem], int, ReleaseContract]:
    """A copy's files against the release it names (datapackage.json, schemas, data)."""
    release, problems = claimed_release(copy_root)
    found, matched = verify_files(copy_root, release.files)
    return [*problems, *found, *unverified(copy_root, release.files)], matched, release
