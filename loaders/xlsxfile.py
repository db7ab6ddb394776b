"""Excel (.xlsx) observation files, read with pandas and openpyxl.

The first sheet is read; its first row names the columns. Cells are turned
into text the way a person reading the sheet would write them: whole numbers
without ".0", dates as YYYY-MM-DD. Rows are numbered as in Excel.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import duckdb
import pandas as pd

from loaders.rows import MAX_OBSERVATION_BYTES, LoadResult, canonicalise, empty_raw_table, frame_to_raw, header_problems
from tracker.model import Indicator
from tracker.problems import error


def cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text a person would read in it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def load(path: Path, indicators: dict[str, Indicator], indicator: str | None = None) -> LoadResult:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return LoadResult.failed(path, error(path, 0, 0, f"cannot read the file: {exc.strerror or exc}"))
    if size > MAX_OBSERVATION_BYTES:
        return LoadResult.failed(
            path, error(path, 0, 0, f"the file is {size:,} bytes; the limit is {MAX_OBSERVATION_BYTES:,}")
        )
    if not zipfile.is_zipfile(path):
        return LoadResult.failed(
            path, error(path, 0, 0, "not an .xlsx workbook (an .xlsx file is a zip archive); save it as Excel .xlsx")
        )
    try:
        sheet = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        return LoadResult.failed(path, error(path, 0, 0, f"cannot read the workbook: {exc}"))
    if sheet.empty:
        return LoadResult.failed(
            path, error(path, 1, 0, "the first sheet is empty; its first row must name the columns")
        )
    header = [cell_text(v) or "" for v in sheet.iloc[0]]
    while header and header[-1] == "":
        header.pop()
    problems = header_problems(header, path, indicator)
    if any(p.is_error for p in problems):
        return LoadResult.failed(path, *problems)
    body = sheet.iloc[1:, : len(header)].map(cell_text)
    body.columns = [h.lower() for h in header]
    keep = body.notna().any(axis=1)
    lines = [int(i) + 1 for i in body.index[keep]]
    con = duckdb.connect()
    try:
        if lines:
            frame_to_raw(con, body[keep].reset_index(drop=True), lines)
        else:
            empty_raw_table(con)
        result = canonicalise(con, path, indicators, indicator)
        result.problems[:0] = problems
        return result
    finally:
        con.close()
