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
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode

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


class _BoundedComposer(Composer):
    """ruamel's composer, refusing a tag outside the core schema and aliases that would expand
    without bound as each node is composed.

    The check rides on the one parse that loads the file: checking the parser's events in a
    first pass and then loading scanned every file twice (half of a build's time). Aliases are
    counted at their full size with one size per composed node, so a "billion laughs" file is
    refused in time proportional to its length, before anything is constructed.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self._sizes: dict[int, int] = {}  # expanded size of each composed node, by identity

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag) not in CORE_TAGS:
            shown_tag = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise _Refused(
                event.start_mark.line,
                "yaml-tag",
                f"tag {shown_tag} is not allowed: curated YAML uses only the core schema "
                "(text, numbers, booleans, null, lists, mappings)",
            )
        node = super().compose_node(parent, index)
        size = self._sizes.get(id(node))
        if size is None:  # composed just now, not an alias of an earlier node
            if isinstance(node, SequenceNode):
                size = 1 + sum(self._sizes[id(child)] for child in node.value)
            elif isinstance(node, MappingNode):
                size = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
            else:
                size = 1
            self._sizes[id(node)] = size
        if size > MAX_YAML_NODES:
            raise _Refused(
                event.start_mark.line,
                "yaml-size",
                f"aliases expand this file beyond {MAX_YAML_NODES} nodes; "
                "write the values out instead of nesting anchors",
            )
        return node


class _Refused(Exception):
    def __init__(self, line: int, rule: str, message: str) -> None:
        super().__init__(message)
        self.line, self.rule, self.message = line, rule, message


def _yaml() -> YAML:
    # Round-trip mode keeps line numbers for messages and refuses duplicate keys.
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _BoundedComposer
    return yaml


def check_depth(text: str, shown: str) -> None:
    """Refuse flow collections nested deeper than MAX_YAML_DEPTH, before the parser sees them."""
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                line = text.count("\n", 0, match.start())
                raise DatasetError(
                    [
                        Problem(
                            f"{shown}:{line + 1}",
                            "yaml-size",
                            f"brackets nested deeper than {MAX_YAML_DEPTH} levels",
                        )
                    ]
                )
        elif depth:
            depth -= 1


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
        check_depth(text, shown)
        return _yaml().load(text)
    except _Refused as exc:
        raise DatasetError([Problem(f"{shown}:{exc.line + 1}", exc.rule, exc.message)]) from None
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
