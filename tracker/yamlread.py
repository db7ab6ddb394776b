"""One pass over libyaml's parser events: refusals, positions and values together.

PyYAML's own way in is four passes per file (the events, libyaml's composer calling a Python
resolver for every scalar, a walk for positions, the constructor). This module reads the
parser's events once and, in that pass, refuses tags and deep nesting where they stand,
records the 1-based (line, col) of every key and value, finds duplicate keys, aliases and
numbers YAML 1.1 reads otherwise, and builds the plain values. What it reports, and in which
order of precedence, is what the four passes reported: errors of the event stream (syntax,
tags, depth) first, then composing errors (an undefined or repeated anchor, a second
document), then aliases, then duplicate keys and ambiguous numbers, then values that cannot
be constructed. Numbers, booleans and nulls are still built by PyYAML's safe constructor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from tracker.problems import Problem, error

Loc = tuple[str | int, ...]

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_DEPTH = 32
"""Deepest nesting of lists and mappings read; a policy file needs 4 levels. The depth is
counted on the parser's events as they come, so a file of 30,000 ``[`` is refused at the
33rd, before anything deeper is built."""

# YAML 1.1 resolvers that read plain words as something else: yes/no/on/off as booleans
# (`on:` becomes the key True), `=` as a "value" tag, `<<` as a merge. Tracker files follow
# YAML 1.2 here: only true/false are booleans, and `=` and `<<` are text.
_DROPPED_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:value",
                 "tag:yaml.org,2002:merge"}  # fmt: skip
_INT, _FLOAT, _STR = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"
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
# The resolver's own rule (Resolver.resolve) without a Python call per scalar: the patterns for
# the scalar's first character, then the ones for any character; text when none matches.
_RESOLVERS = {
    first: resolvers + _SafeLoader.yaml_implicit_resolvers.get(None, [])
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_ANY_FIRST = _SafeLoader.yaml_implicit_resolvers.get(None, [])
_CONSTRUCTOR = SafeConstructor()
_CONSTRUCT = SafeConstructor.yaml_constructors  # tag -> the safe constructor's function for it


_RESOLVED: dict[str, str] = {}  # text -> tag: keys, units, kinds and deadlines repeat in every file


def _resolve(text: str) -> str:
    tag = _RESOLVED.get(text)
    if tag is not None:
        return tag
    tag = _STR
    for candidate, pattern in _RESOLVERS.get(text[0] if text else "", _ANY_FIRST):
        if pattern.match(text):
            tag = candidate
            break
    if len(_RESOLVED) > 100_000:  # bounded: a long-running process reads many files
        _RESOLVED.clear()
    _RESOLVED[text] = tag
    return tag


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class StructureError(Exception):
    """Too deep, or a tag: found on the parser's events, before anything deeper is built."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(line, col, message)
        self.line, self.col, self.message = line, col, message


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


def yaml11_number(text: str) -> str | None:
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


_ALIAS_MESSAGE = ("YAML: aliases (*name) are not allowed in tracker files; write the value out in full "
                  "(this value is repeated through an alias)")  # fmt: skip
_TAG_MESSAGE = ("YAML tags such as {tag} are not allowed; tracker files hold plain data only "
                "(text, numbers, lists, mappings): remove the tag and write the value itself")  # fmt: skip
_DEPTH_MESSAGE = ("the YAML nests lists or mappings more than {depth} levels deep; a tracker file "
                  "needs about 4 (check for a run of [ or { that is never closed)")  # fmt: skip


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


class _Reader:
    """The events of one file, read once (see the module's docstring for what it finds)."""

    def __init__(self, text: str, path: Path, max_depth: int) -> None:
        self.loader = _SafeLoader(text)
        self.get_event = self.loader.get_event
        self.path, self.max_depth, self.depth = path, max_depth, 0
        self.located = Located(data=None)
        self.values, self.keys = self.located.values, self.located.keys
        self.problems: list[Problem] = []
        # anchor -> [start mark of its node, whether the node was visited where positions are recorded]
        self.anchors: dict[str, list[Any]] = {}
        self.composing: yaml.MarkedYAMLError | None = None  # the first error composing would have raised
        self.alias: tuple[int, int] | None = None  # where the first value repeated by an alias stands
        self.constructing: Exception | None = None  # the first value the constructor would refuse
        self.empty = False  # no document at all

    def event(self) -> Any:
        """The next event; raises StructureError on a tag or on nesting deeper than allowed."""
        return self.checked(self.get_event())

    def checked(self, event: Any) -> Any:
        """``event``, once its tag and the depth it opens are checked (a scalar without a tag needs nothing)."""
        cls = type(event)
        if cls is ScalarEvent or cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.tag is not None:  # set only when the file writes a tag (an alias has none)
                raise StructureError(*_mark(event), _TAG_MESSAGE.format(tag=_short_tag(event.tag)))
            if cls is not ScalarEvent:
                self.depth += 1
                if self.depth > self.max_depth:
                    raise StructureError(*_mark(event), _DEPTH_MESSAGE.replace("{depth}", str(self.max_depth)))
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            self.depth -= 1
        return event

    def document(self) -> Any:
        """Read the whole stream; the root value (None and no positions when there is no document)."""
        self.event()  # stream start
        first = self.event()
        if type(first) is StreamEndEvent:
            self.empty = True
            return None
        root = self.event()
        data = self.node(root, (), True)
        self.event()  # document end
        following = self.event()
        if type(following) is not StreamEndEvent and self.composing is None:
            self.composing = ComposerError("expected a single document in the stream", root.start_mark,
                                           "but found another document", following.start_mark)  # fmt: skip
        while type(following) is not StreamEndEvent:  # the rest is still checked for syntax, tags and depth
            following = self.event()
        return data

    def node(self, event: Any, loc: Loc, recording: bool) -> Any:
        """The value that starts with ``event``. ``recording`` is False under a duplicate key,
        whose value the position walk never visited (it is reported, not read)."""
        cls = type(event)
        if cls is AliasEvent:
            self._alias(event, recording)
            return None
        if event.anchor is not None:
            if event.anchor in self.anchors:
                if self.composing is None:
                    self.composing = ComposerError("found duplicate anchor; first occurrence",
                                                   self.anchors[event.anchor][0], "second occurrence",
                                                   event.start_mark)  # fmt: skip
            else:
                self.anchors[event.anchor] = [event.start_mark, recording]
        if recording:
            mark = event.start_mark
            self.values[loc] = (mark.line + 1, mark.column + 1)
        if cls is ScalarEvent:
            return self.scalar(event, recording)
        if cls is SequenceStartEvent:
            items = []
            item = self.event()
            while type(item) is not SequenceEndEvent:
                items.append(self.node(item, (*loc, len(items)), recording))
                item = self.event()
            return items
        return self.mapping(event, loc, recording)

    def _alias(self, event: Any, recording: bool) -> None:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            if self.composing is None:
                self.composing = ComposerError(None, None, "found undefined alias", event.start_mark)
        elif recording:
            if anchored[1] and self.alias is None:
                self.alias = (anchored[0].line + 1, anchored[0].column + 1)
            anchored[1] = True

    def scalar(self, event: Any, recording: bool) -> Any:
        text = event.value
        if not event.implicit[0]:  # quoted or block text: never resolved
            return text
        tag = _resolve(text)
        if tag == _STR:
            return text
        if recording and tag in (_INT, _FLOAT):
            problem = yaml11_number(text)
            if problem:
                self.problems.append(error(self.path, *_mark(event), f"'{text}' {problem}"))
        try:
            return _CONSTRUCT[tag](_CONSTRUCTOR, ScalarNode(tag, text, event.start_mark, event.end_mark))
        except (ValueError, OverflowError, RecursionError, yaml.MarkedYAMLError) as exc:
            self.constructing = self.constructing or exc
            return None

    def mapping(self, start: Any, loc: Loc, recording: bool) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        first_seen: dict[str, int] = {}
        key_event = self.event()
        while type(key_event) is not MappingEndEvent:
            if type(key_event) is ScalarEvent:
                name: str | int = key_event.value
                if key_event.anchor is None and (not key_event.implicit[0] or _resolve(name) == _STR):
                    key = name  # plain text, as self.node would read it, without the call
                else:
                    key = self.node(key_event, (), False)
            elif type(key_event) is AliasEvent:  # a key repeated through an alias is refused like any alias
                anchored = self.anchors.get(key_event.anchor)
                self._alias(key_event, recording)
                if recording and anchored is not None and self.alias is None:
                    self.alias = (anchored[0].line + 1, anchored[0].column + 1)
                name = key = f"*{key_event.anchor}"
            else:  # a list or mapping as a key: read, then refused as the constructor refuses it
                self.node(key_event, (), False)
                name = f"{key_event.start_mark}"  # compared with no other key
                if self.constructing is None:
                    self.constructing = ConstructorError("while constructing a mapping", start.start_mark,
                                                         "found unhashable key", key_event.start_mark)  # fmt: skip
                key = id(key_event)
            duplicate = recording and name in first_seen
            if duplicate:
                self.problems.append(error(self.path, *_mark(key_event), f"duplicate key '{name}' (first given on line "
                                           f"{first_seen[name]}); each key may appear once in a mapping"))  # fmt: skip
            elif recording:
                mark = key_event.start_mark
                first_seen[str(name)] = mark.line + 1
                self.keys[(*loc, name)] = (mark.line + 1, mark.column + 1)
            value_event = self.get_event()
            if type(value_event) is ScalarEvent and value_event.tag is None and value_event.anchor is None:
                # self.checked's and self.node's work for a plain value, inline (most of a file's events)
                if recording and not duplicate:
                    mark = value_event.start_mark
                    self.values[(*loc, name)] = (mark.line + 1, mark.column + 1)
                text = value_event.value
                plain = not value_event.implicit[0] or _resolve(text) == _STR
                mapping[key] = text if plain else self.scalar(value_event, recording and not duplicate)
            else:
                mapping[key] = self.node(self.checked(value_event), (*loc, name), recording and not duplicate)
            key_event = self.get_event()
            if type(key_event) is not ScalarEvent or key_event.tag is not None:
                self.checked(key_event)
        return mapping

    def result(self, data: Any, path: Path) -> tuple[Located | None, list[Problem]]:
        """The located data, or the problems that refuse it, in the four passes' order of precedence."""
        if self.composing is not None:
            return None, [syntax_problem(self.composing, path)]
        if self.empty:
            return None, [error(path, 1, 1, "the file is empty; it should hold a mapping of keys to values")]
        if self.alias is not None:
            return None, [error(path, *self.alias, _ALIAS_MESSAGE)]
        if self.problems:
            return None, self.problems
        if isinstance(self.constructing, yaml.MarkedYAMLError):
            return None, [syntax_problem(self.constructing, path)]
        if self.constructing is not None:  # a constructor refusing a value
            return None, [error(path, 1, 1, f"YAML: a value cannot be read ({type(self.constructing).__name__})")]
        self.located.data = data
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            where = self.located.value_at(())
            return None, [error(path, *where, f"the file holds {kind}; it should hold a mapping of keys to values")]
        return self.located, []


def syntax_problem(exc: yaml.MarkedYAMLError, path: Path) -> Problem:
    """A parser's, composer's or constructor's error as a problem at its position."""
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


def read_yaml_text(text: str, path: Path, max_depth: int = MAX_YAML_DEPTH) -> tuple[Located | None, list[Problem]]:
    """Parse decoded YAML text in one pass under every guard of this module."""
    reader = _Reader(text, path, max_depth)
    try:
        data = reader.document()
    except StructureError as exc:
        return None, [error(path, exc.line, exc.col, exc.message)]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, path)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        return None, [error(path, 0, 0, f"YAML: {type(exc).__name__}")]
    finally:
        reader.loader.dispose()
    return reader.result(data, path)
