"""The built database as a file: a read-only connection, and whether it is current, without the
catalogue's models, the loaders, pandas or the duckdb package's Python layer (``tracker.store`` builds it and
re-exports these).

``tracker status`` on a small catalogue spends most of its time starting up, so the question it asks
first costs one read of the database's ``meta`` table and a ``stat`` of each input file: when every
file keeps the name, size and modification time recorded at the build, nothing changed and no file is
read. Only otherwise is every byte hashed (``tracker.store.data_version``), so that a file touched but
not changed does not rebuild.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

try:
    # DuckDB's compiled engine, which the duckdb package re-exports (its __init__ says so) after about 50 ms of
    # Python modules of its own: the relational API, Arrow and Polars sources, its version read through
    # importlib.metadata. Opening a file, running SQL and fetching rows, all this module's connections do, are the
    # engine's own methods; a process that also imports duckdb gets the same classes.
    import _duckdb as duckdb
except ImportError:  # a DuckDB packaged without it
    import duckdb

from tracker import __version__
from tracker.paths import INDICATORS_FILE, OBSERVATIONS_DIR

if TYPE_CHECKING:
    from tracker.store import BuildReport

SCHEMA_VERSION = "9"
"""Bumped whenever a table changes, so that a database built by an older build counts as stale (5: digits,
6: the Chinese texts of files: summary_zh, definition_zh, source_zh, interpretation_zh, proxy_why_zh;
7: the files fingerprint covers every file in data/observations; 8: issuer_zh;
9: file names stored relative to the project folder, not the folder the build ran in)."""


def _entries(folder: Path) -> list[os.DirEntry]:
    """The files of a folder (symbolic links followed), by name; none if it is not a folder."""
    try:
        with os.scandir(folder) as listing:
            return sorted((e for e in listing if _is_file(e)), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):  # no list: the check falls back to hashing
        return []


def _is_file(entry: os.DirEntry) -> bool:
    """A file, or a link that cannot be followed (a loop, too deep): listed, so that the build reports it on
    its line as ``validate`` does, instead of the whole build failing on it."""
    try:
        return entry.is_file()
    except OSError:
        return True


def _stat(entry: os.DirEntry) -> os.stat_result:
    """The file's ``stat``, or the link's own when it cannot be followed (replacing or fixing the link
    changes that too)."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


def _stat_files(targets_dir: Path, data_dir: Path) -> list[tuple[str, os.stat_result]]:
    """The target and indicator files, and every file in data/observations (a superset of the loadable
    ones: an extra file can only make the check fall back to hashing, never hide a change), each as its folder's
    and its own name, and its ``stat``. Read with ``os.scandir`` (the 2,000 files of 100,000 targets: a tenth of
    the time ``Path.glob`` and sorting paths took)."""
    targets = [(targets_dir.name, e) for e in _entries(targets_dir) if fnmatch.fnmatchcase(e.name, "*.y*ml")]
    indicators = data_dir / INDICATORS_FILE
    folder = data_dir / OBSERVATIONS_DIR
    # As tracker.observations lists them: hidden files and READMEs are never observation files.
    observations = [(folder.name, e) for e in _entries(folder)
                    if not e.name.startswith(".") and not e.name.lower().startswith("readme")]  # fmt: skip
    found = [(f"{folder_name}/{e.name}", _stat(e)) for folder_name, e in targets]
    if indicators.is_file():
        found.append((f"{data_dir.name}/{indicators.name}", indicators.stat()))
    return found + [(f"{folder_name}/{e.name}", _stat(e)) for folder_name, e in observations]


def files_stat(targets_dir: Path, data_dir: Path) -> str:
    """A cheap fingerprint of the inputs: names, sizes and modification times (no file is read)."""
    digest = hashlib.sha256(f"{__version__}/{SCHEMA_VERSION}".encode())
    for name, stat in _stat_files(targets_dir, data_dir):
        digest.update(f"\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def connect(db_path: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection; queries should each run on their own cursor (see ``tracker.store.query``).
    ``threads``: how many threads DuckDB may use for one query (default: one per core)."""
    return duckdb.connect(str(db_path), read_only=True, config={} if threads is None else {"threads": threads})


def built_meta(db_path: Path) -> dict[str, str]:
    """The data version and files fingerprint recorded in a database ({} if it is missing or unreadable)."""
    if not db_path.is_file():
        return {}
    try:
        con = connect(db_path)
    except duckdb.Error:
        return {}
    try:
        return _read_meta(con)
    finally:
        con.close()


def _read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    cursor = con.cursor()
    try:
        return dict(
            cursor.execute("SELECT key, value FROM meta WHERE key IN ('data_version', 'files_stat')").fetchall()
        )
    except duckdb.Error:
        return {}
    finally:
        cursor.close()


def built_version(db_path: Path) -> str | None:
    """The data version recorded in a database, or None if it is missing or unreadable."""
    return built_meta(db_path).get("data_version")


def is_stale(targets_dir: Path, data_dir: Path, db_path: Path) -> bool:
    """True when the database is missing or was built from other files than those present now."""
    meta = built_meta(db_path)
    if meta.get("files_stat") == files_stat(targets_dir, data_dir):
        return False
    from tracker import store  # hashing needs the list of loadable files, which the loaders define

    return meta.get("data_version") != store.data_version(targets_dir, data_dir)


def ensure_built(targets_dir: Path, data_dir: Path, db_path: Path) -> BuildReport | None:
    """Build when the database is missing or out of date; None when it was already current."""
    if not is_stale(targets_dir, data_dir, db_path):
        return None
    from tracker.store import build

    return build(targets_dir, data_dir, db_path)


def connect_current(
    targets_dir: Path, data_dir: Path, db_path: Path, threads: int | None = None
) -> tuple[duckdb.DuckDBPyConnection, BuildReport | None]:
    """A read-only connection to a current database, and the report of the build it took (None if none).

    In the usual case (every input keeps the name, size and time recorded at the build) the connection
    that read the record is the one returned: opening the file is a good part of ``tracker status``'s
    start-up on a small catalogue. Otherwise it is closed before ``ensure_built`` (a build replaces the
    file, and an open connection would keep serving the old one) and a new one is opened. ``threads``: as
    for ``connect``.
    """
    con = connect_if_current(targets_dir, data_dir, db_path, threads)
    if con is not None:
        return con, None
    report = ensure_built(targets_dir, data_dir, db_path)
    return connect(db_path, threads), report


def connect_if_current(
    targets_dir: Path, data_dir: Path, db_path: Path, threads: int | None = None
) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection when every input keeps the name, size and time recorded at the build, else None
    (the database is missing, unreadable, or may be stale: ``connect_current`` then hashes and builds).
    ``threads``: as for ``connect``."""
    if not db_path.is_file():
        return None
    try:
        con = connect(db_path, threads)
    except duckdb.Error:
        return None
    if _read_meta(con).get("files_stat") == files_stat(targets_dir, data_dir):
        return con
    con.close()
    return None
