"""Every rule a Problem can carry is a record of the rule catalogue.

The source of src/ is read (not run): every call that names a rule (`Problem(...)`, the helpers
and exceptions that carry one, `Rule(...)`) is found by its syntax, and the rule it names is
resolved: a literal, or a module-level name read from its module. A rule passed on from a
variable is listed below with where its names come from, and those names are checked too. A new
rule written anywhere without a catalogue entry fails here; so does a new way of passing one on.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import memo724.validation.validate  # registers every builder's rule
from memo724.contract.csv_rows import CSV_RULES
from memo724.contract.limits import NotStrictJSON
from memo724.validation import text
from memo724.validation.catalogue import CATALOGUE

SRC = Path(memo724.validation.validate.__file__).parents[1]

# The callables that take a rule, and where the rule is: a position, or a keyword.
CARRIERS: dict[str, tuple[int, str]] = {
    "Problem": (1, "rule"),
    "problem": (1, "rule"),  # files.py's helper
    "_problem": (1, "rule"),  # text.py's helper
    "_Refused": (1, "rule"),  # curated YAML refused by its reader (records.py)
    "NotStrictJSON": (2, "rule"),  # a JSON reading refused (contract.limits)
    "_Damage": (0, "rule"),  # a damaged CSV row (contract/csv_rows.py)
    "Rule": (0, "name"),
    "declare": (0, "name"),
}

# A rule passed on from a variable: (file, expression) -> where its names come from.
PASSED_ON: dict[tuple[str, str], str] = {
    ("validation/guard.py", "exc.rule"): "NotStrictJSON: its default and each raise's rule=",
    ("curation/records.py", "exc.rule"): "_Refused: each raise's rule",
    ("contract/csv_rows.py", "found.rule"): "_Damage: each one's rule (CSV_RULES)",
    ("contract/typed.py", "cells.rule"): "Unparsed.rule: type or enum (parse_column's two rules)",
    ("validation/text.py", "rule"): "text.RULES",
    ("validation/validate.py", "rule"): "the catalogue's records, or Frictionless's own names",
    ("validation/validate.py", "error.type"): "Frictionless's own names of its errors",
    ("validation/catalogue.py", "name"): "the names declared: each `declare` call is read",
    ("validation/catalogue.py", "_name"): "the loops' literal names (read below)",
}


def _calls() -> list[tuple[str, int, str, ast.expr]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in CARRIERS:
                continue
            position, keyword = CARRIERS[name]
            arg = next((k.value for k in node.keywords if k.arg == keyword), None)
            if arg is None and len(node.args) > position:
                arg = node.args[position]
            if arg is not None:
                found.append((rel, node.lineno, name, arg))
    return found


def _module(rel: str) -> object:
    return importlib.import_module("memo724." + rel.removesuffix(".py").replace("/", "."))


def _loop_names(rel: str) -> list[str]:
    """The literal first items of the tuples `for _name, ... in (...)` loops walk (catalogue)."""
    names = []
    for node in ast.walk(ast.parse((SRC / rel).read_text(encoding="utf-8"))):
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple):
            for item in node.iter.elts:
                if isinstance(item, ast.Tuple) and isinstance(item.elts[0], ast.Constant):
                    names.append(item.elts[0].value)
    return names


def test_every_rule_named_in_the_source_is_in_the_catalogue() -> None:
    unknown, unresolved, passed = [], [], set()
    for rel, line, carrier, arg in _calls():
        if (rel, ast.unparse(arg)) in PASSED_ON:
            passed.add((rel, ast.unparse(arg)))
            continue
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            names = [arg.value]
        elif isinstance(arg, ast.Name) and isinstance(getattr(_module(rel), arg.id, None), str):
            names = [getattr(_module(rel), arg.id)]
        else:
            unresolved.append(f"{rel}:{line}: {carrier}(... {ast.unparse(arg)} ...)")
            continue
        unknown += [f"{rel}:{line}: {n!r}" for n in names if n not in CATALOGUE]
    assert not unresolved, "a rule passed on in a way this test cannot follow:\n" + "\n".join(
        unresolved
    )
    assert not unknown, "rules the catalogue does not know:\n" + "\n".join(unknown)
    if SRC.name == "memo724" and (SRC / "validation").is_dir():
        assert passed == set(PASSED_ON), set(PASSED_ON) - passed  # no stale entry


def test_the_rules_passed_on_are_in_the_catalogue_too() -> None:
    default = inspect.signature(NotStrictJSON).parameters["rule"].default
    assert default in CATALOGUE
    assert {rule for rule, *_ in text.RULES} <= set(CATALOGUE)
    assert set(CSV_RULES) <= set(CATALOGUE)
    looped = _loop_names("validation/catalogue.py")
    assert looped and set(looped) <= set(CATALOGUE)


def test_the_scan_finds_the_rules_it_should() -> None:
    # the scan itself works: it sees rules of every stage, literal and named
    names = {ast.unparse(arg) for rel, _, _, arg in _calls() if rel.startswith(("curation", "use"))}
    assert "'unknown-key'" in names and "'against'" in names
    named = [arg for rel, _, _, arg in _calls() if rel == "validation/differences.py"]
    assert named and all(isinstance(a, ast.Name) and a.id == "DRIFT" for a in named)


def test_an_unknown_rule_is_caught(tmp_path: Path, monkeypatch) -> None:
    # a Problem created with a rule the catalogue lacks fails the scan
    package = tmp_path / "memo724"
    package.mkdir()
    (package / "extra.py").write_text('Problem("x", "no-such-rule", "m")\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "SRC", package)
    try:
        test_every_rule_named_in_the_source_is_in_the_catalogue()
    except AssertionError as error:
        assert "'no-such-rule'" in str(error)
    else:
        raise AssertionError("the unknown rule was not caught")
