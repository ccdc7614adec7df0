"""The text rules' problems as reported (validation/text.py): table, rule, message with the
character named, row, field, value and validator, and blank lines removed table by table.
Written to kill mutants `make mutation` found surviving (MUTATION.md): the tests in the fast
selection checked which rule a cell broke, not what the problem says.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from memo724.contract.errors import Problem
from memo724.validation.text import (
    RULES,
    _any_outside_quotes,
    _char,
    _not_nfc,
    strip_blank_lines,
    text_problems,
    without_blank_lines,
)

CONTROL = RULES[0][1]


def test_each_text_problem_names_its_character_row_field_and_value() -> None:
    cells = ["ok", "a\x07b", "x\u202ey", "q\u0301 e\u0301", "\u212b"]
    found = text_problems("sample", {"fields": [{"name": "note"}]}, pa.table({"note": cells}))
    assert found == [
        Problem(
            "sample",
            "control-character",
            "holds the control character U+0007 at character 1; text holds no control "
            "characters but tab, LF and CR",  # a control character has no Unicode name
            row=3,
            field="note",
            value="a\x07b",
            validator="memo724",
        ),
        Problem(
            "sample",
            "bidi-control",
            "holds the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 1, "
            "which shows text in another order than it is stored",
            row=4,
            field="note",
            value="x\u202ey",
            validator="memo724",
        ),
        Problem(
            "sample",
            "nfc",
            # q with an acute accent has no composed form (NFC keeps it): the e's accent is
            # the first one NFC composes
            "is not in Unicode normalization form C (NFC): U+0301 (COMBINING ACUTE ACCENT) at "
            "character 4 composes with the character before it",
            row=5,
            field="note",
            value="q\u0301 e\u0301",
            validator="memo724",
        ),
        Problem(
            "sample",
            "nfc",
            # a singleton: NFC replaces it, no combining character follows
            "is not in Unicode normalization form C (NFC): U+212B (ANGSTROM SIGN) at character "
            "0 composes with the character before it",
            row=6,
            field="note",
            value="\u212b",
            validator="memo724",
        ),
    ]


def test_the_helpers_fall_back_when_they_find_nothing_to_name() -> None:
    # Defensive answers: text_problems only asks about values a rule's kernel refused.
    assert _char("abc", CONTROL) == "a refused character"
    assert _not_nfc("") == "a character"
    assert _not_nfc("\x07a") == "U+0007 at character 0"  # in NFC: its first character


BLANK = (
    "line {} of the file is empty; a CSV row holds at least one cell (Frictionless reports it "
    "as a blank row)"
)


def _blank(table: str, line: int, row: int) -> Problem:
    return Problem(table, "blank-line", BLANK.format(line), row=row, validator="memo724")


@pytest.mark.parametrize(
    ("data", "kept", "line"),
    [
        (b"\nid\n1\n", b"id\n1\n", 1),
        (b"\r\nid\n1\n", b"id\n1\n", 1),
        (b"id\n\n1\n", b"id\n1\n", 2),
        (b"id\r\n\r\n1\r\n", b"id\r\n1\r\n", 2),
    ],
)
def test_an_empty_line_outside_quotes_is_removed_and_reported(
    data: bytes, kept: bytes, line: int
) -> None:
    assert without_blank_lines("t", data) == (kept, [_blank("t", line, line)])


def test_an_empty_line_inside_a_quoted_value_is_the_values() -> None:
    data = b'id\n"a\n\nb"\n1\n'
    assert without_blank_lines("t", data) == (data, [])


def test_blank_lines_are_stripped_from_every_table_given() -> None:
    data = {"a.csv": b"id\n\n1\n", "b.csv": b"id\n2\n\n3\n", "other.txt": b"\n\n"}
    tables = {"a.csv": "alpha", "b.csv": "beta", "c.csv": "gamma"}  # c.csv: not in data
    problems = strip_blank_lines(data, tables)
    assert data == {"a.csv": b"id\n1\n", "b.csv": b"id\n2\n3\n", "other.txt": b"\n\n"}
    assert problems == [_blank("alpha", 2, 2), _blank("beta", 3, 3)]


# The quick test for an empty line outside quotes (`_any_outside_quotes`) decides whether the
# exact scan runs: a wrong True only costs time, so these look at its answer itself.
STEP = 8 * 1024 * 1024  # the bytes it reads at once


@pytest.mark.parametrize(
    ("data", "outside"),
    [
        (b"id\n1\n2\n", False),
        (b'id\n"a\n\nb"\n1\n', False),  # inside a quoted value
        (b'"a\n\nb"\n', False),  # the value's quote is the file's first byte
        (b"id\n1\n\n", True),  # the last line
        (b"id\n1\n\r\n", True),  # the last line, CRLF
        (b"id\r\n\r\n1\r\n", True),
        (b"\nid\n", True),
    ],
)
def test_the_quick_test_finds_an_empty_line_outside_quotes(data: bytes, outside: bool) -> None:
    assert _any_outside_quotes(data) is outside


def test_a_trailing_empty_line_is_removed_and_reported() -> None:
    for data in (b"id\n1\n\n", b"id\n1\n\r\n"):
        assert without_blank_lines("t", data) == (b"id\n1\n", [_blank("t", 3, 3)])


@pytest.mark.parametrize(
    ("data", "outside"),
    [
        # a quote opened in the first block, still open at an empty line in the third
        (b'"' + b"a" * (2 * STEP) + b'\n\nb"\n', False),
        # a quote at the first byte of the second block, which the first block reads past
        (b"a" * STEP + b'"a\n\nb"\n', False),
        # an empty line whose first line end is the last byte of the first block
        (b"a" * (STEP - 1) + b"\n\nx\n", True),
    ],
)
def test_the_quick_test_reads_across_its_blocks(data: bytes, outside: bool) -> None:
    assert _any_outside_quotes(data) is outside


def test_a_field_the_schema_states_as_memo_text_keeps_its_bidi_zero_width_and_nfc() -> None:
    # `memoText` in the schema marks a field of any table as the memo's words (checked at their
    # offsets instead); the field is found in the schema by its name. Memo text still breaks
    # the control-character rule, and the column after it, not memo text, the bidi rule.
    schema = {"fields": [{"name": "note"}, {"name": "words", "memoText": "span"}]}
    cells = {"words": ["x\u202ey\u200b e\u0301", "a\x07"], "note": ["x\u202ey", "ok"]}
    found = text_problems("sample", schema, pa.table(cells))
    assert [(p.rule, p.row, p.field) for p in found] == [
        ("control-character", 3, "words"),
        ("bidi-control", 2, "note"),
    ]


def test_a_schema_without_fields_checks_every_column_as_plain_text() -> None:
    found = text_problems("sample", {}, pa.table({"note": ["x\u202ey"]}))
    assert [(p.rule, p.row, p.field) for p in found] == [("bidi-control", 2, "note")]


def test_a_column_of_clean_non_ascii_text_does_not_stop_the_rules_at_the_next() -> None:
    # "café" is a suspect (not ASCII) that breaks no rule and is in NFC.
    cells = {"name": ["caf\u00e9"], "note": ["x\u202ey"]}
    found = text_problems("sample", {"fields": []}, pa.table(cells))
    assert [(p.rule, p.row, p.field) for p in found] == [("bidi-control", 2, "note")]


def test_an_nfc_cell_the_kernel_flags_is_spared_and_the_cells_after_it_still_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pyarrow 15 (the lowest supported) flags some NFC cells as changed by NFC: Python's own
    # Unicode tables decide, cell by cell. Such a kernel is made here by changing one NFC cell.
    import pyarrow.compute as pc

    real = pc.utf8_normalize

    def flags_cafe(values: pa.ChunkedArray, form: str) -> pa.ChunkedArray:
        normal = real(values, form=form).to_pylist()
        return pa.chunked_array([["cafe" if v == "caf\u00e9" else v for v in normal]])

    monkeypatch.setattr(pc, "utf8_normalize", flags_cafe)
    found = text_problems("sample", {}, pa.table({"name": ["caf\u00e9", "e\u0301"]}))
    assert [(p.rule, p.row, p.field) for p in found] == [("nfc", 3, "name")]
