"""Writing so that a run killed at any point leaves the previous state, or one the next run
recognises and repairs.

Every file or folder is written under a scratch name beside its target and renamed into place (a
rename within one file system is atomic: a reader sees the old or the new, never half). Scratch
names start with a dot and a prefix of their own, so the next run removes what a killed run left.
It does so holding the folder's lock: flock(2) on the folder itself, which the kernel drops when
the process dies, so a killed run never leaves a stale lock and a running one keeps its scratch.
This guards against a killed process, not a power cut: nothing is fsync'ed.

Our own, on purpose: a few lines of the standard library, where the usual libraries fit less
(atomicwrites is archived, its authors pointing to os.replace; filelock locks through a lock file
of its own, in the very folders that must end with no scratch).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..contract.errors import DatasetError, Problem

try:
    import fcntl
except ModuleNotFoundError:  # Windows: no flock, so no lock and no cleaning of others' scratch
    fcntl = None  # type: ignore[assignment]

PARTIAL = ".partial-"  # scratch name of a file being written (write_atomic)

# A test hook, read by tests only (tests/test_crash_safety.py): with MEMO724_CRASH_AT set to the
# name of a crash_point, the process kills itself there with SIGKILL, as `kill -9` would: no
# finally block, no cleanup, exactly what a killed run leaves behind.
CRASH_AT = "MEMO724_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_AT) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def clean_leftovers(folder: Path, *prefixes: str) -> list[str]:
    """Remove the scratch files and folders of killed runs from folder; their names."""
    if not folder.is_dir():
        return []
    gone = sorted(p.name for p in folder.iterdir() if p.name.startswith(prefixes))
    for name in gone:
        _remove(folder / name)
    return gone


@contextmanager
def exclusive(folder: Path, *leftovers: str) -> Iterator[None]:
    """Hold folder's lock for a run, first removing the scratch (names starting with one of
    leftovers, and PARTIAL) that killed runs left in it. Another run holding it: refused."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatasetError(
                [
                    Problem(
                        str(folder),
                        "busy",
                        "another memo724 build or release is writing here; "
                        "run this again when it has finished",
                    )
                ]
            ) from None
        clean_leftovers(folder, PARTIAL, *leftovers)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_atomic(path: Path, text: str) -> None:
    """Write text (UTF-8) to path all at once: under a scratch name, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile.mkstemp: its files are private (0600); this one gets the usual permissions.
    tmp = path.parent / f"{PARTIAL}{path.name}-{secrets.token_hex(6)}"
    try:
        with tmp.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
