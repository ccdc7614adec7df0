"""Judging a copy against the release it names: contract drift, changed files, then the rows.

The copy's descriptor and schemas are compared with the release's contract, and every difference
is reported as contract drift (file, field, what changed). The rows are then validated by both
validators against the release's contract (with the derived rules of contract.rules written in),
never against the copy's own schemas: the validators read a private folder holding the release's
descriptor and schemas and the copy's data bytes, read through the guard.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..contract.errors import Problem
from ..contract.paths import DESCRIPTOR, Layout
from ..contract.release import (
    RELEASE_ONLY_KEYS,
    ReleaseContract,
    contract_of,
    known_versions,
    release_contract,
)
from ..contract.rules import effective_schema, explain_pattern, formula_cells, schema_problems
from .guard import read_descriptor, read_json, read_text, refusals
from .validate import validate_package

DRIFT = "contract-drift"
# Facts of a file, not of the contract: a changed file is reported by its hash, once.
FILE_FACTS = ("hash", "bytes")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 90 else text[:87] + "..."


def _changed(where: str, field: str | None, what: str, old: Any, new: Any) -> Problem:
    if old is _ABSENT:
        message = f"{what} added: {_short(new)} (the release has none)"
    elif new is _ABSENT:
        message = f"{what} removed (the release has {_short(old)})"
    elif isinstance(old, list) and isinstance(new, list) and what.endswith("enum"):
        gone = [v for v in old if v not in new]
        extra = [v for v in new if v not in old]
        parts = [
            f"removed {_short(gone)}" if gone else "",
            f"added {_short(extra)}" if extra else "",
        ]
        detail = "; ".join(p for p in parts if p) or "reordered"
        message = f"{what} changed: {detail}"
    else:
        message = f"{what} changed from {_short(old)} to {_short(new)}"
    return Problem(where, DRIFT, message, field=field)


_ABSENT: Any = object()


def _diff_props(
    where: str, field: str | None, old: dict[str, Any], new: dict[str, Any], skip=()
) -> list[Problem]:
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
                    out.append(_changed(where, field, f"constraints.{rule}", x, y))
            continue
        out.append(_changed(where, field, key, a, b))
    return out


def schema_drift(shown: str, release: dict[str, Any], copy: Any) -> list[Problem]:
    """Every difference between the release's Table Schema and the copy's."""
    if not isinstance(copy, dict):
        return [Problem(shown, DRIFT, "is not a Table Schema object as in the release")]
    out = _diff_props(shown, None, release, copy, skip=("fields",))
    old_fields = {f["name"]: f for f in release.get("fields", [])}
    new_list = copy.get("fields")
    if not isinstance(new_list, list):
        return [*out, Problem(shown, DRIFT, "fields is not a list as in the release")]
    new_fields = {f["name"]: f for f in new_list if isinstance(f, dict) and "name" in f}
    for name, field in old_fields.items():
        if name not in new_fields:
            out.append(Problem(shown, DRIFT, "field removed (the release has it)", field=name))
        else:
            out += _diff_props(shown, name, field, new_fields[name])
    for name in new_fields:
        if name not in old_fields:
            out.append(Problem(shown, DRIFT, "field added (the release has none)", field=name))
    common_old = [n for n in old_fields if n in new_fields]
    common_new = [n for n in new_fields if n in old_fields]
    if common_old != common_new:
        out.append(Problem(shown, DRIFT, f"fields reordered: the release has {common_old}"))
    return out


def descriptor_drift(release: dict[str, Any], copy: dict[str, Any]) -> list[Problem]:
    """Every difference of the copy's descriptor from the release's."""
    out = [
        replace(p, field=p.message.split(" ", 1)[0])
        for p in _diff_props(
            DESCRIPTOR, None, release, copy, skip=("resources", *RELEASE_ONLY_KEYS)
        )
    ]
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
        for p in _diff_props(DESCRIPTOR, label, resource, new[name]):
            out.append(replace(p, field=f"{label}.{p.message.split(' ', 1)[0]}"))
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


def _copy_schema_ref(copy: dict[str, Any], resource: str, default: str) -> Any:
    for entry in copy.get("resources", []) if isinstance(copy.get("resources"), list) else []:
        if isinstance(entry, dict) and entry.get("name") == resource and "schema" in entry:
            return entry["schema"]
    return default


def _one_line(problem: Problem) -> Problem:
    message = " ".join(problem.message.split())
    rule, explained = problem.rule, None
    if problem.rule in ("pattern", "constraint-error"):
        explained = explain_pattern(message, problem.value)
    if explained is not None:
        rule, message = explained
    value = problem.value
    if value is not None and len(value) > 80:
        value = f"{value[:60]}... ({len(value)} characters)"
    return replace(problem, rule=rule, message=message, value=value)


def _view(release: ReleaseContract, folder: Path, data: dict[str, str]) -> Layout:
    """A private folder: the release's descriptor and effective schemas, the copy's data text."""
    descriptor = {k: v for k, v in release.descriptor.items() if k not in RELEASE_ONLY_KEYS}
    descriptor["resources"] = [
        {k: v for k, v in r.items() if k not in FILE_FACTS} for r in release.resources
    ]
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    tables = release.schema_tables()
    for rel, schema in release.schemas.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        effective = effective_schema(tables.get(rel, ""), schema, release.memo_code_points)
        target.write_text(json.dumps(effective, indent=2), encoding="utf-8")
    for rel, text in data.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    return Layout(folder)


def judge(
    root: Path, release: ReleaseContract | None = None, frictionless: bool = False
) -> list[Problem]:
    """Every problem of the copy at root, judged against the release it names (or `release`).

    `frictionless=True` adds Frictionless's own pass over the rows (`validate --frictionless`).
    """
    descriptor, problems = read_descriptor(root)
    if descriptor is None:
        return problems
    if release is None:
        version = descriptor.get("version")
        release = release_contract(version) if isinstance(version, str) else None
        if release is None:
            known = ", ".join(known_versions())
            return [
                *problems,
                Problem(
                    DESCRIPTOR,
                    "release-version",
                    f"names version {_short(version)}, not a release this memo724 knows "
                    f"({known}); install the memo724 of that version to judge it",
                    field="version",
                ),
            ]
    data_paths = [r["path"] for r in release.resources if isinstance(r.get("path"), str)]
    refused = refusals(root, descriptor, [*data_paths, *release.schemas])
    if refused:
        return [*problems, *refused]

    problems += descriptor_drift(release.descriptor, descriptor)
    for rel, schema in release.schemas.items():
        table = release.schema_tables().get(rel, rel)
        ref = _copy_schema_ref(descriptor, table, rel)
        shown = ref if isinstance(ref, str) else f"{DESCRIPTOR} (inline schema of {table})"
        copy_schema, read_problems = (ref, []) if isinstance(ref, dict) else read_json(root, ref)
        problems += read_problems
        if copy_schema is not None:
            problems += schema_problems(copy_schema, shown)
            problems += schema_drift(shown, schema, copy_schema)

    data: dict[str, str] = {}
    tables_by_path = {r["path"]: r["name"] for r in release.resources if "schema" in r}
    schema_of = {r["name"]: r["schema"] for r in release.resources if "schema" in r}
    for rel in data_paths:
        text, raw, file_problems = read_text(root, rel)
        problems += file_problems
        if text is None or raw is None:
            continue
        data[rel] = text
        resource = tables_by_path.get(rel)
        if resource is not None:
            problems += formula_cells(resource, release.schemas[schema_of[resource]], text)
        expected = release.files.get(rel)
        actual = hashlib.sha256(raw).hexdigest()
        if expected is not None and actual != expected:
            problems.append(
                Problem(
                    rel,
                    "changed-since-release",
                    f"changed since release {release.version} (sha256 {actual[:16]}..., the "
                    f"release has {expected[:16]}...); its rows are checked below",
                )
            )
    with tempfile.TemporaryDirectory(prefix="memo724-judge-") as tmp:
        rows = _validated(_view(release, Path(tmp), data), frictionless)
    return _unique([*problems, *rows])


# The last few results by the exact bytes validated: judging the same bytes again (a copy and its
# re-hashed twin, or a caller judging repeatedly in one process) gives the same rows.
_RESULTS: OrderedDict[str, list[Problem]] = OrderedDict()


def _validated(view: Layout, frictionless: bool) -> list[Problem]:
    digest = hashlib.sha256(b"frictionless" if frictionless else b"")
    for path in sorted(p for p in view.root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(view.root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    key = digest.hexdigest()
    if key not in _RESULTS:
        prefix = f"{view.root}/"
        found = validate_package(view, frictionless=frictionless)
        rows = [replace(p, message=p.message.replace(prefix, "")) for p in found]
        _RESULTS[key] = rows
        while len(_RESULTS) > 8:
            _RESULTS.popitem(last=False)
    _RESULTS.move_to_end(key)
    return list(_RESULTS[key])


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in map(_one_line, problems):
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def judge_own(layout: Layout, frictionless: bool = True) -> list[Problem]:
    """A freshly built copy judged by its own contract, with the derived rules (the build)."""
    problems = []
    for rel in sorted(p.relative_to(layout.root).as_posix() for p in layout.schemas.glob("*.json")):
        schema, read_problems = read_json(layout.root, rel)
        problems += read_problems or schema_problems(schema, rel)
    if problems:
        return problems
    return judge(layout.root, contract_of(layout, "this checkout"), frictionless)
