"""Time `memo724 validate`, `frictionless validate` and a bare pyarrow read as whole processes.

    .venv/bin/python scripts/benchmark.py [--sizes 10000 100000 1000000] [--repeat 3]
        [--copies 10] [--no-frictionless-above N]

The first row is the real package as released (data, schemas and descriptor, no curation);
the others are synthetic packages in the project's schemas (scripts/synthetic.py, every rule
satisfied; packages of their own, validated with `--contract` this version), generated once
into --work; with --copies K, a last package is K copies of the largest (`synthetic.py
--copies-of`: 10 x 1M is the 10M row). Each figure is the median wall time of --repeat runs
(one run above 200k rows), its CPU time (user + system) and the peak resident memory of that
process (os.wait4). The machine is shared: compare the ratios within one run, never figures
across runs; the CPU time varies less with the load than the wall time. Measured here, never
asserted in a test. `load_all()` is the loader reading every table into pandas frames, timed
the same way. "imports + parse" is what every `memo724 validate` does before its first check:
import pandas, pyarrow and Pandera and parse each table's bytes as Arrow text (the project's
reader, one table at a time): the floor under its time and peak memory.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from memo724 import __version__
from memo724.contract import Contract
from memo724.contract.paths import REPO

BIN = Path(sys.executable).parent
# Evidence prefixes and suffixes hold the memo's line breaks: a correct read must allow them.
READ = (
    "import sys, pyarrow.csv as c\n"
    "options = c.ParseOptions(newlines_in_values=True)\n"
    "for p in sys.argv[1:]: c.read_csv(p, parse_options=options)\n"
)  # fmt: skip
LOAD = "import sys, memo724\nmemo724.load_all(path=sys.argv[1])\n"
FLOOR = (  # imported as `memo724 validate` imports, the collector paused, then frozen
    "import gc, sys, pathlib\ngc.disable()\nimport memo724.validation.api\n"
    "gc.freeze()\ngc.enable()\nfrom memo724.contract.typed import read_csv_text\n"
    "for p in sys.argv[1:]: read_csv_text(pathlib.Path(p).read_bytes())\n"
)  # fmt: skip


def run(argv: list[str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MiB, exit code, CPU seconds: user + system) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"  ! {' '.join(argv[:3])} exited {proc.returncode}: {err[-300:]!r}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(argv: list[str], repeat: int) -> tuple[float, float, float]:
    """(median wall seconds, largest peak MiB, median CPU seconds) of `repeat` runs. On a
    shared machine the CPU time varies far less with the load than the wall time."""
    runs = [run(argv) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[3] for r in runs),
    )


def release_copy(root: Path) -> Path:
    """The package as a release ships it: data, schemas and the descriptor."""
    if root.exists():
        shutil.rmtree(root)
    for part in ("data", "schemas"):
        shutil.copytree(REPO.root / part, root / part)
    shutil.copyfile(REPO.descriptor, root / "datapackage.json")
    return root


def tables(root: Path) -> list[str]:
    """The tables of the package at root: one per schema of its contract."""
    return list(Contract(root / "schemas").tables)


def rows_and_bytes(root: Path) -> tuple[int, int]:
    rows = size = 0
    for name in tables(root):
        path = root / "data" / f"{name}.csv"
        size += path.stat().st_size
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle)) - 1  # quoted cells may hold line breaks
    return rows, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--repeat-large",
        type=int,
        default=1,
        help="runs of each command above 200k rows (the median is shown; a 10M-row run of "
        "memo724 takes about a minute)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/memo724-bench"))
    parser.add_argument("--no-frictionless-above", type=int, default=None)
    parser.add_argument("--copies", type=int, default=0, help="add K copies of the largest size")
    args = parser.parse_args()
    print(f"machine: {platform.node()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    packages = [("release", release_copy(args.work / "release"))]
    for n in args.sizes:
        root = args.work / f"rows-{n}"
        if not (root / "datapackage.json").is_file():
            # In its own process: a child's peak memory counts the parent's at fork time.
            t = time.perf_counter()
            generate = [sys.executable, str(Path(__file__).with_name("synthetic.py")), str(root)]
            subprocess.run([*generate, "--rows", str(n)], check=True, stdout=subprocess.DEVNULL)
            print(f"generated {root} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        packages.append((f"{n:,}", root))
    if args.copies and args.sizes:
        largest = packages[-1][1]
        root = args.work / f"copies-{args.copies}-of-{largest.name}"
        if not (root / "datapackage.json").is_file():
            generate = [sys.executable, str(Path(__file__).with_name("synthetic.py")), str(root)]
            multiply = ["--copies-of", str(largest), "--copies", str(args.copies)]
            subprocess.run([*generate, *multiply], check=True, stdout=subprocess.DEVNULL)
        packages.append((f"{args.copies} x {packages[-1][0]}", root))

    header = (
        "| rows | CSV MiB | pyarrow read | frictionless validate | memo724 validate "
        "| fl / memo724 | memo724 / pyarrow | memo724 peak / CSV bytes "
        "| pyarrow peak / CSV bytes | imports + parse | load_all() "
        "| load average (1 min) |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for label, root in packages:
        rows, size = rows_and_bytes(root)
        repeat = args.repeat if rows <= 200_000 else args.repeat_large
        csvs = [str(root / "data" / f"{n}.csv") for n in tables(root)]
        read = measure([sys.executable, "-c", READ, *csvs], repeat)
        # A synthetic package is a package of its own that follows this release's contract.
        own = [] if label == "release" else ["--contract", __version__]
        mine = measure([str(BIN / "memo724"), "validate", str(root), *own], repeat)
        floor = measure([sys.executable, "-c", FLOOR, *csvs], repeat)
        skip = args.no_frictionless_above is not None and rows > args.no_frictionless_above
        fl = (
            None
            if skip
            else measure([str(BIN / "frictionless"), "validate", str(root / "datapackage.json")],
                         repeat)
        )  # fmt: skip
        loaded = measure([sys.executable, "-c", LOAD, str(root)], repeat)
        mib = size / 2**20
        frictionless, ratio = (
            ("(not run)", "") if fl is None
            else (f"{fl[0]:.2f} s (CPU {fl[2]:.2f} s) / {fl[1]:.0f} MiB", f"{fl[0] / mine[0]:.1f}x")
        )  # fmt: skip
        print(
            f"| {rows:,} ({label}) | {mib:.1f} | {read[0]:.2f} s / {read[1]:.0f} MiB "
            f"| {frictionless} "
            f"| {mine[0]:.2f} s (CPU {mine[2]:.2f} s) / {mine[1]:.0f} MiB "
            f"| {ratio} | {mine[0] / read[0]:.1f}x | {mine[1] / mib:.2f} | {read[1] / mib:.2f} "
            f"| {floor[0]:.2f} s / {floor[1]:.0f} MiB "
            f"| {loaded[0]:.2f} s / {loaded[1]:.0f} MiB | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
