"""The rule builders of validation/rules.py called directly, on schemas and frames the
repository's own tables never hold. Written to kill mutants `make mutation` found surviving
(MUTATION.md): each test builds a rule from a schema and runs its check on a small frame.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from memo724.contract import TableSchema
from memo724.validation import rules


def _schema(*fields: dict[str, Any]) -> TableSchema:
    return TableSchema("t", {"fields": list(fields)})


def _verdicts(built: list[Any], frame: pd.DataFrame) -> list[bool]:
    (_, check), *more = built
    assert not more
    return [bool(v) for v in check._check_fn(frame)]


def _certainty(**extra: Any) -> dict[str, Any]:
    return {"name": "certainty", "constraints": {"enum": ["low", "high"]}, **extra}


def test_the_certainty_rule_applies_to_a_table_of_just_hedge_and_certainty() -> None:
    schema = _schema({"name": "hedge"}, _certainty(categoriesOrdered=True))
    frame = pd.DataFrame({"certainty": ["low", "high", "low"], "hedge": [None, None, "may"]})
    assert _verdicts(rules._certainty(None, schema, None), frame) == [False, True, True]


def test_the_certainty_rule_needs_an_ordered_scale() -> None:
    # An enum that is not ordered has no top: no value can be said to be below it.
    unordered = _schema({"name": "hedge"}, _certainty())
    assert rules._certainty(None, unordered, None) == []
    no_scale = _schema({"name": "hedge"}, {"name": "certainty", "categoriesOrdered": True})
    assert rules._certainty(None, no_scale, None) == []


def test_the_top_of_the_certainty_scale_is_its_last_value() -> None:
    scale = {"name": "certainty", "constraints": {"enum": ["low", "mid", "high"]}}
    schema = _schema({"name": "hedge"}, {**scale, "categoriesOrdered": True})
    frame = pd.DataFrame({"certainty": ["low", "mid", "high"], "hedge": [None, None, None]})
    assert _verdicts(rules._certainty(None, schema, None), frame) == [False, False, True]
