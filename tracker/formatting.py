"""Numbers, units and dates as a reader expects them: 2.55 billion, 1,557, 62.9%, end-2027; and text wrapped
by the width it takes (a Chinese character takes two Latin ones)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from tracker.vocabulary import PERCENT, POINT_UNITS

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_number(value: float, digits: int = 3, scaled: bool = True) -> str:
    """A number with thousands separators, or in millions/billions/trillions when large (``scaled``; a percentage
    is never scaled: 2,500,000% change, not 2.5 million% change). Infinity and NaN, which a projection that
    overflowed could give, read "n/a", as in the tables."""
    if value is None or not math.isfinite(value):
        return "n/a"
    magnitude = abs(value)
    for scale, word in _SCALES if scaled else ():
        if magnitude >= scale:
            return f"{_significant(value / scale, digits)} {word}"
    if magnitude >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return _significant(value, digits)


def _significant(value: float, digits: int) -> str:
    """At most ``digits`` significant figures, without trailing zeros (25.47 -> 25.5, 62.9 -> 62.9)."""
    if value == 0:
        return "0"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float | None, unit: str, digits: int = 3) -> str:
    """A value with its unit: 62.9%, 2.55 billion connections, 1,557 enterprises; "n/a" for none, NaN or
    infinity."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit == PERCENT:
        return f"{_significant(value, digits)}%"
    return f"{format_number(value, digits, unit not in POINT_UNITS)}{unit_gap(unit)}{unit}"


def unit_gap(unit: object) -> str:
    """What goes between a number and its unit: a space, except before a unit that starts with a per cent sign
    ("-9.3% change", "7% a year", as 62.9%) or with a Chinese character, written close up (1,039万个)."""
    if not isinstance(unit, str) or not unit:
        return " "
    return "" if unit[0] == "%" or unicodedata.east_asian_width(unit[0]) in "WF" else " "


def as_published(value: float, unit: object) -> str:
    """A figure as its source wrote it (the number as stored, shortest form, and the unit it came in): 74.7%,
    2.9 trillion yuan, 1039万个."""
    text = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    return f"{value:g}{unit_gap(text)}{text}".rstrip()


def format_deadline(deadline: date) -> str:
    """end-2027 for 31 December, else the date."""
    if (deadline.month, deadline.day) == (12, 31):
        return f"end-{deadline.year}"
    return deadline.isoformat()


def text_columns(text: str) -> int:
    """How many Latin-character widths ``text`` takes: a Chinese character or full-width sign takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_columns(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` Latin-character widths: broken at spaces, and between Chinese
    characters, which need none (textwrap counts a Chinese character as one and never breaks a run of them)."""
    tokens = re.findall(r"\s+|[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+",
                        text)  # fmt: skip
    lines: list[str] = []
    line = ""
    for token in tokens:
        if text_columns(line) + text_columns(token) <= columns or not line.strip():
            line += token
            while text_columns(line) > columns:  # one token longer than a line (a long address): cut it
                cut = next(i for i in range(len(line), 0, -1) if text_columns(line[:i]) <= columns)
                lines.append(line[:cut])
                line = line[cut:]
        elif token.isspace():
            lines.append(line.rstrip())
            line = ""
        else:
            lines.append(line.rstrip())
            line = token
    if line.strip():
        lines.append(line.rstrip())
    return [x.strip() for x in lines if x.strip()]
