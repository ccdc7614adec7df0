"""Hostile input, the proofs the issue asks for by name: no request, no block, bounded YAML,
spreadsheet-safe cells, the release's contract rather than the copy's, one line per problem."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from conftest import Loopback

from memo724.cli import main
from memo724.contract import TABLES, Contract
from memo724.contract.errors import DatasetError
from memo724.contract.paths import Layout
from memo724.contract.release import (
    descriptor_digest,
    installed_contract,
    known_versions,
    release_contract,
)
from memo724.contract.rules import FORMULA_LEADS, effective_schema, is_memo_text
from memo724.curation.records import load_yaml
from memo724.publication.package import csv_text, dump_json, write_descriptor


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def edit_descriptor(layout: Layout, edit) -> None:
    desc = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    edit(desc)
    layout.descriptor.write_text(json.dumps(desc, indent=2), encoding="utf-8")


def resource(desc: dict, name: str) -> dict:
    return next(r for r in desc["resources"] if r["name"] == name)


def test_url_paths_are_refused_without_a_request(
    package_copy: Layout, loopback: Loopback, capsys
) -> None:
    url, seen = loopback.url, loopback.seen

    def edit(desc: dict) -> None:
        resource(desc, "events")["path"] = f"{url}/events.csv"
        resource(desc, "actors")["schema"] = f"{url}/actors.json"

    edit_descriptor(package_copy, edit)
    for command in ("validate", "verify"):
        code, err = run([command, str(package_copy.root)], capsys)
        assert code == 1, err
    code, err = run(["validate", str(package_copy.root)], capsys)
    assert "field resources[events].path" in err and "rule: path-url" in err
    assert "field resources[actors].schema" in err
    assert seen == []


def test_a_fifo_never_blocks(package_copy: Layout, capsys) -> None:
    target = package_copy.table("events")
    target.unlink()
    os.mkfifo(target)
    started = time.monotonic()
    for command in ("validate", "verify"):
        code, err = run([command, str(package_copy.root)], capsys)
        assert code == 1
        assert "data/events.csv: is a FIFO (named pipe)" in err
        assert "rule: not-a-regular-file" in err
    assert time.monotonic() - started < 30


def test_paths_outside_the_copy_are_refused(package_copy: Layout, tmp_path: Path, capsys) -> None:
    outside = tmp_path / "weak-schemas"
    os.rename(package_copy.schemas, outside)
    os.symlink(outside, package_copy.schemas)

    def edit(desc: dict) -> None:
        resource(desc, "events")["path"] = "../events.csv"
        resource(desc, "actors")["path"] = "/etc/passwd"

    edit_descriptor(package_copy, edit)
    code, err = run(["validate", str(package_copy.root)], capsys)
    assert code == 1
    assert "field resources[events].path: '../events.csv' climbs out" in err
    assert "rule: path-absolute" in err
    assert "schemas/events.json: its real location (after symlinks) is outside the copy" in err


def test_a_copy_of_an_unknown_version_is_refused(package_copy: Layout, capsys) -> None:
    edit_descriptor(package_copy, lambda d: d.update(version="9.9.9"))
    code, err = run(["validate", str(package_copy.root)], capsys)
    assert code == 1
    assert err.startswith('datapackage.json, field version: names version "9.9.9"')
    assert "rule: release-version" in err
    assert len(err.strip().splitlines()) == 2  # the refusal and the count


def test_weakened_schemas_are_drift_and_rows_are_judged_by_the_release(
    package_copy: Layout, capsys
) -> None:
    contract = Contract(package_copy.schemas)
    path = package_copy.table("events")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["factuality"] = "invented"
    path.write_text(csv_text(contract["events"].field_names, rows), encoding="utf-8")
    schema = json.loads(package_copy.schema("events").read_text(encoding="utf-8"))
    for field in schema["fields"]:
        field["constraints"] = {}
    package_copy.schema("events").write_text(json.dumps(schema), encoding="utf-8")
    links = json.loads(package_copy.schema("event_participants").read_text(encoding="utf-8"))
    links.pop("foreignKeys")
    package_copy.schema("event_participants").write_text(json.dumps(links), encoding="utf-8")
    write_descriptor(package_copy, contract)  # hashes recomputed: the copy looks consistent
    code, err = run(["validate", "--frictionless", str(package_copy.root)], capsys)
    assert code == 1
    assert "schemas/events.json, field factuality: constraints.enum removed" in err
    assert "schemas/event_participants.json: foreignKeys removed" in err
    assert "data/events.csv: changed since release" in err
    for validator in ("frictionless", "pandera"):
        assert "events, row 2, field factuality: value 'invented':" in err
        assert any("rule: enum" in ln and validator in ln for ln in err.splitlines())


def test_each_formula_lead_is_caught_by_both_validators(package_copy: Layout, capsys) -> None:
    contract = Contract(package_copy.schemas)
    path = package_copy.table("actors")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for i, lead in enumerate(FORMULA_LEADS):
        rows[i]["name"] = f'{lead}HYPERLINK("http://example.org")'
    path.write_text(csv_text(contract["actors"].field_names, rows), encoding="utf-8")
    write_descriptor(package_copy, contract)
    code, err = run(["validate", "--frictionless", str(package_copy.root)], capsys)
    assert code == 1
    lines = err.splitlines()
    for i, lead in enumerate(FORMULA_LEADS):
        for validator in ("frictionless", "pandera"):
            assert any(
                ln.startswith(f"actors, row {i + 2}, field name:")
                and "rule: spreadsheet-safe" in ln
                and f"[{validator}]" in ln
                for ln in lines
            ), (lead, validator, err)


def test_the_spreadsheet_rule_spares_the_memos_own_words(contract: Contract) -> None:
    assert is_memo_text("evidence", contract["evidence"].field("prefix"))
    assert is_memo_text("passages", contract["passages"].field("text"))
    for name in TABLES:
        schema = effective_schema(name, contract[name].descriptor, 100)
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            for value in constraints.get("enum", []):
                assert value[:1] not in FORMULA_LEADS, (name, field["name"], value)
            if is_memo_text(name, field):
                assert "pattern" not in constraints
            elif field.get("type", "string") == "string" and "enum" not in constraints:
                assert constraints["pattern"].startswith("(?![=+\\-@\\t\\r])")
            if field.get("type", "string") == "string":
                assert constraints["maxLength"] <= 100


def test_a_yaml_alias_bomb_and_python_tags_are_refused(source_copy, capsys) -> None:
    layout = source_copy()
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev, name = chr(96 + i), chr(97 + i)
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    bomb = layout.curation / "records" / "98-bomb.yaml"
    bomb.write_text("\n".join(levels) + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(DatasetError):
        load_yaml(bomb, "98-bomb.yaml")
    assert time.monotonic() - started < 1
    code, err = run(["build", "--check", "--root", str(layout.root)], capsys)
    assert code == 1
    assert "curation/records/98-bomb.yaml:6: aliases expand" in err and "rule: yaml-size" in err
    bomb.write_text("events:\n  - id: !!python/object/apply:os.system ['true']\n")
    code, err = run(["build", "--check", "--root", str(layout.root)], capsys)
    assert code == 1
    assert "curation/records/98-bomb.yaml:2: tag !!python/object/apply:os.system" in err


def aliased_yaml(nodes: int) -> str:
    """A mapping whose aliases expand to exactly `nodes` YAML nodes (each mapping, list, key and
    scalar one node): a list of 999 scalars (1,000 nodes), then a list of k aliases to it."""
    k, rest = divmod(nodes - 1_004, 1_000)  # root + key a + a + key b + list b = 1,004 + 1,000k
    assert rest == 0 and k > 0
    return f"a: &a [{', '.join(['x'] * 999)}]\nb: [{', '.join(['*a'] * k)}]\n"


def expanded_nodes(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(expanded_nodes(k) + expanded_nodes(v) for k, v in value.items())
    if isinstance(value, list):
        return 1 + sum(expanded_nodes(v) for v in value)
    return 1


def test_yaml_that_expands_past_two_hundred_thousand_nodes_is_refused(tmp_path: Path) -> None:
    """The bound is 200,000 expanded nodes (HOSTILE.md): a file just under it loads, one just
    over it is refused, whatever the constant is later called or set to."""
    from ruamel.yaml import YAML

    for nodes, refused in ((199_004, False), (200_004, True)):
        path = tmp_path / f"{nodes}.yaml"
        path.write_text(aliased_yaml(nodes), encoding="utf-8")
        # Counted independently: an unbounded loader expands every alias.
        assert expanded_nodes(YAML(typ="safe").load(path)) == nodes
        if refused:
            with pytest.raises(DatasetError) as caught:
                load_yaml(path, path.name)
            assert [p.rule for p in caught.value.problems] == ["yaml-size"]
        else:
            assert len(load_yaml(path, path.name)["b"]) == (nodes - 1_004) // 1_000


def test_verify_hashes_the_descriptor_and_schemas(package_copy: Layout, capsys) -> None:
    # A copy of the installed package names its version: verify needs no reference.
    code, err = run(["verify", str(package_copy.root)], capsys)
    assert code == 0, err
    text = package_copy.descriptor.read_text(encoding="utf-8")
    package_copy.descriptor.write_text(text.replace("\n", "\n ", 1), encoding="utf-8")
    package_copy.schema("risks").unlink()
    code, err = run(["verify", str(package_copy.root)], capsys)
    assert code == 1
    assert "datapackage.json: changed since the release" in err
    assert "schemas/risks.json: the release has this file; the copy does not" in err


def test_release_contracts_are_known_and_the_current_one_is_pinned() -> None:
    assert "0.1.0" in known_versions()
    for version in known_versions():
        contract = release_contract(version)
        assert contract is not None
        assert set(contract.files) >= {"datapackage.json", "schemas/events.json", "data/events.csv"}
        assert contract.memo_code_points > 0
    installed = installed_contract()
    snapshot = Path(__file__).parents[1] / "releases" / "contract" / f"{installed.version}.json"
    if snapshot.is_file():  # released: the package must still carry that contract
        assert json.loads(snapshot.read_text(encoding="utf-8")) == installed.to_json()


def test_the_descriptor_digest_is_that_of_the_written_descriptor(pristine: Layout) -> None:
    text = pristine.descriptor.read_text(encoding="utf-8")
    desc = json.loads(text)
    # The written form, spelled out: two-space indents, the builder's key order, a final newline.
    assert text.startswith(
        '{\n  "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",\n'
        '  "name": "ponars-memo-724",\n'
    )
    assert text.endswith("\n  ]\n}\n")
    assert text == json.dumps(desc, indent=2, ensure_ascii=False) + "\n"
    assert descriptor_digest(desc) == hashlib.sha256(pristine.descriptor.read_bytes()).hexdigest()
    # Text beyond ASCII (none in today's descriptor) is written as is, by writer and digest alike.
    sample = {"name": "x", "title": "Ruling No. N \u0413\u041a\u041f\u0414 03-116"}
    literal = '{\n  "name": "x",\n  "title": "Ruling No. N \u0413\u041a\u041f\u0414 03-116"\n}\n'
    assert dump_json(sample) == literal
    assert descriptor_digest(sample) == hashlib.sha256(literal.encode("utf-8")).hexdigest()
