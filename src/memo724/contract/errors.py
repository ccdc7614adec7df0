"""Errors that reach the user as one clear line each, never as a traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that could rewrite, colour or forge lines of a report when printed: C0 and C1
# controls and DEL, bidirectional embeddings, overrides and isolates ("Trojan Source"),
# zero-width characters and the BOM, line and paragraph separators, and lone surrogates.
_HIJACKING = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def visible(text: str) -> str:
    """Text from the input made safe to print: every character that could hijack a terminal or
    forge a line shown as a visible escape (\\x1b, \\u202e), so a report is one line per problem."""
    return _HIJACKING.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


class Rule(str):
    """A rule as a record: its name (the text users see and match on, so a Rule compares and
    prints as that name), the contract facts it applies to, the fields it reads and its message.

    A str subclass so that every report, test and downstream script that matches on the rule's
    name keeps working, while a Problem carries the record itself: nothing parses a message to
    learn which rule failed. The validators' catalogue (validation/catalogue.py) registers them.
    """

    applies: str
    reads: str
    message: str

    def __new__(cls, name: str, applies: str = "", reads: str = "", message: str = "") -> Rule:
        rule = super().__new__(cls, name)
        rule.applies, rule.reads, rule.message = applies, reads, message
        return rule

    def __copy__(self) -> Rule:  # a record, never changed: copies are the record itself
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Rule:
        return self

    def __reduce__(self) -> tuple[type[Rule], tuple[str, str, str, str]]:  # pickle the record
        return (Rule, (self.name, self.applies, self.reads, self.message))

    @property
    def name(self) -> str:
        return str.__str__(self)


# The label of problems found by memo724 itself (its reader, text and file checks), beside
# those Pandera's schemas and Frictionless find.
OWN = "memo724"


@dataclass(frozen=True)
class Problem:
    """One failed rule, located as precisely as the input allows."""

    where: str  # a file, or a file and line, or a table
    rule: str  # a Rule (its name as text) for the validators' rules
    message: str
    row: int | None = None  # CSV line number, header = 1 (as Frictionless counts)
    field: str | None = None
    value: str | None = None
    validator: str | None = None
    # Where the cause is, when this problem only follows from another one (a CI log lists the
    # causes first, then their consequences, each saying what it follows from).
    follows: str | None = None

    def __str__(self) -> str:
        parts = [self.where]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        head = ", ".join(parts)
        value = "" if self.value is None else f" value {visible(repr(self.value))}:"
        by = f" [{self.validator}]" if self.validator else ""
        after = f"; follows from {self.follows}" if self.follows else ""
        # Names, keys, paths and third-party messages all come from the input: one safe line.
        return visible(f"{head}:{value} {self.message} (rule: {self.rule}{after}){by}")


class DatasetError(Exception):
    """Raised with every problem found; the command line prints them and exits non-zero."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
