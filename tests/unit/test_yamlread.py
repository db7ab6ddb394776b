"""The one-pass YAML reader: values, positions and refusals (tracker.yamlread via tracker.yamlfile)."""

from __future__ import annotations

import math
from pathlib import Path

from tracker.yamlfile import parse_yaml

PATH = Path("t.yaml")


def _messages(text: str) -> list[str]:
    located, problems = parse_yaml(text.encode(), PATH)
    assert located is None
    return [str(p) for p in problems]


def test_values_read_as_yaml_1_2_with_their_positions():
    text = (
        "a: +3\nb: 5.\nc: 1e5\nd: .5\ne: -0\nf: .inf\ng: ~\nh:\ni: true\nj: yes\nk: on\n"
        "l: '1'\nm: 2020-01-01\nn: =\no: [1, {p: x}]\n"
    )
    located, problems = parse_yaml(text.encode(), PATH)
    assert problems == []
    data = located.data
    assert data["a"] == 3 and data["b"] == 5.0 and data["c"] == 100000.0 and data["d"] == 0.5
    assert data["e"] == 0 and isinstance(data["e"], int) and math.isinf(data["f"])
    assert data["g"] is None and data["h"] is None and data["i"] is True
    assert data["j"] == "yes" and data["k"] == "on" and data["l"] == "1"
    assert data["m"] == "2020-01-01" and data["n"] == "="
    assert data["o"] == [1, {"p": "x"}]
    assert located.values[("o", 1, "p")] == (15, 12) and located.keys[("o", 1, "p")] == (15, 9)
    assert located.keys[("o",)] == (15, 1)
    assert located.values[("f",)] == (6, 4)


def test_an_alias_used_as_a_key_is_refused_like_any_alias():
    assert _messages("a: &x k\n*x : 2\n") == [
        "t.yaml:1:4: error: YAML: aliases (*name) are not allowed in tracker files; write the value out in full "
        "(this value is repeated through an alias)"
    ]


def test_a_syntax_error_anywhere_comes_before_a_duplicate_key():
    assert _messages("a: 1\na: 2\nb: [1\n") == [
        "t.yaml:4:1: error: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence "
        "that starts on line 3; check the quotes and indentation there)"
    ]


def test_every_duplicate_key_and_ambiguous_number_is_reported_in_order():
    assert _messages("a: 1_000\nb:\n  c: 1\n  c: 2\nd: 017\n") == [
        "t.yaml:1:4: error: '1_000' is read as the number 1000; write it as a plain decimal number",
        "t.yaml:4:3: error: duplicate key 'c' (first given on line 3); each key may appear once in a mapping",
        "t.yaml:5:4: error: '017' has a leading zero, which YAML 1.1 reads as an octal number (15); write it without "
        "the zero, or in quotes",
    ]


def test_depth_is_refused_where_it_is_exceeded():
    assert _messages("a: " + "[" * 40 + "\n")[0].startswith("t.yaml:1:35: error: the YAML nests lists or mappings")
