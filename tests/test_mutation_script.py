"""The mutation command's bookkeeping (scripts/mutation.py): which mutants it asks mutmut for,
how it matches equivalents, and the score it commits. No mutant is run here."""

from __future__ import annotations

from pathlib import Path

import mutation
import pytest
from mutation import Equivalent, Mutant, UsageError


def test_a_module_or_package_names_its_mutants() -> None:
    src = mutation.SRC
    assert mutation.glob_for(src / "memo724" / "contract") == "memo724.contract.*"
    assert mutation.glob_for(src / "memo724" / "validation" / "files.py") == (
        "memo724.validation.files.*"
    )
    assert mutation.module_path("src/memo724/contract/edtf.py") == src / "memo724/contract/edtf.py"


@pytest.mark.parametrize("arg", ["src/memo724/nothing.py", "tests", "src", "../src/memo724"])
def test_only_modules_under_src_can_be_named(arg: str) -> None:
    with pytest.raises(UsageError, match=r"not a module or package under src/"):
        mutation.module_path(arg)


def test_a_bad_module_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert mutation.main(["src/memo724/nothing.py", "--report-only"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "mutation: src/memo724/nothing.py: not a module or package under src/\n"


def test_mutmuts_exit_codes_read_as_statuses() -> None:
    assert [mutation.status_of(c) for c in (1, 3, 37, 36, -24, 0, None, 33, 5, 34, 99)] == [
        "killed",
        "killed",
        "killed",
        "timeout",
        "timeout",
        "survived",
        "not run",
        "no tests",
        "no tests",
        "not run",
        "suspicious",
    ]


DIFF = """--- src/memo724/contract/edtf.py
+++ src/memo724/contract/edtf.py
@@ -1,3 +1,3 @@
 def f():
-    return 1
+    return 2
"""


def _mutant(number: int, status: str, module: str = "src/memo724/contract/edtf.py") -> Mutant:
    return Mutant(f"memo724.contract.edtf.x_f__mutmut_{number}", module, status, DIFF)


def test_a_mutant_is_known_by_its_function_and_changed_lines_not_its_number() -> None:
    mutant = _mutant(12, "survived")
    assert mutant.function == "memo724.contract.edtf.x_f"
    assert mutant.changed_lines == ["-    return 1", "+    return 2"]
    same = Equivalent("memo724.contract.edtf.x_f", ("-    return 1", "+    return 2"), "why")
    assert mutation.equivalence(_mutant(99, "survived"), [same]) == "why"
    other = Equivalent("memo724.contract.edtf.x_g", same.lines, "why")
    assert mutation.equivalence(mutant, [other]) is None
    untested = Equivalent(same.function, same.lines, "only on Windows", "untested")
    assert mutation.equivalence(mutant, [untested]) is None
    assert mutation.matching(mutant, [untested], "untested") == "only on Windows"


def test_the_score_is_killed_over_mutants_less_equivalents() -> None:
    lines = ("-    return 1", "+    return 2")
    mutants = [
        _mutant(1, "killed"),
        _mutant(2, "timeout"),
        _mutant(3, "survived"),  # equivalent
        Mutant(
            "memo724.contract.edtf.x_g__mutmut_1",
            "src/memo724/contract/edtf.py",
            "no tests",
            DIFF.replace("return 2", "return 3"),
        ),
        _mutant(5, "killed", module="src/memo724/contract/memo.py"),
    ]
    equivalents = [
        Equivalent("memo724.contract.edtf.x_f", lines, "same"),
        Equivalent("memo724.contract.edtf.x_h", lines, "stale"),  # matches nothing
        Equivalent("memo724.contract.memo.x_h", lines, "elsewhere"),  # a module not run
    ]
    summary = mutation.summarise(mutants, equivalents)
    assert (summary["mutants"], summary["killed"], summary["equivalent"]) == (5, 3, 1)
    assert summary["survived"] == 1
    assert summary["score"] == 75.0  # 3 / (5 - 1)
    assert summary["modules"] == {
        "src/memo724/contract/edtf.py": {
            "mutants": 4,
            "killed": 2,
            "equivalent": 1,
            "survived": 1,
            "score": 66.7,
        },
        "src/memo724/contract/memo.py": {
            "mutants": 1,
            "killed": 1,
            "equivalent": 0,
            "survived": 0,
            "score": 100.0,
        },
    }
    assert [s["name"] for s in summary["survivors"]] == [
        "memo724.contract.edtf.x_f__mutmut_3",
        "memo724.contract.edtf.x_g__mutmut_1",
    ]
    assert summary["unmatched_equivalents"] == ["memo724.contract.edtf.x_h"]
    text = mutation.markdown(summary)
    assert "**Overall: 75.0%** (3 killed of 5 mutants, 1 equivalent, 1 surviving)." in text
    assert "| src/memo724/contract/edtf.py | 4 | 2 | 1 | 1 | 66.7% |" in text
    assert "- `memo724.contract.edtf.x_g__mutmut_1` (no tests)" in text
    assert "- `memo724.contract.edtf.x_f__mutmut_3`: same" in text
    assert "- `memo724.contract.edtf.x_h` (killed now, or its code changed" in text


def test_an_equivalent_without_its_reason_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mutation-equivalents.toml"
    path.write_text('[[equivalent]]\nfunction = "f"\nlines = []\n', encoding="utf-8")
    monkeypatch.setattr(mutation, "EQUIVALENTS", path)
    with pytest.raises(UsageError) as caught:
        mutation.read_equivalents()
    assert str(caught.value) == (
        "mutation-equivalents.toml: equivalent 1: field reason missing "
        "(rule: each entry names its function, changed lines and reason)"
    )


def test_the_committed_equivalents_all_give_a_reason() -> None:
    entries = mutation.read_equivalents()
    assert entries, "mutation-equivalents.toml is read"
    assert all(e.reason.strip() and e.lines for e in entries)


def test_mutants_not_run_are_left_out_of_the_score_and_listed() -> None:
    mutants = [
        _mutant(1, "killed"),
        _mutant(2, "survived"),
        _mutant(3, "not run"),
        _mutant(4, "not run", module="src/memo724/contract/memo.py"),
    ]
    summary = mutation.summarise(mutants, [])
    assert (summary["mutants"], summary["killed"], summary["survived"]) == (2, 1, 1)
    assert summary["score"] == 50.0
    assert list(summary["modules"]) == ["src/memo724/contract/edtf.py"]
    assert summary["not_run"] == {
        "src/memo724/contract/edtf.py": 1,
        "src/memo724/contract/memo.py": 1,
    }
    text = mutation.markdown(summary)
    assert "## Mutants not run (not in the score)" in text
    assert "- src/memo724/contract/memo.py: 1" in text
    assert set(summary["environment"]) == {"pyarrow", "pandas", "pandera"}
    commit = str(summary["commit"])
    assert len(commit.removesuffix("+changes")) == 40
    assert f"Measured at commit {commit} with pyarrow {summary['environment']['pyarrow']}" in text


def test_fresh_needs_the_tests_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert mutation.main(["src/memo724/contract/edtf.py", "--fresh", "x*"]) == 2
    assert capsys.readouterr().err == "mutation: --fresh needs the tests to run after --\n"


def test_modules_not_measured_keep_their_last_row_with_its_commit() -> None:
    summary = mutation.summarise([_mutant(1, "killed")], [])
    row = {"mutants": 4, "killed": 3, "equivalent": 1, "survived": 0, "score": 100.0}
    previous = {
        "commit": "abc",
        "modules": {"src/memo724/contract/edtf.py": row, "src/memo724/contract/memo.py": row},
        "earlier": {"modules": {"src/memo724/contract/old.py": {**row, "commit": "old"}}},
    }
    mutation.carry_earlier(summary, previous)
    assert summary["earlier"] == {
        "modules": {
            "src/memo724/contract/memo.py": {**row, "commit": "abc"},  # edtf.py was measured now
            "src/memo724/contract/old.py": {**row, "commit": "old"},
        }
    }
    text = mutation.markdown(summary)
    assert "| src/memo724/contract/memo.py | 4 | 3 | 1 | 0 | 100.0% | abc |" in text
    mutation.carry_earlier(summary, None)
    assert "earlier" in summary  # nothing to carry changes nothing
