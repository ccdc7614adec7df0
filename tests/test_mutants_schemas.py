"""The validators' context (validation/schemas.py's Context), called directly.

The checks reach the context only through the rules, which always give it what they ask for:
what it answers when the memo or a table is missing, and that it builds each shared value once
until told to forget, were never observed, so mutants of them survived.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from memo724.validation.schemas import Context


def test_a_context_without_the_memo_refuses_its_slices() -> None:
    with pytest.raises(ValueError, match=r"^no memo in this context$"):
        Context().slices()


def test_the_memos_slices_are_of_the_memo_given() -> None:
    memo = "Kyiv — Київ"
    slices = Context(memo=memo).slices()
    found = slices.equal(np.array([0, 7]), np.array([4, 11]), pd.Series(["Kyiv", "Київ"]))
    assert found.tolist() == [True, True]
    assert slices.length == len(memo)
    assert Context(memo="").slices().length == 0  # an empty memo is a memo, of no text


def test_shared_values_are_built_once_until_forgotten() -> None:
    ctx = Context(memo="a memo")
    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        return len(made)

    assert [ctx.memoized("k", make), ctx.memoized("k", make)] == [1, 1]
    first = ctx.slices()
    assert ctx.slices() is first
    ctx.forget()
    assert ctx.memoized("k", make) == 2
    assert ctx.slices() is not first
    assert made == [0, 1]


def test_the_memos_hash_is_sha256_of_its_utf8_and_none_without_it() -> None:
    memo = "Policy Memo — «724»"
    assert Context(memo=memo).memo_sha256 == hashlib.sha256(memo.encode("utf-8")).hexdigest()
    assert Context(memo="").memo_sha256 == hashlib.sha256(b"").hexdigest()
    assert Context().memo_sha256 is None


def test_a_column_is_none_unless_its_table_and_field_are_given() -> None:
    frame = pd.DataFrame({"event_id": ["ev-1"]})
    ctx = Context({"events": frame})
    column = ctx.column("events", "event_id")
    assert column is not None and column.tolist() == ["ev-1"]
    assert ctx.column("events", "label") is None
    assert ctx.column("actors", "event_id") is None
    assert Context(None).tables == {}
