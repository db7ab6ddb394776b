"""``make bench``: every benchmark of issue 15, the site and load tests of issue 13, then every goal and its figure.

Run: ``.venv/bin/python -m benchmarks [--repeat 3] [--quick]``; --quick runs each long command once (the start-up
and warm-rerun ones three times, the browser's visits five) and leaves out 100,000 targets: a first look, whose
single runs docs/benchmarks.md takes again with more runs wherever one run cannot settle a goal.
"""

from __future__ import annotations

import argparse
import sys

from benchmarks import assess, browser, dashboard, ingest, load, site, startup
from benchmarks.harness import load_note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each whole-process command")
    args = parser.parse_args()
    n = 1 if args.quick else args.repeat
    repeat = ["--repeat", str(n)]
    goals = startup.main(["--repeat", str(2 * n + 1)])
    goals += ingest.main(repeat)
    goals += assess.main(repeat + (["--sizes", "1000,10000"] if args.quick else []))
    goals += dashboard.main(["--repeat", str(2 * n + 1)])
    # A visit takes seconds and one pair of visits varies by a fifth: more of them than of the long commands.
    goals += browser.main(["--repeat", str(2 * n + 3)])
    goals += site.main(repeat + (["--sizes", "1000"] if args.quick else []))
    goals += load.main(["--repeat", "1" if args.quick else "2"])
    print(f"\nAll goals ({load_note()} at the end):")
    for goal in goals:
        print("  " + goal.line())
    missed = [g for g in goals if not g.met]
    print(f"{len(goals) - len(missed)} of {len(goals)} goals met.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
