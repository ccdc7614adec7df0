"""Bad input gets one clear line per problem, a non-zero exit, and leaves nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from memo724.cli import main
from memo724.contract.paths import Layout


def snapshot(layout: Layout) -> dict[str, bytes]:
    files = [*sorted(layout.data.glob("*")), layout.descriptor]
    return {p.name: p.read_bytes() for p in files}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def add_records(layout: Layout, text: str) -> Path:
    path = layout.curation / "records" / "99-test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


EVENT = """events:
  - id: test-event
    summary: A test event.
    event_type: takeover
    factuality: {factuality}
    date: {{edtf: "{edtf}"}}
    participants:
      - {{actor_id: {actor}, role: agent}}
    evidence:
      - {quote}
"""


def event(
    factuality="occurred", edtf="2021-08", actor="taliban", quote='"the swift Taliban takeover"'
):
    return EVENT.format(factuality=factuality, edtf=edtf, actor=actor, quote=quote)


CASES = {
    "malformed-yaml": (
        "events:\n  - id: x\n    summary: [unclosed\n",
        ["99-test.yaml:", "yaml-syntax"],
    ),
    "unknown-actor": (
        event(actor="nobody"),
        [
            "event_participants",
            "field actor_id",
            "'nobody'",
            "foreignKey",
            "from curation/records/99-test.yaml:",
        ],
    ),
    "quote-not-in-memo": (
        event(quote='"words the memo never wrote"'),
        ["99-test.yaml:", "is not in the memo", "rule: quote"],
    ),
    "ambiguous-quote": (
        event(quote="Taliban"),
        ["99-test.yaml:", "occurs", "give a context", "rule: quote"],
    ),
    "duplicate-id": (
        "actors:\n  - id: russia\n    name: Russia again\n"
        "    kind: state\n    evidence: [Russia]\n",
        ["99-test.yaml:2", "duplicate-id", "already used at curation/records/02-summary.yaml:"],
    ),
    "unknown-enum": (
        event(factuality="maybe"),
        [
            "events",
            "field factuality",
            "'maybe'",
            "rule: enum",
            "[frictionless]",
            "[pandera]",
            "from curation/records/99-test.yaml:",
        ],
    ),
    "end-before-start": (
        event(edtf="2021/2019"),
        ["99-test.yaml:", "field date_edtf", "ends before it starts", "rule: edtf"],
    ),
    "unknown-key": (
        "actors:\n  - id: someone\n    nmae: Typo\n",
        ["99-test.yaml:3", "unknown-key", "'nmae'"],
    ),
    "child-not-a-list": (
        event().replace(
            "participants:\n      - {actor_id: taliban, role: agent}", "participants: taliban"
        ),
        ["99-test.yaml:", "participants must be a list", "rule: child-shape"],
    ),
    "derived-key": (
        "actors:\n  - id: someone\n    names_as_written: X\n",
        ["computed by the build"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_refuses_bad_records(case: str, source_copy: Callable[[], Layout], capsys) -> None:
    layout = source_copy()
    text, expected = CASES[case]
    add_records(layout, text)
    before = snapshot(layout)
    code, err = run(["build", "--root", str(layout.root)], capsys)
    assert code != 0
    for fragment in expected:
        assert fragment in err, f"{fragment!r} missing from:\n{err}"
    assert snapshot(layout) == before, "a failed build changed generated files"
    assert not list(layout.root.glob(".build-*")), "a failed build left its scratch folder"


def test_build_writes_once_records_are_fixed(source_copy: Callable[[], Layout], capsys) -> None:
    layout = source_copy()
    add_records(layout, event())
    code, err = run(["build", "--root", str(layout.root)], capsys)
    assert code == 0, err
    assert "test-event" in layout.table("events").read_text(encoding="utf-8")


def test_changed_memo_stops_the_build(source_copy: Callable[[], Layout], capsys) -> None:
    layout = source_copy()
    layout.memo.write_bytes(layout.memo.read_bytes() + b" ")
    before = snapshot(layout)
    code, err = run(["build", "--root", str(layout.root)], capsys)
    assert code != 0
    assert "memo-hash" in err and "byte for byte" in err
    assert snapshot(layout) == before


def test_changed_memo_fails_validation_of_a_copy(package_copy: Layout, capsys) -> None:
    package_copy.memo.write_bytes(package_copy.memo.read_bytes().replace(b"Kabul", b"Kabil"))
    code, err = run(["validate", str(package_copy.root)], capsys)
    assert code == 1
    assert "rule: memo-hash" in err  # documents.sha256 no longer matches the memo
    assert "exact-at-offsets" in err  # spans that quoted the changed word
    # The memo's hash differs from the release's, and the rows are still checked (above).
    assert any(
        ln.startswith("data/ponars-policy-memo-724.txt:") and "changed since release" in ln
        for ln in err.splitlines()
    )


def test_hand_edit_of_a_generated_csv_is_reported(
    source_copy: Callable[[], Layout], capsys
) -> None:
    layout = source_copy()
    path = layout.table("events")
    path.write_text(
        path.read_text(encoding="utf-8").replace("occurred", "expected", 1), encoding="utf-8"
    )
    code, err = run(["validate", str(layout.root)], capsys)
    assert code == 1
    assert "data/events.csv: changed since release" in err
    # The sources' check names the hand edit as such, and writes nothing.
    before = path.read_bytes()
    code, err = run(["build", "--check", "--root", str(layout.root)], capsys)
    assert code == 1
    assert (
        "data/events.csv" in err
        and "differs from a fresh build of curation/ (first difference at line" in err
        and "rule: generated" in err
    )
    assert path.read_bytes() == before


def test_dates_out_of_order_in_a_vendored_copy(package_copy: Layout, capsys) -> None:
    path = package_copy.table("sources")
    text = path.read_text(encoding="utf-8")
    assert "2003-02-14,2003-02-14,day" in text
    path.write_text(
        text.replace("2003-02-14,2003-02-14,day", "2003-02-14,2003-02-13,day"), encoding="utf-8"
    )
    code, err = run(["validate", str(package_copy.root)], capsys)
    assert code == 1
    assert "field date_end" in err and "rule: date-order" in err
    # The wrong cell is the end: reported there, not on the (right) precision.
    assert "field date_end: value '2003-02-13': must be the end that date_edtf gives" in err
    assert "field date_precision" not in err


def test_console_script_exits_non_zero_without_traceback(package_copy: Layout) -> None:
    path = package_copy.table("actors")
    path.write_text(path.read_text(encoding="utf-8").replace(",RUS,", ",rus,"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "memo724.cli", "validate", str(package_copy.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "field iso3" in result.stderr
        and "'rus'" in result.stderr
        and "rule: pattern" in result.stderr
    )


def test_missing_package_is_one_clear_line(tmp_path: Path, capsys) -> None:
    code, err = run(["validate", str(tmp_path)], capsys)
    assert code == 2
    assert err == f"error: {tmp_path} holds no data package: there is no datapackage.json in it\n"


def test_missing_column_and_broken_csv_in_a_copy(package_copy: Layout, capsys) -> None:
    events = package_copy.table("events")
    lines = events.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace(",place,", ",location,")
    events.write_text("\n".join(lines), encoding="utf-8")
    with package_copy.table("risks").open("a", encoding="utf-8") as handle:
        handle.write('broken,"unterminated\n')
    code, err = run(["validate", "--frictionless", str(package_copy.root)], capsys)
    assert code == 1
    lines = err.splitlines()
    for validator in ("[frictionless]", "[pandera]"):  # both validators name the renamed column
        assert any(ln.startswith("events, field place") and validator in ln for ln in lines), (
            validator
        )
    # The quote the file ends in is named by its row, in the project's words (test_structure.py).
    assert any(
        ln.startswith("risks, row 25, field summary: the quote opened on line 25 is never closed")
        and "rule: unclosed-quote" in ln
        for ln in lines
    ), err


def test_emptied_selectors_and_dates_are_caught(package_copy: Layout, capsys) -> None:
    import csv

    from memo724.contract import Contract
    from memo724.publication.package import csv_text

    contract = Contract(package_copy.schemas)
    for name, edit in (
        ("evidence", lambda r: r.update(prefix="", suffix="")),
        ("events", lambda r: r.update(date_edtf="", date_text="")),
    ):
        with package_copy.table(name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        target = next(r for r in rows if r.get("prefix") or r.get("date_edtf"))
        edit(target)
        package_copy.table(name).write_text(
            csv_text(contract[name].field_names, rows), encoding="utf-8"
        )
    code, err = run(["validate", str(package_copy.root)], capsys)
    assert code == 1
    assert "rule: prefix-at-offsets" in err and "rule: suffix-at-offsets" in err
    assert "field date_precision" in err and "rule: edtf-bounds" in err
