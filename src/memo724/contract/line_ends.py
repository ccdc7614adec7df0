"""A copy whose only change is its line ends: LF written as CRLF.

Git for Windows checks text files out with CRLF line ends by default (`core.autocrlf=true`), so a
vendored copy committed there no longer has the release's bytes although no value changed. That
is one problem per file, with its fix, never a thousand row problems: validate and verify both
ask this module, and the release ships the `.gitattributes` that prevents it.
"""

from __future__ import annotations

import hashlib

# What the release's .gitattributes says: every file as bytes, never converted.
GITATTRIBUTES = (
    "# Keep this data package byte for byte: its sha256 sums and evidence offsets depend on it.\n"
    "# Without this, Git for Windows (core.autocrlf=true) writes CRLF line ends on checkout.\n"
    "* -text\n"
)

FIX = (
    "only its line ends changed, LF to CRLF (Git's core.autocrlf?): put the release's "
    ".gitattributes in the copy's folder, then restore the files (copy them again, or "
    "`git rm --cached -r FOLDER` and `git checkout -- FOLDER`)"
)


def only_line_ends_changed(data: bytes, expected_sha256: str) -> bool:
    """Whether `data` is the expected bytes with every LF written as CRLF."""
    if b"\r\n" not in data:
        return False
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest() == expected_sha256
