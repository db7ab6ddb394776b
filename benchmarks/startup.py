"""Start-up benchmark: ``tracker status`` on the shipped data against ``python -c "import duckdb"``.

Most of what a user waits for on a small catalogue is the start of the process: imports, and
knowing whether the database is current. Both commands run interleaved as whole processes, after
one run that builds the database if the files changed. Goal (issue 15): at most 1.5 times as long.
Run: ``.venv/bin/python -m benchmarks.startup [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import subprocess

from benchmarks.harness import PYTHON, ROOT, Goal, interleave, load_note


def main(argv: list[str] | None = None) -> list[Goal]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    subprocess.run([PYTHON, "-m", "tracker", "build", "--if-stale"], check=True, cwd=ROOT, capture_output=True)
    print(f"start-up, shipped data ({load_note()}):", flush=True)
    samples = interleave(
        {"python -c 'import duckdb'": [PYTHON, "-c", "import duckdb"],
         "tracker status": [PYTHON, "-m", "tracker", "status"]}, args.repeat,
    )  # fmt: skip
    base, ours = samples.values()
    goals = [Goal("shipped data: tracker status / import duckdb", ours.median / base.median, 1.5, "x")]
    for goal in goals:
        print(goal.line())
    return goals


if __name__ == "__main__":
    main()
