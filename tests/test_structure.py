"""Structural damage of a CSV is named by row, and the table's other rows are still checked.

A row with the wrong number of cells, a quote that is never closed, a cell over the length limit:
pyarrow refuses such a file whole, in words of its own and with no row. Each test damages one row
of a copy and breaks an enum in another row of the same table; `validate` must name the damaged
row (table, row, rule, in this project's words), still report the other row's problem, print
none of pyarrow's words and no traceback, exit 1 and change no file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from memo724.cli import main
from memo724.contract import Contract
from memo724.contract.csv_rows import read_rows
from memo724.contract.files import MAX_CELL_CHARS
from memo724.contract.paths import Layout
from memo724.publication.package import csv_text

# What pyarrow says of a file it refuses; none of it may reach the user.
PYARROW_WORDS = ("CSV parse error", "Expected", "columns, got", "straddl", "block size", "Arrow")
ENUM_ROW = 5  # the row whose code is broken besides the damage


def rows_of(layout: Layout, table: str) -> list[dict[str, str]]:
    with layout.table(table).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_lines(
    layout: Layout, table: str, rows: list[dict[str, str]], edit: Callable[[list[str]], None]
) -> None:
    """Write the rows, then edit the file's lines (these tables have a record per line)."""
    text = csv_text(Contract(layout.schemas)[table].field_names, rows)
    lines = text.split("\n")
    assert len(lines) == len(rows) + 2, "a record spans lines: edit by row instead"
    edit(lines)
    layout.table(table).write_text("\n".join(lines), encoding="utf-8", newline="")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def validate(layout: Layout, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`memo724 validate --frictionless`: both validators' lines, so that each test also shows
    Frictionless finding the damaged table invalid."""
    before = snapshot(layout.root)
    code = main(["validate", "--frictionless", str(layout.root)])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Traceback" not in out
    for words in PYARROW_WORDS:
        assert words not in out, (words, out)
    assert snapshot(layout.root) == before, "validate changed a file"
    return code, out.splitlines()


def frictionless_refuses(lines: list[str], table: str) -> None:
    assert any(ln.startswith(f"{table}, row") and "[frictionless]" in ln for ln in lines), lines


# Damage is found by memo724's own reader; a cell's rules by the schemas Pandera runs.
STRUCTURE_RULES = ("cell-count", "unclosed-quote", "cell-size")


def line_of(lines: list[str], start: str, rule: str) -> str:
    by = "memo724" if rule in STRUCTURE_RULES else "pandera"
    found = [ln for ln in lines if ln.startswith(start) and ln.endswith(f"(rule: {rule}) [{by}]")]
    assert len(found) == 1, (start, rule, "\n".join(lines))
    return found[0]


def risks_with_bad_code(layout: Layout) -> list[dict[str, str]]:
    rows = rows_of(layout, "risks")
    rows[ENUM_ROW - 2]["attribution"] = "zz-not-a-code"
    return rows


def assert_enum_still_reported(lines: list[str], table: str, field: str) -> None:
    line_of(lines, f"{table}, row {ENUM_ROW}, field {field}: value 'zz-not-a-code':", "enum")


def test_a_row_with_too_many_cells(package_copy: Layout, capsys) -> None:
    def surplus(lines: list[str]) -> None:
        lines[2] += ",surplus"

    write_lines(package_copy, "risks", risks_with_bad_code(package_copy), surplus)
    code, lines = validate(package_copy, capsys)
    assert code == 1
    assert line_of(lines, "risks, row 3:", "cell-count") == (
        "risks, row 3: has 12 cells; the header has 11 (the row is not checked further) "
        "(rule: cell-count) [memo724]"
    )
    assert_enum_still_reported(lines, "risks", "attribution")
    frictionless_refuses(lines, "risks")


def test_a_row_with_too_few_cells(package_copy: Layout, capsys) -> None:
    def cut(lines: list[str]) -> None:
        lines[2] = lines[2].rsplit(",", 2)[0]  # the last two cells gone

    write_lines(package_copy, "risks", risks_with_bad_code(package_copy), cut)
    code, lines = validate(package_copy, capsys)
    assert code == 1
    assert line_of(lines, "risks, row 3:", "cell-count") == (
        "risks, row 3: has 9 cells; the header has 11 (the row is not checked further) "
        "(rule: cell-count) [memo724]"
    )
    assert_enum_still_reported(lines, "risks", "attribution")
    frictionless_refuses(lines, "risks")


def test_a_quote_never_closed(package_copy: Layout, capsys) -> None:
    """A stray quote opens the last cell of row 3 and swallows the lines after it, up to the
    next quote: the row is named with the line the quote opened on, and reading resumes on the
    next line, so row 5's problem is found (at its own row) and the rows between are not lost."""
    rows = risks_with_bad_code(package_copy)
    rows[1]["manifested_by_event_id"] = ""
    assert rows[2]["summary"].count(",")  # the next line opens a quoted cell

    def stray_quote(lines: list[str]) -> None:
        assert lines[2].endswith(",")
        lines[2] += '"never closed'

    write_lines(package_copy, "risks", rows, stray_quote)
    code, lines = validate(package_copy, capsys)
    assert code == 1
    assert line_of(lines, "risks, row 3, field manifested_by_event_id:", "unclosed-quote") == (
        "risks, row 3, field manifested_by_event_id: the quote opened on line 3 is never closed: "
        "it runs on to line 4, where a quote is followed by 'A'; the rows from line 4 on are "
        "read again (the row is not checked further) (rule: unclosed-quote) [memo724]"
    )
    assert_enum_still_reported(lines, "risks", "attribution")
    frictionless_refuses(lines, "risks")
    # Row 4, which the quote ran into, is read again and is fine (Frictionless reads on inside the
    # quote: it takes row 4 into row 3, and numbers each row after it one less).
    assert not any(ln.startswith("risks, row 4") and not _by_frictionless(ln) for ln in lines)


def test_a_quote_the_file_ends_in(package_copy: Layout, capsys) -> None:
    rows = risks_with_bad_code(package_copy)

    def unterminated(lines: list[str]) -> None:
        lines[-1] = 'broken,"unterminated'

    write_lines(package_copy, "risks", rows, unterminated)
    code, lines = validate(package_copy, capsys)
    assert code == 1
    last = len(rows) + 2
    assert line_of(lines, f"risks, row {last}, field summary:", "unclosed-quote") == (
        f"risks, row {last}, field summary: the quote opened on line {last} is never closed: the "
        "file ends inside it (the row is not checked further) (rule: unclosed-quote) [memo724]"
    )
    assert_enum_still_reported(lines, "risks", "attribution")
    frictionless_refuses(lines, "risks")


def test_a_cell_over_the_length_limit(package_copy: Layout, capsys) -> None:
    rows = rows_of(package_copy, "events")
    rows[1]["summary"] = "A" * 10_000_000
    rows[ENUM_ROW - 2]["factuality"] = "zz-not-a-code"
    path = package_copy.table("events")
    path.write_text(csv_text(Contract(package_copy.schemas)["events"].field_names, rows))
    code, lines = validate(package_copy, capsys)
    assert code == 1
    assert line_of(lines, "events, row 3, field summary:", "cell-size") == (
        "events, row 3, field summary: a cell of 10,000,000 characters, over the limit of "
        "1,048,576 a cell may hold; it is not read (the row is not checked further) "
        "(rule: cell-size) [memo724]"
    )
    assert_enum_still_reported(lines, "events", "factuality")
    frictionless_refuses(lines, "events")
    # The oversized row's other cells are not checked (its summary would break maxLength too).
    assert [ln for ln in lines if ln.startswith("events, row 3") and not _by_frictionless(ln)] == [
        line_of(lines, "events, row 3", "cell-size")
    ]


def test_a_record_over_lines_is_named_by_row_and_line(package_copy: Layout, capsys) -> None:
    """Evidence cells hold line breaks: a row's number (records, as Frictionless counts) is then
    not its line, and the message names both."""
    fields = Contract(package_copy.schemas)["evidence"].field_names
    rows = rows_of(package_copy, "evidence")
    later = max(i for i, r in enumerate(rows) if "\n" not in "".join(r.values()))
    assert any("\n" in "".join(r.values()) for r in rows[:later])

    def body(part: list[dict[str, str]]) -> str:
        return csv_text(fields, part).split("\n", 1)[1]  # without the header

    head = csv_text(fields, rows[:later])
    damaged = head + body([rows[later]]).rstrip("\n") + ",surplus\n" + body(rows[later + 1 :])
    package_copy.table("evidence").write_text(damaged, encoding="utf-8", newline="")
    code, lines = validate(package_copy, capsys)
    assert code == 1
    row, line = later + 2, head.count("\n") + 1
    assert row < line
    assert line_of(lines, f"evidence, row {row}:", "cell-count") == (
        f"evidence, row {row}: has 18 cells; the header has 17 (line {line} of the file) "
        "(the row is not checked further) (rule: cell-count) [memo724]"
    )
    frictionless_refuses(lines, "evidence")


def test_an_undamaged_table_reads_as_pyarrow_reads_it(pristine: Layout) -> None:
    """The row-by-row reader gives the fast reader's table wherever there is no damage."""
    from memo724.contract import TABLES
    from memo724.contract.typed import read_csv_text

    for name in TABLES:
        raw = pristine.table(name).read_bytes()
        for data in (raw, raw.replace(b"\n", b"\r\n")):
            table, problems = read_rows(name, data)
            assert problems == [] and table is not None
            assert table.equals(read_csv_text(data)), name


def test_the_limit_is_measured_not_read() -> None:
    """A cell is measured as read (a doubled quote is one character), and only over the limit
    left unread; the rows after it are read."""
    times = MAX_CELL_CHARS // 3
    for extra, damaged in ((0, False), (1, True)):
        quoted = '"' + 'a""b' * (times + extra) + '"'
        table, problems = read_rows("t", f"a,b\n1,{quoted}\n2,x\n".encode())
        assert table is not None and table.column("b").to_pylist()[1] == "x"
        if not damaged:
            assert problems == [] and table.column("b")[0].as_py() == 'a"b' * times
            continue
        assert table.column("b").to_pylist() == [None, "x"]
        assert [(p.row, p.field, p.rule) for p in problems] == [(2, "b", "cell-size")]
        assert f"a cell of {(times + 1) * 3:,} characters" in problems[0].message


def _by_frictionless(line: str) -> bool:
    return line.endswith("[frictionless]")


def _default_lines(lines: list[str], table: str) -> list[str]:
    """The table's lines from the default path (memo724's reader and Pandera's schemas)."""
    return [ln for ln in lines if ln.startswith(f"{table},") and not _by_frictionless(ln)]


def test_a_header_missing_a_name_is_one_line_not_one_per_row(package_copy: Layout, capsys) -> None:
    """Every row then has one cell more than the header: the header is the line to fix, and
    the log says so once (with the column it lacks), not once per row."""
    rows = rows_of(package_copy, "risks")

    def drop_name(lines: list[str]) -> None:
        lines[0] = lines[0].replace(",attribution", "")

    write_lines(package_copy, "risks", rows, drop_name)
    code, lines = validate(package_copy, capsys)
    assert code == 1
    assert _default_lines(lines, "risks") == [
        "risks, field attribution: fails missing-column (rule: missing-column) [pandera]",
        f"risks, row 1: has 10 names, but every one of the table's {len(rows)} rows has 11 "
        "cells: the header is the line to fix (its rows are not checked) (rule: cell-count) "
        "[memo724]",
    ]


def test_one_row_unlike_the_others_is_still_that_rows_problem(package_copy: Layout, capsys) -> None:
    """The header is blamed only when every row disagrees with it the same way: with all but
    one row agreeing, and with a table of one row, the row is named."""
    rows = rows_of(package_copy, "risks")

    def surplus_everywhere_but_one(lines: list[str]) -> None:
        for i in range(2, len(rows) + 1):
            lines[i] += ",surplus"

    write_lines(package_copy, "risks", rows, surplus_everywhere_but_one)
    code, lines = validate(package_copy, capsys)
    assert code == 1
    counted = [ln for ln in _default_lines(lines, "risks") if "(rule: cell-count)" in ln]
    assert len(counted) == len(rows) - 1 and not any(", row 1:" in ln for ln in counted)


def test_the_row_reader_blames_the_header_only_when_every_row_disagrees_alike() -> None:
    def found(raw: bytes) -> list[tuple[str, str, int | None, str | None]]:
        _, problems = read_rows("t", raw, validator="v")
        return [(p.where, p.rule, p.row, p.validator) for p in problems]

    # one row: that row's problem, not the header's
    assert found(b"a,b\n1,2,3\n") == [("t", "cell-count", 2, "v")]
    # two rows alike: the header, once, in words that give both counts
    text, problems = read_rows("t", b"a,b\n1,2,3\n4,5,6\n", validator="v")
    assert [(p.where, p.rule, p.row, p.validator) for p in problems] == [
        ("t", "cell-count", 1, "v")
    ]
    assert problems[0].message == (
        "has 2 names, but every one of the table's 2 rows has 3 cells: the header is the line "
        "to fix (its rows are not checked)"
    )
    assert text is not None and text.num_rows == 2  # the rows are still read, cut to the header
    # two rows of different counts, or one row damaged otherwise: each row's own problem
    assert found(b"a,b\n1,2,3\n4,5,6,7\n") == [
        ("t", "cell-count", 2, "v"),
        ("t", "cell-count", 3, "v"),
    ]
    assert [r for _, r, _, _ in found(b'a,b\n1,2,3\n4,"5\n')] == ["cell-count", "unclosed-quote"]
    # rows that agree with the header: nothing
    assert found(b"a,b\n1,2\n3,4\n") == []
    # every row damaged otherwise (an oversized cell each, one cell short alike): each row's own
    # problem; the header is blamed only for rows it is the sole fault of
    big = b"x" * (MAX_CELL_CHARS + 1)
    rules = [(r, row) for _, r, row, _ in found(b"a,b,c\n" + big + b",1\n" + big + b",2\n")]
    assert (
        ("cell-count", 1) not in rules and ("cell-size", 2) in rules and ("cell-size", 3) in rules
    )
