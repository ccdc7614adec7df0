"""The contract of each release (contract/release.py) and the Table Schemas read as objects
(contract/schema.py): what a copy that names a version is judged against.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from memo724.contract import TABLES, Contract, TableSchema, singular
from memo724.contract.paths import REPO, Layout
from memo724.contract.release import (
    ReleaseContract,
    canonical_json,
    contract_of,
    contracts_dir,
    descriptor_digest,
    installed_contract,
    installed_layout,
    known_versions,
    package_descriptor,
    read_snapshot,
    release_contract,
    snapshot_file,
    snapshot_text,
    version_order,
)


def write_snapshot(contract: ReleaseContract, path: Path) -> None:
    """A snapshot file as the release writes it (publication/release.py writes the same text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snapshot_text(contract), encoding="utf-8")


def test_canonical_json_is_two_space_indented_utf8_with_a_final_newline() -> None:
    assert canonical_json({"b": [1], "a": "é"}) == '{\n  "b": [\n    1\n  ],\n  "a": "é"\n}\n'


def test_the_package_form_drops_only_what_a_release_folder_adds() -> None:
    full = {"name": "n", "files": {"a": "1"}, "build": {"commit": "c"}, "resources": []}
    assert package_descriptor(full) == {"name": "n", "resources": []}
    assert list(package_descriptor({"z": 1, "a": 2})) == ["z", "a"]  # order kept


def test_the_descriptor_digest_is_of_the_package_form_as_written() -> None:
    package = {"name": "n", "title": "Ŧ"}
    expected = hashlib.sha256(canonical_json(package).encode("utf-8")).hexdigest()
    assert descriptor_digest(package) == expected
    assert descriptor_digest({**package, "files": {"x": "y"}, "build": {}}) == expected
    assert descriptor_digest({"title": "Ŧ", "name": "n"}) != expected  # key order is bytes too


def _copy(root: Path) -> Layout:
    """A small trusted copy: a memo, one table with a hash, one schema, one file without one."""
    layout = Layout(root)
    layout.data.mkdir(parents=True)
    layout.schemas.mkdir()
    layout.memo.write_text("Mémo\r\ntext", encoding="utf-8", newline="")
    layout.schema("events").write_text('{"fields": [{"name": "id"}]}', encoding="utf-8")
    descriptor = {
        "name": "p",
        "version": "9.8.7",
        "resources": [
            {"name": "memo", "path": "data/memo.txt", "hash": "sha256:abc"},
            {
                "name": "events",
                "path": "data/events.csv",
                "hash": "def",
                "schema": "schemas/events.json",
            },
            {"name": "odd", "path": "data/odd.csv", "schema": 5},
        ],
        "files": {"x": "1"},
        "build": {"commit": "c"},
    }
    layout.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    return layout


def test_the_contract_of_a_copy_states_its_files_schemas_and_memo(tmp_path: Path) -> None:
    layout = _copy(tmp_path)
    contract = contract_of(layout, "here")
    assert contract.version == "9.8.7"
    assert contract.origin == "here"
    assert "files" not in contract.descriptor and "build" not in contract.descriptor
    schema_bytes = layout.schema("events").read_bytes()
    assert contract.files == {
        "data/memo.txt": "abc",
        "data/events.csv": "def",
        "schemas/events.json": hashlib.sha256(schema_bytes).hexdigest(),
        "datapackage.json": descriptor_digest(contract.descriptor),
    }
    assert contract.schemas == {"schemas/events.json": {"fields": [{"name": "id"}]}}
    assert contract.memo_code_points == len("Mémo\r\ntext")  # code points, CRLF as two
    assert contract.schema_tables() == {"schemas/events.json": "events"}
    assert [r["name"] for r in contract.resources] == ["memo", "events", "odd"]


def test_a_copy_without_a_version_or_resources_still_has_a_contract(tmp_path: Path) -> None:
    layout = _copy(tmp_path)
    layout.descriptor.write_text("{}", encoding="utf-8")
    contract = contract_of(layout, "here")
    assert contract.version == "None"
    assert contract.resources == []
    assert contract.files == {"datapackage.json": descriptor_digest({})}


def test_a_snapshot_reads_back_as_the_contract_it_was(tmp_path: Path) -> None:
    contract = contract_of(_copy(tmp_path / "copy"), "here")
    path = snapshot_file(tmp_path, "9.8.7")
    assert path == tmp_path / "releases" / "contract" / "9.8.7.json"
    write_snapshot(contract, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n "version": "9.8.7",\n')
    assert json.loads(text) == contract.to_json()
    keys = ["version", "memo_code_points", "files", "descriptor", "schemas"]
    assert list(json.loads(text)) == keys
    back = read_snapshot(path)
    assert back.origin == "releases/contract/9.8.7.json"
    assert back.to_json() == contract.to_json()
    assert (back.version, back.memo_code_points) == (contract.version, contract.memo_code_points)
    assert back.files == contract.files and back.schemas == contract.schemas


def test_to_json_sorts_files_and_schemas_by_path() -> None:
    contract = ReleaseContract(
        version="1",
        descriptor={"z": 1, "a": 2},
        schemas={"schemas/b.json": {}, "schemas/a.json": {}},
        files={"z": "1", "a": "2"},
        memo_code_points=3,
        origin="o",
    )
    data = contract.to_json()
    assert list(data["files"]) == ["a", "z"]
    assert list(data["schemas"]) == ["schemas/a.json", "schemas/b.json"]
    assert list(data["descriptor"]) == ["z", "a"]


def test_versions_sort_in_release_order_and_names_that_are_no_version_last() -> None:
    assert version_order(["0.10.0", "0.9.0", "1.0.0rc1", "1.0.0", "0.9.1"]) == [
        "0.9.0",
        "0.9.1",
        "0.10.0",
        "1.0.0rc1",
        "1.0.0",
    ]
    assert version_order({"b-name", "0.2.0", "a-name", "0.1.0"}) == [
        "0.1.0",
        "0.2.0",
        "a-name",
        "b-name",
    ]
    assert version_order([]) == []


def test_the_source_checkout_is_the_installed_copy_here() -> None:
    # Run from a checkout (or mutmut's copy of it), not a wheel: the package's data is REPO's.
    assert installed_layout() == REPO
    assert contracts_dir() == REPO.root / "releases" / "contract"


def test_each_known_version_has_a_contract_and_others_have_none() -> None:
    installed = installed_contract()
    assert release_contract(installed.version) is installed
    versions = known_versions()
    assert installed.version in versions
    assert versions == version_order(versions)
    snapshots = {p.stem for p in contracts_dir().glob("*.json")}
    assert set(versions) == snapshots | {installed.version}
    for version in snapshots - {installed.version}:
        contract = release_contract(version)
        assert contract is not None and contract.version == version
        assert contract.origin == f"releases/contract/{version}.json"
    assert release_contract("0.0.0-none") is None
    assert release_contract("../contract/0.1.0") is None  # a version is no path
    assert release_contract("..\\x") is None


# ---- contract/schema.py ----


def test_a_table_schema_reads_fields_keys_and_groups() -> None:
    schema = TableSchema(
        "events",
        {
            "fields": [
                {"name": "event_id"},
                {"name": "summary", "verbatim": True},
                {"name": "note", "verbatim": "true"},  # only a literal true
                {"name": "date_edtf", "constraints": {"enum": ["a", "b"]}},
                {"name": "until_edtf"},
                {"name": "edtf"},
            ],
            "primaryKey": "event_id",
            "foreignKeys": [
                {"fields": "parent_id", "reference": {"resource": "", "fields": "event_id"}},
                {
                    "fields": ["actor_id"],
                    "reference": {"resource": "actors", "fields": ["actor_id"]},
                },
            ],
        },
    )
    assert schema.field_names == ["event_id", "summary", "note", "date_edtf", "until_edtf", "edtf"]
    assert schema.primary_key == ["event_id"]
    assert [(k.field, k.resource, k.ref_field) for k in schema.foreign_keys] == [
        ("parent_id", "events", "event_id"),
        ("actor_id", "actors", "actor_id"),
    ]
    assert schema.enum("date_edtf") == ["a", "b"]
    assert schema.enum("summary") == []
    assert schema.date_groups == ["date", "until"]
    assert schema.label_field is None  # a schema that states no labelField has none
    assert schema.verbatim_fields == ["summary"]
    with pytest.raises(KeyError, match="events has no field Summary"):
        schema.field("Summary")
    assert TableSchema("t", {"fields": []}).primary_key == []
    assert TableSchema("t", {"fields": []}).label_field is None


def test_the_label_field_is_the_one_the_schema_states_and_only_a_field_of_it() -> None:
    def label(stated: object, *names: str) -> str | None:
        descriptor = {"fields": [{"name": n} for n in names], "labelField": stated}
        return TableSchema("t", descriptor).label_field

    assert label("title", "name", "title") == "title"  # stated, not the first or a preferred one
    assert label("name", "name", "title") == "name"
    assert label("Name", "name") is None  # names are case-sensitive
    assert label("names", "name") is None  # not a field of the table
    assert label(["name"], "name") is None  # a field's name, not a list
    # In this release, the tables of records, the document and its passages (named by their
    # words) have one; the link tables and the evidence do not.
    contract = Contract(REPO.schemas)
    for name in contract.tables:
        named = contract[name].descriptor.get("role") in ("record", "document", "structure")
        assert (contract[name].label_field is not None) == named, name


def test_a_composite_foreign_key_is_refused_loudly() -> None:
    composite = {"fields": ["a", "b"], "reference": {"resource": "x", "fields": ["a", "b"]}}
    schema = TableSchema("t", {"fields": [], "foreignKeys": [composite]})
    with pytest.raises(ValueError, match="t: composite foreign keys are not supported"):
        _ = schema.foreign_keys
    half = {"fields": "a", "reference": {"resource": "x", "fields": ["a", "b"]}}
    with pytest.raises(ValueError):
        _ = TableSchema("t", {"fields": [], "foreignKeys": [half]}).foreign_keys


def test_the_contract_reads_every_table_in_reading_order(tmp_path: Path) -> None:
    for name in TABLES:
        (tmp_path / f"{name}.json").write_text(
            json.dumps({"fields": [{"name": f"{name}_ü"}]}), encoding="utf-8"
        )
    contract = Contract(tmp_path)
    assert contract.schema_dir == tmp_path
    assert list(contract.tables) == list(TABLES)
    assert contract["events"].field_names == ["events_ü"]
    assert contract["events"].name == "events"
    of = Contract.of({name: {"fields": [{"name": name}]} for name in reversed(TABLES)})
    assert list(of.tables) == list(TABLES)
    assert of["actors"].field_names == ["actors"] and of["actors"].name == "actors"


def test_evidence_subjects_are_the_keys_named_as_the_key_they_reference() -> None:
    schemas = {name: {"fields": []} for name in TABLES}

    def fk(field: str, resource: str, ref: str) -> dict:
        return {"fields": field, "reference": {"resource": resource, "fields": ref}}

    schemas["evidence"] = {
        "fields": [],
        "foreignKeys": [
            fk("event_id", "events", "event_id"),
            fk("actor_id", "actors", "actor_id"),
            fk("cites_source_id", "sources", "source_id"),  # named otherwise: no subject
            fk("passage_id", "passages", "passage_id"),  # structure, not a record
            fk("document_id", "documents", "document_id"),
        ],
    }
    contract = Contract.of(schemas)
    assert contract.evidence_subjects == {"events": "event_id", "actors": "actor_id"}
    assert contract.record_tables == ["events", "actors"]


def test_singular_drops_one_final_s() -> None:
    assert singular("events") == "event"
    assert singular("risk_actors") == "risk_actor"
    assert singular("evidence") == "evidence"
    assert singular("ss") == "s"


@pytest.fixture
def wheel_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Layout]:
    """memo724/package/ as a wheel installs it, with one earlier release's snapshot."""
    import memo724.contract.release as release

    installed = tmp_path / "memo724"
    layout = _copy(installed / "package")
    write_snapshot(contract_of(_copy(tmp_path / "old"), "x"), snapshot_file(layout.root, "0.0.1"))
    bundle = SimpleNamespace(files=lambda name: installed if name == "memo724" else None)
    monkeypatch.setattr(release, "resources", bundle)
    for cached in (installed_contract, release_contract):
        cached.cache_clear()
    yield layout
    for cached in (installed_contract, release_contract):
        cached.cache_clear()


def test_a_wheels_bundled_copy_is_the_installed_one(wheel_copy: Layout) -> None:
    assert installed_layout() == wheel_copy
    assert contracts_dir() == wheel_copy.root / "releases" / "contract"
    contract = installed_contract()
    assert (contract.version, contract.origin) == ("9.8.7", "the installed package")
    assert known_versions() == ["0.0.1", "9.8.7"]
    old = release_contract("0.0.1")
    assert old is not None and old.origin == "releases/contract/0.0.1.json"


def test_without_snapshots_the_installed_version_is_the_only_one_known(
    wheel_copy: Layout,
) -> None:
    import shutil

    shutil.rmtree(wheel_copy.root / "releases")
    assert known_versions() == ["9.8.7"]
    assert release_contract("0.0.1") is None


def test_a_package_folder_without_a_descriptor_is_no_bundled_copy(wheel_copy: Layout) -> None:
    wheel_copy.descriptor.unlink()
    assert installed_layout() == REPO


def test_a_second_snapshot_is_written_beside_the_first(tmp_path: Path) -> None:
    contract = contract_of(_copy(tmp_path / "copy"), "here")
    write_snapshot(contract, snapshot_file(tmp_path, "1.0.0"))
    write_snapshot(contract, snapshot_file(tmp_path, "1.0.1"))
    assert sorted(p.name for p in (tmp_path / "releases" / "contract").iterdir()) == [
        "1.0.0.json",
        "1.0.1.json",
    ]
