"""Whole-process timing: commands run interleaved (A B A B ...), with wall time and peak memory.

Every command is a new Python process, as users meet it: imports, reading files, the work, the
output. Wall time is measured around the process; peak memory (maximum resident set size) comes
from GNU time (``/usr/bin/time -f %M``), which reads it from the kernel when the process ends.
Catalogues are generated once per size and kept under ``$TRACKER_BENCH_DIR`` (default
/tmp/tracker-bench), so that a second run of a benchmark does not pay for the generator.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.synthetic import generate
from tracker.resultcache import cache_file

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TIME = "/usr/bin/time"
AS_OF = "2026-11-29"
BENCH_DIR = Path(os.environ.get("TRACKER_BENCH_DIR", "/tmp/tracker-bench"))
GENERATED = "generated-2"
"""Marks a catalogue made by the current generator (bumped when benchmarks/synthetic.py changes what it writes)."""
READY = "ready-5"
"""Marks a catalogue built by the current build (bumped when the database gains what a benchmark reads)."""


@dataclass
class Samples:
    """The runs of one command: seconds and peak memory (MiB) of each."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mib)

    def line(self) -> str:
        lo, hi = min(self.seconds), max(self.seconds)
        return (f"{self.name}: {self.median:.3f} s median (min {lo:.3f}, max {hi:.3f}, n={len(self.seconds)}); "
                f"peak memory {self.peak:.0f} MiB")  # fmt: skip


@dataclass
class Goal:
    """One goal of issue 15 and what was measured against it."""

    what: str
    measured: float
    limit: float
    unit: str
    at_most: bool = True
    interval: tuple[float, float] | None = None
    """Where the measure could as well have fallen, from the same runs (``ratio_interval``); None: not worked out."""

    @property
    def met(self) -> bool:
        return self.measured <= self.limit if self.at_most else self.measured >= self.limit

    def line(self) -> str:
        sign = "<=" if self.at_most else ">="
        verdict = "met" if self.met else "NOT MET"
        line = f"{self.what}: {self.measured:.2f}{self.unit} (goal {sign} {self.limit:g}{self.unit}) {verdict}"
        if self.interval is not None:
            low, high = (round(bound, 2) for bound in self.interval)  # decided on the bounds as printed
            within = low <= self.limit <= high
            line += f"; 90% interval {low:.2f}-{high:.2f}{self.unit}" + (", the goal inside it" if within else "")
        return line


MIN_PAIRS = 5
"""Fewer pairs of runs than this get no interval: resampling three pairs says little more than their range."""


def ratio_interval(base: list[float], ours: list[float], draws: int = 2000, seed: int = 15) -> tuple[float, float]:
    """The 5th and 95th percentiles of median(ours) / median(base) over ``draws`` resamplings of the runs, a round's
    two runs drawn together (they were interleaved, and the verdict's statistic is this same ratio of medians). The
    runs of one machine session vary by a tenth and more: a ratio whose interval holds the goal is met or missed by
    chance, whatever its verdict says. Seeded, so that the same runs give the same interval."""
    if len(base) != len(ours) or not base:
        raise ValueError("the runs are paired: one of each per round")
    if draws < 1:
        raise ValueError("at least one resampling")
    pick = random.Random(seed).choices
    pairs = list(zip(base, ours, strict=True))
    ratios = sorted(
        statistics.median(o for _, o in drawn) / statistics.median(b for b, _ in drawn)
        for drawn in (pick(pairs, k=len(pairs)) for _ in range(draws))
    )
    return ratios[int(0.05 * (draws - 1))], ratios[int(0.95 * (draws - 1))]


def run(argv: list[str], stdout: Path | None = None, env: dict[str, str | None] | None = None) -> tuple[float, float]:
    """Run one command to completion; its wall time in seconds and peak memory in MiB. ``env`` adds to the
    environment; a variable given as None is taken out of it."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        out = stdout.open("wb") if stdout else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            done = subprocess.run([TIME, "-f", "%M", "-o", report.name, *argv], stdout=out,
                                  stderr=subprocess.PIPE, cwd=ROOT, env=environment(env))  # fmt: skip
            elapsed = time.perf_counter() - start
        finally:
            if stdout:
                out.close()
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
        kib = float(Path(report.name).read_text().split()[-1])
    return elapsed, kib / 1024


def environment(changes: dict[str, str | None] | None) -> dict[str, str]:
    merged = {**os.environ, **(changes or {})}
    return {key: value for key, value in merged.items() if value is not None}


def interleave(
    commands: dict[str, list[str] | Callable[[], list[str]]],
    repeat: int,
    outputs: dict[str, Path] | None = None,
    env: dict[str, str | None] | None = None,
) -> dict[str, Samples]:
    """Each command ``repeat`` times, in turn (A B C A B C ...), so that load on the machine hits all alike.
    A command given as a function is asked for its arguments before each run; ``env`` as in ``run``."""
    samples = {name: Samples(name) for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            seconds, mib = run(argv() if callable(argv) else argv, (outputs or {}).get(name), env)
            samples[name].seconds.append(seconds)
            samples[name].peak_mib.append(mib)
    for s in samples.values():
        print("  " + s.line(), flush=True)
    return samples


def catalogue(targets: int, rows: int = 1_000_000, indicators: int = 1000) -> Path:
    """A generated catalogue of this size (made once, then reused), with its database built."""
    root = BENCH_DIR / f"t{targets}-r{rows}-i{indicators}"
    if not (root / GENERATED).is_file():
        print(f"  generating {targets:,} targets over {rows:,} observations in {root} ...", flush=True)
        generate(root, indicators=indicators, targets=targets, rows=rows)
        (root / GENERATED).write_text("ok\n")
        (root / READY).unlink(missing_ok=True)  # a database built from the previous files
    if not (root / READY).is_file():
        tracker(["build"], root)
        (root / READY).write_text("ok\n")
    return root


def tracker_argv(command: list[str], root: Path) -> list[str]:
    where = ["--targets", str(root / "targets"), "--data", str(root / "data"), "--db", str(root / "tracker.duckdb")]
    return [PYTHON, "-m", "tracker", *command, *where]


def in_tree(tree: Path, argv: list[str]) -> list[str]:
    """``argv`` run from another git tree (a baseline's own code: ``python -m tracker`` imports the tree it runs in).
    The shell gives way to the command, whose memory is what GNU time measures."""
    return ["/bin/sh", "-c", 'cd "$0" && exec "$@"', str(tree), *argv]


def first_status(argv: list[str], db: Path) -> Callable[[], list[str]]:
    """``tracker status`` (``argv``) as a first run after a change meets it: the status cache of ``db`` is removed
    before each run, which computes its output and keeps it, as a user's does (tracker/resultcache.py)."""

    def fresh() -> list[str]:
        cache_file(db).unlink(missing_ok=True)
        return argv

    return fresh


def tracker(command: list[str], root: Path) -> None:
    subprocess.run(tracker_argv(command, root), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def load_note() -> str:
    """The machine's load when a benchmark starts, printed beside its figures."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main_by_size(doc: str, measure, default_sizes: str, argv: list[str] | None = None) -> list[Goal]:
    """The command line shared by the per-size benchmarks: --sizes and --repeat, every goal printed."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", default=default_sizes, help="numbers of targets, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    goals = [g for size in args.sizes.split(",") for g in measure(int(size), args.repeat)]
    for goal in goals:
        print(goal.line())
    return goals
