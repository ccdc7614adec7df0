"""Each failing case of the rule catalogue (tests/test_rule_catalogue.py) reports its rule once at
the row it breaks, on the case's field only: a derived check names one field, and the cells of
the row it does not name are not reported again. Written to kill mutants `make mutation` found
surviving (MUTATION.md): a builder that names no field makes Pandera report every cell of the
failing row, and the catalogue's own test only asks that the expected cell is among them.
"""

from __future__ import annotations

import pytest
from test_rule_catalogue import CASES, Case, run

from memo724.validation.catalogue import CATALOGUE

LOCATED = [
    c
    for c in CASES
    if c.fails and c.field is not None and CATALOGUE[c.rule].build is not None and c.raw is None
]


@pytest.mark.parametrize("case", LOCATED, ids=lambda c: c.id)
def test_a_derived_rule_reports_the_row_it_breaks_once_on_its_field(case: Case) -> None:
    problems, row = run(case)
    assert row is not None, "every case that names its field names its row too"
    at_row = [
        (p.field, p.value)
        for p in problems
        if p.rule == case.rule and p.where == case.table and p.row == row + 2
    ]
    assert [field for field, _ in at_row] == [case.field], at_row
