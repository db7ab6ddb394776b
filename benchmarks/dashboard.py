"""Dashboard benchmark: the overview's warm rerun at 1,000 and 10,000 targets over 1,000,000 observations.

The real page runs in Streamlit's AppTest against a generated catalogue: once cold (empty caches:
connection, assessment, scorecard), then warm, as for every visitor after the first and for every
click on a filter: a rerun reads the caches and draws the page. Each size runs in a process of its
own, so that one size's caches do not serve another. Goals (issue 15): a warm rerun under 0.2 s at
1,000 targets and under 0.5 s at 10,000. The first run is printed beside it.
Run: ``.venv/bin/python -m benchmarks.dashboard [--sizes 1000,10000] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

from benchmarks.harness import PYTHON, ROOT, Goal, catalogue, load_note

GOALS = {1000: 0.2, 10_000: 0.5}


def _one_size(targets: int, repeat: int) -> dict:
    """Run in a child process: the cold run and ``repeat`` warm reruns of the overview."""
    from streamlit.testing.v1 import AppTest

    root = catalogue(targets)
    os.environ.update(TRACKER_TARGETS=str(root / "targets"), TRACKER_DATA=str(root / "data"),
                      TRACKER_DB=str(root / "tracker.duckdb"))  # fmt: skip
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
        # What a reader sees: the scorecard's heading names every target (markup put in by views.markup.html_list).
        markup = " ".join(json.loads(e.proto.json)["markup"] for e in at.main.get("bidi_component")
                          if e.proto.component_name == "escaped_markup")  # fmt: skip
        heading = re.search(r'id="list-scorecard">([^<]*)<', markup)
        assert heading and re.search(rf"(?:of|all) {targets:,} targets", heading[1]), heading
    return {"cold": times[0], "warm": times[1:]}


def main(argv: list[str] | None = None) -> list[Goal]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_one_size(args.child, args.repeat)))
        return []
    goals = []
    for size in (int(s) for s in args.sizes.split(",")):
        catalogue(size)
        print(f"overview, {size:,} targets ({load_note()}):", flush=True)
        out = subprocess.run([PYTHON, "-m", "benchmarks.dashboard", "--child", str(size), "--repeat", str(args.repeat)],
                             cwd=ROOT, check=True, capture_output=True, text=True)  # fmt: skip
        result = json.loads(out.stdout.strip().splitlines()[-1])
        warm = result["warm"]
        print(f"  first run (empty caches): {result['cold']:.2f} s")
        print(f"  warm rerun: {statistics.median(warm):.3f} s median (min {min(warm):.3f}, max {max(warm):.3f}, "
              f"n={len(warm)})")  # fmt: skip
        median = statistics.median(warm)
        goals.append(Goal(f"{size:,} targets: overview warm rerun", median, GOALS.get(size, 0.5), " s"))
    for goal in goals:
        print(goal.line())
    return goals


if __name__ == "__main__":
    main(sys.argv[1:])
