"""A table the fast reader refuses, read again row by row, so that each damaged row is named.

`contract.typed.read_csv_text` (pyarrow) reads a whole CSV at once, or refuses it with one message
of its own and no row: a row with the wrong number of cells, a quote that is never closed, a row
larger than its read block (a cell of megabytes). Only then (or when a cell it did read is over
the limit, `has_oversized_cell`) is the file read again here, to name every damaged row (table,
row, what is wrong, in this project's words) and to hand the other rows on to be checked as
usual. An undamaged file is never read twice.

The rows read are the ones pyarrow gives where it can read them: quoted cells may hold line
breaks, a doubled quote is a quote, a quote closed and followed by more text on its line is kept
as text (pyarrow and Frictionless both accept it), empty cells are missing, blank lines are
skipped. Rows are numbered as the other checks number them: records, the header being row 1 (as
Frictionless counts; a record spanning lines counts once, and its lines are named too).

What is damage:
- `cell-count`: a row with more or fewer cells than the header;
- `unclosed-quote`: a quote that opens a cell and is never closed, either because the file ends
  inside it or because it runs over line breaks to a quote followed by more text (a stray quote
  that swallowed the rows after it). Reading resumes on the line after the one it opened on, so
  the rows it swallowed are read as rows again;
- `cell-size`: a cell longer than `MAX_CELL_CHARS`, measured without being read;
- `duplicate-column` (of any table, however read): a header naming a column twice.
A damaged row keeps its cells in place (its key can still be referred to); the validator reports
its damage only, since its cells cannot be trusted (see `validation.validate.validate_tables`).
It is the contract's, not the validators', so that the readers that do not validate (the
loader, the figures, the coverage) can refuse a damaged file with the same problems.

Most rows are read by Python's `csv` module (in C), in strict mode. A row it refuses, or one long
enough to hold an oversized cell, is read again by `_record`, written here because `csv` cannot
say what is needed: where a quote that never closes was opened (it stops lines later, where the
quoting first breaks, having swallowed the rows between), where to resume so that those rows are
read again, and how long a cell is without building it (its size limit is process-wide state,
which Frictionless sets too).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from ..contract.errors import Problem, Rule
from ..contract.files import MAX_CELL_CHARS

CELL_COUNT = Rule(
    "cell-count", "every table's CSV", "a row's cells", "a row has as many cells as the header"
)
UNCLOSED_QUOTE = Rule(
    "unclosed-quote", "every table's CSV", "a row's quotes", "a quote that opens a cell closes it"
)
CELL_SIZE = Rule(
    "cell-size", "every table's CSV", "each cell", f"no cell is over {MAX_CELL_CHARS} characters"
)
DUPLICATE_COLUMN = Rule(
    "duplicate-column", "every table's CSV", "the header", "no column is named twice"
)
# The rules of a CSV's own structure; Frictionless refuses the same rows and headers (extra-cell,
# missing-cell, duplicate-label, or the cell's own rule for an oversized one).
CSV_RULES = frozenset({CELL_COUNT, UNCLOSED_QUOTE, CELL_SIZE, DUPLICATE_COLUMN})
NOT_CHECKED = "the row is not checked further"

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_LINE_END = re.compile(r"\r\n|\n|\r")
# A quoted cell's text after its opening quote, up to the quote that closes it (or the end).
_QUOTED = re.compile(r'[^"]*(?:""[^"]*)*')
_PLAIN = re.compile(r"[^,\r\n]*")
_CELL_END = ("", ",", "\r", "\n")


class _Damage(NamedTuple):  # (a dataclass costs milliseconds of every cold start to define)
    rule: str
    cell: int | None  # position of the cell in the row, when one cell is to blame
    message: str


def _breaks(text: str, start: int, end: int) -> int:
    """Line breaks (CRLF, LF or CR, as the readers count them) in text[start:end]."""
    return (
        text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
    )


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a match of `pattern` (one that may be empty, so never fails) at `pos` ends."""
    found = pattern.match(text, pos)
    return pos if found is None else found.end()


def _after_line(text: str, pos: int) -> int:
    """Where the line holding `pos` ends, after its line break."""
    found = _LINE_END.search(text, pos)
    return len(text) if found is None else found.end()


def _record(text: str, pos: int, line: int) -> tuple[list[str | None], int, int, list[_Damage]]:
    """The record starting at `pos`, the start of physical line `line`: its cells, where the
    next record starts, the number of the last line it took, and what is wrong with it."""
    cells: list[str | None] = []
    damage: list[_Damage] = []
    end = len(text)
    while True:
        if pos < end and text[pos] == '"':
            close = _end(_QUOTED, text, pos + 1)
            after = text[close + 1 : close + 2]
            spans = _breaks(text, pos, close)
            if close >= end or (after not in _CELL_END and spans):
                where = (
                    "the file ends inside it"
                    if close >= end
                    else f"it runs on to line {line + spans}, where a quote is followed by "
                    f"{after!r}; the rows from line {line + 1} on are read again"
                )
                damage.append(
                    _Damage(
                        UNCLOSED_QUOTE,
                        len(cells),
                        f"the quote opened on line {line} is never closed: {where} ({NOT_CHECKED})",
                    )
                )
                cells.append(None)
                return cells, _after_line(text, pos), line, damage
            # Closed, or closed and followed by more of the cell on its line (kept, as in pyarrow).
            tail = close + 1 if after in _CELL_END else _end(_PLAIN, text, close + 1)
            size = (close - pos - 1) - text.count('""', pos + 1, close) + (tail - close - 1)
            value = None
            if size <= MAX_CELL_CHARS:
                value = text[pos + 1 : close].replace('""', '"') + text[close + 1 : tail]
            pos, line = tail, line + spans
        else:
            tail = _end(_PLAIN, text, pos)
            size = tail - pos
            value = text[pos:tail] if size <= MAX_CELL_CHARS else None
            pos = tail
        if value is None:
            damage.append(
                _Damage(
                    CELL_SIZE,
                    len(cells),
                    f"a cell of {size:,} characters, over the limit of {MAX_CELL_CHARS:,} a cell "
                    f"may hold; it is not read ({NOT_CHECKED})",
                )
            )
        cells.append(value)
        if text[pos : pos + 1] == ",":
            pos += 1
            continue
        pos = _end(_LINE_END, text, pos)
        return cells, pos, line, damage


class _Lines:
    """The physical lines of a text, for `csv.reader`, keeping count of where they are."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.text):
            raise StopIteration
        start = self.pos
        self.pos = _end(_LINE, self.text, start)
        self.line += 1
        return self.text[start : self.pos]


def _lines_of(first: int, last: int, row: int) -> str:
    """Where a row is in the file, when that is not its row number."""
    if first == last == row:
        return ""
    return (
        f" (line {first} of the file)" if first == last else f" (lines {first}-{last} of the file)"
    )


def read_rows(
    table: str, source: Path | bytes, validator: str | None = None
) -> tuple[pa.Table | None, list[Problem]]:
    """The table's rows as Arrow text columns (as `read_csv_text` gives them), and a Problem for
    each damaged row; None when there is no header to read rows by."""
    raw = source if isinstance(source, bytes) else source.read_bytes()
    # Bad bytes and a byte order mark are reported by the guard, by offset; read the rest.
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = _Lines(text)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    widths: set[int] = set()  # the data rows' cell counts
    problems: list[Problem] = []
    while True:
        start, first = lines.pos, lines.line + 1
        damage: list[_Damage] = []
        try:
            cells: list[str | None] = list(next(reader))
            if not cells:
                continue  # a blank line: skipped, as pyarrow skips it
            if lines.pos - start > MAX_CELL_CHARS:  # long enough to hold an oversized cell
                raise csv.Error("measure its cells")
        except StopIteration:
            break
        except csv.Error:
            cells, pos, last, damage = _record(text, start, first)
            lines.pos, lines.line = pos, last
            reader = csv.reader(lines, strict=True)  # a fresh reader: no state of the old one
        row = len(rows) + 2 if header is not None else 1
        names = header or []
        for found in damage:
            field = None if found.cell is None or found.cell >= len(names) else names[found.cell]
            problems.append(Problem(table, found.rule, found.message, row=row, field=field,
                                    validator=validator))  # fmt: skip
        if header is None:
            header = [cell or "" for cell in cells]
            continue
        width = len(header)
        widths.add(len(cells) if not damage else -1)
        if len(cells) != width and not any(d.rule == UNCLOSED_QUOTE for d in damage):
            message = (
                f"has {len(cells)} cell{'s' if len(cells) != 1 else ''}; the header has "
                f"{width}{_lines_of(first, lines.line, row)} ({NOT_CHECKED})"
            )
            problems.append(Problem(table, CELL_COUNT, message, row=row, validator=validator))
        rows.append((cells + [None] * width)[:width])
    if header is None:
        where = f"data/{table}.csv"
        return None, [Problem(where, "readable-csv", "is empty: a table has at least a header row")]
    if len(rows) > 1 and len(widths) == 1 and min(widths) not in (-1, len(header)):
        # Every row has the same other count: the header is the line that is wrong. One line
        # for it, not one per row (the rows are still not checked).
        message = (
            f"has {len(header)} names, but every one of the table's {len(rows)} rows has "
            f"{min(widths)} cells: the header is the line to fix (its rows are not checked)"
        )
        problems = [p for p in problems if p.rule != CELL_COUNT]
        problems.append(Problem(table, CELL_COUNT, message, row=1, validator=validator))
    columns = zip(*rows, strict=True) if rows else ([] for _ in header)
    arrays = [pa.array([cell or None for cell in column], type=pa.string()) for column in columns]
    return pa.Table.from_arrays(arrays, names=header), problems


def has_oversized_cell(text: pa.Table) -> bool:
    """Whether a table pyarrow did read holds a cell over `MAX_CELL_CHARS` (its blocks hold rows
    of up to about twice their size), so that it is read again here and the cell named. Free for
    a table smaller than the limit; otherwise one pass over each column's offsets."""
    if text.get_total_buffer_size() <= MAX_CELL_CHARS:  # (`nbytes` walks slices: 40x slower)
        return False

    def longest(column: pa.ChunkedArray, measure: Any) -> int:
        return pc.max(measure(column)).as_py() or 0

    return any(  # bytes first (the offsets alone), characters only when bytes are over
        longest(c, pc.binary_length) > MAX_CELL_CHARS
        and longest(c, pc.utf8_length) > MAX_CELL_CHARS
        for c in text.columns
    )


def first_columns(
    table: str, text: pa.Table, validator: str | None = None
) -> tuple[pa.Table, list[Problem]]:
    """The table with only the first of each column the header names twice, and a Problem for
    each repeat (the checks find a column by its name, which must then be one column)."""
    names = text.column_names
    if len(set(names)) == len(names):
        return text, []
    seen: set[str] = set()
    keep, problems = [], []
    for i, name in enumerate(names):
        if name not in seen:
            seen.add(name)
            keep.append(i)
            continue
        message = f"the header names this column again as column {i + 1}; only the first is checked"
        problems.append(Problem(table, DUPLICATE_COLUMN, message, row=1, field=name,
                                validator=validator))  # fmt: skip
    return text.select(keep), problems
