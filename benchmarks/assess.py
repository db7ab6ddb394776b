"""Status benchmark: ``tracker status`` against independent baselines, as whole processes.

For each size (default 1,000, 10,000 and 100,000 targets over 1,000,000 observations), four
commands run interleaved: ``python -m tracker status --format csv --columns id,status`` (what the
baselines time: the vectorised assessment without the sentences), ``python -m tracker status
--format csv`` (every field, with the English explanation, flags and projection),
``benchmarks.baseline pandas`` (the whole rule once per series with pandas) and
``benchmarks.baseline loop`` (a tuned per-target loop over plain lists). Every status of both
baselines must equal the tracker's in both outputs, and the trend each gives under ``awaiting_final`` must equal
the full CSV's ``trend_status``, or the benchmark fails.
Goals (issue 15): at least 50x faster than pandas at 10,000 targets and faster than the loop at every
size (both like for like, ``id,status``), 100,000 targets in under 3 s and 1 GiB (the full CSV; the
like-for-like command's time is printed beside it).
Run: ``.venv/bin/python -m benchmarks.assess [--sizes 1000,10000,100000] [--repeat 3]``.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from benchmarks.harness import (
    AS_OF,
    PYTHON,
    Goal,
    catalogue,
    first_status,
    interleave,
    load_note,
    main_by_size,
    tracker_argv,
)

SAME, FULL = "tracker status id,status", "tracker status full CSV"
"""Like for like with the baselines (``--columns id,status``), and every field with its explanation."""
PANDAS_UP_TO = 10_000
"""The pandas baseline runs up to this size (at 100,000 targets it takes minutes a run)."""


def _statuses(path: Path, trend: bool) -> dict[str, tuple[str, ...]]:
    """Each target's status, and with ``trend`` its trend, which the file must then have (every output but
    ``--columns id,status``): a baseline that stopped writing it would otherwise pass on its statuses alone. A target
    written twice is refused: the second row would hide the first."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if trend and "trend_status" not in (reader.fieldnames or []):
            raise SystemExit(f"{path.name}: no trend_status column to compare")
        out: dict[str, tuple[str, ...]] = {}
        for row in reader:
            if row["id"] in out:
                raise SystemExit(f"{path.name}: target {row['id']} written twice")
            out[row["id"]] = (row["status"], row["trend_status"]) if trend else (row["status"],)
        return out


def measure(targets: int, repeat: int) -> list[Goal]:
    root = catalogue(targets)
    db = str(root / "tracker.duckdb")
    status = ["status", "--format", "csv", "--as-of", AS_OF]
    # Each run computes (and keeps) its output, as the first after a change: a repeated command would be answered
    # from the status cache (benchmarks.startup times that).
    commands = {SAME: first_status(tracker_argv([*status, "--columns", "id,status"], root), root / "tracker.duckdb"),
                FULL: first_status(tracker_argv(status, root), root / "tracker.duckdb")}  # fmt: skip
    if targets <= PANDAS_UP_TO:
        commands["pandas baseline"] = [PYTHON, "-m", "benchmarks.baseline", "pandas", "--db", db, "--as-of", AS_OF]
    commands["loop baseline"] = [PYTHON, "-m", "benchmarks.baseline", "loop", "--db", db, "--as-of", AS_OF]
    print(f"status, {targets:,} targets ({load_note()}):", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        outputs = {name: Path(tmp) / f"{n}.csv" for n, name in enumerate(commands)}
        samples = interleave(commands, repeat, outputs)
        ours = _statuses(outputs[FULL], trend=True)
        for name in commands:
            theirs = _statuses(outputs[name], trend=name != SAME)
            differ = [i for i in ours if theirs.get(i) != ours[i][: 1 if name == SAME else 2]]
            if len(theirs) != len(ours) or differ:
                raise SystemExit(f"{name} disagrees with tracker status on {len(differ)} targets, e.g. {differ[:5]}")
    awaiting = sum(s[0] == "awaiting_final" for s in ours.values())
    print(f"  every status agrees ({len(ours):,} targets), and the trend of each of the {awaiting:,} awaiting one")
    same, full = samples[SAME], samples[FULL]
    goals = [Goal(f"{targets:,} targets: loop baseline / {SAME}", samples["loop baseline"].median
                  / same.median, 1.0, "x", at_most=False)]  # fmt: skip
    if "pandas baseline" in samples and targets >= PANDAS_UP_TO:
        ratio = samples["pandas baseline"].median / same.median
        goals.append(Goal(f"{targets:,} targets: pandas baseline / {SAME}", ratio, 50, "x", at_most=False))
    if targets >= 100_000:
        goals.append(Goal(f"{targets:,} targets: {FULL} time", full.median, 3.0, " s"))
        goals.append(Goal(f"{targets:,} targets: {SAME} time", same.median, 3.0, " s"))
        goals.append(Goal(f"{targets:,} targets: {FULL} peak memory", full.peak, 1024, " MiB"))
    return goals


def main(argv: list[str] | None = None) -> list[Goal]:
    return main_by_size(__doc__, measure, "1000,10000,100000", argv)


if __name__ == "__main__":
    main()
