"""The guard's lean reading (issue 16): UTF-8 checked in place, control bytes found chunk by
chunk, a file read whole without joining chunks, empty lines found by numpy. Each must judge
exactly as before."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from memo724.contract.files import _utf8, checked_utf8, read_inside
from memo724.validation.text import _any_outside_quotes


def _python_says(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"plain ascii, 1",
        "é € 😀 \u200b".encode(),
        b"\xef\xbf\xbf",  # U+FFFF: a noncharacter, still UTF-8
        b"\xf4\x8f\xbf\xbf",  # U+10FFFF, the last code point
        b"\xed\xa0\x80",  # a surrogate
        b"\xed\x9f\xbf",  # U+D7FF, just below the surrogates
        b"\xc0\xaf",  # overlong
        b"\xe0\x80\xaf",  # overlong, three bytes
        b"\xf4\x90\x80\x80",  # past U+10FFFF
        b"\xff",
        b"a\xe2\x82",  # cut short
        b"\x80",  # a lone continuation byte
    ],
)
def test_utf8_is_judged_as_python_judges_it(data: bytes) -> None:
    assert _utf8(data) == _python_says(data)
    assert _utf8(b"x" * 5000 + data + b"y") == _python_says(data)


def test_a_control_byte_past_the_first_chunk_is_found() -> None:
    data = b"a" * (4 * 1024 * 1024 + 5) + b"\x07" + b"b"
    cleaned, problems = checked_utf8(data, "t")
    assert cleaned is data
    assert [p.rule for p in problems] == ["control-character"]
    assert "4194309" in problems[0].message  # its byte offset


def test_a_clean_file_is_returned_without_a_copy() -> None:
    data = "ok\nété\n".encode() * 1000
    cleaned, problems = checked_utf8(data, "t")
    assert cleaned is data and problems == []


@pytest.mark.parametrize("size", [0, 1, 1024 * 1024 - 1, 1024 * 1024, 3 * 1024 * 1024 + 7])
def test_a_file_is_read_whole_and_its_limit_still_holds(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    (tmp_path / "f.csv").write_bytes(data)
    assert read_inside(tmp_path, "f.csv", size) == data
    if size:
        with pytest.raises(Exception, match="more than the"):
            read_inside(tmp_path, "f.csv", size - 1)


def _outside_quotes_reference(data: bytes) -> bool:
    """The regular-expression form `_any_outside_quotes` replaced."""
    if data.startswith((b"\n", b"\r\n")):
        return True
    quotes = last = 0
    for found in re.finditer(rb"\n(?=\r?\n)", data):
        start = found.start() + 1
        quotes += data.count(b'"', last, start)
        last = start
        if quotes % 2 == 0:
            return True
    return False


@pytest.mark.parametrize("seed", range(300))
def test_empty_lines_outside_quotes_are_found_as_before(seed: int) -> None:
    rng = random.Random(seed)
    parts = [b"a", b",", b'"', b"\n", b"\r\n", b"\r", b"\n\n", b"\n\r\n", b'""']
    data = b"".join(rng.choice(parts) for _ in range(rng.randint(0, 60)))
    assert _any_outside_quotes(data) == _outside_quotes_reference(data), data


def test_an_empty_line_across_a_block_edge_is_found() -> None:
    # Just past the first 8 MiB block, after an even number of quotes (and inside odd ones).
    head = b'"x"' + b"a" * (8 * 1024 * 1024 - 4)
    for tail, outside in ((b"\n\nb", True), (b"\n\r\nb", True), (b"\nb", False)):
        assert _any_outside_quotes(head + tail) is outside
        assert _any_outside_quotes(b'"' + head + tail + b'"') is False
