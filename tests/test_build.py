"""The committed tables are exactly what the records build into, in a stable shape."""

from __future__ import annotations

import csv
import hashlib
import json

from memo724 import __version__
from memo724.contract import TABLES, Contract
from memo724.contract.memo import read_memo
from memo724.contract.paths import REPO, Layout
from memo724.publication.generate import build_copy, generated_files


def test_committed_files_equal_a_fresh_build_byte_for_byte(pristine: Layout) -> None:
    for rel in generated_files():
        assert (REPO.root / rel).read_bytes() == (pristine.root / rel).read_bytes(), (
            f"{rel} is stale: run `make build` and commit the result"
        )


def test_memo_ships_byte_for_byte() -> None:
    data = REPO.memo.read_bytes()
    # The hash of the memo as given (../shared/REFERENCES.md), independent of the build's record.
    assert hashlib.sha256(data).hexdigest() == (
        "15d7950851dcc052a5ce54949b520583fbbda05fc50f5b111c8ca50198eda4a3"
    )
    assert len(read_memo(REPO.memo)) == 16900


def test_columns_follow_the_schema_and_rows_their_key(pristine: Layout, contract: Contract) -> None:
    for name in TABLES:
        with pristine.table(name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == contract[name].field_names, name
        assert len(rows) > 1, f"{name} has no rows"
    with pristine.table("passages").open(encoding="utf-8", newline="") as handle:
        ordinals = [int(r["ordinal"]) for r in csv.DictReader(handle)]
    assert ordinals == list(range(1, len(ordinals) + 1))


def test_two_builds_are_identical(pristine: Layout, tmp_path) -> None:

    again = Layout(tmp_path)
    build_copy(REPO, again)
    for rel in generated_files():
        assert (again.root / rel).read_bytes() == (pristine.root / rel).read_bytes(), rel


def test_descriptor_lists_every_file_with_size_and_hash(pristine: Layout) -> None:
    """What each resource must say, written out here and read from the files themselves (the
    schema's own description, the bytes and their sha256), not recomputed by the builder."""
    written = json.loads(pristine.descriptor.read_text(encoding="utf-8"))
    assert list(written) == [
        "$schema",
        "name",
        "title",
        "description",
        "version",
        "licenses",
        "sources",
        "keywords",
        "resources",
    ]
    assert written["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert written["name"] == "ponars-memo-724" and written["version"] == __version__
    assert [lic["name"] for lic in written["licenses"]] == ["CC-BY-4.0"]
    names = [r["name"] for r in written["resources"]]
    assert names == ["memo", *TABLES]
    memo = written["resources"][0]
    assert memo["hash"] == "sha256:15d7950851dcc052a5ce54949b520583fbbda05fc50f5b111c8ca50198eda4a3"
    assert {k: v for k, v in memo.items() if k not in ("title", "description")} == {
        "name": "memo",
        "type": "text",
        "path": "data/ponars-policy-memo-724.txt",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "bytes": (pristine.root / "data/ponars-policy-memo-724.txt").stat().st_size,
        "hash": memo["hash"],
    }
    # The CSVs as written: comma, double quotes doubled, LF line ends, a header row.
    dialect = {
        "header": True,
        "delimiter": ",",
        "lineTerminator": "\n",
        "quoteChar": '"',
        "doubleQuote": True,
        "skipInitialSpace": False,
    }
    for resource in written["resources"][1:]:
        name = resource["name"]
        data = (pristine.root / "data" / f"{name}.csv").read_bytes()
        schema = json.loads((pristine.root / "schemas" / f"{name}.json").read_bytes())
        assert resource == {
            "name": name,
            "type": "table",
            "path": f"data/{name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": dialect,
            "description": schema["description"],
            "schema": f"schemas/{name}.json",
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        }, name
        assert b"\r" not in data and data.endswith(b"\n"), name
        header = data.split(b"\n", 1)[0].decode("utf-8")
        assert header == ",".join(f["name"] for f in schema["fields"]), name
    for resource in written["resources"]:
        data = (pristine.root / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_every_span_matches_the_memo_at_its_offsets(pristine: Layout) -> None:
    text = read_memo(pristine.memo)
    with pristine.table("evidence").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            start, end = int(row["start"]), int(row["end"])
            assert text[start:end] == row["exact"], row["evidence_id"]
            assert text[max(0, start - 32) : start] == row["prefix"]
            assert text[end : end + 32] == row["suffix"]


def test_evidence_ids_survive_reordering_quotes(source_copy, tmp_path) -> None:

    layout = source_copy()
    path = layout.curation / "records" / "02-summary.yaml"
    text = path.read_text(encoding="utf-8")
    first = '      - {quote: Russia, context: "describe Russia\'s immediate"}\n'
    second = '      - {quote: Moscow, context: "Moscow has [conditioned]"}\n'
    assert first + second in text
    path.write_text(text.replace(first + second, second + first), encoding="utf-8")
    out = Layout(tmp_path / "out")
    build_copy(layout, out)
    assert out.table("evidence").read_bytes() == layout.table("evidence").read_bytes()
    assert out.table("actors").read_bytes() == layout.table("actors").read_bytes()
