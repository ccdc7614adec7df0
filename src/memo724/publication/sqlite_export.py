"""The tables as one SQLite database: keys, foreign keys, coded values and field descriptions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa

from ..contract import TABLES, Contract, TableSchema
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
            for name in TABLES:
                schema = contract[name]
                con.execute(create_statement(schema))
                for i, f in enumerate(schema.fields, start=1):
                    con.execute(
                        "INSERT INTO _fields VALUES (?, ?, ?, ?, ?)",
                        (name, f["name"], i, f.get("type", "string"), f.get("description", "")),
                    )
            # Deferred: tables reference each other in both directions (actors <-> documents).
            con.execute("PRAGMA defer_foreign_keys = ON")
            for name in TABLES:
                table = arrow_table(contract[name], data_dir / f"{name}.csv")
                marks = ", ".join("?" for _ in table.column_names)
                con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", _rows(table))
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ValueError(
                f"foreign_key_check found {len(problems)} dangling references: {problems[:5]}"
            )
        con.execute("VACUUM")
    finally:
        con.close()
