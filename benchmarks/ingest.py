"""Ingest benchmark: ``tracker build`` against DuckDB's own ``read_csv`` of the same files, as whole processes.

At 1,000 and 10,000 targets over 1,000,000 observations, two commands run interleaved, each
writing a new database file: ``python -c`` that imports DuckDB and runs ``CREATE TABLE ... AS
SELECT * FROM read_csv(files)`` and ``CHECKPOINT``; and ``python -m tracker build`` (catalogues
validated, every row checked and converted, rule breaks and duplicates found, atomic switch).
Goals (issue 15): the build takes at most 1.5 times the read_csv process, and under 400 MiB.
Run: ``.venv/bin/python -m benchmarks.ingest [--sizes 1000,10000] [--repeat 3] [--baseline TREE]``; with
``--baseline`` (another git tree, e.g. a ``git archive`` of main) its ``tracker build`` runs in turn with the
other two, from that tree, and its ratio is printed beside.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import (
    MIN_PAIRS,
    PYTHON,
    Goal,
    catalogue,
    in_tree,
    interleave,
    load_note,
    main_by_size,
    ratio_interval,
)

READ_CSV = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE observations AS SELECT * FROM read_csv($files)", {"files": sys.argv[2:]})
con.execute("CHECKPOINT")
con.close()
"""


def measure(targets: int, repeat: int, baseline: Path | None = None) -> list[Goal]:
    root = catalogue(targets)
    files = [str(p) for p in sorted((root / "data" / "observations").glob("*.csv"))]
    print(f"build, {targets:,} targets ({load_note()}):", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        # A file name that exists is replaced by the build and refused by CREATE TABLE: a new name each run.
        runs: dict[str, int] = {}

        def argv(name: str) -> list[str]:
            runs[name] = runs.get(name, 0) + 1
            db = str(Path(tmp) / f"{name}-{runs[name]}.duckdb")
            if name == "read_csv":
                return [PYTHON, "-c", READ_CSV, db, *files]
            build = [PYTHON, "-m", "tracker", "build", "--targets", str(root / "targets"), "--data",
                     str(root / "data"), "--db", db]  # fmt: skip
            return build if name == "build" else in_tree(baseline, build)

        commands = {"duckdb read_csv": lambda: argv("read_csv"), "tracker build": lambda: argv("build")}
        if baseline is not None:
            commands[f"tracker build (baseline {baseline})"] = lambda: argv("baseline")
        samples = interleave(commands, repeat)
    base, ours = samples["duckdb read_csv"], samples["tracker build"]
    spread = ratio_interval(base.seconds, ours.seconds) if len(ours.seconds) >= MIN_PAIRS else None
    goals = [
        Goal(
            f"{targets:,} targets: tracker build / duckdb read_csv",
            ours.median / base.median,
            1.5,
            "x",
            interval=spread,
        ),
        Goal(f"{targets:,} targets: tracker build peak memory", ours.peak, 400, " MiB"),
    ]
    if baseline is not None:
        other = samples[f"tracker build (baseline {baseline})"]
        goals.append(Goal(f"{targets:,} targets: baseline's build / duckdb read_csv", other.median / base.median, 1.5,
                          "x"))  # fmt: skip
    return goals


def main(argv: list[str] | None = None) -> list[Goal]:
    import argparse

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--baseline", type=Path, help="another git tree whose tracker build runs in turn")
    known, rest = parser.parse_known_args(argv)
    baseline = known.baseline.resolve() if known.baseline is not None else None
    return main_by_size(__doc__, lambda targets, repeat: measure(targets, repeat, baseline), "1000,10000", rest)


if __name__ == "__main__":
    main()
