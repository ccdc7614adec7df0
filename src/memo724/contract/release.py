"""The contract of each release: what a copy that names a version is judged against.

The installed package is the contract of its own version (its datapackage.json, schemas and file
hashes). Every earlier release leaves a snapshot of its contract in
releases/contract/<version>.json (shipped in the wheel), written by `memo724 release`. A copy is
judged against the contract of the version it names, never against its own schemas.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .memo import read_memo, sha256_of
from .paths import DESCRIPTOR, REPO, Layout
from .version import version_order

CONTRACTS_DIR = Path("releases") / "contract"
# Parts of a release's descriptor that only the release folder carries (its other files and the
# build provenance): the package form, which every copy shares, is the descriptor without them.
RELEASE_ONLY_KEYS = ("files", "build")


def canonical_json(data: Any) -> str:
    """The bytes of every JSON descriptor memo724 writes (the package, the release, Datasette)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def package_descriptor(descriptor: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in descriptor.items() if k not in RELEASE_ONLY_KEYS}


def descriptor_digest(descriptor: dict[str, Any]) -> str:
    """sha256 of the package form of a descriptor as memo724 writes it."""
    text = canonical_json(package_descriptor(descriptor))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReleaseContract:
    version: str
    descriptor: dict[str, Any]  # package form: resources with paths, encodings, schemas, hashes
    schemas: dict[str, dict[str, Any]]  # "schemas/events.json" -> the Table Schema
    files: dict[str, str]  # relative path -> sha256 (datapackage.json: descriptor_digest)
    memo_code_points: int
    origin: str  # where the contract was read from, for messages

    @property
    def resources(self) -> list[dict[str, Any]]:
        return list(self.descriptor.get("resources", []))

    def schema_tables(self) -> dict[str, str]:
        """Schema path -> the resource (table) it describes."""
        return {r["schema"]: r["name"] for r in self.resources if isinstance(r.get("schema"), str)}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "memo_code_points": self.memo_code_points,
            "files": dict(sorted(self.files.items())),
            "descriptor": self.descriptor,
            "schemas": dict(sorted(self.schemas.items())),
        }


def contract_of(layout: Layout, origin: str) -> ReleaseContract:
    """The contract of a trusted copy (the installed package, or a checkout being released)."""
    descriptor = package_descriptor(json.loads(layout.descriptor.read_text(encoding="utf-8")))
    schemas: dict[str, dict[str, Any]] = {}
    files: dict[str, str] = {}
    for resource in descriptor.get("resources", []):
        if "hash" in resource:
            files[resource["path"]] = str(resource["hash"]).removeprefix("sha256:")
        schema = resource.get("schema")
        if isinstance(schema, str):
            path = layout.root / schema
            schemas[schema] = json.loads(path.read_text(encoding="utf-8"))
            files[schema] = sha256_of(path)
    files[DESCRIPTOR] = descriptor_digest(descriptor)
    return ReleaseContract(
        version=str(descriptor.get("version")),
        descriptor=descriptor,
        schemas=schemas,
        files=files,
        memo_code_points=len(read_memo(layout.memo)),
        origin=origin,
    )


def installed_layout() -> Layout:
    """This installation's own copy (memo724/package/ in a wheel, else the source checkout)."""
    bundled = resources.files("memo724") / "package"
    if bundled.is_dir() and (bundled / DESCRIPTOR).is_file():
        return Layout(Path(str(bundled)))
    return REPO


def contracts_dir() -> Path:
    return installed_layout().root / CONTRACTS_DIR


def snapshot_file(root: Path, version: str) -> Path:
    return root / CONTRACTS_DIR / f"{version}.json"


def snapshot_text(contract: ReleaseContract) -> str:
    """The text of releases/contract/<version>.json (written by `memo724 release`)."""
    return json.dumps(contract.to_json(), indent=1) + "\n"


def read_snapshot(path: Path) -> ReleaseContract:
    data = json.loads(path.read_text(encoding="utf-8"))
    return ReleaseContract(
        version=data["version"],
        descriptor=data["descriptor"],
        schemas=data["schemas"],
        files=data["files"],
        memo_code_points=int(data["memo_code_points"]),
        origin=str(CONTRACTS_DIR / path.name),
    )


@lru_cache(maxsize=8)
def installed_contract() -> ReleaseContract:
    return contract_of(installed_layout(), "the installed package")


def known_versions() -> list[str]:
    versions = {installed_contract().version}
    folder = contracts_dir()
    if folder.is_dir():
        versions |= {p.stem for p in folder.glob("*.json")}
    return version_order(versions)


@lru_cache(maxsize=8)
def release_contract(version: str) -> ReleaseContract | None:
    """The contract of a version: the installed package's own, or a committed snapshot."""
    installed = installed_contract()
    if version == installed.version:
        return installed
    path = contracts_dir() / f"{version}.json"
    if "/" in version or "\\" in version or not path.is_file():
        return None
    return read_snapshot(path)
