"""What users ask of the tables: which there are, what their fields mean, the words behind a row.

`tables()` lists the tables; `describe()` gives one row per table and `describe(table)` one row per
field (type, whether required, description, coded values and whether they are ordered, the key
it references); `evidence(table, id)` gives the quotes of one record with their offsets into the
memo and the passage that holds each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..contract import Contract
from ..contract.paths import Layout
from .loader import PathLike, frame_attrs, load, package_layout, resolve, table_schema

if TYPE_CHECKING:  # imported where used: `import memo724` imports no data library
    import pandas as pd

DESCRIBE_COLUMNS = (
    "field",
    "type",
    "required",
    "description",
    "values",
    "ordered",
    "references",
    "verbatim",
)

EVIDENCE_COLUMNS = (
    "evidence_id",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "passage_id",
    "section",
    "passage",
    "cites_source_id",
)


def tables() -> list[str]:
    """The names of the tables in reading order: the document, its structure, content, evidence."""
    return list(Contract(package_layout().schemas).tables)


def describe(
    table: str | None = None, layout: Layout | None = None, *, path: PathLike | None = None
) -> pd.DataFrame:
    """The fields of one table, or with no argument one row per table (rows, key, description).

    Per field: its Table Schema `type`, `required`, `description`, the coded `values` in schema
    order (None when the field is free), `ordered` (True for an ordinal scale, False for other
    coded fields, None when not coded), the `references` of a foreign key (`table.field`) and
    `verbatim` (the memo's own words). The table's description and key are in `.attrs`.
    """
    import pandas as pd

    from ..contract.typed import is_ordinal

    layout = resolve(layout, path)
    if table is None:
        rows = []
        for name in Contract(layout.schemas).tables:
            schema = table_schema(name, layout)
            rows.append(
                {
                    "table": name,
                    "rows": len(load(name, layout=layout)),
                    "primary_key": ", ".join(schema.primary_key),
                    "description": schema.descriptor.get("description", ""),
                }
            )
        overview = pd.DataFrame(rows).astype({"rows": "Int64"})
        return overview.astype({c: "string" for c in ("table", "primary_key", "description")})
    schema = table_schema(table, layout)
    references = {fk.field: f"{fk.resource}.{fk.ref_field}" for fk in schema.foreign_keys}
    fields: list[dict[str, Any]] = []
    for f in schema.fields:
        enum = schema.enum(f["name"])
        fields.append(
            {
                "field": f["name"],
                "type": f.get("type", "string"),
                "required": bool(f.get("constraints", {}).get("required", False)),
                "description": f.get("description", ""),
                "values": tuple(enum) if enum else None,
                "ordered": is_ordinal(f) if enum else None,
                "references": references.get(f["name"]),
                "verbatim": f.get("verbatim") is True,
            }
        )
    frame = pd.DataFrame(fields, columns=list(DESCRIBE_COLUMNS))
    frame = frame.astype(
        {
            "field": "string",
            "type": "string",
            "description": "string",
            "references": "string",
            "required": "boolean",
            "ordered": "boolean",
            "verbatim": "boolean",
        }
    )
    frame.attrs.update(frame_attrs(schema))
    return frame


def evidence(
    table: str, record_id: str, layout: Layout | None = None, *, path: PathLike | None = None
) -> pd.DataFrame:
    """The quotes behind one record, in memo order, each with its offsets and its passage.

    `start`/`end` index code points of `memo724.memo_text()` (end exclusive); `exact` is the
    quote, `prefix`/`suffix` its context; `passage` is the text of the passage that holds it.
    """
    layout = resolve(layout, path)
    schema = table_schema(table, layout)
    contract = Contract(layout.schemas)
    subjects = contract.evidence_subjects
    if table not in subjects:
        raise ValueError(
            f"rows of {table!r} have no evidence of their own; the tables with evidence are "
            + ", ".join(subjects)
        )
    (key,) = schema.primary_key
    records = load(table, layout=layout)
    if not (records[key] == record_id).any():
        raise KeyError(f"{table} has no row with {key} = {record_id!r}")
    spans = load(contract.only("evidence", by="evidence()"), layout=layout)
    spans = spans.loc[spans[subjects[table]] == record_id]
    structure = contract.only("structure", by="evidence()")
    passages = load(structure, layout=layout)[["passage_id", "section", "text"]]
    joined = spans.merge(passages, on="passage_id", how="left").rename(columns={"text": "passage"})
    joined = joined.sort_values(["start", "end"], kind="stable").reset_index(drop=True)
    result = joined[list(EVIDENCE_COLUMNS)]
    result.attrs = {"table": table, "id": record_id, "descriptions": _descriptions(layout)}
    return result


def _descriptions(layout: Layout) -> dict[str, str]:
    contract = Contract(layout.schemas)
    ev = contract[contract.only("evidence", by="evidence()")]
    out = {f["name"]: f.get("description", "") for f in ev.fields}
    passages = contract[contract.only("structure", by="evidence()")]
    out["section"] = passages.field("section").get("description", "")
    out["passage"] = "Text of the passage that holds the span's start (passages.text)."
    return out
