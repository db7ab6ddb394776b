"""Reading YAML safely, remembering where every key and value stands in the file.

Only plain data is built (PyYAML's safe constructor): a ``!!python/object`` tag
is an error, not code that runs. Aliases (``*name``) are refused outright, which
also rules out "billion laughs" expansion. Dates stay text so that the model can
say precisely what is wrong with an impossible one such as 2023-02-30.
"""

from __future__ import annotations

import os
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

MAX_YAML_DEPTH = 32
"""Deepest nesting of lists and mappings read; a policy file needs 4 levels. PyYAML builds
nested values recursively, so a file of 30,000 ``[`` would exhaust the stack: the depth is
measured on the parser's events, which need no recursion, before anything is built."""

# YAML 1.1 resolvers that read plain words as something else: yes/no/on/off as booleans
# (`on:` becomes the key True), `=` as a "value" tag, `<<` as a merge. Tracker files follow
# YAML 1.2 here: only true/false are booleans, and `=` and `<<` are text.
_DROPPED_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:value",
                 "tag:yaml.org,2002:merge"}  # fmt: skip
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
# Number forms YAML 1.1 reads silently and YAML 1.2 (and every person) reads otherwise.
_YAML11_NUMBERS = (
    (re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"),
     "is read by YAML 1.1 as a base-60 number ({value}); write the number or date in full, or put it in quotes"),
    (re.compile(r"[-+]?0[0-7_]+"),
     "has a leading zero, which YAML 1.1 reads as an octal number ({value}); write it without the zero, or in quotes"),
    (re.compile(r"[-+]?0b[01_]+"), "is a binary number ({value}); write it in decimal"),
    (re.compile(r"[-+]?(?:0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?)"),
     "is read as the number {value}; write it as a plain decimal number"),
)  # fmt: skip


class _SafeLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """Safe loading (libyaml's parser where available) without implicit dates, with YAML 1.2
    booleans, and with unsigned exponents (3.6e9) read as numbers."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class StructureError(Exception):
    """Too deep, or a tag: found on the parser's events, before any value is built."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(line, col, message)
        self.line, self.col, self.message = line, col, message


def _check_events(text: str, max_depth: int) -> None:
    """Refuse explicit tags and nesting deeper than ``max_depth`` (raises StructureError)."""
    depth = 0
    loader = _SafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            tag = getattr(event, "tag", None)  # set only when the file writes a tag
            if tag is not None:
                raise StructureError(
                    *where,
                    f"YAML tags such as {_short_tag(tag)} are not allowed; tracker files hold plain data only "
                    "(text, numbers, lists, mappings): remove the tag and write the value itself",
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    raise StructureError(
                        *where, f"the YAML nests lists or mappings more than {max_depth} levels deep; a tracker file "
                        "needs about 4 (check for a run of [ or { that is never closed)"
                    )  # fmt: skip
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


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


def _yaml11_number(text: str) -> str | None:
    """Why a plain number is ambiguous, or None when it reads the same in YAML 1.1 and 1.2."""
    plain = text.lstrip("+-")
    if (
        "_" not in text
        and not plain.startswith(("0b", "0x"))
        and ":" not in text
        and not (len(plain) > 1 and plain.startswith("0") and plain[1:2].isdigit())
    ):
        return None
    for pattern, message in _YAML11_NUMBERS:
        if pattern.fullmatch(text):
            try:
                value = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - a number, read as YAML 1.1 would
            except yaml.YAMLError:  # pragma: no cover - the pattern only lets numbers through
                value = text
            return message.format(value=value)
    return None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _record(node: Node, loc: Loc, out: Located, path: Path, problems: list[Problem], seen: set[int]) -> None:
    # An alias makes the composer hand back a node it has already built; refusing any
    # node seen twice rules out aliases and, with them, "billion laughs" expansion.
    if id(node) in seen:
        raise AliasError(*_mark(node))
    seen.add(id(node))
    out.values[loc] = _mark(node)
    if isinstance(node, ScalarNode) and not node.style and node.tag in (_INT, _FLOAT):
        problem = _yaml11_number(node.value)
        if problem:
            problems.append(error(path, *_mark(node), f"'{node.value}' {problem}"))
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


def read_bounded(path: Path, max_bytes: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a file in the repository, refusing links out of it and files over ``max_bytes``."""
    leaves = outside_link_problem(path)
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


def load_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> tuple[Located | None, list[Problem]]:
    """Read one YAML file; on any problem the data is None and the problems say why."""
    raw, problems = read_bounded(path, max_bytes)
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
    try:
        _check_events(text, max_depth)
    except StructureError as exc:
        return None, [error(path, exc.line, exc.col, exc.message)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        return None, [error(path, 0, 0, f"YAML: {type(exc).__name__}")]
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [error(path, 1, 1, "the file is empty; it should hold a mapping of keys to values")]
        located = Located(data=None)
        _record(node, (), located, path, problems, set())
        if problems:
            return None, problems
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
        return None, [error(path, 0, 0, f"YAML: {type(exc).__name__}")]
    except (ValueError, OverflowError, RecursionError) as exc:  # a constructor refusing a value
        return None, [error(path, 1, 1, f"YAML: a value cannot be read ({type(exc).__name__})")]
    finally:
        loader.dispose()
    if not isinstance(located.data, dict):
        kind = "a list" if isinstance(located.data, list) else "a single value"
        line, col = located.value_at(())
        return None, [error(path, line, col, f"the file holds {kind}; it should hold a mapping of keys to values")]
    return located, []
