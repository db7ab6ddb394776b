"""CSV observation files: UTF-8 (with or without BOM) or GB18030/GBK.

Two ways in. :func:`bulk_source` hands clean UTF-8 files to DuckDB's CSV reader
without row numbers; the store uses it to load large files at close to DuckDB's
own speed. :func:`load` reads a file with Python's csv module (UTF-8 with or
without BOM, or GB18030/GBK, any line endings) and numbers every row, so that
each problem says where it is: the header is row 1, and a blank line is skipped
but still counted.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from loaders.numbered import LoadResult, load_rows
from loaders.rows import COLUMNS, header_problems, size_problem
from tracker.model import Indicator
from tracker.problems import Problem, error, warning

if TYPE_CHECKING:  # imported where a frame is made: the bulk build never needs pandas
    import pandas as pd

ENCODINGS = ("utf-8-sig", "gb18030")


def _decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    if b"\x00" in raw:
        return None, [error(path, 0, 0, "this is a binary file, not CSV text (an Excel file must end in .xlsx)")]
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes = []
        if encoding == "gb18030":
            notes.append(warning(path, 0, 0, "read as GB18030/GBK; save files for data/observations as UTF-8"))
        return text, notes
    return None, [error(path, 0, 0, "the file is neither UTF-8 nor GB18030/GBK text; save it as UTF-8")]


def _header(path: Path) -> tuple[list[str] | None, list[Problem]]:
    with path.open("rb") as fh:
        head = fh.read(65536)
    text, problems = _decode(head, path)
    if text is None:
        # A multi-byte character cut at the 64 kB boundary: judge by the first line only.
        text, problems = _decode(head.split(b"\n", 1)[0], path)
        if text is None:
            return None, problems
    first = next(csv.reader(io.StringIO(text)), None)
    if not first or not any(c.strip() for c in first):
        return None, [
            error(path, 1, 0, f"the file has no header row; the first row must name the columns ({', '.join(COLUMNS)})")
        ]
    return [c.strip().lstrip("\ufeff") for c in first], []


def bulk_source(files: list[Path], header: list[str], names: list[str]) -> tuple[str, dict]:
    """A query (and its parameters) reading CSV files that share ``header`` with DuckDB's reader,
    shaped as canonical_select expects: the text columns, no row numbers, and the file name, each
    file's rows named by its entry in ``names`` (the name the build stores: DuckDB's ``filename`` is
    the path it was given, absolute or relative to the working folder).

    Column names come from COLUMNS and header positions, never from the file's text.
    """
    columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
    select = ", ".join(
        f"c{header.index(col)} AS {col}" if col in header else f"NULL::VARCHAR AS {col}" for col in COLUMNS
    )
    sql = (
        f"(SELECT NULL::BIGINT AS line, {select}, $names[list_position($files, filename)] AS source_file "  # noqa: S608
        f"FROM {_READ_CSV})"
    )
    return sql, {"files": [str(f) for f in files], "names": names, "columns": columns}


# DuckDB's reader as the bulk load uses it: every column text, one quoting rule, a ragged row or a byte that is not
# UTF-8 an error (the file then goes to load, which says where).
_READ_CSV = """read_csv($files, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"',
                        columns = $columns, strict_mode = true, null_padding = false, encoding = 'utf-8',
                        filename = true)"""
# Python's str.strip() whitespace (what load skips a row for when every cell is only that), for RE2.
_PY_SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace()) + "]*"


def numbered_rows(con: duckdb.DuckDBPyConnection, path: Path, header: list[str]) -> None:
    """Table ``raw`` as :func:`load` makes it (row numbers, every column of COLUMNS as text, '' for an
    empty cell, rows whose cells are all blank skipped), read by DuckDB's reader in the file's order.

    Only for a file that reader reads whole with one row on each line after the header (the build
    checks that its rows are as many as its line ends): row *n* is then on line *n* + 1. For a 16 MB file
    of 163,000 rows this took 0.2 s of CPU, where Python's csv module took 0.7 s and making its rows a
    table 0.4-3.5 s more (pyarrow, or a pandas frame), measured at load 13-15 (docs/benchmarks-log.md)."""
    columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
    cells = ", ".join(
        f"coalesce(c{header.index(col)}, '') AS {col}" if col in header else f"NULL::VARCHAR AS {col}"
        for col in COLUMNS
    )
    blank = " AND ".join(f"regexp_full_match(coalesce(c{i}, ''), $space)" for i in range(len(header)))
    (kept,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = true")  # rowid is then the row's place in the file
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE file_rows AS SELECT * EXCLUDE (filename) FROM {_READ_CSV}",  # noqa: S608
                    {"files": [str(path)], "columns": columns})  # fmt: skip
        con.execute(f"CREATE OR REPLACE TEMP TABLE raw AS SELECT rowid + 2 AS line, {cells} FROM file_rows "  # noqa: S608
                    f"WHERE NOT ({blank}) ORDER BY rowid", {"space": _PY_SPACE})  # fmt: skip
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if str(kept).lower() == 'true' else 'false'}")
        con.execute("DROP TABLE IF EXISTS file_rows")


def read_header(path: Path) -> tuple[list[str] | None, list[Problem]]:
    """The lower-cased column names of a CSV file, with problems if it has no usable header."""
    header, problems = _header(path)
    if header is None:
        return None, problems
    return [h.lower() for h in header], problems


def _read_with_python(path: Path, header: list[str]) -> tuple[pd.DataFrame | None, list[int], list[Problem]]:
    """The rows as text with their row numbers; None when the file is not readable CSV."""
    text, problems = _decode(path.read_bytes(), path)
    if text is None:
        return None, [], problems
    records = []
    row_number = 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader, None)
        for row_number, record in enumerate(reader, start=2):  # noqa: B007 - read after the loop
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(
                    error(
                        path,
                        row_number,
                        0,
                        f"this row has {len(record)} fields but the header has {len(header)}; "
                        "a comma inside a value needs the value in double quotes",
                    )
                )
                continue
            records.append([row_number, *record])
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            # The reader only notices at the end of the file; the quote was opened in the row after the last good one.
            problems.append(
                error(path, row_number + 1, 0, "a double quote opened in this row is never closed, so the rest of "
                      "the file would be read as one value; close the quote (or double a quote inside a value: \"\")")
            )  # fmt: skip
        else:
            problems.append(error(path, row_number + 1, 0, f"not valid CSV: {exc}"))
    if any(p.is_error for p in problems):
        return None, [], problems
    import pandas as pd

    frame = pd.DataFrame([r[1:] for r in records], columns=header, dtype="string")
    return frame, [r[0] for r in records], problems


def load(path: Path, indicators: dict[str, Indicator], indicator: str | None = None) -> LoadResult:
    """Read one CSV file, numbering its rows, into canonical rows.

    ``indicator`` fills an empty or missing indicator column. This is the path
    that can say which row is wrong; ``tracker.store`` loads large clean files
    through :func:`bulk_source` and comes here for the ones that fail.
    """
    too_big = size_problem(path)
    if too_big is not None:
        return LoadResult.failed(path, too_big)
    header, problems = read_header(path)
    if header is None:
        return LoadResult.failed(path, *problems)
    problems = header_problems(header, path, indicator)
    if any(p.is_error for p in problems):
        return LoadResult.failed(path, *problems)
    frame, lines, more = _read_with_python(path, header)
    problems += more
    if frame is None:
        return LoadResult(path, None, problems)
    return load_rows(path, frame, lines, indicators, indicator, problems)
