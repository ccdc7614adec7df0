"""The Python distributions of a release: the wheel (the data inside, for `pip install`) and sdist.

Built by hatchling from the source checkout with SOURCE_DATE_EPOCH set to the source commit's
time, so the same commit always gives the same bytes (hatchling's reproducible builds).
The wheel's long description, like the release's README.md, is the README's user part: the text
above USER_PART_END (hatch_build.py cuts the wheel's; user_readme() cuts the release's).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..contract.errors import DatasetError, Problem

USER_PART_END = "<!-- END OF THE USER PART: what follows is for maintainers -->"
EPOCH_WITHOUT_GIT = "315532800"  # 1980-01-01, the earliest time a zip can hold


def wheel_name(version: str) -> str:
    """The wheel's file name, as hatchling writes it for this pure-Python project."""
    return f"ponars_memo_724-{version}-py3-none-any.whl"


def user_readme(text: str) -> str:
    """The README as a user of the wheel or the release reads it: without "Maintaining"."""
    head, found, _ = text.partition(USER_PART_END)
    if not found:
        raise ValueError(f"README.md has no line {USER_PART_END!r} ending its user part")
    return head.rstrip() + "\n"


def source_date_epoch(project: Path) -> str:
    """The source commit's time (seconds since 1970), the date of every file in the archives."""
    try:
        out = subprocess.run(
            ["git", "-C", str(project), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return EPOCH_WITHOUT_GIT
    return out or EPOCH_WITHOUT_GIT


def build_python_dists(project: Path, out: Path) -> list[Path]:
    """Build the wheel and the sdist of the checkout at project into out; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(project)}
    # Built in the system's temporary folder, where hatchling keeps its own scratch, and copied
    # to out by memo724: a full disk at out is then memo724's one-line error, not hatchling's.
    with tempfile.TemporaryDirectory(prefix="memo724-python-dists-") as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "--directory", tmp],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        built = sorted(Path(tmp).glob("*.whl")) + sorted(Path(tmp).glob("*.tar.gz"))
        if done.returncode != 0 or len(built) != 2:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise DatasetError(
                [Problem("pyproject.toml", "python-dists", f"hatchling build failed: {last[0]}")]
            )
        paths = []
        for path in built:
            shutil.copyfile(path, out / path.name)
            paths.append(out / path.name)
    return paths
