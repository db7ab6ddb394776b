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
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
from defusedxml import ElementTree

from loaders.numbered import LoadResult, load_rows
from loaders.rows import header_problems, size_problem
from tracker.model import Indicator
from tracker.problems import Problem, error, warning

DATE_COLUMNS = ("period", "published")
# Excel counts days from 1899-12-30; serials in this range are dates from 1954 to 2119, never years.
EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (20_000, 80_000)
MAX_ROWS, MAX_COLUMNS = 1_000_000, 64
"""The grid an observation sheet may use (11 columns are needed)."""
MAX_MERGED_CELLS = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
_CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


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


def _first_sheet_name(archive: zipfile.ZipFile) -> str | None:
    """The zip entry of the workbook's first sheet (the one openpyxl's ``worksheets[0]`` reads)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}  # fmt: skip
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    sheet = workbook.find("m:sheets/m:sheet", ns)
    if sheet is None:
        return None
    rel_id = sheet.get(f"{{{ns['r']}}}id")
    for rel in rels.findall("p:Relationship", ns):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _cell_position(ref: str) -> tuple[int, int]:
    match = _CELL.fullmatch(ref.replace("$", "").upper())
    if match is None:
        return 0, 0
    letters, digits = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(digits), col


def extent_problem(path: Path) -> Problem | None:
    """Read the first sheet's cell and merged-range addresses from its XML (streamed, nothing built)
    and refuse a sheet whose grid would be too large to load: one cell at XFD1048576 or one huge
    merged range in a 5 kB file would otherwise make a grid of billions of cells."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            return error(path, 0, 0, f"the workbook unpacks to {unpacked:,} bytes; the limit is "
                         f"{MAX_UNPACKED_BYTES:,} (save the observations alone, or as CSV)")  # fmt: skip
        name = _first_sheet_name(archive)
        if name is None or name not in archive.namelist():
            return None  # openpyxl says what is wrong with the workbook
        with archive.open(name) as sheet:
            for _, element in ElementTree.iterparse(sheet, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "c" and element.get("r"):
                    row, col = _cell_position(element.get("r", ""))
                    if row > MAX_ROWS or col > MAX_COLUMNS:
                        return error(path, row, col, f"cell {element.get('r')} lies outside the {MAX_COLUMNS} columns "
                                     f"and {MAX_ROWS:,} rows an observation sheet may use; clear it (Ctrl+End in "
                                     "Excel shows the last cell in use)")  # fmt: skip
                elif tag == "mergeCell":
                    first, _, last = (element.get("ref") or "").partition(":")
                    (r1, c1), (r2, c2) = _cell_position(first), _cell_position(last or first)
                    cells = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
                    if cells > MAX_MERGED_CELLS or max(r1, r2) > MAX_ROWS or max(c1, c2) > MAX_COLUMNS:
                        return error(path, r1, c1, f"the merged range {element.get('ref')} covers {cells:,} cells; "
                                     f"unmerge it (at most {MAX_MERGED_CELLS:,} cells may be merged)")  # fmt: skip
                element.clear()
    return None


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
        too_large = extent_problem(path)
        if too_large is not None:
            return LoadResult.failed(path, too_large)
        grid, unsaved = _grid(path)
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        # The kind of failure only: openpyxl's message may quote the workbook's XML.
        return LoadResult.failed(
            path,
            error(
                path,
                0,
                0,
                f"cannot read the workbook ({type(exc).__name__}); open it in Excel and save it again as .xlsx",
            ),
        )
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
