"""A damaged CSV is refused by row by every reader, not only by `memo724 validate`.

`memo724 figures`, `memo724 coverage` and `memo724.load()` read the tables without validating
them (through contract.typed). Before, an extra cell, an unclosed quote or an empty file reached
the user as pandas's or pyarrow's own words (an "internal error", exit 3, or a traceback). Each
test damages the sources table (read by the figures, the coverage and the loader) of a copy
and expects validate's problem for it, located by the file: exit 1, the one line, nothing else
printed, none of the parsers' words and no file changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

import pytest

import memo724
from memo724.cli import main
from memo724.contract.errors import DatasetError
from memo724.contract.files import MAX_CELL_CHARS
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import read_csv_text, read_header, text_frame

TABLE = "sources"  # one record per line, read by all three readers
# What pandas and pyarrow say of a file they refuse, and the command line's word for a fault.
THIRD_PARTY = (
    "ParserError",
    "Error tokenizing",
    "EmptyDataError",
    "No columns to parse",
    "CSV parse error",
    "Expected",
    "straddl",
    "Arrow",
    "internal error",
    "Traceback",
)


class Damage(NamedTuple):
    line: str  # the problem as the readers print it, {file} standing for the file's path
    validated: str  # the same problem as `memo724 validate` prints it


def extra_cell(path: Path) -> Damage:
    width = len(read_header(path))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] += ",x"
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    said = f"row 4: has {width + 1} cells; the header has {width} (the row is not checked further)"
    return Damage(
        f"{{file}}, {said} (rule: cell-count)", f"{TABLE}, {said} (rule: cell-count) [memo724]"
    )


def unclosed_quote(path: Path) -> Damage:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    row = text.count("\n") + 1  # a new last line, one record per line before it
    path.write_text(text + '"never closed\n', encoding="utf-8", newline="")
    said = (
        f"row {row}, field {read_header(path)[0]}: the quote opened on line {row} is never "
        "closed: the file ends inside it (the row is not checked further)"
    )
    return Damage(
        f"{{file}}, {said} (rule: unclosed-quote)",
        f"{TABLE}, {said} (rule: unclosed-quote) [memo724]",
    )


def empty(path: Path) -> Damage:
    path.write_bytes(b"")
    said = "is empty: a table has at least a header row (rule: readable-csv)"
    return Damage(f"{{file}}: {said}", f"data/{TABLE}.csv: {said}")


DAMAGES: dict[str, Callable[[Path], Damage]] = {
    "extra cell": extra_cell,
    "unclosed quote": unclosed_quote,
    "empty file": empty,
}


@pytest.fixture(params=list(DAMAGES))
def damaged(request: pytest.FixtureRequest, package_copy: Layout) -> tuple[Layout, Damage]:
    damage = DAMAGES[request.param](package_copy.table(TABLE))
    return package_copy, damage


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def run(argv: list[str], root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    before = snapshot(root)
    code = main(argv)
    captured = capsys.readouterr()
    assert snapshot(root) == before, "a reader changed a file"
    for words in THIRD_PARTY:
        assert words not in captured.out + captured.err, (words, captured)
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", ["figures", "coverage"])
def test_the_commands_refuse_a_damaged_csv_by_row(
    command: str, damaged: tuple[Layout, Damage], capsys: pytest.CaptureFixture[str]
) -> None:
    layout, damage = damaged
    root = layout.root.resolve()
    code, out, err = run([command, str(root)], root, capsys)
    file = root / "data" / f"{TABLE}.csv"
    assert (code, out) == (1, "")  # nothing printed before the refusal
    assert err.splitlines() == [damage.line.format(file=file), "stopped: 1 problem(s)"]


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_load_refuses_a_damaged_csv_by_row(
    damaged: tuple[Layout, Damage], engine: Literal["pandas", "polars"]
) -> None:
    layout, damage = damaged
    file = layout.table(TABLE)
    with pytest.raises(memo724.DatasetError) as refused:  # the same class, at the top level
        memo724.load(TABLE, engine, path=layout.root)
    assert memo724.DatasetError is DatasetError
    assert [str(p) for p in refused.value.problems] == [damage.line.format(file=file)]
    assert str(refused.value) == damage.line.format(file=file)
    with pytest.raises(DatasetError):
        memo724.load_all(path=layout.root)


def test_the_readers_say_what_validate_says(
    damaged: tuple[Layout, Damage], capsys: pytest.CaptureFixture[str]
) -> None:
    layout, damage = damaged
    code, _, err = run(["validate", str(layout.root)], layout.root, capsys)
    assert code == 1
    assert damage.validated in err.splitlines()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # pandas padded a short row with missing cells, without a word
        (
            "a,b\n1,2\n3\n",
            "row 3: has 1 cell; the header has 2 (the row is not checked further) "
            "(rule: cell-count)",
        ),
        # pandas renamed a repeated column "a.1"
        (
            "a,b,a\n1,2,3\n",
            "row 1, field a: the header names this column again as column 3; "
            "only the first is checked (rule: duplicate-column)",
        ),
    ],
    ids=["short row", "repeated column"],
)
def test_a_text_frame_refuses_what_pandas_would_have_guessed_at(
    tmp_path: Path, text: str, line: str
) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(DatasetError) as refused:
        text_frame(path)
    assert str(refused.value) == f"{path}, {line}"


def test_bytes_that_are_not_utf8_are_named_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,x\xff\n")
    with pytest.raises(DatasetError) as refused:
        text_frame(path)
    assert str(refused.value) == (
        f"{path}: invalid UTF-8 at byte offset 7 (invalid start byte: ff) (rule: utf-8)"
    )


def test_a_cell_over_the_limit_is_refused_though_pyarrow_reads_it(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b\n1,2\n3," + "x" * (MAX_CELL_CHARS + 1) + "\n4,5\n")
    assert read_csv_text(path).num_rows == 3  # pyarrow alone takes it, cell and all
    with pytest.raises(DatasetError) as refused:
        text_frame(path)
    assert str(refused.value) == (
        f"{path}, row 3, field b: a cell of {MAX_CELL_CHARS + 1:,} characters, over the limit of "
        f"{MAX_CELL_CHARS:,} a cell may hold; it is not read (the row is not checked further) "
        "(rule: cell-size)"
    )


def test_an_undamaged_csv_reads_as_before(tmp_path: Path) -> None:
    # A quote closed and followed by more text is kept, as pyarrow and Frictionless keep it.
    frame = text_frame(_csv(tmp_path, 'a,b\n"x""y",\n"p"q,r\n'))
    assert frame["a"].tolist() == ['x"y', "pq"]
    assert frame["b"].isna().tolist() == [True, False]


def test_a_byte_order_mark_is_read_past_as_pyarrow_and_pandas_read_it(tmp_path: Path) -> None:
    # The header's reader kept the mark in the first name, which pyarrow does not: that column
    # was then read as numbers, not text.
    plain = text_frame(_csv(tmp_path, "a,b\n1,2\n"))
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    assert read_header(path) == read_header(path.read_bytes()) == ["a", "b"]
    marked = text_frame(path)
    assert marked.dtypes.to_dict() == plain.dtypes.to_dict() == {"a": "string", "b": "string"}
    assert marked.to_dict() == plain.to_dict() == {"a": {0: "1"}, "b": {0: "2"}}


def test_figures_refuse_a_damaged_reliability_file_by_row(
    package_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    # The second coding's files are read by the same row reader as the tables (pandas named the
    # line in its own words, as an internal error, exit 3).
    root = package_copy.root.resolve()
    shutil.copytree(REPO.root / "reliability", root / "reliability", dirs_exist_ok=True)
    code, out, _ = run(["figures", str(root)], root, capsys)
    assert code == 0 and "blind second coding" in out
    damage = extra_cell(root / "reliability" / "units.csv")
    code, out, err = run(["figures", str(root)], root, capsys)
    said = damage.line.format(file=root / "reliability" / "units.csv")
    assert (code, out) == (1, "")
    assert err.splitlines() == [said, "stopped: 1 problem(s)"]


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_load_refuses_a_cell_not_of_its_type_as_validate_words_it(
    package_copy: Layout, engine: Literal["pandas", "polars"], capsys: pytest.CaptureFixture[str]
) -> None:
    file = package_copy.table("events")
    lines = file.read_text(encoding="utf-8").split("\n")
    at = lines[0].split(",").index("date_start")
    # the first row with a date and no quoted cell (its cells split on commas)
    row = next(
        i for i, ln in enumerate(lines[1:], 1) if '"' not in ln and ln.split(",")[at][:2] == "20"
    )
    cells = lines[row].split(",")
    cells[at] = "2021-02-30"
    lines[row] = ",".join(cells)
    file.write_text("\n".join(lines), encoding="utf-8", newline="")
    said = f"row {row + 1}, field date_start: value '2021-02-30': must be a date (rule: type)"
    with pytest.raises(memo724.DatasetError) as refused:
        memo724.load("events", engine, path=package_copy.root)
    assert [str(p) for p in refused.value.problems] == [f"{file}, {said}"]
    code, _, err = run(["validate", str(package_copy.root)], package_copy.root, capsys)
    assert code == 1 and f"events, {said} [pandera]" in err.splitlines()
