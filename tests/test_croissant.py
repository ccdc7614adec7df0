"""The release's croissant.json, read by the real mlcroissant: valid, and every row comes back.

mlcroissant (MLCommons' reference implementation of Croissant) validates the file and reads each
record set from the release folder; every request it might make goes to a closed local port, so
the tests prove it needs no network.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pytest
from conftest import date_unreleased

from memo724.contract import TABLES, Contract
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO, Layout
from memo724.publication.croissant import data_type
from memo724.publication.release import write_release

# rdflib, which mlcroissant parses JSON-LD with, warns about its own internals.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

MEMO_FILE = "ponars-policy-memo-724.txt"
PROVENANCE = {"source_commit": "test", "python": "3.11", "tools": {}, "builder": "test"}
# A port nothing listens on: a request through these proxies fails at once.
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
NO_NETWORK = dict.fromkeys(PROXIES, "http://127.0.0.1:9")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from memo724.publication.generate import build_copy, write_docs

    source = Layout(tmp_path_factory.mktemp("source"))
    build_copy(REPO, source)
    shutil.copyfile(REPO.root / "LICENSE", source.root / "LICENSE")
    # Between releases the top entry is undated; a release carries its date (datePublished), so
    # date it and write the docs again from the copy (they read the codebook under curation/).
    date_unreleased(source.root)
    shutil.copytree(REPO.root / "curation", source.root / "curation")
    write_docs(source, source, Contract(source.schemas))
    return write_release(source, tmp_path_factory.mktemp("dist"), PROVENANCE)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in NO_NETWORK.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


@pytest.fixture(scope="module")
def croissant(release: Path) -> dict[str, Any]:
    return json.loads((release / "croissant.json").read_text(encoding="utf-8"))


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def as_text(value: object) -> str:
    """A value mlcroissant returns, as the CSV cell it was read from."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "date"):  # pandas Timestamp for sc:Date
        return value.date().isoformat()  # type: ignore[no-any-return]
    return str(value)


def test_mlcroissant_validates_it_from_the_command_line(release: Path, tmp_path: Path) -> None:
    cli = Path(sys.executable).parent / "mlcroissant"
    env = {"PATH": str(cli.parent), "HOME": str(tmp_path), **NO_NETWORK}
    done = subprocess.run(
        [str(cli), "validate", "--jsonld", "croissant.json"],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Done." in done.stderr


def test_mlcroissant_reads_every_record_set_as_the_csv_holds_it(
    release: Path, croissant: dict[str, Any], offline: None
) -> None:
    dataset = mlc.Dataset(jsonld=release / "croissant.json")
    issues = dataset.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, issues.report()
    assert [rs.id for rs in dataset.metadata.record_sets] == list(TABLES)
    counts = {}
    for table in TABLES:
        rows = csv_rows(release / "data" / f"{table}.csv")
        records = list(dataset.records(record_set=table))
        counts[table] = len(records)
        assert len(records) == len(rows), table
        for row, record in zip(rows, records, strict=True):
            read = {key.removeprefix(f"{table}/"): as_text(v) for key, v in record.items()}
            assert read == row, table
    assert counts == {t: len(csv_rows(REPO.table(t))) for t in TABLES}

    # Typed as the schemas say: sc:Integer and sc:Date values, not text.
    (document,) = dataset.records(record_set="documents")
    assert document["documents/code_points"] == len(read_memo(release / "data" / MEMO_FILE))
    assert isinstance(document["documents/code_points"], int)
    assert document["documents/date_start"].date() == dt.date(2021, 11, 1)
    assert document["documents/date_end"].date() == dt.date(2021, 11, 30)
    passages = list(dataset.records(record_set="passages"))
    assert [p["passages/ordinal"] for p in passages] == list(range(1, len(passages) + 1))


def test_mlcroissant_refuses_a_file_whose_bytes_changed(
    release: Path, tmp_path: Path, offline: None
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(release / "data", copy / "data")
    shutil.copyfile(release / "croissant.json", copy / "croissant.json")
    path = copy / "data" / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"hypothetical", b"Hypothetical", 1))
    dataset = mlc.Dataset(jsonld=copy / "croissant.json")
    with pytest.raises(Exception, match=r"Download\(data/events\.csv\)") as caught:
        list(dataset.records(record_set="events"))
    causes, error = [], caught.value
    while error is not None:
        causes.append(str(error))
        error = error.__cause__ or error.__context__
    assert any("Hash of downloaded file" in cause for cause in causes), causes
    assert len(list(dataset.records(record_set="actors"))) == len(csv_rows(REPO.table("actors")))


def test_the_files_are_the_descriptor_s_with_their_sha256(
    release: Path, croissant: dict[str, Any]
) -> None:
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    files = {f["@id"]: f for f in croissant["distribution"]}
    expected = [f"data/{MEMO_FILE}"] + [f"data/{t}.csv" for t in TABLES]
    assert list(files) == expected
    media = {f"data/{MEMO_FILE}": "text/plain"} | {f"data/{t}.csv": "text/csv" for t in TABLES}
    for rel, entry in files.items():
        data = (release / rel).read_bytes()
        assert entry["@type"] == "cr:FileObject"
        assert entry["contentUrl"] == rel and entry["name"] == rel.rsplit("/", 1)[1]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["contentSize"] == f"{len(data)} B"
        assert entry["encodingFormat"] == media[rel]
    # croissant.json is one of the release's files, hashed in its descriptor like the others.
    listed = {e["path"]: e for e in descriptor["files"]}
    digest = hashlib.sha256((release / "croissant.json").read_bytes()).hexdigest()
    assert listed["croissant.json"]["hash"] == f"sha256:{digest}"


def test_a_record_set_per_table_and_a_field_per_column(
    croissant: dict[str, Any], contract: Contract
) -> None:
    types = {"string": "sc:Text", "integer": "sc:Integer", "date": "sc:Date"}
    record_sets = {rs["@id"]: rs for rs in croissant["recordSet"]}
    assert list(record_sets) == list(TABLES)
    for table in TABLES:
        schema = json.loads(REPO.schema(table).read_text(encoding="utf-8"))
        rs = record_sets[table]
        assert rs["@type"] == "cr:RecordSet" and rs["description"] == schema["description"]
        keys = rs["key"] if isinstance(rs["key"], list) else [rs["key"]]
        assert keys == [{"@id": f"{table}/{k}"} for k in schema["primaryKey"]]
        assert [f["name"] for f in rs["field"]] == [f["name"] for f in schema["fields"]]
        for field, column in zip(rs["field"], schema["fields"], strict=True):
            assert field["@id"] == f"{table}/{column['name']}"
            assert field["description"] == column["description"]
            assert field["dataType"] == types[column["type"]]
            assert field["source"] == {
                "fileObject": {"@id": f"data/{table}.csv"},
                "extract": {"column": column["name"]},
            }
    assert record_sets["documents"]["key"] == {"@id": "documents/document_id"}
    assert record_sets["event_participants"]["key"] == [
        {"@id": "event_participants/event_id"},
        {"@id": "event_participants/actor_id"},
        {"@id": "event_participants/role"},
    ]


def test_the_dataset_is_described_as_its_descriptor_and_citation_say(
    release: Path, croissant: dict[str, Any]
) -> None:
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    cff = (release / "CITATION.cff").read_text(encoding="utf-8")
    assert croissant["@type"] == "sc:Dataset"
    assert croissant["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert croissant["name"] == descriptor["title"]
    assert croissant["alternateName"] == "ponars-memo-724"
    assert croissant["description"] == descriptor["description"]
    assert croissant["version"] == descriptor["version"]
    assert croissant["license"] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert croissant["keywords"] == descriptor["keywords"]
    author = re.search(r'^authors:\n  - name: "(.+)"$', cff, re.MULTILINE)
    assert author and croissant["creator"] == {"@type": "sc:Organization", "name": author[1]}
    released = re.search(r'^date-released: "(.+)"$', cff, re.MULTILINE)
    assert released and croissant["datePublished"] == released[1]
    # The README's first "How to cite" line, without its Markdown.
    readme = (release / "README.md").read_text(encoding="utf-8")
    cite = re.search(r"^- (The ponars-memo-724 contributors\..+)$", readme, re.MULTILINE)
    assert cite and croissant["citeAs"] == cite[1].replace("*", "")
    assert croissant["isBasedOn"] == [
        {"@type": "sc:CreativeWork", "name": descriptor["sources"][0]["title"]}
    ]


def test_each_table_schema_type_has_its_croissant_data_type() -> None:
    expected = {
        "string": "sc:Text",
        "integer": "sc:Integer",
        "number": "sc:Float",
        "boolean": "sc:Boolean",
        "date": "sc:Date",
    }
    for ftype, croissant_type in expected.items():
        assert data_type("t", {"name": "f", "type": ftype}) == croissant_type
    # A type with no mapping is refused by name, never written as text.
    with pytest.raises(ValueError, match=r"t\.f: Table Schema type 'datetime'"):
        data_type("t", {"name": "f", "type": "datetime"})
