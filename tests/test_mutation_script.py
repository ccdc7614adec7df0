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
        Equivalent("memo724.contract.paths.x_h", lines, "elsewhere"),  # a module not run
    ]
    summary = mutation.summarise(mutants, equivalents)
    assert (summary["mutants"], summary["killed"], summary["equivalent"]) == (5, 3, 1)
    assert summary["survived"] == 1
    assert summary["score"] == 75.0  # 3 / (5 - 1)
    commit = summary["commit"]
    assert summary["modules"] == {
        "src/memo724/contract/edtf.py": {
            "mutants": 4,
            "killed": 2,
            "equivalent": 1,
            "survived": 1,
            "score": 66.7,
            "commit": commit,
        },
        "src/memo724/contract/memo.py": {
            "mutants": 1,
            "killed": 1,
            "equivalent": 0,
            "survived": 0,
            "score": 100.0,
            "commit": commit,
        },
    }
    assert [s["name"] for s in summary["survivors"]] == [
        "memo724.contract.edtf.x_f__mutmut_3",
        "memo724.contract.edtf.x_g__mutmut_1",
    ]
    assert summary["unmatched_equivalents"] == ["memo724.contract.edtf.x_h"]
    text = mutation.markdown(summary)
    assert "**Overall: 75.0%** (3 killed of 5 mutants, 1 equivalent, 1 surviving) over 2" in text
    assert f"| src/memo724/contract/edtf.py | 4 | 2 | 1 | 1 | 66.7% | 0 | {commit[:10]}" in text
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
    assert (
        f"The last run was at commit {commit}, with\npyarrow {summary['environment']['pyarrow']}"
        in text
    )


def test_fresh_needs_the_tests_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert mutation.main(["src/memo724/contract/edtf.py", "--fresh", "x*"]) == 2
    assert capsys.readouterr().err == "mutation: --fresh needs the tests to run after --\n"


def _row(mutants: int, killed: int, equivalent: int, survived: int, commit: str) -> dict:
    judged = mutants - equivalent
    return {
        "mutants": mutants,
        "killed": killed,
        "equivalent": equivalent,
        "survived": survived,
        "score": round(100 * killed / judged, 1),
        "commit": commit,
    }


def test_a_run_keeps_the_other_modules_last_rows_and_scores_over_all() -> None:
    lines = ("-    return 1", "+    return 2")
    # This run measures edtf.py only: 1 killed of 1.
    summary = mutation.summarise([_mutant(1, "killed")], [])
    now = str(summary["commit"])
    survivor = {
        "name": "memo724.contract.memo.x_h__mutmut_4",
        "module": "src/memo724/contract/memo.py",
        "status": "survived",
        "equivalent": None,
        "untested": None,
        "diff": list(lines),
    }
    previous = {
        "commit": "abc",
        "modules": {
            "src/memo724/contract/edtf.py": _row(9, 1, 0, 8, "abc"),  # measured again now
            "src/memo724/contract/memo.py": _row(5, 4, 0, 1, "abc"),
        },
        "survivors": [survivor],
        "not_run": {"src/memo724/contract/memo.py": 2, "src/memo724/contract/edtf.py": 7},
        # the form before runs were merged: rows of older runs apart, without a commit
        "earlier": {"modules": {"src/memo724/contract/paths.py": _row(4, 4, 0, 0, "")}},
    }
    # memo.py's survivor is declared equivalent since: it no longer counts against the score.
    equivalents = [Equivalent("memo724.contract.memo.x_h", lines, "same")]
    merged = mutation.merge(summary, previous, equivalents)
    assert merged["modules"] == {
        "src/memo724/contract/edtf.py": _row(1, 1, 0, 0, now),
        "src/memo724/contract/memo.py": _row(5, 4, 1, 0, "abc"),
        "src/memo724/contract/paths.py": _row(4, 4, 0, 0, mutation.UNNAMED),
    }
    assert (merged["mutants"], merged["killed"], merged["equivalent"]) == (10, 9, 1)
    assert (merged["survived"], merged["score"]) == (0, 100.0)
    assert [s["equivalent"] for s in merged["survivors"]] == ["same"]
    assert merged["not_run"] == {"src/memo724/contract/memo.py": 2}
    assert "earlier" not in merged
    text = mutation.markdown(merged)
    assert "**Overall: 100.0%** (9 killed of 10 mutants, 1 equivalent, 0 surviving)" in text
    assert "over 3 modules, measured at 3 commits." in text
    assert "| src/memo724/contract/memo.py | 5 | 4 | 1 | 0 | 100.0% | 2 | abc | ? |" in text
    assert "- `memo724.contract.memo.x_h__mutmut_4`: same" in text
    assert mutation.merge(summary, None, []) is summary


def test_a_carried_survivor_no_longer_declared_equivalent_counts_again() -> None:
    lines = ["-    return 1", "+    return 2"]
    summary = mutation.summarise([_mutant(1, "killed")], [])
    previous = {
        "modules": {"src/memo724/contract/memo.py": _row(5, 4, 1, 0, "abc")},
        "survivors": [
            {
                "name": "memo724.contract.memo.x_h__mutmut_4",
                "module": "src/memo724/contract/memo.py",
                "status": "survived",
                "equivalent": "an entry since removed",
                "untested": None,
                "diff": lines,
            }
        ],
    }
    merged = mutation.merge(summary, previous, [])
    assert merged["modules"]["src/memo724/contract/memo.py"] == _row(5, 4, 0, 1, "abc")
    assert merged["survived"] == 1
    assert "## Surviving mutants (1)" in mutation.markdown(merged)


def test_a_row_says_whether_its_module_changed_since_its_commit() -> None:
    head = mutation.git("rev-parse", "HEAD").stdout.strip()
    first = mutation.git("rev-list", "--max-parents=0", "HEAD").stdout.split()[0]
    summary = {
        "modules": {
            "src/memo724/contract/edtf.py": {"commit": head},
            "src/memo724/contract/memo.py": {"commit": first},  # the first commit: not there yet
            "src/memo724/contract/paths.py": {"commit": mutation.UNNAMED},
        }
    }
    mutation.mark_changed(summary)
    rows = summary["modules"]
    edtf_changed = bool(
        mutation.git("status", "--porcelain", "--", "src/memo724/contract/edtf.py").stdout
    )
    assert rows["src/memo724/contract/edtf.py"]["changed_since"] is edtf_changed
    assert rows["src/memo724/contract/memo.py"]["changed_since"] is True
    assert rows["src/memo724/contract/paths.py"]["changed_since"] is None


def test_a_module_measured_in_part_keeps_its_last_complete_row_apart() -> None:
    # This run ran 1 of edtf.py's mutants; 2 were left (a sample).
    summary = mutation.summarise(
        [_mutant(1, "killed"), _mutant(2, "not run"), _mutant(3, "not run")], []
    )
    now = str(summary["commit"])
    complete = _row(9, 9, 0, 0, "abc")
    previous = {"modules": {"src/memo724/contract/edtf.py": complete}, "not_run": {}}
    merged = mutation.merge(summary, previous, [])
    assert merged["modules"] == {"src/memo724/contract/edtf.py": _row(1, 1, 0, 0, now)}
    assert merged["superseded"] == {"src/memo724/contract/edtf.py": complete}
    assert merged["mutants"] == 1  # the superseded row is not in the score
    text = mutation.markdown(merged)
    assert f"| src/memo724/contract/edtf.py | 1 | 1 | 0 | 0 | 100.0% | 2 | {now[:10]}" in text
    assert "| src/memo724/contract/edtf.py | 9 | 9 | 0 | 0 | 100.0% | abc |" in text
    # A second partial run keeps it; a complete one drops it.
    again = mutation.merge(
        mutation.summarise([_mutant(1, "killed"), _mutant(2, "not run")], []), merged, []
    )
    assert again["superseded"] == {"src/memo724/contract/edtf.py": complete}
    done = mutation.merge(mutation.summarise([_mutant(1, "killed")], []), again, [])
    assert "superseded" not in done


def test_an_entry_of_a_function_not_fully_run_is_not_called_unmatched() -> None:
    lines = ("-    return 1", "+    return 9")
    entry = Equivalent("memo724.contract.edtf.x_f", lines, "why")  # matches none run here
    ran = [_mutant(1, "killed"), _mutant(2, "killed")]
    assert mutation.summarise(ran, [entry])["unmatched_equivalents"] == [entry.function]
    sampled = mutation.summarise([*ran, _mutant(3, "not run")], [entry])
    assert sampled["unmatched_equivalents"] == []


def test_a_module_no_longer_in_the_tree_is_not_carried() -> None:
    summary = mutation.summarise([_mutant(1, "killed")], [])
    gone = "src/memo724/validation/no_such_module.py"
    previous = {
        "modules": {
            gone: _row(5, 5, 0, 0, "abc"),
            "src/memo724/contract/memo.py": _row(5, 5, 0, 0, "abc"),
        },
        "survivors": [],
    }
    merged = mutation.merge(summary, previous, [])
    assert gone not in merged["modules"]
    assert "src/memo724/contract/memo.py" in merged["modules"]
