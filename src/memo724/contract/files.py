"""Reading a copy of the package without leaving it, blocking on it or reading without bound.

A vendored copy is untrusted input. Every file is reached through `read_inside`: the path must be
relative, without `..`, not a URL, its real location (after symlinks) inside the copy, a regular
file (never a FIFO, device, socket or folder) and no larger than its limit. Nothing is fetched from
a network. Failures are Problems, one line each.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from .errors import Problem

# Upper bounds for what a copy may ask us to read, in bytes, checked before parsing.
MAX_DESCRIPTOR_BYTES = 4 * 1024 * 1024
MAX_SCHEMA_BYTES = 1024 * 1024
MAX_TABLE_BYTES = 512 * 1024 * 1024
MAX_MEMO_BYTES = 4 * 1024 * 1024
MAX_YAML_BYTES = 4 * 1024 * 1024
# The longest CSV cell read, in characters. Far above any valid cell (text is bounded by the
# memo's length, a derived maxLength); a longer one in a damaged table is measured, not read.
MAX_CELL_CHARS = 1024 * 1024

# "scheme:" (http:, file:, data:, ...) or a network path "//host/...".
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")
_DRIVE = re.compile(r"^[A-Za-z]:")
UTF8_BOM = b"\xef\xbb\xbf"


class Refused(Exception):
    """A file of the copy that must not be read; carries the one line that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def path_problem(value: object, shown: str, field: str | None = None) -> Problem | None:
    """Why a path written in a descriptor may not be followed, or None when it may."""
    if not isinstance(value, str) or value == "":
        kind = type(value).__name__
        return Problem(shown, "path", f"a path must be non-empty text, not {kind}", field=field)
    text = repr(value) if len(value) <= 80 else repr(value[:77] + "...")
    if "\x00" in value:
        return Problem(shown, "path", f"{text} contains a NUL character", field=field)
    if _URL.match(value) and not _DRIVE.match(value):
        return Problem(
            shown,
            "path-url",
            f"{text} is a URL; a copy is validated offline and nothing is fetched",
            field=field,
        )
    if value.startswith(("/", "\\")) or _DRIVE.match(value):
        return Problem(
            shown,
            "path-absolute",
            f"{text} is absolute; paths are relative to the copy",
            field=field,
        )
    if ".." in re.split(r"[\\/]", value):
        return Problem(
            shown, "path-parent", f"{text} climbs out of the copy with '..'", field=field
        )
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def locate_inside(root: Path, rel: str) -> Path:
    """The real location of root/rel, refused unless it is a regular file inside root."""
    problem = path_problem(rel, rel)
    if problem is not None:
        raise Refused(problem)
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, rel))
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise Refused(
            Problem(
                rel,
                "path-outside",
                "its real location (after symlinks) is outside the copy; it is not read",
            )
        )
    try:
        mode = os.stat(real).st_mode  # stat never opens, so a FIFO cannot block here
    except FileNotFoundError:
        raise Refused(Problem(rel, "missing", "the file is missing")) from None
    except OSError as exc:
        raise Refused(Problem(rel, "unreadable", exc.strerror or str(exc))) from None
    if not stat.S_ISREG(mode):
        raise Refused(
            Problem(rel, "not-a-regular-file", f"is {_kind(mode)}; only regular files are read")
        )
    return Path(real)


def read_inside(root: Path, rel: str, limit: int) -> bytes:
    """The bytes of root/rel, at most `limit` of them, after every check of `locate_inside`."""
    real = locate_inside(root, rel)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise Refused(Problem(rel, "unreadable", exc.strerror or str(exc))) from None
    try:
        info = os.fstat(fd)  # the file opened, not the name checked: no swap in between
        if not stat.S_ISREG(info.st_mode):
            raise Refused(
                Problem(rel, "not-a-regular-file", f"is {_kind(info.st_mode)}; only regular files")
            )
        if info.st_size > limit:
            raise Refused(too_large(rel, info.st_size, limit))
        chunks, size = [], 0
        while size <= limit:
            # The stated size at once (then what is left, 1 MiB at a time): a single chunk is
            # returned as it is, where joining chunks copied the whole file once more.
            want = max(1024 * 1024, info.st_size + 1 - size)
            chunk = os.read(fd, min(want, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Refused(too_large(rel, size, limit))
        return b"".join(chunks)
    finally:
        os.close(fd)


def too_large(rel: str, size: int, limit: int) -> Problem:
    return Problem(
        rel, "file-size", f"{size} bytes, more than the {limit} bytes allowed here; not parsed"
    )


# The control characters no text file of the package may hold: C0 but tab, LF and CR, and DEL.
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_CLASS = "[" + "".join(f"\\x{b:02x}" for b in _CONTROL) + "]"
_CONTROL_TEXT = re.compile(_CONTROL_CLASS)
_CONTROL_BYTES = re.compile(_CONTROL_CLASS.encode("ascii"))


def _control_problem(shown: str, code_point: int, offset: int) -> Problem:
    return Problem(
        shown,
        "control-character",
        f"control character U+{code_point:04X} at byte offset {offset}; "
        "text files hold no control characters but tab, LF and CR",
    )


def decode_utf8(data: bytes, shown: str) -> tuple[str, list[Problem]]:
    """Text of UTF-8 bytes; a BOM, invalid bytes or NUL/control bytes are named by byte offset.

    The text returned has the BOM removed and bad bytes replaced (U+FFFD), so the rows around a
    bad byte can still be checked.
    """
    problems, skip = [], 0
    if data.startswith(UTF8_BOM):
        problems.append(
            Problem(
                shown,
                "utf-8-bom",
                "starts with a UTF-8 byte order mark (byte offset 0); the package is UTF-8 "
                "without BOM",
            )
        )
        data, skip = data[len(UTF8_BOM) :], len(UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        problems.append(
            Problem(
                shown,
                "utf-8",
                f"invalid UTF-8 at byte offset {offset} ({exc.reason}: "
                f"{data[exc.start : exc.end].hex(' ')})",
            )
        )
        text = data.decode("utf-8", errors="replace")
    control = _CONTROL_TEXT.search(text)
    if control:
        offset = skip + len(text[: control.start()].encode("utf-8", errors="replace"))
        problems.append(_control_problem(shown, ord(control.group()), offset))
    return text, problems


def _utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8 (as strict as Python's codec: no surrogates, overlong
    forms or code points past U+10FFFF), checked in place by Arrow: decoding made a str of the
    whole file (a second copy of the largest table, three times slower)."""
    import pyarrow

    # One string, from offset 0 to len(data): two int64 offsets in the machine's byte order.
    offsets = pyarrow.py_buffer(bytes(8) + len(data).to_bytes(8, sys.byteorder))
    whole = pyarrow.Array.from_buffers(
        pyarrow.large_string(), 1, [None, offsets, pyarrow.py_buffer(data)]
    )
    try:
        whole.validate(full=True)
    except pyarrow.ArrowInvalid:
        return False
    return True


def checked_utf8(data: bytes, shown: str) -> tuple[bytes, list[Problem]]:
    """The bytes a parser may read, and the problems `decode_utf8` finds, without keeping a str.

    Clean UTF-8 (the usual case) is returned as it is: one C-speed decode to validate it and one
    bytes search for control characters (a UTF-8 multi-byte sequence never holds a byte below
    0x80, so a control byte is a control character at the same byte offset). Otherwise the text
    of `decode_utf8` (BOM removed, bad bytes replaced) is re-encoded, so the rows around a bad
    byte are still checked.
    """
    if data.startswith(UTF8_BOM) or not _utf8(data):
        text, problems = decode_utf8(data, shown)
        return text.encode("utf-8"), problems
    # Deleting the control bytes is one C pass (4x faster than a regex search), 4 MiB at a time
    # (no copy of the whole file); search only when some were there, to name the first.
    step = 4 * 1024 * 1024
    chunks = (data[i : i + step] for i in range(0, len(data), step))
    if all(len(chunk.translate(None, _CONTROL)) == len(chunk) for chunk in chunks):
        return data, []
    control = _CONTROL_BYTES.search(data)
    assert control is not None  # translate removed at least one
    return data, [_control_problem(shown, control.group()[0], control.start())]
