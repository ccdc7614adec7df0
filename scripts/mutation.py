"""Mutation testing of the contract and the validators: `make mutation` (a maintainer's command).

Runs mutmut (pinned in pyproject's dev extra, configured under [tool.mutmut]) over the modules
named on the command line, then writes the score and every surviving mutant to MUTATION.md (for
people) and mutation.json (for programs). A survivor is either killed by a new test or declared
equivalent in mutation-equivalents.toml, with the reason: the score is
killed / (mutants - equivalent), per module and overall. A survivor no test here can kill (it
differs only on another platform or library version) stays a survivor; the same file may say why
(`[[untested]]`).

    python scripts/mutation.py                       # the default modules below
    python scripts/mutation.py src/memo724/validation/guard.py src/memo724/contract
    python scripts/mutation.py --report-only         # rewrite the report from mutants/
    python scripts/mutation.py --survivors           # run again only what was not killed
    python scripts/mutation.py src/memo724/validation/provenance.py \
        --fresh 'memo724.validation.provenance.x__span_rule*' -- tests/test_rule_catalogue.py

mutmut runs each mutant in a process forked after the tests' modules were imported, and maps
each function to the tests that called it. A function called at import time (a factory that
registers rules: provenance's _span_rule) is therefore mapped to whichever test imported the
module first, and its mutants never act on what was already registered: mutmut reports them as
surviving whatever the tests are. `--fresh GLOB -- PYTEST_ARGS` runs each not-killed mutant
matching GLOB in a new pytest process (the module imported with the mutant active) against
PYTEST_ARGS, and records the outcome beside mutmut's (mutants/fresh-results.json), which the
report reads as mutmut's own; it may run while mutmut does. mutmut (3.8.1) does not mutate a
function with a decorator other than staticmethod/classmethod, so the rule builders of
validation/ are registered by a call after their definition (`register(...)(builder)`, see
validation/catalogue.py) and are mutated like any other function; they run when a table's
schema is derived, at test time, so mutmut's forked runs reach them.

Each run measures the modules it names; the report keeps every other module's last row, with
the commit it was measured at and its surviving mutants, so MUTATION.md and mutation.json give
the score over every module ever measured (the newest measurement of each) and overall. A row
whose module changed since its commit says so: run that module again.

mutmut names a mutant after its function and a number that changes whenever the function gains
or loses a mutation, so an equivalent mutant is matched by its function and the lines it changes,
never by its number.

Not part of `make test`: it runs each module's tests once per mutant (hours of CPU on a laptop).
"""

from __future__ import annotations

import argparse
import fcntl
import fnmatch
import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
EQUIVALENTS = ROOT / "mutation-equivalents.toml"
REPORT = ROOT / "MUTATION.md"
RESULTS = ROOT / "mutation.json"

# The modules least likely to change: the contract (with its CSV row reader) and two
# validators. The rest of validation/ runs the same way when named on the command line.
DEFAULT_MODULES = (
    "src/memo724/contract",
    "src/memo724/validation/files.py",
    "src/memo724/validation/checks.py",
)

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code, version pinned).
KILLED = {1: "killed", 3: "killed", 37: "killed"}
TIMEOUT = {36, -24, 24, 152, 255}
NOT_RUN = {None, 2, 34}
NO_TESTS = {5, 33}


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class Mutant:
    name: str  # memo724.contract.edtf.x__single__mutmut_12
    module: str  # src/memo724/contract/edtf.py
    status: str  # killed, timeout, survived, no tests, suspicious, not run
    diff: str = ""

    @property
    def function(self) -> str:
        return re.sub(r"__mutmut_\d+$", "", self.name)

    @property
    def changed_lines(self) -> list[str]:
        """The diff's removed and added lines: what the mutation is, whatever its number."""
        return [
            line
            for line in self.diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("---", "+++"))
        ]


def status_of(code: int | None) -> str:
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code in NOT_RUN:
        return "not run"
    if code in NO_TESTS:
        return "no tests"
    if code == 0:
        return "survived"
    return "suspicious"


def module_path(arg: str) -> Path:
    path = (ROOT / arg).resolve()
    if not path.exists() or SRC not in path.parents:
        raise UsageError(f"{arg}: not a module or package under src/")
    return path


def glob_for(path: Path) -> str:
    """mutmut's name pattern for the mutants of a module or of a package's modules."""
    dotted = ".".join(path.relative_to(SRC).with_suffix("").parts)
    return f"{dotted}.*"


def run_mutmut(names: list[str], children: int) -> None:
    mutmut = Path(sys.executable).parent / "mutmut"
    # scripts/ holds the pytest plugin that leaves out the tests that build a package
    # ([tool.mutmut] pytest_add_cli_args); pytest imports `-p` plugins before its own pythonpath.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    cmd = [str(mutmut), "run", "--max-children", str(children), *names]
    forget_fresh(names)
    # mutmut's own exit code says nothing about the score; its results are read below.
    subprocess.run(cmd, cwd=ROOT, env=env, check=False)


def run_fresh(names: list[str], pytest_args: list[str]) -> dict[str, int]:
    """Each mutant in a new pytest process under mutants/ (see the module's docstring)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "mutants" / "src"),
                                                        str(ROOT / "scripts")])}  # fmt: skip
    base = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    codes = {}
    for name in names:
        env["MUTANT_UNDER_TEST"] = name
        done = subprocess.run(
            [*base, "-p", "mutation_selection", *pytest_args],
            cwd=ROOT / "mutants", env=env, check=False, capture_output=True,
        )  # fmt: skip
        # pytest: 0 passed, 5 collected nothing; any other code (a failure, or an import or
        # collection error the mutant caused) means the tests caught it.
        code = done.returncode if done.returncode in (0, 5) else 1
        codes[name] = code
        record_codes({name: code})  # kept if the run is stopped part way
        print(f"{name}: {status_of(code)} (pytest exit {done.returncode})", flush=True)
    return codes


FRESH = ROOT / "mutants" / "fresh-results.json"


def record_codes(codes: dict[str, int]) -> None:
    """Keep fresh outcomes beside mutmut's result files, never in them: a mutmut run going on at
    the same time rewrites its files from memory and would drop them. Each outcome keeps the
    mutation it judged (the changed lines), so it is read only while the mutant still is that."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    os.chdir(ROOT)
    found = {}
    for name, code in codes.items():
        module = mutant_source(name)
        diff = get_diff_for_mutant(name, path=str(module)) if module else ""
        found[name] = {"code": code, "diff": Mutant(name, "", "", diff).changed_lines}
    # Several fresh runs may record at once: one at a time, or one's write drops another's.
    with open(FRESH.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fresh = read_fresh()
        fresh.update(found)
        FRESH.write_text(json.dumps(fresh, indent=1, sort_keys=True), encoding="utf-8")


def read_fresh() -> dict[str, dict[str, object]]:
    if not FRESH.is_file():
        return {}
    data = json.loads(FRESH.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def forget_fresh(globs: list[str]) -> None:
    """mutmut is about to run these mutants again: its outcome is the newer one."""
    fresh = read_fresh()
    kept = {n: v for n, v in fresh.items() if not any(fnmatch.fnmatch(n, g) for g in globs)}
    if kept != fresh:
        FRESH.write_text(json.dumps(kept, indent=1, sort_keys=True), encoding="utf-8")


def mutant_source(name: str) -> Path | None:
    """mutants/src/memo724/x/y.py's path as mutmut names it (src/memo724/x/y.py), by the mutant's
    name (memo724.x.y.x_f__mutmut_1, or memo724.x.y.xǁClassǁmethod__mutmut_1)."""
    parts = name.split(".")
    for n in range(len(parts) - 1, 0, -1):
        path = Path("src", *parts[:n]).with_suffix(".py")
        if (ROOT / "mutants" / path).is_file():
            return path
    return None


def read_results(globs: list[str], diffs: bool = True) -> list[Mutant]:
    # mutmut's own reader of a mutant's diff; run from the root, where mutants/ lies.
    os.chdir(ROOT)
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    fresh = read_fresh()
    mutants: list[Mutant] = []
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        source = meta.relative_to(ROOT / "mutants").with_suffix("")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in sorted(codes.items(), key=lambda kv: natural(kv[0])):
            if not any(fnmatch.fnmatch(name, g) for g in globs):
                continue
            status = status_of(code)
            diff = ""
            if name in fresh and status not in ("killed", "timeout"):
                diff = get_diff_for_mutant(name, path=str(source))
                if fresh[name]["diff"] == Mutant(name, "", "", diff).changed_lines:
                    status = status_of(fresh[name]["code"])  # type: ignore[arg-type]
            if diffs and not diff and status not in ("killed", "timeout", "not run"):
                diff = get_diff_for_mutant(name, path=str(source))
            mutants.append(Mutant(name, str(source), status, diff))
    return mutants


def natural(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


@dataclass(frozen=True)
class Equivalent:
    function: str
    lines: tuple[str, ...]
    reason: str
    kind: str = "equivalent"  # or "untested": a survivor, with the reason no test here kills it


def read_equivalents() -> list[Equivalent]:
    if not EQUIVALENTS.is_file():
        return []
    data = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    out = []
    for kind in ("equivalent", "untested"):
        for i, entry in enumerate(data.get(kind, []), start=1):
            missing = {"function", "lines", "reason"} - set(entry)
            if missing:
                raise UsageError(
                    f"{EQUIVALENTS.name}: {kind} {i}: field {sorted(missing)[0]} missing "
                    "(rule: each entry names its function, changed lines and reason)"
                )
            lines = tuple(entry["lines"])
            out.append(Equivalent(entry["function"], lines, entry["reason"], kind))
    return out


def matching(mutant: Mutant, equivalents: list[Equivalent], kind: str) -> str | None:
    lines = tuple(mutant.changed_lines)
    for e in equivalents:
        if (e.kind, e.function, e.lines) == (kind, mutant.function, lines):
            return e.reason
    return None


def equivalence(mutant: Mutant, equivalents: list[Equivalent]) -> str | None:
    return matching(mutant, equivalents, "equivalent")


def score(killed: int, total: int, equivalent: int) -> float:
    judged = total - equivalent
    return 100.0 * killed / judged if judged else 100.0


def survivor_row(m: Mutant, equivalents: list[Equivalent]) -> dict[str, object]:
    return {
        "name": m.name,
        "module": m.module,
        "status": m.status,
        "equivalent": equivalence(m, equivalents),
        "untested": matching(m, equivalents, "untested"),
        "diff": m.changed_lines,
    }


def module_row(counts: Counter[str], commit: str) -> dict[str, object]:
    judged = counts["total"] - counts["killed"] - counts["equivalent"]
    return {
        "mutants": counts["total"],
        "killed": counts["killed"],
        "equivalent": counts["equivalent"],
        "survived": judged,
        "score": round(score(counts["killed"], counts["total"], counts["equivalent"]), 1),
        "commit": commit,
    }


def summarise(mutants: list[Mutant], equivalents: list[Equivalent]) -> dict[str, object]:
    """The score of this run's mutants, per module (each row with the commit it was measured at)
    and overall; `merge` adds the modules earlier runs measured."""
    commit = source_commit()
    modules: dict[str, Counter[str]] = {}
    not_run: Counter[str] = Counter()
    survivors = []
    for m in mutants:
        if m.status == "not run":  # a run stopped early: not measured, so not in the score
            not_run[m.module] += 1
            continue
        counts = modules.setdefault(m.module, Counter())
        counts["total"] += 1
        if m.status in ("killed", "timeout"):
            counts["killed"] += 1
            continue
        row = survivor_row(m, equivalents)
        counts["equivalent" if row["equivalent"] is not None else "survived"] += 1
        survivors.append(row)
    summary: dict[str, object] = {
        "tool": "mutmut " + version("mutmut"),
        "commit": commit,
        "environment": {lib: version(lib) for lib in ("pyarrow", "pandas", "pandera")},
        "measured": sorted(modules),
        "modules": {module: module_row(c, commit) for module, c in sorted(modules.items())},
        "survivors": survivors,
        "not_run": dict(sorted(not_run.items())),
    }
    return total_up(summary, equivalents, mutants)


def total_up(
    summary: dict[str, object],
    equivalents: list[Equivalent],
    mutants: Sequence[Mutant] = (),
    check: set[str] | None = None,
) -> dict[str, object]:
    """Overall figures over every module row, and the equivalence entries of the modules named
    in `check` (all rows' modules by default) that match no surviving mutant (nor any mutant of
    this run). An entry of a function some of whose mutants were not run is not judged."""
    rows = summary["modules"]
    survivors = summary["survivors"]
    assert isinstance(rows, dict) and isinstance(survivors, list)
    total = sum(int(r["mutants"]) for r in rows.values())
    killed = sum(int(r["killed"]) for r in rows.values())
    equivalent = sum(int(r["equivalent"]) for r in rows.values())
    seen = {(m.function, tuple(m.changed_lines)) for m in mutants}
    seen |= {(re.sub(r"__mutmut_\d+$", "", s["name"]), tuple(s["diff"])) for s in survivors}
    partial = {m.function for m in mutants if m.status == "not run"}
    measured = {module_name(module) for module in (rows if check is None else check)}
    unused = [
        e.function
        for e in equivalents
        if e.function.rpartition(".")[0] in measured
        and e.function not in partial
        and (e.function, e.lines) not in seen
    ]
    before = summary.get("unmatched_equivalents")
    unused = sorted({*unused, *(before if check is not None and isinstance(before, list) else [])})
    summary.update(
        score=round(score(killed, total, equivalent), 1),
        mutants=total,
        killed=killed,
        equivalent=equivalent,
        survived=total - killed - equivalent,
        unmatched_equivalents=unused,
    )
    return summary


def module_name(path: str) -> str:
    """src/memo724/contract/edtf.py -> memo724.contract.edtf (mutmut's prefix of its mutants)."""
    return ".".join(Path(path).relative_to("src").with_suffix("").parts)


def source_commit() -> str:
    """The commit the sources were mutated at: the last that changed src/ ('+changes' when
    src/ differs from it), so commits of tests or of this report do not move it."""
    head = git("log", "-1", "--format=%H", "--", "src").stdout.strip() or "unknown"
    dirty = git("status", "--porcelain", "--", "src").stdout.strip()
    return head + ("+changes" if dirty else "")


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def version(dist: str) -> str:
    from importlib.metadata import version as v

    return v(dist)


UNNAMED = "a commit the report did not name"


def merge(
    summary: dict[str, object], previous: dict[str, object] | None, equivalents: list[Equivalent]
) -> dict[str, object]:
    """Add the modules of earlier runs (the previous mutation.json) that this run did not
    measure: their rows with the commit they were measured at, their surviving mutants (judged
    again against today's equivalence entries) and their mutants not run. The newest measurement
    of each module wins, so the report gives the score over all of them."""
    if not previous:
        return summary
    rows = summary["modules"]
    assert isinstance(rows, dict)
    measured = set(rows)
    carried: dict[str, dict[str, object]] = {}
    old = previous.get("earlier")  # the form of mutation.json before the runs were merged
    for modules, commit in (
        (old.get("modules") if isinstance(old, dict) else None, None),
        (previous.get("modules"), previous.get("commit")),
    ):
        for module, row in (modules if isinstance(modules, dict) else {}).items():
            # A module moved or removed since is dropped: its row measured code that is gone.
            if module not in measured and isinstance(row, dict) and (ROOT / module).is_file():
                carried[module] = {**row, "commit": row.get("commit") or commit or UNNAMED}
    kept = [
        s
        for s in previous.get("survivors") or []  # type: ignore[attr-defined]
        if isinstance(s, dict) and s.get("module") in carried
    ]
    for s in kept:
        m = Mutant(s["name"], s["module"], s["status"], "\n".join(s["diff"]))
        s.update(
            equivalent=equivalence(m, equivalents), untested=matching(m, equivalents, "untested")
        )
    for module, row in carried.items():
        mine = [s for s in kept if s["module"] == module]
        # Judge the module's survivors again only when the report holds them all.
        if len(mine) == int(str(row["equivalent"])) + int(str(row["survived"])):
            equivalent = sum(s["equivalent"] is not None for s in mine)
            row.update(
                equivalent=equivalent,
                survived=len(mine) - equivalent,
                score=round(
                    score(int(str(row["killed"])), int(str(row["mutants"])), equivalent), 1
                ),
            )
    not_run = summary["not_run"]
    assert isinstance(not_run, dict)
    # A module this run named but ran no mutant of keeps its last row and that row's count.
    for module in [m for m in not_run if m in carried]:
        del not_run[module]
    before = previous.get("not_run")
    for module, count in (before if isinstance(before, dict) else {}).items():
        if module in carried:
            not_run[module] = count
    # A module this run measured only in part (a sample, a run stopped early) keeps the last
    # complete measurement it replaces, apart and out of the score, until one is complete again.
    before_rows = previous.get("modules")
    before_rows = before_rows if isinstance(before_rows, dict) else {}
    before_not_run = before if isinstance(before, dict) else {}
    superseded = previous.get("superseded")
    superseded = dict(superseded) if isinstance(superseded, dict) else {}
    for module in measured:
        if not not_run.get(module):
            superseded.pop(module, None)
        elif module in before_rows and not before_not_run.get(module):
            row = before_rows[module]
            superseded[module] = {**row, "commit": row.get("commit") or UNNAMED}
    if superseded:
        summary["superseded"] = dict(sorted(superseded.items()))
    survivors = summary["survivors"]
    assert isinstance(survivors, list)
    summary["modules"] = dict(sorted({**rows, **carried}.items()))
    summary["survivors"] = sorted(
        [*survivors, *kept], key=lambda s: (s["module"], natural(s["name"]))
    )
    summary["not_run"] = dict(sorted(not_run.items()))
    summary.pop("earlier", None)
    # This run's modules were judged by summarise, which saw every mutant; the rest here.
    return total_up(summary, equivalents, check=set(carried))


def mark_changed(summary: dict[str, object]) -> None:
    """Note on each row whether its module's source differs now from the commit it was measured
    at (None: that commit is not known here)."""
    rows = summary["modules"]
    assert isinstance(rows, dict)
    for module, row in rows.items():
        commit = str(row.get("commit", "")).removesuffix("+changes")
        if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
            row["changed_since"] = None
            continue
        done = git("diff", "--quiet", commit, "--", module)
        row["changed_since"] = None if done.returncode > 1 else done.returncode == 1


def markdown(summary: dict[str, object]) -> str:
    modules = summary["modules"]
    survivors = summary["survivors"]
    environment = summary.get("environment") or {}
    assert isinstance(modules, dict) and isinstance(survivors, list)
    assert isinstance(environment, dict)
    commits = sorted({str(row.get("commit", UNNAMED)) for row in modules.values()})
    out = [
        "# Mutation testing",
        "",
        "Written by `make mutation` (scripts/mutation.py); do not edit. How well the tests catch",
        f"bugs in the contract and the validators: {summary['tool']} changes one operator,",
        "constant or call at a time and runs the tests that call the changed function (the fast",
        "selection in pyproject's [tool.mutmut]). A mutant is killed when a test fails. A",
        "surviving mutant is either equivalent (it behaves as the original on every input: each",
        "is listed below with the reason, kept in mutation-equivalents.toml) or a gap in the",
        "tests. Score = killed / (mutants - equivalent); a timeout counts as killed.",
        "",
        "mutmut does not mutate a function with a decorator (other than staticmethod or",
        "classmethod), so the rule builders are registered by a call after their definition",
        "(`register(...)(builder)`) and are mutated like every other function. Mutants of",
        "functions run at import time (the factories that register rules) are run in a fresh",
        "process (`--fresh`), since mutmut's forked runs never re-import a module.",
        "",
        "Each run measures the modules it names; the table keeps every module's newest",
        "measurement, with the commit it was measured at, so the overall score covers all of",
        "them. 'changed' says the module's source differs now from that commit (run it again).",
        f"The last run was at commit {summary.get('commit', 'unknown')}, with",
        ", ".join(f"{k} {v}" for k, v in environment.items())
        + " (the main venv, as for every run here; the lowest supported pyarrow, 15, differs in",
        "places, e.g. its utf8_normalize, and is not measured).",
        "",
        f"**Overall: {summary['score']}%** ({summary['killed']} killed of "
        f"{summary['mutants']} mutants, {summary['equivalent']} equivalent, "
        f"{summary['survived']} surviving) over {len(modules)} modules, measured at "
        f"{len(commits)} commit{'s' if len(commits) != 1 else ''}.",
        "",
        "| module | mutants | killed | equivalent | surviving | score | not run | commit "
        "| changed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    not_run = summary.get("not_run") or {}
    assert isinstance(not_run, dict)
    for module, row in modules.items():
        commit = str(row.get("commit", UNNAMED))
        short = commit[:10] + ("+changes" if commit.endswith("+changes") else "")
        changed = {True: "changed", False: "", None: "?"}[row.get("changed_since")]
        out.append(
            f"| {module} | {row['mutants']} | {row['killed']} | {row['equivalent']} | "
            f"{row['survived']} | {row['score']}% | {not_run.get(module, 0)} | {short} | "
            f"{changed} |"
        )
    superseded = summary.get("superseded") or {}
    assert isinstance(superseded, dict)
    if superseded:
        out += ["", "The last complete measurement of each module measured above only in part",
                "(not in the score):", ""]  # fmt: skip
        out += ["| module | mutants | killed | equivalent | surviving | score | commit |"]
        out += ["| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for module, row in superseded.items():
            out.append(
                f"| {module} | {row['mutants']} | {row['killed']} | {row['equivalent']} | "
                f"{row['survived']} | {row['score']}% | {str(row['commit'])[:10]} |"
            )
    live = [s for s in survivors if s["equivalent"] is None]
    dead = [s for s in survivors if s["equivalent"] is not None]
    out += ["", f"## Surviving mutants ({len(live)})", ""]
    if not live:
        out.append("None.")
    for s in live:
        note = f": not testable here: {s['untested']}" if s["untested"] else ""
        out += [f"- `{s['name']}` ({s['status']}){note}", "", "  ```diff"]
        out += [f"  {line}" for line in s["diff"]]
        out += ["  ```", ""]
    out += ["", f"## Equivalent mutants ({len(dead)})", ""]
    for s in dead:
        out += [f"- `{s['name']}`: {s['equivalent']}", "", "  ```diff"]
        out += [f"  {line}" for line in s["diff"]]
        out += ["  ```", ""]
    if not_run:
        out += ["", "## Mutants not run (not in the score)", ""]
        out += ["A run stopped part way, or one sampled (`--sample N`, one mutant in N of each"]
        out += ["function), leaves the others unjudged; they are counted here, per module.", ""]
        out += [f"- {module}: {count}" for module, count in not_run.items()]
    unmatched = summary["unmatched_equivalents"]
    assert isinstance(unmatched, list)
    if unmatched:
        out += ["", "## Entries of mutation-equivalents.toml that match no surviving mutant", ""]
        out += [f"- `{name}` (killed now, or its code changed: remove or update the entry)"
                for name in unmatched]  # fmt: skip
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(DEFAULT_MODULES))
    parser.add_argument("--report-only", action="store_true", help="read mutants/, run nothing")
    parser.add_argument(
        "--survivors", action="store_true", help="run only the mutants not killed last time"
    )
    parser.add_argument("--children", type=int, default=1, help="mutants run at once")
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="run one mutant in N of each function (mutmut's numbers 1, N+1, 2N+1, ...), of "
        "those not run yet; the others are reported as not run",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="GLOB",
        help="with --sample: leave out these mutants (those --fresh runs)",
    )
    parser.add_argument(
        "--fresh",
        metavar="GLOB",
        help="run the not-killed mutants matching GLOB in new pytest processes (args after --)",
    )
    argv = sys.argv[1:] if argv is None else argv
    pytest_args: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, pytest_args = argv[:at], argv[at + 1 :]
    args = parser.parse_args(argv)
    try:
        globs = [glob_for(module_path(m)) for m in args.modules]
        equivalents = read_equivalents()
        if args.fresh:
            if not pytest_args:
                raise UsageError("--fresh needs the tests to run after --")
            names = [
                m.name
                for m in read_results(globs, diffs=False)
                if m.status not in ("killed", "timeout") and fnmatch.fnmatch(m.name, args.fresh)
            ]
            run_fresh(names, pytest_args)
        elif args.sample:
            fresh = read_fresh()
            names = [
                m.name
                for m in read_results(globs, diffs=False)
                if natural(m.name)[1] % args.sample == 1 % args.sample
                and m.status == "not run"
                and m.name not in fresh
                and not any(fnmatch.fnmatch(m.name, g) for g in args.skip)
            ]
            if names:
                run_mutmut(names, args.children)
        elif args.survivors:
            names = [
                m.name
                for m in read_results(globs, diffs=False)
                if m.status not in ("killed", "timeout")
            ]
            if names:
                run_mutmut(names, args.children)
        elif not args.report_only:
            run_mutmut(globs, args.children)
        mutants = read_results(globs)
        if not mutants:
            raise UsageError("no mutants found: run without --report-only first")
    except UsageError as exc:
        print(f"mutation: {exc}", file=sys.stderr)
        return 2
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else None
    summary = merge(summarise(mutants, equivalents), previous, equivalents)
    mark_changed(summary)
    RESULTS.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    REPORT.write_text(markdown(summary), encoding="utf-8")
    print(
        f"mutation score {summary['score']}%: {summary['killed']} killed, "
        f"{summary['equivalent']} equivalent, {summary['survived']} surviving of "
        f"{summary['mutants']} over {len(summary['modules'])} modules (MUTATION.md, mutation.json)"  # type: ignore[arg-type]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
