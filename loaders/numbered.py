"""Checking the numbered text rows a loader read, so that each problem names its row.

A loader (CSV read by Python, Excel, JSON) hands :func:`load_rows` the text cells
of a file with the row number of each. They go through the same rules as every
other row (:func:`loaders.rows.canonical_select`), exact duplicates are found, and
the file comes back as canonical rows, or, when any row is bad, as problems only:
a file with a bad row is left out whole, so that a half-loaded file never looks
complete. This is the slow path; large clean CSV files go in bulk (tracker.observations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from loaders.rows import CANONICAL_COLUMNS, COLUMNS, canonical_select, register_lookups
from tracker.model import Indicator
from tracker.problems import Problem, display_path, error, warning

if TYPE_CHECKING:  # pandas and pyarrow cost a second and 100 MB to import; the bulk build needs neither
    import pandas as pd
    import pyarrow as pa

MAX_REPORTED_ROWS = 50
"""Row problems listed per file; the rest are counted in one closing line."""


@dataclass
class LoadResult:
    """What a loader made of one file: canonical rows (None when left out) and problems."""

    path: Path
    rows: pa.Table | None
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return self.rows is not None

    @classmethod
    def failed(cls, path: Path, *problems: Problem) -> LoadResult:
        return cls(path, None, list(problems))


_ROW_HASH = (
    "hash(indicator, period, value, unit, qualifier, coverage, source_title, publisher, source_url, published, note)"
)


def canonicalise(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    indicators: dict[str, Indicator],
    default_indicator: str | None = None,
) -> LoadResult:
    """Check the numbered text rows in table ``raw`` and return them as canonical rows.

    A file with any bad row is left out whole (rows is None), so that a
    half-loaded file never looks complete.
    """
    register_lookups(con, indicators)
    result = check_numbered(con, path, default_indicator)
    if any(p.is_error for p in result.problems):
        return result
    columns = ", ".join(CANONICAL_COLUMNS)
    result.rows = con.sql(f"SELECT {columns} FROM checked ORDER BY line").to_arrow_table()  # noqa: S608
    return result


def check_numbered(con: duckdb.DuckDBPyConnection, path: Path, default_indicator: str | None = None) -> LoadResult:
    """Check the numbered text rows in table ``raw`` on a connection that holds the lookup tables
    (``register_lookups``): the problems, the rows read, and table ``checked`` holding the canonical
    rows (with ``line``). ``rows`` stays None: the caller takes the rows from ``checked`` when no
    problem is an error."""
    source = "(SELECT *, $source_file AS source_file FROM raw)"
    params = {"default_indicator": default_indicator, "strict_numbers": False, "source_file": display_path(path)}
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {canonical_select(source)}", params)  # noqa: S608
    duplicates = (
        "CREATE OR REPLACE TEMP TABLE duplicates AS SELECT line, first_line FROM "  # noqa: S608 - constants only
        f"(SELECT line, min(line) OVER (PARTITION BY {_ROW_HASH}) AS first_line FROM raw) WHERE line > first_line"
    )
    con.execute(duplicates)
    flagged = """
        SELECT c.line, concat_ws('; ', nullif(c.problem, ''), 'exact duplicate of row ' || d.first_line) AS message
        FROM checked c LEFT JOIN duplicates d ON d.line = c.line
        WHERE c.problem <> '' OR d.line IS NOT NULL
    """
    rows_read, thousands, first_thousands = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE has_thousands), min(line) FILTER (WHERE has_thousands) FROM checked"
    ).fetchall()[0]
    bad_rows = con.execute(f"SELECT count(*) FROM ({flagged})").fetchall()[0][0]  # noqa: S608
    problems: list[Problem] = []
    for line, text in con.execute(f"{flagged} ORDER BY line LIMIT $n", {"n": MAX_REPORTED_ROWS}).fetchall():
        problems.append(error(path, int(line or 0), 0, text))
    if bad_rows > MAX_REPORTED_ROWS:
        problems.append(error(path, 0, 0, f"{bad_rows - MAX_REPORTED_ROWS:,} more rows have problems"))
    if thousands:
        problems.append(
            warning(
                path,
                int(first_thousands or 0),
                0,
                f"{thousands} value(s) written with thousands separators (e.g. 1,234) were read as plain numbers",
            )
        )
    if rows_read == 0:
        problems.append(warning(path, 0, 0, "the file holds no observations"))
    return LoadResult(path, None, problems, rows_read)


def load_rows(
    path: Path,
    frame: pd.DataFrame | None,
    lines: list[int],
    indicators: dict[str, Indicator],
    default_indicator: str | None,
    problems: list[Problem],
) -> LoadResult:
    """Check the text rows a loader read (with their row numbers) and return them as canonical rows."""
    con = duckdb.connect()
    try:
        if frame is not None and len(frame):
            frame_to_raw(con, frame, lines)
        else:
            empty_raw_table(con)
        result = canonicalise(con, path, indicators, default_indicator)
        result.problems[:0] = problems
        return result
    finally:
        con.close()


def empty_raw_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create an empty ``raw`` table, for files that hold no rows."""
    cols = ", ".join(f"{c} VARCHAR" for c in COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw (line BIGINT, {cols})")


def frame_to_raw(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, lines: list[int]) -> None:
    """Create table ``raw`` from a frame of text cells and the row number of each.

    Missing optional columns become NULL."""
    import pandas as pd

    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[list(COLUMNS)].astype("string")
    frame.insert(0, "line", pd.Series(lines, dtype="int64", index=frame.index))
    con.register("raw_frame", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM raw_frame")
    con.unregister("raw_frame")
