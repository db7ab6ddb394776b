"""Loaders: one module per source format, each turning a file into canonical observation rows.

A loader never touches the tracker's database: it returns the rows (an Arrow
table in the canonical layout of ``loaders.rows``) and the row-level problems,
and ``tracker.store`` decides what to do with them.
"""

from __future__ import annotations

from pathlib import Path

from loaders import csvfile, jsonfile
from loaders.numbered import LoadResult


def _xlsx(path: Path, indicators: dict, indicator: str | None = None) -> LoadResult:
    # openpyxl takes longer to import than the rest of a status command; only Excel files need it.
    from loaders import xlsxfile

    return xlsxfile.load(path, indicators, indicator)


LOADERS = {".csv": csvfile.load, ".xlsx": _xlsx, ".json": jsonfile.load}
SUPPORTED = ", ".join(sorted(LOADERS))


def load_file(path: Path, indicators: dict, indicator: str | None = None) -> LoadResult:
    """Load any supported file by its extension."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        from tracker.problems import error

        return LoadResult.failed(path, error(path, 0, 0, f"unsupported file type '{path.suffix}'; use {SUPPORTED}"))
    return loader(path, indicators, indicator)
