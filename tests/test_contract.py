"""The Table Schemas are complete, and everything derived from them agrees with them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import pyarrow
import pycountry
import pytest
from pandera.engines.pandas_engine import Engine

from memo724.contract import TABLES, Contract
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import text_frame as read_frame
from memo724.validation.schemas import Context, derive


def test_every_field_is_described_and_every_reference_declared(contract: Contract) -> None:
    keys = {contract[t].primary_key[0] for t in TABLES if len(contract[t].primary_key) == 1}
    for name in TABLES:
        schema = contract[name]
        assert schema.descriptor.get("description"), name
        assert schema.primary_key, f"{name} has no primary key"
        fk_fields = {fk.field for fk in schema.foreign_keys}
        for field in schema.fields:
            assert field.get("description"), f"{name}.{field['name']} has no description"
            fname = field["name"]
            # Any *_id column that is not the table's own key must be a declared foreign key.
            if fname.endswith("_id") and fname not in schema.primary_key:
                assert fname in fk_fields, f"{name}.{fname} refers to rows but is no foreignKey"
            if name in ("event_participants", "risk_actors") and fname in keys:
                assert fname in fk_fields
        for fk in schema.foreign_keys:
            target = contract[fk.resource]
            assert target.primary_key == [fk.ref_field], f"{name}.{fk.field} must reference a key"


CODED = {
    "kind",
    "role",
    "stance",
    "issue",
    "attribution",
    "factuality",
    "category",
    "likelihood",
    "trend",
    "event_type",
    "relation_type",
    "section",
    "language",
    "media_type",
}


def test_coded_fields_have_enums(contract: Contract) -> None:
    for name in TABLES:
        for field in contract[name].fields:
            coded = field["name"] in CODED or field["name"].endswith("_precision")
            if coded:
                assert field.get("constraints", {}).get("enum"), f"{name}.{field['name']}"


# Coded fields whose values form a scale: date precision (finest to unknown), certainty (least to
# most certain), ICD 203 likelihood bands (least to most likely) and trends (worse to better).
ORDINAL_NAMES = {"likelihood", "trend", "certainty"}


def test_ordinal_scales_declare_their_order(contract: Contract) -> None:
    """categories (Table Schema v2) repeat the enum in order, and mark exactly the scales."""
    ordinal = []
    for name in TABLES:
        for field in contract[name].fields:
            enum = field.get("constraints", {}).get("enum")
            if "categories" in field or "categoriesOrdered" in field:
                assert field.get("categories") == enum, f"{name}.{field['name']}: categories"
                assert field.get("categoriesOrdered") is True, f"{name}.{field['name']}"
                ordinal.append(f"{name}.{field['name']}")
            scale = field["name"] in ORDINAL_NAMES or field["name"].endswith("_precision")
            assert scale == (f"{name}.{field['name']}" in ordinal), (
                f"{name}.{field['name']}: ordinal scale must (only) carry categoriesOrdered"
            )
    assert "events.date_precision" in ordinal and "risks.likelihood" in ordinal


def test_date_groups_are_complete(contract: Contract) -> None:
    groups = {name: contract[name].date_groups for name in TABLES}
    assert {n: g for n, g in groups.items() if g} == {
        "documents": ["date"],
        "events": ["date"],
        "positions": ["as_of"],
        "relations": ["as_of"],
        "sources": ["date"],
    }
    for name in TABLES:
        schema = contract[name]
        for prefix in schema.date_groups:
            for suffix, ftype in (("start", "date"), ("end", "date"), ("precision", "string")):
                assert schema.field(f"{prefix}_{suffix}")["type"] == ftype


# The pandas dtype `memo724.load()` gives each Table Schema type (README, "Load the tables"),
# written out here rather than taken from contract.typed, which the derivation itself uses.
LOADED_DTYPES = {
    "string": pd.StringDtype("pyarrow"),
    "integer": pd.Int64Dtype(),
    "number": pd.Float64Dtype(),
    "boolean": pd.BooleanDtype(),
    "date": pd.ArrowDtype(pyarrow.date32()),
}


def breaking(rule: str, limit: Any, ftype: str) -> pd.Series:
    """One value that breaks the constraint, typed as the loader types the field."""
    if rule == "enum":  # an unknown code never reaches a categorical: test it as text
        return pd.Series(["zz-not-a-code"], dtype=LOADED_DTYPES["string"])
    if rule == "pattern":
        return pd.Series(["Not Valid!"], dtype=LOADED_DTYPES["string"])
    if rule in ("minLength", "maxLength"):
        length = limit - 1 if rule == "minLength" else limit + 1
        return pd.Series(["a" * length], dtype=LOADED_DTYPES["string"])
    step = 1 if rule == "maximum" else -1
    if ftype == "date":
        value = date.fromisoformat(limit) + timedelta(days=step)
        return pd.Series([value], dtype=LOADED_DTYPES["date"])
    return pd.Series([limit + step], dtype=LOADED_DTYPES[ftype])


def test_pandera_derivation_covers_every_constraint(contract: Contract) -> None:
    """Each type is the column dtype the loader documents, and each constraint a Pandera check
    of the same name that refuses a value breaking it."""
    checked = 0
    for name in TABLES:
        derived = derive(contract, name)
        for field in contract[name].fields:
            where = f"{name}.{field['name']}"
            column = derived.columns[field["name"]]
            constraints = field.get("constraints", {})
            if "enum" in constraints:  # a categorical of the codes in schema order
                assert isinstance(column.dtype.type, pd.CategoricalDtype), where
                assert list(column.dtype.categories) == constraints["enum"], where
                assert column.dtype.ordered == (field.get("categoriesOrdered") is True), where
            else:
                expected = LOADED_DTYPES[field.get("type", "string")]
                assert column.dtype.check(Engine.dtype(expected)), where
            checks = {c.name: c for c in column.checks}
            for rule, limit in constraints.items():
                if rule in ("required", "unique"):  # column options, tested below
                    continue
                assert rule in checks, f"{where}: no {rule} check"
                result = checks[rule](breaking(rule, limit, field.get("type", "string")))
                assert not bool(result.check_passed), f"{where}: {rule} let {limit} be broken"
                checked += 1
    assert checked > 50


def test_pandera_schema_mirrors_required_unique_and_keys(
    pristine: Layout, contract: Contract
) -> None:
    frames = {t: read_frame(pristine.table(t)) for t in TABLES}
    ctx = Context(frames, "")
    for name in TABLES:
        schema = contract[name]
        derived = derive(contract, name, ctx)
        assert list(derived.columns) == schema.field_names
        # A one-field key is enforced as its column's uniqueness (declared unique).
        pk = schema.primary_key
        assert derived.unique == pk or (len(pk) == 1 and derived.columns[pk[0]].unique)
        for field in schema.fields:
            c = field.get("constraints", {})
            column = derived.columns[field["name"]]
            assert column.nullable == (not c.get("required", False))
            assert column.unique == bool(c.get("unique", False))
        fk_checked = {
            n
            for n, col in derived.columns.items()
            if any(ch.name == "foreignKey" for ch in col.checks)
        }
        # Keys into the same table are row checks reported on the key's field.
        fk_checked |= {
            str(ch.error).split(": ")[0].partition("@")[2]
            for ch in derived.checks
            if ch.name == "foreignKey"
        }
        assert fk_checked == {fk.field for fk in schema.foreign_keys}


def test_state_codes_are_real_iso_3166_alpha3(pristine: Layout) -> None:
    actors = read_frame(pristine.table("actors"))
    states = actors[actors["kind"] == "state"]
    assert len(states) > 0
    for _, row in actors.iterrows():
        if row["kind"] == "state":
            assert pycountry.countries.get(alpha_3=row["iso3"]) is not None, row["actor_id"]
        else:
            assert pd.isna(row["iso3"]), f"{row['actor_id']} is no state but has an ISO code"


@pytest.mark.parametrize("table", Contract(REPO.schemas).record_tables)
def test_every_record_has_evidence(pristine: Layout, contract: Contract, table: str) -> None:
    subject = contract.evidence_subjects[table]
    evidence = read_frame(pristine.table("evidence"))
    ids = set(read_frame(pristine.table(table))[contract[table].primary_key[0]])
    assert ids <= set(evidence[subject].dropna())
