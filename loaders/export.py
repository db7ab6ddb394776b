"""Writing canonical rows back out as an observation CSV, ready for a pull request."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from loaders.numbered import LoadResult
from loaders.rows import COLUMNS


def write_canonical_csv(result: LoadResult, out: Path) -> int:
    """Write the rows with their values and units as published; returns the number of rows.

    The file is written under a temporary name and renamed into place, so an
    interrupted import never leaves half a file behind.
    """
    assert result.rows is not None
    frame = result.rows.to_pandas()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.importing-{os.getpid()}")
    try:
        with temp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(COLUMNS)
            for row in frame.itertuples(index=False):
                writer.writerow(
                    [
                        row.indicator,
                        row.period,
                        row.published_value,
                        row.published_unit,
                        row.qualifier,
                        _cell(row.coverage),
                        row.source_title,
                        row.publisher,
                        _cell(row.publisher_zh),
                        _cell(row.source_url),
                        _cell(row.published),
                        _cell(row.note),
                    ]
                )
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return len(frame)


def _cell(value: object) -> str:
    if value is None or value != value:  # None, NaN, NaT
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
