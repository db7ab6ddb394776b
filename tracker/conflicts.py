"""Figures one source gives twice with different values: a warning on the file that holds them.

The build's check of what landed (tracker.observations) groups the rows by a hash of what makes two
figures the same figure from the same source, and keeps the keys that more than one row shares in
table ``shared_conflict_keys``; the warnings are worked out from there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from tracker.problems import warning

if TYPE_CHECKING:
    from tracker.observations import FileOutcome

# What makes two figures the same figure from the same source (the conflict check).
CONFLICT_COLUMNS = ("indicator", "period", "coverage", "source_title", "publisher")
CONFLICT_KEY = f"hash({', '.join(CONFLICT_COLUMNS)})"
SHARED_KEYS = "shared_conflict_keys"


def warn_conflicts(
    con: duckdb.DuckDBPyConnection,
    outcomes: dict[Path, FileOutcome],
    name_of: Callable[[Path], str],
    unchanged: bool = False,
) -> None:
    """A warning in each file for figures that one source gives twice, with different values,
    for the same indicator, period and coverage: one of them is a typo or a revision to note.
    The warning stands on the row that gives the second value (the file's first line when the
    rows cannot be found again, as in a workbook)."""
    by_name = {name_of(path): outcome for path, outcome in outcomes.items()}
    # Grouping a million rows by five text columns with a distinct count takes tens of seconds
    # under the build's memory cap; grouping by one hash of them with min <> max takes under one.
    # Only the (few) groups found that way are then grouped by their text, which also drops any
    # group that two different keys share by a hash collision.
    # ``unchanged``: the table holds the rows the check of what landed grouped, so its keys are reused.
    differing = (
        f"SELECT key FROM {SHARED_KEYS} WHERE differs" if unchanged  # noqa: S608 - constants only
        else f"SELECT {CONFLICT_KEY} AS key FROM observations GROUP BY key HAVING min(value) <> max(value)"  # noqa: S608
    )  # fmt: skip
    rows = con.execute(
        f"""WITH differing AS ({differing})
            SELECT min(source_file), indicator, period, coalesce(coverage, ''), source_title, publisher,
                   list(DISTINCT published_value ORDER BY published_value)
            FROM observations SEMI JOIN differing ON {CONFLICT_KEY} = differing.key
            GROUP BY indicator, period, coverage, source_title, publisher
            HAVING count(DISTINCT value) > 1 ORDER BY ALL LIMIT 200"""  # noqa: S608 - constants only
    ).fetchall()
    for file, indicator, period, coverage, source, publisher, values in rows:
        outcome = by_name.get(file)
        if outcome is not None:
            shown = " and ".join(f"{v:g}" for v in values[:3])
            lines = _csv_lines_of(outcome.path, (indicator, period, coverage, source, publisher))
            where = f" (rows on lines {', '.join(map(str, lines[:5]))})" if len(lines) > 1 else ""
            outcome.problems.append(warning(
                outcome.path, lines[1] if len(lines) > 1 else 0, 0,
                f"{indicator} {period}{f' ({coverage})' if coverage else ''} is given as {shown} by the same "
                f"source ({source[:80]}){where}; keep the value the source gives, or say in note which is revised",
            ))  # fmt: skip


def _csv_lines_of(path: Path, key: tuple[str, ...]) -> list[int]:
    """The lines where a CSV file's rows with this indicator, period, coverage, source and publisher
    (as the database holds them) end, as csv counts them; [] for other formats or when none is found."""
    if path.suffix.lower() != ".csv":
        return []
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    found = []
    for record in reader:
        named = {str(k).strip().lower(): v for k, v in record.items() if k}
        cells = tuple((named.get(column) or "").strip() for column in CONFLICT_COLUMNS)
        # an empty coverage stands for the indicator's default, which the database holds
        if all(cell == wanted or (column == "coverage" and not cell)
               for column, cell, wanted in zip(CONFLICT_COLUMNS, cells, key, strict=True)):  # fmt: skip
            found.append(reader.line_num)
    return found
