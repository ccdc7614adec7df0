"""A coded value is one edit: the schema's enum (and the codebook's definition of the value).

A temporary copy of the checkout's inputs gets one more value of `events.factuality` in its
schema and its definition in curation/codebook.yaml, nothing else. The real build then documents
it (CODEBOOK.md), the loader gives it as a category (in the enum's order), the validators accept
it and still refuse a value the enum lacks, and the coder's manual explains it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from file_tree import changed, tree

import memo724
from memo724.contract import Contract
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO, Layout
from memo724.curation.manual import manual_markdown
from memo724.curation.records import load_yaml
from memo724.publication.generate import build_copy
from memo724.validation.drift import judge_own

TABLE, FIELD, VALUE = "events", "factuality", "disputed"
DEFINITION = "A toy value, for the memo reporting the event as disputed."


def add_value(source: Layout) -> None:
    """Add the value to the copy at source."""
    path = source.schemas / f"{TABLE}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for f in schema["fields"] if f["name"] == FIELD)
    field["constraints"]["enum"].append(VALUE)
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    codebook = source.curation / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    block = f"  {TABLE}.{FIELD}:\n"
    at = text.index(block) + len(block)
    while text[at:].startswith("    "):  # after the field's last definition
        at = text.index("\n", at) + 1
    codebook.write_text(text[:at] + f"    {VALUE}: {DEFINITION}\n" + text[at:], encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, Layout, set[str]]:
    root = tmp_path_factory.mktemp("value")
    source = Layout(root / "source")
    for part in ("curation", "schemas", "data"):
        shutil.copytree(REPO.root / part, source.root / part)
    for name in ("README.md", "CODEBOOK.md", "CHANGELOG.md", "DATACARD.md", "LICENSE"):
        shutil.copyfile(REPO.root / name, source.root / name)
    before = tree(source.root)
    add_value(source)
    touched = changed(before, tree(source.root))  # measured on the copy, not declared
    target = Layout(root / "package")
    build_copy(source, target)
    return source, target, touched


def test_a_new_value_touches_the_enum_and_its_definition_only(built) -> None:
    _, _, touched = built
    assert touched == {f"schemas/{TABLE}.json", "curation/codebook.yaml"}, touched


def test_the_codebook_documents_it(built) -> None:
    _, package, _ = built
    codebook = (package.root / "CODEBOOK.md").read_text(encoding="utf-8")
    assert f"`{VALUE}`" in codebook and DEFINITION in codebook
    assert f"`{VALUE}`" not in (REPO.root / "CODEBOOK.md").read_text(encoding="utf-8")


def test_the_loader_gives_it_as_a_category(built) -> None:
    _, package, _ = built
    frame = memo724.load(TABLE, path=package.root)
    categories = list(frame[FIELD].cat.categories)
    assert categories == [*Contract(REPO.schemas)[TABLE].enum(FIELD), VALUE]
    assert (
        VALUE in memo724.describe(TABLE, path=package.root).set_index("field").loc[FIELD, "values"]
    )


def _with_value(package: Layout, tmp_path: Path, value: str) -> Layout:
    copy = Layout(tmp_path / value)
    shutil.copytree(package.root, copy.root)
    path = copy.table(TABLE)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[0][FIELD] = value
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return copy


def test_the_validators_accept_it_and_refuse_other_values(built, tmp_path: Path) -> None:
    _, package, _ = built
    assert judge_own(package, frictionless=False) == []
    accepted = judge_own(_with_value(package, tmp_path, VALUE), frictionless=False)
    assert not [p for p in accepted if p.rule == "enum"], accepted
    refused = judge_own(_with_value(package, tmp_path, VALUE.upper()), frictionless=False)
    assert [(p.where, p.row, p.field) for p in refused if p.rule == "enum"] == [(TABLE, 2, FIELD)]


def test_the_coders_manual_explains_it(built) -> None:
    source, _, _ = built
    manual = manual_markdown(
        Contract(source.schemas),
        load_yaml(source.curation / "codebook.yaml", "curation/codebook.yaml"),
        read_memo(source.memo),
    )
    assert f"- `{VALUE}`: {DEFINITION}" in manual
