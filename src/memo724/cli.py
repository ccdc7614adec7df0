"""The command line: build the tables, validate a copy of the package."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from .errors import DatasetError, Problem
from .package import build_copy, generated_files, stale_files
from .paths import REPO, Layout
from .validate import validate_package


def _report(problems: list[Problem], label: str) -> int:
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{label}: {len(problems)} problem(s)", file=sys.stderr)
    return 1


def _locate(problem: Problem, origins: dict[str, list[str]]) -> Problem:
    """Point a problem in a built table back at the record it came from."""
    rows = origins.get(problem.where)
    if rows is None or problem.row is None or not 2 <= problem.row < len(rows) + 2:
        return problem
    return replace(problem, message=f"{problem.message}; from {rows[problem.row - 2]}")


def cmd_build(layout: Layout, check_only: bool = False) -> int:
    """Build into a scratch copy, validate it, and only then replace the generated files."""
    with tempfile.TemporaryDirectory(prefix=".build-", dir=layout.root) as tmp:
        scratch = Layout(Path(tmp))
        origins = build_copy(layout, scratch)
        problems = [_locate(p, origins) for p in validate_package(scratch)]
        if problems:
            return _report(problems, "build refused, nothing written")
        if check_only:
            print("check passed: the records build into a valid package (nothing written)")
            return 0
        layout.data.mkdir(exist_ok=True)
        for rel in generated_files():
            os.replace(scratch.root / rel, layout.root / rel)
    print(f"built {len(generated_files()) - 1} tables and datapackage.json from curation/")
    return 0


def cmd_validate(layout: Layout) -> int:
    problems = validate_package(layout)
    if (layout.root / "curation" / "structure.yaml").is_file():
        for rel, line in stale_files(layout):
            at = "" if line is None else f" (first difference at line {line})"
            problems.append(
                Problem(
                    rel,
                    "generated",
                    f"differs from a fresh build of curation/{at}: "
                    "edit the records and run the build, never the generated files",
                )
            )
    if problems:
        return _report(problems, f"invalid package at {layout.root}")
    print(f"valid: {layout.root} (Frictionless, Pandera and provenance checks)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="memo724", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/ and datapackage.json from curation/")
    b.add_argument(
        "--root", type=Path, default=REPO.root, help="source checkout (default: this one)"
    )
    b.add_argument("--check", action="store_true", help="build and validate only; write nothing")
    v = sub.add_parser("validate", help="validate a copy of the package (default: this one)")
    v.add_argument(
        "path", nargs="?", type=Path, default=REPO.root, help="folder or datapackage.json"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return cmd_build(Layout(args.root.resolve()), check_only=args.check)
        root = args.path.resolve()
        return cmd_validate(Layout(root.parent if root.is_file() else root))
    except DatasetError as exc:
        return _report(exc.problems, "stopped")
    except Exception as exc:
        if os.environ.get("MEMO724_DEBUG"):
            raise
        print(
            f"error: {type(exc).__name__}: {exc} (set MEMO724_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
