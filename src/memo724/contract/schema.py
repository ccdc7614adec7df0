"""The Table Schemas in schemas/: the one statement of every table's fields, keys and roles.

Everything else (Pandera checks, column order, evidence links, Parquet types) is read from here.
Besides Table Schema's own properties, each schema states what the code once kept in lists:
- `role` (ROLES): what the table is for: the document, its structure, a record, a link, evidence;
- `statement`: true when its records state something (coverage and the audits count them);
- `labelField`: the field that names a row for people (Datasette, the SQLite views);
- `recordList` (a link table): the key under which a curated record lists these rows (an
  event's `participants`); the record is the table its first key field references;
- `placesInTime` (the time-link table): its rows place records in time; the tables it places
  are those its foreign keys name by their own key (`event_id` -> events.event_id), the others
  (anchor_event_id, anchor_document_id) being what they are placed against;
- on a field, `verbatim` (the memo's words, inside a passage the record quotes) and `memoText`
  (MEMO_TEXT_KINDS: the memo's own words at the row's offsets).
Each is checked as stated here (`contract.rules.property_problems`, rule `schema-property`): a
misspelt one is reported on its schema file, never read as if it were absent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import DatasetError, Problem

# Reading order of the tables of this release: the document and its structure, then the content,
# then evidence. A contract holds every schema of its folder: a table this list does not name (a
# new schema file) comes after the ones it names, by name, before the evidence (`reading_order`).
TABLES: tuple[str, ...] = (
    "documents",
    "passages",
    "actors",
    "events",
    "event_participants",
    "positions",
    "risks",
    "risk_actors",
    "sources",
    "assessments",
    "relations",
    "time_links",
    "evidence",
)

# Table Schema's default boolean spellings (trueValues / falseValues).
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")

# How actors.names_as_written joins the distinct forms of a name.
NAME_SEPARATOR = " | "

# What a table is for, as the schema property `role` states it:
# - "document": the document row of the memo (its hash and length);
# - "structure": the memo's passages, spans of the memo's own text;
# - "record": a coded record, tied to the memo by its own evidence rows;
# - "link": rows that belong to a record (its participants, its actors);
# - "evidence": the spans that tie each record to the memo (one subject column per record table).
ROLES = ("document", "structure", "record", "link", "evidence")
# What a field of the memo's own words at offsets is, as the field property `memoText` states it:
# the span itself (start to end), or the context before or after it.
MEMO_TEXT_KINDS = ("span", "prefix", "suffix")

# The schemas of releases up to 0.4.0 state no roles and no memoText: for those (judged by their
# own snapshot in releases/contract/) these are the facts they left unstated. Read only where a
# schema states nothing; every current schema states its role.
UNSTATED_ROLES = {"documents": "document", "passages": "structure", "evidence": "evidence"}
UNSTATED_TIME_LINKS = "time_links"  # and the table that places records in time (placesInTime)
UNSTATED_MEMO_TEXT = {
    ("passages", "text"): "span",
    ("evidence", "exact"): "span",
    ("evidence", "prefix"): "prefix",
    ("evidence", "suffix"): "suffix",
}


def memo_text_kind(table: str, field: dict[str, Any]) -> str | None:
    """'span', 'prefix' or 'suffix' for a field holding the memo's words at offsets, else None."""
    stated = field.get("memoText")
    if isinstance(stated, str):
        return stated
    return UNSTATED_MEMO_TEXT.get((table, str(field.get("name"))))


# Code points of context kept on each side of a quote (prefix/suffix); Hypothesis stores 32.
CONTEXT_CHARS = 32


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str
    ref_field: str


@dataclass(frozen=True)
class TableSchema:
    name: str
    descriptor: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.descriptor["fields"])

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        for f in self.fields:
            if f["name"] == name:
                return f
        raise KeyError(f"{self.name} has no field {name}")

    @property
    def primary_key(self) -> list[str]:
        pk = self.descriptor.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    @cached_property
    def foreign_keys(self) -> list[ForeignKey]:
        keys = []
        for fk in self.descriptor.get("foreignKeys", []):
            fields = fk["fields"]
            ref = fk["reference"]
            ref_fields = ref["fields"]
            fields = [fields] if isinstance(fields, str) else fields
            ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
            if len(fields) != 1 or len(ref_fields) != 1:
                # Every key in this package is one column; say so loudly if that ever changes.
                raise ValueError(f"{self.name}: composite foreign keys are not supported")
            keys.append(ForeignKey(fields[0], ref.get("resource") or self.name, ref_fields[0]))
        return keys

    def enum(self, field: str) -> list[str]:
        return list(self.field(field).get("constraints", {}).get("enum", []))

    @property
    def date_groups(self) -> list[str]:
        """Prefixes of the date groups (text, EDTF, bounds, precision): date_edtf -> 'date'."""
        return [n[: -len("_edtf")] for n in self.field_names if n.endswith("_edtf")]

    @property
    def role(self) -> str | None:
        """The table's role (ROLES), as its schema states it."""
        stated = self.descriptor.get("role")
        return stated if isinstance(stated, str) else UNSTATED_ROLES.get(self.name)

    @property
    def statement(self) -> bool:
        """Whether its records state something (actor names and link anchors state nothing)."""
        return self.descriptor.get("statement") is True

    def memo_text(self, kind: str) -> list[str]:
        """Fields holding the memo's words at offsets, of one MEMO_TEXT_KINDS kind."""
        return [f["name"] for f in self.fields if memo_text_kind(self.name, f) == kind]

    @property
    def label_field(self) -> str | None:
        """The field that names a row for people (its schema's `labelField`), if any."""
        stated = self.descriptor.get("labelField")
        return stated if isinstance(stated, str) and stated in self.field_names else None

    @property
    def verbatim_fields(self) -> list[str]:
        """Fields that must hold the memo's own words (the custom field property `verbatim`)."""
        return [f["name"] for f in self.fields if f.get("verbatim") is True]


def reading_order(names: list[str] | set[str], schemas: dict[str, dict[str, Any]]) -> list[str]:
    """Tables in reading order: those TABLES names in its order, then any other by name, the
    evidence table (role "evidence") last of all."""
    known = [n for n in TABLES if n in names]
    others = sorted(n for n in names if n not in TABLES)
    order = [n for n in known if n != "evidence"] + others + [n for n in known if n == "evidence"]
    evidence = [n for n in order if schemas[n].get("role") == "evidence"]
    return [n for n in order if n not in evidence] + evidence


def read_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Every schemas/<table>.json of a folder (table -> schema), or a DatasetError whose
    problems name each file that is missing, unreadable, not JSON or not a Table Schema.

    The folder is the checkout's or the installed package's own (a vendored copy is read
    through the validators' guards instead), so a broken one is the user's to fix: one line
    per file, never a traceback.
    """
    if not schema_dir.is_dir():
        missing = "the folder of Table Schemas is missing"
        raise DatasetError([Problem(str(schema_dir), "missing", missing)])
    read: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for path in sorted(schema_dir.glob("*.json")):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno} column {exc.colno} (character {exc.pos})"
            problems.append(Problem(str(path), "json", f"not valid JSON at {where}: {exc.msg}"))
            continue
        except UnicodeDecodeError as exc:
            what = f"not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset {exc.start}"
            problems.append(Problem(str(path), "utf-8", what))
            continue
        except OSError as exc:
            problems.append(Problem(str(path), "unreadable", exc.strerror or str(exc)))
            continue
        if not isinstance(value, dict) or not isinstance(value.get("fields"), list):
            what = "a Table Schema is a JSON object with a list of fields"
            problems.append(Problem(str(path), "table-schema", what))
            continue
        read[path.stem] = value
    problems += [  # a copy of this release has every table it names
        Problem(str(schema_dir / f"{name}.json"), "missing", "the file is missing")
        for name in TABLES
        if name not in read and not (schema_dir / f"{name}.json").exists()
    ]
    if problems:
        raise DatasetError(problems)
    return read


class Contract:
    """All Table Schemas of one copy of the package: every schemas/<table>.json of its folder."""

    def __init__(self, schema_dir: Path) -> None:
        self.schema_dir = schema_dir
        read = read_schemas(schema_dir)
        self.tables: dict[str, TableSchema] = {
            name: TableSchema(name, read[name]) for name in reading_order(set(read), read)
        }

    @classmethod
    def of(cls, schemas: dict[str, dict[str, Any]]) -> Contract:
        """The contract of Table Schemas already read (table -> schema), with no folder."""
        contract = cls.__new__(cls)
        contract.tables = {
            name: TableSchema(name, schemas[name]) for name in reading_order(set(schemas), schemas)
        }
        return contract

    def __getitem__(self, name: str) -> TableSchema:
        return self.tables[name]

    def with_role(self, role: str) -> list[str]:
        """The tables of one role (ROLES), in reading order."""
        return [name for name, schema in self.tables.items() if schema.role == role]

    def only(self, role: str, by: str) -> str:
        """The one table of a role that `by` (a feature of the code) reads: the document, its
        passages, the evidence. Refused in one line (rule `code-reads`) when the schemas have
        none or several, never answered with an empty result."""
        found = self.with_role(role)
        if len(found) != 1:
            have = ", ".join(found) or "none"
            raise DatasetError(
                [
                    Problem(
                        "schemas/",
                        "code-reads",
                        f"{by} reads the one table of role {role!r}; the schemas have {have}",
                    )
                ]
            )
        return found[0]

    def require(self, table: str, *fields: str, by: str) -> TableSchema:
        """A table that `by` (a feature of the code: a profile, a figure, the time-link model)
        reads by its name, with the fields it reads. Refused in one line (rule `code-reads`)
        when the schemas no longer have them (a table renamed or removed), never answered with
        an empty result. CURATING.md lists every place the code names a table."""
        schema = self.tables.get(table)
        known = [] if schema is None else schema.field_names
        gone = [f"{table}.{f}" for f in fields if f not in known]
        if schema is None or gone:
            what = f"table {table}" if schema is None else ", ".join(gone)
            raise DatasetError(
                [
                    Problem(
                        f"schemas/{table}.json",
                        "code-reads",
                        f"{by} reads {what}, which the schemas do not have: rename it back, or "
                        "change that code (CURATING.md, 'Where the code still names a table')",
                    )
                ]
            )
        return schema

    def require_codes(self, table: str, field: str, *codes: str, by: str) -> TableSchema:
        """A coded field whose codes `by` (a rule, a figure) reads by their value, as `require`
        reads a field: refused in one line (rule `code-reads`) when the field's enum no longer
        has one of them (a code renamed), never answered by matching no row. CURATING.md lists
        every place the code names a code."""
        schema = self.require(table, field, by=by)
        gone = [code for code in codes if code not in schema.enum(field)]
        if gone:
            named = ", ".join(repr(code) for code in gone)
            raise DatasetError(
                [
                    Problem(
                        f"schemas/{table}.json",
                        "code-reads",
                        f"{by} reads the code {named} of {table}.{field}, which its enum does "
                        "not have: rename it back, or change that code (CURATING.md, 'Where "
                        "the code names a code')",
                        field=field,
                    )
                ]
            )
        return schema

    def require_key(self, table: str, resource: str, *, by: str) -> ForeignKey:
        """The (first) foreign key of `table` into `resource` that `by` reads, as `require`
        reads a field: refused in one line (rule `code-reads`) when the schemas have none."""
        schema = self.require(table, by=by)
        key = next((fk for fk in schema.foreign_keys if fk.resource == resource), None)
        if key is None:
            raise DatasetError(
                [
                    Problem(
                        f"schemas/{table}.json",
                        "code-reads",
                        f"{by} reads a foreign key of {table} into {resource}, which the schemas "
                        "do not have: put it back, or change that code (CURATING.md, 'Where the "
                        "code still names a table')",
                    )
                ]
            )
        return key

    @property
    def record_lists(self) -> dict[str, dict[str, str]]:
        """Record table -> {key of its curated records -> the link table its list fills}, from
        each link table's `recordList` (its rows belong to the table its first key references)."""
        lists: dict[str, dict[str, str]] = {}
        for name, schema in self.tables.items():
            key = schema.descriptor.get("recordList")
            if not isinstance(key, str) or not schema.primary_key:
                continue
            parent = next(
                (fk.resource for fk in schema.foreign_keys if fk.field == schema.primary_key[0]),
                None,
            )
            if parent is not None:
                lists.setdefault(parent, {})[key] = name
        return lists

    @property
    def statement_tables(self) -> list[str]:
        """Tables whose records state something (`statement`), in reading order."""
        return [name for name, schema in self.tables.items() if schema.statement]

    @property
    def evidence_table(self) -> str | None:
        """The table of evidence spans (role "evidence"), if the contract has one."""
        return next(iter(self.with_role("evidence")), None)

    @cached_property
    def evidence_subjects(self) -> dict[str, str]:
        """Content table -> its column in evidence (the exclusive arc of record links).

        A subject column is a foreign key named exactly as the key it references
        (actor_id -> actors.actor_id); cites_source_id and the keys of the document and its
        structure are not subjects.
        """
        subjects: dict[str, str] = {}
        if self.evidence_table is None:
            return subjects
        for fk in self[self.evidence_table].foreign_keys:
            role = self.tables[fk.resource].role if fk.resource in self.tables else None
            if fk.field == fk.ref_field and role not in ("document", "structure"):
                subjects[fk.resource] = fk.field
        return subjects

    @property
    def record_tables(self) -> list[str]:
        return list(self.evidence_subjects)

    @property
    def time_link_table(self) -> str | None:
        """The table whose rows place records in time (its schema's `placesInTime`), if any."""
        stated = [n for n, s in self.tables.items() if s.descriptor.get("placesInTime") is True]
        if stated:
            return stated[0]
        old = self.tables.get(UNSTATED_TIME_LINKS)
        return UNSTATED_TIME_LINKS if old is not None and "role" not in old.descriptor else None

    @cached_property
    def placed_subjects(self) -> dict[str, str]:
        """Table a time link can place -> the time-link column that names it (one per link):
        the time-link table's foreign keys named as the key they reference, but those into the
        document and its structure."""
        table = self.time_link_table
        if table is None:
            return {}
        placed: dict[str, str] = {}
        for fk in self[table].foreign_keys:
            role = self.tables[fk.resource].role if fk.resource in self.tables else None
            if fk.field == fk.ref_field and role not in ("document", "structure"):
                placed.setdefault(fk.resource, fk.field)
        return placed


def singular(table: str) -> str:
    """Record kind as used in evidence ids: events -> event."""
    return table[:-1] if table.endswith("s") else table
