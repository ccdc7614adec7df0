"""The evidence key's form, written by the build and read by the validators."""

from __future__ import annotations

import pyarrow as pa

from memo724.contract.evidence_ids import evidence_id, named_records


def test_an_id_is_the_kind_the_record_and_the_start() -> None:
    assert evidence_id("actors", "russia", 12) == "actor.russia.12"
    assert evidence_id("time_links", "tl.1", 0) == "time_link.tl.1.0"


def test_each_kind_reads_back_the_record_its_ids_name() -> None:
    ids = [
        evidence_id("actors", "russia", 12),
        evidence_id("events", "ev.with.dots", 3),
        evidence_id("time_links", "t1", 7),
        "actor.no-start",  # not of the form: its pattern's to report
        "actor.russia.1x",  # a start that is not a number
        None,
        "place.kabul.4",  # a kind no table has
        "actors.russia.5",  # the table's name, not its kind
    ]
    for kind in (pa.string(), pa.large_string()):
        column = pa.chunked_array([pa.array(ids, kind)])
        formed, by_kind = named_records(column, ["actor", "event", "time", "time_link"])
        assert formed.tolist() == [True, True, True, False, False, False, True, True]
        found = {k: (rows.tolist(), records.to_pylist()) for k, (rows, records) in by_kind.items()}
        assert found == {
            "actor": ([0], ["russia"]),
            "event": ([1], ["ev.with.dots"]),
            "time_link": ([2], ["t1"]),
        }
