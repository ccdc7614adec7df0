"""A copy's guard (validation/guard.py) and the bounds on hostile JSON (contract/limits.py) on
small inputs in a temporary folder. Written to kill mutants `make mutation` found surviving
(MUTATION.md): the tests that reach these functions through a whole copy build a package and are
left out of the mutation run, so these say the same things in milliseconds.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from memo724.contract.files import (
    MAX_DESCRIPTOR_BYTES,
    MAX_MEMO_BYTES,
    MAX_SCHEMA_BYTES,
    MAX_TABLE_BYTES,
)
from memo724.contract.limits import NotStrictJSON, pattern_error, strict_json
from memo724.contract.paths import DESCRIPTOR
from memo724.validation import guard
from memo724.validation.guard import (
    MAX_OWN_DATA_BYTES,
    declared_paths,
    limit_for,
    read_descriptor,
    read_json,
    refusals,
)


def test_each_kind_of_file_has_its_own_size_limit() -> None:
    assert limit_for("data/events.csv") == MAX_TABLE_BYTES
    assert limit_for(DESCRIPTOR) == MAX_DESCRIPTOR_BYTES
    assert limit_for("schemas/events.json") == MAX_SCHEMA_BYTES
    assert limit_for("memo/ponars-policy-memo-724.txt") == MAX_MEMO_BYTES


def test_a_package_of_its_own_may_hold_larger_data_but_not_larger_json() -> None:
    assert limit_for("data/events.csv", own=True) == MAX_OWN_DATA_BYTES
    assert limit_for("memo/ponars-policy-memo-724.txt", own=True) == MAX_OWN_DATA_BYTES
    assert limit_for("schemas/events.json", own=True) == MAX_SCHEMA_BYTES
    assert limit_for(DESCRIPTOR, own=True) == MAX_DESCRIPTOR_BYTES
    assert len({MAX_OWN_DATA_BYTES, MAX_TABLE_BYTES, MAX_SCHEMA_BYTES, MAX_DESCRIPTOR_BYTES}) == 4


def test_a_folder_without_a_descriptor_is_one_line(tmp_path: Path) -> None:
    descriptor, problems = read_descriptor(tmp_path)
    assert descriptor is None
    assert [(p.where, p.rule, p.message) for p in problems] == [
        (str(tmp_path / DESCRIPTOR), "descriptor", "no datapackage.json here")
    ]


def test_a_descriptor_that_is_not_an_object_is_one_line(tmp_path: Path) -> None:
    (tmp_path / DESCRIPTOR).write_text("[1]", encoding="utf-8")
    descriptor, problems = read_descriptor(tmp_path)
    assert descriptor is None
    assert [(p.where, p.rule, p.message) for p in problems] == [
        (DESCRIPTOR, "descriptor", "must be a JSON object")
    ]


def test_a_descriptor_object_is_read(tmp_path: Path) -> None:
    (tmp_path / DESCRIPTOR).write_text('{"name": "x"}', encoding="utf-8")
    assert read_descriptor(tmp_path) == ({"name": "x"}, [])


def test_bad_bytes_and_bad_json_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "a.json").write_bytes(b'{"a": "\xff"}')
    value, problems = read_json(tmp_path, "schemas/a.json")
    assert value == {"a": "\N{REPLACEMENT CHARACTER}"}
    assert [(p.where, p.rule) for p in problems] == [("schemas/a.json", "utf-8")]
    (tmp_path / "schemas" / "b.json").write_text('{"a": }', encoding="utf-8")
    value, problems = read_json(tmp_path, "schemas/b.json")
    assert value is None
    assert [(p.where, p.rule) for p in problems] == [("schemas/b.json", "json")]
    assert problems[0].message.startswith("not valid JSON at line 1 column 7 (character 6)")


def test_resources_are_labelled_by_name_or_else_by_place() -> None:
    descriptor = {
        "resources": [
            {
                "name": "events",
                "path": "data/events.csv",
                "schema": "schemas/events.json",
                "dialect": "dialects/csv.json",
            },
            {"name": 5, "path": "data/five.csv"},
            "not an object",
            {"path": ["a.csv", "b.csv"]},
        ],
        "files": [{"path": "memo.txt"}],
    }
    assert declared_paths(descriptor) == [
        ("resources[events].path", "data/events.csv"),
        ("resources[events].schema", "schemas/events.json"),
        ("resources[events].dialect", "dialects/csv.json"),
        ("resources[1].path", "data/five.csv"),
        ("resources[3].path[0]", "a.csv"),
        ("resources[3].path[1]", "b.csv"),
        ("files[0].path", "memo.txt"),
    ]


def _refusal(text: str) -> NotStrictJSON:
    with pytest.raises(NotStrictJSON) as caught:
        strict_json(text)
    return caught.value


def test_a_long_number_is_shown_shortened_past_40_characters() -> None:
    forty, forty_one = "1" * 40, "1" * 41
    assert str(_refusal(forty)) == f"the integer {forty} is beyond 2**53, where parsers lose digits"
    assert str(_refusal(forty_one)) == (
        f"the integer {'1' * 20}...(41 characters) is beyond 2**53, where parsers lose digits"
    )
    assert str(_refusal("1e400")) == "the number 1e400 is beyond a double's range (reads as inf)"


def test_a_lone_surrogate_is_named_by_its_code_point() -> None:
    refused = _refusal(json.dumps({"a": ["x", "\udc80"]}))
    assert str(refused) == (
        "holds a lone surrogate (\\udc80), which is no character and no UTF-8 can write"
    )
    assert (refused.path, refused.rule) == ("a[1]", "json-strict")


def test_refusals_carry_their_rule_and_the_whole_document_has_an_empty_path() -> None:
    twice = _refusal('{"a": 1, "a": 2}')
    assert (twice.path, twice.rule) == ("a", "json-strict")
    whole = _refusal("NaN")
    assert (str(whole), whole.path, whole.rule) == ("NaN is not a JSON number", "", "json-strict")
    deep = _refusal("[" * 100_000 + "]" * 100_000)  # deeper than the parser recurses
    assert (str(deep), deep.path, deep.rule) == (
        "nested more than 64 levels deep",
        "",
        "json-depth",
    )


def test_nesting_is_refused_past_64_levels_at_the_first_level_too_deep() -> None:
    assert strict_json("[" * 64 + "]" * 64) is not None
    deep = _refusal("[" * 65 + "]" * 65)
    assert (str(deep), deep.path, deep.rule) == (
        "nested more than 64 levels deep",
        "[0]" * 64,
        "json-depth",
    )


def test_every_value_is_checked_after_a_plain_string() -> None:
    assert str(_refusal('["a", NaN]')) == "NaN is not a JSON number"


def test_integers_up_to_2_to_the_53_are_read_signed() -> None:
    assert strict_json("-9007199254740992") == -(2**53)
    assert strict_json("9007199254740992") == 2**53
    assert "beyond 2**53" in str(_refusal("9007199254740993"))


def _depth_error(depth: int) -> str:
    return f"groups nested {depth} deep, more than the 32 allowed; not compiled"


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        ("(" * 32 + "x" + ")" * 32, None),
        ("x" + "(" * 32 + ")" * 32, None),
        ("(" * 33 + "x" + ")" * 33, _depth_error(33)),
        ("()" * 40, None),  # siblings, not nested
        ("(()" * 32 + ")" * 32, _depth_error(33)),
        ("(" * 16 + ")" * 16 + "(" * 32 + ")" * 32, None),
        ("\\(" * 40 + "(" * 32 + ")" * 32, None),  # escaped parentheses are no groups
        ("\\(" + "(" * 33 + ")" * 33, _depth_error(33)),
        ("[(]" + "(" * 33 + ")" * 33, _depth_error(33)),  # a class holds no group, and ends
        ("[(]" * 40 + "(" * 32 + ")" * 32, None),
        ("[a]" + "(" * 33 + ")" * 33, _depth_error(33)),
        ("[^a]" + "(" * 33 + ")" * 33, _depth_error(33)),
        ("[^](]" + "(" * 32 + ")" * 32, None),  # a ] first in a class is a member
        ("[](]" + "(" * 32 + ")" * 32, None),
        ("[]]" + "(" * 33 + ")" * 33, _depth_error(33)),
    ],
)
def test_group_depth_is_counted_as_re_reads_the_pattern(pattern: str, error: str | None) -> None:
    assert pattern_error(pattern) == error


def test_pattern_length_and_compile_limits() -> None:
    assert pattern_error("a" * 4096) is None
    assert pattern_error("a" * 4097) == "4097 characters, more than the 4096 allowed; not compiled"
    assert pattern_error("a{4294967296}") == "too complex to compile (OverflowError)"


def test_strict_json_refusals_in_a_file_name_the_file_rule_and_place(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"a": 1, "a": 2}', encoding="utf-8")
    (tmp_path / "b.json").write_text("NaN", encoding="utf-8")
    value, problems = read_json(tmp_path, "a.json")
    assert value is None
    assert [(p.where, p.rule, p.message, p.field) for p in problems] == [
        ("a.json", "json-strict", "the key 'a' appears twice in one object", "a")
    ]
    value, problems = read_json(tmp_path, "b.json")
    assert [(p.where, p.rule, p.message, p.field) for p in problems] == [
        ("b.json", "json-strict", "NaN is not a JSON number", None)
    ]


def test_every_hostile_path_is_refused_once_and_a_missing_file_is_left_to_its_reader(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ok.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    outside.write_text("a\n", encoding="utf-8")
    (tmp_path / "data" / "link.csv").symlink_to(outside)
    paths = {
        "a": "http://example.org/y.csv",
        "b": "/abs.csv",
        "c": "../up.csv",
        "d": "data/missing.csv",
        "e": "data/link.csv",
        "f": "folder",
        "g": "data/ok.csv",
    }
    resources = [{"name": n, "path": p} for n, p in paths.items()]
    resources.append({"name": "c", "path": "../up.csv"})  # the same line again: once
    release = ["../x", "data/missing2.csv", "folder", "data/link.csv", "../x"]  # each once
    found = refusals(tmp_path, {"resources": resources}, release)
    assert [(p.where, p.rule, p.field) for p in found] == [
        (DESCRIPTOR, "path-url", "resources[a].path"),
        (DESCRIPTOR, "path-absolute", "resources[b].path"),
        (DESCRIPTOR, "path-parent", "resources[c].path"),
        ("data/link.csv", "path-outside", None),
        ("folder", "not-a-regular-file", None),
        ("../x", "path-parent", None),
    ]


def test_files_are_listed_when_resources_is_not_a_list() -> None:
    descriptor = {"resources": "not a list", "files": [{"path": "memo.txt"}]}
    assert declared_paths(descriptor) == [("files[0].path", "memo.txt")]


def _meminfo(monkeypatch: pytest.MonkeyPatch, text: str | None) -> None:
    """The guard reads `text` as /proc/meminfo (None: the file cannot be opened)."""

    def fake_open(path: str, encoding: str | None = None) -> io.StringIO:
        if text is None:
            raise FileNotFoundError(path)
        return io.StringIO(text)

    monkeypatch.setattr(guard, "open", fake_open, raising=False)


def test_available_memory_is_linux_memavailable_in_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    if Path("/proc/meminfo").is_file():
        real = guard.available_memory()
        assert real is not None and real > 0
    _meminfo(monkeypatch, "MemTotal:  4096 kB\nMemAvailable:    2048 kB\nCached: 1 kB\n")
    assert guard.available_memory() == 2048 * 1024
    for text in ("MemTotal:  4096 kB\n", "MemAvailable: many kB\n", "MemAvailable:\n", None):
        _meminfo(monkeypatch, text)
        assert guard.available_memory() is None


def _sized(root: Path, sizes: dict[str, int]) -> list[str]:
    for rel, size in sizes.items():
        (root / rel).write_bytes(b"x" * size)
    return list(sizes)


def test_data_files_over_the_copys_limit_together_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files that cannot be read are left to their reader: the sum goes on past them.
    rels = ["missing.csv", "../outside.csv", *_sized(tmp_path, {"a.csv": 6, "b.csv": 5})]
    monkeypatch.setattr(guard, "available_memory", lambda: None)
    monkeypatch.setattr(guard, "MAX_COPY_BYTES", 11)
    monkeypatch.setattr(guard, "MAX_OWN_PACKAGE_BYTES", 10)
    assert guard.total_size(tmp_path, rels) == []  # 11 bytes: at the limit, not over it
    [own] = guard.total_size(tmp_path, rels, own=True)
    assert (own.where, own.rule, own.message) == (
        "the copy",
        "copy-size",
        "its data files hold 11 bytes together, more than the 10 bytes a package of its own "
        "may hold; not parsed",
    )
    monkeypatch.setattr(guard, "MAX_COPY_BYTES", 10)
    [copy] = guard.total_size(tmp_path, rels)
    assert copy.message == (
        "its data files hold 11 bytes together, more than the 10 bytes a copy may hold; not parsed"
    )


def test_data_files_needing_more_memory_than_there_is_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rels = _sized(tmp_path, {"a.csv": 6, "b.csv": 5})  # 11 bytes need about 33 in memory
    monkeypatch.setattr(guard, "available_memory", lambda: 33)
    assert guard.total_size(tmp_path, rels) == []
    monkeypatch.setattr(guard, "available_memory", lambda: 32)
    [memory] = guard.total_size(tmp_path, rels)
    assert (memory.where, memory.rule, memory.message) == (
        "the copy",
        "memory",
        "its data files hold 11 bytes together; validating them needs about 3x that in memory, "
        "more than the 32 bytes this system has available; not parsed",
    )
