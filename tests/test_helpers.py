"""The helpers users reach for: tables(), describe(), evidence(), attrs and ordered codes."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

import memo724
from memo724.contract import TABLES, Contract
from memo724.contract.paths import Layout
from memo724.contract.typed import text_frame as read_frame


def test_tables_lists_every_table_in_reading_order() -> None:
    assert memo724.tables() == list(TABLES)


def test_describe_overview_counts_rows(pristine: Layout, contract: Contract) -> None:
    overview = memo724.describe(layout=pristine)
    assert overview["table"].tolist() == list(TABLES)
    for name, rows, desc in overview[["table", "rows", "description"]].itertuples(index=False):
        assert rows == len(read_frame(pristine.table(name)))
        assert desc == contract[name].descriptor["description"]


@pytest.mark.parametrize("name", TABLES)
def test_describe_a_table_mirrors_its_schema(
    pristine: Layout, contract: Contract, name: str
) -> None:
    schema = contract[name]
    fields = memo724.describe(name, layout=pristine).set_index("field")
    assert fields.index.tolist() == schema.field_names
    assert fields.attrs["description"] == schema.descriptor["description"]
    assert fields.attrs["primary_key"] == schema.primary_key
    refs = {fk.field: f"{fk.resource}.{fk.ref_field}" for fk in schema.foreign_keys}
    for f in schema.fields:
        row = fields.loc[f["name"]]
        assert row["type"] == f["type"] and row["description"] == f["description"]
        assert bool(row["required"]) == bool(f["constraints"].get("required"))
        enum = f["constraints"].get("enum")
        assert row["values"] == (tuple(enum) if enum else None)
        assert (None if pd.isna(row["ordered"]) else bool(row["ordered"])) == (
            (f.get("categoriesOrdered") is True) if enum else None
        )
        assert (None if pd.isna(row["references"]) else row["references"]) == refs.get(f["name"])


def test_describe_marks_ordinal_scales() -> None:
    fields = memo724.describe("risks").set_index("field")
    assert fields.loc["likelihood", "ordered"] == True  # noqa: E712 (pandas boolean)
    assert fields.loc["category", "ordered"] == False  # noqa: E712
    assert fields.loc["likelihood", "values"][0] == "almost-no-chance"


def test_unknown_table_names_the_tables() -> None:
    with pytest.raises(KeyError, match="no table 'nope'; the tables are documents"):
        memo724.describe("nope")


@pytest.mark.parametrize("name", TABLES)
def test_frames_carry_their_documentation(pristine: Layout, contract: Contract, name: str) -> None:
    frame = memo724.load(name, layout=pristine)
    schema = contract[name]
    assert frame.attrs["table"] == name
    assert frame.attrs["primary_key"] == schema.primary_key
    assert frame.attrs["descriptions"] == {f["name"]: f["description"] for f in schema.fields}
    arrow = memo724.load_arrow(name, layout=pristine)
    for f in schema.fields:
        assert arrow.schema.field(f["name"]).metadata[b"description"].decode() == f["description"]


def test_ordinal_codes_sort_and_compare_by_their_scale(pristine: Layout) -> None:
    risks = memo724.load("risks", layout=pristine)
    assert risks["likelihood"].cat.ordered and not risks["category"].cat.ordered
    events = memo724.load("events", layout=pristine)
    precision = events["date_precision"]
    assert precision.cat.ordered
    assert precision.cat.categories[:3].tolist() == ["day", "month", "season"]
    assert precision.nunique() > 2, "too few precisions to compare"
    # "At least as precise as a month" follows the scale, not the alphabet.
    fine = (precision <= "month").tolist()
    assert fine == precision.isin(["day", "month"]).tolist() and any(fine)
    ordered = events.sort_values("date_precision")["date_precision"]
    assert ordered.cat.codes.is_monotonic_increasing


def test_evidence_of_a_record(pristine: Layout) -> None:
    text = memo724.memo_text(pristine)
    spans = memo724.evidence("events", "taliban-takeover-of-afghanistan", layout=pristine)
    raw = read_frame(pristine.table("evidence"))
    expected = raw.loc[raw["event_id"] == "taliban-takeover-of-afghanistan", "evidence_id"]
    assert sorted(spans["evidence_id"]) == sorted(expected) and len(spans) > 0
    assert spans["start"].is_monotonic_increasing
    passages = read_frame(pristine.table("passages")).set_index("passage_id")
    for row in spans.itertuples(index=False):
        assert text[row.start : row.end] == row.exact
        assert row.passage == passages.loc[row.passage_id, "text"]
        assert row.exact in row.passage or row.passage.startswith(row.exact[: len(row.passage)])
    assert spans.attrs["descriptions"]["exact"].startswith("TextQuoteSelector exact")


def test_evidence_for_every_record_table(pristine: Layout, contract: Contract) -> None:
    for table, column in contract.evidence_subjects.items():
        (key,) = contract[table].primary_key
        first = read_frame(pristine.table(table))[key].iloc[0]
        spans = memo724.evidence(table, first, layout=pristine)
        assert len(spans) > 0 and spans["evidence_id"].str.startswith(column[: -len("_id")]).all()


def test_evidence_refuses_unknown_rows_and_tables_without_evidence(pristine: Layout) -> None:
    with pytest.raises(KeyError, match="events has no row with event_id = 'nope'"):
        memo724.evidence("events", "nope", layout=pristine)
    with pytest.raises(ValueError, match="no evidence of their own; the tables with evidence"):
        memo724.evidence("event_participants", "x", layout=pristine)


def test_parquet_keeps_ordered_dictionaries(pristine: Layout, contract: Contract, tmp_path) -> None:
    import pyarrow.parquet as pq

    from memo724.publication.release import write_parquet

    write_parquet(contract, pristine.data, tmp_path)
    risks = pq.read_table(tmp_path / "risks.parquet")
    assert risks.schema.field("likelihood").type == pa.dictionary(
        pa.int32(), pa.string(), ordered=True
    )
    assert not risks.schema.field("category").type.ordered
    assert pd.read_parquet(tmp_path / "risks.parquet")["likelihood"].cat.ordered
