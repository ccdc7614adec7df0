"""The package-level checks that always run: the descriptor lists the files, and each file has
the bytes and sha256 the descriptor states (Frictionless's `byte-count` and `hash-count`).

These read each file once in 1 MiB blocks, so they cost about what hashing costs; Frictionless's
full row pass (`memo724 validate --frictionless`) repeats them with everything else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from ..contract import TABLES
from ..contract.errors import Problem, Rule
from ..contract.paths import Layout
from .catalogue import BYTE_COUNT, DESCRIPTOR_RULE, HASH_COUNT, SCHEME_ERROR

VALIDATOR = "memo724"


def _facts(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def descriptor_problems(
    layout: Layout, descriptor: Any, tables: Iterable[str] | None = None
) -> list[Problem]:
    """Problems of the descriptor's shape, its resources' files, their bytes and hashes.

    Every table must be a resource with its schema: the `tables` given, else one per schema file
    of the copy's schemas/ folder (the contract is its schemas), else this release's tables."""
    if tables is None:
        found = sorted(p.stem for p in layout.schemas.glob("*.json"))
        tables = found or TABLES
    tables = list(tables)

    def problem(where: str, rule: Rule, message: str) -> Problem:
        return Problem(where, rule, message, validator=VALIDATOR)

    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [problem("datapackage.json", DESCRIPTOR_RULE, "needs a list of resources")]
    problems = []
    names = set()
    for i, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            problems.append(
                problem("datapackage.json", DESCRIPTOR_RULE, f"resource {i} has no path")
            )
            continue
        name = str(resource.get("name", resource["path"]))
        names.add(name)
        path = layout.root / resource["path"]
        if not path.is_file():
            problems.append(problem(name, SCHEME_ERROR, f"{resource['path']} does not exist"))
            continue
        size, sha256 = _facts(path)
        problems += fact_problems(name, resource, size, sha256, partial(_md5, path))
        if name in tables and resource.get("schema") != f"schemas/{name}.json":
            problems.append(
                problem(name, DESCRIPTOR_RULE, f"the schema must be schemas/{name}.json")
            )
    for name in tables:
        if name not in names:
            problems.append(problem("datapackage.json", DESCRIPTOR_RULE, f"no resource {name}"))
    return problems


def fact_problems(
    name: str, resource: dict[str, Any], size: int, sha256: str, md5: Callable[[], str]
) -> list[Problem]:
    """A file's size and hash against what its resource states (`bytes`, `hash`), if it does."""
    problems = []
    stated = resource.get("bytes")
    if stated is not None and stated != size:
        problems.append(
            Problem(
                name,
                BYTE_COUNT,
                f"the descriptor says {stated} bytes; the file has {size}",
                validator=VALIDATOR,
            )
        )
    stated_hash = resource.get("hash")
    if stated_hash is not None:
        algorithm, _, value = str(stated_hash).rpartition(":")
        if algorithm not in ("", "sha256"):
            problems.append(
                Problem(name, HASH_COUNT, f"unsupported hash {algorithm!r}", validator=VALIDATOR)
            )
        elif value != sha256 and not (algorithm == "" and value == md5()):
            problems.append(
                Problem(
                    name,
                    HASH_COUNT,
                    f"the descriptor says sha256 {value}; the file's is {sha256}",
                    validator=VALIDATOR,
                )
            )
    return problems


def _md5(path: Path) -> str:
    # Table Schema: a hash without a prefix is MD5.
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
