"""Ingest benchmark: `tracker build` on 1,000,000 observation rows vs DuckDB's own read_csv.

Both runs read the same synthetic CSV files into a new DuckDB file on the same
machine, in the same process. The goal (issue: observations) is a ratio of at
most 1.5. Run: ``.venv/bin/python -m benchmarks.ingest [--rows N] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.synthetic import generate
from tracker.store import build

GOAL = 1.5


def duckdb_read_csv(files: list[Path], db: Path) -> float:
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE observations AS SELECT * FROM read_csv($files)", {"files": [str(f) for f in files]})
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - start


def tracker_build(root: Path, db: Path) -> tuple[float, int]:
    start = time.perf_counter()
    report = build(root / "targets", root / "data", db)
    elapsed = time.perf_counter() - start
    assert report.ok, [str(p) for p in report.problems[:5]]
    return elapsed, report.counts["observations"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # The build also reads the catalogues; by default small ones (200 indicators with
        # 5,000 daily figures each, 50 targets) keep the measure on the observations.
        root = generate(Path(tmp) / "synthetic", indicators=args.indicators, targets=50, rows=args.rows)
        files = sorted((root / "data" / "observations").glob("*.csv"))
        size = sum(f.stat().st_size for f in files)
        base_times, ours = [], []
        for k in range(args.repeat):
            base_times.append(duckdb_read_csv(files, Path(tmp) / f"baseline-{k}.duckdb"))
            elapsed, loaded = tracker_build(root, Path(tmp) / f"tracker-{k}.duckdb")
            ours.append(elapsed)
        base, mine = statistics.median(base_times), statistics.median(ours)
        print(f"rows: {loaded:,} in {len(files)} files ({size / 1e6:.0f} MB), {args.indicators} indicators")
        print(f"duckdb read_csv into a table: {base:.2f} s (median of {args.repeat})")
        print(f"tracker build (validate, convert, load): {mine:.2f} s (median of {args.repeat})")
        print(f"ratio: {mine / base:.2f} (goal: <= {GOAL})")


if __name__ == "__main__":
    main()
