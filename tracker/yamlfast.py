"""A line reader for the plain block YAML that tracker files are written in, without libyaml's events.

Most of the time of reading a large catalogue went to libyaml's parser handing Python one event
object (with two position marks) per key, value and collection, and to walking them and recording
every position (about two thirds of reading 10,000 targets, measured). Tracker files use a small
part of YAML: block mappings and lists, one-line values (plain, or quoted without escapes, or
one-line flow lists and mappings of such words) and folded or literal text blocks.
:func:`read_plain_yaml` reads exactly that part, line by line, and gives up (returns None) at
anything else: tags, anchors, aliases, a plain value that goes on to the next line, escapes, tabs,
an empty value, a duplicate key, a number YAML 1.1 reads otherwise, an uneven indentation. The
caller then reads the file with :mod:`tracker.yamlread`, which says what is wrong and where.

It builds the values only. Positions are needed only to place a problem, so they are worked out
when first asked for, by :mod:`tracker.yamlread` from the same text (``tracker.yamlfile``): a
file without problems is read once, line by line. The values are the ones that reader builds
(tests/unit/test_yamlread.py compares the two on every YAML file of the project, a benchmark
catalogue and thousands of mutated files).
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import ScalarNode

from tracker.yamlread import (
    _CONSTRUCT,
    _CONSTRUCTOR,
    _FLOAT,
    _INT,
    _RESOLVED,
    _STR,
    MAX_YAML_DEPTH,
    _resolve,
    yaml11_number,
)

# Anything but the characters libyaml reads as printable text (control characters, the byte order mark,
# the line breaks Python does not split on here; decoded UTF-8 holds no surrogates), a tab, a line of spaces.
# (Two searches: one pattern with both alternatives took four times as long, trying the second at every character.)
_UNUSUAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SPACES_LINE = re.compile(r"\n +\n")  # searched in the text after a line break: a line of spaces
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
# The start of a plain value: not an indicator, or a '-' before a digit or a point.
_PLAIN_START = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@` ]|-[0-9.]")
_NOT_SIMPLE = frozenset("?:,[]{}#&*!|>'\"%@` ")  # a value starting with one of these goes the long way
_QUOTED = re.compile(r"'((?:[^']|'')*)'|\"([^\"\\]*)\"")
_AFTER = re.compile(r" *(?:#.*)?$")  # what may follow a complete value on its line
_BLOCK = re.compile(r"([|>])(-?)(?: +#.*)? *$")
_FLOW_ITEM = re.compile(r" *(?:'((?:[^']|'')*)'|\"([^\"\\]*)\"|([^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}#:'\"]*?)) *(?:,|$)")
_FLOW_PAIR = re.compile(r" *([A-Za-z_][A-Za-z0-9_-]*): +")
_TEXT_KEYS: set[str] = set()  # keys known to read as text: the same few in every file


class _Decline(Exception):
    """Outside the part of YAML this module reads."""


def _plain(text: str) -> Any:
    """A plain value as tracker.yamlread reads it (YAML 1.2 booleans, no dates), or decline."""
    tag = _resolve(text)
    if tag == _STR:
        return text
    if tag in (_INT, _FLOAT):
        if yaml11_number(text):
            raise _Decline
        try:  # a plain decimal now (no '_', ':', base prefix or leading zero): what the constructor makes of it
            return int(text) if tag == _INT else float(text)
        except ValueError:  # .inf, .nan: the constructor's own
            pass
    try:
        return _CONSTRUCT[tag](_CONSTRUCTOR, ScalarNode(tag, text, None, None))
    except Exception as exc:  # a value the constructor refuses: the full reader says so
        raise _Decline from exc


def _key(name: str) -> str:
    if name not in _TEXT_KEYS:
        if _resolve(name) != _STR:  # null, true: a key the full reader would not read as text
            raise _Decline
        if len(_TEXT_KEYS) > 10_000:  # bounded: a long-running process reads many files
            _TEXT_KEYS.clear()
        _TEXT_KEYS.add(name)
    return name


class _Lines:
    """The file's lines with their indentation; ``content`` is each line without its leading spaces."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.max_depth = max_depth
        self.raw = text.split("\n")
        self.content = [line.lstrip(" ") for line in self.raw]
        self.indent = [len(r) - len(c) for r, c in zip(self.raw, self.content, strict=True)]
        self.count = len(self.raw)

    def next_content(self, i: int) -> int:
        """The first line from ``i`` on that holds more than a comment (the line count at the end)."""
        content, count = self.content, self.count
        while i < count and (not content[i] or content[i][0] == "#"):
            i += 1
        return i

    def indent_at(self, i: int) -> int:
        return self.indent[i] if i < self.count else -1

    def mapping(self, i: int, indent: int, depth: int) -> tuple[dict[str, Any], int]:
        """The block mapping whose keys stand at ``indent`` from line ``i`` on; the line after it."""
        if depth > self.max_depth:
            raise _Decline
        mapping: dict[str, Any] = {}
        content, indents, count = self.content, self.indent, self.count
        while i < count and indents[i] == indent:
            line = content[i]
            found = _KEY.match(line)
            if found is None:
                raise _Decline
            name = found.group(1)
            if name not in _TEXT_KEYS:
                _key(name)
            if name in mapping:
                raise _Decline
            start = found.end()
            # Most lines: a value that ends the line, plain or quoted without a quote or escape inside (what
            # value and inline make of such a line, written out here: about nine lines in ten of a target file)
            first, last = line[start : start + 1], line[-1]
            if first == "'" or first == '"':
                text = line[start + 1 : -1]
                if last != first or len(line) - start < 2 or first in text or "\\" in text:
                    mapping[name], i = self.value(i, indent, line[start:], depth)
                    continue
                mapping[name] = text
            elif first and first not in _NOT_SIMPLE and last != " " and " #" not in line and line.find(": ", start) < 0:
                text = line[start:]
                if last == ":" or (first == "-" and not _PLAIN_START.match(text)):
                    raise _Decline
                mapping[name] = text if _RESOLVED.get(text) == _STR else _plain(text)
            else:
                mapping[name], i = self.value(i, indent, line[start:], depth)
                continue
            i += 1
            while i < count and (not content[i] or content[i][0] == "#"):
                i += 1
            if i < count and indents[i] > indent:
                raise _Decline  # more of the value on the next line
        if self.indent_at(i) > indent:
            raise _Decline
        return mapping, i

    def value(self, i: int, indent: int, rest: str, depth: int) -> tuple[Any, int]:
        """The value ``rest`` of the key on line ``i`` (at ``indent``), and the line after it."""
        if not rest or rest[0] == "#":
            following = self.next_content(i + 1)
            nested = self.indent_at(following)
            if nested > indent:
                return self.block(following, nested, depth + 1)
            if nested == indent and self.content[following][:2] == "- ":
                return self.sequence(following, indent, depth + 1)
            raise _Decline  # an empty value (null)
        block = _BLOCK.match(rest)
        if block is not None:
            return self.text_block(i, indent, block.group(1), block.group(2))
        value = self.inline(rest, depth)
        following = self.next_content(i + 1)
        if self.indent_at(following) > indent:  # more of a plain value, or a value where none can stand
            raise _Decline
        return value, following

    def block(self, i: int, indent: int, depth: int) -> tuple[Any, int]:
        if self.content[i][:2] == "- ":
            return self.sequence(i, indent, depth)
        return self.mapping(i, indent, depth)

    def sequence(self, i: int, indent: int, depth: int) -> tuple[list[Any], int]:
        """The block list whose dashes stand at ``indent`` from line ``i`` on; the line after it."""
        if depth > self.max_depth:
            raise _Decline
        items: list[Any] = []
        while i < self.count and self.indent[i] == indent and self.content[i][:2] == "- ":
            content = self.content[i]
            after = content[1:].lstrip(" ")
            if _KEY.match(after):  # a mapping that starts on the dash's line: read as if the dash were a space
                self.indent[i], self.content[i] = indent + len(content) - len(after), after
                item, i = self.mapping(i, self.indent[i], depth + 1)
            else:
                item = self.inline(after, depth)
                i = self.next_content(i + 1)
                if self.indent_at(i) > indent:
                    raise _Decline
            items.append(item)
        if self.indent_at(i) > indent:
            raise _Decline
        return items, i

    def inline(self, rest: str, depth: int) -> Any:
        """A value on one line: quoted, a flow list or mapping, or plain (``depth``: that of its holder)."""
        if not rest:
            raise _Decline  # a dash and spaces
        quoted = _QUOTED.match(rest)
        if quoted is not None:
            if not _AFTER.match(rest, quoted.end()):
                raise _Decline
            single, double = quoted.groups()
            return single.replace("''", "'") if single is not None else double
        if rest[0] == "[" or rest[0] == "{":
            if depth + 1 > self.max_depth:
                raise _Decline
            return _flow(rest)
        if not _PLAIN_START.match(rest):
            raise _Decline
        comment = rest.find(" #")
        text = (rest if comment < 0 else rest[:comment]).rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise _Decline
        return _plain(text)

    def text_block(self, i: int, indent: int, style: str, chomp: str) -> tuple[str, int]:
        """A folded (>) or literal (|) text block after line ``i``: its lines at one indentation, none blank."""
        first = i + 1
        if first >= self.count or self.indent[first] <= indent or not self.content[first]:
            raise _Decline
        inner, end = self.indent[first], first
        while end < self.count and self.content[end] and self.indent[end] > indent:
            if self.indent[end] != inner:
                raise _Decline  # a more indented line keeps its line breaks: not read here
            end += 1
        following = self.next_content(end)
        if any(self.content[j] for j in range(end, following)) or self.indent_at(following) > indent:
            raise _Decline  # a comment after the block, or more of it after a blank line
        text = (" " if style == ">" else "\n").join(self.content[first:end])
        return (text if chomp == "-" else text + "\n"), following


def _flow(rest: str) -> Any:
    """A one-line flow list of words (``[a, b]``) or mapping of words (``{period: 2020, value: 2.5}``)."""
    close = "]" if rest[0] == "[" else "}"
    end = rest.find(close)
    if end < 0 or not _AFTER.match(rest, end + 1):
        raise _Decline
    if rest[1:end].strip(" ") == "":
        return [] if close == "]" else {}
    pos, items, pairs = 1, [], {}
    while pos < end:
        if close == "}":
            pair = _FLOW_PAIR.match(rest, pos, end)
            if pair is None or pair.group(1) in pairs:
                raise _Decline
            key = _key(pair.group(1))
            pos = pair.end()
        item = _FLOW_ITEM.match(rest, pos, end)
        if item is None or item.end() == pos:
            raise _Decline
        single, double, plain = item.groups()
        if single is not None:
            value = single.replace("''", "'")
        else:
            value = double if double is not None else _plain(plain.rstrip(" "))
        if close == "}":
            pairs[key] = value
        else:
            items.append(value)
        pos = item.end()
        if rest[pos - 1] == "," and rest[pos:end].strip(" ") == "":
            raise _Decline  # a comma before the bracket
    return items if close == "]" else pairs


def read_plain_yaml(text: str, max_depth: int = MAX_YAML_DEPTH) -> dict[str, Any] | None:
    """The file's mapping as tracker.yamlread builds it, or None when the text uses any YAML this
    module does not read (then that reader must)."""
    if not text.endswith("\n") or _UNUSUAL.search(text) or _SPACES_LINE.search("\n" + text):
        return None
    lines = _Lines(text[:-1], max_depth)
    start = lines.next_content(0)
    if start == lines.count or lines.indent[start] != 0:
        return None
    try:
        data, end = lines.mapping(start, 0, 1)
    except (_Decline, IndexError, ValueError):  # the last two: a case missed here, which the full reader reads
        return None
    return data if end == lines.count else None
