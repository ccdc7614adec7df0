"""Print how long the build and each validator take on this package, and peak memory.

Speed is measured here, never asserted in tests: run `.venv/bin/python scripts/benchmark.py`.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from memo724.contract import Contract
from memo724.contract.paths import REPO, Layout
from memo724.publication.generate import build_copy
from memo724.validation.validate import frictionless_problems, load_frames, pandera_problems


def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> None:
    fn()  # warm: imports and caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    median, best = statistics.median(runs) * 1000, min(runs) * 1000
    print(f"{label:<28} median {median:8.1f} ms  (min {best:.1f}, n={repeat})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        layout = Layout(Path(tmp))
        build_copy(REPO, layout)
        contract = Contract(layout.schemas)
        frames, _ = load_frames(layout)
        rows = sum(len(f) for f in frames.values())
        print(f"package: {len(frames)} tables, {rows} rows")
        timed(
            "build (records -> CSV)",
            lambda: build_copy(REPO, Layout(Path(tempfile.mkdtemp(dir=tmp)))),
        )
        timed("read CSVs as text", lambda: load_frames(layout))
        timed("frictionless validate", lambda: frictionless_problems(layout))
        timed("pandera + provenance", lambda: pandera_problems(layout, contract, frames))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory          {peak:8.1f} MiB")


if __name__ == "__main__":
    main()
