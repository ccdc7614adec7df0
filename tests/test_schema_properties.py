"""Table knowledge the schemas state, read through the contract, for this release and the old.

The time-link table (`placesInTime`) and the tables its links place, and the tables a coder
codes (role "record"), come from the schemas; the releases up to 0.4.0, whose schemas state no
such property, are read to the same facts.
"""

from __future__ import annotations

import copy

import pytest

from memo724 import __version__
from memo724.contract import Contract
from memo724.contract.paths import REPO
from memo724.contract.release import known_versions, release_contract
from memo724.contract.version import version_key
from memo724.curation.manual import coded_tables

PLACED = {"events": "event_id", "positions": "position_id", "relations": "relation_id"}


def release_schemas(version: str) -> dict[str, dict]:
    release = release_contract(version)
    assert release is not None
    tables = release.schema_tables()
    return {tables[rel]: schema for rel, schema in release.schemas.items()}


def test_the_time_links_place_what_their_keys_name() -> None:
    contract = Contract(REPO.schemas)
    assert contract.time_link_table == "time_links"
    assert contract.placed_subjects == PLACED


# The properties came with 0.5.0: the releases before it state none.
STATED_SINCE = "0.5.0"
OLD = [v for v in known_versions() if version_key(v) < version_key(STATED_SINCE)]
STATING = [
    v for v in known_versions() if version_key(v) >= version_key(STATED_SINCE) and v != __version__
]


@pytest.mark.parametrize("version", OLD)
def test_an_old_release_states_no_property_and_reads_the_same(version: str) -> None:
    schemas = release_schemas(version)
    assert all("placesInTime" not in s for s in schemas.values())
    if "time_links" not in schemas:  # before time links were coded
        assert Contract.of(schemas).placed_subjects == {}
        return
    contract = Contract.of(schemas)
    assert contract.time_link_table == "time_links"
    # what that release's links could place: the subject columns its time_links had
    columns = contract["time_links"].field_names
    assert contract.placed_subjects == {t: c for t, c in PLACED.items() if c in columns}
    assert "events" in contract.placed_subjects


@pytest.mark.parametrize("version", STATING)
def test_a_release_since_the_properties_states_them_as_this_one_reads_them(version: str) -> None:
    schemas = release_schemas(version)
    assert [n for n, s in schemas.items() if s.get("placesInTime")] == ["time_links"]
    contract = Contract.of(schemas)
    assert contract.time_link_table == "time_links"
    assert contract.placed_subjects == PLACED


def test_a_schema_that_states_it_is_read_by_its_property() -> None:
    schemas = {
        name: copy.deepcopy(s.descriptor) for name, s in Contract(REPO.schemas).tables.items()
    }
    del schemas["time_links"]["placesInTime"]
    assert Contract.of(schemas).time_link_table is None  # states a role, so not an old release
    assert Contract.of(schemas).placed_subjects == {}
    schemas["time_links"]["placesInTime"] = True
    # a link that may also place sources: one foreign key named as the key it references
    schemas["time_links"]["fields"].append({"name": "source_id", "type": "string"})
    schemas["time_links"]["foreignKeys"].append(
        {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}
    )
    assert Contract.of(schemas).placed_subjects == {**PLACED, "sources": "source_id"}


def test_the_coded_tables_are_the_record_tables() -> None:
    contract = Contract(REPO.schemas)
    assert coded_tables(contract) == [
        "actors",
        "events",
        "positions",
        "risks",
        "sources",
        "assessments",
        "relations",
        "time_links",
    ]


def test_the_agreement_lists_agree_with_the_schemas() -> None:
    # agreement.py's protocol is frozen with the blind coding (see its docstring); what it says
    # of tables must still be what the schemas state: each compared table and field exists, the
    # child tables are the record lists, the actor fields are foreign keys into actors.
    from memo724.curation.agreement import ACTOR_FIELDS, CHILDREN, COMPARED, IDENTITY

    contract = Contract(REPO.schemas)
    for table, fields in COMPARED.items():
        assert contract[table].role == "record", table
        assert set(fields) <= set(contract[table].field_names), table
    assert {
        parent: link for parent, lists in contract.record_lists.items() for link in lists.values()
    } == CHILDREN
    into_actors = {
        fk.field
        for table in COMPARED
        for fk in contract[table].foreign_keys
        if fk.resource == "actors" and fk.field in COMPARED[table]
    }
    assert into_actors == ACTOR_FIELDS
    for table, refs in IDENTITY.items():
        assert set(refs.values()) <= set(contract[table].field_names), table
