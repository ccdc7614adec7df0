"""The rules of the curated records (catalogue kind "records"), a failing and a passing case each.

Each case adds one records file to a copy of the checkout's inputs and runs the build's reading
of the records (`build_tables`): a failing case must name its rule, a passing case (the same
record made right, or at its boundary) must not. Rules only the structure file, the blind coding
or the manual can break are listed in NOT_HERE with the test that covers them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from memo724.contract.errors import DatasetError, Problem
from memo724.contract.paths import REPO, Layout
from memo724.curation.build import build_tables
from memo724.curation.records import MAX_YAML_DEPTH
from memo724.validation.catalogue import CATALOGUE

EVENT = """events:
  - id: test-event
    summary: A test event.
    event_type: takeover
    factuality: occurred
{extra}    evidence:
      - "the swift Taliban takeover"
"""


def event(extra: str = "") -> str:
    return EVENT.format(extra=extra)


LINK = """time_links:
  - id: test-link
    event_id: {event}
    relation: after
    anchor_event_id: taliban-takeover-of-afghanistan
    summary: A test link.
    evidence:
      - "Russia's immediate reaction to the Taliban takeover of Afghanistan in August 2021"
"""


@dataclass(frozen=True)
class RecordCase:
    rule: str
    fails: bool
    text: str  # a records file of its own ("" for none)
    why: str = ""
    edit: tuple[str, str, str] | None = None  # (a curation file, text, its replacement)

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fails' if self.fails else 'passes'}-{self.why}".rstrip("-")


CASES = [
    RecordCase("yaml-syntax", True, "events:\n  - id: x\n    summary: [unclosed\n"),
    RecordCase("yaml-syntax", False, event()),
    RecordCase(
        "yaml-size", True, "events: " + "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1)
    ),
    RecordCase(
        "yaml-size",
        False,
        "events: " + "[" * MAX_YAML_DEPTH + "]" * MAX_YAML_DEPTH + "\n",
        why="boundary",
    ),
    RecordCase("yaml-tag", True, "events: !!python/object:os.system []\n"),
    RecordCase("yaml-tag", False, "events: !!seq []\n", why="core-tag"),
    RecordCase("file-shape", True, "- events\n"),
    RecordCase("file-shape", False, "events: []\n"),
    RecordCase("unknown-table", True, "Events: []\n", why="case-only"),
    RecordCase("unknown-table", False, "events: []\n"),
    RecordCase("record-shape", True, "events:\n  - just text\n"),
    RecordCase("record-shape", False, event()),
    RecordCase("unknown-key", True, event("    Summary: Again.\n"), why="case-only"),
    RecordCase("unknown-key", False, event()),
    RecordCase("scalar", True, event("    place: [here, there]\n")),
    RecordCase("scalar", False, event()),
    RecordCase("child-shape", True, event("    participants: taliban\n")),
    RecordCase(
        "child-shape", False, event("    participants:\n      - {actor_id: taliban, role: agent}\n")
    ),
    RecordCase("date-group", True, event('    date: {edtf: "2021-08", when: soon}\n')),
    RecordCase("date-group", False, event('    date: {edtf: "2021-08"}\n')),
    RecordCase("duplicate-id", True, event() + event().replace("events:\n", "", 1)),
    RecordCase(
        "duplicate-id",
        False,
        event() + event().replace("events:\n", "", 1).replace("test-event", "test-event-2"),
    ),
    RecordCase("evidence-required", True, event().split("    evidence:")[0]),
    RecordCase("evidence-required", False, event()),
    RecordCase(
        "evidence-shape",
        True,
        event().replace('- "the swift Taliban takeover"', "- {quote: [a, b]}"),
    ),
    RecordCase(
        "evidence-shape",
        False,
        event().replace(
            '- "the swift Taliban takeover"', '- {quote: "the swift Taliban takeover"}'
        ),
    ),
    RecordCase(
        "quote",
        True,
        event().replace("the swift Taliban takeover", "the swift taliban takeover"),
        why="case-only",
    ),
    RecordCase("quote", False, event()),
    RecordCase("time-link", True, LINK.format(event="no-such-event")),
    RecordCase(
        "time-link", False, LINK.format(event="kremlin-calls-for-recognizing-taliban-control")
    ),
    # the memo's structure and the document record
    RecordCase(
        "front-matter",
        True,
        "",
        why="case-only",
        edit=("structure.yaml", "\"Russia's Approach to", "\"Russia's approach to"),
    ),
    RecordCase("front-matter", False, "", edit=("structure.yaml", "", "")),
    RecordCase(
        "heading",
        True,
        "",
        why="one-past",
        edit=("structure.yaml", 'text: "Conclusion"', 'text: "Conclusions"'),
    ),
    RecordCase("heading", False, "", edit=("structure.yaml", "", "")),
    RecordCase(
        "series-line",
        True,
        "",
        why="one-past",
        edit=("records/00-document.yaml", "number: 724", "number: 725"),
    ),
    RecordCase("series-line", False, "", edit=("records/00-document.yaml", "", "")),
]

# Rules of kind "records" that only the blind second coding or its manual can break: their
# cases are in test_rule_catalogue.py (STAGE_CASES: a blind part, a manual that quotes the memo).
NOT_HERE = {"blind-part", "reference", "blind-manual"}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    layout = Layout(tmp_path_factory.mktemp("records") / "source")
    for part in ("curation", "schemas", "data"):
        shutil.copytree(REPO.root / part, layout.root / part)
    return layout


def problems_of(source: Layout, case: RecordCase) -> list[Problem]:
    path = source.curation / "records" / "99-test.yaml"
    if case.text:
        path.write_text(case.text, encoding="utf-8")
    edited, before = None, ""
    if case.edit is not None:
        rel, old, new = case.edit
        edited = source.curation / rel
        before = edited.read_text(encoding="utf-8")
        assert old in before
        edited.write_text(before.replace(old, new, 1), encoding="utf-8")
    try:
        build_tables(source)
    except DatasetError as error:
        return error.problems
    finally:
        path.unlink(missing_ok=True)
        if edited is not None:
            edited.write_text(before, encoding="utf-8")
    return []


def test_every_records_rule_has_a_failing_case_or_says_where_it_is_proved() -> None:
    records = {name for name, entry in CATALOGUE.items() if entry.kind == "records"}
    failing = {c.rule for c in CASES if c.fails}
    assert failing | set(NOT_HERE) == records, (failing | set(NOT_HERE)) ^ records
    assert {c.rule for c in CASES if not c.fails} == failing


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_record_rule_case(source: Layout, case: RecordCase) -> None:
    problems = problems_of(source, case)
    mine = [p for p in problems if p.rule == case.rule]
    if case.fails:
        assert mine, problems[:5]
        where = "99-test.yaml" if case.edit is None else "curation/"
        assert all(where in p.where for p in mine), mine
    else:
        assert not mine, mine
