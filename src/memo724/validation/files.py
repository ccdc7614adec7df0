"""A file's bytes and hash against what its resource states (Frictionless's `byte-count` and
`hash-count`), from the one read of each file the guard makes (drift.judge); Frictionless's full
row pass (`memo724 validate --frictionless`) repeats them with everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..contract.errors import OWN, Problem
from .catalogue import BYTE_COUNT, HASH_COUNT


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
                validator=OWN,
            )
        )
    stated_hash = resource.get("hash")
    if stated_hash is not None:
        algorithm, _, value = str(stated_hash).rpartition(":")
        if algorithm not in ("", "sha256"):
            problems.append(
                Problem(name, HASH_COUNT, f"unsupported hash {algorithm!r}", validator=OWN)
            )
        elif value != sha256 and not (algorithm == "" and value == md5()):
            problems.append(
                Problem(
                    name,
                    HASH_COUNT,
                    f"the descriptor says sha256 {value}; the file's is {sha256}",
                    validator=OWN,
                )
            )
    return problems
