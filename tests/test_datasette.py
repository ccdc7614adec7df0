"""The release's SQLite file browses well in Datasette itself: labels, descriptions, views.

Datasette (a dev dependency) serves the release on 127.0.0.1 with the shipped metadata; the test
reads a table's JSON and the metadata back over HTTP, then stops the server.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from memo724.contract import TABLES, Contract
from memo724.contract.paths import REPO, Layout
from memo724.publication.release import write_release

PROVENANCE = {"source_commit": "test", "python": "3.11", "tools": {}, "builder": "test"}
DB = "ponars-memo-724"


@pytest.fixture(scope="module")
def release(pristine: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = Layout(tmp_path_factory.mktemp("source"))
    shutil.copytree(pristine.root, source.root, dirs_exist_ok=True)
    shutil.copyfile(REPO.root / "LICENSE", source.root / "LICENSE")
    return write_release(source, tmp_path_factory.mktemp("dist"), PROVENANCE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(release / f"{DB}.sqlite"),
            "--metadata",
            str(release / "datasette-metadata.json"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"datasette did not start: {output[-2000:]}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_metadata_describes_every_table_and_column(release: Path, contract: Contract) -> None:
    metadata = json.loads((release / "datasette-metadata.json").read_text(encoding="utf-8"))
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert metadata["title"] == package["title"]
    assert metadata["license"] == "CC-BY-4.0" and metadata["source"]
    tables = metadata["databases"][DB]["tables"]
    for name in TABLES:
        schema = contract[name]
        assert tables[name]["description"] == schema.descriptor["description"]
        assert tables[name]["columns"] == {f["name"]: f["description"] for f in schema.fields}
    assert tables["actors"]["label_column"] == "name"
    assert tables["events"]["label_column"] == "summary"


def test_every_column_of_every_named_view_is_described(release: Path, contract: Contract) -> None:
    """A `_named` view shows a table's columns and the labels beside its ids: Datasette must
    describe each of them, the table's own columns as the schema does."""
    metadata = json.loads((release / "datasette-metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"][DB]["tables"]
    con = sqlite3.connect(release / f"{DB}.sqlite")
    views = [
        name
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        if name.endswith("_named")
    ]
    assert "event_participants_named" in views
    assert sorted(views) == sorted(t for t in tables if t.endswith("_named"))
    for view in views:
        schema = contract[view.removesuffix("_named")]
        own = {f["name"]: f["description"] for f in schema.fields}
        shown = [row[1] for row in con.execute(f'PRAGMA table_info("{view}")')]
        described = tables[view]["columns"]
        assert sorted(described) == sorted(shown), view
        for column in shown:
            if column in own:
                assert described[column] == own[column], f"{view}.{column}"
            else:  # a label beside an id: names the id it stands beside
                ids = [fk.field for fk in schema.foreign_keys]
                assert any(described[column].endswith(f" of {i}.") for i in ids), column
    assert tables["event_participants_named"]["columns"]["actor_name"] == (
        "actors.name of actor_id."
    )


def test_sqlite_indexes_every_foreign_key_and_has_named_views(
    release: Path, contract: Contract
) -> None:
    con = sqlite3.connect(release / f"{DB}.sqlite")
    for name in TABLES:
        schema = contract[name]
        indexed = {
            row[2]
            for index in con.execute(f'PRAGMA index_list("{name}")').fetchall()
            for row in con.execute(f'PRAGMA index_info("{index[1]}")').fetchall()[:1]
        }
        for fk in schema.foreign_keys:
            assert fk.field in indexed, f"{name}.{fk.field} has no index"
    rows = con.execute(
        "SELECT p.actor_id, p.actor_name, a.name FROM event_participants_named AS p "
        "JOIN actors AS a USING (actor_id)"
    ).fetchall()
    assert len(rows) == con.execute("SELECT count(*) FROM event_participants").fetchone()[0]
    assert all(name == actor_name for _, name, actor_name in rows)
    plan = " ".join(
        str(r)
        for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM evidence WHERE event_id = 'x'"
        ).fetchall()
    )
    assert "idx_evidence_event_id" in plan


def test_datasette_serves_labels_and_descriptions(server: str, release: Path) -> None:
    con = sqlite3.connect(release / f"{DB}.sqlite")
    event_id, actor_id = con.execute(
        "SELECT event_id, actor_id FROM event_participants ORDER BY event_id, actor_id LIMIT 1"
    ).fetchone()
    (actor_name,) = con.execute(
        "SELECT name FROM actors WHERE actor_id = ?", (actor_id,)
    ).fetchone()
    (summary,) = con.execute(
        "SELECT summary FROM events WHERE event_id = ?", (event_id,)
    ).fetchone()

    page = get_json(f"{server}/{DB}/event_participants.json?_shape=objects&_labels=on&_size=1")
    (row,) = page["rows"]
    assert row["actor_id"] == {"value": actor_id, "label": actor_name}
    assert row["event_id"] == {"value": event_id, "label": summary}

    served = get_json(f"{server}/-/metadata.json")
    tables = served["databases"][DB]["tables"]
    assert tables["events"]["columns"]["date_edtf"].startswith("The date in EDTF")
    assert served["license"] == "CC-BY-4.0"

    with urllib.request.urlopen(f"{server}/{DB}/events", timeout=10) as response:
        html = response.read().decode("utf-8")
    assert tables["events"]["description"].split(",")[0] in html

    view = get_json(f"{server}/{DB}/event_participants_named.json?_shape=objects&_size=1")
    assert view["rows"][0]["actor_name"] == actor_name
