"""An exact cache of ``tracker status``'s output, so that asking again for what nothing changed costs a ``stat`` of
each file it came from instead of DuckDB, numpy and the assessment (docs/architecture.md, "The status cache").

The cache is one file beside the database (``<db>.status``) holding the last output the command wrote, under
its *key* and its *dependencies*:

- the key: every option as parsed (the format, the columns, the three locations made absolute, ...), the as-of
  date the run used (today's when none is given), and the interpreter (its path, version, flags and module search
  path);
- the dependencies: every file and folder the output could come from, each with its device, inode, size,
  modification and change times (or its absence): the target folder and each entry in it, the observation
  folder and each entry in it, the indicator catalogue, the database and its write-ahead log, every file of
  the ``tracker`` package (code, message catalogues), and the file of every module loaded in the process
  (numpy, DuckDB, the standard library), read when the output is stored.

A later run with the same key is answered from the file only when every dependency still has the same
signature. The output is stored only when the run built nothing and printed no warning (its whole effect is
its standard output), when it is at most ``MAX_CHARS`` long, and when every dependency was last changed at
least ``SETTLE_NS`` before the run started: a file changed during the run, or so shortly before it that a
second change could keep the same time stamp (many file systems' time stamps move in steps: a few milliseconds,
two seconds on FAT), is not trusted, as git treats an index entry as "racily clean". Writing is atomic (a new
file renamed over the old); a folder that cannot be written, or a file that cannot be read or is not one of these,
means no cache.
``TRACKER_STATUS_CACHE=off`` turns it off (the tests do, but for the ones that check the cache itself).

This module imports no third-party package, so that a run answered here never loads DuckDB or numpy.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.paths import INDICATORS_FILE, OBSERVATIONS_DIR

if TYPE_CHECKING:
    from argparse import Namespace
    from datetime import date

SWITCH = "TRACKER_STATUS_CACHE"
"""The environment variable that turns the cache off when set to one of ``OFF``."""
OFF = ("off", "0", "false", "no")
MAGIC = "tracker status cache 2"
"""The first field of a cache file: a file without it (an older layout, or not one) is ignored."""
MAGIC_STEM = b"tracker status cache "
"""What every layout's magic starts with: a file that does is this module's to replace."""
MAX_CHARS = 4 * 1024 * 1024
"""Outputs longer than this are not stored (the shipped data's are 27 to 70 kB, 1,000 generated targets' full CSV
0.36 MB and JSON 1.6 MB; at 100,000 targets the file would cost more to write and keep than it saves)."""
MAX_FILE_BYTES = 4 * MAX_CHARS + 16 * 1024 * 1024
"""A cache file larger than this is not one this module wrote (an output of ``MAX_CHARS`` in UTF-8, and a header
of a few thousand paths): it is not read."""
SETTLE_NS = 2_000_000_000
"""A dependency changed less than this before the run started is not trusted (see the module's docstring)."""
PACKAGE = Path(__file__).resolve().parent


def cache_file(db: Path) -> Path:
    """Where the output of ``tracker status`` on the database ``db`` is kept."""
    return Path(f"{os.path.abspath(db)}.status")


class StatusCache:
    """The cache of one run of ``tracker status``: ``lookup`` before it works, ``store`` once it has written."""

    def __init__(self, args: Namespace, as_of: date) -> None:
        self.started_ns = time.time_ns()
        self.db = Path(args.db)
        self.locations = (Path(args.targets), Path(args.data), self.db)
        self.path = str(cache_file(self.db))
        # Every option the parser gave (a new one counts without being named here), paths made absolute.
        options = [f"{name}={os.path.abspath(v) if isinstance(v, Path) else repr(v)}"
                   for name, v in sorted(vars(args).items()) if not callable(v)]  # fmt: skip
        self.key = [MAGIC, sys.executable, sys.version, repr(sys.flags), os.pathsep.join(sys.path), as_of.isoformat(),
                    *options]  # fmt: skip

    @classmethod
    def for_status(cls, args: Namespace, as_of: date) -> StatusCache | None:
        """The cache for these options, or None when ``TRACKER_STATUS_CACHE=off``."""
        return None if os.environ.get(SWITCH, "").strip().lower() in OFF else cls(args, as_of)

    def lookup(self) -> str | None:
        """The stored output for this key if no dependency changed since, else None. Whatever the file holds (cut
        short, edited, not a regular file, a link), the answer is None unless it is a whole entry of this key."""
        try:
            fields = _read_entry(self.path)
            if fields is None:
                return None
            n = len(self.key) - 1  # the magic is not repeated in the header
            *header, length, digest, output = fields
            if header[:n] != self.key[1:] or (len(header) - n) % 2 or int(length) != len(output):
                return None
            if digest != _digest(output):  # cut short or edited after it was written
                return None
            pairs = header[n:]
            if any(signature(path) != seen for path, seen in zip(pairs[::2], pairs[1::2], strict=True)):
                return None
            return output
        except (OSError, ValueError, UnicodeError):
            return None

    def store(self, output: str) -> bool:
        """Keep ``output`` for this key, with its dependencies' signatures as they are now; False when it was not
        kept (too long, a dependency changed too recently, or the folder cannot be written)."""
        if len(output) > MAX_CHARS:
            return False
        header = self.key[1:]
        trusted_before = self.started_ns - SETTLE_NS
        for path in dict.fromkeys(dependencies(self.locations)):  # a module of the package is met twice
            seen = _stat(path)
            if seen is not None and max(seen.st_mtime_ns, seen.st_ctime_ns) >= trusted_before:
                return False
            header += [path, _signature(seen)]
        if not _replaceable(self.path):
            return False
        entry = "\0".join([MAGIC, str(len(header) + 2), *header, str(len(output)), _digest(output), output])
        written = f"{self.path}.{os.getpid()}.tmp"
        try:
            # A new file of its own: never one that is there already, nor a link's target (O_EXCL, O_NOFOLLOW).
            fd = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError:
            return False
        try:
            with open(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(entry)
            os.replace(written, self.path)
        except OSError:
            with suppress(OSError):
                os.remove(written)
            return False
        return True


def dependencies(locations: tuple[Path, Path, Path]) -> Iterator[str]:
    """Every file and folder ``tracker status``'s output can depend on (see the module's docstring), as paths."""
    targets, data, db = locations
    for folder in (targets, data / OBSERVATIONS_DIR):
        yield os.path.abspath(folder)
        yield from _listing(folder)
    yield os.path.abspath(data / INDICATORS_FILE)
    yield os.path.abspath(db)
    yield f"{os.path.abspath(db)}.wal"
    for folder, subfolders, files in os.walk(PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        yield folder
        yield from (os.path.join(folder, name) for name in sorted(files))
    # The folders Python finds modules in: a new file there (a script named like a module the command imports)
    # changes what the command would do.
    for folder in sys.path:
        yield os.path.abspath(folder or os.curdir)
    for module in list(sys.modules.values()):
        where = getattr(module, "__file__", None)
        if isinstance(where, str):
            yield where


def _read_entry(path: str) -> list[str] | None:
    """The fields of the cache file at ``path`` after its magic and count, or None when it is not a regular file
    of at most ``MAX_FILE_BYTES`` that starts with this layout's magic. A link is not followed, and a FIFO or a
    device is not waited on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        seen = os.fstat(fd)
        if not stat.S_ISREG(seen.st_mode) or seen.st_size > MAX_FILE_BYTES:
            return None
        with open(fd, "rb", closefd=False) as fh:
            text = fh.read(MAX_FILE_BYTES + 1).decode("utf-8")
    finally:
        os.close(fd)
    magic, count, rest = text.split("\0", 2)
    if magic != MAGIC:
        return None
    fields = rest.split("\0", int(count))
    return fields if len(fields) == int(count) + 1 else None


def _replaceable(path: str) -> bool:
    """Whether the cache may be written at ``path``: nothing is there, an empty file, or a regular file of this
    module's (any layout). Another file that happens to bear the name (another database, someone's notes) is left
    alone."""
    try:
        seen = os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not stat.S_ISREG(seen.st_mode):
        return False
    if seen.st_size == 0:  # nothing to lose
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC_STEM)) == MAGIC_STEM
    except OSError:
        return False


def _digest(output: str) -> str:
    return hashlib.sha256(output.encode("utf-8", "surrogatepass")).hexdigest()


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(os.path.join(os.path.abspath(folder), name) for name in os.listdir(folder))
    except OSError:
        return []


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _signature(seen: os.stat_result | None) -> str:
    if seen is None:
        return "-"
    return f"{seen.st_dev}:{seen.st_ino}:{seen.st_size}:{seen.st_mtime_ns}:{seen.st_ctime_ns}"


def signature(path: str) -> str:
    """A file's device, inode, size, modification and change times, or "-" when it cannot be read."""
    return _signature(_stat(path))


@contextmanager
def warnings_shown() -> Iterator[list[str]]:
    """The warnings Python shows while the block runs (each shown as it would be): a run that warned is not stored,
    as its answer from the cache would not warn."""
    shown: list[str] = []
    show = warnings.showwarning

    def showing(message: Warning | str, *args: Any, **kwargs: Any) -> None:
        shown.append(str(message))
        show(message, *args, **kwargs)

    warnings.showwarning = showing
    try:
        yield shown
    finally:
        warnings.showwarning = show
