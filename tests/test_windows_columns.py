"""Time windows set on whole columns (validation/windows.py) are contract.timeline's: on random
events, stances and links (chains, contradictions, unknown anchors, repeated and missing ids,
stances expressed by events), the windows and contradicting links equal those of
derive_windows and derive_placed run on every record."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from memo724.contract import Contract
from memo724.contract.paths import REPO
from memo724.contract.timeline import TimeLink, Window, derive_placed, derive_windows
from memo724.validation import rules
from memo724.validation.windows import Dated, Windows, as_days, last_rows, placed_windows

RELATIONS = ["before", "after", "during", "simultaneous", "begins", "ends", "includes", "overlaps"]


def _day(rng: random.Random) -> date | None:
    return rng.choice([None, date(2021, 1, 1) + timedelta(days=rng.randrange(0, 900))])


def _dates(rng: random.Random, n: int) -> pd.Series:
    return pd.Series(
        pd.arrays.ArrowExtensionArray(pa.array([_day(rng) for _ in range(n)], pa.date32()))
    )


def _package(seed: int) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed)
    text = pd.StringDtype("pyarrow")
    events = [f"e{i}" for i in range(40)]
    stances = [f"p{i}" for i in range(40)]
    # Repeated ids (the last row counts) and missing ones (no record) on purpose.
    event_ids = [rng.choice([*events, events[0], None]) for _ in range(50)]
    stance_ids = [rng.choice([*stances, stances[0], None]) for _ in range(50)]
    links = []
    for i in range(60):
        subject = rng.choice(["event", "stance"])
        links.append(
            {
                "time_link_id": f"l{i}",
                "event_id": rng.choice([*events, "e-unknown"]) if subject == "event" else None,
                "position_id": rng.choice([*stances, "p-unknown"]) if subject == "stance" else None,
                "relation": rng.choice(RELATIONS),
                "anchor_event_id": rng.choice([*events, "e-unknown", None]),
            }
        )
    return {
        "events": pd.DataFrame(
            {
                "event_id": pd.Series(event_ids, dtype=text),
                "date_start": _dates(rng, 50),
                "date_end": _dates(rng, 50),
            }
        ),
        "positions": pd.DataFrame(
            {
                "position_id": pd.Series(stance_ids, dtype=text),
                "as_of_start": _dates(rng, 50),
                "as_of_end": _dates(rng, 50),
                "expressed_by_event_id": pd.Series(
                    [rng.choice([*events, "e-unknown", None]) for _ in range(50)], dtype=text
                ),
            }
        ),
        "time_links": pd.DataFrame(links).astype(text),
        "documents": pd.DataFrame(
            {"date_start": [date(2021, 10, 1)], "date_end": [date(2021, 10, 31)]}
        ),
    }


def _reference(tables: dict[str, pd.DataFrame]) -> tuple[dict, set[str]]:
    """contract.timeline on dictionaries of every record, as the rule derived them before."""
    document = (date(2021, 10, 1), date(2021, 10, 31))
    links = tables["time_links"]

    def of(key: str) -> list[TimeLink]:
        return [
            TimeLink(i, e, r, a if isinstance(a, str) else None)
            for i, e, r, a in links[["time_link_id", key, "relation", "anchor_event_id"]]
            .astype(object)
            .itertuples(index=False)
            if isinstance(e, str)
        ]

    stated = dict(rules._stated(tables["events"], "event_id", "date"))
    events, conflicts = derive_windows(stated, of("event_id"), document)
    frame = tables["positions"].astype(object)
    expressed = {
        k: v
        for k, v in zip(frame["position_id"], frame["expressed_by_event_id"], strict=True)
        if isinstance(k, str) and isinstance(v, str)
    }
    own = dict(rules._stated(tables["positions"], "position_id", "as_of"))
    placed, more = derive_placed(own, of("position_id"), events, document, expressed)
    bad = {c.link_id for c in conflicts} | {c.link_id for c in more if c.link_id}
    return {"events": events, "positions": placed}, bad


@pytest.mark.parametrize("seed", range(40))
def test_windows_set_on_columns_are_those_derived_record_by_record(seed: int) -> None:
    tables = _package(seed)
    model = rules.TimeModel.of(Contract(REPO.schemas))
    assert model is not None
    found = rules._windows(model, tables)
    assert found is not None
    windows, bad = found
    expected, expected_bad = _reference(tables)
    assert {t: dict(w.items()) for t, w in windows.items() if t in expected} == expected
    assert bad == expected_bad


def test_every_kind_of_window_occurs_in_the_random_packages() -> None:
    # The comparison above means something only if each basis is reached.
    model = rules.TimeModel.of(Contract(REPO.schemas))
    assert model is not None
    bases: set[tuple[str, str]] = set()
    for seed in range(40):
        found = rules._windows(model, _package(seed))
        assert found is not None
        bases |= {(t, w.basis) for t, ws in found[0].items() for w in ws.values()}
    assert {("events", b) for b in ("stated", "anchored", "document-date", "unknown")} <= bases
    assert {("positions", b) for b in ("stated", "anchored", "expressed-by-event")} <= bases


def test_a_repeated_id_keeps_its_last_row_and_a_missing_one_none() -> None:
    keys = pd.Series(["a", None, "b", "a", None], dtype=pd.StringDtype("pyarrow"))
    assert last_rows(keys).tolist() == [2, 3]
    start = as_days(date(2020, 1, d) for d in range(1, 6))
    dated = Dated.of(keys, start, start)
    assert dict(dated) == {"b": (date(2020, 1, 3),) * 2, "a": (date(2020, 1, 4),) * 2}


# Where the comparison above cannot see: the basis of the windows looked up by id (the placed
# records' derivation reads only their anchors' dates), and ids that repeat, which the columns
# refuse rather than pair a record with another row's values.
TEXT = pd.StringDtype("pyarrow")
DAY = date(2021, 10, 5)


def _windows(ids: list[str], basis: list[str]) -> Windows:
    start = as_days([DAY if b == "stated" else None for b in basis])
    return Windows(Dated(pd.Series(ids, dtype=TEXT), start, start.copy()), np.array(basis, object))


def test_windows_looked_up_by_id_keep_each_records_own_basis() -> None:
    windows = _windows(["a", "b", "c"], ["stated", "anchored", "unknown"])
    assert windows.windows(["c", "a"]) == {
        "a": Window(DAY, DAY, "stated"),
        "c": Window(None, None, "unknown"),
    }


def test_windows_whose_ids_repeat_are_refused_rather_than_given_another_rows_basis() -> None:
    windows = _windows(["a", "b", "a"], ["stated", "anchored", "unknown"])
    with pytest.raises(ValueError):
        windows.windows(["a"])


def test_placing_records_whose_ids_repeat_is_refused_rather_than_pairing_the_wrong_event() -> None:
    # The two rows of "p" name different expressing events: one would be dropped silently.
    stated = Dated(pd.Series(["p", "q", "p"], dtype=TEXT), as_days([None] * 3), as_days([None] * 3))
    events = _windows(["e1", "e2"], ["stated", "stated"])
    links = [TimeLink("l1", "p", "after", "e1")]
    expressed_by = pd.Series(["e1", None, "e2"], dtype=TEXT)
    with pytest.raises(ValueError):
        placed_windows(stated, links, events, (DAY, DAY), expressed_by)
