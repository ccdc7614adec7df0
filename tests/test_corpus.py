"""Run the hostile corpus (tests/corpus.py) in-process: every case caught, cleanly and quickly.

Each case gets a fresh copy (a copytree of the session's pristine package, or of a scratch clone
of the source checkout) and runs the CLI's main() with its output captured, under a timer. It must
exit 1 with a line naming the place and the rule, print no traceback, change no file of the copy,
open no network connection (an audit hook watches every connect; a loopback server counts
requests), and finish within the time limit.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import stat
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import Loopback
from corpus import CASES, LOOPBACK, Case, rehash, summary_markdown
from synthetic import write_own_descriptor

from memo724 import __version__
from memo724.cli import main
from memo724.contract import Contract
from memo724.contract.errors import visible
from memo724.contract.paths import REPO, Layout

CASE_SECONDS = 60  # per run; a FIFO that blocked or a bomb that expanded would never finish
HOSTILE_DOC = REPO.root / "HOSTILE.md"
BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: hostile-corpus[^\n]*-->\n)(.*?)"
    r"(\n<!-- END GENERATED: hostile-corpus -->)",
    re.DOTALL,
)


class CaseTimeout(BaseException):
    """Raised by the timer; a BaseException so the CLI's own error handling cannot swallow it."""


class Network:
    """Every socket connection or name lookup made while a case runs (sys.addaudithook)."""

    watching = False
    events: ClassVar[list[str]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if cls.watching and event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            cls.events.append(f"{event} {args!r}"[:200])


sys.addaudithook(Network.hook)


def snapshot(root: Path) -> dict[str, object]:
    """What every entry of the copy is, without following links or opening special files."""
    out: dict[str, object] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode) and info.st_size <= 16 * 1024 * 1024:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISREG(info.st_mode):
                out[rel] = ("large", info.st_size, info.st_mtime_ns)
            else:
                out[rel] = ("kind", stat.S_IFMT(info.st_mode))
    return out


def invoke(argv: list[str]) -> tuple[int, str, float]:
    """main(argv) in this process, output captured, stopped by a timer after CASE_SECONDS."""

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"{argv} still running after {CASE_SECONDS}s")

    out = io.StringIO()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    started = time.monotonic()
    Network.watching = True
    try:
        with redirect_stdout(out), redirect_stderr(out):
            code = main(argv)
    finally:
        Network.watching = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return code, out.getvalue(), time.monotonic() - started


def argv_for(case: Case, root: Path) -> list[str]:
    if case.command == "build":
        return ["build", "--check", "--root", str(root)]
    more = [a.replace("{parent}", str(root.parent)) for a in case.args]
    if case.own:
        return [case.command, str(root), "--contract", __version__, *more]
    return [case.command, str(root), *more]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.category}/{c.name}")
def test_hostile_case(
    case: Case,
    pristine: Layout,
    source_copy: Callable[[], Layout],
    loopback: Loopback,
    tmp_path: Path,
) -> None:
    LOOPBACK["url"] = loopback.url
    for variant in ("original hashes", "hashes recomputed")[: case.runs]:
        if case.source:  # a scratch clone of the source checkout (records, schemas, data, docs)
            layout = source_copy()
            root = layout.root
        else:
            root = tmp_path / variant.replace(" ", "-") / "copy"
            shutil.copytree(pristine.root, root, symlinks=True)
            layout = Layout(root)
        case.breaks(layout)
        if case.own:  # a package of its own states its own bytes and hashes, honestly
            write_own_descriptor(layout, Contract(layout.schemas), case.name)
        if variant == "hashes recomputed":
            rehash(layout)
        before = snapshot(root)
        Network.events.clear()
        code, out, seconds = invoke(argv_for(case, root))
        where = f"{case.category}/{case.name} ({variant}, {seconds:.1f}s):\n{out}"
        assert "Traceback" not in out and "internal error" not in out, where
        # No injection: every character that could rewrite or forge a line is shown escaped.
        assert all(visible(line) == line for line in out.splitlines()), where
        if case.usage:  # a folder with no package is a usage error (issue 8): one line, exit 2
            assert code == 2 and len(out.splitlines()) == 1, where
        else:
            assert not any(line.startswith("error:") for line in out.splitlines()), where
            assert code == 1, where
        lines = out.splitlines()
        for fragments in case.expect:
            assert any(all(f in line for f in fragments) for line in lines), (fragments, where)
        assert snapshot(root) == before, f"files changed: {where}"
        assert Network.events == [], (Network.events, where)
        assert loopback.seen == [], (loopback.seen, where)


def test_corpus_size_and_categories() -> None:
    assert len(CASES) >= 100
    assert len({(c.category, c.name) for c in CASES}) == len(CASES)
    categories = {c.category for c in CASES}
    for needed in (
        "types",
        "constraints",
        "keys",
        "offsets",
        "memo text",
        "CSV structure",
        "encodings",
        "injection",
        "descriptor tampering",
        "schema tampering",
        "paths and symlinks",
        "special files",
        "YAML",
    ):
        assert needed in categories


def test_the_corpus_summary_in_the_docs_is_current() -> None:
    match = BLOCK.search(HOSTILE_DOC.read_text(encoding="utf-8"))
    assert match, "HOSTILE.md has no generated hostile-corpus block"
    assert match.group(2) == summary_markdown(), "run: .venv/bin/python scripts/corpus_summary.py"
