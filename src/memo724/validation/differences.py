"""What differs between a copy's contract and its release's: every difference one `contract-drift`
problem naming the file, the field and what changed (drift.py judges a copy with these)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..contract.errors import Problem
from ..contract.paths import DESCRIPTOR
from ..contract.release import RELEASE_ONLY_KEYS
from .catalogue import CONTRACT_DRIFT

DRIFT = CONTRACT_DRIFT  # the catalogue's rule
# Facts of a file, not of the contract: a changed file is reported by its hash, once.
FILE_FACTS = ("hash", "bytes")


def short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 90 else text[:87] + "..."


def _changed(where: str, field: str | None, what: str, old: Any, new: Any) -> Problem:
    if old is _ABSENT:
        message = f"{what} added: {short(new)} (the release has none)"
    elif new is _ABSENT:
        message = f"{what} removed (the release has {short(old)})"
    elif isinstance(old, list) and isinstance(new, list) and what.endswith("enum"):
        gone = [v for v in old if v not in new]
        extra = [v for v in new if v not in old]
        parts = [
            f"removed {short(gone)}" if gone else "",
            f"added {short(extra)}" if extra else "",
        ]
        detail = "; ".join(p for p in parts if p) or "reordered"
        message = f"{what} changed: {detail}"
    else:
        message = f"{what} changed from {short(old)} to {short(new)}"
    return Problem(where, DRIFT, message, field=field)


_ABSENT: Any = object()


def _diff_props(
    where: str, field: str | None, old: dict[str, Any], new: dict[str, Any], skip=()
) -> list[tuple[str, Problem]]:
    """Each property that differs, as (its path: `key` or `constraints.<rule>`, the problem)."""
    out = []
    for key in [*old, *(k for k in new if k not in old)]:
        if key in skip:
            continue
        a, b = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if a == b:
            continue
        if key == "constraints" and isinstance(a, dict) and isinstance(b, dict):
            for rule in [*a, *(r for r in b if r not in a)]:
                x, y = a.get(rule, _ABSENT), b.get(rule, _ABSENT)
                if x != y:
                    what = f"constraints.{rule}"
                    out.append((what, _changed(where, field, what, x, y)))
            continue
        out.append((key, _changed(where, field, key, a, b)))
    return out


def schema_drift(shown: str, release: dict[str, Any], copy: Any) -> list[Problem]:
    """Every difference between the release's Table Schema and the copy's."""
    if not isinstance(copy, dict):
        return [Problem(shown, DRIFT, "is not a Table Schema object as in the release")]
    out = [p for _, p in _diff_props(shown, None, release, copy, skip=("fields",))]
    old_fields = {f["name"]: f for f in release.get("fields", [])}
    new_list = copy.get("fields")
    if not isinstance(new_list, list):
        return [*out, Problem(shown, DRIFT, "fields is not a list as in the release")]
    new_fields = {f["name"]: f for f in new_list if isinstance(f, dict) and "name" in f}
    for name, field in old_fields.items():
        if name not in new_fields:
            out.append(Problem(shown, DRIFT, "field removed (the release has it)", field=name))
        else:
            out += [p for _, p in _diff_props(shown, name, field, new_fields[name])]
    for name in new_fields:
        if name not in old_fields:
            out.append(Problem(shown, DRIFT, "field added (the release has none)", field=name))
    common_old = [n for n in old_fields if n in new_fields]
    common_new = [n for n in new_fields if n in old_fields]
    if common_old != common_new:
        out.append(Problem(shown, DRIFT, f"fields reordered: the release has {common_old}"))
    return out


# What a package of its own (`validate --contract`) states for itself, not the contract: every
# top-level key but the profile and the resources, and each resource's words and file facts.
CONTRACT_KEYS = ("$schema", "profile", "resources")
OWN_RESOURCE_KEYS = ("title", "description", *FILE_FACTS)


def descriptor_drift(
    release: dict[str, Any], copy: dict[str, Any], own: bool = False
) -> list[Problem]:
    """Every difference of the copy's descriptor from the release's (`own`: of its contract)."""
    skip: tuple[str, ...] = ("resources", *RELEASE_ONLY_KEYS)
    if own:
        skip += tuple(k for k in {*release, *copy} if k not in CONTRACT_KEYS)
    differing = _diff_props(DESCRIPTOR, None, release, copy, skip=skip)
    out = [replace(p, field=what) for what, p in differing]
    resource_skip = OWN_RESOURCE_KEYS if own else ()
    old = {r["name"]: r for r in release.get("resources", [])}
    entries = copy.get("resources")
    if not isinstance(entries, list):
        return [*out, Problem(DESCRIPTOR, DRIFT, "resources is not a list", field="resources")]
    new: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            out.append(
                Problem(DESCRIPTOR, DRIFT, "resource without a name", field=f"resources[{i}]")
            )
        elif name in new:
            out.append(
                Problem(DESCRIPTOR, DRIFT, "resource listed twice", field=f"resources[{name}]")
            )
        else:
            new[name] = entry
    for name, resource in old.items():
        label = f"resources[{name}]"
        if name not in new:
            out.append(
                Problem(DESCRIPTOR, DRIFT, "resource removed (the release has it)", field=label)
            )
            continue
        for what, p in _diff_props(DESCRIPTOR, label, resource, new[name], skip=resource_skip):
            out.append(replace(p, field=f"{label}.{what}"))
    for name in new:
        if name not in old:
            out.append(
                Problem(
                    DESCRIPTOR,
                    DRIFT,
                    "resource added (the release has none)",
                    field=f"resources[{name}]",
                )
            )
    return out
