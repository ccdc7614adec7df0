"""The rules that tie a span and its context to the memo's code points (validation/provenance.py),
built from the catalogue for the repository's contract and run on small frames against a made-up
memo: the edges (a span at the memo's start or end, an empty span, missing offsets) that the
package's own rows never reach. Written to kill the mutants `make mutation` found surviving.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from memo724.contract import CONTEXT_CHARS, Contract
from memo724.contract.paths import REPO
from memo724.validation import provenance
from memo724.validation.catalogue import CATALOGUE
from memo724.validation.checks import bound
from memo724.validation.schemas import Context

MEMO = "".join(chr(ord("a") + i % 26) for i in range(100)) + "Ω" * 20  # 120 code points


def _checks(rule: str, table: str) -> list[Any]:
    contract = Contract(REPO.schemas)
    build = CATALOGUE[rule].build
    assert build is not None
    built = build(contract, contract[table], Context({}, MEMO))
    return [check for _, check in built]


def _passes(rule: str, table: str, rows: list[dict[str, Any]]) -> list[bool]:
    (check,) = _checks(rule, table)
    frame = pd.DataFrame(rows)
    for column in ("start", "end"):
        frame[column] = frame[column].astype("Int64")
    return check._check_fn(frame).tolist()


def _context(start: int | None, end: int | None) -> dict[str, Any]:
    n = CONTEXT_CHARS
    s, e = start or 0, end or 0
    return {
        "start": start,
        "end": end,
        "exact": MEMO[s:e],
        "prefix": MEMO[max(s - n, 0) : s],
        "suffix": MEMO[e : e + n],
    }


def test_a_prefix_near_the_memos_start_is_all_the_text_before_the_span() -> None:
    rows = [_context(5, 9), _context(0, 3), _context(40, 45), _context(32, 33)]
    assert _passes("prefix-at-offsets", "evidence", rows) == [True, True, True, True]
    assert rows[0]["prefix"] == MEMO[:5]
    short = {**_context(5, 9), "prefix": MEMO[1:5]}
    long = {**_context(40, 45), "prefix": MEMO[7:40]}
    assert _passes("prefix-at-offsets", "evidence", [short, long]) == [False, False]


def test_a_suffix_near_the_memos_end_is_all_the_text_after_the_span() -> None:
    end = len(MEMO) - 5
    rows = [_context(end - 2, end), _context(10, len(MEMO)), _context(10, 20)]
    assert _passes("suffix-at-offsets", "evidence", rows) == [True, True, True]
    assert rows[0]["suffix"] == "Ω" * 5 and rows[1]["suffix"] == ""
    wrong = [{**rows[2], "suffix": MEMO[21:52]}, {**rows[2], "suffix": MEMO[20:53]}]
    assert _passes("suffix-at-offsets", "evidence", wrong) == [False, False]


def test_a_context_needs_both_offsets() -> None:
    for rule in ("prefix-at-offsets", "suffix-at-offsets"):
        missing_start = {**_context(0, 4), "start": None}
        missing_end = {**_context(0, 4), "end": None}
        assert _passes(rule, "evidence", [missing_start, missing_end]) == [False, False], rule
        # offset 0 is an offset: an empty span at the memo's start has empty context before it
        assert _passes(rule, "evidence", [_context(0, 0)]) == [True], rule


def test_a_context_rule_is_reported_on_its_offset_with_its_message() -> None:
    (prefix,) = _checks("prefix-at-offsets", "evidence")
    (suffix,) = _checks("suffix-at-offsets", "evidence")
    n = CONTEXT_CHARS
    assert (bound(prefix).on_field, bound(suffix).on_field) == ("start", "end")  # type: ignore[union-attr]
    assert bound(prefix).message == f"prefix must be the {n} code points before start"  # type: ignore[union-attr]
    assert bound(suffix).message == f"suffix must be the {n} code points after end"  # type: ignore[union-attr]
    assert (
        prefix.error == f"prefix-at-offsets@start: prefix must be the {n} code points before start"
    )


@pytest.mark.parametrize(
    ("rule", "table", "field"),
    [("exact-at-offsets", "evidence", "exact"), ("text-at-offsets", "passages", "text")],
)
def test_a_span_is_the_memos_code_points_from_start_to_end(
    rule: str, table: str, field: str
) -> None:
    def row(start: int | None, end: int | None, text: str) -> dict[str, Any]:
        return {"start": start, "end": end, field: text}

    rows = [row(0, 3, "abc"), row(100, 103, "ΩΩΩ"), row(117, 120, "ΩΩΩ"), row(5, 6, "f")]
    assert _passes(rule, table, rows) == [True, True, True, True]
    wrong = [row(0, 3, "abd"), row(1, 4, "abc"), row(None, 3, "abc"), row(118, 120, "ΩΩΩ")]
    assert _passes(rule, table, wrong) == [False, False, False, False]
    (check,) = _checks(rule, table)
    assert bound(check).on_field == field  # type: ignore[union-attr]
    assert bound(check).message == f"memo[start:end] must equal {field}"  # type: ignore[union-attr]


def test_an_empty_span_is_refused_as_evidence_but_not_as_a_passage() -> None:
    empty = [{"start": 4, "end": 4, "exact": "", "text": ""}]
    assert _passes("exact-at-offsets", "evidence", empty) == [False]
    assert _passes("text-at-offsets", "passages", empty) == [True]


def test_the_span_rules_apply_to_their_own_field_only_and_need_the_memo() -> None:
    contract = Contract(REPO.schemas)
    for rule, table, other in (
        ("exact-at-offsets", "evidence", "passages"),
        ("text-at-offsets", "passages", "evidence"),
    ):
        build = CATALOGUE[rule].build
        assert build is not None
        assert build(contract, contract[other], Context({}, MEMO)) == []
        assert build(contract, contract[table], Context({}, None)) == []
        assert build(contract, contract["events"], Context({}, MEMO)) == []
    for rule in ("prefix-at-offsets", "suffix-at-offsets"):
        build = CATALOGUE[rule].build
        assert build is not None
        assert build(contract, contract["evidence"], Context({}, None)) == []
        assert build(contract, contract["passages"], Context({}, MEMO)) == []


def test_an_edtf_value_is_readable_when_the_codebook_allows_it() -> None:
    assert provenance._edtf_readable("2019-03") is True
    assert provenance._edtf_readable("2019-13") is False
    assert provenance._edtf_readable("") is True  # no date: an unknown one
    assert provenance._edtf_readable(None) is True


def test_a_derived_cell_is_what_its_edtf_value_gives_and_an_unreadable_one_passes() -> None:
    start, end = provenance._edtf_part("start"), provenance._edtf_part("end")
    precision = provenance._edtf_part("precision")
    assert start("2019-03", date(2019, 3, 1)) is True
    assert start("2019-03", date(2019, 3, 2)) is False
    assert end("2019-03", date(2019, 3, 31)) is True
    assert end("2019-03", date(2019, 3, 1)) is False
    assert precision("2019-03", "month") is True
    assert precision("2019-03", "day") is False
    assert start("2019-13", date(2000, 1, 1)) is True  # reported once, on the EDTF value
    assert precision(None, "unknown") is True  # a missing value is read as no date
    assert precision(None, "x") is False
    assert start("2019-03", None) is False  # a missing cell (per_distinct gives None)


def test_a_date_groups_fields_are_named_after_it() -> None:
    assert provenance._group("as_of") == (
        "as_of_edtf",
        "as_of_start",
        "as_of_end",
        "as_of_precision",
    )


def test_the_offset_rules_are_recorded_in_the_catalogue_with_what_they_read() -> None:
    n = CONTEXT_CHARS
    for kind, on, side in (("prefix", "start", "before"), ("suffix", "end", "after")):
        rule = CATALOGUE[f"{kind}-at-offsets"].rule
        assert rule.name == f"{kind}-at-offsets"
        assert (
            rule.applies
            == f"memoText '{kind}' fields (the context {side} the span), given the memo"
        )
        assert rule.reads == f"start, end, the {kind} field"
        assert rule.message == f"{kind} must be the {n} code points {side} {on}"
    for field, which in (
        (
            "exact",
            "every other table, whatever their name (the memo's words between start and"
            " end; an evidence span is never empty)",
        ),
        (
            "text",
            "the structure's table (role structure), whatever their name (the memo's"
            " words between start and end)",
        ),
    ):
        rule = CATALOGUE[f"{field}-at-offsets"].rule
        assert rule.applies == f"memoText 'span' fields of {which}, given the memo"
        assert rule.reads == "start, end, the span field"
        assert rule.message == "memo[start:end] must equal {field}"
