"""Where the code still names a table: only in the places CURATING.md lists, and loudly.

The source of src/ is read (not run): every string constant that is a table's name (docstrings
aside), and every quoted table name in the site's templates and scripts, must be in a file the
list in CURATING.md ("Where the code still names a table") gives with that table; a row of the
list that no longer matches the code fails too. Then each feature that reads a table by name is
run on a copy whose schema renames what it reads: it must refuse in one line (rule
`code-reads`, naming the schema file), never answer with an empty result.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import memo724
from memo724.contract import Contract
from memo724.contract.errors import DatasetError, Problem
from memo724.contract.paths import REPO, Layout

SRC = Path(memo724.__file__).parent
SECTION = "### Where the code still names a table"
TEXT_FILES = (".j2", ".js", ".html", ".css")


def table_names() -> set[str]:
    return set(Contract(REPO.schemas).tables)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if isinstance(node, kinds) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def named_in_code() -> dict[str, set[str]]:
    """File under src/memo724/ -> the table names written in it."""
    names = table_names()
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*")):
        rel = path.relative_to(SRC).as_posix()
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = _docstrings(tree)
            hits = {
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in names
                and id(node) not in docs
            }
        elif path.suffix in TEXT_FILES:
            text = path.read_text(encoding="utf-8")
            hits = {m[2] for m in re.finditer(r"([\"'])([a-z_]+)\1", text) if m[2] in names}
        else:
            continue
        if hits:
            found[rel] = hits
    return found


def listed() -> dict[str, set[str]]:
    """The list in CURATING.md: file -> the tables it may name ("every table": all of them)."""
    text = (REPO.root / "CURATING.md").read_text(encoding="utf-8")
    assert SECTION in text
    section = text.split(SECTION, 1)[1].split("\n#", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        rel = cells[0].strip("`")
        assert rel not in rows, f"{rel} is listed twice"
        assert cells[2] in ("feature", "frozen", "role", "not a table"), line
        assert cells[3], f"{rel}: say why"
        tables = (
            table_names() if cells[1] == "every table" else set(re.findall(r"`([^`]+)`", cells[1]))
        )
        rows[rel] = tables
    return rows


def test_the_code_names_a_table_only_where_curating_lists_it() -> None:
    code, doc = named_in_code(), listed()
    unlisted = {f: sorted(t - doc.get(f, set())) for f, t in code.items() if t - doc.get(f, set())}
    assert not unlisted, f"table names in src/ that CURATING.md does not list: {unlisted}"
    stale = {f: sorted(t - code.get(f, set())) for f, t in doc.items() if t - code.get(f, set())}
    assert not stale, f"CURATING.md lists table names the code no longer writes: {stale}"


def test_the_scan_sees_a_new_table_name(tmp_path: Path) -> None:
    """The check above can fail: a table name added to a module is found (and a docstring's is
    not)."""
    path = SRC / "curation" / "coverage.py"
    tree = ast.parse(path.read_text(encoding="utf-8") + '\nEXTRA = "risks"\n')
    docs = _docstrings(tree)
    hits = {
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value in table_names() and id(n) not in docs
    }
    assert "risks" in hits and "risks" not in listed()["curation/coverage.py"]


# ---- A feature that reads a table by name refuses a renamed one in one line ----


def renamed_field(table: str, field: str) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        for f in schemas[table]["fields"]:
            if f["name"] == field:
                f["name"] = f"{field}_renamed"

    return change


def renamed_code(table: str, field: str, code: str) -> Callable[[dict[str, Any]], None]:
    """The code `code` of a coded field renamed in its enum (one edit of the schema)."""

    def change(schemas: dict[str, Any]) -> None:
        for f in schemas[table]["fields"]:
            if f["name"] == field:
                enum = f["constraints"]["enum"]
                enum[enum.index(code)] = f"{code}_renamed"

    return change


def dropped_role(table: str) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        schemas[table]["role"] = "record"

    return change


def _schemas() -> dict[str, Any]:
    return {name: s.descriptor for name, s in Contract(REPO.schemas).tables.items()}


def _refusal(call: Callable[[], object]) -> list[Problem]:
    with pytest.raises(DatasetError) as refused:
        call()
    return refused.value.problems


def _coverage(contract: Contract) -> object:
    from memo724.curation.coverage import coverage_tables

    return coverage_tables(contract)


def _orphans(contract: Contract) -> object:
    from memo724.contract.typed import text_frame
    from memo724.curation.audit import orphan_actors

    frames = {n: text_frame(REPO.table(n)) for n in contract.tables if REPO.table(n).is_file()}
    return orphan_actors(contract, frames)


def _uncited(contract: Contract) -> object:
    from memo724.contract.typed import text_frame
    from memo724.curation.audit import uncited_sources

    frames = {n: text_frame(REPO.table(n)) for n in contract.tables if REPO.table(n).is_file()}
    return uncited_sources(contract, frames)


def dropped_key_to(table: str, resource: str) -> Callable[[dict[str, Any]], None]:
    def change(schemas: dict[str, Any]) -> None:
        keys = schemas[table]["foreignKeys"]
        schemas[table]["foreignKeys"] = [k for k in keys if k["reference"]["resource"] != resource]

    return change


def _protocol(contract: Contract) -> object:
    from memo724.curation.agreement import protocol_tables

    return protocol_tables(contract)


def _derived(table: str) -> Callable[[Contract], object]:
    """The validators' schema of one table (every rule that applies to it is built)."""

    def derive_table(contract: Contract) -> object:
        from memo724.validation.schemas import derive

        return derive(contract, table)

    return derive_table


UNIT_CASES: list[
    tuple[str, Callable[[dict[str, Any]], None], Callable[[Contract], object], str]
] = [
    ("coverage-sources-kind", renamed_field("sources", "kind"), _coverage, "sources.kind"),
    ("protocol-field", renamed_field("positions", "stance"), _protocol, "positions.stance"),
    ("protocol-child", renamed_field("risk_actors", "role"), _protocol, "risk_actors.role"),
    ("protocol-identity", renamed_field("time_links", "anchor_event_id"), _protocol, "anchor"),
    ("coverage-structure-role", dropped_role("passages"), _coverage, "role 'structure'"),
    ("coverage-evidence-role", dropped_role("evidence"), _coverage, "role 'evidence'"),
    (
        "uncited-sources-table",
        lambda s: s.update(references=s.pop("sources")),
        _uncited,
        "table sources",
    ),
    (
        "uncited-sources-key",
        dropped_key_to("evidence", "sources"),
        _uncited,
        "a foreign key of evidence into sources",
    ),
    (
        "orphans-actors",
        lambda s: s.update(people=s.pop("actors")),
        _orphans,
        "table actors",
    ),
    # A code the code reads by its value: renamed in the enum, the reader refuses.
    (
        "coverage-hyperlink-code",
        renamed_code("sources", "kind", "hyperlink"),
        _coverage,
        "the code 'hyperlink' of sources.kind",
    ),
    (
        "coverage-body-code",
        renamed_code("passages", "kind", "footnote"),
        _coverage,
        "the code 'footnote' of passages.kind",
    ),
    (
        "rule-view-holder-perceives-code",
        renamed_code("risk_actors", "role", "perceiver"),
        _derived("risks"),
        "the rule view-holder-perceives reads the code 'perceiver' of risk_actors.role",
    ),
    # The codes the time derivation writes: renamed in one placed table's enum, refused.
    (
        "rule-time-window-code",
        renamed_code("events", "time_basis", "anchored"),
        _derived("events"),
        "the rule time-window reads the code 'anchored' of events.time_basis",
    ),
    (
        "rule-time-window-expressed-code",
        renamed_code("positions", "time_basis", "expressed-by-event"),
        _derived("positions"),
        "the rule time-window reads the code 'expressed-by-event' of positions.time_basis",
    ),
    (
        "rule-view-holder-code",
        renamed_code("risks", "attribution", "author"),
        _derived("risks"),
        "the rule view-holder reads the code 'author' of risks.attribution",
    ),
]


@pytest.mark.parametrize("case", UNIT_CASES, ids=lambda c: c[0])
def test_a_feature_refuses_a_schema_without_what_it_reads(case) -> None:
    _, change, feature, named = case
    schemas = _schemas()
    change(schemas)
    contract = Contract.of(schemas)
    problems = _refusal(lambda: feature(contract))
    assert len(problems) == 1 and problems[0].rule == "code-reads", problems
    assert named in problems[0].message
    assert feature(Contract(REPO.schemas)) is not None  # the schemas as they are: it runs


def _edit_schema(root: Path, table: str, field: str) -> None:
    path = root / "schemas" / f"{table}.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    renamed_field(table, field)({table: value})
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")


def test_the_site_profiles_refuse_a_renamed_participant_role(pristine: Layout, tmp_path) -> None:
    from memo724.publication.site.gather import gather
    from memo724.publication.site.profiles import Profiles

    copy = Layout(tmp_path / "copy")
    shutil.copytree(pristine.root, copy.root)
    Profiles(gather(copy))  # as built: the profiles are made
    _edit_schema(copy.root, "event_participants", "role")
    (problem,) = _refusal(lambda: Profiles(gather(copy)))
    assert str(problem).startswith(
        "schemas/event_participants.json: the site's profiles reads event_participants.role,"
    )
    assert problem.rule == "code-reads"


def test_the_readme_figures_refuse_a_renamed_event_field(pristine: Layout, tmp_path) -> None:
    from memo724.publication.figures import figures

    copy = Layout(tmp_path / "copy")
    shutil.copytree(pristine.root, copy.root)
    _edit_schema(copy.root, "events", "factuality")
    (problem,) = _refusal(lambda: figures(copy))
    assert problem.where == "schemas/events.json" and "events.factuality" in problem.message


@pytest.mark.parametrize(
    ("table", "field", "code"),
    [
        ("events", "factuality", "reported"),
        ("risk_actors", "role", "amplifier"),
        ("assessments", "certainty", "asserted"),
        ("positions", "attribution", "author-assessment"),
        ("relations", "time_basis", "unknown"),
    ],
)
def test_the_readme_figures_refuse_a_renamed_code(
    pristine: Layout, tmp_path, table: str, field: str, code: str
) -> None:
    from memo724.publication.figures import figures

    copy = Layout(tmp_path / "copy")
    shutil.copytree(pristine.root, copy.root)
    path = copy.root / "schemas" / f"{table}.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    renamed_code(table, field, code)({table: value})
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    (problem,) = _refusal(lambda: figures(copy))
    assert problem.rule == "code-reads" and problem.where == f"schemas/{table}.json"
    assert problem.field == field
    assert f"the README's figures reads the code {code!r} of {table}.{field}," in problem.message


def test_the_time_link_model_refuses_a_renamed_anchor(source_copy) -> None:
    from memo724.curation.build import build_tables

    source = source_copy()
    _edit_schema(source.root, "time_links", "anchor_document_id")
    problems = _refusal(lambda: build_tables(source))
    mine = [p for p in problems if p.rule == "code-reads"]
    assert mine, problems[:5]
    assert "time_links.anchor_document_id" in mine[0].message


def test_the_citation_refuses_a_renamed_document_field(tmp_path: Path) -> None:
    from memo724.publication.generate import write_docs

    schemas = _schemas()
    renamed_field("documents", "author_actor_id")(schemas)
    target = Layout(tmp_path / "target")
    (problem,) = _refusal(lambda: write_docs(REPO, target, Contract.of(schemas)))
    assert problem.rule == "code-reads" and "documents.author_actor_id" in problem.message
    assert not target.root.exists()  # refused before anything is read or written
