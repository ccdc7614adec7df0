"""Documentation derived from the contract and the data: the codebook and the README's figures."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..contract import TABLES, Contract
from ..curation.coverage import Coverage

BEGIN = "<!-- BEGIN GENERATED: {name} (written by `make build`; do not edit) -->"
END = "<!-- END GENERATED: {name} -->"


def resolve_definitions(codebook: Any) -> dict[str, dict[str, str]]:
    """table.field -> value -> definition, following 'same as' references."""
    raw = codebook["definitions"]
    out = {}
    for key, value in raw.items():
        while isinstance(value, str):
            value = raw[value]
        out[key] = {str(k): str(v) for k, v in value.items()}
    return out


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook_markdown(contract: Contract, codebook: Any, frames: dict[str, pd.DataFrame]) -> str:
    definitions = resolve_definitions(codebook)
    lines = [
        "# Codebook",
        "",
        "Generated from `schemas/*.json` (fields) and `curation/codebook.yaml` (coded values) by",
        "`make build`; the example is the first row, by key, that has the value. Do not edit.",
        "",
        "PLOVER: event types follow the README of openeventdata/PLOVER (19 types, commit",
        "0f1c8b6b402c664cbf0093c49233edcd15c840ce); `plover_event_type` is derived from",
        "`event_type` through the crosswalk in `curation/codebook.yaml`, and is empty where PLOVER",
        "drops a type (plain statements and appeals, CAMEO 01 and 02) or has none (happenings",
        "that are not interactions). Factuality maps to PLOVER's context values as defined below.",
        "",
    ]
    for name in TABLES:
        schema = contract[name]
        frame = frames[name]
        pk = schema.primary_key
        lines += [f"## {name}", "", schema.descriptor["description"], ""]
        lines += [f"Primary key: `{', '.join(pk)}`."]
        for fk in schema.foreign_keys:
            lines.append(f"`{fk.field}` references `{fk.resource}.{fk.ref_field}`.")
        lines += ["", "| field | type | required | description |", "| --- | --- | --- | --- |"]
        for f in schema.fields:
            req = "yes" if f.get("constraints", {}).get("required") else ""
            lines.append(f"| `{f['name']}` | {f['type']} | {req} | {_cell(f['description'])} |")
        lines.append("")
        for f in schema.fields:
            enum = f.get("constraints", {}).get("enum")
            if not enum:
                continue
            defs = definitions.get(f"{name}.{f['name']}", {})
            lines += [
                f"### {name}.{f['name']}",
                "",
                "| value | definition | example |",
                "| --- | --- | --- |",
            ]
            for value in enum:
                hits = (
                    frame.loc[frame[f["name"]] == value, pk]
                    if f["name"] in frame
                    else pd.DataFrame()
                )
                example = f"`{'/'.join(hits.iloc[0].astype(str))}`" if len(hits) else "(none yet)"
                lines.append(f"| `{value}` | {_cell(defs.get(value, ''))} | {example} |")
            lines.append("")
    calls = codebook.get("judgment_calls") or []
    if calls:
        lines += ["## Judgment calls", ""]
        lines += ["Decisions another curator could make differently (curation/codebook.yaml):", ""]
        lines += [f"{i}. {_cell(call)}" for i, call in enumerate(calls, start=1)]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def stats_markdown(contract: Contract, frames: dict[str, pd.DataFrame], cov: Coverage) -> str:
    lines = ["| table | rows | what a row is |", "| --- | ---: | --- |"]
    for name in TABLES:
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


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def datacard_composition(contract: Contract, frames: dict[str, pd.DataFrame], cov: Coverage) -> str:
    """The data card's counts: rows per table, evidence per record table, the memo, coverage."""
    evidence = frames["evidence"]
    lines = [
        "| table | rows | evidence spans | records with 2+ spans | what a row is |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    subjects = contract.evidence_subjects
    for name in TABLES:
        rows = len(frames[name])
        spans, multi = "", ""
        if name in subjects:
            per_record = evidence[subjects[name]].dropna().value_counts()
            spans = str(int(per_record.sum()))
            multi = _percent(int((per_record >= 2).sum()), rows)
        what = _cell(contract[name].descriptor["description"])
        lines.append(f"| `{name}` | {rows} | {spans} | {multi} | {what} |")
    (doc,) = frames["documents"].to_dict("records")
    records = sum(len(frames[name]) for name in subjects)
    lines += [
        "",
        f"In all {records} records in {len(subjects)} record tables, "
        f"{len(evidence)} evidence spans and {len(frames['passages'])} passages of one memo of "
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
    arc = {("evidence", column) for column in contract.evidence_subjects.values()}
    found = []
    for name in TABLES:
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
