"""The changelog's data summary finds rows added, removed and changed, by id."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from memo724.contract import Contract
from memo724.contract.paths import Layout
from memo724.contract.typed import text_frame as read_frame
from memo724.publication.changes import changes_markdown, diff, previous_snapshot, row_digests
from memo724.publication.package import csv_text


def test_diff_names_added_removed_and_changed_rows(
    pristine: Layout, contract: Contract, tmp_path: Path
) -> None:
    old = row_digests(pristine, contract)
    copy = Layout(tmp_path / "copy")
    shutil.copytree(pristine.root, copy.root)
    frame = read_frame(copy.table("events")).astype(object).where(lambda f: f.notna(), "")
    rows = frame.to_dict("records")
    removed, changed = rows[0]["event_id"], rows[1]["event_id"]
    rows[1]["summary"] = "Changed."
    added = dict(rows[2], event_id="zz-new-event")
    rows = [*rows[1:], added]
    copy.table("events").write_text(
        csv_text(contract["events"].field_names, rows), encoding="utf-8"
    )
    changes = diff(old, row_digests(copy, contract))
    assert changes["events"].added == ["zz-new-event"]
    assert changes["events"].removed == [removed]
    assert changes["events"].changed == [changed]
    assert changes["actors"].added == changes["actors"].removed == changes["actors"].changed == []
    text = changes_markdown("0.1.0", changes, row_digests(copy, contract))
    assert f"- `events`: {len(rows)} rows (+1 / -1 / ~1)" in text
    assert f"  - removed: `{removed}`" in text and "  - added: `zz-new-event`" in text


def test_previous_snapshot_is_the_latest_older_version(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    for version in ("0.1.0", "0.2.0", "0.10.0", "99.0.0"):
        (releases / f"{version}.json").write_text(
            json.dumps({"v": {version: "x"}}), encoding="utf-8"
        )
    found = previous_snapshot(tmp_path, "1.0.0")
    assert found is not None and found[0] == "0.10.0"
    assert previous_snapshot(tmp_path, "0.1.0") is None
