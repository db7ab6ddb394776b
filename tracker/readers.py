"""Race-free reading of a database file that builds replace while readers run.

A build renames a new file over the live one. Two things make the obvious
"cache one connection" approach fail under concurrent readers:

- DuckDB keeps one database instance per path in a process, so a new
  ``duckdb.connect(path)`` keeps serving the replaced file while any connection
  to it is open; closing that connection to see the new file breaks the
  readers still using it ("connection already closed").
- Queries from several threads on one connection collide ("connection is busy").

Here each version of the file is opened in its own in-memory DuckDB instance
(the file ATTACHed read-only), so the new file can be opened while readers of
the old one finish. Every read holds the version it started with (a reference
count), gets cursors of its own, and the old version is closed by whoever
releases it last. No Streamlit in here: ``views`` call :func:`reading`.

    with reading(db_path) as (con, version):
        frame = queries.targets(con)    # con.cursor() gives a cursor of its own
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

_ALIAS = "live"


class Reader:
    """What a reader gets: ``cursor()`` like a DuckDB connection, on one version of the file."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # creating cursors is the only thing threads share on this connection
            cursor = self._con.cursor()
        cursor.execute(f"USE {_ALIAS}")
        return cursor


class _Version:
    """One opened version of the file: its identity on disk, its data version, and its users."""

    def __init__(self, path: Path, identity: tuple[int, int, int]) -> None:
        self.identity = identity
        self.users = 0
        self.retired = False
        self._con = duckdb.connect(":memory:")
        try:
            quoted = str(path).replace("'", "''")
            # ATTACH takes no parameters; the path (the app's own setting) is quoted as a literal.
            self._con.execute(f"ATTACH '{quoted}' AS {_ALIAS} (READ_ONLY)")
            row = self._con.execute("SELECT value FROM live.meta WHERE key = 'data_version'").fetchone()
        except duckdb.Error:
            self._con.close()
            raise
        self.reader = Reader(self._con)
        # The data version names the content; the identity tells versions with the same content apart.
        self.version = f"{row[0] if row else '?'}-{identity[0]}-{identity[1]}"

    def close(self) -> None:
        self._con.close()


class LiveDatabase:
    """Reads of one database path, always from the newest complete file, never failing during a build."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._current: _Version | None = None

    def _identity(self) -> tuple[int, int, int]:
        stat = os.stat(self.path)
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def _acquire(self) -> _Version:
        identity = self._identity()
        with self._lock:
            current = self._current
            if current is None or current.identity != identity:
                fresh = _Version(self.path, identity)
                if current is not None:
                    current.retired = True
                    if current.users == 0:
                        current.close()
                self._current = current = fresh
            current.users += 1
            return current

    def _release(self, version: _Version) -> None:
        with self._lock:
            version.users -= 1
            if version.retired and version.users == 0:
                version.close()

    @contextmanager
    def reading(self) -> Iterator[tuple[Reader, str]]:
        """The newest file's reader and its version key, held until the block ends."""
        version = self._acquire()
        try:
            yield version.reader, version.version
        finally:
            self._release(version)

    def version(self) -> str:
        """The version key of the newest file (for cache keys)."""
        with self.reading() as (_, key):
            return key

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                if self._current.users == 0:
                    self._current.close()
                self._current = None


_registry: dict[str, LiveDatabase] = {}
_registry_lock = threading.Lock()


def live(db_path: Path) -> LiveDatabase:
    """The one LiveDatabase of this process for ``db_path``."""
    key = os.path.abspath(db_path)
    with _registry_lock:
        if key not in _registry:
            _registry[key] = LiveDatabase(Path(key))
        return _registry[key]


@contextmanager
def reading(db_path: Path) -> Iterator[tuple[Reader, str]]:
    """``with reading(path) as (con, version):`` read the newest complete database safely from any thread."""
    with live(db_path).reading() as pair:
        yield pair
