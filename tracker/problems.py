"""Problems found in user files, reported as ``path:line:col: severity: message``."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tracker.paths import display_path  # where files are named for the terminal; Problem prints with it

Severity = Literal["error", "warning"]


def project_path(path: str | os.PathLike[str], *roots: str | os.PathLike[str]) -> str:
    """The name a file is stored and published under, whatever the working folder: relative to the first
    of ``roots`` (the project folder, the folder above the targets) that holds it, with ``/`` between
    parts; a path under none of them by its own name alone. A build machine's folders never reach the
    database, the site's open data or a pull-request report (``display_path`` is for the terminal)."""
    return _project_path(str(path), tuple(map(str, roots)))


@functools.lru_cache(maxsize=4096)
def _project_path(path: str, roots: tuple[str, ...]) -> str:
    absolute = Path(os.path.abspath(path))  # the path itself, not where a link leads (as display_path)
    for root in roots:
        try:
            return absolute.relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            continue
    return absolute.name


def project_roots(data_dir: str | os.PathLike[str], targets_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The folders ``project_path`` names a build's files from: the one holding the data folder (the
    project), then the one holding the targets folder (when it lies elsewhere)."""
    folders = [data_dir] if targets_dir is None else [data_dir, targets_dir]
    return [Path(os.path.abspath(folder)).parent for folder in folders]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful) in a file, with where it is.

    ``line`` and ``col`` are 1-based; ``col`` is 0 when only the line is known
    (CSV rows). A problem with the whole of a file stands on its line 1, so that every
    line printed for a file reads ``path:line[:col]: severity:``; both are 0 only for
    what has no lines: a folder, or a path that does not exist.
    """

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"

    def github(self) -> str:
        """The problem as a GitHub Actions workflow command, shown as an annotation on the line."""
        from tracker.escape import workflow_data, workflow_property

        where = f"file={workflow_property(display_path(self.path))}"
        if self.line:
            where += f",line={self.line}"
            if self.col:
                where += f",col={self.col}"
        return f"::{self.severity} {where}::{workflow_data(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _first_line_if_file(path: str | os.PathLike[str], line: int) -> int:
    """``line``, or 1 for a problem with the whole of a file (a link that cannot be followed counts
    as a file: it is one entry in its folder)."""
    if line or os.path.isdir(path) or not os.path.lexists(path):
        return line
    return 1


def error(path: str | os.PathLike[str], line: int, col: int, message: str) -> Problem:
    """An error at ``line``:``col``; line 0 means the whole file (see :class:`Problem`)."""
    return Problem(str(path), _first_line_if_file(path, line), col, "error", message)


def warning(path: str | os.PathLike[str], line: int, col: int, message: str) -> Problem:
    """A warning at ``line``:``col``; line 0 means the whole file (see :class:`Problem`)."""
    return Problem(str(path), _first_line_if_file(path, line), col, "warning", message)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
