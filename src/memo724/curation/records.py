"""Reading the curated records: the only hand-edited data.

Curators write YAML under curation/. A record is a mapping with an `id`, the table's own field
names, a `date`/`as_of` group (text + EDTF), child lists, and `evidence` quotes. Offsets are never
written by hand: the build finds each quote in the memo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..contract.errors import DatasetError, Problem
from ..contract.files import MAX_YAML_BYTES

RECORDS_DIR = "records"

# Bounded work: a curated file may expand (aliases counted at their full size) to at most this
# many nodes, and may use only the YAML core schema's tags.
MAX_YAML_NODES = 200_000
# Flow collections ([...], {...}) nested deeper than this are refused before parsing: the parser
# slows down without bound on deep nesting, and no record needs more than a few levels.
MAX_YAML_DEPTH = 100
CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
) | {"!"}


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


def _refuse(shown: str, line: int, rule: str, message: str) -> DatasetError:
    return DatasetError([Problem(f"{shown}:{line + 1}", rule, message)])


def check_events(text: str, shown: str) -> None:
    """Refuse a tag outside the core schema, and aliases that would expand without bound.

    Run on the parser's events before anything is built, so a "billion laughs" file is refused
    after reading it once, in time proportional to its size.
    """
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _refuse(
                    shown,
                    text.count("\n", 0, match.start()),
                    "yaml-size",
                    f"brackets nested deeper than {MAX_YAML_DEPTH} levels",
                )
        elif depth:
            depth -= 1
    sizes: dict[str, int] = {}
    open_nodes: list[list] = []  # [expanded size so far, anchor]
    total = 0
    for event in _yaml().parse(text):
        kind = type(event).__name__
        line = event.start_mark.line
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag) not in CORE_TAGS:
            shown_tag = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise _refuse(
                shown,
                line,
                "yaml-tag",
                f"tag {shown_tag} is not allowed: curated YAML uses only the core schema "
                "(text, numbers, booleans, null, lists, mappings)",
            )
        if kind == "AliasEvent":
            size = sizes.get(event.anchor, 1)
        elif kind == "ScalarEvent":
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif kind in ("SequenceStartEvent", "MappingStartEvent"):
            open_nodes.append([1, event.anchor])
            size = 1
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            size, anchor = open_nodes.pop()
            if anchor:
                sizes[anchor] = size
            if open_nodes:
                open_nodes[-1][0] += size
            continue
        else:
            continue
        total += size
        if open_nodes and kind != "SequenceStartEvent" and kind != "MappingStartEvent":
            open_nodes[-1][0] += size
        if total > MAX_YAML_NODES:
            raise _refuse(
                shown,
                line,
                "yaml-size",
                f"aliases expand this file beyond {MAX_YAML_NODES} nodes; "
                "write the values out instead of nesting anchors",
            )


def load_yaml(path: Path, shown: str) -> Any:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise DatasetError(
                [Problem(shown, "not-a-regular-file", "only regular files are read")]
            )
        if size > MAX_YAML_BYTES:
            raise DatasetError(
                [Problem(shown, "file-size", f"{size} bytes, more than {MAX_YAML_BYTES} allowed")]
            )
        with path.open(encoding="utf-8") as handle:
            text = handle.read()
        check_events(text, shown)
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise DatasetError([Problem(f"{shown}{line}", "yaml-syntax", detail)]) from None
    except YAMLError as exc:
        raise DatasetError([Problem(shown, "yaml-syntax", str(exc))]) from None
    except UnicodeDecodeError as exc:
        raise DatasetError(
            [Problem(shown, "utf-8", f"invalid UTF-8 at byte offset {exc.start} ({exc.reason})")]
        ) from None
    except RecursionError:
        raise DatasetError([Problem(shown, "yaml-size", "nested too deeply to read")]) from None


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
