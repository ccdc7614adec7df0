"""The tables as one SQLite database: keys, foreign keys, coded values and field descriptions.

Every foreign-key column is indexed, and each table with foreign keys gets a view `<table>_named`
that puts next to every id the label of the row it points to (actors.name, events.summary, ...):
`event_participants_named` lists each participant's actor name and event summary.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa

from ..contract import Contract, TableSchema
from ..contract.typed import arrow_table

SQL_TYPES = {
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
    "string": "TEXT",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_statement(schema: TableSchema) -> str:
    """CREATE TABLE with each field's description as a comment, kept by SQLite in sqlite_master."""
    lines = []
    for f in schema.fields:
        c = f.get("constraints", {})
        col = f"{_quote(f['name'])} {SQL_TYPES[f.get('type', 'string')]}"
        if c.get("required"):
            col += " NOT NULL"
        if c.get("unique") and schema.primary_key != [f["name"]]:
            col += " UNIQUE"
        if "enum" in c:
            col += f" CHECK ({_quote(f['name'])} IN ({', '.join(_literal(v) for v in c['enum'])}))"
        lines.append(f"  {col}, -- {f.get('description', '')}")
    keys = [f"  PRIMARY KEY ({', '.join(_quote(k) for k in schema.primary_key)})"]
    for fk in schema.foreign_keys:
        ref = f"{_quote(fk.resource)} ({_quote(fk.ref_field)})"
        keys.append(f"  FOREIGN KEY ({_quote(fk.field)}) REFERENCES {ref}")
    body = "\n".join(lines) + "\n" + ",\n".join(keys)
    return f"CREATE TABLE {_quote(schema.name)} ( -- {schema.descriptor['description']}\n{body}\n)"


def index_statements(schema: TableSchema) -> list[str]:
    """An index on every foreign-key column that is not already the head of the primary key."""
    statements = []
    for fk in schema.foreign_keys:
        if schema.primary_key[:1] == [fk.field]:
            continue  # the primary key's own index serves lookups by its first column
        index = _quote(f"idx_{schema.name}_{fk.field}")
        statements.append(f"CREATE INDEX {index} ON {_quote(schema.name)} ({_quote(fk.field)})")
    return statements


def label_column(fk_field: str, label: str) -> str:
    """The view column that names what fk_field points to: actor_id -> actor_name."""
    stem = fk_field[: -len("_id")] if fk_field.endswith("_id") else fk_field
    return f"{stem}_{label}"


def named_view(contract: Contract, schema: TableSchema) -> tuple[str, dict[str, str]] | None:
    """CREATE VIEW <table>_named, and the description of each column it adds; None if no ids."""
    columns = [f"t.{_quote(n)}" for n in schema.field_names]
    joins, added = [], {}
    for i, fk in enumerate(schema.foreign_keys, start=1):
        label = contract[fk.resource].label_field
        if label is None:
            continue
        alias = f"r{i}"
        name = label_column(fk.field, label)
        columns.append(f"{alias}.{_quote(label)} AS {_quote(name)}")
        joins.append(
            f"LEFT JOIN {_quote(fk.resource)} AS {alias} "
            f"ON {alias}.{_quote(fk.ref_field)} = t.{_quote(fk.field)}"
        )
        added[name] = f"{fk.resource}.{label} of {fk.field}."
    if not joins:
        return None
    view = _quote(f"{schema.name}_named")
    body = ",\n  ".join(columns)
    order = ", ".join(f"t.{_quote(k)}" for k in schema.primary_key)
    sql = (
        f"CREATE VIEW {view} AS\nSELECT\n  {body}\nFROM {_quote(schema.name)} AS t\n"
        + "\n".join(joins)
        + f"\nORDER BY {order}"
    )
    return sql, added


def _rows(table: pa.Table) -> list[tuple]:
    columns = []
    for column in table.columns:
        values = column.to_pylist()
        if pa.types.is_date32(column.type):
            values = [None if v is None else v.isoformat() for v in values]
        elif pa.types.is_boolean(column.type):
            values = [None if v is None else int(v) for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True))


def write_sqlite(contract: Contract, data_dir: Path, path: Path) -> None:
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        con.execute(
            "CREATE TABLE _fields (table_name TEXT NOT NULL, field_name TEXT NOT NULL, "
            "position INTEGER NOT NULL, type TEXT NOT NULL, description TEXT NOT NULL, "
            "PRIMARY KEY (table_name, field_name)) -- every field's description, from the schemas"
        )
        with con:
            for name in contract.tables:
                schema = contract[name]
                con.execute(create_statement(schema))
                for i, f in enumerate(schema.fields, start=1):
                    con.execute(
                        "INSERT INTO _fields VALUES (?, ?, ?, ?, ?)",
                        (name, f["name"], i, f.get("type", "string"), f.get("description", "")),
                    )
            # Deferred: tables reference each other in both directions (actors <-> documents).
            con.execute("PRAGMA defer_foreign_keys = ON")
            for name in contract.tables:
                table = arrow_table(contract[name], data_dir / f"{name}.csv")
                marks = ", ".join("?" for _ in table.column_names)
                con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", _rows(table))
        with con:
            for name in contract.tables:
                for statement in index_statements(contract[name]):
                    con.execute(statement)
                view = named_view(contract, contract[name])
                if view is not None:
                    con.execute(view[0])
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ValueError(
                f"foreign_key_check found {len(problems)} dangling references: {problems[:5]}"
            )
        con.execute("VACUUM")
    finally:
        con.close()
