"""memo724: check a copy of the PONARS Eurasia Policy Memo No. 724 data package (validate,
verify) and print its figures; maintainers also build, release and measure it."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .contract.api import (
    DESCRIPTOR,
    REPO,
    DatasetError,
    Layout,
    Problem,
    __version__,
    known_versions,
    release_contract,
    visible,
)

# Arguments and printing only. Each command calls one stage through its face (the stage's api
# module; lint-imports holds the command line to them) and imports it only when it runs, so
# `memo724 verify` never loads the validators and `memo724 --version` loads nothing.

INTERNAL_ERROR = 3  # exit status of a fault in memo724 itself (README: exit codes)

# What the system refuses, said as it is in one line: no fault of memo724. Exit status 1, or 2 for
# a path no file system here can hold. A build or release stopped this way leaves nothing
# half-written: its scratch goes with it, or with the next run (publication/atomic.py).
SYSTEM_REFUSALS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}
AFTER_REFUSAL = "nothing half-written is left; run the command again once that is fixed"


# The commands that work on a source checkout, with the curation extra.
MAINTAINERS = ("build", "release", "manual", "reliability", "second-coding", "coverage")


class UsageError(Exception):
    """A command that cannot run here or on this path: one line, exit status 2."""


def _source_checkout(root: Path, command: str) -> Layout:
    """The checkout the maintainer commands work on, or one line saying this is not one."""
    if not (root / "curation").is_dir():
        raise UsageError(
            f"`memo724 {command}` is a maintainer command: it works in a source checkout of "
            f"ponars-memo-724 (with the curated records in curation/), and {root} is not one"
        )
    return Layout(root)


def _curation_tools(command: str) -> None:
    """The curated YAML needs ruamel.yaml, which only the `curation` extra installs."""
    try:
        import ruamel.yaml  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError(
            f"`memo724 {command}` needs ruamel.yaml: pip install 'ponars-memo-724[curation]' "
            "(or `make test` in the checkout, which installs everything)"
        ) from None


def _validators(command: str, frictionless: bool = False) -> None:
    """Pandera (and, for a Frictionless pass, Frictionless) come with the `validate` extra.

    Looked up, not imported: finding them costs nothing, importing them is most of a run.
    """
    for module in ("pandera", "frictionless") if frictionless else ("pandera",):
        if importlib.util.find_spec(module) is None:
            raise UsageError(
                f"`memo724 {command}` needs {module}, which the validate extra installs: "
                "pip install 'ponars-memo-724[validate]'"
            )


def _package_folder(path: Path, *, descriptor_ok: bool = False, data_ok: bool = False) -> Path:
    """A folder holding a data package (or, where allowed, its datapackage.json), resolved.

    data_ok: a folder with data/ but no descriptor counts too (verify checks a copy's files).
    """
    path = path.resolve()
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    if path.is_file():
        if descriptor_ok and path.name == DESCRIPTOR:
            return path.parent
        wanted = f"a folder or its {DESCRIPTOR}" if descriptor_ok else "a folder"
        raise UsageError(f"{path} is a file; expected {wanted} holding the data package")
    if data_ok and (path / "data").is_dir():
        return path
    # Anything at the descriptor's place (a FIFO, a link) is the guards' to judge, with exit 1.
    descriptor = path / DESCRIPTOR
    if not (descriptor.exists() or descriptor.is_symlink()):
        also = " and no data/ folder" if data_ok else ""
        raise UsageError(f"{path} holds no data package: there is no {DESCRIPTOR}{also} in it")
    return path


def _report(problems: list[Problem], label: str) -> int:
    for p in problems:
        print(p, file=sys.stderr)  # str(Problem) shows hostile characters as escapes
    print(visible(f"{label}: {len(problems)} problem(s)"), file=sys.stderr)
    return 1


def cmd_build(layout: Layout, check_only: bool) -> int:
    from .publication.api import build

    try:
        stale = build(layout, check_only)
    except DatasetError as refused:
        return _report(refused.problems, "build refused, nothing written")
    if stale:
        return _report(stale, "the committed files are not what the records build")
    print(
        "check passed: the records build into a valid package, "
        "identical to the committed files (nothing written)"
        if check_only
        else "built data/, datapackage.json, CODEBOOK.md and the README and CHANGELOG figures"
    )
    return 0


@contextlib.contextmanager
def _collector_spared() -> Iterator[Callable[[], None]]:
    """For one command: the cyclic garbage collector paused while it imports its stage, and
    what is alive then frozen (`gc.freeze`) once the command calls what this yields.

    Importing pandas and Pandera makes hundreds of thousands of objects that live as long as
    the process; each full collection walks them all again: during the imports, during the
    checks, and once more as the interpreter exits. Frozen, the collector never looks at them;
    what the command makes afterwards is collected as usual (at 1M rows the peak stayed within
    the spread of runs before). They stay frozen: a process runs one command, and unfreezing
    them would bring back the walk at exit. A cold `memo724 validate` of the release took about
    0.15 s less CPU (BENCHMARKS.md). gc.freeze keeps no object alive that would otherwise be
    freed: only cycles already unreachable when it is called are never collected.
    """
    enabled = gc.isenabled()
    gc.disable()

    def loaded() -> None:
        gc.freeze()
        if enabled:
            gc.enable()

    try:
        yield loaded
    finally:
        if enabled:
            gc.enable()


def cmd_validate(layout: Layout, frictionless: bool = False, contract: str | None = None) -> int:
    with _collector_spared() as loaded:
        from .validation.api import judge

        loaded()
        return _validate(judge, layout, frictionless, contract)


def _validate(
    judge: Callable[..., list[Problem]], layout: Layout, frictionless: bool, contract: str | None
) -> int:
    if contract is None:
        problems = judge(layout.root, frictionless=frictionless)
    else:
        release = release_contract(contract)
        if release is None:
            raise UsageError(
                f"--contract {contract}: not a release this memo724 knows "
                f"({', '.join(known_versions())})"
            )
        problems = judge(layout.root, release, frictionless, own=True)
    if problems:
        return _report(problems, f"invalid package at {layout.root}")
    checks = "descriptor, hashes, Pandera schemas and provenance checks"
    against = "" if contract is None else f"; follows the contract of memo724 {contract}"
    shown = visible(str(layout.root))
    print(f"valid: {shown} ({checks}{', Frictionless' if frictionless else ''}{against})")
    return 0


def cmd_coverage(layout: Layout) -> int:
    """Print the sentence coverage of a copy, and every sentence no statement quotes."""
    from .curation.api import copy_coverage

    cov = copy_coverage(layout)
    for s in cov.missing:
        print(f"uncovered {s.sentence_id} [{s.start}:{s.end}]: {s.text}")
    print(
        f"coverage: {len(cov.covered)} covered + {len(cov.excluded)} excluded of {cov.total} "
        f"body sentences = {cov.ratio:.1%}"
    )
    return 0 if not cov.missing else 1


def cmd_release(layout: Layout, dist: Path) -> int:
    from .publication.api import release

    try:
        folder = release(layout, dist)
    except DatasetError as refused:
        return _report(refused.problems, "release refused")
    print(
        f"released {folder} (with the wheel and sdist) and {folder.name}.zip; "
        f"hashes in {dist / 'SHA256SUMS'}"
    )
    return 0


def cmd_verify(copy_root: Path, reference: Path | None) -> int:
    from .use.api import verify_copy, verify_release

    if reference is None:
        problems, matched, release = verify_release(copy_root)
        against = f"release {release.version} ({release.origin})"
    else:
        (problems, matched), against = verify_copy(copy_root, reference), str(reference)
    if problems:
        return _report(problems, f"copy at {copy_root} drifted from {against}")
    print(visible(f"verified: {matched} files of {copy_root} match {against}{matched.note}"))
    return 0


def cmd_figures(path: Path | None) -> int:
    # Read with pandas and pyarrow alone: it works from a wheel or a vendored copy.
    from .publication.api import figures_text

    if path is not None:
        layout = Layout(_package_folder(path))
    elif (REPO.root / "curation").is_dir():
        layout = REPO  # a source checkout: its lists of reasons count too
    else:
        from .use.api import package_layout

        layout = package_layout()
    print(figures_text(layout))
    return 0


def cmd_manual(layout: Layout, check_only: bool) -> int:
    from .curation.api import MANUAL_PATH, refresh_manual

    stale = refresh_manual(layout, check_only)
    if check_only and stale:
        print(f"{MANUAL_PATH} is stale: run `memo724 manual`", file=sys.stderr)
        return 1
    print(f"{MANUAL_PATH} is up to date" if check_only else f"wrote {MANUAL_PATH}")
    return 0


def cmd_reliability(layout: Layout, check_only: bool) -> int:
    from .curation.api import RELIABILITY_DIR, refresh_reliability

    stale = refresh_reliability(layout, check_only)
    if check_only and stale:
        print(
            f"{RELIABILITY_DIR}/ is stale ({', '.join(stale)}): run `memo724 reliability`",
            file=sys.stderr,
        )
        return 1
    print(
        f"{RELIABILITY_DIR}/ is what the codings give"
        if check_only
        else f"wrote {RELIABILITY_DIR}/ ({', '.join(stale) or 'nothing changed'})"
    )
    return 0


def cmd_second_coding(layout: Layout, part: Path) -> int:
    from .curation.api import check_part

    part = part.resolve()
    if not part.is_dir():
        raise UsageError(f"{part}: no such folder")
    problems = check_part(layout, part)
    if problems:
        return _report(problems, f"second coding at {part}")
    print(f"checked: {part} builds, every quote located, every value and reference known")
    return 0


def run(args: argparse.Namespace) -> int:
    """The command args name, after the checks that it can run here (exit 2 when not)."""
    command = args.command
    if command in MAINTAINERS:
        root = args.root.resolve() if command == "build" else REPO.root
        layout = _source_checkout(root, command)  # a checkout first, then its tools
        _curation_tools(command)
        if command in ("build", "release"):
            _validators(command, frictionless=True)
    if command == "build":
        return cmd_build(layout, args.check)
    if command == "release":
        return cmd_release(layout, args.dist.resolve())
    if command == "manual":
        return cmd_manual(layout, args.check)
    if command == "reliability":
        return cmd_reliability(layout, args.check)
    if command == "second-coding":
        return cmd_second_coding(layout, args.part)
    if command == "coverage":
        return cmd_coverage(Layout(_package_folder(args.path or REPO.root)))
    if command == "verify":
        return cmd_verify(_package_folder(args.path, data_ok=True), args.against)
    if command == "figures":
        return cmd_figures(args.path)
    _validators("validate", frictionless=args.frictionless)
    if args.path is None:
        from .use.api import package_layout

        return cmd_validate(package_layout(), args.frictionless, args.contract)
    layout = Layout(_package_folder(args.path, descriptor_ok=True))
    return cmd_validate(layout, args.frictionless, args.contract)


def _refusal(exc: OSError) -> tuple[str, int] | None:
    """One line and an exit status for what the system refused, or None for anything else."""
    # A copy or rename that fills the disk names its source first, then where it was writing.
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) and exc.filename2
    name = exc.filename2 if full else exc.filename
    where = visible(str(name)) if name else "a file"
    if exc.errno == errno.ENAMETOOLONG:
        return f"{where}: a name in this path is longer than the file system allows", 2
    reason = SYSTEM_REFUSALS.get(exc.errno or 0)
    return None if reason is None else (f"{where}: {reason} ({AFTER_REFUSAL})", 1)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="memo724", description=__doc__)
    parser.add_argument("--version", action="version", version=f"memo724 {__version__}")
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        title="commands (users: the first three, on any copy; maintainers: the rest, in a "
        "source checkout)",
    )
    v = sub.add_parser(
        "validate",
        help="validate a copy of the package (default: this one)",
        description=(
            "Validate a copy of the package against the contract of the release its "
            "datapackage.json names (version): contract drift, changed files, then every row. "
            "With --contract VERSION, validate a package of its own (its own name and version, "
            "e.g. more memos in the same schemas) that follows that release's contract: its "
            "descriptor and schemas are judged against the release's, every row by its rules, "
            "file bytes and hashes against its own datapackage.json, and the memo's length and "
            "hash against its own memo file."
        ),
    )
    v.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="folder or datapackage.json (default: this one)",
    )
    v.add_argument(
        "--frictionless",
        action="store_true",
        help="also run Frictionless's full row pass (the reference implementation; slower)",
    )
    v.add_argument(
        "--contract",
        metavar="VERSION",
        default=None,
        help="the package is its own, following the contract of this memo724 release "
        "(e.g. 0.2.0): not judged as a copy of that release",
    )
    f = sub.add_parser("verify", help="check a vendored copy's files against a release's hashes")
    f.add_argument("path", type=Path, help="the vendored copy's folder")
    f.add_argument(
        "--against",
        type=Path,
        default=None,
        help="a release's datapackage.json or SHA256SUMS (default: this installed version's)",
    )
    g = sub.add_parser(
        "figures", help="print the data-quality and reliability figures of a copy of the package"
    )
    g.add_argument(
        "path", nargs="?", type=Path, default=None, help="source checkout (default: this one)"
    )
    b = sub.add_parser(
        "build", help="(maintainers) build data/ and datapackage.json from curation/"
    )
    b.add_argument(
        "--root", type=Path, default=REPO.root, help="source checkout (default: this one)"
    )
    b.add_argument("--check", action="store_true", help="build and validate only; write nothing")
    c = sub.add_parser(
        "coverage", help="(maintainers) list body sentences that no statement quotes"
    )
    c.add_argument(
        "path", nargs="?", type=Path, default=None, help="package folder (default: this package)"
    )
    r = sub.add_parser(
        "release", help="(maintainers) write dist/<name>-<version>/, its zip and SHA256SUMS"
    )
    r.add_argument("--dist", type=Path, default=REPO.root / "dist", help="output folder")
    m = sub.add_parser("manual", help="(maintainers) write the blind coder's manual")
    m.add_argument("--check", action="store_true", help="fail if the committed manual is stale")
    rel = sub.add_parser(
        "reliability",
        help="(maintainers) write reliability/: agreement of the blind second coding",
    )
    rel.add_argument("--check", action="store_true", help="fail if reliability/ is stale")
    s2 = sub.add_parser(
        "second-coding", help="(maintainers) check a part of the blind second coding"
    )
    s2.add_argument("part", type=Path, help="a part's folder, curation/blind/<part>")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except UsageError as exc:
        print(visible(f"error: {exc}"), file=sys.stderr)
        return 2
    except DatasetError as exc:
        return _report(exc.problems, "stopped")
    except OSError as exc:
        refusal = _refusal(exc)
        if refusal is None or os.environ.get("MEMO724_DEBUG"):
            return _internal_error(exc)
        print(f"error: {refusal[0]}", file=sys.stderr)
        return refusal[1]
    except MemoryError:
        # The copy's total-size and memory limits (validation/guard.py) refuse what they can
        # foresee; what still runs out is the machine's limit, not a fault of memo724.
        print(
            "error: out of memory: this machine cannot hold the copy being read; "
            "free memory or use a machine with more (nothing was written)",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # the user gets one line, not a traceback (MEMO724_DEBUG shows it)
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("MEMO724_DEBUG"):
        raise exc
    # A fault of memo724 itself, not of the input or the call: its own exit status, so a script
    # can tell "fix your call" (2) from "report this" (3).
    print(
        visible(
            f"error: internal error, please report it: {type(exc).__name__}: {exc} "
            "(set MEMO724_DEBUG=1 for a traceback)"
        ),
        file=sys.stderr,
    )
    return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
