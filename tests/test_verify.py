"""`memo724 verify`: a vendored copy's files against the hashes of a release (also at the lowest
supported versions, where `make test` runs this file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from memo724.cli import main
from memo724.contract import TABLES
from memo724.contract.paths import REPO


def vendor(tmp_path: Path) -> Path:
    """A user's vendored copy, as the README says: data/, schemas/ and datapackage.json."""
    copy = tmp_path / "vendor" / "ponars-memo-724"
    shutil.copytree(REPO.data, copy / "data")
    shutil.copytree(REPO.schemas, copy / "schemas")
    shutil.copyfile(REPO.descriptor, copy / "datapackage.json")
    return copy


def test_a_faithful_copy_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = vendor(tmp_path)
    assert main(["verify", str(copy), "--against", str(REPO.descriptor)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verified: ") and f" files of {copy} match " in out
    assert int(out.split()[1]) >= 25  # at least the memo, the 12 tables and their 12 schemas


def test_a_changed_byte_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = vendor(tmp_path)
    path = copy / "data" / "events.csv"
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(bytes(data))
    assert main(["verify", str(copy), "--against", str(REPO.descriptor)]) == 1
    err = capsys.readouterr().err
    assert "data/events.csv" in err and "drifted" in err
    assert "data/actors.csv" not in err


def crlf(copy: Path) -> list[str]:
    """Check the copy out as Git for Windows does by default (core.autocrlf=true): every text
    file's LF written as CRLF. Returns the converted files, relative to the copy."""
    converted = []
    for path in sorted(copy.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".txt", ".json"):
            data = path.read_bytes()
            path.write_bytes(data.replace(b"\n", b"\r\n"))
            if b"\n" in data:
                converted.append(path.relative_to(copy).as_posix())
    return converted


def test_a_crlf_checkout_is_one_line_per_file_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = vendor(tmp_path)
    converted = crlf(copy)
    assert "data/events.csv" in converted and "schemas/events.json" in converted
    assert main(["verify", str(copy), "--against", str(REPO.descriptor)]) == 1
    lines = capsys.readouterr().err.splitlines()
    named = [line for line in lines if "rule: line-endings" in line]
    assert sorted(line.split(":")[0] for line in named) == sorted(converted)
    assert all(".gitattributes" in line for line in named)
    assert not [line for line in lines if "rule: drifted" in line]


def test_validate_reads_a_crlf_checkout_as_the_release_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = vendor(tmp_path)
    tables = [rel for rel in crlf(copy) if rel.startswith("data/")]
    assert main(["validate", str(copy)]) == 1
    lines = capsys.readouterr().err.splitlines()
    problems = lines[:-1]  # the last line counts them
    # One line per converted data file, and no row problem: no value changed.
    assert sorted(
        line.split(":")[0] for line in problems if "rule: line-endings" in line
    ) == sorted(tables)
    assert all("rule: line-endings" in line or "rule: contract-drift" in line for line in problems)


def test_a_list_cut_short_names_what_it_left_unverified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = vendor(tmp_path)
    sums = tmp_path / "SHA256SUMS"
    from memo724.contract.memo import sha256_of

    files = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
    quarter = files[: len(files) // 4]
    sums.write_text(
        "".join(f"{sha256_of(copy / rel)}  release/{rel}\n" for rel in quarter), encoding="utf-8"
    )
    # A tampered table the short list does not name must not pass as verified.
    left_out = next(rel for rel in files if rel.endswith(".csv") and rel not in quarter)
    (copy / left_out).write_bytes(b"tampered\n")
    assert main(["verify", str(copy), "--against", str(sums)]) == 1
    err = capsys.readouterr().err
    assert f"{left_out}: the list of hashes does not cover this file" in err
    left = [line for line in err.splitlines() if "rule: unverified" in line]
    assert len(left) == len(files) - len(quarter)


def test_against_a_fifo_or_a_truncated_list_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    copy = vendor(tmp_path)
    fifo = tmp_path / "SHA256SUMS.fifo"
    os.mkfifo(fifo)
    assert main(["verify", str(copy), "--against", str(fifo)]) == 1  # returns: never reads it
    assert "not a regular file" in capsys.readouterr().err
    truncated = tmp_path / "datapackage.json"
    truncated.write_text(REPO.descriptor.read_text(encoding="utf-8")[:500], encoding="utf-8")
    assert main(["verify", str(copy), "--against", str(truncated)]) == 1
    err = capsys.readouterr().err
    assert "not a release's list of hashes" in err and "internal error" not in err


def release_folder(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    """A vendored copy whose descriptor lists more files (`files`), as a release folder's does,
    written as memo724 writes it."""
    import hashlib
    import json

    from memo724.contract.release import canonical_json

    copy = vendor(tmp_path)
    desc = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    desc["files"] = [
        {"path": rel, "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
        for rel, data in extra.items()
    ]
    (copy / "datapackage.json").write_text(canonical_json(desc), encoding="utf-8")
    for rel, data in extra.items():
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_bytes(data)
    return copy


def test_a_release_folder_has_every_listed_file_hashed_and_says_what_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = {"parquet/events.parquet": b"PAR1 events PAR1", "site/index.html": b"<p>x</p>\n"}
    copy = release_folder(tmp_path, extra)
    assert main(["verify", str(copy)]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith(f"verified: {2 + 2 * len(TABLES) + 2} files")
        and "not in the copy" not in out
    )
    (copy / "site" / "index.html").unlink()  # a vendored copy leaves the site out: said, not failed
    assert main(["verify", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "; 1 listed files are not in the copy, so not verified (site/)" in out
    (copy / "parquet" / "events.parquet").write_bytes(b"PAR1")  # truncated
    (copy / "parquet" / "stray.parquet").write_bytes(b"PAR1")  # listed nowhere
    assert main(["verify", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "parquet/events.parquet: changed since the release" in err and "rule: drifted" in err
    assert "parquet/stray.parquet: the list of hashes does not cover this file" in err
