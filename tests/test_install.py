"""A release users can install: its wheel and sdist, and every README snippet run as written.

A fresh virtual environment gets the runtime requirements at the lowest supported versions
(pandas 2.x, from constraints/lowest.txt, through uv and its per-machine cache, so repeated runs
are fast); the README's install line then installs the release's wheel there with pip, which must
change nothing that was installed. Each README snippet runs from the place its marker names:
`release` (an unzipped release folder), `project` (a user's project with the release unzipped in
it) or `checkout` (this repository, where the Makefile targets must exist). The snippets' pip
resolves at the same lowest versions (PIP_CONSTRAINT), the `validate` extra included. The ```r
blocks run in order in one R session (Rscript) from the release folder, as a reader pastes them
into R; they are skipped, saying which Debian packages to install, where R or one of its
packages is missing.

These tests never reach the package index: uv and pip install from `.wheels/`, which `make`
downloads once (at the lowest versions), with the index switched off; without it they skip and
say how to get it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email import message_from_string
from pathlib import Path

import pandas as pd
import pytest
import yaml

from memo724 import __version__, load_all
from memo724.contract import TABLES
from memo724.contract.paths import REPO, Layout
from memo724.publication.python_dist import build_python_dists, user_readme
from memo724.publication.release import DOCS, write_release

PROVENANCE = {"source_commit": "test", "python": "3.11", "tools": {}, "builder": "test"}
UV = Path(sys.executable).with_name("uv")
WHEELS = REPO.root / ".wheels"
# uv and pip, offline: every package comes from the wheels `make` downloaded (Makefile, WHEELS).
OFFLINE = {
    "UV_OFFLINE": "1",
    "UV_NO_INDEX": "1",
    "UV_FIND_LINKS": str(WHEELS),
    "PIP_NO_INDEX": "1",
    "PIP_FIND_LINKS": str(WHEELS),
}


def offline(env: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for uv and pip that installs from .wheels/ only (skips without it)."""
    if not any(WHEELS.glob("pandas-*.whl")):
        pytest.skip(f"install tests skipped: no wheels in {WHEELS} (run `make tools` once)")
    return {**(os.environ if env is None else env), **OFFLINE}


RUNTIME = ("pandas", "pyarrow")  # the data stack alone: what load() needs
VALIDATORS = ("frictionless", "pandera")  # the `validate` extra
LOWEST = REPO.root / "constraints" / "lowest.txt"
MOST_DISTRIBUTIONS = 8  # the wheel alone in a fresh environment, itself included
NEEDS_VALIDATE = (
    "error: `memo724 validate` needs pandera, which the validate extra installs: "
    "pip install 'ponars-memo-724[validate]'\n"
)
# The R packages the README's R blocks use, and the Debian packages that carry them.
R_PACKAGES = {"readr": "r-cran-readr", "jsonlite": "r-cran-jsonlite", "RSQLite": "r-cran-rsqlite"}
R_DEBIAN = ("r-base-core", *R_PACKAGES.values())


@dataclass(frozen=True)
class Snippet:
    place: str  # release, project or checkout
    kind: str  # "" or github-actions / pre-commit for YAML
    needs: tuple[str, ...]  # libraries beyond the wheel's requirements: run in the dev env
    lang: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.place} {self.lang}: {self.code.strip().splitlines()[0]}"


MARKER = re.compile(r"<!-- snippet: ([^>]*?) -->\n```(\w+)\n(.*?)```", re.S)


def readme_snippets(text: str) -> list[Snippet]:
    out = []
    for spec, lang, code in MARKER.findall(text):
        parts = [p.strip() for p in spec.split(",")]
        needs: tuple[str, ...] = ()
        kind = ""
        for extra in parts[1:]:
            if extra.startswith("needs "):
                needs = tuple(extra.removeprefix("needs ").split())
            else:
                kind = extra
        out.append(Snippet(parts[0], kind, needs, lang, code))
    return out


def run(argv: list, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, check=False, **kwargs
    )


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_python_dists(REPO.root, tmp_path_factory.mktemp("python-dists"))


@pytest.fixture(scope="module")
def release(dists: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release written from a copy of the checkout's package, carrying the wheel and sdist."""
    source = Layout(tmp_path_factory.mktemp("source"))
    for part in ("data", "schemas"):
        shutil.copytree(REPO.root / part, source.root / part)
    for name in ("datapackage.json", *DOCS):
        shutil.copyfile(REPO.root / name, source.root / name)
    project = tmp_path_factory.mktemp("project")
    write_release(source, project / "dist", PROVENANCE, python_dists=dists)
    # As a user has it: the zip unzipped into their project folder.
    with zipfile.ZipFile(project / "dist" / f"ponars-memo-724-{__version__}.zip") as archive:
        archive.extractall(project)
    return project / f"ponars-memo-724-{__version__}"


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with pip and the runtime requirements at their lowest (pandas 2.x)."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    made = run([UV, "venv", "--quiet", "--seed", "--python", sys.executable, venv], env=offline())
    assert made.returncode == 0, made.stderr
    env = offline({**os.environ, "VIRTUAL_ENV": str(venv)})
    done = run([UV, "pip", "install", "--quiet", "-c", LOWEST, *RUNTIME], env=env)
    assert done.returncode == 0, done.stderr
    return venv


def freeze(venv: Path) -> set[str]:
    out = run([UV, "pip", "freeze"], env=offline({**os.environ, "VIRTUAL_ENV": str(venv)}))
    return set(out.stdout.splitlines())


def names(frozen: set[str]) -> set[str]:
    return {re.split(r"==| @ ", line)[0] for line in frozen}


def user_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return offline(
        {
            **env,
            "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            "PIP_CONSTRAINT": str(LOWEST),
        }
    )


def run_snippet(snippet: Snippet, cwd: Path, venv: Path) -> None:
    """Run one snippet from cwd as its reader would; fail naming it."""
    env = user_env(venv)
    if snippet.needs:  # polars, duckdb: the project's own environment has them
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
    commands: list[list[str]] = []
    if snippet.lang == "sh":
        commands = [["bash", "-euo", "pipefail", "-c", snippet.code]]
    elif snippet.lang == "python":
        script = cwd / ".snippet.py"
        script.write_text(snippet.code, encoding="utf-8")
        commands = [["python", str(script)]]
    elif snippet.kind == "github-actions":
        steps = yaml.safe_load(snippet.code)["jobs"]["vendored-data"]["steps"]
        assert {s["uses"].split("@")[0] for s in steps if "uses" in s} == {
            "actions/checkout",
            "actions/setup-python",
        }
        commands = [["bash", "-euo", "pipefail", "-c", s["run"]] for s in steps if "run" in s]
    elif snippet.kind == "pre-commit":
        hooks = [h for repo in yaml.safe_load(snippet.code)["repos"] for h in repo["hooks"]]
        assert all(h["language"] == "system" and h["pass_filenames"] is False for h in hooks)
        commands = [shlex.split(h["entry"]) for h in hooks]
    assert commands, f"no way to run {snippet.label}"
    for argv in commands:
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{snippet.label}\n{done.stdout}\n{done.stderr}"
        (cwd / ".snippet.py").unlink(missing_ok=True)


# -- the distributions -----------------------------------------------------------------------


def test_release_carries_the_wheel_and_sdist_hashed(release: Path, dists: list[Path]) -> None:
    wheel, sdist = (release / d.name for d in dists)
    assert wheel.name == f"ponars_memo_724-{__version__}-py3-none-any.whl"
    assert sdist.name == f"ponars_memo_724-{__version__}.tar.gz"
    sums = (release.parent / "dist" / "SHA256SUMS").read_text(encoding="utf-8")
    for path in (wheel, sdist):
        assert f"  {release.name}/{path.name}\n" in sums
        assert path.read_bytes() == (dists[0].parent / path.name).read_bytes()


def test_wheel_and_sdist_are_byte_reproducible(dists: list[Path], tmp_path: Path) -> None:
    again = build_python_dists(REPO.root, tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in dists]


def test_wheel_and_release_get_the_readme_user_part(release: Path, dists: list[Path]) -> None:
    readme = (REPO.root / "README.md").read_text(encoding="utf-8")
    user = user_readme(readme)
    assert "## Install" in user and "## Maintaining" not in user and "make test" not in user
    assert (release / "README.md").read_text(encoding="utf-8") == user
    with zipfile.ZipFile(dists[0]) as archive:
        name = f"ponars_memo_724-{__version__}.dist-info/METADATA"
        metadata = message_from_string(archive.read(name).decode("utf-8"))
    assert metadata.get_payload() == user
    assert metadata["Requires-Python"] == ">=3.11"
    requires = metadata.get_all("Requires-Dist")
    runtime = [r for r in requires if "extra ==" not in r]
    assert sorted(r.split(">=")[0] for r in runtime) == sorted(RUNTIME), runtime
    validate = [r.split(";")[0] for r in requires if r.endswith("extra == 'validate'")]
    assert sorted(r.split(">=")[0] for r in validate) == sorted(VALIDATORS), validate
    for r in (*runtime, *validate):
        assert ">=" in r and "==" not in r and "<" not in r, r  # ranges, no caps


# -- installing it next to pandas 2.x ----------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    before: set[str]  # the user's environment before the README's install line
    after: set[str]  # and after it
    validate: subprocess.CompletedProcess[str]  # `memo724 validate` then, without the extra


@pytest.fixture(scope="module")
def installed(release: Path, user_venv: Path) -> Installed:
    """Run the README's install snippet in the fresh environment; its packages before and after.

    And `memo724 validate` right after, before the README's `[validate]` line adds the extra.
    """
    before = freeze(user_venv)
    install = readme_snippets((REPO.root / "README.md").read_text(encoding="utf-8"))[0]
    assert install.place == "release" and "pip install" in install.code
    assert "[" not in install.code  # the wheel alone
    run_snippet(install, release, user_venv)
    validate = run(["memo724", "validate"], cwd=release, env=user_env(user_venv))
    return Installed(before, freeze(user_venv), validate)


def test_wheel_installs_next_to_pandas_2_without_changing_it(installed: Installed) -> None:
    before, after = installed.before, installed.after
    assert any(line.startswith("pandas==2.") for line in before), before
    assert before - after == set()
    (added,) = after - before
    assert added.startswith("ponars-memo-724")
    assert not names(after) & set(VALIDATORS)


def test_installed_wheel_loads_every_table_and_verifies_without_the_validators(
    installed: Installed, release: Path, user_venv: Path, tmp_path: Path
) -> None:
    env = user_env(user_venv)
    script = (
        "import memo724, sys\n"
        f"for name in {TABLES!r}:\n"
        "    assert len(memo724.load(name)) > 0, name\n"
        "assert 'frictionless' not in sys.modules and 'pandera' not in sys.modules\n"
        "import pandas; print(pandas.__version__)\n"
    )
    loaded = run(["python", "-c", script], cwd=tmp_path, env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("2.")
    verified = run(["memo724", "verify", release], cwd=tmp_path, env=env)
    assert verified.returncode == 0, verified.stderr
    assert installed.validate.returncode == 2
    assert installed.validate.stderr == NEEDS_VALIDATE and installed.validate.stdout == ""
    for command in ("build", "release", "coverage"):
        refused = run(["memo724", command], cwd=tmp_path, env=env)
        assert refused.returncode == 2
        assert refused.stderr.count("\n") == 1 and "maintainer command" in refused.stderr


def test_wheel_alone_is_the_data_stack_and_the_validate_extra_adds_the_validators(
    dists: list[Path], release: Path, tmp_path: Path
) -> None:
    """In a new environment: at most 8 distributions; the error's install line then validates."""
    venv = tmp_path / "venv"
    made = run([UV, "venv", "--quiet", "--python", sys.executable, venv], env=offline())
    assert made.returncode == 0, made.stderr
    uv_env = offline({**os.environ, "VIRTUAL_ENV": str(venv)})
    done = run([UV, "pip", "install", "--quiet", "-c", LOWEST, dists[0]], env=uv_env)
    assert done.returncode == 0, done.stderr
    alone = freeze(venv)
    assert len(alone) <= MOST_DISTRIBUTIONS, sorted(alone)
    assert {"ponars-memo-724", *RUNTIME} <= names(alone)
    assert not names(alone) & set(VALIDATORS)

    env = user_env(venv)
    refused = run(["memo724", "validate"], cwd=tmp_path, env=env)
    assert (refused.returncode, refused.stdout, refused.stderr) == (2, "", NEEDS_VALIDATE)
    probe = "import memo724; memo724.schema('events')"
    schema = run(["python", "-c", probe], cwd=tmp_path, env=env)
    assert schema.returncode == 1
    assert schema.stderr.splitlines()[-1] == (
        "ModuleNotFoundError: memo724.schema() needs pandera, which the validate extra "
        "installs: pip install 'ponars-memo-724[validate]'"
    )
    verified = run(["memo724", "verify", release], cwd=tmp_path, env=env)
    assert verified.returncode == 0, verified.stderr

    # The requirement the error names, as given, for the wheel installed from its file.
    requirement = shlex.split(NEEDS_VALIDATE.rpartition("pip install ")[2])
    assert requirement == ["ponars-memo-724[validate]"]
    done = run([UV, "pip", "install", "--quiet", "-c", LOWEST, *requirement], env=uv_env)
    assert done.returncode == 0, done.stderr
    extended = freeze(venv)
    assert alone < extended and set(VALIDATORS) <= names(extended - alone)
    checked = run(["memo724", "validate"], cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stderr
    assert (
        checked.stdout.startswith("valid: ") and "site-packages/memo724/package" in checked.stdout
    )
    schema = run(["python", "-c", probe], cwd=tmp_path, env=env)
    assert schema.returncode == 0, schema.stderr


# -- the README ----------------------------------------------------------------------------------


def test_every_readme_code_block_is_a_marked_snippet() -> None:
    text = (REPO.root / "README.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```\w*$", text, re.M)
    snippets = readme_snippets(text)
    assert len(fences) == 2 * len(snippets), "a code block without a <!-- snippet: ... --> marker"
    assert {s.place for s in snippets} == {"release", "project", "checkout"}
    assert not re.search(r"memo.724[^\n]*@v\d|rev: v\d|<this repository>", text)  # no tag yet


def test_readme_snippets_run_as_written(
    installed: Installed, release: Path, user_venv: Path
) -> None:
    snippets = readme_snippets((REPO.root / "README.md").read_text(encoding="utf-8"))[1:]
    # The README's second line installs the `validate` extra; the snippets after it validate.
    assert snippets[0].place == "release" and '.whl[validate]"' in snippets[0].code, snippets[0]
    places = {"release": release, "project": release.parent}
    ran = 0
    for snippet in snippets:
        if snippet.place == "checkout":  # make release / make test (this run): targets exist
            makefile = (REPO.root / "Makefile").read_text(encoding="utf-8")
            for line in snippet.code.splitlines():
                target = line.split("#")[0].split()
                assert target[:1] == ["make"] and len(target) == 2, line
                assert re.search(rf"^{target[1]}:", makefile, re.M), line
            continue
        if snippet.lang == "r":  # together, in one R session: the test below
            continue
        run_snippet(snippet, places[snippet.place], user_venv)
        ran += 1
    assert ran >= 8
    added = names(freeze(user_venv) - installed.after)
    assert set(VALIDATORS) <= added and "pandas" not in added  # the user's pandas stays


# -- the README's R blocks ---------------------------------------------------------------------

R_MARK = "--- memo724 test: next R block ---"


def rscript() -> str:
    """Rscript, when R and the R packages the blocks use are installed; else skip saying how."""
    how = f"apt-get install {' '.join(R_DEBIAN)}; .ci/run does this as root"
    found = shutil.which("Rscript")
    if found is None:
        pytest.skip(f"README R blocks skipped: Rscript is missing ({how})")
    probe = "for (p in commandArgs(TRUE)) if (!requireNamespace(p, quietly = TRUE)) cat(p, '')"
    missing = run([found, "-e", probe, *R_PACKAGES]).stdout.split()
    if missing:
        debian = ", ".join(f"{p} (Debian {R_PACKAGES[p]})" for p in missing)
        pytest.skip(f"README R blocks skipped: R package {debian} is missing ({how})")
    return found


def r_outputs(release: Path) -> list[str]:
    """Run the README's ```r blocks in order in one R session from the release folder; the
    output of each."""
    blocks = [
        s for s in readme_snippets((REPO.root / "README.md").read_text("utf-8")) if s.lang == "r"
    ]
    assert len(blocks) == 3 and {s.place for s in blocks} == {"release"}
    script = release / ".snippets.R"
    script.write_text(f"\ncat({R_MARK!r}, '\\n')\n".join(s.code for s in blocks), encoding="utf-8")
    try:
        done = run([rscript(), script], cwd=release)
    finally:
        script.unlink()
    assert done.returncode == 0, f"README R blocks\n{done.stdout}\n{done.stderr}"
    outputs = done.stdout.split(f"{R_MARK} \n")
    assert len(outputs) == len(blocks), done.stdout
    return outputs


def r_named_counts(output: str) -> dict[str, int]:
    """R's print of named integer vectors and tables: lines of names, each over its counts."""
    lines = [line.split() for line in output.splitlines() if line.strip()]
    counts: dict[str, int] = {}
    for names, values in zip(lines[::2], lines[1::2], strict=True):
        counts.update(zip(names, map(int, values), strict=True))
    return counts


# The class in R of a Table Schema type read as the README says (coded fields: factor or ordered).
R_CLASSES = {
    "string": "character",
    "integer": "integer",
    "number": "numeric",
    "boolean": "logical",
    "date": "Date",
}


def test_readme_r_blocks_load_typed_tables_and_answer_as_python_does(
    release: Path, answers: dict
) -> None:
    loading, question, from_sqlite = r_outputs(release)

    # Every table with its rows, and every column with the R class its schema's type maps to.
    counts = r_named_counts(loading)
    expected = {name: len(frame) for name, frame in load_all(path=release).items()}
    assert {name: counts.pop(name) for name in TABLES} == expected
    classes: dict[str, int] = {}
    for name in TABLES:
        schema = json.loads((release / "schemas" / f"{name}.json").read_text("utf-8"))
        for field in schema["fields"]:
            if "enum" in field.get("constraints", {}):
                kind = "ordered" if field.get("categoriesOrdered") else "factor"
            else:
                kind = R_CLASSES[field["type"]]
            classes[kind] = classes.get(kind, 0) + 1
    assert counts == classes and {"Date", "integer", "ordered"} <= set(classes)

    # EXAMPLES.md question 3: the same risks in the same order, certainty and hedge as pandas.
    assert re.search(r"^\s+<chr>\s+<ord>\s+<chr>\s*$", question, re.M), question
    rows = re.findall(r"^\d+ (\S+) +(\S+) +(.*?) *$", question, re.M)
    ranked = answers["ranked"]
    assert rows == [
        (r.risk_id, str(r.certainty), "<NA>" if pd.isna(r.hedge) else r.hedge)
        for r in ranked.itertuples()
    ]
    assert len(rows) >= 5 and rows[0][1] == "asserted"

    # From SQLite: the named view gives the same participants as sqlite3 does.
    query = (
        "SELECT actor_name, role FROM event_participants_named WHERE event_id = ?",
        ("taliban-takeover-of-afghanistan",),
    )
    with contextlib.closing(sqlite3.connect(release / "ponars-memo-724.sqlite")) as db:
        named = db.execute(*query).fetchall()
    assert len(named) >= 2
    assert re.findall(r"^\d+ +(.*?) +(\S+)$", from_sqlite, re.M) == named
