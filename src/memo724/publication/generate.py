"""Generating the package from the curated records: tables, descriptor, codebook, figures.

Everything here is derived; a test proves the committed files equal a fresh run byte for byte.
"""

from __future__ import annotations

import json
import shutil

from .. import __version__
from ..contract import Contract
from ..contract.paths import REPO, Layout
from ..contract.typed import text_frame
from ..curation.build import build_tables
from ..curation.coverage import coverage, coverage_tables, exclusions
from ..curation.records import load_yaml
from .changes import (
    changes_markdown,
    diff,
    previous_snapshot,
    release_date,
    retired_ids,
    row_digests,
)
from .citation import READS as CITATION_READS
from .citation import citation_cff, how_to_cite_markdown
from .docs import (
    codebook_markdown,
    datacard_composition,
    datacard_sparsity,
    install_markdown,
    reliability_line,
    reliability_markdown,
    replace_block,
    stats_markdown,
)
from .package import write_descriptor, write_tables


def build_copy(source: Layout, target: Layout) -> dict[str, list[str]]:
    """Build the tables from source's records and write a whole package under target.root.

    Returns where each row came from (table -> one curation location per row, in CSV order).
    """
    tables = build_tables(source)
    contract = Contract(source.schemas)
    target.data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source.memo, target.memo)
    shutil.copytree(source.schemas, target.schemas, dirs_exist_ok=True)
    write_tables(target, contract, tables.rows)
    # The reliability of the coding (memo724 reliability, from curation/blind/) goes with it.
    if (source.root / "reliability").is_dir() and source.root != target.root:
        shutil.copytree(
            source.root / "reliability", target.root / "reliability", dirs_exist_ok=True
        )
    write_descriptor(target, contract)
    write_docs(source, target, contract)
    return tables.origins


def write_docs(source: Layout, target: Layout, contract: Contract) -> None:
    """CODEBOOK.md, DATACARD.md, CITATION.cff and the README's figures, citation and install lines.

    From the schemas, the codebook, target's tables and descriptor, and the CHANGELOG.
    """
    for table, fields in CITATION_READS.items():
        contract.require(table, *fields, by="the citation (CITATION.cff, README)")
    frames = {name: text_frame(target.table(name)) for name in contract.tables}
    codebook = load_yaml(source.curation / "codebook.yaml", "curation/codebook.yaml")
    (target.root / "CODEBOOK.md").write_text(
        codebook_markdown(contract, codebook, frames), encoding="utf-8"
    )
    passages, evidence, sources = coverage_tables(contract)
    cov = coverage(
        frames[passages], frames[evidence], frames[sources], exclusions(source.curation), contract
    )
    readme = (source.root / "README.md").read_text(encoding="utf-8")
    package = json.loads(target.descriptor.read_text(encoding="utf-8"))
    readme = replace_block(readme, "tables", stats_markdown(contract, frames, cov))
    readme = replace_block(readme, "citation", how_to_cite_markdown(package, frames))
    readme = replace_block(readme, "reliability", reliability_line(source.root))
    readme = replace_block(readme, "install", install_markdown(__version__))
    (target.root / "README.md").write_text(readme, encoding="utf-8")
    card = (source.root / "DATACARD.md").read_text(encoding="utf-8")
    card = replace_block(card, "datacard-composition", datacard_composition(contract, frames, cov))
    card = replace_block(card, "datacard-sparsity", datacard_sparsity(contract, frames))
    card = replace_block(card, "datacard-reliability", reliability_markdown(source.root))
    (target.root / "DATACARD.md").write_text(card, encoding="utf-8")
    released = release_date(source.root, __version__)
    (target.root / "CITATION.cff").write_text(
        citation_cff(package, frames, released), encoding="utf-8"
    )

    previous = previous_snapshot(source.root, __version__)
    current = row_digests(target, contract)
    changes = diff(previous[1] if previous else {}, current)
    summary = changes_markdown(previous and previous[0], changes, current, retired_ids(source.root))
    changelog = (source.root / "CHANGELOG.md").read_text(encoding="utf-8")
    changelog = replace_block(changelog, f"data-changes-{__version__}", summary)
    (target.root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")


def generated_files(layout: Layout = REPO) -> list[str]:
    """Files the build writes, relative to the package root: one CSV per table of layout's
    contract (its schemas), then the descriptor and the generated documents."""
    return [f"data/{name}.csv" for name in Contract(layout.schemas).tables] + [
        "datapackage.json",
        "CODEBOOK.md",
        "README.md",
        "CHANGELOG.md",
        "DATACARD.md",
        "CITATION.cff",
    ]


def stale_files(layout: Layout, fresh: Layout) -> list[tuple[str, int | None]]:
    """Generated files of layout that differ from those of a fresh build, with the first
    differing line."""
    stale: list[tuple[str, int | None]] = []
    for rel in generated_files(fresh):
        ours, theirs = layout.root / rel, fresh.root / rel
        if not ours.is_file():
            stale.append((rel, None))
            continue
        a = ours.read_text(encoding="utf-8").split("\n")
        b = theirs.read_text(encoding="utf-8").split("\n")
        if a != b:
            line = next(
                (i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)) + 1,
            )
            stale.append((rel, line))
    return stale
