"""Checking a vendored copy's files against the hashes of a release.

Every file the release lists is hashed, datapackage.json and schemas/ included; missing and changed
files are reported. Files are read through contract.files: nothing outside the copy, nothing that
is not a regular file, nothing larger than its limit.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from ..contract.errors import DatasetError, Problem
from ..contract.files import (
    MAX_DESCRIPTOR_BYTES,
    MAX_TABLE_BYTES,
    Refused,
    decode_utf8,
    locate_inside,
    read_inside,
)
from ..contract.limits import MAX_COPY_BYTES, NotStrictJSON, strict_json
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
    except NotStrictJSON as exc:
        where = f" at {exc.path}" if exc.path else ""
        raise DatasetError(
            [Problem(str(reference), "against", f"not a release's list of hashes: {exc}{where}")]
        ) from None
    except (UnicodeError, ValueError, KeyError, AttributeError, TypeError, OSError) as exc:
        raise DatasetError(
            [Problem(str(reference), "against", f"not a release's list of hashes: {exc}")]
        ) from None


class Matched(int):
    """How many files matched, and the listed files the copy does not hold (not verified)."""

    absent: tuple[str, ...] = ()

    @classmethod
    def of(cls, count: int, absent: list[str]) -> Matched:
        out = cls(count)
        out.absent = tuple(absent)
        return out

    @property
    def note(self) -> str:
        """What was listed but not verified, for the line that says the copy verified."""
        if not self.absent:
            return ""
        folders = sorted(
            {rel.split("/", 1)[0] + ("/" if "/" in rel else "") for rel in self.absent}
        )
        shown = ", ".join(folders[:6]) + (", ..." if len(folders) > 6 else "")
        return f"; {len(self.absent)} listed files are not in the copy, so not verified ({shown})"


PACKAGE_FOLDERS = ("data", "schemas")


def unverified(copy_root: Path, expected: dict[str, str]) -> list[Problem]:
    """The copy's entries (files, links, special files) that the list does not cover: a list cut
    short, or a file added beside the listed ones, must not pass as verified. A list of a
    package (the descriptor, data/, schemas/) covers those folders; a list of a release folder
    (Parquet, the site, the wheel...) covers the whole copy."""
    whole = any(rel != DESCRIPTOR and rel.split("/")[0] not in PACKAGE_FOLDERS for rel in expected)
    tops = [copy_root] if whole else [copy_root / f for f in PACKAGE_FOLDERS]
    present: set[str] = set()
    for top in tops:
        if top.is_symlink() or not top.is_dir():
            continue  # a folder that is a link, or not there, is named where its files are read
        for folder, dirs, files in os.walk(top, followlinks=False):
            base = Path(folder)
            for name in files + [d for d in dirs if (base / d).is_symlink()]:
                present.add((base / name).relative_to(copy_root).as_posix())
    if (copy_root / DESCRIPTOR).exists() or (copy_root / DESCRIPTOR).is_symlink():
        present.add(DESCRIPTOR)
    return [
        Problem(rel, "unverified", "the list of hashes does not cover this file: not verified")
        for rel in sorted(present - set(expected))
    ]


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _entries(desc: Any, key: str) -> list[dict[str, Any]]:
    entries = desc.get(key, []) if isinstance(desc, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"{key} must be a list of objects")
    return entries


def _listed(entries: list[dict[str, Any]]) -> dict[str, str]:
    """path -> sha256 of the entries that state a hash; a malformed one is a ValueError."""
    out = {}
    for entry in entries:
        if "hash" not in entry:
            continue
        path, digest = entry.get("path"), entry["hash"]
        if not isinstance(path, str) or not isinstance(digest, str):
            raise ValueError(f"an entry's path and hash must be text: {entry.get('path')!r}")
        digest = digest.removeprefix("sha256:")
        if not _SHA256.fullmatch(digest):
            raise ValueError(f"the hash of {path!r} is not a sha256 in hex")
        out[path] = digest
    return out


def _expected_hashes(reference: Path) -> dict[str, str]:
    if reference.stat().st_size > MAX_DESCRIPTOR_BYTES:  # a release's list is under 20 KB
        raise ValueError(f"more than {MAX_DESCRIPTOR_BYTES} bytes; not read")
    # SHA256SUMS is coreutils' "<hex>  <path>" format, as `memo724 release` writes it: two fields
    # split at the first double space need no library (and `sha256sum -c` reads the same file).
    if reference.name == "SHA256SUMS":
        out = {}
        for line in reference.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if "/" in name:  # "<release>/<path>": the zip itself is not part of a copy
                out[name.split("/", 1)[1]] = digest
        return out
    desc = strict_json(reference.read_text(encoding="utf-8"))
    if not isinstance(desc, dict):
        raise ValueError("a datapackage.json is a JSON object")
    out = _listed([*_entries(desc, "resources"), *_entries(desc, "files")])
    # The schemas are part of the contract a copy is validated with: hash them from the reference.
    for resource in _entries(desc, "resources"):
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
        parsed = strict_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):  # not JSON, or not strict JSON (NotStrictJSON)
        return False
    return (
        isinstance(parsed, dict)
        and canonical_json(parsed).encode("utf-8") == data
        and descriptor_digest(parsed) == digest
    )


def _too_large(copy_root: Path, expected: dict[str, str]) -> list[Problem]:
    """The files to hash, summed from their sizes before any is read: one line over the limit."""
    total = 0
    for rel in expected:
        try:
            total += locate_inside(copy_root, rel).stat().st_size
        except (Refused, OSError):
            continue  # reported, file by file, where it is read
    if total <= MAX_COPY_BYTES:
        return []
    return [
        Problem(
            "the copy",
            "copy-size",
            f"the listed files hold {total} bytes together, more than the {MAX_COPY_BYTES} bytes "
            "a copy may hold; nothing hashed",
        )
    ]


def verify_files(copy_root: Path, expected: dict[str, str]) -> tuple[list[Problem], Matched]:
    """Problems for every changed, missing or refused file, and how many files matched (with
    the listed files the copy does not hold)."""
    problems: list[Problem] = []
    matched, absent = 0, []
    required = required_paths(expected)
    too_large = _too_large(copy_root, expected)
    if too_large:
        return too_large, Matched.of(0, [])
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
            else:
                absent.append(rel)
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
    return problems, Matched.of(matched, absent)


def verify_copy(copy_root: Path, reference: Path) -> tuple[list[Problem], Matched]:
    """Problems for every drifted, missing or unverified file against a release's descriptor or
    SHA256SUMS."""
    expected = expected_hashes(reference)
    problems, matched = verify_files(copy_root, expected)
    return [*problems, *unverified(copy_root, expected)], matched


def _copy_descriptor(copy_root: Path) -> Any:
    """The copy's descriptor as strict JSON, or None when it cannot be read as such (it is then
    reported as changed, refused or missing where its hash is checked)."""
    try:
        raw = read_inside(copy_root, DESCRIPTOR, MAX_DESCRIPTOR_BYTES)
        text, problems = decode_utf8(raw, DESCRIPTOR)
        return None if problems else strict_json(text)
    except (Refused, ValueError):
        return None


def claimed_release(copy_root: Path) -> tuple[ReleaseContract, list[Problem]]:
    """The release a copy names in its descriptor; the installed one when it names none known."""
    installed = installed_contract()
    desc = _copy_descriptor(copy_root)
    if desc is None:
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


def release_folder_files(copy_root: Path, release: ReleaseContract) -> dict[str, str]:
    """The other files a release folder's descriptor lists (`files`: Parquet, SQLite, the site,
    the wheel), with the hashes it states, when its package part is the release's (else the
    descriptor is reported as drifted and lists nothing to trust)."""
    desc = _copy_descriptor(copy_root)
    if not isinstance(desc, dict) or descriptor_digest(desc) != release.files.get(DESCRIPTOR):
        return {}
    try:
        listed = _listed(_entries(desc, "files"))
    except ValueError:
        return {}  # a descriptor in the release's form always has a well-formed list
    return {rel: digest for rel, digest in listed.items() if rel not in release.files}


def verify_release(copy_root: Path) -> tuple[list[Problem], Matched, ReleaseContract]:
    """A copy's files against the release it names (datapackage.json, schemas, data), and, in
    a release folder, its other files against the hashes its descriptor lists."""
    release, problems = claimed_release(copy_root)
    expected = {**release_folder_files(copy_root, release), **release.files}
    found, matched = verify_files(copy_root, expected)
    return [*problems, *found, *unverified(copy_root, expected)], matched, release
