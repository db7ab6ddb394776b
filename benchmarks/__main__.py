"""``make bench``: every benchmark of issue 15, then every goal with what was measured against it.

Run: ``.venv/bin/python -m benchmarks [--quick]``; --quick runs each command fewer times and leaves
out 100,000 targets (for a first look, not for docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import sys

from benchmarks import assess, browser, dashboard, ingest, startup
from benchmarks.harness import load_note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = ["--repeat", "1" if args.quick else "3"]
    goals = startup.main(["--repeat", "3" if args.quick else "7"])
    goals += ingest.main(repeat)
    goals += assess.main(repeat + (["--sizes", "1000,10000"] if args.quick else []))
    goals += dashboard.main(["--repeat", "3" if args.quick else "7"])
    goals += browser.main(repeat)
    print(f"\nAll goals ({load_note()} at the end):")
    for goal in goals:
        print("  " + goal.line())
    missed = [g for g in goals if not g.met]
    print(f"{len(goals) - len(missed)} of {len(goals)} goals met.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
