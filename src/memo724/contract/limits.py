"""Bounds on the work hostile input can ask for: JSON, regular expressions, a copy's total size.

Each bound is far above anything a release or a package of its own needs, and each is checked
before the work it bounds, so hostile input gets one line naming its place instead of a
RecursionError, a MemoryError or a wait:

- JSON (descriptors, schemas, a release's list of hashes): one reading only. Duplicate keys
  (parsers keep the first or the last), NaN and Infinity (JavaScript's JSON.parse refuses them),
  numbers a double cannot hold (`1e400` reads as Infinity, an integer beyond 2**53 loses digits in
  JavaScript: RFC 7493, I-JSON), lone surrogates (`"\\ud800"` is no character, and no UTF-8 can
  write it) and nesting deeper than MAX_JSON_DEPTH are each refused with the JSON path of the
  first one.
- Regular expressions from a schema: at most MAX_PATTERN_CHARS characters and MAX_PATTERN_DEPTH
  nested groups before they are compiled (Python's parser recurses once per group).
- A copy's files together: MAX_COPY_BYTES (a package of its own: MAX_OWN_PACKAGE_BYTES), summed
  from their sizes before any is read, beside each file's own limit (contract.files).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_JSON_DEPTH = 64  # the release's descriptor nests 6 levels, its schemas 5
MAX_JSON_INTEGER = 2**53  # I-JSON (RFC 7493): exact in every JSON parser
MAX_PATTERN_CHARS = 4096  # the release's longest pattern has fewer than 100
MAX_PATTERN_DEPTH = 32  # and nests at most 2 groups
GiB = 1024 * 1024 * 1024
MAX_COPY_BYTES = 1 * GiB  # a vendored copy's data files together (the release's: under 1 MiB)
MAX_OWN_PACKAGE_BYTES = 4 * GiB  # a package of its own's data files together

_SURROGATE = re.compile("[\ud800-\udfff]")


class NotStrictJSON(ValueError):
    """JSON that parsers read differently, or that is deeper than the limit; `path` is the JSON
    path of the first such place (empty for the whole document)."""

    def __init__(self, message: str, path: str = "", rule: str = "json-strict") -> None:
        super().__init__(message)
        self.path = path
        self.rule = rule


class _Pairs(list[tuple[str, Any]]):
    """An object as read, its keys in order (duplicates kept), for locating a problem."""


class _Odd:
    """A number or constant that was refused, kept to be located: `text` as written."""

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why


def _int(text: str) -> int | _Odd:
    if len(text) > 17 or abs(int(text)) > MAX_JSON_INTEGER:
        return _Odd(text, f"the integer {_short(text)} is beyond 2**53, where parsers lose digits")
    return int(text)


def _float(text: str) -> float | _Odd:
    value = float(text)
    if math.isinf(value):
        return _Odd(text, f"the number {_short(text)} is beyond a double's range (reads as inf)")
    return value


def _constant(name: str) -> _Odd:
    return _Odd(name, f"{name} is not a JSON number")


def _short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _first_problem(node: Any) -> NotStrictJSON | None:
    """The first place, in document order, that strict JSON refuses (iterative: no recursion)."""
    stack: list[tuple[Any, str, int]] = [(node, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, _Odd):
            return NotStrictJSON(node.why, path)
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return NotStrictJSON(_surrogate_message(node), path)
            continue
        if not isinstance(node, list):
            continue
        if depth > MAX_JSON_DEPTH:
            return NotStrictJSON(
                f"nested more than {MAX_JSON_DEPTH} levels deep", path, rule="json-depth"
            )
        children: list[tuple[Any, str]] = []
        if isinstance(node, _Pairs):
            seen: set[str] = set()
            for key, value in node:
                if _SURROGATE.search(key):
                    return NotStrictJSON(_surrogate_message(key), _join(path, "?"))
                if key in seen:
                    return NotStrictJSON(
                        f"the key {key!r} appears twice in one object", _join(path, key)
                    )
                seen.add(key)
                children.append((value, _join(path, key)))
        else:
            children = [(value, _join(path, i)) for i, value in enumerate(node)]
        stack.extend((value, where, depth + 1) for value, where in reversed(children))
    return None


def _surrogate_message(text: str) -> str:
    found = _SURROGATE.search(text)
    code = ord(found.group()) if found else 0
    return f"holds a lone surrogate (\\u{code:04x}), which is no character and no UTF-8 can write"


def _plain(node: Any) -> Any:
    """The located form turned into plain JSON values (dicts), without recursion."""
    if not isinstance(node, list):
        return node
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(node, root, 0)]
    while stack:
        item, parent, slot = stack.pop()
        if isinstance(item, _Pairs):
            made: Any = dict.fromkeys(key for key, _ in item)  # keys in the order written
            for key, value in item:
                stack.append((value, made, key))
        elif isinstance(item, list):
            made = [None] * len(item)
            for i, value in enumerate(item):
                stack.append((value, made, i))
        else:
            made = item
        parent[slot] = made
    return root[0]


def strict_json(text: str) -> Any:
    """JSON as every parser reads it the same way; raises NotStrictJSON (with the JSON path of
    the first problem) or json.JSONDecodeError (with line and column)."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
        )
    except RecursionError:
        raise NotStrictJSON(
            f"nested more than {MAX_JSON_DEPTH} levels deep", rule="json-depth"
        ) from None
    problem = _first_problem(value)
    if problem is not None:
        raise problem
    return _plain(value)


def pattern_error(pattern: str) -> str | None:
    """Why a schema's pattern cannot be used (too long, nested too deep, not a regular
    expression), or None. The bounds are checked before `re` compiles it."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"{len(pattern)} characters, more than the {MAX_PATTERN_CHARS} allowed; not compiled"
    depth = _group_depth(pattern)
    if depth > MAX_PATTERN_DEPTH:
        return (
            f"groups nested {depth} deep, more than the {MAX_PATTERN_DEPTH} allowed; not compiled"
        )
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    except (RecursionError, OverflowError) as exc:  # a bound this scan does not model
        return f"too complex to compile ({type(exc).__name__})"
    return None


def _group_depth(pattern: str) -> int:
    """The deepest nesting of groups, read as `re` reads them: escapes and character classes
    hold no groups. Our own scan: `re` exposes no parse without the recursion it bounds."""
    depth = deepest = i = 0
    in_class = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":  # a leading ] is a member, not the end
                i += 1
            continue
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(depth - 1, 0)
        i += 1
    return deepest
