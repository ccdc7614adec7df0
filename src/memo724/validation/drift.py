"""Judging a copy against the release it names: contract drift, changed files, then the rows.

The copy's descriptor and schemas are compared with the release's contract, and every difference
is reported as contract drift (file, field, what changed; differences.py). The rows are then
validated against the release's contract (with the derived rules of contract.rules written in),
never against the copy's own schemas. Each file is read once through the guard; its bytes are
hashed, checked as UTF-8 and parsed in memory by the typed reader (only `--frictionless` writes
a private folder of the release's descriptor and schemas and the copy's bytes, for Frictionless
to read).

A package of its own that follows a release's contract (`validate --contract VERSION`) is judged
the same way, except for what it states for itself: its identity in the descriptor, its files'
bytes and hashes, and its memo (see `judge`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from ..contract import Contract
from ..contract.errors import Problem
from ..contract.files import Refused, checked_utf8, read_inside
from ..contract.line_ends import FIX, only_line_ends_changed
from ..contract.paths import DESCRIPTOR, MEMO_NAME, Layout
from ..contract.release import (
    RELEASE_ONLY_KEYS,
    ReleaseContract,
    contract_of,
    known_versions,
    release_contract,
)
from ..contract.rules import effective_schema, schema_problems
from .catalogue import CATALOGUE, CHANGED_SINCE_RELEASE, LINE_ENDINGS, RELEASE_VERSION
from .differences import FILE_FACTS, descriptor_drift, schema_drift, short
from .files import fact_problems
from .guard import limit_for, read_descriptor, read_json, refusals, total_size
from .text import strip_blank_lines
from .validate import Source, frictionless_problems, sorted_problems, validate_tables


def _copy_schema_ref(copy: dict[str, Any], resource: str, default: str) -> Any:
    for entry in copy.get("resources", []) if isinstance(copy.get("resources"), list) else []:
        if isinstance(entry, dict) and entry.get("name") == resource and "schema" in entry:
            return entry["schema"]
    return default


def _one_line(problem: Problem) -> Problem:
    """The problem as reported: on one line, carrying its rule as the catalogue's record (a rule
    named where the catalogue cannot be imported, in contract/, is named by its text there)."""
    message = " ".join(problem.message.split())
    value = problem.value
    if value is not None and len(value) > 80:
        value = f"{value[:60]}... ({len(value)} characters)"
    entry = CATALOGUE.get(problem.rule)
    rule = entry.rule if entry is not None else problem.rule
    return replace(problem, rule=rule, message=message, value=value)


def _view(
    release: ReleaseContract,
    schemas: dict[str, dict[str, Any]],
    folder: Path,
    data: dict[str, bytes],
) -> Layout:
    """A private folder for Frictionless: the release's descriptor, the effective schemas (by
    table) and the bytes the rows were read from."""
    descriptor = {k: v for k, v in release.descriptor.items() if k not in RELEASE_ONLY_KEYS}
    descriptor["resources"] = [
        {k: v for k, v in r.items() if k not in FILE_FACTS} for r in release.resources
    ]
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    for rel, table in release.schema_tables().items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(schemas[table], indent=2), encoding="utf-8")
    for rel, raw in data.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
    return Layout(folder)


def _release_of(descriptor: dict[str, Any]) -> tuple[ReleaseContract | None, list[Problem]]:
    version = descriptor.get("version")
    release = release_contract(version) if isinstance(version, str) else None
    if release is not None:
        return release, []
    known = ", ".join(known_versions())
    return None, [
        Problem(
            DESCRIPTOR,
            RELEASE_VERSION,
            f"names version {short(version)}, not a release this memo724 knows ({known}); "
            "install the memo724 of that version to judge it, or, if it is a package of its own "
            "in memo724's schemas, name the contract it follows: memo724 validate PATH "
            "--contract VERSION",
            field="version",
        )
    ]


def _memo_path(release: ReleaseContract) -> str:
    for resource in release.resources:
        if resource.get("name") == "memo" and isinstance(resource.get("path"), str):
            return str(resource["path"])
    return f"data/{MEMO_NAME}"


def _stated(descriptor: dict[str, Any], rel: str) -> dict[str, Any] | None:
    """The copy's own resource entry for the file at rel (a package of its own states its facts)."""
    entries = descriptor.get("resources")
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("path") == rel:
            return entry
    return None


def _read_once(
    root: Path, rel: str, descriptor: dict[str, Any], release: ReleaseContract, own: bool
) -> tuple[bytes | None, str | None, list[Problem]]:
    """One file of the copy read once through the guard: the bytes to parse, their sha256 and
    the problems of the file (refused, changed, misstated, not clean UTF-8)."""
    try:
        raw = read_inside(root, rel, limit_for(rel, own=own))
    except Refused as refusal:
        return None, None, [refusal.problem]
    problems = []
    # Hashing releases the GIL: the sha256 runs on the second core while the UTF-8 check runs
    # here (checked again if the bytes read are replaced).
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashed = pool.submit(lambda: hashlib.sha256(raw).hexdigest())
        parsed, text_problems = checked_utf8(raw, rel)
        actual = hashed.result()
    if own:
        stated = _stated(descriptor, rel)
        if stated is not None:
            name = str(stated.get("name", rel))
            md5 = partial(lambda b: hashlib.md5(b, usedforsecurity=False).hexdigest(), raw)
            problems += fact_problems(name, stated, len(raw), actual, md5)
    else:
        expected = release.files.get(rel)
        if expected is not None and actual != expected and only_line_ends_changed(raw, expected):
            # The release's bytes with CRLF line ends: one line with the fix, and the rows are
            # read as the release wrote them (no value changed).
            problems.append(Problem(rel, LINE_ENDINGS, FIX))
            raw = raw.replace(b"\r\n", b"\n")
            actual = expected
            parsed, text_problems = checked_utf8(raw, rel)
        elif expected is not None and actual != expected:
            problems.append(
                Problem(
                    rel,
                    CHANGED_SINCE_RELEASE,
                    f"changed since release {release.version} (sha256 {actual[:16]}..., the "
                    f"release has {expected[:16]}...); its rows are checked below",
                )
            )
    digest = actual if parsed is raw else hashlib.sha256(parsed).hexdigest()
    return parsed, digest, [*problems, *text_problems]


def judge(
    root: Path,
    release: ReleaseContract | None = None,
    frictionless: bool = False,
    *,
    own: bool = False,
) -> list[Problem]:
    """Every problem of the copy at root, judged against the release it names (or `release`).

    `own=True` (`memo724 validate PATH --contract VERSION`): the copy is a package of its own that
    follows `release`'s contract (more memos in the same schemas, a synthetic package), not that
    release. Its descriptor's identity (name, version, title, licences...) and each resource's
    title, description, bytes and hash are its own; the rest of the descriptor and the schemas
    must be the release's (drift is reported as for a copy). File bytes and hashes are checked
    against the copy's own descriptor, and the memo's facts (length, hash) come from the copy's
    own memo file. The rows are judged by the release's contract either way.

    Each file is read once, through the guard: its bytes are hashed, checked as UTF-8 and handed
    in memory to the typed reader. `frictionless=True` adds Frictionless's own pass over the rows
    (`validate --frictionless`), which reads a private copy of the files.
    """
    return [_one_line(p) for p in _judge(root, release, frictionless, own=own)]


def _judge(
    root: Path, release: ReleaseContract | None, frictionless: bool, *, own: bool
) -> list[Problem]:
    descriptor, problems = read_descriptor(root)
    if descriptor is None:
        return problems
    if release is None:
        release, unknown = _release_of(descriptor)
        if release is None:
            return [*problems, *unknown]
    data_paths = [r["path"] for r in release.resources if isinstance(r.get("path"), str)]
    refused = refusals(root, descriptor, [*data_paths, *release.schemas])
    refused = refused or total_size(root, data_paths, own)
    if refused:
        return [*problems, *refused]

    problems += descriptor_drift(release.descriptor, descriptor, own=own)
    tables = release.schema_tables()
    for rel, schema in release.schemas.items():
        table = tables.get(rel, rel)
        ref = _copy_schema_ref(descriptor, table, rel)
        shown = ref if isinstance(ref, str) else f"{DESCRIPTOR} (inline schema of {table})"
        copy_schema, read_problems = (ref, []) if isinstance(ref, dict) else read_json(root, ref)
        problems += read_problems
        if copy_schema is not None:
            problems += schema_problems(copy_schema, shown)
            problems += schema_drift(shown, schema, copy_schema)

    # One read of each file: hash, UTF-8 check, then the same bytes go to the typed reader.
    data: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    for rel in data_paths:
        read = _read_once(root, rel, descriptor, release, own)
        problems += read[2]
        if read[0] is not None and read[1] is not None:
            data[rel], digests[rel] = read[0], read[1]
        del read  # the bytes live in `data` only, so each is freed once parsed
    problems += strip_blank_lines(
        data, {r["path"]: r["name"] for r in release.resources if "schema" in r}
    )
    memo_path = _memo_path(release)
    memo = data[memo_path].decode("utf-8") if memo_path in data else None
    # A package of its own bounds its text by its own memo; a copy by the release's.
    code_points = len(memo) if own and memo is not None else release.memo_code_points
    schemas = {
        table: effective_schema(table, release.schemas[rel], code_points)
        for rel, table in tables.items()
    }
    paths = {r["name"]: r["path"] for r in release.resources if "schema" in r}
    key = hashlib.sha256(
        json.dumps([frictionless, schemas, sorted(digests.items())], sort_keys=True).encode()
    ).hexdigest()
    if key not in _RESULTS:
        rows = []
        if frictionless:
            with tempfile.TemporaryDirectory(prefix="memo724-judge-") as tmp:
                view = _view(release, schemas, Path(tmp), data)
                prefix = f"{view.root}/"
                rows += [
                    replace(p, message=p.message.replace(prefix, ""))
                    for p in frictionless_problems(view, schemas)
                ]
        # Handed over, not shared: the reader drops each table's bytes once it is parsed.
        data.pop(memo_path, None)
        sources: dict[str, Source] = {
            name: data.pop(path) for name, path in paths.items() if path in data
        }
        contract = Contract.of(schemas)
        rows += validate_tables(contract, sources, memo, spreadsheet_safe=True)
        _RESULTS[key] = sorted_problems(rows, contract.tables)
        while len(_RESULTS) > 8:
            _RESULTS.popitem(last=False)
    _RESULTS.move_to_end(key)
    return _unique([*problems, *_RESULTS[key]])


# The last few results by the exact bytes validated and the schemas that judged them: judging the
# same bytes again (a copy and its re-hashed twin, or a caller judging repeatedly in one process)
# gives the same rows without validating them twice.
_RESULTS: OrderedDict[str, list[Problem]] = OrderedDict()


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
        return [_one_line(p) for p in problems]
    return judge(layout.root, contract_of(layout, "this checkout"), frictionless)
