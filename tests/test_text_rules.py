"""The contract's text rules and the bounds on hostile input (HOSTILE.md), unit by unit: the text
rules on Arrow columns, blank lines (found outside quoted values only, and never handed to
Frictionless, whose work then does not grow with them), strict JSON with the place of each
problem, and the pattern compile guard."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pyarrow as pa
import pytest

from memo724.contract.limits import (
    MAX_JSON_DEPTH,
    MAX_PATTERN_DEPTH,
    NotStrictJSON,
    pattern_error,
    strict_json,
)
from memo724.contract.paths import REPO, Layout
from memo724.validation import drift
from memo724.validation.text import RULES, text_problems, without_blank_lines

SCHEMA = {"fields": [{"name": "summary", "type": "string"}, {"name": "n", "type": "integer"}]}


def rules_of(table: str, values: list[str | None], field: str = "summary") -> list[str]:
    text = pa.table({field: pa.array(values, pa.string())})
    return [f"{p.row}:{p.rule}" for p in text_problems(table, SCHEMA, text)]


def test_each_text_rule_names_its_row_and_rule() -> None:
    values = [
        "plain",
        "C1 \x9b31m",
        "\u202eevil",
        "zero\u200bwidth",
        "line\u2028break",
        "Cafe\u0301",
        None,
        "tab\tand\nnewline are text",
    ]
    assert rules_of("events", values) == [
        "3:control-character",
        "4:bidi-control",
        "5:zero-width",
        "6:line-separator",
        "7:nfc",
    ]


def test_ascii_controls_and_clean_non_ascii_are_told_apart_in_a_long_column() -> None:
    # The rules look only at cells outside printable ASCII: ASCII controls are among them, and
    # clean non-ASCII text (NFC accents, curly quotes, line breaks) is looked at and let pass.
    values = ["plain"] * 1000 + ["Caf\u00e9 \u2019quoted\u2019\r\n"] * 3 + ["bell\x07", "del\x7f"]
    values += ["plain", "Cafe\u0301"]
    assert rules_of("events", values) == [
        "1005:control-character",
        "1006:control-character",
        "1008:nfc",
    ]


def test_memo_text_fields_may_hold_what_the_memo_holds_but_no_control_or_separator() -> None:
    # evidence.exact is checked against the memo character by character: bidi and zero-width
    # characters there are the memo's to allow, and so is its normalization form.
    values = ["\u202eevil", "zero\u200bwidth", "Cafe\u0301", "C1 \x85", "a\u2029b"]
    found = rules_of("evidence", values, field="exact")
    assert found == ["5:control-character", "6:line-separator"]
    # The same values in a field of the coder's own words are all refused.
    assert len(rules_of("evidence", values, field="note")) == 5


def test_the_memo_holds_none_of_the_refused_characters_and_is_nfc() -> None:
    memo = (REPO.data / "ponars-policy-memo-724.txt").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", memo)
    text = pa.table({"summary": pa.array([memo])})
    assert text_problems("events", SCHEMA, text) == []
    assert len(RULES) == 4  # controls, bidi, zero-width, separators; NFC and blank lines apart


def test_blank_lines_are_found_outside_quoted_values_only() -> None:
    data = b'a,b\n1,"x\n\ny"\n\n2,z\r\n\r\n3,w\n\n'
    kept, problems = without_blank_lines("t", data)
    assert kept == b'a,b\n1,"x\n\ny"\n2,z\r\n3,w\n'
    assert [(p.row, p.message.split(" of")[0]) for p in problems] == [
        (3, "line 5"),
        (5, "line 7"),
        (7, "line 9"),
    ]
    assert {p.rule for p in problems} == {"blank-line"}
    clean = b'a,b\n1,"x\n\ny"\n'
    assert without_blank_lines("t", clean) == (clean, [])


def blank_copy(pristine: Layout, tmp_path: Path, lines: int) -> Path:
    root = tmp_path / f"blank-{lines}"
    shutil.copytree(pristine.root, root)
    path = root / "data" / "risks.csv"
    path.write_bytes(path.read_bytes() + b"\n" * lines)
    return root


def test_frictionless_work_does_not_grow_with_blank_lines(
    pristine: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frictionless processes each row it is handed once, and it is handed no blank line: its
    work (rows processed) is the same for 0, 300 and 600 blank lines, and each blank line is one
    problem. Before, each blank row cost it work that grew with the rows before it (600 blank
    lines: 10 CPU seconds)."""
    from frictionless.table.row import Row

    processed = []
    process = Row._Row__process  # type: ignore[attr-defined]

    def counted(self: Row, *args: object, **kwargs: object) -> object:
        processed.append(1)
        return process(self, *args, **kwargs)

    monkeypatch.setattr(Row, "_Row__process", counted)
    work, blank = [], []
    for lines in (0, 300, 600):
        drift._RESULTS.clear()  # no cached result: Frictionless runs each time
        processed.clear()
        problems = drift.judge(blank_copy(pristine, tmp_path, lines), frictionless=True)
        work.append(len(processed))
        blank.append(sum(p.rule == "blank-line" for p in problems))
    assert blank == [0, 300, 600]
    assert work[0] > 0 and work[0] == work[1] == work[2], work


def test_strict_json_names_the_place_of_each_problem() -> None:
    cases = {
        '{"a": [1, {"b": 1, "b": 2}]}': ("a[1].b", "appears twice"),
        '{"a": {"n": NaN}}': ("a.n", "NaN is not a JSON number"),
        '{"a": [Infinity]}': ("a[0]", "Infinity is not a JSON number"),
        '{"x": 1e400}': ("x", "reads as inf"),
        '{"x": 9007199254740993}': ("x", "beyond 2**53"),
        '{"x": "\\ud800"}': ("x", "lone surrogate"),
        '{"k": {"\\udfff": 1}}': ("k.?", "lone surrogate"),
    }
    for text, (path, words) in cases.items():
        with pytest.raises(NotStrictJSON) as caught:
            strict_json(text)
        assert caught.value.path == path and words in str(caught.value), text
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(NotStrictJSON) as caught:
        strict_json(deep)
    assert caught.value.rule == "json-depth"
    with pytest.raises(NotStrictJSON):
        strict_json("[" * 100_000 + "]" * 100_000)  # past Python's own recursion limit


def test_strict_json_reads_what_it_accepts_as_json_does() -> None:
    text = REPO.descriptor.read_text(encoding="utf-8")
    assert strict_json(text) == json.loads(text)
    # Key order is kept (the descriptor's digest depends on it), and a surrogate pair is a
    # character, not a lone surrogate.
    read = strict_json('{"z": 1, "a": {"y": [2, 9007199254740992], "b": "\\ud83d\\ude00"}}')
    assert json.dumps(read) == '{"z": 1, "a": {"y": [2, 9007199254740992], "b": "\\ud83d\\ude00"}}'
    assert strict_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None


def test_patterns_are_bounded_before_they_are_compiled() -> None:
    assert pattern_error("[A-Z]{3}") is None
    assert pattern_error("(" * MAX_PATTERN_DEPTH + ")" * MAX_PATTERN_DEPTH) is None
    deep = "(" * (MAX_PATTERN_DEPTH + 1) + ")" * (MAX_PATTERN_DEPTH + 1)
    assert f"nested {MAX_PATTERN_DEPTH + 1} deep" in str(pattern_error(deep))
    # Parentheses escaped or inside a character class open no group.
    assert pattern_error("\\(" * 100 + "[(]" * 100) is None
    assert "more than the 4096 allowed" in str(pattern_error("a" * 5000))
    assert "unterminated character set" in str(pattern_error("([A-Z"))


def test_the_copy_is_refused_when_memory_would_not_hold_it(
    pristine: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    from memo724.validation import guard

    rels = [f"data/{p.name}" for p in pristine.data.iterdir()]
    total = sum((pristine.data / p.name).stat().st_size for p in pristine.data.iterdir())
    monkeypatch.setattr(guard, "available_memory", lambda: 3 * total)
    assert guard.total_size(pristine.root, rels) == []
    monkeypatch.setattr(guard, "available_memory", lambda: 3 * total - 1)
    (problem,) = guard.total_size(pristine.root, rels)
    assert problem.rule == "memory" and f"hold {total} bytes together" in problem.message
    monkeypatch.setattr(guard, "available_memory", lambda: None)  # not Linux: the limits alone
    assert guard.total_size(pristine.root, rels) == []
