"""The last table is checked on a second thread while the others are checked (issue 16, speed):
the problems are those of checking every table in turn, and the caller's Pandera settings reach
that thread too."""

from __future__ import annotations

import csv
import io

from pandera.config import config_context

from memo724.contract import Contract
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO
from memo724.contract.rules import effective_schema
from memo724.publication.package import csv_text
from memo724.validation.schemas import Context, derive
from memo724.validation.validate import _failures, load_typed, schema_problems


def _damaged() -> tuple[Contract, dict[str, bytes], str]:
    """The repository's tables with a problem in the evidence (the last table) and in two others."""
    memo = read_memo(REPO.memo)
    contract = Contract.of(
        {
            name: effective_schema(name, s.descriptor, len(memo))
            for name, s in Contract(REPO.schemas).tables.items()
        }
    )
    tables = {
        name: list(csv.DictReader(io.StringIO(REPO.table(name).read_text("utf-8"), newline="")))
        for name in contract.tables
    }
    tables["evidence"][3]["exact"] = "words the memo never says"
    tables["events"][1]["date_start"] = "2099-01-01"
    tables["actors"][2]["actor_id"] = tables["actors"][3]["actor_id"]
    sources = {name: csv_text(list(t[0]), t).encode("utf-8") for name, t in tables.items()}
    return contract, sources, memo


def test_the_problems_are_those_of_checking_each_table_in_turn() -> None:
    contract, sources, memo = _damaged()
    frames, _ = load_typed(dict(sources), contract)
    ctx = Context(dict(frames), memo)
    in_turn = [
        p
        for name in contract.tables
        for p in _failures(name, derive(contract, name, ctx), frames[name])
    ]
    found = schema_problems(contract, dict(frames), memo)
    assert [str(p) for p in found] == [str(p) for p in in_turn]
    assert {"evidence", "events", "actors"} <= {p.where for p in found}


def test_the_callers_pandera_settings_reach_the_last_tables_thread() -> None:
    contract, sources, memo = _damaged()
    frames, _ = load_typed(dict(sources), contract)
    with config_context(validation_enabled=False):
        assert schema_problems(contract, frames, memo) == []
