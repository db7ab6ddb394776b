"""Excel (.xlsx) observation files, read with openpyxl (the engine pandas uses).

The first sheet is read; its first row names the columns. Cells are turned into
text the way a person reading the sheet would write them: whole numbers
without ".0", dates as YYYY-MM-DD. Merged cells take the merged value, a date
stored as a bare serial number in a date column is converted (with a warning),
and a formula whose result was never saved is named as such. Rows are numbered
as in Excel.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from loaders.rows import LoadResult, header_problems, load_rows, size_problem
from tracker.model import Indicator
from tracker.problems import Problem, error, warning

DATE_COLUMNS = ("period", "published")
# Excel counts days from 1899-12-30; serials in this range are dates from 1954 to 2119, never years.
EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (20_000, 80_000)


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


def _grid(path: Path) -> tuple[list[list[object]], set[tuple[int, int]]]:
    """Cell values of the first sheet (merged ranges filled in) and the cells holding unsaved formulas."""
    values = openpyxl.load_workbook(path, data_only=True, read_only=False).worksheets[0]
    formulas = openpyxl.load_workbook(path, data_only=False, read_only=False).worksheets[0]
    for merged in list(values.merged_cells.ranges):
        top_left = values.cell(merged.min_row, merged.min_col).value
        values.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values.cell(row, col).value = top_left
    grid = [list(r) for r in values.iter_rows(values_only=True)]
    unsaved = {
        (c.row, c.column)
        for r in formulas.iter_rows()
        for c in r
        if isinstance(c.value, str) and c.value.startswith("=") and values.cell(c.row, c.column).value is None
    }
    return grid, unsaved


def load(path: Path, indicators: dict[str, Indicator], indicator: str | None = None) -> LoadResult:
    too_big = size_problem(path)
    if too_big is not None:
        return LoadResult.failed(path, too_big)
    if not zipfile.is_zipfile(path):
        return LoadResult.failed(
            path, error(path, 0, 0, "not an .xlsx workbook (an .xlsx file is a zip archive); save it as Excel .xlsx")
        )
    try:
        grid, unsaved = _grid(path)
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        return LoadResult.failed(path, error(path, 0, 0, f"cannot read the workbook: {type(exc).__name__}: {exc}"))
    if not grid or not any(v is not None for v in grid[0]):
        return LoadResult.failed(
            path, error(path, 1, 0, "the first sheet is empty; its first row must name the columns")
        )
    header = [cell_text(v) or "" for v in grid[0]]
    while header and header[-1] == "":
        header.pop()
    problems: list[Problem] = header_problems(header, path, indicator)
    if any(p.is_error for p in problems):
        return LoadResult.failed(path, *problems)
    names = [h.strip().lower() for h in header]
    rows, lines = [], []
    for number, row in enumerate(grid[1:], start=2):
        cells = list(row[: len(header)]) + [None] * (len(header) - len(row))
        for col, name in enumerate(names):
            value = cells[col]
            if (number, col + 1) in unsaved:
                problems.append(
                    error(path, number, 0, f"{name} holds a formula whose result was never saved; "
                                           "open the file in Excel and save it, or type the value")
                )  # fmt: skip
            elif (
                name in DATE_COLUMNS and isinstance(value, (int, float)) and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]
            ):
                day = EXCEL_EPOCH + dt.timedelta(days=int(value))
                problems.append(warning(path, number, 0, f"{name} {value:g} read as the Excel date {day.isoformat()}"))
                cells[col] = day
        if any(v is not None and str(v).strip() for v in cells):
            rows.append([cell_text(v) for v in cells])
            lines.append(number)
    if any(p.is_error for p in problems):
        return LoadResult(path, None, problems, len(rows))
    frame = pd.DataFrame(rows, columns=names, dtype="string") if rows else None
    return load_rows(path, frame, lines, indicators, indicator, problems)
