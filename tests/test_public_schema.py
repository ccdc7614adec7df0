"""`memo724.schema(table)` validates the frames `memo724.load()` returns, and catches edits."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

import memo724
from memo724.contract import TABLES
from memo724.contract.paths import Layout


@pytest.fixture(scope="module")
def tables(pristine: Layout) -> dict[str, pd.DataFrame]:
    return memo724.load_all(layout=pristine)


@pytest.mark.parametrize("name", TABLES)
def test_loaded_frames_pass_their_schema(
    name: str, tables: dict[str, pd.DataFrame], pristine: Layout
) -> None:
    memo724.schema(name).validate(tables[name], lazy=True)
    full = memo724.schema(name, tables=tables, memo=memo724.memo_text(pristine))
    full.validate(tables[name], lazy=True)


def failure_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Pandera's failure cases of validating frame (none when it passes)."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame({"check": [], "column": []})


def failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> set[str]:
    return {str(c).partition(":")[0] for c in failure_cases(schema, frame)["check"]}


def wrongly_typed(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> set[str]:
    """The columns whose dtype check failed."""
    cases = failure_cases(schema, frame)
    return set(cases[cases["check"].astype(str).str.startswith("dtype(")]["column"])


def test_a_users_edits_are_caught(tables: dict[str, pd.DataFrame], pristine: Layout) -> None:
    events = tables["events"].copy()
    dated = events["date_start"].notna()
    first = events.index[dated][0]
    events.loc[first, "date_end"] = events.loc[first, "date_start"] - pd.Timedelta(days=1)
    assert {"date-order@date_end", "edtf-bounds@date_end"} <= failures(
        memo724.schema("events"), events
    )
    # Without the other tables an unknown actor passes; with them it is a broken key.
    participants = tables["event_participants"].copy()
    participants.loc[0, "actor_id"] = "nobody"
    assert failures(memo724.schema("event_participants"), participants) == set()
    assert "foreignKey" in failures(
        memo724.schema("event_participants", tables=tables), participants
    )
    evidence = tables["evidence"].copy()
    evidence.loc[0, "exact"] = evidence.loc[0, "exact"] + "!"
    memo = memo724.memo_text(pristine)
    assert "exact-at-offsets@exact" in failures(memo724.schema("evidence", memo=memo), evidence)


def test_a_frame_of_text_is_refused_for_its_types(pristine: Layout) -> None:
    from memo724.contract.typed import text_frame

    text = text_frame(pristine.table("passages"))  # every column a string
    assert any(c.startswith("dtype(") for c in failures(memo724.schema("passages"), text))


def test_an_object_column_passes_as_text_only_if_its_cells_are_text(
    tables: dict[str, pd.DataFrame],
) -> None:
    """A user's frame may hold text in object columns. Whole numbers there are refused; strings
    and missing cells are judged as Pandera's own string dtype judges them (pandera 0.35 accepts
    them, 0.24 refuses any object column)."""
    actors = tables["actors"]
    schema = memo724.schema("actors")
    plain = pa.DataFrameSchema({"text": pa.Column(pd.StringDtype("pyarrow"), nullable=True)})
    for column in ("actor_id", "role_title"):
        as_object = actors.astype({column: object})
        as_object.loc[0, "role_title"] = None
        accepted = not failures(plain, pd.DataFrame({"text": as_object[column]}))
        assert not failures(schema, as_object) if accepted else failures(schema, as_object)
    numbered = actors.assign(actor_id=pd.Series(range(len(actors)), dtype=object))
    assert wrongly_typed(schema, numbered) == {"actor_id"}


def test_unknown_table() -> None:
    with pytest.raises(KeyError, match="no table 'nope'"):
        memo724.schema("nope")


def test_it_is_the_schema_validate_runs(
    tables: dict[str, pd.DataFrame], package_copy: Layout
) -> None:
    """A cell `memo724 validate` refuses on a copy is refused by `memo724.schema()` on the frame,
    under the same rule: the derived rules (here: spreadsheet-safe text) are in both."""
    from memo724.validation.api import judge

    formula = '=HYPERLINK("http://example.invalid")'
    frame = tables["events"].copy()
    frame.loc[0, "summary"] = formula
    assert failures(memo724.schema("events"), frame) == {"spreadsheet-safe"}

    text = pd.read_csv(package_copy.table("events"), dtype=str, keep_default_na=False)
    text.loc[0, "summary"] = formula
    text.to_csv(package_copy.table("events"), index=False, lineterminator="\n")
    found = [p for p in judge(package_copy.root) if p.where == "events"]
    assert [(p.row, p.field, p.rule) for p in found] == [(2, "summary", "spreadsheet-safe")]


def test_an_evidence_id_names_the_record_its_row_points_to(
    tables: dict[str, pd.DataFrame], pristine: Layout
) -> None:
    """id-names-record: the kind and record of `<kind>.<record id>.<start>` are the row's; an id
    of another form is the pattern's alone; a record column naming nothing is the key's."""
    schema = memo724.schema("evidence", tables=tables, memo=memo724.memo_text(pristine))
    evidence = tables["evidence"]
    row = evidence.index[evidence["actor_id"].notna()][0]
    actor, start = evidence.loc[row, "actor_id"], evidence.loc[row, "start"]

    def with_id(value: str, **cells: str) -> set[str]:
        frame = evidence.copy()
        frame.loc[row, "evidence_id"] = value
        for column, cell in cells.items():
            frame.loc[row, column] = cell
        return {name.partition("@")[0] for name in failures(schema, frame)}

    assert "id-names-record" not in with_id(f"actor.{actor}.{start}")
    assert "id-names-record" in with_id(f"event.{actor}.{start}")  # another kind
    assert "id-names-record" in with_id(f"pledge.{actor}.{start}")  # no such kind
    assert "id-names-record" in with_id(f"actor.{actor}x.{start}")  # one code point more
    assert "id-names-record" in with_id(f"actor.{actor.upper()}.{start}")  # case only
    unformed = with_id(f"actor.{actor}")
    assert "pattern" in unformed and "id-names-record" not in unformed
    dangling = with_id(f"actor.{actor}.{start}", actor_id="nobody")
    assert "foreignKey" in dangling and "id-names-record" not in dangling
