"""The contract's refusals, word for word (contract/schema.py), for the mutants that survived them.

The fast tests mutmut runs read the checkout's own schemas, which are whole: a missing folder, a
role with no table or two, and a foreign key gone were never reached there (their tests build a
package), so the one line the user reads in each case could lose its file or its words unseen.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from memo724.contract import Contract
from memo724.contract.errors import DatasetError, Problem
from memo724.contract.paths import REPO
from memo724.contract.schema import reading_order


def _schemas() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in REPO.schemas.glob("*.json")}


def _refused(call: Any) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        call()
    return caught.value.problems


def test_a_missing_schema_folder_is_one_problem_naming_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    problems = _refused(lambda: Contract(folder))
    assert problems == [Problem(str(folder), "missing", "the folder of Table Schemas is missing")]


def test_each_broken_schema_file_is_one_problem_naming_it(tmp_path: Path) -> None:
    """Every file is read (a broken one never stops the reading), each in its own words."""
    folder = tmp_path / "schemas"
    shutil.copytree(REPO.schemas, folder)
    (folder / "actors.json").write_text("{\n", encoding="utf-8")
    (folder / "events.json").write_bytes(b'{"a\xff": 1}')
    (folder / "passages.json").unlink()
    (folder / "passages.json").mkdir()  # there, but unreadable
    with pytest.raises(OSError) as unreadable:  # in the system's words ("Is a directory")
        (folder / "passages.json").read_text(encoding="utf-8")
    (folder / "risks.json").write_text("[]", encoding="utf-8")
    (folder / "sources.json").write_text('{"fields": {}}', encoding="utf-8")
    (folder / "time_links.json").unlink()
    not_schema = "a Table Schema is a JSON object with a list of fields"
    json_error = "line 2 column 1 (character 2): Expecting property name enclosed in double quotes"
    assert _refused(lambda: Contract(folder)) == [
        Problem(str(folder / "actors.json"), "json", f"not valid JSON at {json_error}"),
        Problem(str(folder / "events.json"), "utf-8", "not UTF-8 text: byte 0xff at offset 3"),
        Problem(str(folder / "passages.json"), "unreadable", unreadable.value.strerror),
        Problem(str(folder / "risks.json"), "table-schema", not_schema),
        Problem(str(folder / "sources.json"), "table-schema", not_schema),
        Problem(str(folder / "time_links.json"), "missing", "the file is missing"),
    ]


def test_a_role_no_table_has_is_refused_naming_none() -> None:
    schemas = _schemas()
    schemas["evidence"]["role"] = "link"  # a stated role: an absent one falls back to evidence
    problems = _refused(lambda: Contract.of(schemas).only("evidence", by="the check"))
    message = "the check reads the one table of role 'evidence'; the schemas have none"
    assert problems == [Problem("schemas/", "code-reads", message)]


def test_a_role_two_tables_have_is_refused_naming_both() -> None:
    schemas = _schemas()
    schemas["passages"]["role"] = "document"
    problems = _refused(lambda: Contract.of(schemas).only("document", by="the check"))
    message = (
        "the check reads the one table of role 'document'; the schemas have documents, passages"
    )
    assert problems == [Problem("schemas/", "code-reads", message)]


def test_a_foreign_key_of_a_missing_table_is_refused_as_the_table() -> None:
    schemas = _schemas()
    del schemas["evidence"]
    problems = _refused(lambda: Contract.of(schemas).require_key("evidence", "sources", by="X"))
    assert [(p.where, p.rule) for p in problems] == [("schemas/evidence.json", "code-reads")]
    assert problems[0].message.startswith("X reads table evidence, which the schemas do not have")


def test_a_missing_foreign_key_is_refused_in_the_words_of_curating() -> None:
    schemas = _schemas()
    keys = schemas["evidence"]["foreignKeys"]
    schemas["evidence"]["foreignKeys"] = [
        k for k in keys if k["reference"]["resource"] != "sources"
    ]
    problems = _refused(lambda: Contract.of(schemas).require_key("evidence", "sources", by="X"))
    message = (
        "X reads a foreign key of evidence into sources, which the schemas do not have: put it "
        "back, or change that code (CURATING.md, 'Where the code still names a table')"
    )
    assert problems == [Problem("schemas/evidence.json", "code-reads", message)]
    # the section named is the one CURATING.md has
    assert "### Where the code still names a table" in (REPO.root / "CURATING.md").read_text(
        encoding="utf-8"
    )


def test_an_error_without_the_systems_words_is_reported_by_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError raised with a message only (no errno, so no strerror) still says something."""
    folder = tmp_path / "schemas"
    shutil.copytree(REPO.schemas, folder)
    read_text = Path.read_text

    def failing(path: Path, *args: Any, **kwargs: Any) -> str:
        if path.name == "risks.json":
            raise OSError("the device went away")
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", failing)
    problems = _refused(lambda: Contract(folder))
    assert problems == [Problem(str(folder / "risks.json"), "unreadable", "the device went away")]


def test_a_missing_table_or_field_is_refused_in_the_words_of_curating() -> None:
    schemas = _schemas()
    del schemas["risks"]
    contract = Contract.of(schemas)
    where = "(CURATING.md, 'Where the code still names a table')"
    problems = _refused(lambda: contract.require("risks", "label", by="X"))
    message = "X reads table risks, which the schemas do not have: rename it back, or change "
    assert problems == [Problem("schemas/risks.json", "code-reads", f"{message}that code {where}")]
    problems = _refused(lambda: contract.require("events", "event_id", "gone", "when", by="X"))
    message = "X reads events.gone, events.when, which the schemas do not have: rename it back, or "
    assert problems == [
        Problem("schemas/events.json", "code-reads", f"{message}change that code {where}")
    ]


def test_a_missing_code_is_refused_in_the_words_of_curating() -> None:
    contract = Contract.of(_schemas())
    problems = _refused(
        lambda: contract.require_codes("sources", "kind", "hyperlink", "gone", "lost", by="X")
    )
    message = (
        "X reads the code 'gone', 'lost' of sources.kind, which its enum does not have: rename "
        "it back, or change that code (CURATING.md, 'Where the code names a code')"
    )
    assert problems == [Problem("schemas/sources.json", "code-reads", message, field="kind")]
    assert contract.require_codes("sources", "kind", "hyperlink", by="X") is contract["sources"]


def test_a_code_of_a_missing_field_is_refused_as_the_field_by_its_reader() -> None:
    contract = Contract.of(_schemas())
    problems = _refused(lambda: contract.require_codes("sources", "genre", "x", by="the figure"))
    assert [(p.where, p.rule) for p in problems] == [("schemas/sources.json", "code-reads")]
    assert problems[0].message.startswith("the figure reads sources.genre, which the schemas")


def test_reading_order_names_each_table_once_the_evidence_last() -> None:
    """Contract keeps the order in a dict, which would hide a table listed twice."""
    unstated: dict[str, dict[str, Any]] = {n: {} for n in ("evidence", "zeta", "events")}
    assert reading_order({"evidence", "zeta", "events"}, unstated) == ["events", "zeta", "evidence"]
    stated = {"spans": {"role": "evidence"}, "documents": {}, "evidence": {"role": "link"}}
    assert reading_order(["spans", "evidence", "documents"], stated) == [
        "documents",
        "evidence",
        "spans",
    ]
    schemas = _schemas()
    assert reading_order(set(schemas), schemas) == list(Contract.of(schemas).tables)
    assert reading_order(set(schemas), schemas)[-1] == "evidence"
    assert len(reading_order(set(schemas), schemas)) == len(schemas)
