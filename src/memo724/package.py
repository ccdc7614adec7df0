"""Writing the tables as CSV and the Data Package descriptor that lists them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .contract import TABLES, Contract
from .paths import MEMO_NAME, Layout

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
NAME = "ponars-memo-724"


def csv_text(fields: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([row[f] for f in fields])
    return buffer.getvalue()


def file_facts(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def descriptor(layout: Layout, contract: Contract) -> dict[str, Any]:
    """The datapackage.json of the files as they are under layout.root."""
    resources: list[dict[str, Any]] = [
        {
            "name": "memo",
            "type": "text",
            "path": f"data/{MEMO_NAME}",
            "format": "txt",
            "mediatype": "text/plain",
            "encoding": "utf-8",
            "title": "PONARS Eurasia Policy Memo No. 724, full text",
            "description": (
                "The memo exactly as the project was given it (UTF-8, LF, no final newline). "
                "Every offset in the tables counts Unicode code points into this file. "
                "The text remains its author's and publisher's; it is included for verification."
            ),
            **file_facts(layout.memo),
        }
    ]
    for name in TABLES:
        schema = contract[name]
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": schema.descriptor["description"],
                "schema": f"schemas/{name}.json",
                **file_facts(layout.table(name)),
            }
        )
    return {
        "$schema": PROFILE,
        "name": NAME,
        "title": (
            "Russia's Approach to Afghanistan Following the Taliban Takeover (PONARS 724) as data"
        ),
        "description": (
            "Events, actors, positions, risks, sources, the author's assessments and standing "
            "relations from PONARS Eurasia Policy Memo No. 724 by Ekaterina Stepanova (IMEMO), "
            "November 2021, each row tied to its words in the memo by W3C Web Annotation selectors."
        ),
        "version": __version__,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (the curated tables; see LICENSE)",
            }
        ],
        "sources": [
            {
                "title": "Ekaterina Stepanova, Russia's Approach to Afghanistan Following the "
                "Taliban Takeover, PONARS Eurasia Policy Memo No. 724, November 2021"
            }
        ],
        "keywords": ["Russia", "Afghanistan", "Taliban", "Central Asia", "PONARS Eurasia"],
        "resources": resources,
    }


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_tables(layout: Layout, contract: Contract, rows: dict[str, list[dict[str, str]]]) -> None:
    layout.data.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        text = csv_text(contract[name].field_names, rows[name])
        layout.table(name).write_text(text, encoding="utf-8", newline="")


def write_descriptor(layout: Layout, contract: Contract) -> None:
    layout.descriptor.write_text(dump_json(descriptor(layout, contract)), encoding="utf-8")


def build_copy(source: Layout, target: Layout) -> dict[str, list[str]]:
    """Build the tables from source's records and write a whole package under target.root.

    Returns where each row came from (table -> one curation location per row, in CSV order).
    """
    # Imported here to keep `package` free of the build's YAML dependencies for readers.
    from .build import build_tables

    tables = build_tables(source)
    contract = Contract(source.schemas)
    target.data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source.memo, target.memo)
    shutil.copytree(source.schemas, target.schemas, dirs_exist_ok=True)
    write_tables(target, contract, tables.rows)
    write_descriptor(target, contract)
    write_docs(source, target, contract)
    return tables.origins


def write_docs(source: Layout, target: Layout, contract: Contract) -> None:
    """CODEBOOK.md and the README's figures, from the schemas, the codebook and target's tables."""
    from .coverage import coverage, exclusions
    from .docs import codebook_markdown, replace_block, stats_markdown
    from .records import load_yaml
    from .validate import read_frame

    frames = {name: read_frame(target.table(name)) for name in TABLES}
    codebook = load_yaml(source.curation / "codebook.yaml", "curation/codebook.yaml")
    (target.root / "CODEBOOK.md").write_text(
        codebook_markdown(contract, codebook, frames), encoding="utf-8"
    )
    cov = coverage(
        frames["passages"], frames["evidence"], frames["sources"], exclusions(source.curation)
    )
    readme = (source.root / "README.md").read_text(encoding="utf-8")
    readme = replace_block(readme, "tables", stats_markdown(contract, frames, cov))
    (target.root / "README.md").write_text(readme, encoding="utf-8")

    from .changes import changes_markdown, diff, previous_snapshot, row_digests

    previous = previous_snapshot(source.root, __version__)
    current = row_digests(target, contract)
    changes = diff(previous[1] if previous else {}, current)
    summary = changes_markdown(previous and previous[0], changes, current)
    changelog = (source.root / "CHANGELOG.md").read_text(encoding="utf-8")
    changelog = replace_block(changelog, f"data-changes-{__version__}", summary)
    (target.root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")


def generated_files() -> list[str]:
    """Files the build writes, relative to the package root."""
    return [f"data/{name}.csv" for name in TABLES] + [
        "datapackage.json",
        "CODEBOOK.md",
        "README.md",
        "CHANGELOG.md",
    ]


def stale_files(layout: Layout) -> list[tuple[str, int | None]]:
    """Generated files that differ from a fresh build, with the first differing line."""
    stale: list[tuple[str, int | None]] = []
    with tempfile.TemporaryDirectory(prefix="memo724-fresh-") as tmp:
        fresh = Layout(Path(tmp))
        build_copy(layout, fresh)
        for rel in generated_files():
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
