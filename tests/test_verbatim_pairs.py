"""The verbatim rule, as `memo724 validate` runs it, against its words checked record by record:
on the repository's tables with values changed at random (another passage's words, words the memo
never says, one value given to many records, a value cut from the record's own passage), it
reports exactly the records whose value no passage of their spans holds."""

from __future__ import annotations

import copy
import random

import pytest
from test_mutants_builders import Tables, _contract, _tables, judge, where


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
    found = where(judge(lambda judged: judged.update(copy.deepcopy(tables))), "verbatim")
    assert set(found) == expected
