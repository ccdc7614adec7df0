"""`memo724 build`: the records built into a scratch copy, validated, and only then put in place.

The scratch copy is a folder `.build-*` beside the generated files (the same file system), so each
file is renamed into place whole. A build killed before its first rename leaves the checkout as it
was; one killed during the renames leaves some files new and some old, which `memo724 build
--check` names and the next build, from the same records, completes. Either way the next build
removes the killed run's scratch folder (atomic.py).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from ..contract.errors import DatasetError, Problem
from ..contract.paths import Layout
from .atomic import crash_point, exclusive
from .generate import build_copy, generated_files, stale_files

SCRATCH = ".build-"  # git-ignored


def _locate(problem: Problem, origins: dict[str, list[str]]) -> Problem:
    """Point a problem in a built table back at the record it came from."""
    rows = origins.get(problem.where)
    if rows is None or problem.row is None or not 2 <= problem.row < len(rows) + 2:
        return problem
    return replace(problem, message=f"{problem.message}; from {rows[problem.row - 2]}")


def build(layout: Layout, check_only: bool = False) -> list[Problem]:
    """Build the checkout's records into a scratch copy, validate it, then replace the generated
    files; refused (DatasetError, nothing written) when the fresh build is invalid.

    check_only writes nothing and returns each committed generated file that differs from the
    fresh build (a hand edit, or records changed without a build). That comparison lives here,
    not in validation: it needs a whole build, and validation judges a package, not its sources.
    """
    from ..validation.api import judge_own

    with (
        exclusive(layout.root, SCRATCH),
        tempfile.TemporaryDirectory(prefix=SCRATCH, dir=layout.root) as tmp,
    ):
        scratch = Layout(Path(tmp))
        origins = build_copy(layout, scratch)
        problems = [_locate(p, origins) for p in judge_own(scratch, frictionless=True)]
        if problems:
            raise DatasetError(problems)
        if check_only:
            return [
                Problem(
                    rel,
                    "generated",
                    f"differs from a fresh build of curation/"
                    f"{'' if line is None else f' (first difference at line {line})'}: "
                    "edit the records and run the build, never the generated files",
                )
                for rel, line in stale_files(layout, scratch)
            ]
        crash_point("build-written")
        layout.data.mkdir(exist_ok=True)
        for rel in generated_files(scratch):
            os.replace(scratch.root / rel, layout.root / rel)
            crash_point("build-replacing")
    return []
