"""The rule builders of validation/rules.py called directly, on schemas and frames the
repository's own tables never hold. Written to kill mutants `make mutation` found surviving
(MUTATION.md): each test builds a rule from a schema and runs its check on a small frame.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from memo724.contract import Contract, TableSchema
from memo724.contract.errors import DatasetError
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
    frame = pd.DataFrame(
        {"certainty": ["low", "high", "low", None], "hedge": [None, None, "may", None]}
    )
    built = rules._certainty(None, schema, None)
    assert _verdicts(built, frame) == [False, True, True, True]  # a missing one: the type's
    assert built[0][1].error == (
        "certainty-needs-hedge@certainty: a certainty below 'high' must show the memo's words"
        " in hedge"
    )


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


def test_the_band_rule_applies_to_a_table_of_just_hedge_certainty_and_likelihood() -> None:
    schema = _schema({"name": "hedge"}, _certainty(), {"name": "likelihood"})
    frame = pd.DataFrame(
        {"likelihood": ["likely", None, "likely"], "hedge": [None, None, "may"], "certainty": None}
    )
    built = rules._band(None, schema, None)
    assert _verdicts(built, frame) == [False, True, True]
    assert built[0][1].error == (
        "band-needs-hedge@likelihood: an ICD 203 band needs the words that name a probability"
        " in hedge"
    )


def _views(*fields: dict[str, Any]) -> Contract:
    return Contract.of({"t": {"fields": list(fields)}})


_ATTRIBUTION = {"name": "attribution", "constraints": {"enum": ["author", "actor"]}}


def test_the_view_holder_rule_applies_to_a_table_of_just_its_two_fields() -> None:
    contract = _views(_ATTRIBUTION, {"name": "attributed_to_actor_id"})
    frame = pd.DataFrame(
        {
            "attribution": ["author", "author", "actor", "actor", None, None],
            "attributed_to_actor_id": [None, "a1", "a1", None, "a1", None],
        }
    )
    built = rules._view_holder(contract, contract["t"], None)
    # A missing attribution is no author's view: its holder is filled (the type check
    # reports the missing attribution itself).
    assert _verdicts(built, frame) == [True, False, True, False, True, False]
    assert built[0][1].error == (
        "view-holder@attributed_to_actor_id: filled exactly when the view is an actor's"
        " (attribution other than 'author')"
    )


def test_the_view_holder_rule_refuses_a_renamed_author_code_naming_itself() -> None:
    renamed = {"name": "attribution", "constraints": {"enum": ["writer", "actor"]}}
    contract = _views(renamed, {"name": "attributed_to_actor_id"})
    with pytest.raises(DatasetError) as raised:
        rules._view_holder(contract, contract["t"], None)
    (problem,) = raised.value.problems
    assert problem.rule == "code-reads" and problem.field == "attribution"
    assert problem.message.startswith("the rule view-holder reads the code 'author' of t.")
