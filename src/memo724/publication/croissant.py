"""croissant.json (MLCommons Croissant 1.0) and the site's schema.org Dataset, from the contract.

Both describe the same dataset with the same facts: the descriptor's name, title, description,
version, licence and keywords, CITATION.cff's authors and citation, and the date of this
version's CHANGELOG entry. Croissant adds a FileObject for the memo and every table's CSV (with
its sha256 and media type, as the descriptor states them) and a RecordSet for every table: a
Field for every column of its Table Schema, with the column's description, a data type mapped
from its Table Schema type and its source column, and the table's primary key as the RecordSet's
`key`.

Foreign keys are not written as Croissant `references`: mlcroissant (1.1.1) reads a reference as
a join to perform while reading the records, so a table that references itself (actors, passages,
assessments) makes its operation graph cyclic and fails, and a table with several references
(relations, evidence) fails or loses rows. The Table Schemas in schemas/ state every foreign key.

Nothing here names a URL or an identifier the package does not already hold: the files are
addressed relative to the folder croissant.json sits in (the release root), so `mlcroissant`
reads them from the folder, offline.
"""

from __future__ import annotations

from typing import Any

from ..contract import Contract, TableSchema
from .citation import DATASET_AUTHORS, dataset_citation

CROISSANT_NAME = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"

# The JSON-LD context of the Croissant 1.0 specification's example datasets, key for key.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# Table Schema type -> Croissant dataType (the specification's atomic types).
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
}


def data_type(table: str, field: dict[str, Any]) -> str:
    """The Croissant dataType of a Table Schema field; a type with no mapping is refused."""
    try:
        return DATA_TYPES[field["type"]]
    except KeyError:
        raise ValueError(
            f"{table}.{field['name']}: Table Schema type {field['type']!r} has no Croissant "
            "dataType here; add it to memo724.publication.croissant.DATA_TYPES"
        ) from None


def dataset_facts(
    package: dict[str, Any], released: str | None, prefix: str = ""
) -> dict[str, Any]:
    """The schema.org Dataset properties both descriptions share (no files, no context).

    prefix: how schema.org types are written ("sc:" in Croissant, as its specification does).
    """
    facts: dict[str, Any] = {
        "name": package["title"],
        "alternateName": package["name"],
        "description": package["description"],
        "version": package["version"],
        "license": [licence["path"] for licence in package["licenses"]],
        "creator": {"@type": f"{prefix}Organization", "name": DATASET_AUTHORS},
        "keywords": list(package["keywords"]),
    }
    if released:
        facts["datePublished"] = released
    # The work the dataset is drawn from, as the descriptor's sources name it.
    facts["isBasedOn"] = [
        {"@type": f"{prefix}CreativeWork", "name": source["title"]} for source in package["sources"]
    ]
    return facts


def _file_object(resource: dict[str, Any]) -> dict[str, Any]:
    algorithm, _, digest = resource["hash"].partition(":")
    if algorithm != "sha256":
        raise ValueError(f"{resource['path']}: expected a sha256 hash, got {resource['hash']!r}")
    return {
        "@type": "cr:FileObject",
        "@id": resource["path"],
        "name": resource["path"].rsplit("/", 1)[-1],
        "description": resource.get("description") or resource.get("title", ""),
        "contentUrl": resource["path"],
        "contentSize": f"{resource['bytes']} B",
        "encodingFormat": resource["mediatype"],
        "sha256": digest,
    }


def record_set(schema: TableSchema, file_id: str) -> dict[str, Any]:
    """One table as a RecordSet: a Field per column, read from its CSV column."""
    fields = [
        {
            "@type": "cr:Field",
            "@id": f"{schema.name}/{field['name']}",
            "name": field["name"],
            "description": field.get("description", ""),
            "dataType": data_type(schema.name, field),
            "source": {"fileObject": {"@id": file_id}, "extract": {"column": field["name"]}},
        }
        for field in schema.fields
    ]
    keys = [{"@id": f"{schema.name}/{column}"} for column in schema.primary_key]
    out: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": schema.name,
        "name": schema.name,
        "description": schema.descriptor.get("description", ""),
    }
    if keys:
        out["key"] = keys[0] if len(keys) == 1 else keys
    out["field"] = fields
    return out


def croissant(package: dict[str, Any], contract: Contract, released: str | None) -> dict[str, Any]:
    """croissant.json for the package whose descriptor (with sizes and hashes) is package.

    Paths are the descriptor's, relative to the folder that holds it and croissant.json.
    """
    resources = {r["name"]: r for r in package["resources"]}
    missing = [name for name in contract.tables if name not in resources]
    if missing:
        raise ValueError(f"the descriptor lists no resource for {', '.join(missing)}")
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        **dataset_facts(package, released, prefix="sc:"),
        "citeAs": dataset_citation(package),
        "distribution": [_file_object(r) for r in package["resources"]],
        "recordSet": [
            record_set(contract[name], resources[name]["path"]) for name in contract.tables
        ],
    }


def schema_org_dataset(
    package: dict[str, Any], released: str | None, files: list[tuple[str, str]]
) -> dict[str, Any]:
    """The schema.org Dataset a web page embeds: the shared facts and a DataDownload per file.

    files: (URL relative to the page, media type) of each data file.
    """
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        **dataset_facts(package, released),
        "distribution": [
            {"@type": "DataDownload", "contentUrl": url, "encodingFormat": media}
            for url, media in files
        ],
    }
