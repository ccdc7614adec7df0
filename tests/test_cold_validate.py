"""A cold `memo724 validate` (issue 16): the collector never walks the imported libraries.

Run in a fresh interpreter, as a user's command runs: every garbage collection that starts once
pandas is imported must find the imports frozen (cli._collector_spared), and the collector is
on again for what the command makes after them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import memo724

SRC = Path(memo724.__file__).resolve().parents[1]

PROBE = """
import contextlib, gc, io, json, sys
seen = []

def watch(phase, info):
    if phase == "start" and "pandas" in sys.modules:
        seen.append([info["generation"], gc.get_freeze_count()])

gc.callbacks.append(watch)
from memo724.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    status = main(["validate"])
gc.callbacks.remove(watch)
print(json.dumps({"status": status, "out": out.getvalue(), "enabled": gc.isenabled(),
                  "frozen": gc.get_freeze_count(), "seen": seen}))
"""


def _probe() -> dict[str, Any]:
    path = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=SRC.parent,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_the_collector_never_walks_the_imported_validators() -> None:
    probe = _probe()
    assert probe["status"] == 0, probe["out"]
    assert probe["out"].startswith("valid: ")
    assert probe["enabled"], "the collector is on again after the imports"
    # pandas, pyarrow and Pandera alone leave far more than this many objects
    assert probe["frozen"] > 100_000
    unfrozen = [s for s in probe["seen"] if s[1] == 0]
    assert not unfrozen, f"collections over the unfrozen imports: {unfrozen}"
    assert probe["seen"], "the command's own garbage is still collected"
