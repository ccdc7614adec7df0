"""Output that cannot be hijacked: every value from the input reaches the terminal with its
control, C1, bidirectional, zero-width and line-separator characters shown as escapes."""

from __future__ import annotations

import json
import re

import pytest

from memo724.cli import main
from memo724.contract.errors import Problem, visible
from memo724.contract.paths import Layout

# What may never reach a terminal raw (what visible() escapes), written out independently.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2069\ufeff]"
)
HOSTILE = ["\x1b[31m", "\x07", "\x00", "\x9b2J", "\u202e", "\u2066", "\u200b", "\u2028", "\n"]


@pytest.mark.parametrize("char", HOSTILE)
def test_each_class_is_escaped_in_every_part_of_a_problem(char: str) -> None:
    p = Problem(f"t{char}", f"r{char}", f"m{char}", row=2, field=f"f{char}", value=f"v{char}")
    shown = str(p)
    assert not RAW.search(shown) and "\n" not in shown
    assert "\\x" in shown or "\\u" in shown


def test_visible_keeps_ordinary_text_and_names_the_code_point() -> None:
    text = "Москва \u2013 naïve, ГКПД ¹"  # Cyrillic, a dash, a footnote mark: printable
    assert visible(text) == text
    assert visible("a\x1bb\u202ec\u2028d") == "a\\x1bb\\u202ec\\u2028d"


def test_a_hostile_schema_and_descriptor_cannot_forge_the_report(
    package_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    schema_path = package_copy.schemas / "events.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][1]["name"] = "summary\x1b[2K\rvalid: all good\u202e"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")  # escapes as \u001b in JSON
    descriptor = json.loads(package_copy.descriptor.read_text(encoding="utf-8"))
    descriptor["x\nvalid: forged\u2028"] = "\x9b31m"
    package_copy.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    assert main(["validate", str(package_copy.root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert not RAW.search(err)
    lines = err.splitlines()
    assert not [line for line in lines if line.startswith("valid:")]
    assert any("\\x1b[2K\\x0dvalid: all good\\u202e" in line for line in lines)


@pytest.mark.parametrize(
    ("edit", "rule", "words", "place"),
    [
        (
            lambda t: t.replace('\n  "name"', '\n  "name": "x",\n  "name"', 1),
            "json-strict",
            "twice",
            "name",
        ),
        (
            lambda t: t.replace('"version": ', '"version": NaN, "v2": ', 1),
            "json-strict",
            "NaN",
            "version",
        ),
        (
            lambda t: t.replace('"version": ', '"weight": Infinity, "version": ', 1),
            "json-strict",
            "Infinity",
            "weight",
        ),
        (
            lambda t: t.replace('"version": ', '"big": ' + "9" * 5000 + ', "version": ', 1),
            "json-strict",
            "(5000 characters) is beyond 2**53",
            "big",
        ),
        (
            lambda t: t.replace('"version": ', '"huge": 1e400, "version": ', 1),
            "json-strict",
            "reads as inf",
            "huge",
        ),
        (
            lambda t: t.replace(
                '"version": ', '"deep": ' + "[" * 70 + "]" * 70 + ', "version": ', 1
            ),
            "json-depth",
            "nested more than 64 levels deep",
            "deep" + "[0]" * 63,
        ),
    ],
)
def test_descriptors_other_parsers_read_differently_are_refused_in_one_line(
    package_copy: Layout,
    capsys: pytest.CaptureFixture[str],
    edit,
    rule: str,
    words: str,
    place: str,
) -> None:
    text = package_copy.descriptor.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    package_copy.descriptor.write_text(changed, encoding="utf-8")
    assert main(["validate", str(package_copy.root)]) == 1
    err = capsys.readouterr().err
    # The place: the file and the JSON path of the first value parsers would read differently.
    assert f"datapackage.json, field {place}: " in err
    assert f"(rule: {rule})" in err and words in err
    assert "internal error" not in err
