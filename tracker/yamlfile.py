"""Reading YAML safely, remembering where every key and value stands in the file.

Only plain data is built (PyYAML's safe constructor): a ``!!python/object`` tag
is an error, not code that runs. Aliases (``*name``) are refused outright, which
also rules out "billion laughs" expansion. Dates stay text so that the model can
say precisely what is wrong with an impossible one such as 2023-02-30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tracker.problems import Problem, error

MAX_YAML_BYTES = 1_000_000
"""Largest target or indicator file read; a policy document's targets fit in a few kB."""

Loc = tuple[str | int, ...]


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """Safe loading (libyaml's parser where available) without implicit dates, and with
    unsigned exponents (3.6e9) read as numbers."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


class AliasError(Exception):
    """An alias (*name) in a tracker file; carries the position of the repeated node."""

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.line, self.col = line, col


@dataclass
class Located:
    """Parsed data with the 1-based (line, col) of every key and value, by path."""

    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def value_at(self, loc: Loc) -> tuple[int, int]:
        """Position of the value at ``loc``, or of the nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def key_at(self, loc: Loc) -> tuple[int, int]:
        """Position of the key naming ``loc`` (falls back to the value's position)."""
        return self.keys.get(tuple(loc)) or self.value_at(loc)


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _record(node: Node, loc: Loc, out: Located, path: Path, problems: list[Problem], seen: set[int]) -> None:
    # An alias makes the composer hand back a node it has already built; refusing any
    # node seen twice rules out aliases and, with them, "billion laughs" expansion.
    if id(node) in seen:
        raise AliasError(*_mark(node))
    seen.add(id(node))
    out.values[loc] = _mark(node)
    if isinstance(node, MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key: str | int = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            if key in first_seen:
                line, col = _mark(key_node)
                problems.append(
                    error(
                        path,
                        line,
                        col,
                        f"duplicate key '{key}' (first given on line {first_seen[key]}); "
                        "each key may appear once in a mapping",
                    )
                )
                continue
            first_seen[str(key)] = _mark(key_node)[0]
            out.keys[loc + (key,)] = _mark(key_node)
            _record(value_node, loc + (key,), out, path, problems, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, loc + (index,), out, path, problems, seen)


def _decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
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


def _syntax_problem(exc: yaml.MarkedYAMLError, path: Path) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or "not valid YAML"
    if "'\\t'" in problem or "\\t" in problem or "tab" in problem.lower():
        problem = "a tab character cannot indent YAML; indent with spaces"
    elif "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip()
        problem = f"the tag {tag} is not allowed; tracker files hold plain data only (text, numbers, lists, mappings)"
    elif exc.context and exc.context not in problem:
        started = f" that starts on line {exc.context_mark.line + 1}" if exc.context_mark else ""
        problem = f"{problem} ({exc.context}{started}; check the quotes and indentation there)"
    return error(path, line, col, f"YAML syntax: {problem}")


def load_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> tuple[Located | None, list[Problem]]:
    """Read one YAML file; on any problem the data is None and the problems say why."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [
                error(
                    path, 0, 0, f"the file is {size:,} bytes; the limit is {max_bytes:,} (split it into smaller files)"
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(path, 0, 0, f"cannot read the file: {exc.strerror or exc}")]
    text, problems = _decode(raw, path)
    if text is None:
        return None, problems
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [error(path, 1, 1, "the file is empty; it should hold a mapping of keys to values")]
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [error(path, 1, 1, "the file is empty; it should hold a mapping of keys to values")]
        located = Located(data=None)
        _record(node, (), located, path, problems, set())
        located.data = loader.construct_document(node)
    except AliasError as exc:
        return None, [
            error(
                path,
                exc.line,
                exc.col,
                "YAML: aliases (*name) are not allowed in tracker files; write the value out in full "
                "(this value is repeated through an alias)",
            )
        ]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        return None, [error(path, 0, 0, f"YAML: {exc}")]
    except RecursionError:
        return None, [error(path, 1, 1, "the YAML nests too deeply to read")]
    finally:
        loader.dispose()
    if problems:
        return None, problems
    if not isinstance(located.data, dict):
        kind = "a list" if isinstance(located.data, list) else f"a single value ({located.data!r})"
        line, col = located.value_at(())
        return None, [error(path, line, col, f"the file holds {kind}; it should hold a mapping of keys to values")]
    return located, []
