"""Errors that reach the user as one clear line each, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One failed rule, located as precisely as the input allows."""

    where: str  # a file, or a file and line, or a table
    rule: str
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
        value = "" if self.value is None else f" value {self.value!r}:"
        by = f" [{self.validator}]" if self.validator else ""
        after = f"; follows from {self.follows}" if self.follows else ""
        return f"{head}:{value} {self.message} (rule: {self.rule}{after}){by}"


class DatasetError(Exception):
    """Raised with every problem found; the command line prints them and exits non-zero."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
