"""The contract's text rules, for every table of every package: the release's, a vendored copy's
and a package of its own alike, each failure named by table, row and field.

- `control-character`: no C0 control but tab, LF and CR, no DEL, no C1 control (U+0080-U+009F).
- `bidi-control`: no bidirectional embedding, override, isolate or mark (U+061C, U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069): they make text display in another order than it is stored
  ("Trojan Source", CVE-2021-42574).
- `zero-width`: no zero-width space, joiner or non-joiner, word joiner or BOM (U+200B-U+200D,
  U+2060, U+FEFF): they make equal-looking values differ.
- `line-separator`: no U+2028 or U+2029 (JavaScript and some terminals break lines there).
- `nfc`: text is in Unicode normalization form C (a decomposed "é" is two code points, and would
  differ from the memo's, which is NFC, and from every search for it).
- `blank-line`: no empty line in a CSV (Frictionless reports one as a blank row, pyarrow skips it:
  the two validators would disagree). Blank lines are reported here and removed from the bytes
  both validators read, so Frictionless never sees one (its blank-row path is quadratic: 600
  blank lines cost it 10 CPU seconds).

Bidirectional and zero-width characters are allowed in the fields that hold the memo's own words
at their offsets (contract.rules.MEMO_TEXT_FIELDS), which are checked character by character
against the memo: the memo, not this rule, decides what they may hold. The memo of this release
holds none of them, and is NFC (tests/test_text_rules.py).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..contract.errors import OWN, Problem, Rule
from ..contract.rules import is_memo_text
from .catalogue import BIDI_CONTROL, BLANK_LINE, CONTROL_CHARACTER, LINE_SEPARATOR, NFC, ZERO_WIDTH

if TYPE_CHECKING:
    import pyarrow as pa


# (rule, RE2 class of the characters it refuses, what it says, applies to memo-text fields)
RULES: tuple[tuple[Rule, str, str, bool], ...] = (
    (
        CONTROL_CHARACTER,
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]",
        "holds the control character {char}; text holds no control characters but tab, LF and CR",
        True,
    ),
    (
        BIDI_CONTROL,
        r"[\x{061c}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]",
        "holds the bidirectional control {char}, which shows text in another order than it is "
        "stored",
        False,
    ),
    (
        ZERO_WIDTH,
        r"[\x{200b}-\x{200d}\x{2060}\x{feff}]",
        "holds the zero-width character {char}, which makes equal-looking values differ",
        False,
    ),
    (
        LINE_SEPARATOR,
        r"[\x{2028}\x{2029}]",
        "holds the separator {char}, which breaks lines in JavaScript and some terminals",
        True,
    ),
)
NFC_MESSAGE = (
    "is not in Unicode normalization form C (NFC): {char} composes with the character before it"
)


def _char(value: str, pattern: str) -> str:
    """The first refused character of a value, as U+XXXX with its Unicode name."""
    found = re.search(_python_class(pattern), value)
    if found is None:
        return "a refused character"
    code = ord(found.group())
    name = unicodedata.name(found.group(), "")
    return f"U+{code:04X}{f' ({name})' if name else ''} at character {found.start()}"


def _python_class(pattern: str) -> str:
    # RE2's \x{...} as Python's \u/\U (the classes above use both forms of escape).
    return re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", pattern)


def _not_nfc(value: str) -> str:
    """The first character that NFC would compose with the one before it, as U+XXXX."""
    composed = unicodedata.normalize("NFC", value)
    pairs = zip(value, composed, strict=False)
    i = next((i for i, (a, b) in enumerate(pairs) if a != b), 0)
    j = next((j for j in range(i, len(value)) if unicodedata.combining(value[j])), i)
    if j >= len(value):
        return "a character"
    name = unicodedata.name(value[j], "")
    return f"U+{ord(value[j]):04X}{f' ({name})' if name else ''} at character {j}"


def text_problems(table: str, schema: dict[str, Any], text: pa.Table) -> list[Problem]:
    """Every cell of a table's text (as read before typing) that breaks a text rule. One Arrow
    kernel per column and rule; cells are looked at one by one only where a kernel found one."""
    import numpy as np
    import pyarrow.compute as pc

    problems = []
    fields = {str(f.get("name")): f for f in schema.get("fields", []) if isinstance(f, dict)}
    for name, whole in zip(text.column_names, text.columns, strict=True):
        memo_text = is_memo_text(table, fields.get(name, {"name": name}))
        # Every refused character lies outside printable ASCII, and ASCII text is NFC: one cheap
        # kernel finds the cells that hold such a character (few), and the rules look at those
        # only (`at` maps them back to their rows). At 1M rows this is seconds less than running
        # every rule's kernel on every column.
        suspect = pc.fill_null(pc.invert(pc.ascii_is_printable(whole)), False)
        if not pc.any(suspect).as_py():
            continue
        at = np.flatnonzero(suspect.to_numpy(zero_copy_only=False))
        column = pc.take(whole, at)
        for rule, pattern, message, in_memo_text in RULES:
            if memo_text and not in_memo_text:
                continue
            hits = pc.fill_null(pc.match_substring_regex(column, pattern), False)
            if not pc.any(hits).as_py():
                continue
            rows = np.flatnonzero(hits.to_numpy(zero_copy_only=False))
            for row, value in zip(
                at[rows].tolist(), pc.take(column, rows).to_pylist(), strict=True
            ):
                problems.append(_problem(table, rule, message.format(char=_char(value, pattern)),
                                         row, name, value))  # fmt: skip
        if memo_text:
            continue  # the memo's words: equal to the memo at their offsets, checked there
        composed = pc.utf8_normalize(column, form="NFC")
        differs = pc.fill_null(pc.not_equal(column, composed), False)
        if not pc.any(differs).as_py():
            continue
        rows = np.flatnonzero(differs.to_numpy(zero_copy_only=False))
        for row, value in zip(at[rows].tolist(), pc.take(column, rows).to_pylist(), strict=True):
            # The kernel only finds candidates: pyarrow 15 (our lowest) flags NFC cells with a
            # non-ASCII character in some chunks; Python's own Unicode tables decide.
            if unicodedata.is_normalized("NFC", value):
                continue
            message = NFC_MESSAGE.format(char=_not_nfc(value))
            problems.append(_problem(table, NFC, message, row, name, value))
    return problems


def _problem(table: str, rule: Rule, message: str, row: int, field: str, value: str) -> Problem:
    # Rows count records with the header as 1, as the validators do.
    return Problem(table, rule, message, row=row + 2, field=field, value=value, validator=OWN)


_QUOTE_OR_LINE_END = re.compile(rb'["\n]')
_LF, _CR, _QUOTE = ord("\n"), ord("\r"), ord('"')


def _any_outside_quotes(data: bytes) -> bool:
    """Whether an empty line lies outside quoted values: the memo's own empty lines are inside
    quoted values of evidence and passages, many thousands of them at 1M rows.

    A line end (LF) followed at once by another (LF or CRLF) starts an empty line, outside
    quotes when an even number of quotes comes before it. Found with numpy 8 MiB at a time
    (the quotes counted by a binary search among their positions): a Python step per candidate
    line was 0.3 s of the 1M-row package.
    """
    import numpy as np

    if data.startswith((b"\n", b"\r\n")):
        return True  # the first line is empty; no quote before it
    whole = np.frombuffer(data, dtype=np.uint8)
    quotes = 0  # before the block
    step = 8 * 1024 * 1024
    for start in range(0, len(whole), step):
        block = whole[start : start + step + 2]  # and the two bytes an empty line is seen by
        size = min(step, len(whole) - start)
        ends = np.flatnonzero(block[:size] == _LF)
        ends = ends[ends + 1 < len(block)]
        after = block[ends + 1]
        crlf = ends + 2 < len(block)
        empty = (after == _LF) | (
            (after == _CR) & crlf & (block[np.minimum(ends + 2, len(block) - 1)] == _LF)
        )
        at = np.flatnonzero(block[:size] == _QUOTE)
        before = quotes + np.searchsorted(at, ends[empty], side="right")
        if (before % 2 == 0).any():
            return True
        quotes += len(at)
    return False


def without_blank_lines(table: str, data: bytes) -> tuple[bytes, list[Problem]]:
    """The CSV's bytes with its empty lines removed, and one problem for each, by row (counted as
    Frictionless counts rows: records, an empty one included, the header as 1) and by line of
    the file. A line end inside a quoted value is the value's. Linear in the bytes."""
    if not _any_outside_quotes(data):
        return data, []
    problems: list[Problem] = []
    kept: list[bytes] = []
    in_quote = False
    row = line = 1
    start = kept_from = 0  # where the current record begins; where the kept bytes resume
    for found in _QUOTE_OR_LINE_END.finditer(data):
        if found.group() == b'"':
            in_quote = not in_quote
            continue
        end = found.start()
        if not in_quote:
            if data[start:end] in (b"", b"\r"):
                problems.append(
                    Problem(
                        table,
                        BLANK_LINE,
                        f"line {line} of the file is empty; a CSV row holds at least one cell "
                        "(Frictionless reports it as a blank row)",
                        row=row,
                        validator=OWN,
                    )
                )
                kept.append(data[kept_from:start])
                kept_from = end + 1
            row += 1
            start = end + 1
        line += 1
    kept.append(data[kept_from:])
    return b"".join(kept), problems


def strip_blank_lines(data: dict[str, bytes], tables: dict[str, str]) -> list[Problem]:
    """Remove the empty lines of each table's bytes in `data` (path -> bytes, changed in place),
    before either validator reads them; `tables` maps a path to its table's name."""
    problems: list[Problem] = []
    for rel, name in tables.items():
        if rel in data:
            data[rel], found = without_blank_lines(name, data[rel])
            problems += found
    return problems
