"""CITATION.cff is valid CFF 1.2.0 with the memo as referenced work; the data card is derived."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from memo724 import __version__
from memo724.contract import TABLES, Contract
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import text_frame as read_frame

CFFCONVERT = REPO.root / ".venv" / "cffconvert" / "bin" / "cffconvert"


def cffconvert(*args: str) -> subprocess.CompletedProcess[str]:
    if not CFFCONVERT.is_file():
        pytest.fail("cffconvert is not installed: run `make tools`")
    return subprocess.run(
        [str(CFFCONVERT), *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_citation_cff_is_valid(pristine: Layout) -> None:
    out = cffconvert("--validate", "-i", str(pristine.root / "CITATION.cff"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "valid according to schema version 1.2.0" in out.stdout


def test_cffconvert_rejects_a_broken_citation(pristine: Layout, tmp_path: Path) -> None:
    text = (pristine.root / "CITATION.cff").read_text(encoding="utf-8")
    broken = tmp_path / "CITATION.cff"
    broken.write_text(text.replace('type: "dataset"', 'type: "article"'), encoding="utf-8")
    assert cffconvert("--validate", "-i", str(broken)).returncode != 0


def test_citation_names_the_dataset_and_the_memo_without_invented_ids(pristine: Layout) -> None:
    text = (pristine.root / "CITATION.cff").read_text(encoding="utf-8")
    doc = read_frame(pristine.table("documents")).iloc[0]
    assert 'type: "dataset"' in text and f'version: "{__version__}"' in text
    assert 'license: "CC-BY-4.0"' in text
    assert f'  - type: "report"\n    title: "{doc["title"]}"' in text
    assert 'family-names: "Stepanova"' in text and 'number: "724"' in text
    assert "year: 2021\n    month: 11" in text  # the corrected date, not the printed 2012
    for invented in ("doi:", "url:", "identifiers:", "repository", "preferred-citation"):
        assert invented not in text
    apa = cffconvert("-f", "apalike", "-i", str(pristine.root / "CITATION.cff"))
    assert apa.returncode == 0 and "ponars-memo-724 contributors" in apa.stdout


def test_readme_says_how_to_cite(pristine: Layout) -> None:
    readme = (pristine.root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert "CITATION.cff" in section and f"version {__version__}" in section
    assert "Ekaterina Stepanova" in section and "PONARS Eurasia, November 2021" in section


def test_datacard_figures_are_computed_from_the_tables(
    pristine: Layout, contract: Contract
) -> None:
    card = (pristine.root / "DATACARD.md").read_text(encoding="utf-8")
    frames = {name: read_frame(pristine.table(name)) for name in TABLES}
    for name in TABLES:
        assert f"| `{name}` | {len(frames[name])} |" in card, name
    for heading in (
        "Motivation",
        "Composition",
        "Collection and curation process",
        "Review passes",
        "Known gaps and sparse fields",
        "Judgment calls",
        "Intended and unsuitable uses",
        "Maintenance",
    ):
        assert f"\n## {heading}\n" in card
    # Every listed sparse field's share is the share of empty cells, and no sparse field is missed.
    sparse = card.split("GENERATED: datacard-sparsity", 1)[1].split("END GENERATED", 1)[0]
    for name in TABLES:
        frame = frames[name]
        for f in contract[name].fields:
            share = frame[f["name"]].isna().mean()
            row = f"| `{name}.{f['name']}` | {share:.0%} | {len(frame)} |"
            arc = name == "evidence" and f["name"] in contract.evidence_subjects.values()
            assert (row in sparse) == (share >= 0.5 and not arc), row
