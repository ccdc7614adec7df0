"""Pandera's pandas backend (the project's path) against its polars backend, table by table.

    .venv/bin/python scripts/backend_compare.py PACKAGE [PACKAGE ...]
        [--tables [TABLE ...]] [--variants VARIANT ...] [--repeat 2] [--no-cross] [--no-package]
        [--json FILE]

(--tables with no name: only the whole-package rows.) A maintainer's measurement (SCALING.md,
"Pandera's polars backend, measured"), never run by `make test` (its test is
tests/test_backend_compare.py); it needs the `polars` extra (in the dev tools). For each package
(a synthetic one from scripts/synthetic.py, e.g. /tmp/memo724-bench/rows-1000000) and each table
it runs, each in a process of its own so that the peak resident memory is that process's alone:

- `pyarrow read`, `polars read`: a bare read of the CSV as text, nothing checked;
- `memo724 (pandas)`: the project's own path for one table: its typed read (contract/typed.py)
  and its derived Pandera schema (`validation.schemas.derive`) with no context, so every column
  check and the table's own row rules, but no foreign key into another table;
- `pandera.polars (polars CSV)` and `pandera.polars (pyarrow)`: a Pandera polars schema derived
  here from the Table Schema (types, required, unique, enum, pattern, lengths, bounds, primary
  key), on a frame read by polars' CSV reader or by pyarrow's then `pl.from_arrow`; then the
  table's foreign keys as a second schema of anti-join checks (parents' key columns read too);
- `polars lazy`: the same predicates as plain polars expressions on `scan_csv`, counted by one
  query on the streaming engine (no Pandera), then the foreign keys as anti-joins.

Each child reports its own phases (import, read, type, checks, foreign keys) and how many cells
or rows failed; the parent adds wall time, CPU time (user + system) and peak RSS (os.wait4).
Then, per package (skip with --no-cross, --no-package):

- `cross-table rules (polars)`: the project's record rules as polars joins: has-evidence,
  verbatim (a record's field must be a substring of a passage its evidence quotes) and
  names_as_written; `cross-table rules (memo724, pandas)`: the project's own checks of those
  three rules, cut from its derived schemas (evidence and passages as context);
- `package: memo724 validate`: the project's command line on the whole package (`--contract`);
- `package: pandera.polars + joins`, `package: polars lazy + joins`: every table as that variant,
  one after the other in one process (nothing kept between tables), then the cross-table rules:
  what a polars validator of this rule subset would cost end to end.

The machine may be shared: compare figures of one run, and CPU time rather than wall time when
it is loaded.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from memo724 import __version__
from memo724.contract import NAME_SEPARATOR, Contract, TableSchema

VARIANTS = (
    "pyarrow read",
    "polars read",
    "memo724 (pandas)",
    "pandera.polars (polars CSV)",
    "pandera.polars (pyarrow)",
    "polars lazy",
)
CROSS = "cross-table rules (polars)"
CROSS_PANDAS = "cross-table rules (memo724, pandas)"
RECORD_RULES = ("has-evidence", "verbatim", "names-from-evidence")
VALIDATE = "package: memo724 validate"
# Whole-package variants: each table as the named variant, in one process, then (polars only)
# the cross-table rules.
PACKAGE = {
    "package: memo724 (pandas), no context": "memo724 (pandas)",
    "package: pandera.polars + joins": "pandera.polars (polars CSV)",
    "package: polars lazy + joins": "polars lazy",
}
IMPORTS_PANDAS = ["memo724.contract.typed", "memo724.validation.schemas"]
# What each variant imports, timed as its own phase before the work.
IMPORTS = {
    "pyarrow read": ["pyarrow.csv"],
    "polars read": ["polars"],
    "memo724 (pandas)": IMPORTS_PANDAS,
    "pandera.polars (polars CSV)": ["polars", "pandera.polars"],
    "pandera.polars (pyarrow)": ["pyarrow.csv", "polars", "pandera.polars"],
    "polars lazy": ["polars"],
    CROSS: ["polars"],
    CROSS_PANDAS: IMPORTS_PANDAS,
    "package: memo724 (pandas), no context": IMPORTS_PANDAS,
    "package: pandera.polars + joins": ["polars", "pandera.polars"],
    "package: polars lazy + joins": ["polars"],
}
DEFAULT_TABLES = ("evidence", "events", "event_participants", "risk_actors")


# --- what the Table Schemas state, as polars expressions -------------------------------------


def polars_dtype(field: dict[str, Any]) -> Any:
    """The polars dtype of a field, as `memo724.load(engine="polars")` types it."""
    import polars as pl

    ftype = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    if ftype == "integer":
        return pl.Int64
    if ftype == "number":
        return pl.Float64
    if ftype == "boolean":
        return pl.Boolean
    if ftype == "date":
        return pl.Date
    if enum is not None:
        return pl.Enum([str(v) for v in enum])
    return pl.String


def typed_columns(schema: TableSchema) -> list[Any]:
    """Each text column parsed to its type; a cell that does not parse becomes null."""
    import polars as pl

    out = []
    for field in schema.fields:
        name, dtype = field["name"], polars_dtype(field)
        col = pl.col(name)
        if dtype == pl.Date:
            out.append(col.str.to_date("%Y-%m-%d", strict=False))
        elif dtype == pl.Boolean:
            out.append(col.is_in(["true", "True", "TRUE", "1"]).and_(col.is_not_null()))
        elif dtype != pl.String:
            out.append(col.cast(dtype, strict=False))
        else:
            out.append(col)
    return out


def predicates(schema: TableSchema) -> list[tuple[str, str, Any]]:
    """(field, rule, expression true where a row breaks it) for every stated constraint."""
    import polars as pl

    found: list[tuple[str, str, Any]] = []
    for field in schema.fields:
        name, cons = field["name"], field.get("constraints", {})
        col = pl.col(name)
        if cons.get("required"):
            found.append((name, "required", col.is_null()))
        if cons.get("unique"):
            found.append((name, "unique", col.is_duplicated() & col.is_not_null()))
        if "pattern" in cons:  # Table Schema patterns match the whole value
            found.append((name, "pattern", ~col.str.contains(f"^(?:{cons['pattern']})$")))
        if "maxLength" in cons:
            found.append((name, "maxLength", col.str.len_chars() > cons["maxLength"]))
        if "minLength" in cons:
            found.append((name, "minLength", col.str.len_chars() < cons["minLength"]))
        if "minimum" in cons:
            found.append((name, "minimum", col < cons["minimum"]))
        if "maximum" in cons:
            found.append((name, "maximum", col > cons["maximum"]))
    pk = schema.primary_key
    if len(pk) > 1:
        found.append((",".join(pk), "primaryKey", pl.struct(pk).is_duplicated()))
    return found


def pandera_schemas(schema: TableSchema, parents: dict[tuple[str, str], Any]) -> tuple[Any, Any]:
    """A Pandera polars schema of the table's own constraints, and one of its foreign keys."""
    import pandera.polars as pa
    import polars as pl

    def fullmatch(pattern: str) -> Callable[[Any], Any]:
        return lambda data: data.lazyframe.select(pl.col(data.key).str.contains(f"^(?:{pattern})$"))

    columns = {}
    for field in schema.fields:
        cons = field.get("constraints", {})
        checks = []
        if "pattern" in cons:
            checks.append(pa.Check(fullmatch(cons["pattern"]), name="pattern"))
        if "maxLength" in cons:
            checks.append(pa.Check.str_length(max_value=cons["maxLength"]))
        if "minLength" in cons:
            checks.append(pa.Check.str_length(min_value=cons["minLength"]))
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"]))
        if "maximum" in cons:
            checks.append(pa.Check.le(cons["maximum"]))
        columns[field["name"]] = pa.Column(
            polars_dtype(field),
            checks=checks,
            nullable=not cons.get("required", False),
            unique=bool(cons.get("unique", False)),
            coerce=False,
        )
    pk = schema.primary_key
    own = pa.DataFrameSchema(
        columns, strict=True, ordered=True, unique=pk if len(pk) > 1 else None, name=schema.name
    )

    def inside(field: str, keys: Any) -> Callable[[Any], Any]:
        return lambda data: data.lazyframe.select(
            pl.col(field).is_in(keys.implode()) | pl.col(field).is_null()
        )

    fks = [
        pa.Check(inside(fk.field, parents[fk.resource, fk.ref_field]), name=f"fk:{fk.field}")
        for fk in schema.foreign_keys
    ]
    return own, pa.DataFrameSchema(checks=fks, name=f"{schema.name} foreign keys")


# --- one measured process ---------------------------------------------------------------------


def _csv(root: Path, table: str) -> Path:
    return root / "data" / f"{table}.csv"


def _read_polars_text(path: Path, columns: list[str] | None = None) -> Any:
    import polars as pl

    return pl.read_csv(path, infer_schema=False, columns=columns, empty_string_is_null=True)


def _read_arrow_text(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header}, strings_can_be_null=True
        ),
    )


def _unparsed(raw: Any, typed: Any) -> int:
    """Cells that held text and did not parse to their column's type."""
    return int(
        sum(
            int((raw[c].is_not_null() & typed[c].is_null()).sum())
            for c in typed.columns
            if typed[c].dtype != raw[c].dtype
        )
    )


def _parents(root: Path, schema: TableSchema) -> dict[tuple[str, str], Any]:
    keys = {}
    for fk in schema.foreign_keys:
        if (fk.resource, fk.ref_field) not in keys:
            frame = _read_polars_text(_csv(root, fk.resource), [fk.ref_field])
            keys[fk.resource, fk.ref_field] = frame[fk.ref_field].drop_nulls().unique()
    return keys


def _pandera_failures(schema: Any, frame: Any) -> int:
    import pandera.errors

    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        return len(exc.failure_cases)
    return 0


def child(variant: str, root: Path, table: str) -> dict[str, Any]:
    """Run one variant on one table (or on the package); return its phases (s) and counts."""
    contract = Contract(root / "schemas")
    phases: dict[str, float] = {}
    counts: dict[str, int] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        """Add the time since the last lap to phase `name` (summed over a package's tables)."""
        nonlocal clock
        now = time.perf_counter()
        phases[name] = round(phases.get(name, 0.0) + now - clock, 3)
        clock = now

    for module in IMPORTS[variant]:
        importlib.import_module(module)
    lap("import")
    if variant in PACKAGE:
        # Table by table, nothing kept between tables; then the record rules, reading again
        # the columns they join.
        for name in contract.tables:
            found = table_body(PACKAGE[variant], root, contract, name, lap)
            for key, value in found.items():
                counts[key] = counts.get(key, 0) + value
        if PACKAGE[variant] != "memo724 (pandas)":
            for key, value in cross_table(root, contract, lap).items():
                counts[key] = counts.get(key, 0) + value
    elif variant == CROSS:
        counts.update(cross_table(root, contract, lap))
    elif variant == CROSS_PANDAS:
        counts.update(cross_table_pandas(root, contract, lap))
    else:
        counts.update(table_body(variant, root, contract, table, lap))
    return {"phases": phases, "counts": counts}


def table_body(
    variant: str, root: Path, contract: Contract, table: str, lap: Callable[[str], None]
) -> dict[str, int]:
    """One table checked (or only read) the way `variant` does it; the counts it found."""
    schema = contract[table]
    path = _csv(root, table)
    counts: dict[str, int] = {}
    if variant == "pyarrow read":
        counts["rows"] = _read_arrow_text(path).num_rows
        lap("read")
    elif variant == "polars read":
        counts["rows"] = _read_polars_text(path).height
        lap("read")
    elif variant == "memo724 (pandas)":
        import pandera.errors

        from memo724.contract.typed import parse_table, read_csv_text, to_pandas
        from memo724.validation.schemas import derive

        text = read_csv_text(path)
        lap("read")
        typed, unparsed = parse_table(schema, text)
        frame = to_pandas(typed)
        del text, typed
        counts["rows"], counts["unparsed"] = len(frame), sum(len(u.rows) for u in unparsed)
        lap("type")
        derived = derive(contract, table)
        try:
            derived.validate(frame, lazy=True, inplace=True)
            counts["failures"] = 0
        except pandera.errors.SchemaErrors as exc:
            counts["failures"] = len(exc.failure_cases)
        lap("checks")
    elif variant.startswith("pandera.polars"):
        import polars as pl

        if variant.endswith("(pyarrow)"):
            raw: Any = pl.from_arrow(_read_arrow_text(path))
        else:
            raw = _read_polars_text(path)
        lap("read")
        frame = raw.select(typed_columns(schema))
        counts["rows"], counts["unparsed"] = frame.height, _unparsed(raw, frame)
        del raw
        lap("type")
        parents = _parents(root, schema)
        own, fks = pandera_schemas(schema, parents)
        lap("read parents' keys")
        counts["failures"] = _pandera_failures(own, frame)
        lap("checks")
        counts["fk failures"] = _pandera_failures(fks, frame)
        lap("foreign keys")
    elif variant == "polars lazy":
        import polars as pl

        parents = _parents(root, schema)
        lap("read parents' keys")
        text = pl.scan_csv(path, infer_schema=False, empty_string_is_null=True)
        parsed = [f["name"] for f in schema.fields if polars_dtype(f) != pl.String]
        typed = text.select(
            *[pl.col(n).is_not_null().alias(f"text {n}") for n in parsed], *typed_columns(schema)
        )
        orphans = [
            (
                pl.col(fk.field).is_not_null()
                & ~pl.col(fk.field).is_in(parents[fk.resource, fk.ref_field].implode())
            )
            .sum()
            .alias(f"fk {fk.field}")
            for fk in schema.foreign_keys
        ]
        # One streaming scan: every column check and every foreign key, counted.
        query = typed.select(
            pl.len().alias("rows"),
            pl.sum_horizontal(
                *[(pl.col(f"text {n}") & pl.col(n).is_null()).sum() for n in parsed], pl.lit(0)
            ).alias("unparsed"),
            *[expr.sum().alias(f"{rule} {name}") for name, rule, expr in predicates(schema)],
            *orphans,
        )
        result = query.collect(engine="streaming").row(0, named=True)
        counts["rows"] = int(result.pop("rows"))
        counts["unparsed"] = int(result.pop("unparsed"))
        counts["fk failures"] = int(sum(v for k, v in result.items() if k.startswith("fk ")))
        counts["failures"] = int(sum(v for k, v in result.items() if not k.startswith("fk ")))
        lap("checks and foreign keys")
    else:
        raise ValueError(f"unknown variant {variant!r}")
    return counts


def cross_table_pandas(
    root: Path, contract: Contract, lap: Callable[[str], None]
) -> dict[str, int]:
    """The project's own has-evidence, verbatim and names_as_written checks, alone: each record
    table's derived schema (evidence and passages as context) cut down to those checks."""
    import pandas as pd
    import pandera.errors
    import pandera.pandas as pa

    from memo724.contract.typed import parse_table, read_csv_text, to_pandas
    from memo724.validation.schemas import Context, derive

    subjects = contract.evidence_subjects
    needed = [contract.evidence_table or "", *contract.with_role("structure"), *subjects]
    frames = {}
    for name in needed:
        typed, _ = parse_table(contract[name], read_csv_text(_csv(root, name)))
        frames[name] = to_pandas(typed)
    lap("read and type")
    # Pandera's first validation in a process costs 0.4-0.5 s whatever the frame: paid apart.
    tiny = pa.DataFrameSchema({"n": pa.Column(int, pa.Check.ge(0))})
    tiny.validate(pd.DataFrame({"n": [1]}), lazy=True)
    lap("first validation")
    ctx = Context(frames)
    schemas = {name: derive(contract, name, ctx) for name in subjects}
    lap("derive")
    counts = dict.fromkeys(RECORD_RULES, 0)
    for rule in RECORD_RULES:
        for name, full in schemas.items():
            columns = {
                col: pa.Column(checks=kept, nullable=True)
                for col, column in full.columns.items()
                if (kept := [c for c in column.checks if c.name == rule])
            }
            rows = [c for c in full.checks if c.name == rule]
            if not columns and not rows:
                continue
            try:
                pa.DataFrameSchema(columns, checks=rows).validate(frames[name], lazy=True)
            except pandera.errors.SchemaErrors as exc:
                counts[rule] += len(exc.failure_cases)
        lap(rule)
    return counts


def cross_table(root: Path, contract: Contract, lap: Callable[[str], None]) -> dict[str, int]:
    """The record rules as polars joins: has-evidence, verbatim, names_as_written (failures)."""
    import polars as pl

    evidence_name = contract.evidence_table
    if evidence_name is None:
        return {}
    subjects = contract.evidence_subjects
    quote = contract[evidence_name].memo_text("span")[0]
    passage_fk = next(
        fk
        for fk in contract[evidence_name].foreign_keys
        if contract[fk.resource].role == "structure"
    )
    passage_text = contract[passage_fk.resource].memo_text("span")[0]
    wanted = [passage_fk.field, quote, *subjects.values()]
    evidence = _read_polars_text(_csv(root, evidence_name), wanted)
    passages = _read_polars_text(
        _csv(root, passage_fk.resource), [passage_fk.ref_field, passage_text]
    ).rename({passage_fk.ref_field: passage_fk.field, passage_text: "passage text"})
    records = {}
    for table in subjects:
        schema = contract[table]
        keep = [schema.primary_key[0], *schema.verbatim_fields]
        if "names_as_written" in schema.field_names:
            keep.append("names_as_written")
        records[table] = _read_polars_text(_csv(root, table), keep)
    lap("read for the joins")
    counts = {"has-evidence": 0, "verbatim": 0, "names-from-evidence": 0}
    for table, subject in subjects.items():
        pk = contract[table].primary_key[0]
        quoted = evidence.select(pl.col(subject).alias(pk)).drop_nulls().unique()
        counts["has-evidence"] += records[table].join(quoted, on=pk, how="anti").height
    lap("has-evidence")
    for table, subject in subjects.items():
        schema = contract[table]
        pk = schema.primary_key[0]
        if not schema.verbatim_fields:
            continue
        spans = (
            evidence.select(pl.col(subject).alias(pk), passage_fk.field)
            .drop_nulls(pk)
            .join(passages, on=passage_fk.field, how="left")
        )
        pairs = spans.join(records[table], on=pk, how="inner")
        for field in schema.verbatim_fields:
            hit = pairs.group_by(pk).agg(
                pl.col("passage text")
                .str.contains(pl.col(field), literal=True)
                .fill_null(False)
                .any()
                .alias("hit")
            )
            bad = (
                records[table]
                .filter(pl.col(field).is_not_null())
                .join(hit.filter("hit"), on=pk, how="anti")
            )
            counts["verbatim"] += bad.height
    lap("verbatim")
    for table, subject in subjects.items():
        schema = contract[table]
        if "names_as_written" not in schema.field_names:
            continue
        pk = schema.primary_key[0]
        forms = (
            evidence.select(pl.col(subject).alias(pk), quote)
            .drop_nulls()
            .unique(maintain_order=True)
            .group_by(pk, maintain_order=True)
            .agg(pl.col(quote).str.join(NAME_SEPARATOR).alias("expected"))
        )
        joined = records[table].join(forms, on=pk, how="left")
        wrong = joined.filter(pl.col("expected").fill_null("") != pl.col("names_as_written"))
        counts["names-from-evidence"] += wrong.height
    lap("names_as_written")
    return counts


# --- the parent: processes, figures, the table -----------------------------------------------


def _src() -> Path:
    return Path(__file__).resolve().parents[1] / "src"


def measure(variant: str, root: Path, table: str, repeat: int) -> dict[str, Any]:
    """The median wall and CPU time and the highest peak RSS of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        runs.append(run(variant, root, table))
    if any("error" in r for r in runs):
        return next(r for r in runs if "error" in r)
    best = dict(runs[0])
    best["wall"] = statistics.median(r["wall"] for r in runs)
    best["cpu"] = statistics.median(r["cpu"] for r in runs)
    best["rss"] = max(r["rss"] for r in runs)
    best["phases"] = {
        k: round(statistics.median(r["phases"][k] for r in runs), 3) for k in runs[0]["phases"]
    }
    return best


def run(variant: str, root: Path, table: str) -> dict[str, Any]:
    """One child process: its report, wall time, CPU time (user + system) and peak RSS (wait4)."""
    argv = [sys.executable, __file__, "--child", variant, str(root), table]
    if variant == VALIDATE:  # the project's command line, on the whole package
        argv = [sys.executable, "-m", "memo724", "validate", str(root), "--contract", __version__]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_src()), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["(no message)"]
        return {"error": f"exited {proc.returncode}: {last[0]}", "wall": wall}
    report = json.loads(out) if variant != VALIDATE else {"phases": {}, "counts": {}}
    report.update(wall=wall, rss=usage.ru_maxrss / 1024, cpu=usage.ru_utime + usage.ru_stime)
    return report


def describe(report: dict[str, Any]) -> str:
    phases = ", ".join(f"{k} {v:.2f}" for k, v in report.get("phases", {}).items())
    counts = ", ".join(f"{k} {v:,}" for k, v in report.get("counts", {}).items())
    return f"{phases}; {counts}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", type=Path, nargs="*")
    parser.add_argument("--tables", nargs="*", default=list(DEFAULT_TABLES))
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-cross", action="store_true", help="skip the cross-table estimate")
    parser.add_argument(
        "--no-package", action="store_true", help="skip the whole-package runs (slow at 1M)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--child", nargs=3, metavar=("VARIANT", "PACKAGE", "TABLE"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.child:
        variant, root, table = args.child
        print(json.dumps(child(variant, Path(root), table)))
        return 0
    # Found, not imported: a child's peak RSS counts its parent's at fork time, so the parent
    # stays small (memo724.contract only).
    missing = [m for m in ("polars", "pandera") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"backend_compare.py needs {' and '.join(missing)}: the dev tools", file=sys.stderr)
        return 2
    if not args.packages:
        parser.error("name at least one package (a folder with datapackage.json)")
    figures: list[dict[str, Any]] = []
    print("| package | table | rows | CSV MiB | variant | wall s | CPU s | peak MiB "
          "| / pyarrow read (wall) | / memo724 (wall) | phases (s); counts |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for root in args.packages:
        contract = Contract(root / "schemas")
        for table in args.tables:
            if table not in contract.tables:
                print(f"{root}: no table {table}", file=sys.stderr)
                return 2
            size = _csv(root, table).stat().st_size / 2**20
            results = {v: measure(v, root, table, args.repeat) for v in args.variants}
            base = results.get("pyarrow read", {}).get("wall")
            ours = results.get("memo724 (pandas)", {}).get("wall")
            for variant, r in results.items():
                figures.append({"package": str(root), "table": table, "variant": variant, **r})
                if "error" in r:
                    print(f"| {root.name} | {table} | | {size:.1f} | {variant} | {r['error']} |")
                    continue
                ratio = f"{r['wall'] / base:.1f}x" if base else ""
                vs = f"{r['wall'] / ours:.2f}x" if ours else ""
                rows = r["counts"].get("rows", 0)
                print(f"| {root.name} | {table} | {rows:,} | {size:.1f} | {variant} "
                      f"| {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | {ratio} | {vs} "
                      f"| {describe(r)} |", flush=True)  # fmt: skip
        whole = [] if args.no_cross else [CROSS, CROSS_PANDAS]
        whole += [] if args.no_package else [VALIDATE, *PACKAGE]
        total = sum(_csv(root, t).stat().st_size for t in contract.tables) / 2**20
        for variant in whole:
            r = measure(variant, root, contract.evidence_table or "", args.repeat)
            figures.append({"package": str(root), "table": "(package)", "variant": variant, **r})
            if "error" in r:
                print(f"| {root.name} | (package) | | {total:.1f} | {variant} | {r['error']} |")
                continue
            cells = f"{r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | | | {describe(r)}"
            print(f"| {root.name} | (package) | | {total:.1f} | {variant} | {cells} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
