"""Reading the curated records: the only hand-edited data.

Curators write YAML under curation/. A record is a mapping with an `id`, the table's own field
names, a `date`/`as_of` group (text + EDTF), child lists, and `evidence` quotes. Offsets are never
written by hand: the build finds each quote in the memo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..contract.errors import DatasetError, Problem

RECORDS_DIR = "records"


@dataclass(frozen=True)
class Record:
    table: str
    data: CommentedMap
    file: str
    line: int  # 1-based line of the record's first key

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def where(self, key: str | None = None) -> str:
        line = self.line
        if key is not None and key in self.data:
            line = self.data.lc.key(key)[0] + 1
        return f"{self.file}:{line}"


def _yaml() -> YAML:
    # Round-trip mode keeps line numbers for messages and refuses duplicate keys.
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def load_yaml(path: Path, shown: str) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return _yaml().load(handle)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise DatasetError([Problem(f"{shown}{line}", "yaml-syntax", detail)]) from None
    except YAMLError as exc:
        raise DatasetError([Problem(shown, "yaml-syntax", str(exc))]) from None
    except UnicodeDecodeError as exc:
        raise DatasetError([Problem(shown, "utf-8", str(exc))]) from None


def read_records(curation_dir: Path, record_tables: list[str]) -> list[Record]:
    """Every record in curation/records/*.yaml, in file order, then order within each file."""
    records: list[Record] = []
    problems: list[Problem] = []
    for path in sorted((curation_dir / RECORDS_DIR).glob("*.yaml")):
        shown = f"curation/{RECORDS_DIR}/{path.name}"
        doc = load_yaml(path, shown)
        if doc is None:
            continue
        if not isinstance(doc, CommentedMap):
            problems.append(Problem(shown, "file-shape", "expected a mapping of table names"))
            continue
        for table, items in doc.items():
            line = doc.lc.key(table)[0] + 1
            if table not in record_tables:
                problems.append(
                    Problem(
                        f"{shown}:{line}",
                        "unknown-table",
                        f"{table!r} is not a record table; use one of {', '.join(record_tables)}",
                    )
                )
                continue
            if not isinstance(items, CommentedSeq):
                problems.append(Problem(f"{shown}:{line}", "file-shape", f"{table} must be a list"))
                continue
            for i, item in enumerate(items):
                item_line = items.lc.item(i)[0] + 1
                if not isinstance(item, CommentedMap):
                    problems.append(
                        Problem(f"{shown}:{item_line}", "record-shape", "a record is a mapping")
                    )
                    continue
                records.append(Record(table, item, shown, item_line))
    if problems:
        raise DatasetError(problems)
    return records
