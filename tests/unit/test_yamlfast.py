"""The line reader of plain block YAML (tracker.yamlfast) builds what the one-pass event reader builds.

Whatever it reads must come out as tracker.yamlread reads it, value for value and type for type; anything
else it leaves to that reader. Positions come from that reader in either case (tracker.yamlfile)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.yamlfast import read_plain_yaml
from tracker.yamlfile import PositionsLater, parse_yaml
from tracker.yamlread import read_yaml_text

PATH = Path("t.yaml")


def _typed(value):
    """The value with the type of everything in it (1, 1.0 and True are equal in Python)."""
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}, list(value)
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return type(value).__name__, value


def _same_as_the_event_reader(text: str) -> bool:
    """True when the line reader reads ``text`` (and then exactly as the event reader), False when it declines."""
    data = read_plain_yaml(text)
    if data is None:
        return False
    located, problems = read_yaml_text(text, PATH)
    assert located is not None, f"read line by line, refused by the event reader ({problems}):\n{text}"
    assert _typed(data) == _typed(located.data), text
    return True


YAML_FILES = sorted(p for folder in ("targets", "data", "tests/fixtures") for p in (ROOT / folder).rglob("*.y*ml"))


# Files whose YAML itself is refused (the others under bad/ are YAML that breaks the catalogue's rules).
REFUSED_YAML = {"yaml-billion-laughs", "yaml-duplicate-key", "yaml-python-tag", "yaml-syntax-error", "yaml-tabs", "alias",
                "duplicate-key", "not-a-mapping", "python-tag", "tab-indent", "yaml-syntax"}  # fmt: skip


def _text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None  # refused before any YAML is read


def test_every_shipped_file_is_read_line_by_line_and_as_the_event_reader_reads_it():
    read = {p.relative_to(ROOT).as_posix(): _same_as_the_event_reader(t) for p in YAML_FILES if (t := _text(p))}
    shipped = [name for name in read if name.startswith(("targets/", "data/"))]
    assert len(shipped) > 20 and all(read[name] for name in shipped), [n for n in shipped if not read[n]]
    refused = [name for name in read if Path(name).stem in REFUSED_YAML]
    assert len(refused) == len(REFUSED_YAML) and not any(read[name] for name in refused)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 1.5\nc: -2\nd: 1e5\ne: .inf\nf: ~\ng: true\nh: yes\ni: 2020-01-01\nj: =\n", "read"),
        (
            "a: 'it''s'\nb: \"x: y\"\nc: x#y\nd: x  # a comment\ne: [1, 'b', c d]\nf: {p: 2020, v: 2.5e12}\ng: []\n",
            "read",
        ),
        ("a: >-\n  one\n  two\nb: |\n  three\n  four\n\nc: >\n  five\n", "read"),
        ("a:\n- x\n- y: 1\n  z: [2]\nb:\n  c:\n    - 'd'\n", "read"),
        ("a: 1\n  b: 2\n", "declined"),  # more of a plain value on the next line
        ("a: x\n  y\n", "declined"),
        ("a:\nb: 1\n", "declined"),  # an empty value
        ("a: 1\na: 2\n", "declined"),  # a duplicate key
        ("a: 010\n", "declined"),  # a number YAML 1.1 reads as octal
        ("a: &x 1\nb: *x\n", "declined"),
        ("a: !!str 1\n", "declined"),
        ('a: "x\\ty"\n', "declined"),
        ("a: [1, [2]]\n", "declined"),
        ("a: >\n  one\n\n  two\n", "declined"),  # a blank line inside a text block
        ("a: >\n  one\n    two\n", "declined"),
        ("a: 1", "declined"),  # no line end at the end
        ("a:\tb\n", "declined"),
        ("- a\n", "declined"),
        ("null: 1\n", "declined"),
        ("a: b: c\n", "declined"),
        ("a: 1\n---\nb: 2\n", "declined"),
    ],
)
def test_what_is_read_line_by_line_and_what_is_left_to_the_event_reader(text, expected):
    assert ("read" if _same_as_the_event_reader(text) else "declined") == expected


def test_mutated_files_are_read_as_the_event_reader_reads_them_or_left_to_it():
    # Shipped files with a few random edits (YAML's special characters, indentation, lines added or removed):
    # every mutant the line reader accepts gives the event reader's values.
    rng = random.Random(15)
    texts = [p.read_text(encoding="utf-8") for p in YAML_FILES if p.parts[-2] in ("targets", "data")]
    pieces = [" ", "  ", "\n", "#", " #", ":", ": ", "-", "- ", "'", '"', "''", "[", "]", "{", "}", ",", "|", ">",
              ">-", "&a ", "*a", "!", "?", "%", "@", "`", "\\", "0", "07", "1_0", "1:2", "0x1", "1e5", "yes", "null",
              "~", "true", ".nan", "中", "\t", "\r", "\ufeff", "---", "- - ", "k: v", "  - ", "\u3000", "\u2028"]  # fmt: skip
    read = 0
    for _ in range(1500):
        lines = rng.choice(texts).split("\n")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            op, line = rng.random(), lines[i]
            if op < 0.45:
                at = rng.randint(0, len(line))
                lines[i] = line[:at] + rng.choice(pieces) + line[at:]
            elif op < 0.65 and line:
                at = rng.randrange(len(line))
                lines[i] = line[:at] + line[at + rng.randint(1, 4) :]
            elif op < 0.8:
                lines[i] = " " * rng.randint(0, 6) + line.lstrip(" ")
            elif op < 0.9:
                lines.insert(i, rng.choice(["", "# c", "  # c", "    more text", "  - x", "extra: 1"]))
            else:
                del lines[i]
        read += _same_as_the_event_reader("\n".join(lines))
    assert read > 300, "enough mutants are read line by line for the comparison to mean something"


def test_positions_come_from_the_event_reader_when_first_asked_for():
    text = "# yaml-language-server: $schema=schema.json\npolicy:\n  id: p\ntargets:\n  - id: t\n    value: 5\n"
    located, problems = parse_yaml(text.encode(), PATH)
    assert problems == [] and isinstance(located, PositionsLater)
    assert located._source is not None, "nothing read for positions yet"
    assert located.value_at(("targets", 0, "value")) == (6, 12)
    assert located.key_at(("targets", 0, "id")) == (5, 5) and located.value_at(("policy",)) == (3, 3)
    assert located.values == read_yaml_text(text, PATH)[0].values
