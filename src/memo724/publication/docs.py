"""Documentation derived from the contract and the data: the codebook and the README's figures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..contract import Contract
from ..curation.codebook import resolve_definitions
from ..curation.coverage import Coverage
from .python_dist import wheel_name
from .reliability import reliability_tables

BEGIN = "<!-- BEGIN GENERATED: {name} (written by `make build`; do not edit) -->"
END = "<!-- END GENERATED: {name} -->"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """A table cell shown as code; text holding a backtick is fenced with two."""
    return f"`` {_cell(text)} ``" if "`" in text else f"`{_cell(text)}`"


SEE_CODEBOOK = re.compile(r"[;,.]?\s*see the codebook\.?$", re.IGNORECASE)
EXAMPLE_CHARS = 80


def _anchor(*parts: str) -> str:
    return "-".join(parts).replace("_", "-")


def _example_row(frame: pd.DataFrame, pk: list[str]) -> pd.Series | None:
    """The row with the most filled cells (first by key on ties): a real row that shows most."""
    if not len(frame):
        return None
    ordered = frame.sort_values(pk, kind="stable")
    filled = ordered.notna().sum(axis=1)
    return ordered.iloc[int(filled.to_numpy().argmax())]


def _example_cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    text = str(value)
    if len(text) > EXAMPLE_CHARS:
        text = text[: EXAMPLE_CHARS - 1] + "…"
    return f"`{_cell(text)}`" if "`" not in text else _cell(text)


def _field_description(name: str, field: dict[str, Any]) -> str:
    """The field's description, pointing at its value list here instead of at 'the codebook'."""
    text = field.get("description", "")
    if field.get("constraints", {}).get("enum"):
        text = SEE_CODEBOOK.sub("", text).rstrip(".")
        order = " (an ordered scale)" if field.get("categoriesOrdered") is True else ""
        text += f". Values{order}: [below](#{_anchor(name, field['name'])})."
    return _cell(text)


def codebook_markdown(contract: Contract, codebook: Any, frames: dict[str, pd.DataFrame]) -> str:
    definitions = resolve_definitions(codebook)
    lines = [
        "# Codebook",
        "",
        "Generated from `schemas/*.json` (fields) and `curation/codebook.yaml` (coded values) by",
        "`make build`; do not edit. Each table lists its fields with one real row as example",
        "(the row with the most filled fields); each coded value has its definition and, as",
        "example, the first row by key that has it.",
        "",
        "PLOVER: event types follow the README of openeventdata/PLOVER (19 types, commit",
        "0f1c8b6b402c664cbf0093c49233edcd15c840ce); `plover_event_type` is derived from",
        "`event_type` through the crosswalk in `curation/codebook.yaml`, and is empty where PLOVER",
        "drops a type (plain statements and appeals, CAMEO 01 and 02) or has none (happenings",
        "that are not interactions). Factuality maps to PLOVER's context values as defined below.",
        "",
        "## Contents",
        "",
    ]
    for name in contract.tables:
        coded = [f["name"] for f in contract[name].fields if f.get("constraints", {}).get("enum")]
        links = ", ".join(f"[`{c}`](#{_anchor(name, c)})" for c in coded)
        lines.append(f"- [`{name}`](#{_anchor(name)})" + (f": {links}" if links else ""))
    if codebook.get("judgment_calls"):
        lines.append("- [Judgment calls](#judgment-calls)")
    lines.append("- [Validation rules](#validation-rules)")
    lines.append("")
    for name in contract.tables:
        schema = contract[name]
        frame = frames[name]
        pk = schema.primary_key
        example = _example_row(frame, pk)
        lines += [f'<a id="{_anchor(name)}"></a>', "", f"## {name}", ""]
        lines += [schema.descriptor["description"], ""]
        lines += [f"Primary key: `{', '.join(pk)}`."]
        for fk in schema.foreign_keys:
            lines.append(
                f"`{fk.field}` references [`{fk.resource}`](#{_anchor(fk.resource)})"
                f"`.{fk.ref_field}`."
            )
        key = "/".join(str(example[k]) for k in pk) if example is not None else ""
        lines += [
            "",
            f"| field | type | required | description | example (`{key}`) |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in schema.fields:
            req = "yes" if f.get("constraints", {}).get("required") else ""
            cell = _example_cell(example[f["name"]]) if example is not None else ""
            lines.append(
                f"| `{f['name']}` | {f['type']} | {req} | {_field_description(name, f)} | {cell} |"
            )
        lines.append("")
        for f in schema.fields:
            enum = f.get("constraints", {}).get("enum")
            if not enum:
                continue
            defs = definitions.get(f"{name}.{f['name']}", {})
            order = " Ordered scale, first to last." if f.get("categoriesOrdered") is True else ""
            lines += [
                f'<a id="{_anchor(name, f["name"])}"></a>',
                "",
                f"### {name}.{f['name']}",
                "",
            ]
            if order:
                lines += [order.strip(), ""]
            lines += ["| value | definition | example |", "| --- | --- | --- |"]
            for value in enum:
                hits = (
                    frame.loc[frame[f["name"]] == value, pk]
                    if f["name"] in frame
                    else pd.DataFrame()
                )
                shown = f"`{'/'.join(hits.iloc[0].astype(str))}`" if len(hits) else "(none yet)"
                lines.append(f"| `{value}` | {_cell(defs.get(value, ''))} | {shown} |")
            lines.append("")
    calls = codebook.get("judgment_calls") or []
    if calls:
        lines += ['<a id="judgment-calls"></a>', "", "## Judgment calls", ""]
        lines += ["Decisions another curator could make differently (curation/codebook.yaml):", ""]
        lines += [f"{i}. {_cell(call)}" for i, call in enumerate(calls, start=1)]
        lines.append("")
    lines += rules_markdown()
    return "\n".join(lines).rstrip("\n") + "\n"


def rules_markdown() -> list[str]:
    """The validation rules, listed from the validators' catalogue: name, what it applies to,
    what it reads and checks, and a failure line as `memo724 validate` prints it."""
    from ..validation.catalogue import entries

    lines = [
        '<a id="validation-rules"></a>',
        "",
        "## Validation rules",
        "",
        "Every rule `memo724 validate` checks, from the validators' catalogue"
        " (`src/memo724/validation/catalogue.py`). A rule applies by what the schemas state,"
        " never by a table's name; each failure line names its rule. Rules marked *Table Schema*"
        " are Table Schema's own (Frictionless checks them too).",
        "",
    ]
    groups = (
        ("Each row and cell", ("table-schema", "provenance", "contract", "text")),
        ("A copy's files, descriptor and schemas, before any row is read", ("file",)),
    )
    for title, kinds in groups:
        lines += [f"### {title}", ""]
        lines += ["| rule | applies to | reads | checks | example failure |"]
        lines += ["| --- | --- | --- | --- | --- |"]
        for entry in entries():
            if entry.kind not in kinds:
                continue
            rule = entry.rule
            mark = " (*Table Schema*)" if entry.kind == "table-schema" else ""
            lines.append(
                f"| `{rule.name}`{mark} | {_cell(rule.applies)} | {_cell(rule.reads)} |"
                f" {_cell(rule.message)} | {_code(entry.example)} |"
            )
        lines.append("")
    stages = {
        "records": "`memo724 build`",
        "release": "`memo724 build` / `release`",
        "verify": "`memo724 verify`",
    }
    lines += [
        "### The build, the release and verify",
        "",
        "The curated records, the release and `memo724 verify` name their failures from the same"
        " catalogue (a copy of the package never breaks these).",
        "",
        "| rule | reported by | applies to | reads | checks |",
        "| --- | --- | --- | --- | --- |",
    ]
    for entry in entries():
        if entry.kind in stages:
            rule = entry.rule
            lines.append(
                f"| `{rule.name}` | {stages[entry.kind]} | {_cell(rule.applies)}"
                f" | {_cell(rule.reads)} | {_cell(rule.message)} |"
            )
    lines.append("")
    return lines


def stats_markdown(contract: Contract, frames: dict[str, pd.DataFrame], cov: Coverage) -> str:
    lines = ["| table | rows | what a row is |", "| --- | ---: | --- |"]
    for name in contract.tables:
        what = _cell(contract[name].descriptor["description"])
        lines.append(f"| `{name}` | {len(frames[name])} | {what} |")
    lines += [
        "",
        f"Coverage: {len(cov.covered)} of {cov.total} body sentences ({cov.ratio:.0%}) are quoted"
        " by the evidence of at least one statement-level record"
        + (f"; {len(cov.excluded)} more are reviewed exclusions" if cov.excluded else "")
        + ".",
    ]
    return "\n".join(lines)


def replace_block(text: str, name: str, body: str) -> str:
    begin, end = BEGIN.format(name=name), END.format(name=name)
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no generated block {name!r} (expected the line {begin})")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text)


def install_markdown(version: str) -> str:
    """The README's install lines, naming this version's wheel in full.

    After a shell glob (`ponars_memo_724-*.whl[validate]`) the extra would be one more pattern,
    so the lines name the file, and the build rewrites them with each version.
    """
    wheel = f"./{wheel_name(version)}"
    return "\n".join(
        [
            "<!-- snippet: release -->",
            "```sh",
            f"pip install {wheel}",
            "memo724 --version",
            "```",
            "",
            "With the `validate` extra, to check a copy or your own frames:",
            "",
            "<!-- snippet: release -->",
            "```sh",
            f'pip install "{wheel}[validate]"',
            "memo724 validate  # the installed copy: descriptor, hashes, schemas, provenance",
            "```",
            "",
            f'With the `polars` extra, for `engine="polars"`: `pip install "{wheel}[polars]"` '
            "(or `pip install polars`).",
        ]
    )


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def datacard_composition(contract: Contract, frames: dict[str, pd.DataFrame], cov: Coverage) -> str:
    """The data card's counts: rows per table, evidence per record table, the memo, coverage."""
    by = "the data card's composition"
    evidence = frames[contract.only("evidence", by=by)]
    lines = [
        "| table | rows | evidence spans | records with 2+ spans | what a row is |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    subjects = contract.evidence_subjects
    for name in contract.tables:
        rows = len(frames[name])
        spans, multi = "", ""
        if name in subjects:
            per_record = evidence[subjects[name]].dropna().value_counts()
            spans = str(int(per_record.sum()))
            multi = _percent(int((per_record >= 2).sum()), rows)
        what = _cell(contract[name].descriptor["description"])
        lines.append(f"| `{name}` | {rows} | {spans} | {multi} | {what} |")
    (doc,) = frames[contract.only("document", by=by)].to_dict("records")
    passages = frames[contract.only("structure", by=by)]
    records = sum(len(frames[name]) for name in subjects)
    lines += [
        "",
        f"In all {records} records in {len(subjects)} record tables, "
        f"{len(evidence)} evidence spans and {len(passages)} passages of one memo of "
        f"{doc['code_points']} code points (sha256 `{doc['sha256']}`). "
        f"Coverage: {len(cov.covered)} of {cov.total} body sentences "
        f"({cov.ratio:.0%}) are quoted by a statement-level record"
        + (f", {len(cov.excluded)} more are reviewed exclusions" if cov.excluded else "")
        + ".",
    ]
    return "\n".join(lines)


SPARSE = 0.5  # a field is sparse when at least half its cells are empty


def datacard_sparsity(contract: Contract, frames: dict[str, pd.DataFrame]) -> str:
    """Optional fields that are empty in at least half the rows, emptiest first.

    Evidence's record columns are left out: exactly one of them is filled by design.
    """
    arc = {(contract.evidence_table, column) for column in contract.evidence_subjects.values()}
    found = []
    for name in contract.tables:
        frame = frames[name]
        for f in contract[name].fields:
            if f.get("constraints", {}).get("required") or not len(frame):
                continue
            if (name, f["name"]) in arc:
                continue
            empty = int(frame[f["name"]].isna().sum())
            if empty / len(frame) >= SPARSE:
                found.append((-empty / len(frame), name, f, empty, len(frame)))
    lines = [
        f"Optional fields empty in at least {SPARSE:.0%} of their table's rows, computed from the "
        "tables (evidence's record columns, of which exactly one is filled, left out):",
        "",
        "| field | empty | of rows | description |",
        "| --- | ---: | ---: | --- |",
    ]
    for _, name, f, empty, rows in sorted(found, key=lambda t: (t[0], t[1], t[2]["name"])):
        lines.append(
            f"| `{name}.{f['name']}` | {_percent(empty, rows)} | {rows} | "
            f"{_cell(f.get('description', ''))} |"
        )
    never = [f"`{name}.{f['name']}`" for _, name, f, empty, rows in found if empty == rows]
    if never:
        lines += ["", f"Never filled in this version: {', '.join(sorted(never))}."]
    return "\n".join(lines)


def reliability_markdown(root: Path) -> str:
    """The data card's Reliability figures, from reliability/*.csv (before adjudication), and
    what adjudication decided, apart."""
    found = reliability_tables(root)
    if found is None:
        return "No second coding has been compared yet."
    units, fields, adjudication = found
    lines = [
        "Unit agreement (units both codings coded / units either coded):",
        "",
        "| table | both | main only | blind only | unit agreement |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {u['table']} | {u['both']} | {u['main_only']} | {u['blind_only']} "
        f"| {float(u['unit_agreement']):.2f} |"
        for u in units
    ]
    lines += [
        "",
        "Field agreement over matched units (alpha only from 10 pairs; 95% bootstrap interval):",
        "",
        "| table | field | level | pairs | agreement | alpha | interval |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in fields:
        a = f"{float(r['alpha']):.2f}" if r["alpha"] else "-"
        ci = f"{float(r['alpha_low']):.2f} to {float(r['alpha_high']):.2f}" if r["alpha"] else "-"
        lines.append(
            f"| {r['table']} | {r['field']} | {r['level']} | {r['pairs']} "
            f"| {float(r['percent_agreement']):.0f}% | {a} | {ci} |"
        )
    decided: dict[tuple[str, str], int] = {}
    for r in adjudication:
        key = (r["kind"], r["decision"] or "(undecided)")
        decided[key] = decided.get(key, 0) + 1
    changed = sum(1 for r in adjudication if r["change"].strip().lower() not in ("", "none"))
    lines += [
        "",
        f"Adjudication (after the figures above): {len(adjudication)} disagreements, each settled "
        f"by a third reader against the memo's words; {changed} changed the main coding.",
        "",
        "| disagreement | decision | count |",
        "| --- | --- | ---: |",
    ]
    lines += [f"| {k} | {d} | {n} |" for (k, d), n in sorted(decided.items())]
    return "\n".join(lines)


def reliability_summary(root: Path) -> dict[str, int] | None:
    """The headline figures of reliability/ (before adjudication), or None without it."""
    found = reliability_tables(root)
    if found is None:
        return None
    units, fields, _ = found
    alphas = [float(r["alpha"]) for r in fields if r["alpha"]]
    reliable = sum(a >= 0.8 for a in alphas)
    tentative = sum(0.667 <= a < 0.8 for a in alphas)
    both = sum(int(u["both"]) for u in units)
    either = sum(int(u["both"]) + int(u["main_only"]) + int(u["blind_only"]) for u in units)
    return {
        "both": both,
        "either": either,
        "percent": round(100 * both / either) if either else 0,
        "fields": len(alphas),
        "reliable": reliable,
        "tentative": tentative,
        "below": len(alphas) - reliable - tentative,
    }


def reliability_line(root: Path) -> str:
    """One line for the README: the figure a citing researcher needs."""
    s = reliability_summary(root)
    if s is None:
        return ""
    return (
        f"**Reliability.** A blind second coding of the whole memo agrees with the tables on "
        f"{s['both']} of {s['either']} units ({s['percent']}%); of {s['fields']} coded fields, "
        f"Krippendorff's alpha is at least 0.8 on {s['reliable']}, 0.667-0.8 on "
        f"{s['tentative']} and below on {s['below']} (before adjudication; `reliability/` in "
        "the release, DATACARD.md section Reliability)."
    )
