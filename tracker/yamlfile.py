"""Reading YAML safely, remembering where every key and value stands in the file.

Only plain data is built (line by line for plain block YAML, :mod:`tracker.yamlfast`, otherwise in one
pass over libyaml's events, :mod:`tracker.yamlread`):
a ``!!python/object`` tag is an error, not code that runs. Aliases (``*name``) are refused outright, which
also rules out "billion laughs" expansion. Dates stay text so that the model can
say precisely what is wrong with an impossible one such as 2023-02-30.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tracker.problems import Problem, error
from tracker.yamlfast import read_plain_yaml
from tracker.yamlread import MAX_YAML_DEPTH, Loc, Located, read_yaml_text

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_DEPTH", "Loc", "Located", "load_yaml", "parse_yaml", "read_bounded"]

MAX_YAML_BYTES = 1_000_000
"""Largest target or indicator file read; a policy document's targets fit in a few kB."""


def utf16_problem(raw: bytes, path: Path, kind: str) -> Problem | None:
    """A UTF-16 file (Windows Notepad's "Unicode") named as such, instead of as a binary file."""
    head = raw[:200]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 20 and (head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3)
    ):
        return error(path, 0, 0, f"the file is UTF-16 text; save it as UTF-8 {kind}")
    return None


def _decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    utf16 = utf16_problem(raw, path, "(in Notepad: Save as, Encoding: UTF-8)")
    if utf16 is not None:
        return None, [utf16]
    if b"\x00" in raw[:8192]:
        return None, [error(path, 0, 0, "this is a binary file, not YAML text; save it as UTF-8 text")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                path,
                line,
                col,
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                "save it as UTF-8 (a GBK or GB18030 file must be converted first)",
            )
        ]


def repository_root(folder: Path) -> Path:
    """The git checkout holding ``folder`` (the folder above it when there is none)."""
    folder = Path(os.path.abspath(folder))
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder.parent


def outside_link_problem(path: Path, root: Path | None = None) -> Problem | None:
    """A problem when ``path`` is (or lies under) a link that leads outside the repository.

    The link is not followed for reading, and its target is not named: neither a file's
    contents nor its location outside the repository reach a message.
    """
    root = Path(os.path.realpath(root if root is not None else repository_root(path.parent)))
    try:
        real = Path(os.path.realpath(path))
    except (OSError, RuntimeError):  # a link loop
        return error(path, 0, 0, "this is a link that cannot be resolved; replace it with the file itself")
    if real != root and root not in real.parents:
        return error(
            path, 0, 0, "this is a link to a file outside the repository, which is not read; put the file itself here"
        )
    return None


def dangling_link_problem(path: Path) -> Problem:
    """The problem of a link that cannot be followed (its target missing, or a loop of links)."""
    return error(path, 0, 0, "a link that leads nowhere; put the file itself here")


def read_bounded(path: Path, max_bytes: int, root: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a file in the repository, refusing links out of it and files over ``max_bytes``
    (``root``: the repository, when the caller worked it out once for many files)."""
    leaves = outside_link_problem(path, root)
    if leaves is not None:
        return None, [leaves]
    try:
        if path.is_dir():
            return None, [error(path, 0, 0, "this is a folder, not a file")]
        size = path.stat().st_size
        if size > max_bytes:
            return None, [
                error(
                    path, 0, 0, f"the file is {size:,} bytes; the limit is {max_bytes:,} (split it into smaller files)"
                )
            ]
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1), []
    except OSError as exc:
        return None, [error(path, 0, 0, f"cannot read the file: {exc.strerror or type(exc).__name__}")]


def load_yaml(
    path: Path, max_bytes: int = MAX_YAML_BYTES, root: Path | None = None
) -> tuple[Located | None, list[Problem]]:
    """Read one YAML file; on any problem the data is None and the problems say why."""
    raw, problems = read_bounded(path, max_bytes, root)
    if raw is None:
        return None, problems
    return parse_yaml(raw, path)


def parse_yaml(raw: bytes, path: Path, max_depth: int = MAX_YAML_DEPTH) -> tuple[Located | None, list[Problem]]:
    """Parse YAML bytes under every guard of this module (also for text read from git history)."""
    text, problems = _decode(raw, path)
    if text is None:
        return None, problems
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [error(path, 1, 1, "the file is empty; it should hold a mapping of keys to values")]
    data = read_plain_yaml(text, max_depth)  # plain block YAML, line by line; anything else by libyaml's events
    if data is not None:
        return PositionsLater(data, text, path, max_depth), []
    return read_yaml_text(text, path, max_depth)


class PositionsLater(Located):
    """Values read line by line (tracker.yamlfast), and the (line, col) of every key and value worked out by
    tracker.yamlread from the same text when first asked for: only a file with a problem to place needs them."""

    def __init__(self, data: Any, text: str, path: Path, max_depth: int) -> None:  # noqa: D107
        self.data = data
        self._source: tuple[str, Path, int] | None = (text, path, max_depth)
        self._positions: tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]] = ({}, {})

    def _read(self) -> tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
        if self._source is not None:
            located, _ = read_yaml_text(*self._source)
            if located is not None:  # always, for text the line reader reads (tests compare the two)
                self._positions = (located.values, located.keys)
            self._source = None
        return self._positions

    @property
    def values(self) -> dict[Loc, tuple[int, int]]:  # type: ignore[override]
        return self._read()[0]

    @property
    def keys(self) -> dict[Loc, tuple[int, int]]:  # type: ignore[override]
        return self._read()[1]
