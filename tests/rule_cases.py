"""One case of a catalogue rule, shared by the table-driven tests of the rules run outside the
tables (the stages' rules in test_rule_catalogue.py, the release's in test_release_rules.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from memo724.contract.errors import Problem

Where = TypeVar("Where")


@dataclass(frozen=True)
class RuleCase(Generic[Where]):
    """`run` on a fresh place (a stage, a folder) gives the problems; `fails` says whether the
    rule must be among them."""

    rule: str
    fails: bool
    run: Callable[[Where], list[Problem]]
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fails' if self.fails else 'passes'}-{self.why}".rstrip("-")
