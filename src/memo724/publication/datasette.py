"""Datasette metadata for the release's SQLite file: title, licence, source, every description.

`datasette ponars-memo-724.sqlite -m datasette-metadata.json` then shows what each table and column
means, and ids as the names of the rows they point to (label_column).
"""

from __future__ import annotations

from typing import Any

from ..contract import Contract
from .sqlite_export import named_view

METADATA_NAME = "datasette-metadata.json"


def datasette_metadata(
    contract: Contract, package: dict[str, Any], database: str
) -> dict[str, Any]:
    """Metadata in Datasette's metadata.json format, from the schemas and the package descriptor."""
    licence = package["licenses"][0]
    source = package["sources"][0]["title"]
    tables: dict[str, Any] = {}
    for name in contract.tables:
        schema = contract[name]
        columns = {f["name"]: f.get("description", "") for f in schema.fields}
        entry: dict[str, Any] = {"description": schema.descriptor["description"]}
        if schema.label_field:
            entry["label_column"] = schema.label_field
        entry["columns"] = columns
        tables[name] = entry
        view = named_view(contract, schema)
        if view is not None:
            tables[f"{name}_named"] = {
                "description": f"{name} with, next to each id, the label of the row it points to.",
                "columns": {**columns, **view[1]},
            }
    tables["_fields"] = {
        "description": "Every field of every table, its type and description (from the schemas).",
    }
    about = {
        "title": package["title"],
        "description": package["description"],
        "license": licence["name"],
        "license_url": licence["path"],
        "source": source,
    }
    return {**about, "databases": {database: {**about, "tables": tables}}}
