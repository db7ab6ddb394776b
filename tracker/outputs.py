"""Guards for what the tracker writes: only an absent path or the tracker's own database is
replaced, and a build that would drop most of the catalogue does not replace the live one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module at start; the catalogue's models only when building
    from tracker.catalog import Catalogue
    from tracker.problems import Problem

DUCKDB_MAGIC = b"DUCK"
"""DuckDB database files carry these bytes at offset 8."""
KEEP_SHARE = 0.5
"""A build with errors that would keep less than this share of the live database's targets
(or indicators) is not switched to: the old database stays, and the build says why."""


class OutputError(Exception):
    """An output path the tracker must not write to (not absent and not a tracker database)."""


def is_duckdb_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return False


def check_db_path(db_path: Path) -> None:
    """Refuse a database path that is not absent and not a tracker database: a folder, a path
    under a file, a device, a README. Only the project's own kind of file is ever replaced."""
    text = str(db_path)
    if not text.strip() or text.endswith(("/", os.sep)) or db_path.is_dir():
        raise OutputError(f"--db '{text}' is a folder; give the path of a database file, e.g. data/tracker.duckdb")
    for parent in db_path.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"--db '{text}': '{parent}' is a file, not a folder")
    if not db_path.exists() and not db_path.is_symlink():
        if not db_path.parent.is_dir():
            raise OutputError(f"--db '{text}': the folder '{db_path.parent}' does not exist; create it first")
        if not os.access(db_path.parent, os.W_OK):
            raise OutputError(f"--db '{text}': the folder '{db_path.parent}' is not writable")
        return
    if db_path.is_symlink() or not db_path.is_file():
        raise OutputError(f"--db '{text}' exists and is not a regular file; it is left alone (choose another path)")
    if not is_duckdb_file(db_path) or not _meta(db_path):
        raise OutputError(f"--db '{text}' exists and is not a tracker database; it is left alone (choose another path)")


def live_counts(db_path: Path) -> dict[str, int]:
    """The target and indicator counts of the live database ({} when there is none)."""
    meta = _meta(db_path) if is_duckdb_file(db_path) else {}
    return {k.removeprefix("count_"): int(v) for k, v in meta.items() if k in ("count_targets", "count_indicators")}


def shrink_problem(catalogue: Catalogue, db_path: Path) -> Problem | None:
    """Why a build with errors must not replace the live database (None when it may)."""
    from tracker.problems import error  # here: the command line imports this module at start, ``status`` needs none

    if not any(p.is_error for p in catalogue.problems):
        return None
    live = live_counts(db_path)
    new = {"targets": len(catalogue.targets), "indicators": len(catalogue.indicators)}
    for kind, before in live.items():
        if before and new.get(kind, 0) < KEEP_SHARE * before:
            return error(
                db_path, 0, 0, f"kept the previous database: this build would hold {new.get(kind, 0)} of its "
                f"{before} {kind} because of the errors above; fix them and build again",
            )  # fmt: skip
    return None


def _meta(db_path: Path) -> dict[str, str]:
    """The meta table of a tracker database ({} when the file is not one, or cannot be read)."""
    import duckdb  # here: the command line imports this module at start, and ``status`` may not need DuckDB

    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return {}
    try:
        return {str(k): str(v) for k, v in con.execute("SELECT key, value FROM meta").fetchall()}
    except duckdb.Error:
        return {}
    finally:
        con.close()
