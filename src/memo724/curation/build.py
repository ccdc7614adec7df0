"""Building the tidy tables from the curated records and the memo.

Records -> rows (one function per concern), quotes -> evidence spans, then a stable order.
Nothing is validated here beyond what only the records can tell (file and line of a mistake);
the tables are then checked by validate.py like any copy of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..contract import NAME_SEPARATOR, Contract, TableSchema
from ..contract.edtf import EDTFError, bounds
from ..contract.errors import DatasetError, Problem
from ..contract.evidence_ids import evidence_id
from ..contract.memo import read_memo
from ..contract.paths import Layout
from ..contract.timeline import TimeLink, derive_placed, derive_windows
from .quotes import QuoteError, locate
from .records import Record, load_yaml, read_records
from .structure import Structure, read_structure

# Fields the build computes wherever a schema has them (the name forms from the evidence, the
# PLOVER crosswalk, the windows from the time links); a curator who writes them gets an error.
COMPUTED_FIELDS = frozenset(
    {"names_as_written", "plover_event_type", "plover_quad_class", "time_start", "time_end",
     "time_basis"}
)  # fmt: skip
# The fields of the document row (role "document") the build reads from the memo itself.
DOCUMENT_FIELDS = frozenset(
    {"title", "date_as_printed", "path", "media_type", "sha256", "code_points"}
)

# The time-link model (contract.timeline) reads the events' windows and the links' anchors by
# name: the one table of stated dates every other window is placed against.
EVENTS = "events"
TIME_LINK_FIELDS = ("time_link_id", "relation", "anchor_event_id", "anchor_document_id")


def derived_fields(schema: TableSchema) -> set[str]:
    """The fields of a table the build computes, which a curator never writes: the computed
    fields it has, the document's own, and each date group's bounds and precision."""
    computed = {f"{g}_{s}" for g in schema.date_groups for s in ("start", "end", "precision")}
    own = COMPUTED_FIELDS | (DOCUMENT_FIELDS if schema.role == "document" else frozenset())
    return computed | (own & set(schema.field_names))


@dataclass
class Tables:
    """Rows of every table as CSV text, and where each row came from."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    origins: dict[str, list[str]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, str], origin: str) -> None:
        self.rows.setdefault(table, []).append(row)
        self.origins.setdefault(table, []).append(origin)


def cell(value: Any) -> str:
    """A YAML scalar as Table Schema text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _date_cells(
    schema: TableSchema, prefix: str, group: Any, where: str
) -> tuple[dict[str, str], list[Problem]]:
    keys = {"edtf", "text"} if f"{prefix}_text" in schema.field_names else {"edtf"}
    group = group or {}
    if not isinstance(group, CommentedMap) or set(group) - keys:
        return {}, [Problem(where, "date-group", f"{prefix} takes only {sorted(keys)}")]
    edtf = cell(group.get("edtf"))
    try:
        b = bounds(edtf)
    except EDTFError as exc:
        return {}, [Problem(where, "edtf", str(exc), field=f"{prefix}_edtf", value=edtf)]
    cells = {
        f"{prefix}_edtf": edtf,
        f"{prefix}_start": b.start.isoformat() if b.start else "",
        f"{prefix}_end": b.end.isoformat() if b.end else "",
        f"{prefix}_precision": b.precision,
    }
    if "text" in keys:
        cells[f"{prefix}_text"] = cell(group.get("text"))
    return cells, []


class Builder:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.contract = Contract(layout.schemas)
        self.structure: Structure = read_structure(layout.curation, layout.memo)
        self.text = read_memo(layout.memo)
        self.codebook = load_yaml(layout.curation / "codebook.yaml", "curation/codebook.yaml")
        self.tables = Tables()
        self.problems: list[Problem] = []

    # -- records -> rows -------------------------------------------------------------------

    def record_row(self, record: Record) -> dict[str, str]:
        schema = self.contract[record.table]
        pk = schema.primary_key[0]
        groups = schema.date_groups
        children = self.contract.record_lists.get(record.table, {})
        derived = derived_fields(schema)
        grouped = {f"{g}_{s}" for g in groups for s in ("text", "edtf")}  # written as date: {...}
        plain = set(schema.field_names) - derived - grouped - {pk}
        allowed = {"id", "evidence", *groups, *children} | plain
        row = dict.fromkeys(schema.field_names, "")
        row[pk] = record.id
        for key, value in record.data.items():
            where = record.where(key)
            if key not in allowed:
                hint = " (computed by the build)" if key in derived else ""
                self.problems.append(
                    Problem(where, "unknown-key", f"{record.table} records have no {key!r}{hint}")
                )
            elif key in groups:
                cells, problems = _date_cells(schema, key, value, where)
                row.update(cells)
                self.problems += problems
            elif key in children or key in ("id", "evidence"):
                continue
            elif isinstance(value, (CommentedMap, CommentedSeq)):
                self.problems.append(Problem(where, "scalar", f"{key} takes one value", field=key))
            else:
                row[key] = cell(value)
        for g in groups:
            if g not in record.data:
                row[f"{g}_precision"] = "unknown"
        return row

    def child_rows(self, record: Record) -> None:
        for key, table in self.contract.record_lists.get(record.table, {}).items():
            items = record.data.get(key)
            if items is None:
                continue
            if not isinstance(items, CommentedSeq):
                self.problems.append(
                    Problem(record.where(key), "child-shape", f"{key} must be a list")
                )
                continue
            schema = self.contract[table]
            parent_key = schema.primary_key[0]
            for i, item in enumerate(items):
                where = f"{record.file}:{items.lc.item(i)[0] + 1}"
                expected = set(schema.field_names) - {parent_key}
                if not isinstance(item, CommentedMap) or set(item) != expected:
                    self.problems.append(
                        Problem(
                            where, "child-shape", f"each of {key} needs exactly {sorted(expected)}"
                        )
                    )
                    continue
                row = {parent_key: record.id} | {k: cell(item[k]) for k in expected}
                self.tables.add(table, {n: row[n] for n in schema.field_names}, where)

    def evidence_rows(self, record: Record) -> list[tuple[str, int]]:
        """Locate each quote; return the exact text and start of each span found."""
        items = record.data.get("evidence")
        if not isinstance(items, CommentedSeq) or not items:
            self.problems.append(
                Problem(
                    record.where(),
                    "evidence-required",
                    f"{record.table} {record.id!r} has no evidence",
                )
            )
            return []
        subject = self.contract.evidence_subjects[record.table]
        evidence = self.contract.only("evidence", by="the build's evidence")
        schema = self.contract[evidence]
        found = []
        for n, item in enumerate(items, start=1):
            where = f"{record.file}:{items.lc.item(n - 1)[0] + 1}"
            if isinstance(item, str):
                item = CommentedMap(quote=item)
            if not isinstance(item, CommentedMap) or set(item) - {"quote", "context", "cites"}:
                self.problems.append(
                    Problem(
                        where, "evidence-shape", "evidence takes a quote, or quote/context/cites"
                    )
                )
                continue
            if any(isinstance(item.get(k), (list, dict)) for k in ("quote", "context", "cites")):
                self.problems.append(
                    Problem(
                        where,
                        "evidence-shape",
                        "quote, context and cites must be text, not lists or mappings",
                    )
                )
                continue
            try:
                span = locate(self.text, cell(item.get("quote")), item.get("context"))
            except QuoteError as exc:
                self.problems.append(
                    Problem(where, "quote", f"{record.table} {record.id!r}: {exc}")
                )
                continue
            passage = self.structure.passage_at(span.start)
            row = dict.fromkeys(schema.field_names, "")
            row |= {
                "evidence_id": evidence_id(record.table, record.id, span.start),
                "document_id": self.structure.document_id,
                "passage_id": passage.passage_id if passage else "",
                "start": str(span.start),
                "end": str(span.end),
                "exact": span.exact,
                "prefix": span.prefix,
                "suffix": span.suffix,
                subject: record.id,
                "cites_source_id": cell(item.get("cites")),
            }
            self.tables.add(evidence, row, where)
            found.append((span.exact, span.start))
        return found

    def check_verbatim(self, record: Record, row: dict[str, str], starts: list[int]) -> None:
        """Verbatim fields must be words of a passage that holds one of the record's spans."""
        texts = [p.text for p in map(self.structure.passage_at, starts) if p is not None]
        for name in self.contract[record.table].verbatim_fields:
            value = row.get(name, "")
            if value and texts and not any(value in t for t in texts):
                key = name if name in record.data else name.rsplit("_", 1)[0]
                self.problems.append(
                    Problem(
                        record.where(key),
                        "verbatim",
                        "must be the memo's words, in a passage the record's evidence quotes",
                        field=name,
                        value=value,
                    )
                )

    def derive(self, table: str, row: dict[str, str], exacts: list[str]) -> None:
        schema = self.contract[table]
        if "names_as_written" in row:
            row["names_as_written"] = NAME_SEPARATOR.join(dict.fromkeys(exacts))
        if "plover_event_type" in row:
            crosswalk = self.codebook["plover"]
            plover = crosswalk["event_type"].get(row["event_type"])
            row["plover_event_type"] = plover or ""
            row["plover_quad_class"] = crosswalk["quad_class"][plover] if plover else ""
        if schema.role == "document":
            by_kind = {p.kind: p.text for p in self.structure.passages}
            row |= {
                "title": by_kind["title"],
                "date_as_printed": by_kind["date"],
                "path": f"data/{self.layout.memo.name}",
                "media_type": "text/plain; charset=utf-8",
                "sha256": self.structure.sha256,
                "code_points": str(len(self.text)),
            }
            printed = f"{row['series']} No. {row['number']}"
            if printed != by_kind["series"]:
                self.problems.append(
                    Problem(
                        "curation/records",
                        "series-line",
                        f"{printed!r} is not the series line {by_kind['series']!r}",
                    )
                )

    def derive_time(self) -> None:
        """The time windows of events, then of the stances and relations placed relative to them,
        from their stated dates and the time links (contract.timeline)."""
        rows = self.tables.rows
        # What the schemas state: the time-link table and the tables its links place.
        link_table = self.contract.time_link_table
        placed_subjects = self.contract.placed_subjects
        # The time-link model (contract.timeline) reads these by name: refused, never empty,
        # when a schema no longer has them.
        by = "the time-link model"
        self.contract.require(EVENTS, "event_id", "date_start", "date_end", by=by)
        if link_table is not None:
            self.contract.require(link_table, *TIME_LINK_FIELDS, by=by)
        events = rows.get(EVENTS, [])
        documents = rows.get(self.contract.only("document", by=by), [])
        link_rows = rows.get(link_table, []) if link_table else []
        origins = dict(
            zip(
                (r["time_link_id"] for r in link_rows),
                self.tables.origins.get(link_table, []) if link_table else [],
                strict=True,
            )
        )
        placed = {
            table: {r[key]: r for r in rows.get(table, [])}
            for table, key in placed_subjects.items()
        }
        for r in link_rows:
            origin = origins[r["time_link_id"]]
            subjects = [k for k in placed_subjects.values() if r.get(k)]
            if len(subjects) != 1:
                self.problems.append(
                    Problem(
                        origin,
                        "time-link",
                        f"give exactly one of {', '.join(placed_subjects.values())}",
                    )
                )
            for table, key in placed_subjects.items():
                if r.get(key) and r[key] not in placed[table]:
                    self.problems.append(Problem(origin, "time-link", f"no {table} {r[key]!r}"))
            if r["anchor_event_id"] and r["anchor_event_id"] not in placed[EVENTS]:
                self.problems.append(
                    Problem(origin, "time-link", f"no event {r['anchor_event_id']!r}")
                )
            if bool(r["anchor_event_id"]) == bool(r["anchor_document_id"]):
                self.problems.append(
                    Problem(
                        origin,
                        "time-link",
                        "give exactly one of anchor_event_id, anchor_document_id",
                    )
                )
        document = (
            (_day(documents[0]["date_start"]), _day(documents[0]["date_end"]))
            if documents
            else (None, None)
        )

        def links_for(key: str) -> list[TimeLink]:
            return [
                TimeLink(r["time_link_id"], r[key], r["relation"], r["anchor_event_id"] or None)
                for r in link_rows
                if r.get(key)
            ]

        stated = {r["event_id"]: (_day(r["date_start"]), _day(r["date_end"])) for r in events}
        windows, conflicts = derive_windows(stated, links_for("event_id"), document)
        results = {EVENTS: windows}
        for table, key in placed_subjects.items():
            if table == EVENTS or "time_basis" not in self.contract[table].field_names:
                continue
            table_rows = rows.get(table, [])
            expressed = {
                r[key]: r["expressed_by_event_id"]
                for r in table_rows
                if r.get("expressed_by_event_id")
            }
            own = {r[key]: (_day(r["as_of_start"]), _day(r["as_of_end"])) for r in table_rows}
            results[table], more = derive_placed(own, links_for(key), windows, document, expressed)
            conflicts += more
        for c in conflicts:
            self.problems.append(
                Problem(
                    origins.get(c.link_id, "curation/records"),
                    "time-link",
                    f"{c.link_id or c.event_id}: {c.message}",
                )
            )
        for table, by_id in results.items():
            key = placed_subjects[table]
            for r in rows.get(table, []):
                w = by_id[r[key]]
                r["time_start"] = w.start.isoformat() if w.start else ""
                r["time_end"] = w.end.isoformat() if w.end else ""
                r["time_basis"] = w.basis

    # -- whole build -----------------------------------------------------------------------

    def passages(self) -> None:
        name = self.contract.only("structure", by="the build's passages")
        schema = self.contract[name]
        for p in self.structure.passages:
            row = {
                "passage_id": p.passage_id,
                "document_id": self.structure.document_id,
                "ordinal": str(p.ordinal),
                "kind": p.kind,
                "section": p.section,
                "continues_passage_id": p.continues or "",
                "start": str(p.start),
                "end": str(p.end),
                "text": p.text,
            }
            self.tables.add(
                name, {n: row[n] for n in schema.field_names}, "curation/structure.yaml"
            )

    def run(self) -> Tables:
        self.passages()
        documents = self.contract.with_role("document")
        record_tables = [*documents, *self.contract.record_tables]
        records = read_records(self.layout.curation, record_tables)
        seen: dict[tuple[str, str], str] = {}
        for record in records:
            key = (record.table, record.id)
            if key in seen:
                self.problems.append(
                    Problem(
                        record.where("id"),
                        "duplicate-id",
                        f"{record.table} id {record.id!r} is already used at {seen[key]}",
                    )
                )
                continue
            seen[key] = record.where("id")
            row = self.record_row(record)
            spans = [] if record.table in documents else self.evidence_rows(record)
            self.derive(
                record.table, row, [exact for exact, _ in sorted(spans, key=lambda s: s[1])]
            )
            self.check_verbatim(record, row, [start for _, start in spans])
            self.child_rows(record)
            self.tables.add(record.table, row, record.where())
        self.derive_time()
        if self.problems:
            raise DatasetError(self.problems)
        for table in self.contract.tables:
            self.tables.rows.setdefault(table, [])
            self.tables.origins.setdefault(table, [])
        sort_tables(self.tables, self.contract)
        return self.tables


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def natural_key(value: str) -> list[Any]:
    """Sort 'x.10' after 'x.9' so evidence numbering reads in order."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", value)]


def sort_tables(tables: Tables, contract: Contract) -> None:
    """A stable row order: passages in reading order, every other table by primary key."""
    for name, schema in contract.tables.items():
        rows, origins = tables.rows[name], tables.origins[name]
        fields = ["ordinal"] if schema.role == "structure" else schema.primary_key
        order = sorted(range(len(rows)), key=lambda i: [natural_key(rows[i][k]) for k in fields])
        tables.rows[name] = [rows[i] for i in order]
        tables.origins[name] = [origins[i] for i in order]


def build_tables(layout: Layout) -> Tables:
    return Builder(layout).run()
