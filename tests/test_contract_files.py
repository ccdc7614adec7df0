"""Reading an untrusted copy (contract/files.py), printing what it holds (errors.py), and the
line-end and memo helpers, each rule at its boundary: one past, case-only changes, reordering.
"""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import pytest

from memo724.contract import files
from memo724.contract.errors import DatasetError, Problem, visible
from memo724.contract.files import (
    Refused,
    checked_utf8,
    decode_utf8,
    locate_inside,
    path_problem,
    read_inside,
    too_large,
)
from memo724.contract.line_ends import only_line_ends_changed
from memo724.contract.memo import read_memo, sha256_of
from memo724.contract.paths import Layout

# ---- path_problem: which paths a descriptor may name ----


@pytest.mark.parametrize("value", ["data/events.csv", "a", "a..b/c", "..a/b", "x/.../y", "C"])
def test_relative_paths_inside_the_copy_may_be_followed(value: str) -> None:
    assert path_problem(value, "d.json") is None


@pytest.mark.parametrize(
    ("value", "rule", "message"),
    [
        ("", "path", "a path must be non-empty text, not str"),
        (None, "path", "a path must be non-empty text, not NoneType"),
        (["a"], "path", "a path must be non-empty text, not list"),
        ("a\x00b", "path", "'a\\x00b' contains a NUL character"),
        (
            "http://x/e.csv",
            "path-url",
            "'http://x/e.csv' is a URL; a copy is validated offline and nothing is fetched",
        ),
        (
            "HTTPS://x",
            "path-url",
            "'HTTPS://x' is a URL; a copy is validated offline and nothing is fetched",
        ),
        (
            "file:e.csv",
            "path-url",
            "'file:e.csv' is a URL; a copy is validated offline and nothing is fetched",
        ),
        (
            "git+ssh:x",
            "path-url",
            "'git+ssh:x' is a URL; a copy is validated offline and nothing is fetched",
        ),
        (
            "//host/e.csv",
            "path-url",
            "'//host/e.csv' is a URL; a copy is validated offline and nothing is fetched",
        ),
        (
            "\\\\host\\e.csv",
            "path-url",
            "'\\\\\\\\host\\\\e.csv' is a URL; a copy is validated offline and nothing is fetched",
        ),
        (
            "/etc/passwd",
            "path-absolute",
            "'/etc/passwd' is absolute; paths are relative to the copy",
        ),
        ("\\x", "path-absolute", "'\\\\x' is absolute; paths are relative to the copy"),
        ("C:x", "path-absolute", "'C:x' is absolute; paths are relative to the copy"),
        ("c:\\x", "path-absolute", "'c:\\\\x' is absolute; paths are relative to the copy"),
        ("..", "path-parent", "'..' climbs out of the copy with '..'"),
        ("a/../../b", "path-parent", "'a/../../b' climbs out of the copy with '..'"),
        ("a\\..\\b", "path-parent", "'a\\\\..\\\\b' climbs out of the copy with '..'"),
    ],
)
def test_each_kind_of_path_that_may_not_be_followed(value, rule: str, message: str) -> None:
    problem = path_problem(value, "d.json", field="path")
    assert problem == Problem("d.json", rule, message, field="path")


def test_a_long_path_is_shown_cut_to_eighty_characters() -> None:
    at = "/" + "a" * 79  # exactly 80: shown whole
    assert path_problem(at, "d").message == f"{at!r} is absolute; paths are relative to the copy"
    over = "/" + "a" * 80  # one past: cut to 77 and an ellipsis
    cut = repr(over[:77] + "...")
    assert path_problem(over, "d").message == f"{cut} is absolute; paths are relative to the copy"


# ---- locate_inside / read_inside: only regular files inside the copy, bounded ----


def _refusal(root: Path, rel: str, limit: int = 100) -> str:
    with pytest.raises(Refused) as caught:
        read_inside(root, rel, limit)
    assert str(caught.value) == str(caught.value.problem)
    return str(caught.value.problem)


def test_a_file_at_its_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 10)
    assert read_inside(tmp_path, "f", 10) == b"x" * 10
    assert read_inside(tmp_path, "f", 11) == b"x" * 10
    assert _refusal(tmp_path, "f", 9) == (
        "f: 10 bytes, more than the 9 bytes allowed here; not parsed (rule: file-size)"
    )
    (tmp_path / "empty").write_bytes(b"")
    assert read_inside(tmp_path, "empty", 0) == b""


def test_a_file_over_one_read_block_is_read_whole(tmp_path: Path) -> None:
    body = os.urandom((1 << 20) + 3)
    (tmp_path / "big").write_bytes(body)
    assert read_inside(tmp_path, "big", len(body)) == body


def test_paths_are_refused_before_any_file_is_touched(tmp_path: Path) -> None:
    assert _refusal(tmp_path, "../x") == (
        "../x: '../x' climbs out of the copy with '..' (rule: path-parent)"
    )
    assert _refusal(tmp_path, "missing.csv") == "missing.csv: the file is missing (rule: missing)"


def test_a_symlink_out_of_the_copy_is_refused_and_one_inside_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    root.mkdir()
    (tmp_path / "secret").write_text("s", encoding="utf-8")
    (root / "inside").write_text("i", encoding="utf-8")
    (root / "out").symlink_to(tmp_path / "secret")
    (root / "alias").symlink_to(root / "inside")
    assert _refusal(root, "out") == (
        "out: its real location (after symlinks) is outside the copy; it is not read "
        "(rule: path-outside)"
    )
    assert read_inside(root, "alias", 10) == b"i"
    assert locate_inside(root, "alias") == (root / "inside").resolve()
    # A sibling folder whose name starts with the copy's is still outside it.
    sibling = tmp_path / "copy2"
    sibling.mkdir()
    (sibling / "f").write_text("x", encoding="utf-8")
    (root / "sib").symlink_to(sibling / "f")
    assert "(rule: path-outside)" in _refusal(root, "sib")
    # A root given through a symlink is judged by its real location.
    (tmp_path / "link").symlink_to(root)
    assert read_inside(tmp_path / "link", "inside", 10) == b"i"


def test_a_folder_a_fifo_and_a_socket_are_never_opened(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    assert _refusal(tmp_path, "dir") == (
        "dir: is a folder; only regular files are read (rule: not-a-regular-file)"
    )
    assert _refusal(tmp_path, "fifo") == (
        "fifo: is a FIFO (named pipe); only regular files are read (rule: not-a-regular-file)"
    )
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s"))
    except OSError:  # a path too long for a socket: the kind is still tested below
        pass
    else:
        assert _refusal(tmp_path, "s") == (
            "s: is a socket; only regular files are read (rule: not-a-regular-file)"
        )
    finally:
        sock.close()
    assert files._kind(os.stat("/dev/null").st_mode) == "a device"
    assert files._kind(0) == "not a regular file"


def test_a_file_that_cannot_be_stat_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")  # stat fails with ELOOP, not "missing"
    assert _refusal(tmp_path, "loop") == (
        "loop: Too many levels of symbolic links (rule: unreadable)"
    )


def test_too_large_names_the_sizes() -> None:
    assert str(too_large("a.csv", 11, 10)) == (
        "a.csv: 11 bytes, more than the 10 bytes allowed here; not parsed (rule: file-size)"
    )


# ---- decode_utf8 / checked_utf8: bad bytes named by offset ----


def test_clean_utf8_is_returned_as_it_is() -> None:
    data = "a,é\n\t1,\r\n".encode()
    assert decode_utf8(data, "t") == ("a,é\n\t1,\r\n", [])
    assert checked_utf8(data, "t") == (data, [])


def test_a_bom_is_removed_and_named() -> None:
    data = b"\xef\xbb\xbfa\n"
    bom = (
        "t: starts with a UTF-8 byte order mark (byte offset 0); the package is UTF-8 "
        "without BOM (rule: utf-8-bom)"
    )
    text, problems = decode_utf8(data, "t")
    assert text == "a\n" and [str(p) for p in problems] == [bom]
    cleaned, problems = checked_utf8(data, "t")
    assert cleaned == b"a\n" and [str(p) for p in problems] == [bom]
    # Only at the start: a BOM elsewhere is a zero-width no-break space.
    assert decode_utf8(b"a\xef\xbb\xbf", "t")[1] == []


def test_invalid_bytes_are_named_by_offset_counting_a_bom() -> None:
    text, problems = decode_utf8(b"ab\xffc", "t")
    assert text == "ab\ufffdc"
    assert [str(p) for p in problems] == [
        "t: invalid UTF-8 at byte offset 2 (invalid start byte: ff) (rule: utf-8)"
    ]
    _, problems = decode_utf8(b"\xef\xbb\xbfab\xe2\x82", "t")
    assert str(problems[1]) == (
        "t: invalid UTF-8 at byte offset 5 (unexpected end of data: e2 82) (rule: utf-8)"
    )
    cleaned, problems = checked_utf8(b"ab\xffc", "t")
    assert cleaned == "ab\ufffdc".encode() and [p.rule for p in problems] == ["utf-8"]


@pytest.mark.parametrize("code", [0x00, 0x08, 0x0B, 0x0C, 0x0E, 0x1F, 0x7F])
def test_each_control_character_is_named_with_its_byte_offset(code: int) -> None:
    data = "é,".encode() + bytes([code]) + b"x"
    message = (
        f"t: control character U+{code:04X} at byte offset 3; text files hold no control "
        "characters but tab, LF and CR (rule: control-character)"
    )
    assert [str(p) for p in decode_utf8(data, "t")[1]] == [message]
    assert [str(p) for p in checked_utf8(data, "t")[1]] == [message]
    assert checked_utf8(data, "t")[0] == data


@pytest.mark.parametrize("code", [0x09, 0x0A, 0x0D, 0x20, 0x80, 0x9F])
def test_tab_lf_cr_and_c1_are_not_control_bytes_of_a_text_file(code: int) -> None:
    data = chr(code).encode("utf-8")
    assert decode_utf8(data, "t")[1] == []
    assert checked_utf8(data, "t")[1] == []


def test_only_the_first_control_character_is_named_counting_a_bom() -> None:
    _, problems = decode_utf8(b"\xef\xbb\xbfa\x01b\x02", "t")
    assert [p.message.split(";")[0] for p in problems[1:]] == [
        "control character U+0001 at byte offset 4"
    ]
    _, problems = checked_utf8(b"a\x02b\x01", "t")
    assert [p.message.split(";")[0] for p in problems] == [
        "control character U+0002 at byte offset 1"
    ]


# ---- errors.py: one safe line per problem ----


def test_visible_escapes_every_hijacking_character_and_nothing_else() -> None:
    assert visible("a\x1b[31mb") == "a\\x1b[31mb"
    assert visible("\x00\x1f\x7f\x9f") == "\\x00\\x1f\\x7f\\x9f"
    assert visible("\u202e\u2066\u200b\ufeff\u2028\u061c") == (
        "\\u202e\\u2066\\u200b\\ufeff\\u2028\\u061c"
    )
    assert visible("\ud800") == "\\ud800"
    for kept in ("plain", " ", "é", "\xa0", "\u200a", "\u2030", "\u206a", "~"):
        assert visible(kept) == kept


def test_a_problem_is_one_line_with_what_it_knows() -> None:
    assert str(Problem("t", "rule", "msg")) == "t: msg (rule: rule)"
    assert str(Problem("t", "r", "m", row=0)) == "t, row 0: m (rule: r)"
    full = Problem("t", "r", "m", row=3, field="f", value="v\n", validator="V", follows="x")
    assert str(full) == "t, row 3, field f: value 'v\\n': m (rule: r; follows from x) [V]"
    assert str(Problem("t", "r", "m", value="")) == "t: value '': m (rule: r)"
    assert str(Problem("t\x1b", "r", "m\u202e")) == "t\\x1b: m\\u202e (rule: r)"


def test_a_dataset_error_carries_every_problem_one_line_each() -> None:
    problems = [Problem("a", "r", "m"), Problem("b", "s", "n", row=2)]
    error = DatasetError(problems)
    assert error.problems == problems
    assert str(error) == "a: m (rule: r)\nb, row 2: n (rule: s)"


# ---- line ends, memo ----


def test_only_line_ends_changed_means_every_lf_became_crlf() -> None:
    lf = b"a\nb\n"
    digest = hashlib.sha256(lf).hexdigest()
    assert only_line_ends_changed(b"a\r\nb\r\n", digest)
    assert not only_line_ends_changed(lf, digest)  # unchanged is not "changed"
    assert not only_line_ends_changed(b"a\r\nc\r\n", digest)  # a byte changed as well
    assert not only_line_ends_changed(b"a\rb\r", digest)  # CR alone is another change


def test_the_memo_is_read_with_its_own_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_bytes("é\r\nb\rc".encode())
    assert read_memo(path) == "é\r\nb\rc"
    assert sha256_of(path) == hashlib.sha256("é\r\nb\rc".encode()).hexdigest()


def test_a_layout_names_its_files_under_its_root(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    assert layout.table("events") == tmp_path / "data" / "events.csv"
    assert layout.schema("events") == tmp_path / "schemas" / "events.json"
    assert layout.memo == tmp_path / "data" / "ponars-policy-memo-724.txt"
    assert layout.descriptor == tmp_path / "datapackage.json"
    assert layout.curation == tmp_path / "curation"


# ---- every file is read as UTF-8, whatever the locale's encoding ----

_READ_EVERYTHING = """
import json, os, sys
from pathlib import Path

# `make mutation` names the mutant to switch on in MUTANT_UNDER_TEST, in UTF-8 (methods' names
# hold U+01C1), which an ASCII locale cannot decode: hand mutmut the name as written. The variable
# is set only under `make mutation`.
name = os.environb.get(b"MUTANT_UNDER_TEST")
if name:
    import mutmut.mutation.trampoline as trampoline

    del os.environ["MUTANT_UNDER_TEST"]
    trampoline._mutant_under_test = name.decode("utf-8")
from memo724.contract.memo import read_memo
from memo724.contract.paths import Layout
from memo724.contract.release import contract_of, read_snapshot
from memo724.contract.schema import Contract
from memo724.contract.typed import read_header

layout = Layout(Path(sys.argv[1]))
csv_path = layout.table("events")
print(json.dumps({
    "memo": read_memo(layout.memo),
    "schema": Contract(layout.schemas)["events"].descriptor["description"],
    "title": contract_of(layout, "x").descriptor["title"],
    "snapshot": read_snapshot(layout.root / "snapshot.json").descriptor["title"],
    "header": read_header(csv_path),
    "header_of_bytes": read_header(csv_path.read_bytes()),
}))
"""


def test_every_reader_reads_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """A user whose locale is not UTF-8 (Windows' cp1252, a C locale) reads the same package."""
    import json
    import subprocess
    import sys

    import memo724
    from memo724.contract import TABLES

    layout = Layout(tmp_path)
    layout.data.mkdir()
    layout.schemas.mkdir()
    layout.memo.write_text("Мемо № 724", encoding="utf-8")
    for name in TABLES:
        schema = {"description": f"Таблица {name}", "fields": [{"name": "id"}]}
        layout.schema(name).write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    descriptor = {"title": "Россия", "resources": [{"path": "schemas/events.json",
                                                     "schema": "schemas/events.json"}]}  # fmt: skip
    layout.descriptor.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    snapshot = {"version": "1", "descriptor": {"title": "Ŧ"}, "schemas": {}, "files": {},
                "memo_code_points": 1}  # fmt: skip
    (tmp_path / "snapshot.json").write_text(json.dumps(snapshot, ensure_ascii=False), "utf-8")
    layout.table("events").write_text("идентификатор,b\n1,2\n", encoding="utf-8")
    # Read here too (in this process's UTF-8), so that mutation testing knows this test covers
    # these readers; the subprocess below then reads the same files under an ASCII locale.
    from memo724.contract.release import contract_of, read_snapshot
    from memo724.contract.schema import Contract
    from memo724.contract.typed import read_header

    assert read_memo(layout.memo) == "Мемо № 724"
    assert Contract(layout.schemas)["events"].descriptor["description"] == "Таблица events"
    assert contract_of(layout, "x").descriptor["title"] == "Россия"
    assert read_snapshot(tmp_path / "snapshot.json").descriptor["title"] == "Ŧ"
    assert read_header(layout.table("events")) == ["идентификатор", "b"]
    assert read_header(layout.table("events").read_bytes()) == ["идентификатор", "b"]
    env = {
        **os.environ,
        "PYTHONUTF8": "0",
        "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONPATH": str(Path(memo724.__file__).parents[1]),
    }
    ascii_locale = subprocess.run(
        [sys.executable, "-c", "import locale; print(locale.getpreferredencoding(False))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert ascii_locale.lower() not in ("utf-8", "utf8")  # the test means something
    done = subprocess.run(
        [sys.executable, "-c", _READ_EVERYTHING, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "memo": "Мемо № 724",
        "schema": "Таблица events",
        "title": "Россия",
        "snapshot": "Ŧ",
        "header": ["идентификатор", "b"],
        "header_of_bytes": ["идентификатор", "b"],
    }


def test_a_copy_whose_folder_name_ends_in_a_space_is_read(tmp_path: Path) -> None:
    root = tmp_path / "copy "
    (root / "data").mkdir(parents=True)
    (root / "data" / "f").write_bytes(b"x")
    assert read_inside(root, "data/f", 1) == b"x"


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is checked, then opened: a FIFO put there in between must not block the read."""
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(files, "locate_inside", lambda root, rel: fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            read_inside(tmp_path, "data.csv", 10)
            outcome.append("read")
        except Refused as exc:
            outcome.append(str(exc.problem))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # blocked in open(): release it before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
        pytest.fail("opening a FIFO blocked")
    assert outcome == [
        "data.csv: is a FIFO (named pipe); only regular files (rule: not-a-regular-file)"
    ]


def test_a_symlink_swapped_in_after_the_check_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"s")
    link = tmp_path / "copy" / "data.csv"
    link.parent.mkdir()
    link.symlink_to(secret)
    monkeypatch.setattr(files, "locate_inside", lambda root, rel: link)
    with pytest.raises(Refused) as caught:
        read_inside(tmp_path / "copy", "data.csv", 10)
    assert str(caught.value.problem) == (
        "data.csv: Too many levels of symbolic links (rule: unreadable)"
    )


def test_a_file_whose_stated_size_is_wrong_is_still_read_within_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """/proc files say they hold 0 bytes: the limit holds on the bytes read, not the size."""
    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("needs Linux's /proc")
    monkeypatch.setattr(files, "locate_inside", lambda root, rel: status)
    with pytest.raises(Refused) as caught:
        read_inside(Path("/"), "data.csv", 10)
    assert str(caught.value.problem) == (
        "data.csv: 11 bytes, more than the 10 bytes allowed here; not parsed (rule: file-size)"
    )
    assert read_inside(Path("/"), "data.csv", 1 << 20).startswith(b"Name:")


def test_files_are_read_where_os_has_no_o_nonblock_or_o_nofollow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has neither flag: a regular file is still read, with the flags it does have."""
    (tmp_path / "f").write_bytes(b"abc")
    for flag in ("O_NONBLOCK", "O_NOFOLLOW"):
        monkeypatch.delattr(os, flag, raising=False)
    assert read_inside(tmp_path, "f", 10) == b"abc"


def test_a_file_read_in_short_blocks_is_refused_one_byte_past_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """/proc/self/smaps states 0 bytes and is read a page or so at a time: the bytes are counted
    over every read, and reading stops at the first byte past the limit."""
    smaps = Path("/proc/self/smaps")
    if not smaps.is_file() or len(smaps.read_bytes()) < 20_000:
        pytest.skip("needs Linux's /proc/self/smaps")
    monkeypatch.setattr(files, "locate_inside", lambda root, rel: smaps)
    with pytest.raises(Refused) as caught:
        read_inside(Path("/"), "data.csv", 5000)
    assert str(caught.value.problem) == (
        "data.csv: 5001 bytes, more than the 5000 bytes allowed here; not parsed (rule: file-size)"
    )
