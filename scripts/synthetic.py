"""Write a synthetic package in the project's own schemas: every rule satisfied, at any size.

    .venv/bin/python scripts/synthetic.py OUT_DIR --rows 100000 [--seed 1]

The memo is synthetic too (numbered words in passages), so every evidence offset, quote, prefix,
suffix and verbatim field is real. Values come from the contract: enums, patterns, keys, foreign
keys, date groups and verbatim fields are read from schemas/; a pattern or type this script does
not know stops it with a clear error rather than writing a package that breaks a rule.
About half the rows are evidence, as in the real package.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from memo724 import __version__
from memo724.contract import NAME_SEPARATOR, TABLES, Contract, singular
from memo724.contract.edtf import bounds
from memo724.contract.memo import sha256_of
from memo724.contract.paths import MEMO_NAME, REPO, Layout
from memo724.contract.timeline import TimeLink, derive_placed, derive_windows
from memo724.publication.package import descriptor, dump_json

Row = dict[str, str]

# Shares of the non-evidence rows, close to release 0.1.0 (documents always have one row).
SHARES = {
    "passages": 0.06,
    "actors": 0.14,
    "events": 0.10,
    "event_participants": 0.20,
    "positions": 0.07,
    "risks": 0.05,
    "risk_actors": 0.12,
    "sources": 0.04,
    "assessments": 0.11,
    "relations": 0.11,
    "time_links": 0.03,
}
NEW_TABLE_SHARE = 0.03
EDTF_POOL = [
    "",
    "2021",
    "2021-08",
    "2021-08-15",
    "2021-22",
    "2021-24",
    "202X",
    "2019/2021",
    "2021-08/..",
    "../2020-03-01",
    "2001-09-11",
    "1996",
]
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]


def _pattern_value(pattern: str, i: int, rng: random.Random) -> str | None:
    """A value for the patterns the schemas use; None if this script does not know the pattern."""
    known = {
        "[A-Z]{3}": lambda: "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)),
        "[a-z0-9]+(-[a-z0-9]+)*": lambda: f"x-{i}",
        "[0-9a-f]{64}": lambda: "0" * 64,  # documents.sha256: set once the memo is written
        "data/[a-z0-9.-]+\\.txt": lambda: f"data/{MEMO_NAME}",
    }
    make = known.get(pattern)
    return None if make is None else make()


class Generator:
    def __init__(self, contract: Contract, rows: int, seed: int) -> None:
        self.contract = contract
        self.rng = random.Random(seed)
        self.total = max(rows, 40)
        other = self.total // 2
        # A table SHARES does not name (a new schema) gets a small share of its own.
        self.counts = {
            name: max(2, int(other * SHARES.get(name, NEW_TABLE_SHARE)))
            for name in contract.tables
            if name != contract.evidence_table
        }
        self.counts["documents"] = 1
        self.memo_parts: list[str] = []
        self.tables: dict[str, list[Row]] = {}
        self.passage_words: list[list[tuple[int, int]]] = []  # word offsets per passage

    # The memo: numbered words in passages of 30-60 words, blank lines between them.
    def build_memo(self) -> str:
        offset = 0
        for p in range(self.counts["passages"]):
            words, spans = [], []
            for w in range(self.rng.randint(30, 60)):
                word = f"{self.rng.choice(WORDS)}{p}x{w}"
                start = offset + sum(len(x) + 1 for x in words)
                words.append(word)
                spans.append((start, start + len(word)))
            text = " ".join(words)
            self.memo_parts.append(text)
            self.passage_words.append(spans)
            offset += len(text) + 2
        self.memo = "\n\n".join(self.memo_parts)
        return self.memo

    def key_of(self, table: str, row: Row) -> str:
        return row[self.contract[table].primary_key[0]]

    def value(self, table: str, field: dict[str, Any], i: int) -> str:
        name, ftype = field["name"], field.get("type", "string")
        c = field.get("constraints", {})
        schema = self.contract[table]
        fks = {fk.field: fk for fk in schema.foreign_keys}
        parts = ("edtf", "start", "end", "precision")
        if any(name == f"{p}_{x}" for p in schema.date_groups for x in parts):
            return ""  # fill_dates derives the whole group from one EDTF value
        if name in fks:
            fk = fks[name]
            if fk.resource == table:
                return ""  # a self-reference is optional in every table that has one
            parents = self.tables[fk.resource]
            if not c.get("required") and self.rng.random() < 0.5:
                return ""
            return self.key_of(fk.resource, self.rng.choice(parents))
        if name in schema.primary_key and len(schema.primary_key) == 1:
            return f"{singular(table).replace('_', '-')}-{i}"
        if "enum" in c:
            if not c.get("required") and self.rng.random() < 0.2:
                return ""
            return str(self.rng.choice(c["enum"]))
        if ftype == "integer":
            low = int(c.get("minimum", 0))
            return str(low + i if c.get("unique") else low + self.rng.randint(0, 1000))
        if ftype == "number":
            return f"{self.rng.uniform(0, 1):.4f}"
        if ftype == "boolean":
            return self.rng.choice(["true", "false"])
        if ftype == "date":
            return f"2021-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        if "pattern" in c:
            made = _pattern_value(c["pattern"], i, self.rng)
            if made is None:
                raise SystemExit(f"{table}.{name}: no generator for pattern {c['pattern']!r}")
            return made if c.get("required") or self.rng.random() < 0.7 else ""
        if not c.get("required") and self.rng.random() < 0.3:
            return ""
        limit = int(c.get("maxLength", 200))
        return f'Synthetic {name.replace("_", " ")} {i}, with a comma and a "quote"'[:limit]

    def fill_dates(self, table: str, row: Row) -> None:
        for prefix in self.contract[table].date_groups:
            schema = self.contract[table]
            required = {
                part
                for part in ("edtf", "start", "end")
                if schema.field(f"{prefix}_{part}").get("constraints", {}).get("required")
            }
            pool = [
                v
                for v in EDTF_POOL
                if ("edtf" not in required or v)
                and ("start" not in required or bounds(v).start)
                and ("end" not in required or bounds(v).end)
            ]
            edtf = self.rng.choice(pool)
            b = bounds(edtf)
            row[f"{prefix}_edtf"] = edtf
            row[f"{prefix}_start"] = b.start.isoformat() if b.start else ""
            row[f"{prefix}_end"] = b.end.isoformat() if b.end else ""
            row[f"{prefix}_precision"] = b.precision

    def order(self) -> list[str]:
        """Tables in an order where every referenced table comes first (self-references aside)."""
        done: list[str] = []
        pending = [t for t in self.contract.tables if t != self.contract.evidence_table]
        while pending:
            for t in pending:
                needs = {fk.resource for fk in self.contract[t].foreign_keys} - {t}
                if needs <= set(done):
                    done.append(t)
                    pending.remove(t)
                    break
            else:
                raise SystemExit(f"foreign keys form a cycle among {pending}")
        return [*done, "evidence"]

    def generate(self) -> dict[str, list[Row]]:
        self.build_memo()
        for table in self.order():
            if table == "evidence":
                self.tables[table] = self.evidence()
            elif table == "passages":
                self.tables[table] = self.passages()
            else:
                self.tables[table] = self.records(table)
        self.finish_records()
        return self.tables

    def records(self, table: str) -> list[Row]:
        schema = self.contract[table]
        rows, seen = [], set()
        for i in range(self.counts[table]):
            row = {f["name"]: self.value(table, f, i) for f in schema.fields}
            self.fill_dates(table, row)
            if len(schema.primary_key) > 1:
                key = tuple(row[k] for k in schema.primary_key)
                if key in seen:
                    continue
                seen.add(key)
            rows.append(row)
        if table == "documents":
            rows[0].update(
                path=f"data/{MEMO_NAME}",
                sha256="",  # the hash and length are set once the memo is written
                code_points=str(len(self.memo)),
            )
        return rows

    def passages(self) -> list[Row]:
        schema = self.contract["passages"]
        rows, offset = [], 0
        for i, text in enumerate(self.memo_parts):
            row = {f["name"]: self.value("passages", f, i) for f in schema.fields}
            row.update(
                passage_id=f"passage-{i}",
                document_id=self.key_of("documents", self.tables["documents"][0]),
                ordinal=str(i + 1),
                continues_passage_id=f"passage-{i - 1}" if i and i % 7 == 0 else "",
                start=str(offset),
                end=str(offset + len(text)),
                text=text,
            )
            rows.append(row)
            offset += len(text) + 2
        return rows

    def span(self) -> tuple[int, int, int]:
        p = self.rng.randrange(len(self.passage_words))
        words = self.passage_words[p]
        w = self.rng.randrange(len(words) - 2)
        return p, words[w][0], words[w + self.rng.randint(0, 2)][1]

    def evidence(self) -> list[Row]:
        subjects = self.contract.evidence_subjects
        schema = self.contract["evidence"]
        records = [(t, self.key_of(t, r)) for t in subjects for r in self.tables[t]]
        wanted = max(len(records), self.total - sum(len(v) for v in self.tables.values()))
        rows = []
        for i in range(wanted):
            table, key = records[i] if i < len(records) else self.rng.choice(records)
            p, start, end = self.span()
            row = dict.fromkeys(schema.field_names, "")
            cites = self.rng.random() < 0.1 and self.tables["sources"]
            row.update(
                evidence_id=f"{singular(table)}.{key}.{i}",
                document_id=self.key_of("documents", self.tables["documents"][0]),
                passage_id=f"passage-{p}",
                start=str(start),
                end=str(end),
                exact=self.memo[start:end],
                prefix=self.memo[max(0, start - 32) : start],
                suffix=self.memo[end : end + 32],
                cites_source_id=self.key_of("sources", self.rng.choice(self.tables["sources"]))
                if cites
                else "",
            )
            row[subjects[table]] = key
            rows.append(row)
        self.rng.shuffle(rows)
        return rows

    def finish_records(self) -> None:
        """Verbatim fields quote the record's own evidence; names list the actor's quotes."""
        quotes: dict[tuple[str, str], list[str]] = {}
        for row in self.tables["evidence"]:
            for table, column in self.contract.evidence_subjects.items():
                if row[column]:
                    quotes.setdefault((table, row[column]), []).append(row["exact"])
        for table in self.contract.evidence_subjects:
            schema = self.contract[table]
            for row in self.tables[table]:
                said = quotes[(table, self.key_of(table, row))]
                for name in schema.verbatim_fields:
                    required = schema.field(name).get("constraints", {}).get("required")
                    keep = required or row[name] or self.rng.random() < 0.5
                    row[name] = self.rng.choice(said) if keep else ""
                if "names_as_written" in row:  # the record's name forms, in quote order
                    row["names_as_written"] = NAME_SEPARATOR.join(dict.fromkeys(said))
                if "hedge" in row:  # certainty below the top and likelihood bands need a hedge
                    row["hedge"] = self.rng.choice(said)
            self.attribute(table)
        self.place_in_time()

    def place_in_time(self) -> None:
        """Time links anchor events, stances and relations to the memo's date; their windows
        follow the contract's rule (contract.timeline)."""
        if "time_links" not in self.tables:
            return
        document = self.tables["documents"][0]
        memo = (_day(document["date_start"]), _day(document["date_end"]))
        subjects = self.contract.placed_subjects  # what the time-link schema places
        placed = [t for t in subjects if t in self.tables]
        stated = {
            table: {
                self.key_of(table, r): (
                    (_day(r["date_start"]), _day(r["date_end"]))
                    if table == "events"
                    else (_day(r.get("as_of_start", "")), _day(r.get("as_of_end", "")))
                )
                for r in self.tables[table]
            }
            for table in placed
        }
        expressed_by = {
            table: {
                self.key_of(table, r) for r in self.tables[table] if r.get("expressed_by_event_id")
            }
            for table in placed
        }
        for row in self.tables["time_links"]:
            # Each link places one record: mostly an event, else a stance or a relation.
            table = self.rng.choice(["events", "events", *placed[1:]])
            for other in placed:
                row[subjects[other]] = ""
            row[subjects[table]] = self.rng.choice(list(stated[table]))
            # 'before' the memo bounds an undated record; a dated one gets 'includes', which adds
            # no constraint and so can never contradict its stated date. A stance or relation
            # expressed by an event takes that event's time, so it counts as dated.
            key = row[subjects[table]]
            undated = stated[table][key] == (None, None) and key not in expressed_by[table]
            row["relation"] = "before" if undated else "includes"
            row["anchor_event_id"] = ""
            row["anchor_document_id"] = self.key_of("documents", document)

        def links(key: str) -> list[TimeLink]:
            return [
                TimeLink(r["time_link_id"], r[key], r["relation"], None)
                for r in self.tables["time_links"]
                if r[key]
            ]

        windows, _ = derive_windows(stated["events"], links("event_id"), memo)
        found = {"events": windows}
        for table in placed[1:]:
            expressed = {
                self.key_of(table, r): r["expressed_by_event_id"]
                for r in self.tables[table]
                if r.get("expressed_by_event_id")
            }
            found[table], _ = derive_placed(
                stated[table], links(subjects[table]), windows, memo, expressed
            )
        for table in placed:
            for r in self.tables[table]:
                w = found[table][self.key_of(table, r)]
                r["time_start"] = w.start.isoformat() if w.start else ""
                r["time_end"] = w.end.isoformat() if w.end else ""
                r["time_basis"] = w.basis

    def attribute(self, table: str) -> None:
        """The view holder is named exactly when the view is an actor's; a risk's is a perceiver."""
        if not {"attribution", "attributed_to_actor_id"} <= set(self.contract[table].field_names):
            return
        perceivers: dict[str, list[str]] = {}
        for link in self.tables.get("risk_actors", []):
            if link["role"] == "perceiver":
                perceivers.setdefault(link["risk_id"], []).append(link["actor_id"])
        actors = [self.key_of("actors", r) for r in self.tables["actors"]]
        for row in self.tables[table]:
            options = perceivers.get(row["risk_id"], []) if table == "risks" else actors
            if row["attribution"] == "author" or not options:
                row["attribution"], row["attributed_to_actor_id"] = "author", ""
            else:
                row["attributed_to_actor_id"] = self.rng.choice(options)


SYNTHETIC_NAME = "memo724-synthetic"


def write_own_descriptor(layout: Layout, contract: Contract, what: str) -> None:
    """The descriptor of a package that conforms to this memo724's contract but is not its
    release: its own name, version and title (validate it with `--contract <version>`)."""
    desc = descriptor(layout, contract)
    for key in ("sources", "keywords"):
        desc.pop(key, None)
    desc.update(
        name=SYNTHETIC_NAME,
        version="1.0.0",
        title=f"Synthetic package in the schemas of memo724 {__version__}: {what}",
        description=(
            "Generated by scripts/synthetic.py: every rule of the contract satisfied, a "
            "synthetic memo of numbered words. Validate with "
            f"`memo724 validate PATH --contract {__version__}`."
        ),
    )
    for resource in desc["resources"]:
        if resource["name"] == "memo":
            resource["title"] = "The synthetic memo"
            resource["description"] = "Numbered words in passages; offsets count its code points."
    layout.descriptor.write_text(dump_json(desc), encoding="utf-8")


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def write_package(root: Path, rows: int, seed: int = 1, schemas: Path = REPO.schemas) -> Layout:
    """A valid synthetic package of about `rows` rows at root (replaced if it exists)."""
    layout = Layout(root)
    if root.exists():
        shutil.rmtree(root)
    layout.data.mkdir(parents=True)
    shutil.copytree(schemas, layout.schemas)
    contract = Contract(layout.schemas)
    gen = Generator(contract, rows, seed)
    tables = gen.generate()
    with layout.memo.open("w", encoding="utf-8", newline="") as handle:
        handle.write(gen.memo)
    tables["documents"][0]["sha256"] = sha256_of(layout.memo)
    for name in contract.tables:
        fields = contract[name].field_names
        with layout.table(name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(fields)
            writer.writerows([row[f] for f in fields] for row in tables[name])
    write_own_descriptor(layout, contract, f"about {rows} rows, seed {seed}")
    return layout


def multiply(source: Path, root: Path, copies: int) -> Layout:
    """A package `copies` times the size of `source`: its records repeated with renamed keys.

    The memo, the document and its passages stay as they are (evidence keeps pointing into
    them); every other table is written `copies` times, each key of a record table and every
    reference to it suffixed `-c<k>` (none for the first copy), so every rule still holds.
    Arrow reads and writes the text, so a 10M-row package takes minutes, not hours.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from memo724.contract.typed import read_csv_text

    src, layout = Layout(source), Layout(root)
    if root.exists():
        shutil.rmtree(root)
    layout.data.mkdir(parents=True)
    shutil.copytree(src.schemas, layout.schemas)
    contract = Contract(layout.schemas)
    fixed = (*contract.with_role("document"), *contract.with_role("structure"))
    keyed = {
        t
        for t in contract.tables
        if t not in (*fixed, contract.evidence_table) and len(contract[t].primary_key) == 1
    }
    shutil.copyfile(src.memo, layout.memo)
    for name in fixed:
        shutil.copyfile(src.table(name), layout.table(name))
    for name in (t for t in contract.tables if t not in fixed):
        schema = contract[name]
        renamed = {fk.field for fk in schema.foreign_keys if fk.resource in keyed}
        if name in keyed:
            renamed.add(schema.primary_key[0])
        text = read_csv_text(src.table(name))
        options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
        with layout.table(name).open("wb") as handle:
            handle.write((",".join(text.column_names) + "\n").encode("utf-8"))
            for k in range(copies):
                suffix = f"-c{k}" if k else ""
                columns = []
                for field in text.column_names:
                    column = text.column(field)
                    if suffix and field in renamed:
                        column = pc.binary_join_element_wise(column, pa.scalar(suffix), "")
                    elif suffix and name == "evidence" and field == "evidence_id":
                        column = pc.replace_substring_regex(column, r"\.([0-9]+)$", f"{suffix}.\\1")
                    columns.append(column)
                pacsv.write_csv(pa.table(columns, names=text.column_names), handle, options)
    write_own_descriptor(layout, contract, f"{copies} copies of the records of {source.name}")
    return layout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--copies-of", type=Path, default=None, help="multiply this package instead (see --copies)"
    )
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    if args.copies_of is not None:
        multiply(args.copies_of, args.out, args.copies)
        print(f"wrote {args.out}: {args.copies} copies of {args.copies_of}'s records")
        return
    layout = write_package(args.out, args.rows, args.seed)
    print(f"wrote {layout.root}: a memo and {len(TABLES)} tables, of about {args.rows} rows")


if __name__ == "__main__":
    main()
