"""Start-up benchmark: ``tracker status`` on the shipped data against ``python -c "import duckdb"``.

Most of what a user waits for on a small catalogue is the start of the process: imports, and
knowing whether the database is current. The commands run interleaved as whole processes, after
one run that builds the database if the files changed:

- ``python -c "import duckdb"``, the yardstick;
- ``tracker status`` as a user's second run meets it: nothing changed since the first, whose output is in the
  status cache (``tracker/resultcache.py``); the benchmark checks that the cache holds it before timing;
- ``tracker status`` as a first run after a change meets it: the cache is removed before each run, which
  opens the database, imports numpy and the assessment, applies the rule, writes its output and keeps it;
- with ``--baseline TREE``, ``tracker status`` of another git tree (e.g. a ``git archive`` of main with its
  database built), run from that tree, as it runs there (with its own cache, if it has one), and, when the tree
  keeps a status cache, its first run after a change too (its cache removed before each run, as for this tree's).

Measured as a user meets it: Python's default bytecode caching is on for every command (the
variable PYTHONDONTWRITEBYTECODE, which some environments set, is taken out of theirs), and each
command runs once before the timed runs, so that the timed runs read the compiled modules from
``__pycache__`` as a user's second run does, instead of compiling the tracker's modules every time.
Goal (issue 15): at most 1.5 times as long.
Run: ``.venv/bin/python -m benchmarks.startup [--repeat 5] [--baseline TREE]``.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from benchmarks.harness import PYTHON, ROOT, Goal, environment, first_status, in_tree, interleave, load_note, run
from tracker.paths import DB_PATH
from tracker.resultcache import SETTLE_NS, SWITCH

USER_ENVIRONMENT: dict[str, str | None] = {"PYTHONDONTWRITEBYTECODE": None, SWITCH: None}
"""Bytecode caching as Python's default: the variable that turns it off is taken out (and the status cache's
switch, so that each command runs as it does for a user)."""
STATUS = [PYTHON, "-m", "tracker", "status"]
CACHED, FIRST = "tracker status", "tracker status, first run (nothing cached)"


def main(argv: list[str] | None = None) -> list[Goal]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another git tree whose tracker status runs in turn")
    args = parser.parse_args(argv)
    subprocess.run([PYTHON, "-m", "tracker", "build", "--if-stale"], check=True, cwd=ROOT, capture_output=True)
    commands = {"python -c 'import duckdb'": [PYTHON, "-c", "import duckdb"], CACHED: STATUS,
                FIRST: first_status(STATUS, DB_PATH)}  # fmt: skip
    if args.baseline is not None:
        baseline = args.baseline.resolve()
        subprocess.run(in_tree(baseline, [PYTHON, "-m", "tracker", "build", "--if-stale"]), check=True,
                       capture_output=True)  # fmt: skip
        commands[f"tracker status (baseline {baseline})"] = in_tree(baseline, STATUS)
        if (baseline / "tracker" / "resultcache.py").is_file():
            commands[f"{FIRST} (baseline {baseline})"] = first_status(
                in_tree(baseline, STATUS), baseline / DB_PATH.relative_to(ROOT)
            )
    # The cache keeps no output whose files changed less than SETTLE_NS before the run: a database just built is
    # left to settle, so that the warm-up's output is kept as a user's would be.
    time.sleep(max(0.0, DB_PATH.stat().st_mtime_ns + SETTLE_NS - time.time_ns()) / 1e9)
    for command in commands.values():  # the warm-up run: writes the bytecode (and the cache) a user's first run would
        run(command() if callable(command) else command, env=USER_ENVIRONMENT)
    probe = subprocess.run([PYTHON, "-X", "importtime", *STATUS[1:]], cwd=ROOT, capture_output=True, text=True,
                           check=True, env=environment(USER_ENVIRONMENT))  # fmt: skip
    if any(line.endswith((" duckdb", " numpy")) for line in probe.stderr.splitlines()):
        raise RuntimeError("tracker status is not answered from its cache after the warm-up run")
    print(f"start-up, shipped data, bytecode cached ({load_note()}):", flush=True)
    samples = interleave(commands, args.repeat, env=USER_ENVIRONMENT)
    base, *others = samples.values()
    goals = [Goal(f"shipped data: {other.name} / import duckdb", other.median / base.median, 1.5, "x")
             for other in others]  # fmt: skip
    for goal in goals:
        print(goal.line())
    return goals


if __name__ == "__main__":
    main()
