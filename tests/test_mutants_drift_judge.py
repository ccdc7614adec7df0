"""A copy of the package judged against its release (validation/drift.py), one fault at a time,
each asserting the problem reported. Written for mutants `make mutation` found surviving
(MUTATION.md): the tests that judge copies use fixtures that build a package, which the fast
selection leaves out; these copy the checkout's descriptor, schemas and data (under 0.5 MB) to a
temporary folder instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from memo724.contract.errors import Problem, Rule
from memo724.contract.paths import DESCRIPTOR, MEMO_NAME, REPO, Layout
from memo724.contract.release import ReleaseContract, known_versions, release_contract
from memo724.publication.package import csv_text
from memo724.validation import drift, guard
from memo724.validation.catalogue import CATALOGUE
from memo724.validation.drift import judge, judge_own


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copy(REPO.descriptor, tmp_path / DESCRIPTOR)
    shutil.copytree(REPO.data, tmp_path / "data")
    shutil.copytree(REPO.schemas, tmp_path / "schemas")
    return tmp_path


def _edit_json(path: Path, change: Any) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), "utf-8")


def _lines(problems: list[Problem]) -> list[tuple[str, str, int | None, str | None]]:
    return [(p.where, p.rule, p.row, p.field) for p in problems]


def test_an_untouched_copy_has_no_problem(copy: Path) -> None:
    assert judge(copy) == []


def test_a_table_with_only_its_line_ends_changed_says_so(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (problem,) = judge(copy)
    assert (problem.where, problem.rule) == ("data/actors.csv", "line-endings")
    assert problem.message.startswith("only its line ends changed, LF to CRLF")


def test_a_resource_title_added_is_contract_drift(copy: Path) -> None:
    def retitle(d: dict[str, Any]) -> None:
        d["resources"][1]["title"] = "Other"

    _edit_json(copy / DESCRIPTOR, retitle)
    name = json.loads((copy / DESCRIPTOR).read_text("utf-8"))["resources"][1]["name"]
    (problem,) = judge(copy)
    assert _lines([problem]) == [(DESCRIPTOR, "contract-drift", None, f"resources[{name}].title")]
    assert problem.message == 'title added: "Other" (the release has none)'


def test_a_field_description_changed_is_contract_drift(copy: Path) -> None:
    def describe(s: dict[str, Any]) -> None:
        s["fields"][0]["description"] = "changed"

    _edit_json(copy / "schemas" / "actors.json", describe)
    (problem,) = judge(copy)
    assert _lines([problem]) == [("schemas/actors.json", "contract-drift", None, "actor_id")]
    assert problem.message.endswith('to "changed"')


def test_a_missing_table_is_reported_by_its_path(copy: Path) -> None:
    (copy / "data" / "actors.csv").unlink()
    assert _lines(judge(copy)) == [("data/actors.csv", "missing", None, None)]


def test_a_version_no_release_has_names_the_field(copy: Path) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(version="9.9.9"))
    (problem,) = judge(copy)
    assert _lines([problem]) == [(DESCRIPTOR, "release-version", None, "version")]
    assert 'names version "9.9.9"' in problem.message


def test_a_blank_line_is_reported_by_row_and_the_file_as_changed(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    data = path.read_bytes()
    header = data.index(b"\n") + 1
    path.write_bytes(data[:header] + b"\n" + data[header:])
    assert _lines(judge(copy)) == [
        ("data/actors.csv", "changed-since-release", None, None),
        ("actors", "blank-line", 2, None),
    ]


# --- Written for the full run of drift.py (issue 16): judged afresh, then each path once. ---


@pytest.fixture(autouse=True)
def _judged_afresh() -> None:
    # judge() keeps its last results by the bytes judged; mutmut forks each mutant's run after a
    # clean run of these tests, so a result cached there would hide what the mutant changed.
    drift._RESULTS.clear()


def _release() -> ReleaseContract:
    release = release_contract(json.loads(REPO.descriptor.read_text("utf-8"))["version"])
    assert release is not None
    return release


def _found(problems: list[Problem]) -> set[tuple[str, str, int | None, str | None]]:
    return set(_lines(problems))


def _blank_first_actor_id(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    header, first, rest = path.read_text("utf-8").split("\n", 2)
    path.write_text("\n".join([header, "," + first.split(",", 1)[1], rest]), "utf-8")


def test_a_fault_is_found_in_a_copy_judged_after_its_untouched_twin(copy: Path) -> None:
    assert judge(copy) == []
    _blank_first_actor_id(copy)
    assert ("actors", "required", 2, "actor_id") in _found(judge(copy))


def test_the_last_eight_results_are_kept_and_an_older_one_is_validated_again(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated: list[str] = []
    memo = copy / "data" / MEMO_NAME
    text = memo.read_text("utf-8")

    def counting(contract: Any, sources: Any, memo: str | None, **kw: Any) -> list[Problem]:
        assert memo is not None
        validated.append(memo[len(text) :])
        return []

    monkeypatch.setattr(drift, "validate_tables", counting)

    def judge_variant(i: int) -> None:
        memo.write_text(text + str(i), "utf-8")  # other bytes, so another result
        judge(copy)

    for i in range(9):
        judge_variant(i)
    judge_variant(1)  # among the last eight: not validated again
    judge_variant(0)  # the oldest, dropped when the ninth came
    assert validated == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "0"]


def test_frictionless_messages_name_the_copys_path_not_the_private_folder(copy: Path) -> None:
    (copy / "data" / "actors.csv").unlink()
    assert judge(copy) == [Problem("data/actors.csv", "missing", "the file is missing")]
    found = judge(copy, frictionless=True)
    scheme = [p for p in found if p.where == "actors" and p.validator == "frictionless"]
    assert [(p.rule, p.message) for p in scheme] == [
        ("scheme-error", "[Errno 2] No such file or directory: 'data/actors.csv'")
    ]


def test_a_copy_judged_against_a_release_it_does_not_name_shows_the_version_drift(
    copy: Path,
) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(version="9.9.9"))
    (problem,) = judge(copy, _release())
    assert _lines([problem]) == [(DESCRIPTOR, "contract-drift", None, "version")]


def test_a_version_that_is_no_string_is_named_with_the_releases_known(copy: Path) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(version=5))
    (problem,) = judge(copy)
    assert _lines([problem]) == [(DESCRIPTOR, "release-version", None, "version")]
    assert problem.message == (
        f"names version 5, not a release this memo724 knows ({', '.join(known_versions())}); "
        "install the memo724 of that version to judge it, or, if it is a package of its own in "
        "memo724's schemas, name the contract it follows: memo724 validate PATH --contract "
        "VERSION"
    )


def test_a_changed_table_names_both_hashes(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    path.write_bytes(path.read_bytes() + b"x,x,x,person,,,\n")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = _release().files["data/actors.csv"]
    changed = [p for p in judge(copy) if p.rule == "changed-since-release"]
    assert [(p.where, p.message) for p in changed] == [
        (
            "data/actors.csv",
            f"changed since release {_release().version} (sha256 {actual[:16]}..., the release "
            f"has {expected[:16]}...); its rows are checked below",
        )
    ]


def test_a_byte_order_mark_is_named_and_the_rows_read_without_it(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _lines(judge(copy)) == [
        ("data/actors.csv", "changed-since-release", None, None),
        ("data/actors.csv", "utf-8-bom", None, None),
    ]


def test_a_bad_byte_in_a_table_is_named_by_the_tables_path(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    path.write_bytes(path.read_bytes() + b"\xff")
    bad = [p for p in judge(copy) if p.rule == "utf-8"]
    assert [p.where for p in bad] == ["data/actors.csv"]


def test_a_descriptors_byte_order_mark_is_kept_beside_the_drift(copy: Path) -> None:
    path = copy / DESCRIPTOR
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _lines(judge(copy)) == [(DESCRIPTOR, "utf-8-bom", None, None)]


def test_a_path_out_of_the_copy_stops_the_judging(copy: Path) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d["resources"][3].update(path="../actors.csv"))
    problems = judge(copy)
    assert [(p.where, p.rule) for p in problems] == [(DESCRIPTOR, "path-parent")]


def test_a_copy_over_a_copys_size_is_refused_a_package_of_its_own_is_not(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_COPY_BYTES", 1000)
    assert [(p.where, p.rule) for p in judge(copy)] == [("the copy", "copy-size")]
    assert judge(copy, _release(), own=True) == []


def test_a_table_over_a_copys_table_limit_is_refused_in_a_package_of_its_own_not(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_TABLE_BYTES", 1000)
    found = judge(copy)
    assert ("data/actors.csv", "file-size", None, None) in _found(found)
    assert judge(copy, _release(), own=True) == []


def test_an_inline_schema_is_judged_and_named_as_the_descriptors(copy: Path) -> None:
    schema = json.loads((copy / "schemas" / "actors.json").read_text("utf-8"))
    schema["fields"][0]["description"] = "changed"
    schema["fields"][1]["type"] = "nonsense"

    def inline(d: dict[str, Any]) -> None:
        next(r for r in d["resources"] if r["name"] == "actors")["schema"] = schema

    _edit_json(copy / DESCRIPTOR, inline)
    shown = f"{DESCRIPTOR} (inline schema of actors)"
    found = _found(judge(copy))
    assert (shown, "contract-drift", None, "actor_id") in found
    assert (shown, "unsupported-type", None, "name") in found
    assert (DESCRIPTOR, "contract-drift", None, "resources[actors].schema") in found


def test_a_schema_moved_elsewhere_is_read_from_where_the_copy_says(copy: Path) -> None:
    schema = json.loads((copy / "schemas" / "actors.json").read_text("utf-8"))
    schema["fields"][1]["type"] = "nonsense"
    (copy / "schemas" / "moved.json").write_text(json.dumps(schema), "utf-8")

    def move(d: dict[str, Any]) -> None:
        next(r for r in d["resources"] if r["name"] == "actors")["schema"] = "schemas/moved.json"

    _edit_json(copy / DESCRIPTOR, move)
    found = _found(judge(copy))
    assert ("schemas/moved.json", "unsupported-type", None, "name") in found
    assert not any(where == "schemas/actors.json" for where, *_ in found)


def test_a_resource_without_a_schema_has_its_tables_schema_read_from_the_release_path(
    copy: Path,
) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d["resources"][3].pop("schema"))
    schema = copy / "schemas" / "actors.json"
    _edit_json(schema, lambda s: s["fields"][1].update(type="nonsense"))
    found = _found(judge(copy))
    assert ("schemas/actors.json", "unsupported-type", None, "name") in found


def _own(copy: Path, change: Any) -> list[Problem]:
    def restate(d: dict[str, Any]) -> None:
        d.update(name="my-package", title="My package")  # its identity is its own
        change(next(r for r in d["resources"] if r["name"] == "actors"))

    _edit_json(copy / DESCRIPTOR, restate)
    return judge(copy, _release(), own=True)


def test_a_package_of_its_own_is_judged_by_the_facts_it_states(copy: Path) -> None:
    size = (copy / "data" / "actors.csv").stat().st_size
    found = _own(copy, lambda r: r.update(bytes=1, hash="sha256:" + "0" * 64))
    sha = hashlib.sha256((copy / "data" / "actors.csv").read_bytes()).hexdigest()
    assert [(p.where, p.rule, p.message) for p in found] == [
        ("actors", "byte-count", f"the descriptor says 1 bytes; the file has {size}"),
        ("actors", "hash-count", f"the descriptor says sha256 {'0' * 64}; the file's is {sha}"),
    ]


def test_a_package_of_its_own_may_state_a_bare_md5(copy: Path) -> None:
    md5 = hashlib.md5((copy / "data" / "actors.csv").read_bytes()).hexdigest()
    assert _own(copy, lambda r: r.update(hash=md5)) == []


def test_a_package_of_its_own_names_an_unnamed_resources_facts_by_its_path(copy: Path) -> None:
    found = _own(copy, lambda r: r.update(bytes=1))
    assert ("actors", "byte-count", None, None) in _found(found)
    # the same resource without a name: its facts are named by the file's path
    _edit_json(copy / DESCRIPTOR, lambda d: d["resources"][3].pop("name"))
    found = judge(copy, _release(), own=True)
    assert ("data/actors.csv", "byte-count", None, None) in _found(found)


def test_a_package_of_its_own_bounds_its_text_by_its_own_memo(copy: Path) -> None:
    memo = copy / "data" / MEMO_NAME
    memo.write_text(memo.read_text("utf-8") * 2, "utf-8")
    long = "y" * (_release().memo_code_points + 1)
    path = copy / "data" / "actors.csv"
    header, first, rest = path.read_text("utf-8").split("\n", 2)
    cells = first.split(",")
    cells[6] = long  # role_title: free text, bounded by the memo's length
    path.write_text("\n".join([header, ",".join(cells), rest]), "utf-8")
    too_long = ("actors", "maxLength", 2, "role_title")
    assert too_long in _found(judge(copy))
    assert too_long not in _found(_own(copy, lambda r: None))


def test_judge_own_reports_a_schema_it_cannot_derive_without_reading_rows(copy: Path) -> None:
    _edit_json(copy / "schemas" / "actors.json", lambda s: s["fields"][1].update(type="x"))
    (copy / "schemas" / "events.json").write_text("{", "utf-8")
    found = judge_own(Layout(copy), frictionless=False)
    assert [(p.where, p.rule, p.field) for p in found] == [
        ("schemas/actors.json", "unsupported-type", "name"),
        ("schemas/events.json", "json", None),
    ]


def test_judge_own_runs_frictionless_unless_told_not_to(copy: Path) -> None:
    _blank_first_actor_id(copy)
    by = {p.validator for p in judge_own(Layout(copy))}
    assert "frictionless" in by
    assert "frictionless" not in {p.validator for p in judge_own(Layout(copy), frictionless=False)}


def test_the_memo_is_found_by_its_resources_name() -> None:
    resources = [
        {"name": "documents", "path": "data/documents.csv"},
        {"name": "memo", "path": "texts/memo.txt"},
    ]
    assert drift._memo_path(SimpleNamespace(resources=resources)) == "texts/memo.txt"  # type: ignore[arg-type]
    nameless = [{"name": "memo"}, {"path": "texts/memo.txt"}]
    assert drift._memo_path(SimpleNamespace(resources=nameless)) == f"data/{MEMO_NAME}"  # type: ignore[arg-type]


def test_a_problem_is_one_line_with_a_long_value_shortened_and_its_rule_a_record() -> None:
    value = "v" * 81
    line = drift._one_line(Problem("t", "required", "two\n  lines", value=value))
    assert line.message == "two lines"
    assert line.value == f"{'v' * 60}... (81 characters)"
    assert isinstance(line.rule, Rule) and line.rule.message == CATALOGUE["required"].rule.message
    assert drift._one_line(Problem("t", "required", "m", value="v" * 80)).value == "v" * 80
    unknown = drift._one_line(Problem("t", "not-a-rule", "m"))
    assert unknown.rule == "not-a-rule" and not isinstance(unknown.rule, Rule)


def test_a_problem_reported_twice_is_listed_once() -> None:
    a, b = Problem("t", "required", "m", row=2), Problem("t", "required", "m", row=3)
    assert drift._unique([a, b, a, b]) == [drift._one_line(a), drift._one_line(b)]


def test_a_copy_without_its_memo_names_the_memo_missing(copy: Path) -> None:
    (copy / "data" / MEMO_NAME).unlink()
    assert _lines(judge(copy)) == [(f"data/{MEMO_NAME}", "missing", None, None)]


def test_resources_that_are_no_list_are_drift_not_a_crash(copy: Path) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(resources=5))
    assert _lines(judge(copy)) == [(DESCRIPTOR, "contract-drift", None, "resources")]


def test_a_formula_led_number_is_refused_in_a_copy(copy: Path) -> None:
    path = copy / "data" / "evidence.csv"
    path.write_text(path.read_text("utf-8").replace(",14235,", ",+14235,", 1), "utf-8")
    assert _lines(judge(copy)) == [
        ("data/evidence.csv", "changed-since-release", None, None),
        ("evidence", "spreadsheet-safe", 2, "start"),
    ]


def test_a_word_changed_in_the_memo_fails_the_rows_that_quote_it(copy: Path) -> None:
    path = copy / "data" / MEMO_NAME
    text = path.read_text("utf-8")
    assert text.count("Abdul Latif Pedram") == 1
    path.write_text(text.replace("Abdul Latif Pedram", "Abdul Latif Pedrax"), "utf-8")
    found = _found(judge(copy))
    assert ("documents", "memo-hash", 2, "sha256") in found
    assert ("evidence", "exact-at-offsets", 2, "exact") in found


def test_frictionless_judges_the_rows_by_the_release_not_by_the_hashes_it_states(
    copy: Path,
) -> None:
    # The private folder holds the release's descriptor without its files' sizes and hashes:
    # the rows of a changed table are judged, not its bytes against the release's hash.
    _blank_first_actor_id(copy)
    found = judge(copy, frictionless=True)
    assert {(p.where, p.rule, p.row, p.field) for p in found if p.validator == "frictionless"} == {
        ("actors", "primaryKey", 2, None),
        ("actors", "required", 2, "actor_id"),
        ("event_participants", "foreignKey", 68, "actor_id"),
        ("relations", "foreignKey", 2, "subject_actor_id"),
        ("evidence", "foreignKey", 2, "actor_id"),
    }


def test_judge_own_reads_tables_and_schemas_in_nested_folders(copy: Path) -> None:
    # Two levels below the copy, in folders no other file is in: each level must be made.
    (copy / "tables" / "people").mkdir(parents=True)
    (copy / "data" / "actors.csv").rename(copy / "tables" / "people" / "actors.csv")
    (copy / "meta" / "schemas").mkdir(parents=True)
    (copy / "schemas" / "actors.json").rename(copy / "meta" / "schemas" / "actors.json")

    def nest(d: dict[str, Any]) -> None:
        d["resources"][3].update(path="tables/people/actors.csv", schema="meta/schemas/actors.json")

    _edit_json(copy / DESCRIPTOR, nest)
    assert judge_own(Layout(copy)) == []


def test_judge_own_judges_by_the_copys_own_contract_whatever_version_it_names(
    copy: Path,
) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(version="9.9.9"))
    assert judge_own(Layout(copy), frictionless=False) == []


def test_a_package_of_its_own_with_resources_no_list_is_drift_not_a_crash(copy: Path) -> None:
    _edit_json(copy / DESCRIPTOR, lambda d: d.update(resources=5))
    found = judge(copy, _release(), own=True)
    assert _lines(found) == [(DESCRIPTOR, "contract-drift", None, "resources")]


def test_a_memo_quote_may_begin_as_a_formula_under_a_release_naming_it_by_table(
    copy: Path,
) -> None:
    # Releases up to 0.4.0 state no `memoText`: their memo quotes are known by table and field,
    # and are exempt from the spreadsheet rule (they hold the memo's words as written).
    release = release_contract("0.4.0")
    assert release is not None and "memoText" not in json.dumps(release.schemas)
    path = copy / "data" / "evidence.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    rows[0]["prefix"] = "-" + rows[0]["prefix"][1:]
    path.write_text(csv_text(list(rows[0]), rows), "utf-8")
    found = _found(judge(copy, release))
    assert {(w, r, row, f) for w, r, row, f in found if w == "evidence"} == {
        ("evidence", "prefix-at-offsets", 2, "start")
    }


def test_a_table_with_its_line_ends_changed_is_still_read_for_the_keys_into_it(
    copy: Path,
) -> None:
    actors = copy / "data" / "actors.csv"
    actors.write_bytes(actors.read_bytes().replace(b"\n", b"\r\n"))
    path = copy / "data" / "event_participants.csv"
    text = path.read_text("utf-8")
    path.write_text(text.replace(",afghan-de-facto-authorities,", ",nobody,", 1), "utf-8")
    assert _lines(judge(copy)) == [
        ("data/actors.csv", "line-endings", None, None),
        ("data/event_participants.csv", "changed-since-release", None, None),
        ("event_participants", "foreignKey", 2, "actor_id"),
    ]


def test_frictionless_pattern_failures_are_named_by_the_contracts_rule(copy: Path) -> None:
    path = copy / "data" / "actors.csv"
    text = path.read_text("utf-8")
    path.write_text(text.replace(",Abdul Latif Pedram,", ",=Abdul Latif Pedram,", 1), "utf-8")
    found = [p for p in judge(copy, frictionless=True) if p.validator == "frictionless"]
    assert [(p.where, p.rule, p.row, p.field) for p in found] == [
        ("actors", "spreadsheet-safe", 2, "name")
    ]
    assert found[0].message.startswith("must not begin with =, +, -, @, tab or carriage return")
