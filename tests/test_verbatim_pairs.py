"""The verbatim rule, as `memo724 validate` runs it, against its words checked record by record:
on the repository's tables with values changed at random (another passage's words, words the memo
never says, one value given to many records, a value cut from the record's own passage), it
reports exactly the records whose value no passage of their spans holds."""

from __future__ import annotations

import copy
import csv
import io
import random
from functools import cache

import pytest

from memo724.contract import Contract
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO
from memo724.contract.rules import effective_schema
from memo724.publication.package import csv_text
from memo724.validation.validate import validate_tables

Tables = dict[str, list[dict[str, str]]]


@cache
def _contract() -> Contract:
    return Contract(REPO.schemas)


@cache
def _tables() -> Tables:
    return {
        name: list(csv.DictReader(io.StringIO(REPO.table(name).read_text("utf-8"), newline="")))
        for name in _contract().tables
    }


def _expected(tables: Tables) -> set[tuple[str, int, str]]:
    """The rule's words, record by record: a filled verbatim value must be inside the text of
    a passage one of the record's spans lies in."""
    contract = _contract()
    passage_text = {p["passage_id"]: p["text"] for p in tables["passages"]}
    bad = set()
    for table, subject in contract.evidence_subjects.items():
        schema = contract[table]
        pk = schema.primary_key[0]
        for i, row in enumerate(tables[table]):
            spans = [e for e in tables["evidence"] if e[subject] == row[pk]]
            texts = [passage_text.get(e["passage_id"], "") for e in spans]
            for field in schema.verbatim_fields:
                value = row[field]
                if value and not any(value in t for t in texts):
                    bad.add((table, i + 2, field))
    return bad


@pytest.mark.parametrize("seed", range(3))
def test_verbatim_reports_the_records_no_passage_of_theirs_holds(seed: int) -> None:
    rng = random.Random(seed)
    tables = copy.deepcopy(_tables())
    contract = _contract()
    passages = [p["text"] for p in tables["passages"]]
    shared = "words the memo never says"
    fields = [
        (t, f) for t in contract.evidence_subjects for f in contract[t].verbatim_fields if tables[t]
    ]
    for table, field in fields:
        for row in tables[table]:
            kind = rng.randrange(5)
            text = rng.choice(passages)
            start = rng.randrange(max(1, len(text) - 12))
            if kind == 0:
                row[field] = text[start : start + rng.randrange(3, 12)]  # another passage's
            elif kind == 1:
                row[field] = shared  # one value, many records
            elif kind == 2 and row[field]:
                row[field] = row[field][: max(1, len(row[field]) // 2)]  # its own, cut
    expected = _expected(tables)
    assert expected and len(expected) < sum(len(tables[t]) for t, _ in fields)  # both occur
    memo = read_memo(REPO.memo)
    effective = {
        name: effective_schema(name, s.descriptor, len(memo)) for name, s in contract.tables.items()
    }
    judged = Contract.of(effective)
    sources = {name: csv_text(list(t[0]), t).encode("utf-8") for name, t in tables.items()}
    problems = validate_tables(judged, sources, memo, spreadsheet_safe=True)
    found = {(p.where, p.row, p.field) for p in problems if p.rule == "verbatim"}
    assert found == expected
