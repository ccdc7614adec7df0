"""Checking a vendored copy's files against the hashes of a release."""

from __future__ import annotations

import json
from pathlib import Path

from ..contract.errors import Problem
from ..contract.memo import sha256_of


def expected_hashes(reference: Path) -> dict[str, str]:
    """relative path -> sha256, from a release's datapackage.json or its SHA256SUMS."""
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
    return out


def required_paths(reference: Path) -> set[str]:
    """Files every copy must have: the descriptor's resources (the memo and the CSV tables)."""
    if reference.name == "SHA256SUMS":
        return {
            p
            for p in expected_hashes(reference)
            if p.startswith("data/") and not p.endswith(".parquet")
        }
    desc = json.loads(reference.read_text(encoding="utf-8"))
    return {r["path"] for r in desc.get("resources", [])}


def verify_copy(copy_root: Path, reference: Path) -> tuple[list[Problem], int]:
    """Problems for every drifted or missing file, and how many files matched."""
    problems, matched = [], 0
    required = required_paths(reference)
    for rel, digest in sorted(expected_hashes(reference).items()):
        path = copy_root / rel
        if not path.is_file():
            if rel in required:
                problems.append(
                    Problem(rel, "missing", "the release has this file; the copy does not")
                )
            continue
        actual = sha256_of(path)
        if actual != digest:
            problems.append(
                Problem(rel, "drifted", f"sha256 {actual} differs from the release's {digest}")
            )
        else:
            matched += 1
    return problems, matched
