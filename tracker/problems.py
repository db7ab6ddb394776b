"""Problems found in user files, reported as ``path:line:col: severity: message``."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as a user would type it: relative to the working folder when below it."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=4096)
def _display_path(path: str, cwd: str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the folder, or a link loop
        return str(p)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful) in a file, with where it is.

    ``line`` and ``col`` are 1-based; ``col`` is 0 when only the line is known
    (CSV rows), and both are 0 when the whole file is concerned.
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


def error(path: str | os.PathLike[str], line: int, col: int, message: str) -> Problem:
    return Problem(str(path), line, col, "error", message)


def warning(path: str | os.PathLike[str], line: int, col: int, message: str) -> Problem:
    return Problem(str(path), line, col, "warning", message)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
