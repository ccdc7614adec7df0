"""A second, blind coding of the memo, kept as data beside the main one.

Each part of the second coding (one coder's stretch of the memo) lives in
curation/blind/<part>/records/*.yaml, written in the curated records' own format with ids of the
coder's choosing. A part is built by the same builder as the main records, in a scratch checkout
that holds only the memo, the schemas, the codebook, the structure and that part's records, so
its quotes are located (and its verbatim fields checked) exactly as the main coding's are.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from ..contract import Contract
from ..contract.errors import DatasetError, Problem
from ..contract.paths import Layout
from .build import Tables, build_tables
from .records import RECORDS_DIR

BLIND_DIR = "blind"

# The document record of a part's scratch checkout: the memo's own, whose author and institution
# a part need not code (the second coding is compared on content, not on the byline).
_DOCUMENT = """documents:
  - id: {document_id}
    series: PONARS Eurasia Policy Memo
    number: 724
    author_actor_id: author
    affiliation_actor_id: affiliation
    date: {{edtf: "2021-11"}}
    date_correction: As in the main coding.
    language: en
"""


def parts(source: Layout) -> list[Path]:
    """Every part of the second coding, in name order."""
    root = source.curation / BLIND_DIR
    return sorted(p for p in root.iterdir() if (p / RECORDS_DIR).is_dir()) if root.is_dir() else []


def _scratch(source: Layout, part: Path, root: Path) -> Layout:
    scratch = Layout(root)
    scratch.data.mkdir(parents=True)
    shutil.copyfile(source.memo, scratch.memo)
    shutil.copytree(source.schemas, scratch.schemas)
    records = scratch.curation / RECORDS_DIR
    records.mkdir(parents=True)
    for name in ("structure.yaml", "codebook.yaml"):
        shutil.copyfile(source.curation / name, scratch.curation / name)
    document_id = "ponars-memo-724"
    (records / "00-document.yaml").write_text(
        _DOCUMENT.format(document_id=document_id), encoding="utf-8"
    )
    for path in sorted((part / RECORDS_DIR).glob("*.yaml")):
        if path.name == "00-document.yaml":
            # Named as the part's other problems are (_reroot): from the checkout's root.
            shown = path.relative_to(source.root) if path.is_relative_to(source.root) else path
            reserved = "00-document.yaml is reserved: the check writes the document's record"
            raise DatasetError([Problem(str(shown), "blind-part", reserved)])
        shutil.copyfile(path, records / path.name)
    return scratch


def build_part(source: Layout, part: Path) -> Tables:
    """The part's records as tables, or a DatasetError naming each problem at its file and line."""
    with tempfile.TemporaryDirectory(prefix=".blind-") as tmp:
        scratch = _scratch(source, part, Path(tmp) / "copy")
        try:
            tables = build_tables(scratch)
        except DatasetError as err:
            raise DatasetError([_reroot(p, source, part) for p in err.problems]) from None
    return tables


def _reroot(problem: Problem, source: Layout, part: Path) -> Problem:
    """Name the part's own file, not the scratch checkout's copy of it."""
    shown = f"{part.relative_to(source.root)}/" if part.is_relative_to(source.root) else ""
    where = problem.where.replace(f"curation/{RECORDS_DIR}/", f"{shown}{RECORDS_DIR}/")
    return replace(problem, where=where)


def not_coded(source: Layout) -> dict[str, set[str]]:
    """Fields the second coding was not asked for (added to the contract after it was made),
    by table, from curation/blind/coding.yaml: their absence is not a problem of a part."""
    from .records import load_yaml

    path = source.curation / BLIND_DIR / "coding.yaml"
    doc = load_yaml(path, f"curation/{BLIND_DIR}/coding.yaml") if path.is_file() else None
    return {str(t): {str(f) for f in fs} for t, fs in ((doc or {}).get("not_coded") or {}).items()}


def check_part(source: Layout, part: Path) -> list[Problem]:
    """Everything wrong with a part: build problems, values outside the codebook, dangling ids."""
    try:
        tables = build_part(source, part)
    except DatasetError as err:
        return list(err.problems)
    # The enum, required and reference checks are written here, not borrowed from validation:
    # curation imports the contract only, and a part is no package (no passages or evidence
    # rows of its own, ids that refer only within the part), so the package validator's rules
    # would judge what it is not.
    contract = Contract(source.schemas)
    skipped = not_coded(source)
    problems: list[Problem] = []
    for name, rows in tables.rows.items():
        if contract[name].role in ("document", "structure", "evidence"):
            continue  # the memo's own tables and the located spans: no coder writes them
        schema = contract[name]
        origins = tables.origins[name]
        for row, where in zip(rows, origins, strict=True):
            for f in schema.fields:
                value = row.get(f["name"], "")
                enum = f.get("constraints", {}).get("enum")
                if value and enum and value not in enum:
                    problems.append(
                        Problem(where, "enum", f"{f['name']} {value!r} is not one of {enum}")
                    )
                required = f.get("constraints", {}).get("required")
                if required and not value and f["name"] not in skipped.get(name, set()):
                    problems.append(Problem(where, "required", f"{f['name']} is required"))
            for fk in schema.foreign_keys:
                value = row.get(fk.field, "")
                if not value or contract[fk.resource].role in ("document", "structure"):
                    continue
                target = contract[fk.resource].primary_key[0]
                if value not in {r[target] for r in tables.rows.get(fk.resource, [])}:
                    problems.append(
                        Problem(
                            where,
                            "reference",
                            f"{fk.field} {value!r} names no {fk.resource} record of this part",
                        )
                    )
    return [_reroot(p, source, part) for p in problems]
