"""The codebook defines exactly the coded values of the schemas, and the docs are derived."""

from __future__ import annotations

import re

from memo724.contract import TABLES, Contract
from memo724.contract.paths import REPO, Layout
from memo724.curation.codebook import resolve_definitions
from memo724.curation.records import load_yaml


def codebook():
    return load_yaml(REPO.curation / "codebook.yaml", "curation/codebook.yaml")


def test_every_coded_value_is_defined_and_nothing_else(contract: Contract) -> None:
    definitions = resolve_definitions(codebook())
    enums = {
        f"{t}.{f['name']}": f["constraints"]["enum"]
        for t in TABLES
        for f in contract[t].fields
        if "enum" in f.get("constraints", {})
    }
    assert set(definitions) == set(enums)
    for key, values in enums.items():
        assert list(definitions[key]) == values, f"{key}: codebook order or values differ"
        assert all(text.strip() for text in definitions[key].values()), key


def test_plover_crosswalk_covers_every_event_type(contract: Contract) -> None:
    plover = codebook()["plover"]
    assert list(plover["event_type"]) == contract["events"].enum("event_type")
    types = contract["events"].enum("plover_event_type")
    assert len(types) == 19
    assert set(plover["quad_class"]) == set(types)
    assert {v for v in plover["event_type"].values() if v} <= set(types)
    assert set(plover["quad_class"].values()) == set(contract["events"].enum("plover_quad_class"))


def test_codebook_documents_every_field_with_an_example(
    pristine: Layout, contract: Contract
) -> None:
    text = (pristine.root / "CODEBOOK.md").read_text(encoding="utf-8")
    for name in TABLES:
        assert f"## {name}\n" in text
        for field in contract[name].fields:
            assert f"| `{field['name']}` | {field['type']} |" in text
    takeover = "An actor seizes control of a country or territory."
    assert f"| `takeover` | {takeover} | `taliban-takeover-of-afghanistan` |" in text


def test_readme_figures_are_generated(pristine: Layout) -> None:
    from memo724.contract.typed import text_frame as read_frame

    text = (pristine.root / "README.md").read_text(encoding="utf-8")
    for name in TABLES:
        assert f"| `{name}` | {len(read_frame(pristine.table(name)))} |" in text, name
    assert "Coverage: 98 of 98 body sentences (100%)" in text
    assert "make release" in text and "make test" in text and "memo724 validate" in text


def test_codebook_has_contents_real_examples_and_no_circular_reference(
    pristine: Layout, contract: Contract
) -> None:
    from memo724.contract.typed import text_frame as read_frame

    text = (pristine.root / "CODEBOOK.md").read_text(encoding="utf-8")
    contents = text.split("## Contents\n", 1)[1].split("\n## ", 1)[0]
    assert "see the codebook" not in text.lower()
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and set(links) <= anchors, set(links) - anchors
    for name in TABLES:
        assert f"[`{name}`](#{name.replace('_', '-')})" in contents
        # The example column shows one real row: its key, and its cells as in the CSV.
        frame = read_frame(pristine.table(name))
        header = re.search(rf"## {name}\n.*?\| example \(`([^`]*)`\) \|", text, re.DOTALL)
        assert header, name
        pk = contract[name].primary_key
        keys = frame[pk].astype(str).agg("/".join, axis=1)
        assert header.group(1) in set(keys), name
        row = frame.loc[keys == header.group(1)].iloc[0]
        section = text.split(f"## {name}\n", 1)[1]
        for field in pk:
            assert f"| `{field}` |" in section and f"| `{row[field]}` |" in section
    assert "Ordered scale, first to last." in text.split("### risks.likelihood", 1)[1][:200]
