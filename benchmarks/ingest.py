"""Ingest benchmark: ``tracker build`` against DuckDB's own ``read_csv`` of the same files, as whole processes.

At 1,000 and 10,000 targets over 1,000,000 observations, two commands run interleaved, each
writing a new database file: ``python -c`` that imports DuckDB and runs ``CREATE TABLE ... AS
SELECT * FROM read_csv(files)`` and ``CHECKPOINT``; and ``python -m tracker build`` (catalogues
validated, every row checked and converted, rule breaks and duplicates found, atomic switch).
Goals (issue 15): the build takes at most 1.5 times the read_csv process, and under 400 MiB.
Run: ``.venv/bin/python -m benchmarks.ingest [--sizes 1000,10000] [--repeat 3]``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import PYTHON, Goal, catalogue, interleave, load_note, main_by_size

READ_CSV = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE observations AS SELECT * FROM read_csv($files)", {"files": sys.argv[2:]})
con.execute("CHECKPOINT")
con.close()
"""


def measure(targets: int, repeat: int) -> list[Goal]:
    root = catalogue(targets)
    files = [str(p) for p in sorted((root / "data" / "observations").glob("*.csv"))]
    print(f"build, {targets:,} targets ({load_note()}):", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        # A file name that exists is replaced by the build and refused by CREATE TABLE: a new name each run.
        runs = {"read_csv": 0, "build": 0}

        def argv(name: str) -> list[str]:
            runs[name] += 1
            db = str(Path(tmp) / f"{name}-{runs[name]}.duckdb")
            if name == "read_csv":
                return [PYTHON, "-c", READ_CSV, db, *files]
            return [PYTHON, "-m", "tracker", "build", "--targets", str(root / "targets"), "--data",
                    str(root / "data"), "--db", db]  # fmt: skip

        samples = interleave({"duckdb read_csv": lambda: argv("read_csv"), "tracker build": lambda: argv("build")},
                             repeat)  # fmt: skip
    base, ours = samples["duckdb read_csv"], samples["tracker build"]
    return [
        Goal(f"{targets:,} targets: tracker build / duckdb read_csv", ours.median / base.median, 1.5, "x"),
        Goal(f"{targets:,} targets: tracker build peak memory", ours.peak, 400, " MiB"),
    ]


def main(argv: list[str] | None = None) -> list[Goal]:
    return main_by_size(__doc__, measure, "1000,10000", argv)


if __name__ == "__main__":
    main()
