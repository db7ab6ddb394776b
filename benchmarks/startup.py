"""Start-up benchmark: ``tracker status`` on the shipped data against ``python -c "import duckdb"``.

Most of what a user waits for on a small catalogue is the start of the process: imports, and
knowing whether the database is current. Both commands run interleaved as whole processes, after
one run that builds the database if the files changed.

Measured as a user meets it: Python's default bytecode caching is on for both commands (the
variable PYTHONDONTWRITEBYTECODE, which some environments set, is taken out of theirs), and each
command runs once before the timed runs, so that the timed runs read the compiled modules from
``__pycache__`` as a user's second run does, instead of compiling the tracker's modules every time.
Goal (issue 15): at most 1.5 times as long.
Run: ``.venv/bin/python -m benchmarks.startup [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import subprocess

from benchmarks.harness import PYTHON, ROOT, Goal, interleave, load_note, run

USER_ENVIRONMENT: dict[str, str | None] = {"PYTHONDONTWRITEBYTECODE": None}
"""Bytecode caching as Python's default: the variable that turns it off is taken out."""


def main(argv: list[str] | None = None) -> list[Goal]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    subprocess.run([PYTHON, "-m", "tracker", "build", "--if-stale"], check=True, cwd=ROOT, capture_output=True)
    commands = {"python -c 'import duckdb'": [PYTHON, "-c", "import duckdb"],
                "tracker status": [PYTHON, "-m", "tracker", "status"]}  # fmt: skip
    for command in commands.values():  # the warm-up run: writes the bytecode a user's first run would
        run(command, env=USER_ENVIRONMENT)
    print(f"start-up, shipped data, bytecode cached ({load_note()}):", flush=True)
    samples = interleave(commands, args.repeat, env=USER_ENVIRONMENT)
    base, ours = samples.values()
    goals = [Goal("shipped data: tracker status / import duckdb", ours.median / base.median, 1.5, "x")]
    for goal in goals:
        print(goal.line())
    return goals


if __name__ == "__main__":
    main()
