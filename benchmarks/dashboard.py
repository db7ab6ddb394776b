"""Dashboard benchmark: the overview page with 1,000 targets over 1,000,000 observations.

Runs the real page in Streamlit's AppTest against a synthetic database, first
cold (empty caches: connection, assessment, scorecard) and then warm (caches
filled, as for every visitor after the first). The goal (dashboard issue) is a
warm render under 1 second; the cold run is printed beside it as the baseline.
Run: ``.venv/bin/python -m benchmarks.dashboard [--targets N] [--rows N] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import generate
from tracker import store

GOAL_SECONDS = 1.0
ROOT = Path(__file__).resolve().parent.parent


def run_overview() -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    assert at.subheader, "the overview drew nothing"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "synthetic", indicators=1000, targets=args.targets, rows=args.rows)
        db = root / "data" / "tracker.duckdb"
        report = store.build(root / "targets", root / "data", db)
        assert report.ok
        os.environ.update(TRACKER_TARGETS=str(root / "targets"), TRACKER_DATA=str(root / "data"), TRACKER_DB=str(db))
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
        cold = run_overview()
        warm = [run_overview() for _ in range(args.repeat)]
        median = statistics.median(warm)
        print(f"targets: {report.counts['targets']:,}; observations: {report.counts['observations']:,}")
        print(f"overview, cold (empty caches): {cold:.2f} s")
        print(f"overview, warm (median of {args.repeat}): {median:.2f} s (goal: < {GOAL_SECONDS:.0f} s)")
        print(f"cold / warm: {cold / median:.1f}x")


if __name__ == "__main__":
    main()
