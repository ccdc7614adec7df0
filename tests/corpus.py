"""The hostile corpus: corruptions of a vendored copy and of the curated records, by category.

Each case breaks one thing in a fresh copy and names the line the command must print (the place
and the rule). Data corruptions run twice: with the copy's original hashes and with its
descriptor's hashes recomputed, as a careful attacker would. The summary in HOSTILE.md is
generated from this list (`python scripts/corpus_summary.py`) and tested to be current.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from memo724.contract.memo import sha256_of
from memo724.contract.paths import REPO, Layout

MEMO = "data/ponars-policy-memo-724.txt"
# Filled in by the test session: the loopback server every URL case points at.
LOOPBACK = {"url": "http://127.0.0.1:9"}

Break = Callable[[Layout], None]


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    breaks: Break
    # Each tuple: fragments that must all appear in one line of the output (place and rule).
    expect: tuple[tuple[str, ...], ...]
    command: str = "validate"  # validate | verify | build
    data: bool = False  # a data corruption: also run with the descriptor's hashes recomputed
    source: bool = False  # applied to a scratch clone of the source checkout, not a copy
    usage: bool = False  # the command was pointed at no package at all: a usage error, exit 2
    # A package of its own: the copy gets its own name and version, its descriptor is restated
    # (honest bytes and hashes) after the break, and it is judged with --contract.
    own: bool = False
    args: tuple[str, ...] = ()  # more arguments; "{parent}" is the folder holding the copy

    @property
    def runs(self) -> int:
        return 2 if self.data else 1


CASES: list[Case] = []


def case(category: str, name: str, breaks: Break, *expect: tuple[str, ...], **kw: Any) -> None:
    CASES.append(Case(category, name, breaks, tuple(expect), **kw))


# -- ways to break a copy --------------------------------------------------------------------


def read_rows(layout: Layout, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with layout.table(table).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(
    layout: Layout, table: str, header: list[str], rows: list[dict[str, str]], **fmt: Any
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=fmt.pop("lineterminator", "\n"), **fmt)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    layout.table(table).write_text(buffer.getvalue(), encoding="utf-8", newline="")


def cell(table: str, field_name: str, value: str | Callable[[str], str], row: int = 0) -> Break:
    def apply(layout: Layout) -> None:
        header, rows = read_rows(layout, table)
        old = rows[row][field_name]
        rows[row][field_name] = value(old) if callable(value) else value
        write_rows(layout, table, header, rows)

    return apply


def rows_edit(table: str, edit: Callable[[list[str], list[dict[str, str]]], None]) -> Break:
    def apply(layout: Layout) -> None:
        header, rows = read_rows(layout, table)
        edit(header, rows)
        write_rows(layout, table, header, rows)

    return apply


def text(rel: str, edit: Callable[[str], str]) -> Break:
    def apply(layout: Layout) -> None:
        path = layout.root / rel
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")

    return apply


def raw(rel: str, edit: Callable[[bytes], bytes]) -> Break:
    def apply(layout: Layout) -> None:
        path = layout.root / rel
        path.write_bytes(edit(path.read_bytes()))

    return apply


def at(data: bytes, offset: int, insert: bytes) -> bytes:
    return data[:offset] + insert + data[offset:]


def descriptor(edit: Callable[[dict[str, Any]], Any]) -> Break:
    def apply(layout: Layout) -> None:
        desc = json.loads(layout.descriptor.read_text(encoding="utf-8"))
        edit(desc)
        layout.descriptor.write_text(json.dumps(desc, indent=2), encoding="utf-8")

    return apply


def resource(desc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in desc["resources"] if r["name"] == name)


def set_resource(name: str, key: str, value: Any) -> Break:
    return descriptor(lambda d: resource(d, name).__setitem__(key, value))


def schema(table: str, edit: Callable[[dict[str, Any]], Any]) -> Break:
    def apply(layout: Layout) -> None:
        path = layout.schema(table)
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return apply


def field_of(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in data["fields"] if f["name"] == name)


def constraint(table: str, field_name: str, edit: Callable[[dict[str, Any]], Any]) -> Break:
    return schema(table, lambda s: edit(field_of(s, field_name).setdefault("constraints", {})))


def fifo(rel: str) -> Break:
    def apply(layout: Layout) -> None:
        path = layout.root / rel
        path.unlink()
        os.mkfifo(path)

    return apply


def sock(rel: str) -> Break:
    def apply(layout: Layout) -> None:
        path = layout.root / rel
        path.unlink()
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()

    return apply


def symlink(rel: str, target: Callable[[Layout], Path]) -> Break:
    def apply(layout: Layout) -> None:
        path, to = layout.root / rel, target(layout)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        os.symlink(to, path)

    return apply


def outside(layout: Layout, rel: str = "data/events.csv") -> Path:
    """A copy of a file of the copy, placed next to (outside) the copy's folder."""
    target = layout.root.parent / "outside" / Path(rel).name
    target.parent.mkdir(exist_ok=True)
    if (layout.root / rel).is_dir():
        shutil.copytree(layout.root / rel, target, dirs_exist_ok=True)
    else:
        shutil.copyfile(layout.root / rel, target)
    return target


def sparse(rel: str, size: int) -> Break:
    def apply(layout: Layout) -> None:
        with (layout.root / rel).open("r+b") as handle:
            handle.truncate(size)

    return apply


def both(*breaks: Break) -> Break:
    def apply(layout: Layout) -> None:
        for b in breaks:
            b(layout)

    return apply


def rehash(layout: Layout) -> None:
    """Recompute the descriptor's hash and size of every resource, as an attacker would."""
    try:
        desc = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return
    for res in desc.get("resources", []) if isinstance(desc, dict) else []:
        path = layout.root / str(res.get("path", ""))
        if isinstance(res.get("path"), str) and path.is_file() and not path.is_symlink():
            res["hash"] = "sha256:" + sha256_of(path)
            res["bytes"] = path.stat().st_size
    layout.descriptor.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n")


def record(text_: str) -> Break:
    """A curated record file added to a scratch clone of the source checkout."""

    def apply(layout: Layout) -> None:
        (layout.curation / "records" / "00-hostile.yaml").write_bytes(text_.encode("utf-8"))

    return apply


def record_bytes(data: bytes) -> Break:
    def apply(layout: Layout) -> None:
        (layout.curation / "records" / "00-hostile.yaml").write_bytes(data)

    return apply


def pk_dup(table: str) -> Break:
    return rows_edit(table, lambda h, rows: rows.append(dict(rows[0])))


def drop_column(table: str, name: str) -> Break:
    def edit(header: list[str], rows: list[dict[str, str]]) -> None:
        header.remove(name)

    return rows_edit(table, edit)


def swap_columns(table: str, a: str, b: str) -> Break:
    def edit(header: list[str], rows: list[dict[str, str]]) -> None:
        i, j = header.index(a), header.index(b)
        header[i], header[j] = header[j], header[i]

    return rows_edit(table, edit)


def no_evidence_for(actor: str) -> Break:
    return rows_edit(
        "evidence",
        lambda h, rows: rows.__setitem__(slice(None), [r for r in rows if r["actor_id"] != actor]),
    )


def shift_offsets(table: str, by: int) -> Break:
    def edit(header: list[str], rows: list[dict[str, str]]) -> None:
        rows[0]["start"] = str(int(rows[0]["start"]) + by)

    return rows_edit(table, edit)


def max_length(table: str, field_name: str) -> int:
    data = json.loads(REPO.schema(table).read_text(encoding="utf-8"))
    return int(field_of(data, field_name)["constraints"]["maxLength"])


def semicolons(table: str) -> Break:
    def apply(layout: Layout) -> None:
        header, rows = read_rows(layout, table)
        write_rows(layout, table, header, rows, delimiter=";")

    return apply


def schemas_via_symlink(layout: Layout) -> None:
    """schemas/ moved to weak/ inside the copy, and schemas a relative symlink to it."""
    os.rename(layout.schemas, layout.root / "weak")
    os.symlink("weak", layout.schemas)


def json_text(rel: str, edit: Callable[[str], str]) -> Break:
    """A JSON file of the copy edited as text (for what json.dumps would never write)."""
    return text(rel, edit)


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


def every_table_sparse(size: int) -> Break:
    """Each table of the copy grown (sparse, no disk used) to `size` bytes: each under its own
    limit, all of them together far over the copy's."""

    def apply(layout: Layout) -> None:
        for path in sorted(layout.data.glob("*.csv")):
            with path.open("r+b") as handle:
                handle.truncate(size)

    return apply


def release_file(rel: str, content: bytes, stored: bytes | None = None) -> Break:
    """A file of a release folder (a Parquet file, say): written to the copy as `stored` and
    listed in the descriptor's `files` with the hash of `content`, the descriptor written as
    memo724 writes it, so only the file itself differs from its listing."""

    def apply(layout: Layout) -> None:
        from memo724.contract.release import canonical_json

        path = layout.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if stored is None else stored)
        desc = json.loads(layout.descriptor.read_text(encoding="utf-8"))
        digest = hashlib.sha256(content).hexdigest()
        desc.setdefault("files", []).append(
            {"path": rel, "bytes": len(content), "hash": f"sha256:{digest}"}
        )
        layout.descriptor.write_text(canonical_json(desc), encoding="utf-8")

    return apply


def sums_beside(lines: Callable[[Layout], str]) -> Break:
    """A list of hashes written beside the copy (not in it), for `verify --against`."""

    def apply(layout: Layout) -> None:
        (layout.root.parent / "SHA256SUMS").write_text(lines(layout), encoding="utf-8")

    return apply


def against_beside(content: Callable[[Layout], str]) -> Break:
    """A release descriptor written beside the copy, for `verify --against`."""

    def apply(layout: Layout) -> None:
        (layout.root.parent / "datapackage.json").write_text(content(layout), encoding="utf-8")

    return apply


def sums_of(layout: Layout, share: float) -> str:
    files = sorted(
        p.relative_to(layout.root).as_posix() for p in layout.root.rglob("*") if p.is_file()
    )
    kept = files[: int(len(files) * share)]
    return "".join(f"{sha256_of(layout.root / rel)}  release/{rel}\n" for rel in kept)


EV = "evidence, row 2"

# fmt: off
# -- types -----------------------------------------------------------------------------------
T = "types"
case(T, "integer offset as text", cell("evidence", "start", "x1"), (f"{EV}, field start", "rule: type"), data=True)
case(T, "integer written as a decimal", cell("passages", "ordinal", "1.5"), ("passages, row 2, field ordinal", "rule: type"), data=True)
case(T, "integer in exponent form", cell("evidence", "end", "1e3"), (f"{EV}, field end", "rule: type"), data=True)
case(T, "impossible calendar date", cell("documents", "date_start", "2021-13-45"), ("documents, row 2, field date_start", "rule: type"), data=True)
case(T, "date in another format", cell("documents", "date_end", "30/11/2021"), ("documents, row 2, field date_end", "rule: type"), data=True)
case(T, "signed integer", cell("documents", "number", "+724"), ("documents, row 2, field number", "rule: spreadsheet-safe"), data=True)

# -- constraints -----------------------------------------------------------------------------
C = "constraints"
case(C, "code outside its enum", cell("events", "factuality", "zz-not-a-code"), ("events, row 2, field factuality", "rule: enum"), data=True)
case(C, "slug breaking its pattern", cell("actors", "iso3", "rus"), ("actors, row 2, field iso3", "rule: pattern"), data=True)
case(C, "number below its minimum", cell("documents", "number", "0"), ("documents, row 2, field number", "rule: minimum"), data=True)
case(C, "id longer than its maxLength", cell("risks", "risk_id", "r" * (max_length("risks", "risk_id") + 1)), ("risks, row 2, field risk_id", "rule: maxLength"), data=True)
case(C, "text longer than the memo", cell("events", "summary", "x" * 20000), ("events, row 2, field summary", "rule: maxLength"), data=True)
case(C, "required cell emptied", cell("actors", "name", ""), ("actors, row 2, field name", "rule: required"), data=True)
case(C, "unique ordinal repeated", cell("passages", "ordinal", "2"), ("passages", "field ordinal", "rule: unique"), data=True)
case(C, "date bounds disagree with EDTF", cell("documents", "date_end", "2021-12-31"), ("documents, row 2, field date_end", "rule: edtf-bounds"), data=True)

# -- keys ------------------------------------------------------------------------------------
K = "keys"
case(K, "primary key repeated", pk_dup("actors"), ("actors, row 2, field actor_id", "rule: unique"), data=True)
case(K, "composite key repeated", pk_dup("event_participants"), ("event_participants", "rule: primaryKey"), data=True)
case(K, "dangling foreign key", cell("event_participants", "actor_id", "nobody"), ("event_participants, row 2, field actor_id", "rule: foreignKey"), data=True)
case(K, "evidence for a missing record", cell("evidence", "actor_id", "nobody"), (f"{EV}, field actor_id", "rule: foreignKey"), data=True)
case(K, "evidence for two records", cell("evidence", "event_id", "afghan-authorities-extend-control-and-rein-in-militants"), (f"{EV}, field evidence_id", "rule: one-record"), data=True)
case(K, "record without evidence", no_evidence_for("abdul-latif-pedram"), ("actors, row 2, field actor_id", "rule: has-evidence"), data=True)
case(K, "self-reference to nowhere", cell("passages", "continues_passage_id", "nowhere"), ("passages, row 2, field continues_passage_id", "rule: foreignKey"), data=True)

# -- offsets ---------------------------------------------------------------------------------
OFF = "offsets"
case(OFF, "span shifted by one", shift_offsets("evidence", 1), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)
case(OFF, "empty span", cell("evidence", "end", lambda v: str(int(v) - 18)), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)
case(OFF, "span beyond the memo", both(cell("evidence", "start", "99999"), cell("evidence", "end", "100017")), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)
case(OFF, "negative offset", cell("evidence", "start", "-1"), (f"{EV}, field start", "rule: minimum"), data=True)
case(OFF, "quote not the memo's words", cell("evidence", "exact", lambda v: v.replace("a", "e", 1)), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)
case(OFF, "prefix not the memo's words", cell("evidence", "prefix", lambda v: "x" + v[1:]), (f"{EV}, field start", "rule: prefix-at-offsets"), data=True)
case(OFF, "suffix not the memo's words", cell("evidence", "suffix", lambda v: v[:-1] + "x"), (f"{EV}, field end", "rule: suffix-at-offsets"), data=True)
case(OFF, "passage text off its offsets", shift_offsets("passages", 1), ("passages, row 2, field text", "rule: text-at-offsets"), data=True)
case(OFF, "span outside its passage", cell("evidence", "passage_id", "title"), (f"{EV}, field passage_id", "rule: span-in-passage"), data=True)
case(OFF, "memo length misstated", cell("documents", "code_points", lambda v: str(int(v) + 1)), ("documents, row 2, field code_points", "rule: memo-length"), data=True)

# -- memo text -------------------------------------------------------------------------------
M = "memo text"
case(M, "one word of the memo changed", raw(MEMO, lambda b: b.replace(b"Kabul", b"Kabil", 1)), ("documents, row 2, field sha256", "rule: memo-hash"), (MEMO, "rule: changed-since-release"), data=True)
case(M, "memo truncated", raw(MEMO, lambda b: b[:1000]), ("documents, row 2, field sha256", "rule: memo-hash"), ("rule: exact-at-offsets",), data=True)
case(M, "memo with CRLF line ends", raw(MEMO, lambda b: b.replace(b"\n", b"\r\n")), ("data/ponars-policy-memo-724.txt", "rule: line-endings"), data=True)
case(M, "memo with a final newline", raw(MEMO, lambda b: b + b"\n"), ("documents, row 2, field sha256", "rule: memo-hash"), data=True)
case(M, "memo deleted", lambda lay: lay.memo.unlink(), (MEMO, "rule: missing"), data=True)
case(M, "memo with invalid UTF-8", raw(MEMO, lambda b: at(b, 100, b"\xff")), (MEMO, "byte offset 100", "rule: utf-8"), data=True)
case(M, "memo with a BOM", raw(MEMO, lambda b: b"\xef\xbb\xbf" + b), (MEMO, "byte offset 0", "rule: utf-8-bom"), data=True)
case(M, "memo with a NUL byte", raw(MEMO, lambda b: at(b, 200, b"\x00")), (MEMO, "byte offset 200", "rule: control-character"), data=True)

# -- CSV structure ---------------------------------------------------------------------------
S = "CSV structure"
case(S, "extra column", rows_edit("events", lambda h, rows: h.append("extra")), ("events", "extra", "rule: unexpected-column"), data=True)
case(S, "missing column", drop_column("events", "place"), ("events, field place", "rule: missing-column"), data=True)
case(S, "renamed header", text("data/events.csv", lambda t: t.replace(",place,", ",location,", 1)), ("events, field place", "rule: missing-column"), data=True)
case(S, "columns reordered", swap_columns("events", "summary", "event_type"), ("events", "rule: column-order"), data=True)
case(S, "unterminated quote", text("data/risks.csv", lambda t: t + 'broken,"unterminated\n'), ("risks, row 25, field summary", "the file ends inside it", "rule: unclosed-quote"), data=True)
case(S, "stray quote swallowing the rows after it", text("data/risks.csv", lambda t: t.replace("\n", '"stray\n', 2).replace('"stray\n', "\n", 1)), ("risks, row 2, field manifested_by_event_id", "the quote opened on line 2 is never closed", "rule: unclosed-quote"), data=True)
case(S, "row with an extra cell", text("data/risks.csv", lambda t: t.replace("\n", ",surplus\n", 2).replace(",surplus\n", "\n", 1)), ("risks, row 2", "has 12 cells; the header has 11", "rule: cell-count"), data=True)
case(S, "row with a missing cell", text("data/relations.csv", lambda t: t.split("\n", 1)[0] + "\n" + t.split("\n", 1)[1].split(",", 1)[1]), ("relations, row 2", "cells; the header has", "rule: cell-count"), data=True)
case(S, "short row beside a bad code", both(cell("risks", "attribution", "zz-not-a-code", row=3), text("data/risks.csv", lambda t: "\n".join(ln.rsplit(",", 1)[0] if i == 1 else ln for i, ln in enumerate(t.split("\n"))))), ("risks, row 2", "has 10 cells; the header has 11", "rule: cell-count"), ("risks, row 5, field attribution", "rule: enum"), data=True)
case(S, "empty file", raw("data/risk_actors.csv", lambda b: b""), ("data/risk_actors.csv", "is empty", "rule: readable-csv"), data=True)
case(S, "header only", text("data/risks.csv", lambda t: t.split("\n", 1)[0] + "\n"), ("risk_actors, row 2, field risk_id", "rule: foreignKey"), data=True)
case(S, "duplicate header", text("data/risks.csv", lambda t: t.replace("risk_id,", "risk_id,risk_id,", 1)), ("risks, row 1, field risk_id", "rule: duplicate-column"), ("risks, row 1", "has 12 names, but every one of the table's", "rows has 11 cells", "rule: cell-count"), data=True)
case(S, "semicolon delimiter", semicolons("risks"), ("risks, field risk_id", "rule: missing-column"), ("risks, row", "the header has 1", "rule: cell-count"), data=True)
case(S, "trailing space inside a quote", cell("evidence", "exact", lambda v: v + " "), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)

# -- encodings -------------------------------------------------------------------------------
E = "encodings"
case(E, "CSV with a BOM", raw("data/events.csv", lambda b: b"\xef\xbb\xbf" + b), ("data/events.csv", "byte offset 0", "rule: utf-8-bom"), data=True)
case(E, "invalid UTF-8 byte in a cell", raw("data/actors.csv", lambda b: at(b, 120, b"\xff")), ("data/actors.csv", "byte offset 120", "rule: utf-8"), data=True)
case(E, "CSV re-encoded as cp1252", raw("data/passages.csv", lambda b: b.decode("utf-8").encode("cp1252", errors="replace")), ("data/passages.csv", "invalid UTF-8 at byte offset", "rule: utf-8"), data=True)
case(E, "CSV re-encoded as UTF-16", raw("data/risks.csv", lambda b: b.decode("utf-8").encode("utf-16")), ("data/risks.csv", "byte offset 0", "rule: utf-8"), data=True)
case(E, "overlong UTF-8 sequence", raw("data/actors.csv", lambda b: at(b, 130, b"\xc0\xaf")), ("data/actors.csv", "byte offset 130", "rule: utf-8"), data=True)
case(E, "UTF-8 encoded surrogate", raw("data/actors.csv", lambda b: at(b, 140, b"\xed\xa0\x80")), ("data/actors.csv", "byte offset 140", "rule: utf-8"), data=True)
case(E, "NUL byte in a cell", raw("data/events.csv", lambda b: at(b, 300, b"\x00")), ("data/events.csv", "byte offset 300", "rule: control-character"), data=True)
case(E, "terminal escape in a cell", cell("actors", "name", lambda v: "\x1b[31m" + v), ("data/actors.csv", "U+001B", "rule: control-character"), data=True)

# -- injection -------------------------------------------------------------------------------
INJ = "injection"
for lead, label in (("=", "equals"), ("+", "plus"), ("-", "minus"), ("@", "at"), ("\t", "tab"), ("\r", "carriage return")):
    case(INJ, f"{label}-led formula in free text", cell("events", "summary", f"{lead}HYPERLINK(\"http://example.org\",\"x\")"), ("events, row 2, field summary", "rule: spreadsheet-safe"), data=True)
case(INJ, "formula in an id", cell("risks", "risk_id", "=cmd|' /C calc'!A0"), ("risks, row 2, field risk_id", "rule: spreadsheet-safe"), data=True)
case(INJ, "formula in a quote", cell("evidence", "exact", "@SUM(1+1)"), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)
case(INJ, "formula in a name", cell("actors", "name", "=HYPERLINK(\"http://evil\")"), ("actors, row 2, field name", "rule: spreadsheet-safe"), data=True)
case(INJ, "10 MB cell", cell("events", "summary", "A" * 10_000_000), ("events, row 2, field summary", "a cell of 10,000,000 characters, over the limit of 1,048,576", "rule: cell-size"), data=True)

# -- descriptor tampering --------------------------------------------------------------------
D = "descriptor tampering"
DP = "datapackage.json"
case(D, "resource redirected to another file", set_resource("events", "path", "data/actors.csv"), (f"{DP}, field resources[events].path", "rule: contract-drift"))
case(D, "resource removed", descriptor(lambda d: d["resources"].remove(resource(d, "events"))), (f"{DP}, field resources[events]", "resource removed", "rule: contract-drift"))
case(D, "another encoding declared", set_resource("events", "encoding", "latin-1"), (f"{DP}, field resources[events].encoding", "rule: contract-drift"))
case(D, "another format declared", set_resource("events", "format", "tsv"), (f"{DP}, field resources[events].format", "rule: contract-drift"))
case(D, "dialect added", set_resource("events", "dialect", {"delimiter": ";"}), (f"{DP}, field resources[events].dialect", "rule: contract-drift"))
case(D, "hash replaced", set_resource("events", "hash", "sha256:" + "0" * 64), (f"{DP}, field resources[events].hash", "rule: contract-drift"))
case(D, "resource added", descriptor(lambda d: d["resources"].append({**resource(d, "risks"), "name": "extra"})), (f"{DP}, field resources[extra]", "resource added", "rule: contract-drift"))
case(D, "resource listed twice", descriptor(lambda d: d["resources"].append(resource(d, "risks"))), (f"{DP}, field resources[risks]", "listed twice", "rule: contract-drift"))
case(D, "resources not a list", descriptor(lambda d: d.__setitem__("resources", {})), (f"{DP}, field resources", "rule: contract-drift"))
case(D, "package renamed", descriptor(lambda d: d.__setitem__("name", "other")), (f"{DP}, field name", "rule: contract-drift"))
case(D, "profile pointed at a server", descriptor(lambda d: d.__setitem__("$schema", LOOPBACK["url"] + "/profile.json")), (f"{DP}, field $schema", "rule: contract-drift"))
case(D, "unknown version", descriptor(lambda d: d.__setitem__("version", "9.9.9")), (f"{DP}, field version", "rule: release-version"))
case(D, "version removed", descriptor(lambda d: d.pop("version")), (f"{DP}, field version", "rule: release-version"))
case(D, "truncated JSON", raw(DP, lambda b: b[: len(b) // 2]), (DP, "not valid JSON at line", "rule: json"))
case(D, "descriptor with a BOM", raw(DP, lambda b: b"\xef\xbb\xbf" + b), (DP, "byte offset 0", "rule: utf-8-bom"))
case(D, "descriptor with invalid UTF-8", raw(DP, lambda b: at(b, 50, b"\xfe")), (DP, "byte offset 50", "rule: utf-8"))
case(D, "descriptor not an object", raw(DP, lambda b: b"[]"), (DP, "must be a JSON object", "rule: descriptor"))
case(D, "descriptor nested without end", raw(DP, lambda b: b"[" * 100_000), (DP, "rule: json"))
case(D, "descriptor over its size limit", raw(DP, lambda b: b + b" " * (4 * 1024 * 1024)), (DP, "rule: file-size"))
case(D, "descriptor missing", lambda lay: lay.descriptor.unlink(), ("holds no data package", "no datapackage.json"), usage=True)

# -- schema tampering ------------------------------------------------------------------------
H = "schema tampering"
EJ = "schemas/events.json"
case(H, "enum removed", constraint("events", "factuality", lambda c: c.pop("enum")), (f"{EJ}, field factuality", "constraints.enum removed", "rule: contract-drift"))
case(H, "enum extended", constraint("events", "factuality", lambda c: c["enum"].append("rumoured")), (f"{EJ}, field factuality", "added [\"rumoured\"]", "rule: contract-drift"))
case(H, "foreign keys deleted", schema("event_participants", lambda s: s.pop("foreignKeys")), ("schemas/event_participants.json", "foreignKeys removed", "rule: contract-drift"))
case(H, "all constraints dropped", schema("actors", lambda s: [f.__setitem__("constraints", {}) for f in s["fields"]]), ("schemas/actors.json, field actor_id", "constraints.pattern removed", "rule: contract-drift"))
case(H, "required relaxed", constraint("actors", "name", lambda c: c.__setitem__("required", False)), ("schemas/actors.json, field name", "constraints.required changed", "rule: contract-drift"))
case(H, "pattern weakened", constraint("actors", "iso3", lambda c: c.__setitem__("pattern", ".*")), ("schemas/actors.json, field iso3", "constraints.pattern changed", "rule: contract-drift"))
case(H, "type loosened", schema("evidence", lambda s: field_of(s, "start").__setitem__("type", "string")), ("schemas/evidence.json, field start", "type changed", "rule: contract-drift"))
case(H, "field removed", schema("events", lambda s: s["fields"].pop()), (EJ, "field removed", "rule: contract-drift"))
case(H, "field added", schema("events", lambda s: s["fields"].append({"name": "extra", "type": "string"})), (f"{EJ}, field extra", "field added", "rule: contract-drift"))
case(H, "fields reordered", schema("events", lambda s: s["fields"].insert(0, s["fields"].pop())), (EJ, "fields reordered", "rule: contract-drift"))
case(H, "primary key changed", schema("risks", lambda s: s.__setitem__("primaryKey", ["summary"])), ("schemas/risks.json", "primaryKey changed", "rule: contract-drift"))
case(H, "exclusiveMinimum added", constraint("evidence", "start", lambda c: c.__setitem__("exclusiveMinimum", 0)), ("schemas/evidence.json, field start", "exclusiveMinimum", "rule: unsupported-constraint"))
case(H, "pattern not a regex", constraint("actors", "iso3", lambda c: c.__setitem__("pattern", "([A-Z")), ("schemas/actors.json, field iso3", "not a valid regular expression", "rule: invalid-pattern"))
case(H, "unsupported type", schema("events", lambda s: field_of(s, "place").__setitem__("type", "geopoint")), (f"{EJ}, field place", "rule: unsupported-type"))
case(H, "truncated schema JSON", raw(EJ, lambda b: b[: len(b) // 3]), (EJ, "not valid JSON at line", "rule: json"))
case(H, "schema deleted", lambda lay: lay.schema("events").unlink(), (EJ, "rule: missing"))
case(H, "schema with a BOM", raw(EJ, lambda b: b"\xef\xbb\xbf" + b), (EJ, "byte offset 0", "rule: utf-8-bom"))
case(H, "fields not a list", schema("events", lambda s: s.__setitem__("fields", {})), (EJ, "rule: table-schema"))
case(H, "schemas/ a symlink to a weaker copy inside", both(constraint("events", "factuality", lambda c: c.pop("enum")), schemas_via_symlink), (f"{EJ}, field factuality", "constraints.enum removed", "rule: contract-drift"))
case(H, "schema redirected to a weaker file", both(lambda lay: shutil.copyfile(lay.schema("events"), lay.root / "schemas" / "weak.json"), lambda lay: (lay.root / "schemas" / "weak.json").write_text('{"fields": [{"name": "event_id"}]}'), set_resource("events", "schema", "schemas/weak.json")), (f"{DP}, field resources[events].schema", "rule: contract-drift"), ("schemas/weak.json", "field removed", "rule: contract-drift"))

# -- paths and symlinks ----------------------------------------------------------------------
P = "paths and symlinks"
RE = f"{DP}, field resources[events]"
case(P, "path is a loopback URL", lambda lay: set_resource("events", "path", LOOPBACK["url"] + "/events.csv")(lay), (f"{RE}.path", "is a URL", "rule: path-url"))
case(P, "path is an https URL", set_resource("events", "path", "https://example.org/events.csv"), (f"{RE}.path", "rule: path-url"))
case(P, "path is a file URL", set_resource("events", "path", "file:///etc/passwd"), (f"{RE}.path", "rule: path-url"))
case(P, "path is absolute", set_resource("events", "path", "/etc/passwd"), (f"{RE}.path", "rule: path-absolute"))
case(P, "path climbs with ..", set_resource("events", "path", "../outside/events.csv"), (f"{RE}.path", "rule: path-parent"))
case(P, "path climbs with ..\\", set_resource("events", "path", "data\\..\\..\\events.csv"), (f"{RE}.path", "rule: path-parent"))
case(P, "path with a NUL", set_resource("events", "path", "data/events.csv\x00.txt"), (f"{RE}.path", "rule: path"))
case(P, "path not text", set_resource("events", "path", 42), (f"{RE}.path", "rule: path"))
case(P, "multipart path with a URL", set_resource("events", "path", ["data/events.csv", LOOPBACK["url"] + "/2.csv"]), (f"{RE}.path[1]", "rule: path-url"))
case(P, "schema is a loopback URL", lambda lay: set_resource("events", "schema", LOOPBACK["url"] + "/s.json")(lay), (f"{RE}.schema", "rule: path-url"))
case(P, "dialect is a loopback URL", lambda lay: set_resource("events", "dialect", LOOPBACK["url"] + "/d.json")(lay), (f"{RE}.dialect", "rule: path-url"))
case(P, "CSV a symlink out of the copy", symlink("data/events.csv", outside), ("data/events.csv", "outside the copy", "rule: path-outside"))
case(P, "data/ a symlink out of the copy", symlink("data", lambda lay: outside(lay, "data")), ("data/events.csv", "rule: path-outside"))
case(P, "schemas/ a symlink out of the copy", symlink("schemas", lambda lay: outside(lay, "schemas")), (EJ, "rule: path-outside"))
case(P, "CSV a symlink to a system file", symlink("data/events.csv", lambda lay: Path("/etc/hostname")), ("data/events.csv", "rule: path-outside"))
case(P, "CSV a symlink to another table inside", symlink("data/events.csv", lambda lay: lay.table("actors")), ("data/events.csv", "rule: changed-since-release"), ("events", "rule: missing-column"))
case(P, "descriptor a symlink out of the copy", symlink(DP, lambda lay: outside(lay, DP)), (DP, "rule: path-outside"))

# -- special files ---------------------------------------------------------------------------
F = "special files"
case(F, "FIFO in place of a table", fifo("data/events.csv"), ("data/events.csv", "FIFO", "rule: not-a-regular-file"))
case(F, "FIFO in place of the memo", fifo(MEMO), (MEMO, "FIFO", "rule: not-a-regular-file"))
case(F, "FIFO in place of the descriptor", fifo(DP), (DP, "FIFO", "rule: not-a-regular-file"))
case(F, "FIFO in place of a schema", fifo(EJ), (EJ, "FIFO", "rule: not-a-regular-file"))
case(F, "folder in place of a table", both(lambda lay: lay.table("events").unlink(), lambda lay: lay.table("events").mkdir()), ("data/events.csv", "a folder", "rule: not-a-regular-file"))
case(F, "socket in place of a table", sock("data/events.csv"), ("data/events.csv", "socket", "rule: not-a-regular-file"))
case(F, "table over its size limit", sparse("data/events.csv", 600 * 1024 * 1024), ("data/events.csv", "rule: file-size"))
case(F, "FIFO under verify", fifo("data/events.csv"), ("data/events.csv", "FIFO", "rule: not-a-regular-file"), command="verify")

# -- verify ----------------------------------------------------------------------------------
V = "verify"
case(V, "one byte of a table flipped", raw("data/actors.csv", lambda b: at(b[:-2], len(b) - 2, bytes([b[-2] ^ 1, b[-1]]))), ("data/actors.csv", "changed since the release", "rule: drifted"), command="verify")
case(V, "schema weakened", constraint("events", "factuality", lambda c: c.pop("enum")), (EJ, "rule: drifted"), command="verify")
case(V, "descriptor reformatted", raw(DP, lambda b: b.replace(b"\n", b"\n ", 1)), (DP, "rule: drifted"), command="verify")
case(V, "schema deleted", lambda lay: lay.schema("risks").unlink(), ("schemas/risks.json", "rule: missing"), command="verify")
case(V, "memo deleted", lambda lay: lay.memo.unlink(), (MEMO, "rule: missing"), command="verify")
case(V, "table a symlink out of the copy", symlink("data/events.csv", outside), ("data/events.csv", "rule: path-outside"), command="verify")

# -- curated YAML ----------------------------------------------------------------------------
Y = "YAML"
R = "curation/records/00-hostile.yaml"
BOMB = "".join(
    [f"a: &a [{', '.join(['x'] * 10)}]\n"]
    + [f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10)}]\n" for i in range(1, 10)]
)
EVENT = """events:
  - id: hostile-event
    summary: {summary}
    event_type: takeover
    factuality: occurred
    date: {{edtf: "2021-08"}}
    participants:
      - {{actor_id: taliban, role: agent}}
    evidence:
      - {evidence}
"""
case(Y, "alias bomb", record(BOMB), (f"{R}:6", "rule: yaml-size"), command="build", source=True)
case(Y, "python object tag", record("events:\n  - id: !!python/object/apply:os.system ['true']\n"), (f"{R}:2", "!!python/object/apply:os.system", "rule: yaml-tag"), command="build", source=True)
case(Y, "python name tag", record("x: !!python/name:os.system\n"), (f"{R}:1", "rule: yaml-tag"), command="build", source=True)
case(Y, "unknown local tag", record("events:\n  - id: !secret x\n"), (f"{R}:2", "!secret", "rule: yaml-tag"), command="build", source=True)
case(Y, "binary tag", record("x: !!binary aGk=\n"), (f"{R}:1", "rule: yaml-tag"), command="build", source=True)
case(Y, "context written as a list", record(EVENT.format(summary="A test.", evidence='{quote: "swift Taliban takeover", context: [a, b]}')), (R, "rule: evidence-shape"), command="build", source=True)
case(Y, "quote written as a mapping", record(EVENT.format(summary="A test.", evidence="{quote: {a: b}}")), (R, "rule: evidence-shape"), command="build", source=True)
case(Y, "duplicate key", record("events:\n  - id: a\n    id: b\n"), (f"{R}:3", "rule: yaml-syntax"), command="build", source=True)
case(Y, "invalid UTF-8", record_bytes(b"events:\n  - id: caf\xe9\n"), (R, "byte offset 19", "rule: utf-8"), command="build", source=True)
case(Y, "nested without end", record("x: " + "[" * 20000), (R, "rule: yaml"), command="build", source=True)
case(Y, "file over its size limit", record("# " + "x" * (4 * 1024 * 1024) + "\n"), (R, "rule: file-size"), command="build", source=True)
case(Y, "formula-led curated summary", record(EVENT.format(summary="\"=HYPERLINK('http://evil')\"", evidence='"the swift Taliban takeover"')), ("events", "field summary", "rule: spreadsheet-safe", R), command="build", source=True)
case(Y, "tab-led curated summary", record(EVENT.format(summary='"\\tcmd"', evidence='"the swift Taliban takeover"')), ("events", "field summary", "rule: spreadsheet-safe", R), command="build", source=True)

# -- text rules (HOSTILE.md: one set for every package, named by table, row and field) ---------
TX = "text rules"
ES = "events, row 2, field summary"
TEXTS = [
    ("C1 control (CSI)", "Kabul\u009b31m", "control-character"),
    ("next-line control (NEL)", "Kabul\u0085 and more", "control-character"),
    ("right-to-left override (Trojan Source)", "\u202eKabul", "bidi-control"),
    ("bidirectional isolate", "Kabul \u2066x\u2069", "bidi-control"),
    ("right-to-left mark", "Kabul\u200f", "bidi-control"),
    ("zero-width space", "Ka\u200bbul", "zero-width"),
    ("zero-width joiner", "Ka\u200dbul", "zero-width"),
    ("byte order mark inside a cell", "Ka\ufeffbul", "zero-width"),
    ("line separator U+2028", "Kabul\u2028fell", "line-separator"),
    ("paragraph separator U+2029", "Kabul\u2029fell", "line-separator"),
    ("decomposed (NFD) text", "Cafe\u0301 talks in Kabul", "nfc"),
]
for _name, _value, _rule in TEXTS:
    case(TX, _name, cell("events", "summary", _value), (ES, f"rule: {_rule}"), data=True)
    case(TX, f"{_name}, in a package of its own", cell("events", "summary", _value), (ES, f"rule: {_rule}"), own=True)
case(TX, "bidi override in a quote of the memo", cell("evidence", "exact", lambda v: "\u202e" + v), (f"{EV}, field exact", "rule: exact-at-offsets"), data=True)
case(TX, "blank lines between rows", text("data/risks.csv", lambda t: t.replace("\n", "\n\n", 2)), ("risks, row 2", "line 2 of the file is empty", "rule: blank-line"), ("risks, row 4", "line 4 of the file is empty", "rule: blank-line"), data=True)
case(TX, "blank lines at the end", text("data/risks.csv", lambda t: t + "\n\n"), ("risks, row 26", "line 26 of the file is empty", "rule: blank-line"), data=True)
case(TX, "blank line with CRLF", text("data/risks.csv", lambda t: t.replace("\n", "\n\r\n", 1)), ("risks, row 2", "rule: blank-line"), data=True)
case(TX, "blank line, in a package of its own", text("data/events.csv", lambda t: t.replace("\n", "\n\n", 1)), ("events, row 2", "rule: blank-line"), own=True)
case(TX, "2 KB of blank lines under --frictionless", text("data/risks.csv", lambda t: t + "\n" * 2048), ("risks, row 26", "rule: blank-line"), ("risks, row 2072", "line 2072 of the file is empty", "rule: blank-line"), args=("--frictionless",))
case(TX, "blank lines under --frictionless, in a package of its own", text("data/events.csv", lambda t: t.replace("\n", "\n\n", 1)), ("events, row 2", "rule: blank-line"), own=True, args=("--frictionless",))

# -- limits (HOSTILE.md: bounded work) --------------------------------------------------------
L = "limits"
AJ = "schemas/actors.json"


def _append_key(raw_value: str) -> Callable[[str], str]:
    """A JSON object's text with one more key, "x", written as given (after the last brace)."""
    return lambda t: t.rstrip()[:-1].rstrip() + f', "x": {raw_value}}}\n'


case(L, "schema pattern of 3000 nested parentheses", constraint("actors", "iso3", lambda c: c.__setitem__("pattern", "(" * 3000 + ")" * 3000)), (f"{AJ}, field iso3", "more than the 4096 allowed", "rule: invalid-pattern"))
case(L, "schema pattern nested 500 groups deep", constraint("actors", "iso3", lambda c: c.__setitem__("pattern", "(" * 500 + "A" + ")" * 500)), (f"{AJ}, field iso3", "groups nested 500 deep", "rule: invalid-pattern"))
case(L, "descriptor nested 100 levels deep", descriptor(lambda d: d.__setitem__("extra", nested(100))), (DP, "field extra", "rule: json-depth"))
case(L, "schema nested 5000 levels deep", json_text(EJ, _append_key("[" * 5000 + "]" * 5000)), (EJ, "rule: json-depth"))
case(L, "integer beyond 2**53 in a schema", json_text(EJ, _append_key("1" + "0" * 30)), (f"{EJ}, field x", "beyond 2**53", "rule: json-strict"))
case(L, "integer of 5000 digits in a schema", json_text(EJ, _append_key("9" * 5000)), (f"{EJ}, field x", "rule: json-strict"))
case(L, "number beyond a double (1e400) in a schema", json_text(EJ, _append_key("1e400")), (f"{EJ}, field x", "reads as inf", "rule: json-strict"))
case(L, "NaN in a schema", json_text(EJ, _append_key("NaN")), (f"{EJ}, field x", "NaN is not a JSON number", "rule: json-strict"))
case(L, "Infinity in the descriptor", json_text(DP, _append_key("-Infinity")), (f"{DP}, field x", "rule: json-strict"))
case(L, "duplicate key in the descriptor", json_text(DP, lambda t: t.replace('"name": "ponars-memo-724"', '"name": "ponars-memo-724", "name": "other"', 1)), (f"{DP}, field name", "appears twice", "rule: json-strict"))
case(L, "duplicate key in a schema field", json_text(EJ, lambda t: t.replace('"name": "event_id"', '"name": "event_id", "name": "x"', 1)), (f"{EJ}, field fields[0].name", "appears twice", "rule: json-strict"))
case(L, "lone surrogate in the descriptor", json_text(DP, lambda t: t.replace('"name": "ponars-memo-724"', '"name": "\\ud800"', 1)), (f"{DP}, field name", "lone surrogate", "rule: json-strict"))
case(L, "lone surrogate in the descriptor, under verify", json_text(DP, lambda t: t.replace('"name": "ponars-memo-724"', '"name": "\\ud800"', 1)), (DP, "rule: drifted"), command="verify")
case(L, "tables each under their limit, 6.5 GB together", every_table_sparse(540 * 1024 * 1024), ("the copy", "more than the 1073741824 bytes a copy may hold", "rule: copy-size"))
case(L, "tables each under their limit, 6.5 GB together, under verify", every_table_sparse(540 * 1024 * 1024), ("the copy", "rule: copy-size"), command="verify")

# -- verify, second round: every listed file hashed, what is left out named --------------------
V2 = "verify"
PQ = "parquet/events.parquet"
PQ_BYTES = b"PAR1" + bytes(range(256)) * 4 + b"PAR1"
case(V2, "file added to data/", lambda lay: (lay.data / "extra.csv").write_text("a\n"), ("data/extra.csv", "does not cover this file", "rule: unverified"), command="verify")
case(V2, "listed Parquet truncated", release_file(PQ, PQ_BYTES, PQ_BYTES[:100]), (PQ, "rule: drifted"), command="verify")
case(V2, "listed Parquet replaced", release_file(PQ, PQ_BYTES, PQ_BYTES[::-1]), (PQ, "rule: drifted"), command="verify")
case(V2, "file beside a release folder's listed files", both(release_file(PQ, PQ_BYTES), lambda lay: (lay.root / "run-me.sh").write_text("echo\n")), ("run-me.sh", "rule: unverified"), command="verify")
case(V2, "listed Parquet a FIFO", both(release_file(PQ, PQ_BYTES), fifo(PQ)), (PQ, "FIFO", "rule: not-a-regular-file"), command="verify")
case(V2, "listed Parquet a symlink out of the copy", both(release_file(PQ, PQ_BYTES), symlink(PQ, lambda lay: outside(lay, PQ))), (PQ, "rule: path-outside"), command="verify")
case(V2, "descriptor truncated", raw(DP, lambda b: b[: len(b) // 2]), (DP, "rule: drifted"), command="verify")
case(V2, "descriptor with a duplicate key", json_text(DP, lambda t: t.replace('"name": "ponars-memo-724"', '"name": "ponars-memo-724", "name": "ponars-memo-724"', 1)), (DP, "rule: drifted"), command="verify")
case(V2, "--against a list covering a quarter of the copy", sums_beside(lambda lay: sums_of(lay, 0.25)), ("data/time_links.csv", "rule: unverified"), command="verify", args=("--against", "{parent}/SHA256SUMS"))
case(V2, "--against a truncated descriptor", against_beside(lambda lay: lay.descriptor.read_text(encoding="utf-8")[:500]), ("datapackage.json", "not a release's list of hashes", "rule: against"), command="verify", args=("--against", "{parent}/datapackage.json"))
case(V2, "--against a descriptor with a lone surrogate", against_beside(lambda lay: lay.descriptor.read_text(encoding="utf-8").replace('"name": "ponars-memo-724"', '"name": "\\ud800"', 1)), ("lone surrogate", "at name", "rule: against"), command="verify", args=("--against", "{parent}/datapackage.json"))
case(V2, "--against a descriptor with an entry without a path", against_beside(lambda lay: json.dumps({"resources": [{"hash": "sha256:" + "0" * 64}]})), ("path and hash must be text", "rule: against"), command="verify", args=("--against", "{parent}/datapackage.json"))
case(V2, "--against a descriptor with a hash not in hex", against_beside(lambda lay: json.dumps({"resources": [{"path": "data/events.csv", "hash": "sha256:zz"}]})), ("not a sha256 in hex", "rule: against"), command="verify", args=("--against", "{parent}/datapackage.json"))
case(V2, "--against a list over its size limit", sums_beside(lambda lay: "0" * (4 * 1024 * 1024 + 1)), ("SHA256SUMS", "not read", "rule: against"), command="verify", args=("--against", "{parent}/SHA256SUMS"))

# fmt: on


def summary_markdown(cases: list[Case] = CASES) -> str:
    """Cases and runs per category, by outcome, for HOSTILE.md.

    tests/test_corpus.py asserts every run caught clearly: exit 1 with a line naming the place and
    the rule. A run caught vaguely (exit 1 without that line), missed (exit 0), an internal error
    (exit 3, a traceback), a hang (over the time limit) or an injection (a network connection, a
    changed file, a raw control character printed) fails that test, so while it passes those
    columns are 0.
    """
    per = Counter(c.category for c in cases)
    runs = Counter()
    for c in cases:
        runs[c.category] += c.runs
    lines = [
        f"{len(cases)} hostile cases in {len(per)} categories, {sum(runs.values())} runs "
        "(data corruptions run twice: with the copy's hashes and with its descriptor's hashes "
        "recomputed). Every run is caught clearly: exit 1, one line naming the place and the "
        "rule, no traceback, no changed file, no network, no unescaped control character, within "
        "the time limit. A run caught vaguely, missed, an internal error, a hang or an injection "
        "fails `tests/test_corpus.py`.",
        "",
        "| category | cases | runs | caught clearly | vaguely | missed | internal errors | hangs "
        "| injections |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for category in dict.fromkeys(c.category for c in cases):
        n = runs[category]
        lines.append(f"| {category} | {per[category]} | {n} | {n} | 0 | 0 | 0 | 0 | 0 |")
    total = sum(runs.values())
    lines.append(
        f"| **all** | **{len(cases)}** | **{total}** | **{total}** | **0** | **0** | **0** | "
        "**0** | **0** |"
    )
    return "\n".join(lines)
