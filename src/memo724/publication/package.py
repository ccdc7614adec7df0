"""Writing the tables as CSV and the Data Package descriptor that lists them."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from .. import __version__
from ..contract import Contract
from ..contract.memo import sha256_of
from ..contract.paths import MEMO_NAME, Layout
from ..contract.release import canonical_json

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
NAME = "ponars-memo-724"


class PackageDialect(csv.excel):
    """How every CSV of the package is written: RFC 4180 quoting, LF line ends, a header row."""

    lineterminator = "\n"


def dialect_descriptor(dialect: type[csv.Dialect] = PackageDialect) -> dict[str, Any]:
    """The Table Dialect of the CSVs, read from the writer's own settings, so readers never guess.

    Without it, implementations sniff the delimiter from the first lines (the JavaScript
    datapackage library guessed wrong on passages, relations and evidence).
    """
    if dialect.quoting != csv.QUOTE_MINIMAL or dialect.escapechar is not None:
        raise ValueError("a Table Dialect cannot describe this CSV writer's quoting")
    return {
        "header": True,
        "delimiter": dialect.delimiter,
        "lineTerminator": dialect.lineterminator,
        "quoteChar": dialect.quotechar,
        "doubleQuote": dialect.doublequote,
        "skipInitialSpace": dialect.skipinitialspace,
    }


def csv_text(fields: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect=PackageDialect)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([row[f] for f in fields])
    return buffer.getvalue()


def file_facts(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "hash": "sha256:" + sha256_of(path)}


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
    for name in contract.tables:
        schema = contract[name]
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": dialect_descriptor(),
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


# The one JSON writer of the descriptors: the contract states the bytes it judges copies by.
dump_json = canonical_json


def write_tables(layout: Layout, contract: Contract, rows: dict[str, list[dict[str, str]]]) -> None:
    layout.data.mkdir(parents=True, exist_ok=True)
    for name in contract.tables:
        text = csv_text(contract[name].field_names, rows[name])
        layout.table(name).write_text(text, encoding="utf-8", newline="")


def write_descriptor(layout: Layout, contract: Contract) -> None:
    layout.descriptor.write_text(dump_json(descriptor(layout, contract)), encoding="utf-8")
